"""How a recorded result reads in French: its label, unit and format, declared once in the card.

Each entry of a card's ``results:`` block says how its figure is shown wherever it appears — the
report's key-figure cards and its table of all results, the gallery, the CLI summary::

    results:
      litres_per_person_day: {label: Eau par personne, unit: l/personne/jour, digits: 0, headline: true}
      offpeak_share: {label: Part en heures creuses, format: percent}
      leak_start: {label: Début de la fuite, format: date}
      leak_cost_eur: {label: Coût de la fuite, format: euros}
      kgco2e_by_mode: {label: Émissions par mode, format: mapping, unit: kg CO₂e, digits: 0}

``format`` is one of :data:`FORMATS` (default: ``number`` for numbers, ``text`` otherwise). Numbers,
money, shares and dates are written by :mod:`selfdata_lib.fr` (Babel, ``fr_FR``); codes (``car``,
``fuel``, ``normals``) by :func:`selfdata_lib.fr.word`, or by the entry's own ``keys:``. A figure
that could not be computed reads « non calculé : <why> ».
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from selfdata_lib import fr

FORMATS = ("number", "percent", "euros", "date", "datetime", "text", "bool", "list", "mapping", "table")
DISPLAY_KEYS = {"label", "unit", "format", "digits", "keys", "headline", "items"}
MAX_ITEMS = 4  # items of a list or mapping written in one line; the report's table shows them all


@dataclass(frozen=True)
class Display:
    """How one recorded result reads: French label, unit, format, digits, words for its codes."""

    name: str
    label: str
    unit: str = ""
    format: str = ""
    digits: int | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    headline: bool = False
    items: str = ""  # the format of a list's or a mapping's items (number by default)

    @classmethod
    def of(cls, name: str, spec: Mapping[str, Any] | None) -> Display:
        """The display of ``name`` from its card entry (a humane fallback when it has none)."""
        spec = spec or {}
        return cls(
            name=name,
            label=str(spec.get("label") or name.replace("_", " ").capitalize()),
            unit=str(spec.get("unit") or ""),
            format=str(spec.get("format") or ""),
            digits=spec.get("digits"),
            keys=dict(spec.get("keys") or {}),
            headline=bool(spec.get("headline", False)),
            items=str(spec.get("items") or ""),
        )

    def word(self, code: Any) -> str:
        """The French word of a code: the entry's ``keys:`` first, then :data:`selfdata_lib.fr.WORDS`,
        then the title of a use case named by its id.
        """
        text = str(code)
        if text in self.keys:
            return str(self.keys[text])
        if text in fr.WORDS:
            return fr.word(text)
        return _titles().get(text, text)

    def text(self, value: Any, reason: str | None = None) -> str:
        """The value written in French with its unit (« non calculé : … » for ``None``)."""
        if value is None:
            return f"non calculé : {reason}" if reason else "non calculé"
        kind = self.format or _guess(value)
        if kind in ("list", "mapping", "table") or isinstance(value, (list, dict)):
            return self._items(value, kind)
        return self._one(value, kind)

    def _one(self, value: Any, kind: str) -> str:
        if isinstance(value, bool) or kind == "bool":
            return "oui" if value else "non"
        if isinstance(value, str) and kind not in ("date", "datetime"):
            return self.word(value)
        if kind == "date":
            return fr.date(value)
        if kind == "datetime":
            return _datetime(value)
        if not isinstance(value, (int, float)):
            return self.word(value)
        if kind == "percent":
            return fr.percent(value, self.digits or 0)
        if kind == "euros":
            money = fr.euros(value, cents=self.digits != 0)
            return money + _unit_after(self.unit)
        return fr.number(value, _digits(value, self.digits)) + (f"\xa0{self.unit}" if self.unit else "")

    def _items(self, value: Any, kind: str) -> str:
        if isinstance(value, dict):
            items = list(value.items())
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for _, v in items):
                items.sort(key=lambda kv: -abs(kv[1]))
            inner = "text" if kind == "table" else self.items or _inner(self.format)
            parts = [f"{self.word(k)} : {self._cell(v, inner)}" for k, v in items]
        else:
            items = list(value)
            parts = [self._cell(v, self.items or _inner(self.format)) for v in items]
        shown = parts[:MAX_ITEMS]
        more = len(parts) - len(shown)
        return " · ".join(shown) + (f" · et {fr.plural(more, 'autre')}" if more > 0 else "") or "aucun"

    def _cell(self, value: Any, kind: str) -> str:
        if value is None:
            return "—"
        if isinstance(value, dict):
            return ", ".join(f"{self.word(k)} {self._cell(v, kind)}" for k, v in value.items())
        return self._one(value, kind)

    def table_html(self, value: Any) -> str | None:
        """A list of records or a mapping of mappings as a small French HTML table (else ``None``)."""
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            cols = list(dict.fromkeys(k for row in value for k in row))
            head = "".join(f"<th scope='col'>{html.escape(self.word(c))}</th>" for c in cols)
            body = "".join(
                "<tr>"
                + "".join(f"<td>{html.escape(_plain(row.get(c), digits=self.digits))}</td>" for c in cols)
                + "</tr>"
                for row in value
            )
            return f"<table class='sd-inner'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            cols = list(dict.fromkeys(k for row in value.values() for k in row))
            head = "<th></th>" + "".join(f"<th scope='col'>{html.escape(self.word(c))}</th>" for c in cols)
            body = "".join(
                f"<tr><th scope='row'>{html.escape(self.word(k))}</th>"
                + "".join(f"<td>{html.escape(_plain(row.get(c), self.unit, self.digits))}</td>" for c in cols)
                + "</tr>"
                for k, row in value.items()
            )
            return f"<table class='sd-inner'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return None


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    """Use-case id → « title (territory) », to name the use cases a result lists."""
    from selfdata_lib.app.usecases import list_use_cases

    try:
        return {c.id: f"{c.title} ({c.territory})" for c in list_use_cases()}
    except Exception:  # a broken card must not break a report
        return {}


def _guess(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "text"


def _inner(kind: str) -> str:
    return kind if kind in ("percent", "euros", "date", "number") else "number"


def _digits(value: float, digits: int | None) -> int:
    if digits is not None:
        return int(digits)
    if isinstance(value, int) or float(value).is_integer():
        return 0
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2


def _unit_after(unit: str) -> str:
    if not unit:
        return ""
    return unit if unit.startswith("/") else f"\xa0{unit}"


def _plain(value: Any, unit: str = "", digits: int | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return fr.number(value, _digits(value, digits)) + (f"\xa0{unit}" if unit else "")
    return fr.word(value)


def _datetime(value: Any) -> str:
    import pandas as pd

    stamp = pd.Timestamp(value)
    day = fr.date(stamp.date())
    return day if (stamp.hour, stamp.minute) == (0, 0) and len(str(value)) <= 10 else f"{day} à {stamp:%H:%M}"


def spec_for(name: str, card_results: Mapping[str, Mapping[str, Any]] | None) -> Mapping[str, Any] | None:
    """The card entry of ``name``: its own, else the first pattern that matches it
    (``brier_bike_model_*``), its label's ``{}`` filled with the part the ``*`` stood for.
    """
    results = card_results or {}
    if name in results:
        return results[name]
    for pattern, spec in results.items():
        if "*" in pattern and fnmatch.fnmatchcase(name, pattern):
            head, _, tail = pattern.partition("*")
            part = name[len(head) : len(name) - len(tail) if tail else None]
            return {**spec, "label": str(spec.get("label", name)).replace("{}", part)}
    return None


def displays(card_results: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Display]:
    """The :class:`Display` of every result a card declares by name (patterns aside)."""
    return {name: Display.of(name, spec) for name, spec in (card_results or {}).items() if "*" not in name}


@dataclass(frozen=True)
class ShownFigure:
    """One recorded result as the report, the gallery and the CLI show it."""

    name: str
    label: str
    text: str
    headline: bool
    warnings: tuple[str, ...] = ()
    missing: bool = False
    table_html: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """For ``results.json`` (``figures``)."""
        out: dict[str, Any] = {"name": self.name, "label": self.label, "text": self.text}
        if self.headline:
            out["headline"] = True
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.missing:
            out["missing"] = True
        return out


def shown_figures(
    results: Mapping[str, Any],
    card_results: Mapping[str, Mapping[str, Any]] | None,
    *,
    warnings: Mapping[str, list[str]] | None = None,
    missing: Mapping[str, str] | None = None,
) -> list[ShownFigure]:
    """Every recorded result in French, in the order of the card (then in the order recorded)."""
    specs = displays(card_results)
    warnings, missing = warnings or {}, missing or {}
    order = [n for n in specs if n in results] + [n for n in results if n not in specs]
    out = []
    for name in order:
        d = specs.get(name) or Display.of(name, spec_for(name, card_results))
        value = results[name]
        out.append(
            ShownFigure(
                name,
                d.label,
                d.text(value, missing.get(name)),
                d.headline,
                tuple(warnings.get(name, ())),
                value is None,
                d.table_html(value) if value is not None else None,
            )
        )
    return out


def today() -> str:
    """Today's date in French (``30 novembre 2026``)."""
    return fr.date(dt.date.today())


#: A run of this many characters without a space may be cut: after « / », « _ » and « . ».
LONG_TOKEN = 12
_LONG = re.compile(rf"\S{{{LONG_TOKEN},}}")
_CUT = re.compile(r"(?<=[/_.])(?![/_.]|$)")


def breakable_html(text: str) -> str:
    """Escape ``text`` and let its long words (a path, a URL, a code, « l/personne/jour ») go to the
    next line after a « / », « _ » or « . » (``<wbr>``) rather than anywhere in the middle of a word.
    """
    out, last = [], 0
    for match in _LONG.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append("<wbr>".join(html.escape(piece) for piece in _CUT.split(match.group())))
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def value_html(text: str, unit_class: str = "sd-unit") -> str:
    """A key figure as ``118 <span class='sd-unit'>l/personne/jour</span>``: the unit goes to the next
    line whole when the card is narrow (and is cut at its « / » only when it is wider than the card).
    """
    number, sep, unit = text.partition("\xa0")
    starts_with_number = number[:1].isdigit() or number[:1] == "-"
    if not sep or not starts_with_number or not unit or unit[:1].isdigit():
        return breakable_html(text)
    return f"{html.escape(number)} <span class='{unit_class}'>{breakable_html(unit)}</span>"


def bold_html(text: str) -> str:
    """Escape a reading's sentence and keep its ``**bold**`` (the warnings) as ``<strong>``; its long
    words may go to the next line after a « / », « _ » or « . » (:func:`breakable_html`).
    """
    parts = re.split(r"\*\*(.+?)\*\*", text)
    return "".join(
        f"<strong>{breakable_html(p)}</strong>" if i % 2 else breakable_html(p) for i, p in enumerate(parts)
    )


_RAW = re.compile(r"(?<![\w'\"-])(None|nan|NaN|NaT|inf)(?![\w'\"-])")


def raw_values(page: str) -> list[str]:
    """Python's words for a missing value (``None``, ``nan``, ``NaN``, ``NaT``, ``inf``) in the text a
    citizen sees on an HTML page (scripts, styles and images aside), each with a few words around it.
    Empty when clean.
    """
    shown = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", page, flags=re.S | re.I)
    shown = re.sub(r"<wbr>", "", shown)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", shown)))
    return [text[max(0, m.start() - 40) : m.end() + 20].strip() for m in _RAW.finditer(text)]


def whose_badges(payload: dict[str, Any]) -> str:
    """« vos fichiers » / « exemple : <persona> », and « données réelles » / « échantillon »."""
    inputs = payload.get("inputs") or []
    if payload.get("mode") == "mine":
        whose = "<span class='sd-badge sd-mine'>vos fichiers</span>"
    elif inputs and not all(i.get("sample") for i in inputs):
        whose = f"<span class='sd-badge sd-mine'>{html.escape(str(payload.get('label')))}</span>"
    elif payload.get("persona") or inputs:
        who = payload.get("persona") or payload.get("label") or ""
        whose = f"<span class='sd-badge sd-sample'>exemple : {html.escape(str(who).capitalize())}</span>"
    else:
        whose = ""
    prov = payload.get("provenance") or []
    samples = [bool(p.get("sample")) for p in prov]
    if not samples:
        data = ""
    elif all(samples):
        data = "<span class='sd-badge sd-sample'>données ouvertes : échantillon</span>"
    elif any(samples):
        data = "<span class='sd-badge sd-mine'>données réelles et échantillons</span>"
    else:
        data = "<span class='sd-badge sd-mine'>données ouvertes réelles</span>"
    return whose + data
