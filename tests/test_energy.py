"""Home electricity analysis: totals, base load, off-peak share, typical days, heating sensitivity, tariffs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import settings
from selfdata_lib.analysis import energy
from selfdata_lib.exports import read

TZ = "Europe/Paris"


def _curve(days: int = 10, power_w=None, step_min: int = 30) -> pd.DataFrame:
    start = pd.date_range("2025-01-06", periods=days * 24 * 60 // step_min, freq=f"{step_min}min", tz=TZ)
    power = np.full(len(start), 500.0) if power_w is None else power_w(start)
    return pd.DataFrame(
        {"start": start, "end": start + pd.Timedelta(minutes=step_min), "kwh": power * step_min / 60 / 1000}
    )


def _night(s: pd.DatetimeIndex) -> np.ndarray:
    return np.where((s.hour >= 22) | (s.hour < 6), 1000.0, 200.0)


def test_totals_baseload_and_offpeak():
    curve = _curve(10, _night)
    t = energy.consumption(curve)
    assert t.days_covered == 10
    assert t.total_kwh == pytest.approx(10 * (8 * 1.0 + 16 * 0.2))
    assert t.annual_kwh == pytest.approx(t.total_kwh / 10 * 365)
    assert energy.consumption(curve.iloc[:0]).annual_kwh is None  # not NaN: None, and the figure says why
    assert energy.consumption(curve.iloc[:0]).figures()["annual_kwh"].reason == "aucun jour relevé"
    assert energy.baseload_w(curve) == pytest.approx(200.0)
    assert energy.offpeak_share(curve) == pytest.approx(8.0 / 11.2)
    assert energy.offpeak_share(curve, "01:00-07:00") == pytest.approx((5 * 1.0 + 0.2) / 11.2)
    with pytest.raises(ValueError, match="22:00-06:00"):
        energy.parse_hours("la nuit")


def test_tariffs_price_the_same_curve():
    curve = _curve(10, _night)
    base = energy.base_tariff(15.0, 0.20)
    hphc = energy.hphc_tariff(16.0, hp=0.22, hc=0.16)
    colours = pd.Series({pd.Timestamp("2025-01-07"): "rouge"})
    tempo = energy.tempo_tariff(
        15.5,
        {
            "bleu_hp": 0.15,
            "bleu_hc": 0.13,
            "blanc_hp": 0.18,
            "blanc_hc": 0.14,
            "rouge_hp": 0.66,
            "rouge_hc": 0.15,
        },
        colours,
    )
    table = energy.compare_tariffs(curve, [base, hphc, tempo]).set_index("tariff")
    assert table.loc["Base", "energy_eur"] == pytest.approx(112.0 * 0.20)
    assert table.loc["Heures creuses", "energy_eur"] == pytest.approx(80 * 0.16 + 32 * 0.22)
    assert table.loc["Base", "subscription_eur"] == pytest.approx(15.0 * 12 / 365 * 10)
    # the red Tempo day runs from 06:00 on the 7th to 06:00 on the 8th: 16 h at HP price, 8 h at HC
    tempo_energy = 9 * (8 * 0.13 + 3.2 * 0.15) + (8 * 0.15 + 3.2 * 0.66)
    assert table.loc["Tempo", "energy_eur"] == pytest.approx(tempo_energy)
    with pytest.raises(KeyError, match="no price"):
        energy.Tariff("x", 1, {"base": 1}, lambda c: pd.Series("hp", index=c.index)).cost(curve)


def test_thermosensitivity_recovers_the_slope():
    rng = np.random.default_rng(0)
    days = pd.date_range("2025-01-01", periods=120, freq="D")
    temp = pd.Series(10 + 8 * np.sin(np.arange(120) / 20) + rng.normal(0, 1, 120), index=days)
    kwh = 6 + 2.5 * (17 - temp).clip(lower=0) + rng.normal(0, 0.5, 120)
    kwh[:7] = 0.5  # a week away
    fit = energy.thermosensitivity(kwh, temp)
    assert fit["kwh_per_degree_day"] == pytest.approx(2.5, rel=0.1)
    assert 0 < fit["heating_share"] < 1
    with pytest.raises(ValueError, match="too few"):
        energy.thermosensitivity(kwh[:10], temp[:10])


def test_morel_typical_days_separate_winter_from_summer():
    curve = read(settings.personas_folder / "morel" / "Enedis_mes_donnees_2024.csv")
    centroids, labels = energy.typical_days(curve, k=3)
    assert len(centroids) == 3 and centroids["days"].sum() == len(labels)
    heaviest = labels[labels == 2].index
    assert (heaviest.month.isin([1, 2, 3, 11, 12])).mean() > 0.7  # the heating days
    assert energy.baseload_w(curve) > 150


def test_flat_one_kilowatt_by_hand():
    curve = _curve(7, lambda s: np.full(len(s), 1000.0))
    assert energy.baseload_w(curve) == pytest.approx(1000.0)
    assert energy.offpeak_share(curve) == pytest.approx(8 / 24)
    assert energy.consumption(curve).annual_kwh == pytest.approx(24 * 365)
    hourly = energy.hourly_kwh(curve)
    assert len(hourly) == 7 * 24 and np.allclose(hourly, 1.0)


def test_peaks_one_per_day_with_share_of_subscription():
    def spiky(s):
        p = np.full(len(s), 300.0)
        p[(s.day == 8) & (s.hour == 19)] = 7200.0
        p[(s.day == 8) & (s.hour == 20)] = 6000.0  # same day: not a second peak
        p[(s.day == 10) & (s.hour == 7)] = 4500.0
        return p

    top = energy.peaks(_curve(10, spiky), subscribed_kva=9, n=2)
    assert list(top["kw"]) == pytest.approx([7.2, 4.5])
    assert top["start"].iloc[0] == pd.Timestamp("2025-01-08 19:00", tz=TZ)
    assert top["share_of_subscribed"].iloc[0] == pytest.approx(0.8)


def test_regulated_tariffs_from_the_grid_in_force():
    grid = {
        "base": {"subscription_eur_month": 19.39, "prices": {"base": 0.2016}, "effective": "2025-02-01"},
        "hphc": {
            "subscription_eur_month": 19.81,
            "prices": {"hp": 0.2146, "hc": 0.1696},
            "effective": "2025-02-01",
        },
        "tempo": {
            "subscription_eur_month": 19.49,
            "effective": "2025-02-01",
            "prices": {
                "bleu_hp": 0.1552,
                "bleu_hc": 0.1288,
                "blanc_hp": 0.1792,
                "blanc_hc": 0.1447,
                "rouge_hp": 0.6586,
                "rouge_hc": 0.1518,
            },
        },
    }
    assert [t.name for t in energy.regulated_tariffs(grid)] == [
        "Base",
        "Heures creuses",
    ]  # no colours, no Tempo
    tariffs = energy.regulated_tariffs(
        grid, colours=pd.Series(dtype=object), offpeak_hours="23:00-07:00", source="CRE"
    )
    curve = _curve(2, lambda s: np.where(s.hour == 6, 2000.0, 0.0))  # 2 kWh at 06:00–07:00 each day
    table = energy.compare_tariffs(curve, tariffs).set_index("tariff")
    assert table.loc["Heures creuses", "energy_eur"] == pytest.approx(4 * 0.1696)  # 06:00 is off-peak here
    assert table.loc["Tempo", "energy_eur"] == pytest.approx(4 * 0.1552)  # 06:00 is HP on Tempo, blue
    assert set(table["source"]) == {"CRE"} and set(table["effective"]) == {"2025-02-01"}


def test_morel_heating_sensitivity_with_the_sample_weather(isolated_settings):
    from selfdata_lib import opendata

    curve = read(settings.personas_folder / "morel" / "Enedis_mes_donnees_2024.csv")
    temp = opendata.daily_mean_temperature(opendata.load_nantes_weather())
    fit = energy.thermosensitivity(energy.daily_kwh(curve), temp)
    # the persona heats with 170 W per degree below 17 °C, at 60 % at night (7 h): 3.6 kWh per degree-day
    assert fit["kwh_per_degree_day"] == pytest.approx(170 * (17 + 7 * 0.6) / 1000, rel=0.1)
    assert 0.4 < fit["heating_share"] < 0.65


def test_tempo_coverage_counts_tempo_days():
    curve = _curve(3)  # 6 Jan 00:00 → 9 Jan 00:00: Tempo days 5, 6, 7, 8 January
    colours = pd.Series({pd.Timestamp("2025-01-06"): "bleu", pd.Timestamp("2025-01-07"): "rouge"})
    assert energy.tempo_coverage(curve, colours) == pytest.approx(2 / 4)


def test_thermosensitivity_by_week_sees_through_whole_cubic_metres():
    rng = np.random.default_rng(3)
    days = pd.date_range("2024-01-01", periods=366, freq="D")
    temp = pd.Series(12 - 8 * np.cos(2 * np.pi * np.arange(366) / 366) + rng.normal(0, 2, 366), index=days)
    true = 6.0 + 0.4 * (17 - temp).clip(lower=0)
    # a Gazpar-like meter: whole m3 of 11 kWh, the remainder carried to the next day
    index = np.floor(np.cumsum(true) / 11.0)
    coarse = pd.Series(np.diff(np.concatenate([[0.0], index])) * 11.0, index=days)
    weekly = energy.thermosensitivity(coarse, temp, freq="W")
    assert weekly["kwh_per_degree_day"] == pytest.approx(0.4, rel=0.2)
    assert weekly["periods"] >= 50 and weekly["days"] >= 360
    with pytest.raises(ValueError, match="too few"):
        energy.thermosensitivity(coarse[:40], temp, freq="MS")


def _daily(
    start: str, end: str, temps_by_month: dict[int, float], kwh_per_dd: float = 3.0, base: float = 12.0
):
    """Daily kWh driven by degree-days of a constant monthly temperature (what normals describe)."""
    days = pd.date_range(start, end, freq="D", inclusive="left")
    temp = pd.Series(days.month.map(temps_by_month).astype(float), index=days)
    kwh = base + kwh_per_dd * energy.degree_days_from_monthly_mean(temp.to_numpy())
    return pd.Series(kwh, index=days), temp


NANTES = {
    1: 6.1,
    2: 6.6,
    3: 9.1,
    4: 11.2,
    5: 14.6,
    6: 17.9,
    7: 19.8,
    8: 19.7,
    9: 16.9,
    10: 13.5,
    11: 9.2,
    12: 6.5,
}


def test_hitchin_degree_days():
    assert energy.degree_days_from_monthly_mean(17.0) == pytest.approx(1 / energy.HITCHIN_K)
    assert energy.degree_days_from_monthly_mean(2.0) == pytest.approx(15.0, rel=0.01)  # cold: ≈ base − mean
    assert 0 < energy.degree_days_from_monthly_mean(25.0) < 0.05  # warm month: almost none


def test_heating_from_daily_weather_when_it_covers_my_days():
    daily, temp = _daily("2024-01-01", "2025-01-01", NANTES)
    fit = energy.heating_sensitivity(daily, temp, base_c=17.0)
    assert fit.method == "daily" and not fit.approximate and fit.note is None


def test_heating_falls_back_to_normals_and_says_it_is_approximate():
    daily, _ = _daily("2019-01-01", "2020-01-01", NANTES, kwh_per_dd=3.0)
    normals = pd.Series(NANTES)
    normals.attrs["name"] = "Nantes-Bouguenais"
    weather_2024 = pd.Series(10.0, index=pd.date_range("2024-01-01", "2025-01-01", freq="D"))
    fit = energy.heating_sensitivity(daily, weather_2024, normals=normals)
    assert fit.method == "normals" and fit.approximate
    assert fit.kwh_per_degree_day == pytest.approx(3.0, rel=0.05)  # recovers the slope it was built with
    assert "0\u00a0% de mes jours" in fit.note and "Nantes-Bouguenais" in fit.note


def test_no_heating_estimate_without_weather_or_months_says_why():
    daily, _ = _daily("2019-03-01", "2019-05-01", NANTES)
    fit = energy.heating_sensitivity(daily, None, normals=pd.Series(NANTES))
    assert fit.method == "none" and fit.kwh_per_degree_day is None and "4 mois" in fit.reason
    fit = energy.heating_sensitivity(daily, None, normals=None)
    assert fit.method == "none" and "live" in fit.reason


def test_subscribed_power_from_the_curve_or_snapped_to_a_standard_one():
    end = pd.date_range("2024-01-01 00:30", periods=96, freq="30min", tz="Europe/Paris")
    curve = pd.DataFrame({"start": end - pd.Timedelta(minutes=30), "end": end, "kwh": 0.2})
    curve.loc[40, "kwh"] = 4.0  # 8 kW for half an hour
    kva, note = energy.subscribed_power(curve, "auto")
    assert kva == 12 and "8,0 kW" in note
    assert energy.subscribed_power(curve, 9) == (9, None)
    assert energy.subscribed_power(curve, 7)[0] == 9


def test_tempo_is_compared_only_when_its_colours_are_known():
    costs = pd.DataFrame(
        {"tariff": ["Tempo", "Base", "Heures creuses"], "total_eur": [900.0, 1000.0, 1040.0]}
    )
    assert energy.best_tariff(costs, 0.95) == "Tempo"
    assert energy.best_tariff(costs, 0.10) == "Base"
    assert energy.tempo_warning(0.10) and energy.tempo_warning(0.95) is None
