"""Bank statements: CSV exports of the main French banks, and OFX.

French bank CSVs share a family look — ``;`` separator, decimal comma, latin-1 or UTF-8 with BOM,
preamble lines (account number, balance) before the header — and differ in their column names. The
reader finds the header line among the first lines by its column names, maps the columns to
``date``, ``label``, ``amount_eur`` (signed; from one amount column or from Débit/Crédit) and
``category`` (the bank's own category when it gives one), and says which bank layout it recognised.

Categories are then given by transparent rules (:mod:`selfdata_lib.exports.bank_rules`) that a user can
read and extend.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pandas.errors import OutOfBoundsDatetime

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

MAX_PREAMBLE = 20

# Header signatures (normalised column names) → bank layout name.
LAYOUTS = {
    "boursobank": {"dateop", "dateval", "label", "amount"},
    "la-banque-postale": {"date", "libelle", "montant(euros)"},
    "credit-agricole": {"date", "libelle", "debit euros", "credit euros"},
    "societe-generale": {"date de l'operation", "libelle", "montant de l'operation"},
    "bnp-paribas": {"date operation", "libelle operation", "montant operation"},
    "credit-mutuel-cic": {"date", "date de valeur", "libelle", "solde"},
    "fortuneo": {"date operation", "date valeur", "libelle", "debit", "credit"},
    "bpce": {"date de comptabilisation", "libelle operation", "debit", "credit"},
}
_DATE = [
    "dateop",
    "date operation",
    "date de l'operation",
    "date d'operation",
    "date de comptabilisation",
    "date",
]
_LABEL = ["libelle operation", "label", "libelle", "libelle simplifie"]
_DETAIL = ["detail de l'ecriture", "informations complementaires", "comment"]
_AMOUNT = ["amount", "montant(euros)", "montant de l'operation", "montant operation", "montant"]
_DEBIT = ["debit euros", "debit"]
_CREDIT = ["credit euros", "credit"]
_CATEGORY = ["category", "categorie operation", "categorie", "sous categorie operation"]


def _find_header(lines: list[str]) -> tuple[int, list[str]] | None:
    for i, line in enumerate(lines[:MAX_PREAMBLE]):
        cols = [normalise(c) for c in line.split(";")]
        has_date = any(c in _DATE for c in cols)
        has_amount = any(c in _AMOUNT for c in cols) or (
            any(c in _DEBIT for c in cols) and any(c in _CREDIT for c in cols)
        )
        has_label = any(c in _LABEL for c in cols)
        if has_date and has_amount and has_label:
            return i, cols
    return None


def _sniff_bank_csv(head: bytes, path: Path) -> bool:
    return _find_header(decode_text(head).splitlines()) is not None


def _pick(cols: list[str], names: list[str]) -> int | None:
    for name in names:
        if name in cols:
            return cols.index(name)
    return None


def read_bank_csv(path: str | Path) -> pd.DataFrame:
    """Read a French bank's CSV export into ``date``, ``label``, ``amount_eur`` (signed), ``category``.

    ``attrs["bank"]`` names the recognised layout (``boursobank``, ``credit-agricole``…, or
    ``generic``).
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _find_header(lines)
    if found is None:
        msg = (
            f"{path.name}: aucune ligne d'en-tête avec une date, un libellé et un montant (ou Débit/Crédit) "
            f"dans les {MAX_PREAMBLE} premières lignes ; attendu : l'export CSV d'une banque, séparé par « ; »"
        )
        raise ExportFormatError(msg)
    header_at, cols = found
    bank = next((name for name, sig in LAYOUTS.items() if sig <= set(cols)), "generic")
    i_date, i_label = _pick(cols, _DATE), _pick(cols, _LABEL)
    assert i_date is not None  # _find_header only accepts a header with a date column
    i_detail, i_amount = _pick(cols, _DETAIL), _pick(cols, _AMOUNT)
    i_debit, i_credit, i_cat = _pick(cols, _DEBIT), _pick(cols, _CREDIT), _pick(cols, _CATEGORY)
    report = ImportReport(path)
    rows = []
    for line_no, fields in csv_rows(lines[header_at + 1 :], header_at + 2, ";", report):
        try:
            date = parse_day(fields[i_date])
        except (IndexError, ValueError):
            report.reject(
                f"ligne {line_no}",
                "date d'opération illisible",
                detail=repr(fields[i_date] if i_date < len(fields) else ""),
            )
            continue
        try:
            if i_amount is not None:
                amount = parse_amount(fields[i_amount])
            else:  # _find_header only accepts a header without an amount if it has debit and credit
                assert i_debit is not None and i_credit is not None
                debit = parse_amount(fields[i_debit]) if i_debit < len(fields) else None
                credit = parse_amount(fields[i_credit]) if i_credit < len(fields) else None
                amount = None if debit is None and credit is None else (credit or 0.0) - abs(debit or 0.0)
        except (IndexError, ValueError):
            report.reject(f"ligne {line_no}", "montant illisible")
            continue
        if amount is None:
            report.reject(f"ligne {line_no}", "pas de montant (ni débit ni crédit)")
            continue
        label = fields[i_label].strip() if i_label is not None and i_label < len(fields) else ""
        if i_detail is not None and i_detail < len(fields) and fields[i_detail].strip():
            label = f"{label} {fields[i_detail].strip()}".strip()
        category = fields[i_cat].strip() if i_cat is not None and i_cat < len(fields) else ""
        rows.append(
            {"date": date, "label": re.sub(r"\s+", " ", label), "amount_eur": amount, "category": category}
        )
    frame = pd.DataFrame(rows, columns=["date", "label", "amount_eur", "category"])
    frame["date"] = local_dates(frame["date"])
    frame = frame.sort_values("date", kind="stable")
    report.notes.append(f"présentation du relevé : {bank} ; en-tête à la ligne {header_at + 1}")
    balance = _preamble_balance(lines[:header_at])
    if balance:
        report.notes.append(f"solde indiqué en tête : {balance[1]:.2f} € au {balance[0]:%d/%m/%Y}")
    extra = {"balance_date": balance[0], "balance_eur": balance[1]} if balance else {}
    return report.finish(frame, kind="bank", fmt="bank-csv", bank=bank, **extra)


_BALANCE = re.compile(
    r"solde\D{0,30}?(?P<date>\d{2}/\d{2}/\d{4})\s*:?\s*;?\s*(?P<amount>-?[\d\s\u00a0.]+,\d{2}|-?\d+\.\d{2})",
    re.IGNORECASE,
)


_LBP_DATE = re.compile(r"^\s*date\s*;\s*(?P<date>\d{2}/\d{2}/\d{4})", re.IGNORECASE)
_LBP_BALANCE = re.compile(
    r"^\s*solde\s*\(euros\)\s*;\s*(?P<amount>-?[\d\s\u00a0.]*\d(,\d{1,2})?)", re.IGNORECASE
)


def _preamble_balance(lines: list[str]) -> tuple[pd.Timestamp, float] | None:
    """The balance and its date from the lines before the header: « Solde au 31/03/2025 4 002,31 € »
    (Crédit Agricole), or « Date ;30/06/2025 » then « Solde (EUROS) ;85,12 » (La Banque Postale).
    """
    dated = [m for m in map(_LBP_DATE.search, lines) if m]
    balance = [m for m in map(_LBP_BALANCE.search, lines) if m]
    if dated and balance:
        try:
            amount = parse_amount(balance[0].group("amount"))
            if amount is not None:
                return parse_day(dated[0].group("date")), amount
        except ValueError:
            pass
    for line in lines:
        m = _BALANCE.search(line)
        if m:
            try:
                amount = parse_amount(m.group("amount"))
                day = parse_day(m.group("date"))
            except ValueError:
                continue
            if amount is not None:
                return day, amount
    return None


def _sniff_ofx(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip().upper()
    return text.startswith("OFXHEADER") or "<OFX>" in text[:2000]


def read_ofx(path: str | Path) -> pd.DataFrame:
    """Read an OFX statement (v1 SGML or v2 XML) with ofxtools: one row per ``STMTTRN``."""
    from ofxtools.Parser import OFXTree

    path = Path(path)
    tree = OFXTree()
    try:
        tree.parse(str(path))
        statements = list(tree.convert().statements)
        transactions = [list(stmt.transactions) for stmt in statements]
    except Exception as exc:
        msg = (
            f"{path.name}: relevé OFX illisible ({type(exc).__name__}: {str(exc)[:150]}) ; "
            "téléchargez-le de nouveau depuis l'espace client de la banque (format OFX ou CSV)"
        )
        raise ExportFormatError(msg) from exc
    report = ImportReport(path)
    rows = []
    for txs in transactions:
        for i, tx in enumerate(txs):
            report.rows_read += 1
            try:
                day = pd.Timestamp(tx.dtposted).tz_convert("Europe/Paris").as_unit("ns")
                amount = float(tx.trnamt)
            except (TypeError, ValueError, OverflowError, OutOfBoundsDatetime):
                report.reject(f"opération {i}", "opération sans montant ni date lisibles")
                continue
            label = " ".join(str(x) for x in (tx.name, tx.memo) if x)
            rows.append({"date": day, "label": label, "amount_eur": amount, "category": ""})
    frame = pd.DataFrame(rows, columns=["date", "label", "amount_eur", "category"])
    frame["date"] = pd.to_datetime(frame["date"], utc=True).dt.tz_convert("Europe/Paris")
    return report.finish(frame, kind="bank", fmt="ofx")


register_format(
    ExportFormat(
        id="bank-csv",
        kind="bank",
        holder="bank",
        title="Relevé bancaire CSV",
        sniff=_sniff_bank_csv,
        read=read_bank_csv,
    )
)
register_format(
    ExportFormat(
        id="ofx", kind="bank", holder="bank", title="Relevé bancaire OFX", sniff=_sniff_ofx, read=read_ofx
    )
)
