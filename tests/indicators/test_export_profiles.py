"""``cplan export-profiles``: CPOP's community scores, change scores and Duncan index reproduced from the
real files imported through the platform's importer, and inequality by SIMD quintile for every CPP."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cplan.demo.services import synthetic_csv
from cplan.geography.models import TypologyMembership
from cplan.indicators.layouts import ImportOptions
from cplan.indicators.mappings import cpp_name_codes
from cplan.indicators.services import catalogue_load, observations_import
from tests.geography.factories import DataZoneFactory, IntermediateZoneFactory
from tests.outcomes.published.cpop import PUBLISHED

TOLERANCE = 1e-9
SCOTLAND = "S92000003"
COUNCIL_AREAS = 32
SYNTHETIC_MEASURES = {
    "Child Poverty",
    "Out of Work Benefits",
    "Crime Rate",
    "Emergency Admissions",
    "Early Mortality",
    "Participation Rate",
}
# Two of the twelve synthetic years keep the import short; every year imported must be exported.
SYNTHETIC_YEARS = ("2010/11", "2021/22")


def _import(data: bytes, file_name: str, options: ImportOptions) -> None:
    report = observations_import(data=data, file_name=file_name, options=options, actor="test")
    assert report.ok, report.errors[:5]


@pytest.fixture(scope="module")
def exported(
    real_geography_committed: Path,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """Import CPOP's community file and part of the demo's synthetic data-zone series, export, and
    roll the database back: the tests read the CSV files only. (The tests still ask for ``db`` so
    that pytest-django creates the test database when only they are selected.)"""
    data_dir = real_geography_committed
    out = tmp_path_factory.mktemp("profiles")
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        catalogue_load(outcomes_path=data_dir / "npf_national_outcomes_2018.csv", actor="test")
        iz = data_dir / "cpop" / "iz_outcomes.csv"
        _import(iz.read_bytes(), iz.name, ImportOptions())
        synthetic = pd.read_csv(io.BytesIO(synthetic_csv(data_dir)))
        synthetic = synthetic[synthetic["period"].isin(SYNTHETIC_YEARS)]
        _import(
            synthetic.to_csv(index=False).encode(),
            "synthetic.csv",
            ImportOptions(layout="template"),
        )
        call_command("indicators_export_profiles", str(out), stdout=io.StringIO())
        transaction.set_rollback(True)
    return out


@pytest.fixture
def community(exported: Path, real_geography: Path, db: None) -> pd.DataFrame:
    return pd.read_csv(exported / "community_scores.csv")


@pytest.fixture
def change(exported: Path, real_geography: Path, db: None) -> pd.DataFrame:
    return pd.read_csv(exported / "change_scores.csv")


@pytest.fixture
def inequality(exported: Path, real_geography: Path, db: None) -> pd.DataFrame:
    return pd.read_csv(exported / "inequality.csv")


def _largest_differences(joined: pd.DataFrame, columns: list[str]) -> dict[str, float]:
    return {
        column: float((joined[f"{column}_published"] - joined[column]).abs().max())
        for column in columns
    }


def test_community_scores_equal_cpops_published_scores(community: pd.DataFrame) -> None:
    published = pd.read_csv(PUBLISHED / "igz_latest_321ef4c.csv")
    latest = community[community["Year"] == "2021/22"]
    joined = published.merge(
        latest, on=["InterZone", "Indicator"], suffixes=("_published", ""), validate="1:1"
    )

    assert len(joined) == len(published) == 448
    differences = _largest_differences(joined, ["CPPScore", "TypeScore"])
    assert max(differences.values()) < TOLERANCE, differences


def test_community_scores_cover_every_community_measure_and_year(
    community: pd.DataFrame,
) -> None:
    # 1,279 communities × 8 measures × 15 years (2010/11-2021/22 and CPOP's three projections).
    assert len(community) == 1279 * 8 * 15
    assert community["CPP"].nunique() == COUNCIL_AREAS
    assert set(community["Kind"]) == {"observed", "imputed", "projected"}
    # Combined scores are the sum over the 8 measures, the same on each of a community's rows.
    culter = community[(community["InterZone"] == "S02001236") & (community["Year"] == "2021/22")]
    assert culter["CombinedCPPScore"].nunique() == 1
    assert culter["CombinedCPPScore"].iloc[0] == pytest.approx(culter["CPPScore"].sum(), abs=1e-12)


def test_change_scores_equal_cpops_published_change_scores(change: pd.DataFrame) -> None:
    published = pd.read_csv(PUBLISHED / "igz_change_711c8ee.csv")
    joined = published.merge(
        change, on=["InterZone", "Indicator"], suffixes=("_published", ""), validate="1:1"
    )

    assert len(joined) == len(published) == 198
    assert set(change["FirstYear"]) == {"2010/11"}
    assert set(change["LastYear"]) == {"2021/22"}  # the last year that is not a projection
    columns = ["Change", "OverallZScore", "CPPChangeScore", "TypeChangeScore"]
    differences = _largest_differences(joined, columns)
    assert max(differences.values()) < TOLERANCE, differences
    # CPOP publishes NA where a value is zero; so do we, with the reason.
    gaps = joined[joined["Change_published"].isna()]
    assert len(gaps) == 2
    assert gaps["Change"].isna().all()
    assert set(gaps["Status"]) == {"missing value"}


def test_duncan_index_equals_cpops_published_values(exported: Path, db: None) -> None:
    exported_index = pd.read_csv(exported / "duncan_index.csv")
    published = pd.read_csv(PUBLISHED / "duncan_index_sep23.csv")
    columns = {
        "crime": "Crime Rate",
        "CP": "Child Poverty",
        "Attain": "Attainment",
        "PD": "Participation Rate",
        "EA": "Emergency Admissions",
        "Depop": "Depopulation",
        "EM": "Early Mortality",
    }
    long = published.melt(
        id_vars=["year", "la"], value_vars=list(columns), var_name="column", value_name="published"
    )
    long["measure"] = long["column"].map(columns)
    long["council_area_code"] = long["la"].map(cpp_name_codes())
    reproducible = long[long["year"] != 2009]  # CPOP's 2009 inputs are not in the data set

    joined = reproducible.merge(
        exported_index, on=["year", "council_area_code", "measure"], validate="1:1"
    )

    assert len(joined) == len(reproducible) == 12 * COUNCIL_AREAS * 7
    assert (joined["status"] == "ok").all()
    assert (joined["published"] - joined["value"]).abs().max() < TOLERANCE


def test_inequality_for_every_cpp_synthetic_measure_and_year(inequality: pd.DataFrame) -> None:
    cpps = inequality[inequality["area_code"] != SCOTLAND]
    for quintile_type in ("national", "local"):
        rows = cpps[cpps["quintile_type"] == quintile_type]
        keys = set(zip(rows["area_code"], rows["measure"], rows["period"], strict=True))
        assert len(keys) == len(rows) == COUNCIL_AREAS * len(SYNTHETIC_MEASURES) * 2
    assert set(cpps["measure"]) == SYNTHETIC_MEASURES
    assert set(cpps["period"]) == set(SYNTHETIC_YEARS)
    assert set(inequality["kind"]) == {"synthetic"}
    assert inequality["complete"].all()
    # Every CPP has all five local quintiles; only the islands lack a national quintile.
    assert (cpps.loc[cpps["quintile_type"] == "local", "status"] == "ok").all()
    insufficient = cpps[cpps["status"] != "ok"]
    assert set(insufficient["area_name"]) <= {
        "Na h-Eileanan Siar",
        "Orkney Islands",
        "Shetland Islands",
    }
    assert insufficient[["sii", "rii", "par"]].isna().all().all()
    scotland = inequality[inequality["area_code"] == SCOTLAND]
    assert len(scotland) == len(SYNTHETIC_MEASURES) * 2
    assert set(scotland["quintile_type"]) == {"national"}


def test_sii_has_the_sign_of_the_quintile_gap(inequality: pd.DataFrame) -> None:
    modelled = inequality[inequality["status"] == "ok"]
    scotland = modelled[modelled["area_code"] == SCOTLAND].set_index("measure")
    # Nationally the gap is wide and the sign fixed: more child poverty in the most deprived
    # quintile (SII > 0), lower participation in education, training or work (SII < 0).
    assert np.array_equal(np.sign(scotland["sii"]), np.sign(scotland["absolute_range"]))
    assert (scotland.loc["Child Poverty", "sii"] > 0).all()
    assert (scotland.loc["Participation Rate", "sii"] < 0).all()
    # Within a CPP a non-monotone gradient can tilt the line against a narrow gap; where the gap
    # is clear (over a quarter of the overall rate) the signs agree.
    clear = modelled[modelled["absolute_range"].abs() > 0.25 * modelled["overall_rate"]]
    assert len(clear) > 0.5 * len(modelled)
    assert np.array_equal(np.sign(clear["sii"]), np.sign(clear["absolute_range"]))
    # The confidence interval contains the SII.
    assert (
        (modelled["sii_lower"] <= modelled["sii"]) & (modelled["sii"] <= modelled["sii_upper"])
    ).all()


def test_nothing_loaded_is_a_clear_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no CPOP community values are loaded"):
        call_command("indicators_export_profiles", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_community_values_without_their_typology_is_a_clear_error(db: None, tmp_path: Path) -> None:
    catalogue_load(actor="test")
    TypologyMembership.objects.filter(typology__code="cpop").delete()  # if the real one is loaded
    zone = IntermediateZoneFactory(code="S02900001")
    DataZoneFactory(code="S01900001", parent=zone)
    rows = "InterZone,Indicator,Type,Year,value\nS02900001,Child Poverty,Raw data,2021/22,12.5\n"
    _import(rows.encode(), "iz_outcomes.csv", ImportOptions())

    with pytest.raises(CommandError, match="CPOP community typology"):
        call_command("indicators_export_profiles", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
