"""Forms for the audit pages, styled with the Scottish Government Design System. They parse and
check input; the services keep the rules and write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from cplan.audit import rules
from cplan.audit.models import AuditDimension, AuditReport, Rag, Response
from cplan.audit.rules import Evidence
from cplan.audit.selectors import RECOMMENDATION_STATUSES, STATUS_LABELS
from cplan.partnerships.models import Organisation, OrganisationType, Partnership

Body = Partnership | Organisation
OVERALL = "overall"
NOT_RATED = "not_rated"

WIDGET_CLASSES = {
    "text": "ds_input",
    "url": "ds_input",
    "date": "ds_input ds_input--fixed-10",
    "textarea": "ds_input",
    "select": "ds_select",
    "radioselect": "ds_radio__input",
    "checkboxselectmultiple": "ds_checkbox__input",
    "checkbox": "ds_checkbox__input",
}


class DesignSystemForm(forms.Form):
    """Adds the design system's classes, and marks invalid fields for assistive technology."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = self[name].widget_type
            css = WIDGET_CLASSES.get(kind, "")
            if css:
                field.widget.attrs["class"] = css
            if field.help_text and kind not in {"radioselect", "checkboxselectmultiple"}:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - only called for choice fields
        field.choices = choices

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = [attrs.get("aria-describedby", ""), f"{self[name].auto_id}-error"]
                attrs["aria-describedby"] = " ".join(part for part in described if part)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def body_key(body: Body) -> str:
    if isinstance(body, Partnership):
        return f"partnership:{body.code}"
    return f"organisation:{body.slug}"


class EvidenceField(forms.CharField):
    """One link per line (or separated by ';'), each written 'label | address'."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence (optional)")
        kwargs.setdefault(
            "help_text",
            "One link a line, written label | address, e.g. "
            "LOIP 2023-2033 | https://www.example.gov.scot/loip or a page of this site "
            "starting with /.",
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[Evidence]:  # type: ignore[override]  # a list, not text
        text = super().to_python(value) or ""
        joined = rules.LIST_SEPARATOR.join(text.splitlines())
        try:
            return rules.parse_evidence(joined)
        except rules.RuleError as broken:
            raise forms.ValidationError(str(broken)) from None


def not_in_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(f"The date {rules.DATE_IN_FUTURE}.")


class ResponseForm(DesignSystemForm):
    body = forms.ChoiceField(label="Responding for")
    submitted_on = forms.DateField(
        label="Date of the response", widget=DateInput(), validators=[not_in_future]
    )
    text = forms.CharField(
        label="What has been done",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what your body has done about the recommendation, and what is still to do.",
    )
    evidence = EvidenceField()

    def __init__(self, *args: Any, bodies: Sequence[Body], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"submitted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.bodies = {body_key(body): body for body in bodies}
        self.set_choices("body", [(key, str(body)) for key, body in self.bodies.items()])

    def chosen_body(self) -> Body:
        return self.bodies[self.cleaned_data["body"]]


class AssessmentForm(DesignSystemForm):
    body = forms.ChoiceField(label="Progress of")
    response = forms.ChoiceField(label="Rating a response", required=False)
    assessed_on = forms.DateField(
        label="Date of the assessment", widget=DateInput(), validators=[not_in_future]
    )
    rag = forms.ChoiceField(
        label="Rating",
        widget=forms.RadioSelect,
        choices=[*Rag.choices, (NOT_RATED, "Not rated (narrative only)")],
    )
    headline = forms.CharField(
        label="Headline", max_length=500, help_text="One sentence on progress, as published."
    )
    narrative = forms.CharField(
        label="Narrative (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence = EvidenceField()

    def __init__(
        self,
        *args: Any,
        bodies: Sequence[Body],
        responses: Sequence[Response],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate(), "body": OVERALL})
        super().__init__(*args, **kwargs)
        self.bodies = {body_key(body): body for body in bodies}
        self.set_choices(
            "body",
            [
                (OVERALL, "The recommendation as a whole"),
                *[(key, str(body)) for key, body in self.bodies.items()],
            ],
        )
        self.responses = {str(r.pk): r for r in responses}
        self.set_choices(
            "response",
            [
                ("", "No response: the auditor's own assessment"),
                *[
                    (key, f"{r.body}, {r.submitted_on.day} {r.submitted_on:%B %Y}: {r.text[:80]}")
                    for key, r in self.responses.items()
                ],
            ],
        )

    def clean_rag(self) -> str:
        rag: str = self.cleaned_data["rag"]
        return "" if rag == NOT_RATED else rag

    def chosen_body(self) -> Body | None:
        key = self.cleaned_data["body"]
        return None if key == OVERALL else self.bodies[key]

    def chosen_response(self) -> Response | None:
        key = self.cleaned_data.get("response") or ""
        return self.responses.get(key)


class FollowUpForm(DesignSystemForm):
    follow_up_by = forms.DateField(
        label="Reassess progress by",
        widget=DateInput(),
        required=False,
        help_text="After this date a recommendation not reassessed is flagged overdue. Leave empty for none.",
    )


class ReportForm(DesignSystemForm):
    code = forms.CharField(label="Identifier", max_length=40, help_text="e.g. CP2016")
    title = forms.CharField(label="Title", max_length=300)
    publisher = forms.CharField(label="Publisher", max_length=300)
    published_on = forms.DateField(label="Published on", widget=DateInput())
    follows = forms.ModelChoiceField(
        label="Follows up (optional)", queryset=AuditReport.objects.none(), required=False
    )
    url = forms.URLField(
        label="Address of the report (optional)", required=False, assume_scheme="https"
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        follows = self.fields["follows"]
        assert isinstance(follows, forms.ModelChoiceField)  # noqa: S101 - declared above
        follows.queryset = AuditReport.objects.all()


class RecommendationForm(DesignSystemForm):
    code = forms.CharField(label="Identifier", max_length=40, help_text="e.g. CP2016-R01")
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the addressees should do, in the report's words.",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Addressed to organisations",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    all_partnerships = forms.BooleanField(
        label="Addressed to all 32 Community Planning Partnerships", required=False
    )
    partnerships = forms.ModelMultipleChoiceField(
        label="Addressed to particular partnerships",
        queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dimensions = forms.MultipleChoiceField(
        label="Audit dimensions",
        choices=AuditDimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    group_code = forms.CharField(
        label="Group (optional)",
        max_length=40,
        required=False,
        help_text="The same group identifier for closely related recommendations of this report.",
    )
    follow_up_by = forms.DateField(
        label="Reassess progress by (optional)", widget=DateInput(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = self.fields["organisations"]
        partnerships = self.fields["partnerships"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)  # noqa: S101
        assert isinstance(partnerships, forms.ModelMultipleChoiceField)  # noqa: S101
        organisations.queryset = Organisation.objects.filter(
            type__in=[OrganisationType.NATIONAL, OrganisationType.AUDIT]
        )
        partnerships.queryset = Partnership.objects.all()


class RecommendationFilterForm(DesignSystemForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    report = forms.ChoiceField(label="Report", required=False)
    addressee = forms.ChoiceField(label="Addressed to", required=False)
    dimension = forms.ChoiceField(
        label="Audit dimension",
        required=False,
        choices=[("", "Any dimension"), *AuditDimension.choices],
    )
    status = forms.ChoiceField(
        label="Current rating",
        required=False,
        choices=[("", "Any rating"), *[(s, STATUS_LABELS[s]) for s in RECOMMENDATION_STATUSES]],
    )
    overdue = forms.BooleanField(label="Only overdue for reassessment", required=False)

    def __init__(
        self,
        *args: Any,
        reports: Sequence[tuple[str, str]],
        addressees: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("report", [("", "Any report"), *reports])
        self.set_choices("addressee", [("", "Anyone"), *addressees])
