"""Thin views: a selector reads, a chart builder shapes, a template renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cplan.partnerships.models import Partnership
from cplan.web import charts, downloads, readings, selectors
from cplan.web.outcomes_profile import MeasureProfile, OutcomesProfile, outcomes_profile_cached


@require_safe
def scotland(request: HttpRequest) -> HttpResponse:
    page = selectors.scotland_page()
    map_spec = (
        charts.council_area_choropleth(
            page.measure, boundaries_url=reverse("web:council-area-boundaries")
        )
        if page.measure is not None and page.boundaries
        else None
    )
    return render(request, "web/scotland.html", {"page": page, "map_spec": map_spec})


@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    edition = selectors.deprivation_edition_current()
    return render(
        request,
        "web/partnership_list.html",
        {
            "edition": edition,
            "partnerships": selectors.partnership_list(edition=edition),
        },
    )


@require_safe
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    cpp = get_object_or_404(Partnership.objects.select_related("council_area"), slug=slug)
    page = selectors.partnership_page(partnership=cpp)
    quintile_reading = readings.quintile_reading(page.name, [q.share for q in page.quintiles])
    quintile_spec = (
        charts.quintile_bars(page.quintiles, description=quintile_reading)
        if page.population
        else None
    )
    return render(
        request,
        "web/partnership.html",
        {"page": page, "quintile_reading": quintile_reading, "quintile_spec": quintile_spec},
    )


@require_safe
def data(request: HttpRequest) -> HttpResponse:
    return render(request, "web/data.html", {"page": selectors.data_page()})


@require_safe
@cache_control(public=True, max_age=600)
def council_area_boundaries(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(selectors.council_area_boundaries())
    response["Content-Type"] = "application/geo+json"
    return response


@dataclass(frozen=True)
class MeasureSection:
    """One measure of the outcomes profile as the page shows it."""

    measure: MeasureProfile
    spec: dict[str, Any]
    spec_id: str
    csv_url: str


def _profile(slug: str) -> OutcomesProfile:
    cpp = get_object_or_404(Partnership, slug=slug)
    return outcomes_profile_cached(partnership=cpp)


@require_safe
def partnership_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(slug)
    measures = profile.measures
    summary = readings.profile_reading(
        area=profile.name,
        baseline=measures[0].baseline_period if measures else "",
        latest=measures[0].latest_period if measures else "",
        directions=[m.direction for m in measures],
        lights=[m.light_scotland for m in measures],
    )
    sections = [
        MeasureSection(
            measure=m,
            spec=charts.trend_chart(m, area=profile.name, description=m.change_reading),
            spec_id=f"trend-{m.code}-spec",
            csv_url=reverse("web:partnership-measure-csv", args=[profile.slug, m.code]),
        )
        for m in measures
    ]
    spine = charts.spine_chart(profile, description=summary) if measures else None
    return render(
        request,
        "web/partnership_outcomes.html",
        {"profile": profile, "summary": summary, "spine_spec": spine, "sections": sections},
    )


@require_safe
def partnership_outcomes_csv(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _profile(slug)
    return downloads.csv_response(
        f"{profile.slug}-outcomes.csv",
        downloads.SUMMARY_COLUMNS,
        downloads.summary_rows(profile),
    )


@require_safe
def partnership_measure_csv(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    profile = _profile(slug)
    measure = profile.measure(code)
    if measure is None:
        raise Http404(f"{profile.name} has no outcome measure {code!r}")
    return downloads.csv_response(
        f"{profile.slug}-{measure.code}.csv",
        downloads.TREND_COLUMNS,
        downloads.trend_rows(profile, measure),
    )
