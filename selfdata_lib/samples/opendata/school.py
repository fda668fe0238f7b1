"""School open-data samples, written by the project in the portal's CSV layouts (data.education.gouv.fr,
``;``-separated, the API's field names):

- ``education-directory``, ``education-ips``, ``education-dnb``: **fictional** schools — names ending in
  « (fictif) », UAI codes starting with ``000`` (no département has that number, so none is a real school)
  — in real communes of the académies of Rennes, Nantes and Lyon. Every figure (IPS, its académie and
  national references, brevet results) is **illustrative**: written to look like the real tables, never
  an official figure;
- ``school-calendar``: the school holidays of zone B (académies of Rennes and Nantes) for 2023-2024 and
  2024-2025 as the project recalls the published calendar — days pupils leave and come back, to check
  against the real dataset (``selfdata data fetch school-calendar``) before relying on them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfdata_lib.samples.opendata._write import write_sample

#: Zone B holidays: (school year, description, population, day pupils leave, day they come back).
ZONE_B_HOLIDAYS: list[tuple[str, str, str, str, str]] = [
    ("2023-2024", "Vacances de la Toussaint", "-", "2023-10-21", "2023-11-06"),
    ("2023-2024", "Vacances de Noël", "-", "2023-12-23", "2024-01-08"),
    ("2023-2024", "Vacances d'Hiver", "-", "2024-02-24", "2024-03-11"),
    ("2023-2024", "Vacances de Printemps", "-", "2024-04-20", "2024-05-06"),
    ("2023-2024", "Pont de l'Ascension", "-", "2024-05-09", "2024-05-13"),
    ("2023-2024", "Vacances d'Été", "Élèves", "2024-07-06", "2024-09-02"),
    ("2023-2024", "Vacances d'Été", "Enseignants", "2024-07-06", "2024-08-30"),
    ("2024-2025", "Vacances de la Toussaint", "-", "2024-10-19", "2024-11-04"),
    ("2024-2025", "Vacances de Noël", "-", "2024-12-21", "2025-01-06"),
    ("2024-2025", "Vacances d'Hiver", "-", "2025-02-08", "2025-02-24"),
    ("2024-2025", "Vacances de Printemps", "-", "2025-04-05", "2025-04-22"),
    ("2024-2025", "Pont de l'Ascension", "-", "2025-05-29", "2025-06-02"),
    ("2024-2025", "Vacances d'Été", "Élèves", "2025-07-05", "2025-09-01"),
    ("2024-2025", "Vacances d'Été", "Enseignants", "2025-07-05", "2025-08-29"),
]
ZONE_B_LOCATIONS = ("Rennes", "Nantes")

#: Fictional schools: (UAI, name, type, public/private, postal code, commune, INSEE code, département code,
#: académie, région, lat, lon) — real communes, made-up schools.
SCHOOLS: list[tuple[str, str, str, str, str, str, str, str, str, str, float, float]] = [
    (
        "0003501A",
        "Collège des Remparts (fictif)",
        "Collège",
        "Public",
        "56000",
        "Vannes",
        "56260",
        "056",
        "Rennes",
        "Bretagne",
        47.6586,
        -2.7599,
    ),
    (
        "0003502B",
        "Collège du Mail (fictif)",
        "Collège",
        "Public",
        "35000",
        "Rennes",
        "35238",
        "035",
        "Rennes",
        "Bretagne",
        48.1114,
        -1.6803,
    ),
    (
        "0003503C",
        "Collège des Lices (fictif)",
        "Collège",
        "Privé",
        "35000",
        "Rennes",
        "35238",
        "035",
        "Rennes",
        "Bretagne",
        48.1123,
        -1.6836,
    ),
    (
        "0003504D",
        "Collège de l'Odet (fictif)",
        "Collège",
        "Public",
        "29000",
        "Quimper",
        "29232",
        "029",
        "Rennes",
        "Bretagne",
        47.9960,
        -4.1020,
    ),
    (
        "0003505E",
        "Collège du Légué (fictif)",
        "Collège",
        "Public",
        "22000",
        "Saint-Brieuc",
        "22278",
        "022",
        "Rennes",
        "Bretagne",
        48.5136,
        -2.7650,
    ),
    (
        "0003506F",
        "Lycée de la Vilaine (fictif)",
        "Lycée",
        "Public",
        "35000",
        "Rennes",
        "35238",
        "035",
        "Rennes",
        "Bretagne",
        48.1050,
        -1.6750,
    ),
    (
        "0004401G",
        "Collège de l'Erdre (fictif)",
        "Collège",
        "Public",
        "44000",
        "Nantes",
        "44109",
        "044",
        "Nantes",
        "Pays de la Loire",
        47.2184,
        -1.5536,
    ),
    (
        "0006901H",
        "Collège de la Saône (fictif)",
        "Collège",
        "Public",
        "69001",
        "Lyon",
        "69381",
        "069",
        "Lyon",
        "Auvergne-Rhône-Alpes",
        45.7676,
        4.8344,
    ),
]
#: Illustrative IPS of the fictional collèges: {UAI: (2023-2024, 2024-2025)}.
IPS_COLLEGES = {
    "0003501A": (97.8, 98.6),
    "0003502B": (112.4, 113.1),
    "0003503C": (124.9, 125.6),
    "0003504D": (104.2, 103.7),
    "0003505E": (92.3, 93.0),
    "0004401G": (108.0, 107.2),
    "0006901H": (118.5, 119.2),
}
#: Illustrative reference values, as the DEPP publishes them beside each school: {académie: value}.
IPS_ACADEMIE = {"RENNES": 107.5, "NANTES": 106.0, "LYON": 105.5}
IPS_NATIONAL = 104.0
#: Illustrative brevet results: {UAI: ((session, present, passed), …)}.
DNB = {
    "0003501A": ((2023, 118, 101), (2024, 121, 106)),
    "0003502B": ((2023, 143, 134), (2024, 139, 131)),
    "0003503C": ((2023, 96, 94), (2024, 98, 95)),
    "0003504D": ((2023, 131, 117), (2024, 127, 115)),
    "0003505E": ((2023, 104, 86), (2024, 109, 92)),
    "0004401G": ((2023, 150, 133), (2024, 147, 131)),
    "0006901H": ((2023, 122, 113), (2024, 125, 117)),
}
ILLUSTRATIVE = (
    "**Every school here is fictional** — names ending in « (fictif) », UAI codes starting with `000`, which "
    "no département has — and **every figure is illustrative**, written by the project to show the layout, "
    "never an official figure. "
)


def _department(code: str) -> str:
    return {
        "056": "MORBIHAN",
        "035": "ILLE-ET-VILAINE",
        "029": "FINISTERE",
        "022": "COTES-D'ARMOR",
        "044": "LOIRE-ATLANTIQUE",
        "069": "RHONE",
    }[code]


def build_directory_sample(folder: Path) -> list[Path]:
    """The fictional schools in the « Annuaire de l'éducation » layout."""
    header = (
        "identifiant_de_l_etablissement;nom_etablissement;type_etablissement;statut_public_prive;adresse_1;"
        "code_postal;nom_commune;code_commune;code_departement;libelle_academie;libelle_region;latitude;longitude"
    )
    lines = [header] + [
        f"{uai};{name};{kind};{sector};adresse fictive;{cp};{commune};{insee};{dep};{acad};{region};{lat};{lon}"
        for uai, name, kind, sector, cp, commune, insee, dep, acad, region, lat, lon in SCHOOLS
    ]
    readme = (
        "# Annuaire de l'éducation — échantillon fictif du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/school.py` in the layout of the CSV export of "
        "`fr-en-annuaire-education` (data.education.gouv.fr, field names of the API). "
        + ILLUSTRATIVE
        + "The communes, their INSEE codes and académies are real. `selfdata data fetch education-directory` "
        "downloads the real directory.\n"
    )
    return write_sample(
        folder,
        {"fr-en-annuaire-education_echantillon.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: fictional schools.",
    )


def build_ips_sample(folder: Path) -> list[Path]:
    """Illustrative IPS of the fictional collèges and lycée, in the ``ap2023`` layouts."""
    by_uai = {s[0]: s for s in SCHOOLS}
    colleges = [
        "rentree_scolaire;academie;code_du_departement;departement;uai;nom_de_l_etablissement;"
        "code_insee_de_la_commune;nom_de_la_commune;secteur;ips;ecart_type_de_l_ips;ips_national;"
        "ips_academique;ips_departemental"
    ]
    for uai, values in IPS_COLLEGES.items():
        _, name, _, sector, _, commune, insee, dep, acad, _, _, _ = by_uai[uai]
        for year, ips in zip(("2023-2024", "2024-2025"), values, strict=True):
            academie = acad.upper()
            secteur = "public" if sector == "Public" else "privé sous contrat"
            colleges.append(
                f"{year};{academie};{dep};{_department(dep)};{uai};{name.upper()};{insee};{commune.upper()};"
                f"{secteur};{ips:.1f};{28.0 + (ips % 7):.1f};{IPS_NATIONAL:.1f};{IPS_ACADEMIE[academie]:.1f};"
                f"{IPS_ACADEMIE[academie] - 1.5:.1f}"
            )
    lycees = [
        "rentree_scolaire;academie;code_du_departement;departement;uai;nom_de_l_etablissement;"
        "code_insee_de_la_commune;nom_de_la_commune;secteur;type_de_lycee;ips_voie_gt;ips_voie_pro;ips_etab;"
        "ecart_type_de_l_ips_voie_gt;ips_national;ips_academique;ips_departemental"
    ]
    for year, ips in (("2023-2024", 115.2), ("2024-2025", 115.9)):
        lycees.append(
            f"{year};RENNES;035;ILLE-ET-VILAINE;0003506F;LYCEE DE LA VILAINE (FICTIF);35238;RENNES;public;LEGT;"
            f"{ips + 3:.1f};;{ips:.1f};31.2;{IPS_NATIONAL:.1f};{IPS_ACADEMIE['RENNES']:.1f};106.0"
        )
    readme = (
        "# Indices de position sociale — échantillon fictif du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/school.py` in the layouts of `fr-en-ips-colleges-ap2023` and "
        "`fr-en-ips-lycees-ap2023` (DEPP, data.education.gouv.fr). "
        + ILLUSTRATIVE
        + "The IPS describes the social background of a school's pupils as a whole (the higher, the more "
        "favoured): it says nothing of one pupil, nor of the quality of teaching. `selfdata data fetch "
        "education-ips` downloads the real tables.\n"
    )
    return write_sample(
        folder,
        {
            "fr-en-ips-colleges-ap2023_echantillon.csv": "\n".join(colleges) + "\n",
            "fr-en-ips-lycees-ap2023_echantillon.csv": "\n".join(lycees) + "\n",
        },
        readme=readme,
        note="Project sample: fictional schools, illustrative IPS.",
    )


def build_dnb_sample(folder: Path) -> list[Path]:
    """Illustrative brevet results of the fictional collèges."""
    by_uai = {s[0]: s for s in SCHOOLS}
    lines = [
        "session;numero_d_etablissement;patronyme;secteur_d_enseignement;code_departement;libelle_region;"
        "inscrits;presents;admis;taux_de_reussite"
    ]
    for uai, results in DNB.items():
        _, name, _, sector, _, _, _, dep, _, region, _, _ = by_uai[uai]
        for session, present, passed in results:
            rate = f"{100 * passed / present:.2f}".replace(".", ",") + "%"
            lines.append(
                f"{session};{uai};{name.upper()};{sector.upper()};{dep};{region.upper()};{present + 1};{present};"
                f"{passed};{rate}"
            )
    readme = (
        "# Diplôme national du brevet par établissement — échantillon fictif du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/school.py` in the layout of `fr-en-dnb-par-etablissement` "
        "(DEPP, data.education.gouv.fr). "
        + ILLUSTRATIVE
        + "Académie and national rates computed from this sample are those of its few fictional collèges. "
        "`selfdata data fetch education-dnb` downloads the real results.\n"
    )
    return write_sample(
        folder,
        {"fr-en-dnb-par-etablissement_echantillon.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: fictional schools, illustrative brevet results.",
    )


def _paris_midnight_utc(day: str) -> str:
    """Midnight of ``day`` in Paris written in UTC, as the portal writes ``start_date``."""
    stamp = pd.Timestamp(day).tz_localize("Europe/Paris").tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def build_calendar_sample(folder: Path) -> list[Path]:
    """Zone B holidays of 2023-2024 and 2024-2025 (académies of Rennes and Nantes)."""
    lines = ["description;population;start_date;end_date;location;zones;annee_scolaire"]
    for location in ZONE_B_LOCATIONS:
        for year, description, population, leave, back in ZONE_B_HOLIDAYS:
            lines.append(
                f"{description};{population};{_paris_midnight_utc(leave)};{_paris_midnight_utc(back)};"
                f"{location};Zone B;{year}"
            )
    readme = (
        "# Calendrier scolaire — zone B, extrait du projet\n\n"
        "Written by `selfdata_lib/samples/opendata/school.py` in the layout of the CSV export of "
        "`fr-en-calendrier-scolaire` (data.education.gouv.fr): one row per holiday and académie, "
        "`start_date` the day pupils leave (after the last lesson) and `end_date` the day they come back, "
        "both at midnight in Paris written in UTC. Only zone B (académies of Rennes and Nantes), school "
        "years 2023-2024 and 2024-2025, **as the project recalls the published calendar: to check** against "
        "the real dataset, which `selfdata data fetch school-calendar` downloads for every zone and year.\n"
    )
    return write_sample(
        folder,
        {"fr-en-calendrier-scolaire_zone-b_echantillon.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: zone B holidays 2023-2025, to check against the official calendar.",
    )
