"""The audit services: who may do what (the organisation rows of the permission matrix), the
rules each write keeps, and the history it records."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError

from cplan.accounts.models import Role
from cplan.accounts.permissions import can
from cplan.audit import rules
from cplan.audit.models import AuditDimension, AuditReport, Rag, Recommendation
from cplan.audit.rules import Evidence
from cplan.audit.services import (
    assessment_create,
    audit_import,
    audit_report_create,
    audit_report_publish,
    recommendation_create,
    recommendation_follow_up_set,
    response_submit,
)
from cplan.core.models import ChangeRecord
from cplan.partnerships.models import Organisation, Partnership
from tests.audit.conftest import user_with_role

pytestmark = pytest.mark.django_db

AuditSet = Callable[[str | None], Path]
TODAY = dt.date(2022, 10, 1)


@pytest.fixture
def imported(borsetshire: Partnership, felpersham: Partnership, audit_set: AuditSet) -> None:
    audit_import(directory=audit_set(None))


def rec(code: str) -> Recommendation:
    return Recommendation.objects.get(code=code)


def cosla() -> Organisation:
    return Organisation.objects.get(slug="cosla")


# --- the organisation scope of audit.respond (the matrix test covers partnerships) -------------


@pytest.mark.parametrize(
    ("role", "own_organisation", "expected"),
    [
        (Role.PARTNER_LEAD, True, True),
        (Role.PARTNER_LEAD, False, False),
        (Role.AUDITOR, False, False),
        (Role.NATIONAL_ADMIN, False, False),
    ],
)
def test_a_partner_lead_responds_for_its_own_organisation_only(
    imported: None, role: Role, own_organisation: bool, expected: bool
) -> None:
    scope = {"organisation": cosla()} if role == Role.PARTNER_LEAD and own_organisation else {}
    if role == Role.PARTNER_LEAD and not own_organisation:
        scope = {"organisation": Organisation.objects.get(slug="scottish-government")}
    user = user_with_role(role, **scope)
    assert can(user, "audit.respond", organisation=cosla()) is expected


def test_a_partner_lead_submits_its_organisations_response(imported: None) -> None:
    lead = user_with_role(Role.PARTNER_LEAD, organisation=cosla(), username="cosla-lead")
    response = response_submit(
        user=lead,
        recommendation=rec("BA2021-R03"),
        body=cosla(),
        submitted_on=dt.date(2022, 9, 1),
        text="An evaluation is planned.",
        evidence=[Evidence("Plan", "https://example.org/plan")],
    )
    assert response.organisation == cosla()
    assert response.submitted_by == "cosla-lead"
    assert [e.url for e in response.evidence.all()] == ["https://example.org/plan"]
    record = ChangeRecord.objects.get(object_type="audit.Response", object_id=str(response.pk))
    assert record.user == lead
    assert record.after is not None
    assert record.after["body"] == "COSLA"


def test_a_partner_lead_may_not_respond_for_another_organisation(imported: None) -> None:
    lead = user_with_role(Role.PARTNER_LEAD, organisation=cosla())
    scottish_government = Organisation.objects.get(slug="scottish-government")
    with pytest.raises(PermissionDenied):
        response_submit(
            user=lead,
            recommendation=rec("BA2021-R03"),
            body=scottish_government,
            submitted_on=dt.date(2022, 9, 1),
            text="Done.",
        )


def test_a_cpp_officer_responds_for_its_partnership_only(
    imported: None, borsetshire: Partnership, felpersham: Partnership
) -> None:
    officer = user_with_role(Role.CPP_OFFICER, partnership=borsetshire)
    response = response_submit(
        user=officer,
        recommendation=rec("BA2021-R02"),
        body=borsetshire,
        submitted_on=dt.date(2022, 9, 2),
        text="More moved to prevention.",
    )
    assert response.partnership == borsetshire
    with pytest.raises(PermissionDenied):
        response_submit(
            user=officer,
            recommendation=rec("BA2021-R02"),
            body=felpersham,
            submitted_on=dt.date(2022, 9, 2),
            text="On Felpersham's behalf.",
        )


def test_a_response_from_a_body_not_addressed_is_refused(
    imported: None, felpersham: Partnership
) -> None:
    """BA2021-R04 is addressed to Borsetshire alone; BA2021-R03 to the SG and COSLA."""
    officer = user_with_role(Role.CPP_OFFICER, partnership=felpersham)
    with pytest.raises(ValidationError) as raised:
        response_submit(
            user=officer,
            recommendation=rec("BA2021-R04"),
            body=felpersham,
            submitted_on=dt.date(2022, 9, 2),
            text="We did it.",
        )
    assert raised.value.message_dict == {
        "body": [rules.BODY_NOT_ADDRESSED.format(body="Felpersham", recommendation="BA2021-R04")]
    }
    lead = user_with_role(Role.PARTNER_LEAD, organisation=cosla())
    with pytest.raises(ValidationError, match="COSLA is not an addressee of BA2019-R01"):
        response_submit(
            user=lead,
            recommendation=rec("BA2019-R01"),
            body=cosla(),
            submitted_on=dt.date(2022, 9, 2),
            text="Guidance published.",
        )
    assert not rec("BA2021-R04").responses.exists()


@pytest.mark.parametrize("role", [None, Role.CPP_OFFICER, Role.PARTNER_LEAD, Role.NATIONAL_ADMIN])
def test_only_auditors_rate(imported: None, borsetshire: Partnership, role: Role | None) -> None:
    user: User | AnonymousUser = AnonymousUser()
    if role == Role.CPP_OFFICER:
        user = user_with_role(role, partnership=borsetshire)
    elif role == Role.PARTNER_LEAD:
        user = user_with_role(role, organisation=cosla())
    elif role is not None:
        user = user_with_role(role)
    with pytest.raises(PermissionDenied):
        assessment_create(
            user=user,
            recommendation=rec("BA2021-R03"),
            assessed_on=dt.date(2022, 9, 1),
            rag=Rag.GREEN,
            headline="Evaluated.",
        )


def test_an_auditor_rates_a_response_as_that_bodys_progress(
    imported: None, auditor: User, borsetshire: Partnership
) -> None:
    response = rec("BA2021-R02").responses.get(partnership=borsetshire)
    assessment = assessment_create(
        user=auditor,
        recommendation=rec("BA2021-R02"),
        assessed_on=dt.date(2022, 9, 20),
        rag=Rag.GREEN,
        headline="A tenth of the budget now funds prevention.",
        response=response,
        evidence=[Evidence("Budget", "/partnerships/borsetshire/")],
    )
    assert assessment.partnership == borsetshire
    assert assessment.assessed_by == "auditor"
    assert assessment.assessed_by_user == auditor
    record = ChangeRecord.objects.get(
        object_type="audit.ProgressAssessment", object_id=str(assessment.pk)
    )
    assert record.after is not None
    assert (record.after["rag"], record.after["body"]) == ("green", "Borsetshire")


def test_rating_rules(imported: None, auditor: User, borsetshire: Partnership) -> None:
    r03 = rec("BA2021-R03")
    with pytest.raises(ValidationError, match=rules.RAG_UNKNOWN):
        assessment_create(
            user=auditor, recommendation=r03, assessed_on=TODAY, rag="purple", headline="x"
        )
    with pytest.raises(ValidationError, match="before its report was published"):
        assessment_create(
            user=auditor,
            recommendation=r03,
            assessed_on=dt.date(2021, 2, 28),
            rag=Rag.RED,
            headline="x",
        )
    with pytest.raises(ValidationError, match="Borsetshire is not an addressee of BA2021-R03"):
        assessment_create(
            user=auditor,
            recommendation=r03,
            assessed_on=TODAY,
            rag=Rag.RED,
            headline="x",
            body=borsetshire,
        )
    other = rec("BA2021-R02").responses.get()
    with pytest.raises(ValidationError, match="not about BA2021-R03"):
        assessment_create(
            user=auditor,
            recommendation=r03,
            assessed_on=TODAY,
            rag="",
            headline="x",
            response=other,
        )
    with pytest.raises(ValidationError, match="in the future"):
        assessment_create(
            user=auditor,
            recommendation=r03,
            assessed_on=dt.date.today() + dt.timedelta(days=1),
            rag=Rag.RED,
            headline="x",
        )
    with pytest.raises(ValidationError, match=re.escape(rules.BAD_EVIDENCE)):
        assessment_create(
            user=auditor,
            recommendation=r03,
            assessed_on=TODAY,
            rag=Rag.RED,
            headline="x",
            evidence=[Evidence("Bad link", "javascript:alert(1)")],
        )
    assert r03.assessments.count() == 1  # only the imported one


def test_auditors_create_and_publish_reports_and_recommendations(
    imported: None, auditor: User, borsetshire: Partnership
) -> None:
    report = audit_report_create(
        user=auditor,
        code="BA2025",
        title="Locality planning in Borsetshire",
        publisher="Borsetshire Audit Office",
        published_on=dt.date(2025, 1, 15),
    )
    assert report.is_published is False
    recommendation = recommendation_create(
        user=auditor,
        report=report,
        code="BA2025-R01",
        text="publish locality plans",
        organisations=[cosla()],
        all_partnerships=True,
        dimensions=[AuditDimension.GOVERNANCE],
        group_code="G9",
        follow_up_by=dt.date(2026, 1, 15),
    )
    assert [str(a) for a in recommendation.addressees.all()] == [
        "COSLA",
        "Community Planning Partnerships",
    ]
    assert recommendation.position == 1
    audit_report_publish(user=auditor, report=report)
    assert AuditReport.objects.get(code="BA2025").is_published
    with pytest.raises(ValidationError, match=rules.NO_ADDRESSEE):
        recommendation_create(user=auditor, report=report, code="BA2025-R02", text="x")
    with pytest.raises(ValidationError, match="cannot span two reports"):
        recommendation_create(
            user=auditor,
            report=report,
            code="BA2025-R03",
            text="x",
            organisations=[cosla()],
            group_code="G1",
        )
    with pytest.raises(ValidationError, match="before its report"):
        recommendation_follow_up_set(
            user=auditor, recommendation=recommendation, follow_up_by=dt.date(2024, 1, 1)
        )


def test_others_may_not_create_reports(imported: None, borsetshire: Partnership) -> None:
    officer = user_with_role(Role.CPP_OFFICER, partnership=borsetshire)
    with pytest.raises(PermissionDenied):
        audit_report_create(
            user=officer,
            code="X",
            title="X",
            publisher="X",
            published_on=dt.date(2025, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        audit_import(directory=Path("/nonexistent"), user=officer)
