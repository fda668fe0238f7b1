"""Sample personas: committed files equal the generator's, and their data look real."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

from selfdata_lib import settings
from selfdata_lib.exports import read, scan_folder
from selfdata_lib.samples.personas import PERSONAS, build_personas


def test_committed_personas_match_the_generators(tmp_path):
    build_personas(tmp_path)
    for name in PERSONAS:
        generated = sorted(
            p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*") if p.is_file()
        )
        committed = sorted(
            p.relative_to(settings.personas_folder / name)
            for p in (settings.personas_folder / name).rglob("*")
            if p.is_file()
        )
        assert generated == committed, name
        for rel in generated:
            assert filecmp.cmp(tmp_path / name / rel, settings.personas_folder / name / rel, shallow=False), (
                rel
            )


def test_every_persona_file_is_a_recognised_export():
    for name in PERSONAS:
        for _path, fmt, err in scan_folder(settings.personas_folder / name):
            assert fmt is not None, err


def test_camille_load_curve_looks_real(persona_camille):
    df = read(persona_camille / "enedis_courbe_de_charge.csv")
    rep = df.attrs["import_report"]
    assert rep["rows_read"] == 365 * 48  # every half-hour of 2025, DST included
    assert 0 < rep["rows_rejected"] < 60  # a few missing readings
    per_day = df.groupby(df["start"].dt.date).size()
    assert per_day[pd.Timestamp("2025-03-30").date()] <= 46  # 23-hour day
    daily = df.set_index("start")["kwh"].resample("D").sum()
    winter = daily["2025-01"].mean()
    summer = daily["2025-06"].mean()
    holidays = daily["2025-08-05":"2025-08-15"].mean()
    assert winter > 1.3 * summer  # electric heating
    assert holidays < 0.7 * summer  # nobody home
    hourly = df.groupby(df["start"].dt.hour)["kwh"].mean()
    assert hourly[20] > 2 * hourly[4]  # evening peak over the night base


def test_camille_location_is_coherent(persona_camille):
    path = persona_camille / "Semantic Location History" / "2025" / "2025_MARCH.json"
    visits, trips = read(path), read(path, kind="trips")
    home = visits[visits["label"] == "HOME"]
    assert (home["lat"].round(4) == home["lat"].round(4).iloc[0]).all()
    assert len(visits[visits["label"] == "WORK"]) == 21  # weekdays of March 2025
    assert (trips["mode"] == "bike").sum() == 42
    assert trips["distance_m"].between(500, 5000).all()


def test_camille_water_has_holidays_and_a_leak(persona_camille):
    df = read(persona_camille / "eau_du_grand_lyon_2025.json")
    assert df.attrs["format"] == "eau-grand-lyon-json"
    daily = df.set_index(df["start"].dt.tz_localize(None))["litres"]
    before, during, after = (
        daily["2025-06-01":"2025-07-31"],
        daily["2025-09-10":"2025-10-17"],
        daily["2025-10-22":"2025-12-20"],
    )
    assert 180 < before.median() < 320  # two people, ~120 l each
    assert during.median() - before.median() > 70  # the running toilet
    winter = daily["2025-01-06":"2025-03-15"]
    assert abs(after.median() - winter.median()) < 25  # repaired (compared with the same season)
    assert daily["2025-08-04":"2025-08-15"].max() < 20  # away in August
    assert 0 < df.attrs["import_report"]["rows_rejected"] < 10


def test_morel_house_is_electrically_heated_with_dst_days(tmp_path):
    folder = settings.personas_folder / "morel"
    elec = read(folder / "Enedis_mes_donnees_2024.csv")
    assert elec.attrs["format"] == "enedis-csv-measures"
    rep = elec.attrs["import_report"]
    assert rep["rows_read"] == 366 * 48  # 2024, a leap year; DST days have 46 and 50 half-hours
    per_day = elec.groupby(elec["start"].dt.date).size()
    assert per_day[pd.Timestamp("2024-03-31").date()] <= 46
    assert per_day[pd.Timestamp("2024-10-27").date()] >= 48  # 50 minus missing readings at most
    assert elec["end"].is_unique
    daily = elec.set_index("start")["kwh"].resample("D").sum()
    assert daily["2024-01"].mean() > 2.5 * daily["2024-06"].mean()  # convectors
    gas = read(folder / "gazpar_donnees_informatives.json")
    assert len(gas) == 366
    assert gas["kwh"].sum() == pytest.approx((gas["m3"] * gas["kwh"] / gas["m3"]).sum(), rel=0.01)
    for name in ("voisin_retraites", "voisin_teletravail"):
        n = read(folder / "voisins" / f"{name}_courbe_de_charge.csv")
        assert ((n["end"] - n["start"]) == pd.Timedelta(hours=1)).all()
        assert 1500 < n["kwh"].sum() < 6000


def test_yanis_drives_to_work_and_pays_for_it():
    from selfdata_lib.exports import categorise

    folder = settings.personas_folder / "yanis"
    visits = read(folder / "Timeline.json")
    trips = read(folder / "Timeline.json", kind="trips")
    assert set(visits["label"]) >= {"HOME", "WORK"}
    modes = trips["mode"].value_counts()
    assert modes["car"] > 100 and modes["bus"] == 6 and modes["bike"] == 2
    assert (trips.loc[trips["mode"] == "car", "distance_m"] < 2000).sum() >= 20  # short car trips
    bank = categorise(read(folder / "releve_compte_credit_agricole.csv"), overwrite=True)
    assert bank.attrs["bank"] == "credit-agricole"
    by_cat = bank.groupby("category")["amount_eur"].sum()
    assert by_cat["fuel"] < -400
    for cat in ("tolls", "parking", "public_transport", "car_insurance", "car_maintenance"):
        assert by_cat[cat] < 0, cat
    ride = read(folder / "sortie_velo_2025-03-15.gpx", kind="trips")
    assert len(ride) == 2 and ride["mode"].eq("bike").all()
