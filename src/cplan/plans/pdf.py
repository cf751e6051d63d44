"""PDF documents from HTML templates (WeasyPrint). The print templates carry their own CSS, so
nothing is fetched: WeasyPrint's URL fetcher is given no protocol at all, and text written by users
(escaped by the template) can never make the server request a URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string


def render_pdf(template: str, context: Mapping[str, Any], *, base_url: str) -> bytes:
    from weasyprint import HTML, URLFetcher  # imported here: loading it takes a moment

    html = render_to_string(template, dict(context))
    document = HTML(string=html, base_url=base_url, url_fetcher=URLFetcher(allowed_protocols=()))
    pdf: bytes = document.write_pdf()
    return pdf
