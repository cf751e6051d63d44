"""Time ``cplan import-observations`` on a generated 1,000,000-row file, on SQLite and PostgreSQL.

The file is in the platform's template layout, generated with a fixed seed: 18 indicators × 8 years
× the 6,976 real data zone codes (from ``CPLAN_DATA_DIR/datazone2011_lookup.csv``; fictional codes
``S01900000…`` when the data directory is absent), cut to 1,000,000 rows, with numerators,
denominators, values and 95 % limits. Each database run happens in a fresh worker process so its
peak memory (``ru_maxrss``, the whole process: Python, Django, pandas and the import) is its own:

1. create an empty database (SQLite file in a temporary directory; PostgreSQL database
   ``cplan_bench_import`` on ``BENCH_PG_URL``, default ``postgres://postgres@127.0.0.1:5432/postgres``)
   and migrate it; load the real geography with ``geography_load`` (timed, its own JSON line) or,
   without the data files, bare fictional data zones; create the indicators;
2. import the file through the same service the command uses (validation on): every row created;
3. import it again with ``--force``: every row compared and left unchanged.

Prints one JSON object per line, ``{"benchmark": "import_observations", "database": …, "phase":
"first import" | "re-import", "rows": …, "seconds": …, "rows_per_second": …, "peak_rss_mib": …}``.
Targets (issue 2): ≥ 100,000 rows/s into PostgreSQL, ≥ 30,000 rows/s into SQLite, < 1 GiB.

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--databases sqlite postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("CPLAN_DATA_DIR", REPO.parent / "shared" / "data"))
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "cplan_bench_import"
INDICATORS = [f"bench-indicator-{n:02d}" for n in range(18)]
YEARS = list(range(2012, 2020))
SEED = 20240601


def data_zone_codes() -> list[str]:
    lookup = DATA / "datazone2011_lookup.csv"
    if lookup.is_file():
        return sorted(pd.read_csv(lookup, usecols=["DZ2011_Code"])["DZ2011_Code"].tolist())
    return [f"S01{900000 + n:06d}" for n in range(6976)]


def generate(path: Path, rows: int) -> None:
    """Write the template file: indicator × year × data zone, first ``rows`` rows, fixed seed."""
    rng = np.random.default_rng(SEED)
    zones = np.array(data_zone_codes(), dtype=object)
    combos = len(INDICATORS) * len(YEARS) * len(zones)
    if rows > combos:
        raise SystemExit(f"at most {combos:,} distinct rows can be generated")
    index = np.arange(rows)
    zone = zones[index % len(zones)]
    year = np.array(YEARS)[(index // len(zones)) % len(YEARS)]
    indicator = np.array(INDICATORS, dtype=object)[index // (len(zones) * len(YEARS))]
    denominator = rng.integers(300, 1200, rows)
    share = np.clip(rng.beta(2, 8, rows), 0.001, 0.999)
    numerator = rng.binomial(denominator, share)
    value = numerator / denominator * 100
    half_width = 1.96 * np.sqrt(share * (1 - share) / denominator) * 100
    frame = pd.DataFrame(
        {
            "indicator": indicator,
            "area_code": zone,
            "period": year,
            "breakdown": "All",
            "value": value.round(4),
            "numerator": numerator,
            "denominator": denominator,
            "lower_ci": np.clip(value - half_width, 0, 100).round(4),
            "upper_ci": np.clip(value + half_width, 0, 100).round(4),
        }
    )
    frame.to_csv(path, index=False, chunksize=200_000)


def postgres_database(*, create: bool) -> str | None:
    """(Re)create, or drop, the benchmark database; None when PostgreSQL is not reachable."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            if create:
                admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    except psycopg.Error:
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DATABASE}"


def run_worker(database: str, url: str, path: Path, rows: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "CPLAN_DEBUG": "1", "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, __file__, "--worker", database, str(path), str(rows)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(
            json.dumps(
                {
                    "benchmark": "import_observations",
                    "database": database,
                    "error": result.stderr[-2000:],
                }
            )
        )
        return
    print(result.stdout, end="")


def load_areas(database: str) -> None:
    """The real geography through the loader (timed) when the data files are there; otherwise
    bare fictional data zones."""
    from cplan.geography.models import Area, AreaLevel
    from cplan.geography.services import geography_load

    if not (DATA / "simd2020v2_datazones.csv").is_file():
        Area.objects.bulk_create(
            [Area(code=code, name=code, level=AreaLevel.DATA_ZONE) for code in data_zone_codes()],
            ignore_conflicts=True,
        )
        return
    started = time.perf_counter()
    report = geography_load(data_dir=DATA, actor="benchmark")
    line = {
        "benchmark": "geography_load",
        "database": database,
        "seconds": round(time.perf_counter() - started, 2),
        "areas": sum(report.areas.values()),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(line), flush=True)


def worker(database: str, path: Path, rows: int) -> None:
    """In a fresh process: migrate, create areas and indicators, import twice, print JSON lines."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplan.settings")
    django.setup()
    from django.core.management import call_command

    from cplan.indicators.layouts import ImportOptions
    from cplan.indicators.models import Indicator, Unit
    from cplan.indicators.services import observations_import

    call_command("migrate", verbosity=0)
    load_areas(database)
    for code in INDICATORS:
        Indicator.objects.get_or_create(
            code=code, defaults={"name": code, "unit": Unit.PERCENT, "multiplier": 100}
        )
    for phase, force in (("first import", False), ("re-import", True)):
        started = time.perf_counter()
        report = observations_import(
            data=path.read_bytes(),
            file_name=path.name,
            options=ImportOptions(),
            actor="benchmark",
            force=force,
        )
        seconds = time.perf_counter() - started
        if not report.ok:
            raise SystemExit(f"import failed: {report.errors[:5]}")
        print(
            json.dumps(
                {
                    "benchmark": "import_observations",
                    "database": database,
                    "phase": phase,
                    "rows": report.rows_read,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "seconds": round(seconds, 2),
                    "seconds_reading_and_checking": round(report.seconds_reading, 2),
                    "rows_per_second": round(report.rows_read / seconds),
                    "peak_rss_mib": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                    ),
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--worker", nargs=3, metavar=("DATABASE", "FILE", "ROWS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), int(args.worker[2]))
        return
    with tempfile.TemporaryDirectory(prefix="cplan-bench-import-") as folder:
        path = Path(folder) / "observations.csv"
        generate(path, args.rows)
        for database in args.databases:
            if database == "sqlite":
                run_worker(database, f"sqlite:///{folder}/bench.sqlite3", path, args.rows)
            elif (url := postgres_database(create=True)) is not None:
                run_worker(database, url, path, args.rows)
                postgres_database(create=False)
            else:
                print(
                    json.dumps(
                        {
                            "benchmark": "import_observations",
                            "database": database,
                            "skipped": f"not reachable at {PG_ADMIN_URL}",
                        }
                    )
                )


if __name__ == "__main__":
    main()
