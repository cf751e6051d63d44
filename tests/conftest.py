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


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    if not has_real_data():
        pytest.skip(f"official data files not found in {data_dir()}")
    return data_dir()


@pytest.fixture
def real_geography(
    real_data_dir: Path, django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Path:
    """The real geography, committed outside the test's transaction so it survives rollbacks."""
    from cplan.geography.models import Area, AreaLevel
    from cplan.geography.services import geography_load

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if Area.objects.filter(level=AreaLevel.DATA_ZONE).count() != 6976:
            geography_load(data_dir=real_data_dir, actor="test-suite")
    return real_data_dir
