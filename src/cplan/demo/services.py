"""``cplan demo``: the demo data set.

Real data first: the geography, the indicator catalogue and every real file named in
``data/demo_imports.csv`` go through the same loaders and importers a user would use. What is
missing — numerators and denominators by data zone for every year, needed for SIMD-quintile
inequality trends — is synthesised (``synthetic.py``), flagged ``synthetic`` and imported through
the platform's own CSV template like any other file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction

from cplan.accounts.models import Role
from cplan.accounts.services import role_assign
from cplan.audit.demo import audit_demo_load
from cplan.demo.offline import OfflineDemoError, has_official_data, offline_demo_load
from cplan.demo.synthetic import (
    CPOP_SYNTHETIC_MEASURES,
    DataZoneFrame,
    SyntheticMeasure,
    synthesise_cpop_measures,
)
from cplan.geography.services import geography_load
from cplan.indicators.layouts.base import ImportOptions
from cplan.indicators.models import Indicator
from cplan.indicators.services import ImportReport, catalogue_load, observations_import
from cplan.plans.demo import DEMO_PASSWORD, plans_demo_load

DEMO_IMPORTS = Path(__file__).parent / "data" / "demo_imports.csv"
DEMO_USERNAME = "demo"
ACTOR = "cplan demo"
# CPOP IZ measure name → catalogue code of the same measure (synthetic DZ rows are filed under it).
SYNTHETIC_INDICATOR_PREFIX = "cpop-iz-"


class DemoError(RuntimeError):
    """The demo could not be loaded; the message says which step and why."""


@dataclass
class DemoReport:
    steps: list[str] = field(default_factory=list)
    synthetic_rows: int = 0

    def add(self, line: str) -> None:
        self.steps.append(line)


def demo_load(*, data_dir: Path, say: Callable[[str], None] = lambda _line: None) -> DemoReport:
    """Load the whole demo from ``data_dir``; each step is idempotent, so re-running is cheap."""
    report = DemoReport()

    def step(line: str) -> None:
        report.add(line)
        say(line)

    if not has_official_data(data_dir):  # a clone without the data: fully synthetic demo
        try:
            report.synthetic_rows = offline_demo_load(data_dir=data_dir, actor=ACTOR, say=step)
        except OfflineDemoError as error:
            raise DemoError(str(error)) from error
    else:
        _real_data_load(data_dir, report, step)
    plans = plans_demo_load()
    step(f"Demo plans: {', '.join(plans.created) or 'already loaded'}")
    step(f"Demo users (password {DEMO_PASSWORD}): {', '.join(plans.users)}")
    demo_user_ensure()
    step(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD} (national administrator)")
    return report


def _real_data_load(data_dir: Path, report: DemoReport, step: Callable[[str], None]) -> None:
    step(geography_load(data_dir=data_dir, actor=ACTOR).summary())
    catalogue = catalogue_load(actor=ACTOR)
    step(
        f"Indicator catalogue: {len(catalogue.created)} created, {len(catalogue.updated)} updated, "
        f"{catalogue.unchanged} unchanged"
    )
    for spec in read_demo_imports():
        result = _import_file(data_dir / spec["file"], spec)
        step(f"{spec['file']}: {result.status} ({result.rows_read:,} rows)")
    report.synthetic_rows = synthetic_load(data_dir=data_dir, say=step)
    step(f"Audit recommendations: {audit_demo_load(data_dir).summary()}")


def read_demo_imports(path: Path = DEMO_IMPORTS) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _options(spec: dict[str, str]) -> ImportOptions:
    skip = tuple(code for code in spec.get("skip_area_types", "").split(";") if code)
    return ImportOptions(
        layout=spec["layout"] or "auto",
        indicator=spec.get("indicator") or None,
        measurement=spec.get("measurement") or None,
        period=spec.get("period") or None,
        skip_area_types=skip,
    )


def _import_file(path: Path, spec: dict[str, str]) -> ImportReport:
    report = observations_import(
        data=path.read_bytes(), file_name=path.name, options=_options(spec), actor=ACTOR
    )
    if not report.ok:
        raise DemoError(f"{path.name} did not import:\n{_errors(report)}")
    return report


def _errors(report: ImportReport) -> str:
    return "\n".join(f"  {error}" for error in report.errors)


def data_zone_frame(data_dir: Path) -> DataZoneFrame:
    """The real data-zone inputs of the synthetic series, read from the official files."""
    simd = pd.read_csv(data_dir / "simd2020v2_datazones.csv", dtype={"income_rate": str})
    zones = pd.DataFrame(
        {
            "iz": simd["IZ2011_Code"].to_numpy(),
            "income_rate": simd["income_rate"].str.rstrip("%").astype(float).to_numpy() / 100.0,
            "working_age_share": (
                simd["Working_Age_population"] / simd["Total_population"].clip(lower=1)
            ).to_numpy(),
        },
        index=simd["Data_Zone"].to_numpy(),
    )
    wide = pd.read_csv(data_dir / "timeseries" / "population_estimates_dz_2001_2019_wide.csv")
    years = [column for column in wide.columns if column.isdigit()]
    population = wide.groupby("FeatureCode")[years].sum()  # Female + Male
    population.columns = pd.Index([int(year) for year in years])
    latest = pd.read_csv(data_dir / "cpop" / "datazone_outcomes_latest.csv").set_index("Datazone")
    return DataZoneFrame(zones=zones, population=population, latest=latest)


def synthetic_measures() -> list[SyntheticMeasure]:
    """The measures to synthesise, with the multipliers the catalogue gives their indicators."""
    measures = []
    for measure in CPOP_SYNTHETIC_MEASURES:
        code = synthetic_indicator_code(measure)
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise DemoError(f"the catalogue has no indicator {code} for synthetic {measure.name}")
        measures.append(replace(measure, multiplier=indicator.multiplier))
    return measures


def synthetic_indicator_code(measure: SyntheticMeasure) -> str:
    return SYNTHETIC_INDICATOR_PREFIX + measure.name.lower().replace(" ", "-")


def synthetic_csv(data_dir: Path) -> bytes:
    """The synthetic series as a file in the platform's own template layout."""
    iz_outcomes = pd.read_csv(data_dir / "cpop" / "iz_outcomes.csv")
    measures = synthetic_measures()
    series = synthesise_cpop_measures(data_zone_frame(data_dir), iz_outcomes, measures=measures)
    frames = []
    for measure in measures:
        frame = series[measure.name]
        frames.append(
            pd.DataFrame(
                {
                    "indicator": synthetic_indicator_code(measure),
                    "area_code": frame["area_code"],
                    "period": frame["period"],
                    "breakdown": "All",
                    "value": frame["value"].round(6),
                    "numerator": frame["numerator"],
                    "denominator": frame["denominator"],
                    "lower_ci": None,
                    "upper_ci": None,
                    "kind": "synthetic",
                }
            )
        )
    buffer = io.StringIO()
    pd.concat(frames, ignore_index=True).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def synthetic_load(*, data_dir: Path, say: Callable[[str], None]) -> int:
    data = synthetic_csv(data_dir)
    report = observations_import(
        data=data,
        file_name="synthetic_datazone_series.csv",
        options=ImportOptions(layout="template"),
        actor=ACTOR,
    )
    if not report.ok:
        raise DemoError(f"the synthetic series did not import:\n{_errors(report)}")
    say(
        f"Synthetic data-zone series (labelled synthetic): {report.status} "
        f"({report.rows_read:,} rows)"
    )
    return report.rows_read


def demo_user_ensure() -> User:
    """The published demo login: a national administrator, so every page can be tried."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "User", "is_staff": True},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        role_assign(actor=None, user=user, role=Role.NATIONAL_ADMIN, source=ACTOR)
    return user
