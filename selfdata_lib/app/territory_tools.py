"""What a territory can run, and a new territory file from a place name (``selfdata territory …``).

- :func:`use_case_matrix` — every use case × every territory: runs, runs in part (what is missing), runs only
  in its own seed territory, or cannot run (what is missing and where to get it). A use case can run in a
  territory when its notebook has a ``territory`` parameter and the territory file describes every kind of
  open data the card's ``territory_needs.required`` lists.
- :func:`scaffold` — writes ``territories/<id>.yaml`` for a new place: the national French sources when the
  country is France (IRIS, Enedis, CRE, ADEME, fuel prices), the centre and bounding box given, or found by
  geocoding **only when asked** (:func:`geocode_place`: the national address API in France, Nominatim
  elsewhere — the place name is then sent to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from selfdata_lib import territories
from selfdata_lib.app.usecases import UseCase, list_use_cases

#: The national sources every French territory gets without asking (the same for the whole country).
FRENCH_NATIONAL: dict[str, dict[str, Any]] = {
    "districts": {"iris": True, "source": "IGN/INSEE (contours IRIS)"},
    "energy_reference": {"dataset": "enedis-residential-iris", "scope": "France", "source": "Enedis"},
    "energy_prices": {"dataset": "regulated-tariffs", "source": "CRE"},
    "emission_factors": {"dataset": "ademe-transport-factors", "source": "ADEME Impact CO2"},
    "fuel_prices": {"dataset": "fuel-prices", "source": "Ministère de l'Économie (flux instantané)"},
}
#: Time zone and language of the pages by country, for a new territory (the file can say otherwise).
COUNTRY_DEFAULTS: dict[str, tuple[str, str]] = {
    "FR": ("Europe/Paris", "fr"),
    "BE": ("Europe/Brussels", "fr"),
    "CH": ("Europe/Zurich", "fr"),
    "ES": ("Europe/Madrid", "es"),
    "NL": ("Europe/Amsterdam", "nl"),
    "FI": ("Europe/Helsinki", "fi"),
    "DE": ("Europe/Berlin", "de"),
    "IT": ("Europe/Rome", "it"),
    "PT": ("Europe/Lisbon", "pt"),
    "LU": ("Europe/Luxembourg", "fr"),
}
#: Half the side of the bounding box drawn around a centre when none is given (degrees, ~8 km).
DEFAULT_HALF_SIDE_DEG = 0.08
NOMINATIM_URL = "https://nominatim.openstreetmap.org/search"
COMMUNE_URL = "https://api-adresse.data.gouv.fr/search/"


class TerritoryToolError(ValueError):
    """A territory cannot be scaffolded as asked (French message)."""


def territorial(card: UseCase) -> bool:
    """Whether the card's notebook takes a ``territory`` parameter."""
    return (card.parameters.get("territory") or {}).get("type") == "territory"


def can_run(card: UseCase, territory: territories.Territory) -> tuple[str, str]:
    """``(status, detail)``: ``oui``, ``en partie`` (optional data missing), ``non`` (required data missing),
    ``seulement <seed>`` (the notebook is tied to its territory) or ``France`` (national scope).
    """
    if not territorial(card):
        if card.territory == "France":
            ok = territory.is_france
            return ("oui" if ok else "non", "" if ok else "cas d'usage national français")
        if card.territory == territory.name:
            return "oui", ""
        return f"seulement {card.territory}", "le notebook n'a pas encore de paramètre territory"
    if card.territory == "France" and not territory.is_france:
        return "non", "cas d'usage national français"
    needs = card.territory_needs or {}
    described = territory.coverage()
    missing = [k for k in needs.get("required", []) if not described[k]]
    optional = [k for k in needs.get("optional", []) if not described[k]]
    live = [k for k in needs.get("required", []) if described[k] and offline_source(territory, k) is None]
    if missing:
        return "non", "manque : " + ", ".join(missing)
    status = "en ligne" if live else "oui"
    details = [
        *(["en ligne seulement : " + ", ".join(live)] if live else []),
        *(["sans : " + ", ".join(optional)] if optional else []),
    ]
    if optional and not live:
        status = "en partie"
    return status, " ; ".join(details)


def offline_source(territory: territories.Territory, kind: str) -> str | None:
    """The dataset giving ``kind`` offline for this territory (a catalogue dataset it names, or the
    national one a French territory's ``iris``/``normals`` entry stands for), or ``None`` when only a live
    URL is given.
    """
    entry = territory.source(kind) or {}
    if entry.get("iris") and not entry.get("dataset"):
        return _iris_offline(territory)
    if entry.get("dataset"):
        return str(entry["dataset"])
    if entry.get("normals"):
        return str(entry["normals"])
    if "eur_m3" in entry:
        return "national"
    return None


def _iris_offline(territory: territories.Territory) -> str | None:
    """``iris-contours`` when what is at hand (cache, snapshot, the project's sample) holds the IRIS of one
    of the territory's communes, else ``None``: the national contours are then fetched live, commune by
    commune.
    """
    from selfdata_lib.errors import DataUnavailableError
    from selfdata_lib.opendata import load
    from selfdata_lib.opendata.water import district_communes

    try:
        covered = set(load("iris-contours")["commune"].astype(str))
    except DataUnavailableError:
        return None
    return "iris-contours" if covered & set(district_communes(territory)) else None


def use_case_matrix(cards: list[UseCase] | None = None, *, detail: bool = False) -> pd.DataFrame:
    """Use cases (rows) × territories (columns): each cell a status (see :func:`can_run`); without
    ``detail``, a use case tied to its seed territory shows « — » elsewhere and no reason is given.
    """
    cards = [c for c in (cards or list_use_cases()) if c.kind == "use_case"]
    known = territories.all_territories()
    rows = {}
    for card in cards:
        rows[card.id] = {t.name: _cell(*can_run(card, t), detail=detail) for t in known}
    return pd.DataFrame.from_dict(rows, orient="index")


def _cell(status: str, why: str, *, detail: bool) -> str:
    if detail:
        return f"{status} ({why})" if why else status
    return "—" if status.startswith("seulement") else status


def missing_data(territory: territories.Territory, cards: list[UseCase] | None = None) -> pd.DataFrame:
    """Per kind of open data the territory does not describe: which use cases need it, where to get it."""
    cards = [c for c in (cards or list_use_cases()) if territorial(c)]
    rows = []
    for kind, described in territory.coverage().items():
        if described:
            continue
        needed = [c.id for c in cards if kind in (c.territory_needs or {}).get("required", [])]
        wanted = [c.id for c in cards if kind in (c.territory_needs or {}).get("optional", [])]
        where = territories.WHERE_TO_GET.get(kind, {})
        rows.append(
            {
                "kind": kind,
                "what": territories.KINDS[kind],
                "needed_by": ", ".join(needed),
                "improves": ", ".join(wanted),
                "where": where.get(territory.country) or where.get("*", ""),
            }
        )
    return pd.DataFrame(rows, columns=["kind", "what", "needed_by", "improves", "where"])


@dataclass(frozen=True)
class Found:
    """A place found by a geocoder: centre, bounding box, official code and where it came from."""

    name: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None
    code: str | None
    source: str


def geocode_place(name: str, *, country: str = "FR", timeout: float | None = None) -> Found:
    """Find a place by name — **online**: the national address API for a French commune (its INSEE code
    and centre), Nominatim (OpenStreetMap) elsewhere (its bounding box). The name is sent to the service.
    """
    from selfdata_lib import _http

    if country == "FR":
        params: dict[str, Any] = {"q": name, "type": "municipality", "limit": 1}
        answer = _http.get_json(COMMUNE_URL, what="l'API Adresse nationale", params=params, timeout=timeout)
        features = (answer.get("features") if isinstance(answer, dict) else None) or []
        if not features:
            raise TerritoryToolError(f"l'API Adresse ne connaît aucune commune « {name} »")
        try:
            lon, lat = features[0]["geometry"]["coordinates"]
            props = features[0].get("properties") or {}
            return Found(
                str(props.get("city") or name), float(lat), float(lon), None, props.get("citycode"), "BAN"
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            msg = (
                f"réponse inattendue de l'API Adresse pour « {name} » (pas de coordonnées lisibles : {exc!r})"
            )
            raise TerritoryToolError(msg) from exc
    params = {"q": name, "format": "jsonv2", "limit": 1, "countrycodes": country.lower()}
    answer = _http.get_json(NOMINATIM_URL, what="Nominatim (OpenStreetMap)", params=params, timeout=timeout)
    if not isinstance(answer, list) or not answer:
        raise TerritoryToolError(f"Nominatim ne connaît aucun lieu « {name} » ({country})")
    hit = answer[0]
    try:
        south, north, west, east = (float(x) for x in hit["boundingbox"])
        return Found(
            name, float(hit["lat"]), float(hit["lon"]), (west, south, east, north), None, "Nominatim"
        )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"réponse inattendue de Nominatim pour « {name} » (pas de position lisible : {exc!r})"
        raise TerritoryToolError(msg) from exc


def slug(name: str) -> str:
    """``"Saint-Étienne"`` → ``"saint-etienne"``."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def scaffold(
    name: str,
    *,
    country: str = "FR",
    centre: tuple[float, float] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    codes: dict[str, str] | None = None,
    geocode: bool = False,
    folder: Path | None = None,
    overwrite: bool = False,
) -> Path:
    """Write ``<folder>/<id>.yaml`` for a new territory and return its path (validated by reading it back).

    Without ``centre`` the place is geocoded — only when ``geocode`` is true (it goes online); otherwise
    :class:`TerritoryToolError` says how to give it.
    """
    country = country.upper()
    codes = dict(codes or {})
    if centre is None:
        if not geocode:
            msg = (
                f"où est « {name} » ? Donnez son centre (--centre LAT,LON) ou demandez la recherche en ligne "
                "(--geocode : le nom est envoyé à l'API Adresse en France, à Nominatim ailleurs)"
            )
            raise TerritoryToolError(msg)
        found = geocode_place(name, country=country)
        centre = (found.lat, found.lon)
        bbox = bbox or found.bbox
        if found.code and country == "FR":
            codes.setdefault("insee_commune", found.code)
    lat, lon = centre
    if bbox is None:
        h = DEFAULT_HALF_SIDE_DEG
        bbox = (round(lon - h * 1.4, 4), round(lat - h, 4), round(lon + h * 1.4, 4), round(lat + h, 4))
    timezone, language = COUNTRY_DEFAULTS.get(country, ("Europe/Paris", "fr"))
    ident = slug(name)
    if not ident:
        raise TerritoryToolError(f"« {name} » ne donne pas d'identifiant (lettres ou chiffres attendus)")
    folder = folder or territories.folders()[0]
    path = folder / f"{ident}.yaml"
    if path.exists() and not overwrite:
        raise TerritoryToolError(f"{path} existe déjà : modifiez-le, ou choisissez un autre nom")
    data: dict[str, Any] = {
        "id": ident,
        "name": name,
        "country": country,
        "description": f"{name} — fichier créé par `selfdata territory new`, à compléter",
        "codes": codes,
        "bbox": [float(x) for x in bbox],
        "centre": [float(lat), float(lon)],
        "timezone": timezone,
        "language": language,
        "open_data": dict(FRENCH_NATIONAL) if country == "FR" else {},
    }
    head = (
        f"# {name} — written by `selfdata territory new`. Check the bounding box and the codes, then add\n"
        "# where each kind of open data comes from (`selfdata territory show "
        f"{ident}` lists what is missing).\n"
    )
    folder.mkdir(parents=True, exist_ok=True)
    previous = path.read_bytes() if path.exists() else None
    path.write_text(
        head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None),
        encoding="utf-8",
    )
    try:
        territories.read_territory(path)
    except territories.TerritoryError:
        if previous is None:
            path.unlink()
        else:  # overwrite asked, but the new file is wrong: the living lab's file is put back
            path.write_bytes(previous)
        raise
    return path
