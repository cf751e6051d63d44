"""CSV downloads of the figures behind each chart: the same numbers, at full precision, with the
kind (observed, imputed, projected, synthetic), period and source of every value."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from cplan.web.communities import CommunitiesPage, CommunityProfile
from cplan.web.national import NationalPicture, NationalRow
from cplan.web.outcomes_profile import MeasureProfile, OutcomesProfile

SUMMARY_COLUMNS = (
    "area_code",
    "area_name",
    "measure_code",
    "measure",
    "unit",
    "polarity",
    "period",
    "kind",
    "value",
    "scotland",
    "family_group",
    "family_mean",
    "family_rank",
    "family_size",
    "rank",
    "areas_ranked",
    "baseline_period",
    "direction",
    "improvement_rate_percent",
    "scotland_improvement_rate_percent",
    "family_improvement_rate_percent",
    "traffic_light_against_scotland",
    "traffic_light_against_family",
    "source",
)
TREND_COLUMNS = (
    "area_code",
    "area_name",
    "measure_code",
    "measure",
    "unit",
    "period",
    "kind",
    "value",
    "scotland",
    "family_group",
    "family_mean",
    "source",
)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return response


def summary_rows(profile: OutcomesProfile) -> list[list[object]]:
    return [
        [
            profile.code,
            profile.name,
            m.code,
            m.name,
            m.unit,
            m.polarity_label,
            m.latest_period,
            m.latest_kind,
            m.value,
            m.scotland,
            profile.family_group,
            m.family_mean,
            m.family_rank,
            m.family_size,
            m.rank,
            m.n_ranked,
            m.baseline_period,
            m.direction,
            m.improvement_rate,
            m.scotland_improvement_rate,
            m.family_improvement_rate,
            m.light_scotland,
            m.light_family,
            m.source,
        ]
        for m in profile.measures
    ]


def trend_rows(profile: OutcomesProfile, measure: MeasureProfile) -> list[list[object]]:
    return [
        [
            profile.code,
            profile.name,
            measure.code,
            measure.name,
            measure.unit,
            point.period,
            point.kind,
            point.value,
            point.scotland,
            profile.family_group,
            point.family_mean,
            measure.source,
        ]
        for point in measure.trend
    ]


COMMUNITY_COLUMNS = (
    "area_code",
    "area_name",
    "community_code",
    "community",
    "typology_group",
    "latest_year",
    "combined_score_in_cpp",
    "outcome_rank_in_cpp",
    "combined_score_against_typology_group",
    "improvement_from",
    "combined_improvement_score_in_cpp",
    "improvement_rank_in_cpp",
    "poorest_outcomes",
    "least_improvement",
    "measures_worse_than_expected_for_deprivation",
    "income_deprived_percent",
    "income_deprived_period",
)


def community_rows(page: CommunitiesPage) -> list[list[object]]:
    return [
        [
            page.code,
            page.name,
            row.code,
            row.name,
            row.typology_group,
            page.latest_year,
            row.combined_score,
            row.outcome_rank,
            row.combined_type_score,
            page.first_year,
            row.improvement_score,
            row.improvement_rank,
            row.poorest_outcomes,
            row.least_improvement,
            row.worse_than_expected,
            row.income_deprived,
            page.income_period,
        ]
        for row in page.rows
    ]


COMMUNITY_PROFILE_COLUMNS = (
    "community_code",
    "community",
    "area_code",
    "typology_group",
    "measure_code",
    "measure",
    "unit",
    "period",
    "kind",
    "value",
    "typology_group_average",
    "cpp_average",
    "source",
)


def community_profile_rows(profile: CommunityProfile) -> list[list[object]]:
    return [
        [
            profile.code,
            profile.name,
            profile.cpp_code,
            profile.typology_group,
            measure.info.code,
            measure.info.label,
            measure.info.unit,
            point.period,
            point.kind,
            point.value,
            point.type_average,
            point.cpp_average,
            measure.info.source,
        ]
        for measure in profile.measures
        for point in measure.trend
    ]


NATIONAL_COLUMNS = (
    "area_code",
    "area_name",
    "family_group",
    "measure_code",
    "measure",
    "unit",
    "polarity",
    "baseline_period",
    "period",
    "kind",
    "value",
    "rank",
    "improvement_rate_percent_polarity_adjusted",
    "improvement_rank",
    "annual_pace_polarity_adjusted",
    "pace_rank",
    "scotland",
    "source",
)


def national_rows(picture: NationalPicture, rows: Sequence[NationalRow]) -> list[list[object]]:
    return [
        [
            row.code,
            row.name,
            row.family_group,
            measure.code,
            measure.name,
            measure.unit,
            "higher is better" if measure.higher_is_better else "lower is better",
            measure.baseline_period,
            measure.latest_period,
            measure.latest_kind,
            cell.value,
            cell.rank,
            cell.improvement,
            cell.improvement_rank,
            cell.pace,
            cell.pace_rank,
            measure.scotland,
            measure.source,
        ]
        for row in rows
        for measure, cell in zip(picture.measures, row.cells, strict=True)
    ]
