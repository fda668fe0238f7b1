"""The household file, « déclarer une fois » : ``foyer.yaml`` (French keys, written by hand or prefilled)
or an OpenFisca situation JSON (the format of OpenFisca's web API and test cases).

Minimum ``foyer.yaml``::

    periode: 2025-06            # month the computation is for
    commune: "69123"            # INSEE code
    logement: {statut: locataire_vide, loyer: 650}   # € per month, charges excluded
    adultes:
      - {age: 38, salaire_net_mensuel: 1300}
    enfants:
      - {age: 7}
      - {age: 12}

Every other key is documented in :data:`SCHEMA_HELP` (and in the card of ``lyon-social-rights``). A value
the user did not type but a prefill found in an export carries its origin in :attr:`Household.sources`
(the comment ``# depuis …`` after it in the file). Errors are French and name the line.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    as_dict,
    as_list,
    decode_text,
    load_json,
    read_text,
    register_format,
)

#: Housing status as typed in ``foyer.yaml`` → OpenFisca's ``statut_occupation_logement``.
HOUSING = {
    "locataire_vide": "locataire_vide",
    "locataire_meuble": "locataire_meuble",
    "locataire_hlm": "locataire_hlm",
    "locataire_foyer": "locataire_foyer",
    "proprietaire": "proprietaire",
    "accedant": "primo_accedant",
    "heberge": "loge_gratuitement",
    "sans_domicile": "sans_domicile",
}
COUPLES = ("marie", "pacse", "concubinage")
#: Monthly resources an adult can declare (``foyer.yaml`` key → OpenFisca individual variable).
ADULT_RESOURCES = {
    "salaire_net_mensuel": "salaire_net",
    "chomage_net_mensuel": "chomage_net",
    "retraite_nette_mensuelle": "retraite_nette",
}
#: Benefits the household says it already receives (€ per month), by OpenFisca variable name.
RECEIVED = ("ppa", "aide_logement", "rsa", "af", "asf", "cf", "paje_base", "aah")
TOP_KEYS = {
    "periode",
    "commune",
    "logement",
    "adultes",
    "enfants",
    "couple",
    "revenu_imposable_annuel",
    "prestations_percues",
    "css_depuis",
}
HOUSING_KEYS = {"statut", "loyer"}
ADULT_KEYS = {"age", "prenom", "salaires", *ADULT_RESOURCES}
CHILD_KEYS = {"age", "prenom", "garde_alternee"}
SCHEMA_HELP = {
    "periode": "mois du calcul, AAAA-MM",
    "commune": "code INSEE de la commune (5 caractères, « 69123 » pour Lyon), entre guillemets",
    "logement.statut": f"un de : {', '.join(HOUSING)}",
    "logement.loyer": "loyer mensuel hors charges, en euros (0 si propriétaire ou hébergé)",
    "adultes": "liste des adultes du foyer (1 ou 2), chacun avec son âge",
    "adultes[].salaire_net_mensuel": "salaire net mensuel en euros, le même sur les 12 derniers mois et les deux "
    "années d'avant sauf si « salaires » donne mois par mois",
    "adultes[].salaires": "salaires nets par mois, {AAAA-MM: montant}, quand ils ont changé",
    "adultes[].chomage_net_mensuel": "allocation chômage nette mensuelle",
    "adultes[].retraite_nette_mensuelle": "pension de retraite nette mensuelle",
    "enfants": "liste des enfants à charge, chacun avec son âge",
    "enfants[].garde_alternee": "true si l'enfant est en résidence alternée",
    "couple": f"pour deux adultes : {', '.join(COUPLES)} (concubinage par défaut)",
    "revenu_imposable_annuel": "revenu net imposable du foyer (avis d'impôt), pour le quotient familial",
    "prestations_percues": f"ce que je perçois déjà, €/mois : {', '.join(RECEIVED)}",
    "css_depuis": "date d'attribution de ma complémentaire santé solidaire (AAAA-MM-JJ), pour son renouvellement",
}
_SOURCE = re.compile(r"#\s*depuis\s+(?P<src>.+)$")


@dataclass(frozen=True)
class Adult:
    """An adult of the household: age and monthly resources (€, net)."""

    age: int
    salaire_net_mensuel: float = 0.0
    chomage_net_mensuel: float = 0.0
    retraite_nette_mensuelle: float = 0.0
    salaires: dict[str, float] = field(default_factory=dict)
    prenom: str | None = None

    def salary(self, month: str) -> float:
        """Net salary of ``month`` (AAAA-MM): from ``salaires`` when given, else the monthly figure."""
        return float(self.salaires.get(month, self.salaire_net_mensuel))


@dataclass(frozen=True)
class Child:
    """A dependent child."""

    age: int
    garde_alternee: bool = False
    prenom: str | None = None


@dataclass
class Household:
    """The household as the notebooks use it; ``situation`` is set when it was given as OpenFisca JSON."""

    periode: str
    commune: str
    statut_logement: str
    loyer: float
    adultes: list[Adult]
    enfants: list[Child] = field(default_factory=list)
    couple: str | None = None
    revenu_imposable_annuel: float | None = None
    prestations_percues: dict[str, float] = field(default_factory=dict)
    css_depuis: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    situation: dict[str, Any] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def single_parent(self) -> bool:
        """One adult with at least one child."""
        return len(self.adultes) == 1 and bool(self.enfants)

    @property
    def period_start(self) -> pd.Timestamp:
        """First day of the month computed."""
        return pd.Timestamp(f"{self.periode}-01")

    def monthly_resources(self) -> float:
        """The adults' declared net resources of the computed month (€)."""
        return float(
            sum(
                a.salary(self.periode) + a.chomage_net_mensuel + a.retraite_nette_mensuelle
                for a in self.adultes
            )
        )

    def describe(self) -> str:
        """One French sentence: who lives here, the housing, the resources."""
        from selfdata_lib import fr

        kids = len(self.enfants)
        who = ("Un adulte seul" if len(self.adultes) == 1 else "Deux adultes") + (
            f" et {kids} enfant{'s' if kids > 1 else ''}" if kids else ""
        )
        housing = {
            "proprietaire": "propriétaire",
            "accedant": "accédant à la propriété",
            "heberge": "hébergé gratuitement",
            "sans_domicile": "sans domicile",
        }.get(self.statut_logement, f"locataire (loyer de {fr.euros(self.loyer, cents=False)} par mois)")
        return (
            f"{who}, {housing}, commune {self.commune} ; ressources déclarées : "
            f"{fr.euros(self.monthly_resources(), cents=False)} par mois en {fr.month(self.period_start)}."
        )


def _closest(key: str, known: set[str]) -> str:
    match = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    return (
        f" (vouliez-vous dire « {match[0]} » ?)"
        if match
        else f" ; clés possibles : {', '.join(sorted(known))}"
    )


class _Lines:
    """Line numbers of the keys of a YAML document, by path (``("adultes", 0, "age")``)."""

    def __init__(self, text: str):
        import yaml

        self.lines: dict[tuple[Any, ...], int] = {}
        self.raw: dict[tuple[Any, ...], str] = {}  # scalars as typed (« 01053 » is not the octal 555)
        try:
            node = yaml.compose(text)
        except yaml.YAMLError:
            node = None
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: Any, path: tuple[Any, ...]) -> None:
        import yaml

        self.lines.setdefault(path, node.start_mark.line + 1)  # a key's line, not its value's
        if isinstance(node, yaml.ScalarNode):
            self.raw[path] = str(node.value)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                self.lines[(*path, k.value)] = k.start_mark.line + 1
                self._walk(v, (*path, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._walk(v, (*path, i))

    def at(self, *path: Any) -> str:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return f"ligne {self.lines[path[:end]]}"
        return "ligne 1"


def _sources(text: str, lines: _Lines) -> dict[str, str]:
    """``# depuis <export>`` comments, by the dotted key of the value on their line."""
    by_line = {n: ".".join(str(p) for p in path) for path, n in lines.lines.items() if path}
    out = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = _SOURCE.search(line)
        if m and n in by_line:
            out[by_line[n]] = m.group("src").strip()
    return out


class _Checker:
    def __init__(self, name: str, lines: _Lines):
        self.name, self.lines = name, lines
        self.problems: list[str] = []

    def problem(self, path: tuple[Any, ...], text: str) -> None:
        self.problems.append(f"{self.lines.at(*path)} : {text}")

    def keys(self, data: dict[str, Any], known: set[str], path: tuple[Any, ...], what: str) -> None:
        for key in data:
            if key not in known:
                self.problem((*path, key), f"clé inconnue « {key} » dans {what}{_closest(str(key), known)}")

    def number(
        self,
        data: dict[str, Any],
        key: str,
        path: tuple[Any, ...],
        *,
        lo: float,
        hi: float,
        default: Any = None,
    ) -> Any:
        value = data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem((*path, key), f"« {key} » doit être un nombre, trouvé {value!r}")
            return default
        if not lo <= value <= hi:
            self.problem(
                (*path, key), f"« {key} » = {value} est hors de l'intervalle plausible [{lo:g}, {hi:g}]"
            )
            return default
        return value


def _month(value: Any) -> str | None:
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return text
    return None


def _load_yaml(path: Path, text: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as exc:  # values YAML cannot build too
        mark = getattr(exc, "problem_mark", None)
        where = f"ligne {mark.line + 1}" if mark is not None else "ligne ?"
        msg = f"{path.name}, {where} : ce n'est pas du YAML lisible ({getattr(exc, 'problem', exc)})"
        raise ExportFormatError(msg) from None
    if not isinstance(data, dict):
        msg = f"{path.name}, ligne 1 : attendu un foyer décrit par des clés (periode, commune, logement, adultes…)"
        raise ExportFormatError(msg)
    return data


def _housing(c: _Checker, logement: Any) -> tuple[str, float]:
    statut, loyer = "locataire_vide", 0.0
    if not isinstance(logement, dict):
        c.problem(("logement",), "« logement » doit être de la forme {statut: locataire_vide, loyer: 650}")
        return statut, loyer
    c.keys(logement, HOUSING_KEYS, ("logement",), "logement")
    statut = str(logement.get("statut", "locataire_vide"))
    if statut not in HOUSING:
        c.problem(
            ("logement", "statut"), f"statut de logement « {statut} » inconnu{_closest(statut, set(HOUSING))}"
        )
    loyer = c.number(logement, "loyer", ("logement",), lo=0, hi=5000, default=0.0) or 0.0
    if statut.startswith("locataire") and not loyer:
        c.problem(("logement", "loyer"), "un locataire a un loyer : indiquez « loyer » en euros par mois")
    return statut, float(loyer)


def _adult(c: _Checker, a: Any, where: tuple[Any, ...]) -> Adult | None:
    if not isinstance(a, dict):
        c.problem(where, "chaque adulte est de la forme {age: 38, salaire_net_mensuel: 1300}")
        return None
    c.keys(a, ADULT_KEYS, where, "un adulte")
    age = c.number(a, "age", where, lo=16, hi=120)
    if age is None:
        c.problem(where, "l'âge de chaque adulte est demandé (« age »)")
        return None
    money = {k: float(c.number(a, k, where, lo=0, hi=50000, default=0.0) or 0.0) for k in ADULT_RESOURCES}
    salaires: dict[str, float] = {}
    raw = a.get("salaires") or {}
    for month, amount in raw.items() if isinstance(raw, dict) else []:
        if _month(month) is None or not isinstance(amount, int | float) or amount < 0:
            c.problem(
                (*where, "salaires", month),
                f"salaire mensuel attendu « AAAA-MM: montant », trouvé {month!r}: {amount!r}",
            )
        else:
            salaires[str(month)] = float(amount)
    return Adult(int(age), salaires=salaires, prenom=a.get("prenom"), **money)


def _child(c: _Checker, k: Any, where: tuple[Any, ...]) -> Child | None:
    if not isinstance(k, dict):
        c.problem(where, "chaque enfant est de la forme {age: 7}")
        return None
    c.keys(k, CHILD_KEYS, where, "un enfant")
    age = c.number(k, "age", where, lo=0, hi=25)
    if age is None:
        c.problem(where, "l'âge de chaque enfant est demandé (« age »)")
        return None
    return Child(int(age), bool(k.get("garde_alternee", False)), k.get("prenom"))


def _people(c: _Checker, data: dict[str, Any]) -> tuple[list[Adult], list[Child]]:
    raw_adults = data.get("adultes")
    if not isinstance(raw_adults, list) or not 1 <= len(raw_adults) <= 2:
        c.problem(("adultes",), "« adultes » doit être une liste de un ou deux adultes, chacun avec son âge")
        raw_adults = []
    raw_children = data.get("enfants") or []
    if not isinstance(raw_children, list):
        c.problem(("enfants",), "« enfants » doit être une liste, chaque enfant avec son âge : - {age: 7}")
        raw_children = []
    adults = [_adult(c, a, ("adultes", i)) for i, a in enumerate(raw_adults)]
    children = [_child(c, k, ("enfants", i)) for i, k in enumerate(raw_children)]
    return [a for a in adults if a], [k for k in children if k]


def _received(c: _Checker, raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        c.problem(
            ("prestations_percues",), "« prestations_percues » est de la forme {af: 150, aide_logement: 300}"
        )
        return {}
    c.keys(raw, set(RECEIVED), ("prestations_percues",), "prestations_percues")
    values = {key: c.number(raw, key, ("prestations_percues",), lo=0, hi=5000) for key in RECEIVED}
    return {k: float(v) for k, v in values.items() if v is not None}


def _css_date(c: _Checker, css: Any) -> str | None:
    if css is None:
        return None
    try:
        return pd.Timestamp(str(css)).date().isoformat()
    except (ValueError, NotImplementedError, OverflowError):  # out of pandas' range too
        c.problem(("css_depuis",), f"« css_depuis » doit être une date AAAA-MM-JJ (trouvé {css!r})")
        return None


def _parse_yaml(path: Path, text: str) -> Household:
    data = _load_yaml(path, text)
    lines = _Lines(text)
    c = _Checker(path.name, lines)
    c.keys(data, TOP_KEYS, (), "le foyer")
    periode = _month(data.get("periode"))
    if periode is None:
        c.problem(("periode",), f"« periode » doit être un mois AAAA-MM (trouvé {data.get('periode')!r})")
    commune = lines.raw.get(("commune",), str(data.get("commune", ""))).strip()
    if not re.fullmatch(r"\d{5}|2[AB]\d{3}", commune):
        c.problem(
            ("commune",),
            f"« commune » doit être un code INSEE à 5 caractères, entre guillemets (trouvé {commune!r})",
        )
    if "logement" in data:
        statut, loyer = _housing(c, data["logement"] or {})
    else:
        c.problem((), "« logement » manque : par exemple logement: {statut: locataire_vide, loyer: 650}")
        statut, loyer = "locataire_vide", 0.0
    adults, children = _people(c, data)
    couple = data.get("couple")
    if couple is not None and couple not in COUPLES:
        c.problem(("couple",), f"« couple » doit être un de : {', '.join(COUPLES)}")
        couple = None
    received = _received(c, data.get("prestations_percues") or {})
    revenu = c.number(data, "revenu_imposable_annuel", (), lo=0, hi=2_000_000)
    css = _css_date(c, data.get("css_depuis"))
    if c.problems:
        msg = f"{path.name} : " + " ; ".join(c.problems)
        raise ExportFormatError(msg)
    assert periode is not None
    return Household(
        periode=periode,
        commune=commune,
        statut_logement=statut,
        loyer=loyer,
        adultes=adults,
        enfants=children,
        couple=(couple or "concubinage") if len(adults) == 2 else None,
        revenu_imposable_annuel=None if revenu is None else float(revenu),
        prestations_percues=received,
        css_depuis=css,
        sources=_sources(text, lines),
    )


def _first(values: dict[str, Any] | None) -> Any:
    if not isinstance(values, dict) or not values:
        return None
    return values[sorted(values)[-1]]


def _parse_situation(path: Path, data: Any) -> Household:
    try:
        return _situation_outline(path, data)
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        if isinstance(exc, ExportFormatError):
            raise
        msg = (
            f"{path.name} : situation OpenFisca de structure inattendue ({type(exc).__name__}: {exc}) ; "
            "attendu des entités « individus », « familles », « foyers_fiscaux », « menages » "
            "comme dans l'API web d'OpenFisca"
        )
        raise ExportFormatError(msg) from None


def _situation_outline(path: Path, data: Any) -> Household:
    """An OpenFisca situation: kept as is for the computation; the household's outline (period, commune,
    rent, people, salaries) read from it for the pages and the quotient familial.
    """
    if not isinstance(data, dict) or not isinstance(data.get("individus"), dict) or not data["individus"]:
        msg = f"{path.name} : attendu une situation OpenFisca avec « individus », « familles », « menages »…"
        raise ExportFormatError(msg)
    for entity in ("familles", "menages", "foyers_fiscaux"):
        if not isinstance(data.get(entity), dict) or len(data[entity]) != 1:
            msg = f"{path.name} : la situation doit décrire un seul foyer (une entrée dans « {entity} »)"
            raise ExportFormatError(msg)
    famille = next(iter(data["familles"].values()))
    menage = next(iter(data["menages"].values()))
    periods = sorted(
        p
        for person in data["individus"].values()
        for values in person.values()
        if isinstance(values, dict)
        for p in values
        if _month(p)
    ) + sorted(p for values in menage.values() if isinstance(values, dict) for p in values if _month(p))
    if not periods:
        msg = f"{path.name} : aucune période mensuelle (AAAA-MM) dans la situation : laquelle calculer ?"
        raise ExportFormatError(msg)
    periode = max(periods)
    start = pd.Timestamp(f"{periode}-01")

    def age(person: dict[str, Any]) -> int:
        born = _first(person.get("date_naissance"))
        if born is None:
            return int(_first(person.get("age")) or 40)
        return int((start - pd.Timestamp(str(born))).days // 365.25)

    def role(names: Any) -> list[str]:
        return [names] if isinstance(names, str) else list(names or [])

    adults = [
        Adult(
            age(data["individus"][p]),
            float((data["individus"][p].get("salaire_net") or {}).get(periode, 0) or 0),
        )
        for p in role(famille.get("parents"))
        if p in data["individus"]
    ]
    children = [
        Child(age(data["individus"][p])) for p in role(famille.get("enfants")) if p in data["individus"]
    ]
    statut = str(_first(menage.get("statut_occupation_logement")) or "locataire_vide")
    back = {v: k for k, v in HOUSING.items()}
    return Household(
        periode=periode,
        commune=str(_first(menage.get("depcom")) or ""),
        statut_logement=back.get(statut, "locataire_vide"),
        loyer=float(_first(menage.get("loyer")) or 0),
        adultes=adults or [Adult(40)],
        enfants=children,
        couple="concubinage" if len(adults) == 2 else None,
        situation=data,
    )


def _entry(path: Path, fmt: str, household: Household) -> dict[str, Any]:
    """What ``results.json`` lists of the household file (as ``show_import`` does for other exports)."""
    from selfdata_lib import settings

    try:
        path.resolve().relative_to(settings.samples_folder.resolve())
        sample = True
    except ValueError:
        sample = False
    people = len(household.adultes) + len(household.enfants)
    return {
        "file": path.name,
        "path": str(path),
        "format": fmt,
        "kinds": ["household"],
        "first": household.periode,
        "last": household.periode,
        "rows_read": people,
        "rows_kept": people,
        "rows_rejected": 0,
        "warnings": [],
        "notes": [f"{k} : depuis {v}" for k, v in household.sources.items()],
        "issues": [],
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "sample": sample,
    }


def read_household(path: str | Path) -> Household:
    """``foyer.yaml`` (or ``.yml``) or an OpenFisca situation ``.json``; ``ExportFormatError`` in French
    naming the line of each problem otherwise. ``attrs["inputs"]`` describes the file for the run's record.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"{path.name} : fichier introuvable ({path})"
        raise ExportFormatError(msg)
    if path.stat().st_size > 1 << 20:
        msg = f"{path.name} : un fichier de foyer fait quelques lignes, celui-ci dépasse 1 Mio"
        raise ExportFormatError(msg)
    if path.suffix.lower() == ".json":
        household = _parse_situation(path, load_json(path, "une situation OpenFisca"))
        fmt = "openfisca-situation-json"
    else:
        household = _parse_yaml(path, read_text(path))
        fmt = "foyer-yaml"
    household.attrs = {"inputs": [_entry(path, fmt, household)], "format": fmt, "source_file": str(path)}
    return household


def read_contract_address(path: str | Path) -> dict[str, str]:
    """The address of a supply contract: Enedis DataConnect ``usage_point_addresses`` (the customer's
    ``/customers/usage_points/addresses`` JSON). Returns ``street``, ``postal_code``, ``insee_code``, ``city``.
    """
    path = Path(path)
    data = load_json(path, "l'adresse d'un contrat (Enedis DataConnect)")
    for point in as_list(as_dict(as_dict(data).get("customer")).get("usage_points")):
        address = as_dict(as_dict(as_dict(point).get("usage_point")).get("usage_point_addresses"))
        code = str(address.get("insee_code") or "")
        if re.fullmatch(r"\d{5}|2[AB]\d{3}", code):
            return {k: str(address.get(k) or "") for k in ("street", "postal_code", "insee_code", "city")}
    msg = (
        f"{path.name} : aucune adresse de point de livraison avec un code INSEE ; attendu l'export Enedis "
        "DataConnect « customer.usage_points[].usage_point.usage_point_addresses »"
    )
    raise ExportFormatError(msg)


def household_frame(path: str | Path) -> pd.DataFrame:
    """The household file as a frame, one row per person (``person``, ``role``, ``age``,
    ``monthly_resources_eur``), the :class:`Household` in ``attrs["household"]``: what the map of my data
    and ``exports.read`` show.
    """
    path = Path(path)
    household = read_household(path)
    report = ImportReport(path)
    rows = [
        {
            "person": a.prenom or f"adulte {i}",
            "role": "adulte",
            "age": a.age,
            "monthly_resources_eur": a.salary(household.periode)
            + a.chomage_net_mensuel
            + a.retraite_nette_mensuelle,
        }
        for i, a in enumerate(household.adultes, start=1)
    ] + [
        {"person": k.prenom or f"enfant {i}", "role": "enfant", "age": k.age, "monthly_resources_eur": 0.0}
        for i, k in enumerate(household.enfants, start=1)
    ]
    report.rows_read = len(rows)
    report.notes += [f"{k} : depuis {v}" for k, v in household.sources.items()]
    frame = pd.DataFrame(rows, columns=["person", "role", "age", "monthly_resources_eur"])
    return report.finish(frame, kind="household", fmt=household.attrs["format"], household=household)


def address_frame(path: str | Path) -> pd.DataFrame:
    """:func:`read_contract_address` as a one-row frame."""
    path = Path(path)
    report = ImportReport(path)
    report.rows_read = 1
    return report.finish(
        pd.DataFrame([read_contract_address(path)]), kind="address", fmt="enedis-address-json"
    )


def _sniff_foyer(head: bytes, path: Path) -> bool:
    text = decode_text(head)
    return path.suffix.lower() in (".yaml", ".yml") and "periode" in text and "adultes" in text


def _sniff_situation(head: bytes, path: Path) -> bool:
    text = decode_text(head[:4096])
    return '"individus"' in text and ('"familles"' in text or '"menages"' in text)


def _sniff_address(head: bytes, path: Path) -> bool:
    return b'"usage_point_addresses"' in head


register_format(
    ExportFormat(
        id="foyer-yaml",
        kind="household",
        holder="moi (déclaré une fois)",
        title="Mon foyer (foyer.yaml)",
        sniff=_sniff_foyer,
        read=household_frame,
    )
)
register_format(
    ExportFormat(
        id="openfisca-situation-json",
        kind="household",
        holder="OpenFisca (format de situation)",
        title="Situation OpenFisca (JSON)",
        sniff=_sniff_situation,
        read=household_frame,
    )
)
register_format(
    ExportFormat(
        id="enedis-address-json",
        kind="address",
        holder="Enedis",
        title="Enedis, adresse du point de livraison (JSON DataConnect)",
        sniff=_sniff_address,
        read=address_frame,
    )
)
