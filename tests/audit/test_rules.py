"""The small parsers behind the audit rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cplan.audit import rules
from cplan.audit.rules import Evidence, RuleError


@pytest.mark.parametrize(
    ("text", "expected"), [("Green", "green"), (" amber ", "amber"), ("RED", "red"), ("", "")]
)
def test_rag_values(text: str, expected: str) -> None:
    assert rules.parse_rag(text) == expected


@pytest.mark.parametrize("text", ["Purple", "G", "Amber/Green"])
def test_unknown_rag_values(text: str) -> None:
    with pytest.raises(RuleError, match=rules.RAG_UNKNOWN):
        rules.parse_rag(text)


def test_dimensions_round_trip_in_the_fixed_order() -> None:
    values = rules.parse_dimensions("Value for money;  governance and  transparency")
    assert values == ["value_for_money", "governance_and_transparency"]
    assert rules.dimensions_text(values) == "governance and transparency; value for money"
    with pytest.raises(RuleError, match="twice"):
        rules.parse_dimensions("value for money; value for money")
    with pytest.raises(RuleError):
        rules.parse_dimensions("best value")


def test_evidence_links() -> None:
    links = rules.parse_evidence("LOIP | https://example.org/loip; Plan page | /plans/fife/")
    assert links == [
        Evidence("LOIP", "https://example.org/loip"),
        Evidence("Plan page", "/plans/fife/"),
    ]
    assert rules.evidence_text(links) == "LOIP | https://example.org/loip; Plan page | /plans/fife/"
    for bad in [
        "no address",
        "| https://example.org",
        "x | javascript:alert(1)",
        "x | //evil.example",
    ]:
        with pytest.raises(RuleError):
            rules.parse_evidence(bad)


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("3937", Decimal(3937), "3937"),
        ("3,937", Decimal(3937), "3937"),
        ("12.50", Decimal("12.5"), "12.5"),
    ],
)
def test_numbers(text: str, value: Decimal, written: str) -> None:
    assert rules.parse_number(text) == value
    assert rules.number_text(rules.parse_number(text)) == written


@pytest.mark.parametrize("text", ["many", "NaN", "Infinity", ""])
def test_not_numbers(text: str) -> None:
    with pytest.raises(RuleError, match=rules.BAD_NUMBER):
        rules.parse_number(text)
