"""Territories: a city is a description file, not new notebooks.

A territory is ``territories/<id>.yaml`` (at the project root, or in a folder of ``SELFDATA_TERRITORIES``: a
living lab keeps its own there). It says where the place is (official codes, bounding box, centre, time
zone, language of its pages) and, for each kind of open data the use cases need, where that data comes
from — a dataset of the catalogue, a live URL (a GBFS feed, a GTFS), a figure with its source — or nothing,
in which case the use cases say what is missing and where to get it (:data:`WHERE_TO_GET`).

.. code-block:: yaml

    id: lyon
    name: Lyon
    country: FR
    codes: {insee_commune: "69123", epci: "200046977", departement: "69"}
    bbox: [4.77, 45.70, 4.90, 45.81]      # west, south, east, north (WGS 84)
    centre: [45.7676, 4.8357]             # lat, lon: the town hall's square
    timezone: Europe/Paris
    language: fr
    open_data:
      districts: {dataset: lyon-arrondissements, source: Métropole de Lyon}
      bike_share: {system: velov, gbfs: "https://…/gbfs.json", name: Vélo'v}
      water_price: {eur_m3: 3.50, source: "Eau du Grand Lyon, 2025", url: "https://…"}

Every territory file is validated on load: a wrong one raises :class:`TerritoryError` listing each problem
with the file name, in French. :func:`get` accepts an id (``la-rochelle``) or a name (``La Rochelle``),
in any case, and suggests the closest one when it does not know it.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from selfdata_lib import settings
from selfdata_lib.geo import haversine_m

#: The kinds of open data a territory can say where to find, and what a use case does with each.
KINDS: dict[str, str] = {
    "districts": "quartiers ou arrondissements (IRIS en France, limites administratives OpenStreetMap ailleurs)",
    "bike_share": "vélos en libre-service (flux GBFS : stations et disponibilités)",
    "transit": "transports en commun (GTFS : arrêts et horaires)",
    "weather": "station météo de référence (températures quotidiennes, normales)",
    "energy_reference": "consommation résidentielle d'électricité par quartier",
    "water_reference": "consommation d'eau de référence par quartier",
    "water_price": "prix de l'eau (€/m³, toutes redevances comprises)",
    "energy_prices": "prix de l'électricité (tarifs réglementés ou de référence)",
    "emission_factors": "facteurs d'émission des transports (kg CO₂e par km)",
    "fuel_prices": "prix des carburants à la pompe",
}
#: Where a living lab finds each kind of open data when its territory file does not say, by country.
WHERE_TO_GET: dict[str, dict[str, str]] = {
    "districts": {
        "FR": "contours IRIS de l'IGN/INSEE (geoservices.ign.fr/contoursiris), nationaux",
        "*": "limites administratives OpenStreetMap (osmnx, features_from_place, tag boundary=administrative)",
    },
    "bike_share": {
        "*": "le catalogue des systèmes GBFS de MobilityData (github.com/MobilityData/gbfs, systems.csv) ; "
        "en France transport.data.gouv.fr (jeux « vélos en libre-service »)",
    },
    "transit": {
        "FR": "transport.data.gouv.fr (GTFS de chaque réseau)",
        "*": "le portail open data de l'autorité organisatrice, ou la Mobility Database (mobilitydatabase.org)",
    },
    "weather": {
        "FR": "Météo-France, données climatologiques de base quotidiennes (meteo.data.gouv.fr) ; "
        "Open-Meteo (archive) en ligne",
        "*": "le service météorologique national (ECA&D pour l'Europe) ; Open-Meteo (archive) en ligne",
    },
    "energy_reference": {
        "FR": "Enedis, consommation annuelle résidentielle par IRIS (data.enedis.fr), nationale",
        "*": "le gestionnaire du réseau de distribution ou l'office statistique du pays",
    },
    "water_reference": {
        "*": "aucune donnée ouverte par quartier connue : une coopérative de foyers (selfdata pool) ; "
        "à défaut, la moyenne nationale",
    },
    "water_price": {
        "FR": "l'observatoire SISPEA (services.eaufrance.fr), prix au m³ par service",
        "*": "le service des eaux de la ville (facture type de 120 m³)",
    },
    "energy_prices": {
        "FR": "les tarifs réglementés de la CRE (data.gouv.fr)",
        "*": "le régulateur de l'énergie du pays",
    },
    "emission_factors": {
        "FR": "ADEME, Impact CO2 (impactco2.fr), facteurs par mode",
        "*": "l'Agence européenne pour l'environnement (EEA) ou l'inventaire national",
    },
    "fuel_prices": {
        "FR": "prix des carburants en France, flux instantané (data.economie.gouv.fr)",
        "*": "le bulletin pétrolier hebdomadaire de la Commission européenne (Weekly Oil Bulletin)",
    },
}
_REQUIRED = ("id", "name", "country", "bbox", "centre", "timezone", "language")
_KEYS = {*_REQUIRED, "codes", "open_data", "description", "aliases"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class TerritoryError(ValueError):
    """A territory file is wrong, or a territory is unknown (French message)."""


@dataclass(frozen=True)
class Territory:
    """A validated territory description (see the module's docstring)."""

    id: str
    name: str
    country: str
    bbox: tuple[float, float, float, float]
    centre: tuple[float, float]
    timezone: str
    language: str
    codes: dict[str, str] = field(default_factory=dict)
    open_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    description: str = ""
    aliases: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def is_france(self) -> bool:
        """Whether French national open data (IRIS, Enedis, ADEME, CRE) applies."""
        return self.country == "FR"

    def source(self, kind: str) -> dict[str, Any] | None:
        """The entry saying where ``kind`` of open data comes from, or ``None`` when the file is silent."""
        if kind not in KINDS:
            msg = f"type de données ouvertes inconnu « {kind} » ; types connus : {', '.join(KINDS)}"
            raise TerritoryError(msg)
        entry = self.open_data.get(kind)
        return dict(entry) if entry else None

    def dataset(self, kind: str) -> str | None:
        """The catalogue dataset giving ``kind`` here, if any."""
        entry = self.source(kind) or {}
        return str(entry["dataset"]) if entry.get("dataset") else None

    def missing(self, kind: str) -> str:
        """A French sentence: ``kind`` is not described for this territory, and where to get it."""
        where = WHERE_TO_GET.get(kind, {})
        hint = where.get(self.country) or where.get("*", "")
        return f"{self.name} : pas de source pour {KINDS[kind]} dans {self.file_name} — à trouver : {hint}"

    @property
    def file_name(self) -> str:
        """The territory file's name, for messages."""
        return self.path.name if self.path else f"{self.id}.yaml"

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies in the bounding box."""
        west, south, east, north = self.bbox
        return west <= lon <= east and south <= lat <= north

    def distance_km(self, lat: float, lon: float) -> float:
        """Distance from the territory's centre, in km."""
        return float(haversine_m(lat, lon, *self.centre)) / 1000

    def outside(self, place: Any, *, radius_km: float = 30.0) -> str | None:
        """A French note when ``place`` (``(lat, lon)`` or with ``lat``/``lon``) is neither in the bounding
        box nor within ``radius_km`` of the centre: this territory's open data then says little of me.
        """
        if place is None:
            return None
        lat, lon = place if isinstance(place, tuple) else (place.lat, place.lon)
        km = self.distance_km(lat, lon)
        if self.contains(lat, lon) or km <= radius_km:
            return None
        return f"mon domicile est à {km:.0f} km de {self.name} : les données ouvertes de ce territoire ne me concernent guère"

    def coverage(self) -> dict[str, bool]:
        """``{kind: described}`` for every kind of open data."""
        return {kind: bool(self.open_data.get(kind)) for kind in KINDS}


def folders() -> list[Path]:
    """Where territory files are looked for: the project's ``territories/`` then ``SELFDATA_TERRITORIES``."""
    extra = [
        Path(p).expanduser()
        for p in os.environ.get("SELFDATA_TERRITORIES", "").split(os.pathsep)
        if p.strip()
    ]
    return [settings.project_folder / "territories", *extra]


def _numbers(value: Any, n: int) -> tuple[float, ...] | None:
    if not isinstance(value, list | tuple) or len(value) != n:
        return None
    try:
        return tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None


def _check(data: dict[str, Any], problems: list[str]) -> None:
    for key in _REQUIRED:
        if data.get(key) in (None, "", []):
            problems.append(f"champ « {key} » manquant")
    for key in sorted(set(data) - _KEYS):
        close = difflib.get_close_matches(key, sorted(_KEYS), n=1, cutoff=0.6)
        problems.append(f"champ inconnu « {key} »" + (f" (vouliez-vous « {close[0]} » ?)" if close else ""))
    if data.get("id") and not _ID.match(str(data["id"])):
        problems.append(f"id « {data['id']} » : minuscules, chiffres et tirets seulement (ex. la-rochelle)")
    country = str(data.get("country") or "")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        problems.append(f"country « {country} » : code pays ISO à deux lettres attendu (FR, ES, BE…)")
    _check_place(data, problems)
    _check_codes(data, problems)
    _check_open_data(data, problems)


def _check_place(data: dict[str, Any], problems: list[str]) -> None:
    bbox = _numbers(data.get("bbox"), 4)
    if data.get("bbox") is not None:
        if bbox is None:
            problems.append("bbox : quatre nombres attendus [ouest, sud, est, nord]")
        elif not (-180 <= bbox[0] < bbox[2] <= 180 and -90 <= bbox[1] < bbox[3] <= 90):
            problems.append(f"bbox {list(bbox)} : attendu ouest < est et sud < nord, en degrés (WGS 84)")
    centre = _numbers(data.get("centre"), 2)
    if data.get("centre") is not None:
        if centre is None:
            problems.append("centre : deux nombres attendus [latitude, longitude]")
        elif bbox is not None and not (bbox[0] <= centre[1] <= bbox[2] and bbox[1] <= centre[0] <= bbox[3]):
            problems.append(f"centre {list(centre)} hors de la bbox (latitude d'abord, puis longitude)")
    tz = str(data.get("timezone") or "")
    if tz:
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except (KeyError, ValueError, OSError):
            problems.append(f"timezone « {tz} » inconnu (ex. Europe/Paris)")


def _check_codes(data: dict[str, Any], problems: list[str]) -> None:
    country = str(data.get("country") or "")
    codes = data.get("codes") or {}
    if not isinstance(codes, dict):
        problems.append("codes : une table de codes officiels attendue (insee_commune, epci, lau, nuts3…)")
    elif (
        country == "FR"
        and "insee_commune" in codes
        and not re.fullmatch(r"\d[\dAB]\d{3}", str(codes["insee_commune"]))
    ):
        problems.append(
            f"codes.insee_commune « {codes['insee_commune']} » : code INSEE à 5 caractères attendu"
        )


def _check_open_data(data: dict[str, Any], problems: list[str]) -> None:
    open_data = data.get("open_data") or {}
    if not isinstance(open_data, dict):
        problems.append("open_data : une table par type de données attendue")
        return
    for kind, entry in open_data.items():
        if kind not in KINDS:
            close = difflib.get_close_matches(str(kind), list(KINDS), n=1, cutoff=0.6)
            hint = f" (vouliez-vous « {close[0]} » ?)" if close else f" ; types connus : {', '.join(KINDS)}"
            problems.append(f"open_data : type inconnu « {kind} »{hint}")
        elif entry is not None and not isinstance(entry, dict):
            problems.append(f"open_data.{kind} : une table attendue (dataset, url, source…)")


def read_territory(path: str | Path) -> Territory:
    """Read and validate one territory file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TerritoryError(f"{path} : illisible ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        raise TerritoryError(f"{path.name}{line} : YAML invalide ({getattr(exc, 'problem', exc)})") from exc
    if not isinstance(data, dict):
        raise TerritoryError(f"{path.name} : une table YAML attendue (id, name, country, bbox…)")
    problems: list[str] = []
    _check(data, problems)
    if data.get("id") and path.stem != str(data["id"]):
        problems.append(f"le fichier doit s'appeler {data['id']}.yaml (id « {data['id']} »)")
    if problems:
        raise TerritoryError(f"{path} :\n  - " + "\n  - ".join(problems))
    bbox = _numbers(data["bbox"], 4)
    centre = _numbers(data["centre"], 2)
    assert bbox is not None and centre is not None  # checked above
    return Territory(
        id=str(data["id"]),
        name=str(data["name"]),
        country=str(data["country"]),
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
        centre=(centre[0], centre[1]),
        timezone=str(data["timezone"]),
        language=str(data["language"]),
        codes={str(k): str(v) for k, v in (data.get("codes") or {}).items()},
        open_data={str(k): dict(v) for k, v in (data.get("open_data") or {}).items() if v},
        description=str(data.get("description") or ""),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        path=path,
    )


def _files() -> list[Path]:
    return [path for folder in folders() if folder.is_dir() for path in sorted(folder.glob("*.yaml"))]


def signature() -> tuple[tuple[str, bytes], ...]:
    """What the territory files are now (each path and its content's digest): the key under which
    their parsed form is kept, so that a process reads and validates them once, not at every card or
    notebook step, and sees a file the moment it changes.
    """
    out = []
    for path in _files():
        try:
            out.append((str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).digest()))
        except OSError:
            out.append((str(path), b""))
    return tuple(out)


_SCANNED: dict[tuple[tuple[str, bytes], ...], tuple[dict[str, Territory], dict[str, TerritoryError]]] = {}


def _scan() -> tuple[dict[str, Territory], dict[str, TerritoryError]]:
    """The valid territories by id, and the broken files' errors by file stem (a later folder wins)."""
    key = signature()
    if key not in _SCANNED:
        found: dict[str, Territory] = {}
        broken: dict[str, TerritoryError] = {}
        for path in _files():
            try:
                territory = read_territory(path)
            except TerritoryError as exc:
                broken[path.stem] = exc
                continue
            found[territory.id] = territory
            broken.pop(path.stem, None)
        _SCANNED.clear()
        _SCANNED[key] = (found, broken)
    found, broken = _SCANNED[key]
    # copies: a caller changing a territory's open_data, or an error collecting tracebacks, changes
    # only its own
    return copy.deepcopy(found), {stem: TerritoryError(str(exc)) for stem, exc in broken.items()}


def all_territories() -> list[Territory]:
    """Every valid territory file found (:func:`folders`); a later folder's file overrides an earlier
    one's. A broken file is left out (:func:`broken_files` says why): one living lab's typo does not stop
    the others' territories.
    """
    return list(_scan()[0].values())


def broken_files() -> dict[str, str]:
    """``{file stem: French error}`` for every territory file that does not validate."""
    return {stem: str(exc) for stem, exc in _scan()[1].items()}


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def get(name: str | Territory) -> Territory:
    """The territory ``name`` (an id such as ``la-rochelle`` or a name such as ``La Rochelle``)."""
    if isinstance(name, Territory):
        return name
    found, broken = _scan()
    known = list(found.values())
    key = _key(name)
    for territory in known:
        if key in {territory.id, _key(territory.name), *(_key(a) for a in territory.aliases)}:
            return territory
    if key in broken:  # the file is there, but wrong: say what is wrong with it
        raise broken[key]
    names = [t.id for t in known]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
    hint = f" Vouliez-vous « {close[0]} » ?" if close else ""
    folder_list = ", ".join(str(f) for f in folders())
    msg = (
        f"territoire inconnu « {name} ».{hint} Territoires décrits : {', '.join(names)} "
        f"(fichiers YAML dans {folder_list} ; `selfdata territory new NOM` en crée un)."
    )
    raise TerritoryError(msg)


def names() -> list[str]:
    """The display names of every known territory."""
    return [t.name for t in all_territories()]
