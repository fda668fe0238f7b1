"""Nadia — Lyon 8e, a single parent: 38, two children (7 and 12), part-time cleaning job (about 1,300 € net
a month), renting a flat at 650 € a month plus charges.

Exports (January to June 2025):

- ``foyer.yaml`` — her household file, « déclaré une fois » (rent and salary marked as read from her bank);
- ``releve_la_banque_postale.csv`` — La Banque Postale CSV statement (latin-1, preamble with the date and
  the balance, ``Date;Libellé;Montant(EUROS);Montant(FRANCS)``): salary, CAF credits (allocations familiales
  with the ASF, the aide au logement), rent and charges, energy, insurance, phone, canteen, groceries; no
  prime d'activité arrives (she never asked for it); in May an energy direct debit is rejected with fees;
  the June aide au logement does not arrive (a missing document); the balance is low at the end of June;
- ``enedis_adresse.json`` — the address of her electricity delivery point, Enedis DataConnect layout
  (``usage_point_addresses``): the commune prefilled in the household file comes from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._requests import write_requests_log

SEED = 20250630
#: A public place: the town hall of Lyon's 8th arrondissement (12 avenue Jean Mermoz).
HOME = {"lat": 45.7343, "lon": 4.8695, "street": "12 avenue jean mermoz", "postal_code": "69008"}
MONTHS = pd.period_range("2025-01", "2025-06", freq="M")
#: The balance the statement ends on, the day after her June salary: the July rent will take it below zero.
CLOSING_BALANCE = 486.20


def bank_statement(rng: np.random.Generator) -> list[tuple[pd.Timestamp, str, float]]:
    """Nadia's operations, oldest first."""
    ops: list[tuple[pd.Timestamp, str, float]] = []

    def at(month: pd.Period, day: int) -> pd.Timestamp:
        return month.to_timestamp() + pd.Timedelta(days=min(day, month.days_in_month) - 1)

    for month in MONTHS:
        ops.append((at(month, 3), "PRELEVEMENT DE REGIE DU HUITIEME LOYER", -650.00))
        ops.append((at(month, 3), "PRELEVEMENT DE REGIE DU HUITIEME PROVISION CHARGES", -85.00))
        ops.append((at(month, 5), "VIREMENT DE CAF DU RHONE PRESTATIONS FAMILIALES", 552.17))
        if month != MONTHS[-1]:  # June: a missing document, the aide au logement is suspended
            ops.append((at(month, 5), "VIREMENT DE CAF DU RHONE ALLOCATION LOGEMENT", 341.00))
        ops.append((at(month, 7), "PRELEVEMENT DE MAIF ASSURANCE HABITATION", -17.90))
        energy_day = at(month, 10)
        ops.append((energy_day, "PRELEVEMENT DE EDF CLIENTS PARTICULIERS", -68.00))
        if month == pd.Period("2025-05", "M"):
            ops.append(
                (energy_day + pd.Timedelta(days=2), "REJET PRELEVEMENT EDF CLIENTS PARTICULIERS", 68.00)
            )
            ops.append((energy_day + pd.Timedelta(days=2), "FRAIS REJET PRELEVEMENT", -20.00))
            ops.append((energy_day + pd.Timedelta(days=3), "COMMISSION D'INTERVENTION", -8.00))
        ops.append((at(month, 12), "PRELEVEMENT DE FREE MOBILE", -15.99))
        ops.append((at(month, 8), "PRELEVEMENT DE COFIDIS ECHEANCE PRET", -118.40))
        ops.append((at(month, 2), "PRELEVEMENT DE TCL ABONNEMENT", -25.00))
        ops.append((at(month, 6), "RETRAIT DAB LYON MERMOZ", -100.00))
        ops.append((at(month, 20), "RETRAIT DAB LYON MERMOZ", -100.00))
        ops.append((at(month, 15), "PRELEVEMENT DE VILLE DE LYON RESTAURATION SCOLAIRE", -42.60))
        ops.append(
            (
                at(month, 28),
                "VIREMENT DE NET SERVICES PROPRETE SALAIRE",
                float(round(rng.normal(1300, 12), 2)),
            )
        )
        for day in range(1, month.days_in_month + 1, 3):  # groceries and small card payments
            shop = [
                "CARTE LIDL LYON 8",
                "CARTE CARREFOUR CITY",
                "CARTE PHARMACIE MERMOZ",
                "CARTE BOULANGERIE",
            ]
            amount = -float(round(rng.gamma(3.0, 9.5), 2))
            ops.append((at(month, day), f"ACHAT {shop[int(rng.integers(len(shop)))]}", amount))
    ops.sort(key=lambda o: o[0])
    return ops


def write_banque_postale_csv(path: Path, ops: list[tuple[pd.Timestamp, str, float]]) -> None:
    """La Banque Postale layout: preamble (account, type, date, balance in euros and francs), then
    ``Date;Libellé;Montant(EUROS);Montant(FRANCS)``, latin-1, newest first.
    """

    def money(x: float) -> str:
        return f"{x:.2f}".replace(".", ",")

    balance = CLOSING_BALANCE
    end = ops[-1][0]
    lines = [
        "Numéro Compte ;0123456X020",
        "Type ;CCP",
        "Compte tenu en : ;euros",
        f"Date ;{end:%d/%m/%Y}",
        f"Solde (EUROS) ;{money(balance)}",
        f"Solde (FRANCS) ;{money(balance * 6.55957)}",
        "",
        "Date;Libellé;Montant(EUROS);Montant(FRANCS)",
    ]
    for day, label, amount in reversed(ops):
        lines.append(f'{day:%d/%m/%Y};"{label}";{money(amount)};{money(amount * 6.55957)}')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))


FOYER = """\
# Mon foyer — déclaré une fois ; les valeurs « depuis » viennent de mes exports.
periode: 2025-06
commune: "69123"  # depuis l'adresse du contrat : enedis_adresse.json (69008 LYON)
logement:
  statut: locataire_vide
  loyer: 650  # depuis releve_la_banque_postale.csv : PRELEVEMENT DE REGIE DU HUITIEME LOYER (6 mois)
adultes:
  - prenom: Nadia
    age: 38
    salaire_net_mensuel: 1300  # depuis releve_la_banque_postale.csv : VIREMENT DE NET SERVICES PROPRETE SALAIRE
enfants:
  - {prenom: Inès, age: 7}
  - {prenom: Rayan, age: 12}
css_depuis: 2024-09-01
"""


def build_nadia(folder: Path) -> list[Path]:
    """Write Nadia's exports into ``folder``."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    foyer = folder / "foyer.yaml"
    foyer.write_text(FOYER, encoding="utf-8")
    bank = folder / "releve_la_banque_postale.csv"
    write_banque_postale_csv(bank, bank_statement(rng))
    address = folder / "enedis_adresse.json"
    payload = {
        "customer": {
            "customer_id": "-000000001",
            "usage_points": [
                {
                    "usage_point": {
                        "usage_point_id": "00000000000000",
                        "usage_point_status": "com",
                        "meter_type": "AMM",
                        "usage_point_addresses": {
                            "street": HOME["street"],
                            "locality": None,
                            "postal_code": HOME["postal_code"],
                            "insee_code": "69388",
                            "city": "LYON",
                            "country": "France",
                            "geo_points": {},
                        },
                    }
                }
            ],
        }
    }
    address.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(
        "# Nadia (Lyon 8e) — fictional persona\n\n"
        f"Generated by `selfdata samples build` (`selfdata_lib/samples/personas/nadia.py`, seed {SEED}). "
        "Fictional: the address is the town hall of the 8th arrondissement; account and meter numbers are "
        "made up.\n\n"
        "A single parent of two children (7 and 12), part-time cleaning job, renting in Lyon 8e. She receives "
        "the allocations familiales, the ASF and an aide au logement, but never asked for the prime "
        "d'activité; in May an energy direct debit was rejected (fees); in June the aide au logement did "
        "not arrive; her balance is low at the end of June.\n\n"
        "- `foyer.yaml`: her household file (the values marked « depuis » were read from her exports).\n"
        "- `releve_la_banque_postale.csv`: La Banque Postale CSV statement, January–June 2025.\n"
        "- `enedis_adresse.json`: the address of her electricity delivery point (Enedis DataConnect).\n",
        encoding="utf-8",
    )
    return [foyer, bank, address, readme, *write_requests_log(folder, "nadia")]
