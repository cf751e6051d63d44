"""Changing indicator data: importing observations, keying breakdowns, loading the catalogue."""

from __future__ import annotations

import getpass
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.contrib.auth.models import User
from django.db import DatabaseError, transaction
from django.utils import timezone

from cplan.core.history import change_record
from cplan.core.models import ChangeAction
from cplan.indicators import bulk
from cplan.indicators.breakdowns import parse_breakdown_text
from cplan.indicators.catalogue import CatalogueEntry, read_catalogue, read_national_outcomes
from cplan.indicators.errors import FILE_LEVEL, MAX_LISTED_ERRORS, RowError
from cplan.indicators.importers import ObservationImporter, PreparedImport
from cplan.indicators.layouts import ImportOptions
from cplan.indicators.models import Breakdown, ImportRun, ImportStatus, Indicator
from cplan.indicators.selectors import DatabaseLookups, import_run_matching


@dataclass
class ImportReport:
    """What an import did, for the command line, a web page or a test."""

    run_id: int
    file_name: str
    layout: str
    status: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_by_area_type: dict[str, int] = field(default_factory=dict)
    skipped_by_measurement: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    same_as_run_id: int | None = None
    seconds: float = 0.0
    seconds_reading: float = 0.0  # reading and checking, before any write

    @property
    def ok(self) -> bool:
        return self.status != ImportStatus.FAILED


def _actor(user: User | None, actor: str) -> str:
    if user is not None:
        return str(user.get_username())
    return actor or getpass.getuser()


def observations_import(
    *,
    data: bytes,
    file_name: str,
    options: ImportOptions,
    user: User | None = None,
    actor: str = "",
    force: bool = False,
) -> ImportReport:
    """Import a file of observations, all or nothing; record an ``ImportRun`` for every attempt.

    A file already imported byte for byte with the same options is not read again (status
    ``unchanged``) unless ``force``. Any bad row: nothing is written and the report lists the errors.
    """
    started = time.perf_counter()
    run = ImportRun(
        file_name=file_name[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        layout=options.layout,
        user=user,
        actor=_actor(user, actor),
        options=options.as_dict(),
    )
    previous = None if force else import_run_matching(sha256=run.sha256, options=run.options)
    if previous is not None:
        return _already_imported(run, previous, started)
    importer = ObservationImporter(options, DatabaseLookups())
    prepared = importer.prepare(data)
    prepared.notes["seconds_reading"] = round(time.perf_counter() - started, 3)
    _fill_run(run, prepared)
    if not prepared.ok:
        return _failed(run, prepared.errors.first(), prepared.errors.count, started)
    try:
        with transaction.atomic():
            run.status = ImportStatus.COMPLETED
            run.save()
            counts = importer.write(prepared, import_run_id=run.pk)
            run.rows_created, run.rows_updated, run.rows_unchanged = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            run.finished_at = timezone.now()
            run.save()
            change_record(
                user=user,
                action=ChangeAction.IMPORT,
                obj=run,
                after=_counts(run),
                source=file_name,
                actor=run.actor,
            )
    except DatabaseError as error:
        run.pk = None
        failure = RowError(FILE_LEVEL, "database", "", f"the database refused the import: {error}")
        return _failed(run, [failure], 1, started)
    return _report(run, prepared, started)


def _fill_run(run: ImportRun, prepared: PreparedImport) -> None:
    run.layout = prepared.layout
    run.rows_read = prepared.rows_read
    run.rows_skipped = sum(prepared.skipped_by_area_type.values())
    run.notes = {
        **prepared.notes,
        "skipped_by_area_type": prepared.skipped_by_area_type,
        "skipped_by_measurement": prepared.skipped_by_measurement,
    }


def _counts(run: ImportRun) -> dict[str, object]:
    return {
        "rows_read": run.rows_read,
        "created": run.rows_created,
        "updated": run.rows_updated,
        "unchanged": run.rows_unchanged,
        "skipped": run.rows_skipped,
    }


def _failed(run: ImportRun, errors: list[RowError], count: int, started: float) -> ImportReport:
    run.status = ImportStatus.FAILED
    run.errors = [error.as_dict() for error in errors[:MAX_LISTED_ERRORS]]
    run.error_count = count
    run.finished_at = timezone.now()
    run.save()
    report = _report(run, None, started)
    report.errors = errors[:MAX_LISTED_ERRORS]
    return report


def _already_imported(run: ImportRun, previous: ImportRun, started: float) -> ImportReport:
    run.status = ImportStatus.UNCHANGED
    run.layout = previous.layout
    run.rows_read = previous.rows_read
    run.notes = {"same_as_run": previous.pk}
    run.finished_at = timezone.now()
    run.save()
    report = _report(run, None, started)
    report.same_as_run_id = previous.pk
    return report


def _report(run: ImportRun, prepared: PreparedImport | None, started: float) -> ImportReport:
    return ImportReport(
        run_id=run.pk,
        file_name=run.file_name,
        layout=run.layout,
        status=run.status,
        rows_read=run.rows_read,
        created=run.rows_created,
        updated=run.rows_updated,
        unchanged=run.rows_unchanged,
        skipped_by_area_type=prepared.skipped_by_area_type if prepared else {},
        skipped_by_measurement=prepared.skipped_by_measurement if prepared else 0,
        error_count=run.error_count,
        seconds=time.perf_counter() - started,
        seconds_reading=float(run.notes.get("seconds_reading", 0.0)),
    )


def breakdowns_ensure(*, keys: Sequence[str]) -> dict[str, int]:
    """Id of each breakdown key, creating the breakdowns that do not exist yet."""
    existing = dict(Breakdown.objects.filter(key__in=keys).values_list("key", "id"))
    missing = [parse_breakdown_text(key) for key in keys if key not in existing]
    if missing:
        Breakdown.objects.bulk_create(
            [
                Breakdown(
                    key=parsed.key,
                    dimensions=parsed.dimensions,
                    simd_quintile=parsed.simd_quintile,
                    simd_base_key=parsed.simd_base_key,
                )
                for parsed in missing
            ],
            ignore_conflicts=True,
        )
        existing = dict(Breakdown.objects.filter(key__in=keys).values_list("key", "id"))
    return existing


def observations_upsert(*, frame: pd.DataFrame, import_run: ImportRun | None) -> bulk.UpsertCounts:
    """Write already-resolved observations in bulk (for loaders in other apps).

    ``frame`` columns: indicator_id, area_id, period (canonical label), period_start, period_end
    (``datetime.date``), breakdown (key, e.g. ``All``), value, numerator, denominator, lower_ci,
    upper_ci (float, NaN = none), kind (a ``ValueKind`` value), provisional (bool). Runs in a
    transaction; rows whose values are unchanged are left alone.
    """
    with transaction.atomic():
        keys = frame["breakdown"].astype("category")
        ids = breakdowns_ensure(keys=[str(key) for key in keys.cat.categories])
        resolved = frame.assign(breakdown_id=keys.map(lambda key: ids[str(key)]).astype("int64"))
        return bulk.upsert_observations(
            resolved, import_run_id=import_run.pk if import_run else None
        )


@dataclass
class CatalogueReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    outcomes_created: list[str] = field(default_factory=list)


def catalogue_load(
    *,
    catalogue_path: Path | None = None,
    outcomes_path: Path | None = None,
    user: User | None = None,
    actor: str = "",
) -> CatalogueReport:
    """Create or update the indicator catalogue from its versioned file; idempotent.

    National outcomes are linked by code; any the database lacks are created from
    ``outcomes_path`` (``npf_national_outcomes_2018.csv``), so this runs before or after the
    geography loader, which also creates them.
    """
    entries = read_catalogue(catalogue_path)
    report = CatalogueReport()
    who = _actor(user, actor)
    with transaction.atomic():
        outcomes = _outcomes_ensure(_outcome_codes(entries), outcomes_path, report, user, who)
        for entry in entries:
            _indicator_load(entry, outcomes, report, user, who)
    return report


def _outcome_codes(entries: Iterable[CatalogueEntry]) -> set[str]:
    return {code for entry in entries for code in entry.national_outcomes}


def _outcomes_ensure(
    codes: set[str],
    outcomes_path: Path | None,
    report: CatalogueReport,
    user: User | None,
    who: str,
) -> dict[str, int]:
    from cplan.frameworks.models import NationalOutcome

    held = dict(NationalOutcome.objects.filter(code__in=codes).values_list("code", "id"))
    missing = sorted(codes - set(held))
    if missing:
        names = read_national_outcomes(outcomes_path)
        unknown = [code for code in missing if code not in names]
        if unknown:
            raise ValueError(
                f"national outcome code(s) {', '.join(unknown)} are neither in the database nor in "
                f"{outcomes_path or 'npf_national_outcomes_2018.csv'}"
            )
        for code in missing:
            outcome = NationalOutcome.objects.create(code=code, name=names[code])
            change_record(
                user=user,
                action=ChangeAction.CREATE,
                obj=outcome,
                after={"code": code},
                source="indicator catalogue",
                actor=who,
            )
            held[code] = outcome.pk
            report.outcomes_created.append(code)
    return held


def _indicator_load(
    entry: CatalogueEntry,
    outcomes: dict[str, int],
    report: CatalogueReport,
    user: User | None,
    who: str,
) -> None:
    fields = entry.model_fields()
    indicator = Indicator.objects.filter(code=entry.code).first()
    wanted_outcomes = sorted(outcomes[code] for code in entry.national_outcomes)
    if indicator is None:
        indicator = Indicator.objects.create(code=entry.code, **fields)
        indicator.national_outcomes.set(wanted_outcomes)
        change_record(
            user=user,
            action=ChangeAction.CREATE,
            obj=indicator,
            after=entry.as_dict(),
            source="indicator catalogue",
            actor=who,
        )
        report.created.append(entry.code)
        return
    before = {name: getattr(indicator, name) for name in fields}
    held_outcomes = sorted(indicator.national_outcomes.values_list("id", flat=True))
    if before == fields and held_outcomes == wanted_outcomes:
        report.unchanged += 1
        return
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    indicator.national_outcomes.set(wanted_outcomes)
    change_record(
        user=user,
        action=ChangeAction.UPDATE,
        obj=indicator,
        before={**before, "national_outcomes": held_outcomes},
        after=entry.as_dict(),
        source="indicator catalogue",
        actor=who,
    )
    report.updated.append(entry.code)
