"""The parameters of a use-case notebook: what each one is, and checks on the values a user gives.

A notebook's ``parameters`` cell is the single list of its parameters: name, default value and, in the
comment after it, what it means. A card (``use_case.yaml``) may add what the cell cannot say, in its
``parameters:`` block::

Parameters
----------
      water_export: {type: file}                       # an existing file ("" when not given)
      occupants: {min: 1, max: 20, mine: required}     # type from the default (2 → integer)
      home: {type: place, choices: [auto], geocode_with: geocode_online}
      open_data: {type: choice, choices: [auto, cache, snapshot, sample, live]}

Types: ``text``, ``integer``, ``number``, ``boolean`` (inferred from the default when not declared),
``file``, ``folder``, ``path`` (file or folder, a ``.zip`` included), ``place`` (``"lat,lon"``, a keyword
of ``choices`` or, when ``geocode_with`` names a true parameter, an address), ``datetime``, ``date``,
``hours`` (``"22:00-06:00"``), ``choice`` and ``territory`` (a territory file's id or name, stored as its
id: the run is then filed under that territory). ``choices`` lists keywords every type also accepts
(``"auto"`` for a number the notebook can work out). ``mine`` is the value used in a run on the user's
own files when they did not give one (``required``: they must), so that no persona fact — Camille's
two occupants, the Morels' roof — slips into someone else's analysis; ``auto_from`` names the
parameter an ``"auto"`` value is derived from (a place from the location export).

:func:`check_overrides` validates what a user gives, before anything runs, with French messages.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from selfdata_lib.errors import ParameterError

if TYPE_CHECKING:
    from selfdata_lib.app.usecases import UseCase

TYPES = (
    "text",
    "integer",
    "number",
    "boolean",
    "list",
    "file",
    "folder",
    "path",
    "place",
    "datetime",
    "date",
    "hours",
    "choice",
    "territory",
)
PATH_TYPES = ("file", "folder", "path")
SPEC_KEYS = {"type", "choices", "min", "max", "mine", "auto_from", "geocode_with"}
REQUIRED = "required"
_TYPE_FR = {
    "text": "texte",
    "integer": "nombre entier",
    "number": "nombre",
    "boolean": "True ou False",
    "list": "liste « [a, b] »",
    "file": "fichier",
    "folder": "dossier",
    "path": "fichier ou dossier",
    "place": "lieu « lat,lon »",
    "datetime": "date et heure « AAAA-MM-JJ HH:MM »",
    "date": "date « AAAA-MM-JJ »",
    "hours": "plage horaire « HH:MM-HH:MM »",
    "choice": "au choix",
    "territory": "territoire décrit dans territories/ (id ou nom, par ex. « la-rochelle »)",
}
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")
_HOURS = re.compile(r"^\s*([01]?\d|2[0-4])[:h]([0-5]\d)\s*-\s*([01]?\d|2[0-4])[:h]([0-5]\d)\s*$")
_MISSING = object()


@dataclass(frozen=True)
class ParameterSpec:
    """One notebook parameter: its default and help (from the parameters cell) and its type."""

    name: str
    default: Any
    help: str
    type: str
    choices: tuple[Any, ...] = ()
    min: float | None = None
    max: float | None = None
    mine: Any = field(default=_MISSING)
    auto_from: str | None = None
    geocode_with: str | None = None

    @property
    def has_mine(self) -> bool:
        """Whether the parameter is a household fact a run on someone else's files must be given."""
        return self.mine is not _MISSING

    def describe(self, *, with_default: bool = False) -> str:
        """``(fichier)`` or ``(nombre entier, 1 à 20, ou « auto »)``: the kind of value expected (and, with
        ``with_default``, the default — unless it is a persona's fact or file).
        """
        parts = [
            _TYPE_FR[self.type]
            if self.type != "choice"
            else "au choix : " + ", ".join(f"« {c} »" for c in self.choices)
        ]
        if self.min is not None or self.max is not None:
            parts.append(_range_fr(self.min, self.max))
        if self.choices and self.type != "choice":
            parts.append("ou " + ", ".join(f"« {c} »" for c in self.choices))
        if self.type == "place" and self.geocode_with:
            parts.append(f"ou une adresse avec {self.geocode_with} = True")
        if (
            with_default
            and not self.has_mine
            and self.default not in ("", None)
            and not (isinstance(self.default, str) and "/" in self.default)
        ):
            parts.append(f"par défaut {self.default!r}".replace("'", '"'))
        return ", ".join(parts)


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _range_fr(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"de {_num(lo)} à {_num(hi)}"
    return f"d'au moins {_num(lo)}" if lo is not None else (f"d'au plus {_num(hi)}" if hi is not None else "")


def _infer_type(default: Any) -> str:
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, int):
        return "integer"
    if isinstance(default, float):
        return "number"
    if isinstance(default, (list, tuple)):
        return "list"
    return "text"


@lru_cache(maxsize=64)
def _cell_parameters(notebook: Path, mtime: float) -> tuple[tuple[str, Any, str], ...]:
    import papermill as pm

    found = pm.inspect_notebook(str(notebook))
    out = []
    for name, info in found.items():
        try:
            default = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            default = info["default"]
        out.append((name, default, (info.get("help") or "").strip()))
    return tuple(out)


def notebook_parameters(notebook: str | Path) -> dict[str, tuple[Any, str]]:
    """``{name: (default, help)}`` read from the notebook's ``parameters`` cell, in its order."""
    path = Path(notebook)
    return {name: (default, help_) for name, default, help_ in _cell_parameters(path, path.stat().st_mtime)}


def spec_problems(raw: Any, cell: dict[str, tuple[Any, str]]) -> list[str]:
    """What is wrong in a card's ``parameters:`` block, given the notebook's parameters cell."""
    if raw in (None, {}):
        return []
    if not isinstance(raw, dict):
        return ["parameters must be a mapping of parameter name to its type and bounds"]
    problems = []
    for name, spec in raw.items():
        if name not in cell:
            problems.append(f"parameters.{name}: the notebook has no parameter {name!r}")
            continue
        if not isinstance(spec, dict):
            problems.append(f"parameters.{name} must be a mapping such as {{type: file}}")
            continue
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            problems.append(f"parameters.{name}: unknown key(s) {sorted(unknown)}, use {sorted(SPEC_KEYS)}")
        if spec.get("type", "text") not in TYPES:
            problems.append(f"parameters.{name}.type must be one of {TYPES}")
        if spec.get("type") == "choice" and not spec.get("choices"):
            problems.append(f"parameters.{name}: a choice needs its choices")
        for ref in ("auto_from", "geocode_with"):
            if spec.get(ref) and spec[ref] not in cell:
                problems.append(f"parameters.{name}.{ref}: the notebook has no parameter {spec[ref]!r}")
    return problems


def parameter_specs(card: UseCase) -> dict[str, ParameterSpec]:
    """Every parameter of the card's notebook, typed (card declarations over inferred types)."""
    cell = notebook_parameters(card.notebook_path)
    declared = card.parameters or {}
    specs = {}
    for name, (default, help_) in cell.items():
        spec = dict(declared.get(name) or {})
        specs[name] = ParameterSpec(
            name=name,
            default=default,
            help=help_,
            type=spec.get("type") or _infer_type(default),
            choices=tuple(spec.get("choices") or ()),
            min=spec.get("min"),
            max=spec.get("max"),
            mine=spec.get("mine", _MISSING),
            auto_from=spec.get("auto_from"),
            geocode_with=spec.get("geocode_with"),
        )
    return specs


def parameters_table(specs: dict[str, ParameterSpec]) -> str:
    """The notebook's parameters, one per line: name, meaning, kind of value."""
    width = max((len(n) for n in specs), default=0)
    return "\n".join(
        f"  {s.name:<{width}}  {s.help or '(pas de description)'} ({s.describe(with_default=True)})"
        for s in specs.values()
    )


def unknown_parameter_message(card_id: str, name: str, specs: dict[str, ParameterSpec]) -> str:
    """The French refusal for a parameter the notebook does not have, with the closest name when one is near."""
    close = difflib.get_close_matches(name, list(specs), n=1, cutoff=0.5)
    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
    return (
        f"{card_id} n'a pas de paramètre « {name} ».{hint} Rien n'a été lancé.\n"
        f"Les paramètres de ce notebook :\n{parameters_table(specs)}"
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _as_number(value: Any) -> Any:
    """A number given as text (``"3,5"`` from the Python API) becomes a number; anything else is kept."""
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        except ValueError:
            return value
    return value


class _Bad:
    """Builds the French refusal of one value: « Le paramètre … attend <expected> ; reçu … »."""

    def __init__(self, spec: ParameterSpec, value: Any) -> None:
        self.spec, self.value = spec, value

    def __call__(self, expected: str, *, or_choices: bool = False) -> ParameterError:
        if or_choices and self.spec.choices:
            expected += " ou " + ", ".join(f"« {c} »" for c in self.spec.choices)
        return ParameterError(
            f"Le paramètre « {self.spec.name} » ({self.spec.help or 'sans description'}) attend "
            f"{expected} ; reçu {self.value!r}. Rien n'a été lancé."
        )


class _Coerce(Protocol):
    """How one kind of parameter reads a value (each reader takes the keywords it needs)."""

    def __call__(
        self, spec: ParameterSpec, value: Any, bad: _Bad, *, base: Path, given: dict[str, Any]
    ) -> Any: ...


def _coerce_number(spec: ParameterSpec, value: Any, bad: _Bad, **_: Any) -> Any:
    number = _as_number(value)
    if not _is_number(number):
        raise bad(f"un {_TYPE_FR[spec.type]}", or_choices=True)
    if spec.type == "integer":
        if float(number) != int(number):
            raise bad("un nombre entier")
        number = int(number)
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        raise bad(f"un {_TYPE_FR[spec.type]} " + _range_fr(spec.min, spec.max))
    return number


def _coerce_boolean(spec: ParameterSpec, value: Any, bad: _Bad, **_: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "vrai", "oui", "1"):
        return True
    if text in ("false", "faux", "non", "0"):
        return False
    raise bad("True ou False")


def _coerce_list(spec: ParameterSpec, value: Any, bad: _Bad, **_: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    raise bad("une liste, par exemple « [15, 30, 60] »")


def _coerce_path(spec: ParameterSpec, value: str, bad: _Bad, *, base: Path, **_: Any) -> str:
    if not value.strip():
        return ""
    path = Path(value).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.exists():
        msg = (
            f"Le paramètre « {spec.name} » ({spec.help}) désigne {value!r}, qui n'existe pas "
            f"(cherché : {path}). Vérifiez le chemin ; un chemin relatif part du dossier où vous "
            "lancez la commande. Rien n'a été lancé."
        )
        raise ParameterError(msg)
    is_zip = path.is_file() and path.suffix.lower() == ".zip"
    if spec.type == "file" and path.is_dir():
        raise bad("un fichier (c'est un dossier)")
    if spec.type == "folder" and not (path.is_dir() or is_zip):
        raise bad("un dossier (ou une archive .zip)")
    return str(path.resolve())


def _coerce_place(spec: ParameterSpec, value: str, bad: _Bad, *, given: dict[str, Any], **_: Any) -> str:
    if not value.strip():
        return ""
    m = _LATLON.match(value)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad("des coordonnées « lat,lon » (latitude entre -90 et 90, longitude entre -180 et 180)")
        return value.strip()
    if not re.search(r"[a-zA-Zà-ÿ]", value):
        raise bad("un lieu « lat,lon » comme « 45.7457,4.8425 »", or_choices=True)
    if spec.geocode_with and given.get(spec.geocode_with) is True:
        return value.strip()
    how = (
        f" : une adresse n'est cherchée en ligne qu'avec -p {spec.geocode_with} true (elle est alors "
        "envoyée à l'API Adresse nationale)"
        if spec.geocode_with
        else ""
    )
    raise bad("des coordonnées « lat,lon »" + _choices_fr(spec) + how)


def _choices_fr(spec: ParameterSpec) -> str:
    return " ou " + ", ".join(f"« {c} »" for c in spec.choices) if spec.choices else ""


def _coerce_datetime(spec: ParameterSpec, value: str, bad: _Bad, **_: Any) -> str:
    import pandas as pd

    try:
        pd.Timestamp(value)
    except ValueError:
        raise bad("une date et heure locales « AAAA-MM-JJ HH:MM »", or_choices=True) from None
    return value.strip()


def _coerce_date(spec: ParameterSpec, value: str, bad: _Bad, **_: Any) -> str:
    import datetime as dt

    if not value.strip():
        return ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise bad("une date « AAAA-MM-JJ » (ou rien)")
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        raise bad("une date qui existe, « AAAA-MM-JJ »") from None
    return value.strip()


def _coerce_hours(spec: ParameterSpec, value: str, bad: _Bad, **_: Any) -> str:
    if not _HOURS.match(value):
        raise bad("une plage horaire « HH:MM-HH:MM » comme « 22:00-06:00 »")
    return value.strip()


def _coerce_territory(spec: ParameterSpec, value: str, bad: _Bad, **_: Any) -> str:
    """A territory's id, from its id or its name in any case (``"La Rochelle"`` → ``"la-rochelle"``)."""
    from selfdata_lib import territories

    try:
        return territories.get(value).id
    except territories.TerritoryError as exc:
        msg = f"Le paramètre « {spec.name} » ({spec.help or 'mon territoire'}) : {exc} Rien n'a été lancé."
        raise ParameterError(msg) from None


#: How each kind of parameter reads a value; kinds absent here (``text``) keep the text as given.
_ANY_VALUE: dict[str, _Coerce] = {
    "integer": _coerce_number,
    "number": _coerce_number,
    "boolean": _coerce_boolean,
    "list": _coerce_list,
}
_TEXT_VALUE: dict[str, _Coerce] = {
    **dict.fromkeys(PATH_TYPES, _coerce_path),
    "place": _coerce_place,
    "datetime": _coerce_datetime,
    "date": _coerce_date,
    "hours": _coerce_hours,
    "territory": _coerce_territory,
}


def coerce_value(spec: ParameterSpec, value: Any, *, base: Path, given: dict[str, Any]) -> Any:
    """``value`` checked against ``spec`` (paths made absolute from ``base``); :class:`ParameterError`
    in French when it does not fit.
    """
    bad = _Bad(spec, value)
    if spec.choices and isinstance(value, str):
        picked = [c for c in spec.choices if str(c).lower() == value.strip().lower()]
        if picked:
            return picked[0]
    if spec.type == "choice":
        raise bad("l'une des valeurs " + ", ".join(f"« {c} »" for c in spec.choices))
    if spec.type in _ANY_VALUE:
        return _ANY_VALUE[spec.type](spec, value, bad, base=base, given=given)
    if value is None:
        return ""
    if not isinstance(value, str):
        if spec.type == "text" and isinstance(value, (int, float)):
            return str(value)  # an IRIS or INSEE code read as a number on the command line
        raise bad(_TYPE_FR[spec.type])
    if spec.type in _TEXT_VALUE:
        return _TEXT_VALUE[spec.type](spec, value, bad, base=base, given=given)
    return value


def check_overrides(
    card: UseCase,
    overrides: dict[str, Any],
    *,
    base: Path | None = None,
    specs: dict[str, ParameterSpec] | None = None,
) -> dict[str, Any]:
    """The user's parameters, checked against the notebook's: unknown names and values of the wrong
    kind raise :class:`ParameterError` (the closest name and the list of parameters in the message);
    paths come back absolute, resolved from ``base`` (the current folder).
    """
    specs = specs if specs is not None else parameter_specs(card)
    base = base or Path.cwd()
    for name in overrides:
        if name not in specs:
            raise ParameterError(unknown_parameter_message(card.id, name, specs))
    given = {
        n: (v if specs[n].type != "boolean" else coerce_value(specs[n], v, base=base, given={}))
        for n, v in overrides.items()
    }
    return {
        name: coerce_value(specs[name], value, base=base, given=given) for name, value in overrides.items()
    }
