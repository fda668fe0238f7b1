"""Food open data: Agribalyse emission factors, the fruit and vegetable season calendar, Open Food Facts
products, Nantes' markets.

- ``agribalyse-food``: the ADEME's Agribalyse synthesis table (``Agribalyse_Synthese.csv`` as published on
  data.gouv.fr, ``,``-separated, its French column names) — the project's sample holds the rows the use
  case needs, in the same layout, with the source of each value;
- ``food-seasons``: ADEME Impact CO2's ``fruitsetlegumes.json`` (season months, 0 = January, and the
  Agribalyse footprint of each fruit and vegetable in and out of season), read from its GitHub repository;
- ``off-products``: Open Food Facts products (its JSON schema, one product per line) for the offline run; live,
  :func:`fetch_off_product` asks the ``openfoodfacts`` SDK for one barcode (only the EAN is sent), cached;
- ``nantes-markets``: markets and producers selling directly in Nantes Métropole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib import _http, settings
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

CO2 = "Changement climatique (kg CO2 eq/kg de produit)"
AGB_COLUMNS = ("Code AGB", "Code CIQUAL", "Nom du Produit en Français", "LCI Name", CO2)
IMPACTCO2_RAW = "https://raw.githubusercontent.com/incubateur-ademe/impactco2/main/src/data/categories/"


def _read_agribalyse(files: list[Path]) -> pd.DataFrame:
    head = files[0].read_text(encoding="utf-8-sig", errors="replace").splitlines()[0]
    sep = ";" if head.count(";") > head.count(",") else ","
    frame = pd.read_csv(files[0], sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in AGB_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"{files[0].name}: colonnes manquantes {missing} (attendu : la synthèse Agribalyse)"
        raise ExportFormatError(msg)
    frame[CO2] = pd.to_numeric(frame[CO2].str.replace(",", "."), errors="coerce")
    frame["Code AGB"] = frame["Code AGB"].str.strip()
    return frame.dropna(subset=[CO2]).reset_index(drop=True)


register(
    Dataset(
        name="agribalyse-food",
        title="Agribalyse — empreinte carbone des aliments (synthèse)",
        territory="France",
        source="ADEME — Agribalyse",
        url="https://www.data.gouv.fr/fr/datasets/agribalyse-3-1-synthese/",
        licence="Licence Ouverte / Etalab 2.0",
        files=("Agribalyse_Synthese*.csv",),
        snapshot_dirs=("agribalyse",),
        read=_read_agribalyse,
        description="kg CO2e per kg of product, from farm to plate, for each Agribalyse food (code AGB).",
    )
)


def _read_seasons(files: list[Path]) -> pd.DataFrame:
    items = json.loads(files[0].read_text(encoding="utf-8"))
    if not isinstance(items, list):
        msg = f"{files[0].name}: attendu la liste des fruits et légumes d'Impact CO2"
        raise ExportFormatError(msg)
    rows = []
    for item in items:
        if not isinstance(item, dict) or "slug" not in item:
            continue
        months = [int(m) + 1 for m in item.get("months") or []]  # Impact CO2 counts months from 0
        rows.append(
            {
                "slug": str(item["slug"]),
                "name": str(item.get("name") or item["slug"]),
                "code_ciqual": str(item.get("Code_CIQUAL") or ""),
                "code_agb": str(item.get("Code_AGB") or item.get("Code_CIQUAL") or ""),
                "kgco2e_per_kg": float(sum(float(e.get("value", 0)) for e in item.get("ecv") or [])),
                "months": months,
                "source": str(item.get("source") or ""),
            }
        )
    return pd.DataFrame(rows)


register(
    Dataset(
        name="food-seasons",
        title="Calendrier des fruits et légumes de saison (ADEME, Impact CO2)",
        territory="France",
        source="ADEME — Impact CO2 (données Agribalyse)",
        url="https://impactco2.fr/outils/fruitsetlegumes",
        licence="Licence Ouverte / Etalab 2.0 (données ADEME)",
        files=("fruitsetlegumes.json",),
        snapshot_dirs=("ademe_impactco2/categories",),
        live={"fruitsetlegumes.json": IMPACTCO2_RAW + "fruitsetlegumes.json"},
        read=_read_seasons,
        description="Months in season of each fruit and vegetable, with its kg CO2e per kg.",
    )
)


def _read_off(files: list[Path]) -> pd.DataFrame:
    rows = []
    for n, line in enumerate(files[0].read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            product = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{files[0].name}: ligne {n} : JSON illisible ({exc.msg})"
            raise ExportFormatError(msg) from None
        rows.append(off_row(product))
    return pd.DataFrame(rows)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no quantity


def off_row(product: dict[str, Any]) -> dict[str, Any]:
    """The fields the use case reads from an Open Food Facts product (its API's JSON)."""
    agb = (((product.get("ecoscore_data") or {}).get("agribalyse") or {}).get("code")) or ""
    return {
        "code": str(product.get("code") or ""),
        "product_name": str(product.get("product_name") or ""),
        "quantity": str(product.get("quantity") or ""),
        "product_quantity": _number(product.get("product_quantity")),
        "categories_tags": list(product.get("categories_tags") or []),
        "origins": str(product.get("origins") or ""),
        "labels_tags": list(product.get("labels_tags") or []),
        "packaging": str(product.get("packaging") or ""),
        "agribalyse_code": str(agb),
    }


register(
    Dataset(
        name="off-products",
        title="Open Food Facts — fiches produits",
        territory="France",
        source="Open Food Facts",
        url="https://world.openfoodfacts.org",
        licence="Open Database License (ODbL)",
        files=("products*.jsonl",),
        snapshot_dirs=("openfoodfacts",),
        read=_read_off,
        description="Products by barcode: name, quantity, categories, origins, labels, packaging, Agribalyse code.",
    )
)


def fetch_off_product(ean: str) -> dict[str, Any] | None:
    """One Open Food Facts product by barcode, through the ``openfoodfacts`` SDK (network; only the EAN
    is sent), kept in the cache. ``None`` when Open Food Facts does not know it.
    """
    path = settings.cache_folder / "opendata" / "openfoodfacts" / f"{ean}.json"
    if path.is_file():
        cached = json.loads(path.read_text(encoding="utf-8"))
        return cached or None
    _http.ensure_online(f"la fiche Open Food Facts du code-barres {ean}")
    import openfoodfacts

    api = openfoodfacts.API(user_agent=settings.user_agent)
    try:
        product = api.product.get(ean)
    except Exception as exc:  # the SDK's own errors (network, HTTP)
        msg = f"Open Food Facts n'a pas répondu pour le code-barres {ean} : {exc}"
        raise DataUnavailableError(msg) from exc
    _http.write_atomically(path, json.dumps(product or {}).encode("utf-8"))
    return product or None


def _read_markets(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], sep=";", dtype={"jours": str})
    missing = {"nom", "type", "jours", "lat", "lon", "commune"} - set(frame.columns)
    if missing:
        msg = f"{files[0].name}: colonnes manquantes {sorted(missing)}"
        raise ExportFormatError(msg)
    return frame


register(
    Dataset(
        name="nantes-markets",
        title="Marchés et vente directe de producteurs (Nantes Métropole)",
        territory="Nantes",
        source="Nantes Métropole (data.nantesmetropole.fr)",
        url="https://data.nantesmetropole.fr",
        licence="Licence Ouverte / Etalab 2.0",
        files=("marches*.csv",),
        snapshot_dirs=("nantes_marches",),
        read=_read_markets,
        description="Markets (days) and farms selling directly, with their location.",
    )
)


def load_food_factors(*, source: str = "auto") -> pd.DataFrame:
    """The Agribalyse synthesis (``agribalyse-food``)."""
    return load("agribalyse-food", source=source)
