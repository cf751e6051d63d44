"""Thin views: a selector reads, a chart builder shapes, a template renders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cplan.partnerships.models import Partnership
from cplan.web import charts, readings, selectors


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
