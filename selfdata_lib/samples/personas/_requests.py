"""The personas' requests logs (``demandes_rgpd.csv``, format ``requests-log-csv``): the access and
portability requests each one sent, and what came back — the files received are the persona's own exports.

The answers are **made up** for the demonstration: they say nothing of how the real services answer. Each
builder calls :func:`write_requests_log` last, so the persona's other files stay as they were; it appends
one line to the persona's README.
"""

from __future__ import annotations

from pathlib import Path

LOG_FILE = "demandes_rgpd.csv"
HEADER = "detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier"

#: Each persona's requests: (holder, right, received by the holder, channel, answered, received, file).
LOGS: dict[str, list[tuple[str, str, str, str, str, str, str]]] = {
    "camille": [
        (
            "Enedis",
            "portabilite",
            "2026-01-05",
            "espace client",
            "2026-01-05",
            "csv",
            "enedis_courbe_de_charge.csv",
        ),
        (
            "Google",
            "portabilite",
            "2026-01-06",
            "Google Takeout",
            "2026-01-07",
            "json",
            "Semantic Location History/2025/2025_MARCH.json",
        ),
        (
            "Eau du Grand Lyon",
            "acces",
            "2026-01-08",
            "formulaire en ligne",
            "2026-01-29",
            "json",
            "eau_du_grand_lyon_2025.json",
        ),
        ("TCL", "acces", "2026-01-12", "courriel au délégué", "2026-03-02", "pdf", ""),
        ("Vélo'v", "portabilite", "2026-02-02", "formulaire en ligne", "", "", ""),
    ],
    "morel": [
        (
            "Enedis",
            "acces",
            "2026-01-10",
            "espace client",
            "2026-01-10",
            "csv",
            "Enedis_mes_donnees_2024.csv",
        ),
        (
            "GRDF",
            "acces",
            "2026-01-10",
            "espace client",
            "2026-01-10",
            "json",
            "gazpar_donnees_informatives.json",
        ),
        (
            "E.Leclerc",
            "portabilite",
            "2026-01-15",
            "courriel au délégué",
            "2026-02-20",
            "csv",
            "courses/leclerc_detail_ticket.csv",
        ),
        (
            "Lidl",
            "portabilite",
            "2026-01-15",
            "application Lidl Plus",
            "2026-01-15",
            "json",
            "courses/lidl_plus_tickets.json",
        ),
        ("Naolib", "acces", "2026-02-03", "courriel au délégué", "2026-02-24", "papier partiel", ""),
        (
            "Ville de Nantes — restauration scolaire et périscolaire",
            "acces",
            "2026-03-09",
            "courrier",
            "",
            "",
            "",
        ),
    ],
    "yanis": [
        (
            "Google",
            "portabilite",
            "2025-04-02",
            "application Google Maps",
            "2025-04-02",
            "json",
            "Timeline.json",
        ),
        (
            "Crédit Agricole",
            "portabilite",
            "2025-04-03",
            "banque en ligne",
            "2025-04-03",
            "csv",
            "releve_compte_credit_agricole.csv",
        ),
        ("Yélo", "acces", "2025-04-07", "Maison de la mobilité", "2025-05-05", "pdf", ""),
        (
            "Strava",
            "portabilite",
            "2025-04-08",
            "export en ligne",
            "2025-04-08",
            "gpx",
            "sortie_velo_2025-03-15.gpx",
        ),
        (
            "Agglomération de La Rochelle — déchets",
            "acces",
            "2025-05-12",
            "courriel",
            "2025-09-01",
            "rien",
            "",
        ),
    ],
    "nadia": [
        (
            "La Banque Postale",
            "portabilite",
            "2025-07-01",
            "banque en ligne",
            "2025-07-01",
            "csv",
            "releve_la_banque_postale.csv",
        ),
        ("Enedis", "acces", "2025-07-01", "espace client", "2025-07-01", "json", "enedis_adresse.json"),
        ("CAF", "acces", "2025-07-02", "espace Mon Compte", "2025-07-02", "pdf", ""),
        (
            "Impôts (DGFiP, impots.gouv.fr)",
            "acces",
            "2025-07-02",
            "espace particulier",
            "2025-07-02",
            "pdf",
            "",
        ),
        (
            "Métropole de Lyon — Maisons de la Métropole pour les solidarités",
            "acces",
            "2025-07-15",
            "courrier",
            "2025-10-20",
            "papier",
            "",
        ),
    ],
}
README_LINE = (
    "- `demandes_rgpd.csv`: the requests log (access and portability requests, and what came back; the files "
    "received are the exports above). Made-up answers, for the demonstration: they describe no real service.\n"
)


def write_requests_log(folder: Path, persona: str) -> list[Path]:
    """Write ``demandes_rgpd.csv`` into the persona's ``folder`` and append its line to the README there."""
    lines = [HEADER, *(";".join(row) for row in LOGS[persona])]
    path = folder / LOG_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    readme = folder / "README.md"
    if readme.is_file():
        with readme.open("a", encoding="utf-8") as fh:
            fh.write(README_LINE)
    return [path]
