"""Food samples, written by the project in the real layouts from public facts:

- ``agribalyse-food``: rows of the Agribalyse synthesis the use case needs (French column names of
  ``Agribalyse_Synthese.csv``). Values marked « issue » are the Agribalyse 3.2 reference values the project
  checks against (minced beef 35.7, chicken breast 5.58, semi-skimmed milk 1.27, dry pasta 1.98, apple 0.408,
  green lentils 0.581, tomato in season 0.626 and from a heated greenhouse 2.11 kg CO2e/kg); the others are
  the Agribalyse values ADEME's Impact CO2 publishes for its food and fruit-and-vegetable items (repository
  incubateur-ademe/impactco2, ``src/data/categories``, state of 2026-07-01). CIQUAL/AGB codes to check
  against the full synthesis when it is available (``selfdata data fetch`` cannot download it: the
  data.gouv.fr file is an XLSX/CSV behind a page);
- ``food-seasons``: the same Impact CO2 fruits and vegetables (``fruitsetlegumes.json`` schema: months from 0);
- ``off-products``: a few products in Open Food Facts' JSON, written by the project (made-up barcodes
  starting with 200, the range for in-store codes, so that none is a real product);
- ``nantes-markets``: a handful of Nantes markets (public places) with their days.
"""

from __future__ import annotations

import json
from pathlib import Path

from selfdata_lib.samples.opendata._write import write_sample

IMPACT = "ADEME Impact CO2 (Agribalyse), 2026-07-01"
ISSUE = "Agribalyse 3.2, valeur de référence du projet"
#: (code AGB, code CIQUAL, group, French name, LCI name, season code, kg CO2e/kg, source)
AGRIBALYSE_ROWS: list[tuple[str, str, str, str, str, str, float, str]] = [
    (
        "6250",
        "6250",
        "viandes, œufs, poissons",
        "Boeuf, steak haché 5% MG, cru",
        "Beef, minced steak, 5% fat, raw",
        "",
        35.7,
        ISSUE,
    ),
    ("6001", "6001", "viandes, œufs, poissons", "Boeuf (moyenne Impact CO2)", "", "", 28.009, IMPACT),
    ("40304", "40304", "viandes, œufs, poissons", "Veau (moyenne Impact CO2)", "", "", 22.505, IMPACT),
    ("28100", "28100", "viandes, œufs, poissons", "Porc (moyenne Impact CO2)", "", "", 6.671, IMPACT),
    (
        "36018",
        "36018",
        "viandes, œufs, poissons",
        "Poulet, filet, sans peau, cru",
        "Chicken, breast, without skin, raw",
        "",
        5.58,
        ISSUE,
    ),
    ("36003", "36003", "viandes, œufs, poissons", "Poulet (moyenne Impact CO2)", "", "", 4.56, IMPACT),
    ("10021", "10021", "viandes, œufs, poissons", "Crevette", "", "", 20.345, IMPACT),
    ("26043", "26043", "viandes, œufs, poissons", "Cabillaud", "", "", 12.086, IMPACT),
    ("26036", "26036", "viandes, œufs, poissons", "Saumon", "", "", 5.557, IMPACT),
    ("26053", "26053", "viandes, œufs, poissons", "Thon", "", "", 4.983, IMPACT),
    ("26065", "26065", "viandes, œufs, poissons", "Sardine", "", "", 2.276, IMPACT),
    ("22000", "22000", "viandes, œufs, poissons", "Oeuf, cru", "Egg, raw", "", 1.878, IMPACT),
    (
        "19041",
        "19041",
        "lait et produits laitiers",
        "Lait demi-écrémé, UHT",
        "Milk, semi-skimmed, UHT",
        "",
        1.27,
        ISSUE,
    ),
    ("16400", "16400", "matières grasses", "Beurre", "", "", 7.913, IMPACT),
    (
        "12115",
        "12115",
        "lait et produits laitiers",
        "Fromage à pâte dure (moyenne Impact CO2)",
        "",
        "",
        6.278,
        IMPACT,
    ),
    (
        "12001",
        "12001",
        "lait et produits laitiers",
        "Fromage à pâte molle (moyenne Impact CO2)",
        "",
        "",
        5.144,
        IMPACT,
    ),
    ("19590", "19590", "lait et produits laitiers", "Mozzarella", "", "", 4.715, IMPACT),
    ("19860", "19860", "lait et produits laitiers", "Yaourt", "", "", 1.895, IMPACT),
    ("19644", "19644", "lait et produits laitiers", "Fromage blanc", "", "", 1.81, IMPACT),
    ("9100", "9100", "produits céréaliers", "Riz", "", "", 2.015, IMPACT),
    ("9810", "9810", "produits céréaliers", "Pâtes sèches, crues", "Pasta, dried, raw", "", 1.98, IMPACT),
    ("7001", "7001", "produits céréaliers", "Baguette", "", "", 0.777, IMPACT),
    ("7200", "7200", "produits céréaliers", "Pain de mie", "", "", 1.559, IMPACT),
    ("7620", "7620", "produits céréaliers", "Croissant", "", "", 2.943, IMPACT),
    (
        "20585",
        "20585",
        "fruits, légumes, légumineuses et oléagineux",
        "Lentille verte, sèche",
        "Lentil, green, dried",
        "",
        0.581,
        ISSUE,
    ),
    (
        "20516",
        "20516",
        "fruits, légumes, légumineuses et oléagineux",
        "Pois chiche, sec",
        "",
        "",
        0.899,
        IMPACT,
    ),
    ("20525", "20525", "fruits, légumes, légumineuses et oléagineux", "Haricot rouge", "", "", 0.859, IMPACT),
    ("20904", "20904", "fruits, légumes, légumineuses et oléagineux", "Tofu", "", "", 1.004, IMPACT),
    ("4023", "4023", "fruits, légumes, légumineuses et oléagineux", "Pomme de terre", "", "", 0.706, IMPACT),
    (
        "13039",
        "13039",
        "fruits, légumes, légumineuses et oléagineux",
        "Pomme, pulpe et peau, crue",
        "Apple, pulp and skin, raw",
        "",
        0.408,
        ISSUE,
    ),
    ("13107", "13107", "fruits, légumes, légumineuses et oléagineux", "Poire", "", "", 0.387, IMPACT),
    (
        "13005",
        "13005",
        "fruits, légumes, légumineuses et oléagineux",
        "Banane, pulpe, crue",
        "",
        "",
        0.909,
        IMPACT,
    ),
    ("13034", "13034", "fruits, légumes, légumineuses et oléagineux", "Orange", "", "", 0.678, IMPACT),
    (
        "13014_2",
        "13014",
        "fruits, légumes, légumineuses et oléagineux",
        "Fraise de saison, crue",
        "",
        "1",
        0.511,
        IMPACT,
    ),
    (
        "20047_2",
        "20047",
        "fruits, légumes, légumineuses et oléagineux",
        "Tomate de saison, crue",
        "Tomato, in season, raw",
        "1",
        0.626,
        ISSUE,
    ),
    (
        "20047_1",
        "20047",
        "fruits, légumes, légumineuses et oléagineux",
        "Tomate hors saison (serre chauffée), crue",
        "Tomato, heated greenhouse, raw",
        "0",
        2.11,
        ISSUE,
    ),
    ("20009", "20009", "fruits, légumes, légumineuses et oléagineux", "Carotte", "", "", 0.396, IMPACT),
    ("20020", "20020", "fruits, légumes, légumineuses et oléagineux", "Courgette", "", "", 0.499, IMPACT),
    ("20031", "20031", "fruits, légumes, légumineuses et oléagineux", "Laitue", "", "", 0.868, IMPACT),
    ("20039", "20039", "fruits, légumes, légumineuses et oléagineux", "Poireau", "", "", 0.611, IMPACT),
    ("20034", "20034", "fruits, légumes, légumineuses et oléagineux", "Oignon", "", "", 0.42, IMPACT),
    (
        "20061_1",
        "20061",
        "fruits, légumes, légumineuses et oléagineux",
        "Haricot vert",
        "",
        "",
        0.446,
        IMPACT,
    ),
    ("20069", "20069", "fruits, légumes, légumineuses et oléagineux", "Chou", "", "", 0.848, IMPACT),
    ("13004", "13004", "fruits, légumes, légumineuses et oléagineux", "Avocat", "", "", 1.553, IMPACT),
    ("31032", "31032", "produits sucrés", "Pâte à tartiner", "", "", 9.117, IMPACT),
    ("25478", "25478", "entrées et plats composés", "Pizza", "", "", 3.599, IMPACT),
    ("4032", "4032", "fruits, légumes, légumineuses et oléagineux", "Frites", "", "", 1.457, IMPACT),
]
#: Fruits and vegetables (Impact CO2 slug, name, CIQUAL, AGB, kg CO2e/kg, months from 0): the season calendar.
SEASONS: list[tuple[str, str, int, str | None, float, list[int]]] = [
    ("fraise", "Fraise", 13014, "13014_2", 0.511, [4, 5, 6]),
    ("pomme", "Pomme", 13039, None, 0.408, [0, 1, 2, 3, 7, 8, 9, 10, 11]),
    ("poire", "Poire", 13107, None, 0.387, [0, 1, 2, 7, 8, 9, 10, 11]),
    ("orange", "Orange", 13034, None, 0.678, [0, 1, 2]),
    ("carotte", "Carotte", 20009, None, 0.396, [0, 1, 2, 8, 9, 10, 11]),
    ("courgette", "Courgette", 20020, None, 0.499, [4, 5, 6, 7, 8, 9]),
    ("laitue", "Laitue", 20031, None, 0.868, [4, 5, 6, 7, 8]),
    ("poireau", "Poireau", 20039, None, 0.611, [0, 1, 2, 3, 8, 9, 10, 11]),
    ("haricotvert", "Haricot vert", 20061, "20061_1", 0.446, [5, 6, 7, 8, 9]),
    ("chou", "Chou", 20069, None, 0.848, [0, 1, 2, 9, 10, 11]),
    ("tomate", "Tomate", 20047, "20047_2", 0.626, [5, 6, 7, 8]),
    ("banane", "Banane", 13005, None, 0.909, list(range(12))),
    ("avocat", "Avocat", 13004, None, 1.553, list(range(12))),
]
OFF_PRODUCTS = [
    {
        "code": "2000000000011",
        "product_name": "Steak haché pur bœuf 5% MG",
        "quantity": "500 g",
        "product_quantity": 500,
        "categories_tags": ["en:meats", "en:beef", "en:ground-beef"],
        "origins": "France",
        "labels_tags": [],
        "packaging": "Barquette plastique",
        "ecoscore_data": {"agribalyse": {"code": "6250"}},
    },
    {
        "code": "2000000000028",
        "product_name": "Lait demi-écrémé UHT",
        "quantity": "1 L",
        "product_quantity": 1000,
        "categories_tags": ["en:dairies", "en:milks", "en:semi-skimmed-milks"],
        "origins": "France",
        "labels_tags": [],
        "packaging": "Brique",
        "ecoscore_data": {"agribalyse": {"code": "19041"}},
    },
    {
        "code": "2000000000035",
        "product_name": "Pâtes coquillettes",
        "quantity": "500 g",
        "product_quantity": 500,
        "categories_tags": ["en:pastas", "en:dry-pastas"],
        "origins": "",
        "labels_tags": [],
        "packaging": "Sachet plastique",
        "ecoscore_data": {"agribalyse": {"code": "9810"}},
    },
    {
        "code": "2000000000042",
        "product_name": "Lentilles vertes",
        "quantity": "500 g",
        "product_quantity": 500,
        "categories_tags": ["en:legumes", "en:lentils", "en:green-lentils"],
        "origins": "France",
        "labels_tags": ["fr:label-rouge"],
        "packaging": "Sachet",
        "ecoscore_data": {"agribalyse": {"code": "20585"}},
    },
    {
        "code": "2000000000059",
        "product_name": "Filets de poulet",
        "quantity": "400 g",
        "product_quantity": 400,
        "categories_tags": ["en:meats", "en:poultries", "en:chicken-breasts"],
        "origins": "France",
        "labels_tags": [],
        "packaging": "Barquette",
        "ecoscore_data": {"agribalyse": {"code": "36018"}},
    },
    {
        "code": "2000000000066",
        "product_name": "Yaourt nature",
        "quantity": "4 x 125 g",
        "product_quantity": 500,
        "categories_tags": ["en:dairies", "en:yogurts"],
        "origins": "France",
        "labels_tags": [],
        "packaging": "Pots plastique",
        "ecoscore_data": {"agribalyse": {"code": "19860"}},
    },
    {
        "code": "2000000000073",
        "product_name": "Emmental râpé",
        "quantity": "200 g",
        "product_quantity": 200,
        "categories_tags": ["en:dairies", "en:cheeses", "en:emmentaler"],
        "origins": "France",
        "labels_tags": [],
        "packaging": "Sachet",
        "ecoscore_data": {"agribalyse": {"code": "12115"}},
    },
]
#: Markets of Nantes (public places) and their days; producers' farm shops as « vente directe ».
MARKETS = [
    ("Marché de Talensac", "marché", "mardi à dimanche", 47.2229, -1.5586, "Nantes"),
    ("Marché de la Petite Hollande", "marché", "samedi", 47.2110, -1.5610, "Nantes"),
    ("Marché de Zola", "marché", "mercredi, samedi", 47.2158, -1.5832, "Nantes"),
    ("Marché de la Bourse", "marché", "mardi, vendredi", 47.2127, -1.5597, "Nantes"),
    ("Marché de Rezé Château", "marché", "mercredi, samedi", 47.1901, -1.5696, "Rezé"),
]


def build_agribalyse_sample(folder: Path) -> list[Path]:
    """The Agribalyse rows of the use case, in the synthesis' CSV layout."""
    header = [
        "Code AGB",
        "Code CIQUAL",
        "Groupe d'aliment",
        "Nom du Produit en Français",
        "LCI Name",
        "Code saison",
        "Changement climatique (kg CO2 eq/kg de produit)",
        "Source de la valeur",
    ]
    lines = [";".join(header)]
    lines += [
        ";".join([agb, ciqual, group, name, lci, season, f"{co2:g}", src])
        for agb, ciqual, group, name, lci, season, co2, src in AGRIBALYSE_ROWS
    ]
    readme = (
        "# Agribalyse — extrait du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/food.py` in the layout of ADEME's `Agribalyse_Synthese.csv` "
        "(French column names, `;`-separated here). « Agribalyse 3.2, valeur de référence du projet » rows are "
        "the reference values the project's tests hold; the others are the Agribalyse values published by ADEME's "
        "Impact CO2 (github.com/incubateur-ademe/impactco2, src/data/categories, state of 2026-07-01). Codes to "
        "check against the full synthesis (data.gouv.fr). Put the real `Agribalyse_Synthese.csv` in a snapshot "
        "folder (`SELFDATA_OPENDATA_PATH`) to use every food.\n"
    )
    return write_sample(
        folder,
        {"Agribalyse_Synthese_extrait.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: Agribalyse values, each with its source.",
    )


def build_seasons_sample(folder: Path) -> list[Path]:
    """Fruits and vegetables in Impact CO2's ``fruitsetlegumes.json`` schema."""
    items = [
        {
            "name": name,
            "Code_CIQUAL": ciqual,
            **({"Code_AGB": agb} if agb else {}),
            "slug": slug,
            "ecv": [{"id": 30, "value": co2}],
            "months": months,
            "source": f"https://agribalyse.ademe.fr/app/aliments/{agb or ciqual}",
        }
        for slug, name, ciqual, agb, co2, months in SEASONS
    ]
    readme = (
        "# Fruits et légumes de saison — extrait du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/food.py` in the schema of ADEME Impact CO2's "
        "`fruitsetlegumes.json` (months counted from 0 = January; the footprint as one life-cycle stage). "
        "Values from Impact CO2 (github.com/incubateur-ademe/impactco2, state of 2026-07-01); "
        "`selfdata data fetch food-seasons` downloads the whole file.\n"
    )
    return write_sample(
        folder,
        {"fruitsetlegumes.json": json.dumps(items, ensure_ascii=False, indent=1) + "\n"},
        readme=readme,
        note="Project sample: ADEME Impact CO2 values and months.",
    )


def build_off_sample(folder: Path) -> list[Path]:
    """A few products in Open Food Facts' JSON (made-up in-store barcodes)."""
    text = "\n".join(json.dumps(p, ensure_ascii=False) for p in OFF_PRODUCTS) + "\n"
    readme = (
        "# Open Food Facts — fiches écrites par le projet\n\n"
        "Seven products in Open Food Facts' product JSON (fields `code`, `product_name`, `quantity`, "
        "`product_quantity`, `categories_tags`, `origins`, `labels_tags`, `packaging`, "
        "`ecoscore_data.agribalyse.code`), written by the project with made-up in-store barcodes (prefix 200): "
        "they show the schema, not real products. With live data on, the use case asks Open Food Facts for each "
        "barcode of my receipts (only the barcode is sent).\n"
    )
    return write_sample(
        folder,
        {"products_sample.jsonl": text},
        readme=readme,
        note="Project sample: OFF schema, made-up barcodes.",
    )


def build_markets_sample(folder: Path) -> list[Path]:
    """Five Nantes markets and their days."""
    lines = ["nom;type;jours;lat;lon;commune"] + [
        f"{n};{t};{d};{lat};{lon};{c}" for n, t, d, lat, lon, c in MARKETS
    ]
    readme = (
        "# Marchés de Nantes — extrait du projet\n\n"
        "Five markets of Nantes and Rezé (public places) with their usual days, written by the project; the "
        "Métropole publishes the full list on data.nantesmetropole.fr. Days to check on the city's site.\n"
    )
    return write_sample(
        folder,
        {"marches_nantes.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: a few public markets.",
    )
