"""My best Vélo'v trip: which station to walk to, where to drop the bike, how long door to door, and
how likely I am to find a bike and a free dock — against walking the whole way.

- :class:`AvailabilityModel` (scikit-learn gradient boosting) predicts, for a station and a horizon,
  the probability of at least one bike and of at least one free dock from the station's current state
  and time features; :func:`evaluate_availability` compares it with persistence ("what I see now is
  what I get") on held-out days.
- :func:`plan_trips` plans many trips at once (vectorised over trips × candidate stations); the
  straightforward per-trip loop it is checked and benchmarked against lives with the benchmarks
  (``benchmarks/reference_route.py``).
- Distances: straight line × a detour factor by default, or street-network distances
  (:mod:`selfdata_lib.analysis.routing` on a graph of :mod:`selfdata_lib.opendata.streets`) passed in
  as matrices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, cast

import numpy as np
import pandas as pd

from selfdata_lib.analysis.availability import TZ, local_tz
from selfdata_lib.geo import haversine_m
from selfdata_lib.results import Figure, Reading, Result, figure, missing

#: Walking speed (km/h) in town, with crossings: a common planning value (4.5–5 km/h).
WALK_KMH = 4.5
#: Average Vélo'v riding speed (km/h) in Lyon, stops included (13–15 km/h is the usual order of magnitude).
BIKE_KMH = 14.0
#: Network distance / straight-line distance in a dense city. Route-circuity studies find 1.2–1.4 for
#: urban trips (e.g. Boscoe, Henry & Zdeb 2012, The Professional Geographer 64(2); Giacomin & Levinson
#: 2015, Environment and Planning B 42(6)); 1.3 is the middle of that range.
DETOUR_FACTOR = 1.3
#: Time to take a bike out of its dock, or put it back (minutes).
DOCK_MIN = 1.0


# --- Simulated availability (for the project's sample and tests) --------------------------------------------


# --- Availability model ----------------------------------------------------------------------------------------

FEATURES = [
    "bikes",
    "docks",
    "capacity",
    "fill",
    "horizon_min",
    "hour_sin",
    "hour_cos",
    "weekend",
    "profile_fill",
]


def _time_features(target_utc: pd.Series | pd.DatetimeIndex, tz: str = TZ) -> pd.DataFrame:
    local = pd.DatetimeIndex(target_utc).tz_convert(tz)
    h = local.hour.to_numpy() + local.minute.to_numpy() / 60
    return pd.DataFrame(
        {
            "hour_sin": np.sin(2 * np.pi * h / 24),
            "hour_cos": np.cos(2 * np.pi * h / 24),
            "weekend": (local.day_of_week.to_numpy() >= 5).astype(float),
            "hour": local.hour.to_numpy(),
        }
    )


def _grid(history: pd.DataFrame, step_min: int) -> pd.DataFrame:
    """Bikes per station on a regular time grid (last value in each step)."""
    h = history.assign(slot=history["time"].dt.floor(f"{step_min}min"))
    return h.pivot_table(index="slot", columns="station_id", values="bikes", aggfunc="last").sort_index()


def training_pairs(history: pd.DataFrame, *, horizons=(15, 30, 60), step_min: int = 10) -> pd.DataFrame:
    """One row per (station, time, horizon): the state now and the bikes/docks ``horizon`` minutes later."""
    grid = _grid(history, step_min)
    grid = grid.reindex(pd.date_range(grid.index.min(), grid.index.max(), freq=f"{step_min}min"))
    capacity = history.groupby("station_id")["capacity"].max()
    rows = []
    for h in horizons:
        shift = max(round(h / step_min), 1)
        future = grid.shift(-shift)
        # the grid's columns are one level (stations): stacking gives a Series
        now = cast(pd.Series, grid.stack()).rename("bikes")
        fut = cast(pd.Series, future.stack()).rename("future_bikes")
        both = pd.concat([now, fut], axis=1, join="inner").dropna().reset_index()
        both.columns = ["time", "station_id", "bikes", "future_bikes"]
        both["horizon_min"] = float(h)
        rows.append(both)
    pairs = pd.concat(rows, ignore_index=True)
    pairs["capacity"] = pairs["station_id"].map(capacity).astype(float)
    pairs["docks"] = (pairs["capacity"] - pairs["bikes"]).clip(lower=0)
    pairs["future_docks"] = (pairs["capacity"] - pairs["future_bikes"]).clip(lower=0)
    pairs["fill"] = pairs["bikes"] / pairs["capacity"].where(pairs["capacity"] > 0)
    pairs["target_time"] = pairs["time"] + pd.to_timedelta(pairs["horizon_min"], unit="min")
    return pairs


def station_profiles(history: pd.DataFrame) -> pd.DataFrame:
    """Mean fill ratio of each station by local hour of day (rows: station, columns: 0–23)."""
    local = history["time"].dt.tz_convert(local_tz(history))
    fill = history["bikes"] / history["capacity"].where(history["capacity"] > 0)
    table = fill.groupby([history["station_id"], local.dt.hour]).mean().unstack()
    return table.reindex(columns=range(24))


#: Training pairs the gradient boosting learns from at most. Measured on the generated history's held-out
#: days (179,000 pairs): 80,000 or 50,000 random pairs score the same Brier as all of them (within
#: 0.0005) at a third to half the time; 30,000 start to lose.
MAX_TRAINING_PAIRS = 60_000


@dataclass
class AvailabilityModel:
    """P(at least one bike) and P(at least one free dock) at a station, ``horizon`` minutes ahead."""

    # fitted scikit-learn estimators (scikit-learn ships no type information); None until fit
    bike_clf: Any
    dock_clf: Any
    bikes_reg: Any
    profiles: pd.DataFrame
    hour_means: pd.Series
    #: the clock of the history's hours of day (:func:`~selfdata_lib.analysis.availability.local_tz`)
    tz: str = TZ

    @classmethod
    def fit(
        cls,
        history: pd.DataFrame,
        *,
        horizons=(15, 30, 60),
        step_min: int = 10,
        seed: int = 0,
        max_pairs: int | None = MAX_TRAINING_PAIRS,
    ) -> AvailabilityModel:
        """Train the gradient-boosting model on the history's (now, horizon) pairs — a random
        ``max_pairs`` of them when there are more — and keep the stations' profiles (from the whole history).
        """
        pairs = training_pairs(history, horizons=horizons, step_min=step_min)
        if max_pairs is not None and len(pairs) > max_pairs:
            pairs = pairs.sample(max_pairs, random_state=seed).sort_index()
        profiles = station_profiles(history)
        model = cls(None, None, None, profiles, profiles.mean(), local_tz(history))
        x = model._features(pairs)
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        kw = {"max_iter": 150, "learning_rate": 0.08, "random_state": seed}
        model.bike_clf = HistGradientBoostingClassifier(**kw).fit(x, pairs["future_bikes"] >= 1)
        model.dock_clf = HistGradientBoostingClassifier(**kw).fit(x, pairs["future_docks"] >= 1)
        # the change in bikes, not the count: persistence is the model's zero, and capacities differ
        model.bikes_reg = HistGradientBoostingRegressor(loss="absolute_error", **kw).fit(
            x, pairs["future_bikes"] - pairs["bikes"]
        )
        return model

    def _features(self, state: pd.DataFrame) -> pd.DataFrame:
        tf = _time_features(state["target_time"], self.tz)
        prof = self.profiles.reindex(state["station_id"].to_numpy())
        hours = tf["hour"].to_numpy()
        fill_at = (
            prof.to_numpy()[np.arange(len(state)), hours]
            if len(prof.columns)
            else np.full(len(state), np.nan)
        )
        fallback = self.hour_means.reindex(hours).to_numpy()
        x = pd.DataFrame(
            {
                "bikes": state["bikes"].to_numpy(float),
                "docks": state["docks"].to_numpy(float),
                "capacity": state["capacity"].to_numpy(float),
                "fill": (state["bikes"] / state["capacity"].where(state["capacity"] > 0)).to_numpy(float),
                "horizon_min": state["horizon_min"].to_numpy(float),
                "hour_sin": tf["hour_sin"].to_numpy(),
                "hour_cos": tf["hour_cos"].to_numpy(),
                "weekend": tf["weekend"].to_numpy(),
                "profile_fill": np.where(np.isnan(fill_at), fallback, fill_at),
            }
        )
        return x[FEATURES]

    def predict(self, state: pd.DataFrame) -> pd.DataFrame:
        """``state``: ``station_id``, ``bikes``, ``docks``, ``capacity``, ``horizon_min`` and
        ``target_time`` (UTC). Returns ``p_bike``, ``p_dock`` and ``expected_bikes``.
        """
        x = self._features(state)
        return pd.DataFrame(
            {
                "p_bike": self.bike_clf.predict_proba(x)[:, 1],
                "p_dock": self.dock_clf.predict_proba(x)[:, 1],
                "expected_bikes": np.clip(
                    x["bikes"].to_numpy() + self.bikes_reg.predict(x), 0, x["capacity"].to_numpy()
                ),
            },
            index=state.index,
        )


def persistence(state: pd.DataFrame) -> pd.DataFrame:
    """The baseline: what I see now is what I get."""
    return pd.DataFrame(
        {
            "p_bike": (state["bikes"] >= 1).astype(float),
            "p_dock": (state["docks"] >= 1).astype(float),
            "expected_bikes": state["bikes"].astype(float),
        },
        index=state.index,
    )


PREDICTORS = {
    "model": "modèle",
    "persistence": "persistance",
    "calibrated": "persistance calibrée",
    "slot": "moyenne historique",
    "queue": "file d'attente",
}


THE_PREDICTOR = {
    "model": "le modèle",
    "persistence": "la persistance",
    "calibrated": "la persistance calibrée",
    "slot": "la moyenne historique",
    "queue": "la file d'attente",
}
CANDIDATES = ("model", "queue")  # what the planner may trust instead of calibrated persistence


def pick_predictor(scores: dict[str, tuple[float, float]]) -> str:
    """The predictor the planner trusts at one horizon, from ``{name: (Brier « at least one bike »,
    CRPS)}``: among the candidates that beat calibrated persistence on both scores, the lowest Brier;
    calibrated persistence when none does.
    """
    brier_c, crps_c = scores["calibrated"]
    winners = [k for k in CANDIDATES if k in scores and scores[k][0] < brier_c and scores[k][1] < crps_c]
    return min(winners, key=lambda k: scores[k][0]) if winners else "calibrated"


def held_out_days(history: pd.DataFrame) -> list[tuple[Any, pd.DataFrame, pd.DataFrame]]:
    """The evaluation's split: each local day held out in turn, the model trained on the other days.
    Whole days, never shuffled rows: no reading of the held-out day is seen in training.
    """
    day = history["time"].dt.tz_convert(local_tz(history)).dt.date
    days = sorted(day.unique())
    if len(days) < 2:
        msg = f"the history covers {len(days)} day(s): at least 2 are needed to hold one out"
        raise ValueError(msg)

    def part(rows: pd.Series) -> pd.DataFrame:
        out = history[rows]
        out.attrs = dict(history.attrs)  # its clock goes with it
        return out

    return [(held, part(day != held), part(day == held)) for held in days]


def _scores(name: str, g: pd.DataFrame) -> dict[str, float]:
    from sklearn.metrics import brier_score_loss

    yb, yd = g["future_bikes"] >= 1, g["future_docks"] >= 1
    return {
        f"brier_bike_{name}": brier_score_loss(yb, g[f"{name}_bike"].clip(0, 1)),
        f"brier_dock_{name}": brier_score_loss(yd, g[f"{name}_dock"].clip(0, 1)),
        f"mae_bikes_{name}": float((g["future_bikes"] - g[f"{name}_bikes"]).abs().mean()),
        f"crps_{name}": float(g[f"{name}_crps"].mean()),
    }


def evaluate_availability(
    history: pd.DataFrame, *, horizons=(15, 30, 60), step_min: int = 10, seed: int = 0
) -> pd.DataFrame:
    """Leave-one-day-out evaluation (:func:`held_out_days`) of the model and the baselines of
    :mod:`selfdata_lib.analysis.availability`, pooled over the held-out days, by horizon: Brier scores
    for « at least one bike » and « at least one free dock », MAE of the count, and CRPS of the count's
    distribution (the model gives a point forecast of the count: its CRPS is its absolute error).
    ``attrs["reliability"]`` holds the reliability diagram's points of each predictor.
    """
    from selfdata_lib.analysis import availability as av

    preds = []
    for held, train, test in held_out_days(history):
        pairs = training_pairs(test, horizons=horizons, step_min=step_min)
        if pairs.empty:
            continue
        train_pairs = training_pairs(train, horizons=horizons, step_min=step_min)
        model = AvailabilityModel.fit(train, horizons=horizons, step_min=step_min, seed=seed)
        m = model.predict(pairs)
        out = pairs[["horizon_min", "future_bikes", "future_docks"]].assign(
            day=str(held),
            model_bike=m["p_bike"],
            model_dock=m["p_dock"],
            model_bikes=m["expected_bikes"],
            model_crps=(pairs["future_bikes"] - m["expected_bikes"]).abs(),
        )
        for key, cls in zip(("persistence", "calibrated", "slot", "queue"), av.BASELINES, strict=True):
            dist = cls().fit(train_pairs, train).distribution(pairs)
            summary = av.summarise(dist, pairs["capacity"].to_numpy())
            out[f"{key}_bike"] = summary["p_bike"]
            out[f"{key}_dock"] = summary["p_dock"]
            out[f"{key}_bikes"] = summary["expected_bikes"]
            out[f"{key}_crps"] = av.crps_counts(dist, pairs["future_bikes"].to_numpy())
            del dist
        preds.append(out)
    allp = pd.concat(preds, ignore_index=True)
    rows, curves = [], []
    for h, g in allp.groupby("horizon_min"):
        row: dict[str, Any] = {"horizon_min": int(cast(float, h)), "pairs": len(g)}
        for key in PREDICTORS:
            row.update(_scores(key, g))
            curve = av.reliability(g[f"{key}_bike"].to_numpy(), (g["future_bikes"] >= 1).to_numpy())
            curves.append(curve.assign(horizon_min=row["horizon_min"], predictor=key))
        rows.append(row)
    out_table = pd.DataFrame(rows)
    out_table.attrs["held_out_days"] = sorted({str(d) for d in allp["day"]})
    out_table.attrs["reliability"] = pd.concat(curves, ignore_index=True)
    return out_table


# --- Trip planning -----------------------------------------------------------------------------------------------

ProbFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass
class Speeds:
    """Walking and cycling speeds, the street detour factor and the time to take or dock a bike."""

    walk_kmh: float = WALK_KMH
    bike_kmh: float = BIKE_KMH
    detour: float = DETOUR_FACTOR
    dock_min: float = DOCK_MIN

    @property
    def walk_m_per_min(self) -> float:
        """Walking speed in metres per minute."""
        return self.walk_kmh * 1000 / 60

    @property
    def bike_m_per_min(self) -> float:
        """Cycling speed in metres per minute."""
        return self.bike_kmh * 1000 / 60


def _unit_xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere: nearest neighbours by chord length are nearest by great-circle distance."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _station_tree(lat: np.ndarray, lon: np.ndarray):
    from scipy.spatial import cKDTree

    return cKDTree(_unit_xyz(lat, lon))


def _fallback_minutes(
    lat: np.ndarray, lon: np.ndarray, speeds: Speeds, tree=None
) -> tuple[np.ndarray, np.ndarray]:
    """For each station, the extra minutes if it has no bike (walk to the nearest other station) and if
    it has no free dock (ride to the nearest other station, then walk back).
    """
    tree = tree if tree is not None else _station_tree(lat, lon)
    _, idx = tree.query(_unit_xyz(lat, lon), k=min(2, len(lat)))
    other = idx[:, -1]
    nearest_m = haversine_m(lat, lon, lat[other], lon[other]) * speeds.detour
    return (
        nearest_m / speeds.walk_m_per_min,
        nearest_m / speeds.bike_m_per_min + nearest_m / speeds.walk_m_per_min,
    )


def plan_trips(
    origins: np.ndarray,
    destinations: np.ndarray,
    stations: pd.DataFrame,
    *,
    p_bike: np.ndarray | ProbFn,
    p_dock: np.ndarray | ProbFn,
    max_walk_m: float = 600.0,
    k: int = 8,
    speeds: Speeds | None = None,
    walk_o_m: np.ndarray | None = None,
    walk_d_m: np.ndarray | None = None,
    bike_m: np.ndarray | None = None,
    candidates: tuple[np.ndarray, np.ndarray] | None = None,
    n_best: int = 3,
) -> dict[str, np.ndarray]:
    """Plan ``n`` trips at once. ``origins``/``destinations``: (n, 2) lat, lon.

    For each trip the ``k`` stations nearest the origin (pick-up) and the destination (drop-off), within
    ``max_walk_m`` of walking, are paired; each pair's expected door-to-door time is

        walk to i + dock + ride i → j + dock + walk from j
        + (1 − P(bike at i)) × fallback at i + (1 − P(dock at j)) × fallback at j

    ``p_bike``/``p_dock``: one probability per station, or a function of (station indices (n, k),
    minutes until arrival there (n, k)). Distances are straight line × detour unless the walking and
    riding distance matrices (metres) are given (with the ``candidates`` they were computed for).
    Returns arrays: ``walk_only_min`` (n,), and for the ``n_best`` best pairs (n, n_best): ``pickup``,
    ``dropoff`` (station row indices, −1 when no pair), ``total_min``, ``walk_to_min``, ``bike_min``,
    ``walk_from_min``, ``p_bike``, ``p_dock``.
    """
    speeds = speeds or Speeds()
    origins, destinations = np.atleast_2d(origins).astype(float), np.atleast_2d(destinations).astype(float)
    lat, lon = stations["lat"].to_numpy(float), stations["lon"].to_numpy(float)
    k = min(k, len(stations))
    tree = _station_tree(lat, lon)  # candidates and fallbacks share it
    if candidates is None:
        pick = tree.query(_unit_xyz(origins[:, 0], origins[:, 1]), k=k)[1].reshape(len(origins), k)
        drop = tree.query(_unit_xyz(destinations[:, 0], destinations[:, 1]), k=k)[1].reshape(len(origins), k)
    else:
        pick, drop = candidates
    if walk_o_m is None:
        walk_o_m = haversine_m(origins[:, :1], origins[:, 1:], lat[pick], lon[pick]) * speeds.detour
    if walk_d_m is None:
        walk_d_m = haversine_m(destinations[:, :1], destinations[:, 1:], lat[drop], lon[drop]) * speeds.detour
    if bike_m is None:
        bike_m = (
            haversine_m(
                lat[pick][:, :, None], lon[pick][:, :, None], lat[drop][:, None, :], lon[drop][:, None, :]
            )
            * speeds.detour
        )
    walk_to = walk_o_m / speeds.walk_m_per_min
    walk_from = walk_d_m / speeds.walk_m_per_min
    ride = bike_m / speeds.bike_m_per_min
    pb = p_bike(pick, walk_to) if callable(p_bike) else np.asarray(p_bike, float)[pick]
    arrive_drop = walk_to[:, :, None] + speeds.dock_min + ride  # minutes until I reach each drop-off
    if callable(p_dock):
        pd_ = np.empty_like(arrive_drop)
        for col in range(pick.shape[1]):  # k calls, each vectorised over trips × drop-offs
            pd_[:, col, :] = p_dock(drop, arrive_drop[:, col, :])
    else:
        pd_ = np.broadcast_to(np.asarray(p_dock, float)[drop][:, None, :], arrive_drop.shape)
    fb_pick, fb_drop = _fallback_minutes(lat, lon, speeds, tree)
    expected = (
        walk_to[:, :, None]
        + 2 * speeds.dock_min
        + ride
        + walk_from[:, None, :]
        + (1 - pb)[:, :, None] * fb_pick[pick][:, :, None]
        + (1 - pd_) * fb_drop[drop][:, None, :]
    )
    ok = (
        (walk_o_m[:, :, None] <= max_walk_m)
        & (walk_d_m[:, None, :] <= max_walk_m)
        & (pick[:, :, None] != drop[:, None, :])
    )
    expected = np.where(ok, expected, np.inf)
    flat = expected.reshape(len(origins), -1)
    n_best = min(n_best, flat.shape[1])
    order = np.argsort(flat, axis=1)[:, :n_best]
    a, b = np.divmod(order, drop.shape[1])
    rows = np.arange(len(origins))[:, None]
    best = flat[rows, order]
    valid = np.isfinite(best)
    walk_only = (
        haversine_m(origins[:, 0], origins[:, 1], destinations[:, 0], destinations[:, 1]) * speeds.detour
    )
    return {
        "walk_only_min": walk_only / speeds.walk_m_per_min,
        "pickup": np.where(valid, pick[rows, a], -1),
        "dropoff": np.where(valid, drop[rows, b], -1),
        "total_min": best,
        "walk_to_min": np.where(valid, walk_to[rows, a], np.nan),
        "bike_min": np.where(valid, ride[rows, a, b], np.nan),
        "walk_from_min": np.where(valid, walk_from[rows, b], np.nan),
        "p_bike": np.where(valid, pb[rows, a], np.nan),
        "p_dock": np.where(valid, pd_[rows, a, b], np.nan),
    }


def probability_function(
    model: AvailabilityModel | ChosenPredictor,
    stations: pd.DataFrame,
    snapshot_time: pd.Timestamp,
    departure: pd.Timestamp,
    which: str,
) -> ProbFn:
    """A ``(station indices, minutes after departure) → probability`` function for :func:`plan_trips`:
    the model's forecast from the snapshot, ``snapshot → departure + minutes`` ahead.
    """
    lead = (departure - snapshot_time).total_seconds() / 60

    def fn(idx: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        flat_idx, flat_min = idx.ravel(), np.broadcast_to(minutes, idx.shape).ravel()
        s = stations.iloc[flat_idx]
        horizon = np.clip(lead + flat_min, 0, None)
        state = pd.DataFrame(
            {
                "station_id": s["station_id"].to_numpy(),
                "bikes": s["bikes"].to_numpy(float),
                "docks": s["docks"].to_numpy(float),
                "capacity": s["capacity"].to_numpy(float),
                "horizon_min": horizon,
                "target_time": snapshot_time + pd.to_timedelta(horizon, unit="min"),
            }
        )
        return model.predict(state)[which].to_numpy().reshape(idx.shape)

    return fn


def nearest_stations(stations: pd.DataFrame, points: np.ndarray, k: int = 8) -> np.ndarray:
    """Row indices of the ``k`` stations nearest each point ((n, 2) lat, lon), nearest first."""
    points = np.atleast_2d(points).astype(float)
    k = min(k, len(stations))
    tree = _station_tree(stations["lat"].to_numpy(float), stations["lon"].to_numpy(float))
    return tree.query(_unit_xyz(points[:, 0], points[:, 1]), k=k)[1].reshape(len(points), k)


#: A departure this many minutes before the snapshot is a clock difference, not a question about the past.
CLOCK_TOLERANCE_MIN = 10.0


def resolve_departure(
    spec: str,
    snapshot_time: pd.Timestamp,
    *,
    now: pd.Timestamp | None = None,
    max_lead_min: float = 120.0,
    tz: str = TZ,
) -> tuple[pd.Timestamp, str]:
    """The departure time (UTC) for ``spec``: ``"now"``/``"maintenant"`` (rounded to 5 minutes) — or, when
    the availability snapshot is not recent, the snapshot's own time, said in the returned note — or a
    local date and time ``"2025-03-18 08:10"`` (local: in ``tz``, the stations' clock). A departure up to :data:`CLOCK_TOLERANCE_MIN` minutes
    before the snapshot is taken at the snapshot (a clock difference), said in the note; one further
    before, or more than ``max_lead_min`` after, is refused: the forecast starts from the snapshot.
    """
    snap = pd.Timestamp(snapshot_time).tz_convert("UTC")
    if spec.strip().lower() in ("now", "maintenant", ""):
        now = (now or pd.Timestamp.now(tz="UTC")).floor("5min")
        if 0 <= (now - snap).total_seconds() / 60 <= 30:
            return now, "départ maintenant"
        return snap, (
            f"les disponibilités datent du {snap.tz_convert(tz):%d/%m/%Y %H:%M} : départ pris à cette heure "
            '(téléchargez les disponibilités du moment avec open_data = "live")'
        )
    try:
        dep = pd.Timestamp(spec)
    except ValueError as exc:
        msg = f"departure vaut « maintenant » ou une date et heure locales comme « 2025-03-18 08:10 », pas {spec!r}"
        raise ValueError(msg) from exc
    dep = (dep.tz_localize(tz) if dep.tzinfo is None else dep).tz_convert("UTC")
    lead = (dep - snap).total_seconds() / 60
    if -CLOCK_TOLERANCE_MIN <= lead < 0:
        return snap, (
            f"départ demandé à {dep.tz_convert(tz):%H:%M}, {-lead:.0f} min avant l'état des stations : "
            f"départ pris à {snap.tz_convert(tz):%H:%M}, l'heure de cet état"
        )
    if not 0 <= lead <= max_lead_min:
        when = f"{lead:.0f} min après" if lead >= 0 else f"{-lead:.0f} min avant"
        msg = (
            f"départ le {dep.tz_convert(tz):%d/%m/%Y à %H:%M}, {when} l'état des stations (snapshot du "
            f"{snap.tz_convert(tz):%d/%m/%Y à %H:%M}) : la prévision part de cet état et va jusqu'à "
            f'{max_lead_min:.0f} min. Téléchargez l\'état du moment (open_data = "live") ou choisissez un départ '
            "juste après cet état."
        )
        raise ValueError(msg)
    return dep, f"départ le {dep.tz_convert(tz):%d/%m/%Y à %H:%M}"


def plan_one(
    origin: tuple[float, float],
    destination: tuple[float, float],
    stations: pd.DataFrame,
    model: AvailabilityModel | ChosenPredictor,
    snapshot_time: pd.Timestamp,
    departure: pd.Timestamp,
    *,
    graph=None,
    max_walk_m: float = 600.0,
    k: int = 8,
    speeds: Speeds | None = None,
    n_best: int = 3,
    system_name: str = "Vélo'v",
    streets_hint: str = "selfdata data fetch lyon-streets",
) -> pd.DataFrame:
    """My trip: the ``n_best`` station pairs and walking the whole way, as a table (best first); the
    options are named after the bike-share system (``"Vélo'v 1"``, ``"Bicing 1"``).

    Probabilities come from ``model`` for the moment I reach each station. With a street ``graph``
    (:func:`selfdata_lib.opendata.streets.find_graph`) distances follow the streets; otherwise straight line ×
    detour factor (``attrs["network"]`` says which). ``attrs["candidates"]`` holds the stations looked at
    with their probabilities, for the map.
    """
    speeds = speeds or Speeds()
    usable = stations[(stations["status"] == "OPEN") & stations["bikes"].notna()].reset_index(drop=True)
    o, d = np.array([origin], float), np.array([destination], float)
    ends = nearest_stations(usable, np.vstack([o, d]), k)
    pick, drop = ends[:1], ends[1:]
    matrices: dict[str, np.ndarray] = {}
    walk_only_m = float(haversine_m(o[0, 0], o[0, 1], d[0, 0], d[0, 1]) * speeds.detour)
    network = "straight-line"
    if graph is not None:
        from selfdata_lib.analysis.routing import network_distances

        nd = network_distances(
            graph,
            origin,
            destination,
            usable[["lat", "lon"]].to_numpy()[pick[0]],
            usable[["lat", "lon"]].to_numpy()[drop[0]],
        )
        matrices = {
            "walk_o_m": nd["walk_o_m"][None, :],
            "walk_d_m": nd["walk_d_m"][None, :],
            "bike_m": nd["bike_m"][None],
        }
        walk_only_m, network = float(nd["walk_only_m"]), "osm"
    pb = probability_function(model, usable, snapshot_time, departure, "p_bike")
    pdk = probability_function(model, usable, snapshot_time, departure, "p_dock")
    plan = plan_trips(
        o,
        d,
        usable,
        p_bike=pb,
        p_dock=pdk,
        max_walk_m=max_walk_m,
        k=k,
        speeds=speeds,
        candidates=(pick, drop),
        n_best=n_best,
        **matrices,
    )
    rows: list[dict[str, Any]] = []
    for r in range(plan["pickup"].shape[1]):
        i, j = int(plan["pickup"][0, r]), int(plan["dropoff"][0, r])
        if i < 0:
            continue
        rows.append(
            {
                "option": f"{system_name} {len(rows) + 1}",
                "pickup_station_id": usable["station_id"].iloc[i],
                "pickup_station_name": usable["name"].iloc[i],
                "dropoff_station_id": usable["station_id"].iloc[j],
                "dropoff_station_name": usable["name"].iloc[j],
                "walk_to_station_minutes": plan["walk_to_min"][0, r],
                "bike_minutes": plan["bike_min"][0, r],
                "walk_from_station_minutes": plan["walk_from_min"][0, r],
                "total_minutes": plan["total_min"][0, r],
                "p_bike": plan["p_bike"][0, r],
                "p_dock": plan["p_dock"][0, r],
            }
        )
    walking = walk_only_m / speeds.walk_m_per_min
    rows.append({"option": "À pied", "total_minutes": walking, "walk_to_station_minutes": walking})
    table = pd.DataFrame(rows).sort_values("total_minutes", kind="stable", ignore_index=True)
    # probabilities of every candidate, for the map: pick-ups when I walk there, drop-offs when I ride
    # there from the best pick-up
    lat, lon = usable["lat"].to_numpy(), usable["lon"].to_numpy()
    walk_o = (
        matrices["walk_o_m"][0]
        if matrices
        else haversine_m(o[0, 0], o[0, 1], lat[pick[0]], lon[pick[0]]) * speeds.detour
    )
    t_pick = walk_o / speeds.walk_m_per_min
    best = (
        int(np.argmin(t_pick))
        if plan["pickup"][0, 0] < 0
        else int(np.flatnonzero(pick[0] == plan["pickup"][0, 0])[0])
    )
    ride_m = (
        matrices["bike_m"][0, best]
        if matrices
        else haversine_m(lat[pick[0, best]], lon[pick[0, best]], lat[drop[0]], lon[drop[0]]) * speeds.detour
    )
    t_drop = t_pick[best] + speeds.dock_min + ride_m / speeds.bike_m_per_min
    cand = pd.concat(
        [
            usable.iloc[pick[0]].assign(
                role="pickup", probability=pb(pick, t_pick[None, :])[0], minutes=t_pick
            ),
            usable.iloc[drop[0]].assign(
                role="dropoff", probability=pdk(drop, t_drop[None, :])[0], minutes=t_drop
            ),
        ],
        ignore_index=True,
    )
    table.attrs.update(
        network=network,
        walking_only_minutes=walking,
        candidates=cand,
        detour_factor=speeds.detour if network == "straight-line" else None,
        system_name=system_name,
        streets_hint=streets_hint,
    )
    return table


def snapshot_time(stations: pd.DataFrame) -> pd.Timestamp:
    """When the stations' availability was read (UTC): the newest ``last_update``."""
    return pd.Timestamp(stations["last_update"].dropna().max()).tz_convert("UTC")


@dataclass(frozen=True)
class BestOption:
    """The best bike-share option of a plan: its minutes, stations and chances of a bike and a dock."""

    total_minutes: float
    walk_to_station_minutes: float
    bike_minutes: float
    walk_from_station_minutes: float
    pickup_station_id: int | str
    pickup_station_name: str
    dropoff_station_id: int | str
    dropoff_station_name: str
    p_bike: float
    p_dock: float


def _station_id(value: Any) -> int | str:
    """A station id as a plain integer when it is one (JCDecaux, Vélib'), else its text."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def best_trip(plan: pd.DataFrame) -> BestOption | None:
    """The best bike-share option of :func:`plan_one` (``None`` when no station is within walking distance
    of both ends).
    """
    bikes = plan[plan["option"] != "À pied"]
    if bikes.empty:
        return None
    best = bikes.iloc[0]
    return BestOption(
        total_minutes=round(float(best["total_minutes"]), 1),
        walk_to_station_minutes=round(float(best["walk_to_station_minutes"]), 1),
        bike_minutes=round(float(best["bike_minutes"]), 1),
        walk_from_station_minutes=round(float(best["walk_from_station_minutes"]), 1),
        pickup_station_id=_station_id(best["pickup_station_id"]),
        pickup_station_name=str(best["pickup_station_name"]),
        dropoff_station_id=_station_id(best["dropoff_station_id"]),
        dropoff_station_name=str(best["dropoff_station_name"]),
        p_bike=round(float(best["p_bike"]), 3),
        p_dock=round(float(best["p_dock"]), 3),
    )


def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """The options of :func:`plan_one` with French column names, to show."""
    cols = {
        "option": "option",
        "pickup_station_name": "station de départ",
        "dropoff_station_name": "station d'arrivée",
        "walk_to_station_minutes": "marche (min)",
        "bike_minutes": "vélo (min)",
        "walk_from_station_minutes": "marche à l'arrivée (min)",
        "total_minutes": "total espéré (min)",
        "p_bike": "P(vélo)",
        "p_dock": "P(place)",
    }
    return plan.reindex(columns=list(cols)).rename(columns=cols).round(2).fillna("")


def describe_trip(trip: TripPlan | pd.DataFrame, *, max_walk_m: float | None = None) -> Reading:
    """My trip in a few French sentences, from the plan's figures (the approximation note after)."""
    from selfdata_lib import fr

    if isinstance(trip, TripPlan):
        plan, max_walk_m = trip.plan, trip.max_walk_m
    else:
        plan, max_walk_m = trip, float(max_walk_m or 600.0)

    walking = plan.attrs["walking_only_minutes"]
    best = best_trip(plan)
    approx = (
        "Distances approchées : vol d'oiseau × "
        + fr.number(plan.attrs["detour_factor"], 1)
        + (
            f" (pas de réseau de rues ; {plan.attrs['streets_hint']})."
            if plan.attrs.get("streets_hint", "-")
            else " (aucun réseau de rues décrit pour ce territoire ; un fichier de rues OpenStreetMap peut être "
            "donné avec street_graph)."
        )
        if plan.attrs.get("network") == "straight-line"
        else ""
    )
    if best is None:
        return Reading(
            [
                f"Aucune station {plan.attrs.get('system_name', 'Vélo’v')} à moins de {fr.number(max_walk_m)} m de mon départ et de ma "
                f"destination : à pied, il faut environ {fr.number(walking)} min."
            ],
            [approx],
        )
    gain = walking - best.total_minutes
    verdict = (
        f"{fr.number(gain)} min de gagnées sur la marche"
        if gain >= 1
        else "pas plus rapide que la marche"
        if gain > -1
        else f"{fr.number(-gain)} min de plus qu'à pied"
    )
    return Reading(
        [
            f"Marcher {fr.number(best.walk_to_station_minutes)} min jusqu'à « {best.pickup_station_name} » "
            f"({fr.percent(best.p_bike)} de chances d'y trouver un vélo), rouler {fr.number(best.bike_minutes)} min "
            f"jusqu'à « {best.dropoff_station_name} » ({fr.percent(best.p_dock)} de chances d'y trouver une place), "
            f"puis marcher {fr.number(best.walk_from_station_minutes)} min : environ "
            f"{fr.number(best.total_minutes)} min de porte à porte, contre {fr.number(walking)} min à pied "
            f"({verdict})."
        ],
        [approx],
    )


# --- The steps of the use case, each a frozen result ----------------------------------------------------


@dataclass(frozen=True)
class Departure(Result):
    """When I leave (UTC), the time of the stations' state, and how the departure was chosen."""

    leave_at: pd.Timestamp
    snapshot: pd.Timestamp
    stations: int
    note: str
    #: the stations' clock: the departure is typed and shown in it
    tz: str = TZ

    def notes(self) -> list[str]:
        """The stations' state and the departure chosen."""
        return [
            f"{self.stations} stations, état au {self.snapshot.tz_convert(self.tz):%d/%m/%Y %H:%M} ; {self.note}."
        ]

    def figures(self) -> dict[str, Figure]:
        """The departure, local time."""
        return {"departure": figure(self.leave_at.tz_convert(self.tz).strftime("%Y-%m-%d %H:%M"))}


def departure_time(stations: pd.DataFrame, spec: str = "maintenant") -> Departure:
    """:func:`resolve_departure` against the stations' snapshot, on the stations' clock."""
    snap = snapshot_time(stations)
    tz = local_tz(stations)
    leave_at, why = resolve_departure(spec, snap, tz=tz)
    return Departure(leave_at, snap, len(stations), why, tz)


@dataclass
class ChosenPredictor:
    """What the trip planner trusts at each horizon (``uses``: horizon → ``model``, ``queue`` or
    ``calibrated``, chosen by :func:`pick_predictor` on a held-out day; a horizon in between takes the
    nearest): the model only where it beat calibrated persistence, else the better baseline.
    """

    model: AvailabilityModel
    baselines: dict[str, Any]
    uses: dict[int, str]

    def predict(self, state: pd.DataFrame) -> pd.DataFrame:
        """``p_bike``, ``p_dock`` and ``expected_bikes`` of each row of ``state``, from the chosen one."""
        from selfdata_lib.analysis.availability import summarise

        out = self.model.predict(state)
        if not self.uses or all(v == "model" for v in self.uses.values()):
            return out
        known = np.array(sorted(self.uses))
        nearest = known[np.abs(state["horizon_min"].to_numpy(float)[:, None] - known[None, :]).argmin(axis=1)]
        chosen = np.array([self.uses[int(h)] for h in nearest])
        for name, predictor in self.baselines.items():
            rows = chosen == name
            if rows.any():
                sub = state[rows].assign(bikes=np.nan_to_num(state.loc[rows, "bikes"].to_numpy(float)))
                summary = summarise(predictor.distribution(sub), sub["capacity"].to_numpy(float))
                for column in ("p_bike", "p_dock", "expected_bikes"):
                    out.loc[rows, column] = summary[column]
        return out


def choose_predictor(
    history: pd.DataFrame, *, horizons: tuple[int, ...] = (15, 30, 60), step_min: int = 15
) -> ChosenPredictor:
    """Train the model, calibrated persistence and the queue on the history; score them on its last day
    held out (whole day, trained on the others) to say which to trust at each horizon
    (:func:`pick_predictor`); refit them all on the whole history.
    """
    from selfdata_lib.analysis.availability import (
        BirthDeathQueue,
        CalibratedPersistence,
        crps_counts,
        summarise,
    )

    def baselines(hist: pd.DataFrame) -> dict[str, Any]:
        pairs = training_pairs(hist, horizons=horizons, step_min=step_min)
        return {
            "calibrated": CalibratedPersistence().fit(pairs, hist),
            "queue": BirthDeathQueue().fit(pairs, hist),
        }

    uses: dict[int, str] = {}
    if history["time"].dt.tz_convert(local_tz(history)).dt.date.nunique() >= 2:
        _, train, test = held_out_days(history)[-1]
        pairs = training_pairs(test, horizons=horizons, step_min=step_min)
        if len(pairs):
            observed = pairs["future_bikes"].to_numpy()
            has_bike = (observed >= 1).astype(float)
            m = AvailabilityModel.fit(train, horizons=horizons, step_min=step_min).predict(pairs)
            cols = {
                "model_b": (m["p_bike"].to_numpy() - has_bike) ** 2,
                "model_c": np.abs(observed - m["expected_bikes"]),
            }
            for name, predictor in baselines(train).items():
                dist = predictor.distribution(pairs)
                cols[f"{name}_b"] = (
                    summarise(dist, pairs["capacity"].to_numpy(float))["p_bike"] - has_bike
                ) ** 2
                cols[f"{name}_c"] = crps_counts(dist, observed)
            scored = pd.DataFrame(cols).assign(horizon_min=pairs["horizon_min"].to_numpy())
            for h, g in scored.groupby("horizon_min"):
                means = g.mean()
                uses[int(cast(float, h))] = pick_predictor(
                    {
                        k: (float(means[f"{k}_b"]), float(means[f"{k}_c"]))
                        for k in ("model", "calibrated", "queue")
                    }
                )
    model = AvailabilityModel.fit(history, horizons=horizons, step_min=step_min)
    return ChosenPredictor(model, baselines(history), uses)


@dataclass(frozen=True)
class TrainedModel(Result):
    """What the planner trusts (:class:`ChosenPredictor`) and the history it learnt from."""

    model: Any
    stations: int
    days: int
    #: Why there is no history (the planner then trusts what it sees now), or ``None``.
    without_history: str | None = None

    def notes(self) -> list[str]:
        """Why the planner trusts persistence, when there is no history."""
        return [self.without_history] if self.without_history else []

    def figures(self) -> dict[str, Figure]:
        """How many stations and days of history, and which predictor the planner trusts per horizon."""
        if self.without_history:
            why = missing(self.without_history)
            return {"history_stations": why, "history_days": why, "planner_uses": why}
        uses = getattr(self.model, "uses", {}) or {}
        return {
            "history_stations": figure(self.stations),
            "history_days": figure(self.days),
            "planner_uses": figure({f"{h} min": PREDICTORS[k] for h, k in uses.items()})
            if uses
            else missing(
                "un seul jour d'historique : rien à mettre de côté pour comparer, le modèle est pris"
            ),
        }


class Nowcast:
    """The predictor without any history: what I see now is what I get (:func:`persistence`)."""

    uses: ClassVar[dict[int, str]] = {}

    def predict(self, state: pd.DataFrame) -> pd.DataFrame:
        """``p_bike``, ``p_dock`` and ``expected_bikes`` from the state now."""
        return persistence(state.assign(bikes=state["bikes"].fillna(0), docks=state["docks"].fillna(0)))


def train_availability(
    history: pd.DataFrame | None, *, step_min: int = 15, cache: bool = True
) -> TrainedModel:
    """:func:`choose_predictor` on the stations' history. With ``cache`` the trained predictors are kept
    in the user cache (``settings.cache_folder / "models"``), keyed by the history's content, the step
    and the library version: a second run on the same history (another trip, another preset) reads them
    back instead of training again. Without a history (``None`` or empty) nothing is learnt: the
    planner trusts the stations' state now, and the result says so.
    """
    if history is None or history.empty:
        why = (
            "pas d'historique des disponibilités pour ce système : la prévision est « ce que je vois "
            "maintenant » (un historique se constitue avec selfdata collect velov --url URL_DU_GBFS)"
        )
        return TrainedModel(Nowcast(), 0, 0, why)
    days = int(history["time"].dt.tz_convert(local_tz(history)).dt.date.nunique())
    stations = int(history["station_id"].nunique())
    if not cache:
        return TrainedModel(choose_predictor(history, step_min=step_min), stations, days)
    import pickle

    from selfdata_lib import __version__, _http, settings

    content = hashlib.sha256(
        pd.util.hash_pandas_object(history, index=False).to_numpy().tobytes()
    ).hexdigest()
    path = (
        settings.cache_folder
        / "models"
        / f"velov_{_http.cache_key(content, step_min, __version__, local_tz(history))}.pickle"
    )
    if path.is_file():
        try:
            return TrainedModel(pickle.loads(path.read_bytes()), stations, days)
        except Exception:  # a damaged file or another scikit-learn: train again
            path.unlink(missing_ok=True)
    chosen = choose_predictor(history, step_min=step_min)
    _http.write_atomically(path, pickle.dumps(chosen))
    return TrainedModel(chosen, stations, days)


@dataclass(frozen=True)
class TripPlan(Result):
    """My options from door to door, the best first, and the walk alone."""

    plan: pd.DataFrame
    max_walk_m: float

    @property
    def best(self) -> BestOption | None:
        """The best Vélo'v option's figures (``None`` when no station is near both ends)."""
        return best_trip(self.plan)

    @property
    def table(self) -> pd.DataFrame:
        """The options with French column names."""
        return plan_table(self.plan)

    def figures(self) -> dict[str, Figure]:
        """The network used, walking alone, and the best option's minutes, stations and chances."""
        best = self.best
        why = (
            f"aucune station à moins de {self.max_walk_m:g} m de mon départ et de ma destination : "
            f"marchez, ou élargissez le rayon (-p max_walk_m {2 * self.max_walk_m:g})"
        )
        names = ("total_minutes", "p_bike", "p_dock", "pickup_station_id", "dropoff_station_id")
        return {
            "network": figure(self.plan.attrs["network"]),
            "walking_only_minutes": figure(float(self.plan.attrs["walking_only_minutes"]), digits=1),
            **{n: figure(getattr(best, n)) if best else missing(why) for n in names},
            "best_option": figure(str(self.plan["option"].iloc[0])),
        }


def plan(
    origin: Any,
    destination: Any,
    stations: pd.DataFrame,
    trained: TrainedModel,
    when: Departure,
    *,
    graph: Any = None,
    max_walk_m: float = 600.0,
    walk_kmh: float = WALK_KMH,
    bike_kmh: float = BIKE_KMH,
    system: Any = None,
) -> TripPlan:
    """:func:`plan_one` between two places (``Place`` or ``(lat, lon)``) at my speeds. ``system`` (a
    :class:`selfdata_lib.opendata.gbfs.BikeShareSystem`, default Vélo'v) names the options and says
    which street graph its territory has.
    """
    name = str(getattr(system, "name", "") or "Vélo'v")
    streets = getattr(system, "streets", "lyon-streets") if system is not None else "lyon-streets"
    hint = f"selfdata data fetch {streets}" if streets else ""
    ends = [(p.lat, p.lon) if hasattr(p, "lat") else tuple(p) for p in (origin, destination)]
    options = plan_one(
        ends[0],
        ends[1],
        stations,
        trained.model,
        when.snapshot,
        when.leave_at,
        graph=graph,
        max_walk_m=max_walk_m,
        speeds=Speeds(walk_kmh=walk_kmh, bike_kmh=bike_kmh),
        system_name=name,
        streets_hint=hint,
    )
    return TripPlan(options, max_walk_m)


@dataclass(frozen=True)
class History(Result):
    """The availability history studied (all stations, or the first ``max_stations``)."""

    history: pd.DataFrame

    @property
    def days(self) -> int:
        """Local days covered."""
        return int(self.history["time"].dt.tz_convert(local_tz(self.history)).dt.date.nunique())

    def figures(self) -> dict[str, Figure]:
        """Whether it is the project's sample, how many stations and days."""
        return {
            "history_sample": figure(bool(self.history.attrs.get("provenance", {}).get("sample"))),
            "stations": figure(int(self.history["station_id"].nunique())),
            "days": figure(self.days),
        }

    @property
    def table(self) -> pd.DataFrame:
        """Stations, readings, period, and how often a station is empty or full."""
        h = self.history
        return pd.Series(
            {
                "stations": h["station_id"].nunique(),
                "relevés": len(h),
                "du": h["time"].min(),
                "au": h["time"].max(),
                "jours": self.days,
                "part des relevés à 0 vélo": f"{(h['bikes'] == 0).mean():.1%}",
                "part des relevés sans place": f"{(h['docks'] == 0).mean():.1%}",
            }
        ).to_frame("")


def study_history(history: pd.DataFrame, max_stations: int = 0) -> History:
    """The history, cut to its first ``max_stations`` stations when given (a quicker study)."""
    if max_stations:
        keep = sorted(history["station_id"].unique())[:max_stations]
        cut = history[history["station_id"].isin(keep)]
        cut.attrs = history.attrs
        return History(cut)
    return History(history)


class HorizonScores(NamedTuple):
    """One row of :func:`evaluate_availability`'s table: the scores of both at one horizon."""

    horizon_min: int
    brier_bike_model: float
    brier_bike_persistence: float
    mae_bikes_model: float
    mae_bikes_persistence: float


@dataclass(frozen=True)
class AvailabilityEvaluation(Result):
    """The model against persistence, horizon by horizon (:func:`evaluate_availability`)."""

    table: pd.DataFrame

    def scores(self) -> list[HorizonScores]:
        """The table's scores, row by row."""
        t = self.table
        return [
            HorizonScores(int(h), float(bb), float(bp), float(mm), float(mp))
            for h, bb, bp, mm, mp in zip(
                t["horizon_min"].tolist(),
                t["brier_bike_model"].tolist(),
                t["brier_bike_persistence"].tolist(),
                t["mae_bikes_model"].tolist(),
                t["mae_bikes_persistence"].tolist(),
                strict=True,
            )
        ]

    @property
    def beats(self) -> dict[int, bool]:
        """Whether the model beats 0/1 persistence (lower MAE, Brier no worse) at each horizon."""
        return {
            r.horizon_min: bool(
                r.mae_bikes_model < r.mae_bikes_persistence and r.brier_bike_model <= r.brier_bike_persistence
            )
            for r in self.scores()
        }

    @property
    def summary(self) -> pd.DataFrame:
        """One row per predictor (French name), one column per score and horizon, to read side by side."""
        metrics = {
            "brier_bike": "Brier vélo",
            "brier_dock": "Brier place",
            "crps": "CRPS",
            "mae_bikes": "erreur",
        }
        rows = {}
        for key, name in PREDICTORS.items():
            row = {}
            for _, r in self.table.iterrows():
                for metric, label in metrics.items():
                    if f"{metric}_{key}" in r:
                        row[f"{label} {int(r['horizon_min'])} min"] = round(float(r[f"{metric}_{key}"]), 4)
            if row:
                rows[name] = row
        return pd.DataFrame.from_dict(rows, orient="index")

    @property
    def beats_calibrated(self) -> dict[int, bool]:
        """Whether the model beats calibrated persistence at each horizon: lower Brier (« at least one
        bike ») and lower CRPS of the count.
        """
        t = self.table
        if "crps_calibrated" not in t:
            return {}
        return {
            int(h): bool(bm < bc and cm < cc)
            for h, bm, bc, cm, cc in zip(
                t["horizon_min"],
                t["brier_bike_model"],
                t["brier_bike_calibrated"],
                t["crps_model"],
                t["crps_calibrated"],
                strict=True,
            )
        }

    @property
    def best(self) -> dict[int, str]:
        """The predictor with the lowest Brier (« at least one bike ») at each horizon."""
        keys = [k for k in PREDICTORS if f"brier_bike_{k}" in self.table]
        return {
            int(row["horizon_min"]): min(keys, key=lambda k: float(row[f"brier_bike_{k}"]))
            for _, row in self.table.iterrows()
        }

    @property
    def planner_uses(self) -> dict[int, str]:
        """What the trip planner should trust at each horizon (:func:`pick_predictor`)."""
        if "crps_calibrated" not in self.table:
            return {}
        return {
            int(row["horizon_min"]): pick_predictor(
                {
                    k: (float(row[f"brier_bike_{k}"]), float(row[f"crps_{k}"]))
                    for k in ("calibrated", *CANDIDATES)
                    if f"crps_{k}" in row
                }
            )
            for _, row in self.table.iterrows()
        }

    def figures(self) -> dict[str, Figure]:
        """Brier, MAE and CRPS of every predictor by horizon, the best one, and where the model wins."""
        out: dict[str, Figure] = {}
        for _, row in self.table.iterrows():
            h = int(row["horizon_min"])
            for key in PREDICTORS:
                for metric, digits in (("brier_bike", 4), ("brier_dock", 4), ("mae_bikes", 3), ("crps", 3)):
                    column = f"{metric}_{key}"
                    if column in row:
                        out[f"{column}_{h}"] = figure(float(row[column]), digits=digits)
        out["model_beats_persistence"] = figure({f"{h} min": v for h, v in self.beats.items()})
        if self.beats_calibrated:
            out["model_beats_calibrated"] = figure({f"{h} min": v for h, v in self.beats_calibrated.items()})
            out["planner_uses"] = figure({f"{h} min": PREDICTORS[k] for h, k in self.planner_uses.items()})
        out["best_predictor"] = figure({f"{h} min": PREDICTORS[k] for h, k in self.best.items()})
        return out


def evaluate_model(
    study: History, *, horizons: Any = (15, 30, 60), step_min: int = 10
) -> AvailabilityEvaluation:
    """:func:`evaluate_availability` of the model on the history studied."""
    return AvailabilityEvaluation(
        evaluate_availability(study.history, horizons=tuple(horizons), step_min=step_min)
    )


def describe_evaluation(evaluation: AvailabilityEvaluation) -> Reading:
    """The verdict in words (« le modèle bat la persistance calibrée à 30 et 60 min, pas à 15 min »),
    computed from the table, then what to remember horizon by horizon.
    """
    from selfdata_lib import fr

    calibrated = evaluation.beats_calibrated
    beats = calibrated or evaluation.beats
    against = "la persistance calibrée" if calibrated else "la persistance"
    won = [f"{h}" for h, b in beats.items() if b]
    lost = [f"{h}" for h, b in beats.items() if not b]
    if won and lost:
        verdict = f"Le modèle bat {against} à {_and(won)} min, pas à {_and(lost)} min."
    elif won:
        verdict = f"Le modèle bat {against} à chaque horizon ({_and(won)} min)."
    else:
        verdict = f"Le modèle ne bat {against} à aucun horizon ({_and(lost)} min)."
    head = [verdict]
    uses = evaluation.planner_uses
    if uses:
        by_name: dict[str, list[str]] = {}
        for h, k in uses.items():
            by_name.setdefault(THE_PREDICTOR[k], []).append(str(h))
        head.append(
            "Le calculateur d'itinéraire s'appuie donc sur "
            + ", ".join(f"{name} à {_and(hs)} min" for name, hs in by_name.items())
            + "."
        )
    best = evaluation.best
    details = [
        f"Meilleur prédicteur (Brier « au moins un vélo ») à {h} min : {PREDICTORS[k]}."
        for h, k in best.items()
    ]
    t = evaluation.table
    for _, r in t.iterrows():
        parts = [
            f"{PREDICTORS[k]} {fr.number(float(r[f'brier_bike_{k}']), 4)}"
            for k in PREDICTORS
            if f"brier_bike_{k}" in r
        ]
        details.append(f"À {int(r['horizon_min'])} min, Brier (vélo) : " + ", ".join(parts) + ".")
    return Reading(head, details)


def _and(items: list[str]) -> str:
    """``15``, ``15 et 30``, ``15, 30 et 60``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]
