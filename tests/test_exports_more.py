"""Readers added for the remaining formats: Enedis 2023+ CSV, Eau du Grand Lyon and Suez JSON, water
index CSV, GRDF ADICT NDJSON, and whole Takeout archives.
"""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import detect_format, read, read_all

MEASURES_HEADER = (
    "Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;Type de données;"
    "Date de début;Date de fin;Grandeur métier;Grandeur physique;Statut demandé;Unité;"
    "Pas en minutes\n"
)


def _measure(day: str, hour: str, value: str, step: str = "30") -> str:
    return (
        f"{day};{hour};{value};Réel;00000000000001;Courbe de charge;;;Consommation;Energie active;;W;{step}\n"
    )


def test_enedis_2023_layout_latin1_with_the_autumn_hour_twice(tmp_path):
    rows = [
        _measure("26/10/2025", f"{h:02d}:{m}:00", str(1000 + i))
        for i, (h, m) in enumerate(
            [(1, "30"), (2, "00"), (2, "30"), (2, "00"), (2, "30"), (3, "00"), (3, "30")]
        )
    ]
    path = tmp_path / "mes_donnees.csv"
    path.write_bytes(
        (MEASURES_HEADER + "".join(rows) + _measure("26/10/2025", "04:00:00", "")).encode("latin-1")
    )
    assert detect_format(path).id == "enedis-csv-measures"
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (8, 7, 1)
    # 02:00 and 02:30 come twice (summer time, then winter time): seven distinct half-hours
    assert df["end"].is_unique and df["end"].is_monotonic_increasing
    assert (df["end"] - df["start"]).eq(pd.Timedelta(minutes=30)).all()
    assert df["kwh"].iloc[0] == pytest.approx(1000 * 0.5 / 1000)
    assert df["end"].iloc[-1] == pd.Timestamp("2025-10-26T03:30:00+01:00")


def test_enedis_2023_daily_values_in_wh(tmp_path):
    path = tmp_path / "quotidien.csv"
    text = MEASURES_HEADER + "".join(
        f"{d:02d}/03/2025;;{9000 + d};Réel;00000000000001;Consommation quotidienne;;;;;;Wh;\n"
        for d in (29, 30, 31)
    )
    path.write_text(text, encoding="utf-8")
    df = read(path)
    assert df.attrs["resolution"] == "daily"
    assert df["kwh"].tolist() == pytest.approx([9.029, 9.030, 9.031])
    # a daily value covers the local day of its date; 30 March 2025 lasts 23 hours
    assert df["start"].iloc[1] == pd.Timestamp("2025-03-30T00:00:00+01:00")
    assert df["end"].iloc[1] - df["start"].iloc[1] == pd.Timedelta(hours=23)


def test_enedis_2023_bad_header_is_a_format_error(tmp_path):
    from selfdata_lib.exports import read_enedis_measures_csv

    path = tmp_path / "x.csv"
    path.write_text("Date;Heure;Puissance\n01/01/2025;00:30;12\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="ligne 1"):
        read_enedis_measures_csv(path)


def test_eau_du_grand_lyon_months_are_zero_based_and_units_vary(tmp_path):
    path = tmp_path / "conso.json"
    path.write_text(
        json.dumps(
            {
                "postes": [
                    {
                        "id": "A",
                        "unite": "m3",
                        "data": [
                            {"annee": 2025, "mois": 0, "jour": 31, "valeur": 0.312},
                            {"annee": 2025, "mois": 11, "jour": 31, "valeur": 0.1},
                            {"annee": 2025, "mois": 12, "jour": 1, "valeur": 0.1},
                            {"annee": 2025, "mois": 1, "jour": 1, "valeur": None},
                        ],
                    },
                    {
                        "id": "B",
                        "data": [{"annee": 2025, "mois": 0, "jour": 31, "valeur": "15", "unite": "l"}],
                    },
                ]
            }
        )
    )
    df = read(path)
    assert df.attrs["format"] == "eau-grand-lyon-json"
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (5, 3, 2)
    assert set(rep["rejected_by_reason"]) == {
        "annee/mois/jour invalides (mois compté à partir de 0)",
        "pas de volume (relevé manquant)",
    }
    jan = df[df["start"] == pd.Timestamp("2025-01-31T00:00:00+01:00")]
    assert dict(zip(jan["meter"], jan["litres"], strict=True)) == {"A": pytest.approx(312.0), "B": 15.0}
    assert pd.Timestamp("2025-12-31T00:00:00+01:00") in set(df["start"])


def test_eau_du_grand_lyon_unknown_unit_is_named(tmp_path):
    path = tmp_path / "conso.json"
    path.write_text(
        json.dumps(
            {"postes": [{"unite": "gallon", "data": [{"annee": 2025, "mois": 0, "jour": 1, "valeur": 1}]}]}
        )
    )
    with pytest.raises(ExportFormatError, match=r"postes\[0\]\.data\[0\].*gallon"):
        read(path)


def test_suez_telemetry_and_non_telemetry(tmp_path):
    tele = tmp_path / "telemetry.json"
    tele.write_text(
        json.dumps(
            {
                "code": "00",
                "message": "OK",
                "content": {
                    "measures": [
                        {"date": "2025-03-30 00:00:00", "volume": 0.2, "index": 10.2},
                        {"date": "2025-03-31 00:00:00", "volume": None, "index": 10.2},
                    ]
                },
            }
        )
    )
    df = read(tele)
    assert df.attrs["format"] == "suez-telemetry-json"
    assert df["litres"].tolist() == pytest.approx([200.0])
    assert df.attrs["import_report"]["rows_rejected"] == 1
    non = tmp_path / "releves.json"
    non.write_text(
        json.dumps(
            {
                "content": {
                    "measures": [
                        {
                            "date": "23/09/2024",
                            "index": 549,
                            "volume": 53,
                            "type": "R",
                            "previousDateMeasure": "12/03/2024",
                            "numberOfDays": 195,
                        }
                    ]
                }
            }
        )
    )
    df = read(non)
    assert df["start"].iloc[0] == pd.Timestamp("2024-03-12T00:00:00+01:00")
    assert df["end"].iloc[0] == pd.Timestamp("2024-09-23T00:00:00+02:00")
    assert df["litres"].iloc[0] == pytest.approx(53000.0)


def test_water_index_csv_differences_readings(tmp_path):
    path = tmp_path / "index.csv"
    path.write_text(
        "Date de relève;Index (m3)\n01/01/2025;100,000\n02/01/2025;100,312\n"
        "04/01/2025;100,900\n05/01/2025;99,000\n06/01/2025;101,2\n",
        encoding="utf-8",
    )
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (5, 3, 2)
    assert df["litres"].tolist() == pytest.approx([312.0, 588.0, 300.0])
    assert "index plus bas que les relevés qui l'entourent (erreur de relevé)" in rep["rejected_by_reason"]
    # a missing (or wrong) reading makes one longer interval, not a lost day
    assert df["end"].iloc[1] - df["start"].iloc[1] == pd.Timedelta(days=2)
    assert df["end"].iloc[2] - df["start"].iloc[2] == pd.Timedelta(days=2)
    # a lasting drop is a new meter: its first reading opens a new interval
    path.write_text("date;index (m3)\n2025-01-01;500\n2025-01-02;500,3\n2025-01-03;0,1\n2025-01-04;0,4\n")
    df = read(path)
    assert df["litres"].tolist() == pytest.approx([300.0, 300.0])
    assert df.attrs["import_report"]["rows_rejected"] == 2


def test_grdf_adict_ndjson(tmp_path):
    lines = [
        {
            "pce": {"id_pce": "GI000001"},
            "periode": {"date_debut": "2024-01-01", "date_fin": "2024-01-02"},
            "consommation": {
                "date_debut_consommation": "2024-01-01",
                "date_fin_consommation": "2024-01-02",
                "volume_brut": 3,
                "energie": 34,
                "coeff_calcul": {"coeff_conversion": 11.2},
                "type_qualif_conso": "Mesuré",
            },
            "statut_restitution": None,
        },
        {
            "pce": {"id_pce": "GI000001"},
            "consommation": None,
            "statut_restitution": {"code": "1000008", "message": "Aucune donnée"},
        },
        {
            "pce": {"id_pce": "GI000001"},
            "consommation": {
                "date_debut_consommation": "2024-01-03T06:00:00+01:00",
                "date_fin_consommation": "2024-01-04T06:00:00+01:00",
                "volume_brut": 2,
                "coeff_calcul": {"coeff_conversion": 11.2},
                "energie": None,
            },
        },
    ]
    path = tmp_path / "consos.ndjson"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{truncated\n", encoding="utf-8")
    df = read(path)
    assert df.attrs["format"] == "grdf-adict-ndjson"
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (4, 2, 2)
    assert df["start"].iloc[0] == pd.Timestamp("2024-01-01T06:00:00+01:00")  # the gas day
    assert df["kwh"].tolist() == pytest.approx([34.0, 22.4])  # energy from volume × coefficient


def test_a_takeout_zip_is_read_whole(tmp_path, persona_camille):
    archive = tmp_path / "takeout-20250401.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in (persona_camille / "Semantic Location History").rglob("*.json"):
            zf.write(f, "Takeout/Historique des positions/" + f.relative_to(persona_camille).as_posix())
        zf.writestr("Takeout/archive_browser.html", "<html></html>")
    trips = read_all(archive, "trips")
    direct = read_all(persona_camille, "trips")
    assert len(trips) == len(direct) > 0
    assert trips.attrs["import_report"]["files"][0]["file"].startswith("takeout-20250401.zip/Takeout/")
    rep = trips.attrs["import_report"]
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    with pytest.raises(ExportFormatError, match="aucun fichier lisible de consommation de gaz"):
        read_all(archive, "gas")
