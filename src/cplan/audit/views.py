"""The audit pages. Reads go through the selectors (which hide draft reports from the public);
writes go through the services (which check permission and record history)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cplan.accounts.permissions import can
from cplan.audit import documents, selectors, services
from cplan.audit.forms import (
    AssessmentForm,
    FollowUpForm,
    RecommendationFilterForm,
    RecommendationForm,
    ReportForm,
    ResponseForm,
)
from cplan.audit.impact import impact_report
from cplan.audit.models import AddresseeKind, AuditReport, Recommendation
from cplan.partnerships.models import Organisation, Partnership


def _report_or_404(request: HttpRequest, code: str) -> AuditReport:
    report = selectors.report_get(viewer=request.user, code=code)
    if report is None:
        raise Http404("No such audit report.")
    return report


def _recommendation_or_404(request: HttpRequest, code: str) -> Recommendation:
    recommendation = selectors.recommendation_get(viewer=request.user, code=code)
    if recommendation is None:
        raise Http404("No such recommendation.")
    return recommendation


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's rule errors on the form's fields (or the whole form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "audit/index.html",
        {
            "board": selectors.dashboard(viewer=request.user),
            "reports": selectors.reports_visible(request.user),
            "can_edit": can(request.user, "audit.edit"),
        },
    )


@require_safe
def recommendation_list(request: HttpRequest) -> HttpResponse:
    reports = [(r.code, r.title) for r in selectors.reports_visible(request.user)]
    form = RecommendationFilterForm(
        request.GET or None,
        reports=reports,
        addressees=selectors.addressee_choices(request.user),
    )
    filters = selectors.RecommendationFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.RecommendationFilters(**form.cleaned_data)
    summaries = selectors.recommendation_list(viewer=request.user, filters=filters)
    return render(
        request,
        "audit/recommendation_list.html",
        {
            "form": form,
            "summaries": summaries,
            "filtered": filters != selectors.RecommendationFilters(),
        },
    )


@require_safe
def report_detail(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    return render(
        request,
        "audit/report_detail.html",
        {
            "report": report,
            "impact": impact_report(report=report),
            "can_edit": can(request.user, "audit.edit"),
        },
    )


@require_safe
def impact(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    return render(request, "audit/impact.html", {"impact": impact_report(report=report)})


@require_safe
def impact_pdf(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    pdf = documents.impact_pdf(
        impact_report(report=report), base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.code}-impact-report.pdf"'
    return response


@require_safe
def impact_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    response = HttpResponse(
        documents.impact_xlsx(impact_report(report=report)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{report.code}-impact-report.xlsx"'
    return response


def _recommendation_context(request: HttpRequest, recommendation: Recommendation) -> dict[str, Any]:
    user = request.user
    summary = selectors.summarise(recommendation, today=timezone.localdate())
    siblings = []
    if recommendation.group_id is not None:
        siblings = list(
            selectors.recommendations_visible(user)
            .filter(group_id=recommendation.group_id)
            .exclude(pk=recommendation.pk)
        )
    bodies = selectors.bodies_user_may_respond_for(viewer=user, recommendation=recommendation)
    can_rate = can(user, "audit.rate")
    return {
        "recommendation": recommendation,
        "summary": summary,
        "siblings": siblings,
        "rollup": selectors.national_rollup(recommendation=recommendation),
        "responses": selectors.responses_of(recommendation=recommendation),
        "timeline": selectors.recommendation_timeline(recommendation=recommendation),
        "history": selectors.recommendation_history(recommendation=recommendation),
        "respond_form": ResponseForm(bodies=bodies) if bodies else None,
        "assess_form": _assessment_form(recommendation) if can_rate else None,
        "follow_up_form": FollowUpForm(initial={"follow_up_by": recommendation.follow_up_by})
        if can(user, "audit.edit")
        else None,
    }


def _assessable_bodies(recommendation: Recommendation) -> list[Partnership | Organisation]:
    bodies: list[Partnership | Organisation] = []
    for addressee in recommendation.addressees.all():
        if addressee.kind == AddresseeKind.ALL_PARTNERSHIPS:
            bodies += list(Partnership.objects.order_by("name"))
        elif addressee.organisation is not None:
            bodies.append(addressee.organisation)
        elif addressee.partnership is not None:
            bodies.append(addressee.partnership)
    return list(dict.fromkeys(bodies))


def _assessment_form(recommendation: Recommendation, data: Any = None) -> AssessmentForm:
    return AssessmentForm(
        data,
        bodies=_assessable_bodies(recommendation),
        responses=selectors.unrated_responses(recommendation=recommendation),
    )


@require_safe
def recommendation_detail(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = _recommendation_or_404(request, code)
    return render(
        request,
        "audit/recommendation_detail.html",
        _recommendation_context(request, recommendation),
    )


def _render_with_form(
    request: HttpRequest, recommendation: Recommendation, name: str, form: Form
) -> HttpResponse:
    context = _recommendation_context(request, recommendation)
    context[name] = form
    return render(request, "audit/recommendation_detail.html", context, status=400)


@require_POST
@login_required
def respond(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = _recommendation_or_404(request, code)
    bodies = selectors.bodies_user_may_respond_for(
        viewer=request.user, recommendation=recommendation
    )
    if not bodies:
        raise PermissionDenied("You may not respond to this recommendation.")
    form = ResponseForm(request.POST, bodies=bodies)
    if form.is_valid():
        try:
            services.response_submit(
                user=request.user,
                recommendation=recommendation,
                body=form.chosen_body(),
                submitted_on=form.cleaned_data["submitted_on"],
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Your response for {form.chosen_body()} was submitted.")
            return redirect(reverse("audit:recommendation", args=[code]) + "#responses")
    return _render_with_form(request, recommendation, "respond_form", form)


@require_POST
@login_required
def assess(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = _recommendation_or_404(request, code)
    if not can(request.user, "audit.rate"):
        raise PermissionDenied("Only auditors rate progress.")
    form = _assessment_form(recommendation, request.POST)
    if form.is_valid():
        try:
            services.assessment_create(
                user=request.user,
                recommendation=recommendation,
                assessed_on=form.cleaned_data["assessed_on"],
                rag=form.cleaned_data["rag"],
                headline=form.cleaned_data["headline"],
                narrative=form.cleaned_data["narrative"],
                body=form.chosen_body(),
                response=form.chosen_response(),
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "The assessment was recorded.")
            return redirect(reverse("audit:recommendation", args=[code]) + "#progress")
    return _render_with_form(request, recommendation, "assess_form", form)


@require_POST
@login_required
def follow_up(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = _recommendation_or_404(request, code)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_follow_up_set(
                user=request.user,
                recommendation=recommendation,
                follow_up_by=form.cleaned_data["follow_up_by"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "The follow-up date was saved.")
            return redirect("audit:recommendation", code)
    return _render_with_form(request, recommendation, "follow_up_form", form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "audit.edit"):
        raise PermissionDenied("Only auditors add audit reports.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.audit_report_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{report.title} was added as a draft.")
            return redirect("audit:report", report.code)
    return render(request, "audit/report_form.html", {"form": form})


@require_POST
@login_required
def report_publish(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    services.audit_report_publish(user=request.user, report=report)
    messages.success(request, f"{report.title} is published.")
    return redirect("audit:report", report.code)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def recommendation_create(request: HttpRequest, code: str) -> HttpResponse:
    report = _report_or_404(request, code)
    if not can(request.user, "audit.edit"):
        raise PermissionDenied("Only auditors add recommendations.")
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                user=request.user, report=report, **form.cleaned_data
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Recommendation {recommendation.code} was added.")
            return redirect("audit:recommendation", recommendation.code)
    return render(request, "audit/recommendation_form.html", {"form": form, "report": report})
