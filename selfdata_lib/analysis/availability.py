"""Baselines for bike-share availability, scored like the model: what a forecast must beat.

Each predictor is fitted on the training days' history and, for a station's state now and a horizon,
gives a probability distribution over the number of bikes at the horizon (``distribution``) — hence
P(at least one bike), P(at least one free dock) and the expected count:

- :class:`Persistence` — what I see now is what I get (a point mass on today's count);
- :class:`CalibratedPersistence` — the historical distribution of the count ``h`` minutes later given
  the count now (all stations pooled, by horizon);
- :class:`SlotMean` — the historical distribution of the station's count at that local hour of day;
- :class:`BirthDeathQueue` — after Gast, Massonnet, Reijsbergen and Tribastone, "Probabilistic
  forecasts of bike-sharing systems for journey planning" (CIKM 2015): each station a birth–death
  process on 0…capacity whose return (birth) and pick-up (death) rates are estimated per station and
  hour of day from the history's increments; the distribution at the horizon is ``expm(Q h)``.

:func:`crps_counts` scores a distribution over counts against the count observed (continuous ranked
probability score, discrete form: the sum over ``k`` of ``(F(k) − 1{y ≤ k})²``; for a point forecast
it is the absolute error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

#: The clock of a history or stations table that does not say its own (``attrs["timezone"]``).
TZ = "Europe/Paris"


def local_tz(frame: pd.DataFrame | None) -> str:
    """The time zone of a stations or history table: ``attrs["timezone"]`` (the bike-share system's
    territory, or its GBFS feed), else :data:`TZ`. Hours of day, days and departures are read in it.
    """
    return str(getattr(frame, "attrs", {}).get("timezone") or TZ)


def _local_hour(times: pd.Series, tz: str = TZ) -> np.ndarray:
    return pd.DatetimeIndex(times).tz_convert(tz).hour.to_numpy()


def _max_count(pairs: pd.DataFrame) -> int:
    columns = [c for c in ("capacity", "bikes", "future_bikes") if c in pairs]
    values = pairs[columns].to_numpy(float) if len(pairs) and columns else np.array([1.0])
    return int(np.nanmax(values)) if np.isfinite(values).any() else 1


def crps_counts(dist: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """CRPS of each row of ``dist`` (probabilities over counts 0…K) against the count observed."""
    cdf = np.cumsum(dist, axis=1)
    k = np.arange(dist.shape[1])[None, :]
    step = (np.asarray(observed, dtype=float)[:, None] <= k).astype(float)
    return ((cdf - step) ** 2).sum(axis=1)


def summarise(dist: np.ndarray, capacity: np.ndarray) -> dict[str, np.ndarray]:
    """P(≥ 1 bike), P(≥ 1 free dock) and the expected bikes of each row of ``dist``."""
    k = np.arange(dist.shape[1])[None, :]
    cap = np.asarray(capacity, dtype=float)[:, None]
    return {
        "p_bike": dist[:, 1:].sum(axis=1),
        "p_dock": (dist * (k <= cap - 1)).sum(axis=1),
        "expected_bikes": (dist * k).sum(axis=1),
    }


def _point_mass(counts: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((len(counts), size))
    out[np.arange(len(counts)), np.clip(np.asarray(counts, dtype=int), 0, size - 1)] = 1.0
    return out


@dataclass
class Persistence:
    """The count now, for sure."""

    name: str = "persistance"
    size: int = 1

    def fit(self, pairs: pd.DataFrame, history: pd.DataFrame) -> Persistence:
        """Nothing to learn but the largest count, to size the distributions."""
        self.size = _max_count(pairs) + 1
        return self

    def distribution(self, state: pd.DataFrame) -> np.ndarray:
        """A point mass on each station's count now."""
        return _point_mass(state["bikes"].to_numpy(), max(self.size, _max_count(state) + 1))


@dataclass
class CalibratedPersistence:
    """How often a station seen with ``b`` bikes had ``k`` bikes ``h`` minutes later (training days)."""

    name: str = "persistance calibrée"
    tables: dict[float, np.ndarray] = field(default_factory=dict)
    size: int = 1

    def fit(self, pairs: pd.DataFrame, history: pd.DataFrame) -> CalibratedPersistence:
        """One transition table per horizon, each row a count now (unseen counts: persistence)."""
        self.size = _max_count(pairs) + 1
        for h, g in pairs.groupby("horizon_min"):
            table = np.zeros((self.size, self.size))
            np.add.at(table, (g["bikes"].to_numpy(int), g["future_bikes"].to_numpy(int)), 1.0)
            seen = table.sum(axis=1)
            table[seen == 0, :] = np.eye(self.size)[seen == 0]
            self.tables[float(cast(float, h))] = table / table.sum(axis=1, keepdims=True)
        return self

    def distribution(self, state: pd.DataFrame) -> np.ndarray:
        """The row of today's count in the table of the nearest horizon learnt."""
        size = max(self.size, _max_count(state) + 1)
        out = _point_mass(state["bikes"].to_numpy(), size)
        learnt = np.array(sorted(self.tables))
        for h in np.unique(state["horizon_min"].to_numpy(float)):
            table = self.tables[float(learnt[np.abs(learnt - h).argmin()])]
            rows = (state["horizon_min"].to_numpy(float) == h) & (state["bikes"].to_numpy() < table.shape[0])
            out[rows, : table.shape[1]] = table[state["bikes"].to_numpy(int)[rows]]
            out[rows, table.shape[1] :] = 0.0
        return out


@dataclass
class SlotMean:
    """The station's own count at that local hour of the training days (its usual state then)."""

    name: str = "moyenne historique"
    counts: dict[tuple[Any, int], np.ndarray] = field(default_factory=dict)
    size: int = 1
    tz: str = TZ

    def fit(self, pairs: pd.DataFrame, history: pd.DataFrame) -> SlotMean:
        """The distribution of bikes per (station, local hour)."""
        self.size = _max_count(pairs) + 1
        self.tz = local_tz(history)
        hist = history.assign(hour=_local_hour(history["time"], self.tz))
        for (station, hour), g in hist.groupby(["station_id", "hour"]):
            counts = np.bincount(np.clip(g["bikes"].to_numpy(int), 0, self.size - 1), minlength=self.size)
            self.counts[(station, int(cast(int, hour)))] = counts / counts.sum()
        return self

    def distribution(self, state: pd.DataFrame) -> np.ndarray:
        """The station's distribution at the target hour (persistence for a station never seen then)."""
        size = max(self.size, _max_count(state) + 1)
        out = _point_mass(state["bikes"].to_numpy(), size)
        hours = _local_hour(state["target_time"], self.tz)
        for i, (station, hour) in enumerate(zip(state["station_id"].to_numpy(), hours, strict=True)):
            known = self.counts.get((station, int(hour)))
            if known is not None:
                out[i] = 0.0
                out[i, : len(known)] = known
        return out


@dataclass
class BirthDeathQueue:
    """Each station a birth–death process with rates per hour of day (Gast et al., CIKM 2015)."""

    name: str = "file d'attente"
    rates: dict[tuple[Any, int], tuple[float, float]] = field(default_factory=dict)
    capacity: dict[Any, int] = field(default_factory=dict)
    tz: str = TZ
    _cache: dict[tuple[Any, int, float], np.ndarray] = field(default_factory=dict, repr=False)

    def fit(self, pairs: pd.DataFrame, history: pd.DataFrame) -> BirthDeathQueue:
        """Returns (increments) and pick-ups (decrements) per minute, by station and local hour."""
        self.tz = local_tz(history)
        h = history.sort_values(["station_id", "time"])
        step = h.groupby("station_id")["bikes"].diff()
        minutes = h.groupby("station_id")["time"].diff().dt.total_seconds() / 60
        ok = minutes.between(0.5, 30)  # consecutive readings only, not gaps
        frame = pd.DataFrame(
            {
                "station_id": h["station_id"],
                "hour": _local_hour(h["time"], self.tz),
                "up": step.clip(lower=0),
                "down": (-step).clip(lower=0),
                "minutes": minutes,
            }
        )[ok]
        sums = frame.groupby(["station_id", "hour"])[["up", "down", "minutes"]].sum()
        for (station, hour), row in sums.iterrows():
            if row["minutes"] > 0:
                self.rates[(station, int(hour))] = (row["up"] / row["minutes"], row["down"] / row["minutes"])
        self.capacity = {
            k: int(v) for k, v in history.groupby("station_id")["capacity"].max().dropna().items()
        }
        return self

    def _transition(self, station: Any, hour: int, minutes: float, cap: int) -> np.ndarray:
        key = (station, hour, minutes)
        if key not in self._cache:
            from scipy.linalg import expm

            up, down = self.rates.get((station, hour), (0.0, 0.0))
            q = np.zeros((cap + 1, cap + 1))
            idx = np.arange(cap)
            q[idx, idx + 1] = up
            q[idx + 1, idx] = down
            q -= np.diag(q.sum(axis=1))
            self._cache[key] = np.clip(expm(q * minutes), 0.0, 1.0)
        return self._cache[key]

    def distribution(self, state: pd.DataFrame) -> np.ndarray:
        """The row of today's count in ``expm(Q h)``, with the rates of the hour half-way to the target."""
        size = max(_max_count(state), max(self.capacity.values(), default=0)) + 1
        out = _point_mass(state["bikes"].to_numpy(), size)
        middle = pd.to_datetime(state["target_time"]) - pd.to_timedelta(state["horizon_min"] / 2, unit="min")
        hours = _local_hour(middle, self.tz)
        for i, (station, bikes, horizon, hour, cap) in enumerate(
            zip(
                state["station_id"].to_numpy(),
                state["bikes"].to_numpy(int),
                state["horizon_min"].to_numpy(float),
                hours,
                state["capacity"].to_numpy(float),
                strict=True,
            )
        ):
            c = int(self.capacity.get(station, cap if np.isfinite(cap) else bikes))
            if bikes > c or c <= 0:
                continue
            row = self._transition(station, int(hour), float(horizon), c)[bikes]
            out[i] = 0.0
            out[i, : c + 1] = row / row.sum()
        return out


BASELINES = (Persistence, CalibratedPersistence, SlotMean, BirthDeathQueue)


def reliability(p: np.ndarray, outcome: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Mean forecast and observed frequency in each probability bin (a reliability diagram's points)."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    frame = pd.DataFrame({"bin": which, "p": p, "y": outcome.astype(float)})
    out = frame.groupby("bin").agg(forecast=("p", "mean"), observed=("y", "mean"), count=("y", "size"))
    return out.reset_index(drop=True)
