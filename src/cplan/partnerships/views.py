"""Partners and governance pages: who is in the partnership, its bodies, their members and
meetings. Anyone may read them; writes go through the services, which check permission."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cplan.accounts.permissions import can, require
from cplan.partnerships import forms, selectors, services
from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceMember,
    Membership,
    Organisation,
    Partnership,
)
from cplan.plans.formpages import form_page, run_service
from cplan.plans.selectors import commitment_list, history_for, live_versions
from cplan.plans.views import today


def _governance_url(partnership: Partnership) -> str:
    return reverse("partnerships:governance", args=[partnership.slug])


def _crumbs(partnership: Partnership) -> list[tuple[str, str]]:
    return [
        (reverse("web:partnership", args=[partnership.slug]), partnership.name),
        (_governance_url(partnership), "Partners and governance"),
    ]


def _body(slug: str, body_slug: str) -> GovernanceBody:
    return get_object_or_404(
        GovernanceBody.objects.select_related("partnership", "reports_to", "locality"),
        partnership__slug=slug,
        slug=body_slug,
    )


@require_safe
def governance(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    return render(
        request,
        "partnerships/governance.html",
        {
            "partnership": partnership,
            "memberships": selectors.memberships_of(partnership),
            "bodies": selectors.governance_bodies(partnership),
            "plans": live_versions(partnership),
            "can_edit_organisations": can(
                request.user, "organisation.edit", partnership=partnership
            ),
            "can_edit_governance": can(request.user, "governance.edit", partnership=partnership),
        },
    )


@require_safe
def body_detail(request: HttpRequest, slug: str, body_slug: str) -> HttpResponse:
    body = _body(slug, body_slug)
    members = list(body.members.select_related("organisation"))
    return render(
        request,
        "partnerships/body_detail.html",
        {
            "body": body,
            "members": members,
            "meetings": body.meetings.all(),
            "crumbs": _crumbs(body.partnership),
            "history": history_for(body, *members),
            "can_edit": can(request.user, "governance.edit", partnership=body.partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    require(request.user, "governance.edit", partnership=partnership)
    form = forms.GovernanceBodyForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = run_service(
            form,
            lambda: services.governance_body_create(
                user=request.user,
                partnership=partnership,
                kind=data["kind"],
                name=data["name"],
                remit=data["remit"],
                reports_to=data["reports_to"],
                locality=data["locality"],
            ),
        )
        if body is not None:
            messages.success(request, f"{body} was added.")
            return redirect(reverse("partnerships:body", args=[slug, body.slug]))
    return form_page(
        request,
        form,
        title="Add a governance body",
        back=_governance_url(partnership),
        crumbs=_crumbs(partnership),
        submit="Add the body",
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, slug: str, body_slug: str) -> HttpResponse:
    body = _body(slug, body_slug)
    require(request.user, "governance.edit", partnership=body.partnership)
    initial = {
        "kind": body.kind,
        "name": body.name,
        "remit": body.remit,
        "reports_to": body.reports_to,
        "locality": body.locality,
        "revision": body.revision,
    }
    form = forms.GovernanceBodyForm(
        request.POST or None, initial=initial, partnership=body.partnership, body=body
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.governance_body_update(
                user=request.user,
                body=body,
                expected_revision=data["revision"],
                kind=data["kind"],
                name=data["name"],
                remit=data["remit"],
                reports_to=data["reports_to"],
                locality=data["locality"],
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved} was saved.")
            return redirect(reverse("partnerships:body", args=[slug, saved.slug]))
    return form_page(
        request,
        form,
        title=f"Edit {body}",
        back=reverse("partnerships:body", args=[slug, body_slug]),
        crumbs=_crumbs(body.partnership),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, slug: str, body_slug: str) -> HttpResponse:
    body = _body(slug, body_slug)
    require(request.user, "governance.edit", partnership=body.partnership)
    form = forms.GovernanceMemberForm(request.POST or None, partnership=body.partnership)
    back = reverse("partnerships:body", args=[slug, body_slug])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = run_service(
            form,
            lambda: services.governance_member_add(
                user=request.user,
                body=body,
                organisation=data["organisation"],
                role=data["role"],
                person=data["person"],
            ),
        )
        if member is not None:
            messages.success(request, f"{member} was added.")
            return redirect(back)
    return form_page(
        request, form, title=f"Add a member to {body}", back=back, crumbs=_crumbs(body.partnership)
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(GovernanceMember.objects.select_related("body__partnership"), pk=pk)
    body = member.body
    services.governance_member_remove(user=request.user, member=member)
    messages.success(request, f"{member.organisation} was removed from {body}.")
    return redirect(reverse("partnerships:body", args=[body.partnership.slug, body.slug]))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str, body_slug: str) -> HttpResponse:
    body = _body(slug, body_slug)
    require(request.user, "governance.edit", partnership=body.partnership)
    form = forms.MeetingForm(request.POST or None)
    back = reverse("partnerships:body", args=[slug, body_slug])
    if request.method == "POST" and form.is_valid():
        meeting = run_service(
            form,
            lambda: services.meeting_create(
                user=request.user,
                body=body,
                date=form.cleaned_data["date"],
                title=form.cleaned_data["title"],
            ),
        )
        if meeting is not None:
            messages.success(request, f"{meeting} was added.")
            return redirect(back)
    return form_page(
        request, form, title=f"Add a meeting of {body}", back=back, crumbs=_crumbs(body.partnership)
    )


# --- Organisations and memberships --------------------------------------------------------------


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = forms.OrganisationFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    organisations = selectors.organisation_list(
        search=data.get("q", ""),
        type=data.get("type", ""),
        statutory={"yes": True, "no": False}.get(data.get("statutory", "")),
        partnership=data.get("partnership"),
    )
    return render(
        request,
        "partnerships/organisation_list.html",
        {"organisations": organisations, "filters": filters},
    )


@require_safe
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    memberships = list(organisation.memberships.select_related("partnership"))
    partnerships: list[Partnership | None] = [m.partnership for m in memberships]
    return render(
        request,
        "partnerships/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "seats": organisation.governance_seats.select_related("body__partnership"),
            "commitments": commitment_list(
                user=request.user, as_of=today(), organisation=organisation
            ),
            "history": history_for(organisation, *memberships),
            "can_edit": all(
                can(request.user, "organisation.edit", partnership=p)
                for p in partnerships or [None]
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    require(request.user, "organisation.edit", partnership=partnership)
    form = forms.OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = run_service(
            form,
            lambda: services.organisation_create(
                user=request.user,
                partnership=partnership,
                name=data["name"],
                type=data["type"],
                is_statutory_partner=data["is_statutory_partner"],
                website=data["website"],
                joined=data["joined"],
            ),
        )
        if organisation is not None:
            messages.success(request, f"{organisation} joined {partnership}.")
            return redirect(_governance_url(partnership))
    return form_page(
        request,
        form,
        title=f"Add a new partner to {partnership}",
        back=_governance_url(partnership),
        crumbs=_crumbs(partnership),
        intro="If the organisation already serves another partnership, add it as a member "
        "instead of creating it again.",
        submit="Add the partner",
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    require(request.user, "organisation.edit", partnership=partnership)
    form = forms.MembershipAddForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        membership = run_service(
            form,
            lambda: services.membership_add(
                user=request.user,
                partnership=partnership,
                organisation=form.cleaned_data["organisation"],
                joined=form.cleaned_data["joined"],
            ),
        )
        if membership is not None:
            messages.success(request, f"{membership.organisation} joined {partnership}.")
            return redirect(_governance_url(partnership))
    return form_page(
        request,
        form,
        title=f"Add an existing organisation to {partnership}",
        back=_governance_url(partnership),
        crumbs=_crumbs(partnership),
        submit="Add the member",
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("partnership", "organisation"),
        pk=pk,
        partnership__slug=slug,
    )
    require(request.user, "organisation.edit", partnership=membership.partnership)
    form = forms.MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = run_service(
            form,
            lambda: services.membership_end(
                user=request.user, membership=membership, left=form.cleaned_data["left"]
            ),
        )
        if ended is not None:
            messages.success(request, f"{membership.organisation}'s membership ended.")
            return redirect(_governance_url(membership.partnership))
    return form_page(
        request,
        form,
        title=f"{membership.organisation} leaves {membership.partnership}",
        back=_governance_url(membership.partnership),
        crumbs=_crumbs(membership.partnership),
        submit="Record the leaving date",
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    partnerships: list[Partnership | None] = list(organisation.partnerships.all())
    for partnership in partnerships or [None]:
        require(request.user, "organisation.edit", partnership=partnership)
    initial = {
        "name": organisation.name,
        "type": organisation.type,
        "is_statutory_partner": organisation.is_statutory_partner,
        "website": organisation.website,
        "fingerprint": services.organisation_fingerprint(organisation),
    }
    form = forms.OrganisationEditForm(request.POST or None, initial=initial)
    back = reverse("partnerships:organisation", args=[slug])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.organisation_update(
                user=request.user,
                organisation=organisation,
                expected_fingerprint=data["fingerprint"],
                name=data["name"],
                type=data["type"],
                is_statutory_partner=data["is_statutory_partner"],
                website=data["website"],
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved} was saved.")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"Edit {organisation}",
        back=back,
        crumbs=[(reverse("partnerships:organisations"), "Organisations")],
        intro="An organisation that serves several partnerships is edited by a national "
        "administrator, since the change shows in each of them.",
    )
