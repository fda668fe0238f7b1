"""The on-device ``Timeline.json`` exported by the Google Maps app on Android (2024+): visits, trips and
raw points (``semanticSegments``, ``rawSignals``, ``userLocationProfile``).
"""

from __future__ import annotations

import math
import re
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
    _SEGMENT_KEYS,
    _SEMANTIC_TYPES,
    _entries,
    _frame,
    _number,
    _trip,
    parse_google_time,
)


def _parse_latlng(text: Any) -> tuple[float, float]:
    """``"48.8566°, 2.3522°"`` or ``"48.8566, 2.3522"`` or ``"geo:48.85,2.35"`` → (lat, lon); NaN when
    unreadable or off the globe.
    """
    if not isinstance(text, str):
        return math.nan, math.nan
    cleaned = text.replace("geo:", "").replace("°", "").replace(" ", "")
    try:
        lat, lon = (float(x) for x in cleaned.split(",")[:2])
    except ValueError:
        return math.nan, math.nan
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return math.nan, math.nan
    return lat, lon


def _sniff_timeline_device(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"semanticSegments"' in text[:4000]


def _load_timeline(path: Path) -> dict[str, Any]:
    data = load_json(path, "le fichier Timeline.json exporté par l'application Google Maps")
    if not isinstance(data, dict) or not isinstance(data.get("semanticSegments"), list):
        msg = f"{path.name}: attendu : un objet JSON avec une liste « semanticSegments » (Timeline.json)"
        raise ExportFormatError(msg)
    return data


def _frequent_places(data: dict[str, Any]) -> dict[str, str]:
    places = [as_dict(p) for p in as_list(as_dict(data.get("userLocationProfile")).get("frequentPlaces"))]
    return {str(p["placeId"]): str(p.get("label", "")).upper() for p in places if p.get("placeId")}


def _segment_latlng(value: Any) -> tuple[float, float]:
    """A position of a timeline segment: ``{"latLng": "48.85°, 2.35°"}`` (Android) or ``"geo:48.85,2.35"``
    (iOS).
    """
    return _parse_latlng(value.get("latLng") if isinstance(value, dict) else value)


def _mode_of(value: Any) -> str:
    """``IN_PASSENGER_VEHICLE`` (Android) or ``in passenger vehicle`` (iOS) → our mode."""
    return _MODES.get(re.sub(r"[\s-]+", "_", str(value or "").strip()).upper(), "unknown")


def _segment_visits(path: Path, segments: list[Any], fmt: str, labels: dict[str, str]) -> pd.DataFrame:
    """Visits of on-device timeline segments (both dialects); a place is HOME/WORK by ``labels``
    (place id → label) or by its ``semanticType``.
    """
    report = ImportReport(path)
    rows = []
    for i, seg, visit in _entries(
        segments, "visit", report, place="segment", known=_SEGMENT_KEYS, primary=True
    ):
        top = as_dict(visit.get("topCandidate"))
        lat, lon = _segment_latlng(top.get("placeLocation"))
        start = parse_google_time(seg.get("startTime"))
        if math.isnan(lat) or pd.isna(start):
            report.reject(f"segment {i}", "visite sans lieu ni heure d'arrivée")
            continue
        place_id = str(top.get("placeId", top.get("placeID", "")))
        label = labels.get(place_id, "")
        if label not in ("HOME", "WORK"):
            label = _SEMANTIC_TYPES.get(re.sub(r"\s+", "_", str(top.get("semanticType", ""))).upper(), "")
        rows.append(
            {
                "start": start,
                "end": parse_google_time(seg.get("endTime")),
                "lat": lat,
                "lon": lon,
                "label": label,
                "name": place_id,
            }
        )
    return report.finish(_frame(rows, "visits"), kind="visits", fmt=fmt)


def _segment_trips(path: Path, segments: list[Any], fmt: str) -> pd.DataFrame:
    """Activities of on-device timeline segments (both dialects) as trips."""
    report = ImportReport(path)
    rows = []
    for i, seg, act in _entries(
        segments, "activity", report, place="segment", known=_SEGMENT_KEYS, primary=False
    ):
        s_lat, s_lon = _segment_latlng(act.get("start"))
        e_lat, e_lon = _segment_latlng(act.get("end"))
        start = parse_google_time(seg.get("startTime"))
        if math.isnan(s_lat) or pd.isna(start):
            report.reject(f"segment {i}", "trajet sans lieu ni heure de départ")
            continue
        distance = act.get("distanceMeters") if act.get("distanceMeters") not in (None, "") else None
        rows.append(
            _trip(
                start,
                parse_google_time(seg.get("endTime")),
                s_lat,
                s_lon,
                e_lat,
                e_lon,
                distance,
                _mode_of(as_dict(act.get("topCandidate")).get("type")),
            )
        )
    return report.finish(_frame(rows, "trips"), kind="trips", fmt=fmt)


def read_google_timeline_visits(path: str | Path) -> pd.DataFrame:
    """Visits of an on-device ``Timeline.json``; HOME/WORK from ``userLocationProfile``."""
    path = Path(path)
    data = _load_timeline(path)
    return _segment_visits(path, data["semanticSegments"], "google-timeline-device", _frequent_places(data))


def read_google_timeline_trips(path: str | Path) -> pd.DataFrame:
    """Activities of an on-device ``Timeline.json`` as trips."""
    path = Path(path)
    return _segment_trips(path, _load_timeline(path)["semanticSegments"], "google-timeline-device")


def read_google_timeline_points(path: str | Path) -> pd.DataFrame:
    """Raw points of an on-device ``Timeline.json``: ``timelinePath`` points and ``rawSignals``."""
    path = Path(path)
    data = _load_timeline(path)
    report = ImportReport(path)
    rows = []
    for i, seg in enumerate(data["semanticSegments"]):
        for j, pt in enumerate(as_list(as_dict(seg).get("timelinePath"))):
            report.rows_read += 1
            pt = as_dict(pt)
            lat, lon = _parse_latlng(pt.get("point"))
            t = parse_google_time(pt.get("time"))
            if math.isnan(lat) or pd.isna(t):
                report.reject(f"segment {i} point {j}", "point de parcours sans position ni heure")
                continue
            rows.append({"time": t, "lat": lat, "lon": lon, "accuracy_m": math.nan})
    for i, sig in enumerate(as_list(data.get("rawSignals"))):
        pos = sig.get("position") if isinstance(sig, dict) else None
        if pos is None:
            continue  # wifi scans and activity records are not positions
        report.rows_read += 1
        pos = as_dict(pos)
        lat, lon = _parse_latlng(pos.get("LatLng") or pos.get("latLng"))
        t = parse_google_time(pos.get("timestamp"))
        if math.isnan(lat) or pd.isna(t):
            report.reject(f"signal brut {i}", "position sans coordonnées ni heure")
            continue
        rows.append(
            {"time": t, "lat": lat, "lon": lon, "accuracy_m": _number(pos.get("accuracyMeters"), math.nan)}
        )
    frame = _frame(rows, "location_points").sort_values("time", kind="stable")
    return report.finish(frame, kind="location_points", fmt="google-timeline-device")


register_format(
    ExportFormat(
        id="google-timeline-device",
        kind="visits",
        holder="Google",
        title="Google Maps, Timeline.json du téléphone (Android)",
        sniff=_sniff_timeline_device,
        read=read_google_timeline_visits,
        other_kinds={"trips": read_google_timeline_trips, "location_points": read_google_timeline_points},
    )
)
