"""Google location exports: Semantic Location History monthly files (Takeout).

``Semantic Location History/YYYY/YYYY_MONTH.json`` = ``{"timelineObjects": [{"placeVisit": …} |
{"activitySegment": …}]}``. Timestamps come as ISO strings, ``YYYY-MM-DD HH:MM:SS +0100``, seconds
or milliseconds since the epoch (``startTimestamp`` or ``startTimestampMs``); files may start with
a BOM. Coordinates are ``latitudeE7``/``longitudeE7`` (or ``latE7``/``lngE7``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import ExportFormat, ImportReport, decode_text, register_format

_SEMANTIC_TYPES = {"TYPE_HOME": "HOME", "TYPE_WORK": "WORK", "HOME": "HOME", "WORK": "WORK",
                   "INFERRED_HOME": "HOME", "INFERRED_WORK": "WORK"}
_MODES = {
    "WALKING": "walk", "WALK": "walk", "ON_FOOT": "walk", "RUNNING": "walk", "HIKING": "walk",
    "CYCLING": "bike", "BICYCLE": "bike", "ON_BICYCLE": "bike",
    "IN_PASSENGER_VEHICLE": "car", "IN_VEHICLE": "car", "DRIVE": "car", "DRIVING": "car",
    "IN_TAXI": "car", "MOTORCYCLING": "car",
    "IN_BUS": "bus", "IN_TRAM": "tram", "IN_SUBWAY": "metro", "IN_TRAIN": "train",
    "IN_FERRY": "boat", "FLYING": "plane", "SAILING": "boat", "SKIING": "other",
}


def parse_google_time(value: Any) -> pd.Timestamp:
    """A Google timestamp in any of its spellings, as a UTC timestamp (``NaT`` when unreadable)."""
    if value is None or value == "":
        return pd.NaT
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().lstrip("-").isdigit()):
        number = float(value)
        unit = "ms" if abs(number) > 1e11 else "s"
        return pd.Timestamp(number, unit=unit, tz="UTC")
    try:
        ts = pd.Timestamp(str(value).strip())
    except (ValueError, TypeError):
        return pd.NaT
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _duration(obj: dict[str, Any], which: str) -> pd.Timestamp:
    dur = obj.get("duration") or {}
    for key in (f"{which}Timestamp", f"{which}TimestampMs"):
        if key in dur:
            return parse_google_time(dur[key])
    return pd.NaT


def _latlon(loc: dict[str, Any] | None) -> tuple[float, float]:
    if not loc:
        return math.nan, math.nan
    lat = loc.get("latitudeE7", loc.get("latE7"))
    lon = loc.get("longitudeE7", loc.get("lngE7"))
    if lat is None or lon is None:
        return math.nan, math.nan
    return int(lat) / 1e7, int(lon) / 1e7


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _sniff_semantic(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"timelineObjects"' in text[:2000]


def _load_semantic(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: not UTF-8 text; a Semantic Location History file is UTF-8 JSON"
        raise ExportFormatError(msg) from exc
    except json.JSONDecodeError as exc:
        msg = (f"{path.name}: line {exc.lineno} is not valid JSON ({exc.msg}); "
               "is the file truncated?")
        raise ExportFormatError(msg) from exc
    if not isinstance(data, dict) or not isinstance(data.get("timelineObjects"), list):
        msg = f"{path.name}: expected a JSON object with a 'timelineObjects' list (Semantic Location History)"
        raise ExportFormatError(msg)
    return data["timelineObjects"]


def read_google_semantic_visits(path: str | Path) -> pd.DataFrame:
    """Place visits of a Semantic Location History file: ``start``, ``end``, ``lat``, ``lon``,
    ``label`` (HOME, WORK or empty), ``name``. Activity segments are counted as not visits."""
    path = Path(path)
    objects = _load_semantic(path)
    report = ImportReport(path)
    rows = []
    for i, obj in enumerate(objects):
        report.rows_read += 1
        visit = obj.get("placeVisit") if isinstance(obj, dict) else None
        if visit is None:
            report.reject(f"record {i}", "not a place visit (activity segment: see kind='trips')")
            continue
        loc = visit.get("location") or {}
        lat, lon = _latlon(loc)
        if math.isnan(lat):
            lat, lon = _latlon((visit.get("otherCandidateLocations") or [{}])[0])
        start = _duration(visit, "start")
        if math.isnan(lat) or pd.isna(start):
            report.reject(f"record {i}", "place visit without coordinates or start time")
            continue
        label = _SEMANTIC_TYPES.get(str(loc.get("semanticType", "")).upper(), "")
        rows.append({"start": start, "end": _duration(visit, "end"), "lat": lat, "lon": lon,
                     "label": label, "name": loc.get("name") or loc.get("address") or ""})
    frame = pd.DataFrame(rows, columns=["start", "end", "lat", "lon", "label", "name"])
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return report.finish(frame, kind="visits", fmt="google-semantic")


def read_google_semantic_trips(path: str | Path) -> pd.DataFrame:
    """Activity segments of a Semantic Location History file as trips (mode from the most likely
    activity or ``travelMode``; distance from Google, else straight line)."""
    path = Path(path)
    objects = _load_semantic(path)
    report = ImportReport(path)
    rows = []
    for i, obj in enumerate(objects):
        report.rows_read += 1
        seg = obj.get("activitySegment") if isinstance(obj, dict) else None
        if seg is None:
            report.reject(f"record {i}", "not an activity segment (place visit: see kind='visits')")
            continue
        start, end = _duration(seg, "start"), _duration(seg, "end")
        s_lat, s_lon = _latlon(seg.get("startLocation"))
        e_lat, e_lon = _latlon(seg.get("endLocation"))
        waypoints = (seg.get("waypointPath") or {}).get("waypoints") or []
        if math.isnan(s_lat) and waypoints:
            s_lat, s_lon = _latlon(waypoints[0])
        if math.isnan(e_lat) and waypoints:
            e_lat, e_lon = _latlon(waypoints[-1])
        if pd.isna(start) or math.isnan(s_lat):
            report.reject(f"record {i}", "activity segment without start time or start location")
            continue
        distance = seg.get("distance") or (seg.get("waypointPath") or {}).get("distanceMeters")
        if distance is None and not math.isnan(e_lat):
            distance = _haversine_m(s_lat, s_lon, e_lat, e_lon)
        activity = seg.get("activityType")
        if not activity and seg.get("activities"):
            activity = max(seg["activities"], key=lambda a: a.get("probability") or 0).get("activityType")
        travel_mode = (seg.get("waypointPath") or {}).get("travelMode")
        mode = _MODES.get(str(travel_mode or activity or "").upper(), "unknown")
        rows.append({"start": start, "end": end, "start_lat": s_lat, "start_lon": s_lon,
                     "end_lat": e_lat, "end_lon": e_lon,
                     "distance_m": float(distance) if distance is not None else math.nan,
                     "mode": mode})
    cols = ["start", "end", "start_lat", "start_lon", "end_lat", "end_lon", "distance_m", "mode"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return report.finish(frame, kind="trips", fmt="google-semantic")


register_format(ExportFormat(
    id="google-semantic", kind="visits", holder="Google",
    title="Google Semantic Location History (Takeout)",
    sniff=_sniff_semantic, read=read_google_semantic_visits,
    other_kinds={"trips": read_google_semantic_trips}))
