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
from pandas._libs.tslibs.nattype import NaTType
from pandas.errors import OutOfBoundsDatetime

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    SCHEMAS,
    ExportFormat,
    ImportReport,
    as_dict,
    as_list,
    decode_text,
    load_json,
    register_format,
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
                report.reject(f"{place} {i}", "element of no known kind (" + " / ".join(known) + ")")
            continue
        report.rows_read += 1
        if not isinstance(inner, dict) or not inner:
            report.reject(f"{place} {i}", f"'{key}' is not an object")
            continue
        yield i, item, inner
    if others:
        report.notes.append(f"{others} elements of the file's other kinds, counted there")


def _sniff_semantic(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"timelineObjects"' in text[:2000]


_SEMANTIC_KEYS = ("placeVisit", "activitySegment")
_SEGMENT_KEYS = ("visit", "activity", "timelinePath", "timelineMemory")


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
            report.reject(f"record {i}", "place visit without coordinates or start time")
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
            report.reject(f"record {i}", "activity segment without start time or start location")
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
        title="Google Semantic Location History (Takeout)",
        sniff=_sniff_semantic,
        read=read_google_semantic_visits,
        other_kinds={"trips": read_google_semantic_trips},
    )
)


# --- Legacy Takeout Records.json -------------------------------------------------------------------


def _sniff_records(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return (
        text.startswith("{")
        and '"locations"' in text[:200]
        and ("latitudeE7" in text or '"locations": []' in text or '"locations":[]' in text)
    )


_LOCATIONS_START = re.compile(r'"locations"\s*:\s*\[')
_SEPARATORS = re.compile(r"[\s,]*")


_BOUNDARY = re.compile(r"\}\s*,\s*\{")
#: Where a top-level record begins (Takeout writes latitudeE7 first): resynchronising there does not
#: lose the record after a damaged one, and counting them tells how many a damaged stretch held.
_RECORD_START = re.compile(r',\s*\{\s*"latitudeE7"')
_RECORD_KEY = re.compile(r'\{\s*"latitudeE7"')
#: Stand-ins for what could not be decoded, so that it is counted (rejected, with its reason).
BROKEN = {"__broken__": "record that is not valid JSON (skipped to the next record)"}
TRUNCATED = {"__broken__": "the file ends in the middle of a record (download cut short?)"}


def _decode_prefix(buf: str, pos: int, err: int, out: list) -> bool:
    """Decode, in one call, the complete items of ``buf[pos:err]`` (those before an error at ``err``);
    ``out`` receives the batch and the position after it. ``False`` when none is complete.
    """
    prefix = buf.rfind("},", pos, err)
    while prefix > pos:
        try:
            batch = json.loads("[" + buf[pos : prefix + 1] + "]")
        except (ValueError, RecursionError):
            prefix = buf.rfind("},", pos, prefix)
            continue
        out += [batch, prefix + 1]
        return True
    return False


class _RecordStream:
    """The ``locations`` array of a Records.json read ``block_size`` characters at a time."""

    def __init__(self, fh: Any, path: Path, block_size: int) -> None:
        self.fh, self.block_size = fh, block_size
        self.buf, self.eof = fh.read(block_size), False
        m = _LOCATIONS_START.search(self.buf)
        if m is None:
            msg = f'{path.name}: pas de tableau "locations" au début du fichier ; attendu : le Records.json de Google Takeout'
            raise ExportFormatError(msg)
        self.pos = m.end()
        self.window = block_size  # the span decoded in one call: shrinks near damage, then regrows

    def refill(self) -> None:
        """Append a block after the unread part (which then starts the buffer)."""
        if self.eof:
            return
        more = self.fh.read(self.block_size)
        self.eof = not more
        self.buf = self.buf[self.pos :] + more
        self.pos = 0

    def window_batch(self) -> tuple[list[Any] | None, int | None]:
        """Decode the items up to the last ``},`` of the window in one call: the batch (position
        moved after it), or ``None`` and where the damage is (``None`` when no cut was found).
        """
        buf, pos = self.buf, self.pos
        cut = buf.rfind("},", pos, pos + self.window)
        for _ in range(6):  # cuts from the end backwards: one may fall inside a nested object
            if cut <= pos:
                break
            try:
                batch = json.loads("[" + buf[pos : cut + 1] + "]")
            except json.JSONDecodeError as exc:
                if exc.pos < cut + 1 - pos:  # an error inside the items, not just a bad cut
                    err = pos + max(exc.pos - 1, 0)
                    self.window = max(
                        1 << 12, (err - pos) // 2
                    )  # damage about this often: calls that miss it
                    return None, err
                cut = buf.rfind("},", pos, cut)
                continue
            except (ValueError, RecursionError):  # an absurd number or nesting inside: item by item
                return None, pos
            self.pos, self.window = cut + 1, min(self.window + self.window // 2, self.block_size)
            return batch, None
        return None, None

    def one_item(self) -> list[Any] | None:
        """The next item alone (the last of the array, or the one holding the error), decoded on a
        slice: a decoding error counts the lines of its whole document, which must stay small.
        """
        try:
            obj, end = json.JSONDecoder().raw_decode(
                self.buf[self.pos : self.pos + max(1 << 16, self.window)]
            )
        except (ValueError, RecursionError):
            return None
        self.pos += end
        return [obj]

    def skip_damage(self, err: int | None) -> list[Any]:
        """Skip to the next record after the damage: one :data:`BROKEN` per record begun in the
        skipped stretch, or :data:`TRUNCATED` when the file ends first.
        """
        start = max(err or self.pos, self.pos) - self.pos  # the damage, relative to the item's start

        def next_record() -> re.Match[str] | None:
            at = self.pos + max(start, 1)
            return _RECORD_START.search(self.buf, at) or _BOUNDARY.search(self.buf, at)

        nxt = next_record()
        while nxt is None and not self.eof:
            self.refill()
            nxt = next_record()
        if nxt is None:
            self.pos = len(self.buf)
            return [TRUNCATED if not self.buf.rstrip().endswith("]}") else BROKEN]
        skipped = self.buf[self.pos : nxt.start() + 1]  # every record begun in the skipped stretch is counted
        pos = nxt.end() - 1
        while self.buf[pos] != "{":
            pos -= 1
        self.pos = pos
        return [BROKEN] * max(1, len(_RECORD_KEY.findall(skipped)))


def iter_record_batches(path: Path, *, block_size: int = 1 << 22) -> Iterator[list[Any]]:
    """Yield the items of the ``locations`` array of a Records.json, a batch at a time, in linear time.

    Reads ``block_size`` characters at a time and decodes everything up to the last complete item in
    one call of the C JSON decoder. A malformed record does not stop the file: the items before it are
    decoded in one call, the broken one is yielded as :data:`BROKEN` (the reader rejects it with its
    reason) and decoding resumes at the next ``}, {`` boundary — so a file with damaged records costs
    about what a clean one does, and memory stays at about two blocks whatever the size of the file.
    """
    with open(path, encoding="utf-8-sig", errors="strict") as fh:
        stream = _RecordStream(fh, path, block_size)
        while True:
            separators = _SEPARATORS.match(stream.buf, stream.pos)
            assert separators is not None  # [\s,]* matches, if only the empty string
            stream.pos = separators.end()
            if len(stream.buf) - stream.pos < block_size // 2 and not stream.eof:
                stream.refill()
                continue
            if stream.pos >= len(stream.buf):
                yield [TRUNCATED]  # no closing "]": the file stops here
                return
            if stream.buf[stream.pos] == "]":
                return
            batch, err = stream.window_batch()
            if batch is not None:
                yield batch
                continue
            out: list[Any] = []  # what _decode_prefix decodes: the batch and the position after it
            if err is not None and err > stream.pos and _decode_prefix(stream.buf, stream.pos, err, out):
                yield out[0]
                stream.pos = out[1]
                continue
            item = stream.one_item()
            if item is not None:
                yield item
                continue
            broken = stream.skip_damage(err)
            yield broken
            if broken == [TRUNCATED] or stream.pos >= len(stream.buf):
                return


def _records_chunk(
    batch: list[Any], first_index: int, report: ImportReport, broken_at: list[int] | None = None
) -> pd.DataFrame:
    """Columns of a batch of Records points; points missing coordinates or time are rejected, and so
    are the stand-ins of damaged records at ``broken_at`` (positions in the batch).
    """
    nan = math.nan
    try:
        sources = [r.get("source", "") for r in batch]
        dicts = batch
    except AttributeError:  # an item that is not an object: treat it as an empty one (rejected)
        dicts = [r if isinstance(r, dict) else {} for r in batch]
        sources = [r.get("source", "") for r in dicts]
    if not all(isinstance(s, str) for s in sources):
        sources = [s if isinstance(s, str) else "" for s in sources]

    def column(key: str) -> np.ndarray:
        values = [r.get(key, nan) for r in dicts]
        try:
            return np.array(values, dtype=float)
        except (TypeError, ValueError):  # a string or null somewhere: the slow, forgiving path
            return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)

    broken = np.zeros(len(dicts), dtype=bool)
    broken[broken_at or []] = True
    if broken.any():  # what could not be decoded: rejected with its reason, not mistaken for a point
        for reason in {r["__broken__"] for r in dicts if "__broken__" in r}:
            report.reject_positions(
                np.flatnonzero([r.get("__broken__") == reason for r in dicts]),
                reason,
                where=lambda i: f"record {first_index + i}",
            )
        dicts = [r for r in dicts if "__broken__" not in r]
        sources = [s for s, b in zip(sources, broken, strict=True) if not b]
        first_index_map = np.flatnonzero(~broken)
    else:
        first_index_map = None
    lat, lon, acc = column("latitudeE7"), column("longitudeE7"), column("accuracy")
    iso = pd.Series([t if isinstance(t := r.get("timestamp"), str) else None for r in dicts], dtype=object)
    time = pd.to_datetime(iso, utc=True, errors="coerce", format="ISO8601")
    has_ms = [r.get("timestampMs") for r in dicts]
    if has_ms.count(None) != len(has_ms):  # older exports: milliseconds since the epoch, as text
        ms = pd.to_numeric(pd.Series(has_ms, dtype=object), errors="coerce")
        ms = ms.where(ms.abs() < 9e15)  # beyond the years 1677–2262: not a time
        time = time.fillna(pd.to_datetime(ms, unit="ms", utc=True, errors="coerce"))
    frame = pd.DataFrame(
        {
            "time": time,
            "lat": lat / 1e7,
            "lon": lon / 1e7,
            "accuracy_m": acc,
            "source": pd.Series(sources, dtype="category"),
        }
    )
    no_xy = np.isnan(lat) | np.isnan(lon)
    no_t = ~no_xy & iso.isna().to_numpy() & np.array([v is None for v in has_ms], dtype=bool)
    bad_t = ~no_xy & ~no_t & time.isna().to_numpy()
    out_of_range = ~no_xy & ~(frame["lat"].between(-90, 90) & frame["lon"].between(-180, 180)).to_numpy()
    for mask, reason in (
        (no_xy, "point without latitudeE7/longitudeE7"),
        (no_t, "point without timestamp"),
        (bad_t, "unreadable timestamp"),
        (out_of_range & ~bad_t & ~no_t, "coordinates out of range"),
    ):
        report.reject_positions(
            np.flatnonzero(mask),
            reason,
            where=lambda i: (
                f"record {first_index + (i if first_index_map is None else int(first_index_map[i]))}"
            ),
        )
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
    broken_at: list[int] = []
    try:
        for items in iter_record_batches(path):
            if items and (
                items[0] is BROKEN or items[0] is TRUNCATED
            ):  # stand-ins come in lists of their own
                broken_at += range(len(batch), len(batch) + len(items))
            batch.extend(items)
            if len(batch) >= chunk_size:
                chunks.append(_records_chunk(batch, report.rows_read, report, broken_at))
                report.rows_read += len(batch)
                batch, broken_at = [], []
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: pas du texte UTF-8 ; le Records.json de Google Takeout est du JSON en UTF-8"
        raise ExportFormatError(msg) from exc
    if batch or not chunks:
        chunks.append(_records_chunk(batch, report.rows_read, report, broken_at))
        report.rows_read += len(batch)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame["source"] = frame["source"].astype("category")
    if frame.empty and report.rows_read:
        top = "; ".join(f"{n} × {r}" for r, n in report.reasons.most_common(2))
        msg = f"{path.name}: aucune position utilisable dans ce Records.json ({report.rows_read} lue(s) : {top})"
        raise ExportFormatError(msg)
    return report.finish(frame, kind="location_points", fmt="google-records")


register_format(
    ExportFormat(
        id="google-records",
        kind="location_points",
        holder="Google",
        title="Google Takeout Records.json (raw location history)",
        sniff=_sniff_records,
        read=read_google_records,
    )
)


# --- On-device Timeline.json (Android, 2024+) --------------------------------------------------------


def _number(value: Any, default: float = 0.0) -> float:
    """A JSON number (or number as text) as a finite float, ``default`` otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default


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
            report.reject(f"segment {i}", "visit without location or start time")
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
            report.reject(f"segment {i}", "activity without start location or time")
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
                report.reject(f"segment {i} point {j}", "path point without position or time")
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
            report.reject(f"raw signal {i}", "position without coordinates or time")
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
        title="Google Maps on-device Timeline.json (Android)",
        sniff=_sniff_timeline_device,
        read=read_google_timeline_visits,
        other_kinds={"trips": read_google_timeline_trips, "location_points": read_google_timeline_points},
    )
)


# --- iOS on-device export (a top-level array of segments) --------------------------------------------
# ``[{"startTime", "endTime", "visit": {"topCandidate": {"placeLocation": "geo:lat,lon",
# "semanticType": "Home", "placeID"}}} | {"activity": {"start": "geo:…", "end": "geo:…",
# "topCandidate": {"type": "walking"}, "distanceMeters": "812.0"}} | {"timelinePath": [{"point": "geo:…",
# "durationMinutesOffsetFromStartTime": "4"}]} | {"timelineMemory": …}]``; numbers are strings.

_IOS_KEYS = ('"visit"', '"activity"', '"timelinePath"', '"timelineMemory"')


def _sniff_timeline_ios(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("[") and '"startTime"' in text[:2000] and any(k in text[:4000] for k in _IOS_KEYS)


def _load_ios(path: Path) -> list[Any]:
    data = load_json(path, "le fichier location-history.json exporté par Google Maps sur iOS")
    if not isinstance(data, list):
        msg = f"{path.name}: attendu : un tableau JSON de segments (location-history.json d'iOS)"
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
        for j, pt in enumerate(as_list(seg.get("timelinePath"))):
            report.rows_read += 1
            pt = as_dict(pt)
            lat, lon = _parse_latlng(pt.get("point"))
            offset = _number(pt.get("durationMinutesOffsetFromStartTime"), math.nan)
            if not -1e6 < offset < 1e6:  # a path point within two years of its segment's start
                offset = math.nan
            if math.isnan(lat) or pd.isna(base) or math.isnan(offset):
                report.reject(f"segment {i} point {j}", "path point without position or time offset")
                continue
            rows.append(
                {"time": base + pd.Timedelta(minutes=offset), "lat": lat, "lon": lon, "accuracy_m": math.nan}
            )
    frame = _frame(rows, "location_points").sort_values("time", kind="stable")
    return report.finish(frame, kind="location_points", fmt="google-timeline-ios")


register_format(
    ExportFormat(
        id="google-timeline-ios",
        kind="visits",
        holder="Google",
        title="Google Maps on-device export from iOS (location-history.json array)",
        sniff=_sniff_timeline_ios,
        read=read_google_ios_visits,
        other_kinds={"trips": read_google_ios_trips, "location_points": read_google_ios_points},
    )
)
