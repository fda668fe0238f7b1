"""Units and magnitudes at import: isolated impossible rows are rejected with their reason, a file off
by an order of magnitude is flagged (nothing lost), and every import still adds up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import exports
from selfdata_lib.exports._base import ImportReport
from selfdata_lib.exports.plausibility import check_plausibility


def _curve(n: int, watts: float, *, step_min: int = 30, start: str = "2024-01-01") -> pd.DataFrame:
    end = pd.date_range(
        pd.Timestamp(start, tz="Europe/Paris") + pd.Timedelta(minutes=step_min),
        periods=n,
        freq=f"{step_min}min",
    )
    return pd.DataFrame(
        {
            "start": end - pd.Timedelta(minutes=step_min),
            "end": end,
            "kwh": np.full(n, watts * step_min / 60 / 1000),
        }
    )


def _check(frame: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, ImportReport]:
    report = ImportReport(__import__("pathlib").Path("x.csv"), rows_read=len(frame))
    out = check_plausibility(frame, kind, report)
    assert report.rows_read == len(out) + report.rows_rejected  # nothing lost
    return out, report


def test_an_isolated_impossible_power_is_rejected_with_its_reason():
    curve = _curve(1000, 400.0)
    curve.loc[500, "kwh"] = 60.0  # 120 kW over half an hour: not a home
    out, report = _check(curve, "electricity")
    assert len(out) == 999 and not report.warnings
    assert "36 kW" in next(iter(report.reasons)) and report.issues[0]["where"].startswith(
        "mesure du 2024-01-11"
    )


def test_a_curve_in_the_wrong_unit_is_flagged_not_dropped():
    out, report = _check(_curve(1000, 400_000.0), "electricity")  # W read as kW
    assert len(out) == 1000 and report.rows_rejected == 0
    assert "36 kVA" in report.warnings[0]
    out, report = _check(_curve(1000, 0.4), "electricity")  # kW read as W
    assert len(out) == 1000 and "kW lues comme des W" in report.warnings[0]


def test_dates_in_the_future_or_before_the_meter_existed_are_rejected():
    curve = pd.concat(
        [
            _curve(48, 300.0, start="2008-06-01"),
            _curve(48, 300.0, start="2024-06-01"),
            _curve(48, 300.0, start=str((pd.Timestamp.now() + pd.Timedelta(days=30)).date())),
        ],
        ignore_index=True,
    )
    out, report = _check(curve, "electricity")
    assert len(out) == 48
    assert set(report.reasons) == {
        "date antérieure à 2010 (impossible pour ce type de données)",
        "date dans le futur",
    }


def test_bank_lines_may_be_dated_ahead_but_not_a_year_ahead():
    today = pd.Timestamp.now(tz="Europe/Paris").normalize()
    bank = pd.DataFrame(
        {
            "date": [today + pd.Timedelta(days=30), today + pd.Timedelta(days=400)],
            "label": ["CARTE DIFFEREE", "?"],
            "amount_eur": [-20.0, -5.0],
            "category": "",
        }
    )
    out, _ = _check(bank, "bank")
    assert list(out["label"]) == ["CARTE DIFFEREE"]


def test_water_days_beyond_a_household_meter():
    days = pd.date_range("2024-01-01", periods=100, freq="D", tz="Europe/Paris")
    water = pd.DataFrame({"start": days, "end": days + pd.Timedelta(days=1), "litres": 300.0})
    water.loc[10, "litres"] = 250_000.0
    out, report = _check(water, "water")
    assert len(out) == 99 and not report.warnings
    out, report = _check(water.assign(litres=water["litres"] * 1000), "water")
    assert len(out) == 100 and report.warnings


def test_a_gps_jump_is_rejected_but_a_flight_is_kept():
    times = pd.date_range("2024-05-01 08:00", periods=60, freq="1min", tz="UTC")
    lat = np.linspace(45.75, 45.76, 60)
    lon = np.full(60, 4.85)
    lat[30] = 48.85  # Paris for one minute
    points = pd.DataFrame({"time": times, "lat": lat, "lon": lon, "accuracy_m": 10.0})
    out, report = _check(points, "location_points")
    assert len(out) == 59 and "1200 km/h" in next(iter(report.reasons))
    flight = pd.DataFrame(
        {
            "time": pd.to_datetime(["2024-05-01 08:00", "2024-05-01 09:10", "2024-05-01 09:20"], utc=True),
            "lat": [45.72, 43.44, 43.45],
            "lon": [5.08, 1.37, 1.38],
            "accuracy_m": 10.0,
        }
    )
    out, _ = _check(flight, "location_points")
    assert len(out) == 3


@pytest.mark.parametrize(
    ("header", "values", "expected_l"),
    [
        ("date;volume", ["0,312", "0,287", "0,301"] * 5, 300),  # no unit, small values: m3
        ("date;volume", ["312", "287", "301"] * 5, 300),  # no unit, large values: litres
        ("date;volume (m3)", ["0,312", "0,287", "0,301"] * 5, 300),
        ("jour;consommation (litres)", ["312", "287", "301"] * 5, 300),
    ],
)
def test_water_csv_unit_from_header_or_magnitude(tmp_path, header, values, expected_l):
    lines = [header] + [
        f"{d:%d/%m/%Y};{v}"
        for d, v in zip(pd.date_range("2024-03-01", periods=len(values)), values, strict=True)
    ]
    path = tmp_path / "eau.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    frame = exports.read(path, kind="water")
    assert frame["litres"].median() == pytest.approx(expected_l, rel=0.05)
    notes = " ".join(frame.attrs["import_report"]["notes"])
    assert ("unité non indiquée" in notes) == ("(" not in header)


def _measures_csv(path, unit: str) -> None:
    header = (
        "Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;Type de données;Date de début;"
        "Date de fin;Grandeur métier;Grandeur physique;Statut demandé;Unité;Pas en minutes"
    )
    lines = [header]
    for i, t in enumerate(pd.date_range("2024-01-01 00:30", periods=200, freq="30min")):
        meta = (
            f"00000000000001;Courbe de charge;01/01/2024;05/01/2024;Consommation;Energie active;Réel;{unit};30"
            if i == 0
            else ";;;;;;;;"
        )
        lines.append(f"{t:%d/%m/%Y};{t:%H:%M:%S};0,45;R;{meta}")
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(("unit", "note"), [("kW", None), ("", "unité non indiquée")])
def test_a_unit_given_on_the_first_line_only_applies_to_the_whole_curve(tmp_path, unit, note):
    path = tmp_path / "mes_donnees.csv"
    _measures_csv(path, unit)
    frame = exports.read(path)
    watts = frame["kwh"] / ((frame["end"] - frame["start"]).dt.total_seconds() / 3600) * 1000
    assert watts.median() == pytest.approx(450)
    notes = " ".join(frame.attrs["import_report"]["notes"])
    assert (note in notes) if note else "unité non indiquée" not in notes
