"""Water-use references by district: the cooperative's differentially private histograms, or an
official table when one exists.

``lyon-water-reference`` is what a citizens' data cooperative of Lyon would publish: for each
arrondissement, a histogram of its members' litres per person per day, each bin with Laplace noise
(OpenDP), districts with too few contributors suppressed (see :mod:`selfdata_lib.privacy`). No open
dataset publishes water use per district today, so the project's sample is computed this way from a
*generated* population of households (:func:`simulate_cooperative`), and says so.

An official table (``district``, ``litres_per_person_day``, ``source``) can be read with
:func:`read_official_reference` and used instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import privacy
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

HISTOGRAM_FILE = "water_reference_histograms.csv"
META_FILE = "water_reference_meta.json"

#: The cooperative's release parameters (stated in the notebook and the sample's README).
RELEASE = {"lower": 0.0, "upper": 400.0, "bin_width": 20.0, "epsilon": 1.0, "min_contributors": 20,
           "period": "2025"}

#: Households that joined the (simulated) cooperative in each arrondissement, and a made-up shift of
#: the district's typical use — fictional figures for a demonstration, not measurements.
SIMULATED_MEMBERS = {
    "Lyon 1er Arrondissement": (48, 1.04), "Lyon 2e Arrondissement": (61, 1.08),
    "Lyon 3e Arrondissement": (212, 1.00), "Lyon 4e Arrondissement": (74, 0.97),
    "Lyon 5e Arrondissement": (9, 0.99), "Lyon 6e Arrondissement": (118, 1.10),
    "Lyon 7e Arrondissement": (176, 0.98), "Lyon 8e Arrondissement": (154, 0.94),
    "Lyon 9e Arrondissement": (97, 0.96),
}


def _read_reference(files: list[Path]) -> pd.DataFrame:
    hist = pd.read_csv(files[0])
    meta = json.loads(files[1].read_text(encoding="utf-8"))
    expected = {"district", "bin_low", "bin_high", "noisy_count", "noisy_contributors", "suppressed"}
    missing = expected - set(hist.columns)
    if missing:
        msg = f"{files[0].name}: missing column(s) {sorted(missing)}"
        raise ExportFormatError(msg)
    hist.attrs["release"] = meta
    return hist


register(Dataset(
    name="lyon-water-reference",
    title="Consommation d'eau par arrondissement (coopérative de données, agrégats différentiellement privés)",
    territory="Lyon",
    source="Coopérative de données citoyenne (simulation du projet Self Data Territorial)",
    url="data/samples/opendata/lyon-water-reference/README.md (project sample; no published source yet)",
    licence="Licence Ouverte / Etalab 2.0",
    files=(HISTOGRAM_FILE, META_FILE),
    read=_read_reference,
    description="Noisy histograms of litres per person per day by arrondissement (OpenDP, ε=1), "
                "districts under 20 contributors suppressed. The sample comes from a generated population.",
))


def simulate_cooperative(districts: list[str], *, seed: int = 2025,
                         members: dict[str, tuple[int, float]] | None = None) -> pd.DataFrame:
    """A generated membership: one row per household with its ``district``, ``occupants`` and yearly
    ``litres_per_person_day`` (log-normal around 125 l, household size from 1 to 5)."""
    rng = np.random.default_rng(seed)
    members = members or SIMULATED_MEMBERS
    rows = []
    for name in districts:
        n, shift = members.get(name, (50, 1.0))
        occupants = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.37, 0.32, 0.14, 0.12, 0.05])
        # bigger households use a little less per person (shared dishwasher, laundry)
        lpd = 125 * shift * (1.08 - 0.04 * occupants) * rng.lognormal(0, 0.32, n)
        rows += [{"district": name, "occupants": int(o), "litres_per_person_day": float(v)}
                 for o, v in zip(occupants, lpd, strict=True)]
    return pd.DataFrame(rows)


def release_reference(contributions: pd.DataFrame, districts: list[str], *,
                      ledger: privacy.BudgetLedger | None = None, **release: Any) -> pd.DataFrame:
    """The cooperative's publication: DP histograms of ``litres_per_person_day`` per district."""
    params = {**RELEASE, **release}
    hist = privacy.dp_histograms(
        contributions["litres_per_person_day"], contributions["district"], lower=params["lower"],
        upper=params["upper"], bin_width=params["bin_width"], epsilon=params["epsilon"],
        min_contributors=params["min_contributors"], ledger=ledger, all_groups=districts,
        purpose=f"water use per person per day by district, {params['period']}")
    return hist.rename(columns={"group": "district"})


def district_summary(hist: pd.DataFrame) -> pd.DataFrame:
    """Median and quartiles of each district, read from its noisy histogram (post-processing)."""
    rows = []
    for name, part in hist.groupby("district", sort=True):
        suppressed = bool(part["suppressed"].iloc[0])
        rows.append({"district": name, "suppressed": suppressed,
                     "noisy_contributors": float(part["noisy_contributors"].iloc[0]),
                     "median": np.nan if suppressed else privacy.histogram_quantile(part, 0.5),
                     "q25": np.nan if suppressed else privacy.histogram_quantile(part, 0.25),
                     "q75": np.nan if suppressed else privacy.histogram_quantile(part, 0.75)})
    return pd.DataFrame(rows)


def load_water_reference(*, source: str = "auto") -> pd.DataFrame:
    """The district histograms (``district``, ``bin_low``, ``bin_high``, ``noisy_count``, …) with the
    release parameters in ``attrs["release"]`` and provenance in ``attrs["provenance"]``."""
    return load("lyon-water-reference", source=source)


def read_official_reference(path: str | Path) -> pd.DataFrame:
    """An official table of water use: a CSV with ``district`` (or ``commune``),
    ``litres_per_person_day`` and ``source`` columns (``;`` or ``,``)."""
    path = Path(path)
    frame = pd.read_csv(path, sep=None, engine="python")
    frame.columns = [c.strip().lower() for c in frame.columns]
    if "district" not in frame.columns and "commune" in frame.columns:
        frame = frame.rename(columns={"commune": "district"})
    missing = {"district", "litres_per_person_day", "source"} - set(frame.columns)
    if missing:
        msg = (f"{path.name}: line 1 should name the columns district (or commune), "
               f"litres_per_person_day and source; missing {sorted(missing)}")
        raise ExportFormatError(msg)
    frame["litres_per_person_day"] = pd.to_numeric(
        frame["litres_per_person_day"].astype(str).str.replace(",", "."), errors="coerce")
    return frame[["district", "litres_per_person_day", "source"]]


_README = """# lyon-water-reference — project sample (simulated cooperative, real DP mechanism)

Generated by `selfdata samples build` (`selfdata_lib/opendata/water.py`).

**The households are generated, not real.** {households} households spread over the nine
arrondissements of Lyon (names real, membership and consumption levels made up: see
`SIMULATED_MEMBERS`) each contribute one figure: their litres per person per day over {period}, clamped
to [{lower:g}, {upper:g}]. The cooperative publishes, for each arrondissement, a histogram in bins of
{bin_width:g} litres whose counts carry Laplace noise calibrated with OpenDP for ε = {epsilon:g} per
household (one histogram per district; a household is in one district only, so the ε is not
multiplied). An arrondissement whose noisy number of contributors is below {min_contributors} is
suppressed: its bins are left empty.

The noise is drawn by OpenDP's secure sampler and cannot be seeded: rebuilding the sample gives other
noisy counts (the tests check the release's properties, not its bytes).

Files: `{hist}` (district, bin_low, bin_high, noisy_count, noisy_contributors, suppressed),
`{meta}` (release parameters and the budget ledger).
"""


def build_water_reference(folder: Path) -> list[Path]:
    """Write the sample reference: simulate the membership, release the DP histograms."""
    from selfdata_lib.opendata._samples import LYON_TOWN_HALLS, write_sample

    districts = [name for _, name, *_ in LYON_TOWN_HALLS]  # the "nom" of the real layer
    members = simulate_cooperative(districts)
    ledger = privacy.BudgetLedger(total_epsilon=RELEASE["epsilon"])
    hist = release_reference(members, districts, ledger=ledger)
    meta = {**RELEASE, "households": len(members), "simulated": True,
            "mechanism": "Laplace noise on histogram counts (OpenDP clamp → find_bin → "
                         "count_by_categories → laplace)",
            "ledger": [{k: v for k, v in r.items() if k != "at"} for r in ledger.releases]}
    return write_sample(
        folder, {HISTOGRAM_FILE: hist.to_csv(index=False, float_format="%.0f"),
                 META_FILE: json.dumps(meta, ensure_ascii=False, indent=2) + "\n"},
        readme=_README.format(households=len(members), hist=HISTOGRAM_FILE, meta=META_FILE, **RELEASE),
        note="generated households, real differentially private release")
