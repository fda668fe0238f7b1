"""A campaign of access and portability requests in the fictional world: participants each write to a few
holders, which answer (or not) after a delay, in some format.

The holders are **fictional** (« Banque A », « Transport B »…) with made-up behaviours chosen to span what
the AFCDP index of the right of access reports (about six answers in ten within the month): they describe
no real service. Pure generation: nothing here reads or writes a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Days in a month on average (the deadline of art. 12.3 is a calendar month: 28 to 31 days).
MEAN_MONTH_DAYS = 30.44


@dataclass(frozen=True)
class HolderProfile:
    """How a fictional holder answers: how often, how fast (log-normal delay), in which format."""

    name: str
    holder_type: str
    popularity: float  # relative chance that a participant writes to it
    answer_probability: float
    median_delay_days: float
    delay_spread: float  # sigma of the log-normal delay
    machine_readable_probability: float  # among answers with data
    complete_probability: float
    paper_probability: float = 0.0  # among answers that are not machine-readable

    def within_month_probability(self) -> float:
        """The true share of requests answered within a month (the quantity a campaign estimates)."""
        z = (math.log(MEAN_MONTH_DAYS) - math.log(self.median_delay_days)) / self.delay_spread
        return self.answer_probability * 0.5 * (1 + math.erf(z / math.sqrt(2)))


#: The fictional holders of the simulated campaigns (made-up behaviours, no real service).
HOLDER_PROFILES: tuple[HolderProfile, ...] = (
    HolderProfile("Énergie A", "opérateur", 3.0, 0.95, 2, 1.2, 0.95, 0.9),
    HolderProfile("Numérique A", "entreprise", 3.0, 0.9, 3, 1.0, 0.97, 0.7),
    HolderProfile("Banque A", "entreprise", 2.0, 0.85, 9, 0.9, 0.8, 0.8),
    HolderProfile("Banque B", "entreprise", 1.5, 0.75, 16, 0.8, 0.6, 0.7),
    HolderProfile("Eau A", "opérateur", 1.2, 0.8, 14, 0.7, 0.7, 0.8),
    HolderProfile("Commerce A", "entreprise", 1.2, 0.7, 22, 0.7, 0.75, 0.6),
    HolderProfile("Commerce B", "entreprise", 0.8, 0.55, 30, 0.8, 0.5, 0.5, 0.1),
    HolderProfile("Transport A", "opérateur", 1.0, 0.65, 26, 0.7, 0.3, 0.6, 0.2),
    HolderProfile("Transport B", "opérateur", 0.6, 0.5, 40, 0.6, 0.2, 0.5, 0.3),
    HolderProfile("Service national A", "service national", 1.0, 0.8, 18, 0.6, 0.05, 0.7, 0.3),
    HolderProfile("Collectivité A", "collectivité", 0.5, 0.45, 45, 0.6, 0.1, 0.5, 0.6),
    HolderProfile("Collectivité B", "collectivité", 0.35, 0.35, 55, 0.7, 0.05, 0.4, 0.7),
)
MACHINE_READABLE_FORMATS = ("csv", "json", "xlsx")


def simulate_campaign(
    participants: int,
    *,
    seed: int = 22,
    start: str = "2026-01-05",
    weeks: int = 8,
    requests_per_participant: tuple[int, int] = (2, 6),
    profiles: tuple[HolderProfile, ...] = HOLDER_PROFILES,
) -> pd.DataFrame:
    """A generated campaign: ``participants`` people each send between ``requests_per_participant``
    requests (at most one per holder, holders drawn by popularity) over ``weeks`` weeks from ``start``.

    Returns one row per request: ``participant`` (``P0001``…), ``holder``, ``holder_type``, ``right``
    (``access`` or ``portability``), ``date`` (the day the holder received it, Europe/Paris),
    ``answered`` (``NaT`` when it never came), ``received`` (``csv``, ``json``, ``xlsx``, ``pdf``,
    ``papier``, ``rien``; ``""`` without an answer; ``partiel`` added when incomplete).
    """
    if participants < 1:
        msg = f"participants must be at least 1, got {participants}"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    weights = np.array([p.popularity for p in profiles], dtype=float)
    weights /= weights.sum()
    first = pd.Timestamp(start, tz="Europe/Paris")
    low, high = requests_per_participant
    rows = []
    for i in range(participants):
        k = int(rng.integers(low, min(high, len(profiles)) + 1))
        chosen = rng.choice(len(profiles), size=k, replace=False, p=weights)
        for j in sorted(chosen):
            p = profiles[j]
            sent = first + pd.Timedelta(days=int(rng.integers(0, 7 * weeks)))
            answered: pd.Timestamp | None = None
            received = ""
            if rng.random() < p.answer_probability:
                delay = round(float(rng.lognormal(math.log(p.median_delay_days), p.delay_spread)))
                answered = sent + pd.Timedelta(days=max(0, delay))
                if rng.random() < p.machine_readable_probability:
                    received = str(rng.choice(MACHINE_READABLE_FORMATS))
                else:
                    received = "papier" if rng.random() < p.paper_probability else "pdf"
                if rng.random() >= p.complete_probability:
                    received += " partiel"
            rows.append(
                {
                    "participant": f"P{i + 1:04d}",
                    "holder": p.name,
                    "holder_type": p.holder_type,
                    "right": "portability" if rng.random() < 0.4 else "access",
                    "date": sent,
                    "answered": answered,
                    "received": received,
                }
            )
    frame = pd.DataFrame(rows)
    frame["answered"] = pd.to_datetime(frame["answered"])
    return frame


def true_within_month(profiles: tuple[HolderProfile, ...] = HOLDER_PROFILES) -> pd.Series:
    """Each fictional holder's true share of requests answered within a month, by name."""
    return pd.Series({p.name: p.within_month_probability() for p in profiles}, name="within_month")
