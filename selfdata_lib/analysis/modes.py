"""Trips and their mode from raw location points: stay points, segmentation, and a classifier on speed
profiles (scikit-learn) trained on the trips whose mode I already know.

``segment_trips(points)`` cuts a point series into trips: a trip ends where I stay (within
``radius_m`` for at least ``min_stay_min``) or where the points stop for more than ``max_gap_min``.
``speed_features`` describes each trip by its speeds; ``ModeClassifier`` learns modes from labelled
trips (activity segments of a Google export, GPX files with their activity type) and is evaluated by
cross-validation grouped by day, so that trips of the same day never sit on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from selfdata_lib.geo import haversine_m, path_steps_m
from selfdata_lib.results import Figure, Result, figure, missing

FEATURES = [
    "distance_km",
    "duration_min",
    "speed_median_kmh",
    "speed_p85_kmh",
    "speed_max_kmh",
    "straightness",
]


def segment_trips(
    points: pd.DataFrame,
    *,
    radius_m: float = 150.0,
    min_stay_min: float = 10.0,
    max_gap_min: float = 5.0,
    min_points: int = 3,
    min_distance_m: float = 300.0,
) -> list[pd.DataFrame]:
    """Cut ``points`` (``time``, ``lat``, ``lon``) into trips.

    A point starts a new piece when the previous one is more than ``max_gap_min`` older, or when the
    person stayed within ``radius_m`` of it for ``min_stay_min`` (a stay point). Pieces with fewer than
    ``min_points`` points or shorter than ``min_distance_m`` from end to end are stays, not trips.
    """
    p = points.sort_values("time").reset_index(drop=True)
    if len(p) < 2:
        return []
    t = p["time"].to_numpy()
    gaps = np.diff(t).astype("timedelta64[s]").astype(float) / 60
    step = path_steps_m(p["lat"].to_numpy(float), p["lon"].to_numpy(float))
    still = (step < radius_m) & (gaps >= min_stay_min)
    cut = np.flatnonzero((gaps > max_gap_min) | still) + 1
    trips: list[pd.DataFrame] = []
    parts: list[npt.NDArray[np.int_]] = np.split(np.arange(len(p)), cut)  # row positions of each piece
    for part in parts:
        seg = p.iloc[part]
        if len(seg) < min_points:
            continue
        if (
            haversine_m(seg["lat"].iloc[0], seg["lon"].iloc[0], seg["lat"].iloc[-1], seg["lon"].iloc[-1])
            >= min_distance_m
        ):
            trips.append(seg)
    return trips


def speed_features(seg: pd.DataFrame) -> dict[str, float]:
    """Distance, duration, speed quantiles (km/h) and straightness (end-to-end / path length)."""
    lat, lon = seg["lat"].to_numpy(float), seg["lon"].to_numpy(float)
    steps = path_steps_m(lat, lon)
    secs = np.diff(seg["time"].to_numpy()).astype("timedelta64[ms]").astype(float) / 1000
    ok = secs > 0
    speeds = steps[ok] / secs[ok] * 3.6 if ok.any() else np.array([0.0])
    path = float(steps.sum())
    direct = float(haversine_m(lat[0], lon[0], lat[-1], lon[-1]))
    duration = float(secs.sum()) / 60
    return {
        "distance_km": path / 1000,
        "duration_min": duration,
        "speed_median_kmh": float(np.median(speeds)),
        "speed_p85_kmh": float(np.quantile(speeds, 0.85)),
        "speed_max_kmh": float(speeds.max()),
        "straightness": direct / path if path > 0 else 1.0,
    }


def trips_from_points(points: pd.DataFrame, **segmenting: Any) -> pd.DataFrame:
    """Trips found in raw points, in the importers' trips schema (``mode`` = ``unknown``), with their
    speed features.
    """
    rows = []
    for seg in segment_trips(points, **segmenting):
        f = speed_features(seg)
        rows.append(
            {
                "start": seg["time"].iloc[0],
                "end": seg["time"].iloc[-1],
                "start_lat": seg["lat"].iloc[0],
                "start_lon": seg["lon"].iloc[0],
                "end_lat": seg["lat"].iloc[-1],
                "end_lon": seg["lon"].iloc[-1],
                "distance_m": f["distance_km"] * 1000,
                "mode": "unknown",
                **f,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "start",
            "end",
            "start_lat",
            "start_lon",
            "end_lat",
            "end_lon",
            "distance_m",
            "mode",
            *FEATURES,
        ],
    )


def labelled_features(trips: pd.DataFrame, points: pd.DataFrame, *, min_points: int = 3) -> pd.DataFrame:
    """Speed features of each trip whose mode is known, from the points recorded during it."""
    p = points.sort_values("time")
    rows = []
    for trip in trips[trips["mode"] != "unknown"].itertuples():
        seg = p[(p["time"] >= trip.start) & (p["time"] <= trip.end)]
        if len(seg) >= min_points:
            rows.append({"start": trip.start, "mode": trip.mode, **speed_features(seg)})
    return pd.DataFrame(rows, columns=["start", "mode", *FEATURES])


def train_if_possible(
    trips: pd.DataFrame, points: pd.DataFrame | None, *, min_per_mode: int = 5
) -> tuple[ModeClassifier | None, str | None]:
    """A :class:`ModeClassifier` trained on my labelled trips, or ``(None, reason in French)`` when my
    exports cannot teach it: no raw points, or fewer than two modes with ``min_per_mode`` trips.
    """
    if points is None or points.empty:
        return None, "pas de points bruts dans mes exports : rien pour apprendre les profils de vitesse"
    labelled = labelled_features(trips, points)
    counts = labelled["mode"].value_counts()
    if (counts >= min_per_mode).sum() < 2:
        return None, (
            f"il faut au moins deux modes avec {min_per_mode} trajets étiquetés et leurs points ; "
            f"mes exports en ont : {', '.join(f'{m} {n}' for m, n in counts.items()) or 'aucun'}"
        )
    return ModeClassifier.train(labelled), None


@dataclass
class ModeClassifier:
    """A random forest on :data:`FEATURES`, with its cross-validated evaluation."""

    model: Any = None
    evaluation: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def train(cls, labelled: pd.DataFrame, *, folds: int = 5, seed: int = 0) -> ModeClassifier:
        """Fit on ``labelled`` (features + ``mode``), evaluated by cross-validation grouped by day."""
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.metrics import accuracy_score, confusion_matrix
        from sklearn.model_selection import GroupKFold, cross_val_predict

        if labelled["mode"].nunique() < 2:
            msg = "at least two modes are needed among the labelled trips to learn to tell them apart"
            raise ValueError(msg)
        x, y = labelled[FEATURES].to_numpy(float), labelled["mode"].to_numpy()
        days = labelled["start"].dt.tz_convert("Europe/Paris").dt.date.astype(str).to_numpy()
        forest = RandomForestClassifier(
            n_estimators=200, min_samples_leaf=2, class_weight="balanced", random_state=seed
        )
        n_folds = max(2, min(folds, len(set(days))))
        predicted = cross_val_predict(forest, x, y, groups=days, cv=GroupKFold(n_splits=n_folds))
        labels = sorted(set(y))
        majority = pd.Series(y).value_counts().iloc[0] / len(y)
        evaluation = {
            "trips": len(y),
            "folds": n_folds,
            "accuracy": float(accuracy_score(y, predicted)),
            "majority_baseline": float(majority),
            "recall_by_mode": {m: float((predicted[y == m] == m).mean()) for m in labels},
            "confusion": pd.DataFrame(
                confusion_matrix(y, predicted, labels=labels), index=labels, columns=labels
            ),
        }
        return cls(model=forest.fit(x, y), evaluation=evaluation)

    def predict(self, trips: pd.DataFrame) -> pd.Series:
        """Predicted mode of trips carrying :data:`FEATURES`."""
        if trips.empty:
            return pd.Series([], dtype=object)
        return pd.Series(self.model.predict(trips[FEATURES].to_numpy(float)), index=trips.index, name="mode")


@dataclass(frozen=True)
class ModeCheck(Result):
    """The mode classifier trained on my labelled trips and evaluated by cross-validation, and the
    trips it finds in my raw points — or ``None`` and why my exports cannot teach it.
    """

    classifier: ModeClassifier | None
    found: pd.DataFrame | None
    reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """Accuracy against the majority baseline, recall by mode, trips found in the points."""
        names = (
            "mode_classifier_accuracy",
            "mode_classifier_majority_baseline",
            "mode_classifier_recall_by_mode",
            "trips_found_from_points",
        )
        if self.classifier is None or self.found is None:
            return {n: missing(self.reason or "pas de classifieur") for n in names}
        ev = self.classifier.evaluation
        return {
            "mode_classifier_accuracy": figure(ev["accuracy"], digits=3),
            "mode_classifier_majority_baseline": figure(ev["majority_baseline"], digits=3),
            "mode_classifier_recall_by_mode": figure(
                {m: round(v, 2) for m, v in ev["recall_by_mode"].items()}
            ),
            "trips_found_from_points": figure(len(self.found)),
        }

    @property
    def confusion(self) -> pd.DataFrame | str:
        """The cross-validated confusion matrix (true mode in rows), or why there is none."""
        return self.classifier.evaluation["confusion"] if self.classifier else str(self.reason)

    @property
    def found_by_mode(self) -> pd.DataFrame | str:
        """The trips found in the points, counted and summed (m) by predicted mode."""
        if self.classifier is None or self.found is None:
            return str(self.reason)
        found = self.found.assign(mode=self.classifier.predict(self.found))
        return found.groupby("mode")[["distance_m"]].agg(["count", "sum"]).round(0)


def check_modes(trips: pd.DataFrame, points: pd.DataFrame | None) -> ModeCheck:
    """Train and evaluate the classifier on my labelled trips (:func:`train_if_possible`), then find
    the trips of my raw points (:func:`trips_from_points`).
    """
    classifier, why_not = train_if_possible(trips, points)
    if classifier is None or points is None:
        return ModeCheck(None, None, why_not)
    return ModeCheck(classifier, trips_from_points(points))
