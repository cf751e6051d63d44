"""Which body a name in an audit file means, from the documented table ``data/addressees.csv``.

A body is an organisation (by slug), one partnership (by its council area code) or all 32
partnerships. Nothing here special-cases a name: a new body is a new row in the table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from cplan.audit.models import AddresseeKind
from cplan.audit.rules import UNKNOWN_BODY, RuleError, normalise_name
from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.partnerships.models import Organisation, OrganisationType, Partnership

ADDRESSEE_TABLE = Path(__file__).parent / "data" / "addressees.csv"
ALL_PARTNERSHIPS_KEY = ""


@dataclass(frozen=True, order=True)
class BodyRef:
    """A body named in a file: ``kind`` and its key (organisation slug, partnership code, '')."""

    kind: str
    key: str = ALL_PARTNERSHIPS_KEY

    @classmethod
    def all_partnerships(cls) -> BodyRef:
        return cls(AddresseeKind.ALL_PARTNERSHIPS)

    @classmethod
    def of(cls, body: Partnership | Organisation) -> BodyRef:
        if isinstance(body, Partnership):
            return cls(AddresseeKind.PARTNERSHIP, body.code)
        return cls(AddresseeKind.ORGANISATION, body.slug)


@dataclass(frozen=True)
class TableRow:
    name: str
    target: str
    organisation_slug: str
    organisation_name: str
    organisation_type: str

    @property
    def ref(self) -> BodyRef:
        if self.target == AddresseeKind.ALL_PARTNERSHIPS:
            return BodyRef.all_partnerships()
        return BodyRef(AddresseeKind.ORGANISATION, self.organisation_slug)


@cache
def addressee_table(path: Path = ADDRESSEE_TABLE) -> tuple[TableRow, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = tuple(TableRow(**row) for row in csv.DictReader(handle))
    for row in rows:
        if row.target not in {AddresseeKind.ORGANISATION, AddresseeKind.ALL_PARTNERSHIPS}:
            raise ValueError(f"{path}: {row.name!r} has unknown target {row.target!r}")
        if row.target == AddresseeKind.ORGANISATION and (
            row.organisation_type not in OrganisationType.values or not row.organisation_slug
        ):
            raise ValueError(f"{path}: {row.name!r} needs an organisation slug and a known type")
    return rows


def canonical_name(ref: BodyRef) -> str:
    """The name export writes: the table's first name for the body, else its slug or code."""
    for row in addressee_table():
        if row.ref == ref:
            return row.name
    return ref.key


class BodyResolver:
    """Resolves names in a file against the table and the platform's partnerships/organisations."""

    def __init__(
        self, *, partnership_codes: Iterable[str], organisation_slugs: Iterable[str]
    ) -> None:
        self._by_name: Mapping[str, BodyRef] = {
            normalise_name(row.name): row.ref for row in addressee_table()
        }
        self._partnership_codes = {code.upper() for code in partnership_codes}
        self._organisation_slugs = set(organisation_slugs)

    def resolve(self, name: str) -> BodyRef:
        ref = self._by_name.get(normalise_name(name))
        if ref is not None:
            return ref
        cleaned = name.strip()
        if cleaned.upper() in self._partnership_codes:
            return BodyRef(AddresseeKind.PARTNERSHIP, cleaned.upper())
        if cleaned in self._organisation_slugs:
            return BodyRef(AddresseeKind.ORGANISATION, cleaned)
        raise RuleError(UNKNOWN_BODY)


def table_organisations_ensure(
    slugs: Iterable[str], *, user: User | AnonymousUser | None, actor: str, source: str
) -> dict[str, Organisation]:
    """The organisations the table defines with these slugs, created (and recorded) if missing;
    an existing organisation with the slug is used as it is. Idempotent."""
    wanted = set(slugs)
    definitions = {
        row.organisation_slug: row
        for row in reversed(addressee_table())
        if row.target == AddresseeKind.ORGANISATION and row.organisation_slug in wanted
    }
    found = {o.slug: o for o in Organisation.objects.filter(slug__in=wanted)}
    with transaction.atomic():
        for slug, row in definitions.items():
            if slug not in found:
                organisation = Organisation.objects.create(
                    slug=slug, name=row.organisation_name, type=row.organisation_type
                )
                change_record(
                    user=user,
                    action=ChangeAction.CREATE,
                    obj=organisation,
                    after={"name": organisation.name, "type": organisation.type},
                    source=source,
                    actor=actor,
                )
                found[slug] = organisation
    return found
