"""Community profiles from the loaded data: the plain frames the ``outcomes`` library needs, and the
analyst exports of ``cplan export-profiles`` computed from them by that library.

The frames (selectors, read only):

- :func:`community_inputs` — CPOP's community measures (catalogue codes ``cpop-iz-*``) by
  intermediate zone and year, named as CPOP names them ("Child Poverty"), with each zone's CPP
  (council area code) and CPOP typology group, and each measure's polarity;
- :func:`quintile_counts` — data-zone numerators and denominators of the same measures summed to
  SIMD quintiles, nationally (Scotland, national quintiles) and within each CPP (national and local
  quintiles), through :func:`outcomes.aggregation.aggregate_counts`;
- :func:`duncan_inputs` — CPOP's Duncan index inputs (``cpop/iz_duncan_inputs.csv`` in
  ``CPLAN_DATA_DIR``; the importer has no layout for population splits, so the file is read as
  published) with each zone's council area from the database.

No statistic is computed here: scores, improvement, inequality and the Duncan index all come from
``outcomes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings

from cplan.geography.models import (
    Area,
    AreaLevel,
    Deprivation,
    DeprivationEdition,
    TypologyMembership,
)
from cplan.indicators.breakdowns import TOTAL_KEY
from cplan.indicators.mappings import cpop_measure_codes
from cplan.indicators.models import Indicator, Observation, Polarity, ValueKind
from outcomes.aggregation import aggregate_counts
from outcomes.community import (
    combined_scores,
    community_scores,
    improvement_scores,
)
from outcomes.duncan import duncan_table
from outcomes.inequality import inequality_table

CPOP_IZ_LAYOUT = "cpop-iz"
CPOP_TYPOLOGY = "cpop"
SCOTLAND = "S92000003"
NATIONAL, LOCAL = "national", "local"

#: Column of ``iz_duncan_inputs.csv`` → the measure's name in CPOP's community files.
DUNCAN_MEASURES = {
    "crime_rate": "Crime Rate",
    "child_poverty": "Child Poverty",
    "attainment": "Attainment",
    "participation": "Participation Rate",
    "emergency_admissions": "Emergency Admissions",
    "depopulation": "Depopulation",
    "early_mortality": "Early Mortality",
}
DUNCAN_FILE = Path("cpop") / "iz_duncan_inputs.csv"
CPOP_POLARITY_FILE = Path("cpop") / "iz_measures_polarity.csv"


class ProfileDataError(ValueError):
    """The data needed for the profiles is not loaded or not usable; the message says what."""


# ------------------------------------------------------------------------------------ selectors


def cpop_measure_names() -> dict[str, str]:
    """Catalogue code → CPOP's measure name, for the community (``cpop-iz``) measures."""
    return {code: name for name, code in cpop_measure_codes(CPOP_IZ_LAYOUT).items()}


def catalogue_polarity(names: Mapping[str, str]) -> dict[str, int]:
    """CPOP measure name → +1 / −1 from the catalogue's polarity (neutral measures left out)."""
    signs: dict[str, int] = {Polarity.HIGHER_IS_BETTER.value: 1, Polarity.LOWER_IS_BETTER.value: -1}
    rows = Indicator.objects.filter(code__in=list(names)).values_list("code", "polarity")
    return {names[code]: signs[polarity] for code, polarity in rows if polarity in signs}


def cpop_published_polarity(data_dir: Path | None = None) -> dict[str, int]:
    """CPOP measure name → +1 / −1 as CPOP's own data set marks it (``iz_measures_polarity.csv``).

    CPOP marks Depopulation "high is positive" while the catalogue treats a high index as bad
    (``cpop/SOURCES.md``); CPOP's published scores use CPOP's marking.
    """
    path = Path(data_dir or settings.CPLAN_DATA_DIR) / CPOP_POLARITY_FILE
    if not path.is_file():
        raise ProfileDataError(
            f"CPOP's polarity file {path} is not there: use the catalogue's polarity instead "
            "(--polarity catalogue)"
        )
    table = pd.read_csv(path, dtype=str)
    signs = {"Yes": 1, "No": -1}
    bad = table[~table["high_is_positive"].isin(list(signs))]
    if not bad.empty:
        row = bad.index[0]
        raise ProfileDataError(
            f"{path.name} row {row + 2}: high_is_positive is {bad.iloc[0]['high_is_positive']!r}; "
            "it must be Yes or No"
        )
    return dict(zip(table["Indicator"], table["high_is_positive"].map(signs), strict=True))


@dataclass(frozen=True)
class CommunityInputs:
    """CPOP's community measures as the ``outcomes.community`` functions take them."""

    #: InterZone, Indicator (CPOP's name), Year, value, Kind.
    values: pd.DataFrame
    #: Intermediate zone code → council area (CPP) code.
    cpp_of: pd.Series
    #: Intermediate zone code → CPOP typology group number.
    typology_of: pd.Series
    #: Council area code → name, for the exports.
    cpp_names: pd.Series


def community_inputs() -> CommunityInputs:
    """Every ``cpop-iz-*`` value held for an intermediate zone (all breakdown, any kind but
    synthetic), with the zones' CPPs and CPOP typology groups. Raises :class:`ProfileDataError`
    when none is loaded or the typology is missing."""
    names = cpop_measure_names()
    rows = Observation.objects.filter(
        indicator__code__in=list(names),
        area__level=AreaLevel.INTERMEDIATE_ZONE,
        breakdown__key=TOTAL_KEY,
    ).exclude(kind=ValueKind.SYNTHETIC)
    values = pd.DataFrame.from_records(
        rows.values_list("area__code", "indicator__code", "period", "value", "kind").iterator(
            chunk_size=20_000
        ),
        columns=["InterZone", "Indicator", "Year", "value", "Kind"],
    )
    if values.empty:
        raise ProfileDataError(
            "no CPOP community values are loaded (indicators cpop-iz-*): import CPOP's "
            "iz_outcomes.csv (cplan import-observations) or run cplan demo first"
        )
    values["Indicator"] = values["Indicator"].map(names)
    values["value"] = values["value"].astype(np.float64)
    zones = pd.DataFrame.from_records(
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE).values_list(
            "code", "council_area__code"
        ),
        columns=["InterZone", "CPP"],
    )
    groups = pd.DataFrame.from_records(
        TypologyMembership.objects.filter(typology__code=CPOP_TYPOLOGY).values_list(
            "area__code", "group_number"
        ),
        columns=["InterZone", "TypologyGroup"],
    )
    if groups.empty:
        raise ProfileDataError(
            f"the CPOP community typology ({CPOP_TYPOLOGY!r}) is not loaded: run cplan "
            "load-geography with the CPOP typology file"
        )
    councils = Area.objects.filter(level=AreaLevel.COUNCIL_AREA).values_list("code", "name")
    return CommunityInputs(
        values=values,
        cpp_of=zones.dropna().set_index("InterZone")["CPP"],
        typology_of=groups.set_index("InterZone")["TypologyGroup"],
        cpp_names=pd.Series(dict(councils), dtype=object),
    )


def current_edition() -> DeprivationEdition:
    edition = DeprivationEdition.objects.filter(is_current=True).first()
    if edition is None:
        raise ProfileDataError("no current SIMD edition is loaded: run cplan load-geography")
    return edition


def data_zone_quintiles(edition: DeprivationEdition) -> pd.DataFrame:
    """Data zone code, council area code, national and local (within council area) quintile."""
    return pd.DataFrame.from_records(
        Deprivation.objects.filter(edition=edition).values_list(
            "area__code", "area__council_area__code", "quintile", "local_quintile"
        ),
        columns=["area", "council_area", NATIONAL, LOCAL],
    )


def data_zone_counts(names: Mapping[str, str]) -> pd.DataFrame:
    """Data-zone numerators and denominators of the measures ``names`` (code → CPOP name):
    area, Indicator (CPOP name), period, numerator, denominator, kind."""
    rows = Observation.objects.filter(
        indicator__code__in=list(names),
        area__level=AreaLevel.DATA_ZONE,
        breakdown__key=TOTAL_KEY,
        numerator__isnull=False,
        denominator__isnull=False,
    )
    frame = pd.DataFrame.from_records(
        rows.values_list(
            "area__code", "indicator__code", "period", "numerator", "denominator", "kind"
        ).iterator(chunk_size=50_000),
        columns=["area", "Indicator", "period", "numerator", "denominator", "kind"],
    )
    frame["Indicator"] = frame["Indicator"].map(names)
    return frame


def quintile_mapping(zones: pd.DataFrame) -> pd.DataFrame:
    """Data zone → (area, quintile type, quintile): Scotland by national quintile, and each
    council area by national and by local quintile; one stacked mapping, one aggregation."""
    parts = [
        pd.DataFrame(
            {
                "area": zones["area"],
                "group": SCOTLAND,
                "quintile_type": NATIONAL,
                "quintile": zones[NATIONAL],
            }
        )
    ]
    for quintile_type in (NATIONAL, LOCAL):
        parts.append(
            pd.DataFrame(
                {
                    "area": zones["area"],
                    "group": zones["council_area"],
                    "quintile_type": quintile_type,
                    "quintile": zones[quintile_type],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def quintile_counts(edition: DeprivationEdition | None = None) -> pd.DataFrame:
    """Numerators, denominators and rates by SIMD quintile for every area (Scotland and each CPP),
    quintile type, measure and period, from the data-zone counts held.

    Columns: group (area code), quintile_type, quintile, Indicator, period, numerator, denominator,
    n_areas, expected_areas, complete, rate (numerator / denominator × the indicator's
    multiplier), kind (``synthetic`` when any input is synthetic, else the kinds found).
    Empty when no data-zone counts are held.
    """
    names = cpop_measure_names()
    counts = data_zone_counts(names)
    if counts.empty:
        return counts
    zones = data_zone_quintiles(edition or current_edition())
    unranked = sorted(set(counts["area"]) - set(zones["area"]))
    if unranked:
        raise ProfileDataError(
            f"{len(unranked)} data zones with counts have no SIMD rank in the edition used, "
            f"e.g. {unranked[0]}"
        )
    aggregated = aggregate_counts(
        counts, quintile_mapping(zones), by=("Indicator", "period"), unmapped="error"
    )
    multiplier = {
        names[code]: value
        for code, value in Indicator.objects.filter(code__in=list(names)).values_list(
            "code", "multiplier"
        )
    }
    numerator = aggregated["numerator"].to_numpy(dtype=np.float64)
    denominator = aggregated["denominator"].to_numpy(dtype=np.float64)
    scale = aggregated["Indicator"].map(multiplier).to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        aggregated["rate"] = np.where(denominator > 0, numerator / denominator * scale, np.nan)
    kinds = counts.groupby(["Indicator", "period"])["kind"].agg(_kind_label)
    return aggregated.merge(kinds.reset_index(), on=["Indicator", "period"], how="left")


def _kind_label(kinds: pd.Series) -> str:
    found = sorted(set(kinds))
    return ValueKind.SYNTHETIC.value if ValueKind.SYNTHETIC in found else ";".join(found)


def duncan_inputs(path: Path | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """CPOP's Duncan index inputs (one row per zone and calendar year) and zone → council area."""
    path = path or Path(settings.CPLAN_DATA_DIR) / DUNCAN_FILE
    if not path.is_file():
        raise ProfileDataError(f"the Duncan index inputs {path} are not there")
    data = pd.read_csv(path)
    zones = pd.DataFrame.from_records(
        Area.objects.filter(level=AreaLevel.INTERMEDIATE_ZONE).values_list(
            "code", "council_area__code"
        ),
        columns=["InterZone", "council_area"],
    )
    return data, zones.dropna().set_index("InterZone")["council_area"]


# -------------------------------------------------------------------------------------- exports


@dataclass(frozen=True)
class ProfileExport:
    community_scores: pd.DataFrame
    change_scores: pd.DataFrame
    #: None when CPOP's Duncan inputs are not in CPLAN_DATA_DIR (e.g. the offline demo).
    duncan_index: pd.DataFrame | None
    inequality: pd.DataFrame


def default_change_years(values: pd.DataFrame) -> tuple[str, str]:
    """CPOP's improvement period: the first year held to the last year that is not a projection."""
    years = sorted(values["Year"].unique())
    actual = sorted(values.loc[values["Kind"] != ValueKind.PROJECTED, "Year"].unique())
    return years[0], (actual or years)[-1]


def community_export(inputs: CommunityInputs, polarity: Mapping[str, int]) -> pd.DataFrame:
    """CPPScore and TypeScore of every community, measure and year, with the combined scores."""
    scores = community_scores(
        inputs.values, cpp_of=inputs.cpp_of, typology_of=inputs.typology_of, polarity=polarity
    )
    kinds = inputs.values.set_index(["InterZone", "Indicator", "Year"])["Kind"]
    keys = pd.MultiIndex.from_frame(scores[["InterZone", "Indicator", "Year"]])
    scores.insert(list(scores.columns).index("value") + 1, "Kind", kinds.reindex(keys).to_numpy())
    combined = combined_scores(scores).drop(columns=["CPP", "TypologyGroup"])
    out = scores.merge(combined, on=["InterZone", "Year"], how="left", validate="m:1")
    out.insert(2, "CPPName", out["CPP"].map(inputs.cpp_names).to_numpy())
    return out.sort_values(["CPP", "InterZone", "Indicator", "Year"], ignore_index=True)


def change_export(
    inputs: CommunityInputs, polarity: Mapping[str, int], first_year: str, last_year: str
) -> pd.DataFrame:
    """CPOP's improvement scores of every community and measure from ``first_year`` to ``last_year``."""
    change = improvement_scores(
        inputs.values,
        cpp_of=inputs.cpp_of,
        typology_of=inputs.typology_of,
        polarity=polarity,
        first_year=first_year,
        last_year=last_year,
    )
    change.insert(2, "CPPName", change["CPP"].map(inputs.cpp_names).to_numpy())
    columns = [
        "InterZone",
        "CPP",
        "CPPName",
        "TypologyGroup",
        "Indicator",
        "FirstYear",
        "LastYear",
        "ValueFirst",
        "ValueLast",
        "Change",
        "OverallZScore",
        "CPPChangeScore",
        "TypeChangeScore",
        "Status",
    ]
    return change[columns].sort_values(["CPP", "InterZone", "Indicator"], ignore_index=True)


def duncan_export(
    data: pd.DataFrame, council_of: pd.Series, council_names: pd.Series
) -> pd.DataFrame:
    """The Duncan index of every council area, year and measure, measures named as CPOP."""
    table = duncan_table(data, measures=list(DUNCAN_MEASURES), area_of=council_of)
    return pd.DataFrame(
        {
            "year": table["year"],
            "council_area_code": table["area"],
            "council_area_name": table["area"].map(council_names).to_numpy(),
            "measure": table["measure"].map(DUNCAN_MEASURES).to_numpy(),
            "value": table["duncan_index"],
            "zones": table["zones"],
            "missing": table["missing"],
            "status": table["status"],
        }
    ).sort_values(["year", "council_area_code", "measure"], ignore_index=True)


INEQUALITY_KEYS = ["group", "Indicator", "period", "quintile_type"]


def inequality_export(
    counts: pd.DataFrame, polarity: Mapping[str, int], area_names: pd.Series
) -> pd.DataFrame:
    """SII, RII (with CIs), PAR and ranges for every area, measure, period and quintile type."""
    measures = counts.assign(polarity=counts["Indicator"].map(polarity))
    table = inequality_table(
        measures,
        group_columns=INEQUALITY_KEYS,
        quantile_column="quintile",
        rate_column="rate",
        population_column="denominator",
        polarity="polarity",
    )
    per_group = measures.groupby(INEQUALITY_KEYS, sort=False).agg(
        complete=("complete", "all"), kind=("kind", "first")
    )
    table = table.merge(per_group.reset_index(), on=INEQUALITY_KEYS, how="left", validate="1:1")
    table = table.rename(columns={"group": "area_code", "Indicator": "measure"})
    table.insert(1, "area_name", table["area_code"].map(area_names).to_numpy())
    return table.sort_values(["area_code", "measure", "period", "quintile_type"], ignore_index=True)


def profiles_compute(
    *,
    polarity_source: str = "cpop",
    first_year: str | None = None,
    last_year: str | None = None,
    duncan_path: Path | None = None,
) -> ProfileExport:
    """Everything ``cplan export-profiles`` writes, computed from the loaded data.

    ``polarity_source`` is ``"cpop"`` (CPOP's own marking, which reproduces CPOP's published
    scores) or ``"catalogue"`` (the platform's catalogue). Raises :class:`ProfileDataError` (or the
    library's ``ValueError``) naming what is missing or wrong; nothing is written on error.
    """
    inputs = community_inputs()
    polarity = _polarity(polarity_source, inputs.values)
    default_first, default_last = default_change_years(inputs.values)
    first, last = first_year or default_first, last_year or default_last
    default_duncan = Path(settings.CPLAN_DATA_DIR) / DUNCAN_FILE
    duncan = None
    if duncan_path is not None or default_duncan.is_file():
        duncan_data, council_of = duncan_inputs(duncan_path)
        duncan = duncan_export(duncan_data, council_of, inputs.cpp_names)
    counts = quintile_counts()
    if counts.empty:
        raise ProfileDataError(
            "no data-zone numerators and denominators of the CPOP community measures are loaded "
            "(cpop-iz-* by data zone, e.g. cplan demo's synthetic series): inequality by SIMD "
            "quintile needs them"
        )
    area_names = pd.concat([inputs.cpp_names, pd.Series({SCOTLAND: "Scotland"})])
    return ProfileExport(
        community_scores=community_export(inputs, polarity),
        change_scores=change_export(inputs, polarity, first, last),
        duncan_index=duncan,
        inequality=inequality_export(counts, polarity, area_names),
    )


def _polarity(source: str, values: pd.DataFrame) -> dict[str, int]:
    if source == "cpop":
        polarity = cpop_published_polarity()
    elif source == "catalogue":
        polarity = catalogue_polarity(cpop_measure_names())
    else:
        raise ProfileDataError(f"polarity source {source!r}: choose 'cpop' or 'catalogue'")
    missing = sorted(set(values["Indicator"]) - set(polarity))
    if missing:
        raise ProfileDataError(f"no polarity ({source}) for the measures {missing}")
    return polarity


EXPORT_FILES = {
    "community_scores": "community_scores.csv",
    "change_scores": "change_scores.csv",
    "duncan_index": "duncan_index.csv",
    "inequality": "inequality.csv",
}


def profiles_write(export: ProfileExport, directory: Path) -> list[Path]:
    """Write the CSV files (full float precision) into ``directory`` (created if missing); a table
    that could not be computed (``None``) is not written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for attribute, file_name in EXPORT_FILES.items():
        path = directory / file_name
        frame: pd.DataFrame | None = getattr(export, attribute)
        if frame is None:
            continue
        frame.to_csv(path, index=False)
        written.append(path)
    return written
