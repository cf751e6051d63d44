"""Reading the official geography files: strict, all problems reported at once, nothing written.

Every reader returns plain pandas tables of text (``dtype=str``) after checking the file exists, is
UTF-8, has the columns we need and values of the right shape. A problem names the file, the line
(the header is line 1), the field, the value and the rule it breaks. Readers collect problems into
a :class:`Problems` list; the loader raises :class:`LoadError` before it writes anything.

``write_observations`` writes the SIMD indicator observations through the indicators app's bulk
upsert, after checking whether anything differs at all.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cplan.geography.sync import SyncCounts, plan_sync

MAX_PROBLEMS_SHOWN = 50

# GSS code shapes, by the level they name.
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "country": re.compile(r"^S92\d{6}$"),
    "health_board": re.compile(r"^S08\d{6}$"),
    "council_area": re.compile(r"^S12\d{6}$"),
    "ward": re.compile(r"^S13\d{6}$"),
    "intermediate_zone": re.compile(r"^S02\d{6}$"),
    "data_zone": re.compile(r"^S01\d{6}$"),
}
CODE_RULES: dict[str, str] = {
    "country": "must be a country code (S92 and six digits)",
    "health_board": "must be a health board code (S08 and six digits)",
    "council_area": "must be a council area code (S12 and six digits)",
    "ward": "must be a multi-member ward code (S13 and six digits)",
    "intermediate_zone": "must be an intermediate zone code (S02 and six digits)",
    "data_zone": "must be a data zone code (S01 and six digits)",
}


@dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    line: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file + (f" line {self.line}" if self.line is not None else "")
        what = f", field {self.field}" if self.field else ""
        value = f", value {self.value!r}" if self.value is not None else ""
        return f"{where}{what}{value}: {self.rule}"


class LoadError(Exception):
    """Bad input: the load wrote nothing. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = [f"  - {problem}" for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            shown.append(f"  ... and {more} more")
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(
            f"{len(self.problems)} {noun} in the input; nothing was loaded:\n" + "\n".join(shown)
        )


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        file: str,
        rule: str,
        *,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> None:
        self.items.append(
            Problem(
                file=file,
                rule=rule,
                line=line,
                field=field,
                value=None if value is None else str(value),
            )
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise LoadError(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class Table:
    """A CSV file's rows as text. ``line(i)`` is the file line of row position ``i``."""

    name: str
    frame: pd.DataFrame

    def line(self, position: int) -> int:
        return position + 2

    def lines(self, mask: pd.Series[bool]) -> list[int]:
        return [self.line(int(i)) for i in mask.to_numpy().nonzero()[0]]


def tuples(frame: pd.DataFrame) -> list[Any]:
    """A frame's rows as named tuples (``row.code``), typed loosely for the callers."""
    return list(frame.itertuples(index=False))


def read_text(data_dir: Path, name: str, problems: Problems) -> str | None:
    """The file's text, or ``None`` after recording why it cannot be read."""
    path = data_dir / name
    if not path.is_file():
        problems.add(name, f"file not found in the data directory {data_dir}")
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start : error.start + 4]
        problems.add(
            name,
            f"is not UTF-8 text (byte {bad[:1]!r} at offset {error.start}); save it as UTF-8",
            line=line,
            value=bad.decode("latin-1"),
        )
        return None
    if not text.strip():
        problems.add(name, "file is empty")
        return None
    return text


def read_table(
    data_dir: Path, name: str, columns: Iterable[str], problems: Problems
) -> Table | None:
    """A CSV file with (at least) ``columns``, all values as text ('' when blank)."""
    text = read_text(data_dir, name, problems)
    if text is None:
        return None
    try:
        # Spaces after a comma are not data; the official files have none inside values.
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, ValueError) as error:
        problems.add(name, f"is not a readable CSV file: {error}")
        return None
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in columns if column not in frame.columns]
    for column in missing:
        problems.add(
            name,
            f"required column is missing (the header has: {', '.join(frame.columns)})",
            line=1,
            field=column,
        )
    if missing:
        return None
    if frame.empty:
        problems.add(name, "has a header but no data rows")
        return None
    return Table(name=name, frame=frame)


def read_json(data_dir: Path, name: str, problems: Problems) -> Any:
    text = read_text(data_dir, name, problems)
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(name, f"is not valid JSON: {error.msg}", line=error.lineno)
        return None


def check_codes(table: Table, column: str, level: str, problems: Problems) -> bool:
    """Every value of ``column`` is a GSS code of ``level``."""
    values = table.frame[column]
    bad = ~values.str.fullmatch(CODE_PATTERNS[level].pattern)
    for position in bad.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            CODE_RULES[level],
            line=table.line(int(position)),
            field=column,
            value=values.iloc[position],
        )
    return not bool(bad.any())


def check_unique(table: Table, column: str, problems: Problems) -> bool:
    values = table.frame[column]
    repeated = values.duplicated(keep="first")
    for position in repeated.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            "appears more than once; each must be unique",
            line=table.line(int(position)),
            field=column,
            value=values.iloc[position],
        )
    return not bool(repeated.any())


def check_not_blank(table: Table, column: str, problems: Problems) -> bool:
    values = table.frame[column]
    blank = values == ""
    for position in blank.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name, "must not be blank", line=table.line(int(position)), field=column, value=""
        )
    return not bool(blank.any())


def integers(
    table: Table,
    column: str,
    problems: Problems,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> pd.Series[int] | None:
    """``column`` as integers, or ``None`` after recording each value that is not a whole number
    in range."""
    values = table.frame[column]
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers != numbers.round())
    if minimum is not None:
        bad |= numbers < minimum
    if maximum is not None:
        bad |= numbers > maximum
    if bad.any():
        bounds = (
            f" from {minimum} to {maximum}"
            if minimum is not None and maximum is not None
            else (f" of at least {minimum}" if minimum is not None else "")
        )
        for position in bad.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
            problems.add(
                table.name,
                f"must be a whole number{bounds}",
                line=table.line(int(position)),
                field=column,
                value=values.iloc[position],
            )
        return None
    return numbers.astype("int64")


def geojson_features(
    document: Any, name: str, code_property: str, problems: Problems
) -> list[tuple[str, dict[str, Any]]]:
    """``(code, geometry)`` of each feature of a GeoJSON FeatureCollection of polygons."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.add(name, "must be a GeoJSON FeatureCollection", field="type")
        return []
    features = document.get("features")
    if not isinstance(features, list) or not features:
        problems.add(name, "must have a non-empty list of features", field="features")
        return []
    result: list[tuple[str, dict[str, Any]]] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        code = properties.get(code_property) if isinstance(properties, dict) else None
        where = f"feature {number}"
        if not isinstance(code, str) or not CODE_PATTERNS["council_area"].match(code):
            problems.add(
                name,
                f"{where}: property {code_property} {CODE_RULES['council_area']}",
                field=code_property,
                value=code,
            )
            continue
        if not isinstance(geometry, dict) or geometry.get("type") not in {
            "Polygon",
            "MultiPolygon",
        }:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            problems.add(
                name,
                f"{where} ({code}): geometry must be a Polygon or MultiPolygon",
                field="geometry.type",
                value=kind,
            )
            continue
        result.append((code, geometry))
    return result


def write_observations(
    *,
    indicator_ids: Sequence[int],
    frame: pd.DataFrame,
    start_import_run: Callable[[SyncCounts], int],
) -> SyncCounts:
    """Make the observations of ``indicator_ids`` exactly the rows of ``frame``.

    ``frame`` has the columns of :data:`cplan.indicators.bulk.COLUMNS`. The rows held are compared
    first, so that a load of unchanged data writes nothing and starts no import run; when something
    differs, ``start_import_run(planned counts)`` gives the run, rows no longer in ``frame`` are
    deleted and the rest go through the indicators app's bulk upsert.
    """
    from cplan.indicators.bulk import COLUMNS, KEY, VALUES, upsert_observations
    from cplan.indicators.models import Observation

    def rows() -> Iterator[dict[str, Any]]:
        columns = [
            [None if value != value else value for value in frame[name].tolist()]  # NaN: None
            for name in COLUMNS
        ]
        for values in zip(*columns, strict=True):
            yield dict(zip(COLUMNS, values, strict=True))

    plan = plan_sync(
        Observation.objects.filter(indicator_id__in=list(indicator_ids)),
        key_fields=KEY,
        value_fields=VALUES,
        rows=rows(),
        delete_missing=True,
    )
    if not plan.changed:
        return plan.counts()
    import_run_id = start_import_run(plan.counts())
    if plan.to_delete:
        Observation.objects.filter(pk__in=plan.to_delete).delete()
    written = upsert_observations(frame, import_run_id=import_run_id)
    return SyncCounts(
        created=written.created,
        updated=written.updated,
        deleted=len(plan.to_delete),
        unchanged=written.unchanged,
    )


# --------------------------------------------------------------------------------------------
# The files of a geography load
# --------------------------------------------------------------------------------------------

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
ALIASES_FILE = "area_code_aliases.csv"
EDITIONS_FILE = "deprivation_editions.json"
TYPOLOGIES_FILE = "typologies.json"
SIMD_CATALOGUE_FILE = "simd2020v2_indicator_catalogue.csv"

LOOKUP = "datazone2011_lookup.csv"
LOOKUP_FULL = "datazone2011_lookup_full.csv"
POPULATION_DZ = "timeseries/population_estimates_dz_2001_2019_wide.csv"
POPULATION_PUBLISHED = "timeseries/population_estimates_2001_2019.csv"
BOUNDARIES = "council_areas.geojson"
SIMD_INDICATORS = "simd2020v2_datazones.csv"

LOOKUP_COLUMNS = ("DZ2011_Code", "DZ2011_Name", "IZ2011_Code", "IZ2011_Name", "LA_Code", "LA_Name")
LOOKUP_FULL_COLUMNS = (
    "DZ2011_Code",
    "IZ2011_Code",
    "LA_Code",
    "MMWard_Code",
    "MMWard_Name",
    "HB_Code",
    "HB_Name",
    "UR6_Code",
    "UR8_Code",
    "Country_Code",
    "Country_Name",
)
DEPRIVATION_FIELDS = (
    "rank",
    "vigintile",
    "decile",
    "quintile",
    "population",
    "working_age_population",
    "income_rank",
    "employment_rank",
    "health_rank",
    "education_rank",
    "access_rank",
    "crime_rank",
    "housing_rank",
)
DOMAIN_RANKS = frozenset(
    {
        "income_rank",
        "employment_rank",
        "health_rank",
        "education_rank",
        "access_rank",
        "crime_rank",
        "housing_rank",
    }
)
YEAR_COLUMN = re.compile(r"^\d{4}$")


class SourceReader:
    """Reads files from one directory, each once, recording problems in a shared list."""

    def __init__(self, data_dir: Path, problems: Problems) -> None:
        self.data_dir = data_dir
        self.problems = problems
        self._frames: dict[str, pd.DataFrame | None] = {}

    def table(self, name: str, columns: Iterable[str]) -> Table | None:
        wanted = list(columns)
        if name not in self._frames:
            table = read_table(self.data_dir, name, wanted, self.problems)
            self._frames[name] = None if table is None else table.frame
            return table
        frame = self._frames[name]
        if frame is None:
            return None
        missing = [column for column in wanted if column not in frame.columns]
        for column in missing:
            self.problems.add(name, "required column is missing", line=1, field=column)
        return None if missing else Table(name=name, frame=frame)

    def json(self, name: str) -> Any:
        return read_json(self.data_dir, name, self.problems)

    def sha256(self, name: str) -> str:
        import hashlib

        return hashlib.sha256((self.data_dir / name).read_bytes()).hexdigest()


@dataclass(frozen=True)
class EditionSpec:
    code: str
    name: str
    published: str
    population_year: int
    is_current: bool
    file: str
    columns: dict[str, str]


@dataclass(frozen=True)
class TypologySpec:
    code: str
    name: str
    source: str
    file: str
    columns: dict[str, str]


@dataclass
class GeographySources:
    """Everything a geography load reads, checked and in plain tables."""

    zones: pd.DataFrame  # one row per data zone: codes, names, ward, board, urban/rural
    country: tuple[str, str]
    aliases: pd.DataFrame  # alias_code, area_code, note
    editions: list[tuple[EditionSpec, pd.DataFrame]]  # area_code + DEPRIVATION_FIELDS
    dz_population: pd.DataFrame  # index data zone code, one int column per year
    published_population: pd.DataFrame  # code, year, count (for checking our sums)
    typologies: list[tuple[TypologySpec, pd.DataFrame]]  # area_code, group_number, group_name
    boundaries: list[tuple[str, dict[str, Any]]]  # council code (current), geometry
    simd_indicators: SimdIndicatorValues
    simd_sha256: str


def read_geography_sources(data_dir: Path, problems: Problems) -> GeographySources:
    """Read and check every file; raises :class:`LoadError` listing every problem found."""
    files = SourceReader(data_dir, problems)
    package = SourceReader(PACKAGE_DATA_DIR, problems)
    zones, country = _read_zones(files)
    if zones is None or country is None:  # everything else is checked against the look-up
        raise LoadError(problems.items)
    aliases = _read_aliases(package, zones, country[0])
    if aliases is None or problems.items:
        raise LoadError(problems.items)
    resolve = _alias_resolver(aliases)
    editions = [
        (spec, frame)
        for spec in _edition_specs(package)
        if (frame := _read_edition(files, spec, zones, resolve)) is not None
    ]
    dz_population = _read_dz_population(files, zones)
    published_population = _read_published_population(files)
    typologies = [
        (spec, frame)
        for spec in _typology_specs(package)
        if (frame := _read_typology(files, spec, zones, resolve)) is not None
    ]
    boundaries = _read_boundaries(files, zones, resolve)
    simd_indicators = _read_simd_indicator_values(files, package)
    if (
        problems.items
        or dz_population is None
        or published_population is None
        or simd_indicators is None
    ):
        raise LoadError(problems.items)
    return GeographySources(
        zones=zones,
        country=country,
        aliases=aliases,
        editions=editions,
        dz_population=dz_population,
        published_population=published_population,
        typologies=typologies,
        boundaries=boundaries,
        simd_indicators=simd_indicators,
        simd_sha256=files.sha256(SIMD_INDICATORS),
    )


SIMD_CATALOGUE_COLUMNS = (
    "code",
    "column",
    "name",
    "topic",
    "unit",
    "unit_label",
    "multiplier",
    "polarity",
    "numerator_column",
    "denominator_column",
    "period",
    "national_outcome",
    "definition",
)


MISSING_VALUES = frozenset({"", "n/a"})
SUPPRESSED = "*"


@dataclass
class SimdIndicatorValues:
    """The SIMD 2020v2 indicators as long rows, with what was left out and why."""

    catalogue: pd.DataFrame
    rows: pd.DataFrame  # dz_code, indicator, value, numerator, denominator
    suppressed: dict[str, int]  # indicator code -> cells published as '*'
    blank: dict[str, int]  # indicator code -> blank or 'n/a' cells
    counts_left_out: list[str]  # "indicator dz: why" where a numerator/denominator is unusable


def _read_simd_indicator_values(
    files: SourceReader, package: SourceReader
) -> SimdIndicatorValues | None:
    """Our catalogue of the SIMD 2020v2 indicators, and the file's values for them."""
    from cplan.indicators.models import Polarity, Unit

    problems = files.problems
    catalogue = package.table(SIMD_CATALOGUE_FILE, SIMD_CATALOGUE_COLUMNS)
    if catalogue is None:
        return None
    frame = catalogue.frame
    check_unique(catalogue, "code", problems)
    for name, allowed in (("unit", Unit.values), ("polarity", Polarity.values)):
        for line in catalogue.lines(~frame[name].isin(allowed)):
            problems.add(
                catalogue.name,
                f"must be one of {', '.join(allowed)}",
                line=line,
                field=name,
                value=frame[name].iloc[line - 2],
            )
    integers(catalogue, "period", problems, minimum=1990, maximum=2100)
    if pd.to_numeric(frame["multiplier"], errors="coerce").isna().any():
        problems.add(catalogue.name, "must be a number", field="multiplier")
    named = set(frame["column"]) | set(frame["numerator_column"]) | set(frame["denominator_column"])
    table = files.table(SIMD_INDICATORS, sorted(({"Data_Zone"} | named) - {""}))
    if table is None or problems.items:
        return None
    if not check_codes(table, "Data_Zone", "data_zone", problems):
        return None
    parts: list[pd.DataFrame] = []
    suppressed: dict[str, int] = {}
    blank: dict[str, int] = {}
    left_out: list[str] = []
    zones = table.frame["Data_Zone"]
    for entry in frame.itertuples(index=False):
        value, is_suppressed, is_blank = _published_numbers(table, str(entry.column), problems)
        suppressed[str(entry.code)] = int(is_suppressed.sum())
        blank[str(entry.code)] = int(is_blank.sum())
        numerator = _count_column(table, str(entry.numerator_column), problems)
        denominator = _count_column(table, str(entry.denominator_column), problems)
        if denominator is not None and numerator is not None:
            unusable = (denominator <= 0) | (numerator > denominator)
            for position in unusable.to_numpy().nonzero()[0]:
                left_out.append(
                    f"{entry.code} {zones.iloc[position]}: {entry.numerator_column} "
                    f"{numerator.iloc[position]:g} over {entry.denominator_column} "
                    f"{denominator.iloc[position]:g} is not a proportion; value kept, counts not"
                )
            numerator = numerator.mask(unusable)
            denominator = denominator.mask(unusable)
        present = value.notna()
        parts.append(
            pd.DataFrame(
                {
                    "dz_code": zones[present],
                    "indicator": str(entry.code),
                    "value": value[present],
                    "numerator": None if numerator is None else numerator[present],
                    "denominator": None if denominator is None else denominator[present],
                }
            )
        )
    if problems.items:
        return None
    rows = pd.concat(parts, ignore_index=True)
    return SimdIndicatorValues(
        catalogue=frame,
        rows=rows,
        suppressed=suppressed,
        blank=blank,
        counts_left_out=left_out,
    )


def _published_numbers(
    table: Table, column: str, problems: Problems
) -> tuple[pd.Series[float], pd.Series[bool], pd.Series[bool]]:
    """A published column as numbers ('8%' is 8), with masks of suppressed and blank cells."""
    raw = table.frame[column]
    is_suppressed = raw == SUPPRESSED
    is_blank = raw.isin(MISSING_VALUES)
    numbers = pd.to_numeric(raw.str.removesuffix("%"), errors="coerce")
    bad = numbers.isna() & ~is_suppressed & ~is_blank
    for line in table.lines(bad)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            "must be a number (a rate may end in %), * (suppressed) or blank",
            line=line,
            field=column,
            value=raw.iloc[line - 2],
        )
    return numbers.astype("float64"), is_suppressed, is_blank


def _count_column(table: Table, column: str, problems: Problems) -> pd.Series[float] | None:
    """A column of counts (whole, not negative); suppressed or blank cells are missing."""
    if not column:
        return None
    raw = table.frame[column]
    numbers = pd.to_numeric(raw, errors="coerce")
    missing = raw.isin(MISSING_VALUES | {SUPPRESSED})
    bad = ~missing & (numbers.isna() | (numbers < 0) | (numbers != numbers.round()))
    for line in table.lines(bad)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            "must be a count: a whole number, not negative (or * when suppressed)",
            line=line,
            field=column,
            value=raw.iloc[line - 2],
        )
    return numbers.astype("float64")


def _read_zones(files: SourceReader) -> tuple[pd.DataFrame | None, tuple[str, str] | None]:
    """Data zone → intermediate zone → council area, with names, from the look-up; ward, health
    board and urban/rural classes from the full look-up, which must agree with it."""
    problems = files.problems
    lookup = files.table(LOOKUP, LOOKUP_COLUMNS)
    full = files.table(LOOKUP_FULL, LOOKUP_FULL_COLUMNS)
    if lookup is None or full is None:
        return None, None
    ok = all(
        [
            check_codes(lookup, "DZ2011_Code", "data_zone", problems),
            check_codes(lookup, "IZ2011_Code", "intermediate_zone", problems),
            check_codes(lookup, "LA_Code", "council_area", problems),
            check_unique(lookup, "DZ2011_Code", problems),
            *(check_not_blank(lookup, c, problems) for c in ("DZ2011_Name", "IZ2011_Name")),
            check_not_blank(lookup, "LA_Name", problems),
            check_codes(full, "MMWard_Code", "ward", problems),
            check_codes(full, "HB_Code", "health_board", problems),
            check_codes(full, "Country_Code", "country", problems),
            check_unique(full, "DZ2011_Code", problems),
        ]
    )
    ur6 = integers(full, "UR6_Code", problems, minimum=1, maximum=6)
    ur8 = integers(full, "UR8_Code", problems, minimum=1, maximum=8)
    if not ok or ur6 is None or ur8 is None:
        return None, None
    frame = lookup.frame
    _check_nesting(lookup, "IZ2011_Code", "LA_Code", "council area", problems)
    for code_column, name_column in (("IZ2011_Code", "IZ2011_Name"), ("LA_Code", "LA_Name")):
        _check_nesting(lookup, code_column, name_column, "name", problems)
    full_frame = full.frame.assign(UR6=ur6, UR8=ur8).set_index("DZ2011_Code")
    in_full = frame["DZ2011_Code"].isin(full_frame.index)
    for line in lookup.lines(~in_full)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            LOOKUP,
            f"data zone is missing from {LOOKUP_FULL}",
            line=line,
            field="DZ2011_Code",
            value=frame["DZ2011_Code"].iloc[line - 2],
        )
    extra = ~full.frame["DZ2011_Code"].isin(frame["DZ2011_Code"])
    for line in full.lines(extra)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            LOOKUP_FULL,
            f"data zone is not in {LOOKUP}",
            line=line,
            field="DZ2011_Code",
            value=full.frame["DZ2011_Code"].iloc[line - 2],
        )
    if len(problems):
        return None, None
    joined = frame.merge(
        full_frame, left_on="DZ2011_Code", right_index=True, how="left", suffixes=("", "_full")
    )
    for column in ("IZ2011_Code", "LA_Code"):
        differs = joined[column] != joined[f"{column}_full"]
        for position in differs.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
            code = joined["DZ2011_Code"].iloc[position]
            problems.add(
                LOOKUP_FULL,
                f"data zone {code} is in {joined[column].iloc[position]} in {LOOKUP}",
                line=full.line(int(full.frame.index[full.frame["DZ2011_Code"] == code][0])),
                field=column,
                value=joined[f"{column}_full"].iloc[position],
            )
    _check_nesting(full, "MMWard_Code", "LA_Code", "council area", problems)
    _check_nesting(full, "LA_Code", "HB_Code", "health board", problems)
    _check_nesting(full, "HB_Code", "HB_Name", "name", problems)
    _check_nesting(full, "MMWard_Code", "MMWard_Name", "name", problems)
    countries = full.frame[["Country_Code", "Country_Name"]].drop_duplicates()
    if len(countries) != 1:
        problems.add(
            LOOKUP_FULL,
            "all data zones must lie in one country",
            field="Country_Code",
            value=", ".join(countries["Country_Code"]),
        )
    if len(problems):
        return None, None
    zones = pd.DataFrame(
        {
            "dz_code": joined["DZ2011_Code"],
            "dz_name": joined["DZ2011_Name"],
            "iz_code": joined["IZ2011_Code"],
            "iz_name": joined["IZ2011_Name"],
            "la_code": joined["LA_Code"],
            "la_name": joined["LA_Name"],
            "ward_code": joined["MMWard_Code"],
            "ward_name": joined["MMWard_Name"],
            "hb_code": joined["HB_Code"],
            "hb_name": joined["HB_Name"],
            "ur6": joined["UR6"].astype("int64"),
            "ur8": joined["UR8"].astype("int64"),
        }
    ).reset_index(drop=True)
    country = countries.iloc[0]
    return zones, (str(country["Country_Code"]), str(country["Country_Name"]))


def _check_nesting(table: Table, child: str, parent: str, what: str, problems: Problems) -> None:
    """Each ``child`` value has one ``parent`` value (e.g. an intermediate zone one council)."""
    pairs = table.frame[[child, parent]].drop_duplicates()
    repeated = pairs[pairs[child].duplicated(keep=False)]
    for code, group in list(repeated.groupby(child))[:MAX_PROBLEMS_SHOWN]:
        second = table.frame[
            (table.frame[child] == code) & (table.frame[parent] != group.iloc[0][parent])
        ]
        problems.add(
            table.name,
            f"{child} {code} has more than one {what} ({', '.join(group[parent])}); it must have one",
            line=table.line(int(second.index[0])),
            field=parent,
            value=second.iloc[0][parent],
        )


def _read_aliases(
    package: SourceReader, zones: pd.DataFrame, country_code: str
) -> pd.DataFrame | None:
    table = package.table(ALIASES_FILE, ("alias_code", "area_code", "changed_in", "note"))
    if table is None:
        return None
    held = {country_code} | set(zones["hb_code"]) | set(zones["la_code"]) | set(zones["ward_code"])
    held |= set(zones["iz_code"]) | set(zones["dz_code"])
    check_unique(table, "alias_code", package.problems)
    frame = table.frame
    for position in range(len(frame)):
        alias, target = frame["alias_code"].iloc[position], frame["area_code"].iloc[position]
        if target not in held:
            package.problems.add(
                ALIASES_FILE,
                "must be the code of an area the look-ups hold",
                line=table.line(position),
                field="area_code",
                value=target,
            )
        if alias in held:
            package.problems.add(
                ALIASES_FILE,
                "is the current code of an area, so it cannot also be an alias",
                line=table.line(position),
                field="alias_code",
                value=alias,
            )
    return frame[["alias_code", "area_code", "changed_in", "note"]]


def _alias_resolver(aliases: pd.DataFrame) -> Callable[[pd.Series[str]], pd.Series[str]]:
    mapping = dict(zip(aliases["alias_code"], aliases["area_code"], strict=True))

    def resolve(codes: pd.Series[str]) -> pd.Series[str]:
        return codes.map(lambda code: mapping.get(code, code))

    return resolve


def _edition_specs(package: SourceReader) -> list[EditionSpec]:
    document = package.json(EDITIONS_FILE)
    if document is None:
        return []
    try:
        return [
            EditionSpec(
                code=item["code"],
                name=item["name"],
                published=item["published"],
                population_year=int(item["population_year"]),
                is_current=bool(item["is_current"]),
                file=item["file"],
                columns=dict(item["columns"]),
            )
            for item in document["editions"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        package.problems.add(EDITIONS_FILE, f"edition description is incomplete: {error}")
        return []


def _typology_specs(package: SourceReader) -> list[TypologySpec]:
    document = package.json(TYPOLOGIES_FILE)
    if document is None:
        return []
    try:
        return [
            TypologySpec(
                code=item["code"],
                name=item["name"],
                source=item["source"],
                file=item["file"],
                columns=dict(item["columns"]),
            )
            for item in document["typologies"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        package.problems.add(TYPOLOGIES_FILE, f"typology description is incomplete: {error}")
        return []


def _check_same_zones(
    table: Table, column: str, wanted: pd.Series[str], what: str, problems: Problems
) -> bool:
    """``table[column]`` holds each code of ``wanted`` exactly once and nothing else."""
    values = table.frame[column]
    ok = check_unique(table, column, problems)
    unknown = ~values.isin(wanted)
    for line in table.lines(unknown)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            f"is not {what} of {LOOKUP}",
            line=line,
            field=column,
            value=values.iloc[line - 2],
        )
    absent = sorted(set(wanted) - set(values))
    if absent:
        problems.add(
            table.name,
            f"{len(absent)} {what.split(' ', 1)[1]}s of {LOOKUP} are missing, e.g. "
            + ", ".join(absent[:5]),
            field=column,
        )
    return ok and not unknown.any() and not absent


def _check_matches_lookup(
    table: Table,
    column: str,
    codes: pd.Series[str],
    expected: pd.Series[str],
    what: str,
    problems: Problems,
) -> None:
    """Row by row, ``table[column]`` (after alias resolution: ``codes``) equals ``expected``."""
    known = set(expected)
    differs = codes != expected
    for position in differs.to_numpy().nonzero()[0][:MAX_PROBLEMS_SHOWN]:
        value = table.frame[column].iloc[position]
        rule = (
            f"is not {what} of {LOOKUP}"
            if codes.iloc[position] not in known
            else f"differs from the look-up's {what.split(' ', 1)[1]} {expected.iloc[position]}"
            " for this area"
        )
        problems.add(table.name, rule, line=table.line(int(position)), field=column, value=value)


def _read_edition(
    files: SourceReader,
    spec: EditionSpec,
    zones: pd.DataFrame,
    resolve: Callable[[pd.Series[str]], pd.Series[str]],
) -> pd.DataFrame | None:
    problems, columns = files.problems, spec.columns
    missing_fields = [name for name in ("area", *DEPRIVATION_FIELDS[:5]) if name not in columns]
    if missing_fields:
        problems.add(EDITIONS_FILE, f"edition {spec.code} names no column for {missing_fields}")
        return None
    table = files.table(spec.file, columns.values())
    if table is None:
        return None
    before = len(problems)
    area = columns["area"]
    if not check_codes(table, area, "data_zone", problems) or not _check_same_zones(
        table, area, zones["dz_code"], "a data zone", problems
    ):
        return None
    count = len(table.frame)
    limits: dict[str, tuple[int, int | None]] = {
        "rank": (1, count),
        "vigintile": (1, 20),
        "decile": (1, 10),
        "quintile": (1, 5),
        "population": (0, None),
        "working_age_population": (0, None),
    }
    result = pd.DataFrame({"area_code": table.frame[area]})
    for name in DEPRIVATION_FIELDS:
        if name not in columns:
            result[name] = None
        elif name in DOMAIN_RANKS:
            result[name] = _domain_ranks(table, columns[name], count, problems)
        else:
            low, high = limits[name]
            result[name] = integers(table, columns[name], problems, minimum=low, maximum=high)
    if "rank" in columns:
        check_unique(table, columns["rank"], problems)
    by_zone = zones.set_index("dz_code").loc[table.frame[area]].reset_index()
    geographies = (
        ("intermediate_zone", "iz_code", "an intermediate zone"),
        ("council_area", "la_code", "a council area"),
        ("health_board", "hb_code", "a health board"),
    )
    for name, zone_column, what in geographies:
        if name in columns:
            codes = resolve(table.frame[columns[name]]).reset_index(drop=True)
            _check_matches_lookup(table, columns[name], codes, by_zone[zone_column], what, problems)
    return result if len(problems) == before else None


def _domain_ranks(
    table: Table, column: str, count: int, problems: Problems
) -> pd.Series[float] | None:
    """Domain ranks from 1 to ``count``; tied zones share the mean of their ranks (x.5)."""
    raw = table.frame[column]
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = numbers.isna() | (numbers * 2 != (numbers * 2).round()) | (numbers < 1)
    bad |= numbers > count
    for line in table.lines(bad)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            table.name,
            f"must be a rank from 1 to {count} (a whole number, or ending in .5 for a tie)",
            line=line,
            field=column,
            value=raw.iloc[line - 2],
        )
    return None if bad.any() else numbers.astype("float64")


def _read_dz_population(files: SourceReader, zones: pd.DataFrame) -> pd.DataFrame | None:
    """NRS small-area population estimates by data zone: Female + Male, one column per year."""
    problems = files.problems
    table = files.table(POPULATION_DZ, ("FeatureCode", "Sex"))
    if table is None:
        return None
    years = [column for column in table.frame.columns if YEAR_COLUMN.match(column)]
    if not years:
        problems.add(POPULATION_DZ, "has no year columns (2001, 2002, ...)", line=1)
        return None
    before = len(problems)
    if not check_codes(table, "FeatureCode", "data_zone", problems):
        return None
    sexes = table.frame["Sex"]
    for line in table.lines(~sexes.isin(["Female", "Male"]))[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            POPULATION_DZ,
            "must be Female or Male",
            line=line,
            field="Sex",
            value=sexes.iloc[line - 2],
        )
    repeated = table.frame.duplicated(["FeatureCode", "Sex"])
    for line in table.lines(repeated)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            POPULATION_DZ,
            "a data zone has one row per sex",
            line=line,
            field="FeatureCode",
            value=table.frame["FeatureCode"].iloc[line - 2],
        )
    counts = {year: integers(table, year, problems, minimum=0) for year in years}
    codes = table.frame["FeatureCode"]
    unknown = ~codes.isin(zones["dz_code"])
    for line in table.lines(unknown)[:MAX_PROBLEMS_SHOWN]:
        problems.add(
            POPULATION_DZ,
            f"is not a data zone of {LOOKUP}",
            line=line,
            field="FeatureCode",
            value=codes.iloc[line - 2],
        )
    per_zone = table.frame.groupby("FeatureCode").size()
    incomplete = sorted(set(zones["dz_code"]) - set(per_zone[per_zone == 2].index))
    if incomplete:
        problems.add(
            POPULATION_DZ,
            f"{len(incomplete)} data zones lack a Female and a Male row, e.g. "
            + ", ".join(incomplete[:5]),
            field="FeatureCode",
        )
    if len(problems) != before:
        return None
    frame = pd.DataFrame({int(year): values for year, values in counts.items()})
    frame["code"] = codes.to_numpy()
    return frame.groupby("code").sum()


def _read_published_population(files: SourceReader) -> pd.DataFrame | None:
    table = files.table(POPULATION_PUBLISHED, ("FeatureCode", "DateCode", "Value", "Sex"))
    if table is None:
        return None
    year = integers(table, "DateCode", files.problems, minimum=1800, maximum=2200)
    value = integers(table, "Value", files.problems, minimum=0)
    if year is None or value is None:
        return None
    frame = pd.DataFrame({"code": table.frame["FeatureCode"], "year": year, "count": value})
    return frame.groupby(["code", "year"], as_index=False).agg(count=("count", "sum"))


def _read_typology(
    files: SourceReader,
    spec: TypologySpec,
    zones: pd.DataFrame,
    resolve: Callable[[pd.Series[str]], pd.Series[str]],
) -> pd.DataFrame | None:
    problems, columns = files.problems, spec.columns
    table = files.table(spec.file, columns.values())
    if table is None:
        return None
    before = len(problems)
    area = columns["area"]
    izs = pd.Series(zones["iz_code"].unique())
    if not check_codes(table, area, "intermediate_zone", problems) or not _check_same_zones(
        table, area, izs, "an intermediate zone", problems
    ):
        return None
    numbers = integers(table, columns["group_number"], problems, minimum=1)
    check_not_blank(table, columns["group_name"], problems)
    if "council_area" in columns:
        councils = zones.drop_duplicates("iz_code").set_index("iz_code")["la_code"]
        codes = resolve(table.frame[columns["council_area"]]).reset_index(drop=True)
        expected = councils.loc[table.frame[area]].reset_index(drop=True)
        _check_matches_lookup(
            table, columns["council_area"], codes, expected, "a council area", problems
        )
    if len(problems) != before or numbers is None:
        return None
    return pd.DataFrame(
        {
            "area_code": table.frame[area],
            "group_number": numbers,
            "group_name": table.frame[columns["group_name"]],
        }
    )


def _read_boundaries(
    files: SourceReader,
    zones: pd.DataFrame,
    resolve: Callable[[pd.Series[str]], pd.Series[str]],
) -> list[tuple[str, dict[str, Any]]]:
    problems = files.problems
    document = files.json(BOUNDARIES)
    if document is None:
        return []
    features = geojson_features(document, BOUNDARIES, "LA_Code", problems)
    councils = set(zones["la_code"])
    codes = resolve(pd.Series([code for code, _ in features], dtype="object"))
    result: list[tuple[str, dict[str, Any]]] = []
    for (given, geometry), code in zip(features, codes, strict=True):
        if code not in councils:
            problems.add(
                BOUNDARIES,
                f"is not a council area of {LOOKUP}",
                field="LA_Code",
                value=given,
            )
        result.append((code, geometry))
    repeated = sorted(codes[codes.duplicated()].unique())
    if repeated:
        problems.add(
            BOUNDARIES,
            "a council area has more than one feature",
            field="LA_Code",
            value=repeated[0],
        )
    absent = sorted(councils - set(codes))
    if absent:
        problems.add(
            BOUNDARIES,
            f"council areas without a boundary: {', '.join(absent)}",
            field="LA_Code",
        )
    return result
