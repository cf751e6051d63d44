"""The National Performance Framework outcomes and indicators the geography load writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cplan.frameworks.models import NationalIndicator, NationalOutcome

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def test_the_eleven_national_outcomes_with_their_statements(real_geography: Path) -> None:
    outcomes = {o.code: o for o in NationalOutcome.objects.all()}
    assert sorted(outcomes) == [
        "COM",
        "CUL",
        "CYP",
        "ECO",
        "EDU",
        "ENV",
        "FWB",
        "HEA",
        "HUR",
        "INT",
        "POV",
    ]
    assert outcomes["HEA"].name == "Health"
    assert outcomes["HEA"].statement == "We are healthy and active"
    assert outcomes["POV"].statement == (
        "We tackle poverty by sharing opportunities, wealth and power more equally"
    )
    assert all(o.statement and o.framework == "NPF 2018" for o in outcomes.values())


def test_national_indicators_with_outcomes_and_breakdowns(real_geography: Path) -> None:
    assert NationalIndicator.objects.count() == 79
    assert not NationalIndicator.objects.filter(outcome__isnull=True).exists()
    counts = {o.code: o.indicators.count() for o in NationalOutcome.objects.all()}
    assert counts == {
        "CYP": 7,
        "COM": 7,
        "CUL": 4,
        "ECO": 10,
        "EDU": 12,
        "ENV": 9,
        "FWB": 8,
        "HEA": 11,
        "HUR": 3,
        "INT": 1,
        "POV": 7,
    }
    wellbeing = NationalIndicator.objects.get(name="Child wellbeing and happiness")
    assert wellbeing.outcome is not None
    assert wellbeing.outcome.code == "CYP"
    assert wellbeing.breakdowns == [
        "Age",
        "Gender",
        "Income (OECD Score)",
        "Limiting longstanding illness",
        "Occupation (NS - SEC)",
        "Scottish Index of Multiple Deprivation",
    ]
    walking = NationalIndicator.objects.get(name="Journeys by active travel: walking")
    assert walking.outcome is not None
    assert walking.outcome.code == "HEA"
