"""Water CSV of daily volumes: units from the header, DST days, duplicates, negatives."""

from __future__ import annotations

import pandas as pd
import pytest

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import detect_format, read


def test_litres_and_m3_headers(tmp_path):
    a = tmp_path / "eau.csv"
    a.write_text("Date;Consommation (l)\n30/03/2025;312\n31/03/2025;298,5\n", encoding="utf-8")
    b = tmp_path / "eau_m3.csv"
    b.write_text("date,volume (m3)\n2025-03-30,0.312\n2025-03-31,0.2985\n", encoding="utf-8")
    for path in (a, b):
        assert detect_format(path).id == "water-csv"
        df = read(path)
        assert df.attrs["kind"] == "water"
        assert df["litres"].tolist() == pytest.approx([312.0, 298.5])
        # 30 March 2025 is the 23-hour day of the spring DST change
        assert df["end"].iloc[0] - df["start"].iloc[0] == pd.Timedelta(hours=23)
        assert df["start"].iloc[0] == pd.Timestamp("2025-03-30T00:00:00+01:00")


def test_bad_rows_are_counted(tmp_path):
    path = tmp_path / "eau.csv"
    path.write_text(
        "date;volume\n2025-01-01;100\n2025-01-01;120\n2025-01-02;-5\n2025-01-03;\n"
        "pas une date;10\n2025-01-04;110\n",
        encoding="utf-8",
    )
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (6, 2, 4)
    assert set(rep["rejected_by_reason"]) == {
        "second relevé pour le même jour",
        "volume négatif",
        "pas de valeur (relevé manquant)",
        "date ou valeur illisible",
    }


def test_other_csv_is_not_water(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("date;temperature\n2025-01-01;3\n")
    with pytest.raises(ExportFormatError):
        read(path, kind="water")
