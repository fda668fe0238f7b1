"""GRDF XLSX on workbooks written here (openpyxl), and broken workbooks."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import read


def _workbook(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B1"] = "Données informatives et détaillées"
    ws["E1"] = "Export du 05/01/2025"
    for j, name in enumerate(header, start=2):
        ws.cell(row=9, column=j, value=name)
    for i, row in enumerate(rows, start=10):
        for j, value in enumerate(row, start=2):
            ws.cell(row=i, column=j, value=value)
    wb.save(path)
    return path


DAILY = [
    "Date de relevé",
    "Index de début de période (m3)",
    "Index de fin de période (m3)",
    "Volume consommé (m3)",
    "Energie consommée (kWh)",
    "Coefficient de conversion",
    "Température locale (°C)",
    "Qualification du relevé",
]


def test_daily_with_text_numbers_and_missing_values(tmp_path):
    path = _workbook(
        tmp_path / "gaz.xlsx",
        DAILY,
        [
            ["01/01/2025", "100", "104", "4", "44,5", "11,12", None, "Mesuré"],
            ["02/01/2025", 104, 104, None, None, None, None, "Absence de Données"],
            ["30/02/2025", 104, 109, 5, 55, None, None, "Mesuré"],
            ["03/01/2025", 104, 109, 5, 55, None, None, "Estimé"],
        ],
    )
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (4, 2, 2)
    assert df["kwh"].tolist() == [44.5, 55.0]
    assert df["start"].iloc[0] == pd.Timestamp("2025-01-01T06:00:00+01:00")
    assert df["end"].iloc[0] - df["start"].iloc[0] == pd.Timedelta(days=1)


def test_monthly_french_months(tmp_path):
    path = _workbook(
        tmp_path / "mois.xlsx",
        ["Date de relevé", "Volume consommé (m3)", "Energie consommée (kWh)"],
        [["Décembre 2024 ", 30, 330], ["Août 2025", 2, 22], ["Brumaire 2025", 1, 11]],
    )
    df = read(path)
    assert df.attrs["format"] == "grdf-xlsx-monthly"
    assert df["start"].dt.month.tolist() == [12, 8]
    assert df.attrs["import_report"]["rejected_by_reason"] == {"mois illisible": 1}


def test_truncated_workbook_is_a_format_error(tmp_path):
    path = _workbook(tmp_path / "gaz.xlsx", DAILY, [["01/01/2025", 1, 2, 1, 11, None, None, "Mesuré"]])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExportFormatError):
        read(path)
