"""The audit pages, documents and API: what each viewer sees and may do, end to end through the
views, with pinned query counts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader
from pytest_django import DjangoAssertNumQueries

from cplan.accounts.models import Role
from cplan.audit.models import ProgressAssessment, Recommendation, Response
from cplan.audit.services import audit_import, response_submit
from cplan.partnerships.models import Organisation, Partnership
from tests.audit.conftest import user_with_role

pytestmark = pytest.mark.django_db

AuditSet = Callable[[str | None], Path]
# Session/user lookups are not made for anonymous visitors; selectors as in test_selectors.
DASHBOARD_QUERIES = 9
LIST_QUERIES = 7


@pytest.fixture
def imported(borsetshire: Partnership, felpersham: Partnership, audit_set: AuditSet) -> None:
    audit_import(directory=audit_set(None))


def html(response: Any) -> str:
    return str(response.content.decode())


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dashboard_counts_and_links(
    imported: None, client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/audit/")
    assert response.status_code == 200
    page = html(response)
    assert '<a href="/audit/recommendations/?addressee=organisation:cosla">COSLA</a>' in page
    assert '<a href="/audit/recommendations/?report=BA2021">' in page
    assert "Partnerships' progress" not in page
    assert 'data-status="amber">1</span> amber' in page
    # Drafts are not shown to the public.
    assert "Partnership working in Borsetshire" not in page


def test_the_list_filters(
    imported: None, client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/audit/recommendations/", {"dimension": "value_for_money"})
    page = html(response)
    assert "<strong>1</strong> recommendation" in page
    assert '<a href="/audit/recommendations/BA2021-R01/">BA2021-R01</a>' in page
    page = html(client.get("/audit/recommendations/", {"q": "prevention", "status": "unrated"}))
    assert '<a href="/audit/recommendations/BA2021-R02/">BA2021-R02</a>' in page
    assert "<strong>1</strong> recommendation" in page
    bad = client.get("/audit/recommendations/", {"status": "purple"})
    assert bad.status_code == 200
    assert "Select a valid choice" in html(bad)


def test_a_recommendation_page_shows_ratings_rollup_timeline_and_history(
    imported: None, client: Client
) -> None:
    page = html(client.get("/audit/recommendations/BA2021-R02/"))
    assert "Community Planning Partnerships should shift resources towards prevention." in page
    assert 'id="rollup-table"' in page
    assert '<a href="/partnerships/borsetshire/">LOIP 2022</a>' in page
    assert "Follow-up due" in page
    assert "Imported" in page  # the change history
    # The public gets no forms.
    assert 'action="/audit/recommendations/BA2021-R02/respond/"' not in page
    assert 'action="/audit/recommendations/BA2021-R02/assess/"' not in page


def test_drafts_are_hidden_from_the_public_and_shown_to_auditors(
    imported: None, client: Client, auditor: User
) -> None:
    assert client.get("/audit/recommendations/BA2024-R01/").status_code == 404
    assert client.get("/audit/reports/BA2024/").status_code == 404
    assert client.get("/audit/reports/BA2024/impact.pdf").status_code == 404
    assert signed_in(auditor).get("/audit/recommendations/BA2024-R01/").status_code == 200


def test_a_cpp_officer_responds_and_the_rollup_changes(
    imported: None, felpersham: Partnership
) -> None:
    officer = signed_in(user_with_role(Role.CPP_OFFICER, partnership=felpersham))
    page = html(officer.get("/audit/recommendations/BA2021-R02/"))
    assert '<option value="partnership:S12900002">Felpersham</option>' in page
    assert "Borsetshire</option>" not in page  # only its own partnership
    response = officer.post(
        "/audit/recommendations/BA2021-R02/respond/",
        {
            "body": "partnership:S12900002",
            "submitted_on": "2022-09-10",
            "text": "Our new budget moves 5% to prevention.",
            "evidence": "Budget 2022 | https://example.org/budget",
        },
    )
    assert response.status_code == 302
    saved = Response.objects.get(partnership=felpersham)
    assert [e.label for e in saved.evidence.all()] == ["Budget 2022"]
    page = html(officer.get("/audit/recommendations/BA2021-R02/"))
    assert 'data-status="awaiting_rating">1</span>' in page
    # Another partnership's body is refused; so is a rule-breaking date.
    refused = officer.post(
        "/audit/recommendations/BA2021-R02/respond/",
        {"body": "partnership:S12900001", "submitted_on": "2022-09-10", "text": "x"},
    )
    assert refused.status_code == 400
    early = officer.post(
        "/audit/recommendations/BA2021-R02/respond/",
        {"body": "partnership:S12900002", "submitted_on": "2020-01-01", "text": "x"},
    )
    assert early.status_code == 400
    assert "is before its report was published (2021-03-01)" in html(early)
    assert Response.objects.filter(partnership=felpersham).count() == 1
    # A body the recommendation does not address has no form and may not post.
    assert officer.post("/audit/recommendations/BA2021-R04/respond/", {}).status_code == 403


def test_an_auditor_rates_a_response(imported: None, auditor: User) -> None:
    client = signed_in(auditor)
    cosla = Organisation.objects.get(slug="cosla")
    response = response_submit(
        user=user_with_role(Role.PARTNER_LEAD, organisation=cosla),
        recommendation=Recommendation.objects.get(code="BA2021-R01"),
        body=cosla,
        submitted_on=dt.date(2022, 9, 3),
        text="The route map is now on our website.",
    )
    # The response waits in the auditor's form; responses already rated do not.
    page = html(client.get("/audit/recommendations/BA2021-R01/"))
    assert page.count("The route map is now on our website.") == 3  # response, option, timeline
    posted = client.post(
        "/audit/recommendations/BA2021-R01/assess/",
        {
            "body": "overall",
            "response": str(response.pk),
            "assessed_on": "2022-09-05",
            "rag": "green",
            "headline": "COSLA's route map is published.",
            "evidence": "",
        },
    )
    assert posted.status_code == 302
    rating = ProgressAssessment.objects.get(headline="COSLA's route map is published.")
    assert rating.organisation == cosla
    assert rating.response == response
    assert rating.assessed_by_user == auditor


def test_only_auditors_rate_and_create(imported: None, borsetshire: Partnership) -> None:
    officer = signed_in(user_with_role(Role.CPP_OFFICER, partnership=borsetshire))
    assert officer.post("/audit/recommendations/BA2021-R02/assess/", {}).status_code == 403
    assert officer.get("/audit/reports/new/").status_code == 403
    assert Client().post("/audit/recommendations/BA2021-R02/assess/", {}).status_code == 302


def test_an_auditor_adds_a_report_and_a_recommendation(imported: None, auditor: User) -> None:
    client = signed_in(auditor)
    response = client.post(
        "/audit/reports/new/",
        {
            "code": "BA2025",
            "title": "Localities in Borsetshire",
            "publisher": "Borsetshire Audit Office",
            "published_on": "2025-01-15",
        },
    )
    assert response.status_code == 302
    cosla = Organisation.objects.get(slug="cosla")
    response = client.post(
        "/audit/reports/BA2025/recommendations/new/",
        {
            "code": "BA2025-R01",
            "text": "publish locality plans",
            "organisations": [str(cosla.pk)],
            "all_partnerships": "on",
            "dimensions": ["governance_and_transparency"],
            "group_code": "",
            "follow_up_by": "",
        },
    )
    assert response.status_code == 302
    assert Recommendation.objects.get(code="BA2025-R01").addressees.count() == 2
    missing = client.post(
        "/audit/reports/BA2025/recommendations/new/", {"code": "BA2025-R02", "text": "x"}
    )
    assert missing.status_code == 200
    assert "a recommendation must name at least one addressee" in html(missing)
    assert client.post("/audit/reports/BA2025/publish/").status_code == 302
    assert Client().get("/audit/reports/BA2025/").status_code == 200


def test_the_impact_report_page_pdf_and_xlsx(imported: None, client: Client) -> None:
    page = html(client.get("/audit/reports/BA2021/impact/"))
    assert "Grouped: BA2021-R01, BA2021-R03 (closely related)" in page
    assert "1,200" in page
    pdf = client.get("/audit/reports/BA2021/impact.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Appendix: progress on implementing the recommendations" in text
    assert "The route map has been agreed." in text
    assert "No evaluation has started." in text
    workbook = load_workbook(io.BytesIO(client.get("/audit/reports/BA2021/impact.xlsx").content))
    assert workbook.sheetnames == ["Summary", "Reach", "By audit dimension", "Appendix"]
    rows = list(workbook["Appendix"].iter_rows(values_only=True))
    assert rows[0][:2] == ("Group", "Recommendation")
    assert [(r[1], r[6]) for r in rows[1:]] == [
        ("BA2021-R01", "Green"),
        ("BA2021-R01", "Amber"),
        ("BA2021-R03", "Red"),
        ("BA2021-R02", "Not rated"),
        ("BA2021-R04", "Not yet assessed"),
    ]


def test_the_api(imported: None, client: Client) -> None:
    reports = client.get("/api/audit/reports/").json()
    assert [r["code"] for r in reports] == ["BA2019", "BA2021"]
    report = client.get("/api/audit/reports/BA2021/").json()
    assert report["reach"][0] == {
        "measure": "report downloads",
        "value": "1,200",
        "period": "first 12 months after publication",
        "notes": "from the publisher's website",
    }
    assert [r["code"] for r in report["recommendations"]] == [
        "BA2021-R01",
        "BA2021-R03",
        "BA2021-R02",
        "BA2021-R04",
    ]
    recs = client.get("/api/audit/recommendations/", {"status": "red"}).json()
    assert [(r["code"], r["status"]) for r in recs] == [("BA2021-R03", "red")]
    detail = client.get("/api/audit/recommendations/BA2021-R02/").json()
    assert detail["rollup"]["counts"] == {"amber": 1, "not_responded": 1}
    assert detail["partnerships"][0]["evidence"][0]["label"] == "LOIP 2022"
    assert client.get("/api/audit/recommendations/BA2024-R01/").status_code == 404
    assert client.get("/api/audit/recommendations/", {"status": "purple"}).status_code == 400
    board = client.get("/api/audit/dashboard/").json()
    assert {row["key"]: row["counts"] for row in board["by_report"]}["BA2019"] == {
        "not_assessed": 1
    }
