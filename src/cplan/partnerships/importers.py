"""Reading the LGBF family groups (2012 basis) of the 32 councils.

``geography/family_groups.csv`` names councils ("Edinburgh City", "Eilean Siar") but gives no
codes; ``data/family_group_council_codes.csv`` (ours, a fact table) turns each name into the
council area's current code. Every name must be known and every council must get both groups.
"""

from __future__ import annotations

from pathlib import Path

from cplan.geography.importers import Problems, SourceReader, integers

FAMILY_GROUPS = "geography/family_groups.csv"
NAME_CODES = "family_group_council_codes.csv"
PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"


def read_family_groups(data_dir: Path, problems: Problems) -> dict[str, tuple[int, int]] | None:
    """Council area code → (deprivation family group, population density family group)."""
    names = SourceReader(PACKAGE_DATA_DIR, problems).table(
        NAME_CODES, ("family_group_name", "council_area_code")
    )
    groups = SourceReader(data_dir, problems).table(
        FAMILY_GROUPS,
        (
            "council_area",
            "deprivation_family_group_2012",
            "population_density_family_group_2012",
        ),
    )
    if names is None or groups is None:
        return None
    code_of = dict(
        zip(names.frame["family_group_name"], names.frame["council_area_code"], strict=True)
    )
    deprivation = integers(groups, "deprivation_family_group_2012", problems, minimum=1, maximum=4)
    density = integers(
        groups, "population_density_family_group_2012", problems, minimum=1, maximum=4
    )
    result: dict[str, tuple[int, int]] = {}
    for position, name in enumerate(groups.frame["council_area"]):
        code = code_of.get(name)
        if code is None:
            problems.add(
                FAMILY_GROUPS,
                f"is not a council name listed in {NAME_CODES}",
                line=groups.line(position),
                field="council_area",
                value=name,
            )
        elif code in result:
            problems.add(
                FAMILY_GROUPS,
                f"names council area {code} a second time",
                line=groups.line(position),
                field="council_area",
                value=name,
            )
        elif deprivation is not None and density is not None:
            result[code] = (int(deprivation.iloc[position]), int(density.iloc[position]))
    absent = sorted(set(code_of.values()) - set(result))
    if absent and deprivation is not None and density is not None:
        problems.add(
            FAMILY_GROUPS,
            f"council areas without family groups: {', '.join(absent)}",
            field="council_area",
        )
    return result if deprivation is not None and density is not None else None
