"""Demo plans: ``plans_demo_load()`` builds illustrative LOIPs for three partnerships from
``data/demo_plans.json`` — organisations, governance, a plan with priorities, outcomes linked to
NPF outcomes, measures on the real CPOP indicators, commitments, progress updates, board meetings
and challenges — and a demo user for each role.

Everything goes through the services (so the rules apply and the history shows who did what) and is
idempotent: a partnership whose demo plan exists is left alone. It needs the geography (with the
NPF outcomes), the indicator catalogue and CPOP's CPP file loaded first (``cplan demo`` does that).
Plan content is labelled as demonstration; measure status is computed from the real data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from cplan.accounts.models import Role
from cplan.accounts.services import role_assign
from cplan.frameworks.models import NationalOutcome
from cplan.indicators.models import Breakdown, Indicator, Observation
from cplan.partnerships import services as partnership_services
from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceBodyKind,
    Meeting,
    Membership,
    Organisation,
    Partnership,
)
from cplan.plans import services
from cplan.plans.models import Commitment, Plan, PlanStatus, PlanVersion

DEMO_PLANS = Path(__file__).parent / "data" / "demo_plans.json"
# The published demo login's password (cplan.demo uses the same for its national administrator).
DEMO_PASSWORD = "community-planning-demo"  # noqa: S105 - a published demo login, local use only
ADMIN_USERNAME = "demo-plans-admin"
AUDITOR_USERNAME = "demo-auditor"


class PlansDemoError(RuntimeError):
    """The demo plans could not be built; the message says what is missing."""


@dataclass
class PlansDemoReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def plans_demo_load(*, path: Path = DEMO_PLANS) -> PlansDemoReport:
    """Build the demo plans (idempotent). Returns what was created and the demo user names."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    report = PlansDemoReport()
    with transaction.atomic():
        admin = _demo_user(ADMIN_USERNAME, "Demo", "Administrator", Role.NATIONAL_ADMIN)
        _demo_user(AUDITOR_USERNAME, "Demo", "Auditor", Role.AUDITOR)
        report.users += [ADMIN_USERNAME, AUDITOR_USERNAME]
        for entry in spec["partnerships"]:
            loader = _PartnershipLoader(entry, spec, admin)
            report.users += loader.users()
            if loader.plan_exists():
                report.skipped.append(loader.partnership.name)
                continue
            loader.load()
            report.created.append(loader.partnership.name)
    return report


def _demo_user(username: str, first: str, last: str, role: Role, **scope: Any) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    role_assign(actor=None, user=user, role=role, source="plans_demo_load", **scope)
    return user


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class _PartnershipLoader:
    def __init__(self, entry: dict[str, Any], spec: dict[str, Any], admin: User) -> None:
        self.entry, self.spec, self.admin = entry, spec, admin
        partnership = Partnership.objects.filter(code=entry["code"]).first()
        if partnership is None:
            raise PlansDemoError(
                f"no partnership with council area code {entry['code']}: load the geography first"
            )
        self.partnership = partnership
        self.key = entry["key"]
        self.organisations = self._organisations()
        self.officer = self._user("officer", "Community planning", "officer", Role.CPP_OFFICER)
        self.board_member = self._user("board", "Board", "member", Role.BOARD_MEMBER)
        self.leads = {
            role: _demo_user(
                f"{self.key}-{role}-lead",
                self.organisations[role].name,
                "lead",
                Role.PARTNER_LEAD,
                organisation=self.organisations[role],
            )
            for role in ("council", "nhs")
        }

    def users(self) -> list[str]:
        return [self.officer.username, self.board_member.username] + [
            user.username for user in self.leads.values()
        ]

    def _user(self, suffix: str, first: str, last: str, role: Role) -> User:
        return _demo_user(
            f"{self.key}-{suffix}",
            first,
            f"{last}, {self.partnership}",
            role,
            partnership=self.partnership,
        )

    def plan_exists(self) -> bool:
        return Plan.objects.filter(
            partnership=self.partnership, versions__title=self.entry["plan"]["title"]
        ).exists()

    # --- organisations and governance ---------------------------------------------------------

    def _organisations(self) -> dict[str, Organisation]:
        """Slug (and "council"/"nhs") → organisation, each a member of the partnership."""
        found: dict[str, Organisation] = {}
        shared = {o["slug"]: o for o in self.spec["shared_organisations"]}
        wanted = [*self.entry["organisations"], *(shared[slug] for slug in self.entry["shared"])]
        for item in wanted:
            organisation = self._member(item)
            found[item["slug"]] = organisation
            if "role" in item:
                found[item["role"]] = organisation
        return found

    def _member(self, item: dict[str, Any]) -> Organisation:
        organisation = Organisation.objects.filter(
            Q(slug=item["slug"]) | Q(name__iexact=item["name"])
        ).first()
        if organisation is None:
            organisation = partnership_services.organisation_create(
                user=self.admin,
                partnership=self.partnership,
                name=item["name"],
                type=item["type"],
                is_statutory_partner=item["statutory"],
            )
            if organisation.slug != item["slug"]:
                organisation.slug = item["slug"]
                organisation.save(update_fields=["slug"])
        elif not Membership.objects.filter(
            partnership=self.partnership, organisation=organisation
        ).exists():
            partnership_services.membership_add(
                user=self.admin, partnership=self.partnership, organisation=organisation
            )
        return organisation

    def _governance(self) -> dict[str, GovernanceBody]:
        board = GovernanceBody.objects.filter(
            partnership=self.partnership, kind=GovernanceBodyKind.BOARD
        ).first() or partnership_services.governance_body_create(
            user=self.officer,
            partnership=self.partnership,
            kind=GovernanceBodyKind.BOARD,
            name=f"{self.partnership} Community Planning Partnership Board",
            remit="Agrees the partnership's priorities and plan, holds partners to account for "
            "their commitments and scrutinises performance (demonstration).",
        )
        if not board.members.exists():
            for organisation in {o.pk: o for o in self.organisations.values()}.values():
                partnership_services.governance_member_add(
                    user=self.officer,
                    body=board,
                    organisation=organisation,
                    role="chair" if organisation == self.organisations["council"] else "member",
                )
        for meeting_date in self.spec["meetings"]:
            if not Meeting.objects.filter(body=board, date=_date(meeting_date)).exists():
                partnership_services.meeting_create(
                    user=self.officer, body=board, date=_date(meeting_date), title=""
                )
        return {"board": board}

    def _group(self, name: str, board: GovernanceBody) -> GovernanceBody:
        existing = GovernanceBody.objects.filter(partnership=self.partnership, name=name).first()
        return existing or partnership_services.governance_body_create(
            user=self.officer,
            partnership=self.partnership,
            kind=GovernanceBodyKind.THEMATIC_GROUP,
            name=name,
            remit="Leads delivery of one priority and reports to the board (demonstration).",
            reports_to=board,
        )

    # --- the plan -----------------------------------------------------------------------------

    def load(self) -> None:
        bodies = self._governance()
        plan_spec = self.entry["plan"]
        version = services.plan_create(
            user=self.officer,
            partnership=self.partnership,
            kind="loip",
            title=plan_spec["title"],
            summary=plan_spec["summary"],
            period_start=_date(plan_spec["period"][0]),
            period_end=_date(plan_spec["period"][1]),
        )
        for priority_spec in plan_spec["priorities"]:
            group = self._group(priority_spec["group"], bodies["board"])
            self._priority(version, priority_spec, {**bodies, "group": group})
        version = self._publish(version)
        if "revision" in plan_spec:
            version = self._publish(self._revise(version, plan_spec["revision"]))
        self._progress(version, plan_spec)
        self._challenges(version, plan_spec.get("challenges", []), bodies["board"])
        if "draft_revision" in plan_spec:
            self._revise(version, plan_spec["draft_revision"])

    def _priority(
        self, version: PlanVersion, spec: dict[str, Any], bodies: dict[str, GovernanceBody]
    ) -> None:
        priority = services.priority_create(user=self.officer, version=version, title=spec["title"])
        for outcome_spec in spec["outcomes"]:
            outcome = services.outcome_create(
                user=self.officer,
                priority=priority,
                title=outcome_spec["title"],
                national_outcomes=list(
                    NationalOutcome.objects.filter(code__in=outcome_spec["national"])
                ),
            )
            for measure_spec in outcome_spec["measures"]:
                baseline = self._baseline(measure_spec)
                services.measure_create(
                    user=self.officer,
                    outcome=outcome,
                    indicator=baseline.indicator,
                    area=self.partnership.council_area,
                    baseline_period=measure_spec["baseline"],
                    baseline_value=round(baseline.value or 0.0, 2),
                    target_value=round((baseline.value or 0.0) * (1 + measure_spec["change"]), 1),
                    target_year=measure_spec["target_year"],
                )
        for commitment_spec in spec["commitments"]:
            services.commitment_create(
                user=self.officer,
                priority=priority,
                title=commitment_spec["title"],
                lead_organisation=self.organisations[commitment_spec["lead"]],
                contributors=[self.organisations[c] for c in commitment_spec["contributors"]],
                start_date=_date(commitment_spec["start"]),
                due_date=_date(commitment_spec["due"]),
                preventative=commitment_spec["preventative"],
            )
        for function, parties in spec["responsibilities"].items():
            for party in parties:
                body = bodies.get(party)
                services.responsibility_add(
                    user=self.officer,
                    priority=priority,
                    function=function,
                    body=body,
                    organisation=None if body else self.organisations[party],
                )

    def _baseline(self, spec: dict[str, Any]) -> Observation:
        observation = (
            Observation.objects.filter(
                indicator__code=spec["indicator"],
                area=self.partnership.council_area,
                period=spec["baseline"],
                breakdown__key=Breakdown.TOTAL_KEY,
                value__isnull=False,
            )
            .select_related("indicator")
            .first()
        )
        if observation is None:
            known = Indicator.objects.filter(code=spec["indicator"]).exists()
            what = "no observation" if known else "no indicator"
            raise PlansDemoError(
                f"{what} {spec['indicator']} for {self.partnership} in {spec['baseline']}: load "
                "the indicator catalogue and CPOP's cpp_outcomes.csv first (cplan demo)"
            )
        return observation

    def _publish(self, version: PlanVersion) -> PlanVersion:
        version = services.plan_version_transition(
            user=self.board_member,
            version=version,
            expected_revision=version.revision,
            transition="approve",
        )
        return services.plan_version_transition(
            user=self.officer,
            version=version,
            expected_revision=version.revision,
            transition="publish",
        )

    def _revise(self, published: PlanVersion, spec: dict[str, Any]) -> PlanVersion:
        draft = services.plan_version_new(user=self.officer, plan=published.plan)
        draft = services.plan_version_update(
            user=self.officer,
            version=draft,
            expected_revision=draft.revision,
            title=draft.title,
            summary=spec["summary"],
            period_start=draft.period_start,
            period_end=draft.period_end,
        )
        for measure in draft.measures.select_related("indicator", "outcome", "area"):
            change = spec["change_targets"].get(measure.indicator.code)
            if change is None or measure.baseline_value is None:
                continue
            services.measure_update(
                user=self.officer,
                measure=measure,
                expected_revision=measure.revision,
                outcome=measure.outcome,
                indicator=measure.indicator,
                baseline_period=measure.baseline_period,
                target_value=round(measure.baseline_value * (1 + change), 1),
                target_year=measure.target_year,
                area=measure.area,
                locality=None,
                breakdown=measure.breakdown,
                baseline_value=measure.baseline_value,
                trajectory=measure.trajectory,
                note=measure.note,
                position=measure.position,
            )
        return draft

    def _reporter(self, commitment: Commitment) -> User:
        for role, user in self.leads.items():
            if commitment.lead_organisation == self.organisations[role]:
                return user
        return self.officer  # the officer reports for partners without a demo login

    def _progress(self, version: PlanVersion, plan_spec: dict[str, Any]) -> None:
        specs = {c["title"]: c for p in plan_spec["priorities"] for c in p["commitments"]}
        for commitment in version.commitments.select_related("lead_organisation"):
            for reported_on, rag, percent, narrative in specs[commitment.title]["updates"]:
                services.progress_update_create(
                    user=self._reporter(commitment),
                    commitment=commitment,
                    rag=rag,
                    percent_complete=percent,
                    narrative=narrative,
                    reported_on=_date(reported_on),
                )

    def _challenges(
        self, version: PlanVersion, specs: list[dict[str, Any]], board: GovernanceBody
    ) -> None:
        for spec in specs:
            commitment = version.commitments.get(title=spec["commitment"])
            challenge = services.challenge_create(
                user=self.board_member,
                commitment=commitment,
                question=spec["question"],
                meeting=Meeting.objects.filter(body=board, date=_date(spec["meeting"])).first(),
            )
            if spec["response"]:
                services.challenge_respond(
                    user=self._reporter(commitment),
                    challenge=challenge,
                    expected_revision=challenge.revision,
                    response=spec["response"],
                )


def published_demo_versions() -> list[PlanVersion]:
    """The demo's published plans (for checks and the lead's demo summary)."""
    titles = [p["plan"]["title"] for p in json.loads(DEMO_PLANS.read_text())["partnerships"]]
    return list(PlanVersion.objects.filter(title__in=titles, status=PlanStatus.PUBLISHED))
