"""``cplan import-audit`` / ``export-audit``: the layout, the round trip, and every bad input
rejected with a clear problem and nothing written."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cplan.audit import rules
from cplan.audit.exporters import audit_export
from cplan.audit.layout import AuditImportError, ImportProblem
from cplan.audit.models import (
    Addressee,
    AddresseeKind,
    AuditReport,
    EvidenceLink,
    ImpactMeasure,
    ProgressAssessment,
    Recommendation,
    RecommendationGroup,
    Response,
)
from cplan.audit.services import audit_import
from cplan.core.models import ChangeRecord
from cplan.partnerships.models import Organisation, OrganisationType, Partnership

pytestmark = pytest.mark.django_db

AuditSet = Callable[[str | None], Path]
AUDIT_MODELS = (
    AuditReport,
    Recommendation,
    RecommendationGroup,
    Addressee,
    ProgressAssessment,
    Response,
    EvidenceLink,
    ImpactMeasure,
    Organisation,
    ChangeRecord,
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in AUDIT_MODELS}


def test_the_valid_set_imports_with_its_links(
    borsetshire: Partnership, audit_set: AuditSet
) -> None:
    report = audit_import(directory=audit_set(None))
    assert str(report.counts["reports"]) == "3 created, 0 updated, 0 unchanged"
    assert str(report.counts["recommendations"]) == "6 created, 0 updated, 0 unchanged"
    assert str(report.counts["assessments"]) == "6 created, 0 updated, 0 unchanged"
    assert str(report.counts["responses"]) == "2 created, 0 updated, 0 unchanged"
    assert str(report.counts["impact measures"]) == "2 created, 0 updated, 0 unchanged"

    update = AuditReport.objects.get(code="BA2021")
    assert update.follows == AuditReport.objects.get(code="BA2019")
    assert AuditReport.objects.get(code="BA2024").is_published is False
    # Names map to organisations through data/addressees.csv, created as national bodies.
    cosla = Organisation.objects.get(slug="cosla")
    assert (cosla.name, cosla.type) == ("COSLA", OrganisationType.NATIONAL)
    r01 = Recommendation.objects.get(code="BA2021-R01")
    assert [str(a) for a in r01.addressees.all()] == ["Scottish Government", "COSLA"]
    assert r01.group is not None
    assert r01.group.code == "G1"
    assert r01.follow_up_by == dt.date(2023, 3, 1)
    assert sorted(r01.dimensions.values_list("dimension", flat=True)) == [
        "governance_and_transparency",
        "value_for_money",
    ]
    r02 = Recommendation.objects.get(code="BA2021-R02")
    assert r02.addressees.get().kind == AddresseeKind.ALL_PARTNERSHIPS
    r04 = Recommendation.objects.get(code="BA2021-R04")
    assert r04.addressees.get().partnership == borsetshire
    # The partnership's rating is linked to the response it rated, and keeps its evidence.
    rating = ProgressAssessment.objects.get(recommendation=r02, partnership=borsetshire)
    assert rating.rag == "amber"
    assert rating.response is not None
    assert rating.response.submitted_on == dt.date(2022, 8, 15)
    assert [(e.label, e.url) for e in rating.evidence.all()] == [
        ("LOIP 2022", "/partnerships/borsetshire/")
    ]
    response = Response.objects.get(recommendation=r02)
    assert [e.label for e in response.evidence.all()] == ["LOIP 2022", "Board minutes"]
    assert ImpactMeasure.objects.get(measure="report downloads").value == Decimal(1200)


def test_every_write_is_in_the_history(borsetshire: Partnership, audit_set: AuditSet) -> None:
    audit_import(directory=audit_set(None), actor="test import")
    r01 = Recommendation.objects.get(code="BA2021-R01")
    record = ChangeRecord.objects.get(object_type="audit.Recommendation", object_id=str(r01.pk))
    assert record.actor == "test import"
    assert record.after is not None
    assert record.after["addressees"] == ["Scottish Government", "COSLA"]
    assert record.after["dimensions"] == "governance and transparency; value for money"
    assert ChangeRecord.objects.filter(object_type="audit.ProgressAssessment").count() == 6


def test_importing_again_changes_nothing(borsetshire: Partnership, audit_set: AuditSet) -> None:
    directory = audit_set(None)
    audit_import(directory=directory)
    before = table_counts()
    again = audit_import(directory=directory)
    assert all(c.created == 0 and c.updated == 0 for c in again.counts.values())
    assert table_counts() == before


def test_a_changed_row_updates_in_place_and_is_recorded(
    borsetshire: Partnership, audit_set: AuditSet
) -> None:
    directory = audit_set(None)
    audit_import(directory=directory)
    path = directory / "recommendations.csv"
    path.write_text(
        path.read_text().replace("evaluate the route map", "evaluate the route map fully")
    )
    report = audit_import(directory=directory)
    assert str(report.counts["recommendations"]) == "0 created, 1 updated, 5 unchanged"
    r03 = Recommendation.objects.get(code="BA2021-R03")
    assert r03.text == "evaluate the route map fully"
    record = ChangeRecord.objects.filter(object_id=str(r03.pk), action="update").get()
    assert record.before is not None
    assert record.after is not None
    assert (record.before["text"], record.after["text"]) == (
        "evaluate the route map",
        "evaluate the route map fully",
    )


def test_round_trip_of_the_valid_set(
    borsetshire: Partnership, audit_set: AuditSet, tmp_path: Path
) -> None:
    source = audit_set(None)
    audit_import(directory=source)
    exported = tmp_path / "exported"
    written = audit_export(directory=exported)
    assert sorted(p.name for p in written) == sorted(p.name for p in source.glob("*.csv"))
    for path in source.glob("*.csv"):
        assert (exported / path.name).read_text() == path.read_text(), path.name


def test_round_trip_of_the_real_audit_data(shared_audit_dir: Path, tmp_path: Path) -> None:
    """Export what was imported from shared/data/audit and compare, row by row and column by
    column (the source quotes one field it need not, so bytes may differ there)."""
    audit_import(directory=shared_audit_dir)
    written = audit_export(directory=tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in shared_audit_dir.glob("*.csv"))
    for path in shared_audit_dir.glob("*.csv"):
        original, exported = rows(path), rows(tmp_path / path.name)
        assert list(exported[0]) == list(original[0]), path.name
        assert exported == original, path.name
    # And the export imports back with nothing to change.
    again = audit_import(directory=tmp_path)
    assert all(c.created == 0 and c.updated == 0 for c in again.counts.values())


def test_the_real_data_has_its_counts(shared_audit_dir: Path) -> None:
    audit_import(directory=shared_audit_dir)
    assert AuditReport.objects.count() == 3
    assert Recommendation.objects.filter(report__code="CP2014").count() == 16
    assert Recommendation.objects.filter(report__code="CP2016").count() == 13
    assert ProgressAssessment.objects.count() == 14
    assert RecommendationGroup.objects.filter(report__code="CP2016").count() == 3
    assert Addressee.objects.filter(kind=AddresseeKind.ALL_PARTNERSHIPS).count() == 7 + 3
    assert set(Organisation.objects.values_list("slug", flat=True)) == {
        "scottish-government",
        "cosla",
        "national-community-planning-group",
    }


# --- bad input: one small file each; the whole import is refused and nothing is written ----------

BAD_CASES = {
    "unknown_rag": [
        ImportProblem("assessments.csv", 2, "rag", "Purple", rules.RAG_UNKNOWN),
    ],
    "unknown_dimension": [
        ImportProblem(
            "recommendations.csv",
            3,
            "audit_dimensions",
            "governance and transparency; value for monye",
            rules.DIMENSION_UNKNOWN,
        ),
    ],
    "assessment_before_report": [
        ImportProblem(
            "assessments.csv",
            2,
            "assessed_on",
            "2020-12-31",
            rules.DATE_BEFORE_REPORT.format(published_on="2021-03-01"),
        ),
    ],
    "no_addressee": [
        ImportProblem("recommendations.csv", 2, "addressee", "", rules.NO_ADDRESSEE),
    ],
    "duplicate_ids": [
        ImportProblem(
            "recommendations.csv", 8, "rec_id", "BA2021-R02", rules.DUPLICATE_ID.format(line=4)
        ),
    ],
    "group_two_reports": [
        ImportProblem(
            "recommendations.csv",
            line,
            "group_id",
            "G1",
            rules.GROUP_SPANS_REPORTS.format(group="G1", other="BA2019"),
        )
        for line in (3, 5)
    ],
    "response_not_addressed": [
        ImportProblem(
            "responses.csv",
            2,
            "body",
            "COSLA",
            rules.BODY_NOT_ADDRESSED.format(body="COSLA", recommendation="BA2019-R01"),
        ),
    ],
    "unknown_addressee": [
        ImportProblem(
            "recommendations.csv", 7, "addressee", "Borsetshire Water", rules.UNKNOWN_BODY
        ),
    ],
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_is_refused_with_a_clear_problem(
    case: str, borsetshire: Partnership, audit_set: AuditSet
) -> None:
    before = table_counts()
    with pytest.raises(AuditImportError) as raised:
        audit_import(directory=audit_set(case))
    assert raised.value.problems == BAD_CASES[case]
    assert table_counts() == before


def test_bad_input_changes_nothing_already_imported(
    borsetshire: Partnership, audit_set: AuditSet
) -> None:
    audit_import(directory=audit_set(None))
    before = table_counts()
    with pytest.raises(AuditImportError):
        audit_import(directory=audit_set("unknown_rag"))
    assert table_counts() == before
    assert ProgressAssessment.objects.filter(rag="green").count() == 2


def test_a_problem_reads_as_file_line_column_value_and_rule() -> None:
    problem = BAD_CASES["unknown_rag"][0]
    assert str(problem) == (
        "assessments.csv line 2, rag 'Purple': must be Green, Amber or Red, or blank for not rated"
    )


def test_a_partnership_rating_before_the_partnership_is_loaded_is_refused(
    audit_set: AuditSet,
) -> None:
    with pytest.raises(AuditImportError) as raised:
        audit_import(directory=audit_set(None))
    assert {(p.file, p.line, p.field, p.value) for p in raised.value.problems} == {
        ("recommendations.csv", 6, "addressee", "S12900001"),
        ("assessments.csv", 6, "body", "S12900001"),
        ("responses.csv", 3, "body", "S12900001"),
    }


def test_wrong_columns_and_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "reports.csv").write_text("report_id,title,publisher,published,notes\n")
    (tmp_path / "recomendations.csv").write_text("rec_id\n")
    with pytest.raises(AuditImportError) as raised:
        audit_import(directory=tmp_path)
    assert [(p.file, p.field) for p in raised.value.problems] == [
        ("recomendations.csv", "file name"),
        ("reports.csv", "published"),
        ("reports.csv", "published_on"),
    ]


def test_the_commands_import_and_export(
    borsetshire: Partnership, audit_set: AuditSet, tmp_path: Path
) -> None:
    call_command("audit_import", str(audit_set(None)))
    assert Recommendation.objects.count() == 6
    call_command("audit_export", str(tmp_path / "out"))
    assert (tmp_path / "out" / "responses.csv").is_file()
    with pytest.raises(CommandError, match="rag 'Purple'"):
        call_command("audit_import", str(audit_set("unknown_rag")))
