"""The indicator catalogue file (``data/catalogue.csv``): reading and checking it.

One row per indicator. List fields (geography_levels, breakdowns, national_outcomes) are separated
by ``;``. Every value is checked against the model's choices before anything is written, and a bad
value is reported with its line, field and rule.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from cplan.geography.models import AreaLevel
from cplan.indicators.models import PeriodType, Polarity, Unit

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.csv"
OUTCOMES_FILE_NAME = "npf_national_outcomes_2018.csv"
COLUMNS = [
    "code",
    "name",
    "definition",
    "unit",
    "unit_label",
    "multiplier",
    "polarity",
    "period_type",
    "source",
    "source_url",
    "geography_levels",
    "disclosure_min_count",
    "breakdowns",
    "national_outcomes",
    "is_core",
    "topic",
]
LIST_SEPARATOR = ";"


class CatalogueError(ValueError):
    """A catalogue row breaks a rule; the message names the line, field and value."""


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    definition: str
    unit: str
    unit_label: str
    multiplier: float
    polarity: str
    period_type: str
    source: str
    source_url: str
    geography_levels: tuple[str, ...]
    disclosure_min_count: int
    breakdowns: tuple[str, ...]
    national_outcomes: tuple[str, ...]
    is_core: bool
    topic: str

    def model_fields(self) -> dict[str, object]:
        """The ``Indicator`` field values (all but the code and the national-outcome links)."""
        values = asdict(self)
        del values["code"], values["national_outcomes"]
        values["geography_levels"] = list(self.geography_levels)
        values["breakdowns"] = list(self.breakdowns)
        return values

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


def _choice(row: dict[str, str], field: str, allowed: list[str], line: int) -> str:
    value = row[field].strip()
    if value not in allowed:
        raise CatalogueError(f"line {line}, {field} {value!r}: must be one of {', '.join(allowed)}")
    return value


def _entry(row: dict[str, str], line: int) -> CatalogueEntry:
    code = row["code"].strip()
    try:
        validate_slug(code)
        multiplier = float(row["multiplier"])
        disclosure = int(row["disclosure_min_count"] or 0)
    except (ValueError, ValidationError) as error:
        raise CatalogueError(f"line {line}: {error}") from error
    if not row["name"].strip():
        raise CatalogueError(f"line {line}, name: is required")
    levels = _split(row["geography_levels"])
    for level in levels:
        if level not in AreaLevel.values:
            raise CatalogueError(
                f"line {line}, geography_levels {level!r}: must be one of {', '.join(AreaLevel.values)}"
            )
    if row["is_core"].strip().lower() not in {"true", "false"}:
        raise CatalogueError(f"line {line}, is_core {row['is_core']!r}: must be true or false")
    return CatalogueEntry(
        code=code,
        name=row["name"].strip(),
        definition=row["definition"].strip(),
        unit=_choice(row, "unit", Unit.values, line),
        unit_label=row["unit_label"].strip(),
        multiplier=multiplier,
        polarity=_choice(row, "polarity", Polarity.values, line),
        period_type=_choice(row, "period_type", PeriodType.values, line),
        source=row["source"].strip(),
        source_url=row["source_url"].strip(),
        geography_levels=levels,
        disclosure_min_count=disclosure,
        breakdowns=_split(row["breakdowns"]),
        national_outcomes=_split(row["national_outcomes"]),
        is_core=row["is_core"].strip().lower() == "true",
        topic=row["topic"].strip(),
    )


def read_catalogue(path: Path | None = None) -> list[CatalogueEntry]:
    path = path or CATALOGUE_FILE
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise CatalogueError(f"{path.name}: the columns must be {', '.join(COLUMNS)}")
        entries = [_entry(row, line) for line, row in enumerate(reader, start=2)]
    codes = [entry.code for entry in entries]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CatalogueError(f"{path.name}: code(s) listed twice: {', '.join(repeated)}")
    return entries


def read_national_outcomes(path: Path | None = None) -> dict[str, str]:
    """Code → name of the NPF national outcomes (the official file in the data directory)."""
    path = path or Path(settings.CPLAN_DATA_DIR) / OUTCOMES_FILE_NAME
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"].strip(): row["national_outcome"].strip() for row in csv.DictReader(handle)
        }
