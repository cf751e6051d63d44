"""A plan's lifecycle and versions: draft → approved → published → superseded or closed; a
published version never changes; a change makes a new version whose differences can be seen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cplan.core.models import ChangeRecord
from cplan.plans import services
from cplan.plans.diff import version_diff
from cplan.plans.models import PlanStatus, PlanVersion, ProgressUpdate
from cplan.plans.selectors import commitment_rows, history_for
from tests.plans.factories import START, build_plan, build_world, publish_version

pytestmark = pytest.mark.django_db


def transition(world: object, version: PlanVersion, name: str) -> PlanVersion:
    return services.plan_version_transition(
        user=world.officer,  # type: ignore[attr-defined]
        version=version,
        expected_revision=version.revision,
        transition=name,
    )


def report(world: object, commitment: object, **changes: object) -> ProgressUpdate:
    values: dict[str, object] = {
        "rag": "amber",
        "percent_complete": 30,
        "narrative": "Advisers are in 12 of 40 practices.",
        "reported_on": dt.date(2024, 3, 1),
        **changes,
    }
    return services.progress_update_create(
        user=world.nhs_lead,  # type: ignore[attr-defined]
        commitment=commitment,  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
    )


def test_a_new_plan_is_a_draft_version_one_and_is_recorded() -> None:
    world = build_world()
    version = services.plan_create(
        user=world.officer,
        partnership=world.partnership,
        kind="loip",
        title="Borsetshire LOIP",
        period_start=START,
        period_end=dt.date(2030, 3, 31),
    )
    assert (version.number, version.status) == (1, PlanStatus.DRAFT)
    record = ChangeRecord.objects.get(object_type="plans.PlanVersion")
    assert record.actor == "officer"
    assert record.after["title"] == "Borsetshire LOIP"
    assert record.after["period_start"] == "2023-04-01"


def test_a_plan_that_does_not_say_what_it_aims_for_cannot_be_approved() -> None:
    world = build_world()
    parts = build_plan(world)
    services.measure_delete(
        user=world.officer, measure=parts.measure, expected_revision=parts.measure.revision
    )
    with pytest.raises(ValidationError) as error:
        transition(world, parts.version, "approve")
    assert error.value.messages == [
        "The plan is not ready to approve: outcome 'Fewer children grow up in poverty' has no "
        "measure."
    ]
    parts.version.refresh_from_db()
    assert parts.version.status == PlanStatus.DRAFT


def test_approve_then_publish() -> None:
    world = build_world()
    parts = build_plan(world)
    approved = transition(world, parts.version, "approve")
    assert approved.status == PlanStatus.APPROVED
    assert approved.approved_by == world.officer
    published = transition(world, approved, "publish")
    assert published.status == PlanStatus.PUBLISHED
    assert published.published_at is not None
    statuses = [
        (r.before["status"], r.after["status"])
        for r in ChangeRecord.objects.filter(
            object_type="plans.PlanVersion", action="update"
        ).order_by("at", "id")
    ]
    assert statuses == [("draft", "approved"), ("approved", "published")]


def test_a_draft_cannot_be_published_without_approval() -> None:
    world = build_world()
    parts = build_plan(world)
    with pytest.raises(ValidationError, match="is draft: it cannot be published"):
        transition(world, parts.version, "publish")


def test_a_published_version_cannot_be_edited() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    with pytest.raises(ValidationError) as error:
        services.priority_update(
            user=world.officer,
            priority=parts.priority,
            expected_revision=parts.priority.revision,
            title="Something else",
            description="",
            position=1,
        )
    assert error.value.messages == [
        "Borsetshire LOIP 2023-2030 (version 1) is published: only a draft can be changed. "
        "Start a new version to change a published plan."
    ]
    with pytest.raises(ValidationError, match="only a draft can be changed"):
        services.priority_create(user=world.officer, version=parts.version, title="New")
    parts.priority.refresh_from_db()
    assert parts.priority.title == "Tackling poverty"
    assert parts.version.priorities.count() == 1


def test_a_new_version_copies_every_item_with_its_key() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    draft = services.plan_version_new(user=world.officer, plan=parts.version.plan)
    assert (draft.number, draft.status, draft.created_from) == (2, "draft", parts.version)
    copied = draft.commitments.get()
    assert copied.key == parts.commitment.key
    assert copied.pk != parts.commitment.pk
    assert list(copied.contributors.all()) == [world.council]
    assert list(draft.outcomes.get().national_outcomes.all()) == [world.poverty]
    assert draft.measures.get().outcome == draft.outcomes.get()
    with pytest.raises(ValidationError, match="already has a version in preparation"):
        services.plan_version_new(user=world.officer, plan=parts.version.plan)


def test_publishing_a_new_version_supersedes_the_old_and_the_diff_shows_the_change() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    draft = services.plan_version_new(user=world.officer, plan=parts.version.plan)
    measure = draft.measures.get()
    services.measure_update(
        user=world.officer,
        measure=measure,
        expected_revision=measure.revision,
        outcome=measure.outcome,
        indicator=measure.indicator,
        baseline_period="2016",
        target_value=15.0,
        target_year=2030,
        area=measure.area,
        locality=None,
        breakdown="all",
        baseline_value=None,
        trajectory=[],
        note="",
        position=measure.position,
    )
    added = services.priority_create(user=world.officer, version=draft, title="Healthier lives")
    services.responsibility_add(
        user=world.officer,
        priority=draft.priorities.get(title="Tackling poverty"),
        function="scrutinise",
        organisation=world.council,
    )
    diff = version_diff(parts.version, draft)
    changes = {(item.kind, item.change, item.title) for item in diff.items}
    assert changes == {
        ("Priority", "added", "Healthier lives"),
        ("Priority", "changed", "Tackling poverty"),
        ("Measure", "changed", "Child poverty, Borsetshire"),
    }
    measure_change = next(item for item in diff.items if item.kind == "Measure")
    assert [(f.name, f.before, f.after) for f in measure_change.fields] == [
        ("target value", "18.0", "15.0")
    ]
    with pytest.raises(ValidationError, match="priority 'Healthier lives' has no outcome"):
        publish_version(world, draft)
    services.priority_delete(user=world.officer, priority=added, expected_revision=added.revision)
    publish_version(world, PlanVersion.objects.get(pk=draft.pk))
    parts.version.refresh_from_db()
    assert parts.version.status == PlanStatus.SUPERSEDED
    assert parts.version.measures.get().target_value == 18.0  # the old version is untouched


def test_word_diff_of_the_summary() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    draft = services.plan_version_new(user=world.officer, plan=parts.version.plan)
    services.plan_version_update(
        user=world.officer,
        version=draft,
        expected_revision=draft.revision,
        title=draft.title,
        summary="We will reduce child poverty in every locality.",
        period_start=draft.period_start,
        period_end=draft.period_end,
    )
    diff = version_diff(parts.version, PlanVersion.objects.get(pk=draft.pk))
    assert [(f.name, f.words) for f in diff.plan] == [
        (
            "summary",
            [("delete", "–"), ("insert", "We will reduce child poverty in every locality.")],
        )
    ]


def test_progress_follows_a_commitment_into_its_next_version() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    report(world, parts.commitment, percent_complete=30, reported_on=dt.date(2024, 3, 1))
    draft = services.plan_version_new(user=world.officer, plan=parts.version.plan)
    publish_version(world, draft)
    current = draft.commitments.get()
    [row] = commitment_rows([current], as_of=dt.date(2024, 6, 1))
    assert row.update_count == 1
    assert row.latest is not None
    assert row.latest.percent_complete == 30
    with pytest.raises(ValidationError, match="replaced by a newer published version"):
        report(world, parts.commitment)
    report(world, current, percent_complete=55, reported_on=dt.date(2024, 6, 1))
    [row] = commitment_rows([current], as_of=dt.date(2024, 6, 1))
    assert (row.update_count, row.latest.percent_complete) == (2, 55)  # type: ignore[union-attr]


def test_a_closed_plan_takes_no_more_progress() -> None:
    world = build_world()
    parts = build_plan(world, publish=True)
    report(world, parts.commitment)
    closed = transition(world, parts.version, "close")
    assert closed.status == PlanStatus.CLOSED
    with pytest.raises(ValidationError) as error:
        report(world, parts.commitment, percent_complete=80)
    assert error.value.code == "closed"
    assert "was closed on" in error.value.messages[0]
    assert "progress can no longer be reported on it" in error.value.messages[0]
    assert ProgressUpdate.objects.count() == 1


def test_progress_waits_for_publication() -> None:
    world = build_world()
    parts = build_plan(world)
    with pytest.raises(ValidationError, match="is not published yet"):
        report(world, parts.commitment)


def test_history_lists_each_change_with_before_and_after() -> None:
    world = build_world()
    parts = build_plan(world)
    services.priority_update(
        user=world.officer,
        priority=parts.priority,
        expected_revision=parts.priority.revision,
        title="Ending child poverty",
        description="",
        position=parts.priority.position,
    )
    entries = history_for(parts.priority)
    assert [e.record.action for e in entries] == ["update", "create"]
    assert entries[0].changes == [("title", "Tackling poverty", "Ending child poverty")]
    assert entries[0].record.actor == "officer"
