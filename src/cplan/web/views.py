"""Thin views: a selector reads, a chart builder shapes, a template renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cplan.geography.models import Area, AreaLevel
from cplan.indicators.profiles import ProfileDataError
from cplan.partnerships.models import Partnership
from cplan.web import charts, communities, downloads, inequality, national, readings, selectors
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


def _community_tables() -> tuple[communities.CommunityTables | None, str]:
    """The national community tables, or ``None`` and why when they cannot be computed."""
    try:
        return communities.community_tables_cached(), ""
    except ProfileDataError as error:
        return None, str(error)


def _communities_page(request: HttpRequest, slug: str) -> tuple[Partnership, Any, str]:
    cpp = get_object_or_404(Partnership, slug=slug)
    tables, problem = _community_tables()
    page = (
        communities.communities_page(
            tables,
            code=cpp.code,
            name=cpp.name,
            slug=cpp.slug,
            sort=request.GET.get("sort", ""),
            flag=request.GET.get("flag", ""),
        )
        if tables is not None
        else None
    )
    return cpp, page, problem


@require_safe
def partnership_communities(request: HttpRequest, slug: str) -> HttpResponse:
    cpp, page, problem = _communities_page(request, slug)
    return render(
        request,
        "web/partnership_communities.html",
        {
            "partnership": cpp,
            "page": page,
            "problem": problem,
            "sorts": communities.SORTS,
            "flags": communities.FLAGS,
        },
    )


@require_safe
def partnership_communities_csv(request: HttpRequest, slug: str) -> HttpResponse:
    cpp, page, problem = _communities_page(request, slug)
    if page is None:
        raise Http404(problem)
    return downloads.csv_response(
        f"{cpp.slug}-communities.csv",
        downloads.COMMUNITY_COLUMNS,
        downloads.community_rows(page),
    )


def _community_profile(code: str) -> communities.CommunityProfile:
    zone = get_object_or_404(
        Area.objects.select_related("council_area__partnership"),
        code=code,
        level=AreaLevel.INTERMEDIATE_ZONE,
    )
    council = zone.council_area
    partnership = getattr(council, "partnership", None) if council is not None else None
    tables, problem = _community_tables()
    if tables is None or council is None or partnership is None:
        raise Http404(problem or f"{zone.name} belongs to no Community Planning Partnership")
    profile = communities.community_profile(
        tables, code=zone.code, name=zone.name, cpp_name=partnership.name, cpp_slug=partnership.slug
    )
    if profile is None:
        raise Http404(f"no community figures are loaded for {zone.name} ({zone.code})")
    return profile


@dataclass(frozen=True)
class CommunitySection:
    """One measure of a community profile as the page shows it."""

    measure: communities.CommunityMeasure
    reading: str
    spec: dict[str, Any]
    spec_id: str


@require_safe
def community(request: HttpRequest, code: str) -> HttpResponse:
    profile = _community_profile(code)
    sections = []
    for m in profile.measures:
        reading = readings.community_measure_reading(
            community=profile.name,
            area=profile.cpp_name,
            measure=m.info.label,
            period=profile.latest_year,
            unit=m.info.unit,
            value=m.value,
            similar=m.type_average,
            area_average=m.cpp_average,
            higher_is_better=m.info.higher_is_better,
        )
        spec = charts.community_trend_chart(
            m, community=profile.name, cpp=profile.cpp_name, description=reading
        )
        sections.append(CommunitySection(m, reading, spec, f"trend-{m.info.code}-spec"))
    return render(
        request,
        "web/community.html",
        {
            "profile": profile,
            "sections": sections,
            "charts": any(m.trend for m in profile.measures),
        },
    )


@require_safe
def community_csv(request: HttpRequest, code: str) -> HttpResponse:
    profile = _community_profile(code)
    return downloads.csv_response(
        f"{profile.code}-community.csv",
        downloads.COMMUNITY_PROFILE_COLUMNS,
        downloads.community_profile_rows(profile),
    )


@require_safe
def partnership_inequality(request: HttpRequest, slug: str) -> HttpResponse:
    cpp = get_object_or_404(Partnership, slug=slug)
    page = inequality.inequality_page_cached(code=cpp.code, name=cpp.name, slug=cpp.slug)
    return render(request, "web/partnership_inequality.html", {"partnership": cpp, "page": page})


def _family_filter(
    request: HttpRequest, picture: national.NationalPicture
) -> tuple[int | None, str]:
    """The family group chosen in the GET form, or ``None`` for all; and why it was refused."""
    raw = request.GET.get("family", "").strip()
    if not raw:
        return None, ""
    if raw.isdigit() and int(raw) in picture.family_groups:
        return int(raw), ""
    choices = ", ".join(str(g) for g in picture.family_groups)
    return None, f"Family group {raw!r} is not one of the family groups ({choices}); showing all."


@require_safe
def national_picture(request: HttpRequest) -> HttpResponse:
    picture = national.national_picture_cached()
    family, problem = _family_filter(request, picture)
    return render(
        request,
        "web/national.html",
        {
            "picture": picture,
            "rows": picture.in_family(family),
            "family": family,
            "problem": problem,
        },
        status=400 if problem else 200,
    )


@require_safe
def national_picture_csv(request: HttpRequest) -> HttpResponse:
    picture = national.national_picture_cached()
    family, problem = _family_filter(request, picture)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    suffix = f"-family-{family}" if family is not None else ""
    return downloads.csv_response(
        f"national-picture{suffix}.csv",
        downloads.NATIONAL_COLUMNS,
        downloads.national_rows(picture, picture.in_family(family)),
    )
