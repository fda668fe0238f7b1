"""GPS tracks: GPX 1.0/1.1 (gpxpy; Garmin, Strava, Komoot, GPSLogger, Arc) and Garmin TCX.

Primary kind ``location_points`` (one row per track point, with ``track`` and ``segment``); kind
``trips`` gives one trip per track segment (straight start/end, distance along the points, mode from
the track ``type`` or the TCX ``Sport`` when given).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import ExportFormat, ImportReport, decode_text, register_format
from selfdata_lib.geo import path_steps_m

_TYPE_MODES = {
    "cycling": "bike",
    "biking": "bike",
    "ride": "bike",
    "bike": "bike",
    "ebikeride": "bike",
    "running": "walk",
    "run": "walk",
    "walking": "walk",
    "walk": "walk",
    "hiking": "walk",
    "hike": "walk",
    "driving": "car",
    "car": "car",
    "motorcycling": "car",
    "bus": "bus",
    "train": "train",
    "tram": "tram",
    "1": "bike",
    "9": "walk",
}


def _mode(kind: str | None) -> str:
    return _TYPE_MODES.get(str(kind or "").strip().lower(), "unknown")


def _sniff_gpx(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("<") and "<gpx" in text[:3000]


def _sniff_tcx(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("<") and "<TrainingCenterDatabase" in text[:3000]


def _points_from_gpx(path: Path) -> tuple[pd.DataFrame, ImportReport]:
    import gpxpy
    import gpxpy.gpx

    report = ImportReport(path)
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            gpx = gpxpy.parse(fh)
    except (
        gpxpy.gpx.GPXException,
        ValueError,
        TypeError,
        AttributeError,
        LookupError,
    ) as exc:  # gpxpy raises several
        msg = f"{path.name}: fichier GPX illisible ({exc}) ; attendu : <gpx><trk><trkseg><trkpt lat lon>"
        raise ExportFormatError(msg) from exc
    rows = []
    for ti, track in enumerate(gpx.tracks):
        for si, seg in enumerate(track.segments):
            for pi, pt in enumerate(seg.points):
                report.rows_read += 1
                if pt.time is None:
                    report.reject(f"trace {ti} segment {si} point {pi}", "point de trace sans <time>")
                    continue
                rows.append(
                    {
                        "time": pt.time,
                        "lat": pt.latitude,
                        "lon": pt.longitude,
                        "accuracy_m": pt.horizontal_dilution * 5 if pt.horizontal_dilution else math.nan,
                        "elevation_m": pt.elevation,
                        "track": ti,
                        "segment": si,
                        "track_type": track.type or "",
                        "track_name": track.name or "",
                    }
                )
    for ri, route in enumerate(gpx.routes):
        n = len(route.points)
        if n:
            report.rows_read += n
            report.reject(
                f"itinéraire {ri}", "point d'itinéraire (un trajet prévu, pas une trace enregistrée)", count=n
            )
    return _tidy_points(rows, report), report


def _tidy_points(rows: list[dict], report: ImportReport) -> pd.DataFrame:
    cols = ["time", "lat", "lon", "accuracy_m", "elevation_m", "track", "segment", "track_type", "track_name"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["time"] = pd.to_datetime(frame["time"], utc=True, errors="coerce", format="ISO8601")
    bad = frame["time"].isna() | ~frame["lat"].between(-90, 90) | ~frame["lon"].between(-180, 180)
    if bad.any():
        report.reject("points de trace", "heure illisible ou position hors limites", count=int(bad.sum()))
        frame = frame.loc[~bad]
    return frame


_TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def _points_from_tcx(path: Path) -> tuple[pd.DataFrame, ImportReport]:
    report = ImportReport(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        msg = f"{path.name}: ligne {exc.position[0]} : XML invalide ({exc}) ; attendu : un fichier Garmin TCX"
        raise ExportFormatError(msg) from exc
    except (LookupError, ValueError) as exc:  # an encoding Python does not know, declared in the prolog
        msg = f"{path.name}: XML illisible ({exc}) ; attendu : un fichier Garmin TCX en UTF-8"
        raise ExportFormatError(msg) from exc
    rows = []
    for ai, act in enumerate(root.iter(f"{_TCX}Activity")):
        sport = act.get("Sport", "")
        for si, track in enumerate(act.iter(f"{_TCX}Track")):
            for pi, tp in enumerate(track.iter(f"{_TCX}Trackpoint")):
                report.rows_read += 1
                t = tp.findtext(f"{_TCX}Time")
                lat = tp.findtext(f"{_TCX}Position/{_TCX}LatitudeDegrees")
                lon = tp.findtext(f"{_TCX}Position/{_TCX}LongitudeDegrees")
                if t is None or lat is None or lon is None:
                    report.reject(
                        f"activité {ai} trace {si} point {pi}",
                        "point de trace sans heure ni position (à l'intérieur ou en pause)",
                    )
                    continue
                ele = tp.findtext(f"{_TCX}AltitudeMeters")
                try:
                    lat_f, lon_f = float(lat), float(lon)
                    ele_f = float(ele) if ele else math.nan
                except ValueError:
                    report.reject(f"activité {ai} trace {si} point {pi}", "position qui n'est pas un nombre")
                    continue
                rows.append(
                    {
                        "time": t,
                        "lat": lat_f,
                        "lon": lon_f,
                        "accuracy_m": math.nan,
                        "elevation_m": ele_f,
                        "track": ai,
                        "segment": si,
                        "track_type": sport,
                        "track_name": "",
                    }
                )
    return _tidy_points(rows, report), report


def _trips(points: pd.DataFrame, report: ImportReport, fmt: str) -> pd.DataFrame:
    rows = []
    trip_report = ImportReport(report.path)
    for (track, seg), grp in points.groupby(["track", "segment"], sort=True):
        trip_report.rows_read += 1
        grp = grp.sort_values("time")
        if len(grp) < 2:
            trip_report.reject(f"trace {track} segment {seg}", "segment de moins de deux points horodatés")
            continue
        dist = float(path_steps_m(grp["lat"].to_numpy(float), grp["lon"].to_numpy(float)).sum())
        rows.append(
            {
                "start": grp["time"].iloc[0],
                "end": grp["time"].iloc[-1],
                "start_lat": grp["lat"].iloc[0],
                "start_lon": grp["lon"].iloc[0],
                "end_lat": grp["lat"].iloc[-1],
                "end_lon": grp["lon"].iloc[-1],
                "distance_m": dist,
                "mode": _mode(grp["track_type"].iloc[0]),
            }
        )
    cols = ["start", "end", "start_lat", "start_lon", "end_lat", "end_lon", "distance_m", "mode"]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    trip_report.notes.append(f"{report.rows_kept or len(points)} points de trace regroupés par segment")
    return trip_report.finish(frame, kind="trips", fmt=fmt)


def read_gpx(path: str | Path) -> pd.DataFrame:
    """Track points of a GPX file: ``time`` (UTC), ``lat``, ``lon``, ``accuracy_m``, ``elevation_m``…"""
    points, report = _points_from_gpx(Path(path))
    return report.finish(points, kind="location_points", fmt="gpx")


def read_gpx_trips(path: str | Path) -> pd.DataFrame:
    """One trip per GPX track segment."""
    points, report = _points_from_gpx(Path(path))
    return _trips(points, report, "gpx")


def read_tcx(path: str | Path) -> pd.DataFrame:
    """Track points of a Garmin TCX file."""
    points, report = _points_from_tcx(Path(path))
    return report.finish(points, kind="location_points", fmt="tcx")


def read_tcx_trips(path: str | Path) -> pd.DataFrame:
    """One trip per TCX activity track (mode from ``Sport``)."""
    points, report = _points_from_tcx(Path(path))
    return _trips(points, report, "tcx")


register_format(
    ExportFormat(
        id="gpx",
        kind="location_points",
        holder="GPS app or device",
        title="Trace GPX",
        sniff=_sniff_gpx,
        read=read_gpx,
        other_kinds={"trips": read_gpx_trips},
    )
)
register_format(
    ExportFormat(
        id="tcx",
        kind="location_points",
        holder="Garmin / sports app",
        title="Activité Garmin TCX",
        sniff=_sniff_tcx,
        read=read_tcx,
        other_kinds={"trips": read_tcx_trips},
    )
)
