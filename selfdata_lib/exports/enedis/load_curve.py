"""Enedis Linky exports: the customer-space / SGE "historique de mesures" load-curve CSV.

Layout (UTF-8 with BOM, ``;``)::

    Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;...;Unite;Pas en minutes
    <PRM>;Courbe de charge;20/10/2020;02/02/2022;Energie active;Consommation;Comptage Brut;W;<step or empty>
    Horodate;Valeur
    2022-02-01T23:30:00+01:00;452

Values are the *average power in W* over the interval that *ends* at ``Horodate``. The step is not
always given and changes inside a file (60 min, then 30 min); it is inferred from consecutive
timestamps, and a gap (missing intervals) is not taken for a step.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    decode_text,
    register_format,
)
from selfdata_lib.exports.enedis._common import (
    _META_HEADER,
    SNIFF,
    TZ,
    _is_utf8,
    infer_steps,
)


def _sniff_load_curve(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return len(lines) >= 2 and lines[0].startswith(_META_HEADER) and ";Courbe de charge;" in lines[1]


def _load_curve_header(path: Path, raw: bytes) -> tuple[str, list[bytes], str, float | None]:
    """The encoding, the file split after its three header lines, the unit (``W``, ``kW`` or ``""``
    when not declared) and the declared interval length of a « Courbe de charge » CSV.
    """
    if raw[:3] == b"\xef\xbb\xbf":
        raw, encoding = raw[3:], "utf-8"
    else:
        encoding = "utf-8" if _is_utf8(raw[:SNIFF]) else "latin-1"
    head = raw.split(b"\n", 3)
    lines = [ln.decode(encoding, errors="replace").rstrip("\r") for ln in head[:3]]
    if len(head) < 3 or not lines[0].startswith(_META_HEADER):
        msg = (
            f"{path.name}: ligne 1 : un export Enedis commence par « {_META_HEADER} », trouvé "
            f"{lines[0][:60]!r}"
            if raw.strip()
            else f"{path.name}: le fichier est vide"
        )
        raise ExportFormatError(msg)
    meta = lines[1].split(";")
    if len(meta) < 2 or meta[1] != "Courbe de charge":
        msg = (
            f"{path.name}: ligne 2 : le deuxième champ devrait dire « Courbe de charge », trouvé "
            f"{(meta[1] if len(meta) > 1 else lines[1])!r}. Est-ce plutôt l'export « Index » ?"
        )
        raise ExportFormatError(msg)
    unit = meta[7].strip() if len(meta) > 7 else ""  # empty in the SGE C4 layout ("…;Comptage Brut;;")
    if unit not in ("W", "kW", ""):
        msg = f"{path.name}: ligne 2 : l'unité {unit!r} n'est pas celle d'une courbe de charge (W ou kW)"
        raise ExportFormatError(msg)
    declared = meta[8].strip() if len(meta) > 8 else ""
    try:
        declared_min = float(declared) if declared else None
    except ValueError:
        declared_min = None
    if lines[2].split(";")[:2] != ["Horodate", "Valeur"]:
        msg = (
            f"{path.name}: ligne 3 : une courbe de charge Enedis y a l'en-tête « Horodate;Valeur », "
            f"trouvé {lines[2]!r}"
        )
        raise ExportFormatError(msg)
    return encoding, head, unit, declared_min


def _load_curve_rows(body: bytes, encoding: str, report: ImportReport) -> pd.DataFrame:
    """``ts`` and ``value`` of each data line (C parser; a forgiving split for odd files)."""
    body_lines = body.split(b"\n")
    report.rows_read = len(body_lines) - body_lines.count(b"") - body_lines.count(b"\r")
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            sep=";",
            header=None,
            names=["ts", "value"],
            usecols=[0, 1],
            dtype={"ts": object},
            skip_blank_lines=True,
            on_bad_lines="skip",
            engine="c",
            encoding=encoding,
            keep_default_na=False,
            na_values={"value": [""]},
        )
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError):  # odd files: the slow, forgiving way
        rows = [
            ln.decode(encoding, errors="replace").rstrip("\r").split(";") for ln in body_lines if ln.strip()
        ]
        frame = pd.DataFrame([r[:2] for r in rows if len(r) >= 2], columns=["ts", "value"], dtype=object)
        frame["value"] = frame["value"].where(frame["value"].str.strip() != "", None)
    skipped = report.rows_read - len(frame)
    if skipped:
        report.reject("lignes 4 et suivantes", "ligne mal formée (mauvais nombre de champs)", count=skipped)
    return frame


def _data_line(i: int) -> str:
    """Where data row ``i`` is: lines 4+ (exact unless blank or malformed lines came first)."""
    return f"ligne {i + 4}"


def _load_curve_times(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Rows with a readable, first-seen timestamp ``end``, in time order (the others rejected)."""
    ends = pd.to_datetime(frame["ts"], errors="coerce", utc=True, format="ISO8601")
    bad_ts = ends.isna()
    report.reject_positions(
        frame.index[bad_ts],
        "horodatage illisible",
        where=_data_line,
        detail=lambda i: repr(frame.at[i, "ts"]),
    )
    frame = frame.assign(end=ends)
    if bad_ts.any():
        frame = frame.loc[~bad_ts]
    dup = frame["end"].duplicated(keep="first")
    if dup.any():
        report.reject_positions(frame.index[dup], "horodatage en double", where=_data_line)
        frame = frame.loc[~dup]
    if not frame["end"].is_monotonic_increasing:
        frame = frame.sort_values("end", kind="stable")
    return frame


def _load_curve_values(frame: pd.DataFrame, report: ImportReport) -> pd.Series:
    """The values as numbers (decimal commas read); empty and unreadable ones rejected, left NaN."""
    raw_values = frame["value"]
    if pd.api.types.is_numeric_dtype(raw_values):  # fast path: every value a number or empty
        values = raw_values.astype(float)
        empty = values.isna().to_numpy()
    else:  # some text: decimal commas, stray characters
        text = raw_values.astype("string").str.strip()
        values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        empty = (text.isna() | (text == "")).to_numpy()
    missing = values.isna().to_numpy()
    report.reject_positions(
        frame.index[missing & empty], "pas de valeur (mesure manquante chez Enedis)", where=_data_line
    )
    report.reject_positions(
        frame.index[missing & ~empty],
        "valeur qui n'est pas un nombre",
        where=_data_line,
        detail=lambda i: repr(frame.at[i, "value"]),
    )
    return values


def read_enedis_load_curve(path: str | Path) -> pd.DataFrame:
    """Read an Enedis "Courbe de charge" CSV into one row per metering interval.

    Returns
    -------
    Frame with ``start``, ``end`` (Europe/Paris), ``kwh`` and ``power_w``; rows with an empty value
    (missing measurement) or an unreadable timestamp are counted as rejected in
    ``attrs["import_report"]``.
    """
    path = Path(path)
    encoding, head, unit, declared_min = _load_curve_header(path, path.read_bytes())
    report = ImportReport(path)
    frame = _load_curve_times(_load_curve_rows(head[3] if len(head) > 3 else b"", encoding, report), report)
    steps = infer_steps(frame["end"], declared_min)
    values = _load_curve_values(frame, report)
    keep = values.notna().to_numpy()
    end = frame["end"].dt.tz_convert(TZ)[keep]
    step_min = steps[keep]
    if not unit:  # declared nowhere: W, unless the values are too small to be watts
        positive = values[keep & (values.to_numpy() > 0)]
        unit = "kW" if len(positive) and float(positive.median()) < 20 else "W"
        report.notes.append(f"unité non indiquée à la ligne 2 : valeurs lues en {unit}")
    power = values.to_numpy()[keep] * (1000.0 if unit == "kW" else 1.0)
    out = pd.DataFrame(
        {
            "start": end - pd.to_timedelta(step_min, unit="min"),
            "end": end,
            "kwh": power * step_min / 60.0 / 1000.0,
            "power_w": power,
        }
    )
    if declared_min is None:
        report.notes.append("durée des intervalles déduite des horodatages successifs")
    return report.finish(out, kind="electricity", fmt="enedis-csv-load-curve")


register_format(
    ExportFormat(
        id="enedis-csv-load-curve",
        kind="electricity",
        holder="Enedis",
        title="Enedis Linky, courbe de charge CSV",
        sniff=_sniff_load_curve,
        read=read_enedis_load_curve,
    )
)
