"""``cplan status``: what is loaded, as text and JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cplan.indicators.models import ImportRun, ImportStatus
from tests.geography.factories import DataZoneFactory, PartnershipFactory
from tests.indicators.factories import ObservationFactory


@pytest.mark.django_db
def test_status_counts_what_is_loaded() -> None:
    zone = DataZoneFactory()  # with its IZ, council area and Scotland
    PartnershipFactory(council_area=zone.council_area)
    ObservationFactory(area=zone, indicator__code="child-poverty", period="2019")
    ObservationFactory(area=zone, indicator__code="child-poverty", period="2020")
    ImportRun.objects.create(
        file_name="borsetshire.csv",
        sha256="0" * 64,
        layout="template",
        actor="analyst",
        status=ImportStatus.COMPLETED,
        rows_read=2,
    )
    out = StringIO()
    call_command("core_status", "--json", stdout=out)
    status = json.loads(out.getvalue())
    assert status["areas_by_level"]["data_zone"] == 1
    assert status["areas_by_level"]["council_area"] == 1
    assert status["areas_by_level"]["country"] == 1
    assert status["partnerships"] == 1
    assert status["observations_by_indicator"]["child-poverty"] == 2
    assert status["observations"] == 2
    assert status["last_imports"][0]["file_name"] == "borsetshire.csv"

    text = StringIO()
    call_command("core_status", stdout=text)
    assert "child-poverty" in text.getvalue()
    assert "borsetshire.csv" in text.getvalue()
