"""The shape every editing page shares: run a service, put its errors on the form, render the
form page (400 when the submitted form has errors, so tests and tools can tell)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cplan.plans.forms import add_service_errors

T = TypeVar("T")


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service; its ValidationError (a rule, a conflict, the lifecycle) lands on the form."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    crumbs: list[tuple[str, str]],
    intro: str = "",
    submit: str = "Save",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "back": back,
        "crumbs": crumbs,
        "intro": intro,
        "submit": submit,
    }
    return render(request, "plans/form.html", context, status=400 if form.is_bound else 200)
