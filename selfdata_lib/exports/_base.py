"""Shared machinery of the importers: the format registry, detection by content, the import report.

Every reader returns a tidy frame whose ``attrs`` hold ``kind``, ``format``, ``source_file`` and
``import_report`` = ``{"rows_read", "rows_kept", "rows_rejected", "issues": [...], "rejected_by_reason"}``
with ``rows_read == rows_kept + rows_rejected`` always.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pandas._libs.tslibs.nattype import NaTType
from pandas.errors import OutOfBoundsDatetime, OutOfBoundsTimedelta

from selfdata_lib.errors import ExportFormatError

KINDS = (
    "electricity",
    "gas",
    "water",
    "location_points",
    "visits",
    "trips",
    "bank",
    "receipts",
    "household",
    "address",
    "requests",
    "grades",
    "homework",
    "absences",
)
SCHEMAS: dict[str, tuple[str, ...]] = {
    "electricity": ("start", "end", "kwh"),
    "gas": ("start", "end", "kwh", "m3"),
    "water": ("start", "end", "litres"),
    "location_points": ("time", "lat", "lon", "accuracy_m"),
    "visits": ("start", "end", "lat", "lon", "label", "name"),
    "trips": ("start", "end", "start_lat", "start_lon", "end_lat", "end_lon", "distance_m", "mode"),
    "bank": ("date", "label", "amount_eur", "category"),
    "receipts": ("date", "ean", "label", "quantity", "amount_eur"),
    "household": ("person", "role", "age", "monthly_resources_eur"),
    "address": ("street", "postal_code", "insee_code", "city"),
    "requests": ("date", "holder", "right", "answered", "received", "file"),
    "grades": ("date", "subject", "grade", "out_of", "coefficient"),
    "homework": ("date", "subject", "description", "done"),
    "absences": ("start", "end", "kind", "justified"),
}
MAX_ISSUES_KEPT = 200
#: Kinds whose files exist only to hold rows: a file of them with none is refused (a file of visits
#: may hold only trips, and the other way round).
KIND_NAMES = {
    "electricity": "consommation d'électricité",
    "gas": "consommation de gaz",
    "water": "consommation d'eau",
    "location_points": "positions",
    "visits": "lieux visités",
    "trips": "trajets",
    "bank": "opérations bancaires",
    "receipts": "achats",
    "household": "composition du foyer",
    "address": "adresse",
    "requests": "demandes d'accès et de portabilité",
    "grades": "notes",
    "homework": "devoirs",
    "absences": "absences et retards",
}
MUST_HOLD_ROWS = {
    "electricity": "mesures d'électricité",
    "gas": "relevés de gaz",
    "water": "relevés d'eau",
    "bank": "opérations bancaires",
    "receipts": "achats",
}
_ARCHIVE_ORIGIN: dict[Path, str] = {}  # extracted member → "archive.zip/member", how its owner names it
_ARCHIVE_SOURCE: dict[Path, Path] = {}  # extracted member → the archive it came from
SNIFF_BYTES = 65536


@dataclass
class ImportReport:
    """Counts rows as they are read; every rejected row gets a place and a reason."""

    path: Path
    rows_read: int = 0
    rows_kept: int = 0
    issues: list[dict[str, str | int]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def _limit(self) -> int:
        from selfdata_lib import settings

        return settings.max_rejected_rows

    @property
    def rows_rejected(self) -> int:
        return sum(self.reasons.values())

    def _check_limit(self) -> None:
        from selfdata_lib import settings

        if self.rows_rejected > settings.max_rejected_rows:
            top = "; ".join(f"{n} : {r}" for r, n in self.reasons.most_common(3))
            msg = (
                f"{self.path.name}: plus de {settings.max_rejected_rows} lignes écartées "
                f"(settings.max_rejected_rows), l'import s'arrête. Principales raisons : {top}. "
                "Ce fichier est-il bien l'export attendu ?"
            )
            raise ExportFormatError(msg)

    def reject(self, where: str, reason: str, *, count: int = 1, detail: str = "") -> None:
        """Count ``count`` rows rejected at ``where`` (``"line 12"``, ``"record 3"``) for ``reason``.

        ``reason`` is a stable category (it keys ``rejected_by_reason``); ``detail`` the offending value.
        An import stops with a summary past ``settings.max_rejected_rows`` rejections.
        """
        self.reasons[reason] += count
        if self.rows_rejected > self._limit:
            self._check_limit()
        if len(self.issues) < MAX_ISSUES_KEPT:
            issue: dict[str, str | int] = {"where": where, "reason": reason}
            if count != 1:
                issue["count"] = count
            if detail:
                issue["detail"] = detail
            self.issues.append(issue)

    def reject_positions(
        self,
        positions: Iterable[int],
        reason: str,
        *,
        where: Callable[[int], str],
        detail: Callable[[int], str] | None = None,
    ) -> None:
        """Count one rejected row per position; the first ones (up to the cap) get an issue naming
        their place (``where(position)``, e.g. ``"line 12"``) and optional ``detail``.
        """
        positions = list(positions)
        if not positions:
            return
        self.reasons[reason] += len(positions)
        if self.rows_rejected > self._limit:
            self._check_limit()
        room = max(0, MAX_ISSUES_KEPT - len(self.issues))
        for pos in positions[:room]:
            issue: dict[str, str | int] = {"where": where(pos), "reason": reason}
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
        the recognised bank layout) to ``frame``.
        """
        expected = SCHEMAS[kind]
        missing = [c for c in expected if c not in frame.columns]
        if missing:  # a bug in a reader, not in the user's file
            msg = f"reader for {fmt} produced no column(s) {missing}"
            raise AssertionError(msg)
        from selfdata_lib.exports.plausibility import check_plausibility

        frame = check_plausibility(frame, kind, self)
        self.rows_kept = len(frame)
        if kind in MUST_HOLD_ROWS and self.rows_kept == 0:
            what = MUST_HOLD_ROWS[kind]
            if self.rows_read == 0:
                msg = (
                    f"{self.path.name}: aucune ligne de données ({what}) : le fichier ne contient que son "
                    "en-tête ? Téléchargez de nouveau l'export en choisissant une période."
                )
            else:
                top = "; ".join(f"{n} × {r}" for r, n in self.reasons.most_common(3))
                msg = (
                    f"{self.path.name}: aucune ligne utilisable ({what}) : {self.rows_read} lue(s), toutes "
                    f"écartées — {top}"
                )
            raise ExportFormatError(msg)
        if self.rows_read != self.rows_kept + self.rows_rejected:
            msg = (
                f"{self.path.name}: row accounting broken for {fmt}: read {self.rows_read}, "
                f"kept {self.rows_kept}, rejected {self.rows_rejected}"
            )
            raise AssertionError(msg)
        frame = frame[list(expected) + [c for c in frame.columns if c not in expected]]
        frame = frame.reset_index(drop=True)
        report: dict[Hashable | None, Any] = {
            "kind": kind,
            "format": fmt,
            "source_file": str(self.path),
            "import_report": self.as_dict(),
        }
        report.update(attrs.items())  # the reader's own attrs, last as they were given
        frame.attrs = report
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
    with € and curly quotes), else latin-1 (never fails).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start > len(data) - 4:  # a multi-byte character cut by the sniff window
            return data[: exc.start].decode("utf-8")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_JSON_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(raw: bytes) -> int:
    """The deepest nesting of brackets in a JSON text (strings left out), computed at C speed."""
    import numpy as np

    brackets = _JSON_NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", raw))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


#: Parsed JSON documents kept while :func:`read_kinds` reads several kinds of one file, so that the
#: file is parsed once (``None`` outside such a read). Keyed by path, size and modification time.
_PARSED: dict[tuple[str, int, int], Any] | None = None


@contextlib.contextmanager
def parse_once() -> Iterator[None]:
    """Within the block, :func:`load_json` parses each file once, whatever the number of readers
    (a Google Timeline holds visits, trips and points: three readers, one parse).
    """
    global _PARSED
    outer = _PARSED
    _PARSED = {} if outer is None else outer
    try:
        yield
    finally:
        _PARSED = outer


def load_json(path: Path, what: str, *, raw: bytes | None = None) -> Any:
    """The content of a JSON export, or :class:`ExportFormatError` naming the file (and the line) when
    it is not UTF-8, not JSON, nested deeper than ``settings.json_max_depth`` or holds an integer of
    thousands of digits. ``NaN``, ``Infinity`` and numbers beyond the float range are read as floats
    that the readers and the plausibility checks then reject row by row. Inside :func:`parse_once`, a
    file already parsed is not parsed again (readers must not modify the document).
    """
    if _PARSED is not None and raw is None:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if key not in _PARSED:
            _PARSED[key] = _parse_json(path, what, None)
        return _PARSED[key]
    return _parse_json(path, what, raw)


def _parse_json(path: Path, what: str, raw: bytes | None) -> Any:
    from selfdata_lib import settings

    raw = path.read_bytes() if raw is None else raw
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    depth = json_depth(raw)
    if depth > settings.json_max_depth:
        msg = (
            f"{path.name}: le JSON est imbriqué sur {depth} niveaux, plus que la limite de "
            f"{settings.json_max_depth} (selfdata_lib.settings.json_max_depth) ; attendu : {what}"
        )
        raise ExportFormatError(msg)
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: octet {exc.start} : pas du texte UTF-8 ; attendu : {what}"
        raise ExportFormatError(msg) from exc
    except json.JSONDecodeError as exc:
        msg = (
            f"{path.name}: ligne {exc.lineno} : JSON invalide ({exc.msg}) — le fichier est-il tronqué ? "
            f"Attendu : {what}"
        )
        raise ExportFormatError(msg) from exc
    except (ValueError, RecursionError) as exc:  # integers over Python's 4,300 digits
        msg = f"{path.name}: valeur JSON illisible ({str(exc)[:120]}) ; attendu : {what}"
        raise ExportFormatError(msg) from exc


#: Errors a date or a number read from a file can raise, whatever its spelling: each means "unreadable"
#: (pandas raises NotImplementedError for dates beyond the years Python's datetime holds).
BAD_VALUE = (
    ValueError,
    TypeError,
    OverflowError,
    OutOfBoundsDatetime,
    OutOfBoundsTimedelta,
    ArithmeticError,
    NotImplementedError,
)


def parse_instant(value: Any, *, naive_tz: str = "UTC") -> pd.Timestamp | NaTType:
    """A date-time as written in an export (``2025-03-01T06:00:00+01:00``…) as an aware timestamp;
    without an offset it is taken in ``naive_tz``. ``NaT`` when it is not text, unreadable, or outside
    the years pandas can hold (1677–2262) — the reader then rejects the row.
    """
    if not isinstance(value, str) or not value.strip():
        return pd.NaT
    try:
        ts = pd.Timestamp(value.strip())
        if pd.isna(ts):
            return pd.NaT
        aware = ts.tz_localize(naive_tz, ambiguous="NaT", nonexistent="NaT") if ts.tzinfo is None else ts
        return aware.as_unit("ns")
    except BAD_VALUE:
        return pd.NaT


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (a reader then rejects the row)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def read_text(path: Path) -> str:
    """A whole text export decoded like :func:`decode_text` (BOM dropped)."""
    return decode_text(path.read_bytes())


def normalise(name: object) -> str:
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


#: A quoted field may run over a few lines (a bank label with a line break); a record running over
#: more than this, or leaving a quote open, is a stray quote — not a reason to swallow the file.
MAX_RECORD_LINES = 4


def csv_rows(
    lines: list[str], first_line: int, delimiter: str, report: ImportReport
) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` of the non-blank data lines, counting each in ``rows_read``.

    ``lines`` are the data lines, the first of which is line ``first_line`` of the file. Lines are
    parsed one record at a time: a quoted field may span a few lines, but a quote left open (a stray
    ``"`` at the start of a line) or a field over ``settings.max_field_bytes`` only costs its own line,
    rejected with its number — the rest of the file is read.
    """
    from selfdata_lib import settings

    csv.field_size_limit(max(settings.max_field_bytes, 1024))
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() or not line.strip(delimiter + " "):
            i += 1
            continue
        number = first_line + i
        if len(line) > settings.max_field_bytes and '"' not in line:
            report.rows_read += 1
            report.reject(
                f"ligne {number}",
                f"ligne de plus de {settings.max_field_bytes} octets (settings.max_field_bytes)",
            )
            i += 1
            continue
        if '"' not in line:
            report.rows_read += 1
            yield number, line.split(delimiter)
            i += 1
            continue
        window = lines[i : i + MAX_RECORD_LINES]
        reader = csv.reader(io.StringIO("\n".join(window)), delimiter=delimiter, quotechar='"')
        try:
            fields = next(reader)
            used = max(1, reader.line_num)
        except (csv.Error, StopIteration) as exc:
            report.rows_read += 1
            report.reject(
                f"ligne {number}",
                "ligne CSV illisible (champ trop long ou guillemets cassés)",
                detail=str(exc)[:80],
            )
            i += 1
            continue
        if sum(part.count('"') for part in window[:used]) % 2:
            report.rows_read += 1
            report.reject(
                f"ligne {number}", "guillemet ouvert et jamais fermé sur cette ligne", detail=line[:80]
            )
            i += 1
            continue
        i += used
        if any(f.strip() for f in fields):
            report.rows_read += 1
            yield number, fields


def line_label(n: int) -> str:
    """How a rejection names a line of a text export (``ImportReport.reject_positions(where=…)``)."""
    return f"ligne {n}"


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
    report.reject_positions(frame.loc[dup, "line"], "second relevé pour le même jour", where=line_label)
    frame = frame.loc[~dup]
    value = frame["value"]
    dip = (value < value.shift(1)) & (value.shift(-1) >= value.shift(1))
    report.reject_positions(
        frame.loc[dip, "line"],
        "index plus bas que les relevés qui l'entourent (erreur de relevé)",
        where=line_label,
    )
    frame = frame.loc[~dip]
    amount = frame["value"].diff()
    first = amount.isna()
    report.reject_positions(
        frame.loc[first, "line"], "premier index relevé (il ouvre le premier intervalle)", where=line_label
    )
    down = amount < 0
    report.reject_positions(
        frame.loc[down, "line"],
        "index redescendu pour de bon (nouveau compteur) : un nouvel intervalle commence",
        where=line_label,
    )
    keep = ~(first | down)
    day = pd.to_datetime(frame["day"])
    return pd.DataFrame(
        {"start": day.shift(1)[keep], "end": day[keep], "amount": amount[keep], "index": frame["value"][keep]}
    )


def naive_local(ts: pd.Timestamp, tz: str = "Europe/Paris") -> pd.Timestamp:
    """A parsed date as naive local time: an offset someone wrote in the file is honoured."""
    return ts.tz_convert(tz).tz_localize(None) if ts.tzinfo is not None else ts


def local_dates(values: pd.Series, tz: str = "Europe/Paris") -> pd.Series:
    """Naive dates (statement or receipt days) as timezone-aware midnight in ``tz``, even when empty."""
    return (
        pd.to_datetime(values).dt.tz_localize(tz)
        if len(values)
        else pd.Series([], dtype=f"datetime64[ns, {tz}]")
    )


def detect_format(path: str | Path) -> ExportFormat:
    """The format of ``path`` recognised by its content; :class:`ExportFormatError` when unknown."""
    path = Path(path)
    if not path.is_file():
        msg = f"{path}: fichier introuvable"
        raise ExportFormatError(msg)
    head = head_bytes(path)
    if not head.strip():
        msg = f"{path.name}: le fichier est vide ; il faut un export de données personnelles"
        raise ExportFormatError(msg)
    if head.startswith(b"%PDF"):
        msg = (
            f"{path.name}: c'est un PDF (une facture, un relevé imprimable ?) ; les données se lisent dans "
            "l'export CSV, JSON ou XLSX que l'espace client propose de télécharger"
        )
        raise ExportFormatError(msg)
    for fmt in FORMATS.values():
        try:
            if fmt.sniff(head, path):
                return fmt
        except Exception:
            continue
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head[:4000] or path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
            msg = (
                f"{path.name}: un classeur (XLSX) qui n'est pas un export reconnu ; s'il vient d'une banque ou "
                "d'un fournisseur, téléchargez plutôt le CSV proposé par l'espace client, ou enregistrez la "
                "feuille au format CSV (séparateur « ; »)"
            )
        else:
            msg = (
                f"{path.name}: une archive zip : donnez-la comme dossier de données (elle est alors ouverte) "
                "ou décompressez-la et donnez le fichier utile"
            )
        raise ExportFormatError(msg)
    snippet = next((line for line in decode_text(head[:200]).splitlines() if line.strip()), "")[:80]
    msg = (
        f"{path.name}: ligne 1 : ce n'est aucun des exports reconnus (trouvé {snippet!r}). Le tableau "
        "« Supported exports » du README dit quoi télécharger chez chaque détenteur ; formats lus : "
        f"{', '.join(sorted(FORMATS))}."
    )
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
    msg = (
        f"{path.name}: c'est un fichier « {fmt.title} » ({', '.join(KIND_NAMES.get(k, k) for k in fmt.kinds)}), "
        f"pas un export de {KIND_NAMES.get(kind, kind)} comme attendu"
    )
    raise ExportFormatError(msg)


ARCHIVE_MEMBERS = (".json", ".csv", ".gpx", ".tcx", ".xlsx", ".ofx", ".qfx", ".ndjson", ".txt")
_EXTRACTED: dict[Path, Path] = {}


_ARCHIVE_PROBLEMS: dict[Path, list[tuple[str, str]]] = {}  # archive → (member, why it was not extracted)
_CLEANUP_INSTALLED = False


def _remove_extractions() -> None:
    import shutil

    for target in list(_EXTRACTED.values()):
        shutil.rmtree(target, ignore_errors=True)
    _EXTRACTED.clear()


def _install_cleanup() -> None:
    """Remove the extracted archives at exit — normal, error, SIGTERM or SIGINT alike."""
    global _CLEANUP_INSTALLED
    if _CLEANUP_INSTALLED:
        return
    import atexit
    import signal
    import threading

    def on_signal(signum: int, _frame: Any) -> None:  # clean up, then die of the same signal
        _remove_extractions()
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)

    atexit.register(_remove_extractions)  # normal exit, exceptions and Ctrl-C (KeyboardInterrupt)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, on_signal)
    _CLEANUP_INSTALLED = True


def _member_name(index: int, filename: str) -> str:
    """A short, safe file name for an extracted member (its own name may be too long for the disk)."""
    base = re.sub(r"[^\w.\- ]", "_", filename.replace("\\", "/").rsplit("/", 1)[-1]) or "member"
    stem, dot, suffix = base.rpartition(".")
    base = (stem[:100] + dot + suffix[:10]) if dot else base[:110]
    return f"{index:05d}_{base}"


def open_archive(archive: str | Path) -> Path:
    """Extract the data files of a ``.zip`` export (a Google Takeout archive…) into a private
    temporary folder, removed when Python exits (SIGTERM included), and return that folder.

    Only data files are extracted (``ARCHIVE_MEMBERS``), under short safe names (the member's own name is
    kept for display). Before anything is extracted, the archive's directory is checked against
    ``settings.max_archive_bytes`` and ``settings.max_archive_ratio``: a zip bomb is refused. A member
    that cannot be extracted (bad CRC, encrypted, unknown compression) is left out and listed in
    :func:`archive_problems`; a file that is not a zip raises :class:`ExportFormatError`.
    """
    import tempfile
    import zipfile
    import zlib

    from selfdata_lib import settings

    archive = Path(archive).resolve()
    if archive in _EXTRACTED:
        return _EXTRACTED[archive]
    try:
        zf = zipfile.ZipFile(archive)
        infos = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(ARCHIVE_MEMBERS)]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        msg = f"{archive.name}: archive zip illisible ({exc}) ; téléchargez-la de nouveau"
        raise ExportFormatError(msg) from exc
    total = sum(i.file_size for i in infos)
    if total > settings.max_archive_bytes:
        msg = (
            f"{archive.name}: {total / 1024**3:.1f} Gio une fois décompressée, plus que la limite de "
            f"{settings.max_archive_bytes / 1024**3:.1f} Gio (selfdata_lib.settings.max_archive_bytes) ; "
            "décompressez-la vous-même et donnez le dossier des seuls fichiers utiles"
        )
        raise ExportFormatError(msg)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024**2 and ratio > settings.max_archive_ratio:
            msg = (
                f"{archive.name}: le membre {info.filename!r} se décompresse {ratio:.0f} fois (plus de "
                f"{settings.max_archive_ratio:g}, selfdata_lib.settings.max_archive_ratio) : ce n'est pas un "
                "export de données ordinaire (une « bombe zip » ?) ; rien n'a été extrait"
            )
            raise ExportFormatError(msg)
    _install_cleanup()
    target = Path(tempfile.mkdtemp(prefix="selfdata-archive-"))
    _EXTRACTED[archive] = target
    problems = _ARCHIVE_PROBLEMS.setdefault(archive, [])
    with zf:
        for index, info in enumerate(infos):
            extracted = target / _member_name(index, info.filename)
            try:
                with zf.open(info) as src, open(extracted, "wb") as dst:
                    for block in iter(lambda: src.read(1 << 20), b""):
                        dst.write(block)
            except (
                zipfile.BadZipFile,
                zlib.error,
                RuntimeError,
                NotImplementedError,
                OSError,
                EOFError,
                ValueError,
            ) as exc:
                extracted.unlink(missing_ok=True)
                problems.append((info.filename, f"membre illisible ({type(exc).__name__}: {str(exc)[:80]})"))
                continue
            _ARCHIVE_ORIGIN[extracted] = f"{archive.name}/{info.filename}"
            _ARCHIVE_SOURCE[extracted] = archive
    return target


def archive_problems(archive: str | Path) -> list[tuple[str, str]]:
    """The members of an opened archive that could not be extracted, with the reason (French)."""
    return list(_ARCHIVE_PROBLEMS.get(Path(archive).resolve(), []))


def display_name(path: Path, folder: Path) -> str:
    """How to name a scanned file to its owner: relative to ``folder``, or ``archive.zip/member``."""
    if path in _ARCHIVE_ORIGIN:
        return _ARCHIVE_ORIGIN[path]
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def _scan_archive(archive: Path) -> Iterator[Path | tuple[Path, str, str]]:
    try:
        target = open_archive(archive)
    except ExportFormatError as exc:
        yield (archive, "", str(exc).split(": ", 1)[-1])
        return
    yield from _scan_paths(target)
    for member, reason in archive_problems(archive):
        yield (archive, member, reason)


#: Files that are read together with another export, never alone (file-name pattern → what reads them):
#: E.Leclerc sends its tickets' dates in ``liste_ticket.csv`` next to the lines.
COMPANIONS: dict[str, str] = {}


def _is_companion(path: Path) -> bool:
    import fnmatch

    return any(fnmatch.fnmatch(path.name.lower(), pattern) for pattern in COMPANIONS)


def _scan_paths(folder: Path) -> Iterator[Path | tuple[Path, str, str]]:
    if folder.is_file() and folder.suffix.lower() == ".zip":
        yield from _scan_archive(folder)
        return
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "_")) or path.name == "README.md":
            continue
        if _is_companion(path):
            continue
        if path.suffix.lower() == ".zip":
            yield from _scan_archive(path)
        else:
            yield path


def scan_folder(folder: str | Path) -> list[tuple[Path, ExportFormat | None, str | None]]:
    """Every file of ``folder`` (recursively, looking inside ``.zip`` archives such as a Google
    Takeout) with its detected format, or the reason it is not one. ``folder`` may be a zip itself.
    An archive that cannot be opened, or a member that cannot be extracted, is listed with its reason
    (under the archive's path).
    """
    out: list[tuple[Path, ExportFormat | None, str | None]] = []
    for path in _scan_paths(Path(folder)):
        if isinstance(path, tuple):  # (archive, member, reason): what an archive could not give
            archive, member, reason = path
            _ARCHIVE_ORIGIN.setdefault(archive, archive.name)
            out.append((archive, None, f"{archive.name}/{member}: {reason}"))
            continue
        try:
            out.append((path, detect_format(path), None))
        except ExportFormatError as exc:
            out.append((path, None, str(exc)))
    return out


def read_each(
    folder: str | Path | None, kind: str, *, formats: tuple[str, ...] | None = None
) -> dict[str, pd.DataFrame]:
    """``{file name: frame}`` for every file of ``folder`` (or archive) holding ``kind`` — each file kept
    apart (my neighbours' load curves, one per household). An empty ``folder`` gives ``{}``; files of
    another kind, or of a format not in ``formats`` when given, are skipped; a file that cannot be read
    raises its :class:`ExportFormatError`.
    """
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
    folder or a ``.zip`` (a whole Google Takeout) gathers every file of each kind (:func:`read_all`).
    """
    kinds = list(kinds)
    if not path:
        return dict.fromkeys(kinds)
    path = Path(path)
    if path.is_dir() or path.suffix.lower() == ".zip":
        found = {k for _, fmt, _ in scan_folder(path) if fmt is not None for k in fmt.kinds}
        with parse_once():
            return {k: (read_all(path, k) if k in found else None) for k in kinds}
    fmt = detect_format(path)
    with parse_once():
        return {k: (read(path, kind=k) if k in fmt.kinds else None) for k in kinds}


def read_all(folder: str | Path, kind: str) -> pd.DataFrame:
    """Every frame of ``kind`` found in a folder or archive (a whole Google Takeout, say), concatenated
    and sorted by time. ``attrs["import_report"]`` adds up the files' reports (``files`` lists each);
    a file of another kind is skipped. :class:`ExportFormatError` when none holds ``kind``.
    """
    if kind not in KINDS:
        msg = f"kind must be one of {KINDS}"
        raise ValueError(msg)
    folder = Path(folder)
    root = folder if folder.is_dir() else folder.parent
    frames: list[pd.DataFrame] = []
    reports: list[dict[str, Any]] = []  # each file's import report, as JSON goes
    for path, fmt, _error in scan_folder(folder):
        if fmt is None or kind not in fmt.kinds:
            continue
        try:
            frame = fmt.read(path) if kind == fmt.kind else fmt.other_kinds[kind](path)
        except ExportFormatError as exc:  # one bad file of a Takeout does not sink the others
            reports.append(
                {
                    "file": display_name(path, root),
                    "format": fmt.id,
                    "path": str(path),
                    "origin_path": str(_ARCHIVE_SOURCE.get(path, path)),
                    "rows_read": 0,
                    "rows_kept": 0,
                    "rows_rejected": 0,
                    "rejected_by_reason": {},
                    "issues": [],
                    "notes": [],
                    "warnings": [f"fichier illisible, laissé de côté : {exc}"],
                    "error": str(exc),
                    "first": None,
                    "last": None,
                }
            )
            continue
        time_col = next(c for c in ("start", "time", "date") if c in frame.columns)
        last_col = "end" if "end" in frame.columns else time_col
        rep = dict(
            frame.attrs["import_report"],
            file=display_name(path, root),
            format=fmt.id,
            path=str(path),
            origin_path=str(_ARCHIVE_SOURCE.get(path, path)),
            first=frame[time_col].min() if len(frame) else None,
            last=(frame[last_col].max() - pd.Timedelta(seconds=1 if last_col == "end" else 0))
            if len(frame)
            else None,
        )
        reports.append(rep)
        frames.append(frame)
    if not frames:
        unreadable = [r["error"] for r in reports if r.get("error")]
        msg = (
            f"{folder.name}: aucun fichier lisible de {KIND_NAMES.get(kind, kind)} dans ce dossier ou cette archive"
            + (f" ({'; '.join(unreadable[:3])})" if unreadable else "")
        )
        raise ExportFormatError(msg)
    time_col = next(c for c in ("start", "time", "date") if c in SCHEMAS[kind])
    nonempty = [f for f in frames if len(f)] or frames[:1]
    out = pd.concat([f.reset_index(drop=True) for f in nonempty], ignore_index=True)
    out = out.sort_values(time_col, kind="stable").reset_index(drop=True)
    total = {key: sum(r[key] for r in reports) for key in ("rows_read", "rows_kept", "rows_rejected")}
    reasons: Counter = Counter()
    for r in reports:
        reasons.update(r["rejected_by_reason"])
    out.attrs = {
        "kind": kind,
        "format": "+".join(sorted({r["format"] for r in reports})),
        "source_file": str(folder),
        "import_report": {
            **total,
            "rejected_by_reason": dict(reasons),
            "issues": [dict(i, file=r["file"]) for r in reports for i in r["issues"]][:MAX_ISSUES_KEPT],
            "notes": [],
            "files": reports,
            "warnings": list(dict.fromkeys(w for r in reports for w in r["warnings"])),
        },
    }
    return out
