"""Writing the 32 Community Planning Partnerships: one per council area, as facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from cplan.accounts.permissions import require
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.core.snapshots import (
    check_fingerprint,
    check_revision,
    fingerprint,
    snapshot,
)
from cplan.geography.models import Area, AreaLevel, Locality
from cplan.geography.sync import SyncCounts, sync
from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceMember,
    Meeting,
    Membership,
    Organisation,
    Partnership,
)


def load_partnerships(*, family_groups: Mapping[str, tuple[int, int]]) -> tuple[SyncCounts, int]:
    """One partnership per council area held (code = the council's current code, name = its
    name), with its LGBF family groups. Call inside the geography load's transaction.

    Returns the write counts and how many partnerships have family groups.
    """
    councils = Area.objects.filter(level=AreaLevel.COUNCIL_AREA).order_by("code")
    rows = []
    for council in councils:
        deprivation, density = family_groups.get(council.code, (None, None))
        rows.append(
            {
                "code": council.code,
                "name": council.name,
                "slug": slugify(council.name),
                "council_area_id": council.pk,
                "deprivation_family_group": deprivation,
                "density_family_group": density,
            }
        )
    counts = sync(
        Partnership.objects.all(),
        key_fields=("code",),
        value_fields=(
            "name",
            "slug",
            "council_area_id",
            "deprivation_family_group",
            "density_family_group",
        ),
        rows=rows,
    )
    with_groups = sum(1 for row in rows if row["deprivation_family_group"] is not None)
    return counts, with_groups


# Organisations, memberships and governance (issue 5). Every write checks permission, validates
# the whole object, runs in a transaction and is recorded in the change history.

ORGANISATION_FIELDS = ("name", "type", "is_statutory_partner", "website")
MEMBERSHIP_FIELDS = ("partnership", "organisation", "joined", "left")
BODY_FIELDS = ("partnership", "kind", "name", "remit", "reports_to", "locality")
MEMBER_FIELDS = ("body", "organisation", "person", "role")
MEETING_FIELDS = ("body", "date", "title")
ORGANISATION_EXISTS = "An organisation called {name} already exists: add it as a member instead."
ALREADY_MEMBER = "{organisation} is already a member of {partnership}."
LEFT_BEFORE_JOINED = "The leaving date ({left}) is before the joining date ({joined})."

User_ = User | AnonymousUser | None


def _unique_slug(model: type[models.Model], name: str, **scope: object) -> str:
    base = slugify(name)[:180] or "item"
    slug, number = base, 1
    while model._default_manager.filter(slug=slug, **scope).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def organisation_create(
    *,
    user: User_,
    partnership: Partnership,
    name: str,
    type: str,
    is_statutory_partner: bool = False,
    website: str = "",
    joined: dt.date | None = None,
) -> Organisation:
    """A new organisation, made a member of ``partnership``."""
    require(user, "organisation.edit", partnership=partnership)
    with transaction.atomic():
        if Organisation.objects.filter(name__iexact=name.strip()).exists():
            raise ValidationError({"name": ORGANISATION_EXISTS.format(name=name.strip())})
        organisation = Organisation(
            name=name.strip(),
            slug=_unique_slug(Organisation, name),
            type=type,
            is_statutory_partner=is_statutory_partner,
            website=website,
        )
        organisation.full_clean()
        organisation.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=organisation,
            after=snapshot(organisation, ORGANISATION_FIELDS),
            source="organisation_create",
        )
        membership_add(user=user, partnership=partnership, organisation=organisation, joined=joined)
    return organisation


def organisation_fingerprint(organisation: Organisation) -> str:
    return fingerprint(snapshot(organisation, ORGANISATION_FIELDS))


def organisation_update(
    *,
    user: User_,
    organisation: Organisation,
    expected_fingerprint: str,
    name: str,
    type: str,
    is_statutory_partner: bool,
    website: str,
) -> Organisation:
    """Change an organisation. It may serve several partnerships, so the user must be allowed to
    edit organisations in every one of them (a national administrator is)."""
    partnerships: list[Partnership | None] = list(organisation.partnerships.all())
    for partnership in partnerships or [None]:
        require(user, "organisation.edit", partnership=partnership)
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(current, ORGANISATION_FIELDS)
        check_fingerprint(current, expected=expected_fingerprint, current=fingerprint(before))
        current.name, current.type = name.strip(), type
        current.is_statutory_partner, current.website = is_statutory_partner, website
        current.full_clean()
        current.save()
        after = snapshot(current, ORGANISATION_FIELDS)
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=after,
            source="organisation_update",
        )
    return current


def membership_add(
    *,
    user: User_,
    partnership: Partnership,
    organisation: Organisation,
    joined: dt.date | None = None,
) -> Membership:
    require(user, "organisation.edit", partnership=partnership)
    with transaction.atomic():
        if Membership.objects.filter(partnership=partnership, organisation=organisation).exists():
            raise ValidationError(
                {
                    "organisation": ALREADY_MEMBER.format(
                        organisation=organisation, partnership=partnership
                    )
                }
            )
        membership = Membership(partnership=partnership, organisation=organisation, joined=joined)
        membership.full_clean()
        membership.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=membership,
            after=snapshot(membership, MEMBERSHIP_FIELDS),
            source="membership_add",
        )
    return membership


def membership_end(*, user: User_, membership: Membership, left: dt.date) -> Membership:
    """Record that an organisation left a partnership (the row stays: history needs it)."""
    require(user, "organisation.edit", partnership=membership.partnership)
    with transaction.atomic():
        current = Membership.objects.select_for_update().get(pk=membership.pk)
        if current.joined is not None and left < current.joined:
            raise ValidationError(
                {
                    "left": LEFT_BEFORE_JOINED.format(
                        left=f"{left:%d/%m/%Y}", joined=f"{current.joined:%d/%m/%Y}"
                    )
                }
            )
        before = snapshot(current, MEMBERSHIP_FIELDS)
        current.left = left
        current.full_clean()
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, MEMBERSHIP_FIELDS),
            source="membership_end",
        )
    return current


def governance_body_create(
    *,
    user: User_,
    partnership: Partnership,
    kind: str,
    name: str,
    remit: str = "",
    reports_to: GovernanceBody | None = None,
    locality: Locality | None = None,
) -> GovernanceBody:
    require(user, "governance.edit", partnership=partnership)
    with transaction.atomic():
        body = GovernanceBody(
            partnership=partnership,
            kind=kind,
            name=name.strip(),
            slug=_unique_slug(GovernanceBody, name, partnership=partnership),
            remit=remit,
            reports_to=reports_to,
            locality=locality,
        )
        body.full_clean()
        body.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=body,
            after=snapshot(body, BODY_FIELDS),
            source="governance_body_create",
        )
    return body


def governance_body_update(
    *,
    user: User_,
    body: GovernanceBody,
    expected_revision: int,
    kind: str,
    name: str,
    remit: str,
    reports_to: GovernanceBody | None,
    locality: Locality | None,
) -> GovernanceBody:
    require(user, "governance.edit", partnership=body.partnership)
    with transaction.atomic():
        current = GovernanceBody.objects.select_for_update().get(pk=body.pk)
        check_revision(current, expected=expected_revision, current=current.revision)
        before = snapshot(current, BODY_FIELDS)
        current.kind, current.name, current.remit = kind, name.strip(), remit
        current.reports_to, current.locality = reports_to, locality
        current.full_clean()
        current.revision += 1
        current.save()
        change_record(
            user=user,
            action=ChangeAction.UPDATE,
            obj=current,
            before=before,
            after=snapshot(current, BODY_FIELDS),
            source="governance_body_update",
        )
    return current


def governance_member_add(
    *,
    user: User_,
    body: GovernanceBody,
    organisation: Organisation,
    role: str,
    person: str = "",
) -> GovernanceMember:
    require(user, "governance.edit", partnership=body.partnership)
    with transaction.atomic():
        member = GovernanceMember(body=body, organisation=organisation, role=role, person=person)
        member.full_clean()
        member.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=member,
            after=snapshot(member, MEMBER_FIELDS),
            source="governance_member_add",
        )
    return member


def governance_member_remove(*, user: User_, member: GovernanceMember) -> None:
    require(user, "governance.edit", partnership=member.body.partnership)
    with transaction.atomic():
        before = snapshot(member, MEMBER_FIELDS)
        change_record(
            user=user,
            action=ChangeAction.DELETE,
            obj=member,
            before=before,
            source="governance_member_remove",
        )
        member.delete()


def meeting_create(*, user: User_, body: GovernanceBody, date: dt.date, title: str = "") -> Meeting:
    require(user, "governance.edit", partnership=body.partnership)
    with transaction.atomic():
        meeting = Meeting(body=body, date=date, title=title.strip())
        meeting.full_clean()
        meeting.save()
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=meeting,
            after=snapshot(meeting, MEETING_FIELDS),
            source="meeting_create",
        )
    return meeting
