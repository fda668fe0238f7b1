"""Who can help, by commune: the social-action contacts of the Métropole de Lyon (Maisons de la Métropole
pour les solidarités, CCAS) and of the Rhône (CAF, CPAM), with the national lines (chèque énergie).

The Métropole publishes its facilities on data.grandlyon.com; the project's sample lists, for Lyon's
arrondissements and a few communes, the contact each urgency leads to, by name, with the official sites
to find opening hours and addresses (they change; the sample gives none it cannot source).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

CONTACTS_FILE = "contacts_solidarite.csv"
COLUMNS = ("commune", "code_postal", "type", "nom", "pour", "site", "telephone")


def _read_contacts(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], sep=";", dtype=str, keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        msg = f"{files[0].name}: missing column(s) {sorted(missing)}"
        raise ExportFormatError(msg)
    return frame


register(
    Dataset(
        name="lyon-solidarity-contacts",
        title="Où demander de l'aide : Maisons de la Métropole, CCAS, CAF, CPAM (Métropole de Lyon)",
        territory="Lyon",
        source="Métropole de Lyon (data.grandlyon.com), Ville de Lyon, CAF et CPAM du Rhône",
        url="https://data.grandlyon.com",
        licence="Licence Ouverte / Etalab 2.0",
        files=(CONTACTS_FILE,),
        snapshot_dirs=("grandlyon_solidarity",),
        read=_read_contacts,
        description="The contact of each kind of urgency by commune (INSEE code) and postal code.",
    )
)


def load_solidarity_contacts(*, source: str = "auto") -> pd.DataFrame:
    """``commune``, ``code_postal``, ``type``, ``nom``, ``pour``, ``site``, ``telephone`` (strings)."""
    return load("lyon-solidarity-contacts", source=source)
