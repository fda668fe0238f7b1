"""The Morel family's food shopping in 2024: a weekly E.Leclerc trip (their GDPR export: ``liste_ticket.csv``
and ``detail_ticket.csv``) and a few Lidl Plus tickets, with seasonal buying — tomatoes all year round
(from a heated greenhouse in winter), strawberries in spring, leeks and oranges in winter.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

#: (label as printed, EAN or "", unit price €, quantity per trip, every n weeks, months bought (1-12) or None, weighed)
WEEKLY: list[tuple[str, str, float, float, int, list[int] | None, bool]] = [
    ("VIANDE HACHEE 5%MG 2X250G", "2000000000011", 4.95, 1, 1, None, False),
    ("FILET POULET X2 400G", "2000000000059", 6.20, 1, 2, None, False),
    ("LAIT DEMI ECR 1L", "2000000000028", 0.99, 6, 1, None, False),
    ("YAOURT NATURE 4X125G", "2000000000066", 1.35, 2, 1, None, False),
    ("EMMENTAL RAPE 200G", "2000000000073", 2.15, 1, 1, None, False),
    ("CAMEMBERT 250G", "", 2.40, 1, 2, None, False),
    ("PATES COQUILLETTES 500G", "2000000000035", 0.89, 2, 1, None, False),
    ("RIZ BASMATI 1KG", "", 2.49, 1, 4, None, False),
    ("LENTILLES VERTES 500G", "2000000000042", 1.79, 1, 4, None, False),
    ("JAMBON BLANC 4TR 160G", "", 2.65, 1, 1, None, False),
    ("OEUFS PLEIN AIR X6", "", 2.10, 1, 1, None, False),
    ("BEURRE DOUX 250G", "", 2.35, 1, 2, None, False),
    ("POMME GOLDEN VRAC", "", 2.49, 1.5, 1, [1, 2, 3, 4, 8, 9, 10, 11, 12], True),
    ("BANANES CAVENDISH", "", 1.89, 1.0, 1, None, True),
    ("TOMATE GRAPPE VRAC", "", 3.49, 0.8, 1, None, True),
    ("CAROTTES VRAC", "", 1.29, 1.0, 2, None, True),
    ("COURGETTE VRAC", "", 2.19, 0.8, 1, [5, 6, 7, 8, 9, 10], True),
    ("POIREAUX BOTTE", "", 2.30, 1.0, 2, [1, 2, 3, 4, 9, 10, 11, 12], True),
    ("SALADE BATAVIA", "", 1.10, 1, 1, None, False),
    ("POMME DE TERRE 2,5KG", "", 2.99, 1, 2, None, False),
    ("FRAISES 250G", "", 2.95, 2, 1, [4, 5, 6], False),
    ("ORANGES A JUS 2KG", "", 3.49, 1, 1, [1, 2, 3, 12], False),
    ("JUS D ORANGE 1L", "", 1.85, 2, 1, None, False),
    ("CAFE MOULU 250G", "", 3.20, 1, 2, None, False),
    ("CORNICHONS EXTRA FINS", "", 1.75, 1, 6, None, False),
    ("LESSIVE LIQUIDE 2L", "", 7.90, 1, 4, None, False),
]
HOLIDAYS = (("2024-07-13", "2024-07-28"), ("2024-12-23", "2025-01-01"))
LIDL = [  # Lidl Plus « NATIVE » item names, mixed case as the app shows them
    ("Steak haché 5% MG 2x125g", "20000000003", "3,29", "1", False),
    ("Saumon fumé 4 tranches", "20000000004", "3,99", "1", False),
    ("Bananes", "0080000", "1,69", "1,120", True),
    ("Pain de mie complet", "20000000005", "1,15", "1", False),
]


def _away(day: pd.Timestamp) -> bool:
    return any(pd.Timestamp(a) <= day <= pd.Timestamp(b) for a, b in HOLIDAYS)


def write_shopping(folder: Path, rng: np.random.Generator) -> list[Path]:
    """Write ``courses/`` (Leclerc GDPR export, Lidl Plus tickets) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tickets, details = (
        ["ticket;date_ticket;code_postal"],
        ["ticket;ean;article_libelle;article_prix_unitaire;article_quantite_vendue;article_ca"],
    )
    saturdays = [d for d in pd.date_range("2024-01-06", "2024-12-28", freq="7D") if not _away(d)]
    for week, day in enumerate(saturdays):
        ticket = f"T{day:%Y%m%d}01"
        tickets.append(f"{ticket};{day:%Y-%m-%d};44300")
        for label, ean, price, qty, every, months, weighed in WEEKLY:
            if week % every or (months is not None and day.month not in months):
                continue
            q = round(float(qty * rng.uniform(0.8, 1.25)), 3) if weighed else qty
            total = round(price * q, 2)
            q_text = f"{q:.3f}" if weighed else f"{q:g}"
            details.append(f"{ticket};{ean};{label};{price:.2f};{q_text};{total:.2f}")
        if week % 6 == 3:
            details.append(f"{ticket};;SAC KRAFT;0.10;1;0.10")  # not a product: a rejected row
    liste = folder / "liste_ticket.csv"
    liste.write_text("\n".join(tickets) + "\n", encoding="utf-8")
    detail = folder / "leclerc_detail_ticket.csv"
    detail.write_text("\n".join(details) + "\n", encoding="utf-8")
    lidl = []
    for i, day in enumerate(pd.date_range("2024-01-10", "2024-12-18", freq="28D")):
        items = [
            {
                "name": name,
                "quantity": qty,
                "currentUnitPrice": price,
                "isWeight": weighed,
                "codeInput": code,
                "originalAmount": f"{float(price.replace(',', '.')) * float(qty.replace(',', '.')):.2f}".replace(
                    ".", ","
                ),
                "discounts": [{"description": "Lidl Plus", "amount": "0,20"}] if weighed and i % 2 else [],
                "taxGroupName": "A",
                "deposit": None,
            }
            for name, code, price, qty, weighed in LIDL
        ]
        lidl.append(
            {
                "id": f"2500{i:015d}",
                "date": f"{day:%Y-%m-%d}T18:{10 + i:02d}:00",
                "ticketType": "NATIVE",
                "store": {"name": "Lidl Nantes Doulon"},
                "currency": {"code": "EUR"},
                "itemsLine": items,
            }
        )
    tick = folder / "lidl_plus_tickets.json"
    tick.write_text(json.dumps(lidl, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [liste, detail, tick]
