"""Every statistics.gov.scot extract in ``timeseries/`` and the CPOP files import, with the counts
their published rows imply, onto the real geography; importing again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cplan.indicators.layouts import ImportOptions
from cplan.indicators.models import Observation
from cplan.indicators.services import ImportReport, catalogue_load, observations_import

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

# file, options, rows published, observations, rows skipped by area type
FILES = [
    (
        "timeseries/ca_average_household_size.csv",
        {"indicator": "average-household-size"},
        627,
        627,
        {},
    ),
    # Count and rate per 10,000 adults of the same row → one observation with its numerator
    ("timeseries/ca_business_demography.csv", {"indicator": "business-demography"}, 1852, 926, {}),
    (
        "timeseries/ca_cancer_registrations.csv",
        {"indicator": "cancer-registrations"},
        6909,
        6909,
        {},
    ),
    # Percent with its two confidence limits → one observation
    (
        "timeseries/ca_children_families_limited_resources.csv",
        {"indicator": "children-limited-resources"},
        414,
        138,
        {},
    ),
    (
        "timeseries/ca_derelict_urban_vacant_land.csv",
        {"indicator": "derelict-urban-vacant-land", "skip_area_types": ("S21",)},
        1206,
        1188,
        {"S21": 18},
    ),
    # Mean and Median → the Measurement breakdown
    ("timeseries/ca_earnings.csv", {"indicator": "earnings"}, 21748, 21748, {}),
    ("timeseries/ca_energy_consumption.csv", {"indicator": "energy-consumption"}, 15131, 15131, {}),
    ("timeseries/ca_gender_pay_gap.csv", {"indicator": "gender-pay-gap"}, 1732, 1732, {}),
    ("timeseries/ca_gp_list_size.csv", {"indicator": "gp-list-size"}, 611, 611, {}),
    (
        "timeseries/ca_healthy_life_expectancy.csv",
        {"indicator": "healthy-life-expectancy"},
        282,
        282,
        {},
    ),
    ("timeseries/ca_hmo_licences.csv", {"indicator": "hmo-licences"}, 627, 627, {}),
    ("timeseries/ca_municipal_waste.csv", {"indicator": "municipal-waste"}, 1023, 1023, {}),
    ("timeseries/ca_neet_16_19.csv", {"indicator": "neet-16-19"}, 512, 256, {}),
    ("timeseries/ca_reconvictions.csv", {"indicator": "reconvictions"}, 6916, 6916, {}),
    ("timeseries/ca_road_casualties.csv", {"indicator": "road-casualties"}, 17034, 17034, {}),
    (
        "timeseries/ca_road_transport_expenditure.csv",
        {"indicator": "road-transport-expenditure"},
        427,
        427,
        {},
    ),
    ("timeseries/ca_travel_to_work.csv", {"indicator": "travel-to-work"}, 4633, 4633, {}),
    (
        "timeseries/population_estimates_2001_2019.csv",
        {"indicator": "population", "skip_area_types": ("S16",)},
        66614,
        63840,
        {"S16": 2774},
    ),
    # 6,976 data zones × 2 sexes, 19 year columns
    (
        "timeseries/population_estimates_dz_2001_2019_wide.csv",
        {"indicator": "population"},
        13952,
        265088,
        {},
    ),
    ("cpop/cpp_outcomes.csv", {}, 8811, 8811, {}),
    ("cpop/iz_outcomes.csv", {}, 153480, 153480, {}),
    # 6,976 data zones × 5 measures
    ("cpop/datazone_outcomes_latest.csv", {"period": "2021/22"}, 6976, 34880, {}),
]


@pytest.fixture
def catalogue(real_geography: Path, db: None) -> Path:
    catalogue_load(outcomes_path=real_geography / "npf_national_outcomes_2018.csv", actor="test")
    return real_geography


def run(data_dir: Path, name: str, options: dict[str, object], force: bool = False) -> ImportReport:
    return observations_import(
        data=(data_dir / name).read_bytes(),
        file_name=Path(name).name,
        options=ImportOptions(**options),  # type: ignore[arg-type]
        actor="test-suite",
        force=force,
    )


@pytest.mark.parametrize(
    ("name", "options", "rows", "observations", "skipped"), FILES, ids=[f[0] for f in FILES]
)
def test_real_file_imports_whole_and_once(
    catalogue: Path,
    name: str,
    options: dict[str, object],
    rows: int,
    observations: int,
    skipped: dict[str, int],
) -> None:
    report = run(catalogue, name, options)

    assert report.ok, report.errors[:5]
    assert (report.rows_read, report.created, report.skipped_by_area_type) == (
        rows,
        observations,
        skipped,
    )
    assert Observation.objects.filter(import_run_id=report.run_id).count() == observations
    before = Observation.objects.count()
    again = run(catalogue, name, options)
    assert again.same_as_run_id == report.run_id
    assert Observation.objects.count() == before


@pytest.mark.parametrize(
    "name", ["timeseries/ca_children_families_limited_resources.csv", "cpop/cpp_outcomes.csv"]
)
def test_forced_reimport_of_a_real_file_leaves_every_row_unchanged(
    catalogue: Path, name: str
) -> None:
    options = dict(next(f[1] for f in FILES if f[0] == name))
    first = run(catalogue, name, options)

    again = run(catalogue, name, options, force=True)

    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


def test_published_figures_land_where_they_belong(catalogue: Path) -> None:
    run(
        catalogue,
        "timeseries/ca_children_families_limited_resources.csv",
        {"indicator": "children-limited-resources"},
    )
    run(
        catalogue,
        "timeseries/ca_road_transport_expenditure.csv",
        {"indicator": "road-transport-expenditure"},
    )
    run(catalogue, "cpop/cpp_outcomes.csv", {})

    most_deprived = Observation.objects.get(
        indicator__code="children-limited-resources",
        area__code="S92000003",
        breakdown__key="Housing Costs=Before Housing Costs|SIMD quintiles=1 - most deprived",
    )
    assert most_deprived.breakdown.simd_quintile == 1
    assert most_deprived.upper_ci == 40.8
    assert most_deprived.lower_ci < most_deprived.value < most_deprived.upper_ci
    # Filed under North Lanarkshire's former code S12000044: lands on S12000050.
    assert Observation.objects.filter(
        indicator__code="road-transport-expenditure", area__code="S12000050"
    ).exists()
    aberdeen = Observation.objects.get(
        indicator__code="cpop-cpp-healthy-birthweight", area__code="S12000033", period="2010/11"
    )
    assert aberdeen.value == pytest.approx(90.08333333333331)
    gap = Observation.objects.get(
        indicator__code="cpop-cpp-p1-bmi", area__code="S12000018", period="2010/11"
    )
    assert gap.value is None  # published as NA
    kinds = set(
        Observation.objects.filter(indicator__code__startswith="cpop-cpp").values_list(
            "kind", flat=True
        )
    )
    assert kinds == {"observed", "imputed", "projected"}
