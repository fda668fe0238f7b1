"""Jordi's travel exports (see the module jordi), January–March 2025:

- ``Timeline.json`` — Google Maps on-device timeline (Android): the metro to Glòries from Monday to
  Thursday, the bus on Fridays, his mother's near the Sant Pau precinct by car on Thursday evenings,
  Saturday walks to the Abaceria market, a Sunday drive to the beach at Sitges every three weeks;
- ``extracte_compte.ofx`` — his current account as an OFX statement (v2, XML), a format the library
  reads. Spanish banks usually export spreadsheets or the AEB « Norma 43 » (Cuaderno 43) file, which the
  library does not read yet: this file stands for what such an export holds (salary, rent, the monthly
  T-usual, fuel, car park, car insurance, groceries).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._timeline import Place, Timeline

TZ = "Europe/Madrid"
#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = [
    "`Timeline.json`: Google Maps on-device timeline (Android), January–March 2025 — metro and bus to work, "
    "short car trips to his mother's, Sunday drives to Sitges.",
    "`extracte_compte.ofx`: OFX statement, January–March 2025 (T-usual, fuel, car park, car insurance) — OFX "
    "stands in for a Spanish bank's export (spreadsheet or Norma 43, not read by the library yet).",
]
PLACES: dict[str, Place] = {
    "mother": {"lat": 41.4114, "lon": 2.1744, "id": "place-sant-pau", "name": "Recinte de Sant Pau"},
    "market": {"lat": 41.4037, "lon": 2.1590, "id": "place-abaceria", "name": "Mercat de l'Abaceria Central"},
    "sitges": {"lat": 41.2345, "lon": 1.8075, "id": "place-sitges", "name": "Platja de la Ribera, Sitges"},
}
HOLIDAYS = {pd.Timestamp("2025-01-01", tz=TZ), pd.Timestamp("2025-01-06", tz=TZ)}


def timeline(rng: np.random.Generator, home: Place, work: Place) -> dict:
    """Three months of Jordi's on-device timeline."""
    tl = Timeline(rng, TZ)
    days = pd.date_range("2025-01-01", "2025-04-01", freq="D", inclusive="left", tz=TZ)
    cursor = days[0]

    def minutes(lo: int, hi: int) -> pd.Timedelta:
        return pd.Timedelta(minutes=int(rng.integers(lo, hi)))

    for day in days:
        if day.day_of_week < 5 and day not in HOLIDAYS:
            mode = "bus" if day.day_of_week == 4 else "metro"
            leave = day + pd.Timedelta(hours=8) + minutes(0, 30)
            tl.visit(home, cursor, leave)
            arrive = tl.trip(home, work, leave, mode)
            back = day + pd.Timedelta(hours=17, minutes=45) + minutes(0, 45)
            tl.visit(work, arrive, back)
            cursor = tl.trip(work, home, back, mode)
            if day.day_of_week == 3:  # Thursday evening: his mother's near Sant Pau, by car
                go = cursor + minutes(30, 60)
                tl.visit(home, cursor, go)
                cursor = tl.outing(home, PLACES["mother"], go, minutes(75, 110), "car")
        elif day.day_of_week == 5:  # Saturday: the market on foot
            go = day + pd.Timedelta(hours=10, minutes=30) + minutes(0, 40)
            tl.visit(home, cursor, go)
            cursor = tl.outing(home, PLACES["market"], go, minutes(40, 70), "walk")
        elif day.day_of_week == 6 and day.isocalendar().week % 3 == 0:  # every third Sunday: the coast
            go = day + pd.Timedelta(hours=10) + minutes(0, 30)
            tl.visit(home, cursor, go)
            cursor = tl.outing(home, PLACES["sitges"], go, pd.Timedelta(hours=5) + minutes(0, 60), "car")
    tl.visit(home, cursor, days[-1] + pd.Timedelta(hours=23, minutes=59))
    return tl.document(home, work, "TRANSIT")


def bank_statement(rng: np.random.Generator) -> list[tuple[pd.Timestamp, str, str, float]]:
    """(date, name, memo, signed amount in euros) for January–March 2025 (amounts fictional, except the
    T-usual: 22,00 € a month for one zone in 2025).
    """
    ops: list[tuple[pd.Timestamp, str, str, float]] = []
    for month in (1, 2, 3):
        first = pd.Timestamp(2025, month, 1)
        ops += [
            (first + pd.Timedelta(days=1), "TMB T-USUAL 1 ZONA", "T-MOBILITAT", -22.00),
            (first + pd.Timedelta(days=2), "LLOGUER PIS GRACIA", "RECIBO", -980.00),
            (first + pd.Timedelta(days=4), "MAPFRE SEGURO AUTO", "RECIBO", -38.50),
            (first + pd.Timedelta(days=7), "ENDESA ENERGIA", "RECIBO", -64.00),
            (first + pd.Timedelta(days=27), "NOMINA EMPRESA EXEMPLE SL", "TRANSFERENCIA", 2300.00),
        ]
        for week in range(4):
            shop = first + pd.Timedelta(days=5 + 7 * week)
            ops.append((shop, "MERCADONA BARCELONA", "COMPRA TARJETA", -round(float(rng.uniform(45, 95)), 2)))
        for k in range(2):
            day = first + pd.Timedelta(days=10 + 14 * k)
            ops.append(
                (day, "REPSOL EESS BARCELONA", "COMPRA TARJETA", -round(float(rng.uniform(45, 62)), 2))
            )
            ops.append((day + pd.Timedelta(days=3), "BSM APARCAMENT", "COMPRA TARJETA", -6.50))
    return sorted(ops, key=lambda o: o[0])


def write_ofx(path: Path, ops: list[tuple[pd.Timestamp, str, str, float]]) -> None:
    """An OFX 2.2 (XML) bank statement in euros, read by ofxtools."""
    body = "\n".join(
        f"<STMTTRN><TRNTYPE>{'CREDIT' if amount > 0 else 'DEBIT'}</TRNTYPE><DTPOSTED>{day:%Y%m%d}</DTPOSTED>"
        f"<TRNAMT>{amount:.2f}</TRNAMT><FITID>{k + 1:06d}</FITID><NAME>{name}</NAME><MEMO>{memo}</MEMO></STMTTRN>"
        for k, (day, name, memo, amount) in enumerate(ops)
    )
    balance = 2650.0 + sum(o[3] for o in ops)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n"
        "<DTSERVER>20250401090000</DTSERVER><LANGUAGE>SPA</LANGUAGE></SONRS></SIGNONMSGSRSV1>\n"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n"
        "<STMTRS><CURDEF>EUR</CURDEF><BANKACCTFROM><BANKID>0000</BANKID><ACCTID>000000000000000001</ACCTID>\n"
        "<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM><BANKTRANLIST><DTSTART>20250101</DTSTART><DTEND>20250331</DTEND>\n"
        f"{body}\n</BANKTRANLIST>\n"
        f"<LEDGERBAL><BALAMT>{balance:.2f}</BALAMT><DTASOF>20250331</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS>"
        "</BANKMSGSRSV1></OFX>\n",
        encoding="utf-8",
    )


def write_travel(folder: Path) -> list[Path]:
    """Write Jordi's travel exports into ``folder``; returns the paths written."""
    from selfdata_lib.samples.personas import jordi

    rng = np.random.default_rng(jordi.SEED + 2)
    home: Place = {
        "lat": jordi.HOME[0],
        "lon": jordi.HOME[1],
        "id": "home-jordi",
        "name": "Plaça de la Vila de Gràcia",
    }
    work: Place = {
        "lat": jordi.WORK[0],
        "lon": jordi.WORK[1],
        "id": "work-jordi",
        "name": "Plaça de les Glòries",
    }
    tl = folder / "Timeline.json"
    tl.write_text(
        json.dumps(timeline(rng, home, work), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    bank = folder / "extracte_compte.ofx"
    write_ofx(bank, bank_statement(rng))
    return [tl, bank]
