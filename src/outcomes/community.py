"""Community (intermediate zone) profiles exactly as the Community Planning Outcomes Profile (CPOP),
plus three additions of our own: confidence in a community's rank, binomial / Poisson standard
errors to feed it, and a national "pace of improvement" per CPP.

CPOP's method (Improvement Service, repository ``Improvement-Service/CPOP``; read for the idea, the
code here is our own):

- ``Other Code/5. Preprocessing Ranks and Typology Scores.R`` — per measure and year,
  ``CPPScore = s·(v − mean_CPP)/sd_CPP`` and ``TypeScore = s·(v − mean_type)/sd_type`` with the
  **sample** standard deviation (R's ``sd``) over the communities of the same CPP / typology group;
  improvement ``Change = s·(v_last/v_first − 1)`` after zero values are set to missing,
  ``OverallZScore`` = z-score of ``Change`` over all of Scotland's communities per measure,
  ``CPPChangeScore`` / ``TypeChangeScore`` = z-score of ``OverallZScore`` within the CPP / typology
  group (missing values left out of the means and standard deviations, R's ``na.rm = TRUE``);
- ``server.R`` / ``CPOP Methodology - 2023.pdf`` — combined score = sum over the chosen measures with
  equal weights (ascending order puts the poorest outcomes first); a community is "better than
  expected" when its combined TypeScore is above zero;
- ``Other Code/7. Vulnerable community calcs.R`` — the vulnerable communities are the five with the
  lowest combined CPPScore in the base year; for each measure a community improves "faster" when
  its polarity-adjusted % change beats the % change of the CPP average of its communities.

Verified against CPOP's published ``data/IGZ_latest.csv`` (commit 321ef4c) and
``data/IGZ_change.csv`` (commit 711c8ee) to 1e-14: see ``tests/outcomes/published/README.md``.

Input is a long frame with columns ``InterZone``, ``Indicator``, ``Year`` and ``value`` plus maps
community → CPP, community → typology group and measure → polarity (+1 when a high value is good).
Outputs are plain data frames. Groups that cannot give a score are not silently NaN: every score
has a status column saying why it is missing (:class:`ScoreStatus`).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

from outcomes._validation import (
    fail_where,
    require_columns,
    require_rows,
    require_unique_keys,
    to_float_array,
)
from outcomes.trends import period_start_year
from outcomes.types import FloatArray, IntArray, Polarity

INTERZONE = "InterZone"
INDICATOR = "Indicator"
YEAR = "Year"
VALUE = "value"
CPP = "CPP"
TYPOLOGY = "TypologyGroup"

#: Seed of the rank-confidence simulation, fixed so results are reproducible.
RANK_SIMULATION_SEED = 20231001

PolarityMap = Mapping[str, Polarity | int | str]


class ScoreStatus(StrEnum):
    """Why a community score is (or is not) available."""

    OK = "ok"
    MISSING_VALUE = "missing value"
    TOO_FEW_COMMUNITIES = "fewer than two communities with a value"
    NO_VARIATION = "no variation between communities"


class Pace(StrEnum):
    """A community's improvement against the CPP average (CPOP's vulnerable-communities page)."""

    FASTER = "faster"
    SLOWER = "slower"
    SAME = "no difference"
    INSUFFICIENT_DATA = "insufficient data"


# --------------------------------------------------------------------------------------- inputs


def prepare_community_data(
    data: pd.DataFrame,
    *,
    cpp_of: Mapping[str, Hashable] | pd.Series,
    typology_of: Mapping[str, Hashable] | pd.Series,
    polarity: PolarityMap,
) -> pd.DataFrame:
    """Validate the long frame and attach ``CPP``, ``TypologyGroup`` and ``Polarity`` columns.

    Rules (each failure is a ``ValueError`` naming the row, the value and the rule): the four
    columns must be present; at least one row; each (InterZone, Indicator, Year) once; values are
    numbers, missing allowed (scored as missing), never ±infinity; every community has a CPP and a
    typology group; every measure has a polarity. Communities are matched on codes.
    """
    require_columns(data, [INTERZONE, INDICATOR, YEAR, VALUE], "community data")
    require_rows(data, "community data")
    require_unique_keys(data, [INTERZONE, INDICATOR, YEAR], "community data")
    values = to_float_array(data[VALUE].to_numpy(), VALUE)
    fail_where(
        np.isinf(values), field=VALUE, values=values, rule="must be finite", labels=data.index
    )
    frame = pd.DataFrame(
        {
            INTERZONE: data[INTERZONE].to_numpy(),
            INDICATOR: data[INDICATOR].to_numpy(),
            YEAR: data[YEAR].to_numpy(),
            VALUE: values,
        },
        index=data.index,
    )
    for column, mapping in ((CPP, cpp_of), (TYPOLOGY, typology_of)):
        mapped = _lookup(frame[INTERZONE], mapping)
        fail_where(
            mapped.isna().to_numpy(),
            field=INTERZONE,
            values=frame[INTERZONE].to_numpy(),
            rule=f"the community has no {column} in the map given",
            labels=frame.index,
        )
        frame[column] = mapped.to_numpy()
    signs = {name: int(Polarity.parse(value)) for name, value in polarity.items()}
    sign = _lookup(frame[INDICATOR], signs)
    fail_where(
        sign.isna().to_numpy(),
        field=INDICATOR,
        values=frame[INDICATOR].to_numpy(),
        rule="the measure has no polarity (+1 when a high value is good, -1 when bad)",
        labels=frame.index,
    )
    frame["Polarity"] = sign.astype(np.int64).to_numpy()
    return frame


def _lookup(keys: pd.Series, mapping: Mapping[str, Hashable] | pd.Series) -> pd.Series:
    """``keys.map(mapping)``, looking each distinct key up once (fast for long frames)."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    table = pd.Series(mapping) if isinstance(mapping, Mapping) else mapping
    found = pd.Series(uniques).map(table).to_numpy()
    return pd.Series(found[codes], index=keys.index)


def _zscores(
    values: pd.Series, keys: Sequence[pd.Series]
) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Sample z-scores of ``values`` within the groups ``keys`` and a status for each row.

    Missing values are left out of each group's mean and standard deviation (R ``na.rm = TRUE``).
    """
    grouped = values.groupby(list(keys), sort=False, dropna=False)
    mean = grouped.transform("mean").to_numpy(dtype=np.float64)
    sd = grouped.transform("std").to_numpy(dtype=np.float64)  # ddof = 1, as R's sd()
    count = grouped.transform("count").to_numpy(dtype=np.float64)
    raw = values.to_numpy(dtype=np.float64)
    status = np.full(len(values), ScoreStatus.OK.value, dtype=object)
    status[count < 2] = ScoreStatus.TOO_FEW_COMMUNITIES.value
    status[(count >= 2) & (sd == 0)] = ScoreStatus.NO_VARIATION.value
    status[np.isnan(raw)] = ScoreStatus.MISSING_VALUE.value
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(status == ScoreStatus.OK.value, (raw - mean) / sd, np.nan)
    return score, status


# ------------------------------------------------------------------------------- outcome scores


def community_scores(
    data: pd.DataFrame,
    *,
    cpp_of: Mapping[str, Hashable] | pd.Series,
    typology_of: Mapping[str, Hashable] | pd.Series,
    polarity: PolarityMap,
    years: Sequence[str] | None = None,
) -> pd.DataFrame:
    """CPOP's ``CPPScore`` and ``TypeScore`` for every community, measure and year.

    ``CPPScore = s·(v − mean)/sd`` over the communities of the same CPP, measure and year;
    ``TypeScore`` the same over the typology group (all of Scotland). ``years`` limits the years
    scored (CPOP publishes the latest year only). Returns one row per input row with
    ``InterZone, CPP, TypologyGroup, Indicator, Year, value, CPPScore, TypeScore`` and the status
    columns ``CPPScoreStatus`` / ``TypeScoreStatus``.
    """
    frame = prepare_community_data(data, cpp_of=cpp_of, typology_of=typology_of, polarity=polarity)
    return _scores_of(frame, years)


def _scores_of(frame: pd.DataFrame, years: Sequence[str] | None) -> pd.DataFrame:
    """:func:`community_scores` on a frame already checked by :func:`prepare_community_data`."""
    if years is not None:
        frame = frame[frame[YEAR].isin(list(years))]
        if frame.empty:
            raise ValueError(f"no community data for the years {list(years)}")
    sign = frame["Polarity"].to_numpy(dtype=np.float64)
    cpp_score, cpp_status = _zscores(frame[VALUE], [frame[CPP], frame[INDICATOR], frame[YEAR]])
    type_score, type_status = _zscores(
        frame[VALUE], [frame[TYPOLOGY], frame[INDICATOR], frame[YEAR]]
    )
    out = frame[[INTERZONE, CPP, TYPOLOGY, INDICATOR, YEAR, VALUE]].copy()
    out["CPPScore"] = sign * cpp_score
    out["TypeScore"] = sign * type_score
    out["CPPScoreStatus"] = cpp_status
    out["TypeScoreStatus"] = type_status
    return out.reset_index(drop=True)


def combined_scores(scores: pd.DataFrame, *, measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Combined CPPScore and TypeScore per community and year: the sum over ``measures``.

    As CPOP (``sum(CPPScore)`` without ``na.rm``), a community missing a score for any chosen
    measure gets no combined score; ``MeasuresScored`` says how many measures it has. ``CPPRank``
    orders each CPP's communities ascending, so rank 1 has the poorest outcomes.
    """
    require_columns(scores, [INTERZONE, CPP, TYPOLOGY, INDICATOR, YEAR, "CPPScore", "TypeScore"])
    chosen = _chosen_measures(scores, measures)
    keys = [INTERZONE, CPP, TYPOLOGY, YEAR]
    subset = scores[scores[INDICATOR].isin(chosen)].set_index([*keys, INDICATOR])
    cpp = subset["CPPScore"].unstack(INDICATOR).reindex(columns=chosen)
    typ = subset["TypeScore"].unstack(INDICATOR).reindex(columns=chosen)
    out = pd.DataFrame(
        {
            "CombinedCPPScore": cpp.sum(axis=1, skipna=False),
            "CombinedTypeScore": typ.sum(axis=1, skipna=False),
            "MeasuresScored": cpp.notna().sum(axis=1),
        }
    ).reset_index()
    out["CPPRank"] = (
        out.groupby([CPP, YEAR])["CombinedCPPScore"].rank(method="first", ascending=True)
    ).astype("Int64")
    return out


def _chosen_measures(scores: pd.DataFrame, measures: Sequence[str] | None) -> list[str]:
    present = list(pd.unique(scores[INDICATOR]))
    if measures is None:
        return present
    unknown = [measure for measure in measures if measure not in present]
    if unknown:
        raise ValueError(f"measures {unknown} are not in the scores; they have {present}")
    if not measures:
        raise ValueError("choose at least one measure to combine")
    return list(measures)


def better_than_expected(combined: pd.DataFrame) -> pd.DataFrame:
    """Per CPP and year, the share of communities whose combined TypeScore is above zero.

    A community doing better than its typology group on balance is "better than expected" (CPOP).
    Communities without a combined TypeScore are left out and counted in ``NotScored``.
    """
    require_columns(combined, [CPP, YEAR, "CombinedTypeScore"], "combined scores")
    scored = combined["CombinedTypeScore"].notna()
    frame = combined.assign(_scored=scored, _better=scored & (combined["CombinedTypeScore"] > 0))
    out = (
        frame.groupby([CPP, YEAR], sort=True)
        .agg(
            Communities=("_scored", "sum"),
            BetterThanExpected=("_better", "sum"),
            NotScored=("_scored", lambda s: int((~s).sum())),
        )
        .reset_index()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["Share"] = np.where(
            out["Communities"] > 0, out["BetterThanExpected"] / out["Communities"], np.nan
        )
    return out


# ---------------------------------------------------------------------------------- improvement


def improvement_scores(
    data: pd.DataFrame,
    *,
    cpp_of: Mapping[str, Hashable] | pd.Series,
    typology_of: Mapping[str, Hashable] | pd.Series,
    polarity: PolarityMap,
    first_year: str,
    last_year: str,
) -> pd.DataFrame:
    """CPOP's improvement scores between ``first_year`` and ``last_year`` for each community/measure.

    Zero values count as missing (CPOP: ``na_if(value, 0)``, which also avoids dividing by zero).
    ``Change = s·(v_last/v_first − 1)``; ``OverallZScore`` standardises Change over every community
    in ``data`` (all of Scotland in CPOP); ``CPPChangeScore`` / ``TypeChangeScore`` standardise
    OverallZScore within the CPP / typology group. A community missing either value has no scores
    and ``Status`` = "missing value".
    """
    frame = prepare_community_data(data, cpp_of=cpp_of, typology_of=typology_of, polarity=polarity)
    if first_year == last_year:
        raise ValueError(f"first_year and last_year are both {first_year!r}: nothing to compare")
    for year in (first_year, last_year):
        if not (frame[YEAR] == year).any():
            raise ValueError(f"no community data for the year {year!r}")
    out = _first_and_last(frame, first_year, last_year)
    sign = out.pop("Polarity").to_numpy(dtype=np.float64)
    out["Change"] = sign * (out["ValueLast"] / out["ValueFirst"] - 1.0)
    overall, status = _zscores(out["Change"], [out[INDICATOR]])
    out["OverallZScore"] = overall
    out["CPPChangeScore"], _ = _zscores(out["OverallZScore"], [out[CPP], out[INDICATOR]])
    out["TypeChangeScore"], _ = _zscores(out["OverallZScore"], [out[TYPOLOGY], out[INDICATOR]])
    out["Status"] = status
    out["FirstYear"] = first_year
    out["LastYear"] = last_year
    return out


def _first_and_last(frame: pd.DataFrame, first_year: str, last_year: str) -> pd.DataFrame:
    """One row per community and measure with its first- and last-year value; zeros → missing."""
    keys = [INTERZONE, CPP, TYPOLOGY, INDICATOR, "Polarity"]
    pairs = frame[frame[YEAR].isin([first_year, last_year])]
    out = pairs[keys].drop_duplicates([INTERZONE, INDICATOR]).reset_index(drop=True)
    for year, column in ((first_year, "ValueFirst"), (last_year, "ValueLast")):
        rows = pairs[pairs[YEAR] == year][[INTERZONE, INDICATOR, VALUE]]
        out = out.merge(rows.rename(columns={VALUE: column}), on=[INTERZONE, INDICATOR], how="left")
        out.loc[out[column] == 0, column] = np.nan
    return out


def combined_improvement(
    improvement: pd.DataFrame, *, measures: Sequence[str] | None = None
) -> pd.DataFrame:
    """Combined CPPChangeScore and TypeChangeScore per community: sum over measures, missing skipped.

    CPOP sums change scores with ``na.rm = TRUE``; ``MeasuresScored`` says how many measures
    contributed (a community with none gets no combined score, not zero). Ascending order puts the
    least improvement first: ``CPPRank`` 1 is the community that improved least in its CPP.
    """
    require_columns(improvement, [INTERZONE, CPP, TYPOLOGY, INDICATOR, "CPPChangeScore"])
    chosen = _chosen_measures(improvement, measures)
    keys = [INTERZONE, CPP, TYPOLOGY]
    subset = improvement[improvement[INDICATOR].isin(chosen)].set_index([*keys, INDICATOR])
    cpp = subset["CPPChangeScore"].unstack(INDICATOR)
    typ = subset["TypeChangeScore"].unstack(INDICATOR)
    out = pd.DataFrame(
        {
            "CombinedCPPChangeScore": cpp.sum(axis=1, min_count=1),
            "CombinedTypeChangeScore": typ.sum(axis=1, min_count=1),
            "MeasuresScored": cpp.notna().sum(axis=1),
        }
    ).reset_index()
    out["CPPRank"] = (
        out.groupby(CPP)["CombinedCPPChangeScore"].rank(method="first", ascending=True)
    ).astype("Int64")
    return out


# -------------------------------------------------------------------------- vulnerable communities


@dataclass(frozen=True)
class VulnerableCommunities:
    """CPOP's vulnerable communities and how fast they improve against their CPP average."""

    #: CPP, VulnerabilityRank (1 = lowest combined CPPScore), InterZone, CombinedCPPScore.
    communities: pd.DataFrame
    #: CPP, VulnerabilityRank, InterZone, Indicator, CommunityChange, CPPAverageChange (both in %,
    #: polarity-adjusted so that positive is improvement) and Pace.
    pace: pd.DataFrame


def vulnerable_communities(
    data: pd.DataFrame,
    *,
    cpp_of: Mapping[str, Hashable] | pd.Series,
    typology_of: Mapping[str, Hashable] | pd.Series,
    polarity: PolarityMap,
    base_year: str,
    last_year: str,
    measures: Sequence[str] | None = None,
    count: int = 5,
) -> VulnerableCommunities:
    """The ``count`` communities of each CPP with the lowest combined CPPScore in ``base_year``, and
    for each measure whether each improves faster or slower than the CPP average.

    Following ``7. Vulnerable community calcs.R``: zeros are missing; a community's change is
    ``100·s·(v_last/v_base − 1)``; the CPP's is the same on the mean of its communities' values in
    each year. (CPOP rounds values to 2 decimals first; we keep full precision.)
    """
    if count < 1:
        raise ValueError(f"count is {count}: choose at least one community per CPP")
    frame = prepare_community_data(data, cpp_of=cpp_of, typology_of=typology_of, polarity=polarity)
    base = _scores_of(frame, [base_year])
    combined = combined_scores(base, measures=measures)
    chosen = combined[combined["CPPRank"].notna() & (combined["CPPRank"] <= count)]
    chosen = chosen.rename(columns={"CPPRank": "VulnerabilityRank"})
    communities = chosen[[CPP, "VulnerabilityRank", INTERZONE, "CombinedCPPScore"]]
    communities = communities.sort_values([CPP, "VulnerabilityRank"]).reset_index(drop=True)

    if measures is not None:
        frame = frame[frame[INDICATOR].isin(list(measures))]
    wide = _first_and_last(frame, base_year, last_year)
    sign = wide["Polarity"].to_numpy(dtype=np.float64)
    wide["CommunityChange"] = 100 * sign * (wide["ValueLast"] / wide["ValueFirst"] - 1)
    averages = wide.groupby([CPP, INDICATOR])[["ValueFirst", "ValueLast"]].transform("mean")
    wide["CPPAverageChange"] = 100 * sign * (averages["ValueLast"] / averages["ValueFirst"] - 1)
    pace = communities[[CPP, "VulnerabilityRank", INTERZONE]].merge(
        wide[[INTERZONE, INDICATOR, "CommunityChange", "CPPAverageChange"]], on=INTERZONE
    )
    mine, theirs = pace["CommunityChange"].to_numpy(), pace["CPPAverageChange"].to_numpy()
    pace["Pace"] = np.select(
        [np.isnan(mine) | np.isnan(theirs), mine > theirs, mine < theirs],
        [Pace.INSUFFICIENT_DATA.value, Pace.FASTER.value, Pace.SLOWER.value],
        Pace.SAME.value,
    )
    return VulnerableCommunities(communities=communities, pace=pace.reset_index(drop=True))


# --------------------------------------------------------------------- beyond CPOP (our additions)


def binomial_standard_error(percent: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """Standard error of a percentage ``p`` out of ``n``: ``100·√(p(1−p)/n)`` (p as a proportion)."""
    p = to_float_array(percent, "percent") / 100.0
    n = to_float_array(denominator, "denominator")
    fail_where((p < 0) | (p > 1), field="percent", values=p * 100, rule="must be between 0 and 100")
    fail_where(~(n > 0), field="denominator", values=n, rule="must be greater than zero")
    result: FloatArray = 100.0 * np.sqrt(p * (1.0 - p) / n)
    return result


def poisson_standard_error(
    rate: npt.ArrayLike, denominator: npt.ArrayLike, *, per: float
) -> FloatArray:
    """Standard error of a crude rate ``per`` people: ``√(count)/denominator·per``."""
    r = to_float_array(rate, "rate")
    n = to_float_array(denominator, "denominator")
    fail_where(r < 0, field="rate", values=r, rule="must not be negative")
    fail_where(~(n > 0), field="denominator", values=n, rule="must be greater than zero")
    result: FloatArray = np.sqrt(r * n / per) / n * per
    return result


def rank_confidence(
    data: pd.DataFrame,
    *,
    cpp_of: Mapping[str, Hashable] | pd.Series,
    polarity: PolarityMap,
    measures: Sequence[str] | None = None,
    standard_error_column: str = "standard_error",
    simulations: int = 1000,
    poorest: int = 5,
    seed: int = RANK_SIMULATION_SEED,
) -> pd.DataFrame:
    """How stable each community's rank within its CPP is, given the uncertainty of its values.

    **Our own method.** ``data`` holds one year: ``InterZone``, ``Indicator``, ``value`` and a
    standard error per value. Each simulation draws every value from ``Normal(value, se)``,
    recomputes the combined CPPScore exactly as CPOP (z-scores within the CPP, summed over the
    measures) and ranks each CPP's communities (1 = poorest combined score). Returns per community
    the observed combined score and rank, the 2.5th–97.5th percentile of its simulated rank
    (``RankLow``, ``RankHigh``) and the share of simulations in which it is among the ``poorest``
    of its CPP (``ProbabilityPoorest``), e.g. the chance that it belongs on CPOP's vulnerable list.
    Every community needs every chosen measure with a finite value and a finite, non-negative
    standard error. The seed is fixed so results are reproducible.
    """
    require_columns(data, [INTERZONE, INDICATOR, VALUE, standard_error_column], "rank data")
    require_rows(data, "rank data")
    require_unique_keys(data, [INTERZONE, INDICATOR], "rank data (one year)")
    if simulations < 1:
        raise ValueError(f"simulations is {simulations}: run at least one")
    chosen = _chosen_measures(data, measures)
    frame = data[data[INDICATOR].isin(chosen)]
    values = frame.pivot(index=INTERZONE, columns=INDICATOR, values=VALUE).reindex(columns=chosen)
    errors = frame.pivot(index=INTERZONE, columns=INDICATOR, values=standard_error_column)
    errors = errors.reindex(index=values.index, columns=chosen)
    v = values.to_numpy(dtype=np.float64)
    se = errors.to_numpy(dtype=np.float64)
    labels = [f"{iz} / {m}" for iz in values.index for m in chosen]
    fail_where(
        ~np.isfinite(v),
        field=VALUE,
        values=v,
        rule="every community needs a finite value for every measure",
        labels=labels,
    )
    fail_where(
        ~np.isfinite(se) | (se < 0),
        field=standard_error_column,
        values=se,
        rule="must be finite and not negative",
        labels=labels,
    )
    cpp_series = pd.Series(cpp_of) if isinstance(cpp_of, Mapping) else cpp_of
    cpps = values.index.to_series().map(cpp_series)
    fail_where(
        cpps.isna().to_numpy(),
        field=INTERZONE,
        values=values.index.to_numpy(),
        rule="the community has no CPP in the map given",
    )
    sign = np.array([int(Polarity.parse(polarity[m])) if m in polarity else 0 for m in chosen])
    fail_where(
        sign == 0,
        field=INDICATOR,
        values=np.array(chosen, dtype=object),
        rule="the measure has no polarity",
    )

    order = np.argsort(cpps.to_numpy().astype(str), kind="stable")
    codes, starts = _group_starts(cpps.to_numpy()[order])
    v, se = v[order], se[order]
    observed = _combined(v[None, :, :], sign, starts)[0]
    observed_rank = _ranks(observed[None, :], starts)[0]
    rng = np.random.default_rng(seed)
    rank_samples = np.empty((simulations, v.shape[0]), dtype=np.int64)
    for begin in range(0, simulations, 200):
        end = min(begin + 200, simulations)
        draws = v[None, :, :] + se[None, :, :] * rng.standard_normal((end - begin, *v.shape))
        rank_samples[begin:end] = _ranks(_combined(draws, sign, starts), starts)
    sizes = np.diff(np.append(starts, v.shape[0]))[codes]
    out = pd.DataFrame(
        {
            INTERZONE: values.index.to_numpy()[order],
            CPP: cpps.to_numpy()[order],
            "CombinedCPPScore": observed,
            "Rank": observed_rank,
            "RankLow": np.percentile(rank_samples, 2.5, axis=0, method="lower"),
            "RankHigh": np.percentile(rank_samples, 97.5, axis=0, method="higher"),
            "ProbabilityPoorest": (rank_samples <= poorest).mean(axis=0),
            "Communities": sizes,
        }
    )
    return out.sort_values([CPP, "Rank"]).reset_index(drop=True)


def _group_starts(sorted_keys: npt.NDArray[np.generic]) -> tuple[IntArray, IntArray]:
    """Group code of each row of an already sorted key array, and where each group starts."""
    change = np.ones(len(sorted_keys), dtype=bool)
    change[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(change).astype(np.int64)
    codes = (np.cumsum(change) - 1).astype(np.int64)
    return codes, starts


def _combined(values: FloatArray, sign: IntArray, starts: IntArray) -> FloatArray:
    """Combined CPPScore for values shaped (simulations, communities sorted by CPP, measures)."""
    sizes = np.diff(np.append(starts, values.shape[1]))
    sums = np.add.reduceat(values, starts, axis=1)
    means = np.repeat(sums / sizes[None, :, None], sizes, axis=1)
    centred = values - means
    ss = np.add.reduceat(centred**2, starts, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.repeat(np.sqrt(ss / (sizes[None, :, None] - 1)), sizes, axis=1)
        z = centred / sd
    result: FloatArray = (z * sign[None, None, :]).sum(axis=2)
    return result


def _ranks(combined: FloatArray, starts: IntArray) -> IntArray:
    """Rank (1 = lowest) within each CPP block for every simulation row."""
    ranks = np.empty(combined.shape, dtype=np.int64)
    bounds = np.append(starts, combined.shape[1])
    for begin, end in itertools.pairwise(bounds.tolist()):
        block = combined[:, begin:end]
        ranks[:, begin:end] = np.argsort(np.argsort(block, axis=1, kind="stable"), axis=1) + 1
    return ranks


def pace_of_improvement(
    data: pd.DataFrame,
    *,
    area_column: str,
    polarity: PolarityMap,
    first_year: Mapping[str, str] | None = None,
    last_year: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A national "pace of improvement" per area (CPP) across all its measures. **Our own measure.**

    For each area and measure: the polarity-adjusted compound annual rate of change
    ``s·((v_last/v_first)^(1/(t_last − t_first)) − 1)`` between the first and last year with a
    value (or the years given per measure), t being the first calendar year of the period label
    ("2010/11" → 2010). Positive means improving. The area's **pace** is the median of these rates
    over its measures; ``ShareImproving`` is the share of measures with a positive rate and
    ``PaceRank`` ranks the areas (1 = fastest). A measure whose first or last value is not positive
    has no rate (``Status`` says so) and is left out of the median.

    Returns ``(per_measure, per_area)``.
    """
    require_columns(data, [area_column, INDICATOR, YEAR, VALUE], "pace data")
    require_rows(data, "pace data")
    require_unique_keys(data, [area_column, INDICATOR, YEAR], "pace data")
    values = to_float_array(data[VALUE].to_numpy(), VALUE)
    fail_where(
        np.isinf(values), field=VALUE, values=values, rule="must be finite", labels=data.index
    )
    missing_polarity = ~data[INDICATOR].isin(list(polarity)).to_numpy()
    fail_where(
        missing_polarity,
        field=INDICATOR,
        values=data[INDICATOR].to_numpy(),
        rule="the measure has no polarity",
        labels=data.index,
    )
    frame = pd.DataFrame(
        {
            "Area": data[area_column].to_numpy(),
            INDICATOR: data[INDICATOR].to_numpy(),
            YEAR: data[YEAR].to_numpy(),
            "t": period_start_year(data[YEAR].to_numpy()),
            VALUE: values,
        }
    ).dropna(subset=[VALUE])
    frame = _limit_years(frame, first_year, last_year)
    frame = frame.sort_values(["Area", INDICATOR, "t"])
    ends = frame.groupby(["Area", INDICATOR], sort=True).agg(
        FirstYear=(YEAR, "first"),
        LastYear=(YEAR, "last"),
        t0=("t", "first"),
        t1=("t", "last"),
        ValueFirst=(VALUE, "first"),
        ValueLast=(VALUE, "last"),
    )
    ends = ends.reset_index()
    sign = ends[INDICATOR].map({k: int(Polarity.parse(p)) for k, p in polarity.items()})
    span = (ends["t1"] - ends["t0"]).to_numpy(dtype=np.float64)
    first, last = ends["ValueFirst"].to_numpy(), ends["ValueLast"].to_numpy()
    usable = (span > 0) & (first > 0) & (last > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(usable, (last / first) ** (1.0 / span) - 1.0, np.nan)
    ends["AnnualImprovement"] = sign.to_numpy(dtype=np.float64) * rate
    ends["Status"] = np.select(
        [span <= 0, (first <= 0) | (last <= 0)],
        ["fewer than two years", "first or last value not positive"],
        "ok",
    )
    per_measure = ends.rename(columns={"Area": area_column}).drop(columns=["t0", "t1"])
    rated = ends[ends["Status"] == "ok"]
    per_area = (
        rated.groupby("Area", sort=True)
        .agg(
            Pace=("AnnualImprovement", "median"),
            ShareImproving=("AnnualImprovement", lambda s: float((s > 0).mean())),
            Measures=("AnnualImprovement", "count"),
        )
        .reset_index()
    )
    all_areas = pd.DataFrame({"Area": pd.unique(ends["Area"])})
    per_area = all_areas.merge(per_area, on="Area", how="left")
    per_area["Measures"] = per_area["Measures"].fillna(0).astype(int)
    per_area["PaceRank"] = per_area["Pace"].rank(method="min", ascending=False).astype("Int64")
    per_area = per_area.rename(columns={"Area": area_column})
    return per_measure, per_area.sort_values("PaceRank").reset_index(drop=True)


def _limit_years(
    frame: pd.DataFrame, first_year: Mapping[str, str] | None, last_year: Mapping[str, str] | None
) -> pd.DataFrame:
    """Keep, per measure, only the years between the given first and last year (inclusive)."""
    keep = np.ones(len(frame), dtype=bool)
    measure = frame[INDICATOR].to_numpy()
    t = frame["t"].to_numpy()
    for bound, compare in ((first_year, np.greater_equal), (last_year, np.less_equal)):
        if bound is None:
            continue
        for name, label in bound.items():
            limit = int(period_start_year([label])[0])
            keep &= ~((measure == name) & ~compare(t, limit))
    return frame[keep]
