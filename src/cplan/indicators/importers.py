"""The observation importer: read a file, turn it into observations, check them, write them.

``ObservationImporter.prepare`` reads and validates without touching the database beyond look-ups
(codes the platform holds); ``write`` stores a prepared import and must run inside the transaction
that records the import run (see :func:`cplan.indicators.services.observations_import`). The command
line and a web upload share this class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from cplan.indicators import bulk
from cplan.indicators.errors import FILE_LEVEL, ErrorCollector, RowError
from cplan.indicators.layouts import (
    ImportOptions,
    Layout,
    LayoutNotFoundError,
    RawRows,
    choose_layout,
)
from cplan.indicators.reading import FileRejectedError, check_encoding, read_header, read_table
from cplan.indicators.validation import Lookups, validate


class LookupSource(Protocol):
    def lookups_for(self, area_codes: list[str], indicator_codes: list[str]) -> Lookups: ...


@dataclass
class PreparedImport:
    """A file read and checked: ``observations`` is ready to write when ``errors`` is empty."""

    layout: str
    rows_read: int = 0
    observations: pd.DataFrame | None = None
    errors: ErrorCollector = field(default_factory=ErrorCollector)
    skipped_by_area_type: dict[str, int] = field(default_factory=dict)
    skipped_by_measurement: int = 0
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.observations is not None


class ObservationImporter:
    def __init__(self, options: ImportOptions, lookup_source: LookupSource) -> None:
        self.options = options
        self.lookup_source = lookup_source

    def prepare(self, data: bytes) -> PreparedImport:
        """Parse and validate ``data`` (the file's bytes); nothing is written."""
        prepared = PreparedImport(layout=self.options.layout)
        try:
            text = check_encoding(data)
            columns = read_header(text)
            layout = choose_layout(self.options.layout, columns)
        except FileRejectedError as rejected:
            prepared.errors.add(rejected.error)
            return prepared
        except LayoutNotFoundError as error:
            prepared.errors.add(RowError(1, "columns", "", str(error)))
            return prepared
        prepared.layout = layout.name
        for problem in layout.option_problems(self.options):
            prepared.errors.add(RowError(FILE_LEVEL, "options", "", problem))
        if prepared.errors:
            return prepared
        self._prepare_rows(text, layout, layout.numeric_columns(columns), prepared)
        return prepared

    def _prepare_rows(
        self, text: bytes, layout: Layout, numeric: list[str], prepared: PreparedImport
    ) -> None:
        try:
            table = read_table(text, numeric, layout.missing_markers)
        except FileRejectedError as rejected:
            prepared.errors.add(rejected.error)
            return
        prepared.rows_read = len(table.frame)
        errors = table.errors
        rows = RawRows(frame=table.frame, invalid=table.invalid)
        output = layout.to_observations(rows, self.options, errors)
        prepared.skipped_by_measurement = output.skipped_by_measurement
        prepared.notes = output.notes
        del table, rows
        lookups = self.lookup_source.lookups_for(
            _distinct(output.frame["area_code"]), _distinct(output.frame["indicator"])
        )
        skip = frozenset(code.strip().upper() for code in self.options.skip_area_types)
        validated = validate(output.frame, lookups, skip, errors)
        prepared.skipped_by_area_type = validated.skipped_by_area_type
        prepared.errors = errors
        if not errors:
            prepared.observations = validated.frame

    def write(self, prepared: PreparedImport, *, import_run_id: int | None) -> bulk.UpsertCounts:
        """Store the prepared observations (inside the caller's transaction)."""
        from cplan.indicators.services import breakdowns_ensure  # services import this module

        if not prepared.ok or prepared.observations is None:
            raise ValueError("only an import without errors can be written")
        frame = prepared.observations
        keys = frame["breakdown"].astype("category")
        ids = breakdowns_ensure(keys=[str(key) for key in keys.cat.categories])
        frame = frame.assign(
            breakdown_id=keys.cat.rename_categories(
                [ids[str(k)] for k in keys.cat.categories]
            ).astype("int64")
        )
        return bulk.upsert_observations(frame, import_run_id=import_run_id)


def _distinct(series: pd.Series) -> list[str]:
    return [str(value) for value in series.astype("category").cat.categories]
