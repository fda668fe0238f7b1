"""Sample personas: committed files equal the generator's, and their data look real."""

from __future__ import annotations

import filecmp

import pandas as pd

from selfdata_lib import settings
from selfdata_lib.exports import read, scan_folder
from selfdata_lib.personas import PERSONAS, build_personas


def test_committed_personas_match_the_generators(tmp_path):
    build_personas(tmp_path)
    for name in PERSONAS:
        generated = sorted(p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*") if p.is_file())
        committed = sorted(p.relative_to(settings.personas_folder / name)
                           for p in (settings.personas_folder / name).rglob("*") if p.is_file())
        assert generated == committed, name
        for rel in generated:
            assert filecmp.cmp(tmp_path / name / rel, settings.personas_folder / name / rel, shallow=False), rel


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
    assert home["lat"].round(4).nunique() == 1
    assert len(visits[visits["label"] == "WORK"]) == 21  # weekdays of March 2025
    assert (trips["mode"] == "bike").sum() == 42
    assert trips["distance_m"].between(500, 5000).all()
