"""Forms for organisations, memberships and governance (validation of input; rules are in the
models and services)."""

from __future__ import annotations

from typing import Any

from django import forms

from cplan.geography.models import Locality
from cplan.partnerships.models import (
    GovernanceBody,
    GovernanceBodyKind,
    GovernanceRole,
    Organisation,
    OrganisationType,
    Partnership,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=OrganisationType.choices)
    is_statutory_partner = forms.BooleanField(
        required=False,
        label="A statutory community planning partner",
        help_text="Named in schedule 1 of the Community Empowerment (Scotland) Act 2015.",
    )
    website = forms.URLField(required=False, assume_scheme="https")


class OrganisationCreateForm(OrganisationForm):
    joined = forms.DateField(required=False, widget=DATE_INPUT, label="Joined the partnership")


class OrganisationEditForm(OrganisationForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=16)


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    joined = forms.DateField(required=False, widget=DATE_INPUT, label="Joined the partnership")

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]  # a ModelChoiceField
            memberships__partnership=partnership
        ).order_by("name")


class MembershipEndForm(forms.Form):
    left = forms.DateField(widget=DATE_INPUT, label="Left the partnership on")


class GovernanceBodyForm(forms.Form):
    kind = forms.ChoiceField(choices=GovernanceBodyKind.choices)
    name = forms.CharField(max_length=200)
    remit = forms.CharField(widget=forms.Textarea, max_length=2000, required=False)
    reports_to = forms.ModelChoiceField(queryset=GovernanceBody.objects.none(), required=False)
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.none(),
        required=False,
        help_text="For a locality partnership: the locality it serves.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, initial=1)

    def __init__(
        self,
        *args: Any,
        partnership: Partnership,
        body: GovernanceBody | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        bodies = GovernanceBody.objects.filter(partnership=partnership)
        if body is not None:
            bodies = bodies.exclude(pk=body.pk)
        self.fields["reports_to"].queryset = bodies  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["locality"].queryset = Locality.objects.filter(partnership=partnership)  # type: ignore[attr-defined]  # a ModelChoiceField


class GovernanceMemberForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())
    person = forms.CharField(
        max_length=200,
        required=False,
        help_text="Who sits for the organisation, e.g. its chief executive.",
    )
    role = forms.ChoiceField(choices=GovernanceRole.choices, initial=GovernanceRole.MEMBER)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(memberships__partnership=partnership).order_by("name")
        # Offer members; accept any, so a non-member is refused by the rule that names it.
        self.fields["organisation"].widget.choices = [
            ("", "Choose a partner"),
            *((o.pk, o.name) for o in members),
        ]


class MeetingForm(forms.Form):
    date = forms.DateField(widget=DATE_INPUT)
    title = forms.CharField(max_length=200, required=False)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    type = forms.ChoiceField(choices=[("", "Any type"), *OrganisationType.choices], required=False)
    statutory = forms.ChoiceField(
        choices=[("", "Either"), ("yes", "Statutory partners"), ("no", "Other organisations")],
        required=False,
        label="Statutory partner",
    )
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="All partnerships",
    )
