r"""Numbers, money, shares and dates written the French way (Babel, locale ``fr_FR``), for the sentences
the library writes from a user's results.

>>> number(9674.6, 1)
'9\u202f674,6'
>>> euros(1234.5)
'1\u202f234,50\xa0€'
>>> percent(0.212)
'21\xa0%'
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"


def number(value: float, digits: int = 0) -> str:
    """``9 674,6`` (narrow no-break space between thousands, decimal comma)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(round(float(value), digits), format=pattern, locale=LOCALE)


def euros(value: float, *, cents: bool = True) -> str:
    """``1 234,50 €`` (or ``1 235 €`` without cents)."""
    if cents:
        return format_currency(float(value), "EUR", locale=LOCALE)
    return format_currency(
        math.floor(float(value) + 0.5), "EUR", format="#,##0\xa0¤", locale=LOCALE, currency_digits=False
    )


def percent(share: float, digits: int = 0) -> str:
    """``21 %`` from ``0.212``."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "\xa0%"
    return format_percent(float(share), format=pattern, locale=LOCALE)


def date(value: Any) -> str:
    """``10 mars 2025``, ``1er février 2025``."""
    import pandas as pd

    day = pd.Timestamp(value).date() if not isinstance(value, dt.date) else value
    text = format_date(day, format="long", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """``1 jour``, ``3 jours`` (French plural: 0 and 1 take the singular)."""
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


# The French words of the codes the library writes (modes, bank categories, kinds of personal data,
# methods): reports, tables and charts show these, never the code. A card may add its own (``keys:``).
WORDS: dict[str, str] = {
    # transport modes
    "car": "voiture",
    "bike": "vélo",
    "bus": "bus",
    "tram": "tram",
    "metro": "métro",
    "train": "train",
    "walk": "marche",
    "unknown": "inconnu",
    # bank categories
    "fuel": "carburant",
    "tolls": "péages",
    "parking": "stationnement",
    "public_transport": "transports en commun",
    "bike_share": "vélo en libre-service",
    "car_insurance": "assurance auto",
    "car_maintenance": "entretien auto",
    "energy": "énergie",
    "water": "eau",
    "supermarket": "supermarché",
    "telecom": "téléphone et internet",
    "rent": "loyer",
    "other": "autre",
    # kinds of personal data
    "electricity": "électricité",
    "gas": "gaz",
    "location_points": "positions",
    "visits": "lieux visités",
    "trips": "trajets",
    "bank": "opérations bancaires",
    "receipts": "achats",
    # how a figure was obtained
    "daily": "météo du jour",
    "normals": "normales climatiques (approché)",
    "straight-line": "vol d'oiseau × 1,3",
    "streets": "réseau de rues",
    "google label": "libellé de l'historique Google",
    "inferred": "déduit de l'historique",
    "typed": "coordonnées tapées",
    "geocoded": "adresse géocodée",
}


def word(code: Any) -> str:
    """The French word of a code of the library (``car`` → ``voiture``); other values as they are."""
    return WORDS.get(str(code), str(code))
