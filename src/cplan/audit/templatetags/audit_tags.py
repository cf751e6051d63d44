"""``{% rag_tag status %}``: a rating or status as a design-system tag (colour and words, so the
colour is never the only cue)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cplan.audit.selectors import (
    AMBER,
    AWAITING_RATING,
    GREEN,
    NOT_ASSESSED,
    NOT_RESPONDED,
    RED,
    STATUS_LABELS,
    UNRATED,
)

register = template.Library()

TAG_COLOURS = {
    GREEN: "green",
    AMBER: "orange",
    RED: "red",
    UNRATED: "grey",
    NOT_ASSESSED: "grey",
    AWAITING_RATING: "blue",
    NOT_RESPONDED: "grey",
}


@register.simple_tag
def rag_tag(status: str) -> SafeString:
    status = status or UNRATED
    return format_html(
        '<strong class="ds_tag ds_tag--{} cplan-rag" data-status="{}">{}</strong>',
        TAG_COLOURS[status],
        status,
        STATUS_LABELS[status],
    )
