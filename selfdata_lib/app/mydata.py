"""The "Carte de mes données": what exports a folder holds, what they cover, which use cases they unlock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.app.usecases import UseCase
from selfdata_lib.exports import display_name, scan_folder
from selfdata_lib.exports._base import _ARCHIVE_SOURCE, parse_once
from selfdata_lib.results import Figure, Reading, Result, figure

INVENTORY_COLUMNS = [
    "file",
    "holder",
    "format",
    "kinds",
    "first",
    "last",
    "rows_kept",
    "rows_rejected",
    "status",
]


def inventory(folder: str | Path) -> pd.DataFrame:
    """One row per file of ``folder`` (or of a ``.zip``, such as a whole Google Takeout): holder, format,
    kinds of data, period covered, rows kept.

    Files that are not a supported export are listed too, with ``status`` saying why.
    """
    folder = Path(folder)
    is_zip = folder.is_file() and folder.suffix.lower() == ".zip"
    if not (folder.is_dir() or is_zip):
        msg = f"{folder} : ni un dossier ni une archive .zip ; indiquez dans data_folder le dossier de vos exports"
        raise FileNotFoundError(msg)
    from selfdata_lib.app.notebook import file_sha256, is_project_sample

    rows: list[dict[str, Any]] = []
    inputs: list[dict[str, Any]] = []
    frames: dict[tuple[str, str], pd.DataFrame] = {}
    for path, fmt, _error in scan_folder(folder):
        rel = display_name(path, folder if not is_zip else folder.parent)
        origin = _ARCHIVE_SOURCE.get(path, path)
        entry: dict[str, object] = {
            "file": rel,
            "path": str(origin),
            "format": fmt.id if fmt else None,
            "kinds": list(fmt.kinds) if fmt else [],
            "sha256": file_sha256(path),
            "sample": is_project_sample(origin),
            "warnings": [],
        }
        inputs.append(entry)
        if fmt is None:
            rows.append(
                {
                    "file": rel,
                    "holder": "",
                    "format": "",
                    "kinds": "",
                    "first": pd.NaT,
                    "last": pd.NaT,
                    "rows_kept": 0,
                    "rows_rejected": 0,
                    "status": "non reconnu",
                }
            )
            continue
        try:  # every kind the file holds (a Semantic file gives visits and trips), parsed once
            with parse_once():
                by_kind = {fmt.kind: fmt.read(path), **{k: r(path) for k, r in fmt.other_kinds.items()}}
        except ValueError as exc:
            rows.append(
                {
                    "file": rel,
                    "holder": fmt.holder,
                    "format": fmt.id,
                    "kinds": ", ".join(fmt.kinds),
                    "first": pd.NaT,
                    "last": pd.NaT,
                    "rows_kept": 0,
                    "rows_rejected": 0,
                    "status": f"illisible : {exc}",
                }
            )
            continue
        frames.update({(rel, kind): f for kind, f in by_kind.items()})
        frame = by_kind[fmt.kind]
        entry.update(
            by_kind={
                k: {key: f.attrs["import_report"][key] for key in ("rows_read", "rows_kept", "rows_rejected")}
                for k, f in by_kind.items()
            },
            warnings=list(
                dict.fromkeys(w for f in by_kind.values() for w in f.attrs["import_report"]["warnings"])
            ),
            **{key: frame.attrs["import_report"][key] for key in ("rows_read", "rows_kept", "rows_rejected")},
        )
        kept = sum(len(f) for f in by_kind.values())  # each kind counts its own rows
        rejected = sum(f.attrs["import_report"]["rows_rejected"] for f in by_kind.values())
        # a household file or an address has no time column: no period
        time_col = next((c for c in ("start", "time", "date") if c in frame.columns), None)
        rows.append(
            {
                "file": rel,
                "holder": fmt.holder,
                "format": fmt.id,
                "kinds": ", ".join(fmt.kinds),
                "first": frame[time_col].min() if len(frame) and time_col else pd.NaT,
                "last": (
                    frame["end"].max() - pd.Timedelta(seconds=1)
                    if "end" in frame.columns
                    else frame[time_col].max()
                )
                if len(frame) and time_col
                else pd.NaT,
                "rows_kept": kept,
                "rows_rejected": rejected,
                "status": "ok",
            }
        )
    for entry, row in zip(inputs, rows, strict=True):
        entry.update(
            first=row["first"] if pd.notna(row["first"]) else None,
            last=row["last"] if pd.notna(row["last"]) else None,
        )
    out = pd.DataFrame(rows, columns=INVENTORY_COLUMNS)
    out.attrs["frames"] = frames  # {(file, kind): frame}, so later steps need not read files again
    out.attrs["inputs"] = (
        inputs  # what results.json lists of my files (selfdata_lib.app.notebook.record_inputs)
    )
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
        # a card taking "any" export is unlocked by any recognised file
        missing = [k for k in needed if k not in present and not (k == "any" and present)]
        rows.append(
            {
                "use_case": card.id,
                "territory": card.territory,
                "title": card.title,
                "needs": ", ".join(needed) or "rien (paramètres seulement)",
                "missing": ", ".join(missing),
                "unlocked": not missing,
            }
        )
    return pd.DataFrame(rows, columns=["use_case", "territory", "title", "needs", "missing", "unlocked"])


def location_frames(inv: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """All visits and all trips read while building the inventory (``None`` when there are none)."""
    frames: dict[tuple[str, str], pd.DataFrame] = inv.attrs.get("frames", {})
    visits = [f for (_, kind), f in frames.items() if kind == "visits"]
    trips = [f for (_, kind), f in frames.items() if kind == "trips"]
    cat = lambda fs: pd.concat(fs, ignore_index=True) if fs else None  # noqa: E731
    return cat(visits), cat(trips)


def _local_extreme(stamps: pd.Series, pick: Any) -> pd.Timestamp | None:
    """The earliest (``min``) or latest (``max``) instant of ``stamps``, compared in UTC but kept on its
    file's own clock: a curve starting at midnight on 1 January in Paris starts on 1 January, not on
    31 December at 23:00 UTC.
    """
    known = [pd.Timestamp(s) for s in stamps if pd.notna(s)]
    if not known:
        return None
    return pick(known, key=lambda t: t.tz_convert("UTC") if t.tzinfo else t.tz_localize("UTC"))


def interpret(inv: pd.DataFrame, unlocked: pd.DataFrame | Unlocked) -> Reading:
    """A French summary of my folder: what was recognised, over which period, what it unlocks (the
    headline: how many files, which kinds, how many use cases).
    """
    from selfdata_lib import fr

    if isinstance(unlocked, Unlocked):
        unlocked = unlocked.table
    ok = inv[inv["status"] == "ok"]
    recognised = "reconnu" if len(ok) < 2 else "reconnus"
    parts = [f"{fr.plural(len(ok), 'fichier')} {recognised} sur {fr.number(len(inv))}."]
    first, last = _local_extreme(ok["first"], min), _local_extreme(ok["last"], max)
    if first is not None and last is not None:
        parts.append(
            f"Ils couvrent du {fr.date(first)} au {fr.date(last)} : "
            f"{', '.join(sorted(fr.word(k) for k in kinds_present(inv)))}."
        )
    refused = inv[inv["status"] != "ok"]
    if len(refused):
        parts.append(f"Non reconnus ou illisibles : {', '.join(refused['file'])} (voir la colonne « état »).")
    ready = unlocked[unlocked["unlocked"]]
    names = [f"« {t} » ({w})" for t, w in zip(ready["title"], ready["territory"], strict=True)]
    head = [
        f"{fr.plural(len(names), 'cas', 'cas')} d'usage {'a' if len(names) < 2 else 'ont'} toutes "
        "leurs données dans mes fichiers."
        if names
        else "Aucun cas d'usage n'a encore toutes ses données : la colonne « manque » dit ce qui manque."
    ]
    details = ["Je peux lancer : " + " ; ".join(names) + "."] if names else []
    return Reading([*parts, *head], details)


@dataclass(frozen=True)
class FolderSummary(Result):
    """What my folder holds: files, recognised ones, kinds of data, rows kept."""

    inventory: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """Files, files recognised, kinds present, rows kept."""
        inv = self.inventory
        return {
            "files": figure(len(inv)),
            "files_recognised": figure(int((inv["status"] == "ok").sum())),
            "kinds": figure(sorted(kinds_present(inv))),
            "rows_kept": figure(int(inv["rows_kept"].sum())),
        }


def summary(inv: pd.DataFrame) -> FolderSummary:
    """The headline figures of an :func:`inventory`."""
    return FolderSummary(inv)


@dataclass(frozen=True)
class Unlocked(Result):
    """The use cases my files can run, and what the others miss."""

    table: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """The use cases unlocked."""
        return {"use_cases_unlocked": figure(self.table.loc[self.table["unlocked"], "use_case"].tolist())}


def unlock(inv: pd.DataFrame, cards: list[UseCase]) -> Unlocked:
    """:func:`unlocked_use_cases` as a result."""
    return Unlocked(unlocked_use_cases(inv, cards))


@dataclass(frozen=True)
class MyPlaces(Result):
    """Every visit and trip read from my folder (``None`` when there are none)."""

    visits: pd.DataFrame | None
    trips: pd.DataFrame | None

    def figures(self) -> dict[str, Figure]:
        """How many visits and trips."""
        return {
            "visits": figure(0 if self.visits is None else len(self.visits)),
            "trips": figure(0 if self.trips is None else len(self.trips)),
        }


def my_places(inv: pd.DataFrame) -> MyPlaces:
    """:func:`location_frames` as a result."""
    return MyPlaces(*location_frames(inv))
