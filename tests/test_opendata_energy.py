"""Open data for home energy and solar: regulated tariffs, Tempo colours, weather, consumption
references, solar resource and support — samples, real formats, live paths against a local server.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import energy
from selfdata_lib.errors import DataUnavailableError, ExportFormatError, NetworkDisabledError
from selfdata_lib.samples.opendata import energy as sample_energy


def test_tariff_sample_gives_the_february_2025_grid(isolated_settings):
    table = opendata.load_tariffs()
    assert table.attrs["provenance"]["sample"] is True
    t9 = opendata.tariffs_in_force(table, 9)
    assert set(t9) == {"base", "hphc", "tempo"}
    assert t9["base"]["subscription_eur_month"] == pytest.approx(19.39)
    assert t9["base"]["prices"]["base"] == pytest.approx(0.2016)
    assert t9["hphc"]["prices"] == {"hp": pytest.approx(0.2146), "hc": pytest.approx(0.1696)}
    assert t9["tempo"]["prices"]["rouge_hp"] == pytest.approx(0.6586)
    assert t9["tempo"]["effective"] == "2025-02-01"
    assert set(opendata.tariffs_in_force(table, 3)) == {"base"}  # HP/HC and Tempo start at 6 kVA
    with pytest.raises(DataUnavailableError, match="7 kVA"):
        opendata.tariffs_in_force(table, 7)


def _cre_files(folder, base_rows: list[str]) -> None:
    folder.mkdir(parents=True)
    (folder / "option_base.csv").write_text(
        "DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_HT;PART_FIXE_TTC;PART_VARIABLE_HT;PART_VARIABLE_TTC\n"
        + "\n".join(base_rows)
        + "\n",
        encoding="utf-8-sig",
    )
    (folder / "option_hphc.csv").write_text(
        "DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_TTC;PART_VARIABLE_HC_TTC;PART_VARIABLE_HP_TTC\n"
        "01/08/2024;;6;200,4;0,2;0,25\n",
        encoding="utf-8",
    )
    cols = ";".join(f"PART_VARIABLE_{p}{c}_TTC" for c in ("Bleu", "Blanc", "Rouge") for p in ("HC", "HP"))
    (folder / "option_tempo.csv").write_text(
        f"DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_TTC;{cols}\n01/08/2024;;6;190;0,1;0,2;0,1;0,2;0,1;0,7\n",
        encoding="utf-8",
    )


def test_tariff_history_in_the_cre_layout_picks_the_period_in_force(isolated_settings, monkeypatch):
    folder = isolated_settings / "snap" / "cre_tarifs"
    _cre_files(folder, ["01/02/2024;31/07/2024;6;180;190,8;0,2;0,25", "01/08/2024;;6;185;192;0,19;0,2016"])
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    table = opendata.load_tariffs()
    assert table.attrs["provenance"]["origin"] == "snapshot"
    assert opendata.tariffs_in_force(table, 6)["base"]["prices"]["base"] == pytest.approx(0.2016)
    spring = opendata.tariffs_in_force(table, 6, on="2024-03-15")
    assert spring["base"]["prices"]["base"] == pytest.approx(0.25)
    assert spring["base"]["subscription_eur_month"] == pytest.approx(190.8 / 12)
    assert "hphc" not in spring  # its only period starts in August


def test_a_broken_tariff_file_names_file_and_line(isolated_settings, monkeypatch):
    folder = isolated_settings / "snap" / "cre_tarifs"
    _cre_files(folder, ["01/02/2024;;6;180;190,8;0,2;0,25", "bientôt;;6;185;192;0,19;0,2016"])
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    with pytest.raises(ExportFormatError, match=r"option_base.csv, line 3"):
        opendata.load_tariffs()
    (folder / "option_base.csv").write_text("DATE_DEBUT;PRIX\n01/02/2024;0,2\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="PART_FIXE_TTC"):
        opendata.load_tariffs()


def test_tempo_sample_follows_the_rules(isolated_settings):
    days = opendata.load_tempo_days()
    assert days.attrs["provenance"]["sample"] is True
    days["season"] = days["day"].dt.year - (days["day"].dt.month < 9)
    for _, season in days.groupby("season"):
        counts = season["colour"].value_counts()
        assert counts["rouge"] == 22 and counts["blanc"] == 43
        red = season[season["colour"] == "rouge"]["day"]
        assert (red.dt.day_of_week < 5).all()
        assert red.dt.month.isin([11, 12, 1, 2, 3]).all()
        assert (season[season["colour"] == "blanc"]["day"].dt.day_of_week != 6).all()
    # red days are cold days of the sample weather
    temp = opendata.daily_mean_temperature(opendata.load_nantes_weather())
    red_2024 = days[(days["colour"] == "rouge") & (days["day"].dt.year == 2024)]["day"]
    assert temp[red_2024].mean() < temp.mean() - 5


def test_tempo_live_path_reads_the_api_layout(isolated_settings, local_http, monkeypatch):
    items = [
        {"dateJour": "2025-01-14", "codeJour": 3, "periode": "2024-2025"},
        {"dateJour": "2025-01-15", "codeJour": 2, "periode": "2024-2025"},
        {"dateJour": "2025-01-16", "codeJour": 1, "periode": "2024-2025"},
        {"dateJour": "2025-01-17", "codeJour": 0, "periode": "2024-2025"},
    ]  # not known yet
    local_http.routes["/api/joursTempo"] = ("application/json", json.dumps(items).encode())
    monkeypatch.setenv("SELFDATA_LIVE_TEMPO_DAYS", f"{local_http.url}/api/joursTempo")
    days = opendata.load_tempo_days(source="live")
    assert list(days["colour"]) == ["rouge", "blanc", "bleu"]
    assert local_http.requests == ["/api/joursTempo"]
    colours = opendata.tempo_colours(days)
    assert colours[pd.Timestamp("2025-01-14")] == "rouge"


def test_live_url_override_needs_a_mapping_for_several_files(monkeypatch):
    monkeypatch.setenv("SELFDATA_LIVE_REGULATED_TARIFFS", "http://127.0.0.1:9/x.csv")
    with pytest.raises(ValueError, match="JSON object"):
        opendata.live_urls(opendata.get_dataset("regulated-tariffs"))
    monkeypatch.setenv(
        "SELFDATA_LIVE_REGULATED_TARIFFS", json.dumps({"option_base.csv": "http://127.0.0.1:9/b"})
    )
    urls = opendata.live_urls(opendata.get_dataset("regulated-tariffs"))
    assert urls["option_base.csv"] == "http://127.0.0.1:9/b"
    assert urls["option_tempo.csv"].startswith("https://www.data.gouv.fr/")


def _open_meteo(times: list[str], temps: list[float], offset_s: int = 0) -> dict:
    return {
        "latitude": 47.22,
        "longitude": -1.52,
        "utc_offset_seconds": offset_s,
        "timezone": "GMT",
        "hourly_units": {"time": "iso8601", "temperature_2m": "°C"},
        "hourly": {"time": times, "temperature_2m": temps},
    }


def test_read_weather_open_meteo_and_nasa_power(tmp_path):
    om = tmp_path / "om.json"
    om.write_text(json.dumps(_open_meteo(["2024-01-01T01:00", "2024-01-01T02:00"], [3.5, None], 3600)))
    w = opendata.read_weather(om)
    assert w["time"].iloc[0] == pd.Timestamp("2024-01-01 00:00", tz="UTC")  # local 01:00 at UTC+1
    assert w["temperature_c"].iloc[0] == 3.5 and np.isnan(w["temperature_c"].iloc[1])
    power = tmp_path / "power.csv"
    power.write_text(
        "-BEGIN HEADER-\nNASA/POWER\n-END HEADER-\nYEAR,MO,DY,HR,T2M\n2021,1,1,0,2.5\n2021,1,1,1,-999\n"
    )
    p = opendata.read_weather(power)
    assert p["temperature_c"].iloc[0] == 2.5 and np.isnan(p["temperature_c"].iloc[1])
    bad = tmp_path / "bad.csv"
    bad.write_text("date,temp\n2021-01-01,3\n")
    with pytest.raises(ExportFormatError, match="bad.csv"):
        opendata.read_weather(bad)


def test_daily_mean_uses_local_days():
    times = pd.date_range("2024-01-01 22:00", periods=4, freq="h", tz="UTC")  # 23:00 → 02:00 in Paris
    daily = opendata.daily_mean_temperature(
        pd.DataFrame({"time": times, "temperature_c": [1.0, 3.0, 5.0, 7.0]})
    )
    assert daily[pd.Timestamp("2024-01-01")] == 1.0
    assert daily[pd.Timestamp("2024-01-02")] == 5.0


def test_fetch_weather_goes_to_the_configured_server_once(isolated_settings, local_http, monkeypatch):
    body = _open_meteo([f"2024-02-01T{h:02d}:00" for h in range(24)], [5.0 + h / 10 for h in range(24)])
    local_http.routes["/v1/archive"] = ("application/json", json.dumps(body).encode())
    monkeypatch.setenv("SELFDATA_OPEN_METEO_URL", f"{local_http.url}/v1/archive")
    w = opendata.fetch_weather(47.229, -1.518, "2024-02-01", "2024-02-01")
    assert len(w) == 24 and w["temperature_c"].max() == pytest.approx(7.3)
    assert "latitude=47.229" in local_http.requests[0] and "start_date=2024-02-01" in local_http.requests[0]
    assert w.attrs["provenance"]["sample"] is False
    opendata.fetch_weather(47.229, -1.518, "2024-02-01", "2024-02-01")
    assert len(local_http.requests) == 1  # cached
    monkeypatch.setattr(settings, "offline", True)
    with pytest.raises(NetworkDisabledError):
        opendata.fetch_weather(47.229, -1.518, "2024-03-01", "2024-03-02")


def test_fetch_pvgis_tmy_through_pvlib_against_a_local_server(isolated_settings, local_http):
    hours = pd.date_range("2005-06-01", periods=48, freq="h", tz="UTC")
    sun = np.clip(np.sin((hours.hour - 6) / 12 * np.pi), 0, None)
    rows = [
        {
            "time(UTC)": t.strftime("%Y%m%d:%H%M"),
            "T2m": 18.0,
            "RH": 70.0,
            "G(h)": 800 * s,
            "Gb(n)": 600 * s,
            "Gd(h)": 150 * s,
            "IR(h)": 300.0,
            "WS10m": 3.0,
            "WD10m": 200.0,
            "SP": 101300.0,
        }
        for t, s in zip(hours, sun, strict=True)
    ]
    body = {
        "inputs": {
            "location": {"latitude": 47.2, "longitude": -1.5, "elevation": 20.0},
            "meteo_data": {"radiation_db": "PVGIS-SARAH2", "year_min": 2005, "year_max": 2020},
        },
        "outputs": {
            "months_selected": [{"month": m, "year": 2005} for m in range(1, 13)],
            "tmy_hourly": rows,
        },
        "meta": {"inputs": {}, "outputs": {}},
    }
    local_http.routes["/api/tmy"] = ("application/json", json.dumps(body).encode())
    tmy = opendata.fetch_pvgis_tmy(47.2, -1.5, url=f"{local_http.url}/api/")
    assert {"ghi", "dni", "dhi", "temp_air"} <= set(tmy.columns)
    assert tmy["ghi"].max() == pytest.approx(800)
    assert "lat=47.2" in local_http.requests[0]
    again = opendata.fetch_pvgis_tmy(47.2, -1.5, url=f"{local_http.url}/api/")
    assert len(local_http.requests) == 1 and again["ghi"].max() == pytest.approx(800)  # cached per endpoint


def test_residential_reference_position_by_hand(isolated_settings):
    ref = pd.DataFrame(
        {
            "year": [2022, 2023, 2023],
            "iris": ["a", "a", "b"],
            "iris_name": ["A", "A", "B"],
            "sites": [10, 100, 300],
            "total_mwh": [99.0, 600.0, 1200.0],
        }
    )
    pos = energy.reference_position(9000, ref, iris="a")
    assert pos.year == 2023
    assert pos.area_mean_kwh == pytest.approx(1_800_000 / 400)
    assert pos.iris_mean_kwh == pytest.approx(6000) and pos.iris_ratio == pytest.approx(1.5)
    assert pos.figures()["reference_ratio"].value == 1.5
    elsewhere = energy.reference_position(9000, ref, iris="zz")
    assert elsewhere.iris_mean_kwh is None and "zz" in elsewhere.figures()["reference_iris_mean_kwh"].reason
    far = energy.reference_position(9000, ref, home="45.76,4.83")  # Lyon: far from the Nantes reference
    assert far.figures()["reference_ratio"].warnings
    sample = opendata.load_residential_reference()
    assert sample.attrs["provenance"]["sample"] and (sample["mean_mwh"] > 2).all()


def test_solar_support_brackets_and_dates(isolated_settings):
    table = opendata.load("solar-support")
    now = opendata.support_in_force(table, 3.0)
    assert now["effective_from"] == "2025-03-28" and now["surplus_eur_per_kwh"] == pytest.approx(0.04)
    winter = opendata.support_in_force(table, 3.0, on="2025-01-15")
    assert winter["prime_eur_per_kwc"] == 220 and winter["surplus_eur_per_kwh"] == pytest.approx(0.1269)
    assert opendata.support_in_force(table, 6.0, on="2025-01-15")["prime_eur_per_kwc"] == 160
    assert now["install_eur_per_kwc"] > 1000 and "devis" in now["install_source"]
    with pytest.raises(DataUnavailableError, match="50"):
        opendata.support_in_force(table, 50.0)


def test_clearness_turns_the_clear_sky_into_the_monthly_irradiation(isolated_settings):
    import pvlib

    ghi = opendata.load_solar_resource()
    clearness = opendata.clearness_by_month(ghi, lat=47.23, lon=-1.52)
    assert all(0.4 < v < 0.9 for v in clearness.values())
    times = pd.date_range("2024-01-01", "2025-01-01", freq="1h", inclusive="left", tz="Europe/Paris")
    clear = pvlib.location.Location(47.23, -1.52).get_clearsky(times + pd.Timedelta(minutes=30))["ghi"]
    scaled = (clear * clear.index.month.map(clearness).to_numpy()).sum() / 1000
    assert scaled == pytest.approx(sum(sample_energy.NANTES_MONTHLY_GHI.values()), rel=1e-6)


@pytest.mark.real
def test_real_lyon_2021_hourly_weather():
    from conftest import shared_path

    folder = shared_path("opendata", "lyon_weather_2021")
    weather = opendata.read_weather(next(folder.glob("*.csv")))
    assert len(weather) == 8760
    assert weather["time"].min() == pd.Timestamp("2021-01-01 00:00", tz="UTC")
    daily = opendata.daily_mean_temperature(weather)
    assert 9 < weather["temperature_c"].mean() < 16
    assert daily[daily.index.month == 1].mean() < daily[daily.index.month == 7].mean() - 12
