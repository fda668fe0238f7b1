"""A seeded mutation fuzzer for the importers: bad inputs built from the project's own seed files.

Every input must end as a frame whose accounting holds (read = kept + rejected, every rejection with a
reason, no impossible value kept) or as an :class:`~selfdata_lib.errors.ExportFormatError` naming the
file. :func:`fuzz_format` returns the counts; ``tests/test_fuzz.py`` runs it for every format, and
``make fuzz`` (the ``fuzz`` marker) runs many more inputs.

The mutations are the ones real files suffer, and the ones seen break the importers: truncation, lines
lost, doubled or swapped, stray bytes and quotes, a giant field, other separators and encodings, an
empty or header-only file, a PDF where a CSV is expected; in numbers, ``inf``, ``1e400``, negative or
huge values, years 1 and 9999; in JSON, values of the wrong type, missing keys, ``NaN``/``Infinity``
and deep nesting.
"""

from __future__ import annotations

import json
import random
import re
import signal
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import FORMATS, SCHEMAS, detect_format

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:[.,]\d+)?(?![\w])")
YEAR = re.compile(r"\b(19|20)\d\d\b")
BAD_NUMBERS = [
    "inf",
    "-inf",
    "nan",
    "Infinity",
    "1e400",
    "-5",
    "-0,5",
    "99999999999999999999999999",
    "9" * 5000,
    "0",
    "1.2.3",
    "١٢٣",
    "",
    "NULL",
    "12,5,6",
]
BAD_YEARS = ["0001", "9999", "1970", "2099", "0000"]
WRONG_TYPES: list[Any] = [None, [], {}, "x", "", 0, -1, True, "1e400", [{"a": 1}], {"nested": {"x": [None]}}]


def _text_mutations(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines()
    op = rng.choice(
        [
            "truncate",
            "drop",
            "duplicate",
            "swap",
            "garble",
            "quote",
            "giant",
            "number",
            "year",
            "separator",
            "encoding",
            "empty",
            "header",
            "binary",
            "pdf",
            "crlf",
            "nul",
            "blank",
            "number",
            "number",
            "quote",
            "prolog",
        ]
    )
    if op == "truncate":
        return text[: rng.randrange(len(text) + 1)].encode()
    if op == "drop" and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif op == "duplicate" and lines:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op == "swap" and len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "garble":
        raw = bytearray(text.encode())
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    elif op == "quote" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        lines[i] = '"' + lines[i]
    elif op == "giant" and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + "x" * 200_000
    elif op == "number":
        matches = list(NUMBER.finditer(text))
        if matches:
            m = rng.choice(matches)
            return (text[: m.start()] + rng.choice(BAD_NUMBERS) + text[m.end() :]).encode()
    elif op == "year":
        matches = list(YEAR.finditer(text))
        if matches:
            m = rng.choice(matches)
            return (text[: m.start()] + rng.choice(BAD_YEARS) + text[m.end() :]).encode()
    elif op == "separator":
        return text.replace(";", rng.choice([",", "\t", "|", "; "])).encode()
    elif op == "encoding":
        return text.encode(
            rng.choice(["utf-16", "utf-16-be", "latin-1", "cp1252", "utf-32"]), errors="replace"
        )
    elif op == "empty":
        return rng.choice([b"", b"\n", b"   ", b"\xef\xbb\xbf"])
    elif op == "header":
        return "\n".join(lines[: rng.randint(1, 3)]).encode()
    elif op == "binary":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000)))
    elif op == "pdf":
        return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + text.encode()[:200]
    elif op == "crlf":
        return text.replace("\n", "\r\n").encode()
    elif op == "nul":
        raw = text.encode()
        i = rng.randrange(len(raw) + 1)
        return raw[:i] + b"\x00" * rng.randint(1, 20) + raw[i:]
    elif op == "blank":
        lines.insert(rng.randrange(len(lines) + 1), "")
    elif op == "prolog" and text.lstrip().startswith("<?xml"):  # an XML file declaring an odd encoding
        enc = rng.choice(["klingon", "utf-16", "ebcdic", "", "latin-1"])
        return re.sub(r"<\?xml[^>]*\?>", f'<?xml version="1.0" encoding="{enc}"?>', text, count=1).encode()
    return "\n".join(lines).encode()


def _json_paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _json_paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:6]):
            out += _json_paths(v, (*prefix, i))
    return out


def _set(obj: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    parent = obj
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return obj


def _json_mutations(doc: Any, rng: random.Random) -> bytes:
    doc = json.loads(json.dumps(doc))
    paths = _json_paths(doc)
    path = rng.choice(paths)
    op = rng.choice(["type", "type", "delete", "nonfinite", "deep", "bignum", "string_number", "date"])
    if op == "type":
        doc = _set(doc, path, rng.choice(WRONG_TYPES))
    elif op == "delete" and path:
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
    elif op == "nonfinite":
        doc = _set(doc, path, rng.choice([float("inf"), float("-inf"), float("nan"), -1e308 * 10]))
    elif op == "deep":
        depth = rng.choice([200, 2_000, 50_000])
        return (
            (json.dumps(doc)[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}").encode()
            if isinstance(doc, dict)
            else ("[" * depth + "]" * depth).encode()
        )
    elif op == "bignum":
        text = json.dumps(_set(doc, path, 123456789))
        return text.replace("123456789", rng.choice(["1e400", "-1e400", "9" * 5000, "-0.0e-999"]), 1).encode()
    elif op == "string_number":
        doc = _set(doc, path, rng.choice(["12,5", "1 234", "abc", "0x1F", "1e5", "-3"]))
    elif op == "date":
        doc = _set(
            doc,
            path,
            rng.choice(
                [
                    "0001-01-01T00:00:00Z",
                    "9999-12-31T23:59:59Z",
                    "2025-13-45",
                    "-62135596800000",
                    "253402300800000",
                    1e20,
                    "2025-03-30T02:30:00",
                ]
            ),
        )
    return json.dumps(doc, allow_nan=True).encode()


def mutate(seed: bytes, rng: random.Random) -> bytes:
    """One bad input derived from ``seed``: structural for JSON half of the time, textual otherwise."""
    text = seed.decode("utf-8", errors="replace")
    if text.lstrip()[:1] in "{[" and rng.random() < 0.5:
        try:
            return _json_mutations(json.loads(text), rng)
        except ValueError:
            pass
    if "\n{" in text and text.lstrip().startswith("{") and rng.random() < 0.3:  # NDJSON: one line's JSON
        lines = text.splitlines()
        i = rng.randrange(len(lines))
        try:
            lines[i] = _json_mutations(json.loads(lines[i]), rng).decode()
            return "\n".join(lines).encode()
        except ValueError:
            pass
    return _text_mutations(text, rng)


class Hang(Exception):
    """A read took longer than the budget."""


@contextmanager
def _deadline(seconds: float):
    def _raise(*_):
        raise Hang

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class FuzzCounts:
    """What happened to the inputs of one format."""

    format: str
    inputs: int = 0
    ok: int = 0
    clean_errors: int = 0
    failures: list[str] = field(default_factory=list)
    causes: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def check_frame(frame: pd.DataFrame, kind: str) -> str | None:
    """What is wrong with a frame a reader returned (``None`` when it keeps its promises)."""
    rep = frame.attrs.get("import_report")
    if not rep:
        return "no import report"
    if rep["rows_read"] != rep["rows_kept"] + rep["rows_rejected"] or rep["rows_kept"] != len(frame):
        return f"accounting broken: read {rep['rows_read']}, kept {rep['rows_kept']}, rejected {rep['rows_rejected']}"
    if sum(rep["rejected_by_reason"].values()) != rep["rows_rejected"]:
        return "rejections without reasons"
    for col in SCHEMAS[kind]:
        if col in ("start", "end", "time", "date") and not isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            return f"{col} is not a timezone-aware timestamp"
    value = {"electricity": "kwh", "gas": "kwh", "water": "litres", "bank": "amount_eur"}.get(kind)
    if value and len(frame):
        numbers = frame[value].to_numpy(dtype=float)
        if not np.isfinite(numbers).all():
            return f"non-finite {value} kept"
        if kind != "bank" and (numbers < 0).any():
            return f"negative {value} kept"
    return None


def read_one(path: Path, reader: Callable[[Path], pd.DataFrame], kind: str, *, budget_s: float) -> str:
    """``"ok"``, ``"clean"`` or a failure description for one read."""
    try:
        with _deadline(budget_s):
            frame = reader(path)
    except ExportFormatError as exc:
        return "clean" if path.name in str(exc) else f"ExportFormatError without the file name: {exc}"[:200]
    except Hang:
        return f"hang (> {budget_s:g} s)"
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    problem = check_frame(frame, kind)
    return "ok" if problem is None else problem


def fuzz_format(
    fmt_id: str,
    seed: bytes,
    folder: Path,
    *,
    n: int,
    rng_seed: int = 0,
    budget_s: float = 10.0,
    suffix: str = "",
    mutator: Callable[[random.Random], bytes] | None = None,
) -> FuzzCounts:
    """Feed ``n`` mutations of ``seed`` (or of ``mutator``, for binary formats) to every reader of format
    ``fmt_id`` (after detection when the mutated file is recognised as another format).
    """
    fmt = FORMATS[fmt_id]
    rng = random.Random(f"{fmt_id}-{rng_seed}")
    counts = FuzzCounts(fmt_id)
    t0 = time.perf_counter()
    path = folder / f"fuzz_{fmt_id}{suffix}"
    for i in range(n):
        data = mutator(rng) if mutator is not None else mutate(seed, rng)
        path.write_bytes(data)
        readers = [(fmt.kind, fmt.read), *fmt.other_kinds.items()]
        try:
            with _deadline(budget_s):
                detected = detect_format(path)
        except ExportFormatError:
            detected = None
        except Exception as exc:
            counts.inputs += 1
            cause = f"detect: {type(exc).__name__}: {str(exc)[:100]}"
            counts.failures.append(f"#{i}: {cause}")
            counts.causes[cause.split(":")[1].strip()] += 1
            continue
        if detected is not None and detected.id != fmt_id:
            readers = [(detected.kind, detected.read), *detected.other_kinds.items()]
        for kind, reader in readers:
            counts.inputs += 1
            outcome = read_one(path, reader, kind, budget_s=budget_s)
            if outcome == "ok":
                counts.ok += 1
            elif outcome == "clean":
                counts.clean_errors += 1
            else:
                counts.failures.append(f"#{i} {kind}: {outcome}")
                counts.causes[outcome.split(":")[0]] += 1
                (folder / "failures").mkdir(exist_ok=True)
                (folder / "failures" / f"{fmt_id}_{i}{suffix}").write_bytes(data)
    counts.seconds = time.perf_counter() - t0
    return counts


def mutate_workbook(rng: random.Random, build: Callable[[list[list]], bytes], rows: list[list]) -> bytes:
    """A bad GRDF-like workbook: cells of the wrong type or absurd values, rows dropped or doubled, or
    the file's bytes damaged.
    """
    import datetime as dt

    if rng.random() < 0.3:  # the zip container itself
        raw = bytearray(build(rows))
        op = rng.choice(["truncate", "garble", "garble"])
        if op == "truncate":
            return bytes(raw[: rng.randrange(len(raw))])
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    rows = [list(r) for r in rows]
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["cell", "cell", "cell", "drop", "double", "blank"])
        if op == "cell" and rows:
            r, c = rng.randrange(len(rows)), rng.randrange(len(rows[0]))
            rows[r][c] = rng.choice(
                [
                    None,
                    "",
                    "abc",
                    "inf",
                    "-inf",
                    float("inf"),
                    1e300,
                    -5,
                    "31/02/2025",
                    "01/01/9999",
                    dt.datetime(1, 1, 1),
                    dt.datetime(9999, 12, 31),
                    "x" * 5000,
                    True,
                    "1 234,5",
                    10**30,
                ]
            )
        elif op == "drop" and rows:
            rows.pop(rng.randrange(len(rows)))
        elif op == "double" and rows:
            i = rng.randrange(len(rows))
            rows.insert(i, list(rows[i]))
        elif op == "blank":
            rows.insert(rng.randrange(len(rows) + 1), [None] * 8)
    return build(rows)
