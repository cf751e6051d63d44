"""The API schema and its documentation page work offline."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_api_docs_load_nothing_from_other_hosts(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("redoc" in source for source in sources)
    assert [s for s in sources if s.startswith(("http://", "https://", "//"))] == []


@pytest.mark.django_db
def test_openapi_schema_is_served(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert b"Community Planning Platform API" in response.content
