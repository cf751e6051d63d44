"""The indicator catalogue: loading it (idempotent, either order with the geography loader), its
checks, and its agreement with the published CPOP files."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from cplan.frameworks.models import NationalOutcome
from cplan.indicators import mappings
from cplan.indicators.catalogue import CATALOGUE_FILE, CatalogueError, read_catalogue
from cplan.indicators.models import Indicator, Polarity
from cplan.indicators.services import catalogue_load

OUTCOMES = {
    "CYP": "Children and Young People",
    "COM": "Communities",
    "CUL": "Culture",
    "ECO": "Economy",
    "EDU": "Education",
    "ENV": "Environment",
    "FWB": "Fair Work and Business",
    "HEA": "Health",
    "HUR": "Human Rights",
    "INT": "International",
    "POV": "Poverty",
}


@pytest.fixture
def outcomes_file(tmp_path: Path) -> Path:
    path = tmp_path / "npf_national_outcomes_2018.csv"
    path.write_text("code,national_outcome\n" + "".join(f"{c},{n}\n" for c, n in OUTCOMES.items()))
    return path


def test_catalogue_loads_every_entry_once(db: None, outcomes_file: Path) -> None:
    first = catalogue_load(outcomes_path=outcomes_file, actor="test")
    second = catalogue_load(outcomes_path=outcomes_file, actor="test")

    assert len(first.created) == 51
    assert (second.created, second.updated, second.unchanged) == ([], [], 51)
    assert sorted(first.outcomes_created) == [
        "COM",
        "CYP",
        "ECO",
        "EDU",
        "ENV",
        "FWB",
        "HEA",
        "HUR",
        "POV",
    ]
    assert Indicator.objects.filter(is_core=True).count() == 33
    child_poverty = Indicator.objects.get(code="cpop-cpp-child-poverty")
    assert sorted(child_poverty.national_outcomes.values_list("code", flat=True)) == ["CYP", "POV"]
    assert child_poverty.geography_levels == ["country", "council_area"]


def test_outcomes_already_loaded_are_linked_not_recreated(db: None, tmp_path: Path) -> None:
    for code, name in OUTCOMES.items():
        NationalOutcome.objects.create(code=code, name=name)

    report = catalogue_load(outcomes_path=tmp_path / "absent.csv", actor="test")

    assert report.outcomes_created == []
    assert NationalOutcome.objects.count() == 11
    assert Indicator.objects.get(code="earnings").national_outcomes.count() == 3


def test_an_outcome_nowhere_to_be_found_is_an_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="national outcome code"):
        catalogue_load(outcomes_path=tmp_path / "absent.csv", actor="test")
    assert Indicator.objects.count() == 0


def test_a_changed_entry_is_updated(db: None, outcomes_file: Path, tmp_path: Path) -> None:
    catalogue_load(outcomes_path=outcomes_file, actor="test")
    edited = tmp_path / "catalogue.csv"
    edited.write_text(
        CATALOGUE_FILE.read_text().replace("Weekly earnings,", "Gross weekly earnings,")
    )

    report = catalogue_load(catalogue_path=edited, outcomes_path=outcomes_file, actor="test")

    assert (report.updated, report.unchanged) == (["earnings"], 50)
    assert Indicator.objects.get(code="earnings").name == "Gross weekly earnings"


def test_a_bad_value_names_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.csv"
    bad.write_text(CATALOGUE_FILE.read_text().replace(",lower_is_better,", ",lower_better,", 1))

    with pytest.raises(CatalogueError, match=r"line \d+, polarity 'lower_better': must be one of"):
        read_catalogue(bad)


def test_every_cpop_measure_maps_to_a_catalogue_entry() -> None:
    codes = {entry.code for entry in read_catalogue()}
    for layout, count in [("cpop-cpp", 20), ("cpop-iz", 8), ("cpop-dz", 5)]:
        mapped = mappings.cpop_measure_codes(layout)
        assert len(mapped) == count
        assert set(mapped.values()) <= codes


def test_catalogue_text_fits_the_model() -> None:
    for entry in read_catalogue():
        assert len(entry.name) <= 300
        assert len(entry.source) <= 300
        assert len(entry.unit_label) <= 60


# ---- agreement with the published files -------------------------------------------------------


@pytest.mark.realdata
def test_cpp_definitions_are_cpops(real_data_dir: Path) -> None:
    metadata = pd.read_csv(real_data_dir / "cpop" / "measures_metadata.csv")
    published = dict(
        zip(
            metadata["Indicator"].str.replace("Average Highest ", ""),
            metadata["Definition"].str.strip(),
            strict=True,
        )
    )
    entries = {entry.code: entry for entry in read_catalogue()}
    names = mappings.cpop_measure_codes("cpop-cpp")
    compared = 0
    for name, code in names.items():
        if name in published:
            assert entries[code].definition == published[name], name
            compared += 1
    assert compared == 18  # the file has no row for Participation Rate or Depopulation


@pytest.mark.realdata
def test_community_polarity_is_cpops_except_depopulation(real_data_dir: Path) -> None:
    polarity = pd.read_csv(real_data_dir / "cpop" / "iz_measures_polarity.csv")
    entries = {entry.code: entry for entry in read_catalogue()}
    names = mappings.cpop_measure_codes("cpop-iz")
    for name, high_is_positive in zip(
        polarity["Indicator"], polarity["high_is_positive"], strict=True
    ):
        expected = (
            Polarity.HIGHER_IS_BETTER if high_is_positive == "Yes" else Polarity.LOWER_IS_BETTER
        )
        if name == "Depopulation":  # cpop/SOURCES.md: a high depopulation index is bad
            expected = Polarity.LOWER_IS_BETTER
        assert entries[names[name]].polarity == expected, name


@pytest.mark.realdata
def test_partnership_names_table_matches_council_codes(real_data_dir: Path) -> None:
    councils = pd.read_csv(real_data_dir / "council_areas.csv")
    table = mappings.cpp_name_codes()
    council_codes = set(councils["LA_Code"])
    assert set(table.values()) == council_codes | {"S92000003"}
    for code, name in zip(councils["LA_Code"], councils["LA_Name"], strict=True):
        assert table[name] == code
    for file_name in ["cpp_outcomes.csv", "datazone_outcomes_latest.csv"]:
        names = set(pd.read_csv(real_data_dir / "cpop" / file_name, usecols=["CPP"])["CPP"])
        assert names <= set(table), file_name


@pytest.mark.realdata
def test_measure_names_are_those_cpop_publishes(real_data_dir: Path) -> None:
    cpp = set(
        pd.read_csv(real_data_dir / "cpop" / "cpp_outcomes.csv", usecols=["Indicator"])["Indicator"]
    )
    iz = set(
        pd.read_csv(real_data_dir / "cpop" / "iz_outcomes.csv", usecols=["Indicator"])["Indicator"]
    )
    with (real_data_dir / "cpop" / "datazone_outcomes_latest.csv").open() as handle:
        dz = set(next(csv.reader(handle))[3:])
    assert set(mappings.cpop_measure_codes("cpop-cpp")) == cpp
    assert set(mappings.cpop_measure_codes("cpop-iz")) == iz
    assert set(mappings.cpop_measure_codes("cpop-dz")) == dz
