"""Physical plausibility of imported personal data: bounds per kind, each with its source.

Every reader ends in :meth:`~selfdata_lib.exports._base.ImportReport.finish`, which calls
:func:`check_plausibility`. Two kinds of doubt are told apart:

* **a few impossible rows** (a reading error, a GPS jump, a date in the future or before the meter
  could exist): they are rejected, each with its reason, so rows read = kept + rejected still holds;
* **a whole file off by an order of magnitude** (most rows beyond the bound, or all far below what a
  home uses): nothing is dropped — it is most likely a unit the file does not state, or states wrongly
  — and the import report carries a French warning that the notebook shows next to the figures.

The bounds are deliberately wide: they catch what cannot be a household, not what is unusual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

import numpy as np
import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

#: Share of rows beyond a bound under which they are taken for reading errors and rejected; above it,
#: the file as a whole is doubtful (a unit), and it is flagged instead.
ISOLATED_SHARE = 0.05
#: Under this many rows, no row is called isolated: the whole (small) file is flagged instead.
MIN_ROWS_TO_JUDGE = 20

#: Earliest plausible date of each kind.
EARLIEST = {
    # Linky: the first communicating meters were installed in the 2010–2011 experiment (Lyon, Tours)
    # before the national roll-out from December 2015 (Enedis, "Le compteur Linky", history); a load
    # curve or an index read remotely cannot be older.
    "electricity": dt.date(2010, 1, 1),
    # Gazpar: pilot of 150,000 meters in 2014 (GRDF, Gazpar experimentation in four areas), national
    # roll-out 2017–2023; the customer space's daily readings start with it.
    "gas": dt.date(2014, 1, 1),
    # Water: remote reading of household water meters spread in France in the 2000s; an index CSV may
    # carry older manual readings, so the bound is only against epoch and typing errors.
    "water": dt.date(1990, 1, 1),
    # Location: civil GPS precision became usable with the end of Selective Availability (1 May 2000);
    # Google Location History started in 2009. Older timestamps are clock or parsing errors.
    "location_points": dt.date(2000, 5, 1),
    "visits": dt.date(2000, 5, 1),
    "trips": dt.date(2000, 5, 1),
    # Amounts are in euros: the euro exists since 1 January 1999.
    "bank": dt.date(1999, 1, 1),
    "receipts": dt.date(1999, 1, 1),
    # The right of access exists in France since the loi Informatique et Libertés of 6 January 1978
    # (article 34 then; GDPR article 15 since 25 May 2018): a request cannot be older.
    "requests": dt.date(1978, 1, 6),
    # School life (grades, homework, absences): school-life software keeps the current year and a few
    # past ones; a date before 1990 is a typing or epoch error (1970-01-01), not a school record.
    "grades": dt.date(1990, 1, 1),
    "homework": dt.date(1990, 1, 1),
    "absences": dt.date(1990, 1, 1),
}

#: How far in the future a row may be dated (days): bank statements list deferred card debits and
#: scheduled transfers ahead of their date; a meter cannot read tomorrow.
FUTURE_DAYS = {"bank": 92, "homework": 366, "absences": 31}  # homework is set ahead; a planned absence too

#: Highest average power of a home connection, kW: households are on the "tarif bleu" (segment C5,
#: subscribed power at most 36 kVA; CRE, Tarifs réglementés de vente d'électricité) — over a metering
#: interval the average active power cannot exceed it.
MAX_HOME_KW = 36.0
#: Below this median power (W) of the non-zero intervals, a curve is more likely in kW than in W: the
#: standby of an inhabited home is tens of watts at least (ADEME, "La face cachée du numérique" and
#: standby studies: 50–100 W typical).
MIN_MEDIAN_W = 1.0

#: Highest daily volume through a household water meter: a DN15 meter has a permanent flow Q3 of
#: 2.5 m3/h (ISO 4064 / EN 14154, the usual size for a flat or a house), so at most 60,000 l a day.
MAX_WATER_LITRES_PER_DAY = 60_000.0
#: A household's typical day is 100–150 l per person (SISPEA: 148 l/person/day in 2020); a median day
#: above 3,000 l (twenty people) or below 5 l (a home where nobody ever runs a tap) is a unit problem.
WATER_MEDIAN_LITRES = (5.0, 3_000.0)

#: Highest gas a household meter can deliver: a G4 meter (the usual domestic size) is rated 6 m3/h,
#: 144 m3 a day, about 1,650 kWh at a calorific value of ~11.4 kWh/m3 (GRDF, "Compteur gaz G4").
MAX_GAS_KWH_PER_DAY = 1_700.0

#: Faster than an airliner (about 900 km/h cruise): a jump between two positions at more than this is
#: a positioning error.
MAX_SPEED_KMH = 1_200.0

#: A single bank line beyond this is not an everyday household operation (it happens — a house sale —
#: but is worth a look).
LARGE_AMOUNT_EUR = 1_000_000.0


def _time_column(frame: pd.DataFrame) -> str | None:
    return next((c for c in ("start", "time", "date") if c in frame.columns), None)


def _labels(frame: pd.DataFrame, kind: str) -> Callable[[int], str]:
    col = _time_column(frame)
    noun = {
        "electricity": "mesure",
        "gas": "relevé",
        "water": "relevé",
        "bank": "opération",
        "receipts": "achat",
        "location_points": "point",
        "visits": "visite",
        "trips": "trajet",
        "requests": "demande",
        "grades": "note",
        "homework": "devoir",
        "absences": "absence",
    }[kind]

    def where(i: int) -> str:
        if col is None:
            return f"{noun} {i + 1}"
        value = cast(pd.Timestamp | NaTType, frame[col].iat[i])  # a time column: timestamps or NaT
        if pd.isna(value):
            return f"{noun} {i + 1}"
        try:  # numpy spells any date, even beyond the years Python's datetime holds
            return f"{noun} du {np.datetime_as_string(pd.Timestamp(value).to_datetime64(), unit='m')}"
        except (ValueError, TypeError, OverflowError):
            return f"{noun} {i + 1}"

    return where


def _reject(frame: pd.DataFrame, mask: np.ndarray, kind: str, reason: str, report) -> pd.DataFrame:
    if not mask.any():
        return frame
    where = _labels(frame, kind)
    report.reject_positions(np.flatnonzero(mask), reason, where=where)
    return frame.loc[~mask].reset_index(drop=True)


#: The quantity of each kind that is an amount of something: never infinite, and never negative except
#: money (a bank line is a debit or a credit).
AMOUNTS = {
    "electricity": "kwh",
    "gas": "kwh",
    "water": "litres",
    "bank": "amount_eur",
    "receipts": "amount_eur",
}


def _check_amounts(frame: pd.DataFrame, kind: str, report) -> pd.DataFrame:
    column = AMOUNTS.get(kind)
    if column is None or column not in frame.columns:
        return frame
    values = (
        frame[column].to_numpy(dtype=float)
        if pd.api.types.is_numeric_dtype(frame[column])
        else pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    )
    finite = np.isfinite(values)
    if finite.all() and (kind in ("bank", "receipts") or values.min(initial=0.0) >= 0):
        return frame  # the usual case, checked at array speed
    frame = _reject(frame, ~finite, kind, f"{column} n'est pas un nombre fini", report)
    if kind in ("bank", "receipts"):
        return frame
    values = frame[column].to_numpy(dtype=float)
    return _reject(frame, values < 0, kind, f"{column} négatif (un compteur ne fait que monter)", report)


def _utc(column: pd.Series) -> pd.Series:
    """Times as aware UTC, comparable whatever their unit (a reader may keep years 1 or 9999 in seconds)."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column if column.dt.unit == "ns" else column.dt.as_unit("s")
    return pd.to_datetime(column, utc=True, errors="coerce").dt.as_unit("s")


def _check_dates(frame: pd.DataFrame, kind: str, report) -> pd.DataFrame:
    col = _time_column(frame)
    if col is None or frame.empty:
        return frame
    times = _utc(frame[col])
    earliest = pd.Timestamp(EARLIEST[kind], tz="UTC").as_unit("s")
    latest = (
        pd.Timestamp.now(tz="UTC").normalize() + pd.Timedelta(days=1 + FUTURE_DAYS.get(kind, 0))
    ).as_unit("s")
    if times.notna().all() and times.min() >= earliest and times.max() <= latest:
        return frame  # the usual case: two reductions, no mask
    early = (times < earliest).to_numpy()
    frame = _reject(
        frame,
        early,
        kind,
        f"date antérieure à {EARLIEST[kind]:%Y} (impossible pour ce type de données)",
        report,
    )
    late = (_utc(frame[col]) > latest).to_numpy()
    return _reject(frame, late, kind, "date dans le futur", report)


def _beyond(
    frame: pd.DataFrame, mask: np.ndarray, kind: str, reason: str, warning: str, report
) -> pd.DataFrame:
    """Reject isolated rows beyond a bound; flag the file when they are many."""
    n = int(mask.sum())
    if n == 0:
        return frame
    if len(frame) >= MIN_ROWS_TO_JUDGE and n <= ISOLATED_SHARE * len(frame):
        return _reject(frame, mask, kind, reason, report)
    report.warn(warning.format(n=n, total=len(frame)))
    return frame


def _hours(frame: pd.DataFrame) -> np.ndarray:
    start, end = frame["start"], frame["end"]
    if start.dtype == end.dtype and isinstance(start.dtype, pd.DatetimeTZDtype) and start.dt.unit == "ns":
        return (end.array.asi8 - start.array.asi8) / 3.6e12  # array speed
    return ((end - start).dt.total_seconds() / 3600).to_numpy(dtype=float)


def _electricity(frame: pd.DataFrame, report) -> pd.DataFrame:
    hours = _hours(frame)
    with np.errstate(divide="ignore", invalid="ignore"):
        kw = frame["kwh"].to_numpy(dtype=float) / np.where(hours > 0, hours, np.nan)
    before = len(frame)
    frame = _beyond(
        frame,
        np.nan_to_num(kw) > MAX_HOME_KW,
        "electricity",
        f"puissance moyenne de plus de {MAX_HOME_KW:g} kW (plus que ce qu'un branchement domestique permet)",
        f"{{n}} mesures sur {{total}} dépassent {MAX_HOME_KW:g} kW de puissance moyenne, le maximum d'un "
        "compteur domestique (36 kVA) : l'unité de l'export est sans doute fausse (Wh ou W lus comme des "
        "kWh ou des kW ?), ou ce n'est pas un logement.",
        report,
    )
    if len(frame) != before:
        hours = _hours(frame)
        with np.errstate(divide="ignore", invalid="ignore"):
            kw = frame["kwh"].to_numpy(dtype=float) / np.where(hours > 0, hours, np.nan)
    watts = kw * 1000
    positive = watts[np.isfinite(watts) & (watts > 0)]
    if len(positive) >= 24 and np.median(positive) < MIN_MEDIAN_W:
        report.warn(
            f"Puissance moyenne médiane de {np.median(positive):.2g} W seulement : un logement "
            "habité consomme des dizaines de watts en veille. Les valeurs sont peut-être en kW "
            "lues comme des W : vérifiez l'unité de l'export."
        )
    return frame


def _water(frame: pd.DataFrame, report) -> pd.DataFrame:
    days = np.maximum(_hours(frame) / 24, 1 / 24)
    per_day = frame["litres"].to_numpy(dtype=float) / days
    frame = _beyond(
        frame,
        per_day > MAX_WATER_LITRES_PER_DAY,
        "water",
        f"plus de {MAX_WATER_LITRES_PER_DAY / 1000:g} m³ en un jour (au-delà du débit d'un compteur domestique)",
        f"{{n}} relevés sur {{total}} dépassent {MAX_WATER_LITRES_PER_DAY / 1000:g} m³ par jour, plus que "
        "ce qu'un compteur d'eau domestique laisse passer : l'unité de l'export est sans doute fausse "
        "(des litres lus comme des m³ ?).",
        report,
    )
    days = np.maximum(_hours(frame) / 24, 1 / 24)
    per_day = frame["litres"].to_numpy(dtype=float) / days
    positive = per_day[per_day > 0]
    if len(positive) >= 7:
        median = float(np.median(positive))
        low, high = WATER_MEDIAN_LITRES
        if median > high:
            report.warn(
                f"Un jour ordinaire compte {median:,.0f} litres (médiane) : c'est la consommation "
                "de plus de vingt personnes. L'unité de l'export est peut-être fausse (des litres "
                "lus comme des m³ ?) : les chiffres qui suivent ne sont pas fiables tels quels.".replace(
                    ",", "\u202f"
                )
            )
        elif median < low:
            report.warn(
                f"Un jour ordinaire ne compte que {median:.2g} litre(s) (médiane) : l'export est "
                "peut-être en m³ lu comme des litres. Les chiffres qui suivent ne sont pas fiables "
                "tels quels."
            )
    return frame


def _gas(frame: pd.DataFrame, report) -> pd.DataFrame:
    days = np.maximum(_hours(frame) / 24, 1 / 24)
    per_day = frame["kwh"].to_numpy(dtype=float) / days
    return _beyond(
        frame,
        per_day > MAX_GAS_KWH_PER_DAY,
        "gas",
        f"plus de {MAX_GAS_KWH_PER_DAY:g} kWh de gaz en un jour (au-delà d'un compteur domestique G4)",
        f"{{n}} relevés sur {{total}} dépassent {MAX_GAS_KWH_PER_DAY:g} kWh de gaz par jour, plus que ce "
        "qu'un compteur domestique peut débiter : l'unité de l'export est sans doute fausse.",
        report,
    )


def _points(frame: pd.DataFrame, report) -> pd.DataFrame:
    if len(frame) < 3:
        return frame
    from selfdata_lib.geo import haversine_m

    order = frame["time"].argsort(kind="stable").to_numpy()
    ordered = frame.iloc[order]
    lat, lon = ordered["lat"].to_numpy(float), ordered["lon"].to_numpy(float)
    secs = ordered["time"].diff().dt.total_seconds().to_numpy()[1:]
    dist = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        kmh = np.where(secs > 0, dist / secs * 3.6, np.where(dist > 1000, np.inf, 0.0))
    fast = kmh > MAX_SPEED_KMH
    # a point is a jump when both the way in and the way out are impossible
    jump = np.zeros(len(ordered), dtype=bool)
    jump[1:-1] = fast[:-1] & fast[1:]
    mask = np.zeros(len(frame), dtype=bool)
    mask[order] = jump
    return _beyond(
        frame,
        mask,
        "location_points",
        f"saut de position à plus de {MAX_SPEED_KMH:g} km/h (erreur de positionnement)",
        f"{{n}} points sur {{total}} sont des sauts de plus de {MAX_SPEED_KMH:g} km/h : les "
        "positions de cet export sont peu fiables (ou ses heures décalées).",
        report,
    )


def _trips(frame: pd.DataFrame, report) -> pd.DataFrame:
    hours = _hours(frame)
    km = frame["distance_m"].to_numpy(dtype=float) / 1000
    with np.errstate(divide="ignore", invalid="ignore"):
        kmh = np.where(hours > 0, km / hours, np.where(km > 1, np.inf, 0.0))
    return _beyond(
        frame,
        np.nan_to_num(kmh, nan=0.0) > MAX_SPEED_KMH,
        "trips",
        f"vitesse moyenne de plus de {MAX_SPEED_KMH:g} km/h (trajet impossible)",
        f"{{n}} trajets sur {{total}} ont une vitesse moyenne de plus de {MAX_SPEED_KMH:g} km/h : "
        "les distances ou les heures de cet export sont fausses.",
        report,
    )


def _bank(frame: pd.DataFrame, report) -> pd.DataFrame:
    large = frame["amount_eur"].abs().to_numpy(dtype=float) > LARGE_AMOUNT_EUR
    if large.any():
        report.warn(
            f"{int(large.sum())} opération(s) de plus d'un million d'euros : vérifiez les "
            "séparateurs de décimales et de milliers de l'export."
        )
    return frame


_CHECKS: dict[str, Callable[[pd.DataFrame, object], pd.DataFrame]] = {
    "electricity": _electricity,
    "water": _water,
    "gas": _gas,
    "location_points": _points,
    "trips": _trips,
    "bank": _bank,
}


def check_plausibility(frame: pd.DataFrame, kind: str, report) -> pd.DataFrame:
    """``frame`` without its impossible rows (rejected in ``report`` with their reason), the file-wide
    doubts added to ``report.warnings`` in French.
    """
    if frame.empty:
        return frame
    frame = frame.reset_index(drop=True)
    frame = _check_amounts(frame, kind, report)
    frame = _check_dates(frame, kind, report)
    check = _CHECKS.get(kind)
    return check(frame, report) if check is not None and not frame.empty else frame
