"""The on-device ``location-history.json`` exported by Google Maps on iOS: a top-level array of
segments whose numbers are strings.
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
from selfdata_lib.exports.google._common import _frame, _number, parse_google_time
from selfdata_lib.exports.google.timeline import _parse_latlng, _segment_trips, _segment_visits

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
                report.reject(f"segment {i} point {j}", "point de parcours sans position ni décalage horaire")
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
        title="Google Maps, export du téléphone iOS (location-history.json)",
        sniff=_sniff_timeline_ios,
        read=read_google_ios_visits,
        other_kinds={"trips": read_google_ios_trips, "location_points": read_google_ios_points},
    )
)
