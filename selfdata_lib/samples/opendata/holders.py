"""The holders catalogue (``data-holders``): written by the project from public facts, one row per holder.

Every row names its ``source``. A site or a contact the project could not check offline is written
« à vérifier » — never guessed: a letter addressed to a wrong service is a month lost. National holders
(``France``) belong to every territory's list.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from selfdata_lib.opendata.holders import COLUMNS, TO_CHECK
from selfdata_lib.samples.opendata._write import write_sample

# Legal bases (GDPR art. 6.1) and what they mean for portability (art. 20.1 and 20.3).
PUBLIC_TASK = "mission de service public (RGPD art. 6.1.e)"
LEGAL_DUTY = "obligation légale (RGPD art. 6.1.c)"
CONTRACT = "contrat (RGPD art. 6.1.b)"
CONSENT = "consentement (RGPD art. 6.1.a)"
GDPR = "RGPD art. 15, 20 et 12.3"
SERVICE_PUBLIC = "https://www.service-public.fr"
ASK_DPO = "demande écrite au délégué à la protection des données (courriel, formulaire ou courrier)"
ASK_CITY = (
    "demande écrite au délégué à la protection des données de la collectivité ; "
    "un acte ou un dossier se demande aussi au guichet"
)

#: National holders: every territory's list includes them.
NATIONAL: list[dict[str, str]] = [
    {
        "holder": "Enedis",
        "domain": "électricité",
        "holder_type": "opérateur",
        "data_held": "consommation quotidienne du compteur Linky, courbe de charge (si j'y ai consenti), "
        "puissance maximale, adresse et caractéristiques du point de livraison",
        "kinds": "electricity, address",
        "legal_basis": f"{LEGAL_DUTY} pour les index quotidiens (Code de l'énergie) ; {CONSENT} pour la "
        "courbe de charge horaire ou à la demi-heure",
        "portability": "en partie",
        "how_to_ask": "téléchargement dans l'espace client Enedis (« Mes données ») ; le reste par "
        + ASK_DPO,
        "site": "https://www.enedis.fr",
        "export_format": "CSV de la courbe de charge et des index ; JSON Data Connect pour un tiers autorisé",
        "format_ids": "enedis-csv-load-curve, enedis-csv-index, enedis-csv-measures, "
        "enedis-dataconnect-load-curve, enedis-dataconnect-daily, enedis-address-json",
        "use_cases": "nantes-home-energy, nantes-solar-sharing, lyon-social-rights",
        "source": "https://inc-conso.fr/content/compteur-linky-et-donnees-personnelles-du-nouveau-depuis-le-1er-juillet-2018 "
        "(données quotidiennes par défaut, données horaires avec consentement exprès, décrets du 10 mai 2017) ; "
        "formats lus par le projet (selfdata_lib/exports/enedis)",
    },
    {
        "holder": "GRDF",
        "domain": "gaz",
        "holder_type": "opérateur",
        "data_held": "relevés du compteur Gazpar (mensuels, quotidiens), adresse du point de comptage",
        "kinds": "gas",
        "legal_basis": f"{LEGAL_DUTY} (comptage, Code de l'énergie) ; données quotidiennes : {TO_CHECK}",
        "portability": TO_CHECK,
        "how_to_ask": "téléchargement dans l'espace client GRDF ; le reste par " + ASK_DPO,
        "site": "https://www.grdf.fr",
        "export_format": "tableur XLSX ou JSON de l'espace client ; NDJSON ADICT pour un tiers autorisé",
        "format_ids": "grdf-xlsx, grdf-json, grdf-adict-ndjson",
        "use_cases": "nantes-home-energy",
        "source": "formats lus par le projet (selfdata_lib/exports/grdf.py) ; https://www.grdf.fr",
    },
    {
        "holder": "Suez (Tout sur mon eau)",
        "domain": "eau",
        "holder_type": "opérateur",
        "data_held": "relevés du compteur d'eau (télérelève quotidienne là où elle existe), contrat, factures, "
        "là où Suez exploite le service d'eau",
        "kinds": "water",
        "legal_basis": f"contrat d'abonnement ({TO_CHECK})",
        "portability": TO_CHECK,
        "how_to_ask": "compte en ligne « Tout sur mon eau » ; le reste par " + ASK_DPO,
        "site": "https://www.toutsurmoneau.fr",
        "export_format": "JSON de télérelève (consommations quotidiennes)",
        "format_ids": "suez-telemetry-json",
        "use_cases": "lyon-water-district",
        "source": "https://toutsurmoneau.fr/fiche/149818/l-eau-est-essentielle (compte en ligne, télérelève) ; "
        "format lu par le projet (selfdata_lib/exports/water.py)",
    },
    {
        "holder": "Google",
        "domain": "localisation",
        "holder_type": "entreprise",
        "data_held": "historique des positions et des trajets (Timeline), si je l'ai activé ; recherches, "
        "activité des services",
        "kinds": "visits, trips, location_points",
        "legal_basis": f"{CONSENT} (historique des positions activé par l'utilisateur)",
        "portability": "oui",
        "how_to_ask": "Google Takeout en ligne ; la Timeline récente s'exporte depuis l'application "
        "Google Maps du téléphone",
        "site": "https://takeout.google.com",
        "export_format": "JSON (Records.json, Semantic Location History, Timeline.json du téléphone)",
        "format_ids": "google-records, google-semantic, google-timeline-device, google-timeline-ios",
        "use_cases": "lyon-velov-route, lyon-water-district, larochelle-mobility-footprint, "
        "larochelle-mobility-contribution",
        "source": "https://takeout.google.com ; formats lus par le projet (selfdata_lib/exports/google)",
    },
    {
        "holder": "Strava",
        "domain": "sport",
        "holder_type": "entreprise",
        "data_held": "activités enregistrées (traces GPS, durées, distances), profil",
        "kinds": "location_points, trips",
        "legal_basis": CONTRACT,
        "portability": "oui",
        "how_to_ask": "export de chaque activité en GPX, ou de tout le compte depuis les paramètres",
        "site": "https://www.strava.com",
        "export_format": "GPX (et les fichiers d'origine des activités)",
        "format_ids": "gpx, tcx",
        "use_cases": "larochelle-mobility-footprint",
        "source": "formats lus par le projet (selfdata_lib/exports/gpx.py) ; https://www.strava.com",
    },
    {
        "holder": "La Banque Postale",
        "domain": "banque",
        "holder_type": "entreprise",
        "data_held": "opérations et relevés de mes comptes, moyens de paiement, crédits",
        "kinds": "bank",
        "legal_basis": f"{CONTRACT} ; {LEGAL_DUTY} (lutte contre le blanchiment)",
        "portability": "oui",
        "how_to_ask": "téléchargement des opérations dans la banque en ligne ; le reste par " + ASK_DPO,
        "site": "https://www.labanquepostale.fr",
        "export_format": "CSV des opérations (mise en page La Banque Postale), OFX",
        "format_ids": "bank-csv, ofx",
        "use_cases": "larochelle-mobility-footprint, lyon-social-rights",
        "source": "mise en page lue par le projet (selfdata_lib/exports/bank.py, « la-banque-postale »)",
    },
    {
        "holder": "Crédit Agricole",
        "domain": "banque",
        "holder_type": "entreprise",
        "data_held": "opérations et relevés de mes comptes (caisse régionale), moyens de paiement, crédits",
        "kinds": "bank",
        "legal_basis": f"{CONTRACT} ; {LEGAL_DUTY} (lutte contre le blanchiment)",
        "portability": "oui",
        "how_to_ask": "téléchargement des opérations dans la banque en ligne ; le reste par "
        + ASK_DPO
        + " de ma caisse régionale",
        "site": "https://www.credit-agricole.fr",
        "export_format": "CSV des opérations (mise en page Crédit Agricole), OFX",
        "format_ids": "bank-csv, ofx",
        "use_cases": "larochelle-mobility-footprint, lyon-social-rights",
        "source": "mise en page lue par le projet (selfdata_lib/exports/bank.py, « credit-agricole »)",
    },
    {
        "holder": "BoursoBank",
        "domain": "banque",
        "holder_type": "entreprise",
        "data_held": "opérations et relevés de mes comptes, moyens de paiement",
        "kinds": "bank",
        "legal_basis": f"{CONTRACT} ; {LEGAL_DUTY} (lutte contre le blanchiment)",
        "portability": "oui",
        "how_to_ask": "téléchargement des opérations dans l'espace client ; le reste par " + ASK_DPO,
        "site": "https://www.boursobank.com",
        "export_format": "CSV des opérations (mise en page BoursoBank)",
        "format_ids": "bank-csv",
        "use_cases": "larochelle-mobility-footprint, lyon-social-rights",
        "source": "mise en page lue par le projet (selfdata_lib/exports/bank.py, « boursobank »)",
    },
    {
        "holder": "Crédit Mutuel",
        "domain": "banque",
        "holder_type": "entreprise",
        "data_held": "opérations et relevés de mes comptes, moyens de paiement, crédits",
        "kinds": "bank",
        "legal_basis": f"{CONTRACT} ; {LEGAL_DUTY} (lutte contre le blanchiment)",
        "portability": "oui",
        "how_to_ask": "téléchargement des opérations dans la banque en ligne ; le reste par " + ASK_DPO,
        "site": "https://www.creditmutuel.fr",
        "export_format": "CSV des opérations (mise en page Crédit Mutuel et CIC)",
        "format_ids": "bank-csv",
        "use_cases": "larochelle-mobility-footprint, lyon-social-rights",
        "source": "mise en page lue par le projet (selfdata_lib/exports/bank.py, « credit-mutuel-cic »)",
    },
    {
        "holder": "E.Leclerc",
        "domain": "commerce",
        "holder_type": "entreprise",
        "data_held": "achats enregistrés avec la carte de fidélité (tickets, produits), compte client",
        "kinds": "receipts",
        "legal_basis": f"{CONTRACT} (carte de fidélité)",
        "portability": "oui",
        "how_to_ask": ASK_DPO + " ; la réponse est un export des tickets",
        "site": "https://www.e.leclerc",
        "export_format": "CSV des tickets et de leurs lignes (liste_ticket.csv et détail)",
        "format_ids": "loyalty-gdpr-csv",
        "use_cases": "nantes-food-footprint",
        "source": "exports RGPD documentés par les scripts d'import d'Open Food Facts (Open Prices, scripts/gdpr), "
        "lus par le projet (selfdata_lib/exports/receipts.py)",
    },
    {
        "holder": "Carrefour",
        "domain": "commerce",
        "holder_type": "entreprise",
        "data_held": "achats enregistrés avec la carte de fidélité ou le compte client, tickets",
        "kinds": "receipts",
        "legal_basis": f"{CONTRACT} (carte de fidélité)",
        "portability": "oui",
        "how_to_ask": "tickets dans le compte client ; l'historique complet par " + ASK_DPO,
        "site": "https://www.carrefour.fr",
        "export_format": "feuille « Tickets » (enregistrée en CSV) ; JSON d'un ticket du compte",
        "format_ids": "loyalty-gdpr-csv, carrefour-receipt-json",
        "use_cases": "nantes-food-footprint",
        "source": "exports RGPD documentés par les scripts d'import d'Open Food Facts (Open Prices, scripts/gdpr), "
        "lus par le projet (selfdata_lib/exports/receipts.py)",
    },
    {
        "holder": "Auchan",
        "domain": "commerce",
        "holder_type": "entreprise",
        "data_held": "achats enregistrés avec la carte de fidélité",
        "kinds": "receipts",
        "legal_basis": f"{CONTRACT} (carte de fidélité)",
        "portability": "oui",
        "how_to_ask": ASK_DPO,
        "site": "https://www.auchan.fr",
        "export_format": "CSV des achats (jour, produit, quantité, prix unitaire)",
        "format_ids": "loyalty-gdpr-csv",
        "use_cases": "nantes-food-footprint",
        "source": "exports RGPD documentés par les scripts d'import d'Open Food Facts (Open Prices, scripts/gdpr), "
        "lus par le projet (selfdata_lib/exports/receipts.py)",
    },
    {
        "holder": "Intermarché",
        "domain": "commerce",
        "holder_type": "entreprise",
        "data_held": "achats enregistrés avec la carte de fidélité",
        "kinds": "receipts",
        "legal_basis": f"{CONTRACT} (carte de fidélité)",
        "portability": "oui",
        "how_to_ask": ASK_DPO,
        "site": "https://www.intermarche.com",
        "export_format": "CSV des achats (ticket, produit, quantité, montant)",
        "format_ids": "loyalty-gdpr-csv",
        "use_cases": "nantes-food-footprint",
        "source": "exports RGPD documentés par les scripts d'import d'Open Food Facts (Open Prices, scripts/gdpr), "
        "lus par le projet (selfdata_lib/exports/receipts.py)",
    },
    {
        "holder": "Lidl",
        "domain": "commerce",
        "holder_type": "entreprise",
        "data_held": "tickets de l'application Lidl Plus, coupons, compte",
        "kinds": "receipts",
        "legal_basis": f"{CONTRACT} (application Lidl Plus)",
        "portability": "oui",
        "how_to_ask": "tickets dans l'application Lidl Plus ; le reste par " + ASK_DPO,
        "site": "https://www.lidl.fr",
        "export_format": "JSON des tickets de l'application",
        "format_ids": "lidl-plus-json",
        "use_cases": "nantes-food-footprint",
        "source": "format lu par le projet (selfdata_lib/exports/receipts.py)",
    },
    {
        "holder": "Caisse d'allocations familiales (CAF)",
        "domain": "prestations",
        "holder_type": "service national",
        "data_held": "prestations versées, quotient familial, composition du foyer et ressources déclarées",
        "kinds": "household",
        "legal_basis": f"{LEGAL_DUTY} et {PUBLIC_TASK}",
        "portability": "non",
        "how_to_ask": "attestations dans l'espace « Mon Compte » ; le dossier complet par " + ASK_DPO,
        "site": "https://www.caf.fr",
        "export_format": "attestations PDF (paiements, quotient familial) ; le foyer se recopie dans foyer.yaml",
        "format_ids": "",
        "use_cases": "lyon-social-rights, lyon-leisure-tariffs",
        "source": "https://www.caf.fr ; " + SERVICE_PUBLIC + " (attestation de paiement, quotient familial)",
    },
    {
        "holder": "Impôts (DGFiP, impots.gouv.fr)",
        "domain": "impôts",
        "holder_type": "service national",
        "data_held": "déclarations de revenus, avis d'impôt (revenu fiscal de référence, revenu imposable), "
        "paiements",
        "kinds": "household",
        "legal_basis": LEGAL_DUTY,
        "portability": "non",
        "how_to_ask": "avis et déclarations dans l'espace particulier ; le reste par " + ASK_DPO,
        "site": "https://www.impots.gouv.fr",
        "export_format": "avis d'impôt et déclarations en PDF",
        "format_ids": "",
        "use_cases": "lyon-social-rights, lyon-leisure-tariffs",
        "source": "https://www.impots.gouv.fr (espace particulier)",
    },
    {
        "holder": "Assurance maladie (ameli)",
        "domain": "santé",
        "holder_type": "service national",
        "data_held": "remboursements, droits (complémentaire santé solidaire), médecin traitant",
        "kinds": "",
        "legal_basis": f"{LEGAL_DUTY} et {PUBLIC_TASK}",
        "portability": "non",
        "how_to_ask": "relevés et attestations dans le compte ameli ; le reste par " + ASK_DPO,
        "site": "https://www.ameli.fr",
        "export_format": "relevés et attestations PDF",
        "format_ids": "",
        "use_cases": "lyon-social-rights",
        "source": "https://www.ameli.fr (compte ameli)",
    },
    {
        "holder": "France Travail",
        "domain": "emploi",
        "holder_type": "service national",
        "data_held": "inscription, allocations chômage versées, suivi",
        "kinds": "",
        "legal_basis": f"{LEGAL_DUTY} et {PUBLIC_TASK}",
        "portability": "non",
        "how_to_ask": "attestations dans l'espace personnel ; le reste par " + ASK_DPO,
        "site": "https://www.francetravail.fr",
        "export_format": TO_CHECK,
        "format_ids": "",
        "use_cases": "lyon-social-rights",
        "source": "https://www.francetravail.fr",
    },
]


def _city(
    territory: str, holder: str, site: str, registers: dict[str, str], source: str
) -> list[dict[str, str]]:
    """The registers a city keeps (civil status, canteen, social services): one row each."""
    return [
        {
            "territory": territory,
            "holder": f"{holder} — état civil",
            "domain": "état civil",
            "holder_type": "collectivité",
            "data_held": "actes de naissance, de mariage, de décès, livret de famille",
            "kinds": "",
            "legal_basis": f"{LEGAL_DUTY} (Code civil, actes de l'état civil)",
            "portability": "non",
            "how_to_ask": "demande d'acte en ligne ou au guichet de la mairie ; l'accès RGPD au délégué à la "
            "protection des données de la ville",
            "site": site,
            "export_format": "copie ou extrait d'acte (papier)",
            "source": f"{SERVICE_PUBLIC} (demande d'acte d'état civil) ; {site}",
        },
        {
            "territory": territory,
            "holder": f"{holder} — restauration scolaire et périscolaire",
            "domain": "restauration scolaire",
            "holder_type": "collectivité",
            "data_held": "inscriptions, quotient familial retenu, présences, factures, régimes alimentaires "
            "déclarés",
            "kinds": "",
            "legal_basis": PUBLIC_TASK,
            "portability": "non",
            "how_to_ask": registers.get("canteen", ASK_CITY),
            "site": site,
            "export_format": TO_CHECK,
            "source": source,
        },
        {
            "territory": territory,
            "holder": registers["social"],
            "domain": "action sociale",
            "holder_type": "collectivité",
            "data_held": "demandes d'aides facultatives, domiciliation, accompagnement social",
            "kinds": "",
            "legal_basis": f"{PUBLIC_TASK} ; {LEGAL_DUTY}",
            "portability": "non",
            "how_to_ask": ASK_CITY,
            "site": site,
            "export_format": TO_CHECK,
            "source": f"{SERVICE_PUBLIC} (centre communal d'action sociale) ; {site}",
        },
    ]


def _row(territory: str, **fields: str) -> dict[str, str]:
    return {"territory": territory, **fields}


LYON = "https://www.lyon.fr"
GRANDLYON = "https://www.grandlyon.com"
NANTES = "https://metropole.nantes.fr"
LAROCHELLE = "https://www.larochelle.fr"
AGGLO_LR = "https://www.agglo-larochelle.fr"
RENNES = "https://metropole.rennes.fr"


def _lyon() -> list[dict[str, str]]:
    rows = _city("Lyon", "Ville de Lyon", LYON, {"social": "CCAS de la Ville de Lyon"}, LYON)
    rows += [
        _row(
            "Lyon",
            holder="Métropole de Lyon — Maisons de la Métropole pour les solidarités",
            domain="action sociale",
            holder_type="collectivité",
            data_held="dossiers d'aide sociale (RSA, fonds de solidarité logement, aide à l'enfance), "
            "accompagnement par un travailleur social",
            legal_basis=f"{LEGAL_DUTY} et {PUBLIC_TASK}",
            portability="non",
            how_to_ask=ASK_CITY,
            site=GRANDLYON,
            export_format=TO_CHECK,
            use_cases="lyon-social-rights",
            source=f"{GRANDLYON} ; échantillon lyon-solidarity-contacts du projet",
        ),
        _row(
            "Lyon",
            holder="Bibliothèque municipale de Lyon",
            domain="bibliothèque",
            holder_type="collectivité",
            data_held="inscription, prêts en cours, réservations ; historique des prêts : " + TO_CHECK,
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask="compte lecteur en ligne ; le reste par " + ASK_DPO,
            site="https://www.bm-lyon.fr",
            export_format=TO_CHECK,
            source="https://www.bm-lyon.fr",
        ),
        _row(
            "Lyon",
            holder="Lyon Parc Auto (LPA)",
            domain="stationnement",
            holder_type="opérateur",
            data_held="abonnements et réservations de parkings, passages, factures, plaque d'immatriculation",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask="espace client ; le reste par " + ASK_DPO,
            site="https://www.lpa.fr",
            export_format=TO_CHECK,
            source="https://www.lpa.fr",
        ),
        _row(
            "Lyon",
            holder="Métropole de Lyon — propreté et déchets",
            domain="déchets",
            holder_type="collectivité",
            data_held="demandes de bacs, de composteurs et d'enlèvement d'encombrants, signalements",
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask=ASK_CITY,
            site=GRANDLYON,
            export_format=TO_CHECK,
            source=GRANDLYON,
        ),
        _row(
            "Lyon",
            holder="Eau du Grand Lyon",
            domain="eau",
            holder_type="opérateur",
            data_held="relevés du compteur d'eau (télérelève quotidienne), contrat d'abonnement, factures",
            kinds="water",
            legal_basis=f"contrat d'abonnement au service public de l'eau ({TO_CHECK})",
            portability=TO_CHECK,
            how_to_ask="consommation quotidienne téléchargeable dans l'agence en ligne ; le reste par "
            + ASK_DPO,
            site="https://www.eaudugrandlyon.com",
            export_format="JSON des consommations quotidiennes de l'espace client",
            format_ids="eau-grand-lyon-json",
            use_cases="lyon-water-district",
            source="https://www.eaudugrandlyon.com/actualites/la-gestion-publique-de-leau-un-engagement-pris-pour-lavenir "
            "(régie publique depuis 2023) ; format lu par le projet (selfdata_lib/exports/water.py)",
        ),
        _row(
            "Lyon",
            holder="TCL (SYTRAL Mobilités, exploitant Keolis Lyon)",
            domain="transport",
            holder_type="opérateur",
            data_held="carte Técély : abonnements, achats de titres, validations ; compte client, "
            "réclamations",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO,
            site="https://www.tcl.fr",
            export_format=TO_CHECK,
            source="https://en.wikipedia.org/wiki/TCL_(public_transport) (SYTRAL Mobilités, exploitant, carte Técély)",
        ),
        _row(
            "Lyon",
            holder="Vélo'v (Métropole de Lyon)",
            domain="transport",
            holder_type="opérateur",
            data_held="abonnement, locations (stations et heures de départ et d'arrivée), paiements",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask="historique des locations dans le compte ; le reste par " + ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source=f"{GRANDLYON} ; open data Vélo'v lue par le projet (selfdata_lib/opendata/velov.py)",
        ),
    ]
    return rows


def _nantes() -> list[dict[str, str]]:
    rows = _city("Nantes", "Ville de Nantes", NANTES, {"social": "CCAS de Nantes"}, NANTES)
    rows += [
        _row(
            "Nantes",
            holder="Bibliothèque municipale de Nantes",
            domain="bibliothèque",
            holder_type="collectivité",
            data_held="inscription, prêts en cours, réservations ; historique des prêts : " + TO_CHECK,
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask="compte lecteur en ligne ; le reste par " + ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source=NANTES,
        ),
        _row(
            "Nantes",
            holder="Stationnement de Nantes Métropole (NGE, EFFIA)",
            domain="stationnement",
            holder_type="opérateur",
            data_held="abonnements de parkings, passages, factures, plaque d'immatriculation",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO + " de l'exploitant du parking",
            site=TO_CHECK,
            export_format=TO_CHECK,
            source="https://semitan.fr/fr/transport-et-vous/multimodalite-la-semitan-en-ordre-de-marche "
            "(NGE et EFFIA pour le stationnement)",
        ),
        _row(
            "Nantes",
            holder="Nantes Métropole — déchets",
            domain="déchets",
            holder_type="collectivité",
            data_held="demandes de bacs et de composteurs, accès aux déchèteries, signalements",
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask=ASK_CITY,
            site=NANTES,
            export_format=TO_CHECK,
            source=NANTES,
        ),
        _row(
            "Nantes",
            holder="Nantes Métropole — eau",
            domain="eau",
            holder_type="opérateur",
            data_held="relevés du compteur d'eau, contrat d'abonnement, factures",
            kinds="water",
            legal_basis=f"contrat d'abonnement au service public de l'eau ({TO_CHECK})",
            portability=TO_CHECK,
            how_to_ask="espace abonné ; le reste par " + ASK_DPO,
            site=NANTES,
            export_format=TO_CHECK,
            source=NANTES,
        ),
        _row(
            "Nantes",
            holder="Naolib (Semitan pour Nantes Métropole)",
            domain="transport",
            holder_type="opérateur",
            data_held="carte et compte Naolib : abonnements, achats de titres, validations ; vélos Bicloo",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source="https://semitan.fr/fr/transport-et-vous/multimodalite-la-semitan-en-ordre-de-marche "
            "(Naolib, marque unique de mobilité mise en œuvre par la Semitan)",
        ),
    ]
    return rows


def _larochelle() -> list[dict[str, str]]:
    rows = _city(
        "La Rochelle", "Ville de La Rochelle", LAROCHELLE, {"social": "CCAS de La Rochelle"}, LAROCHELLE
    )
    rows += [
        _row(
            "La Rochelle",
            holder="Médiathèques de l'agglomération de La Rochelle",
            domain="bibliothèque",
            holder_type="collectivité",
            data_held="inscription, prêts en cours, réservations ; historique des prêts : " + TO_CHECK,
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask="compte lecteur en ligne ; le reste par " + ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source=AGGLO_LR,
        ),
        _row(
            "La Rochelle",
            holder="Parkings de La Rochelle (exploitant à vérifier)",
            domain="stationnement",
            holder_type="opérateur",
            data_held="abonnements de parkings et parcs-relais, passages, factures",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO + " de l'exploitant du parking",
            site=TO_CHECK,
            export_format=TO_CHECK,
            source="https://fr.wikipedia.org/wiki/Transports_en_commun_de_La_Rochelle (parc-relais exploité "
            "par un opérateur privé)",
        ),
        _row(
            "La Rochelle",
            holder="Agglomération de La Rochelle — déchets",
            domain="déchets",
            holder_type="collectivité",
            data_held="demandes de bacs, accès aux déchèteries, signalements",
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask=ASK_CITY,
            site=AGGLO_LR,
            export_format=TO_CHECK,
            source=AGGLO_LR,
        ),
        _row(
            "La Rochelle",
            holder="Agglomération de La Rochelle — eau (exploitant à vérifier)",
            domain="eau",
            holder_type="opérateur",
            data_held="relevés du compteur d'eau, contrat d'abonnement, factures",
            kinds="water",
            legal_basis=f"contrat d'abonnement au service public de l'eau ({TO_CHECK})",
            portability=TO_CHECK,
            how_to_ask="espace abonné ; le reste par " + ASK_DPO,
            site=AGGLO_LR,
            export_format=TO_CHECK,
            source=AGGLO_LR,
        ),
        _row(
            "La Rochelle",
            holder="Yélo (réseau de l'agglomération de La Rochelle)",
            domain="transport",
            holder_type="opérateur",
            data_held="carte Yélo : abonnements bus, vélos et voitures en libre-service, bateaux ; "
            "validations et locations",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask="Maison de la mobilité (place de Verdun) ou " + ASK_DPO,
            site=AGGLO_LR,
            export_format=TO_CHECK,
            source="https://www.agglo-larochelle.fr/se-deplacer (carte Yélo unique, Maison de la mobilité) ; "
            "https://fr.wikipedia.org/wiki/Transports_en_commun_de_La_Rochelle",
        ),
    ]
    return rows


def _rennes() -> list[dict[str, str]]:
    rows = _city("Rennes", "Ville de Rennes", RENNES, {"social": "CCAS de Rennes"}, RENNES)
    rows += [
        _row(
            "Rennes",
            holder="Bibliothèques de Rennes et des Champs Libres",
            domain="bibliothèque",
            holder_type="collectivité",
            data_held="inscription, prêts en cours, réservations ; historique des prêts : " + TO_CHECK,
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask="compte lecteur en ligne ; le reste par " + ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source=RENNES,
        ),
        _row(
            "Rennes",
            holder="Parkings publics de Rennes (exploitant à vérifier)",
            domain="stationnement",
            holder_type="opérateur",
            data_held="abonnements de parkings, passages, factures",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO + " de l'exploitant du parking",
            site=TO_CHECK,
            export_format=TO_CHECK,
            source=RENNES,
        ),
        _row(
            "Rennes",
            holder="Rennes Métropole — déchets",
            domain="déchets",
            holder_type="collectivité",
            data_held="demandes de bacs et de composteurs, accès aux déchèteries, signalements",
            legal_basis=PUBLIC_TASK,
            portability="non",
            how_to_ask=ASK_CITY,
            site=RENNES,
            export_format=TO_CHECK,
            source=RENNES,
        ),
        _row(
            "Rennes",
            holder="Eau du Bassin Rennais (SPL)",
            domain="eau",
            holder_type="opérateur",
            data_held="relevés du compteur d'eau, contrat d'abonnement, factures",
            kinds="water",
            legal_basis=f"contrat d'abonnement au service public de l'eau ({TO_CHECK})",
            portability=TO_CHECK,
            how_to_ask="espace abonné ; le reste par " + ASK_DPO,
            site=TO_CHECK,
            export_format=TO_CHECK,
            source="https://www.eaudubassinrennais-collectivite.fr/blog/collectivite-eau-bassin-rennais-1-an/ "
            "(la SPL Eau du Bassin Rennais distribue l'eau à Rennes)",
        ),
        _row(
            "Rennes",
            holder="STAR (Rennes Métropole, exploitant Keolis Rennes)",
            domain="transport",
            holder_type="opérateur",
            data_held="carte KorriGo : abonnements, achats de titres, validations ; vélos STAR",
            legal_basis=CONTRACT,
            portability="oui",
            how_to_ask=ASK_DPO,
            site="https://www.star.fr",
            export_format=TO_CHECK,
            source="https://www.star.fr",
        ),
    ]
    return rows


def catalogue_rows() -> list[dict[str, str]]:
    """Every row of the catalogue, complete (missing cells are ``""`` or « à vérifier »)."""
    rows = [{"territory": "France", **r} for r in NATIONAL] + _lyon() + _nantes() + _larochelle() + _rennes()
    out = []
    for row in rows:
        full = {c: row.get(c, "") for c in COLUMNS}
        full["dpo_contact"] = row.get("dpo_contact") or TO_CHECK  # none checked offline
        out.append(full)
    return out


def build_data_holders_sample(folder: Path) -> list[Path]:
    """Write ``detenteurs_donnees.csv`` (``;``-separated, UTF-8), its README and provenance."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = catalogue_rows()
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
    territories = ("Lyon", "Nantes", "La Rochelle", "Rennes")
    counts = ", ".join(f"{t} {sum(r['territory'] in (t, 'France') for r in rows)}" for t in territories)
    readme = (
        "# Qui détient mes données (catalogue écrit par le projet)\n\n"
        "Written by `selfdata_lib/samples/opendata/holders.py`: one row per holder of personal data "
        "about a resident — the city's and the Métropole's registers (civil status, school canteen, "
        "libraries, parking, waste, water, social services), energy and water operators, transport "
        "operators, banks, retailers and the national services —, for Lyon, Nantes, La Rochelle and "
        "Rennes (`territory`), national holders once (`France`, part of every territory's list). "
        f"Rows per territory, national ones included: {counts}.\n\n"
        "Each row says what the holder keeps, the legal basis (GDPR art. 6) and whether portability "
        "(art. 20) applies, how to ask, the export format when known and the project's format ids that "
        "read it (`format_ids`), the use cases it feeds, and its `source`. Sites and contacts the project "
        "could not check offline are written « à vérifier » (every `dpo_contact` is): check them on the "
        "holder's site before sending a letter. Nothing here was copied from a published dataset — "
        "none exists; corrections are welcome.\n"
    )
    return write_sample(
        folder,
        {"detenteurs_donnees.csv": buffer.getvalue()},
        readme=readme,
        note="Project catalogue written from public sources (column source); « à vérifier » where unchecked.",
    )
