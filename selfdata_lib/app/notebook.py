"""Helpers that use-case notebooks call: record headline results, show the personal files read and
the provenance of the open data.

``record(name, value)`` publishes a value as a display output with the MIME type
:data:`RECORD_MIME`; the runner (:mod:`selfdata_lib.app.runner`) reads those outputs back from the executed
notebook into ``results.json``, and the notebook tests assert on them. A value that could not be
computed is recorded as ``None`` with its ``reason``; a value outside the plausible range the card
declares (``results:`` block) — or given a ``warning`` — is shown with the warning next to it, in the
notebook and in ``results.json``. The same goes for the files imported (:func:`show_import`,
:data:`INPUTS_MIME`) and provenance (:data:`PROVENANCE_MIME`). Nothing is written to disk by these
helpers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.results import Result, import_doubts

RECORD_MIME = "application/vnd.selfdata.record+json"
PROVENANCE_MIME = "application/vnd.selfdata.provenance+json"
INPUTS_MIME = "application/vnd.selfdata.inputs+json"
READING_MIME = "application/vnd.selfdata.reading+json"
HIDDEN_MIMES = {RECORD_MIME, INPUTS_MIME, READING_MIME}  # no visual form: the report's header shows them
KIND_FR = {
    "electricity": "électricité",
    "gas": "gaz",
    "water": "eau",
    "location_points": "points",
    "visits": "lieux visités",
    "trips": "trajets",
    "bank": "opérations",
    "receipts": "achats",
    "household": "foyer",
    "address": "adresse",
    "requests": "demandes RGPD",
    "grades": "notes",
    "homework": "devoirs",
    "absences": "absences",
    "any": "",
}
NOTE_STYLE = {
    "info": "background:#e8f1fb;border-left:4px solid #1f6fb2",
    "warning": "background:#fff4e5;border-left:4px solid #e65100",
}


def to_jsonable(value: Any) -> Any:
    """Turn numpy / pandas / datetime values into plain JSON types (NaN becomes ``None``)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, pd.Timedelta):
        return value.total_seconds()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [to_jsonable(v) for v in value]
    if value is pd.NaT:
        return None
    msg = f"cannot record a value of type {type(value).__name__}; use numbers, text, dates, lists or dicts"
    raise TypeError(msg)


def _display(bundle: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    display(bundle, raw=True, metadata=metadata or {})


def _card_results() -> dict[str, dict[str, Any]]:
    """The ``results:`` block of the card of the running notebook: the runner names the card in
    ``SELFDATA_CARD``; a notebook opened by hand finds ``use_case.yaml`` in its own folder.
    """
    import os

    path = os.environ.get("SELFDATA_CARD") or ("use_case.yaml" if Path("use_case.yaml").is_file() else "")
    if not path:
        return {}
    return _read_card_results(str(Path(path).resolve()))


@lru_cache(maxsize=8)
def _read_card_results(path: str) -> dict[str, dict[str, Any]]:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    results = data.get("results") if isinstance(data, dict) else None
    return results if isinstance(results, dict) else {}


def _spec(name: str) -> Mapping[str, Any] | None:
    from selfdata_lib.app.display import spec_for

    return spec_for(name, _card_results())


def bounds_warning(name: str, value: Any, spec: Mapping[str, Any] | None) -> str | None:
    """A French warning when a numeric ``value`` lies outside the card's plausible range for ``name``."""
    if not spec or not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    lo, hi = spec.get("min"), spec.get("max")
    if (lo is None or value >= lo) and (hi is None or value <= hi):
        return None
    from selfdata_lib.app.display import Display

    shown = Display.of(name, {**spec, "format": spec.get("format") or "number", "digits": None})
    span = (
        f"entre {shown.text(lo)} et {shown.text(hi)}"
        if lo is not None and hi is not None
        else f"au moins {shown.text(lo)}"
        if lo is not None
        else f"au plus {shown.text(hi)}"
    )
    why = f" ({spec['why']})" if spec.get("why") else ""
    return (
        f"valeur invraisemblable : on attend {span}{why}. Vérifiez l'unité et la période de l'export, "
        "et les paramètres : ce chiffre n'est pas fiable tel quel."
    )


def note(message: str | None, *, warning: bool = False) -> None:
    """Show a short French note in the notebook (a warning in orange): a missing piece of open data,
    an approximation, what to do about it. Nothing when ``message`` is empty.
    """
    if not message:
        return
    style = NOTE_STYLE["warning" if warning else "info"]
    icon = "⚠ " if warning else ""
    _display(
        {
            "text/html": f"<div style='{style};padding:.5em .8em;margin:.4em 0'>{icon}{html.escape(message)}</div>",
            "text/plain": f"{icon}{message}",
        }
    )


_UNSET: Any = object()


def record(
    name: str | Result,
    value: Any = _UNSET,
    *,
    show: bool = False,
    reason: str | None = None,
    warning: str | list[str] | tuple[str, ...] | None = None,
) -> Any:
    """Record a headline result of the notebook under ``name`` — or every headline figure of a
    result of the library (``record(result)``: each :class:`~selfdata_lib.results.Figure` with its
    reason and warnings).

    The runner collects every recorded value into ``results.json``; recording the same name twice
    keeps the last value. With ``show=True`` the value is also printed in the notebook.

    Parameters
    ----------
    reason
        Why the value is ``None`` (not computed): shown in the notebook and kept in ``results.json``.
    warning
        Why the value should not be trusted as is. A value outside the plausible range declared in
        the card's ``results:`` block gets a warning too. Either is shown next to the value.

    Returns
    -------
    The value, unchanged, so that ``x = record("x", compute())`` reads naturally.
    """
    if isinstance(name, Result) and value is _UNSET:
        for remark in name.notes():
            note(remark)
        for key, fig in name.figures().items():
            record(key, fig.value, reason=fig.reason, warning=list(fig.warnings) or None)
        return name
    if value is _UNSET:
        msg = f"record() needs a name and a value, or a result of the library; got {name!r}"
        raise TypeError(msg)
    if not name or not isinstance(name, str):
        msg = f"record() needs a non-empty text name, got {name!r}"
        raise ValueError(msg)
    clean = to_jsonable(value)
    payload: dict[str, Any] = {"name": name, "value": clean}
    given = [warning] if isinstance(warning, str) else list(warning or [])
    warnings = [] if clean is None else [w for w in (*given, bounds_warning(name, clean, _spec(name))) if w]
    if warnings:
        payload["warnings"] = warnings
    if clean is None and reason:
        payload["reason"] = reason
    bundle: dict[str, Any] = {RECORD_MIME: payload}
    if show:
        bundle["text/plain"] = f"{name} = {payload['value']!r}"
    _display(bundle)
    if warnings or (clean is None and reason):
        from selfdata_lib.app.display import Display, spec_for

        shown = Display.of(name, spec_for(name, _card_results()))
        if warnings:
            note(f"{shown.label} : {shown.text(clean)} — {' '.join(warnings)}", warning=True)
        else:
            note(f"{shown.label} : {shown.text(None, reason)}")
    return value


@lru_cache(maxsize=256)
def _sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file (cached while the file is unchanged)."""
    st = Path(path).stat()
    return _sha256(str(Path(path).resolve()), st.st_size, st.st_mtime)


def is_project_sample(path: str | Path) -> bool:
    """Whether ``path`` is one of the project's generated samples (a persona's file)."""
    from selfdata_lib import settings

    try:
        Path(path).resolve().relative_to(settings.samples_folder.resolve())
    except ValueError:
        return False
    return True


def _period(frame: pd.DataFrame) -> tuple[Any, Any]:
    time_col = next((c for c in ("start", "time", "date") if c in frame.columns), None)
    if time_col is None or not len(frame):
        return None, None
    if "end" in frame.columns:  # intervals end where the next begins: the last instant covered is just before
        return to_jsonable(frame[time_col].min()), to_jsonable(frame["end"].max() - pd.Timedelta(seconds=1))
    return to_jsonable(frame[time_col].min()), to_jsonable(frame[time_col].max())


def input_entries(frame: Any) -> list[dict[str, Any]]:
    """What ``results.json`` says of the personal files behind a frame read by
    :mod:`selfdata_lib.exports` (one entry per file: a folder read with ``read_all`` gives several).
    """
    attrs = getattr(frame, "attrs", {}) or {}
    if "inputs" in attrs:  # an inventory of a folder (the map of my data) lists its files itself
        return [dict(e) for e in attrs["inputs"]]
    report = attrs.get("import_report")
    if not report:
        msg = "show_import() needs a frame read with selfdata_lib.exports (it carries an import report)"
        raise ValueError(msg)
    parts = report.get("files") or [
        dict(
            report,
            path=attrs.get("source_file"),
            format=attrs.get("format"),
            origin_path=attrs.get("origin_path"),
        )
    ]
    first, last = _period(frame) if len(parts) == 1 else (None, None)
    entries = []
    for part in parts:
        path = part.get("path") or attrs.get("source_file")
        origin = part.get("origin_path") or path
        entries.append(
            {
                "file": part.get("file"),
                "path": str(origin),
                "format": part.get("format"),
                "kinds": [attrs.get("kind")],
                "first": part.get("first", first),
                "last": part.get("last", last),
                "rows_read": part.get("rows_read"),
                "rows_kept": part.get("rows_kept"),
                "rows_rejected": part.get("rows_rejected"),
                "warnings": list(part.get("warnings", [])),
                "notes": list(part.get("notes", [])),
                "issues": list(part.get("issues", []))[:20],
                "sha256": file_sha256(path) if path and Path(path).is_file() else None,
                "sample": is_project_sample(origin) if origin else False,
            }
        )
    return entries


def format_title(fmt: Any) -> str:
    """The name people know a format by (« Enedis, courbe de charge (CSV) »), not its code."""
    if not fmt:
        return "non reconnu"
    from selfdata_lib.exports._base import FORMATS

    known = FORMATS.get(str(fmt))
    return known.title if known is not None else str(fmt)


def _count(value: Any) -> str:
    from selfdata_lib import fr

    return fr.number(value) if isinstance(value, (int, float)) else str(value)


def _detail(value: Any) -> str:
    """The offending value of a rejected row as shown: « valeur vide » for Python's ``None``, ``nan``."""
    text = str(value)
    return "valeur vide" if text in ("None", "nan", "NaN", "NaT", "''", '""') else text


def inputs_html(entries: list[dict[str, Any]]) -> str:
    """A small French table of the files read: period, rows, warnings, mine or the project's example."""
    rows = []
    for e in entries:
        badge = (
            "<span style='background:#fff1c2;border-radius:3px;padding:0 5px'>exemple du projet</span>"
            if e.get("sample")
            else "<span style='background:#d4f1dc;border-radius:3px;padding:0 5px'>mon fichier</span>"
        )
        period = ""
        if e.get("first"):
            period = f"du {_french_date(str(e['first']))} au {_french_date(str(e.get('last') or ''))}"
        warn = "".join(
            f"<div style='color:#b34700'>⚠ {html.escape(w)}</div>" for w in e.get("warnings") or []
        )
        notes = "".join(f"<div style='color:#5b6573'>{html.escape(n)}</div>" for n in e.get("notes") or [])
        issues = e.get("issues") or []
        if issues:
            listed = "".join(
                f"<li>{html.escape(str(i.get('where')))} : {html.escape(str(i.get('reason')))}"
                f"{' (' + html.escape(_detail(i['detail'])) + ')' if i.get('detail') else ''}</li>"
                for i in issues[:20]
            )
            more = " (les 20 premières)" if len(issues) >= 20 else ""
            warn += f"<details><summary>lignes écartées{more}</summary><ul>{listed}</ul></details>"
        warn = notes + warn
        by_kind = e.get("by_kind") or {k: e for k in (e.get("kinds") or [""])}
        fmt_name = format_title(e.get("format"))
        for i, (kind, c) in enumerate(by_kind.items()):
            name = f"{badge} <b>{html.escape(str(e.get('file')))}</b>{warn}" if i == 0 else ""
            counts = "".join(
                f"<td style='text-align:right'>{'—' if c.get(k) is None else _count(c.get(k))}</td>"
                for k in ("rows_read", "rows_kept", "rows_rejected")
            )
            rows.append(
                f"<tr><td>{name}</td><td>{html.escape(fmt_name if i == 0 else '')}</td>"
                f"<td>{html.escape(KIND_FR.get(kind, kind))}</td><td>{html.escape(period if i == 0 else '')}</td>"
                f"{counts}</tr>"
            )
    head = (
        "<tr><th>fichier</th><th>format</th><th>données</th><th>période</th><th>lues</th><th>gardées</th>"
        "<th>écartées</th></tr>"
    )
    return f"<table class='selfdata-inputs'>{head}{''.join(rows)}</table>"


def record_inputs(*frames: Any) -> list[dict[str, Any]]:
    """Record the files behind ``frames`` for ``results.json`` without showing them again (when the
    notebook shows its own table of them, as the map of my data does).
    """
    entries = [e for f in frames if f is not None for e in input_entries(f)]
    if entries:
        _display({INPUTS_MIME: to_jsonable(entries)})
    return entries


def show_import(*frames: Any) -> None:
    """Show what was read from my files (period, rows read, kept and rejected, warnings) and record
    it for the run's ``results.json`` (``inputs``: format, period, counts, sha256, sample or not).
    Returns nothing, so that it can end a cell without printing anything more.
    """
    entries = [e for f in frames if f is not None for e in input_entries(f)]
    if entries:
        text = "\n".join(
            f"{e['file']} ({e['format']}): lues {e['rows_read']}, gardées {e['rows_kept']}, "
            f"écartées {e['rows_rejected']}"
            for e in entries
        )
        _display({INPUTS_MIME: to_jsonable(entries), "text/html": inputs_html(entries), "text/plain": text})


def import_warning(*frames: Any) -> list[str] | None:
    """The import warnings of the files behind ``frames`` (``None`` when sound): pass them to
    :func:`record` for the figures computed from those files.
    """
    return list(import_doubts(*frames)) or None


def show_reading(text: str) -> None:
    """Show the French reading of the results (computed by the library from them) as a paragraph, and
    record it: its headline (:class:`~selfdata_lib.results.Reading`) opens the report and the gallery
    card. A plain text is its own headline.
    """
    headline = getattr(text, "headline", None) or str(text)
    _display({READING_MIME: {"headline": headline, "text": str(text)}})
    _display({"text/markdown": f"**Lecture.** {text}", "text/plain": f"Lecture. {text}"})


def record_all(
    values: Mapping[str, Any] | None,
    *,
    names: list[str] | None = None,
    reason: str | None = None,
    warning: str | list[str] | None = None,
) -> None:
    """:func:`record` every item of ``values``; when ``values`` is ``None``, record each of ``names`` as
    ``None`` with the ``reason``.
    """
    if values is None:
        for name in names or []:
            record(name, None, reason=reason)
        return
    for name, value in values.items():
        record(name, value, warning=warning)


def provenance_of(obj: Any) -> dict[str, Any]:
    """Provenance dict of a loaded open-data frame (or a provenance dict itself)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    attrs = getattr(obj, "attrs", None)
    if attrs and "provenance" in attrs:
        return dict(attrs["provenance"])
    msg = "this object carries no provenance; load it with a selfdata_lib.opendata loader"
    raise ValueError(msg)


ORIGIN_FR = {
    "sample": "échantillon écrit par le projet",
    "snapshot": "instantané téléchargé",
    "cache": "copie locale (cache)",
    "live": "téléchargé à l'instant",
    "file": "fichier donné",
}


def _french_date(value: Any) -> Any:
    """``2025-03-18`` → ``18 mars 2025`` (other values as they are)."""
    from selfdata_lib import fr

    try:
        return fr.date(value) if value else value
    except (ValueError, TypeError):
        return value


def provenance_html(prov: Mapping[str, Any]) -> str:
    """A small HTML card describing where a dataset comes from."""
    sample = prov.get("sample")
    badge = (
        "<span style='background:#f6c343;border-radius:3px;padding:1px 6px'>échantillon du projet</span>"
        if sample
        else "<span style='background:#8fd19e;border-radius:3px;padding:1px 6px'>données réelles</span>"
    )
    rows = [
        ("Jeu de données", prov.get("title") or prov.get("dataset")),
        ("Producteur", prov.get("source")),
        ("Adresse", prov.get("url")),
        ("Licence", prov.get("licence")),
        ("Récupéré le", _french_date(prov.get("retrieved"))),
        ("Lu depuis", ORIGIN_FR.get(str(prov.get("origin")), prov.get("origin"))),
    ]
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
        if v
    )
    return f"<div class='selfdata-provenance'>{badge}<table>{cells}</table></div>"


def show_provenance(*objs: Any) -> None:
    """Show where each open-data frame comes from, and record it for the run's ``results.json``
    (``None`` — an optional dataset not found — is skipped). Returns nothing, so that it can end a
    cell without printing anything more.
    """
    provs = [provenance_of(o) for o in objs if o is not None]
    for prov in provs:
        clean = to_jsonable(prov)
        _display(
            {
                PROVENANCE_MIME: clean,
                "text/html": provenance_html(clean),
                "text/plain": json.dumps(clean, ensure_ascii=False),
            }
        )


def read_records(nb: Any) -> dict[str, Any]:
    """What an executed notebook (``nbformat`` node) recorded: ``results`` (last value of each name),
    ``warnings`` (a list of French messages) and ``missing`` (the reason) by name, ``provenance`` (unique) and ``inputs`` (one entry
    per file, the kinds read from it merged).
    """
    results: dict[str, Any] = {}
    reading: dict[str, str] = {}
    warnings: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    provenance: list[dict[str, Any]] = []
    inputs: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if RECORD_MIME in data:
                rec = data[RECORD_MIME]
                results[rec["name"]] = rec["value"]
                warnings.pop(rec["name"], None)
                missing.pop(rec["name"], None)
                if rec.get("warnings"):
                    warnings[rec["name"]] = list(rec["warnings"])
                if rec.get("reason"):
                    missing[rec["name"]] = rec["reason"]
            if READING_MIME in data:
                reading = dict(data[READING_MIME])
            if PROVENANCE_MIME in data:
                prov = data[PROVENANCE_MIME]
                key = json.dumps(prov, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    provenance.append(prov)
            for entry in data.get(INPUTS_MIME, []):
                key = entry.get("path") or entry.get("file")
                counts = entry.get("by_kind") or {
                    k: {
                        "rows_read": entry.get("rows_read"),
                        "rows_kept": entry.get("rows_kept"),
                        "rows_rejected": entry.get("rows_rejected"),
                    }
                    for k in entry.get("kinds") or []
                }
                if key in inputs:  # another kind read from the same file (visits, then trips…)
                    known = inputs[key]
                    known["kinds"] = sorted(set(known["kinds"]) | set(entry.get("kinds") or []))
                    known["by_kind"].update(counts)
                    known["warnings"] = list(dict.fromkeys(known["warnings"] + (entry.get("warnings") or [])))
                else:
                    inputs[key] = dict(
                        entry,
                        kinds=list(entry.get("kinds") or []),
                        by_kind=counts,
                        warnings=list(entry.get("warnings") or []),
                    )
    return {
        "results": results,
        "warnings": warnings,
        "missing": missing,
        "provenance": provenance,
        "inputs": list(inputs.values()),
        "reading": reading,
    }


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _cell_text(value: Any) -> str:
    """One table cell in French: numbers with a decimal comma, dates in words, codes translated."""
    from selfdata_lib import fr

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "oui" if value else "non"
    if isinstance(value, (int, np.integer)):
        return fr.number(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        digits = 0 if abs(v) >= 100 or v.is_integer() else 1 if abs(v) >= 10 else 2
        return fr.number(v, digits)
    if isinstance(value, pd.Timestamp):
        value = fr.on_local_clock(value)  # an instant in UTC: its day and hour in Paris
        return fr.date(value) if (value.hour, value.minute) == (0, 0) else f"{fr.date(value)} {value:%H:%M}"
    if isinstance(value, (dt.date, dt.datetime)):
        return fr.date(value)
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(fr.word(v) for v in value)
    if isinstance(value, str) and _ISO_DAY.match(value):
        return fr.date(value)
    return fr.word(value)


def french_table(table: Any) -> pd.DataFrame:
    """A frame, series or mapping as a table a citizen reads: French column and row names (codes
    through :func:`selfdata_lib.fr.word`), every cell written in French, no bare 0, 1, 2… index.
    """
    from selfdata_lib import fr

    if isinstance(table, Mapping):
        table = pd.Series(dict(table))
    if isinstance(table, pd.Series):
        name = fr.word(table.name) if table.name is not None else "valeur"
        table = table.to_frame(name)
    frame = table.copy()
    frame.columns = [
        " · ".join(fr.word(c) for c in col) if isinstance(col, tuple) else fr.word(col)
        for col in frame.columns
    ]
    if isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    else:
        frame.index = [_cell_text(i) for i in frame.index]
    return frame.map(_cell_text)


def show_table(table: Any, *, caption: str | None = None) -> None:
    """Show a frame (or series, or mapping) with French names and French numbers, no bare index; a
    text (why there is no table) is shown as a note.
    """
    if table is None:  # nothing to show (the reason was noted with the figures)
        return
    if isinstance(table, str):
        note(table)
        return
    frame = french_table(table)
    hide_index = all(isinstance(i, int) for i in frame.index)
    styler = frame.style
    if hide_index:
        styler = styler.hide(axis="index")
    if caption:
        styler = styler.set_caption(caption)
    body = styler.set_table_attributes("class='sd-table'").to_html()
    _display({"text/html": body, "text/plain": frame.to_string(index=not hide_index)})
