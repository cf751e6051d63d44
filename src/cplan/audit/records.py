"""Small shared pieces of audit writes: history snapshots and a recommendation's addressees and
dimensions (used by the services and the import writer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import models

from cplan.audit import rules
from cplan.audit.bodies import BodyRef
from cplan.audit.models import (
    Addressee,
    AddresseeKind,
    Recommendation,
    RecommendationDimension,
)
from cplan.partnerships.models import Organisation, Partnership

Body = Partnership | Organisation


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON data for the change history: dates as ISO text, rows as their ids,
    numbers as plain decimal text."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.date):
            result[name] = value.isoformat()
        elif isinstance(value, models.Model):
            result[name] = value.pk
        elif isinstance(value, Decimal):
            result[name] = rules.number_text(value)
        else:
            result[name] = value
    return result


def snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    return jsonable({name: getattr(obj, name) for name in fields})


def addressee_refs(recommendation: Recommendation) -> frozenset[BodyRef]:
    refs = set()
    for addressee in recommendation.addressees.select_related("organisation", "partnership"):
        if addressee.kind == AddresseeKind.ALL_PARTNERSHIPS:
            refs.add(BodyRef.all_partnerships())
        else:
            refs.add(BodyRef.of(addressee.organisation or addressee.partnership))  # type: ignore[arg-type]  # the check constraint sets one
    return frozenset(refs)


def is_body_addressed(recommendation: Recommendation, body: Body) -> bool:
    refs = addressee_refs(recommendation)
    ref = BodyRef.of(body)
    return ref in refs or (isinstance(body, Partnership) and BodyRef.all_partnerships() in refs)


def addressees_set(recommendation: Recommendation, refs: Sequence[BodyRef]) -> bool:
    """Replace the addressees with ``refs`` (in order); False when they were already so."""
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=[r.key for r in refs if r.kind == AddresseeKind.ORGANISATION]
        )
    }
    partnerships = {
        p.code: p
        for p in Partnership.objects.filter(
            code__in=[r.key for r in refs if r.kind == AddresseeKind.PARTNERSHIP]
        )
    }
    wanted = [
        (
            ref.kind,
            organisations.get(ref.key) if ref.kind == AddresseeKind.ORGANISATION else None,
            partnerships.get(ref.key) if ref.kind == AddresseeKind.PARTNERSHIP else None,
        )
        for ref in refs
    ]
    current = [
        (a.kind, a.organisation, a.partnership)
        for a in recommendation.addressees.select_related("organisation", "partnership")
    ]
    if current == wanted:
        return False
    recommendation.addressees.all().delete()
    Addressee.objects.bulk_create(
        Addressee(
            recommendation=recommendation,
            position=position,
            kind=kind,
            organisation=organisation,
            partnership=partnership,
        )
        for position, (kind, organisation, partnership) in enumerate(wanted, start=1)
    )
    return True


def dimensions_set(recommendation: Recommendation, dimensions: Sequence[str]) -> bool:
    current = set(recommendation.dimensions.values_list("dimension", flat=True))
    if current == set(dimensions):
        return False
    recommendation.dimensions.all().delete()
    RecommendationDimension.objects.bulk_create(
        RecommendationDimension(recommendation=recommendation, dimension=dimension)
        for dimension in dimensions
    )
    return True
