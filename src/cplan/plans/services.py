"""Writing plans: every function checks permission, validates the whole object, runs in one
transaction, refuses to overwrite a concurrent edit (revision counters) and records history.

Lifecycle: draft → approved → published → superseded (by the next published version) or closed.
Only a draft can be edited; changing a published plan starts a new version copied from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone

from cplan.accounts.models import Role
from cplan.accounts.permissions import require, roles_of
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.core.snapshots import check_revision, snapshot
from cplan.frameworks.models import NationalOutcome
from cplan.geography.models import Area, Locality
from cplan.indicators.models import Indicator
from cplan.partnerships.models import (
    GovernanceBody,
    Meeting,
    Organisation,
    Partnership,
    is_current_member,
)
from cplan.plans.models import (
    Challenge,
    ChallengeStatus,
    Commitment,
    LocalOutcome,
    Plan,
    PlanMeasure,
    PlanStatus,
    PlanVersion,
    Priority,
    ProgressUpdate,
    Responsibility,
)

UserArg = User | AnonymousUser | None

VERSION_FIELDS = ("title", "summary", "period_start", "period_end", "status")
PRIORITY_FIELDS = ("title", "description", "position")
OUTCOME_FIELDS = ("priority", "title", "description", "national_outcomes", "position")
MEASURE_FIELDS = (
    "outcome",
    "indicator",
    "area",
    "locality",
    "breakdown",
    "baseline_period",
    "baseline_value",
    "target_value",
    "target_year",
    "trajectory",
    "note",
    "position",
)
COMMITMENT_FIELDS = (
    "priority",
    "title",
    "description",
    "lead_organisation",
    "contributors",
    "start_date",
    "due_date",
    "preventative",
    "locality",
    "position",
)
PROGRESS_FIELDS = (
    "commitment",
    "rag",
    "percent_complete",
    "narrative",
    "evidence",
    "reported_on",
    "organisation",
    "author_name",
)
RESPONSIBILITY_FIELDS = ("priority", "function", "body", "organisation")
CHALLENGE_FIELDS = (
    "commitment",
    "measure",
    "organisation",
    "meeting",
    "question",
    "response",
    "status",
)

# Messages (tests assert them).
NOT_EDITABLE = (
    "{version} is {status}: only a draft can be changed. Start a new version to change a "
    "published plan."
)
TRANSITION_REFUSED = "{version} is {status}: it cannot be {verb}."
OPEN_VERSION_EXISTS = "{plan} already has a version in preparation (version {number})."
NOTHING_TO_REVISE = "{plan} has no published version to revise: change its draft instead."
INCOMPLETE_PLAN = "The plan is not ready to approve: {problems}."
PLAN_CLOSED = "{version} was closed on {closed}: progress can no longer be reported on it."
PLAN_SUPERSEDED = (
    "{version} has been replaced by a newer published version: report progress on the "
    "commitment in the current version."
)
PLAN_NOT_PUBLISHED = "{version} is not published yet: progress is reported once it is published."
NOT_INVOLVED = (
    "You report for {organisations}, which neither leads nor contributes to this commitment."
)
NOT_CHALLENGED = (
    "This challenge was put to {organisation}: only that partner (or the CPP officer) responds."
)
CHALLENGE_CLOSED = "This challenge was closed by the board: it can no longer be answered."
NO_NATIONAL_OUTCOME = "Link the outcome to at least one national outcome."
NOT_A_MEMBER = "{organisation} is not a member of {partnership}."
LEAD_AS_CONTRIBUTOR = "{organisation} leads the commitment: it is not also a contributor."
OTHER_VERSION = "{item} belongs to another version of the plan."
EVIDENCE_LIMIT = 10
BAD_LINK = "Link {position} ({url}) is not a web address starting http:// or https://."
LONG_LINK_TITLE = "Link {position}'s title is longer than 200 characters."
TOO_MANY_LINKS = f"Give at most {EVIDENCE_LIMIT} evidence links."
CHOOSE_RESPONDENT = "Choose the partner asked to respond."
EMPTY_RESPONSE = "Write the response."

Item = TypeVar("Item", Priority, LocalOutcome, PlanMeasure, Commitment)


def _partnership(version: PlanVersion) -> Partnership:
    return version.plan.partnership


def _locked_version(version: PlanVersion) -> PlanVersion:
    """The version row, locked for this transaction (so a publish cannot interleave an edit)."""
    return (
        PlanVersion.objects.select_for_update()
        .select_related("plan__partnership")
        .get(pk=version.pk)
    )


def _locked_editable(version: PlanVersion) -> PlanVersion:
    current = _locked_version(version)
    if not current.is_editable:
        raise ValidationError(
            NOT_EDITABLE.format(version=current, status=current.get_status_display().lower()),
            code="not_editable",
        )
    return current


# --- Plans and versions -------------------------------------------------------------------------


def plan_create(
    *,
    user: UserArg,
    partnership: Partnership,
    kind: str,
    title: str,
    period_start: date,
    period_end: date,
    summary: str = "",
    locality: Locality | None = None,
) -> PlanVersion:
    """A new plan and its first version, a draft."""
    require(user, "plan.edit", partnership=partnership)
    with transaction.atomic():
        plan = Plan(partnership=partnership, kind=kind, locality=locality)
        plan.full_clean()
        version = PlanVersion(
            plan=plan,
            number=1,
            title=title.strip(),
            summary=summary,
            period_start=period_start,
            period_end=period_end,
        )
        version.full_clean(exclude=["plan"])
        plan.save()
        version.plan = plan
        version.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=plan,
            after={"kind": kind},
            source="plan_create",
        )
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=version,
            after=snapshot(version, VERSION_FIELDS),
            source="plan_create",
        )
    return version


def plan_version_update(
    *,
    user: UserArg,
    version: PlanVersion,
    expected_revision: int,
    title: str,
    summary: str,
    period_start: date,
    period_end: date,
) -> PlanVersion:
    require(user, "plan.edit", partnership=_partnership(version))
    with transaction.atomic():
        current = _locked_editable(version)
        check_revision(current, expected=expected_revision, current=current.revision)
        before = snapshot(current, VERSION_FIELDS)
        current.title, current.summary = title.strip(), summary
        current.period_start, current.period_end = period_start, period_end
        current.full_clean()
        current.revision += 1
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, VERSION_FIELDS),
            source="plan_version_update",
        )
    return current


# name → (from status, to status, permission, verb for messages)
TRANSITIONS: dict[str, tuple[PlanStatus, PlanStatus, str, str]] = {
    "approve": (PlanStatus.DRAFT, PlanStatus.APPROVED, "plan.approve", "approved"),
    "return_to_draft": (PlanStatus.APPROVED, PlanStatus.DRAFT, "plan.edit", "returned to draft"),
    "publish": (PlanStatus.APPROVED, PlanStatus.PUBLISHED, "plan.publish", "published"),
    "close": (PlanStatus.PUBLISHED, PlanStatus.CLOSED, "plan.publish", "closed"),
}


def plan_version_transition(
    *, user: UserArg, version: PlanVersion, expected_revision: int, transition: str
) -> PlanVersion:
    """Move a version along its lifecycle (see :data:`TRANSITIONS`)."""
    source, target, action, verb = TRANSITIONS[transition]
    require(user, action, partnership=_partnership(version))
    with transaction.atomic():
        current = _locked_version(version)
        check_revision(current, expected=expected_revision, current=current.revision)
        if current.status != source:
            raise ValidationError(
                TRANSITION_REFUSED.format(
                    version=current, status=current.get_status_display().lower(), verb=verb
                ),
                code="transition",
            )
        if transition == "approve":
            _require_complete(current)
        before = snapshot(current, VERSION_FIELDS)
        now = timezone.now()
        if transition == "publish":
            _supersede_published(user, current)
            current.published_at, current.published_by = now, _user_or_none(user)
        elif transition == "approve":
            current.approved_at, current.approved_by = now, _user_or_none(user)
        elif transition == "close":
            current.closed_at = now
        current.status = target
        current.revision += 1
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, VERSION_FIELDS),
            source=f"plan_version_{transition}",
        )
    return current


def _user_or_none(user: UserArg) -> User | None:
    return user if isinstance(user, User) else None


def _require_complete(version: PlanVersion) -> None:
    """A plan says what improvement it aims for: every priority has an outcome, every outcome a
    measure with a target (the 2014 report: many plans did not)."""
    problems = []
    priorities = list(version.priorities.prefetch_related("outcomes__measures"))
    if not priorities:
        problems.append("it has no priorities")
    for priority in priorities:
        outcomes = list(priority.outcomes.all())
        if not outcomes:
            problems.append(f"priority {priority.title!r} has no outcome")
        problems.extend(
            f"outcome {outcome.title!r} has no measure"
            for outcome in outcomes
            if not outcome.measures.all()
        )
    if problems:
        raise ValidationError(
            INCOMPLETE_PLAN.format(problems="; ".join(problems)), code="incomplete"
        )


def _supersede_published(user: UserArg, version: PlanVersion) -> None:
    for older in PlanVersion.objects.select_for_update().filter(
        plan_id=version.plan_id, status=PlanStatus.PUBLISHED
    ):
        before = snapshot(older, VERSION_FIELDS)
        older.status = PlanStatus.SUPERSEDED
        older.revision += 1
        older.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=older,
            before=before,
            after=snapshot(older, VERSION_FIELDS),
            source="plan_version_publish",
        )


def plan_version_new(*, user: UserArg, plan: Plan) -> PlanVersion:
    """A new draft copied from the published version: the way to change a published plan."""
    require(user, "plan.edit", partnership=plan.partnership)
    with transaction.atomic():
        versions = list(PlanVersion.objects.select_for_update().filter(plan=plan))
        open_version = next(
            (v for v in versions if v.status in (PlanStatus.DRAFT, PlanStatus.APPROVED)), None
        )
        if open_version is not None:
            raise ValidationError(OPEN_VERSION_EXISTS.format(plan=plan, number=open_version.number))
        published = next((v for v in versions if v.status == PlanStatus.PUBLISHED), None)
        if published is None:
            raise ValidationError(NOTHING_TO_REVISE.format(plan=plan))
        draft = PlanVersion.objects.create(
            plan=plan,
            number=max(v.number for v in versions) + 1,
            title=published.title,
            summary=published.summary,
            period_start=published.period_start,
            period_end=published.period_end,
            created_from=published,
        )
        copy_version_items(published, draft)
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=draft,
            after={**snapshot(draft, VERSION_FIELDS), "copied_from": published.number},
            source="plan_version_new",
        )
    return draft


def copy_version_items(source: PlanVersion, target: PlanVersion) -> None:
    """Copy every item of ``source`` into ``target`` keeping their keys (so diffs pair them)."""
    priorities: dict[int, Priority] = {}
    for priority in source.priorities.all():
        old_id = priority.pk
        priority.pk, priority.version, priority.revision = None, target, 1
        priority.save()
        priorities[old_id] = priority
        for responsibility in Responsibility.objects.filter(priority_id=old_id):
            responsibility.pk, responsibility.priority = None, priority
            responsibility.save()
    outcomes: dict[int, LocalOutcome] = {}
    for outcome in source.outcomes.prefetch_related("national_outcomes"):
        old_id, links = outcome.pk, list(outcome.national_outcomes.all())
        outcome._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # else set() sees the old links
        outcome.pk, outcome.version, outcome.revision = None, target, 1
        outcome.priority = priorities[outcome.priority_id]
        outcome.save()
        outcome.national_outcomes.set(links)
        outcomes[old_id] = outcome
    for measure in source.measures.all():
        measure.pk, measure.version, measure.revision = None, target, 1
        measure.outcome = outcomes[measure.outcome_id]
        measure.save()
    for commitment in source.commitments.prefetch_related("contributors"):
        contributors = list(commitment.contributors.all())
        commitment._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # as above
        commitment.pk, commitment.version, commitment.revision = None, target, 1
        commitment.priority = priorities[commitment.priority_id]
        commitment.save()
        commitment.contributors.set(contributors)


# --- Items of a draft: priorities, outcomes, measures, commitments ------------------------------


def _next_position(item: models.Model, version: PlanVersion) -> int:
    siblings = type(item)._default_manager.filter(version=version)
    return int(siblings.aggregate(top=models.Max("position"))["top"] or 0) + 1


def _item_create(
    *,
    user: UserArg,
    action: str,
    item: Item,
    fields: Sequence[str],
    many: Mapping[str, Iterable[models.Model]] | None = None,
) -> Item:
    require(user, action, partnership=_partnership(item.version))
    with transaction.atomic():
        item.version = _locked_editable(item.version)
        if not item.position:
            item.position = _next_position(item, item.version)
        item.full_clean()
        item.save()
        for name, values in (many or {}).items():
            getattr(item, name).set(values)
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=item,
            after=snapshot(item, fields),
            source=f"{type(item).__name__.lower()}_create",
        )
    return item


def _item_update(
    *,
    user: UserArg,
    action: str,
    item: Item,
    expected_revision: int,
    changes: Mapping[str, Any],
    fields: Sequence[str],
    many: Mapping[str, Iterable[models.Model]] | None = None,
) -> Item:
    require(user, action, partnership=_partnership(item.version))
    with transaction.atomic():
        version = _locked_editable(item.version)
        current = type(item)._default_manager.select_for_update().get(pk=item.pk)
        check_revision(current, expected=expected_revision, current=current.revision)
        before = snapshot(current, fields)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version = version
        current.full_clean()
        current.revision += 1
        current.save()
        for name, values in (many or {}).items():
            getattr(current, name).set(values)
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, fields),
            source=f"{type(item).__name__.lower()}_update",
        )
    return current


def _item_delete(
    *, user: UserArg, action: str, item: Item, expected_revision: int, fields: Sequence[str]
) -> None:
    require(user, action, partnership=_partnership(item.version))
    with transaction.atomic():
        _locked_editable(item.version)
        current = type(item)._default_manager.select_for_update().get(pk=item.pk)
        check_revision(current, expected=expected_revision, current=current.revision)
        change_record(
            user=user,
            action=ChangeAction.DELETE,
            obj=current,
            before=snapshot(current, fields),
            source=f"{type(item).__name__.lower()}_delete",
        )
        current.delete()


def priority_create(
    *, user: UserArg, version: PlanVersion, title: str, description: str = "", position: int = 0
) -> Priority:
    item = Priority(
        version=version, title=title.strip(), description=description, position=position
    )
    return _item_create(user=user, action="plan.edit", item=item, fields=PRIORITY_FIELDS)


def priority_update(
    *,
    user: UserArg,
    priority: Priority,
    expected_revision: int,
    title: str,
    description: str,
    position: int,
) -> Priority:
    return _item_update(
        user=user,
        action="plan.edit",
        item=priority,
        expected_revision=expected_revision,
        changes={"title": title.strip(), "description": description, "position": position},
        fields=PRIORITY_FIELDS,
    )


def priority_delete(*, user: UserArg, priority: Priority, expected_revision: int) -> None:
    _item_delete(
        user=user,
        action="plan.edit",
        item=priority,
        expected_revision=expected_revision,
        fields=PRIORITY_FIELDS,
    )


def _require_same_version(version: PlanVersion, **items: models.Model) -> None:
    for name, item in items.items():
        if getattr(item, "version_id", None) != version.pk:
            raise ValidationError({name: OTHER_VERSION.format(item=item)})


def _require_national_outcomes(national_outcomes: Sequence[NationalOutcome]) -> None:
    if not national_outcomes:
        raise ValidationError({"national_outcomes": NO_NATIONAL_OUTCOME})


def outcome_create(
    *,
    user: UserArg,
    priority: Priority,
    title: str,
    national_outcomes: Sequence[NationalOutcome],
    description: str = "",
    position: int = 0,
) -> LocalOutcome:
    _require_national_outcomes(national_outcomes)
    item = LocalOutcome(
        version=priority.version,
        priority=priority,
        title=title.strip(),
        description=description,
        position=position,
    )
    return _item_create(
        user=user,
        action="plan.edit",
        item=item,
        fields=OUTCOME_FIELDS,
        many={"national_outcomes": national_outcomes},
    )


def outcome_update(
    *,
    user: UserArg,
    outcome: LocalOutcome,
    expected_revision: int,
    priority: Priority,
    title: str,
    national_outcomes: Sequence[NationalOutcome],
    description: str,
    position: int,
) -> LocalOutcome:
    _require_national_outcomes(national_outcomes)
    _require_same_version(outcome.version, priority=priority)
    return _item_update(
        user=user,
        action="plan.edit",
        item=outcome,
        expected_revision=expected_revision,
        changes={
            "priority": priority,
            "title": title.strip(),
            "description": description,
            "position": position,
        },
        fields=OUTCOME_FIELDS,
        many={"national_outcomes": national_outcomes},
    )


def outcome_delete(*, user: UserArg, outcome: LocalOutcome, expected_revision: int) -> None:
    _item_delete(
        user=user,
        action="plan.edit",
        item=outcome,
        expected_revision=expected_revision,
        fields=OUTCOME_FIELDS,
    )


def measure_create(
    *,
    user: UserArg,
    outcome: LocalOutcome,
    indicator: Indicator,
    baseline_period: str,
    target_value: float,
    target_year: int,
    area: Area | None = None,
    locality: Locality | None = None,
    breakdown: str = "all",
    baseline_value: float | None = None,
    trajectory: list[dict[str, float]] | None = None,
    note: str = "",
    position: int = 0,
) -> PlanMeasure:
    item = PlanMeasure(
        version=outcome.version,
        outcome=outcome,
        indicator=indicator,
        area=area,
        locality=locality,
        breakdown=breakdown,
        baseline_period=baseline_period.strip(),
        baseline_value=baseline_value,
        target_value=target_value,
        target_year=target_year,
        trajectory=trajectory or [],
        note=note,
        position=position,
    )
    return _item_create(user=user, action="measure.edit", item=item, fields=MEASURE_FIELDS)


def measure_update(
    *,
    user: UserArg,
    measure: PlanMeasure,
    expected_revision: int,
    outcome: LocalOutcome,
    indicator: Indicator,
    baseline_period: str,
    target_value: float,
    target_year: int,
    area: Area | None,
    locality: Locality | None,
    breakdown: str,
    baseline_value: float | None,
    trajectory: list[dict[str, float]],
    note: str,
    position: int,
) -> PlanMeasure:
    _require_same_version(measure.version, outcome=outcome)
    return _item_update(
        user=user,
        action="measure.edit",
        item=measure,
        expected_revision=expected_revision,
        changes={
            "outcome": outcome,
            "indicator": indicator,
            "area": area,
            "locality": locality,
            "breakdown": breakdown,
            "baseline_period": baseline_period.strip(),
            "baseline_value": baseline_value,
            "target_value": target_value,
            "target_year": target_year,
            "trajectory": trajectory,
            "note": note,
            "position": position,
        },
        fields=MEASURE_FIELDS,
    )


def measure_delete(*, user: UserArg, measure: PlanMeasure, expected_revision: int) -> None:
    _item_delete(
        user=user,
        action="measure.edit",
        item=measure,
        expected_revision=expected_revision,
        fields=MEASURE_FIELDS,
    )


def _require_contributors(
    version: PlanVersion, lead: Organisation, contributors: Sequence[Organisation]
) -> None:
    partnership = _partnership(version)
    for organisation in contributors:
        if organisation.pk == lead.pk:
            raise ValidationError(
                {"contributors": LEAD_AS_CONTRIBUTOR.format(organisation=organisation)}
            )
        if not is_current_member(partnership, organisation):
            raise ValidationError(
                {
                    "contributors": NOT_A_MEMBER.format(
                        organisation=organisation, partnership=partnership
                    )
                }
            )


def commitment_create(
    *,
    user: UserArg,
    priority: Priority,
    title: str,
    lead_organisation: Organisation,
    start_date: date,
    due_date: date,
    contributors: Sequence[Organisation] = (),
    description: str = "",
    preventative: bool = False,
    locality: Locality | None = None,
    position: int = 0,
) -> Commitment:
    _require_contributors(priority.version, lead_organisation, contributors)
    item = Commitment(
        version=priority.version,
        priority=priority,
        title=title.strip(),
        description=description,
        lead_organisation=lead_organisation,
        start_date=start_date,
        due_date=due_date,
        preventative=preventative,
        locality=locality,
        position=position,
    )
    return _item_create(
        user=user,
        action="commitment.edit",
        item=item,
        fields=COMMITMENT_FIELDS,
        many={"contributors": contributors},
    )


def commitment_update(
    *,
    user: UserArg,
    commitment: Commitment,
    expected_revision: int,
    priority: Priority,
    title: str,
    lead_organisation: Organisation,
    start_date: date,
    due_date: date,
    contributors: Sequence[Organisation],
    description: str,
    preventative: bool,
    locality: Locality | None,
    position: int,
) -> Commitment:
    _require_same_version(commitment.version, priority=priority)
    _require_contributors(commitment.version, lead_organisation, contributors)
    return _item_update(
        user=user,
        action="commitment.edit",
        item=commitment,
        expected_revision=expected_revision,
        changes={
            "priority": priority,
            "title": title.strip(),
            "lead_organisation": lead_organisation,
            "start_date": start_date,
            "due_date": due_date,
            "description": description,
            "preventative": preventative,
            "locality": locality,
            "position": position,
        },
        fields=COMMITMENT_FIELDS,
        many={"contributors": contributors},
    )


def commitment_delete(*, user: UserArg, commitment: Commitment, expected_revision: int) -> None:
    _item_delete(
        user=user,
        action="commitment.edit",
        item=commitment,
        expected_revision=expected_revision,
        fields=COMMITMENT_FIELDS,
    )


# --- Responsibilities ---------------------------------------------------------------------------


def responsibility_add(
    *,
    user: UserArg,
    priority: Priority,
    function: str,
    body: GovernanceBody | None = None,
    organisation: Organisation | None = None,
) -> Responsibility:
    require(user, "plan.edit", partnership=_partnership(priority.version))
    with transaction.atomic():
        _locked_editable(priority.version)
        responsibility = Responsibility(
            priority=priority, function=function, body=body, organisation=organisation
        )
        responsibility.full_clean()
        responsibility.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=responsibility,
            after=snapshot(responsibility, RESPONSIBILITY_FIELDS),
            source="responsibility_add",
        )
    return responsibility


def responsibility_remove(*, user: UserArg, responsibility: Responsibility) -> None:
    version = responsibility.priority.version
    require(user, "plan.edit", partnership=_partnership(version))
    with transaction.atomic():
        _locked_editable(version)
        change_record(
            user=user,
            action=ChangeAction.DELETE,
            obj=responsibility,
            before=snapshot(responsibility, RESPONSIBILITY_FIELDS),
            source="responsibility_remove",
        )
        responsibility.delete()


# --- Progress updates ---------------------------------------------------------------------------


def _speaks_for_partnership(user: UserArg, partnership: Partnership) -> bool:
    """A superuser or the partnership's CPP officer, who may act for any of its partners."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        a.role == Role.CPP_OFFICER and a.partnership_id == partnership.pk for a in roles_of(user)
    )


def _led_organisations(user: UserArg) -> set[int]:
    return {
        a.organisation_id
        for a in roles_of(user)
        if a.role == Role.PARTNER_LEAD and a.organisation_id is not None
    }


def _reporting_organisation(
    user: UserArg, commitment: Commitment, organisation: Organisation | None
) -> Organisation:
    """Which partner an update is reported for: one the user leads that leads or contributes to
    the commitment (an officer may report for any of them)."""
    involved = {commitment.lead_organisation_id, *(o.pk for o in commitment.contributors.all())}
    if _speaks_for_partnership(user, _partnership(commitment.version)):
        allowed = involved
    else:
        allowed = involved & _led_organisations(user)
        if not allowed:
            names = ", ".join(
                str(o) for o in Organisation.objects.filter(pk__in=_led_organisations(user))
            )
            raise PermissionDenied(NOT_INVOLVED.format(organisations=names or "no partner"))
    if organisation is not None:
        if organisation.pk not in allowed:
            raise ValidationError({"organisation": NOT_INVOLVED.format(organisations=organisation)})
        return organisation
    chosen = (
        commitment.lead_organisation_id
        if commitment.lead_organisation_id in allowed
        else min(allowed)
    )
    return Organisation.objects.get(pk=chosen)


def clean_evidence(links: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """Evidence links as stored: web addresses only (never ``javascript:``), titled, at most 10."""
    if len(links) > EVIDENCE_LIMIT:
        raise ValidationError({"evidence": TOO_MANY_LINKS})
    check_url = URLValidator(schemes=["http", "https"])
    cleaned = []
    for position, link in enumerate(links, start=1):
        url, title = str(link.get("url", "")).strip(), str(link.get("title", "")).strip()
        try:
            check_url(url)
        except ValidationError:
            raise ValidationError(
                {"evidence": BAD_LINK.format(position=position, url=url[:80])}
            ) from None
        if len(title) > 200:
            raise ValidationError({"evidence": LONG_LINK_TITLE.format(position=position)})
        cleaned.append({"title": title or url, "url": url})
    return cleaned


def _require_reportable(version: PlanVersion) -> None:
    if version.status == PlanStatus.CLOSED:
        closed = f"{version.closed_at:%d %B %Y}" if version.closed_at else "an earlier date"
        raise ValidationError(PLAN_CLOSED.format(version=version, closed=closed), code="closed")
    if version.status == PlanStatus.SUPERSEDED:
        raise ValidationError(PLAN_SUPERSEDED.format(version=version), code="superseded")
    if version.status != PlanStatus.PUBLISHED:
        raise ValidationError(PLAN_NOT_PUBLISHED.format(version=version), code="not_published")


def progress_update_create(
    *,
    user: UserArg,
    commitment: Commitment,
    rag: str,
    percent_complete: int,
    narrative: str,
    reported_on: date,
    evidence: Sequence[Mapping[str, str]] = (),
    organisation: Organisation | None = None,
) -> ProgressUpdate:
    """A partner's dated report on a commitment of a published, open plan."""
    require(user, "progress.create", partnership=_partnership(commitment.version))
    reporting_for = _reporting_organisation(user, commitment, organisation)
    with transaction.atomic():
        _require_reportable(_locked_version(commitment.version))
        update = ProgressUpdate(
            commitment=commitment,
            rag=rag,
            percent_complete=percent_complete,
            narrative=narrative,
            evidence=clean_evidence(evidence),
            reported_on=reported_on,
            author=_user_or_none(user),
            author_name=user.get_username() if user is not None else "system",
            organisation=reporting_for,
        )
        update.full_clean()
        update.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=update,
            after=snapshot(update, PROGRESS_FIELDS),
            source="progress_update_create",
        )
    return update


# --- Challenges ---------------------------------------------------------------------------------


def challenge_create(
    *,
    user: UserArg,
    question: str,
    commitment: Commitment | None = None,
    measure: PlanMeasure | None = None,
    organisation: Organisation | None = None,
    meeting: Meeting | None = None,
) -> Challenge:
    """A board member's challenge to the partner responsible for a commitment or measure."""
    subject = commitment or measure
    if subject is None:
        raise ValidationError("Choose the commitment or measure the challenge is about.")
    partnership = _partnership(subject.version)
    require(user, "challenge.create", partnership=partnership)
    if organisation is None and commitment is not None:
        organisation = commitment.lead_organisation
    if organisation is None:
        raise ValidationError({"organisation": CHOOSE_RESPONDENT})
    with transaction.atomic():
        challenge = Challenge(
            partnership=partnership,
            commitment=commitment,
            measure=measure,
            organisation=organisation,
            meeting=meeting,
            question=question,
            raised_by=_user_or_none(user),
            raised_by_name=user.get_username() if user is not None else "system",
        )
        challenge.full_clean()
        challenge.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=challenge,
            after=snapshot(challenge, CHALLENGE_FIELDS),
            source="challenge_create",
        )
    return challenge


def challenge_respond(
    *, user: UserArg, challenge: Challenge, expected_revision: int, response: str
) -> Challenge:
    """The challenged partner's answer (or the CPP officer's, on its behalf)."""
    require(user, "challenge.respond", partnership=challenge.partnership)
    speaks_for = _speaks_for_partnership(user, challenge.partnership)
    if not speaks_for and challenge.organisation_id not in _led_organisations(user):
        raise PermissionDenied(NOT_CHALLENGED.format(organisation=challenge.organisation))
    if not response.strip():
        raise ValidationError({"response": EMPTY_RESPONSE})
    with transaction.atomic():
        current = Challenge.objects.select_for_update().get(pk=challenge.pk)
        check_revision(current, expected=expected_revision, current=current.revision)
        if current.status == ChallengeStatus.CLOSED:
            raise ValidationError(CHALLENGE_CLOSED, code="closed")
        before = snapshot(current, CHALLENGE_FIELDS)
        current.response = response
        current.responded_by = _user_or_none(user)
        current.responded_by_name = user.get_username() if user is not None else "system"
        current.responded_at = timezone.now()
        current.status = ChallengeStatus.ANSWERED
        current.full_clean()
        current.revision += 1
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, CHALLENGE_FIELDS),
            source="challenge_respond",
        )
    return current


def challenge_close(*, user: UserArg, challenge: Challenge, expected_revision: int) -> Challenge:
    """The board is satisfied (or withdraws the question): the challenge leaves the open log."""
    require(user, "challenge.close", partnership=challenge.partnership)
    with transaction.atomic():
        current = Challenge.objects.select_for_update().get(pk=challenge.pk)
        check_revision(current, expected=expected_revision, current=current.revision)
        if current.status == ChallengeStatus.CLOSED:
            raise ValidationError(CHALLENGE_CLOSED, code="closed")
        before = snapshot(current, CHALLENGE_FIELDS)
        current.status = ChallengeStatus.CLOSED
        current.revision += 1
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, CHALLENGE_FIELDS),
            source="challenge_close",
        )
    return current
