"""Google location exports: Semantic Location History monthly files (Takeout).

``Semantic Location History/YYYY/YYYY_MONTH.json`` = ``{"timelineObjects": [{"placeVisit": …} |
{"activitySegment": …}]}``. Timestamps come as ISO strings, ``YYYY-MM-DD HH:MM:SS +0100``, seconds
or milliseconds since the epoch (``startTimestamp`` or ``startTimestampMs``); files may start with
a BOM. Coordinates are ``latitudeE7``/``longitudeE7`` (or ``latE7``/``lngE7``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import SCHEMAS, ExportFormat, ImportReport, decode_text, register_format
from selfdata_lib.geo import haversine_m

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


def _frame(rows: list[dict[str, Any]], kind: str) -> pd.DataFrame:
    """Rows as a frame with the columns of ``kind`` and its times in UTC (also when empty)."""
    frame = pd.DataFrame(rows, columns=list(SCHEMAS[kind]))
    for col in ("start", "end", "time"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def _trip(start: pd.Timestamp, end: pd.Timestamp, s_lat: float, s_lon: float, e_lat: float, e_lon: float,
          distance: Any, mode: str) -> dict[str, Any]:
    """A trip row; without a distance from Google, the straight line between its ends."""
    if distance is None and not math.isnan(e_lat):
        distance = haversine_m(s_lat, s_lon, e_lat, e_lon)
    return {"start": start, "end": end, "start_lat": s_lat, "start_lon": s_lon, "end_lat": e_lat,
            "end_lon": e_lon, "distance_m": float(distance) if distance is not None else math.nan,
            "mode": mode}


def _entries(items: list[Any], key: str, report: ImportReport, *, place: str,
             other: str) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(index, item, item[key])`` for the items holding ``key``; the others are counted as read and
    rejected as ``other`` (they belong to another kind of the same file)."""
    for i, item in enumerate(items):
        report.rows_read += 1
        inner = item.get(key) if isinstance(item, dict) else None
        if not inner:
            report.reject(f"{place} {i}", other)
            continue
        yield i, item, inner


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
    for i, _, visit in _entries(objects, "placeVisit", report, place="record",
                                other="not a place visit (activity segment: see kind='trips')"):
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
    return report.finish(_frame(rows, "visits"), kind="visits", fmt="google-semantic")


def read_google_semantic_trips(path: str | Path) -> pd.DataFrame:
    """Activity segments of a Semantic Location History file as trips (mode from the most likely
    activity or ``travelMode``; distance from Google, else straight line)."""
    path = Path(path)
    objects = _load_semantic(path)
    report = ImportReport(path)
    rows = []
    for i, _, seg in _entries(objects, "activitySegment", report, place="record",
                              other="not an activity segment (place visit: see kind='visits')"):
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
        activity = seg.get("activityType")
        if not activity and seg.get("activities"):
            activity = max(seg["activities"], key=lambda a: a.get("probability") or 0).get("activityType")
        travel_mode = (seg.get("waypointPath") or {}).get("travelMode")
        mode = _MODES.get(str(travel_mode or activity or "").upper(), "unknown")
        rows.append(_trip(start, end, s_lat, s_lon, e_lat, e_lon, distance, mode))
    return report.finish(_frame(rows, "trips"), kind="trips", fmt="google-semantic")


register_format(ExportFormat(
    id="google-semantic", kind="visits", holder="Google",
    title="Google Semantic Location History (Takeout)",
    sniff=_sniff_semantic, read=read_google_semantic_visits,
    other_kinds={"trips": read_google_semantic_trips}))


# --- Legacy Takeout Records.json -------------------------------------------------------------------

def _sniff_records(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"locations"' in text[:200] and (
        "latitudeE7" in text or '"locations": []' in text or '"locations":[]' in text)


_LOCATIONS_START = re.compile(r'"locations"\s*:\s*\[')
_SEPARATORS = re.compile(r"[\s,]*")


def iter_record_batches(path: Path, *, block_size: int = 1 << 22) -> Iterator[list[Any]]:
    """Yield the items of the ``locations`` array of a Records.json, a block at a time.

    Reads ``block_size`` characters at a time. Each block is cut after the last complete item and
    decoded in one call of the C JSON decoder (a cut inside a nested object cannot decode, so only
    true item boundaries are accepted); what cannot be cut that way is decoded item by item. Memory
    stays at about one block whatever the size of the file.
    """
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8-sig", errors="strict") as fh:
        buf = fh.read(block_size)
        m = _LOCATIONS_START.search(buf)
        if m is None:
            msg = f"{path.name}: no \"locations\" array near the start; expected Takeout's Records.json"
            raise ExportFormatError(msg)
        pos, eof, index = m.end(), False, 0
        while True:
            pos = _SEPARATORS.match(buf, pos).end()
            if pos < len(buf) and buf[pos] == "]":
                return
            cut, batch = buf.rfind("},", pos), None
            for _ in range(4):  # a few candidate cuts, from the end of the block backwards
                if cut <= pos:
                    break
                try:
                    batch = json.loads("[" + buf[pos:cut + 1] + "]")
                    break
                except json.JSONDecodeError:
                    cut = buf.rfind("},", pos, cut)
            if batch:
                yield batch
                index += len(batch)
                buf, pos = buf[cut + 1:], 0
                if not eof:
                    more = fh.read(block_size)
                    eof = not more
                    buf += more
                continue
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if eof:
                    msg = (f"{path.name}: record {index} is not valid JSON ({exc.msg}); "
                           "expected Takeout's Records.json — is the file truncated?")
                    raise ExportFormatError(msg) from None
                more = fh.read(block_size)
                eof = not more
                buf, pos = buf[pos:] + more, 0
                continue
            yield [obj]
            index += 1
            pos = end


def _records_chunk(batch: list[Any], first_index: int, report: ImportReport) -> pd.DataFrame:
    """Columns of a batch of Records points; points missing coordinates or time are rejected."""
    nan = math.nan
    try:
        sources = [r.get("source", "") for r in batch]
        dicts = batch
    except AttributeError:  # an item that is not an object: treat it as an empty one (rejected)
        dicts = [r if isinstance(r, dict) else {} for r in batch]
        sources = [r.get("source", "") for r in dicts]

    def column(key: str) -> np.ndarray:
        values = [r.get(key, nan) for r in dicts]
        try:
            return np.array(values, dtype=float)
        except (TypeError, ValueError):  # a string or null somewhere: the slow, forgiving path
            return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)

    lat, lon, acc = column("latitudeE7"), column("longitudeE7"), column("accuracy")
    iso = pd.Series([r.get("timestamp") for r in dicts], dtype=object)
    time = pd.to_datetime(iso, utc=True, errors="coerce", format="ISO8601")
    has_ms = [r.get("timestampMs") for r in dicts]
    if has_ms.count(None) != len(has_ms):  # older exports: milliseconds since the epoch, as text
        ms = pd.to_numeric(pd.Series(has_ms, dtype=object), errors="coerce")
        time = time.fillna(pd.to_datetime(ms, unit="ms", utc=True))
    frame = pd.DataFrame({"time": time, "lat": lat / 1e7, "lon": lon / 1e7, "accuracy_m": acc,
                          "source": pd.Series(sources, dtype="category")})
    no_xy = np.isnan(lat) | np.isnan(lon)
    no_t = ~no_xy & iso.isna().to_numpy() & np.array([v is None for v in has_ms])
    bad_t = ~no_xy & ~no_t & time.isna().to_numpy()
    out_of_range = ~no_xy & ~(frame["lat"].between(-90, 90) & frame["lon"].between(-180, 180)).to_numpy()
    for mask, reason in ((no_xy, "point without latitudeE7/longitudeE7"), (no_t, "point without timestamp"),
                         (bad_t, "unreadable timestamp"), (out_of_range & ~bad_t & ~no_t,
                                                           "coordinates out of range")):
        report.reject_positions(np.flatnonzero(mask), reason, where=lambda i: f"record {first_index + i}")
    keep = ~(no_xy | no_t | bad_t | out_of_range)
    return frame.loc[keep] if not keep.all() else frame


def read_google_records(path: str | Path, *, chunk_size: int = 40_000) -> pd.DataFrame:
    """Raw points of a legacy Takeout ``Records.json`` (``{"locations": [...]}``), streamed.

    The file can be hundreds of MB: it is decoded block by block (:func:`iter_record_batches`) and turned
    into columns ``chunk_size`` points at a time, never loaded whole. Returns ``time`` (UTC),
    ``lat``, ``lon``, ``accuracy_m``, ``source``.
    """
    path = Path(path)
    report = ImportReport(path)
    chunks: list[pd.DataFrame] = []
    batch: list[Any] = []
    try:
        for items in iter_record_batches(path):
            batch.extend(items)
            if len(batch) >= chunk_size:
                chunks.append(_records_chunk(batch, report.rows_read, report))
                report.rows_read += len(batch)
                batch = []
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: not UTF-8 text; Takeout's Records.json is UTF-8 JSON"
        raise ExportFormatError(msg) from exc
    if batch or not chunks:
        chunks.append(_records_chunk(batch, report.rows_read, report))
        report.rows_read += len(batch)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame["source"] = frame["source"].astype("category")
    return report.finish(frame, kind="location_points", fmt="google-records")


register_format(ExportFormat(
    id="google-records", kind="location_points", holder="Google",
    title="Google Takeout Records.json (raw location history)",
    sniff=_sniff_records, read=read_google_records))


# --- On-device Timeline.json (Android, 2024+) --------------------------------------------------------

def _parse_latlng(text: Any) -> tuple[float, float]:
    """``"48.8566°, 2.3522°"`` or ``"48.8566, 2.3522"`` or ``"geo:48.85,2.35"`` → (lat, lon)."""
    if not isinstance(text, str):
        return math.nan, math.nan
    cleaned = text.replace("geo:", "").replace("°", "").replace(" ", "")
    try:
        lat, lon = (float(x) for x in cleaned.split(",")[:2])
    except ValueError:
        return math.nan, math.nan
    return lat, lon


def _sniff_timeline_device(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"semanticSegments"' in text[:4000]


def _load_timeline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path.name}: not valid UTF-8 JSON ({exc}); expected the on-device Timeline.json"
        raise ExportFormatError(msg) from exc
    if not isinstance(data, dict) or not isinstance(data.get("semanticSegments"), list):
        msg = f"{path.name}: expected a JSON object with a 'semanticSegments' list (Timeline.json)"
        raise ExportFormatError(msg)
    return data


def _frequent_places(data: dict[str, Any]) -> dict[str, str]:
    profile = data.get("userLocationProfile") or {}
    return {p.get("placeId"): str(p.get("label", "")).upper()
            for p in profile.get("frequentPlaces", []) if p.get("placeId")}


def _segment_latlng(value: Any) -> tuple[float, float]:
    """A position of a timeline segment: ``{"latLng": "48.85°, 2.35°"}`` (Android) or ``"geo:48.85,2.35"``
    (iOS)."""
    return _parse_latlng(value.get("latLng") if isinstance(value, dict) else value)


def _mode_of(value: Any) -> str:
    """``IN_PASSENGER_VEHICLE`` (Android) or ``in passenger vehicle`` (iOS) → our mode."""
    return _MODES.get(re.sub(r"[\s-]+", "_", str(value or "").strip()).upper(), "unknown")


def _segment_visits(path: Path, segments: list[Any], fmt: str, labels: dict[str, str]) -> pd.DataFrame:
    """Visits of on-device timeline segments (both dialects); a place is HOME/WORK by ``labels``
    (place id → label) or by its ``semanticType``."""
    report = ImportReport(path)
    rows = []
    for i, seg, visit in _entries(segments, "visit", report, place="segment",
                                  other="not a visit (activity, path or memory: see other kinds)"):
        top = visit.get("topCandidate") or {}
        lat, lon = _segment_latlng(top.get("placeLocation"))
        start = parse_google_time(seg.get("startTime"))
        if math.isnan(lat) or pd.isna(start):
            report.reject(f"segment {i}", "visit without location or start time")
            continue
        place_id = top.get("placeId", top.get("placeID", ""))
        label = labels.get(place_id, "")
        if label not in ("HOME", "WORK"):
            label = _SEMANTIC_TYPES.get(re.sub(r"\s+", "_", str(top.get("semanticType", ""))).upper(), "")
        rows.append({"start": start, "end": parse_google_time(seg.get("endTime")), "lat": lat,
                     "lon": lon, "label": label, "name": place_id})
    return report.finish(_frame(rows, "visits"), kind="visits", fmt=fmt)


def _segment_trips(path: Path, segments: list[Any], fmt: str) -> pd.DataFrame:
    """Activities of on-device timeline segments (both dialects) as trips."""
    report = ImportReport(path)
    rows = []
    for i, seg, act in _entries(segments, "activity", report, place="segment",
                                other="not an activity (visit, path or memory)"):
        s_lat, s_lon = _segment_latlng(act.get("start"))
        e_lat, e_lon = _segment_latlng(act.get("end"))
        start = parse_google_time(seg.get("startTime"))
        if math.isnan(s_lat) or pd.isna(start):
            report.reject(f"segment {i}", "activity without start location or time")
            continue
        try:
            distance = float(act["distanceMeters"]) if act.get("distanceMeters") not in (None, "") else None
        except (TypeError, ValueError):
            distance = None
        rows.append(_trip(start, parse_google_time(seg.get("endTime")), s_lat, s_lon, e_lat, e_lon,
                          distance, _mode_of((act.get("topCandidate") or {}).get("type"))))
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
        for j, pt in enumerate(seg.get("timelinePath") or []):
            report.rows_read += 1
            lat, lon = _parse_latlng(pt.get("point"))
            t = parse_google_time(pt.get("time"))
            if math.isnan(lat) or pd.isna(t):
                report.reject(f"segment {i} point {j}", "path point without position or time")
                continue
            rows.append({"time": t, "lat": lat, "lon": lon, "accuracy_m": math.nan})
    for i, sig in enumerate(data.get("rawSignals") or []):
        pos = sig.get("position") if isinstance(sig, dict) else None
        if pos is None:
            continue  # wifi scans and activity records are not positions
        report.rows_read += 1
        lat, lon = _parse_latlng(pos.get("LatLng") or pos.get("latLng"))
        t = parse_google_time(pos.get("timestamp"))
        if math.isnan(lat) or pd.isna(t):
            report.reject(f"raw signal {i}", "position without coordinates or time")
            continue
        rows.append({"time": t, "lat": lat, "lon": lon,
                     "accuracy_m": float(pos.get("accuracyMeters", math.nan))})
    frame = _frame(rows, "location_points").sort_values("time", kind="stable")
    return report.finish(frame, kind="location_points", fmt="google-timeline-device")


register_format(ExportFormat(
    id="google-timeline-device", kind="visits", holder="Google",
    title="Google Maps on-device Timeline.json (Android)",
    sniff=_sniff_timeline_device, read=read_google_timeline_visits,
    other_kinds={"trips": read_google_timeline_trips, "location_points": read_google_timeline_points}))


# --- iOS on-device export (a top-level array of segments) --------------------------------------------
# ``[{"startTime", "endTime", "visit": {"topCandidate": {"placeLocation": "geo:lat,lon",
# "semanticType": "Home", "placeID"}}} | {"activity": {"start": "geo:…", "end": "geo:…",
# "topCandidate": {"type": "walking"}, "distanceMeters": "812.0"}} | {"timelinePath": [{"point": "geo:…",
# "durationMinutesOffsetFromStartTime": "4"}]} | {"timelineMemory": …}]``; numbers are strings.

_IOS_KEYS = ('"visit"', '"activity"', '"timelinePath"', '"timelineMemory"')


def _sniff_timeline_ios(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return (text.startswith("[") and '"startTime"' in text[:2000]
            and any(k in text[:4000] for k in _IOS_KEYS))


def _load_ios(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path.name}: not valid UTF-8 JSON ({exc}); expected the iOS location-history.json array"
        raise ExportFormatError(msg) from exc
    if not isinstance(data, list):
        msg = f"{path.name}: expected a JSON array of timeline segments (iOS location-history.json)"
        raise ExportFormatError(msg)
    return data


def read_google_ios_visits(path: str | Path) -> pd.DataFrame:
    """Visits of the iOS on-device export; ``semanticType`` Home/Work (also "Inferred Home") labels them."""
    path = Path(path)
    return _segment_visits(path, _load_ios(path), "google-timeline-ios", {})


def read_google_ios_trips(path: str | Path) -> pd.DataFrame:
    """Activities of the iOS on-device export as trips (mode from ``topCandidate.type``)."""
    path = Path(path)
    return _segment_trips(path, _load_ios(path), "google-timeline-ios")


def read_google_ios_points(path: str | Path) -> pd.DataFrame:
    """``timelinePath`` points of the iOS export, timed as segment start + minutes offset."""
    path = Path(path)
    report = ImportReport(path)
    rows = []
    for i, seg in enumerate(_load_ios(path)):
        if not isinstance(seg, dict):
            continue
        base = parse_google_time(seg.get("startTime"))
        for j, pt in enumerate(seg.get("timelinePath") or []):
            report.rows_read += 1
            pt = pt if isinstance(pt, dict) else {}
            lat, lon = _parse_latlng(pt.get("point"))
            try:
                offset = float(pt.get("durationMinutesOffsetFromStartTime"))
            except (TypeError, ValueError):
                offset = math.nan
            if math.isnan(lat) or pd.isna(base) or math.isnan(offset):
                report.reject(f"segment {i} point {j}", "path point without position or time offset")
                continue
            rows.append({"time": base + pd.Timedelta(minutes=offset), "lat": lat, "lon": lon,
                         "accuracy_m": math.nan})
    frame = _frame(rows, "location_points").sort_values("time", kind="stable")
    return report.finish(frame, kind="location_points", fmt="google-timeline-ios")


register_format(ExportFormat(
    id="google-timeline-ios", kind="visits", holder="Google",
    title="Google Maps on-device export from iOS (location-history.json array)",
    sniff=_sniff_timeline_ios, read=read_google_ios_visits,
    other_kinds={"trips": read_google_ios_trips, "location_points": read_google_ios_points}))
