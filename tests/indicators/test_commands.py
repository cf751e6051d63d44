"""``cplan import-observations`` and ``indicators_load_catalogue`` from the command line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command, get_commands

from cplan.cli import COMMANDS
from cplan.indicators.models import ImportRun
from tests.indicators.conftest import DATA, written

GOOD = (
    "indicator,area_code,period,breakdown,value,numerator,denominator,lower_ci,upper_ci\n"
    "test-rate,S12900001,2019,All,20,400,2000,18.3,21.8\n"
    "test-rate,S21000002,2019,All,9,,,,\n"
    "test-rate,S16000074,2019,All,9,,,,\n"
)


def import_command(*args: str) -> str:
    out = StringIO()
    call_command("indicators_import", *args, stdout=out)
    return out.getvalue()


def test_cplan_import_observations_is_this_command() -> None:
    assert COMMANDS["import-observations"][0] == "indicators_import"
    assert get_commands()["indicators_import"] == "cplan.indicators"


@pytest.mark.usefixtures("places", "indicators")
def test_report_counts_rows_observations_and_skipped_area_types(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(GOOD)

    output = import_command(str(path), "--skip-area-types", "S21,S16")

    assert "rows read: 3" in output
    assert "observations created: 1, updated: 0, unchanged: 0" in output
    assert "skipped (area type S16): 1 row(s)" in output
    assert "skipped (area type S21): 1 row(s)" in output
    assert written().count() == 1


@pytest.mark.usefixtures("places", "indicators")
def test_second_run_says_already_imported(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(GOOD)
    import_command(str(path), "--skip-area-types", "S21", "S16")

    output = import_command(str(path), "--skip-area-types", "S16", "S21")

    assert "already imported" in output


@pytest.mark.usefixtures("places", "indicators")
def test_bad_file_exits_non_zero_listing_each_row() -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=r"import failed with 1 error\(s\); nothing was written"):
        call_command("indicators_import", str(DATA / "non_numeric_value.csv"), stdout=out)

    assert "line 3, value 'twenty': must be a number" in out.getvalue()
    assert written().count() == 0


@pytest.mark.usefixtures("places", "indicators")
def test_user_is_recorded(tmp_path: Path) -> None:
    user = User.objects.create_user("analyst")
    path = tmp_path / "rates.csv"
    path.write_text(GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n")

    import_command(str(path), "--user", "analyst")

    run = ImportRun.objects.get(file_name="rates.csv")
    assert (run.user, run.actor) == (user, "analyst")


@pytest.mark.django_db
def test_unknown_user_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        import_command(str(tmp_path / "absent.csv"))
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        import_command(str(DATA / "negative_count.csv"), "--user", "nobody")


@pytest.mark.django_db
def test_catalogue_command_reports_counts(tmp_path: Path) -> None:
    outcomes = tmp_path / "outcomes.csv"
    codes = ["CYP", "COM", "ECO", "EDU", "ENV", "FWB", "HEA", "HUR", "POV"]
    outcomes.write_text("code,national_outcome\n" + "".join(f"{c},{c}\n" for c in codes))
    out = StringIO()

    call_command("indicators_load_catalogue", "--outcomes", str(outcomes), stdout=out)

    assert out.getvalue().strip() == (
        "indicators created: 51, updated: 0, unchanged: 0; national outcomes created: 9"
    )
