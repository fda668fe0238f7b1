"""The "Carte de mes données": what exports a folder holds, what they cover, which use cases they unlock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.exports import display_name, scan_folder
from selfdata_lib.usecases import UseCase

INVENTORY_COLUMNS = ["file", "holder", "format", "kinds", "first", "last", "rows_kept",
                     "rows_rejected", "status"]


def inventory(folder: str | Path) -> pd.DataFrame:
    """One row per file of ``folder``: holder, format, kinds of data, period covered, rows kept.

    Files that are not a supported export are listed too, with ``status`` saying why.
    """
    folder = Path(folder)
    if not folder.is_dir():
        msg = f"{folder}: no such folder; point `data_folder` to the folder holding your exports"
        raise FileNotFoundError(msg)
    rows: list[dict[str, Any]] = []
    frames: dict[tuple[str, str], pd.DataFrame] = {}
    for path, fmt, _error in scan_folder(folder):
        rel = display_name(path, folder)
        if fmt is None:
            rows.append({"file": rel, "holder": "", "format": "", "kinds": "", "first": pd.NaT,
                         "last": pd.NaT, "rows_kept": 0, "rows_rejected": 0,
                         "status": "non reconnu"})
            continue
        try:  # every kind the file holds (a Semantic file gives visits and trips)
            by_kind = {fmt.kind: fmt.read(path), **{k: r(path) for k, r in fmt.other_kinds.items()}}
        except ValueError as exc:
            rows.append({"file": rel, "holder": fmt.holder, "format": fmt.id,
                         "kinds": ", ".join(fmt.kinds), "first": pd.NaT, "last": pd.NaT,
                         "rows_kept": 0, "rows_rejected": 0, "status": f"illisible : {exc}"})
            continue
        frames.update({(rel, kind): f for kind, f in by_kind.items()})
        frame = by_kind[fmt.kind]
        rows_read = frame.attrs["import_report"]["rows_read"]
        kept = sum(len(f) for f in by_kind.values())  # rows of one kind are not lost to another
        time_col = next(c for c in ("start", "time", "date") if c in frame.columns)
        rows.append({"file": rel, "holder": fmt.holder, "format": fmt.id,
                     "kinds": ", ".join(fmt.kinds),
                     "first": frame[time_col].min() if len(frame) else pd.NaT,
                     "last": (frame["end"] if "end" in frame.columns else frame[time_col]).max()
                     if len(frame) else pd.NaT,
                     "rows_kept": kept, "rows_rejected": rows_read - kept,
                     "status": "ok"})
    out = pd.DataFrame(rows, columns=INVENTORY_COLUMNS)
    out.attrs["frames"] = frames  # {(file, kind): frame}, so later steps need not read files again
    return out


def kinds_present(inv: pd.DataFrame) -> set[str]:
    """Kinds of personal data found in an inventory."""
    ok = inv[inv["status"] == "ok"]
    return {k.strip() for ks in ok["kinds"] for k in ks.split(",") if k.strip()}


def unlocked_use_cases(inv: pd.DataFrame, cards: list[UseCase]) -> pd.DataFrame:
    """For each use case: the personal data it needs, what is missing, and whether it can run."""
    present = kinds_present(inv)
    rows = []
    for card in cards:
        if card.kind != "use_case":
            continue
        needed = [p["kind"] for p in card.personal_data if p.get("required", True)]
        missing = [k for k in needed if k not in present]
        rows.append({"use_case": card.id, "territory": card.territory, "title": card.title,
                     "needs": ", ".join(needed) or "rien (paramètres seulement)",
                     "missing": ", ".join(missing), "unlocked": not missing})
    return pd.DataFrame(rows, columns=["use_case", "territory", "title", "needs", "missing", "unlocked"])


def location_frames(inv: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """All visits and all trips read while building the inventory (``None`` when there are none)."""
    frames: dict[tuple[str, str], pd.DataFrame] = inv.attrs.get("frames", {})
    visits = [f for (_, kind), f in frames.items() if kind == "visits"]
    trips = [f for (_, kind), f in frames.items() if kind == "trips"]
    cat = (lambda fs: pd.concat(fs, ignore_index=True) if fs else None)  # noqa: E731
    return cat(visits), cat(trips)
