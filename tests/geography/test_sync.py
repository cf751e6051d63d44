"""The write-only-what-differs helper, and boundary rounding, on small fictional data."""

from __future__ import annotations

import pytest

from cplan.geography.models import Typology
from cplan.geography.services import round_geometry
from cplan.geography.sync import insert_rows, sync


@pytest.mark.django_db
def test_sync_creates_then_leaves_alone_then_updates_and_deletes() -> None:
    scope = Typology.objects.filter(code__startswith="test-")
    rows = [
        {"code": "test-ambridge", "name": "Ambridge groups", "source": "ours"},
        {"code": "test-borchester", "name": "Borchester groups", "source": "ours"},
    ]
    first = sync(scope, key_fields=("code",), value_fields=("name", "source"), rows=rows)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)

    again = sync(scope, key_fields=("code",), value_fields=("name", "source"), rows=rows)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 2)
    assert not again.changed

    changed = sync(
        scope,
        key_fields=("code",),
        value_fields=("name", "source"),
        rows=[{"code": "test-ambridge", "name": "Ambridge groups (revised)", "source": "ours"}],
        delete_missing=True,
    )
    assert (changed.created, changed.updated, changed.deleted) == (0, 1, 1)
    assert list(scope.values_list("code", "name")) == [
        ("test-ambridge", "Ambridge groups (revised)")
    ]


@pytest.mark.django_db
def test_sync_refuses_two_rows_with_one_key() -> None:
    rows = [{"code": "test-x", "name": "one", "source": ""}] * 2
    with pytest.raises(ValueError, match=r"two rows for the key \('test-x',\)"):
        sync(Typology.objects.all(), key_fields=("code",), value_fields=("name",), rows=rows)


@pytest.mark.django_db
def test_insert_rows_fills_defaults_the_rows_leave_out() -> None:
    insert_rows(Typology, [{"code": f"test-{n}", "name": f"Group {n}"} for n in range(3)])
    held = list(Typology.objects.filter(code__startswith="test-").values_list("name", "source"))
    assert held == [("Group 0", ""), ("Group 1", ""), ("Group 2", "")]


def test_round_geometry_rounds_drops_repeats_and_vanished_rings() -> None:
    geometry = {
        "type": "Polygon",
        "coordinates": [
            [[-3.123456, 56.1], [-3.123451, 56.1], [-3.0, 56.1], [-3.0, 56.2], [-3.123456, 56.1]],
            # A hole smaller than the rounding: it collapses to one point and is dropped.
            [[-3.05001, 56.15001], [-3.05002, 56.15002], [-3.05001, 56.15001]],
        ],
    }
    assert round_geometry(geometry, 4) == {
        "type": "MultiPolygon",
        "coordinates": [[[[-3.1235, 56.1], [-3.0, 56.1], [-3.0, 56.2], [-3.1235, 56.1]]]],
    }


def test_round_geometry_drops_a_polygon_whose_outer_ring_vanishes() -> None:
    islet = [[[-1.00001, 60.0], [-1.00002, 60.00001], [-1.00001, 60.00002], [-1.00001, 60.0]]]
    land = [[[-2.0, 59.0], [-1.5, 59.0], [-1.5, 59.5], [-2.0, 59.0]]]
    rounded = round_geometry({"type": "MultiPolygon", "coordinates": [islet, land]}, 4)
    assert rounded["coordinates"] == [land]
