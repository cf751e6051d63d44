"""The page selectors against the fictional places' worked example (tests/web/places.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from cplan.geography.models import AreaLevel
from cplan.indicators.models import ValueKind
from cplan.web import selectors
from tests.geography.factories import AreaFactory, CountryFactory
from tests.indicators.factories import ObservationFactory
from tests.web.places import CODES, build_places

pytestmark = pytest.mark.django_db


def test_simd_share_by_council_area_is_population_weighted() -> None:
    places = build_places()
    measure = selectors.council_area_simd_share(edition=places.edition)
    shares = {v.name: (v.value, v.numerator, v.denominator) for v in measure.values}
    assert shares == {
        "Borsetshire": (37.5, 1500.0, 4000.0),
        "Felpersham": (18.0, 900.0, 5000.0),
        "Loxley Barrett": (0.0, 0.0, 2000.0),
    }
    assert measure.overall is not None
    assert measure.overall.value == pytest.approx(2400 / 11000 * 100)
    assert [v.name for v in measure.ranked] == ["Borsetshire", "Felpersham", "Loxley Barrett"]
    assert measure.values[0].url == "/partnerships/borsetshire/"
    assert measure.period == "Test SIMD, population mid-2017"
    assert measure.kind_labels == ["Observed"]
    assert measure.reading.startswith("Borsetshire has the highest share")


def test_simd_share_for_another_quintile() -> None:
    places = build_places()
    measure = selectors.council_area_simd_share(edition=places.edition, quintile=5)
    assert {v.name: v.value for v in measure.values} == {
        "Borsetshire": 25.0,
        "Felpersham": 18.0,
        "Loxley Barrett": 50.0,
    }
    assert measure.title == "People living in SIMD national quintile 5 data zones"


def test_current_edition_prefers_the_flagged_one_then_the_latest() -> None:
    places = build_places()
    editions = type(places.edition).objects
    editions.create(code="UNFLAGGED", name="Unflagged", published=dt.date(2100, 1, 1))
    assert selectors.deprivation_edition_current() == places.edition
    editions.update(is_current=False)
    assert selectors.deprivation_edition_current().code == "UNFLAGGED"


def test_partnership_list_counts_zones_and_people() -> None:
    places = build_places()
    rows = [r for r in selectors.partnership_list(edition=places.edition) if r.code in CODES]
    assert [(r.name, r.population, r.intermediate_zones) for r in rows] == [
        ("Borsetshire", 4000, 2),
        ("Felpersham", 5000, 2),
        ("Loxley Barrett", 2000, 1),
    ]
    assert (rows[0].deprivation_family_group, rows[0].density_family_group) == (4, 3)


def test_partnership_page_profiles_each_intermediate_zone() -> None:
    places = build_places()
    page = selectors.partnership_page(partnership=places.partnerships["S12900001"])
    ambridge, penny_hassett = page.intermediate_zones
    assert (ambridge.name, ambridge.population, ambridge.data_zones) == ("Ambridge", 2000, 3)
    assert ambridge.q1_share == 75.0
    assert ambridge.local_q1_share == 75.0
    assert ambridge.most_deprived_rank == 12
    assert (penny_hassett.q1_share, penny_hassett.most_deprived_rank) == (0.0, 1500)
    assert (page.population, page.q1_population, page.q1_share) == (4000, 1500, 37.5)
    assert (page.data_zones, page.iz_with_q1) == (6, 1)
    assert (page.q1_rank, page.council_areas_ranked) == (1, 3)
    assert [(q.quintile, q.population, q.share) for q in page.quintiles] == [
        (1, 1500, 37.5),
        (2, 600, 15.0),
        (3, 500, 12.5),
        (4, 400, 10.0),
        (5, 1000, 25.0),
    ]


def test_partnership_page_without_deprivation_data() -> None:
    places = build_places(deprivation=False)
    type(places.edition).objects.all().delete()  # any real editions too, inside the test
    page = selectors.partnership_page(partnership=places.partnerships["S12900003"])
    assert page.edition is None
    assert page.population is None
    assert page.q1_share is None
    assert page.quintiles == []
    assert [z.name for z in page.intermediate_zones] == ["Edgeley"]
    assert page.intermediate_zones[0].q1_share is None


def test_boundaries_are_a_feature_collection_wound_for_vega() -> None:
    build_places()
    features = [f for f in selectors.council_area_boundaries()["features"] if f["id"] in CODES]
    assert [f["id"] for f in features] == list(CODES)
    first = features[0]
    assert first["properties"] == {"code": "S12900001", "name": "Borsetshire"}
    # Stored anticlockwise (GeoJSON); served clockwise (d3-geo).
    assert first["geometry"]["coordinates"][0][1] == [-5.0, 57.0]


def test_any_indicator_by_council_area_for_a_period() -> None:
    places = build_places()
    scotland = CountryFactory()
    other_level = AreaFactory(
        code="S08900001", name="NHS Borsetshire", level=AreaLevel.HEALTH_BOARD
    )
    borsetshire = places.council_areas["S12900001"]
    felpersham = places.council_areas["S12900002"]
    first = ObservationFactory(area=borsetshire, value=12.5, period="2019")
    indicator = first.indicator
    ObservationFactory(indicator=indicator, area=felpersham, value=30.0, kind=ValueKind.IMPUTED)
    ObservationFactory(indicator=indicator, area=scotland, value=20.0)
    ObservationFactory(indicator=indicator, area=other_level, value=99.0)
    ObservationFactory(indicator=indicator, area=felpersham, value=1.0, period="2018")
    measure = selectors.council_area_indicator(indicator=indicator, period="2019")
    assert {v.name: v.value for v in measure.values} == {"Borsetshire": 12.5, "Felpersham": 30.0}
    assert measure.overall is not None
    assert measure.overall.value == 20.0
    assert measure.kinds == ("imputed", "observed")
    assert measure.values[0].url == "/partnerships/borsetshire/"
    assert measure.reading == (
        f"Felpersham has the highest {indicator.name[0].lower()}{indicator.name[1:]} (30.0%); "
        "Borsetshire has the lowest (12.5%). For Scotland as a whole it is 20.0%."
    )
