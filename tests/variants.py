"""Generated exports a citizen could bring, none of them a persona's: other years and layouts, other
units and encodings, gaps, zips and folders, missing pieces, places outside the sample territory.

Each :class:`Variant` writes its files into a folder of its own and says which use cases to run on them,
with which parameters, and what must hold beyond the card's plausible bounds. ``tests/test_variants.py``
runs them all; ``python tests/variants.py OUT`` writes them to look at by hand.

The households are made up with the persona generators' building blocks (load curves, water days,
timelines), in other years and places; every format is written the way its holder writes it.
"""

from __future__ import annotations

import json
import math
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas import camille, yanis
from selfdata_lib.samples.personas._energy import write_enedis_load_curve_csv
from selfdata_lib.samples.personas.morel import write_enedis_measures_csv
from selfdata_lib.synth.households import flat_load_curve, simulate_household
from selfdata_lib.synth.weather import daily_temperature

TZ = "Europe/Paris"


@dataclass
class Variant:
    """Files of one made-up household, and the runs to make on them.

    ``runs`` maps a use case to its parameters (a ``{file}`` in a value is replaced by the path of that
    file of the variant); ``expect`` maps a use case to card-style checks on its results; ``files`` are
    the user's files each run may list in its ``inputs`` (names inside the variant's folder).
    """

    name: str
    build: Callable[[Path], None]
    runs: dict[str, dict[str, Any]]
    expect: dict[str, dict[str, Any]] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        folder = root / self.name
        folder.mkdir(parents=True, exist_ok=True)
        self.build(folder)
        return folder

    def parameters(self, folder: Path, use_case: str) -> dict[str, Any]:
        out = {}
        for key, value in self.runs[use_case].items():
            if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
                value = str(folder / value[1:-1])
            out[key] = value
        return out


# --- water -----------------------------------------------------------------------------------------


def _water_days(start: str, end: str, occupants: int, litres: float, seed: int, **kw: Any) -> pd.DataFrame:
    return simulate_household(start, end, occupants=occupants, litres_per_person=litres, seed=seed, **kw)


def _build_water_toplevel_unit(folder: Path) -> None:
    """Eau du Grand Lyon JSON of 2021, three people, values in litres declared once at the top."""
    days = _water_days("2021-01-01", "2022-01-01", 3, 135, seed=31, holidays=[("2021-07-24", "2021-08-08")])
    data = [
        {"annee": int(d.year), "mois": int(d.month) - 1, "jour": int(d.day), "valeur": int(v)}
        for d, v in zip(days["day"], days["litres"], strict=True)
    ]
    data[40]["valeur"] = None
    doc = {
        "unites": {"consommation": "l"},
        "postes": [{"id": "LYO-0000777", "libelle": "Compteur", "data": data}],
    }
    (folder / "consommation_eau_2021.json").write_text(json.dumps(doc), encoding="utf-8")


def _build_water_index_csv(folder: Path) -> None:
    """A cumulative index CSV in m³, latin-1, weekly readings mid-2019 to mid-2020, a five-week gap."""
    days = _water_days("2019-06-01", "2020-06-01", 1, 120, seed=32)
    index = 412.25 + days["litres"].cumsum() / 1000
    weekly = days.assign(index=index).iloc[::7]
    weekly = weekly[~weekly["day"].between("2019-11-04", "2019-12-08")]
    lines = ["Date de relève;Index (m³);Type de relève"]
    lines += [
        f"{d:%d/%m/%Y};{v:.3f}".replace(".", ",") + ";télérelève"
        for d, v in zip(weekly["day"], weekly["index"], strict=True)
    ]
    (folder / "releves_index.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))


def _build_water_suez(folder: Path) -> None:
    """Suez "Tout sur mon eau" telemetry JSON of 2023, four people, volumes in m³."""
    days = _water_days("2023-01-01", "2024-01-01", 4, 110, seed=33, leak=("2023-05-10", "2023-06-20", 160.0))
    measures = [
        {"date": f"{d:%Y-%m-%d}", "volume": round(float(v) / 1000, 3), "index": None}
        for d, v in zip(days["day"], days["litres"], strict=True)
    ]
    doc = {"code": "00", "message": "OK", "content": {"measures": measures}}
    (folder / "suez_telemetry.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")


# --- electricity and gas -----------------------------------------------------------------------------------


def _curve(start: str, end: str, *, step_min: int, seed: int, **kw: Any) -> pd.DataFrame:
    return flat_load_curve(start, end, step_min=step_min, seed=seed, **kw)


def _build_loadcurve_2019(folder: Path) -> None:
    """Enedis customer-space load curve of 2019, hourly steps, a flat with electric heating, no gas."""
    curve = _curve(
        "2019-01-01",
        "2020-01-01",
        step_min=60,
        seed=41,
        baseload_w=140,
        occupants=1,
        heating_w_per_degree=60,
        holidays=[("2019-08-03", "2019-08-18")],
    )
    missing = np.zeros(len(curve), dtype=bool)
    missing[1000:1030] = True
    write_enedis_load_curve_csv(
        folder / "Enedis_courbe_2019.csv",
        curve,
        prm="00000000000911",
        missing=missing,
        first_day="01/01/2019",
        last_day="01/01/2020",
    )


def _gas_days(start: str, end: str, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D", inclusive="left", tz=TZ)
    temp = daily_temperature(days + pd.Timedelta(hours=12), rng=rng)
    kwh = 9 + 1.6 * np.clip(16 - temp, 0, None) + rng.normal(0, 1.5, len(days))
    m3 = np.clip(np.round(kwh / 11.2), 0, None).astype(int)
    return pd.DataFrame(
        {"day": days, "m3": m3, "kwh": np.round(m3 * 11.2).astype(int), "index_end": 900 + np.cumsum(m3)}
    )


def _build_measures_2022_with_gas(folder: Path) -> None:
    """2023+ Enedis layout (latin-1), September 2022 to August 2023, 30 min; gas heating (GRDF JSON)."""
    curve = _curve(
        "2022-09-01",
        "2023-09-01",
        step_min=30,
        seed=42,
        baseload_w=210,
        occupants=3,
        heating_w_per_degree=0.0,
        holidays=[("2023-04-15", "2023-04-23")],
    )
    write_enedis_measures_csv(
        folder / "mes_donnees_enedis.csv",
        curve,
        prm="00000000000912",
        missing=np.zeros(len(curve), dtype=bool),
        first_day="01/09/2022",
        last_day="01/09/2023",
    )
    gas = _gas_days("2022-09-01", "2023-09-01", seed=43)
    releves = [
        {
            "dateDebutReleve": (d + pd.Timedelta(hours=6))
            .tz_convert("UTC")
            .strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "dateFinReleve": (d + pd.Timedelta(hours=30))
            .tz_convert("UTC")
            .strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "journeeGaziere": f"{d:%Y-%m-%d}",
            "energieConsomme": int(k),
            "volumeBrutConsomme": int(m),
            "indexDebut": int(i - m),
            "indexFin": int(i),
            "coeffConversion": 11.2,
            "natureReleve": "Informative Journalier",
            "qualificationReleve": "Mesuré",
        }
        for d, k, m, i in zip(gas["day"], gas["kwh"], gas["m3"], gas["index_end"], strict=True)
    ]
    doc = {"GI000912": {"idPce": "GI000912", "releves": releves}}
    (folder / "gazpar.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")


def _dataconnect(curve: pd.DataFrame, keep: np.ndarray) -> dict:
    local = curve["end"].dt.tz_convert(TZ)
    readings = [
        {
            "value": str(int(p)),
            "date": f"{t:%Y-%m-%d %H:%M:%S}",
            "interval_length": "PT30M",
            "measure_type": "B",
        }
        for t, p, k in zip(local, curve["power_w"], keep, strict=True)
        if k
    ]
    return {
        "meter_reading": {
            "usage_point_id": "00000000000913",
            "start": f"{local.iloc[0]:%Y-%m-%d}",
            "end": f"{local.iloc[-1]:%Y-%m-%d}",
            "quality": "BRUT",
            "reading_type": {"unit": "W", "measurement_kind": "power", "aggregate": "average"},
            "interval_reading": readings,
        }
    }


def _build_dataconnect_2021_with_neighbours(folder: Path) -> None:
    """Enedis Data Connect load curve JSON of 2021 with a three-week gap; two neighbours' curves, one of
    2021 (shared) and one of 2019 (another period: left out of the collective study).
    """
    curve = _curve(
        "2021-01-01", "2022-01-01", step_min=30, seed=44, baseload_w=180, occupants=2, heating_w_per_degree=35
    )
    keep = ~curve["end"].between(pd.Timestamp("2021-02-08", tz=TZ), pd.Timestamp("2021-03-01", tz=TZ))
    (folder / "dataconnect_courbe_2021.json").write_text(
        json.dumps(_dataconnect(curve, keep.to_numpy())), encoding="utf-8"
    )
    neighbours = folder / "voisins"
    neighbours.mkdir(exist_ok=True)
    for name, start, end, seed in (
        ("voisine_2021", "2021-01-01", "2022-01-01", 45),
        ("voisin_2019", "2019-01-01", "2020-01-01", 46),
    ):
        other = _curve(start, end, step_min=60, seed=seed, baseload_w=150, occupants=1)
        write_enedis_load_curve_csv(
            neighbours / f"{name}.csv",
            other,
            prm="00000000000914",
            missing=np.zeros(len(other), dtype=bool),
            first_day=f"{pd.Timestamp(start):%d/%m/%Y}",
            last_day=f"{pd.Timestamp(end):%d/%m/%Y}",
        )


def _build_short_spring_2023(folder: Path) -> None:
    """Three months only (March–May 2023), 30 min: too short for a heating estimate or a solar year."""
    curve = _curve(
        "2023-03-01", "2023-06-01", step_min=30, seed=47, baseload_w=120, occupants=2, heating_w_per_degree=20
    )
    write_enedis_load_curve_csv(
        folder / "courbe_printemps_2023.csv",
        curve,
        prm="00000000000915",
        missing=np.zeros(len(curve), dtype=bool),
        first_day="01/03/2023",
        last_day="01/06/2023",
    )


# --- location --------------------------------------------------------------------------------------------


def _build_takeout_zip_fr(folder: Path) -> None:
    """A whole Google Takeout as a zip, French folder names, two months of Semantic history of 2023."""
    rng = np.random.default_rng(51)
    with zipfile.ZipFile(folder / "takeout-20230601T101010Z-001.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for month, name in ((3, "2023_MARCH.json"), (4, "2023_APRIL.json")):
            doc = camille.semantic_month(2023, month, rng)
            zf.writestr(
                f"Takeout/Historique des positions/Semantic Location History/2023/{name}",
                json.dumps(doc, ensure_ascii=False),
            )
        zf.writestr("Takeout/archive_browser.html", "<html><body>Archive Google</body></html>")
        zf.writestr("Takeout/Historique des positions/Paramètres.json", json.dumps({"deviceSettings": []}))


def _ios_geo(lat: float, lon: float) -> str:
    return f"geo:{lat:.6f},{lon:.6f}"


def _build_ios_lyon(folder: Path) -> None:
    """IOS on-device "location-history.json": home at Croix-Rousse, work at Gerland, bike commutes."""
    home, work = (45.7790, 4.8270), (45.7290, 4.8320)
    segments = []
    for day in pd.date_range("2024-10-01", "2024-10-31", freq="D", tz=TZ):
        if day.day_of_week >= 5:
            segments.append(
                {
                    "startTime": day.isoformat(),
                    "endTime": (day + pd.Timedelta(hours=23)).isoformat(),
                    "visit": {
                        "hierarchyLevel": "0",
                        "probability": "0.9",
                        "topCandidate": {
                            "placeID": "home-x",
                            "semanticType": "Home",
                            "probability": "0.9",
                            "placeLocation": _ios_geo(*home),
                        },
                    },
                }
            )
            continue
        t = [day + pd.Timedelta(hours=h) for h in (0, 8.2, 8.6, 17.5, 17.9, 23.9)]
        for a, b, where, kind in (
            (t[0], t[1], home, "Home"),
            (t[2], t[3], work, "Work"),
            (t[4], t[5], home, "Home"),
        ):
            segments.append(
                {
                    "startTime": a.isoformat(),
                    "endTime": b.isoformat(),
                    "visit": {
                        "hierarchyLevel": "0",
                        "probability": "0.9",
                        "topCandidate": {
                            "placeID": f"{kind.lower()}-x",
                            "semanticType": kind,
                            "probability": "0.9",
                            "placeLocation": _ios_geo(*where),
                        },
                    },
                }
            )
        for a, b, x, y in ((t[1], t[2], home, work), (t[3], t[4], work, home)):
            segments.append(
                {
                    "startTime": a.isoformat(),
                    "endTime": b.isoformat(),
                    "activity": {
                        "start": _ios_geo(*x),
                        "end": _ios_geo(*y),
                        "distanceMeters": "6100.0",
                        "topCandidate": {"type": "cycling", "probability": "0.8"},
                    },
                }
            )
    (folder / "location-history.json").write_text(json.dumps(segments, indent=1), encoding="utf-8")


def _shift(obj: Any, dlat: float, dlon: float) -> Any:
    """Move every position of a Google Timeline JSON by (dlat, dlon) degrees."""
    if isinstance(obj, dict):
        return {k: _shift(v, dlat, dlon) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_shift(v, dlat, dlon) for v in obj]
    if isinstance(obj, str) and obj.endswith("°") and "°, " in obj:
        lat, lon = (float(x.strip(" °")) for x in obj.split(","))
        return f"{lat + dlat:.7f}°, {lon + dlon:.7f}°"
    return obj


def _build_android_toulouse_ofx(folder: Path) -> None:
    """An Android Timeline.json whose owner lives in Toulouse (far from La Rochelle), and an OFX statement."""
    rng = np.random.default_rng(52)
    doc = _shift(yanis.timeline(rng), 43.6047 - yanis.HOME["lat"], 1.4442 - yanis.HOME["lon"])
    (folder / "Timeline.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    ops = yanis.bank_statement(rng)
    tx = "".join(
        f"<STMTTRN><TRNTYPE>{'DEBIT' if a < 0 else 'CREDIT'}</TRNTYPE><DTPOSTED>{d:%Y%m%d}120000[+1:CET]</DTPOSTED>"
        f"<TRNAMT>{a:.2f}</TRNAMT><FITID>{i:06d}</FITID><NAME>{label[:32]}</NAME></STMTTRN>\n"
        for i, (d, label, a) in enumerate(ops)
    )
    ofx = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
        "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0"
        "<SEVERITY>INFO</STATUS><DTSERVER>20250401120000<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1>"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR"
        "<BANKACCTFROM><BANKID>30004<BRANCHID>00001<ACCTID>00000000001<ACCTTYPE>CHECKING</BANKACCTFROM>"
        f"<BANKTRANLIST><DTSTART>20250101<DTEND>20250331\n{tx}</BANKTRANLIST>"
        "<LEDGERBAL><BALAMT>1000.00<DTASOF>20250331</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    (folder / "releve.ofx").write_text(ofx, encoding="ascii", errors="replace")


def _gpx(points: list[tuple[float, float, pd.Timestamp]], name: str) -> str:
    body = "\n".join(
        f'<trkpt lat="{la:.6f}" lon="{lo:.6f}"><time>{t:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
        for la, lo, t in points
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Komoot" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>{name}</name><trkseg>\n{body}\n'
        "</trkseg></trk></gpx>\n"
    )


def _build_gpx_boursobank(folder: Path) -> None:
    """Two GPX bike rides of 2022 around La Rochelle in a folder, and a BoursoBank CSV (UTF-8, BOM)."""
    rides = folder / "traces"
    rides.mkdir(exist_ok=True)
    for k, (day, (a, b)) in enumerate(
        (
            ("2022-05-07 09:00", ((46.160, -1.151), (46.147, -1.165))),
            ("2022-05-21 15:30", ((46.160, -1.151), (46.185, -1.117))),
        )
    ):
        t0 = pd.Timestamp(day, tz=TZ).tz_convert("UTC")
        pts = [
            (
                a[0] + (b[0] - a[0]) * f + 0.001 * math.sin(math.pi * f),
                a[1] + (b[1] - a[1]) * f,
                t0 + pd.Timedelta(seconds=10 * i),
            )
            for i, f in enumerate(np.linspace(0, 1, 90))
        ]
        (rides / f"sortie_{k + 1}.gpx").write_text(_gpx(pts, f"Sortie {k + 1}"), encoding="utf-8")
    lines = [
        "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;accountLabel;accountbalance"
    ]
    ops = [
        ("2022-05-02", "CARTE 02/05/22 TOTAL ENERGIES LA ROCHELLE", "-62,40"),
        ("2022-05-03", "VIR SEPA SALAIRE MAI", "2 104,55"),
        ("2022-05-09", "CARTE 09/05/22 YELO VELO LIBRE SERVICE", "-3,00"),
        ("2022-05-14", "CARTE 14/05/22 PARKING ESPLANADE", "-4,20"),
        ("2022-05-28", "PRLV SEPA MAIF ASSURANCE AUTO", "-48,10"),
    ]
    lines += [
        f'{d};{d};"{label}";"";"";"";{amount};"";00001234567;BoursoBank;1 000,00' for d, label, amount in ops
    ]
    (folder / "export_boursobank.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8")
    )


# --- my rights, my shopping ------------------------------------------------------------------------------


def _build_foyer_nantes_smic(folder: Path) -> None:
    """A single worker at the minimum wage in Nantes (outside the Métropole de Lyon), a furnished flat, and
    a BoursoBank statement of three months with no CAF credit at all.
    """
    (folder / "foyer.yaml").write_text(
        "periode: 2025-04\n"
        'commune: "44109"\n'
        "logement: {statut: locataire_meuble, loyer: 480}\n"
        "adultes:\n"
        "  - {age: 24, salaire_net_mensuel: 1426.30}\n",
        encoding="utf-8",
    )
    lines = [
        "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;accountLabel;accountbalance"
    ]
    ops = []
    for month in ("2025-02", "2025-03", "2025-04"):
        ops += [
            (f"{month}-01", "VIR SEPA SALAIRE ATELIER NANTAIS", "1 426,30"),
            (f"{month}-05", "PRLV SEPA NEXITY LOYER", "-480,00"),
            (f"{month}-10", "PRLV SEPA TOTALENERGIES ELECTRICITE", "-38,00"),
        ]
    lines += [
        f'{d};{d};"{label}";"";"";"";{amount};"";00001234567;BoursoBank;150,00' for d, label, amount in ops
    ]
    (folder / "export_boursobank.csv").write_bytes(
        b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8")
    )


def _build_situation_villeurbanne(folder: Path) -> None:
    """An OpenFisca situation (the web API's JSON): a couple without income and their child, Villeurbanne."""
    months = [str(p) for p in pd.period_range("2024-01", "2025-05", freq="M")]
    situation = {
        "individus": {
            "a": {"date_naissance": {"ETERNITY": "1990-02-01"}},
            "b": {"date_naissance": {"ETERNITY": "1992-06-01"}},
            "k": {"date_naissance": {"ETERNITY": "2021-09-01"}},
        },
        "familles": {"f": {"parents": ["a", "b"], "enfants": ["k"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["a", "b"], "personnes_a_charge": ["k"]}},
        "menages": {
            "m": {
                "personne_de_reference": ["a"],
                "conjoint": ["b"],
                "enfants": ["k"],
                "loyer": dict.fromkeys(months, 620),
                "statut_occupation_logement": dict.fromkeys(months, "locataire_hlm"),
                "depcom": dict.fromkeys(months, "69266"),
            }
        },
    }
    (folder / "situation.json").write_text(json.dumps(situation, indent=1), encoding="utf-8")


def _build_tickets_auchan_intermarche(folder: Path) -> None:
    """Three months of shopping: an Auchan GDPR export (unit prices) and an Intermarché one (line totals)."""
    auchan = ["JOUR;CODE_POSTAL;CODE_PRODUIT;NOM_PRODUIT;QUANTITE_VENDUE;PRIX_UNITAIRE"]
    inter = ["DT_TICK;COD_POIN_VENT;COD_ARTC_EAN;LB_ARTC;Qte Vendues;CA TTC Produit"]
    for k, day in enumerate(pd.date_range("2025-01-04", "2025-03-29", freq="7D")):
        auchan += [
            f"{day:%Y-%m-%d};31000;3000000000109;STEAK HACHE 15% 4X100G;1;4,60",
            f"{day:%Y-%m-%d};31000;3000000000116;LAIT ENTIER UHT 1L;4;1,05",
            f"{day:%Y-%m-%d};31000;4400;BANANES;1,1{k % 10};1,89",
            f"{day:%Y-%m-%d};31000;3000000000123;SPAGHETTI 1KG;1;1,59",
        ]
        inter += [
            f"{day + pd.Timedelta(days=3):%d/%m/%Y};456;3000000000130;YAOURT BREBIS 2X125G;2;5,20",
            f"{day + pd.Timedelta(days=3):%d/%m/%Y};456;;POIREAUX;1;2,10",
            f"{day + pd.Timedelta(days=3):%d/%m/%Y};456;3000000000147;BIERE BLONDE 6X25CL;1;4,35",
        ]
    (folder / "auchan_achats.csv").write_text("\n".join(auchan) + "\n", encoding="cp1252")
    (folder / "intermarche_achats.csv").write_text("\n".join(inter) + "\n", encoding="utf-8")


def _build_semantic_bordeaux_outings(folder: Path) -> None:
    """A Google Takeout folder of March–April 2024 (Semantic Location History) of someone in Bordeaux, far
    from La Rochelle: a car commute, a swim on Wednesday evenings by bike, the Saturday market and, one
    Saturday in two, the lake beach by car, the cinema on Sunday evenings by car; every place named.
    """
    home: camille.Place = {
        "lat": 44.8309,
        "lon": -0.5722,
        "name": "Domicile",
        "address": "Place de la Victoire, 33000 Bordeaux",
        "semanticType": "TYPE_HOME",
    }
    work: camille.Place = {
        "lat": 44.8380,
        "lon": -0.5850,
        "name": "Bureau",
        "address": "Rue du Château d'Eau, 33000 Bordeaux",
        "semanticType": "TYPE_WORK",
    }
    pool: camille.Place = {
        "lat": 44.8412,
        "lon": -0.5895,
        "name": "Piscine Judaïque",
        "address": "33000 Bordeaux",
    }
    market: camille.Place = {
        "lat": 44.8302,
        "lon": -0.5680,
        "name": "Marché des Capucins",
        "address": "33800 Bordeaux",
    }
    lake: camille.Place = {
        "lat": 44.8880,
        "lon": -0.5650,
        "name": "Plage du Lac",
        "address": "33300 Bordeaux",
    }
    cinema: camille.Place = {
        "lat": 44.8420,
        "lon": -0.5590,
        "name": "Cinéma Mégarama",
        "address": "33100 Bordeaux",
    }
    rng = np.random.default_rng(53)
    drive, ride = "IN_PASSENGER_VEHICLE", "CYCLING"

    def outing(
        objects: list, where: camille.Place, go: pd.Timestamp, stay_h: float, mode: str
    ) -> pd.Timestamp:
        way = pd.Timedelta(minutes=int(rng.integers(8, 20)))
        objects.append(camille._segment(home, where, go, go + way, mode, rng))
        objects.append(camille._visit(where, go + way, go + way + pd.Timedelta(hours=stay_h), where["name"]))
        back = go + way + pd.Timedelta(hours=stay_h)
        objects.append(camille._segment(where, home, back, back + way, mode, rng))
        return back + way

    root = folder / "Takeout" / "Historique des positions" / "Semantic Location History" / "2024"
    root.mkdir(parents=True, exist_ok=True)
    for month, name in ((3, "2024_MARCH.json"), (4, "2024_APRIL.json")):
        days = pd.date_range(
            f"2024-{month:02d}-01", periods=pd.Period(f"2024-{month:02d}").days_in_month, tz=TZ
        )
        objects: list = []
        cursor = days[0]
        for k, day in enumerate(days):
            leave = day + pd.Timedelta(hours=8, minutes=int(rng.integers(0, 30)))
            if day.day_of_week < 5:
                objects.append(camille._visit(home, cursor, leave, "home-x"))
                objects.append(
                    camille._segment(home, work, leave, leave + pd.Timedelta(minutes=12), drive, rng)
                )
                back = day + pd.Timedelta(hours=17, minutes=int(rng.integers(20, 50)))
                objects.append(camille._visit(work, leave + pd.Timedelta(minutes=12), back, "work-x"))
                objects.append(
                    camille._segment(work, home, back, back + pd.Timedelta(minutes=12), drive, rng)
                )
                cursor = back + pd.Timedelta(minutes=12)
                if day.day_of_week == 2:
                    go = day + pd.Timedelta(hours=19)
                    objects.append(camille._visit(home, cursor, go, "home-x"))
                    cursor = outing(objects, pool, go, 1.0, ride)
            elif day.day_of_week == 5:
                go = day + pd.Timedelta(hours=10)
                objects.append(camille._visit(home, cursor, go, "home-x"))
                cursor = outing(objects, market, go, 1.0, drive)
                if k % 14 < 7:
                    go = day + pd.Timedelta(hours=15)
                    objects.append(camille._visit(home, cursor, go, "home-x"))
                    cursor = outing(objects, lake, go, 2.0, drive)
            else:
                go = day + pd.Timedelta(hours=20)
                objects.append(camille._visit(home, cursor, go, "home-x"))
                cursor = outing(objects, cinema, go, 2.0, drive)
        objects.append(camille._visit(home, cursor, days[-1] + pd.Timedelta(hours=23, minutes=59), "home-x"))
        (root / name).write_text(
            json.dumps({"timelineObjects": objects}, ensure_ascii=False), encoding="utf-8"
        )


def _build_requests_rennes(folder: Path) -> None:
    """Rennes, 2025: a requests log with the English header, the files received (a BoursoBank CSV the
    project reads, a PDF, a JSON it does not know), and twelve participants' logs pooled in another folder.
    """
    from selfdata_lib.synth.requests import simulate_campaign

    mine = folder / "mes_exports"
    mine.mkdir(exist_ok=True)
    (mine / "export_boursobank.csv").write_text(
        "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;accountLabel;"
        "accountbalance\n"
        "2025-08-04;2025-08-04;CARTE 04/08/25 STAR RENNES;;;;-2,00;;00001;Compte;1 200,00\n"
        "2025-08-05;2025-08-05;VIR SEPA SALAIRE;;;;1 850,00;;00001;Compte;3 050,00\n",
        encoding="utf-8-sig",
    )
    (mine / "star_reponse.pdf").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    )
    (mine / "bibliotheque_prets.json").write_text('{"prets": [{"titre": "Un livre", "rendu": true}]}\n')
    (mine / "requests.csv").write_text(
        "holder,right,sent,channel,answered,received,file\n"
        "BoursoBank,portability,2025-09-01,online banking,2025-09-01,csv,export_boursobank.csv\n"
        "STAR,access,2025-09-03,e-mail,2025-10-20,pdf,star_reponse.pdf\n"
        "Bibliothèques de Rennes et des Champs Libres,access,2025-09-05,form,2025-09-26,json,bibliotheque_prets.json\n"
        "Eau du Bassin Rennais,access,2025-11-20,letter,,,\n",
        encoding="utf-8",
    )
    pooled = folder / "mise_en_commun"
    pooled.mkdir(exist_ok=True)
    campaign = simulate_campaign(12, seed=7, start="2025-01-06")
    for participant, rows in campaign.groupby("participant"):
        lines = ["detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier"]
        lines += [
            f"{r.holder};{'portabilite' if r.right == 'portability' else 'acces'};{r.date:%d/%m/%Y};courriel;"
            f"{'' if pd.isna(r.answered) else f'{r.answered:%d/%m/%Y}'};{r.received};"
            for r in rows.itertuples()
        ]
        (pooled / f"journal_{participant}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _build_pupil_lyon(folder: Path) -> None:
    """A pupil of a collège in Lyon (zone A), 2022-2023 only: the grades her teacher exported as a table
    (tab-separated, Windows-1252, semesters, a UAI column, scales /10 and /40) and her homework as Cozy's
    Pronote konnector stored it (CouchDB ``_all_docs`` rows); no absences file.
    """
    rng = np.random.default_rng(61)
    days = [d for d in pd.date_range("2022-09-12", "2023-06-16") if d.weekday() < 5]
    levels = {
        "Mathématiques": (9.0, 13.0),
        "Français": (14.0, 13.0),
        "Anglais": (12.0, 12.5),
        "SVT": (11.0, 15.0),
    }
    lines = ["Date\tMatière\tNote\tBarème\tCoef\tMoyenne classe\tPériode\tÉtablissement\tUAI"]
    for subject, (start, end) in levels.items():
        for k, i in enumerate(sorted(rng.choice(len(days), size=8, replace=False))):
            day = days[int(i)]
            share = (day - days[0]) / (days[-1] - days[0])
            on20 = float(np.clip(rng.normal(start + (end - start) * share, 1.0), 0, 20))
            out_of = (10, 20, 40)[k % 3]
            grade = round(on20 / 20 * out_of * 2) / 2
            period = "Semestre 1" if day < pd.Timestamp("2023-01-23") else "Semestre 2"
            lines.append(
                f"{day:%d/%m/%Y}\t{subject}\t{grade:g}\t{out_of}\t{(1, 2)[k % 2]}\t{out_of * 0.6:g}\t{period}"
                "\tCollège de la Saône (fictif)\t0006901H".replace(".", ",")
            )
    (folder / "notes_2022-2023.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    rows = []
    toussaint = pd.date_range("2022-10-24", "2022-11-04")
    for day in days:
        if day in toussaint:
            continue
        for j in range(int(rng.poisson(1.2))):
            rows.append(
                {
                    "id": f"todo-{day:%Y%m%d}-{j}",
                    "doc": {
                        "dueDate": f"{day:%Y%m%d}T070000Z",
                        "label": "Mathématiques",
                        "sourceSubject": "MATHEMATIQUES",
                        "completed": True,
                        "summary": "Exercices",
                    },
                }
            )
    (folder / "cozy").mkdir(exist_ok=True)
    (folder / "cozy" / "devoirs.json").write_text(
        json.dumps({"total_rows": len(rows), "rows": rows}), encoding="utf-8"
    )


# --- the matrix --------------------------------------------------------------------------------------------

SAMPLE_OPEN_DATA = {"open_data": "sample"}  # the notebooks' open data comes from the project's samples

VARIANTS = [
    Variant(
        "eau-grand-lyon-2021-unite-en-tete",
        _build_water_toplevel_unit,
        {
            "lyon-water-district": {
                "water_export": "{consommation_eau_2021.json}",
                "occupants": 3,
                "home": "45.7596,4.8480",
                **SAMPLE_OPEN_DATA,
            },
            "start-here": {"data_folder": "{.}"},
        },
        expect={
            "lyon-water-district": {
                "litres_per_person_day": {"min": 100, "max": 170},
                "district": "Lyon 3e Arrondissement",
                "leak_detected": False,
            }
        },
    ),
    Variant(
        "eau-index-latin1-2019",
        _build_water_index_csv,
        {
            "lyon-water-district": {
                "water_export": "{releves_index.csv}",
                "occupants": 1,
                "district": "lyon 1ER",
                **SAMPLE_OPEN_DATA,
            }
        },
        expect={
            "lyon-water-district": {
                "litres_per_person_day": {"min": 90, "max": 160},
                "district": "Lyon 1er Arrondissement",
            }
        },
    ),
    Variant(
        "eau-suez-2023-marseille",
        _build_water_suez,
        {
            "lyon-water-district": {
                "water_export": "{suez_telemetry.json}",
                "occupants": 4,
                "home": "43.2965,5.3698",
                **SAMPLE_OPEN_DATA,
            }
        },
        expect={
            "lyon-water-district": {
                "litres_per_person_day": {"min": 95, "max": 160},
                "district": None,
                "leak_detected": True,
            }
        },
    ),
    Variant(
        "linky-2019-horaire-sans-gaz",
        _build_loadcurve_2019,
        {
            "nantes-home-energy": {"linky_export": "{Enedis_courbe_2019.csv}", **SAMPLE_OPEN_DATA},
            "nantes-solar-sharing": {"linky_export": "{Enedis_courbe_2019.csv}", **SAMPLE_OPEN_DATA},
        },
        expect={
            "nantes-home-energy": {
                "heating_method": "normals",
                "gas_annual_kwh": None,
                "annual_kwh": {"min": 2500, "max": 9000},
            },
            "nantes-solar-sharing": {"households": 1, "collective_self_consumption_rate": None},
        },
    ),
    Variant(
        "linky-2022-nouveau-format-gaz",
        _build_measures_2022_with_gas,
        {
            "nantes-home-energy": {
                "linky_export": "{mes_donnees_enedis.csv}",
                "gas_export": "{gazpar.json}",
                "subscribed_kva": 6,
                "surface_m2": 75,
                **SAMPLE_OPEN_DATA,
            }
        },
        expect={
            "nantes-home-energy": {
                "gas_annual_kwh": {"min": 3000, "max": 12000},
                "heating_kwh_per_m2": {"min": 0, "max": 60},
            }
        },
    ),
    Variant(
        "dataconnect-2021-trou-voisins",
        _build_dataconnect_2021_with_neighbours,
        {
            "nantes-home-energy": {"linky_export": "{dataconnect_courbe_2021.json}", **SAMPLE_OPEN_DATA},
            "nantes-solar-sharing": {
                "linky_export": "{dataconnect_courbe_2021.json}",
                "neighbours_folder": "{voisins}",
                "roof_place": "47.25,-1.52",
                **SAMPLE_OPEN_DATA,
            },
        },
        expect={
            "nantes-solar-sharing": {
                "households": 2,
                "collective_self_consumption_rate": {"min": 0, "max": 1},
            }
        },
    ),
    Variant(
        "linky-printemps-2023-court",
        _build_short_spring_2023,
        {
            "nantes-home-energy": {"linky_export": "{courbe_printemps_2023.csv}", **SAMPLE_OPEN_DATA},
            "nantes-solar-sharing": {"linky_export": "{courbe_printemps_2023.csv}", **SAMPLE_OPEN_DATA},
        },
        expect={
            "nantes-home-energy": {"heating_method": "none", "thermosensitivity_kwh_per_degree_day": None}
        },
    ),
    Variant(
        "takeout-zip-francais-2023",
        _build_takeout_zip_fr,
        {
            "lyon-velov-route": {"location_export": "{takeout-20230601T101010Z-001.zip}", **SAMPLE_OPEN_DATA},
            "start-here": {"data_folder": "{takeout-20230601T101010Z-001.zip}"},
        },
        expect={
            "lyon-velov-route": {"origin_source": "google label"},
            "start-here": {"files_recognised": 2, "visits": {"min": 60}},
        },
    ),
    Variant(
        "ios-lyon-croix-rousse",
        _build_ios_lyon,
        {"lyon-velov-route": {"location_export": "{location-history.json}", **SAMPLE_OPEN_DATA}},
        expect={
            "lyon-velov-route": {
                "origin_source": "google label",
                "walking_only_minutes": {"min": 50, "max": 110},
            }
        },
    ),
    Variant(
        "android-toulouse-ofx",
        _build_android_toulouse_ofx,
        {
            "larochelle-mobility-footprint": {
                "location_export": "{Timeline.json}",
                "bank_export": "{releve.ofx}",
                **SAMPLE_OPEN_DATA,
            },
            "larochelle-mobility-contribution": {"location_export": "{Timeline.json}"},
        },
        expect={
            "larochelle-mobility-footprint": {
                "trips": {"min": 150},
                "bus_stops_near_home": 0,
                "mobility_eur_per_month": {"min": 100},
            },
            # Toulouse is outside La Rochelle's grid: nothing to contribute, and said so
            "larochelle-mobility-contribution": {
                "trips_contributed": 0,
                "unique_points_to_identify_me": None,
            },
        },
    ),
    Variant(
        "foyer-nantes-smic",
        _build_foyer_nantes_smic,
        {
            "lyon-social-rights": {
                "household_file": "{foyer.yaml}",
                "bank_export": "{export_boursobank.csv}",
                "balance_eur": 150,
                **SAMPLE_OPEN_DATA,
            },
            "lyon-leisure-tariffs": {"household_file": "{foyer.yaml}", **SAMPLE_OPEN_DATA},
        },
        expect={
            "lyon-social-rights": {
                "monthly_total": {"min": 150, "max": 450},
                "not_received_monthly": {"min": 150, "max": 450},  # the prime d'activité never claimed
                "my_solidarity_house": None,  # Nantes: outside the Métropole de Lyon's contacts
            }
        },
    ),
    Variant(
        "situation-villeurbanne",
        _build_situation_villeurbanne,
        {"lyon-social-rights": {"household_file": "{situation.json}", **SAMPLE_OPEN_DATA}},
        expect={"lyon-social-rights": {"monthly_total": {"min": 600, "max": 2500}, "css": "gratuite"}},
    ),
    Variant(
        "tickets-auchan-intermarche",
        _build_tickets_auchan_intermarche,
        {"nantes-food-footprint": {"receipts_export": "{.}", "occupants": 2, **SAMPLE_OPEN_DATA}},
        expect={
            "nantes-food-footprint": {
                "matched_share": {"min": 0.75, "max": 0.95},  # the beer is listed, not counted
                "kgco2e_total": {"min": 100, "max": 400},
            }
        },
    ),
    Variant(
        "takeout-bordeaux-sorties-2024",
        _build_semantic_bordeaux_outings,
        {"larochelle-leisure-low-carbon": {"location_export": "{Takeout}", **SAMPLE_OPEN_DATA}},
        expect={
            "larochelle-leisure-low-carbon": {
                "leisure_trips": {"min": 60, "max": 90},
                "leisure_trips_by_kind": {"not_null": True},
                "places_reachable_15min_bike": None,  # Bordeaux: La Rochelle's places say nothing of it
                "suggested_swaps": 2,  # the market and the cinema by bike; the lake is 33 min away
                "places_without_swap": {"value": ["Plage du Lac"]},
                "kgco2e_saved_per_year": {"min": 20, "max": 400},
            }
        },
    ),
    Variant(
        "gpx-boursobank-2022",
        _build_gpx_boursobank,
        {
            "larochelle-mobility-footprint": {
                "gpx_folder": "{traces}",
                "bank_export": "{export_boursobank.csv}",
                **SAMPLE_OPEN_DATA,
            }
        },
        expect={
            "larochelle-mobility-footprint": {
                "trips": 2,
                "bus_stops_near_home": None,
                "mode_classifier_accuracy": None,
            }
        },
    ),
    Variant(
        "demandes-rennes-anglais",
        _build_requests_rennes,
        {
            "portability-observatory": {
                "requests_log": "{mes_exports/requests.csv}",
                "pooled_logs": "{mise_en_commun}",
                "as_of": "2025-12-31",
                "min_participants": 4,
                **SAMPLE_OPEN_DATA,
            },
            "my-data-holders": {"data_folder": "{mes_exports}", "territory": "Rennes", **SAMPLE_OPEN_DATA},
        },
        expect={
            "portability-observatory": {
                "requests": 4,
                "answered_within_deadline_share": {"approx": 0.5},  # BoursoBank, the libraries
                "machine_readable_share": {"approx": 2 / 3, "rel": 0.01},  # the PDF is not
                "overdue_requests": 1,  # Eau du Bassin Rennais
                "observatory_participants": 12,
                "observatory_holders_published": {"min": 1},
            },
            "my-data-holders": {
                "territory": "Rennes",
                "holders_with_my_data": ["BoursoBank"],
                "requests_in_progress": 3,
            },
        },
    ),
    Variant(
        "eleve-lyon-2022-tableau-et-cozy",
        _build_pupil_lyon,
        {"rennes-school-journey": {"school_export": "{.}", **SAMPLE_OPEN_DATA}},
        expect={
            "rennes-school-journey": {
                "school_years": {"value": ["2022-2023"]},
                "grades_count": 32,
                "trend_by_subject": {"not_null": True},
                "school_name": "Collège de la Saône (fictif)",  # the UAI column of the table
                "holiday_weeks": None,  # zone A: the sample calendar has zone B only
                "homework_hours_per_week": {"min": 1, "max": 5},
                "absences_half_days": None,  # no absences file
            }
        },
    ),
]


def write_all(root: Path) -> dict[str, Path]:
    """Write every variant under ``root``; ``{name: folder}``."""
    return {v.name: v.write(root) for v in VARIANTS}


if __name__ == "__main__":  # pragma: no cover - look at the files by hand
    for name, folder in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "variants")).items():
        print(name, sorted(p.name for p in folder.rglob("*") if p.is_file()))
