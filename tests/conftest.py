"""Shared fixtures.

``real_geography`` loads Scotland's real geography (../shared/data, or CPLAN_DATA_DIR) into the test
database once per test process and again only if a transactional test flushed it. Tests that need it
are skipped, not failed, when the official data files are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


def data_dir() -> Path:
    return Path(settings.CPLAN_DATA_DIR)


def has_real_data() -> bool:
    return (data_dir() / "simd2020v2_datazones.csv").is_file()


REAL_DATA_FIXTURES = {"real_data_dir", "real_geography", "real_geography_committed"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the real data ``realdata``.

    The real geography is committed once per test process, so tests that expect an empty database
    must not share a process with it: ``make test`` runs ``-m "not realdata"`` and ``-m realdata``
    as two separate pytest runs.
    """
    for item in items:
        if REAL_DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.realdata)


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    if not has_real_data():
        pytest.skip(f"official data files not found in {data_dir()}")
    return data_dir()


def _load_real_geography_if_missing(data_dir: Path) -> None:
    from cplan.geography.models import Area, AreaLevel
    from cplan.geography.services import geography_load

    if Area.objects.filter(level=AreaLevel.DATA_ZONE).count() != 6976:
        geography_load(data_dir=data_dir, actor="test-suite")


@pytest.fixture(scope="session")
def real_geography_committed(
    real_data_dir: Path, django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Path:
    """Loads once per test process. Session-scoped so that it runs before a test's own
    transaction opens (pytest sets up wider fixtures first): the load is committed."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _load_real_geography_if_missing(real_data_dir)
    return real_data_dir


@pytest.fixture
def real_geography(
    real_geography_committed: Path, django_db_blocker: pytest.FixtureRequest
) -> Path:
    """The real geography; loaded again only if a transactional test flushed it."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _load_real_geography_if_missing(real_geography_committed)
    return real_geography_committed
