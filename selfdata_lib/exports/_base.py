"""Shared machinery of the importers: the format registry, detection by content, the import report.

Every reader returns a tidy frame whose ``attrs`` hold ``kind``, ``format``, ``source_file`` and
``import_report`` = ``{"rows_read", "rows_kept", "rows_rejected", "issues": [...], "rejected_by_reason"}``
with ``rows_read == rows_kept + rows_rejected`` always.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError

KINDS = ("electricity", "gas", "water", "location_points", "visits", "trips", "bank", "receipts")
SCHEMAS: dict[str, tuple[str, ...]] = {
    "electricity": ("start", "end", "kwh"),
    "gas": ("start", "end", "kwh", "m3"),
    "water": ("start", "end", "litres"),
    "location_points": ("time", "lat", "lon", "accuracy_m"),
    "visits": ("start", "end", "lat", "lon", "label", "name"),
    "trips": ("start", "end", "start_lat", "start_lon", "end_lat", "end_lon", "distance_m", "mode"),
    "bank": ("date", "label", "amount_eur", "category"),
    "receipts": ("date", "ean", "label", "quantity", "amount_eur"),
}
MAX_ISSUES_KEPT = 200
_ARCHIVE_ORIGIN: dict[Path, str] = {}  # extracted member → "archive.zip/member", how its owner names it
_ARCHIVE_SOURCE: dict[Path, Path] = {}  # extracted member → the archive it came from
SNIFF_BYTES = 65536


@dataclass
class ImportReport:
    """Counts rows as they are read; every rejected row gets a place and a reason."""

    path: Path
    rows_read: int = 0
    rows_kept: int = 0
    issues: list[dict[str, str]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return sum(self.reasons.values())

    def reject(self, where: str, reason: str, *, count: int = 1, detail: str = "") -> None:
        """Count ``count`` rows rejected at ``where`` (``"line 12"``, ``"record 3"``) for ``reason``.

        ``reason`` is a stable category (it keys ``rejected_by_reason``); ``detail`` the offending value.
        """
        self.reasons[reason] += count
        if len(self.issues) < MAX_ISSUES_KEPT:
            issue = {"where": where, "reason": reason}
            if count != 1:
                issue["count"] = count
            if detail:
                issue["detail"] = detail
            self.issues.append(issue)

    def reject_positions(self, positions: Iterable[int], reason: str, *, where: Callable[[int], str],
                         detail: Callable[[int], str] | None = None) -> None:
        """Count one rejected row per position; the first ones (up to the cap) get an issue naming
        their place (``where(position)``, e.g. ``"line 12"``) and optional ``detail``."""
        positions = list(positions)
        if not positions:
            return
        self.reasons[reason] += len(positions)
        room = max(0, MAX_ISSUES_KEPT - len(self.issues))
        for pos in positions[:room]:
            issue = {"where": where(pos), "reason": reason}
            if detail is not None:
                issue["detail"] = detail(pos)
            self.issues.append(issue)

    def warn(self, message: str) -> None:
        """A French warning the notebook shows next to the figures (a doubtful unit, implausible values)."""
        if message not in self.warnings:
            self.warnings.append(message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": _ARCHIVE_ORIGIN.get(self.path, self.path.name),
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "rejected_by_reason": dict(self.reasons),
            "issues": list(self.issues),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }

    def finish(self, frame: pd.DataFrame, *, kind: str, fmt: str, **attrs: Any) -> pd.DataFrame:
        """Check the schema and the row accounting, then attach the report (and ``attrs``, such as
        the recognised bank layout) to ``frame``."""
        expected = SCHEMAS[kind]
        missing = [c for c in expected if c not in frame.columns]
        if missing:  # a bug in a reader, not in the user's file
            msg = f"reader for {fmt} produced no column(s) {missing}"
            raise AssertionError(msg)
        from selfdata_lib.exports.plausibility import check_plausibility

        frame = check_plausibility(frame, kind, self)
        self.rows_kept = len(frame)
        if self.rows_read != self.rows_kept + self.rows_rejected:
            msg = (f"{self.path.name}: row accounting broken for {fmt}: read {self.rows_read}, "
                   f"kept {self.rows_kept}, rejected {self.rows_rejected}")
            raise AssertionError(msg)
        frame = frame[list(expected) + [c for c in frame.columns if c not in expected]]
        frame = frame.reset_index(drop=True)
        frame.attrs = {"kind": kind, "format": fmt, "source_file": str(self.path),
                       "import_report": self.as_dict(), **attrs}
        if self.path in _ARCHIVE_SOURCE:  # a member of a zip: the user's file is the archive
            frame.attrs["origin_path"] = str(_ARCHIVE_SOURCE[self.path])
        return frame


@dataclass(frozen=True)
class ExportFormat:
    """A known export format: how to recognise it from its first bytes, and how to read it."""

    id: str
    kind: str
    holder: str
    title: str
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[Path], pd.DataFrame]
    other_kinds: dict[str, Callable[[Path], pd.DataFrame]] = field(default_factory=dict)

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every kind of frame this file can give (the main kind first)."""
        return (self.kind, *self.other_kinds)


FORMATS: dict[str, ExportFormat] = {}


def register_format(fmt: ExportFormat) -> ExportFormat:
    if fmt.kind not in KINDS:
        msg = f"format {fmt.id}: kind must be one of {KINDS}"
        raise ValueError(msg)
    FORMATS[fmt.id] = fmt
    return fmt


def head_bytes(path: Path, size: int = SNIFF_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else Windows-1252 (French exports' "latin-1"
    with € and curly quotes), else latin-1 (never fails)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a multi-byte character cut by the sniff window
            return data[: exc.start].decode("utf-8")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def read_text(path: Path) -> str:
    """A whole text export decoded like :func:`decode_text` (BOM dropped)."""
    return decode_text(path.read_bytes())


def normalise(name: str) -> str:
    """Lower-case, accents removed, spaces collapsed: ``'Débit euros '`` → ``'debit euros'``."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.strip().strip('"').lower().replace("’", "'"))


def parse_amount(text: str) -> float | None:
    """``'-1 234,56'``, ``'1.234,56 €'``, ``'+12,3'``, ``'-12.30'`` → float; ``None`` when empty."""
    t = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
    t = t.replace("EUR", "").strip('"')
    if not t:
        return None
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    return float(t)


def parse_day(text: str) -> pd.Timestamp:
    """A date as written in French exports (``31/03/2025``, ``2025-03-31``…) as naive local time."""
    text = str(text).strip()
    ts = pd.to_datetime(text, dayfirst="/" in text, format="mixed")
    if pd.isna(ts):
        msg = f"not a date: {text!r}"
        raise ValueError(msg)
    return naive_local(ts)


def csv_rows(lines: list[str], first_line: int, delimiter: str,
             report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` of the non-blank data lines, counting each in ``rows_read``.

    ``lines`` are the data lines, the first of which is line ``first_line`` of the file.
    """
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, quotechar='"')
    for offset, fields in enumerate(reader):
        if any(f.strip() for f in fields):
            report.rows_read += 1
            yield first_line + offset, fields


def line_label(n: int) -> str:
    """How a rejection names a line of a text export (``ImportReport.reject_positions(where=…)``)."""
    return f"line {n}"


def index_intervals(readings: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Consumption between consecutive readings of a cumulative index.

    ``readings`` has ``day`` (naive date of the reading), ``value`` (the index) and ``line``. A second
    reading of a day is dropped; an isolated dip (lower than the readings on both sides) is a reading
    error and is left out; the first reading only opens the first interval, and so does the first
    reading after a lasting drop (a new meter). Each of those is rejected with its reason, so the rows
    still add up. Returns ``start``, ``end`` (naive days), ``amount`` and ``index`` per interval.
    """
    frame = readings.sort_values("day", kind="stable")
    dup = frame["day"].duplicated(keep="first")
    report.reject_positions(frame.loc[dup, "line"], "second reading for the same day", where=line_label)
    frame = frame.loc[~dup]
    value = frame["value"]
    dip = (value < value.shift(1)) & (value.shift(-1) >= value.shift(1))
    report.reject_positions(frame.loc[dip, "line"], "index lower than the readings around it (reading error)",
                            where=line_label)
    frame = frame.loc[~dip]
    amount = frame["value"].diff()
    first = amount.isna()
    report.reject_positions(frame.loc[first, "line"], "first index reading (opens the first interval)",
                            where=line_label)
    down = amount < 0
    report.reject_positions(frame.loc[down, "line"], "index went down for good (new meter): opens a new interval",
                            where=line_label)
    keep = ~(first | down)
    day = pd.to_datetime(frame["day"])
    return pd.DataFrame({"start": day.shift(1)[keep], "end": day[keep], "amount": amount[keep],
                         "index": frame["value"][keep]})


def naive_local(ts: pd.Timestamp, tz: str = "Europe/Paris") -> pd.Timestamp:
    """A parsed date as naive local time: an offset someone wrote in the file is honoured."""
    return ts.tz_convert(tz).tz_localize(None) if ts.tzinfo is not None else ts


def local_dates(values: pd.Series, tz: str = "Europe/Paris") -> pd.Series:
    """Naive dates (statement or receipt days) as timezone-aware midnight in ``tz``, even when empty."""
    return pd.to_datetime(values).dt.tz_localize(tz) if len(values) else pd.Series(
        [], dtype=f"datetime64[ns, {tz}]")


def detect_format(path: str | Path) -> ExportFormat:
    """The format of ``path`` recognised by its content; :class:`ExportFormatError` when unknown."""
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: no such file"
        raise ExportFormatError(msg)
    head = head_bytes(path)
    if not head.strip():
        msg = f"{path.name}: the file is empty; expected a personal data export"
        raise ExportFormatError(msg)
    for fmt in FORMATS.values():
        try:
            if fmt.sniff(head, path):
                return fmt
        except Exception:  # noqa: BLE001, S112 - a sniffer that chokes just says no
            continue
    snippet = decode_text(head[:120]).splitlines()[0][:80] if head else ""
    msg = (f"{path.name}: line 1 does not look like any supported export "
           f"(found {snippet!r}). Supported: {', '.join(sorted(FORMATS))}. "
           "Run `selfdata detect` on the file, or see the format catalogue in the README.")
    raise ExportFormatError(msg)


def read(path: str | Path, kind: str | None = None) -> pd.DataFrame:
    """Read any supported personal export, recognised by content, into a tidy frame.

    Parameters
    ----------
    path
        The export file.
    kind
        When given, the file must hold this kind of data (``electricity``, ``water``…).

    Returns
    -------
    Frame with the kind's schema; ``attrs`` has ``kind``, ``format`` and ``import_report``.
    """
    path = Path(path)
    fmt = detect_format(path)
    if kind is None or kind == fmt.kind:
        return fmt.read(path)
    if kind in fmt.other_kinds:
        return fmt.other_kinds[kind](path)
    msg = (f"{path.name}: this is a {fmt.title} ({', '.join(fmt.kinds)}), "
           f"not a {kind} export as expected")
    raise ExportFormatError(msg)


ARCHIVE_MEMBERS = (".json", ".csv", ".gpx", ".tcx", ".xlsx", ".ofx", ".qfx", ".ndjson", ".txt")
_EXTRACTED: dict[Path, Path] = {}


def open_archive(archive: str | Path) -> Path:
    """Extract the data files of a ``.zip`` export (a Google Takeout archive…) into a private
    temporary folder, removed when Python exits, and return that folder.

    Only data files are extracted (``ARCHIVE_MEMBERS``); member paths cannot escape the folder.
    """
    import atexit
    import shutil
    import tempfile
    import zipfile

    archive = Path(archive).resolve()
    if archive in _EXTRACTED:
        return _EXTRACTED[archive]
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        msg = f"{archive.name}: not a readable zip archive ({exc})"
        raise ExportFormatError(msg) from exc
    target = Path(tempfile.mkdtemp(prefix="selfdata-archive-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    with zf:
        for info in zf.infolist():
            if info.is_dir() or not info.filename.lower().endswith(ARCHIVE_MEMBERS):
                continue
            extracted = Path(zf.extract(info, target))
            _ARCHIVE_ORIGIN[extracted] = f"{archive.name}/{info.filename}"
            _ARCHIVE_SOURCE[extracted] = archive
    _EXTRACTED[archive] = target
    return target


def display_name(path: Path, folder: Path) -> str:
    """How to name a scanned file to its owner: relative to ``folder``, or ``archive.zip/member``."""
    if path in _ARCHIVE_ORIGIN:
        return _ARCHIVE_ORIGIN[path]
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def _scan_paths(folder: Path) -> Iterator[Path]:
    if folder.is_file() and folder.suffix.lower() == ".zip":
        yield from _scan_paths(open_archive(folder))
        return
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "_")) or path.name == "README.md":
            continue
        if path.suffix.lower() == ".zip":
            yield from _scan_paths(open_archive(path))
        else:
            yield path


def scan_folder(folder: str | Path) -> list[tuple[Path, ExportFormat | None, str | None]]:
    """Every file of ``folder`` (recursively, looking inside ``.zip`` archives such as a Google
    Takeout) with its detected format, or the reason it is not one. ``folder`` may be a zip itself."""
    out = []
    for path in _scan_paths(Path(folder)):
        try:
            out.append((path, detect_format(path), None))
        except ExportFormatError as exc:
            out.append((path, None, str(exc)))
    return out


def read_each(folder: str | Path | None, kind: str, *,
              formats: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """``{file name: frame}`` for every file of ``folder`` (or archive) holding ``kind`` — each file kept
    apart (my neighbours' load curves, one per household). An empty ``folder`` gives ``{}``; files of
    another kind, or of a format not in ``formats`` when given, are skipped; a file that cannot be read
    raises its :class:`ExportFormatError`."""
    if not folder:
        return {}
    root = Path(folder)
    out: dict[str, pd.DataFrame] = {}
    for path, fmt, _error in scan_folder(root):
        if fmt is None or kind not in fmt.kinds or (formats is not None and fmt.id not in formats):
            continue
        name = Path(display_name(path, root if root.is_dir() else root.parent)).stem
        out[name] = fmt.read(path) if kind == fmt.kind else fmt.other_kinds[kind](path)
    return out


def read_kinds(path: str | Path | None, kinds: Iterable[str]) -> dict[str, pd.DataFrame | None]:
    """``{kind: frame}`` for each of ``kinds`` the export holds (a Google Timeline gives visits, trips
    and points), ``None`` for those it does not hold — and for all of them when ``path`` is empty. A
    folder or a ``.zip`` (a whole Google Takeout) gathers every file of each kind (:func:`read_all`)."""
    kinds = list(kinds)
    if not path:
        return dict.fromkeys(kinds)
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".zip":
        found = {k for _, fmt, _ in scan_folder(path) if fmt is not None for k in fmt.kinds}
        return {k: (read_all(path, k) if k in found else None) for k in kinds}
    fmt = detect_format(path)
    return {k: (read(path, kind=k) if k in fmt.kinds else None) for k in kinds}


def read_all(folder: str | Path, kind: str) -> pd.DataFrame:
    """Every frame of ``kind`` found in a folder or archive (a whole Google Takeout, say), concatenated
    and sorted by time. ``attrs["import_report"]`` adds up the files' reports (``files`` lists each);
    a file of another kind is skipped. :class:`ExportFormatError` when none holds ``kind``."""
    if kind not in KINDS:
        msg = f"kind must be one of {KINDS}"
        raise ValueError(msg)
    folder = Path(folder)
    root = folder if folder.is_dir() else folder.parent
    frames, reports = [], []
    for path, fmt, _error in scan_folder(folder):
        if fmt is None or kind not in fmt.kinds:
            continue
        frame = fmt.read(path) if kind == fmt.kind else fmt.other_kinds[kind](path)
        time_col = next(c for c in ("start", "time", "date") if c in frame.columns)
        last_col = "end" if "end" in frame.columns else time_col
        rep = dict(frame.attrs["import_report"], file=display_name(path, root), format=fmt.id,
                   path=str(path), origin_path=str(_ARCHIVE_SOURCE.get(path, path)),
                   first=frame[time_col].min() if len(frame) else None,
                   last=frame[last_col].max() if len(frame) else None)
        reports.append(rep)
        frames.append(frame)
    if not frames:
        msg = f"{folder.name}: no {kind} export found in this folder or archive"
        raise ExportFormatError(msg)
    time_col = next(c for c in ("start", "time", "date") if c in SCHEMAS[kind])
    nonempty = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat([f.reset_index(drop=True) for f in nonempty], ignore_index=True)
    out = out.sort_values(time_col, kind="stable").reset_index(drop=True)
    total = {key: sum(r[key] for r in reports) for key in ("rows_read", "rows_kept", "rows_rejected")}
    reasons: Counter = Counter()
    for r in reports:
        reasons.update(r["rejected_by_reason"])
    out.attrs = {"kind": kind, "format": "+".join(sorted({r["format"] for r in reports})),
                 "source_file": str(folder),
                 "import_report": {**total, "rejected_by_reason": dict(reasons),
                                   "issues": [dict(i, file=r["file"]) for r in reports
                                              for i in r["issues"]][:MAX_ISSUES_KEPT],
                                   "notes": [], "files": reports,
                                   "warnings": list(dict.fromkeys(w for r in reports for w in r["warnings"]))}}
    return out
