"""The sample of who can help (``lyon-solidarity-contacts``): written by the project from public names."""

from __future__ import annotations

from pathlib import Path

from selfdata_lib.samples.opendata._write import write_sample

#: Lyon's arrondissements (postal code → « Lyon 8e »); each has its Maison de la Métropole pour les solidarités.
LYON = {f"6900{i}": f"Lyon {i}{'er' if i == 1 else 'e'}" for i in range(1, 10)}
OTHERS = {
    "69266": ("69100", "Villeurbanne"),
    "69259": ("69200", "Vénissieux"),
    "69256": ("69120", "Vaulx-en-Velin"),
}
GRANDLYON = "https://www.grandlyon.com"
ROWS_EVERYWHERE = [
    (
        "caf",
        "CAF du Rhône",
        "prestations familiales, logement, RSA, prime d'activité, action sociale",
        "https://www.caf.fr",
        "",
    ),
    ("cpam", "CPAM du Rhône", "complémentaire santé solidaire, remboursements", "https://www.ameli.fr", ""),
    (
        "fsl",
        "Fonds de solidarité logement (Métropole de Lyon)",
        "dette de loyer ou d'énergie, accès au logement",
        GRANDLYON,
        "",
    ),
    (
        "cheque_energie",
        "Chèque énergie (assistance nationale)",
        "recevoir ou utiliser le chèque énergie",
        "https://chequeenergie.gouv.fr",
        "0 805 204 805",
    ),
]


def build_contacts_sample(folder: Path) -> list[Path]:
    """Write the contacts CSV for Lyon's arrondissements and three neighbouring communes."""
    lines = ["commune;code_postal;type;nom;pour;site;telephone"]
    places = [("69123", cp, name) for cp, name in LYON.items()] + [
        (c, cp, n) for c, (cp, n) in OTHERS.items()
    ]
    for commune, postcode, name in places:
        lines.append(
            f"{commune};{postcode};mdms;Maison de la Métropole pour les solidarités — {name};"
            f"travailleur social, FSL, aides d'urgence, accompagnement;{GRANDLYON};"
        )
        ccas = "CCAS de la Ville de Lyon" if commune == "69123" else f"CCAS de {name}"
        site = "https://www.lyon.fr" if commune == "69123" else ""
        lines.append(
            f"{commune};{postcode};ccas;{ccas};secours d'urgence, aide alimentaire, aides facultatives;{site};"
        )
        lines += [
            f"{commune};{postcode};{kind};{nom};{pour};{url};{tel}"
            for kind, nom, pour, url, tel in ROWS_EVERYWHERE
        ]
    readme = (
        "# Où demander de l'aide (échantillon du projet)\n\n"
        "Written by `selfdata_lib/samples/opendata/social.py`: for each arrondissement of Lyon and for "
        "Villeurbanne, Vénissieux and Vaulx-en-Velin, the Maison de la Métropole pour les solidarités, the CCAS, "
        "the CAF and CPAM du Rhône, the Fonds de solidarité logement and the national chèque énergie line. "
        "Names only, with the official sites: addresses and opening hours are to be read there (the real "
        "facility list is on data.grandlyon.com).\n"
    )
    return write_sample(
        folder,
        {"contacts_solidarite.csv": "\n".join(lines) + "\n"},
        readme=readme,
        note="Project sample: names of the public contacts, no addresses.",
    )
