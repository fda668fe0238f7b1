"""Write a load curve as Enedis hands it out (the customer-space « Courbe de charge » CSV)."""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Europe/Paris"


def write_enedis_load_curve_csv(
    path, curve: pd.DataFrame, *, prm: str, missing: np.ndarray, first_day: str, last_day: str
) -> None:
    """Write ``curve`` (``end``, ``power_w``) as an Enedis "Courbe de charge" CSV (UTF-8 BOM, ``;``)."""
    lines = [
        "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
        "Etape metier;Unite;Pas en minutes",
        f"{prm};Courbe de charge;{first_day};{last_day};Energie active;Consommation;Comptage Brut;W;",
        "Horodate;Valeur",
    ]
    stamps = (
        curve["end"]
        .dt.strftime("%Y-%m-%dT%H:%M:%S%z")
        .str.replace(r"([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
    )
    values = curve["power_w"].astype(str).to_numpy().copy()
    values[missing] = ""
    lines += [f"{s};{v}" for s, v in zip(stamps, values, strict=True)]
    with open(path, "w", encoding="utf-8-sig", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
