"""Leisure samples: the tariff grids transcribed by the project from public sources (each row with its
source, date and whether its amount was verified), the quotient familial rules, and a few real public
places of Lyon at approximate positions.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from selfdata_lib.opendata.leisure import GRID_COLUMNS, PLACE_COLUMNS, PLACES_FILE, RULES_FILE, TARIFF_FILE
from selfdata_lib.samples.opendata._write import write_sample

WRITTEN = "2026-11-30"

# --- The sources (as found in stored copies of public pages; the date is the source's own) -------------
COLLEGE = {
    "reference": "Métropole de Lyon, délibération n° 2023-1733 du 26 juin 2023 (restauration scolaire des collèges)",
    "source_url": "https://www.grandlyon.com/actualite/college-malgre-linflation-le-repas-reste-a-1-e-pour-les-plus-modestes",
    "date": "2023-06-07",
}
COLLEGE_PRESS = "https://www.lyoncapitale.fr/actualite/cantines-des-colleges-face-a-l-inflation-le-grand-lyon-adapte-ses-tarifs"
SCHOOL = {
    "reference": "Ville de Lyon, restauration scolaire (repas et encadrement de la pause méridienne)",
    "source_url": "https://www.radioscoop.com/infos/lyon-malgre-l-inflation-la-cantine-ne-coutera-pas-plus-cher-aux-familles_253389",
    "date": "2022-08-25",
}
POOL = {
    "reference": "Ville de Lyon, piscines municipales (entrée à l'unité)",
    "source_url": "https://www.lyoncapitale.fr/actualite/une-nouvelle-piscine-publique-ouvrira-a-lyon-en-2026",
    "date": "2023-01",
}
POOL_2021 = {
    "reference": "Ville de Lyon, piscine du parc de la Tête d'Or, été 2021",
    "source_url": "https://www.lyonmag.com/article/116122/la-piscine-ephemere-du-parc-de-la-tete-d-or-revient-a-lyon-cet-ete",
    "date": "2021-06",
}
LIBRARY = {
    "reference": "Bibliothèque municipale de Lyon, inscriptions et tarifs (cartes Culture junior et Biblyo)",
    "source_url": "https://www.bm-lyon.fr/informations-pratiques/article/inscriptions-et-tarifs",
    "date": "",
}
LIBRARY_2015 = {
    "reference": "Bibliothèque municipale de Lyon, nouvelle tarification de la rentrée 2015 (éditorial de TOPO)",
    "source_url": "https://www.bm-lyon.fr/15-bibliotheques-et-un-bibliobus/a-propos-de-la-bibliotheque-municipale-de-lyon/actualite/article/rentree-en-resistance",
    "date": "2015-10",
}
CONSERVATORY = {
    "reference": "Conservatoire à rayonnement régional de Lyon, droits d'inscription (grille d'exemple du projet)",
    "source_url": "https://www.conservatoire-lyon.fr",
    "date": "",
}
LEISURE_CENTRE = {
    "reference": "Accueils de loisirs des centres sociaux et MJC (grille d'exemple du projet, au taux d'effort)",
    "source_url": "https://www.lyon.fr",
    "date": "",
}
WEDNESDAY = {
    "reference": "Ville de Lyon, ateliers du mercredi matin (délibération du conseil municipal du 28 mai 2018)",
    "source_url": "https://www.rue89lyon.fr/2018/05/29/tarifs-du-periscolaire-bien-critiques-mais-adoptes",
    "date": "2018-05-29",
}
TO_CHECK = "montant plausible écrit par le projet, introuvable hors ligne : à vérifier"
SCHOOL_LOWEST = "0,80 € : tarif le plus bas, payé par la moitié des familles (sourcé) ; borne à vérifier"
POOL_UNDER_6 = (
    "gratuit pour les moins de 6 ans à la piscine du parc de la Tête d'Or (2021) : à vérifier ailleurs"
)
POOL_6_17 = "2,60 € est le tarif des ayants droit en 2021 : à vérifier qu'il vaut pour les 6–17 ans"
POOL_ADULT = "le même prix dans toutes les piscines municipales (sauf l'été au centre nautique Tony-Bertrand)"
LIBRARY_ADULT = (
    "prix de 2015 : à vérifier ; gratuit ou moins cher pour les demandeurs d'emploi, les bénéficiaires du RSA "
    "et les personnes non imposables"
)


def _tranches(
    activity: str,
    label: str,
    organiser: str,
    territory: str,
    quotient: str,
    ages: tuple[int, int],
    unit: str,
    kind: str,
    source: dict[str, str],
    rows: list[tuple[float, float | None, float, bool, str]],
) -> list[dict[str, Any]]:
    """Rows of a step grid: ``(qf_min, qf_max, amount, verified, note)`` for each tranche."""
    return [
        {
            "activity": activity,
            "label": label,
            "organiser": organiser,
            "territory": territory,
            "quotient": quotient,
            "model": "tranches",
            "age_min": ages[0],
            "age_max": ages[1],
            "qf_min": qf_min,
            "qf_max": qf_max,
            "amount": amount,
            "unit": unit,
            "kind": kind,
            **source,
            "verified": verified,
            "note": note,
        }
        for qf_min, qf_max, amount, verified, note in rows
    ]


def _flat(
    activity: str, label: str, unit: str, kind: str, rows: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """Rows of a tariff that depends on age only: ``(age_min, age_max, amount, verified, source, note)``."""
    return [
        {
            "activity": activity,
            "label": label,
            "organiser": "Ville de Lyon",
            "territory": "tous",
            "quotient": "",
            "model": "tranches",
            "age_min": age_min,
            "age_max": age_max,
            "qf_min": 0,
            "qf_max": None,
            "amount": amount,
            "unit": unit,
            "kind": kind,
            **source,
            "verified": verified,
            "note": note,
        }
        for age_min, age_max, amount, verified, source, note in rows
    ]


def tariff_rows() -> list[dict[str, Any]]:
    """Every row of ``grilles_tarifaires.csv``, in the order written."""
    college = _tranches(
        "cantine-college",
        "Cantine du collège",
        "Métropole de Lyon",
        "metropole-de-lyon",
        "caf",
        (10, 16),
        "repas",
        "school",
        COLLEGE,
        [
            (0, 400, 1.00, True, f"tranches 1 à 3 : 1 à 3 € le repas ({COLLEGE_PRESS})"),
            (401, 800, 2.00, True, f"tranches 1 à 3 : 1 à 3 € le repas ({COLLEGE_PRESS})"),
            (801, 1200, 3.00, True, f"tranches 1 à 3 : 1 à 3 € le repas ({COLLEGE_PRESS})"),
            (1201, 1600, 3.90, False, f"{TO_CHECK} (tranches 4 à 7 de la délibération n° 2023-1733)"),
            (1601, 2000, 4.50, False, f"{TO_CHECK} (tranches 4 à 7 de la délibération n° 2023-1733)"),
            (2001, 2300, 5.00, False, f"{TO_CHECK} (tranches 4 à 7 de la délibération n° 2023-1733)"),
            (2301, 2600, 5.50, False, f"{TO_CHECK} (tranches 4 à 7 de la délibération n° 2023-1733)"),
            (2601, None, 6.00, True, f"6 € au-dessus d'un QF de 2 600 € ({COLLEGE_PRESS})"),
        ],
    )
    school_note = f"{TO_CHECK} ; seul le tarif le plus bas, 0,80 €, est sourcé (sa borne ne l'est pas)"
    school = _tranches(
        "cantine-ecole",
        "Cantine de l'école (maternelle, élémentaire)",
        "Ville de Lyon",
        "ville-de-lyon",
        "caf",
        (3, 11),
        "repas",
        "school",
        SCHOOL,
        [
            (0, 500, 0.80, False, SCHOOL_LOWEST),
            (501, 700, 1.60, False, school_note),
            (701, 900, 2.40, False, school_note),
            (901, 1200, 3.20, False, school_note),
            (1201, 1600, 4.20, False, school_note),
            (1601, 2000, 5.20, False, school_note),
            (2001, None, 6.20, False, school_note),
        ],
    )
    pool = _flat(
        "piscine",
        "Piscine municipale (entrée)",
        "entrée",
        "pool",
        [
            (0, 5, 0.00, False, POOL_2021, POOL_UNDER_6),
            (6, 17, 2.60, False, POOL_2021, POOL_6_17),
            (18, 120, 3.40, True, POOL, POOL_ADULT),
        ],
    )
    library = _flat(
        "bibliotheque",
        "Bibliothèque municipale (carte d'un an)",
        "an",
        "library",
        [
            (0, 17, 0.00, True, LIBRARY, "gratuit jusqu'à 18 ans (cartes Culture junior et Biblyo)"),
            (18, 25, 10.00, False, LIBRARY_2015, LIBRARY_ADULT),
            (26, 120, 18.00, False, LIBRARY_2015, LIBRARY_ADULT),
        ],
    )
    conservatory = _tranches(
        "conservatoire",
        "Conservatoire (une année)",
        "Ville de Lyon",
        "ville-de-lyon",
        "caf",
        (5, 25),
        "an",
        "conservatory",
        CONSERVATORY,
        [
            (0, 400, 50.0, False, TO_CHECK),
            (401, 800, 110.0, False, TO_CHECK),
            (801, 1200, 190.0, False, TO_CHECK),
            (1201, 1600, 290.0, False, TO_CHECK),
            (1601, 2000, 390.0, False, TO_CHECK),
            (2001, None, 500.0, False, TO_CHECK),
        ],
    )
    effort = [
        {
            "activity": "centre-loisirs",
            "label": "Centre de loisirs des vacances (journée)",
            "organiser": "centres sociaux et MJC de Lyon",
            "territory": "ville-de-lyon",
            "quotient": "caf",
            "model": "taux_effort",
            "age_min": 3,
            "age_max": 14,
            "qf_min": 0,
            "rate": 0.008,
            "floor": 3.00,
            "ceiling": 16.00,
            "unit": "jour",
            "kind": "leisure_centre",
            **LEISURE_CENTRE,
            "verified": False,
            "note": "chaque centre fixe son taux, son plancher et son plafond : grille d'exemple, à vérifier auprès du centre",
        },
        {
            "activity": "mercredi-matin",
            "label": "Ateliers du mercredi matin (école)",
            "organiser": "Ville de Lyon",
            "territory": "ville-de-lyon",
            "quotient": "lyon-municipal",
            "model": "taux_effort",
            "age_min": 3,
            "age_max": 11,
            "qf_min": 0,
            "rate": 0.0045,
            "floor": 1.05,
            "ceiling": 5.88,
            "unit": "matinée",
            "kind": "school",
            **WEDNESDAY,
            "verified": False,
            "note": "plancher (1,05 €) et plafond (5,88 €) sourcés en 2018 ; le taux est à vérifier",
        },
    ]
    return [*college, *school, *pool, *library, *conservatory, *effort]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def tariff_csv(rows: list[dict[str, Any]]) -> str:
    """The grid as CSV text (``,``, UTF-8, empty cells for what a model does not use)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GRID_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in GRID_COLUMNS])
    return out.getvalue()


#: Communes of the Métropole de Lyon (INSEE codes, code officiel géographique; Lyon as 69123 and its
#: arrondissements 69381–69389; 69152 Pierre-Bénite kept beside 69149 Oullins-Pierre-Bénite, merged in 2024).
_METROPOLE_CODES = (
    "69003 69029 69033 69034 69040 69044 69046 69063 69068 69069 69071 69072 69081 69085 69087 69088 "
    "69089 69091 69096 69100 69116 69117 69123 69127 69142 69143 69149 69152 69153 69163 69168 69191 "
    "69194 69199 69202 69204 69205 69207 69233 69244 69250 69256 69259 69260 69266 69271 69273 69275 "
    "69276 69278 69279 69282 69283 69284 69286 69290 69292 69293 69296"
)
METROPOLE_COMMUNES = _METROPOLE_CODES.split()
LYON_COMMUNES = ["69123", *(f"6938{i}" for i in range(1, 10))]

QUOTIENT_RULES: dict[str, Any] = {
    "caf": {
        "title": "quotient familial de la CAF",
        "formula": "(revenus imposables annuels / 12 + prestations du mois) / nombre de parts",
        "resources": "revenus imposables du foyer (la CAF retient ceux de l'année N-2), divisés par 12",
        "parts": {
            "couple": 2,
            "single_parent": 2,
            "single": 1,
            "children": [0.5, 0.5, 1],
            "further_children": 0.5,
        },
        "benefits": {
            "af": {"title": "allocations familiales", "counted": True, "verified": True},
            "cf": {"title": "complément familial", "counted": True, "verified": True},
            "asf": {"title": "allocation de soutien familial", "counted": True, "verified": True},
            "paje_base": {"title": "allocation de base de la PAJE", "counted": True, "verified": True},
            "aeeh": {
                "title": "allocation d'éducation de l'enfant handicapé",
                "counted": True,
                "verified": True,
            },
            "aide_logement": {
                "title": "aide au logement (APL, ALF, ALS)",
                "counted": True,
                "verified": False,
                "note": "comptée par les définitions du QF consultées, omise par d'autres : à vérifier",
            },
            "rsa": {
                "title": "revenu de solidarité active",
                "counted": True,
                "verified": False,
                "note": "comptée par les définitions du QF consultées, omise par d'autres : à vérifier",
            },
            "aah": {"title": "allocation aux adultes handicapés", "counted": True, "verified": False},
            "ppa": {
                "title": "prime d'activité",
                "counted": False,
                "verified": False,
                "note": "absente des listes consultées : non comptée, à vérifier",
            },
            "ars": {
                "title": "allocation de rentrée scolaire",
                "counted": False,
                "verified": True,
                "note": "versée une fois par an : jamais comptée",
            },
        },
        "sources": [
            {
                "url": "https://meurthe-et-moselle.fr/actions/coll%C3%A8ges/restauration-scolaire/estimer-son-quotient-familial",
                "says": "ressources annuelles imposables / 12 + prestations mensuelles (AF, aides au logement, "
                "RSA, PAJE de base, CF, ASF, AEEH, AAH…), divisées par le nombre de parts",
            },
            {
                "url": "http://www.coevrons.fr/simulateur-de-quotient-familial",
                "says": "2,5 parts pour un ménage ou un parent seul avec un enfant, 3 avec deux, 4 avec trois, "
                "0,5 de plus par enfant suivant ; prestations régulières sauf prime de naissance et ARS",
            },
        ],
        "date": "",
        "verified": True,
        "note": "votre QF officiel est sur l'attestation de quotient familial de votre espace CAF ; une personne "
        "seule sans enfant compte 1 part (à vérifier)",
    },
    "lyon-municipal": {
        "title": "quotient familial municipal de la Ville de Lyon",
        "formula": "revenu fiscal de référence / 12 / nombre de parts fiscales",
        "resources": "revenu fiscal de référence de l'avis d'impôt, divisé par 12",
        "parts": {
            "couple": 2,
            "single_parent": 1.5,
            "single": 1,
            "children": [0.5, 0.5, 1],
            "further_children": 1,
        },
        "benefits": {},
        "sources": [
            {
                "url": "https://www.rue89lyon.fr/2018/05/29/tarifs-du-periscolaire-bien-critiques-mais-adoptes",
                "says": "les tarifs du périscolaire sont calculés à partir du quotient familial municipal : "
                "revenu fiscal du foyer divisé par le nombre de parts fiscales",
            }
        ],
        "date": "2018-05-29",
        "verified": False,
        "note": "décrit en 2018 pour le périscolaire ; pour ses autres tarifs, la Ville retiendrait le QF de la "
        "CAF : règle à vérifier pour chaque grille",
    },
}
TERRITORIES: dict[str, Any] = {
    "ville-de-lyon": {"title": "la Ville de Lyon", "communes": LYON_COMMUNES},
    "metropole-de-lyon": {
        "title": "la Métropole de Lyon",
        "communes": [*METROPOLE_COMMUNES, *LYON_COMMUNES[1:]],
        "source": "INSEE, code officiel géographique (58 communes et Lyon)",
    },
    "tous": {"title": "tout le monde, sans condition de domicile", "communes": []},
}

_RULES_HEADER = """\
# Rules behind the tariff grids of lyon-leisure-tariffs (written by `selfdata samples build`,
# selfdata_lib/samples/opendata/leisure.py): the quotient familial each organiser uses, and the communes
# each grid is for. Benefits are named by their OpenFisca-France variables.
"""

# Real public places of Lyon, positions approximate (from their public street addresses, ± 200 m).
PLACES_CSV = """\
name,kind,lat,lon,commune,address
Piscine d'été Jean-Mermoz,pool,45.7368,4.8872,Lyon 8e,"12 place André-Latarjet, 69008 Lyon"
Centre nautique Tony-Bertrand,pool,45.7497,4.8396,Lyon 7e,"8 quai Claude-Bernard, 69007 Lyon"
Piscine Garibaldi,pool,45.7553,4.8528,Lyon 3e,"221 rue Garibaldi, 69003 Lyon"
Bibliothèque du 8e (Bachut),library,45.7356,4.8690,Lyon 8e,"2 place du 11-Novembre-1918, 69008 Lyon"
Bibliothèque du 7e (Jean-Macé),library,45.7462,4.8416,Lyon 7e,"2 rue Domer, 69007 Lyon"
Bibliothèque de la Part-Dieu,library,45.7607,4.8582,Lyon 3e,"30 boulevard Marius-Vivier-Merle, 69003 Lyon"
Conservatoire de Lyon,conservatory,45.7621,4.8222,Lyon 5e,"4 montée Cardinal-Decourtray, 69005 Lyon"
Palais des sports de Gerland,sports_hall,45.7296,4.8340,Lyon 7e,"350 avenue Jean-Jaurès, 69007 Lyon"
MJC Monplaisir,leisure_centre,45.7455,4.8705,Lyon 8e,"25 avenue des Frères-Lumière, 69008 Lyon"
"""

_README_TARIFFS = """# lyon-leisure-tariffs — project transcription (sourced rows, unverified rows flagged)

Written by `selfdata samples build` (`selfdata_lib/samples/opendata/leisure.py`) on {written}. No open
dataset publishes these grids: each organiser votes them in a deliberation. The project transcribed what
it could find in stored copies of public pages, one row per tranche.

**`verified` says whether the amount was found in the source named on its row.** A row with
`verified = false` carries a plausible amount written by the project so that the computation runs end to
end; the notebook shows it « à vérifier » next to the figure and never as a sound amount. For such a row,
`source_url` is where to check it.

What is sourced (date of the source):

- Collège canteens, Métropole de Lyon (délibération n° 2023-1733 du 26 juin 2023, grandlyon.com
  2023-06-07; Lyon Capitale, June 2023): eight QF tranches from 1 € to 6 € a meal; QF ≤ 400 → 1 €,
  401–800 → 2 €, 801–1 200 → 3 €, above 2 600 → 6 €. **Tranches 4 to 7 (1 201–2 600) are not known
  offline: unverified.** Collèges bill a quarterly flat rate from an estimate of the meals taken; bought
  one at a time, a meal costs 6 € (collège Jean-Jacques-Rousseau, laclasse.com).
- School canteens, Ville de Lyon: the lowest price, 0,80 € for the meal and the supervision of the lunch
  break, paid by half the families (Radio Scoop, 2022-08-25). The tranches and the other amounts are not
  known offline: every row unverified.
- Municipal pools, Ville de Lyon: 3,40 € an entry for adults, the same in every municipal pool (Lyon
  Capitale, 2023-01). 2,60 € for those entitled to a lower price and free under 6 at the Tête d'Or pool
  (LyonMag, 2021-06): who is entitled is not known offline, so the 0–5 and 6–17 rows are unverified.
- Bibliothèque municipale de Lyon: free up to 18 (bm-lyon.fr). The adult prices (10 € for the 18–25,
  18 € above) date from 2015: unverified.
- Conservatory and holiday leisure centres (linear « taux d'effort »): example grids, unverified.
- Wednesday-morning workshops, Ville de Lyon (Rue89Lyon, 2018-05-29): between 1,05 € and 5,88 € a
  morning, computed on the city's own quotient familial; the rate between them is unverified.

`regles_tarifaires.yaml` holds the quotient familial rules (CAF; Ville de Lyon's municipal quotient) with
their sources, which benefits count (those the project could not confirm are marked), and the INSEE codes
of the communes each grid is for: a household outside them is told the grid does not apply.

Columns of `{grid}`: {columns}.
"""

_README_PLACES = """# lyon-leisure-places — project sample (real public places, approximate positions)

Written by `selfdata samples build` (`selfdata_lib/samples/opendata/leisure.py`) on {written}. A few
real public places of Lyon — municipal pools, libraries, the conservatory, a sports hall, a leisure
centre — at positions the project wrote from their public street addresses (± 200 m). It is not the
list of every place: it lets the notebook find what is near a home and draw the map.

Real data: the Métropole de Lyon's points of interest on data.grandlyon.com (layers
`adr_voie_lieu.adrequippiscinepct` for pools and `adr_voie_lieu.adrequipsportpct` for sports equipment,
Licence Ouverte / Etalab 2.0): `selfdata data fetch lyon-leisure-places` downloads both into the user
cache as one `{places}`.

Columns: {columns} (`kind` one of pool, library, sports_hall, leisure_centre, conservatory, school).
"""


def build_leisure_tariffs_sample(folder: Path) -> list[Path]:
    """Write ``grilles_tarifaires.csv``, ``regles_tarifaires.yaml`` and the README into ``folder``."""
    rules = {"quotients": QUOTIENT_RULES, "territories": TERRITORIES}
    rules_text = _RULES_HEADER + yaml.safe_dump(rules, allow_unicode=True, sort_keys=False, width=110)
    return write_sample(
        folder,
        {TARIFF_FILE: tariff_csv(tariff_rows()), RULES_FILE: rules_text},
        readme=_README_TARIFFS.format(written=WRITTEN, grid=TARIFF_FILE, columns=", ".join(GRID_COLUMNS)),
        note="tariff grids transcribed by the project from public sources; unverified rows flagged",
        retrieved=WRITTEN,
    )


def build_leisure_places_sample(folder: Path) -> list[Path]:
    """Write ``equipements_loisirs.csv`` (a few real public places) and the README into ``folder``."""
    return write_sample(
        folder,
        {PLACES_FILE: PLACES_CSV},
        readme=_README_PLACES.format(written=WRITTEN, places=PLACES_FILE, columns=", ".join(PLACE_COLUMNS)),
        note="real public places, positions approximate",
        retrieved=WRITTEN,
    )


#: Metro stations of lines A, B and D and tram stops of T2 around the 8th arrondissement (name, line,
#: lat, lon), placed by the project from the network map to about 200 m: enough for a time « en TCL »
#: at the scale of a district, not for an itinerary. The real layer is on data.grandlyon.com.
TCL_STATIONS = [
    ("Perrache", "métro A", 45.7486, 4.8266),
    ("Ampère-Victor Hugo", "métro A", 45.7530, 4.8295),
    ("Bellecour", "métro A, D", 45.7576, 4.8328),
    ("Cordeliers", "métro A", 45.7635, 4.8357),
    ("Hôtel de Ville-Louis Pradel", "métro A, C", 45.7673, 4.8363),
    ("Foch", "métro A", 45.7685, 4.8445),
    ("Masséna", "métro A", 45.7700, 4.8530),
    ("Charpennes", "métro A, B", 45.7708, 4.8632),
    ("Part-Dieu", "métro B", 45.7612, 4.8575),
    ("Place Guichard", "métro B", 45.7590, 4.8470),
    ("Saxe-Gambetta", "métro B, D", 45.7540, 4.8470),
    ("Jean Macé", "métro B", 45.7455, 4.8420),
    ("Place Jean Jaurès", "métro B", 45.7380, 4.8380),
    ("Debourg", "métro B", 45.7310, 4.8330),
    ("Guillotière", "métro D", 45.7555, 4.8425),
    ("Garibaldi", "métro D", 45.7510, 4.8545),
    ("Sans-Souci", "métro D", 45.7485, 4.8640),
    ("Monplaisir-Lumière", "métro D", 45.7455, 4.8710),
    ("Grange Blanche", "métro D", 45.7430, 4.8795),
    ("Laënnec", "métro D", 45.7385, 4.8870),
    ("Mermoz-Pinel", "métro D", 45.7310, 4.8875),
    ("Parilly", "métro D", 45.7195, 4.8880),
    ("Jet d'Eau-Mendès France", "tram T2", 45.7405, 4.8560),
    ("Bachut-Mairie du 8e", "tram T2", 45.7350, 4.8680),
    ("Jean XXIII-Maryse Bastié", "tram T2", 45.7325, 4.8730),
]


def build_tcl_stations_sample(folder: Path) -> list[Path]:
    """A few metro and tram stations of Lyon (positions to about 200 m)."""
    lines = ["name;mode;stop_lat;stop_lon"] + [f"{n};{m};{lat};{lon}" for n, m, lat, lon in TCL_STATIONS]
    readme = (
        "# lyon-tcl-stations — project sample\n\n"
        "Metro stations of lines A, B and D and tram stops of T2 around the 8th arrondissement, placed by the "
        "project from the network map to about 200 m (`selfdata_lib/samples/opendata/leisure.py`). Enough for a "
        "time « en TCL » at the scale of a district, not for an itinerary. The full layer is SYTRAL Mobilités' "
        "`tcl_sytral.tclstation` on data.grandlyon.com (put its GeoJSON in a snapshot folder `tcl_network`).\n"
    )
    return write_sample(
        folder,
        {"tcl_stations_sample.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: stations placed from the network map, about 200 m.",
    )
