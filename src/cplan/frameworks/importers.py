"""Reading the National Performance Framework (2018): the 11 national outcomes and the national
indicators with the breakdowns they are published by.

The official files give outcome names (``npf_national_outcomes_2018.csv``) and indicator names
with breakdowns (``npf_indicator_breakdowns.csv``) but neither the outcome statements nor which
outcome an indicator serves; both are facts we keep in ``data/`` with the basis of each mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cplan.geography.importers import Problems, SourceReader, check_not_blank, check_unique

OUTCOMES = "npf_national_outcomes_2018.csv"
INDICATORS = "npf_indicator_breakdowns.csv"
STATEMENTS = "npf_outcome_statements_2018.csv"
INDICATOR_OUTCOMES = "npf_indicator_outcomes_2018.csv"
PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
TOTAL = "Total"


@dataclass(frozen=True)
class NationalFramework:
    outcomes: list[tuple[str, str, str]]  # code, name, statement
    indicators: list[tuple[str, str | None, list[str]]]  # name, outcome code, breakdowns


def read_national_framework(data_dir: Path, problems: Problems) -> NationalFramework | None:
    files = SourceReader(data_dir, problems)
    package = SourceReader(PACKAGE_DATA_DIR, problems)
    outcomes = files.table(OUTCOMES, ("code", "national_outcome"))
    indicators = files.table(INDICATORS, ("Indicator", "Measure"))
    statements = package.table(STATEMENTS, ("code", "statement"))
    mapping = package.table(INDICATOR_OUTCOMES, ("indicator", "outcome_code"))
    if outcomes is None or indicators is None or statements is None or mapping is None:
        return None
    before = len(problems)
    check_unique(outcomes, "code", problems)
    check_not_blank(outcomes, "national_outcome", problems)
    check_not_blank(indicators, "Indicator", problems)
    statement_of = dict(zip(statements.frame["code"], statements.frame["statement"], strict=True))
    codes = set(outcomes.frame["code"])
    outcome_of = dict(zip(mapping.frame["indicator"], mapping.frame["outcome_code"], strict=True))
    for position, code in enumerate(mapping.frame["outcome_code"]):
        if code and code not in codes:
            problems.add(
                INDICATOR_OUTCOMES,
                f"is not an outcome code of {OUTCOMES}",
                line=mapping.line(position),
                field="outcome_code",
                value=code,
            )
    if len(problems) != before:
        return None
    breakdowns: dict[str, list[str]] = {}
    for name, measure in zip(
        indicators.frame["Indicator"], indicators.frame["Measure"], strict=True
    ):
        listed = breakdowns.setdefault(name, [])
        if measure and measure != TOTAL and measure not in listed:
            listed.append(measure)
    return NationalFramework(
        outcomes=[
            (code, name, statement_of.get(code, ""))
            for code, name in zip(
                outcomes.frame["code"], outcomes.frame["national_outcome"], strict=True
            )
        ],
        indicators=[
            (name, outcome_of.get(name) or None, sorted(measures))
            for name, measures in breakdowns.items()
        ],
    )
