"""Google location exports: Semantic Location History monthly files (Takeout).

``Semantic Location History/YYYY/YYYY_MONTH.json`` = ``{"timelineObjects": [{"placeVisit": …} |
{"activitySegment": …}]}``. Timestamps come as ISO strings, ``YYYY-MM-DD HH:MM:SS +0100``, seconds
or milliseconds since the epoch (``startTimestamp`` or ``startTimestampMs``); files may start with
a BOM. Coordinates are ``latitudeE7``/``longitudeE7`` (or ``latE7``/``lngE7``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    as_dict,
    as_list,
    decode_text,
    load_json,
    register_format,
)
from selfdata_lib.exports.google._common import (
    _MODES,
    _SEMANTIC_KEYS,
    _SEMANTIC_TYPES,
    _duration,
    _entries,
    _frame,
    _latlon,
    _number,
    _trip,
)


def _sniff_semantic(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"timelineObjects"' in text[:2000]


def _load_semantic(path: Path) -> list[dict[str, Any]]:
    data = load_json(path, "un fichier Semantic Location History de Google Takeout")
    if not isinstance(data, dict) or not isinstance(data.get("timelineObjects"), list):
        msg = f"{path.name}: attendu : un objet JSON avec une liste « timelineObjects » (Semantic Location History)"
        raise ExportFormatError(msg)
    return data["timelineObjects"]


def read_google_semantic_visits(path: str | Path) -> pd.DataFrame:
    """Place visits of a Semantic Location History file: ``start``, ``end``, ``lat``, ``lon``,
    ``label`` (HOME, WORK or empty), ``name``. Activity segments are counted as not visits.
    """
    path = Path(path)
    objects = _load_semantic(path)
    report = ImportReport(path)
    rows = []
    for i, _, visit in _entries(
        objects, "placeVisit", report, place="record", known=_SEMANTIC_KEYS, primary=True
    ):
        loc = as_dict(visit.get("location"))
        lat, lon = _latlon(loc)
        if math.isnan(lat):
            lat, lon = _latlon((as_list(visit.get("otherCandidateLocations")) or [{}])[0])
        start = _duration(visit, "start")
        if math.isnan(lat) or pd.isna(start):
            report.reject(f"enregistrement {i}", "lieu visité sans coordonnées ni heure d'arrivée")
            continue
        label = _SEMANTIC_TYPES.get(str(loc.get("semanticType", "")).upper(), "")
        rows.append(
            {
                "start": start,
                "end": _duration(visit, "end"),
                "lat": lat,
                "lon": lon,
                "label": label,
                "name": str(loc.get("name") or loc.get("address") or ""),
            }
        )
    return report.finish(_frame(rows, "visits"), kind="visits", fmt="google-semantic")


def read_google_semantic_trips(path: str | Path) -> pd.DataFrame:
    """Activity segments of a Semantic Location History file as trips (mode from the most likely
    activity or ``travelMode``; distance from Google, else straight line).
    """
    path = Path(path)
    objects = _load_semantic(path)
    report = ImportReport(path)
    rows = []
    for i, _, seg in _entries(
        objects, "activitySegment", report, place="record", known=_SEMANTIC_KEYS, primary=False
    ):
        start, end = _duration(seg, "start"), _duration(seg, "end")
        s_lat, s_lon = _latlon(seg.get("startLocation"))
        e_lat, e_lon = _latlon(seg.get("endLocation"))
        path_info = as_dict(seg.get("waypointPath"))
        waypoints = as_list(path_info.get("waypoints"))
        if math.isnan(s_lat) and waypoints:
            s_lat, s_lon = _latlon(waypoints[0])
        if math.isnan(e_lat) and waypoints:
            e_lat, e_lon = _latlon(waypoints[-1])
        if pd.isna(start) or math.isnan(s_lat):
            report.reject(f"enregistrement {i}", "trajet sans heure ni lieu de départ")
            continue
        distance = seg.get("distance") or path_info.get("distanceMeters")
        activity = seg.get("activityType")
        candidates = [a for a in as_list(seg.get("activities")) if isinstance(a, dict)]
        if not activity and candidates:
            activity = max(candidates, key=lambda a: _number(a.get("probability"))).get("activityType")
        travel_mode = path_info.get("travelMode")
        mode = _MODES.get(str(travel_mode or activity or "").upper(), "unknown")
        rows.append(_trip(start, end, s_lat, s_lon, e_lat, e_lon, distance, mode))
    return report.finish(_frame(rows, "trips"), kind="trips", fmt="google-semantic")


register_format(
    ExportFormat(
        id="google-semantic",
        kind="visits",
        holder="Google",
        title="Google Takeout, historique des lieux (Semantic Location History)",
        sniff=_sniff_semantic,
        read=read_google_semantic_visits,
        other_kinds={"trips": read_google_semantic_trips},
    )
)
