"""record() and provenance helpers, and reading them back from an executed notebook."""

from __future__ import annotations

import datetime as dt

import nbformat
import numpy as np
import pandas as pd
import pytest

from selfdata_lib.app import notebook


def test_to_jsonable_handles_numpy_pandas_and_dates():
    value = {
        "a": np.int64(3),
        "b": np.float32(0.5),
        "c": float("nan"),
        "d": pd.Timestamp("2025-03-30T02:30", tz="UTC"),
        "e": dt.date(2025, 1, 2),
        "f": pd.Series([1, 2], index=["x", "y"]),
        "g": np.array([1.5, 2.5]),
        "h": np.bool_(True),
        "i": pd.NaT,
    }
    out = notebook.to_jsonable(value)
    assert out == {
        "a": 3,
        "b": 0.5,
        "c": None,
        "d": "2025-03-30T02:30:00+00:00",
        "e": "2025-01-02",
        "f": {"x": 1, "y": 2},
        "g": [1.5, 2.5],
        "h": True,
        "i": None,
    }
    with pytest.raises(TypeError, match="cannot record"):
        notebook.to_jsonable(object())


def test_record_returns_its_value_and_rejects_bad_names():
    assert notebook.record("x", 4) == 4
    with pytest.raises(ValueError):
        notebook.record("", 1)


def _output(data):
    return nbformat.v4.new_output("display_data", data=data)


def test_read_records_keeps_last_value_and_unique_provenance():
    cell = nbformat.v4.new_code_cell("x")
    prov = {"dataset": "d", "sample": True}
    cell.outputs = [
        _output({notebook.RECORD_MIME: {"name": "x", "value": 1}}),
        _output({notebook.RECORD_MIME: {"name": "x", "value": 2}}),
        _output({notebook.PROVENANCE_MIME: prov, "text/plain": "p"}),
        _output({notebook.PROVENANCE_MIME: prov, "text/plain": "p"}),
        _output({"text/plain": "unrelated"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    records = notebook.read_records(nb)
    assert records["results"] == {"x": 2}
    assert records["provenance"] == [prov]
    assert records["inputs"] == [] and records["warnings"] == {} and records["missing"] == {}


def test_read_records_keeps_reasons_warnings_and_merges_inputs_by_file():
    cell = nbformat.v4.new_code_cell("x")
    entry = {"file": "eau.json", "path": "/data/eau.json", "kinds": ["water"], "warnings": ["unité ?"]}
    cell.outputs = [
        _output({notebook.RECORD_MIME: {"name": "a", "value": None, "reason": "pas de météo"}}),
        _output({notebook.RECORD_MIME: {"name": "b", "value": 9, "warnings": ["douteux"]}}),
        _output({notebook.INPUTS_MIME: [entry]}),
        _output({notebook.INPUTS_MIME: [dict(entry, kinds=["visits"], warnings=[])]}),
    ]
    records = notebook.read_records(nbformat.v4.new_notebook(cells=[cell]))
    assert records["missing"] == {"a": "pas de météo"}
    assert records["warnings"] == {"b": ["douteux"]}
    assert len(records["inputs"]) == 1
    assert records["inputs"][0]["kinds"] == ["visits", "water"]
    assert records["inputs"][0]["warnings"] == ["unité ?"]


def test_provenance_card_shows_sample_badge():
    html = notebook.provenance_html({"dataset": "d", "title": "T", "sample": True, "licence": "L"})
    assert "échantillon" in html and "<td>L</td>" in html
    real = notebook.provenance_html({"dataset": "d", "sample": False})
    assert "données réelles" in real
    with pytest.raises(ValueError, match="no provenance"):
        notebook.provenance_of(pd.DataFrame())


def test_a_rejected_row_never_shows_python_s_none():
    entry = {
        "file": "notes.json",
        "issues": [
            {"where": "document 4", "reason": "date illisible", "detail": "None"},
            {"where": "document 5", "reason": "note illisible", "detail": "nan"},
            {"where": "document 31", "reason": "pas une note", "detail": "'Abs'"},
        ],
    }
    page = notebook.inputs_html([entry])
    assert "(None)" not in page and "(nan)" not in page
    assert "date illisible (valeur vide)" in page and "note illisible (valeur vide)" in page
    assert "(&#x27;Abs&#x27;)" in page
