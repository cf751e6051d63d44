"""Plan pages. Thin: a selector reads, a form validates, a service writes (and checks permission;
PermissionDenied becomes 403). Objects are fetched only through ``visible_versions``, so a draft is
a 404 for anyone who may not read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cplan.accounts.permissions import can, require
from cplan.partnerships.models import GovernanceBodyKind, Meeting, Partnership
from cplan.plans import forms as plan_forms
from cplan.plans import selectors, services
from cplan.plans.diff import version_diff
from cplan.plans.formpages import form_page, run_service
from cplan.plans.models import (
    Challenge,
    ChallengeStatus,
    Commitment,
    LocalOutcome,
    Plan,
    PlanMeasure,
    PlanStatus,
    PlanVersion,
    Priority,
    Responsibility,
)
from cplan.plans.pdf import render_pdf

T = TypeVar("T")


def today() -> dt.date:
    return timezone.localdate()


# --- Fetching what the user may see -------------------------------------------------------------


def _version(
    request: HttpRequest, plan_id: int, number: int, action: str | None = None
) -> PlanVersion:
    """A version the user may read (404 otherwise) or, given a write ``action``, one the user may
    change (403 otherwise: whoever may write to a partnership may also read its drafts)."""
    if action is None:
        versions = selectors.visible_versions(request.user)
        return get_object_or_404(versions, plan_id=plan_id, number=number)
    version = get_object_or_404(
        PlanVersion.objects.select_related("plan__partnership"), plan_id=plan_id, number=number
    )
    require(request.user, action, partnership=version.plan.partnership)
    return version


M = TypeVar("M", Priority, LocalOutcome, PlanMeasure, Commitment)


def _item(request: HttpRequest, queryset: QuerySet[M], pk: int, action: str | None = None) -> M:
    """An item of a version the user may read, or (given ``action``) may change: as ``_version``."""
    item = get_object_or_404(queryset.select_related("version__plan__partnership"), pk=pk)
    if action is not None:
        require(request.user, action, partnership=item.version.plan.partnership)
    elif not selectors.visible_versions(request.user).filter(pk=item.version_id).exists():
        raise Http404
    return item


def _plan_crumbs(version: PlanVersion) -> list[tuple[str, str]]:
    partnership = version.plan.partnership
    return [
        (reverse("web:partnership", args=[partnership.slug]), partnership.name),
        (reverse("plans:list") + f"?partnership={partnership.slug}", "Plans"),
        (reverse("plans:version", args=[version.plan_id, version.number]), version.title),
    ]


def _version_url(version: PlanVersion) -> str:
    return reverse("plans:version", args=[version.plan_id, version.number])


# --- Plans and versions -------------------------------------------------------------------------


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    filters = plan_forms.PlanFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    plans = selectors.plan_list(
        user=request.user,
        search=data.get("q", ""),
        partnership=data.get("partnership"),
        kind=data.get("kind", ""),
        status=data.get("status", ""),
    )
    creatable = selectors.partnerships_where(request.user, "plan.edit")
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "filters": filters, "can_create": creatable is None or bool(creatable)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    allowed = selectors.partnerships_where(request.user, "plan.edit")
    partnerships = (
        Partnership.objects.all() if allowed is None else Partnership.objects.filter(pk__in=allowed)
    )
    if not partnerships:
        raise PermissionDenied("You may not create plans.")
    form = plan_forms.PlanCreateForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_service(
            form,
            lambda: services.plan_create(
                user=request.user,
                partnership=data["partnership"],
                kind=data["kind"],
                locality=data["locality"],
                title=data["title"],
                summary=data["summary"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
        )
        if version is not None:
            messages.success(request, f"{version.title} was created as a draft.")
            return redirect(_version_url(version))
    return form_page(
        request,
        form,
        title="Create a plan",
        back=reverse("plans:list"),
        crumbs=[(reverse("plans:list"), "Plans")],
        intro="A plan starts as a draft: add priorities, outcomes, measures and commitments, then "
        "have it approved and publish it.",
        submit="Create the plan",
    )


@require_safe
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    versions = list(selectors.visible_versions(request.user).filter(plan_id=plan_id))
    if not versions:
        raise Http404
    return redirect(_version_url(selectors.default_version(versions)))


@require_safe
def version_detail(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = _version(request, plan_id, number)
    partnership = version.plan.partnership
    versions = list(
        selectors.visible_versions(request.user).filter(plan_id=plan_id).order_by("-number")
    )
    user = request.user
    context = {
        "version": version,
        "plan": version.plan,
        "versions": versions,
        "blocks": selectors.version_blocks(version, as_of=today()),
        "matrix": selectors.responsibility_matrix(version),
        "history": selectors.history_for(
            version,
            version.plan,
            *version.priorities.all(),
            *version.outcomes.all(),
            *Responsibility.objects.filter(priority__version=version),
        ),
        "today": today(),
        "can_edit": version.is_editable and can(user, "plan.edit", partnership=partnership),
        "can_approve": version.status == PlanStatus.DRAFT
        and can(user, "plan.approve", partnership=partnership),
        "can_return": version.status == PlanStatus.APPROVED
        and can(user, "plan.edit", partnership=partnership),
        "can_publish": version.status == PlanStatus.APPROVED
        and can(user, "plan.publish", partnership=partnership),
        "can_close": version.status == PlanStatus.PUBLISHED
        and can(user, "plan.publish", partnership=partnership),
        "can_revise": version.status == PlanStatus.PUBLISHED
        and not any(v.status in (PlanStatus.DRAFT, PlanStatus.APPROVED) for v in versions)
        and can(user, "plan.edit", partnership=partnership),
        "can_report": version.status == PlanStatus.PUBLISHED
        and can(user, "progress.create", partnership=partnership),
        "can_challenge": version.status == PlanStatus.PUBLISHED
        and can(user, "challenge.create", partnership=partnership),
        "previous": next((v for v in versions if v.number < version.number), None),
    }
    return render(request, "plans/version_detail.html", context)


@require_safe
def version_changes(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = _version(request, plan_id, number)
    against = request.GET.get("against")
    older_number = int(against) if against and against.isdigit() else number - 1
    older = _version(request, plan_id, older_number)
    return render(
        request,
        "plans/version_changes.html",
        {"diff": version_diff(older, version), "crumbs": _plan_crumbs(version)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = _version(request, plan_id, number, "plan.edit")
    initial = {"revision": version.revision}
    form = plan_forms.PlanVersionForm(request.POST or None, instance=version, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.plan_version_update(
                user=request.user,
                version=version,
                expected_revision=data["revision"],
                title=data["title"],
                summary=data["summary"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            ),
        )
        if saved is not None:
            messages.success(request, "The plan's details were saved.")
            return redirect(_version_url(saved))
    return form_page(
        request,
        form,
        title=f"Edit {version.title}",
        back=_version_url(version),
        crumbs=_plan_crumbs(version),
    )


TRANSITION_WORDS = {
    "approve": ("Approve this version", "Approved: it can now be published."),
    "return_to_draft": ("Return to draft", "Returned to draft for changes."),
    "publish": ("Publish this version", "Published: anyone can now read it."),
    "close": ("Close this plan", "Closed: no more progress can be reported on it."),
}


@login_required
@require_POST
def version_transition(
    request: HttpRequest, plan_id: int, number: int, transition: str
) -> HttpResponse:
    if transition not in services.TRANSITIONS:
        raise Http404
    version = _version(request, plan_id, number, services.TRANSITIONS[transition][2])
    revision = request.POST.get("revision", "")
    try:
        services.plan_version_transition(
            user=request.user,
            version=version,
            expected_revision=int(revision) if revision.isdigit() else -1,
            transition=transition,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, TRANSITION_WORDS[transition][1])
    return redirect(_version_url(version))


@login_required
@require_POST
def version_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("partnership"), pk=plan_id)
    try:
        draft = services.plan_version_new(user=request.user, plan=plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("plans:detail", args=[plan_id]))
    messages.success(request, f"Version {draft.number} was started as a draft copy.")
    return redirect(_version_url(draft))


# --- Items: one create/edit/delete pattern for priorities, outcomes, measures, commitments -------


def _item_form_kwargs(model: type[Model], version: PlanVersion) -> dict[str, Any]:
    return {} if model is Priority else {"version": version}


ITEM_FORMS: dict[type[Model], tuple[type[forms.ModelForm[Any]], str, str]] = {
    Priority: (plan_forms.PriorityForm, "plan.edit", "priority"),
    LocalOutcome: (plan_forms.OutcomeForm, "plan.edit", "outcome"),
    PlanMeasure: (plan_forms.MeasureForm, "measure.edit", "measure"),
    Commitment: (plan_forms.CommitmentForm, "commitment.edit", "commitment"),
}


def _service_arguments(form: forms.ModelForm[Any], model: type[Model]) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("revision", None)
    if model is PlanMeasure:
        data["area"] = data.pop("area_code")
    if model is LocalOutcome:
        data["national_outcomes"] = list(data["national_outcomes"])
    if model is Commitment:
        data["contributors"] = list(data["contributors"])
    return data


def _save_item(
    request: HttpRequest,
    form: forms.ModelForm[Any],
    model: type[Model],
    item: Model | None,
    parent: Model | PlanVersion,
) -> Model | None:
    data = _service_arguments(form, model)
    name = ITEM_FORMS[model][2]
    if item is None:
        create: Callable[..., Model] = getattr(services, f"{name}_create")
        if model is Priority:
            return run_service(form, lambda: create(user=request.user, version=parent, **data))
        if model in (LocalOutcome, Commitment):
            data.pop("priority", None)
            return run_service(form, lambda: create(user=request.user, priority=parent, **data))
        data.pop("outcome", None)
        return run_service(form, lambda: create(user=request.user, outcome=parent, **data))
    update: Callable[..., Model] = getattr(services, f"{name}_update")
    revision = form.cleaned_data["revision"]
    return run_service(
        form, lambda: update(user=request.user, **{name: item}, expected_revision=revision, **data)
    )


def _item_page(
    request: HttpRequest,
    *,
    model: type[Model],
    version: PlanVersion,
    parent: Model | PlanVersion,
    item: Model | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    form_class, action, name = ITEM_FORMS[model]
    require(request.user, action, partnership=version.plan.partnership)
    instance = (
        item if item is not None else model(version=version)
    )  # every item model has a version
    if item is None and isinstance(parent, Priority) and model in (LocalOutcome, Commitment):
        instance.priority = parent  # type: ignore[attr-defined]  # outcome or commitment
    if item is None and isinstance(parent, LocalOutcome):
        instance.outcome = parent  # type: ignore[attr-defined]  # a measure
    start = {"revision": getattr(item, "revision", 1), **(initial or {})}
    form = form_class(
        request.POST or None, instance=instance, initial=start, **_item_form_kwargs(model, version)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_item(request, form, model, item, parent)
        if saved is not None:
            messages.success(request, f"The {name} was saved.")
            return redirect(_version_url(version) + f"#{name}-{saved.pk}")
    verb = "Edit" if item is not None else "Add"
    return form_page(
        request,
        form,
        title=f"{verb} a {name}" if item is None else f"Edit {item}",
        back=_version_url(version),
        crumbs=_plan_crumbs(version),
        intro=f"In {version} (a draft).",
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, plan_id: int, number: int) -> HttpResponse:
    version = _version(request, plan_id, number, "plan.edit")
    return _item_page(request, model=Priority, version=version, parent=version)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _item(request, Priority.objects.all(), pk, "plan.edit")
    return _item_page(
        request,
        model=LocalOutcome,
        version=priority.version,
        parent=priority,
        initial={"priority": priority},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _item(request, Priority.objects.all(), pk, "commitment.edit")
    return _item_page(
        request,
        model=Commitment,
        version=priority.version,
        parent=priority,
        initial={"priority": priority},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = _item(request, LocalOutcome.objects.all(), pk, "measure.edit")
    return _item_page(
        request,
        model=PlanMeasure,
        version=outcome.version,
        parent=outcome,
        initial={"outcome": outcome},
    )


AnyItem = Priority | LocalOutcome | PlanMeasure | Commitment


def _any_item(request: HttpRequest, kind: str, pk: int) -> AnyItem:
    """An item to change: 403 unless the user may edit items of its kind in its partnership."""
    if kind == "priority":
        return _item(request, Priority.objects.all(), pk, "plan.edit")
    if kind == "outcome":
        return _item(request, LocalOutcome.objects.all(), pk, "plan.edit")
    if kind == "measure":
        return _item(request, PlanMeasure.objects.all(), pk, "measure.edit")
    if kind == "commitment":
        return _item(request, Commitment.objects.all(), pk, "commitment.edit")
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _any_item(request, kind, pk)
    return _item_page(
        request, model=type(item), version=item.version, parent=item.version, item=item
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = _any_item(request, kind, pk)
    version = item.version
    require(request.user, ITEM_FORMS[type(item)][1], partnership=version.plan.partnership)
    form = plan_forms.RevisionMixin(request.POST or None, initial={"revision": item.revision})
    if request.method == "POST" and form.is_valid():
        delete: Callable[..., None] = getattr(services, f"{kind}_delete")
        try:
            delete(
                user=request.user, **{kind: item}, expected_revision=form.cleaned_data["revision"]
            )
        except ValidationError as error:
            plan_forms.add_service_errors(form, error)
        else:
            messages.success(request, f"The {kind} {item} was removed.")
            return redirect(_version_url(version))
    return form_page(
        request,
        form,
        title=f"Remove the {kind} {item}?",
        back=_version_url(version),
        crumbs=_plan_crumbs(version),
        intro="Everything under it goes too (outcomes, measures, commitments). The change is "
        "recorded in the history.",
        submit=f"Remove the {kind}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def responsibility_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _item(request, Priority.objects.all(), pk, "plan.edit")
    version = priority.version
    form = plan_forms.ResponsibilityForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        body, organisation = form.chosen_party()
        saved = run_service(
            form,
            lambda: services.responsibility_add(
                user=request.user,
                priority=priority,
                function=form.cleaned_data["function"],
                body=body,
                organisation=organisation,
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved.party} was made responsible.")
            return redirect(_version_url(version) + "#responsibilities")
    return form_page(
        request,
        form,
        title=f"Who is responsible for {priority}?",
        back=_version_url(version) + "#responsibilities",
        crumbs=_plan_crumbs(version),
        intro="One body or partner is accountable for each function: agreeing the priority, "
        "allocating resources, implementing and scrutinising performance.",
    )


@login_required
@require_POST
def responsibility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    responsibility = get_object_or_404(
        Responsibility.objects.select_related("priority__version__plan__partnership"), pk=pk
    )
    version = responsibility.priority.version
    try:
        services.responsibility_remove(user=request.user, responsibility=responsibility)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_version_url(version) + "#responsibilities")


# --- Measures -----------------------------------------------------------------------------------


@require_safe
def measure_list(request: HttpRequest) -> HttpResponse:
    filters = plan_forms.MeasureFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.measure_list(
        user=request.user,
        search=data.get("q", ""),
        partnership=data.get("partnership"),
        state=data.get("state", ""),
    )
    return render(request, "plans/measure_list.html", {"rows": rows, "filters": filters})


@require_safe
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _item(request, PlanMeasure.objects.select_related(*selectors.MEASURE_RELATED), pk)
    [row] = selectors.measure_rows([measure])
    partnership = measure.version.plan.partnership
    return render(
        request,
        "plans/measure_detail.html",
        {
            "row": row,
            "measure": measure,
            "version": measure.version,
            "crumbs": _plan_crumbs(measure.version),
            "history": selectors.history_for(measure),
            "challenges": selectors.challenge_list(user=request.user).filter(measure=measure),
            "can_challenge": measure.version.status == PlanStatus.PUBLISHED
            and can(request.user, "challenge.create", partnership=partnership),
            "can_edit": measure.version.is_editable
            and can(request.user, "measure.edit", partnership=partnership),
        },
    )


# --- Commitments and progress -------------------------------------------------------------------


@require_safe
def commitment_list(request: HttpRequest) -> HttpResponse:
    filters = plan_forms.CommitmentFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    preventative = {"yes": True, "no": False}.get(data.get("preventative", ""))
    as_of = data.get("as_of") or today()
    rows = selectors.commitment_list(
        user=request.user,
        as_of=as_of,
        search=data.get("q", ""),
        partnership=data.get("partnership"),
        organisation=data.get("organisation"),
        flag=data.get("flag", ""),
        preventative=preventative,
    )
    return render(
        request,
        "plans/commitment_list.html",
        {"rows": rows, "filters": filters, "as_of": as_of},
    )


@require_safe
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _item(
        request, Commitment.objects.select_related(*selectors.COMMITMENT_RELATED), pk
    )
    [row] = selectors.commitment_rows([commitment], as_of=today())
    updates = list(selectors.lineage_updates([commitment]).select_related("author"))
    partnership = commitment.version.plan.partnership
    return render(
        request,
        "plans/commitment_detail.html",
        {
            "row": row,
            "commitment": commitment,
            "version": commitment.version,
            "crumbs": _plan_crumbs(commitment.version),
            "updates": updates,
            "history": selectors.history_for(commitment, *updates),
            "challenges": selectors.challenge_list(user=request.user).filter(
                commitment__key=commitment.key, commitment__version__plan=commitment.version.plan
            ),
            "can_report": commitment.version.status == PlanStatus.PUBLISHED
            and can(request.user, "progress.create", partnership=partnership),
            "can_challenge": commitment.version.status == PlanStatus.PUBLISHED
            and can(request.user, "challenge.create", partnership=partnership),
            "can_edit": commitment.version.is_editable
            and can(request.user, "commitment.edit", partnership=partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = _item(
        request, Commitment.objects.select_related("lead_organisation"), pk, "progress.create"
    )
    form = plan_forms.ProgressUpdateForm(request.POST or None, commitment=commitment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.progress_update_create(
                user=request.user,
                commitment=commitment,
                rag=data["rag"],
                percent_complete=data["percent_complete"],
                narrative=data["narrative"],
                evidence=data["evidence"],
                reported_on=data["reported_on"],
                organisation=data["organisation"],
            ),
        )
        if saved is not None:
            messages.success(request, "Your progress update was posted.")
            return redirect(reverse("plans:commitment", args=[commitment.pk]))
    return form_page(
        request,
        form,
        title=f"Report progress on {commitment}",
        back=reverse("plans:commitment", args=[commitment.pk]),
        crumbs=[
            *_plan_crumbs(commitment.version),
            (reverse("plans:commitment", args=[commitment.pk]), commitment.title),
        ],
        intro="Progress updates are published with the plan and cannot be edited afterwards: "
        "a correction is a new update.",
        submit="Post the update",
    )


# --- Challenges ---------------------------------------------------------------------------------


@require_safe
@login_required
def challenge_list(request: HttpRequest) -> HttpResponse:
    filters = plan_forms.ChallengeFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    challenges = selectors.challenge_list(
        user=request.user,
        search=data.get("q", ""),
        partnership=data.get("partnership"),
        status=data.get("status", ""),
    )
    return render(
        request, "plans/challenge_list.html", {"challenges": challenges, "filters": filters}
    )


def _challenge(request: HttpRequest, pk: int, action: str | None = None) -> Challenge:
    """A challenge the user may read (404 otherwise), or act on with ``action`` (403 otherwise)."""
    if action is None:
        return get_object_or_404(selectors.challenge_list(user=request.user), pk=pk)
    challenge = get_object_or_404(selectors.challenge_queryset(), pk=pk)
    require(request.user, action, partnership=challenge.partnership)
    return challenge


@login_required
@require_http_methods(["GET", "POST"])
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge(request, pk, "challenge.respond" if request.method == "POST" else None)
    form = plan_forms.ChallengeResponseForm(
        request.POST or None,
        initial={"revision": challenge.revision, "response": challenge.response},
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.challenge_respond(
                user=request.user,
                challenge=challenge,
                expected_revision=form.cleaned_data["revision"],
                response=form.cleaned_data["response"],
            ),
        )
        if saved is not None:
            messages.success(request, "Your response was recorded.")
            return redirect(reverse("plans:challenge", args=[challenge.pk]))
    partnership = challenge.partnership
    return render(
        request,
        "plans/challenge_detail.html",
        {
            "challenge": challenge,
            "form": form,
            "history": selectors.history_for(challenge),
            "can_respond": challenge.status != ChallengeStatus.CLOSED
            and can(request.user, "challenge.respond", partnership=partnership),
            "can_close": challenge.status != ChallengeStatus.CLOSED
            and can(request.user, "challenge.close", partnership=partnership),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def challenge_close(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenge(request, pk, "challenge.close")
    revision = request.POST.get("revision", "")
    try:
        services.challenge_close(
            user=request.user,
            challenge=challenge,
            expected_revision=int(revision) if revision.isdigit() else -1,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The challenge was closed.")
    return redirect(reverse("plans:challenge", args=[challenge.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind == "commitment":
        subject: Commitment | PlanMeasure = _item(
            request, Commitment.objects.all(), pk, "challenge.create"
        )
        back = reverse("plans:commitment", args=[pk])
    elif kind == "measure":
        subject = _item(request, PlanMeasure.objects.all(), pk, "challenge.create")
        back = reverse("plans:measure", args=[pk])
    else:
        raise Http404
    partnership = subject.version.plan.partnership
    require(request.user, "challenge.create", partnership=partnership)
    meeting = _meeting_from(request, partnership)
    form = plan_forms.ChallengeForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.challenge_create(
                user=request.user,
                question=form.cleaned_data["question"],
                organisation=form.cleaned_data["organisation"],
                meeting=meeting,
                commitment=subject if isinstance(subject, Commitment) else None,
                measure=subject if isinstance(subject, PlanMeasure) else None,
            ),
        )
        if saved is not None:
            messages.success(request, f"Your challenge was put to {saved.organisation}.")
            return redirect(request.POST.get("next") or back)
    return form_page(
        request,
        form,
        title=f"Challenge: {subject}",
        back=back,
        crumbs=_plan_crumbs(subject.version),
        intro=(f"For the meeting of {meeting}. " if meeting else "")
        + "The partner responsible is asked to respond; the question and answer are kept in the "
        "challenge log.",
        submit="Record the challenge",
    )


def _meeting_from(request: HttpRequest, partnership: Partnership) -> Meeting | None:
    value = request.GET.get("meeting") or request.POST.get("meeting") or ""
    if not value.isdigit():
        return None
    return Meeting.objects.filter(pk=int(value), body__partnership=partnership).first()


# --- The scrutiny pack --------------------------------------------------------------------------


def _pack_context(request: HttpRequest, slug: str, on: str) -> dict[str, Any]:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in to read the scrutiny pack.")
    if not selectors.can_view_drafts(request.user, partnership):
        raise PermissionDenied(
            f"The scrutiny pack of {partnership} is for its own board and partners."
        )
    as_of = plan_forms.parse_iso_date(on)
    if as_of is None:
        raise Http404
    meeting = (
        Meeting.objects.filter(
            body__partnership=partnership, body__kind=GovernanceBodyKind.BOARD, date=as_of
        )
        .select_related("body")
        .first()
    )
    return {
        "pack": selectors.scrutiny_pack(partnership=partnership, as_of=as_of),
        "meeting": meeting,
        "can_challenge": can(request.user, "challenge.create", partnership=partnership),
        "generated_at": timezone.localtime(),
    }


@require_safe
def scrutiny_index(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    on = request.GET.get("date", "")
    if on and plan_forms.parse_iso_date(on):
        return redirect(reverse("plans:scrutiny-pack", args=[slug, on]))
    meetings = Meeting.objects.filter(body__partnership=partnership).select_related("body")
    return render(
        request,
        "plans/scrutiny_index.html",
        {"partnership": partnership, "meetings": meetings, "today": today()},
    )


@require_safe
def scrutiny_pack(request: HttpRequest, slug: str, on: str) -> HttpResponse:
    return render(request, "plans/scrutiny_pack.html", _pack_context(request, slug, on))


@require_safe
def scrutiny_pack_pdf(request: HttpRequest, slug: str, on: str) -> HttpResponse:
    context = _pack_context(request, slug, on)
    pdf = render_pdf(
        "plans/scrutiny_pack_print.html", context, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="scrutiny-pack-{slug}-{on}.pdf"'
    return response
