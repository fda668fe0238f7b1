"""Hostile, broken and huge files, one regression each: the importers end in accounting or a clean
ExportFormatError, nothing is lost in silence, nothing is left behind.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from export_seeds import BANK, DATACONNECT, GRANDLYON, SEMANTIC

from selfdata_lib import settings
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import read, read_all, scan_folder
from selfdata_lib.exports._base import archive_problems, open_archive


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_deeply_nested_json_is_a_clean_error(tmp_path):
    doc = json.loads(SEMANTIC)
    doc["timelineObjects"][0]["placeVisit"]["deep"] = json.loads("[" * 100 + "]" * 100)
    with pytest.raises(ExportFormatError, match="imbriqué sur 10[0-9] niveaux"):
        read(_write(tmp_path, "2025_MARCH.json", json.dumps(doc)))
    with pytest.raises(ExportFormatError, match="2025_MARCH.json"):  # beyond Python's own recursion limit
        read(
            _write(tmp_path, "2025_MARCH.json", SEMANTIC[:-2] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
        )


@pytest.mark.parametrize("bad", ["Infinity", "-Infinity", "NaN", "1e400", "-1e400"])
def test_non_finite_numbers_are_rejected_rows_not_crashes(tmp_path, bad):
    doc = re.sub(r'"valeur": [0-9.]+', f'"valeur": {bad}', GRANDLYON, count=1)
    frame = read(_write(tmp_path, "eau.json", doc))
    rep = frame.attrs["import_report"]
    assert rep["rows_rejected"] >= 1 and rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    assert frame["litres"].between(0, 1e6).all()


def test_an_integer_of_thousands_of_digits_is_a_clean_error(tmp_path):
    doc = DATACONNECT.replace('"8000"', "9" * 5000, 1)
    with pytest.raises(ExportFormatError, match="dataconnect.json"):
        read(_write(tmp_path, "dataconnect.json", doc))


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_years_one_and_9999_are_rejected_dates(tmp_path, year):
    doc = json.loads(SEMANTIC)
    doc["timelineObjects"][0]["placeVisit"]["duration"]["startTimestamp"] = f"{year}-03-01T00:00:00Z"
    frame = read(_write(tmp_path, "2025_MARCH.json", json.dumps(doc)))
    assert frame.empty and frame.attrs["import_report"]["rows_rejected"] == 1


@pytest.mark.parametrize("value", [None, [], "texte", 12, {"a": 1}])
def test_a_json_value_of_the_wrong_type_is_a_rejected_row(tmp_path, value):
    doc = json.loads(SEMANTIC)
    doc["timelineObjects"][0]["placeVisit"]["location"] = value
    frame = read(_write(tmp_path, "2025_MARCH.json", json.dumps(doc)))
    assert frame.attrs["import_report"]["rows_rejected"] == 1


def test_a_header_only_bank_or_enedis_csv_says_it_holds_no_rows(tmp_path):
    with pytest.raises(ExportFormatError, match="aucune ligne de données"):
        read(_write(tmp_path, "releve.csv", BANK.splitlines()[0] + "\n"))
    header = (
        "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
        "Etape metier;Unite;Pas en minutes\n00000000000001;Courbe de charge;01/01/2025;02/01/2025;"
        "Energie active;Consommation;Comptage Brut;W;\nHorodate;Valeur\n"
    )
    with pytest.raises(ExportFormatError, match="aucune ligne de données"):
        read(_write(tmp_path, "courbe.csv", header))


def test_a_stray_quote_costs_its_line_only(tmp_path):
    lines = BANK.splitlines()
    body = [f"{d:02d}/03/2025;CARTE {d};{d},50;;" for d in range(1, 28)]
    body[2] = '"' + body[2]
    frame = read(_write(tmp_path, "releve.csv", "\n".join([lines[0], *body]) + "\n"))
    rep = frame.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (27, 26, 1)
    assert rep["issues"][0]["where"] == "ligne 4" and "guillemet" in rep["issues"][0]["reason"]


def test_a_field_over_128_kb_does_not_crash_the_csv_reader(tmp_path):
    lines = BANK.splitlines()
    lines[2] = lines[2].replace("SALAIRE", '"' + "SALAIRE " * 30_000 + '"')
    frame = read(_write(tmp_path, "releve.csv", "\n".join(lines) + "\n"))
    assert len(frame) == 4


def test_negative_or_infinite_readings_are_rejected(tmp_path):
    doc = re.sub(r'"valeur": ([0-9.]+)', r'"valeur": -\1', GRANDLYON, count=1)
    rep = read(_write(tmp_path, "eau.json", doc)).attrs["import_report"]
    assert any("négatif" in r for r in rep["rejected_by_reason"])


def _zip(path: Path, members: dict[str, bytes], **kw) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, **kw) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_extraction(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "max_archive_ratio", 50.0)
    bomb = _zip(tmp_path / "takeout.zip", {"Records.json": b"{" + b" " * 30_000_000 + b"}"})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(ExportFormatError, match="bombe zip"):
        open_archive(bomb)
    monkeypatch.setattr(settings, "max_archive_bytes", 10_000_000)
    with pytest.raises(ExportFormatError, match="max_archive_bytes"):
        open_archive(_zip(tmp_path / "big.zip", {"a.json": b"0" * 11_000_000}))


def test_damaged_members_are_listed_and_the_rest_extracted(tmp_path):
    path = _zip(
        tmp_path / "takeout.zip",
        {"Takeout/" + "x" * 300 + ".json": SEMANTIC.encode(), "Takeout/bad.json": SEMANTIC.encode()},
    )
    raw = bytearray(path.read_bytes())
    i = raw.index(b"bad.json") + len(b"bad.json") + 5  # inside the second member's compressed data
    raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    found = scan_folder(path)
    good = [p for p, fmt, _ in found if fmt is not None]
    bad = [err for _, fmt, err in found if fmt is None]
    assert len(good) == 1 and len(bad) == 1 and "bad.json" in bad[0]  # an over-long name is no problem either
    assert archive_problems(path)
    with pytest.raises(ExportFormatError, match="illisible"):
        open_archive(_write(tmp_path, "pas_un_zip.zip", b"PK\x03\x04 not really"))


def test_an_encrypted_member_is_listed_not_raised(tmp_path):
    path = _zip(tmp_path / "t.zip", {"a.json": SEMANTIC.encode()})
    raw = bytearray(path.read_bytes())
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag in both headers
        at = raw.index(sig)
        flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
        raw[flag_at] |= 0x01
    path.write_bytes(bytes(raw))
    found = scan_folder(path)
    assert found and found[0][1] is None and "illisible" in found[0][2]


def test_extracted_archives_are_removed_on_sigterm(tmp_path):
    path = _zip(tmp_path / "takeout.zip", {"a.json": SEMANTIC.encode()})
    code = textwrap.dedent(f"""
        import sys, time
        from selfdata_lib.exports._base import open_archive
        print(open_archive({str(path)!r}), flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    target = Path(proc.stdout.readline().strip())
    assert target.is_dir()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == -signal.SIGTERM
    assert not target.exists()


def test_read_all_keeps_going_past_an_unreadable_file(tmp_path):
    _write(tmp_path, "2025_MARCH.json", SEMANTIC)
    _write(tmp_path, "2025_APRIL.json", SEMANTIC[: len(SEMANTIC) // 2])  # recognised, then unreadable
    frame = read_all(tmp_path, "visits")
    files = frame.attrs["import_report"]["files"]
    assert len(frame) == 1 and any("2025_APRIL" in f["file"] and f.get("error") for f in files)


def test_the_network_guard_blocks_udp_and_dns_too():
    code = textwrap.dedent("""
        import os, socket
        os.environ["SELFDATA_BLOCK_NETWORK"] = "1"
        import selfdata_lib  # noqa: F401 - installs the guard
        out = []
        for attempt in (lambda: socket.getaddrinfo("example.org", 443),
                        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("8.8.8.8", 53)),
                        lambda: socket.create_connection(("1.1.1.1", 80), timeout=1)):
            try:
                attempt()
                out.append("open")
            except OSError as exc:
                out.append("blocked" if "SELFDATA_BLOCK_NETWORK" in str(exc) else f"other:{exc}")
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b"x", ("127.0.0.1", 9))  # loopback stays open
        out.append(str(socket.getaddrinfo("localhost", 80)[0][4][0] in ("127.0.0.1", "::1")))
        print(",".join(out))
    """)
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SELFDATA_BLOCK_NETWORK": "1"},
    )
    assert res.stdout.strip() == "blocked,blocked,blocked,True", res.stdout + res.stderr


def test_the_sge_c4_layout_with_an_empty_unit_is_read(tmp_path):
    lines = [
        "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
        "Etape metier;Unite;Pas en minutes",
        "00000000000001;Courbe de charge;01/03/2025;02/03/2025;Energie active;Consommation;Comptage Brut;;",
        "Horodate;Valeur",
    ]
    lines += [
        f"2025-03-01T{h:02d}:{m:02d}:00+01:00;{1200 + h}"
        for h in range(1, 12)
        for m in (0, 10, 20, 30, 40, 50)
    ]
    frame = read(_write(tmp_path, "c4.csv", "\n".join(lines) + "\n"))
    assert len(frame) == 66 and "unité non indiquée" in " ".join(frame.attrs["import_report"]["notes"])
    watts = frame["kwh"] / ((frame["end"] - frame["start"]).dt.total_seconds() / 3600) * 1000
    assert watts.median() == pytest.approx(1206, abs=10)  # read in W, the step of 10 minutes inferred


def test_a_tcx_declaring_a_bogus_encoding_is_a_clean_error(tmp_path):
    from export_seeds import TCX

    path = _write(
        tmp_path, "ride.tcx", TCX.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="klingon"?>')
    )
    with pytest.raises(ExportFormatError, match="ride.tcx"):
        read(path, kind="location_points")


def test_a_malformed_ofx_is_a_clean_error(tmp_path):
    from export_seeds import OFX

    path = _write(
        tmp_path, "releve.ofx", OFX.replace("</STMTTRN>", "", 1).replace("<TRNAMT>-65.00", "<TRNAMT>abc")
    )
    with pytest.raises(ExportFormatError, match="relevé OFX illisible"):
        read(path)


def test_a_damaged_workbook_is_a_clean_error(tmp_path):
    from export_seeds import grdf_xlsx

    raw = bytearray(grdf_xlsx())
    raw[len(raw) // 2 : len(raw) // 2 + 200] = b"\x00" * 200
    with pytest.raises(ExportFormatError, match="gazpar.xlsx"):
        read(_write(tmp_path, "gazpar.xlsx", bytes(raw)))
