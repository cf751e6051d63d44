"""Reading audit data: statuses, visibility, filters, the dashboard and the national roll-up, on
the fictional Borsetshire set (tests/audit/data/valid)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from pytest_django import DjangoAssertNumQueries

from cplan.accounts.models import Role
from cplan.audit.models import ProgressAssessment, Rag, Recommendation
from cplan.audit.selectors import (
    AMBER,
    AWAITING_RATING,
    GREEN,
    NOT_ASSESSED,
    NOT_RESPONDED,
    RED,
    UNRATED,
    RecommendationFilters,
    dashboard,
    is_overdue,
    national_rollup,
    recommendation_get,
    recommendation_history,
    recommendation_list,
    recommendation_timeline,
    status_of,
)
from cplan.audit.services import assessment_create, audit_import, response_submit
from cplan.partnerships.models import Partnership
from tests.audit.conftest import user_with_role

pytestmark = pytest.mark.django_db

AuditSet = Callable[[str | None], Path]
PUBLIC = AnonymousUser()
# Recommendations with addressees, dimensions, non-partnership assessments (+ evidence).
LIST_QUERIES = 5
# The list, the roll-up's responses, assessments and partnerships.
DASHBOARD_QUERIES = LIST_QUERIES + 3


@pytest.fixture
def imported(borsetshire: Partnership, felpersham: Partnership, audit_set: AuditSet) -> None:
    audit_import(directory=audit_set(None))


def codes(filters: RecommendationFilters, viewer: User | AnonymousUser = PUBLIC) -> list[str]:
    return [s.code for s in recommendation_list(viewer=viewer, filters=filters)]


def assessment(on: str, rag: str) -> ProgressAssessment:
    return ProgressAssessment(assessed_on=dt.date.fromisoformat(on), rag=rag, headline="x")


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], NOT_ASSESSED),
        ([("2018-06-30", "green")], GREEN),
        # Two parts rated on the same date: the weaker leads.
        ([("2018-06-30", "green"), ("2018-06-30", "amber")], AMBER),
        ([("2018-06-30", "red"), ("2019-01-01", "green")], GREEN),
        ([("2018-06-30", "green"), ("2019-01-01", "")], UNRATED),
    ],
)
def test_status_comes_from_the_latest_assessments(
    ratings: list[tuple[str, str]], expected: str
) -> None:
    assert status_of([assessment(on, rag) for on, rag in ratings])[0] == expected


def test_overdue_means_past_follow_up_and_not_reassessed_since() -> None:
    follow_up = dt.date(2023, 3, 1)
    assert not is_overdue(None, None, dt.date(2030, 1, 1))
    assert not is_overdue(follow_up, None, follow_up)
    assert is_overdue(follow_up, None, dt.date(2023, 3, 2))
    assert is_overdue(follow_up, dt.date(2022, 9, 1), dt.date(2023, 3, 2))
    assert not is_overdue(follow_up, follow_up, dt.date(2023, 3, 2))


def test_summaries_give_each_recommendation_its_status(imported: None) -> None:
    summaries = {s.code: s for s in recommendation_list(viewer=PUBLIC)}
    assert {code: s.status for code, s in summaries.items()} == {
        "BA2019-R01": NOT_ASSESSED,
        "BA2021-R01": AMBER,
        "BA2021-R02": UNRATED,
        "BA2021-R03": RED,
        "BA2021-R04": NOT_ASSESSED,
    }
    r01 = summaries["BA2021-R01"]
    assert r01.addressed_to == "Scottish Government and COSLA"
    assert r01.dimensions == ["governance and transparency", "value for money"]
    # COSLA's own later rating, the Scottish Government's from the overall ones.
    assert r01.statuses_by_addressee == {
        "organisation:scottish-government": AMBER,
        "organisation:cosla": GREEN,
    }
    assert [(r.rag_label, r.headline) for r in r01.ratings] == [
        ("Green", "The route map has been agreed."),
        ("Amber", "The evaluation framework is still being developed."),
    ]
    assert r01.overdue  # follow-up 2023-03-01, last reassessed 2022-09-01
    assert not summaries["BA2021-R03"].overdue  # no follow-up date


def test_the_public_sees_published_reports_only(imported: None, auditor: User) -> None:
    assert "BA2024-R01" not in codes(RecommendationFilters())
    assert recommendation_get(viewer=PUBLIC, code="BA2024-R01") is None
    assert "BA2024-R01" in codes(RecommendationFilters(), auditor)
    assert recommendation_get(viewer=auditor, code="BA2024-R01") is not None
    admin = user_with_role(Role.NATIONAL_ADMIN)
    assert "BA2024-R01" in codes(RecommendationFilters(), admin)


def test_filters(imported: None, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    with django_assert_num_queries(LIST_QUERIES):
        assert len(codes(RecommendationFilters())) == 5
    assert codes(RecommendationFilters(report="BA2019")) == ["BA2019-R01"]
    assert codes(RecommendationFilters(dimension="value_for_money")) == ["BA2021-R01"]
    assert codes(RecommendationFilters(status=RED)) == ["BA2021-R03"]
    assert codes(RecommendationFilters(q="route map")) == ["BA2021-R01", "BA2021-R03"]
    # Headlines are searched too.
    assert codes(RecommendationFilters(q="no evaluation")) == ["BA2021-R03"]
    assert codes(RecommendationFilters(addressee="organisation:cosla")) == [
        "BA2021-R01",
        "BA2021-R03",
    ]
    # A partnership's recommendations: its own and those to all CPPs.
    assert codes(RecommendationFilters(addressee="partnership:borsetshire")) == [
        "BA2021-R02",
        "BA2021-R04",
    ]
    assert codes(RecommendationFilters(addressee="all-cpps")) == ["BA2021-R02"]
    assert codes(RecommendationFilters(overdue=True)) == ["BA2021-R01", "BA2021-R02"]


def test_dashboard_counts_by_addressee_and_report(
    imported: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(DASHBOARD_QUERIES):
        board = dashboard(viewer=PUBLIC)
    by_report = {row.key: dict(row.counts.counts) for row in board.by_report}
    assert by_report == {
        "BA2019": {NOT_ASSESSED: 1},
        "BA2021": {AMBER: 1, UNRATED: 1, RED: 1, NOT_ASSESSED: 1},
    }
    by_addressee = {row.label: dict(row.counts.counts) for row in board.by_addressee}
    assert by_addressee == {
        "Community Planning Partnerships": {UNRATED: 1},
        "Borsetshire": {NOT_ASSESSED: 1},
        "COSLA": {GREEN: 1, RED: 1},
        "Scottish Government": {NOT_ASSESSED: 1, AMBER: 1, RED: 1},
    }
    assert board.by_addressee[0].label == "Community Planning Partnerships"
    assert board.totals.total == 5
    assert board.totals.overdue == 2
    assert [(r.code, dict(r.counts)) for r in board.rollups] == [
        ("BA2021-R02", {AMBER: 1, NOT_RESPONDED: 1})
    ]


def test_the_national_rollup_follows_responses_and_ratings(
    imported: None, auditor: User, felpersham: Partnership
) -> None:
    r02 = Recommendation.objects.get(code="BA2021-R02")
    rollup = national_rollup(recommendation=r02)
    assert rollup is not None
    assert dict(rollup.summary.counts) == {AMBER: 1, NOT_RESPONDED: 1}
    borsetshire_row = rollup.partnerships[0]
    assert (borsetshire_row.name, borsetshire_row.status) == ("Borsetshire", AMBER)
    assert borsetshire_row.latest_response is not None
    assert [e.label for e in borsetshire_row.latest_response.evidence] == [
        "LOIP 2022",
        "Board minutes",
    ]

    officer = user_with_role(Role.CPP_OFFICER, partnership=felpersham)
    response = response_submit(
        user=officer,
        recommendation=r02,
        body=felpersham,
        submitted_on=dt.date(2022, 9, 10),
        text="We are reviewing our budget.",
    )
    rollup = national_rollup(recommendation=r02)
    assert rollup is not None
    assert dict(rollup.summary.counts) == {AMBER: 1, AWAITING_RATING: 1}

    assessment_create(
        user=auditor,
        recommendation=r02,
        assessed_on=dt.date(2022, 9, 20),
        rag=Rag.RED,
        headline="No shift yet.",
        response=response,
    )
    rollup = national_rollup(recommendation=r02)
    assert rollup is not None
    assert dict(rollup.summary.counts) == {AMBER: 1, RED: 1}
    assert national_rollup(recommendation=Recommendation.objects.get(code="BA2021-R01")) is None


def test_timeline_and_history(imported: None) -> None:
    r02 = Recommendation.objects.get(code="BA2021-R02")
    events = [
        (e.on.isoformat(), e.kind, e.title) for e in recommendation_timeline(recommendation=r02)
    ]
    assert events == [
        ("2021-03-01", "published", "Published in Community planning in Borsetshire: an update"),
        ("2022-06-30", "assessment", "Progress assessed"),
        ("2022-08-15", "response", "Response from Borsetshire"),
        ("2022-09-01", "assessment", "Progress of Borsetshire assessed"),
        ("2023-03-01", "follow_up", "Follow-up due"),
    ]
    history = recommendation_history(recommendation=r02)
    assert [(h.object_type, h.action) for h in history] == [
        ("audit.Recommendation", "import"),
        ("audit.Response", "import"),
        ("audit.ProgressAssessment", "import"),
        ("audit.ProgressAssessment", "import"),
    ]
