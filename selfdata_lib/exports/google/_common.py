"""What the Google location readers share: timestamps, coordinates, modes, the frames they build."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd
from pandas._libs.tslibs.nattype import NaTType
from pandas.errors import OutOfBoundsDatetime

from selfdata_lib import fr
from selfdata_lib.exports._base import (
    SCHEMAS,
    ImportReport,
    as_dict,
)
from selfdata_lib.geo import haversine_m

_SEMANTIC_TYPES = {
    "TYPE_HOME": "HOME",
    "TYPE_WORK": "WORK",
    "HOME": "HOME",
    "WORK": "WORK",
    "INFERRED_HOME": "HOME",
    "INFERRED_WORK": "WORK",
}
_MODES = {
    "WALKING": "walk",
    "WALK": "walk",
    "ON_FOOT": "walk",
    "RUNNING": "walk",
    "HIKING": "walk",
    "CYCLING": "bike",
    "BICYCLE": "bike",
    "ON_BICYCLE": "bike",
    "IN_PASSENGER_VEHICLE": "car",
    "IN_VEHICLE": "car",
    "DRIVE": "car",
    "DRIVING": "car",
    "IN_TAXI": "car",
    "MOTORCYCLING": "car",
    "IN_BUS": "bus",
    "IN_TRAM": "tram",
    "IN_SUBWAY": "metro",
    "IN_TRAIN": "train",
    "IN_FERRY": "boat",
    "FLYING": "plane",
    "SAILING": "boat",
    "SKIING": "other",
}


def parse_google_time(value: Any) -> pd.Timestamp | NaTType:
    """A Google timestamp in any of its spellings, as a UTC timestamp (``NaT`` when unreadable)."""
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        return pd.NaT
    try:
        if isinstance(value, (int, float)) or (
            isinstance(value, str) and value.strip().lstrip("-").isdigit()
        ):
            number = float(value)
            if not math.isfinite(number):
                return pd.NaT
            unit = "ms" if abs(number) > 1e11 else "s"
            ts = pd.Timestamp(number, unit=unit, tz="UTC")
        else:
            ts = pd.Timestamp(str(value).strip())
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.as_unit("ns")  # outside 1677–2262 this fails: an impossible date, read as missing
    except (ValueError, TypeError, OverflowError, OutOfBoundsDatetime):
        return pd.NaT


def _duration(obj: dict[str, Any], which: str) -> pd.Timestamp | NaTType:
    dur = as_dict(obj.get("duration"))
    for key in (f"{which}Timestamp", f"{which}TimestampMs"):
        if key in dur:
            return parse_google_time(dur[key])
    return pd.NaT


def _latlon(loc: Any) -> tuple[float, float]:
    """``latitudeE7``/``longitudeE7`` (or ``latE7``/``lngE7``) in degrees; NaN when missing, not a
    number, or off the globe.
    """
    loc = as_dict(loc)
    try:
        lat = float(loc.get("latitudeE7", loc.get("latE7"))) / 1e7
        lon = float(loc.get("longitudeE7", loc.get("lngE7"))) / 1e7
    except (TypeError, ValueError, OverflowError):
        return math.nan, math.nan
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return math.nan, math.nan
    return lat, lon


def _frame(rows: list[dict[str, Any]], kind: str) -> pd.DataFrame:
    """Rows as a frame with the columns of ``kind`` and its times in UTC (also when empty)."""
    frame = pd.DataFrame(rows, columns=list(SCHEMAS[kind]))
    for col in ("start", "end", "time"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _trip(
    start: pd.Timestamp,
    end: pd.Timestamp | NaTType,
    s_lat: float,
    s_lon: float,
    e_lat: float,
    e_lon: float,
    distance: Any,
    mode: str,
) -> dict[str, Any]:
    """A trip row; without a distance from Google, the straight line between its ends."""
    try:
        distance = float(distance) if distance is not None else None
    except (TypeError, ValueError, OverflowError):
        distance = None
    if (distance is None or not math.isfinite(distance) or distance < 0) and not math.isnan(e_lat):
        distance = haversine_m(s_lat, s_lon, e_lat, e_lon)
    return {
        "start": start,
        "end": end,
        "start_lat": s_lat,
        "start_lon": s_lon,
        "end_lat": e_lat,
        "end_lon": e_lon,
        "distance_m": distance if distance is not None else math.nan,
        "mode": mode,
    }


def _entries(
    items: list[Any], key: str, report: ImportReport, *, place: str, known: tuple[str, ...], primary: bool
) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(index, item, item[key])`` for the items holding ``key``, each counted as read. Items of the
    file's other kinds (another of the ``known`` keys) are theirs to count, and a note says how many;
    items of no known kind are read and rejected by the ``primary`` kind's reader, so that nothing
    goes uncounted.
    """
    others = 0
    for i, item in enumerate(items):
        item = as_dict(item)
        inner = item.get(key)
        if key not in item:
            if any(k in item for k in known):
                others += 1
            elif primary:
                report.rows_read += 1
                report.reject(f"{place} {i}", "élément d'aucune nature connue (" + " / ".join(known) + ")")
            continue
        report.rows_read += 1
        if not isinstance(inner, dict) or not inner:
            report.reject(f"{place} {i}", f"« {key} » n'est pas un objet")
            continue
        yield i, item, inner
    if others:
        report.notes.append(
            f"{fr.plural(others, 'élément')} de l'autre nature de ce fichier (lieux visités ou trajets), "
            "comptés avec elle et pas ici"
        )


_SEMANTIC_KEYS = ("placeVisit", "activitySegment")
_SEGMENT_KEYS = ("visit", "activity", "timelinePath", "timelineMemory")


def _number(value: Any, default: float = 0.0) -> float:
    """A JSON number (or number as text) as a finite float, ``default`` otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default
