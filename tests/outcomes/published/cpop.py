"""Loading the real CPOP inputs (``CPLAN_DATA_DIR/cpop``) and the published reference outputs kept in
``tests/outcomes/published/`` for the community-profile and Duncan index tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.conf import settings

PUBLISHED = Path(__file__).parent

#: CPOP's Duncan index columns → our measure columns in ``iz_duncan_inputs.csv``.
DUNCAN_MEASURES = {
    "crime": "crime_rate",
    "CP": "child_poverty",
    "Attain": "attainment",
    "PD": "participation",
    "EA": "emergency_admissions",
    "Depop": "depopulation",
    "EM": "early_mortality",
}


def cpop_dir() -> Path:
    return Path(settings.CPLAN_DATA_DIR) / "cpop"


@dataclass(frozen=True)
class CpopInputs:
    outcomes: pd.DataFrame
    typology: pd.DataFrame
    polarity: dict[str, int]
    duncan: pd.DataFrame

    @property
    def cpp_of(self) -> dict[str, str]:
        return dict(zip(self.typology["InterZone"], self.typology["CPP"], strict=True))

    @property
    def typology_of(self) -> dict[str, int]:
        return dict(zip(self.typology["InterZone"], self.typology["Typology_Group"], strict=True))


def load_cpop_inputs() -> CpopInputs:
    folder = cpop_dir()
    if not (folder / "iz_outcomes.csv").is_file():
        pytest.skip(f"CPOP data files not found in {folder}")
    polarity = pd.read_csv(folder / "iz_measures_polarity.csv")
    return CpopInputs(
        outcomes=pd.read_csv(folder / "iz_outcomes.csv"),
        typology=pd.read_csv(folder / "iz_typology_cpop.csv"),
        polarity=dict(
            zip(
                polarity["Indicator"],
                np.where(polarity["high_is_positive"] == "Yes", 1, -1).tolist(),
                strict=True,
            )
        ),
        duncan=pd.read_csv(folder / "iz_duncan_inputs.csv"),
    )
