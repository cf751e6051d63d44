"""docs/audit.md documents every file and column of the import layout, and the names that mean
all partnerships."""

from __future__ import annotations

from pathlib import Path

import pytest

from cplan.audit.bodies import addressee_table
from cplan.audit.layout import LAYOUTS, FileLayout

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_every_file_and_column_is_documented(layout: FileLayout) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"### `{layout.name}`" in text
    for column in layout.all_columns:
        assert f"| `{column}` |" in text, column


def test_the_names_for_all_partnerships_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for row in addressee_table():
        if row.target == "all_partnerships":
            assert f"`{row.name}`" in text
