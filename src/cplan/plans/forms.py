"""Forms: they type and shape input; the domain rules (model ``clean`` and the services) decide.

Model forms run the model's own ``clean`` on the unsaved instance, so a rule such as "the target
year is after the baseline year" is written once and reported against its field. Errors raised by
a service (permission, lifecycle, concurrency) are attached to the form by ``add_service_errors``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from cplan.frameworks.models import NationalOutcome
from cplan.geography.models import Area, Locality
from cplan.geography.selectors import resolve_area_codes
from cplan.indicators.models import Indicator
from cplan.partnerships.models import GovernanceBody, Organisation, Partnership
from cplan.plans.models import (
    SHORT_TEXT_LIMIT,
    ChallengeStatus,
    Commitment,
    LocalOutcome,
    PlanKind,
    PlanMeasure,
    PlanStatus,
    PlanVersion,
    Priority,
    ProgressUpdate,
    Rag,
    ResponsibilityFunction,
)
from cplan.plans.selectors import COMMITMENT_FLAGS
from cplan.plans.status import MeasureState

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to a field when the form has it (or an
    alias of it, ``form.error_aliases``), otherwise to the whole form."""
    form.add_error(None, remap_errors(error, getattr(form, "error_aliases", {}), form.fields))


def remap_errors(
    error: ValidationError, aliases: Mapping[str, str], fields: Iterable[str]
) -> ValidationError:
    """The same errors keyed by the form's own field names; any other field's become the form's."""
    if not hasattr(error, "error_dict"):
        return error
    known = set(fields)
    remapped: dict[str, list[ValidationError]] = {}
    for name, errors in error.error_dict.items():
        target = aliases.get(name, name)
        remapped.setdefault(target if target in known else NON_FIELD_ERRORS, []).extend(errors)
    return ValidationError(remapped)


class RevisionMixin(forms.Form):
    """The revision the user opened: the service refuses to save over a newer one."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ModelRuleErrorsMixin:
    """A model form whose model ``clean`` may name a field the form shows under another name (or
    not at all): Django would raise ValueError; the error is reported instead."""

    error_aliases: Mapping[str, str] = {}
    fields: dict[str, forms.Field]

    def _update_errors(self, errors: ValidationError) -> None:
        remapped = remap_errors(errors, self.error_aliases, self.fields)
        super()._update_errors(remapped)  # type: ignore[misc]  # BaseModelForm's method


def _members_first(
    field: forms.ModelChoiceField[Organisation], members: Iterable[Organisation]
) -> None:
    """Offer the partnership's members only, but accept any organisation so that a non-member is
    refused by the model's rule with a message naming it (not a bare "invalid choice")."""
    field.widget.choices = [("", "Choose a partner"), *((o.pk, o.name) for o in members)]


# --- Plans --------------------------------------------------------------------------------------


class PlanCreateForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none())
    kind = forms.ChoiceField(choices=PlanKind.choices, initial=PlanKind.LOIP)
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        required=False,
        help_text="For a locality plan only.",
    )
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea, max_length=5000, required=False)
    period_start = forms.DateField(widget=DATE_INPUT)
    period_end = forms.DateField(widget=DATE_INPUT)

    def __init__(self, *args: Any, partnerships: Iterable[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in partnerships]
        self.fields["partnership"].queryset = Partnership.objects.filter(pk__in=ids)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["locality"].queryset = Locality.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            partnership_id__in=ids
        ).select_related("partnership")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The plan period must end after it starts.")
        return data


class PlanVersionForm(ModelRuleErrorsMixin, RevisionMixin, forms.ModelForm[PlanVersion]):
    class Meta:
        model = PlanVersion
        fields = ["title", "summary", "period_start", "period_end"]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}


class PriorityForm(ModelRuleErrorsMixin, RevisionMixin, forms.ModelForm[Priority]):
    class Meta:
        model = Priority
        fields = ["title", "description", "position"]


class OutcomeForm(ModelRuleErrorsMixin, RevisionMixin, forms.ModelForm[LocalOutcome]):
    national_outcomes = forms.ModelMultipleChoiceField(
        queryset=NationalOutcome.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every local outcome contributes to at least one NPF national outcome.",
    )

    class Meta:
        model = LocalOutcome
        fields = ["priority", "title", "description", "national_outcomes", "position"]

    def __init__(self, *args: Any, version: PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = version.priorities.all()  # type: ignore[attr-defined]  # a ModelChoiceField


_TRAJECTORY_LINE = re.compile(r"^\s*(\d{4})\s*[:=,]\s*(-?\d+(?:\.\d+)?)\s*$")


class TrajectoryField(forms.CharField):
    """Milestones, one a line: ``2022: 18.5``."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{point['year']}: {point['value']:g}" for point in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, float]]:  # type: ignore[override]  # a list, not text
        text = super().to_python(value) or ""
        points = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            match = _TRAJECTORY_LINE.match(line)
            if match is None:
                raise ValidationError(
                    f"Line {number} ({line.strip()[:40]!r}) is not a milestone: write a year, a "
                    "colon and a value, e.g. 2022: 18.5."
                )
            points.append({"year": int(match.group(1)), "value": float(match.group(2))})
        return points


class MeasureForm(ModelRuleErrorsMixin, RevisionMixin, forms.ModelForm[PlanMeasure]):
    area_code = forms.CharField(
        required=False,
        max_length=9,
        label="Area code",
        help_text="The GSS code of the council area or an area within it, e.g. S12000046. "
        "Leave empty for a locality.",
    )
    trajectory = TrajectoryField(
        required=False,
        help_text="Optional milestones between the baseline and the target, one a line: 2022: 18.5",
    )
    error_aliases = {"area": "area_code"}

    class Meta:
        model = PlanMeasure
        fields = [
            "outcome",
            "indicator",
            "locality",
            "breakdown",
            "baseline_period",
            "baseline_value",
            "target_value",
            "target_year",
            "trajectory",
            "note",
            "position",
        ]

    def __init__(self, *args: Any, version: PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = version.plan.partnership
        self.fields["outcome"].queryset = version.outcomes.all()  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["indicator"].queryset = Indicator.objects.order_by("name")  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["locality"].queryset = Locality.objects.filter(partnership=partnership)  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["locality"].help_text = "Or a locality of the partnership, instead of an area."
        if self.instance.area_id and not self.is_bound:
            self.initial["area_code"] = self.instance.area.code if self.instance.area else ""
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("area_code", partnership.code)

    def clean_area_code(self) -> Area | None:
        code = self.cleaned_data["area_code"].strip().upper()
        if not code:
            self.instance.area = None
            return None
        area_id = resolve_area_codes([code]).get(code)
        if area_id is None:
            raise ValidationError(f"No area has the code {code!r}.")
        area = Area.objects.get(pk=area_id)
        self.instance.area = area  # so the model's clean checks it is within the partnership
        return area


class CommitmentForm(ModelRuleErrorsMixin, RevisionMixin, forms.ModelForm[Commitment]):
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), label="Lead partner"
    )
    contributors = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Contributing partners",
    )

    class Meta:
        model = Commitment
        fields = [
            "priority",
            "title",
            "description",
            "lead_organisation",
            "contributors",
            "start_date",
            "due_date",
            "preventative",
            "locality",
            "position",
        ]
        widgets = {"start_date": DATE_INPUT, "due_date": DATE_INPUT}

    def __init__(self, *args: Any, version: PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = version.plan.partnership
        members = Organisation.objects.filter(memberships__partnership=partnership).order_by("name")
        self.fields["priority"].queryset = version.priorities.all()  # type: ignore[attr-defined]  # a ModelChoiceField
        _members_first(self.fields["lead_organisation"], members)  # type: ignore[arg-type]  # a ModelChoiceField
        self.fields["contributors"].queryset = members  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["locality"].queryset = Locality.objects.filter(partnership=partnership)  # type: ignore[attr-defined]  # a ModelChoiceField


_LINK_LINE = re.compile(r"^(?:(?P<title>.*?)\s*\|\s*)?(?P<url>\S+)\s*$")


class EvidenceField(forms.CharField):
    """Evidence links, one a line: ``https://...`` or ``Title | https://...``."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{link['title']} | {link['url']}" for link in value)
        return value

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]  # a list, not text
        text = super().to_python(value) or ""
        links = []
        for line in text.splitlines():
            match = _LINK_LINE.match(line.strip())
            if match:
                links.append(
                    {"title": (match.group("title") or "").strip(), "url": match.group("url")}
                )
        return links


class ProgressUpdateForm(ModelRuleErrorsMixin, forms.ModelForm[ProgressUpdate]):
    evidence = EvidenceField(
        required=False,
        help_text="Links to evidence, one a line: a web address, or a title, a bar and the "
        "address (Board report | https://...).",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Reporting for",
        help_text="The partner this update is for (the lead partner if left empty).",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["rag", "percent_complete", "narrative", "evidence", "reported_on", "organisation"]
        widgets = {"rag": forms.RadioSelect, "reported_on": DATE_INPUT}

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.commitment = commitment
        involved = [commitment.lead_organisation, *commitment.contributors.all()]
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            pk__in=[o.pk for o in involved]
        )
        self.fields["rag"].choices = list(Rag.choices)  # type: ignore[attr-defined]  # a ChoiceField
        if not self.is_bound:
            self.initial.setdefault("reported_on", timezone.localdate())


class ResponsibilityForm(forms.Form):
    function = forms.ChoiceField(choices=ResponsibilityFunction.choices)
    party = forms.ChoiceField(label="Who")

    def __init__(self, *args: Any, version: PlanVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = version.plan.partnership
        bodies = GovernanceBody.objects.filter(partnership=partnership)
        members = Organisation.objects.filter(memberships__partnership=partnership)
        self.fields["party"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("Governance bodies", [(f"body:{b.pk}", b.name) for b in bodies]),
            ("Partners", [(f"organisation:{o.pk}", o.name) for o in members]),
        ]

    def chosen_party(self) -> tuple[GovernanceBody | None, Organisation | None]:
        kind, _, pk = self.cleaned_data["party"].partition(":")
        if kind == "body":
            return GovernanceBody.objects.get(pk=int(pk)), None
        return None, Organisation.objects.get(pk=int(pk))


# --- Challenges ---------------------------------------------------------------------------------


class ChallengeForm(forms.Form):
    question = forms.CharField(
        widget=forms.Textarea, max_length=SHORT_TEXT_LIMIT, label="Your challenge"
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Partner asked to respond",
        help_text="For a commitment, its lead partner if left empty.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
            memberships__partnership=partnership
        ).order_by("name")


class ChallengeResponseForm(RevisionMixin):
    response = forms.CharField(widget=forms.Textarea, max_length=5000)


# --- Filters (GET) ------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="All partnerships",
    )


class PlanFilterForm(SearchForm):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *PlanKind.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *PlanStatus.choices], required=False)


class MeasureFilterForm(SearchForm):
    state = forms.ChoiceField(
        choices=[("", "Any status"), *((s.value, s.value.capitalize()) for s in MeasureState)],
        required=False,
        label="Status",
    )


class CommitmentFilterForm(SearchForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="All partners",
        label="Partner",
    )
    flag = forms.ChoiceField(
        choices=[("", "All commitments"), *COMMITMENT_FLAGS.items()],
        required=False,
        label="Needing attention",
    )
    preventative = forms.ChoiceField(
        choices=[("", "Either"), ("yes", "Preventative"), ("no", "Not preventative")],
        required=False,
    )
    as_of = forms.DateField(required=False, widget=DATE_INPUT, label="As at")


class ChallengeFilterForm(SearchForm):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ChallengeStatus.choices], required=False
    )


def parse_iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
