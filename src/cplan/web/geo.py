"""Boundary geometry as the browser's map renderer needs it.

GeoJSON (RFC 7946) winds outer rings anticlockwise; d3-geo, inside Vega, reads rings on the sphere
and takes an anticlockwise outer ring to mean "everything except this area", which paints the
whole map one colour. So rings are rewound for Vega: outer rings clockwise, holes anticlockwise,
whatever order the stored boundary has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Ring = Sequence[Sequence[float]]


def signed_area(ring: Ring) -> float:
    """Shoelace area in planar lon/lat: positive when the ring runs anticlockwise."""
    points = np.asarray(ring, dtype=float)[:, :2]
    x, y = points[:, 0], points[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2.0


def _wound(ring: Ring, *, clockwise: bool) -> list[Any]:
    is_clockwise = signed_area(ring) < 0
    return list(ring) if is_clockwise == clockwise else list(reversed(ring))


def _polygon(rings: Sequence[Ring]) -> list[list[Any]]:
    return [_wound(ring, clockwise=index == 0) for index, ring in enumerate(rings)]


def rewind_for_d3(geometry: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Polygon or MultiPolygon with d3-geo's ring order; other types unchanged."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    return geometry
