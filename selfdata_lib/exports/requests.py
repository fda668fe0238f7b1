"""My requests log (``requests-log-csv``): the access (GDPR art. 15) and portability (art. 20) requests I
sent to the services that hold data about me, and what came back — kept by hand, one line per request.

Layout (UTF-8 or latin-1, ``;``, ``,`` or tab separated, a header line then one request per line)::

    detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier
    Enedis;portabilite;2026-01-05;espace client;2026-01-05;csv;enedis_courbe_de_charge.csv
    TCL (Keolis Lyon);acces;10/01/2026;courriel au DPO;02/03/2026;pdf;
    Eau du Grand Lyon;acces;2026-01-06;formulaire en ligne;;;

Columns (the first three are required, the others may be left out or empty):

``detenteur``
    Who holds the data, named as in the holders catalogue (``data-holders``) when possible.
``droit``
    ``acces`` (art. 15: a copy of my data and how it is used) or ``portabilite`` (art. 20: the data I
    provided, in a structured, commonly used and machine-readable format); ``15``, ``art. 20``,
    ``accès``, ``access``, ``portability`` are understood.
``envoyee_le``
    The day the holder received the request — the day sent for an e-mail, a web form or a download
    from the customer space; the day on the acknowledgement of receipt for a registered letter: the
    one-month deadline of art. 12.3 runs from it. ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``.
``canal``
    How it was sent (``formulaire``, ``courriel``, ``courrier``, ``espace client``, ``guichet``…), free text.
``reponse_le``
    The day the answer came; empty while there is none.
``recu``
    What came back: a format (``csv``, ``json``, ``xml``, ``xlsx``, ``ods``, ``gpx``, ``ofx``, ``pdf``,
    ``image``, ``papier``), or ``rien`` (an answer without data) or ``refus``; ``partiel`` may follow
    (``pdf partiel``) when data I know they hold were missing.
``fichier``
    The file received, relative to the log's folder: it is checked **by content** (a known, documented
    export of the project? machine-readable? a PDF?).

The English header ``holder;right;sent;channel;answered;received;file`` is read too. A log is written by
hand: a line that cannot be understood (a mistyped date, an unknown right, an answer before the
request) is refused with an :class:`~selfdata_lib.errors.ExportFormatError` naming the file, the line and
what was expected — every such line at once —, never dropped in silence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    FORMATS,
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    detect_format,
    head_bytes,
    local_dates,
    normalise,
    read_text,
    register_format,
)

FORMAT_ID = "requests-log-csv"
#: The French header of the log, in order (the documented layout).
HEADER_FR = ("detenteur", "droit", "envoyee_le", "canal", "reponse_le", "recu", "fichier")
#: The English header read as well.
HEADER_EN = ("holder", "right", "sent", "channel", "answered", "received", "file")
#: Frame column ← names it may have in the file's header.
COLUMN_NAMES = {
    "holder": ("detenteur", "holder"),
    "right": ("droit", "right"),
    "date": ("envoyee_le", "envoye_le", "sent"),
    "channel": ("canal", "channel"),
    "answered": ("reponse_le", "answered"),
    "received": ("recu", "received"),
    "file": ("fichier", "file"),
}
REQUIRED = ("holder", "right", "date")
#: How a right may be written → its code.
RIGHTS = {
    "acces": "access",
    "access": "access",
    "droit d'acces": "access",
    "15": "access",
    "art. 15": "access",
    "art 15": "access",
    "article 15": "access",
    "portabilite": "portability",
    "portability": "portability",
    "droit a la portabilite": "portability",
    "20": "portability",
    "art. 20": "portability",
    "art 20": "portability",
    "article 20": "portability",
}
#: The words of ``recu``: formats, and what an answer without data is.
RECEIVED_WORDS = (
    "csv",
    "json",
    "xml",
    "xlsx",
    "ods",
    "gpx",
    "ofx",
    "pdf",
    "image",
    "papier",
    "rien",
    "refus",
)
_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\s*$")
MAX_PROBLEMS_SHOWN = 12


def _columns(line: str) -> tuple[str, dict[str, int]] | None:
    """(separator, {frame column: index}) of a log's header line; ``None`` when it is not one."""
    for sep in (";", ",", "\t"):
        cols = [normalise(c).replace(" ", "_") for c in line.split(sep)]
        found = {
            key: next(i for i, c in enumerate(cols) if c in names)
            for key, names in COLUMN_NAMES.items()
            if any(c in names for c in cols)
        }
        if all(k in found for k in REQUIRED):
            return sep, found
    return None


def _sniff_requests(head: bytes, path: Path) -> bool:
    lines = [ln for ln in decode_text(head[:4096]).splitlines() if ln.strip()]
    return bool(lines) and _columns(lines[0]) is not None


def _day(text: str) -> pd.Timestamp | None:
    """A day typed as ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; ``None`` when it is not one (``2026-13-05``)."""
    if not _DAY.match(text):
        return None
    text = text.strip()
    try:
        day = pd.Timestamp(text) if "-" in text else pd.to_datetime(text, format="%d/%m/%Y")
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return None if pd.isna(day) else day.normalize()


def received_words(text: str) -> list[str]:
    """The words of a ``recu`` cell (``"PDF partiel"`` → ``["pdf", "partiel"]``)."""
    return [w for w in re.split(r"[\s,+/]+", normalise(text)) if w]


def _field(fields: list[str], index: int | None) -> str:
    return fields[index].strip() if index is not None and index < len(fields) else ""


def _problems_of(
    n: int, fields: list[str], idx: dict[str, int], today: pd.Timestamp
) -> tuple[dict[str, Any] | None, list[str]]:
    """One line's request, or what is wrong with it (French, naming the line)."""
    holder = _field(fields, idx["holder"])
    right_text = _field(fields, idx["right"])
    sent_text = _field(fields, idx["date"])
    answered_text = _field(fields, idx.get("answered"))
    received = _field(fields, idx.get("received"))
    problems = []
    if not holder:
        problems.append(f"ligne {n} : le détenteur (colonne « detenteur ») est vide")
    right = RIGHTS.get(normalise(right_text))
    if right is None:
        problems.append(
            f"ligne {n} : droit « {right_text[:40]} » inconnu ; attendu « acces » (article 15) ou "
            "« portabilite » (article 20)"
        )
    sent = _day(sent_text)
    if sent is None:
        problems.append(
            f"ligne {n} : date d'envoi « {sent_text[:40]} » illisible ; attendu AAAA-MM-JJ ou JJ/MM/AAAA "
            "(par exemple 2026-01-15)"
        )
    answered = _day(answered_text) if answered_text else None
    if answered_text and answered is None:
        problems.append(
            f"ligne {n} : date de réponse « {answered_text[:40]} » illisible ; attendu AAAA-MM-JJ ou "
            "JJ/MM/AAAA, ou vide tant qu'il n'y a pas de réponse"
        )
    for what, day in (("d'envoi", sent), ("de réponse", answered)):
        if day is not None and day > today:
            problems.append(f"ligne {n} : la date {what} ({day:%d/%m/%Y}) est dans le futur")
    if sent is not None and answered is not None and answered < sent:
        problems.append(
            f"ligne {n} : la réponse ({answered:%d/%m/%Y}) est datée d'avant l'envoi ({sent:%d/%m/%Y})"
        )
    unknown = [w for w in received_words(received) if w not in (*RECEIVED_WORDS, "partiel", "incomplet")]
    if unknown:
        problems.append(
            f"ligne {n} : « {received[:40]} » dans la colonne « recu » : attendu un format "
            f"({', '.join(RECEIVED_WORDS[:-2])}), « rien » ou « refus », suivi au besoin de « partiel »"
        )
    if problems:
        return None, problems
    row = {
        "date": sent,
        "holder": holder,
        "right": right,
        "channel": _field(fields, idx.get("channel")),
        "answered": answered,
        "received": " ".join(received_words(received)),
        "file": _field(fields, idx.get("file")),
        "line": n,
    }
    return row, []


def _sniff_kind(path: Path) -> str:
    """What a received file that is no known export looks like, by its first bytes."""
    head = head_bytes(path, 4096)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return "tableur" if b"xl/" in head or b"content.xml" in head else "archive"
    text = decode_text(head).lstrip("\ufeff \r\n\t")
    if not text or "\x00" in text[:200]:
        return "illisible"
    if text[:1] in "{[":
        return "json"
    if text[:1] == "<":
        return "xml"
    lines = [ln for ln in text.splitlines()[:5] if ln.strip()]
    for sep in (";", ",", "\t"):
        counts = {ln.count(sep) for ln in lines}
        if len(lines) >= 2 and len(counts) == 1 and counts.pop() > 0:
            return "csv"
    return "texte"


def check_received_file(folder: Path, name: str) -> tuple[str, str]:
    """``(format id, what it is)`` of a file received, found relative to ``folder``: ``("eau-grand-lyon-json",
    "reconnu")`` for a known export, ``("", "pdf")``, ``("", "csv")``… for others, ``("", "introuvable")``
    when it is not there, ``("", "")`` when no file is named.
    """
    if not name:
        return "", ""
    try:
        path = (folder / name) if not Path(name).is_absolute() else Path(name)
        if not path.is_file():
            return "", "introuvable"
    except (OSError, ValueError):  # a name with a NUL byte, too long for the disk…
        return "", "introuvable"
    try:
        fmt = detect_format(path)
    except ExportFormatError:
        try:
            return "", _sniff_kind(path)
        except OSError:
            return "", "illisible"
    except OSError:
        return "", "illisible"
    return fmt.id, "reconnu"


def read_requests_log(path: str | Path, *, today: Any = None) -> pd.DataFrame:
    """Read my requests log (see the module docstring) into one row per request.

    Returns
    -------
    Frame with ``date`` (the day the request was received by the holder, Europe/Paris), ``holder``,
    ``right`` (``access`` or ``portability``), ``channel``, ``answered`` (aware, ``NaT`` while
    unanswered), ``received`` (the words of ``recu``), ``file``, and the check of the file received:
    ``file_format`` (a format id of :data:`~selfdata_lib.exports.FORMATS`, or ``""``), ``file_check``
    (``reconnu``, ``pdf``, ``csv``, ``json``, ``introuvable``…), ``file_kinds`` and ``line``.
    ``today`` (default: today) bounds the dates: none may be in the future.
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    found = _columns(lines[first]) if first is not None else None
    if found is None:
        msg = (
            f"{path.name}: ligne 1 : l'en-tête d'un journal de demandes est « {';'.join(HEADER_FR)} » "
            "(les trois premières colonnes au moins)"
        )
        raise ExportFormatError(msg)
    assert first is not None
    sep, idx = found
    now = pd.Timestamp(today if today is not None else pd.Timestamp.now(tz="Europe/Paris").date()).normalize()
    report = ImportReport(path)
    rows, problems = [], []
    for n, fields in csv_rows(lines[first + 1 :], first + 2, sep, report):
        row, wrong = _problems_of(n, fields, idx, now)
        problems += wrong
        if row is not None:
            rows.append(row)
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        msg = (
            f"{path.name} : "
            + " ; ".join(shown)
            + (f" ; et {more} autre(s)" if more > 0 else "")
            + ". Corrigez ces lignes : une demande écartée fausserait le bilan."
        )
        raise ExportFormatError(msg)
    checks = [check_received_file(path.parent, r["file"]) for r in rows]
    seen = [f"{r['file']} ({c[0] or c[1]})" for r, c in zip(rows, checks, strict=True) if r["file"]]
    if seen:
        report.notes.append("fichiers reçus, vérifiés par leur contenu : " + ", ".join(seen))
    frame = pd.DataFrame(
        rows, columns=["date", "holder", "right", "channel", "answered", "received", "file", "line"]
    )
    frame["date"] = local_dates(frame["date"])
    frame["answered"] = pd.to_datetime(frame["answered"]).dt.tz_localize("Europe/Paris")
    frame["file_format"] = [c[0] for c in checks]
    frame["file_check"] = [c[1] for c in checks]
    frame["file_kinds"] = [", ".join(FORMATS[c[0]].kinds) if c[0] in FORMATS else "" for c in checks]
    return report.finish(frame, kind="requests", fmt=FORMAT_ID)


register_format(
    ExportFormat(
        id=FORMAT_ID,
        kind="requests",
        holder="moi (tenu à la main)",
        title="Mon journal de demandes d'accès et de portabilité (CSV)",
        sniff=_sniff_requests,
        read=read_requests_log,
    )
)
