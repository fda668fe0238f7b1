"""Helpers that use-case notebooks call: record headline results and show data provenance.

``record(name, value)`` publishes a value as a display output with the MIME type
:data:`RECORD_MIME`; the runner (:mod:`selfdata_lib.runner`) reads those outputs back from the executed
notebook into ``results.json``, and the notebook tests assert on them. The same goes for provenance
(:data:`PROVENANCE_MIME`). Nothing is written to disk by these helpers.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

RECORD_MIME = "application/vnd.selfdata.record+json"
PROVENANCE_MIME = "application/vnd.selfdata.provenance+json"


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


def record(name: str, value: Any, *, show: bool = False) -> Any:
    """Record a headline result of the notebook under ``name``.

    The runner collects every recorded value into ``results.json``; recording the same name twice
    keeps the last value. With ``show=True`` the value is also printed in the notebook.

    Returns
    -------
    The value, unchanged, so that ``x = record("x", compute())`` reads naturally.
    """
    if not name or not isinstance(name, str):
        msg = f"record() needs a non-empty text name, got {name!r}"
        raise ValueError(msg)
    payload = {"name": name, "value": to_jsonable(value)}
    bundle: dict[str, Any] = {RECORD_MIME: payload}
    if show:
        bundle["text/plain"] = f"{name} = {payload['value']!r}"
    _display(bundle)
    return value


def provenance_of(obj: Any) -> dict[str, Any]:
    """Provenance dict of a loaded open-data frame (or a provenance dict itself)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    attrs = getattr(obj, "attrs", None)
    if attrs and "provenance" in attrs:
        return dict(attrs["provenance"])
    msg = "this object carries no provenance; load it with a selfdata_lib.opendata loader"
    raise ValueError(msg)


def provenance_html(prov: Mapping[str, Any]) -> str:
    """A small HTML card describing where a dataset comes from."""
    sample = prov.get("sample")
    badge = ("<span style='background:#f6c343;border-radius:3px;padding:1px 6px'>échantillon du projet"
             "</span>" if sample else
             "<span style='background:#8fd19e;border-radius:3px;padding:1px 6px'>données réelles</span>")
    rows = [
        ("Jeu de données", prov.get("title") or prov.get("dataset")),
        ("Producteur", prov.get("source")),
        ("Adresse", prov.get("url")),
        ("Licence", prov.get("licence")),
        ("Récupéré le", prov.get("retrieved")),
        ("Lu depuis", prov.get("origin")),
    ]
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
        f"<td>{html.escape(str(v))}</td></tr>" for k, v in rows if v
    )
    return f"<div class='selfdata-provenance'>{badge}<table>{cells}</table></div>"


def show_provenance(*objs: Any) -> list[dict[str, Any]]:
    """Show where each open-data frame comes from, and record it for the run's ``results.json``."""
    provs = [provenance_of(o) for o in objs]
    for prov in provs:
        clean = to_jsonable(prov)
        _display({PROVENANCE_MIME: clean, "text/html": provenance_html(clean),
                  "text/plain": json.dumps(clean, ensure_ascii=False)})
    return provs


def read_records(nb: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Collect recorded results and provenance from an executed notebook (``nbformat`` node)."""
    results: dict[str, Any] = {}
    provenance: list[dict[str, Any]] = []
    seen: set[str] = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if RECORD_MIME in data:
                rec = data[RECORD_MIME]
                results[rec["name"]] = rec["value"]
            if PROVENANCE_MIME in data:
                prov = data[PROVENANCE_MIME]
                key = json.dumps(prov, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    provenance.append(prov)
    return results, provenance
