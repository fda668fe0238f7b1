"""Enedis load-curve CSV: step inference, gaps, DST, missing values, wrong files."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import detect_format, read, read_enedis_load_curve

META = (
    "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
    "Etape metier;Unite;Pas en minutes\n"
    "00000000000001;Courbe de charge;01/01/2025;02/01/2025;Energie active;Consommation;Comptage Brut;W;{step}\n"
    "Horodate;Valeur\n"
)


def write(tmp_path, rows, step="", name="curve.csv", bom=True):
    path = tmp_path / name
    text = META.format(step=step) + "".join(f"{t};{v}\n" for t, v in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_step_changes_from_60_to_30_and_a_gap_is_not_a_step(tmp_path):
    rows = [
        ("2025-01-01T01:00:00+01:00", 1000),
        ("2025-01-01T02:00:00+01:00", 1000),
        ("2025-01-01T03:00:00+01:00", 1000),  # hourly
        ("2025-01-01T03:30:00+01:00", 2000),
        ("2025-01-01T04:00:00+01:00", 2000),  # 30 min
        ("2025-01-01T06:00:00+01:00", 2000),
        ("2025-01-01T06:30:00+01:00", 2000),
    ]  # gap then 30
    df = read_enedis_load_curve(write(tmp_path, rows))
    steps = ((df["end"] - df["start"]).dt.total_seconds() / 60).tolist()
    assert steps == [60, 60, 60, 30, 30, 30, 30]
    assert df["kwh"].tolist() == pytest.approx([1, 1, 1, 1, 1, 1, 1])
    assert str(df["start"].dt.tz) == "Europe/Paris"
    assert df["start"].iloc[0] == pd.Timestamp("2025-01-01T00:00:00+01:00")


def test_declared_step_wins(tmp_path):
    rows = [("2025-01-01T00:10:00+01:00", 600), ("2025-01-01T01:00:00+01:00", 600)]
    df = read_enedis_load_curve(write(tmp_path, rows, step="10"))
    assert df["kwh"].tolist() == pytest.approx([0.1, 0.1])


def test_empty_values_are_counted_not_dropped_silently(tmp_path):
    rows = [
        ("2025-01-01T00:30:00+01:00", 500),
        ("2025-01-01T01:00:00+01:00", ""),
        ("2025-01-01T01:30:00+01:00", "abc"),
        ("bad-time", 100),
        ("2025-01-01T02:00:00+01:00", 500),
    ]
    df = read_enedis_load_curve(write(tmp_path, rows))
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (5, 2, 3)
    assert set(rep["rejected_by_reason"]) == {
        "pas de valeur (mesure manquante chez Enedis)",
        "valeur qui n'est pas un nombre",
        "horodatage illisible",
    }
    where = {i["reason"]: i["where"] for i in rep["issues"]}
    assert where == {
        "horodatage illisible": "ligne 7",
        "pas de valeur (mesure manquante chez Enedis)": "ligne 5",
        "valeur qui n'est pas un nombre": "ligne 6",
    }


def test_dst_days_have_46_and_50_half_hours(tmp_path):
    ends = pd.date_range("2025-03-30T00:30", "2025-03-31T00:00", freq="30min", tz="Europe/Paris")
    ends = ends.append(pd.date_range("2025-10-26T00:30", "2025-10-27T00:00", freq="30min", tz="Europe/Paris"))
    rows = [(t.isoformat(), 1000) for t in ends]
    df = read_enedis_load_curve(write(tmp_path, rows))
    per_day = df.groupby(df["start"].dt.date).size()
    assert per_day.tolist() == [46, 50]
    assert df.groupby(df["start"].dt.date)["kwh"].sum().tolist() == pytest.approx([23.0, 25.0])


def test_index_file_or_other_csv_is_refused_clearly(tmp_path):
    path = tmp_path / "idx.csv"
    path.write_text(META.replace("Courbe de charge", "Index").format(step=""), encoding="utf-8")
    with pytest.raises(ExportFormatError, match=r"idx\.csv.*ligne 2.*Courbe de charge.*Index"):
        read_enedis_load_curve(path)
    other = tmp_path / "x.csv"
    other.write_text("date;amount\n2025-01-01;3\n")
    with pytest.raises(ExportFormatError, match=r"x\.csv: ligne 1"):
        read(other)
    empty = tmp_path / "e.csv"
    empty.write_text("")
    with pytest.raises(ExportFormatError, match="vide"):
        read(empty)


def test_detected_by_content_not_name(tmp_path):
    path = write(tmp_path, [("2025-01-01T00:30:00+01:00", 1)], name="whatever.txt", bom=False)
    assert detect_format(path).id == "enedis-csv-load-curve"
    with pytest.raises(ExportFormatError, match="pas un export de consommation d'eau"):
        read(path, kind="water")


_ROW = st.tuples(
    st.integers(0, 200), st.one_of(st.integers(0, 9000).map(str), st.just(""), st.text(max_size=4))
)


@hsettings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(_ROW, max_size=40),
    cut=st.integers(0, 400),
    sep=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8-sig", "latin-1", "utf-16"]),
    shuffle=st.randoms(),
)
def test_property_any_mangled_file_gives_exact_accounting_or_format_error(
    tmp_path, rows, cut, sep, encoding, shuffle
):
    base = pd.Timestamp("2025-03-29T22:00", tz="Europe/Paris")
    lines = [f"{(base + pd.Timedelta(minutes=30 * k)).isoformat()}{sep}{v}" for k, v in rows]
    shuffle.shuffle(lines)
    lines += lines[: len(lines) // 5]  # duplicates
    text = META.format(step="").replace(";", sep) + "\n".join(lines)
    data = text.encode(encoding, errors="replace")
    data = data[: max(cut, len(data) - cut)] if cut % 3 == 0 else data
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        df = read(path)
    except ExportFormatError:
        return
    rep = df.attrs["import_report"]
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    assert df["end"].is_monotonic_increasing and not df["end"].duplicated().any()
    assert (df["kwh"] >= 0).all()


def test_dataconnect_load_curve_over_the_october_dst_change(tmp_path):
    import json

    ends = pd.date_range("2025-10-26T00:30", "2025-10-26T04:00", freq="30min", tz="Europe/Paris")
    items = [
        {"value": "1000", "date": t.strftime("%Y-%m-%d %H:%M:%S"), "interval_length": "PT30M"} for t in ends
    ]
    items.append({"value": "n/a", "date": "2025-10-26 04:30:00", "interval_length": "PT30M"})
    path = tmp_path / "curve.json"
    path.write_text(
        json.dumps(
            {
                "meter_reading": {
                    "reading_type": {"measurement_kind": "power", "unit": "W"},
                    "interval_reading": items,
                }
            }
        )
    )
    df = read(path)
    assert len(df) == len(ends) == 10  # 3.5 hours of wall clock, 4.5 hours of time: 02:00–03:00 twice
    assert df["end"].is_monotonic_increasing and df["end"].is_unique
    assert df["kwh"].sum() == pytest.approx(5.0)  # ten half-hours at 1 kW
    assert df.attrs["import_report"]["rejected_by_reason"] == {"valeur qui n'est pas un nombre": 1}
