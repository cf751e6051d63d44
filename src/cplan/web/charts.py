"""Vega-Lite specifications, built as plain dictionaries.

The same specification is rendered in the browser by vega-embed (from our static files) and can be
rendered offline to SVG/PNG by vl-convert for reports: pass the data inline (``boundaries=``) for
that, or a URL (``boundaries_url=``) so the browser can cache the boundaries between pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cplan.web.communities import CommunityMeasure
from cplan.web.outcomes_profile import MeasureProfile, OutcomesProfile
from cplan.web.readings import format_value
from cplan.web.selectors import CouncilAreaMeasure, QuintileRow

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FONT = 'Roboto, "Helvetica Neue", Helvetica, Arial, sans-serif'
TEXT_COLOUR = "#333333"
BRAND_BLUE = "#0065bd"  # the design system's brand colour
NO_DATA_GREY = "#d8d8d8"
# British National Grid is a transverse Mercator centred on 2°W; centring on 4°W keeps the
# Western Isles and Shetland in proportion at Scotland's latitudes.
SCOTLAND_PROJECTION = {"type": "transverseMercator", "rotate": [4, 0]}

Spec = dict[str, Any]


def _config() -> Spec:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelFontSize": 14},
        "legend": {
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
            "labelFontSize": 14,
            "titleFontSize": 14,
            "titleLimit": 260,
        },
    }


def _value_format(unit: str) -> str:
    """A Vega expression that shows a datum's value as the page does (one decimal place)."""
    suffix = "%" if unit == "%" else f" {unit}" if unit else ""
    return f"isValid(datum.value) ? format(datum.value, ',.1f') + '{suffix}' : 'No data'"


def _legend(unit: str) -> Spec:
    legend: Spec = {
        "orient": "top-left",
        "direction": "vertical",
        "gradientLength": 180,
        "format": ",.0f",
    }
    if unit == "%":
        legend["labelExpr"] = "datum.label + '%'"
    return legend


def council_area_choropleth(
    measure: CouncilAreaMeasure,
    *,
    boundaries_url: str | None = None,
    boundaries: Mapping[str, Any] | None = None,
    width: int | str = "container",
    height: int = 640,
) -> Spec:
    """A map of the council areas coloured by ``measure``; each area links to its CPP page."""
    if (boundaries_url is None) == (boundaries is None):
        raise ValueError("Give exactly one of boundaries_url or boundaries")
    geo: Spec = (
        {"url": boundaries_url, "format": {"type": "json", "property": "features"}}
        if boundaries_url is not None
        else {"values": list(boundaries["features"])}  # type: ignore[index]
    )
    values = [
        {"code": v.code, "name": v.name, "value": v.value, "url": v.url} for v in measure.values
    ]
    tooltip = [
        {"field": "area_name", "title": "Council area"},
        {"field": "value_text", "title": measure.value_label},
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Map of Scotland's council areas. {measure.reading}",
        "width": width,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": geo,
        "transform": [
            {
                "lookup": "properties.code",
                "from": {
                    "data": {"values": values},
                    "key": "code",
                    "fields": ["value", "url"],
                },
            },
            {"calculate": "datum.properties.name", "as": "area_name"},
            {"calculate": _value_format(measure.unit), "as": "value_text"},
            {"calculate": "datum.area_name + ': ' + datum.value_text", "as": "area_label"},
        ],
        "projection": SCOTLAND_PROJECTION,
        "layer": [
            {
                # Every area, grey: what shows where there is no value. Hidden from screen
                # readers, which read the coloured layer's labels instead.
                "mark": {
                    "type": "geoshape",
                    "fill": NO_DATA_GREY,
                    "stroke": "white",
                    "aria": False,
                },
                "encoding": {"tooltip": tooltip},
            },
            {
                "transform": [{"filter": "isValid(datum.value)"}],
                "mark": {
                    "type": "geoshape",
                    "stroke": "white",
                    "strokeWidth": 0.7,
                    "cursor": "pointer",
                },
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": measure.value_label,
                        "scale": {"scheme": {"name": "blues", "extent": [0.15, 1.0]}},
                        "legend": _legend(measure.unit),
                    },
                    "tooltip": tooltip,
                    "href": {"field": "url"},
                    "description": {"field": "area_label"},
                },
            },
        ],
        "config": _config(),
    }


def quintile_bars(
    rows: Sequence[QuintileRow], *, description: str, width: int | str = "container"
) -> Spec:
    """Horizontal bars: the share of an area's people in each national SIMD quintile.

    A dashed line marks a fifth (20%), the share each quintile would hold if the area's people
    were spread like Scotland's data zones.
    """
    values = [
        {"quintile": row.label, "share": row.share, "population": row.population} for row in rows
    ]
    y = {
        "field": "quintile",
        "type": "nominal",
        "sort": None,
        "title": "SIMD national quintile",
        "axis": {"labelLimit": 220},
    }
    x = {
        "field": "share",
        "type": "quantitative",
        "title": "% of people",
        "scale": {"domain": [0, max([25.0, *[row.share for row in rows]])]},
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": width,
        "height": {"step": 36},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "bar", "color": BRAND_BLUE},
                "encoding": {
                    "y": y,
                    "x": x,
                    "tooltip": [
                        {"field": "quintile", "title": "SIMD quintile"},
                        {"field": "share", "title": "% of people", "format": ".1f"},
                        {"field": "population", "title": "People", "format": ","},
                    ],
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "text", "align": "left", "dx": 4, "color": TEXT_COLOUR},
                "encoding": {
                    "y": y,
                    "x": x,
                    "text": {"field": "share", "type": "quantitative", "format": ".1f"},
                },
            },
            {
                "data": {"values": [{"share": 20.0}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": TEXT_COLOUR},
                "encoding": {"x": x},
            },
        ],
        "config": _config(),
    }


SCOTLAND_COLOUR = "#333333"
FAMILY_COLOUR = "#5e2a84"  # the design system's purple; 3:1 or more against white
RANGE_GREY = "#d8d8d8"
FAMILY_RANGE_GREY = "#9a9a9a"


def _spine_position(value: float | None, centre: float, half: float, sign: int) -> float | None:
    """A value's place on the spine: Scotland at 0, the CPP furthest from it at ±1, better right."""
    return None if value is None else sign * (value - centre) / half


def spine_rows(profile: OutcomesProfile) -> list[dict[str, Any]]:
    """One row per measure with its spine positions; measures without Scotland or a spread are
    left out of the chart (they stay in the table)."""
    rows = []
    for m in profile.measures:
        if m.scotland is None or m.national_min is None or m.national_max is None:
            continue
        half = max(abs(m.national_max - m.scotland), abs(m.national_min - m.scotland))
        if half == 0:
            continue
        sign = 1 if m.higher_is_better else -1
        ends = [
            _spine_position(m.national_min, m.scotland, half, sign),
            _spine_position(m.national_max, m.scotland, half, sign),
        ]
        family = [_spine_position(v, m.scotland, half, sign) for v in (m.family_min, m.family_max)]
        rows.append(
            {
                "measure": m.name,
                "value": _spine_position(m.value, m.scotland, half, sign),
                "family_mean": _spine_position(m.family_mean, m.scotland, half, sign),
                "worst": min(e for e in ends if e is not None),
                "best": max(e for e in ends if e is not None),
                "family_low": min((f for f in family if f is not None), default=None),
                "family_high": max((f for f in family if f is not None), default=None),
                "value_text": _text(m.value, m.unit),
                "scotland_text": _text(m.scotland, m.unit),
                "family_text": _text(m.family_mean, m.unit),
                "period": m.latest_period,
            }
        )
    return rows


def _text(value: float | None, unit: str) -> str:
    return format_value(value, unit) if value is not None else "No data"


def spine_chart(
    profile: OutcomesProfile, *, description: str, width: int | str = "container"
) -> Spec:
    """PHE-style spine chart: every measure against Scotland (the centre line), better to the right.

    Light grey spans all CPPs, dark grey the family group; the dot is the CPP, the purple tick the
    family-group mean. Positions are scaled per measure, so the chart compares standing, not values.
    """
    values = spine_rows(profile)
    y = {
        "field": "measure",
        "type": "nominal",
        "sort": None,
        "title": None,
        "axis": {"labelLimit": 320},
    }
    x_scale = {"domain": [-1.05, 1.05]}
    tooltip = [
        {"field": "measure", "title": "Measure"},
        {"field": "period", "title": "Period"},
        {"field": "value_text", "title": profile.name},
        {"field": "scotland_text", "title": "Scotland"},
        {"field": "family_text", "title": "Similar partnerships (average)"},
    ]
    x_axis = {
        "field": "worst",
        "type": "quantitative",
        "scale": x_scale,
        "axis": {"labels": False, "ticks": False, "grid": False},
        "title": "← worse than Scotland · Scotland · better than Scotland →",
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": width,
        "height": {"step": 30},
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": RANGE_GREY, "height": 14, "aria": False},
                "encoding": {"y": y, "x": x_axis, "x2": {"field": "best"}},
            },
            {
                "transform": [{"filter": "isValid(datum.family_low)"}],
                "mark": {"type": "bar", "color": FAMILY_RANGE_GREY, "height": 14, "aria": False},
                "encoding": {
                    "y": y,
                    "x": {"field": "family_low", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "family_high"},
                },
            },
            {
                "data": {"values": [{"centre": 0}]},
                "mark": {"type": "rule", "color": SCOTLAND_COLOUR, "strokeWidth": 2},
                "encoding": {"x": {"field": "centre", "type": "quantitative", "scale": x_scale}},
            },
            {
                "transform": [{"filter": "isValid(datum.family_mean)"}],
                "mark": {"type": "tick", "color": FAMILY_COLOUR, "thickness": 3, "size": 22},
                "encoding": {
                    "y": y,
                    "x": {"field": "family_mean", "type": "quantitative", "scale": x_scale},
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "isValid(datum.value)"}],
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 140,
                    "color": BRAND_BLUE,
                    "stroke": "white",
                    "strokeWidth": 1,
                },
                "encoding": {
                    "y": y,
                    "x": {"field": "value", "type": "quantitative", "scale": x_scale},
                    "tooltip": tooltip,
                    "description": {"field": "value_text"},
                },
            },
        ],
        "config": _config(),
    }


def trend_rows(measure: MeasureProfile, *, area: str) -> list[dict[str, Any]]:
    """The trend in long form: one row per series and period, with the kind of each value."""
    series = ((area, "value"), ("Scotland", "scotland"), ("Similar partnerships", "family_mean"))
    return [
        {
            "series": name,
            "period": point.period,
            "value": getattr(point, field),
            "kind": point.kind_label,
        }
        for point in measure.trend
        for name, field in series
        if getattr(point, field) is not None
    ]


def trend_chart(
    measure: MeasureProfile, *, area: str, description: str, width: int | str = "container"
) -> Spec:
    """Lines for the CPP, Scotland and the family mean; the point shape says observed, imputed or
    projected, and projected periods are shaded."""
    return _trend_spec(
        trend_rows(measure, area=area),
        series=(area, "Scotland", "Similar partnerships"),
        unit=measure.unit,
        projected=sorted({p.period for p in measure.trend if p.kind == "projected"}),
        description=description,
        width=width,
    )


def community_trend_rows(measure: CommunityMeasure, *, community: str, cpp: str) -> list[Spec]:
    """A community's trend in long form, with its typology group's and its CPP's averages."""
    series = (
        (community, "value"),
        ("Similar communities", "type_average"),
        (f"{cpp} communities", "cpp_average"),
    )
    return [
        {
            "series": name,
            "period": point.period,
            "value": getattr(point, field),
            "kind": point.kind_label,
        }
        for point in measure.trend
        for name, field in series
        if getattr(point, field) is not None
    ]


def community_trend_chart(
    measure: CommunityMeasure, *, community: str, cpp: str, description: str
) -> Spec:
    """Lines for a community, the average of similar communities and of its CPP's communities."""
    return _trend_spec(
        community_trend_rows(measure, community=community, cpp=cpp),
        series=(community, "Similar communities", f"{cpp} communities"),
        unit=measure.info.unit,
        projected=sorted({p.period for p in measure.trend if p.kind == "projected"}),
        description=description,
        width="container",
    )


def _trend_spec(
    rows: list[Spec],
    *,
    series: tuple[str, str, str],
    unit: str,
    projected: list[str],
    description: str,
    width: int | str,
) -> Spec:
    x = {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}}
    colour = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "scale": {
            "domain": list(series),
            "range": [BRAND_BLUE, SCOTLAND_COLOUR, FAMILY_COLOUR],
        },
        "legend": {"orient": "top"},
    }
    y = {
        "field": "value",
        "type": "quantitative",
        "title": unit,
        "scale": {"zero": False},
    }
    layers: list[Spec] = []
    if projected:
        layers.append(
            {
                "data": {"values": [{"period": p} for p in projected]},
                "mark": {"type": "rect", "color": "#ebebeb", "aria": False},
                "encoding": {"x": x},
            }
        )
    layers += [
        {
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {"x": x, "y": y, "color": colour},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 50},
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "title": "Figure",
                    "scale": {
                        "domain": ["Observed", "Imputed", "Projected"],
                        "range": ["circle", "triangle-up", "square"],
                    },
                    "legend": {"orient": "top"},
                },
                "tooltip": [
                    {"field": "series", "title": "Area"},
                    {"field": "period", "title": "Period"},
                    {"field": "value", "title": unit, "format": ",.1f"},
                    {"field": "kind", "title": "Figure"},
                ],
            },
        },
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": width,
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "layer": layers,
        "config": _config(),
    }
