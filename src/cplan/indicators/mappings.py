"""The versioned mapping tables in ``data/`` that let published layouts be read (no Django import).

- ``cpp_names.csv``: a partnership's name as files spell it → its council area code (``Scotland`` →
  S92000003). CPOP's partnership file names places instead of coding them; the table is checked
  against the council area codes by the test suite.
- ``cpop_measures.csv``: per CPOP layout, a published measure name (or column header) → the
  catalogue's indicator code.
- ``cpop_value_types.csv``: CPOP's ``Type`` (Raw data / Imputed / Projected) → the observation kind.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"
CPP_NAMES_FILE = DATA_DIR / "cpp_names.csv"
CPOP_MEASURES_FILE = DATA_DIR / "cpop_measures.csv"
CPOP_VALUE_TYPES_FILE = DATA_DIR / "cpop_value_types.csv"


def _two_columns(path: Path, key: str, value: str) -> dict[str, str]:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if table[key].duplicated().any():
        raise ValueError(f"{path.name}: {key} values must be unique")
    return dict(zip(table[key].str.strip(), table[value].str.strip(), strict=True))


@cache
def cpp_name_codes() -> dict[str, str]:
    return _two_columns(CPP_NAMES_FILE, "name", "code")


@cache
def cpop_measure_codes(layout: str) -> dict[str, str]:
    table = pd.read_csv(CPOP_MEASURES_FILE, dtype=str, keep_default_na=False)
    rows = table[table["layout"] == layout]
    return dict(zip(rows["published_name"], rows["indicator_code"], strict=True))


@cache
def cpop_value_kinds() -> dict[str, str]:
    return _two_columns(CPOP_VALUE_TYPES_FILE, "published_type", "kind")
