"""Property tests for every reader: whatever happens to a file (truncated, lines shuffled or
duplicated, wrong separator or encoding, emptied), reading it gives a frame with exact row
accounting, or an ExportFormatError — never another exception.
"""

from __future__ import annotations

import pandas as pd
from export_seeds import SEEDS
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import FORMATS, SCHEMAS, read


def test_every_seed_is_read_cleanly_and_every_format_has_a_seed(tmp_path):
    covered = set()
    for name, text in SEEDS.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for kind in FORMATS[read(path).attrs["format"]].kinds:
            df = read(path, kind=kind)
            assert len(df) > 0, (name, kind)
            assert list(df.columns[: len(SCHEMAS[kind])]) == list(SCHEMAS[kind])
        covered.add(read(path).attrs["format"])
    assert covered >= set(FORMATS) - {"ofx", "grdf-xlsx"}  # binary formats: their own tests


def _mutate(text: str, op: str, data) -> bytes:
    lines = text.splitlines()
    if op == "truncate":
        cut = data.draw(st.integers(0, len(text)))
        return text[:cut].encode("utf-8")
    if op == "shuffle":
        body = lines[1:]
        data.draw(st.randoms()).shuffle(body)
        return "\n".join(lines[:1] + body).encode("utf-8")
    if op == "duplicate":
        i = data.draw(st.integers(0, max(0, len(lines) - 1)))
        return "\n".join(lines[: i + 1] + lines[i:]).encode("utf-8")
    if op == "separator":
        return text.replace(";", data.draw(st.sampled_from([",", "\t", "|"]))).encode("utf-8")
    if op == "encoding":
        return text.encode(
            data.draw(st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "cp1252"])), errors="replace"
        )
    if op == "garble":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(data.draw(st.integers(1, 5))):
            if raw:
                raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        return bytes(raw)
    if op == "empty":
        return b""
    return text.encode("utf-8")


@hsettings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(SEEDS)),
    op=st.sampled_from(["truncate", "shuffle", "duplicate", "separator", "encoding", "garble", "empty"]),
    data=st.data(),
)
def test_mangled_files_give_exact_accounting_or_a_format_error(tmp_path, name, op, data):
    path = tmp_path / name
    path.write_bytes(_mutate(SEEDS[name], op, data))
    try:
        fmt = read(path).attrs["format"]
        kinds = FORMATS[fmt].kinds
    except ExportFormatError:
        return
    for kind in kinds:
        try:
            df = read(path, kind=kind)
        except ExportFormatError:
            continue
        rep = df.attrs["import_report"]
        assert (
            rep["rows_read"]
            == rep["rows_kept"] + rep["rows_rejected"]
            == rep["rows_kept"] + sum(rep["rejected_by_reason"].values())
        )
        assert len(df) == rep["rows_kept"]
        for col in SCHEMAS[kind]:
            if col in ("start", "end", "time", "date"):
                assert isinstance(df[col].dtype, pd.DatetimeTZDtype), (kind, col, df[col].dtype)
