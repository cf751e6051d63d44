from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Cached profiles are keyed on the data's version, which can repeat after a rolled-back test."""
    cache.clear()
    yield
    cache.clear()
