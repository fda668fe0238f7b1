"""Results of the analyses: frozen records whose headline figures a notebook records in one call.

Each step of a use case returns a frozen dataclass (a :class:`Result`): its frames and numbers as
typed attributes, and :meth:`Result.figures` — the headline figures, each a :class:`Figure` holding
the value, or ``None`` and the French reason it could not be computed, and the warnings that go with
it. ``record(result)`` in a notebook records them all. ``NaN`` never stands for "not computable".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """A headline figure: its value, or ``None`` and why; the warnings to show next to it."""

    value: Any = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()


def _is_missing(value: Any) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pragma: no cover - exotic numbers
        return False


def figure(
    value: Any,
    *,
    digits: int | None = None,
    reason: str | None = None,
    warnings: Iterable[str | None] | str | None = None,
) -> Figure:
    """A :class:`Figure` from a raw value: numbers rounded to ``digits``, NaN turned into ``None``
    (with ``reason``, or « non calculable »), empty warnings dropped.
    """
    given = [warnings] if isinstance(warnings, str) else list(warnings or [])
    kept = tuple(dict.fromkeys(w for w in given if w))
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()  # numpy scalars
    if _is_missing(value):
        return Figure(None, reason or "non calculable", ())
    if digits is not None and isinstance(value, float):
        value = round(value, digits) if digits > 0 else round(value)
    return Figure(value, None, kept)


def missing(reason: str) -> Figure:
    """A figure that could not be computed, and why (in French)."""
    return Figure(None, reason, ())


def import_doubts(*frames: Any) -> tuple[str, ...]:
    """The import warnings of the files behind ``frames`` (empty when sound): they go with every
    figure computed from those files.
    """
    found: list[str] = []
    for frame in frames:
        report = (getattr(frame, "attrs", {}) or {}).get("import_report") or {}
        found += [w for w in report.get("warnings", []) if w not in found]
    return tuple(found)


class Result:
    """Base of the frozen results of the analyses: :meth:`figures` gives the headline figures."""

    def figures(self) -> dict[str, Figure]:
        """The headline figures of this step, by name (as recorded in ``results.json``)."""
        raise NotImplementedError

    def notes(self) -> list[str]:
        """French remarks to show with the figures (an assumption made, a fallback used)."""
        return []

    def value(self, name: str) -> Any:
        """The value of one headline figure (``None`` when it could not be computed)."""
        return self.figures()[name].value


class Reading(str):
    """The French reading of a use case's results, computed from them: its ``headline`` (the two or
    three sentences a report and the gallery open with) then the details. It is the whole text as a
    ``str``; ``headline`` holds the opening sentences alone.
    """

    headline: str

    def __new__(cls, headline: Iterable[str], details: Iterable[str] = ()) -> Reading:
        """The reading from its headline sentences and its details (empty sentences dropped)."""
        head = [s for s in headline if s]
        obj = super().__new__(cls, " ".join([*head, *(s for s in details if s)]))
        obj.headline = " ".join(head)
        return obj
