"""Bad input: each case gets a clear error naming file, line, field, value and rule, and the
database is left exactly as it was.

Each test builds a data directory of links to the real files with one file replaced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from cplan.core.models import ChangeRecord
from cplan.geography import services
from cplan.geography.importers import LoadError
from cplan.geography.models import Area, Deprivation, Population
from cplan.geography.services import geography_load
from cplan.indicators.models import Observation
from cplan.partnerships.models import Partnership

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def mirror(source: Path, target: Path) -> Path:
    """``target`` with a link to every file of ``source``, keeping its folders."""
    for path in source.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(source)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    return target


def replace_text(data_dir: Path, name: str, change: Callable[[str], str]) -> None:
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    path.unlink()
    path.write_text(change(text), encoding="utf-8")


def snapshot() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "deprivation": Deprivation.objects.count(),
        "population": Population.objects.count(),
        "observations": Observation.objects.count(),
        "partnerships": Partnership.objects.count(),
        "history": ChangeRecord.objects.count(),
    }


@pytest.fixture
def bad_dir(real_data_dir: Path, tmp_path: Path) -> Path:
    return mirror(real_data_dir, tmp_path / "data")


def load_fails(data_dir: Path) -> str:
    """Load, expecting a LoadError that changed nothing; returns its message."""
    before = snapshot()
    with pytest.raises(LoadError) as caught:
        geography_load(data_dir=data_dir, actor="test-suite")
    assert snapshot() == before
    return str(caught.value)


def test_a_missing_file(bad_dir: Path) -> None:
    (bad_dir / "geography" / "datazones_simd2016.csv").unlink()
    message = load_fails(bad_dir)
    assert "geography/datazones_simd2016.csv: file not found in the data directory" in message


def test_a_missing_column(bad_dir: Path) -> None:
    path = bad_dir / "datazone2011_lookup.csv"
    lookup = pd.read_csv(path, dtype=str)
    path.unlink()
    lookup.drop(columns=["LA_Code"]).to_csv(path, index=False)
    message = load_fails(bad_dir)
    assert "datazone2011_lookup.csv line 1, field LA_Code: required column is missing" in message


def test_a_misnamed_column(bad_dir: Path) -> None:
    replace_text(
        bad_dir,
        "timeseries/population_estimates_dz_2001_2019_wide.csv",
        lambda text: text.replace("FeatureCode,", "Feature Code,", 1),
    )
    message = load_fails(bad_dir)
    assert (
        "timeseries/population_estimates_dz_2001_2019_wide.csv line 1, field FeatureCode: "
        "required column is missing (the header has: Feature Code, FeatureName, Sex, 2001"
    ) in message


def test_a_data_zone_with_an_unknown_intermediate_zone(bad_dir: Path) -> None:
    # Line 2 of the SIMD file is Culter - 01, in Culter (S02001236).
    replace_text(
        bad_dir,
        "simd2020v2_datazones.csv",
        lambda text: text.replace(
            "S01006506,Culter - 01,S02001236", "S01006506,Culter - 01,S02999999"
        ),
    )
    message = load_fails(bad_dir)
    assert (
        "simd2020v2_datazones.csv line 2, field IZ2011_Code, value 'S02999999': "
        "is not an intermediate zone of datazone2011_lookup.csv"
    ) in message


def test_a_data_zone_put_in_another_council(bad_dir: Path) -> None:
    # SIMD 2016 uses old codes; Culter - 01 is Aberdeen City's, not Fife's (old code S12000015).
    def move(text: str) -> str:
        lines = text.splitlines()
        lines[1] = lines[1].replace(",S12000033,Aberdeen City,", ",S12000015,Fife,")
        return "\n".join(lines) + "\n"

    replace_text(bad_dir, "geography/datazones_simd2016.csv", move)
    message = load_fails(bad_dir)
    assert (
        "geography/datazones_simd2016.csv line 2, field LAcode, value 'S12000015': "
        "differs from the look-up's council area S12000033 for this area"
    ) in message


def test_wrong_encoding(bad_dir: Path) -> None:
    path = bad_dir / "datazone2011_lookup.csv"
    text = path.read_text(encoding="utf-8").replace("Culter - 02", "Cùlter - 02")
    path.unlink()
    path.write_bytes(text.encode("latin-1"))
    message = load_fails(bad_dir)
    assert "datazone2011_lookup.csv line 3, value 'ù" in message
    assert "is not UTF-8 text" in message


def test_an_empty_file(bad_dir: Path) -> None:
    replace_text(bad_dir, "cpop/iz_typology_cpop.csv", lambda text: "")
    assert "cpop/iz_typology_cpop.csv: file is empty" in load_fails(bad_dir)


def test_a_rank_that_is_not_a_number(bad_dir: Path) -> None:
    replace_text(
        bad_dir,
        "geography/datazones_simd2016.csv",
        lambda text: text.replace("S01006506,Culter - 01,5272,", "S01006506,Culter - 01,high,"),
    )
    message = load_fails(bad_dir)
    assert (
        "geography/datazones_simd2016.csv line 2, field SIMD16_Rank, value 'high': "
        "must be a whole number from 1 to 6976"
    ) in message


def test_an_intermediate_zone_in_two_councils(bad_dir: Path) -> None:
    def move(text: str) -> str:
        lines = text.splitlines()
        lines[2] = lines[2].replace("S12000033,Aberdeen City", "S12000034,Aberdeenshire")
        return "\n".join(lines) + "\n"

    replace_text(bad_dir, "datazone2011_lookup.csv", move)
    message = load_fails(bad_dir)
    assert "datazone2011_lookup.csv line 3, field LA_Code, value 'S12000034'" in message
    assert "IZ2011_Code S02001236 has more than one council area" in message


def test_an_unpublishable_indicator_value(bad_dir: Path) -> None:
    replace_text(
        bad_dir,
        "simd2020v2_datazones.csv",
        lambda text: text.replace(",8%,71,8%,49,", ",8 percent,71,8%,49,", 1),
    )
    message = load_fails(bad_dir)
    assert (
        "simd2020v2_datazones.csv line 2, field income_rate, value '8 percent': "
        "must be a number (a rate may end in %), * (suppressed) or blank"
    ) in message


def test_an_unknown_council_in_the_family_groups(bad_dir: Path) -> None:
    replace_text(
        bad_dir,
        "geography/family_groups.csv",
        lambda text: text.replace("Angus,2,3", "Borsetshire,2,3"),
    )
    message = load_fails(bad_dir)
    assert (
        "geography/family_groups.csv line 4, field council_area, value 'Borsetshire': "
        "is not a council name listed in family_group_council_codes.csv"
    ) in message
    assert "council areas without family groups: S12000041" in message


def test_a_boundary_for_an_unknown_council(bad_dir: Path) -> None:
    path = bad_dir / "council_areas.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["LA_Code"] = "S12999999"
    path.unlink()
    path.write_text(json.dumps(document), encoding="utf-8")
    message = load_fails(bad_dir)
    assert (
        "council_areas.geojson, field LA_Code, value 'S12999999': "
        "is not a council area of datazone2011_lookup.csv"
    ) in message
    assert "council areas without a boundary: S12000005" in message


def test_every_problem_is_reported_at_once(bad_dir: Path) -> None:
    replace_text(
        bad_dir,
        "geography/datazones_simd2016.csv",
        lambda text: text.replace("S01006506,Culter - 01,5272,", "S01006506,Culter - 01,high,"),
    )
    (bad_dir / "council_areas.geojson").unlink()
    message = load_fails(bad_dir)
    assert message.startswith("2 problems in the input; nothing was loaded:")


def test_the_command_exits_with_the_problems(bad_dir: Path) -> None:
    (bad_dir / "council_areas.geojson").unlink()
    before = snapshot()
    with pytest.raises(CommandError, match=r"council_areas\.geojson: file not found"):
        call_command("geography_load", data_dir=bad_dir)
    assert snapshot() == before


def test_a_failure_after_writing_began_rolls_everything_back(
    real_geography: Path, bad_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inputs that pass every check but a write that fails late: nothing stays written."""
    replace_text(
        bad_dir,
        "datazone2011_lookup.csv",
        lambda text: text.replace("Culter - 01", "Culter - One"),
    )

    def fail(**kwargs: object) -> None:
        raise RuntimeError("the national framework could not be written")

    monkeypatch.setattr(services, "load_national_framework", fail)
    before = snapshot()
    with pytest.raises(RuntimeError, match="could not be written"):
        geography_load(data_dir=bad_dir, actor="test-suite")
    assert snapshot() == before
    assert Area.objects.get(code="S01006506").name == "Culter - 01"
