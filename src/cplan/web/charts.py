"""Vega-Lite specifications, built as plain dictionaries.

The same specification is rendered in the browser by vega-embed (from our static files) and can be
rendered offline to SVG/PNG by vl-convert for reports: pass the data inline (``boundaries=``) for
that, or a URL (``boundaries_url=``) so the browser can cache the boundaries between pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
