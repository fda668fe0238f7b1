"""The carbon footprint of my food shopping, from my receipts (Nantes, « La Toque Verte »).

Each receipt line is matched to a food category: by its barcode through Open Food Facts' Agribalyse code
when known (confidence 1), else by its label as printed (« VIANDE HACHEE 5%MG 500G ») through transparent
keyword rules (:data:`CATEGORIES`, confidence 0.9), else by the nearest labelled example (scikit-learn,
character n-grams; confidence = the similarity × 0.8, kept from 0.5). Lines that match nothing are listed
with their share of the spend, never dropped. The weight comes from the quantity when it is a weight,
else from the label (« 500G », « 6X125G », « 1L », « X6 » eggs), else from a typical unit weight.
The footprint is weight × the Agribalyse kg CO2e per kg of the category, the out-of-season factor for a
fruit or vegetable bought out of season when Agribalyse has one (tomato from a heated greenhouse).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from selfdata_lib import fr
from selfdata_lib.results import Figure, Reading, Result, figure, missing


class Category(TypedDict, total=False):
    """A food category: its French name, Agribalyse code, group, the words of a receipt label, and what
    a swap, the season and a unit weigh.
    """

    name: str
    agb: str
    group: str
    words: str
    season: str  # the slug of the fruit or vegetable in the season calendar
    off_season_agb: str  # Agribalyse code out of season (heated greenhouse)
    unit_kg: float  # weight of one unit when the label gives none
    examples: tuple[str, ...]


MEAT, FISH, DAIRY = "viande", "poisson", "produit laitier"
CATEGORIES: dict[str, Category] = {
    "boeuf_hache": {
        "name": "Bœuf haché",
        "agb": "6250",
        "group": MEAT,
        "words": r"HACHE|\bHCH\b|STEAK HACH|VIANDE HACH|\bSTK\b",
        "unit_kg": 0.125,
        "examples": ("VIANDE HACHEE 5%MG 500G", "STEAK HACHE X2", "HACHE BOEUF 15%"),
    },
    "boeuf": {
        "name": "Bœuf",
        "agb": "6001",
        "group": MEAT,
        "words": r"\bBOEUF|\bBF\b|ENTRECOTE|BAVETTE|RUMSTECK|BOURGUIGNON|PAVE RUMSTEAK",
        "examples": ("ENTRECOTE BF", "ROTI BOEUF", "BAVETTE ALOYAU"),
    },
    "veau": {
        "name": "Veau",
        "agb": "40304",
        "group": MEAT,
        "words": r"\bVEAU",
        "examples": ("ESCALOPE VEAU",),
    },
    "poulet_filet": {
        "name": "Filet de poulet",
        "agb": "36018",
        "group": MEAT,
        "words": r"(FILET|ESCALOPE|BLANC|AIGUILLETTE)S?.{0,12}(POULET|DINDE|VOLAILLE)|"
        r"(POULET|DINDE).{0,6}(FILET|ESCALOPE|BLANC)",
        "unit_kg": 0.25,
        "examples": ("FILET POULET X2", "ESCALOPE DINDE", "AIGUILLETTES POULET"),
    },
    "poulet": {
        "name": "Poulet",
        "agb": "36003",
        "group": MEAT,
        "words": r"POULET|DINDE|VOLAILLE|CUISSE",
        "unit_kg": 1.3,
        "examples": ("POULET FERMIER PAC", "CUISSES POULET"),
    },
    "porc": {
        "name": "Porc, charcuterie",
        "agb": "28100",
        "group": MEAT,
        "words": r"\bPORC|JAMBON|LARDON|SAUCISS|CHIPO|SAUCISSON|RILLETTE|COTE.{0,4}PORC",
        "examples": ("JAMBON BLANC 4TR", "LARDONS FUMES", "CHIPOLATAS X6"),
    },
    "crevette": {
        "name": "Crevettes",
        "agb": "10021",
        "group": FISH,
        "words": r"CREVETTE|GAMBAS",
        "examples": ("CREVETTES CUITES",),
    },
    "poisson_blanc": {
        "name": "Poisson blanc (cabillaud, colin)",
        "agb": "26043",
        "group": FISH,
        "words": r"CABILLAUD|COLIN|\bLIEU\b|MERLU|POISSON PANE|PANE",
        "examples": ("FILET CABILLAUD", "POISSON PANE X10"),
    },
    "saumon": {
        "name": "Saumon",
        "agb": "26036",
        "group": FISH,
        "words": r"SAUMON",
        "unit_kg": 0.03,  # a slice of smoked salmon; a pavé says its weight on the label
        "examples": ("PAVE SAUMON", "SAUMON FUME 4TR"),
    },
    "thon": {
        "name": "Thon",
        "agb": "26053",
        "group": FISH,
        "words": r"\bTHON",
        "examples": ("THON NATUREL",),
    },
    "sardine": {
        "name": "Sardines, maquereau",
        "agb": "26065",
        "group": FISH,
        "words": r"SARDINE|MAQUEREAU",
        "examples": ("SARDINES HUILE",),
    },
    "oeuf": {
        "name": "Œufs",
        "agb": "22000",
        "group": "œuf",
        "words": r"\bOEUFS?\b|\bOEUF",
        "unit_kg": 0.06,
        "examples": ("OEUFS PLEIN AIR X6", "6 OEUFS BIO"),
    },
    "lait": {
        "name": "Lait",
        "agb": "19041",
        "group": DAIRY,
        "words": r"\bLAIT\b(?!.*(CHOC|COCO|AMANDE|SOJA))",
        "examples": ("LAIT DEMI ECR 1L", "LAIT ENTIER UHT"),
    },
    "beurre": {
        "name": "Beurre",
        "agb": "16400",
        "group": DAIRY,
        "words": r"\bBEURRE",
        "unit_kg": 0.25,
        "examples": ("BEURRE DOUX 250G",),
    },
    "fromage_blanc": {
        "name": "Fromage blanc",
        "agb": "19644",
        "group": DAIRY,
        "words": r"FROMAGE BLANC|FROM\.? BLANC|PETIT.? SUISSE|FAISSELLE",
        "examples": ("FROMAGE BLANC 3%", "PETITS SUISSES"),
    },
    "mozzarella": {
        "name": "Mozzarella",
        "agb": "19590",
        "group": DAIRY,
        "words": r"MOZZA",
        "unit_kg": 0.125,
        "examples": ("MOZZARELLA 125G",),
    },
    "fromage_dur": {
        "name": "Fromage à pâte dure",
        "agb": "12115",
        "group": DAIRY,
        "words": r"EMMENTAL|COMTE|GRUYERE|PARMESAN|RAPE|MIMOLETTE|CANTAL|RACLETTE|BEAUFORT",
        "unit_kg": 0.2,
        "examples": ("EMMENTAL RAPE 200G", "COMTE AOP"),
    },
    "fromage_mou": {
        "name": "Fromage à pâte molle",
        "agb": "12001",
        "group": DAIRY,
        "words": r"CAMEMBERT|\bBRIE\b|COULOMMIERS|CHEVRE|FROMAGE|ROQUEFORT|REBLOCHON|\bFROM\b",
        "unit_kg": 0.25,
        "examples": ("CAMEMBERT 250G", "BUCHE CHEVRE"),
    },
    "yaourt": {
        "name": "Yaourt",
        "agb": "19860",
        "group": DAIRY,
        "words": r"YAOURT|YOG|\bYAO|SKYR|\bDESS",
        "unit_kg": 0.125,
        "examples": ("YAOURT NATURE 4X125G", "YAOURTS AUX FRUITS"),
    },
    "riz": {
        "name": "Riz",
        "agb": "9100",
        "group": "céréale",
        "words": r"\bRIZ\b",
        "examples": ("RIZ BASMATI 1KG",),
    },
    "pates": {
        "name": "Pâtes sèches",
        "agb": "9810",
        "group": "céréale",
        "words": r"\bPATES\b|SPAGHETTI|COQUILLETTE|TAGLIATELLE|PENNE|FUSILLI|MACARONI|TORSADE",
        "examples": ("PATES COQUILLETTES 500G", "SPAGHETTI 1KG"),
    },
    "pain_de_mie": {
        "name": "Pain de mie",
        "agb": "7200",
        "group": "céréale",
        "words": r"PAIN DE MIE|\bMIE\b",
        "unit_kg": 0.5,
        "examples": ("PAIN DE MIE COMPLET",),
    },
    "viennoiserie": {
        "name": "Viennoiseries",
        "agb": "7620",
        "group": "céréale",
        "words": r"CROISSANT|PAIN CHOC|CHOCOLATINE|BRIOCHE",
        "unit_kg": 0.06,
        "examples": ("CROISSANT X4",),
    },
    "pain": {
        "name": "Pain, baguette",
        "agb": "7001",
        "group": "céréale",
        "words": r"BAGUETTE|\bPAIN\b|TRADITION|\bBOULE\b",
        "unit_kg": 0.25,
        "examples": ("BAGUETTE TRADITION", "PAIN CAMPAGNE"),
    },
    "lentilles": {
        "name": "Lentilles",
        "agb": "20585",
        "group": "légumineuse",
        "words": r"LENTILLE",
        "examples": ("LENTILLES VERTES 500G",),
    },
    "pois_chiches": {
        "name": "Pois chiches",
        "agb": "20516",
        "group": "légumineuse",
        "words": r"POIS CHICHE",
        "examples": ("POIS CHICHES 400G",),
    },
    "haricots_secs": {
        "name": "Haricots rouges ou blancs",
        "agb": "20525",
        "group": "légumineuse",
        "words": r"HARICOTS? (ROUGE|BLANC|SEC)|FLAGEOLET",
        "examples": ("HARICOTS ROUGES",),
    },
    "tofu": {
        "name": "Tofu",
        "agb": "20904",
        "group": "légumineuse",
        "words": r"\bTOFU",
        "unit_kg": 0.25,
        "examples": ("TOFU NATURE",),
    },
    "frites": {
        "name": "Frites",
        "agb": "4032",
        "group": "légume",
        "words": r"FRITES",
        "examples": ("FRITES 1KG",),
    },
    "pomme_de_terre": {
        "name": "Pommes de terre",
        "agb": "4023",
        "group": "légume",
        "words": r"POMMES? DE TERRE|\bP\.? ?D\.? ?T\b|PATATE|GRENAILLE",
        "examples": ("POMME DE TERRE 2,5KG", "PDT CHAIR FERME"),
    },
    "tomate": {
        "name": "Tomates",
        "agb": "20047_2",
        "group": "légume",
        "words": r"TOMATE",
        "season": "tomate",
        "off_season_agb": "20047_1",
        "unit_kg": 0.15,
        "examples": ("TOMATE GRAPPE VRAC", "TOMATES CERISE"),
    },
    "carotte": {
        "name": "Carottes",
        "agb": "20009",
        "group": "légume",
        "words": r"CAROTTE",
        "season": "carotte",
        "examples": ("CAROTTES 1KG",),
    },
    "courgette": {
        "name": "Courgettes",
        "agb": "20020",
        "group": "légume",
        "words": r"COURGETTE",
        "season": "courgette",
        "unit_kg": 0.3,
        "examples": ("COURGETTE VRAC",),
    },
    "salade": {
        "name": "Salade",
        "agb": "20031",
        "group": "légume",
        "words": r"SALADE|LAITUE|BATAVIA|MACHE",
        "season": "laitue",
        "unit_kg": 0.3,
        "examples": ("SALADE BATAVIA", "LAITUE PIECE"),
    },
    "poireau": {
        "name": "Poireaux",
        "agb": "20039",
        "group": "légume",
        "words": r"POIREAU",
        "season": "poireau",
        "unit_kg": 1.0,  # a bunch
        "examples": ("POIREAUX BOTTE",),
    },
    "oignon": {
        "name": "Oignons",
        "agb": "20034",
        "group": "légume",
        "words": r"OIGNON|ECHALOTE",
        "examples": ("OIGNONS JAUNES 1KG",),
    },
    "haricot_vert": {
        "name": "Haricots verts",
        "agb": "20061_1",
        "group": "légume",
        "words": r"HARICOTS? VERT",
        "season": "haricotvert",
        "examples": ("HARICOTS VERTS",),
    },
    "chou": {
        "name": "Chou",
        "agb": "20069",
        "group": "légume",
        "words": r"\bCHOU",
        "season": "chou",
        "unit_kg": 1.0,
        "examples": ("CHOU FLEUR",),
    },
    "avocat": {
        "name": "Avocats",
        "agb": "13004",
        "group": "fruit",
        "words": r"AVOCAT",
        "unit_kg": 0.2,
        "examples": ("AVOCAT PIECE",),
    },
    "banane": {
        "name": "Bananes",
        "agb": "13005",
        "group": "fruit",
        "words": r"BANANE",
        "examples": ("BANANES CAVENDISH",),
    },
    "orange": {
        "name": "Oranges, clémentines",
        "agb": "13034",
        "group": "fruit",
        "words": r"ORANGE|CLEMENTINE|MANDARINE",
        "season": "orange",
        "examples": ("ORANGES A JUS 2KG",),
    },
    "fraise": {
        "name": "Fraises",
        "agb": "13014_2",
        "group": "fruit",
        "words": r"FRAISE",
        "season": "fraise",
        "unit_kg": 0.25,
        "examples": ("FRAISES 250G",),
    },
    "poire": {
        "name": "Poires",
        "agb": "13107",
        "group": "fruit",
        "words": r"\bPOIRE",
        "season": "poire",
        "examples": ("POIRES CONFERENCE",),
    },
    "pomme": {
        "name": "Pommes",
        "agb": "13039",
        "group": "fruit",
        "words": r"\bPOMMES?\b|GOLDEN|\bGALA\b|GRANNY|PINK LADY|JAZZ|BRAEBURN",
        "season": "pomme",
        "examples": ("POMME GOLDEN 1KG", "POMMES GALA"),
    },
    "pate_a_tartiner": {
        "name": "Pâte à tartiner",
        "agb": "31032",
        "group": "produit sucré",
        "words": r"PATE A TARTINER|NUTELLA",
        "examples": ("PATE A TARTINER 400G",),
    },
    "pizza": {
        "name": "Pizza",
        "agb": "25478",
        "group": "plat préparé",
        "words": r"PIZZA",
        "unit_kg": 0.4,
        "examples": ("PIZZA JAMBON FROMAGE",),
    },
}
#: What a heavy line can become for the same meal, in order of preference.
SWAPS: dict[str, tuple[str, ...]] = {
    "boeuf_hache": ("lentilles", "poulet_filet"),
    "boeuf": ("poulet", "lentilles"),
    "veau": ("poulet",),
    "crevette": ("sardine",),
    "poisson_blanc": ("sardine",),
    "porc": ("poulet",),
    "fromage_dur": ("fromage_blanc",),
    "fromage_mou": ("fromage_blanc",),
    "beurre": ("fromage_blanc",),
    "avocat": ("courgette",),
    "tomate": ("carotte",),  # out of season: a vegetable of the season
    "fraise": ("pomme",),
    "pate_a_tartiner": ("fromage_blanc",),
}
#: The French average food footprint: 163 Mt CO2e for the food consumed in France (I4CE, « L'empreinte
#: énergétique et carbone de l'alimentation en France », 2019), about 2.4 t CO2e per person and per year —
#: production to the plate, meals out included: my shopping is a part of it.
FRENCH_AVERAGE_T_PER_PERSON = 163e6 / 67e6
MIN_SIMILARITY = 0.5
#: Under three months of receipts, a year extrapolated from them is said to be fragile.
SHORT_PERIOD_DAYS = 90
#: Drinks, coffee, condiments: bought with the food but outside the categories of the extract (listed, not
#: counted).
NOT_COUNTED = (
    r"^JUS\b|\bJUS (D|DE)\b|SODA|\bCOLA\b|SIROP|BIERE|\bVIN\b|\bEAU\b|\bCAFE\b|\bTHE\b|LESSIVE|PAPIER|SAVON"
)


def normalise_label(label: str) -> str:
    """Upper case, no accents, punctuation as spaces (« Lait demi-écr. 1L » → « LAIT DEMI ECR 1L »)."""
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode().upper()
    text = re.sub(r"(?<=\d)[.,](?=\d)", "DECIMAL", text)
    text = re.sub(r"[^A-Z0-9%]+", " ", text).replace("DECIMAL", ".")
    return re.sub(r"\s+", " ", text).strip()


_UNITS = {"KG": 1.0, "G": 0.001, "GR": 0.001, "L": 1.0, "CL": 0.01, "ML": 0.001}
_PACK = re.compile(r"\b(\d+)\s*X\s*(\d+(?:\.\d+)?)\s*(KG|GR|G|CL|ML|L)\b")
_SIZE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(KG|GR|G|CL|ML|L)\b")
_COUNT = re.compile(r"(?:\bX\s*(\d+)\b|\b(\d+)\s*(?:OEUFS|PIECES|PCS|TR|TRANCHES)\b)")


def label_weight(label: str) -> tuple[float | None, int | None]:
    """(weight in kg, pieces) read from a label: « 6X125G » → (0.75, None), « 500G » → (0.5, None),
    « 1L » → (1.0, None) (a litre taken as a kilo), « OEUFS X6 » → (None, 6).
    """
    text = normalise_label(label)
    pack = _PACK.search(text)
    if pack:
        return int(pack.group(1)) * float(pack.group(2)) * _UNITS[pack.group(3)], None
    size = _SIZE.search(text)
    if size:
        return float(size.group(1)) * _UNITS[size.group(2)], None
    count = _COUNT.search(text)
    if count:
        return None, int(count.group(1) or count.group(2))
    return None, None


class _Nearest:
    """The labelled examples of :data:`CATEGORIES` as character n-grams (scikit-learn), for the labels no
    rule reads.
    """

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.keys = [k for k, c in CATEGORIES.items() for _ in c.get("examples", ())]
        texts = [normalise_label(e) for c in CATEGORIES.values() for e in c.get("examples", ())]
        self.vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4))
        self.matrix = self.vectoriser.fit_transform(texts)

    def __call__(self, text: str) -> tuple[str, float]:
        sims = (self.matrix @ self.vectoriser.transform([text]).T).toarray().ravel()
        best = int(np.argmax(sims))
        return self.keys[best], float(sims[best])


_NEAREST: list[_Nearest] = []


def classify(label: str) -> tuple[str | None, float, str]:
    """(category, confidence, how) of a receipt label: a keyword rule (0.9), else the nearest labelled
    example (similarity × 0.8, from :data:`MIN_SIMILARITY`), else ``(None, 0, "aucune")``.
    """
    text = normalise_label(label)
    if re.search(NOT_COUNTED, text):
        return None, 0.0, "hors catégories (boisson, café, non alimentaire)"
    for key, cat in CATEGORIES.items():
        if re.search(cat["words"], text):
            return key, 0.9, "règle"
    if not _NEAREST:
        _NEAREST.append(_Nearest())
    key, sim = _NEAREST[0](text)
    if sim >= MIN_SIMILARITY:
        return key, round(sim * 0.8, 2), "exemple proche"
    return None, 0.0, "aucune"


def _factor(factors: pd.DataFrame, code: str) -> float | None:
    rows = factors.loc[factors["Code AGB"] == code, "Changement climatique (kg CO2 eq/kg de produit)"]
    return float(rows.iloc[0]) if len(rows) else None


def _season_months(seasons: pd.DataFrame | None) -> dict[str, list[int]]:
    if seasons is None or seasons.empty:
        return {}
    return {str(r["slug"]): list(r["months"]) for _, r in seasons.iterrows()}


@dataclass(frozen=True)
class Footprint(Result):
    """Every receipt line with its category, weight and kg CO2e; the totals."""

    lines: pd.DataFrame
    days: int
    occupants: int

    @property
    def matched(self) -> pd.DataFrame:
        """The lines with a footprint."""
        return self.lines[self.lines["kgco2e"].notna()]

    @property
    def unmatched(self) -> pd.DataFrame:
        """The lines the footprint could not count, with why."""
        return self.lines[self.lines["kgco2e"].isna()][["date", "label", "amount_eur", "why"]]

    @property
    def total(self) -> float:
        """The kg CO2e of every matched line."""
        return float(self.matched["kgco2e"].sum())

    @property
    def per_year_per_person(self) -> float | None:
        """The kg CO2e per person and per year (annualised over the days covered)."""
        if self.days <= 0 or self.occupants <= 0:
            return None
        return self.total * 365 / self.days / self.occupants

    def by_category(self) -> pd.Series:
        """The kg CO2e per category (French names), the heaviest first."""
        m = self.matched
        return m.groupby("category_name")["kgco2e"].sum().sort_values(ascending=False)

    def by_month(self) -> pd.Series:
        """The kg CO2e per month (``AAAA-MM``)."""
        m = self.matched
        return m.groupby(m["date"].dt.strftime("%Y-%m"))["kgco2e"].sum()

    def top_products(self, n: int = 5) -> pd.DataFrame:
        """The labels that weigh most over the period."""
        m = self.matched
        top = m.groupby(["label", "category_name"], as_index=False)[["kg", "kgco2e", "amount_eur"]].sum()
        top = top.sort_values("kgco2e", ascending=False).head(n).reset_index(drop=True)
        return top.round({"kg": 1, "kgco2e": 1, "amount_eur": 0}).rename(
            columns={
                "label": "libellé",
                "category_name": "catégorie",
                "kg": "kg achetés",
                "kgco2e": "kg CO2e",
                "amount_eur": "dépense (€)",
            }
        )

    @property
    def shown(self) -> pd.DataFrame:
        """The footprint by category for the page: kg bought, kg CO2e, share, spend."""
        m = self.matched
        table = m.groupby("category_name").agg(
            kg=("kg", "sum"), kgco2e=("kgco2e", "sum"), euros=("amount_eur", "sum")
        )
        table["part"] = 100 * table["kgco2e"] / table["kgco2e"].sum() if len(table) else []
        table = table.sort_values("kgco2e", ascending=False).round(
            {"kg": 1, "kgco2e": 1, "euros": 0, "part": 0}
        )
        return table.rename(
            columns={"kg": "kg achetés", "kgco2e": "kg CO2e", "euros": "dépense (€)", "part": "part (%)"}
        ).rename_axis("catégorie")

    def unmatched_summary(self) -> pd.DataFrame:
        """The lines not counted, grouped by label: how many, how much spent, why."""
        u = self.unmatched
        table = u.groupby(["label", "why"], as_index=False).agg(
            lignes=("label", "size"), euros=("amount_eur", "sum")
        )
        table = table.sort_values("euros", ascending=False).reset_index(drop=True)
        return table.rename(columns={"label": "libellé", "why": "pourquoi", "euros": "dépense (€)"})

    def figures(self) -> dict[str, Figure]:
        """Totals, by month and category, the share of meat and dairy, the matched share of the spend."""
        spend = float(self.lines["amount_eur"].sum())
        matched_spend = float(self.matched["amount_eur"].sum())
        heavy = self.matched[self.matched["group"].isin([MEAT, FISH, DAIRY])]["kgco2e"].sum()
        share = matched_spend / spend if spend > 0 else None
        warn = (
            f"{fr.percent(1 - share)} des dépenses n'ont pas pu être comptées (lignes non reconnues)"
            if share is not None and share < 0.8
            else None
        )
        return {
            "kgco2e_total": figure(self.total, digits=1, warnings=warn),
            "kgco2e_per_person_year": figure(
                self.per_year_per_person,
                digits=0,
                warnings=[
                    warn,
                    f"seulement {fr.plural(self.days, 'jour')} de tickets : l'extrapolation à l'année est fragile"
                    if 0 < self.days < SHORT_PERIOD_DAYS
                    else None,
                ],
            ),
            "kgco2e_per_month": figure({k: round(v, 1) for k, v in self.by_month().items()}),
            "kgco2e_by_category": figure({k: round(v, 1) for k, v in self.by_category().items()}),
            "meat_dairy_share": figure(float(heavy / self.total) if self.total else None, digits=3),
            "matched_share": figure(share, digits=3) if share is not None else missing("aucune dépense lue"),
            "unmatched_lines": figure(len(self.unmatched)),
            "french_average_kgco2e_per_person_year": figure(FRENCH_AVERAGE_T_PER_PERSON * 1000, digits=0),
        }


def _off_index(products: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    if products is None or products.empty:
        return {}
    return {str(r["code"]): dict(r) for _, r in products.iterrows()}


def _weight(row: pd.Series, label_kg: float | None, pieces: int | None, cat: Category) -> float | None:
    quantity = float(row.get("quantity") or 0) or 1.0
    unit = str(row.get("unit") or "").strip().lower()
    if unit in ("kg", "kilo", "kilogramme"):
        return quantity
    if unit in ("g", "gramme"):
        return quantity / 1000
    if label_kg is not None:
        return quantity * label_kg
    if pieces is not None and "unit_kg" in cat:
        return quantity * pieces * cat["unit_kg"]
    if "unit_kg" in cat:
        return quantity * cat["unit_kg"]
    return None


def footprint(
    receipts: pd.DataFrame,
    factors: pd.DataFrame,
    *,
    seasons: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    occupants: int = 1,
) -> Footprint:
    """Each receipt line: its category (barcode → Open Food Facts → Agribalyse, else the label), weight,
    kg CO2e and confidence; ``why`` when it could not be counted.
    """
    off = _off_index(products)
    months = _season_months(seasons)
    rows = []
    for _, line in receipts.iterrows():
        date = pd.Timestamp(line["date"])
        date = date.tz_localize(None) if date.tzinfo else date
        label = str(line["label"])
        product = off.get(str(line.get("ean") or ""))
        label_kg, pieces = label_weight(label)
        key, confidence, how = classify(label)
        code = None
        if product and product.get("agribalyse_code"):
            code, confidence, how = str(product["agribalyse_code"]), 1.0, "code-barres (Open Food Facts)"
            key = next((k for k, c in CATEGORIES.items() if c["agb"] == code), key)
            grams = product.get("product_quantity")
            label_kg = float(grams) / 1000 if grams and not pd.isna(grams) else label_kg
        cat: Category = CATEGORIES.get(key or "", {})
        code = code or cat.get("agb")
        in_season = True
        if cat.get("season") and cat["season"] in months:
            in_season = date.month in months[cat["season"]]
            if not in_season and cat.get("off_season_agb"):
                code = cat["off_season_agb"]
        kg = _weight(line, label_kg, pieces, cat) if code else None
        factor = _factor(factors, code) if code else None
        why = ""
        if code is None:
            why = "libellé non reconnu" if how == "aucune" else how
        elif factor is None:
            why = f"pas de facteur Agribalyse pour le code {code}"
        elif kg is None:
            why = "poids inconnu (ni dans la quantité ni dans le libellé)"
        rows.append(
            {
                "date": date,
                "store": line.get("store", ""),
                "label": label,
                "category": key,
                "category_name": cat.get("name", "—"),
                "group": cat.get("group", ""),
                "agribalyse_code": code or "",
                "how": how,
                "confidence": confidence,
                "in_season": in_season,
                "kg": kg,
                "kgco2e": kg * factor if kg is not None and factor is not None else np.nan,
                "amount_eur": float(line["amount_eur"]),
                "why": why,
            }
        )
    lines = pd.DataFrame(rows)
    days = int((lines["date"].max() - lines["date"].min()).days) + 1 if len(lines) else 0
    return Footprint(lines, days, occupants)


@dataclass(frozen=True)
class SwapPlan(Result):
    """For each heavy category I buy, a same-meal alternative and what it saves in a year."""

    table: pd.DataFrame

    @property
    def shown(self) -> pd.DataFrame:
        """The swaps for the page, the one that saves most first."""
        return self.table.drop(columns=["kgco2e_saved"]).rename(
            columns={
                "kgco2e_saved_per_year": "kg CO2e évités par an",
                "eur_per_year": "écart de prix par an (€)",
            }
        )

    def figures(self) -> dict[str, Figure]:
        """The three swaps that matter most, and what they save together."""
        top = self.table.head(3)
        return {
            "top_swaps": figure(
                [
                    {
                        "remplacer": r["remplacer"],
                        "par": r["par"],
                        "kgco2e_saved_per_year": round(float(r["kgco2e_saved_per_year"]), 1),
                        "eur_per_year": None
                        if pd.isna(r["eur_per_year"])
                        else round(float(r["eur_per_year"])),
                    }
                    for _, r in top.iterrows()
                ]
            ),
            "top_swaps_kgco2e_saved_per_year": figure(float(top["kgco2e_saved_per_year"].sum()), digits=0),
        }


def swaps(print_: Footprint, factors: pd.DataFrame) -> SwapPlan:
    """For each category with a swap (:data:`SWAPS`), the kg CO2e saved per year at my buying frequency if
    the same weight were bought as the alternative (out-of-season tomatoes only), and the cost difference
    when I buy the alternative too (its price per kg in my receipts).
    """
    m = print_.matched
    scale = 365 / print_.days if print_.days else 0
    price = (m.groupby("category")["amount_eur"].sum() / m.groupby("category")["kg"].sum()).to_dict()
    rows = []
    for key, g in m.groupby("category"):
        options = SWAPS.get(str(key))
        if not options:
            continue
        if key == "tomate":
            g = g[~g["in_season"]]
            if g.empty:
                continue
        kg_year = float(g["kg"].sum()) * scale
        co2_year = float(g["kgco2e"].sum()) * scale
        target = options[0]
        f_to = _factor(factors, CATEGORIES[target]["agb"])
        if f_to is None:
            continue
        saved = co2_year - kg_year * f_to
        cost = (
            (price[target] - float(g["amount_eur"].sum()) / float(g["kg"].sum())) * kg_year
            if target in price
            else np.nan
        )
        rows.append(
            {
                "remplacer": CATEGORIES[str(key)]["name"] + (" hors saison" if key == "tomate" else ""),
                "par": CATEGORIES[target]["name"],
                "kg par an": round(kg_year, 1),
                "kgco2e_saved": float(g["kgco2e"].sum()) - float(g["kg"].sum()) * f_to,
                "kgco2e_saved_per_year": saved,
                "eur_per_year": cost,
            }
        )
    table = pd.DataFrame(
        rows,
        columns=["remplacer", "par", "kg par an", "kgco2e_saved", "kgco2e_saved_per_year", "eur_per_year"],
    )
    table = table[table["kgco2e_saved_per_year"] > 0].sort_values("kgco2e_saved_per_year", ascending=False)
    return SwapPlan(table.reset_index(drop=True))


def interpret(print_: Footprint, plan: SwapPlan) -> Reading:
    """The French reading of my footprint and of the swaps that matter most."""
    head = []
    figures = print_.figures()
    share = figures["matched_share"].value
    per = print_.per_year_per_person
    head.append(
        f"Sur {fr.plural(print_.days, 'jour')} de tickets, mes courses alimentaires ont émis environ "
        f"{fr.number(print_.total)} kg CO2e"
        + (f", soit {fr.number(per)} kg par personne et par an" if per is not None else "")
        + "."
    )
    cats = print_.by_category()
    if len(cats):
        heavy = figures["meat_dairy_share"].value or 0
        head.append(
            f"{cats.index[0]} pèse le plus ({fr.percent(float(cats.iloc[0]) / print_.total)}) ; viandes, poissons "
            f"et produits laitiers font {fr.percent(heavy)} du total."
        )
    if len(plan.table):
        parts = [
            f"{r['remplacer'].lower()} → {r['par'].lower()} ({fr.number(r['kgco2e_saved_per_year'])} kg)"
            for _, r in plan.table.head(3).iterrows()
        ]
        head.append("Les trois changements qui comptent le plus, par an : " + " ; ".join(parts) + ".")
    details = [
        f"Pour comparer : l'alimentation d'un Français représente environ {fr.number(FRENCH_AVERAGE_T_PER_PERSON, 1)} t "
        "CO2e par an (I4CE, 2019), repas hors domicile compris : mes tickets n'en montrent qu'une partie."
    ]
    if share is not None:
        details.append(
            f"{fr.percent(share)} de mes dépenses ont été reconnues ; les {fr.plural(len(print_.unmatched), 'ligne')} "
            "non reconnues sont listées avec leur montant."
        )
    return Reading(head, details)


def products_for(receipts: pd.DataFrame, *, live: bool = False, source: str = "auto") -> pd.DataFrame:
    """The Open Food Facts products behind my barcodes: the offline products (``off-products``), and with
    ``live`` each barcode not found there asked to Open Food Facts (only the barcode is sent; cached).
    """
    from selfdata_lib import opendata
    from selfdata_lib.opendata.food import fetch_off_product, off_row

    known = opendata.load("off-products", source=source)
    if not live:
        return known
    eans = sorted({str(e) for e in receipts["ean"] if str(e)} - set(known["code"]))
    fetched = [off_row(p) for p in (fetch_off_product(e) for e in eans) if p]
    out = pd.concat([known, pd.DataFrame(fetched)], ignore_index=True) if fetched else known
    out.attrs = known.attrs
    return out


@dataclass(frozen=True)
class GrocerySpend(Result):
    """What my bank statement says I spend in food shops, per month and per shop — context, never needed."""

    by_month: pd.Series
    by_shop: pd.Series
    receipts_eur: float

    def figures(self) -> dict[str, Figure]:
        """Monthly grocery spend from the bank, and the share of it my receipts cover."""
        if self.by_month.empty:
            why = "pas de relevé bancaire, ou aucune dépense dans une enseigne alimentaire reconnue"
            return {"grocery_eur_per_month": missing(why), "receipts_share_of_grocery_spend": missing(why)}
        total = float(self.by_month.sum())
        return {
            "grocery_eur_per_month": figure(float(self.by_month.mean()), digits=0),
            "receipts_share_of_grocery_spend": figure(
                min(self.receipts_eur / total, 1.0) if total else None, digits=2
            ),
        }

    @property
    def shown(self) -> pd.DataFrame:
        """Spend per shop (the bank's labels, by the rule that recognised a food shop)."""
        return self.by_shop.round(0).rename("dépense (€)").rename_axis("enseigne").to_frame()


def grocery_spend(bank: pd.DataFrame | None, print_: Footprint) -> GrocerySpend:
    """Food-shop spend from my bank statement (the categorisation rules' « supermarket »), per month and per
    shop, and how much of it my receipts cover over the same months.
    """
    empty = pd.Series(dtype=float)
    if bank is None or not len(bank):
        return GrocerySpend(empty, empty, 0.0)
    from selfdata_lib.exports._base import normalise
    from selfdata_lib.exports.bank_rules import DEFAULT_RULES, categorise

    ops = categorise(bank)
    shops = ops[(ops["rule_category"] == "supermarket") & (ops["amount_eur"] < 0)]
    if shops.empty:
        return GrocerySpend(empty, empty, 0.0)
    dates = pd.to_datetime(shops["date"])
    dates = dates.dt.tz_localize(None) if getattr(dates.dt, "tz", None) is not None else dates
    months = dates.dt.strftime("%Y-%m")
    by_month = (-shops["amount_eur"]).groupby(months).sum()
    pattern = re.compile(dict(DEFAULT_RULES)["supermarket"])

    def brand(label: str) -> str:
        found = pattern.search(normalise(str(label)) + " ")
        return found.group(1).strip().title() if found else "autre"

    shop = shops["label"].map(brand)
    by_shop = (-shops["amount_eur"]).groupby(shop).sum().sort_values(ascending=False)
    lines = print_.lines
    in_months = lines[lines["date"].dt.strftime("%Y-%m").isin(by_month.index)]
    return GrocerySpend(by_month, by_shop, float(in_months["amount_eur"].sum()))
