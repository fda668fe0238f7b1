"""Mobility: km, CO2 and budget by mode and month, the shift scenario, open data for La Rochelle,
and modes from raw points (segmentation, classifier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import mobility, modes
from selfdata_lib.exports import categorise, read
from selfdata_lib.opendata.mobility import fuel_price_near, stops_near

TZ = "Europe/Paris"


def _trips(rows):
    return pd.DataFrame(
        [
            {
                "start": pd.Timestamp(s, tz=TZ),
                "end": pd.Timestamp(s, tz=TZ) + pd.Timedelta(minutes=10),
                "start_lat": 46.18,
                "start_lon": -1.11,
                "end_lat": 46.17,
                "end_lon": -1.10,
                "distance_m": km * 1000,
                "mode": mode,
            }
            for s, km, mode in rows
        ]
    )


@pytest.fixture
def factors(isolated_settings):
    return opendata.load_emission_factors(source="sample")


def test_km_and_co2_by_mode_and_month(factors):
    trips = _trips(
        [
            ("2025-01-05", 10, "car"),
            ("2025-01-06", 4, "bike"),
            ("2025-02-01", 5, "bus"),
            ("2025-02-02", 1, "plane"),
        ]
    )
    km = mobility.km_by_mode_month(trips)
    assert km.loc[pd.Period("2025-01"), "car"] == 10 and km.loc[pd.Period("2025-02"), "bus"] == 5
    co2 = mobility.add_emissions(trips, factors)
    assert co2["kgco2e"].iloc[0] == pytest.approx(10 * 0.2176)
    assert co2["kgco2e"].iloc[1] == 0
    cover = mobility.emissions_coverage(co2)
    assert cover.modes_without_factor == ["plane"] and cover.km_without_factor == 1


def test_budget_and_cost_per_km():
    tz_day = pd.Timestamp("2025-01-10", tz=TZ)
    bank = pd.DataFrame(
        {
            "date": [tz_day, tz_day, tz_day, tz_day + pd.Timedelta(days=31)],
            "label": ["A", "B", "C", "D"],
            "amount_eur": [-50.0, -10.0, 5.0, -14.0],
            "category": ["fuel", "parking", "fuel", "public_transport"],
        }
    )
    budget = mobility.mobility_budget(bank)
    assert budget.loc[pd.Period("2025-01"), "fuel"] == 45.0  # a refund reduces the spending
    assert budget.loc[pd.Period("2025-02"), "public_transport"] == 14.0
    per_km = mobility.cost_per_km(
        _trips([("2025-01-05", 100, "car"), ("2025-02-01", 20, "bus"), ("2025-02-02", 15, "metro")]), budget
    )
    assert per_km.loc["car", "eur_per_km"] == pytest.approx(55 / 100)
    # one pass pays the bus and the metro: their km are counted together
    assert per_km.loc["transit", "eur_per_km"] == pytest.approx(14 / 35)
    assert "metro" not in per_km.index


def test_shift_scenario_counts_fuel_and_fares(factors):
    trips = _trips([("2025-01-01", 2.0, "car"), ("2025-01-15", 2.5, "car"), ("2025-03-31", 12.0, "car")])
    bike = mobility.shift_short_car_trips(
        trips, factors, threshold_km=3, to_mode="bike", fuel_price_eur_l=2.0, car_l_per_100km=5.0
    )
    per_year = 12 / mobility.months_covered(trips)
    assert bike.trips_shifted == 2
    assert bike.kgco2e_saved_per_year == pytest.approx(4.5 * 0.2176 * per_year)
    assert bike.eur_saved_per_year == pytest.approx(4.5 * 0.05 * 2.0 * per_year)
    bus = mobility.shift_short_car_trips(
        trips, factors, threshold_km=3, to_mode="bus", fare_eur=1.5, fuel_price_eur_l=2.0, car_l_per_100km=5.0
    )
    assert bus.fares_eur_per_year == pytest.approx(2 * 1.5 * per_year)
    assert bus.kgco2e_saved_per_year < bike.kgco2e_saved_per_year
    with pytest.raises(ValueError, match="to_mode"):
        mobility.shift_short_car_trips(trips, factors, to_mode="plane")


def test_open_data_samples_for_la_rochelle(isolated_settings):
    prices = opendata.load_fuel_prices(source="sample")
    # the flux gives 1e-5 degrees: every sample station lies in a described territory (La Rochelle, Paris, Lyon)
    lat = prices["latitude"]
    assert (lat.between(46, 47) | lat.between(48.8, 48.9) | lat.between(45.7, 45.8)).all()
    assert 1.5 < fuel_price_near(prices, 46.1857, -1.1175, "gazole") < 1.8
    with pytest.raises(KeyError, match="gpl"):
        fuel_price_near(prices, 46.18, -1.11, "gpl")
    stops = opendata.load_bus_stops(source="sample")
    near = stops_near(stops, 46.1857, -1.1175, 500)
    assert len(near) >= 1 and near["distance_m"].is_monotonic_increasing


@pytest.mark.real
def test_real_impactco2_snapshot(isolated_settings, monkeypatch):
    from conftest import shared_path

    folder = shared_path("opendata", "ademe_impactco2")
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    real = opendata.load_emission_factors().set_index("mode")["kgco2e_per_km"]
    ours = opendata.load_emission_factors(source="sample").set_index("mode")["kgco2e_per_km"]
    assert real.index.is_unique
    for mode in ("car", "bus", "tram", "metro", "train", "bike", "walk"):  # our table = the published totals
        assert ours[mode] == pytest.approx(real[mode], abs=1e-5), mode


def test_segmentation_and_classifier_on_synthetic_speeds():
    rng = np.random.default_rng(0)
    rows, trips = [], []
    t = pd.Timestamp("2025-03-03 07:00", tz="UTC")
    for k in range(60):
        mode, speed = [("car", 40.0), ("bike", 15.0), ("walk", 5.0)][k % 3]
        lat, lon = 46.15 + 0.001 * k, -1.10
        start = t
        for i in range(12):  # one point a minute
            rows.append(
                {
                    "time": t,
                    "lat": lat + i * speed / 60 / 111.0,
                    "lon": lon + rng.normal(0, 1e-5),
                    "accuracy_m": 10.0,
                }
            )
            t += pd.Timedelta(minutes=1)
        trips.append({"start": start, "end": t - pd.Timedelta(minutes=1), "mode": mode})
        t += pd.Timedelta(minutes=30) if k % 6 else pd.Timedelta(days=1)  # a stay, sometimes a new day
    points = pd.DataFrame(rows)
    found = modes.trips_from_points(points)
    assert len(found) == 60
    labelled = modes.labelled_features(pd.DataFrame(trips), points)
    clf = modes.ModeClassifier.train(labelled)
    assert clf.evaluation["accuracy"] > 0.95 > clf.evaluation["majority_baseline"]
    assert (clf.predict(found).to_numpy() == labelled["mode"].to_numpy()).mean() > 0.95


def test_persona_yanis_mode_classifier_needs_two_modes():
    folder = settings.personas_folder / "yanis"
    trips = read(folder / "Timeline.json", kind="trips")
    points = read(folder / "Timeline.json", kind="location_points")
    labelled = modes.labelled_features(trips, points)
    with pytest.raises(ValueError, match="two modes"):
        modes.ModeClassifier.train(labelled[labelled["mode"] == "car"])
    bank = categorise(read(folder / "releve_compte_credit_agricole.csv"), overwrite=True)
    assert mobility.mobility_budget(bank).sum().sum() > 500


def test_my_yearly_co2_is_set_beside_the_national_reference_and_says_why_not_the_territorys():
    import pandas as pd

    from selfdata_lib.analysis import mobility

    trips = pd.DataFrame(
        {
            "start": pd.to_datetime(["2025-01-10 08:00", "2025-02-10 08:00", "2025-03-10 08:00"], utc=True),
            "end": pd.to_datetime(["2025-01-10 08:30", "2025-02-10 08:30", "2025-03-10 08:30"], utc=True),
            "mode": ["car", "car", "car"],
            "kgco2e": [10.0, 10.0, 10.0],
        }
    )
    co2 = mobility.Footprint(trips, pd.DataFrame({"car": [10.0, 10.0, 10.0]}))
    ref = mobility.territory_reference(co2, "La Rochelle")
    months = mobility.months_covered(trips)
    assert ref.mine_kgco2e_per_year == pytest.approx(30.0 * 12 / months)
    assert ref.reference_kgco2e_per_year == 1400.0
    figs = ref.figures()
    assert "La Rochelle" in figs["reference_source"].value and "CGDD" in figs["reference_source"].value
    empty = mobility.territory_reference(mobility.Footprint(trips.iloc[:0], pd.DataFrame()))
    assert empty.figures()["kgco2e_per_year"].value is None
