"""Rings rewound for d3-geo: outer rings clockwise, holes anticlockwise."""

from cplan.web.geo import rewind_for_d3, signed_area

ANTICLOCKWISE = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
HOLE_CLOCKWISE = [[0.5, 0.5], [0.5, 1.5], [1.5, 1.5], [1.5, 0.5], [0.5, 0.5]]


def test_signed_area_is_positive_anticlockwise() -> None:
    assert signed_area(ANTICLOCKWISE) == 4.0
    assert signed_area(list(reversed(ANTICLOCKWISE))) == -4.0


def test_polygon_outer_ring_turns_clockwise_and_hole_anticlockwise() -> None:
    rewound = rewind_for_d3({"type": "Polygon", "coordinates": [ANTICLOCKWISE, HOLE_CLOCKWISE]})
    outer, hole = rewound["coordinates"]
    assert signed_area(outer) == -4.0
    assert signed_area(hole) == 1.0
    assert outer == list(reversed(ANTICLOCKWISE))


def test_already_wound_rings_are_kept_and_other_types_pass_through() -> None:
    clockwise = list(reversed(ANTICLOCKWISE))
    multi = {"type": "MultiPolygon", "coordinates": [[clockwise], [ANTICLOCKWISE]]}
    rewound = rewind_for_d3(multi)
    assert rewound["coordinates"][0][0] == clockwise
    assert rewound["coordinates"][1][0] == clockwise
    point = {"type": "Point", "coordinates": [1.0, 2.0]}
    assert rewind_for_d3(point) is point
