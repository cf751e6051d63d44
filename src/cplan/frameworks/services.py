"""Writing the National Performance Framework's outcomes and indicators (facts)."""

from __future__ import annotations

from cplan.frameworks.importers import NationalFramework
from cplan.frameworks.models import NationalIndicator, NationalOutcome
from cplan.geography.sync import SyncCounts, sync

FRAMEWORK = "NPF 2018"


def load_national_framework(*, framework: NationalFramework) -> dict[str, SyncCounts]:
    """Make the outcomes and indicators match ``framework``; call inside a transaction."""
    outcomes = sync(
        NationalOutcome.objects.all(),
        key_fields=("code",),
        value_fields=("name", "statement", "framework"),
        rows=[
            {"code": code, "name": name, "statement": statement, "framework": FRAMEWORK}
            for code, name, statement in framework.outcomes
        ],
    )
    ids = dict(NationalOutcome.objects.values_list("code", "id"))
    indicators = sync(
        NationalIndicator.objects.all(),
        key_fields=("name",),
        value_fields=("outcome_id", "breakdowns"),
        rows=[
            {
                "name": name,
                "outcome_id": ids[outcome] if outcome else None,
                "breakdowns": breakdowns,
            }
            for name, outcome, breakdowns in framework.indicators
        ],
    )
    return {"national_outcomes": outcomes, "national_indicators": indicators}
