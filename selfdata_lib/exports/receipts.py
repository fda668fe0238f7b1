"""Receipts and loyalty-card purchases: what retailers and receipt apps hand out.

Every reader returns ``date``, ``ean``, ``label`` (as printed), ``quantity``, ``amount_eur`` (the line total),
and ``store``, ``unit`` (``kg`` for a weighed line, ``""`` for pieces), ``retailer``.

- ``receipts-csv`` — the project's documented generic CSV (UTF-8 or latin-1, ``;`` or ``,``, decimal comma
  or point)::

      date;store;ean;label;quantity;unit;amount_eur
      2025-03-01;Leclerc Nantes;3017620422003;PATE A TARTINER 400G;1;;3,49
      2025-03-01;Leclerc Nantes;;POMMES GALA;0,62;kg;1,85

  ``store`` and ``unit`` may be left out; ``ean`` may be empty for loose products.
- ``loyalty-gdpr-csv`` — the purchase history a retailer sends for a GDPR access request (« droit d'accès »),
  one CSV per retailer, recognised by its header: E.Leclerc (``ean``, ``article_libelle``,
  ``article_quantite_vendue``, ``article_ca``; dates in the sibling ``liste_ticket.csv``), Auchan
  (``CODE_PRODUIT``, ``NOM_PRODUIT``, ``QUANTITE_VENDUE``, ``PRIX_UNITAIRE``, ``JOUR``), Intermarché
  (``COD_ARTC_EAN``, ``LB_ARTC``, ``Qte Vendues``, ``CA TTC Produit``, ``DT_TICK``), Carrefour's « Tickets »
  sheet saved as CSV (``Code Barre du produit`` between pipes, ``Description du produit``, ``Quantité``,
  ``Prix unitaire TTC avec remise (€)``, ``Date de transaction``). Column names as documented by Open Food
  Facts' Open Prices import scripts (``scripts/gdpr``); coupons, bags and returns are rejected rows.
- ``carrefour-receipt-json`` — a receipt of the Carrefour account (``type: receiptDetails``,
  ``attributes.products.product[]`` with ``label``, ``quantity``, ``weight``, ``unitTypeCode``,
  ``totalPrice``): in-store lines carry no barcode.
- ``lidl-plus-json`` — a Lidl Plus ticket of the « NATIVE » kind (``itemsLine[]`` with ``name``,
  ``quantity``, ``isWeight``, ``originalAmount``, ``codeInput``, ``discounts[]``; amounts with a decimal
  comma, discounts positive and subtracted).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    COMPANIONS,
    ExportFormat,
    ImportReport,
    as_dict,
    as_list,
    csv_rows,
    decode_text,
    line_label,
    load_json,
    local_dates,
    normalise,
    parse_amount,
    parse_day,
    read_text,
    register_format,
)

COLUMNS = ["date", "ean", "label", "quantity", "amount_eur"]
OUT = [*COLUMNS, "store", "unit", "retailer"]
OPTIONAL = {"store": ("store", "magasin"), "unit": ("unit", "unite")}


def _header(line: str) -> tuple[str, list[str]] | None:
    for sep in (";", ",", "\t"):
        cols = [normalise(c) for c in line.split(sep)]
        if set(COLUMNS) <= set(cols):
            return sep, cols
    return None


def _sniff_receipts(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and _header(lines[0]) is not None


def _ean(text: str) -> str | None:
    """The barcode as digits (pipes and spaces removed), ``""`` when empty, ``None`` when not a barcode."""
    digits = re.sub(r"[|\s]", "", str(text))
    if not digits:
        return ""
    return digits if digits.isdigit() and len(digits) in (8, 12, 13, 14) else None


def _frame(rows: list[dict[str, Any]], report: ImportReport, fmt: str, **attrs: Any) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=OUT)
    # the day of the purchase is what counts (a 02:30 on the night clocks go forward does not exist)
    frame["date"] = local_dates(pd.to_datetime(frame["date"]).dt.normalize())
    return report.finish(frame, kind="receipts", fmt=fmt, **attrs)


def read_receipts_csv(path: str | Path) -> pd.DataFrame:
    """Read the generic receipts CSV (see the module docstring)."""
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _header(lines[0]) if lines else None
    if found is None:
        msg = f"{path.name}: ligne 1 : l'en-tête devrait être « {';'.join(COLUMNS)} » (store et unit en plus au choix)"
        raise ExportFormatError(msg)
    sep, cols = found
    idx = {c: cols.index(c) for c in COLUMNS}
    extra = {k: next((cols.index(n) for n in names if n in cols), None) for k, names in OPTIONAL.items()}
    report = ImportReport(path)
    rows = []
    for n, fields in csv_rows(lines[1:], 2, sep, report):
        try:
            date = parse_day(fields[idx["date"]])
            quantity = parse_amount(fields[idx["quantity"]]) or 0.0
            amount = parse_amount(fields[idx["amount_eur"]])
        except (IndexError, ValueError):
            report.reject(line_label(n), "date, quantité ou montant illisible")
            continue
        if amount is None:
            report.reject(line_label(n), "pas de montant")
            continue
        ean = _ean(fields[idx["ean"]])
        if ean is None:
            report.reject(
                line_label(n), "EAN qui n'a pas 8, 12, 13 ou 14 chiffres", detail=repr(fields[idx["ean"]])
            )
            continue
        opt = {k: (fields[i].strip() if i is not None and i < len(fields) else "") for k, i in extra.items()}
        unit = opt["unit"].lower()
        if unit and unit not in ("kg", "g", "l", "u", "piece", "pièce"):
            report.reject(line_label(n), "unité inconnue (attendu kg, g, l ou vide)", detail=repr(unit))
            continue
        rows.append(
            {
                "date": date,
                "ean": ean,
                "label": fields[idx["label"]].strip(),
                "quantity": quantity,
                "amount_eur": amount,
                "store": opt["store"],
                "unit": "kg" if unit == "kg" else ("g" if unit == "g" else ""),
                "retailer": "",
            }
        )
    return _frame(rows, report, "receipts-csv")


#: GDPR exports: retailer → the header columns that name it and where each field is.
GDPR = {
    "E.Leclerc": {
        "sign": "article_libelle",
        "ean": "ean",
        "label": "article_libelle",
        "quantity": "article_quantite_vendue",
        "total": "article_ca",
        "date": "date_ticket",
        "store": "code_postal",
        "ticket": "ticket",
    },
    "Auchan": {
        "sign": "nom_produit",
        "ean": "code_produit",
        "label": "nom_produit",
        "quantity": "quantite_vendue",
        "unit_price": "prix_unitaire",
        "date": "jour",
        "store": "code_postal",
    },
    "Intermarché": {
        "sign": "lb_artc",
        "ean": "cod_artc_ean",
        "label": "lb_artc",
        "quantity": "qte vendues",
        "total": "ca ttc produit",
        "date": "dt_tick",
        "store": "cod_poin_vent",
    },
    "Carrefour": {
        "sign": "description du produit",
        "ean": "code barre du produit",
        "label": "description du produit",
        "quantity": "quantite",
        "unit_price": "prix unitaire ttc avec remise (€)",
        "date": "date de transaction",
        "store": "nom du magasin",
    },
}
#: Lines of a GDPR export that are not products (Open Prices' import scripts skip them too).
NOT_PRODUCTS = r"\bSAC\b|SAC KRAFT|REMBOURSEMENT SAC|COUPON|BON D.?ACHAT|\bREMISE\b|FIDELITE"


def _gdpr_layout(cols: list[str]) -> str | None:
    return next((name for name, spec in GDPR.items() if spec["sign"] in cols), None)


def _gdpr_header(lines: list[str]) -> tuple[str, list[str], str] | None:
    if not lines:
        return None
    for sep in (";", ",", "\t"):
        cols = [normalise(c).strip('"') for c in lines[0].split(sep)]
        layout = _gdpr_layout(cols)
        if layout and GDPR[layout]["label"] in cols:
            return sep, cols, layout
    return None


def _sniff_gdpr(head: bytes, path: Path) -> bool:
    return _gdpr_header(decode_text(head).splitlines()[:1]) is not None


def _leclerc_dates(path: Path) -> dict[str, tuple[str, str]]:
    """E.Leclerc sends the tickets' dates and postcodes in ``liste_ticket*.csv`` next to the details."""
    out: dict[str, tuple[str, str]] = {}
    for other in sorted(path.parent.glob("*liste_ticket*.csv")):
        lines = read_text(other).splitlines()
        if not lines:
            continue
        sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
        cols = [normalise(c) for c in lines[0].split(sep)]
        if not {"ticket", "date_ticket"} <= set(cols):
            continue
        i, j = cols.index("ticket"), cols.index("date_ticket")
        k = cols.index("code_postal") if "code_postal" in cols else None
        for fields in (ln.split(sep) for ln in lines[1:]):
            if len(fields) > max(i, j):
                out[fields[i].strip()] = (
                    fields[j].strip(),
                    fields[k].strip() if k is not None and k < len(fields) else "",
                )
    return out


def _gdpr_fields(fields: list[str], cols: list[str], spec: dict[str, str]) -> dict[str, str]:
    return {
        key: (fields[cols.index(c)] if c in cols and cols.index(c) < len(fields) else "")
        for key, c in spec.items()
    }


def read_loyalty_gdpr_csv(path: str | Path) -> pd.DataFrame:
    """A retailer's GDPR export of my loyalty-card purchases (see the module docstring)."""
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _gdpr_header(lines)
    if found is None:
        msg = f"{path.name}: ligne 1 : en-tête d'export RGPD de carte de fidélité non reconnu"
        raise ExportFormatError(msg)
    sep, cols, layout = found
    spec = GDPR[layout]
    dates = _leclerc_dates(path) if layout == "E.Leclerc" and spec["date"] not in cols else {}
    report = ImportReport(path)
    if layout == "E.Leclerc" and spec["date"] not in cols:
        report.notes.append(f"dates des tickets lues dans liste_ticket.csv ({len(dates)} tickets)")
    rows = []
    for n, fields in csv_rows(lines[1:], 2, sep, report):
        f = _gdpr_fields(fields, cols, spec)
        label = f["label"].strip()
        if re.search(NOT_PRODUCTS, label.upper()):
            report.reject(line_label(n), "pas un produit (sac, coupon, remise)", detail=label)
            continue
        raw_date, store = f.get("date", ""), f.get("store", "")
        if not raw_date and f.get("ticket", "").strip() in dates:
            raw_date, store = dates[f["ticket"].strip()]
        try:
            date = parse_day(raw_date)
            quantity = parse_amount(f["quantity"])
            if "total" in spec:
                amount = parse_amount(f["total"])
            else:
                unit_price = parse_amount(f["unit_price"])
                amount = None if unit_price is None or quantity is None else unit_price * quantity
        except (ValueError, OverflowError):
            why = (
                "date du ticket inconnue (liste_ticket.csv manquant ?)"
                if not raw_date
                else "date, quantité ou prix illisible"
            )
            report.reject(line_label(n), why)
            continue
        if quantity is None or quantity <= 0:
            report.reject(line_label(n), "quantité nulle ou négative (retour d'article)")
            continue
        if amount is None:
            report.reject(line_label(n), "pas de prix")
            continue
        ean = _ean(f["ean"])
        rows.append(
            {
                "date": date,
                "ean": ean or "",
                "label": label,
                "quantity": quantity,
                "amount_eur": amount,
                "store": store.strip(),
                # a weighed line is written with decimals (« 0,812 », « 1.000 »), a count without
                "unit": "kg" if re.search(r"[.,]\d", f["quantity"]) else "",
                "retailer": layout,
            }
        )
    report.notes.append(f"export RGPD reconnu : {layout}")
    return _frame(rows, report, "loyalty-gdpr-csv", retailer=layout)


def _sniff_carrefour(head: bytes, path: Path) -> bool:
    return b'"receiptDetails"' in head or (b'"gln"' in head and b'"products"' in head)


def read_carrefour_receipt(path: str | Path) -> pd.DataFrame:
    """A Carrefour account receipt (``receiptDetails``), or a list of them (``{"data": [...]}``)."""
    path = Path(path)
    data = load_json(path, "un ticket Carrefour")
    receipts = (
        as_list(as_dict(data).get("data")) if isinstance(data, dict) and "data" in data else as_list(data)
    )
    if isinstance(data, dict) and "attributes" in data:
        receipts = [data]
    report = ImportReport(path)
    rows = []
    for i, receipt in enumerate(receipts, start=1):
        attrs = as_dict(as_dict(receipt).get("attributes"))
        when = attrs.get("transactionDate") or attrs.get("dateKey")
        for j, product in enumerate(as_list(as_dict(attrs.get("products")).get("product")), start=1):
            report.rows_read += 1
            p = as_dict(product)
            where = f"ticket {i}, ligne {j}"
            try:
                date = parse_day(str(when))
                weighed = str(p.get("unitTypeCode", "")).upper() == "KG"
                quantity = float(str(p.get("weight") if weighed else p.get("quantity") or 1))
                amount = float(p["totalPrice"])
            except (KeyError, TypeError, ValueError, OverflowError):
                report.reject(where, "date, quantité ou prix illisible")
                continue
            if not (quantity > 0 and abs(amount) < 10_000):
                report.reject(where, "quantité nulle ou prix invraisemblable")
                continue
            rows.append(
                {
                    "date": date,
                    "ean": "",
                    "label": str(p.get("label") or "").strip(),
                    "quantity": quantity,
                    "amount_eur": amount,
                    "store": str(attrs.get("storeName") or ""),
                    "unit": "kg" if weighed else "",
                    "retailer": "Carrefour",
                }
            )
    if report.rows_read == 0:
        msg = f"{path.name}: aucun produit dans « attributes.products.product » (ticket Carrefour)"
        raise ExportFormatError(msg)
    return _frame(rows, report, "carrefour-receipt-json")


def _sniff_lidl(head: bytes, path: Path) -> bool:
    return b'"itemsLine"' in head


def _comma(value: Any) -> float:
    number = parse_amount(str(value)) if value is not None else None
    if number is None:
        msg = f"montant illisible : {value!r}"
        raise ValueError(msg)
    return number


def read_lidl_plus(path: str | Path) -> pd.DataFrame:
    """A Lidl Plus ticket of the « NATIVE » kind (``itemsLine[]``), or a list of them."""
    path = Path(path)
    data = load_json(path, "un ticket Lidl Plus")
    tickets = as_list(data) if isinstance(data, list) else [as_dict(data).get("ticket", data)]
    report = ImportReport(path)
    rows = []
    for i, ticket in enumerate(tickets, start=1):
        t = as_dict(ticket)
        store = as_dict(t.get("store")).get("name") or ""
        for j, line in enumerate(as_list(t.get("itemsLine")), start=1):
            report.rows_read += 1
            item = as_dict(line)
            try:
                date = parse_day(str(t.get("date")))
                quantity = _comma(item.get("quantity", "1"))
                amount = _comma(item.get("originalAmount"))
                amount -= sum(_comma(as_dict(d).get("amount", "0")) for d in as_list(item.get("discounts")))
            except (ValueError, OverflowError, TypeError):
                report.reject(f"ticket {i}, ligne {j}", "date, quantité ou montant illisible")
                continue
            if quantity <= 0:
                report.reject(f"ticket {i}, ligne {j}", "quantité nulle ou négative")
                continue
            ean = _ean(str(item.get("codeInput") or ""))
            rows.append(
                {
                    "date": date,
                    "ean": ean or "",
                    "label": str(item.get("name") or "").strip(),
                    "quantity": quantity,
                    "amount_eur": amount,
                    "store": str(store),
                    "unit": "kg" if item.get("isWeight") else "",
                    "retailer": "Lidl",
                }
            )
    if report.rows_read == 0:
        msg = f"{path.name}: aucun article dans « itemsLine » (ticket Lidl Plus)"
        raise ExportFormatError(msg)
    return _frame(rows, report, "lidl-plus-json")


register_format(
    ExportFormat(
        id="receipts-csv",
        kind="receipts",
        holder="shop / receipt scanner",
        title="Tickets de caisse CSV (date;store;ean;label;quantity;unit;amount_eur)",
        sniff=_sniff_receipts,
        read=read_receipts_csv,
    )
)
COMPANIONS["*liste_ticket*.csv"] = "E.Leclerc : dates des tickets, lues avec le détail (loyalty-gdpr-csv)"
register_format(
    ExportFormat(
        id="loyalty-gdpr-csv",
        kind="receipts",
        holder="E.Leclerc, Auchan, Intermarché, Carrefour (demande RGPD)",
        title="Achats de ma carte de fidélité, export RGPD (CSV)",
        sniff=_sniff_gdpr,
        read=read_loyalty_gdpr_csv,
    )
)
register_format(
    ExportFormat(
        id="carrefour-receipt-json",
        kind="receipts",
        holder="Carrefour (compte client)",
        title="Ticket de caisse Carrefour (JSON du compte)",
        sniff=_sniff_carrefour,
        read=read_carrefour_receipt,
    )
)
register_format(
    ExportFormat(
        id="lidl-plus-json",
        kind="receipts",
        holder="Lidl Plus",
        title="Ticket Lidl Plus (JSON)",
        sniff=_sniff_lidl,
        read=read_lidl_plus,
    )
)
