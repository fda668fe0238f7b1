"""The legacy Takeout ``Records.json``: every raw location point, streamed in linear time whatever
the size of the file, damaged records counted and skipped.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    decode_text,
    register_format,
)


def _sniff_records(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return (
        text.startswith("{")
        and '"locations"' in text[:200]
        and ("latitudeE7" in text or '"locations": []' in text or '"locations":[]' in text)
    )


_LOCATIONS_START = re.compile(r'"locations"\s*:\s*\[')
_SEPARATORS = re.compile(r"[\s,]*")


_BOUNDARY = re.compile(r"\}\s*,\s*\{")
#: Where a top-level record begins (Takeout writes latitudeE7 first): resynchronising there does not
#: lose the record after a damaged one, and counting them tells how many a damaged stretch held.
_RECORD_START = re.compile(r',\s*\{\s*"latitudeE7"')
_RECORD_KEY = re.compile(r'\{\s*"latitudeE7"')
#: Stand-ins for what could not be decoded, so that it is counted (rejected, with its reason).
BROKEN = {"__broken__": "record that is not valid JSON (skipped to the next record)"}
TRUNCATED = {"__broken__": "the file ends in the middle of a record (download cut short?)"}


def _decode_prefix(buf: str, pos: int, err: int, out: list) -> bool:
    """Decode, in one call, the complete items of ``buf[pos:err]`` (those before an error at ``err``);
    ``out`` receives the batch and the position after it. ``False`` when none is complete.
    """
    prefix = buf.rfind("},", pos, err)
    while prefix > pos:
        try:
            batch = json.loads("[" + buf[pos : prefix + 1] + "]")
        except (ValueError, RecursionError):
            prefix = buf.rfind("},", pos, prefix)
            continue
        out += [batch, prefix + 1]
        return True
    return False


class _RecordStream:
    """The ``locations`` array of a Records.json read ``block_size`` characters at a time."""

    def __init__(self, fh: Any, path: Path, block_size: int) -> None:
        self.fh, self.block_size = fh, block_size
        self.buf, self.eof = fh.read(block_size), False
        m = _LOCATIONS_START.search(self.buf)
        if m is None:
            msg = f'{path.name}: pas de tableau "locations" au début du fichier ; attendu : le Records.json de Google Takeout'
            raise ExportFormatError(msg)
        self.pos = m.end()
        self.window = block_size  # the span decoded in one call: shrinks near damage, then regrows

    def refill(self) -> None:
        """Append a block after the unread part (which then starts the buffer)."""
        if self.eof:
            return
        more = self.fh.read(self.block_size)
        self.eof = not more
        self.buf = self.buf[self.pos :] + more
        self.pos = 0

    def window_batch(self) -> tuple[list[Any] | None, int | None]:
        """Decode the items up to the last ``},`` of the window in one call: the batch (position
        moved after it), or ``None`` and where the damage is (``None`` when no cut was found).
        """
        buf, pos = self.buf, self.pos
        cut = buf.rfind("},", pos, pos + self.window)
        for _ in range(6):  # cuts from the end backwards: one may fall inside a nested object
            if cut <= pos:
                break
            try:
                batch = json.loads("[" + buf[pos : cut + 1] + "]")
            except json.JSONDecodeError as exc:
                if exc.pos < cut + 1 - pos:  # an error inside the items, not just a bad cut
                    err = pos + max(exc.pos - 1, 0)
                    self.window = max(
                        1 << 12, (err - pos) // 2
                    )  # damage about this often: calls that miss it
                    return None, err
                cut = buf.rfind("},", pos, cut)
                continue
            except (ValueError, RecursionError):  # an absurd number or nesting inside: item by item
                return None, pos
            self.pos, self.window = cut + 1, min(self.window + self.window // 2, self.block_size)
            return batch, None
        return None, None

    def one_item(self) -> list[Any] | None:
        """The next item alone (the last of the array, or the one holding the error), decoded on a
        slice: a decoding error counts the lines of its whole document, which must stay small.
        """
        try:
            obj, end = json.JSONDecoder().raw_decode(
                self.buf[self.pos : self.pos + max(1 << 16, self.window)]
            )
        except (ValueError, RecursionError):
            return None
        self.pos += end
        return [obj]

    def skip_damage(self, err: int | None) -> list[Any]:
        """Skip to the next record after the damage: one :data:`BROKEN` per record begun in the
        skipped stretch, or :data:`TRUNCATED` when the file ends first.
        """
        start = max(err or self.pos, self.pos) - self.pos  # the damage, relative to the item's start

        def next_record() -> re.Match[str] | None:
            at = self.pos + max(start, 1)
            return _RECORD_START.search(self.buf, at) or _BOUNDARY.search(self.buf, at)

        nxt = next_record()
        while nxt is None and not self.eof:
            self.refill()
            nxt = next_record()
        if nxt is None:
            self.pos = len(self.buf)
            return [TRUNCATED if not self.buf.rstrip().endswith("]}") else BROKEN]
        skipped = self.buf[self.pos : nxt.start() + 1]  # every record begun in the skipped stretch is counted
        pos = nxt.end() - 1
        while self.buf[pos] != "{":
            pos -= 1
        self.pos = pos
        return [BROKEN] * max(1, len(_RECORD_KEY.findall(skipped)))


def iter_record_batches(path: Path, *, block_size: int = 1 << 22) -> Iterator[list[Any]]:
    """Yield the items of the ``locations`` array of a Records.json, a batch at a time, in linear time.

    Reads ``block_size`` characters at a time and decodes everything up to the last complete item in
    one call of the C JSON decoder. A malformed record does not stop the file: the items before it are
    decoded in one call, the broken one is yielded as :data:`BROKEN` (the reader rejects it with its
    reason) and decoding resumes at the next ``}, {`` boundary — so a file with damaged records costs
    about what a clean one does, and memory stays at about two blocks whatever the size of the file.
    """
    with open(path, encoding="utf-8-sig", errors="strict") as fh:
        stream = _RecordStream(fh, path, block_size)
        while True:
            separators = _SEPARATORS.match(stream.buf, stream.pos)
            assert separators is not None  # [\s,]* matches, if only the empty string
            stream.pos = separators.end()
            if len(stream.buf) - stream.pos < block_size // 2 and not stream.eof:
                stream.refill()
                continue
            if stream.pos >= len(stream.buf):
                yield [TRUNCATED]  # no closing "]": the file stops here
                return
            if stream.buf[stream.pos] == "]":
                return
            batch, err = stream.window_batch()
            if batch is not None:
                yield batch
                continue
            out: list[Any] = []  # what _decode_prefix decodes: the batch and the position after it
            if err is not None and err > stream.pos and _decode_prefix(stream.buf, stream.pos, err, out):
                yield out[0]
                stream.pos = out[1]
                continue
            item = stream.one_item()
            if item is not None:
                yield item
                continue
            broken = stream.skip_damage(err)
            yield broken
            if broken == [TRUNCATED] or stream.pos >= len(stream.buf):
                return


def _records_chunk(
    batch: list[Any], first_index: int, report: ImportReport, broken_at: list[int] | None = None
) -> pd.DataFrame:
    """Columns of a batch of Records points; points missing coordinates or time are rejected, and so
    are the stand-ins of damaged records at ``broken_at`` (positions in the batch).
    """
    nan = math.nan
    try:
        sources = [r.get("source", "") for r in batch]
        dicts = batch
    except AttributeError:  # an item that is not an object: treat it as an empty one (rejected)
        dicts = [r if isinstance(r, dict) else {} for r in batch]
        sources = [r.get("source", "") for r in dicts]
    if not all(isinstance(s, str) for s in sources):
        sources = [s if isinstance(s, str) else "" for s in sources]

    def column(key: str) -> np.ndarray:
        values = [r.get(key, nan) for r in dicts]
        try:
            return np.array(values, dtype=float)
        except (TypeError, ValueError):  # a string or null somewhere: the slow, forgiving path
            return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)

    broken = np.zeros(len(dicts), dtype=bool)
    broken[broken_at or []] = True
    if broken.any():  # what could not be decoded: rejected with its reason, not mistaken for a point
        for reason in {r["__broken__"] for r in dicts if "__broken__" in r}:
            report.reject_positions(
                np.flatnonzero([r.get("__broken__") == reason for r in dicts]),
                reason,
                where=lambda i: f"enregistrement {first_index + i}",
            )
        dicts = [r for r in dicts if "__broken__" not in r]
        sources = [s for s, b in zip(sources, broken, strict=True) if not b]
        first_index_map = np.flatnonzero(~broken)
    else:
        first_index_map = None
    lat, lon, acc = column("latitudeE7"), column("longitudeE7"), column("accuracy")
    iso = pd.Series([t if isinstance(t := r.get("timestamp"), str) else None for r in dicts], dtype=object)
    time = pd.to_datetime(iso, utc=True, errors="coerce", format="ISO8601")
    has_ms = [r.get("timestampMs") for r in dicts]
    if has_ms.count(None) != len(has_ms):  # older exports: milliseconds since the epoch, as text
        ms = pd.to_numeric(pd.Series(has_ms, dtype=object), errors="coerce")
        ms = ms.where(ms.abs() < 9e15)  # beyond the years 1677–2262: not a time
        time = time.fillna(pd.to_datetime(ms, unit="ms", utc=True, errors="coerce"))
    frame = pd.DataFrame(
        {
            "time": time,
            "lat": lat / 1e7,
            "lon": lon / 1e7,
            "accuracy_m": acc,
            "source": pd.Series(sources, dtype="category"),
        }
    )
    no_xy = np.isnan(lat) | np.isnan(lon)
    no_t = ~no_xy & iso.isna().to_numpy() & np.array([v is None for v in has_ms], dtype=bool)
    bad_t = ~no_xy & ~no_t & time.isna().to_numpy()
    out_of_range = ~no_xy & ~(frame["lat"].between(-90, 90) & frame["lon"].between(-180, 180)).to_numpy()
    for mask, reason in (
        (no_xy, "point without latitudeE7/longitudeE7"),
        (no_t, "point without timestamp"),
        (bad_t, "horodatage illisible"),
        (out_of_range & ~bad_t & ~no_t, "coordinates out of range"),
    ):
        report.reject_positions(
            np.flatnonzero(mask),
            reason,
            where=lambda i: (
                f"record {first_index + (i if first_index_map is None else int(first_index_map[i]))}"
            ),
        )
    keep = ~(no_xy | no_t | bad_t | out_of_range)
    return frame.loc[keep] if not keep.all() else frame


def read_google_records(path: str | Path, *, chunk_size: int = 40_000) -> pd.DataFrame:
    """Raw points of a legacy Takeout ``Records.json`` (``{"locations": [...]}``), streamed.

    The file can be hundreds of MB: it is decoded block by block (:func:`iter_record_batches`) and turned
    into columns ``chunk_size`` points at a time, never loaded whole. Returns ``time`` (UTC),
    ``lat``, ``lon``, ``accuracy_m``, ``source``.
    """
    path = Path(path)
    report = ImportReport(path)
    chunks: list[pd.DataFrame] = []
    batch: list[Any] = []
    broken_at: list[int] = []
    try:
        for items in iter_record_batches(path):
            if items and (
                items[0] is BROKEN or items[0] is TRUNCATED
            ):  # stand-ins come in lists of their own
                broken_at += range(len(batch), len(batch) + len(items))
            batch.extend(items)
            if len(batch) >= chunk_size:
                chunks.append(_records_chunk(batch, report.rows_read, report, broken_at))
                report.rows_read += len(batch)
                batch, broken_at = [], []
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: pas du texte UTF-8 ; le Records.json de Google Takeout est du JSON en UTF-8"
        raise ExportFormatError(msg) from exc
    if batch or not chunks:
        chunks.append(_records_chunk(batch, report.rows_read, report, broken_at))
        report.rows_read += len(batch)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    frame["source"] = frame["source"].astype("category")
    if frame.empty and report.rows_read:
        top = "; ".join(f"{n} × {r}" for r, n in report.reasons.most_common(2))
        msg = f"{path.name}: aucune position utilisable dans ce Records.json ({report.rows_read} lue(s) : {top})"
        raise ExportFormatError(msg)
    return report.finish(frame, kind="location_points", fmt="google-records")


register_format(
    ExportFormat(
        id="google-records",
        kind="location_points",
        holder="Google",
        title="Google Takeout Records.json (positions brutes)",
        sniff=_sniff_records,
        read=read_google_records,
    )
)
