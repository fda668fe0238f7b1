"""Sharing a figure the Self Data way: clamp it, add calibrated noise, count the privacy budget, and give
the contributor a receipt saying exactly what left their machine.

A citizens' data cooperative collects *one clamped figure per household and per period* (litres per
person per day, kWh per m², …) and publishes only differentially private aggregates, computed with
`OpenDP <https://opendp.org>`_:

* :func:`clamp` bounds each contribution, so one household can only move a statistic so much;
* :func:`dp_histograms` releases, for each group (district), a histogram of the contributions with
  Laplace noise on every bin (OpenDP ``clamp → find_bin → count_by_categories → laplace``); medians and
  percentiles are then read from the noisy histogram, which costs no further budget;
* groups whose *noisy* number of contributors is below ``min_contributors`` are suppressed;
* :class:`BudgetLedger` records every release and refuses one that would exceed the budget;
* :class:`ConsentReceipt` is what a contributor keeps: the exact payload shared, the purpose, the
  recipient, ε and the retention.

The noise comes from OpenDP's cryptographically secure sampler: it cannot be seeded, on purpose, so a
release cannot be replayed to remove it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


class BudgetExceededError(RuntimeError):
    """A release would spend more privacy budget (ε) than the ledger allows."""


def clamp(values: Any, lower: float, upper: float) -> np.ndarray:
    """Contributions bounded to ``[lower, upper]`` (what a cooperative accepts from one household)."""
    if not lower < upper:
        msg = f"clamp bounds must satisfy lower < upper, got {lower}, {upper}"
        raise ValueError(msg)
    return np.clip(np.asarray(values, dtype=float), lower, upper)


@dataclass
class BudgetLedger:
    """The ε spent on a population, release by release (sequential composition).

    Releases over disjoint groups (one histogram per district, each household in one district) cost
    the ε of one histogram (parallel composition): record them as one release.
    """

    total_epsilon: float
    releases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def spent(self) -> float:
        """Total ε spent by the releases so far."""
        return float(sum(r["epsilon"] for r in self.releases))

    @property
    def remaining(self) -> float:
        """ε still available."""
        return self.total_epsilon - self.spent

    def spend(self, epsilon: float, purpose: str, **details: Any) -> dict[str, Any]:
        """Record a release of ``epsilon``; :class:`BudgetExceededError` if the budget would be exceeded."""
        if epsilon <= 0:
            msg = f"epsilon must be positive, got {epsilon}"
            raise ValueError(msg)
        if epsilon > self.remaining + 1e-12:
            msg = (
                f"release '{purpose}' needs ε={epsilon:g} but only ε={self.remaining:g} of "
                f"{self.total_epsilon:g} remains"
            )
            raise BudgetExceededError(msg)
        entry = {
            "purpose": purpose,
            "epsilon": float(epsilon),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            **details,
        }
        self.releases.append(entry)
        return entry

    def as_frame(self) -> pd.DataFrame:
        """One row per release (ε, purpose, details)."""
        return pd.DataFrame(self.releases)


def histogram_measurement(
    edges: Sequence[float] | npt.NDArray[np.floating[Any]], lower: float, upper: float, epsilon: float
) -> Any:
    """The OpenDP measurement: a vector of contributions → noisy counts per bin, ε-DP when one
    household is added or removed. Bins are ``[lower, edges[0])``, …, ``[edges[-1], upper]``.
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = (dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance())
    pre = (
        space
        >> dp.t.then_clamp((float(lower), float(upper)))
        >> dp.t.then_find_bin(edges=[float(e) for e in edges])
        >> dp.t.then_count_by_categories(categories=list(range(len(edges) + 1)), null_category=False)
    )
    return dp.binary_search_chain(lambda s: pre >> dp.m.then_laplace(scale=s), d_in=1, d_out=float(epsilon))


def release_rows(
    group: str,
    lows: Any,
    highs: Any,
    raw: npt.NDArray[np.floating[Any]],
    min_contributors: int,
    key: str = "group",
) -> list[dict[str, Any]]:
    """One published row per bin of a group's noisy counts ``raw``: the counts clipped at 0 (post-processing,
    no extra ε), the noisy number of contributors (their unbiased sum), and the whole group suppressed when
    that number is under ``min_contributors``.
    """
    total = float(raw.sum())  # unbiased: the noise of each bin averages out
    suppressed = total < min_contributors
    return [
        {
            key: group,
            "bin_low": float(lo),
            "bin_high": float(hi),
            "noisy_count": np.nan if suppressed else c,
            "noisy_contributors": np.nan if suppressed else total,
            "suppressed": suppressed,
        }
        for lo, hi, c in zip(lows, highs, np.clip(raw, 0, None), strict=True)
    ]


def dp_histograms(
    values: pd.Series,
    groups: pd.Series,
    *,
    lower: float,
    upper: float,
    bin_width: float,
    epsilon: float,
    min_contributors: int,
    ledger: BudgetLedger | None = None,
    purpose: str = "histogram by group",
    all_groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Differentially private histogram of ``values`` in each group (one value per contributor).

    Returns one row per group and bin: ``group``, ``bin_low``, ``bin_high``, ``noisy_count`` (≥ 0
    after post-processing), ``noisy_contributors`` (sum of the noisy counts before clipping, an
    unbiased estimate of the number of contributors) and ``suppressed``
    (noisy contributors below ``min_contributors``: its bins are then not published, counts are NaN).
    ``all_groups`` lists groups to release even when nobody of them contributed (so that absence is
    not revealed by a missing row).
    """
    edges = np.arange(lower + bin_width, upper, bin_width)
    meas = histogram_measurement(edges, lower, upper, epsilon)
    names = list(all_groups) if all_groups is not None else sorted(pd.unique(groups.dropna()))
    lows = np.concatenate([[lower], edges])
    highs = np.concatenate([edges, [upper]])
    rows = []
    for name in names:
        raw = np.asarray(meas(values[groups == name].astype(float).tolist()), dtype=float)
        rows += release_rows(name, lows, highs, raw, min_contributors)
    if ledger is not None:
        ledger.spend(
            epsilon,
            purpose,
            mechanism="Laplace on histogram counts (OpenDP)",
            composition="parallel over disjoint groups",
            groups=len(names),
            bounds=[lower, upper],
            bin_width=bin_width,
            min_contributors=min_contributors,
        )
    return pd.DataFrame(rows)


def _sorted_counts(hist: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, float | None]:
    """One group's histogram by bin, its counts, and their total (``None`` when nothing usable)."""
    h = hist.sort_values("bin_low")
    counts = h["noisy_count"].to_numpy(dtype=float)
    total = counts.sum()
    return h, counts, (float(total) if np.isfinite(total) and total > 0 else None)


def histogram_quantile(hist: pd.DataFrame, q: float) -> float:
    """The ``q`` quantile read from one group's (noisy) histogram, linear within the bin."""
    h, counts, total = _sorted_counts(hist)
    if total is None:
        return float("nan")
    cum = np.cumsum(counts) / total
    i = int(np.searchsorted(cum, q))
    i = min(i, len(h) - 1)
    before = cum[i - 1] if i > 0 else 0.0
    inside = (q - before) / (cum[i] - before) if cum[i] > before else 0.5
    return float(h["bin_low"].iloc[i] + inside * (h["bin_high"].iloc[i] - h["bin_low"].iloc[i]))


def histogram_percentile_of(hist: pd.DataFrame, value: float) -> float:
    """Where ``value`` falls in one group's (noisy) histogram, as a percentile (0–100)."""
    h, counts, total = _sorted_counts(hist)
    if total is None:
        return float("nan")
    below = 0.0
    for lo, hi, c in zip(h["bin_low"], h["bin_high"], counts, strict=True):
        if value >= hi:
            below += c
        elif value > lo:
            below += c * (value - lo) / (hi - lo)
    return float(100 * below / total)


#: How a field a contribution may carry reads in its receipt: French name and unit.
SENT_FIELDS: dict[str, tuple[str, str]] = {
    "district": ("arrondissement", ""),
    "iris": ("IRIS (quartier INSEE)", ""),
    "annual_kwh": ("consommation sur un an", "kWh"),
    "litres_per_person_day": ("eau par personne", "l/personne/jour"),
    "period": ("période", ""),
    "cellule": ("trajet type (cellule)", ""),
    "cellules": ("trajets par cellule", ""),
}


def _cell(key: str) -> str:
    """An origin–destination cell ``Z0-4>Z1-2|6h-10h|car`` as ``Z0-4 → Z1-2, 6h-10h, voiture``."""
    from selfdata_lib import fr

    parts = str(key).split("|")
    if len(parts) != 3 or ">" not in parts[0]:
        return str(key)
    origin, destination = parts[0].split(">", 1)
    return f"{origin} → {destination}, {parts[1]}, {fr.word(parts[2])}"


def sent_value(key: str, value: Any) -> str:
    """One field of a contribution written in French for its receipt: a number with its unit
    (« 12 556 kWh »), a period in words, a cell of trips, « inconnu » for a field sent empty.
    """
    from selfdata_lib import fr

    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "inconnu (envoyé vide)"
    unit = SENT_FIELDS.get(key, ("", ""))[1]
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return fr.number(float(value)) + (f"\xa0{unit}" if unit else "")
    if key == "period" and isinstance(value, str) and "/" in value:
        first, _, last = value.partition("/")
        try:
            return f"du {fr.date(first)} au {fr.date(last)}"
        except (TypeError, ValueError):
            return value
    if key in ("cellule", "cellules") and isinstance(value, dict):
        return " ; ".join(f"{_cell(k)} : {fr.plural(int(n), 'trajet')}" for k, n in value.items()) or "aucun"
    if key in ("cellule", "cellules"):
        return _cell(value)
    if isinstance(value, dict):
        return ", ".join(f"{fr.word(k)} {sent_value(str(k), v)}" for k, v in value.items()) or "aucun"
    if isinstance(value, (list, tuple)):
        return ", ".join(sent_value(key, v) for v in value) or "aucun"
    return fr.word(value)


@dataclass
class ConsentReceipt:
    """What a contributor shares, with whom, for what, under which guarantee — kept by the contributor.

    ``payload`` is exactly what would be sent; nothing else leaves the machine.
    """

    purpose: str
    recipient: str
    payload: dict[str, Any]
    epsilon: float
    mechanism: str
    retention: str
    contributor: str = field(default_factory=lambda: secrets.token_hex(8))
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    withdraw: str = (
        "Demandez au destinataire de supprimer la contribution, en citant l'identifiant de contributeur."
    )

    def shown(self) -> dict[str, str]:
        """The receipt in French, field by field, as the household reads it (the JSON is :meth:`to_json`)."""
        from selfdata_lib import fr

        sent = " ; ".join(
            f"{SENT_FIELDS.get(k, (fr.word(k), ''))[0]} : {sent_value(k, v)}" for k, v in self.payload.items()
        )
        return {
            "finalité": self.purpose,
            "destinataire": self.recipient,
            "ce qui serait envoyé": sent,
            "garantie": f"{self.mechanism}, ε = {self.epsilon:g}",
            "conservation": self.retention,
            "identifiant de contributeur (aléatoire)": self.contributor,
            "retrait": self.withdraw,
        }

    def to_json(self) -> str:
        """The receipt as indented JSON, to hand to the household."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)
