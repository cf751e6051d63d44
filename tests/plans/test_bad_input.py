"""Bad input: a clear error on the field at fault, and nothing saved (issue 5, "Bad input and
safety"). Each case goes through the service, as the API and the pages do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cplan.core.models import ChangeRecord
from cplan.core.snapshots import ConflictError
from cplan.plans import services
from cplan.plans.models import Commitment, PlanMeasure, PlanVersion, ProgressUpdate
from tests.plans.factories import PlanParts, World, build_plan, build_world

pytestmark = pytest.mark.django_db


def field_errors(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def unchanged(count_before: int, model: type[Any]) -> None:
    assert model.objects.count() == count_before


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def parts(world: World) -> PlanParts:
    return build_plan(world)


def new_measure(world: World, parts: PlanParts, **changes: Any) -> PlanMeasure:
    values: dict[str, Any] = {
        "user": world.officer,
        "outcome": parts.outcome,
        "indicator": world.indicator,
        "area": world.council_area,
        "baseline_period": "2016/17",
        "target_value": 15.0,
        "target_year": 2030,
        **changes,
    }
    return services.measure_create(**values)


def test_target_year_before_baseline_year(world: World, parts: PlanParts) -> None:
    records = ChangeRecord.objects.count()
    errors = field_errors(lambda: new_measure(world, parts, target_year=2015))
    assert errors == {
        "target_year": [
            "The target year (2015) is not after the baseline year (2016): a target must lie in "
            "the future of its baseline."
        ]
    }
    unchanged(1, PlanMeasure)
    assert ChangeRecord.objects.count() == records


def test_baseline_period_without_a_year(world: World, parts: PlanParts) -> None:
    errors = field_errors(lambda: new_measure(world, parts, baseline_period="last year"))
    assert list(errors) == ["baseline_period"]
    assert "has no four-digit year" in errors["baseline_period"][0]


def test_a_measure_on_an_area_outside_the_partnership(world: World, parts: PlanParts) -> None:
    errors = field_errors(lambda: new_measure(world, parts, area=world.other_zone))
    assert errors == {
        "area": [
            "Hollerton (S02900021) is outside Borsetshire: a measure is for the partnership's "
            "own council area or an area within it."
        ]
    }
    unchanged(1, PlanMeasure)


def test_a_measure_needs_an_area_or_a_locality(world: World, parts: PlanParts) -> None:
    errors = field_errors(lambda: new_measure(world, parts, area=None))
    assert errors == {"area": ["Choose the area or the locality the measure is for."]}


def test_a_trajectory_out_of_order(world: World, parts: PlanParts) -> None:
    trajectory = [{"year": 2025, "value": 20.0}, {"year": 2022, "value": 22.0}]
    errors = field_errors(lambda: new_measure(world, parts, trajectory=trajectory))
    assert errors["trajectory"] == [
        "Milestone 2 (2022) is out of order: milestones run in year order after the baseline "
        "year (2016) and before the target year (2030)."
    ]


def test_a_commitment_led_by_a_non_member(world: World, parts: PlanParts) -> None:
    errors = field_errors(
        lambda: services.commitment_create(
            user=world.officer,
            priority=parts.priority,
            title="College places",
            lead_organisation=world.outsider,
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2025, 1, 1),
        )
    )
    assert errors == {
        "lead_organisation": [
            "Felpersham College is not a member of Borsetshire: only a member partner can lead a "
            "commitment."
        ]
    }
    unchanged(1, Commitment)


def test_a_former_member_cannot_lead(world: World, parts: PlanParts) -> None:
    membership = world.police.memberships.get(partnership=world.partnership)
    membership.left = dt.date(2020, 1, 1)
    membership.save()
    errors = field_errors(
        lambda: services.commitment_create(
            user=world.officer,
            priority=parts.priority,
            title="Patrols",
            lead_organisation=world.police,
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2025, 1, 1),
        )
    )
    assert list(errors) == ["lead_organisation"]


def test_a_non_member_contributor(world: World, parts: PlanParts) -> None:
    errors = field_errors(
        lambda: services.commitment_create(
            user=world.officer,
            priority=parts.priority,
            title="Joint work",
            lead_organisation=world.council,
            contributors=[world.outsider],
            start_date=dt.date(2024, 1, 1),
            due_date=dt.date(2025, 1, 1),
        )
    )
    assert errors == {"contributors": ["Felpersham College is not a member of Borsetshire."]}


def test_commitment_dates_out_of_order(world: World, parts: PlanParts) -> None:
    errors = field_errors(
        lambda: services.commitment_create(
            user=world.officer,
            priority=parts.priority,
            title="Backwards",
            lead_organisation=world.council,
            start_date=dt.date(2025, 1, 1),
            due_date=dt.date(2024, 1, 1),
        )
    )
    assert errors == {
        "due_date": [
            "The due date (01/01/2024) is not after the start date (01/01/2025): a commitment "
            "is due after it starts."
        ]
    }


def test_plan_period_out_of_order(world: World) -> None:
    errors = field_errors(
        lambda: services.plan_create(
            user=world.officer,
            partnership=world.partnership,
            kind="loip",
            title="Backwards plan",
            period_start=dt.date(2030, 1, 1),
            period_end=dt.date(2023, 1, 1),
        )
    )
    assert list(errors) == ["period_end"]
    assert PlanVersion.objects.count() == 0


def test_a_locality_plan_needs_a_locality(world: World) -> None:
    errors = field_errors(
        lambda: services.plan_create(
            user=world.officer,
            partnership=world.partnership,
            kind="locality",
            title="North plan",
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2026, 1, 1),
        )
    )
    assert errors == {"locality": ["A locality plan is for a locality: choose one."]}


def test_editing_a_published_version(world: World) -> None:
    parts = build_plan(world, publish=True)
    with pytest.raises(ValidationError) as error:
        services.commitment_update(
            user=world.officer,
            commitment=parts.commitment,
            expected_revision=parts.commitment.revision,
            priority=parts.priority,
            title="Rewritten after publication",
            lead_organisation=world.nhs,
            start_date=parts.commitment.start_date,
            due_date=parts.commitment.due_date,
            contributors=[],
            description="",
            preventative=False,
            locality=None,
            position=1,
        )
    assert error.value.code == "not_editable"
    parts.commitment.refresh_from_db()
    assert parts.commitment.title == "Income maximisation in GP practices"
    assert list(parts.commitment.contributors.all()) == [world.council]


def progress(world: World, commitment: Commitment, **changes: Any) -> ProgressUpdate:
    values: dict[str, Any] = {
        "user": world.nhs_lead,
        "commitment": commitment,
        "rag": "green",
        "percent_complete": 40,
        "narrative": "On plan.",
        "reported_on": dt.date(2024, 1, 10),
        **changes,
    }
    return services.progress_update_create(**values)


def test_progress_dated_in_the_future_or_before_the_start(world: World) -> None:
    parts = build_plan(world, publish=True)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert field_errors(lambda: progress(world, parts.commitment, reported_on=tomorrow)) == {
        "reported_on": ["The report date cannot be in the future."]
    }
    assert field_errors(
        lambda: progress(world, parts.commitment, reported_on=dt.date(2023, 1, 1))
    ) == {
        "reported_on": [
            "The report date (01/01/2023) is before the commitment starts (01/04/2023)."
        ]
    }
    assert ProgressUpdate.objects.count() == 0


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_complete_out_of_range(world: World, percent: int) -> None:
    parts = build_plan(world, publish=True)
    assert list(
        field_errors(lambda: progress(world, parts.commitment, percent_complete=percent))
    ) == ["percent_complete"]


def test_over_long_text_is_refused(world: World) -> None:
    parts = build_plan(world, publish=True)
    errors = field_errors(lambda: progress(world, parts.commitment, narrative="x" * 5001))
    assert errors == {"narrative": ["Ensure this value has at most 5000 characters (it has 5001)."]}
    errors = field_errors(
        lambda: services.priority_create(
            user=world.officer, version=build_plan(world).version, title="t" * 201
        )
    )
    assert errors == {"title": ["Ensure this value has at most 200 characters (it has 201)."]}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>"),
        ("www.example.org/report", "www.example.org/report"),
    ],
)
def test_evidence_must_be_web_addresses(world: World, url: str, shown: str) -> None:
    parts = build_plan(world, publish=True)
    links = [
        {"title": "Report", "url": "https://example.org/report.pdf"},
        {"title": "", "url": url},
    ]
    errors = field_errors(lambda: progress(world, parts.commitment, evidence=links))
    assert errors == {
        "evidence": [f"Link 2 ({shown}) is not a web address starting http:// or https://."]
    }


def test_html_is_stored_as_written(world: World) -> None:
    parts = build_plan(world, publish=True)
    script = '<script>alert("x")</script><b>bold</b>'
    update = progress(world, parts.commitment, narrative=script)
    update.refresh_from_db()
    assert update.narrative == script  # escaped when shown: see test_pages


def test_a_concurrent_edit_is_refused_not_overwritten(world: World, parts: PlanParts) -> None:
    opened = parts.priority.revision
    services.priority_update(
        user=world.officer,
        priority=parts.priority,
        expected_revision=opened,
        title="First editor's title",
        description="",
        position=1,
    )
    with pytest.raises(ConflictError) as error:
        services.priority_update(
            user=world.officer,
            priority=parts.priority,
            expected_revision=opened,
            title="Second editor's title",
            description="",
            position=1,
        )
    assert error.value.messages == [
        "First editor's title was changed by someone else since you opened it (you opened "
        "revision 1, it is now 2). Nothing was saved: reload the page to see the changes, then "
        "make yours again."
    ]
    parts.priority.refresh_from_db()
    assert (parts.priority.title, parts.priority.revision) == ("First editor's title", 2)
