"""The shared vocabulary: polarity words from data files."""

from __future__ import annotations

import pytest

from outcomes.types import Polarity


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("higher is better", Polarity.HIGHER_IS_BETTER),
        ("High_is_positive", Polarity.HIGHER_IS_BETTER),
        ("TRUE", Polarity.HIGHER_IS_BETTER),
        ("lower-is-better", Polarity.LOWER_IS_BETTER),
        ("False", Polarity.LOWER_IS_BETTER),
        (-1, Polarity.LOWER_IS_BETTER),
        (1, Polarity.HIGHER_IS_BETTER),
        (Polarity.LOWER_IS_BETTER, Polarity.LOWER_IS_BETTER),
    ],
)
def test_polarity_is_read_from_the_words_data_files_use(
    given: str | int | Polarity, expected: Polarity
) -> None:
    assert Polarity.parse(given) is expected


@pytest.mark.parametrize(
    ("given", "message"), [("good", "polarity 'good' is not recognised"), (0, "polarity 0")]
)
def test_unknown_polarity_is_an_error(given: str | int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Polarity.parse(given)
