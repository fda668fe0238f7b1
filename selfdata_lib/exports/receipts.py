"""Receipts: the simple CSV a loyalty-card export or a receipt scanner gives.

Documented layout (UTF-8 or latin-1, ``;`` or ``,``, decimal comma or point)::

    date;ean;label;quantity;amount_eur
    2025-03-01;3017620422003;Pâte à tartiner 400 g;1;3,49

``date`` is ``YYYY-MM-DD`` or ``DD/MM/YYYY``; ``ean`` the barcode (8 or 13 digits, may be empty for
loose products); ``amount_eur`` the line total.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    local_dates,
    normalise,
    parse_amount,
    parse_day,
    read_text,
    register_format,
)

COLUMNS = ["date", "ean", "label", "quantity", "amount_eur"]


def _header(line: str) -> tuple[str, list[str]] | None:
    for sep in (";", ",", "\t"):
        cols = [normalise(c) for c in line.split(sep)]
        if set(COLUMNS) <= set(cols):
            return sep, cols
    return None


def _sniff_receipts(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and _header(lines[0]) is not None


def read_receipts_csv(path: str | Path) -> pd.DataFrame:
    """Read the receipts CSV into ``date``, ``ean``, ``label``, ``quantity``, ``amount_eur``."""
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _header(lines[0]) if lines else None
    if found is None:
        msg = f"{path.name}: ligne 1 : l'en-tête devrait être « {';'.join(COLUMNS)} »"
        raise ExportFormatError(msg)
    sep, cols = found
    idx = {c: cols.index(c) for c in COLUMNS}
    report = ImportReport(path)
    rows = []
    for n, fields in csv_rows(lines[1:], 2, sep, report):
        try:
            date = parse_day(fields[idx["date"]])
            quantity = parse_amount(fields[idx["quantity"]]) or 0.0
            amount = parse_amount(fields[idx["amount_eur"]])
        except (IndexError, ValueError):
            report.reject(f"ligne {n}", "date, quantité ou montant illisible")
            continue
        if amount is None:
            report.reject(f"ligne {n}", "pas de montant")
            continue
        ean = fields[idx["ean"]].strip()
        if ean and not (ean.isdigit() and len(ean) in (8, 12, 13, 14)):
            report.reject(f"ligne {n}", "EAN qui n'a pas 8, 12, 13 ou 14 chiffres", detail=repr(ean))
            continue
        rows.append(
            {
                "date": date,
                "ean": ean,
                "label": fields[idx["label"]].strip(),
                "quantity": quantity,
                "amount_eur": amount,
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["date"] = local_dates(frame["date"])
    return report.finish(frame, kind="receipts", fmt="receipts-csv")


register_format(
    ExportFormat(
        id="receipts-csv",
        kind="receipts",
        holder="shop / receipt scanner",
        title="Tickets de caisse CSV (date;ean;label;quantity;amount_eur)",
        sniff=_sniff_receipts,
        read=read_receipts_csv,
    )
)
