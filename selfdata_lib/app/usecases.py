"""Use-case cards: ``use_cases/<id>/use_case.yaml`` and research cards ``notebooks/<name>.yaml``.

A card says what question a notebook answers, for which territory, which personal exports and open
datasets it needs, and its presets (named parameter sets, at least one per sample persona). Cards are
validated on load; a wrong card raises :class:`~selfdata_lib.errors.UseCaseCardError` listing every
problem with the file name.

Example
-------
.. code-block:: yaml

    id: lyon-water-district
    kind: use_case            # or "research" for a notebook of notebooks/
    title: Ma consommation d'eau et celle de mon quartier
    territory: Lyon
    question: Combien d'eau ma famille consomme-t-elle par personne et par jour ... ?
    notebook: lyon-water-district.ipynb
    personal_data:            # which parameters carry the user's own data, and of what kind
      - kind: water
        parameter: water_export
        formats: [eau-grand-lyon-json, suez-json, water-csv]
        description: Relevés journaliers du compteur d'eau
    parameters:               # types and bounds the parameters cell cannot say (selfdata_lib.app.parameters)
      water_export: {type: file}
      occupants: {min: 1, max: 20, mine: required}
    results:                  # how each result reads (selfdata_lib.app.display) and its plausible range
      litres_per_person_day: {label: Ma consommation, unit: l/personne/jour, headline: true,
                              min: 20, max: 1000, why: "SISPEA: 148 l/person/day on average"}
    open_data: [lyon-arrondissements]
    presets:
      camille:
        persona: camille
        description: Camille, deux personnes en appartement à Lyon 7e
        parameters: {occupants: 2}
        expect:                # checked by the notebook tests against results.json
          litres_per_person_day: {min: 80, max: 200}
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfdata_lib import settings
from selfdata_lib.errors import UseCaseCardError

#: The seed territories, and the two scopes wider than a territory; any territory file's name is also valid.
TERRITORIES = ("Lyon", "Nantes", "La Rochelle", "Rennes", "France", "Europe")
KINDS = ("use_case", "research")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_EXPECT_KEYS = {"value", "min", "max", "approx", "rel", "abs", "in", "not_null"}
_RESULT_KEYS = {"label", "unit", "min", "max", "why", "format", "digits", "keys", "headline", "items"}


@dataclass(frozen=True)
class Preset:
    """A named set of parameters, usually one sample persona."""

    name: str
    parameters: dict[str, Any]
    persona: str | None = None
    description: str = ""
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UseCase:
    """A validated card; ``folder`` is where the card and its notebook live."""

    id: str
    kind: str
    title: str
    territory: str
    question: str
    notebook: str
    folder: Path
    personal_data: list[dict[str, Any]]
    open_data: list[str]
    presets: dict[str, Preset]
    card_path: Path
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ``{"required": [kinds], "optional": [kinds]}``: the kinds of open data (``territories.KINDS``) a
    #: territory must (may) describe for this use case to run there; only for cards with a ``territory``
    #: parameter.
    territory_needs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def notebook_path(self) -> Path:
        """The notebook's path."""
        return self.folder / self.notebook

    @property
    def personal_parameters(self) -> dict[str, dict[str, Any]]:
        """``{parameter: personal_data entry}`` for every parameter that carries the user's own data."""
        out = {}
        for item in self.personal_data:
            names = item.get("parameter") or []
            for name in [names] if isinstance(names, str) else names:
                out[name] = item
        return out

    def territory_of(self, parameters: dict[str, Any]) -> str:
        """The territory a run with ``parameters`` is about: the one its ``territory`` parameter names
        (a parameter of type ``territory``), else the card's.
        """
        from selfdata_lib import territories

        value = parameters.get("territory")
        if (self.parameters.get("territory") or {}).get("type") == "territory" and value:
            try:
                return territories.get(str(value)).name
            except territories.TerritoryError:
                return self.territory
        return self.territory

    def preset(self, name: str | None = None) -> Preset:
        """Preset ``name``; the first one when ``name`` is ``None``."""
        if name is None:
            return next(iter(self.presets.values()))
        try:
            return self.presets[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(self.presets), n=1, cutoff=0.5)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
            msg = f"{self.id} n'a pas de préréglage « {name} ».{hint} Ses préréglages : " + ", ".join(
                self.presets
            )
            raise UseCaseCardError(msg) from None


def known_territories() -> tuple[str, ...]:
    """The names a card's ``territory`` may take: the seeds, France, Europe and every territory file's."""
    from selfdata_lib import territories

    try:
        described = territories.names()
    except territories.TerritoryError:
        described = []
    return tuple(dict.fromkeys([*TERRITORIES, *described]))


def _check_expect(where: str, expect: Any, problems: list[str]) -> None:
    if not isinstance(expect, dict):
        problems.append(f"{where}.expect must be a mapping of result name to check")
        return
    for key, check in expect.items():
        if isinstance(check, dict):
            unknown = set(check) - _EXPECT_KEYS
            if unknown:
                problems.append(
                    f"{where}.expect.{key}: unknown check(s) {sorted(unknown)}, use {sorted(_EXPECT_KEYS)}"
                )


def _check_header(data: dict[str, Any], card_path: Path, problems: list[str]) -> tuple[str, str, str]:
    """The card's id, kind and notebook, with the problems of its required fields."""
    for key in ("id", "title", "territory", "question", "notebook", "presets"):
        if not data.get(key):
            problems.append(f"missing field {key!r}")
    card_id = str(data.get("id", ""))
    if card_id and not _ID.match(card_id):
        problems.append(f"id {card_id!r} must be lower-case words joined by '-'")
    kind = data.get("kind", "use_case")
    if kind not in KINDS:
        problems.append(f"kind must be one of {KINDS}, found {kind!r}")
    if data.get("territory") and data["territory"] not in known_territories():
        problems.append(f"territory must be one of {known_territories()}, found {data['territory']!r}")
    notebook = str(data.get("notebook", ""))
    if notebook and not (card_path.parent / notebook).is_file():
        problems.append(f"notebook {notebook!r} does not exist next to the card")
    return card_id, kind, notebook


def _notebook_cell(path: Path, problems: list[str]) -> dict[str, Any]:
    """The notebook's parameters cell (empty when there is no notebook or it cannot be read)."""
    if not path.is_file():
        return {}
    from selfdata_lib.app.parameters import notebook_parameters

    try:
        return notebook_parameters(path)
    except Exception as exc:
        problems.append(f"notebook {path.name!r} cannot be read: {exc}")
        return {}


def _check_personal(raw: Any, cell: dict[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    """``personal_data``: each entry a kind, its formats and the notebook parameter(s) holding it."""
    personal = raw or []
    if not isinstance(personal, list) or not all(isinstance(p, dict) and p.get("kind") for p in personal):
        problems.append("personal_data must be a list of mappings, each with a 'kind'")
        return []
    for i, item in enumerate(personal):
        if not isinstance(item.get("formats", []), list):
            problems.append(f"personal_data[{i}].formats must be a list of format ids")
        names = item.get("parameter")
        names = [names] if isinstance(names, str) else names
        if not names or not isinstance(names, list):
            problems.append(f"personal_data[{i}] needs 'parameter': the notebook parameter(s) holding it")
        elif cell:
            problems += [
                f"personal_data[{i}].parameter: the notebook has no parameter {n!r}"
                for n in names
                if n not in cell
            ]
    return personal


def _check_results(raw: Any, problems: list[str]) -> dict[str, Any]:
    """``results``: each headline result's label, unit and plausible bounds."""
    results = raw or {}
    if not isinstance(results, dict):
        problems.append("results must be a mapping of result name to its label, unit and bounds")
        return {}
    from selfdata_lib.app.display import FORMATS

    for key, spec in results.items():
        if not isinstance(spec, dict) or set(spec) - _RESULT_KEYS:
            problems.append(f"results.{key} must be a mapping with keys among {sorted(_RESULT_KEYS)}")
            continue
        if spec.get("format") and spec["format"] not in FORMATS:
            problems.append(
                f"results.{key}.format must be one of {', '.join(FORMATS)}, not {spec['format']!r}"
            )
        if spec.get("keys") is not None and not isinstance(spec["keys"], dict):
            problems.append(f"results.{key}.keys must map codes to French words")
    return results


def _check_presets(raw: Any, cell: dict[str, Any], problems: list[str]) -> dict[str, Preset]:
    """``presets``: named parameter sets (a persona each) and the results they must give."""
    raw_presets = raw or {}
    if not isinstance(raw_presets, dict):
        problems.append("presets must be a mapping of preset name to its settings")
        return {}
    presets: dict[str, Preset] = {}
    for name, preset in raw_presets.items():
        where = f"presets.{name}"
        if not _ID.match(str(name)):
            problems.append(f"{where}: preset names are lower-case words joined by '-'")
        preset = preset or {}
        if not isinstance(preset, dict):
            problems.append(f"{where} must be a mapping")
            continue
        params = preset.get("parameters", {}) or {}
        if not isinstance(params, dict):
            problems.append(f"{where}.parameters must be a mapping")
            params = {}
        if cell:
            problems += [
                f"{where}.parameters: the notebook has no parameter {n!r}" for n in params if n not in cell
            ]
        _check_expect(where, preset.get("expect", {}) or {}, problems)
        presets[str(name)] = Preset(
            name=str(name),
            parameters=params,
            persona=preset.get("persona"),
            description=str(preset.get("description", "")),
            expect=preset.get("expect", {}) or {},
        )
    return presets


def _check_territory_needs(raw: Any, params: Any, problems: list[str]) -> dict[str, list[str]]:
    """``territory_needs``: the kinds of open data a territory must (``required``) or may (``optional``)
    describe; only meaningful with a ``territory`` parameter.
    """
    if raw is None:
        return {}
    from selfdata_lib.territories import KINDS

    if not isinstance(raw, dict) or set(raw) - {"required", "optional"}:
        problems.append("territory_needs must be a mapping with 'required' and 'optional' lists of kinds")
        return {}
    spec = (params or {}).get("territory") if isinstance(params, dict) else None
    if not (isinstance(spec, dict) and spec.get("type") == "territory"):
        problems.append("territory_needs needs a parameter 'territory' of type territory")
    needs: dict[str, list[str]] = {}
    for key in ("required", "optional"):
        kinds = raw.get(key) or []
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            problems.append(f"territory_needs.{key}: unknown kind(s) {unknown}, use {list(KINDS)}")
        needs[key] = [str(k) for k in kinds]
    return needs


def parse_card(data: Any, card_path: Path) -> UseCase:
    """Validate a card's YAML content; raise :class:`UseCaseCardError` naming every problem."""
    if not isinstance(data, dict):
        msg = f"{card_path}: a card must be a YAML mapping, found {type(data).__name__}"
        raise UseCaseCardError(msg)
    problems: list[str] = []
    card_id, kind, notebook = _check_header(data, card_path, problems)
    cell = _notebook_cell(card_path.parent / notebook, problems) if notebook else {}
    personal = _check_personal(data.get("personal_data"), cell, problems)
    raw_params = data.get("parameters") or {}
    if cell:
        from selfdata_lib.app.parameters import spec_problems

        problems += spec_problems(raw_params, cell)
    results = _check_results(data.get("results"), problems)
    open_data = data.get("open_data", []) or []
    if not isinstance(open_data, list):
        problems.append("open_data must be a list of dataset names")
        open_data = []
    presets = _check_presets(data.get("presets"), cell, problems)
    needs = _check_territory_needs(data.get("territory_needs"), raw_params, problems)
    if problems:
        msg = f"{card_path}: invalid use-case card:\n  - " + "\n  - ".join(problems)
        raise UseCaseCardError(msg)
    return UseCase(
        id=card_id,
        kind=kind,
        title=str(data["title"]),
        territory=str(data["territory"]),
        question=str(data["question"]).strip(),
        notebook=notebook,
        folder=card_path.parent,
        personal_data=personal,
        open_data=[str(d) for d in open_data],
        presets=presets,
        card_path=card_path,
        parameters=raw_params if isinstance(raw_params, dict) else {},
        results=results,
        territory_needs=needs,
    )


#: libyaml's loader when PyYAML was built with it (ten times faster on the cards), else the Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARSED: dict[tuple[Any, ...], UseCase] = {}


def load_card(path: str | Path) -> UseCase:
    """Load and validate one card file. A process validates a card once for as long as the card, its
    notebook and the territory files are unchanged (every run, the gallery and the CLI ask for cards).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        msg = f"{path}: not valid YAML: {exc}"
        raise UseCaseCardError(msg) from exc
    key = _card_key(path, text, data)
    if key not in _PARSED:
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[key] = parse_card(data, path)
    return copy.deepcopy(_PARSED[key])  # a caller changing its card (a preset's parameters) changes its own


def _card_key(path: Path, text: str, data: Any) -> tuple[Any, ...]:
    """What a card's validation reads: the card, its notebook and the territory files."""
    import hashlib

    from selfdata_lib import territories

    notebook = (
        path.parent / str(data.get("notebook")) if isinstance(data, dict) and data.get("notebook") else None
    )
    digest = (
        hashlib.blake2b(notebook.read_bytes(), digest_size=16).digest()
        if notebook and notebook.is_file()
        else b""
    )
    return (str(path), str(path.resolve()), text, digest, territories.signature())


def card_paths(use_cases_folder: Path | None = None, research_folder: Path | None = None) -> list[Path]:
    """Every card file: use cases first (by id), then research notebooks (by name)."""
    uc = use_cases_folder or settings.use_cases_folder
    rs = research_folder or settings.research_folder
    paths = sorted(uc.glob("*/use_case.yaml")) if uc.is_dir() else []
    paths += sorted(p for p in rs.glob("*.yaml")) if rs.is_dir() else []
    return paths


def list_use_cases(
    use_cases_folder: Path | None = None, research_folder: Path | None = None
) -> list[UseCase]:
    """All cards of the project, validated."""
    cards = [load_card(p) for p in card_paths(use_cases_folder, research_folder)]
    seen: dict[str, Path] = {}
    for card in cards:
        if card.id in seen:
            msg = f"two cards share the id {card.id!r}: {seen[card.id]} and {card.card_path}"
            raise UseCaseCardError(msg)
        seen[card.id] = card.card_path
    return cards


def get_use_case(card_id: str) -> UseCase:
    """The card ``card_id``, with the known ids in the error when it does not exist."""
    cards = list_use_cases()
    for card in cards:
        if card.id == card_id:
            return card
    import difflib

    close = difflib.get_close_matches(card_id, [c.id for c in cards], n=1, cutoff=0.5)
    hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
    msg = f"pas de cas d'usage « {card_id} ».{hint} Ceux du projet : " + ", ".join(c.id for c in cards)
    raise UseCaseCardError(msg)


def check_expectation(name: str, actual: Any, check: Any) -> str | None:
    """Compare a recorded result with a card's ``expect`` entry; a message when it fails."""
    import math

    if not isinstance(check, dict):
        check = {"value": check}
    if check.get("not_null") and actual is None:
        return f"{name}: expected a value, got null"
    if "value" in check and actual != check["value"]:
        return f"{name}: expected {check['value']!r}, got {actual!r}"
    if "in" in check and actual not in check["in"]:
        return f"{name}: expected one of {check['in']!r}, got {actual!r}"
    if "approx" in check and (
        not isinstance(actual, (int, float))
        or not math.isclose(
            actual, check["approx"], rel_tol=check.get("rel", 1e-6), abs_tol=check.get("abs", 0)
        )
    ):
        return f"{name}: expected ≈{check['approx']!r}, got {actual!r}"
    if "min" in check and (actual is None or actual < check["min"]):
        return f"{name}: expected ≥ {check['min']!r}, got {actual!r}"
    if "max" in check and (actual is None or actual > check["max"]):
        return f"{name}: expected ≤ {check['max']!r}, got {actual!r}"
    return None
