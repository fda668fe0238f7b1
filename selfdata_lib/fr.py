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
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

if TYPE_CHECKING:
    import pandas as pd

LOCALE = "fr_FR"


def number(value: float, digits: int = 0) -> str:
    """``9 674,6`` (narrow no-break space between thousands, decimal comma)."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(_half_up(value, digits), format=pattern, locale=LOCALE)


def _half_up(value: float, digits: int) -> Decimal | float:
    """``value`` rounded half away from zero, as people round (3 632,5 → 3 633), from its shortest
    decimal spelling: a figure already rounded once to one decimal reads as the raw figure does.
    """
    if not math.isfinite(float(value)):
        return float(value)
    step = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


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
    return format_percent(_half_up(share, digits + 2), format=pattern, locale=LOCALE)


#: The clock a UTC instant is shown on (exports such as Google's location history write UTC): the local
#: day of the territories described (Paris, Madrid: the same clock).
LOCAL_CLOCK = "Europe/Paris"


def on_local_clock(stamp: pd.Timestamp) -> pd.Timestamp:
    """``stamp`` on :data:`LOCAL_CLOCK` when it is an instant in UTC; as it is otherwise (naive, or with
    its own time zone — London's winter time is not UTC).
    """
    if stamp.tzinfo is not None and str(stamp.tzinfo) in ("UTC", "UTC+00:00", "Etc/UTC", "Z"):
        return stamp.tz_convert(LOCAL_CLOCK)
    return stamp


def date(value: Any) -> str:
    """``10 mars 2025``, ``1er février 2025``. An instant in UTC is shown on the local clock
    (:data:`LOCAL_CLOCK`): 23:00 UTC on 28 February is 1 March in Paris; an instant with its own offset
    keeps its own day.
    """
    import pandas as pd

    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    else:
        day = on_local_clock(pd.Timestamp(value)).date()
    text = format_date(day, format="long", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def month(value: Any) -> str:
    """``janv. 2025`` from a month (``2025-01``, a period, a date)."""
    import pandas as pd

    stamp = pd.Period(str(value), freq="M").to_timestamp() if not isinstance(value, dt.date) else value
    return format_date(stamp, format="MMM yyyy", locale=LOCALE)


def month_ticks(months: pd.Series | pd.Index, *, most: int = 13) -> tuple[list[int], list[str]]:
    """Positions and labels for a time axis of ``months`` (one entry per column, e.g. a day's month as
    ``2025-01`` or a date): a tick where the month changes, at most ``most`` of them (every second,
    third… month on a long axis), labelled ``janv.``, with the year under the first tick of each year.
    """
    import pandas as pd

    periods = [pd.Period(str(m)[:7], freq="M") for m in months]
    starts = [i for i in range(len(periods)) if i == 0 or periods[i] != periods[i - 1]]
    step = -(-len(starts) // most) if starts else 1
    picked = starts[::step]
    labels, year = [], None
    for i in picked:
        stamp = periods[i].to_timestamp()
        short = format_date(stamp, format="MMM", locale=LOCALE)
        labels.append(short if stamp.year == year else f"{short}\n{stamp.year}")
        year = stamp.year
    return picked, labels


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
    "household": "composition du foyer",
    "address": "adresse",
    "requests": "demandes RGPD",
    "grades": "notes",
    "homework": "devoirs",
    "absences": "absences et retards",
    # how a figure was obtained
    "daily": "météo du jour",
    "normals": "normales climatiques (approché)",
    "straight-line": "vol d'oiseau × 1,3",
    "streets": "réseau de rues",
    "google label": "libellé de l'historique Google",
    "inferred": "déduit de l'historique",
    "typed": "coordonnées tapées",
    "geocoded": "adresse géocodée",
    # column names of the tables the analyses return
    "start": "début",
    "end": "fin",
    "days": "jours",
    "ongoing": "en cours",
    "extra_litres_per_day": "litres de plus par jour",
    "litres_lost": "litres perdus",
    "district": "arrondissement",
    "suppressed": "masqué (trop peu de foyers)",
    "noisy_contributors": "foyers (bruités)",
    "median": "médiane (l/pers/jour)",
    "q25": "1er quartile",
    "q75": "3e quartile",
    "action": "geste",
    "litres_per_year": "litres par an",
    "eur_per_year": "€ par an",
    "source": "source",
    "kw": "kW",
    "share_of_subscribed": "part de la puissance souscrite",
    "tariff": "tarif",
    "energy_eur": "énergie (€)",
    "subscription_eur": "abonnement (€)",
    "total_eur": "total (€)",
    "effective": "en vigueur depuis",
    "file": "fichier",
    "holder": "détenteur",
    "format": "format",
    "kinds": "données",
    "first": "du",
    "last": "au",
    "rows_read": "lignes lues",
    "rows_kept": "lignes gardées",
    "rows_rejected": "lignes écartées",
    "status": "état",
    "ok": "reconnu",
    "use_case": "cas d'usage",
    "territory": "territoire",
    "title": "titre",
    "needs": "il faut",
    "missing": "manque",
    "unlocked": "prêt",
    "lat": "latitude",
    "lon": "longitude",
    "how": "trouvé par",
    "mode": "mode",
    "name": "nom",
    "kgco2e_per_km": "kg CO₂e par km",
    "category": "poste",
    "month": "mois",
    "km": "km",
    "eur": "€",
    "eur_per_km": "€ par km",
    "distance_m": "distance (m)",
    "count": "nombre",
    "sum": "total",
    "mean": "moyenne",
    "value": "valeur",
    "kwh_per_day": "kWh par jour",
    "peak_hour": "heure de pointe",
    "litres_per_person_day": "litres par personne et par jour",
    "period": "période",
    "car_l_per_100km": "consommation de la voiture (l/100 km)",
    "fuel_eur_per_l": "prix du carburant (€/l)",
    "fare_eur": "ticket (€)",
    "car_kgco2e_per_km": "voiture (kg CO₂e/km)",
    "unchanged": "inchangé",
    "horizon_min": "horizon (min)",
    "brier_bike_model": "Brier vélo, modèle",
    "brier_bike_persistence": "Brier vélo, persistance",
    "brier_dock_model": "Brier place, modèle",
    "brier_dock_persistence": "Brier place, persistance",
    "mae_bikes_model": "erreur vélos, modèle",
    "mae_bikes_persistence": "erreur vélos, persistance",
    "station_id": "station",
    "stations": "stations",
    "snapshots": "relevés",
    "size_litres_per_day": "fuite (l/jour)",
    "length_days": "durée (jours)",
    "occupants": "personnes",
    "series": "séries",
    "recall": "rappel",
    "false_alarms_per_series": "fausses alertes par série",
    "start_error_days": "erreur sur le début (jours)",
    "extra_relative_error": "erreur relative sur le débit",
    "smallest_reliable_leak_litres_per_day": "plus petite fuite fiable (l/jour)",
    "fare_eur_per_trip": "ticket par trajet (€)",
    "fuel_price_eur_l": "prix du carburant (€/l)",
    "new_mode_kgco2e_per_km": "nouveau mode (kg CO₂e/km)",
    "scaled_to_year_from_months": "ramené à un an depuis (mois)",
}


def word(code: Any) -> str:
    """The French word of a code of the library (``car`` → ``voiture``); other values as they are."""
    return WORDS.get(str(code), str(code))
