"""Rendering form widgets with the Scottish Government Design System's classes."""

from __future__ import annotations

from django import template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDGET_CLASS = {"select": "ds_select", "selectmultiple": "ds_select"}


@register.simple_tag
def ds_widget(field: BoundField) -> SafeString:
    """The field's input with ``ds_input`` / ``ds_select`` (and the error variant when invalid)."""
    if field.widget_type == "checkbox":
        return field.as_widget(attrs={"class": "ds_checkbox__input"})
    base = WIDGET_CLASS.get(field.widget_type, "ds_input")
    css = f"{base} {base}--error" if field.errors else base
    if field.widget_type in {"text", "number", "date", "url", "email"}:
        css += " ds_input--fluid-two-thirds"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def ds_choice(choice: BoundWidget, css: str) -> SafeString:
    """One checkbox or radio button of a multiple-choice field, with the Design System class."""
    data = {**choice.data, "attrs": {**choice.data["attrs"], "class": css}, "wrap_label": False}
    html = choice.renderer.render(choice.template_name, {"widget": data})
    return mark_safe(html)  # the widget template has escaped every value


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)
