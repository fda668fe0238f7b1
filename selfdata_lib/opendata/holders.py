"""Who holds data about me, per territory, and how to get it back (``data-holders``).

No open dataset lists, for a territory, the services that hold a resident's personal data and how each
one answers the rights of access (GDPR art. 15) and portability (art. 20). The project writes one from
public facts (:mod:`selfdata_lib.samples.opendata.holders`), one row per holder and territory, each with
its ``source``; what the project could not check is written « à vérifier », never guessed.

Columns (:data:`COLUMNS`), all text:

``territory``
    ``Lyon``, ``Nantes``, ``La Rochelle``, ``Rennes``, or ``France`` for a national holder (every
    territory's list includes them).
``holder``, ``domain``, ``holder_type``
    The holder's name, what it is about (``état civil``, ``électricité``, ``transport``…) and what it is
    (``collectivité``, ``opérateur``, ``entreprise``, ``service national``).
``data_held``
    What it holds about a resident, in French.
``kinds``
    The kinds of data of the project its export gives (``electricity``, ``visits``…), ``,``-separated.
``legal_basis``, ``portability``
    The legal basis of the processing (GDPR art. 6) and whether portability applies (``oui``,
    ``en partie``, ``non`` — art. 20.1 limits it to consent and contract, art. 20.3 excludes public-interest
    tasks —, or ``à vérifier``). The right of access applies in every case.
``how_to_ask``, ``site``, ``dpo_contact``
    How to ask; the holder's site and its data-protection contact when the project is sure of them,
    « à vérifier » otherwise.
``export_format``, ``format_ids``
    What it hands back when known (« à vérifier » otherwise), and the ids of the project's formats
    (:data:`selfdata_lib.exports.FORMATS`) that read it.
``use_cases``
    The use cases of this suite its data feed, ``,``-separated ids.
``source``
    Where the row's facts come from.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

HOLDERS_FILE = "detenteurs_donnees.csv"
COLUMNS = (
    "territory",
    "holder",
    "domain",
    "holder_type",
    "data_held",
    "kinds",
    "legal_basis",
    "portability",
    "how_to_ask",
    "site",
    "dpo_contact",
    "export_format",
    "format_ids",
    "use_cases",
    "source",
)
TO_CHECK = "à vérifier"
TERRITORIES = ("Lyon", "Nantes", "La Rochelle", "Rennes")
NATIONAL = "France"
PORTABILITY = ("oui", "en partie", "non", TO_CHECK)


def read_data_holders(path: str | Path) -> pd.DataFrame:
    """The holders catalogue CSV (``;``-separated, UTF-8): one row per holder and territory
    (:data:`COLUMNS`, text, empty cells as ``""``); an :class:`ExportFormatError` naming the file and the
    line when a column is missing or a value is outside its vocabulary.
    """
    path = Path(path)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        msg = f"{path.name}, ligne 1 : colonnes manquantes {missing} (attendu : {';'.join(COLUMNS)})"
        raise ExportFormatError(msg)
    known = (*TERRITORIES, NATIONAL)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        if row.territory not in known or row.portability not in PORTABILITY or not row.source:
            msg = (
                f"{path.name}, ligne {i} : territoire parmi {', '.join(known)}, portabilité parmi "
                f"{', '.join(PORTABILITY)} et une source sont attendus (trouvé {row.territory!r}, "
                f"{row.portability!r}, source {row.source!r})"
            )
            raise ExportFormatError(msg)
    return frame[list(COLUMNS)]


register(
    Dataset(
        name="data-holders",
        title="Qui détient mes données, et comment les récupérer (catalogue par territoire)",
        territory="France",
        source="Projet Self Data Territorial, d'après des sources publiques (colonne source de chaque ligne)",
        url="data/samples/opendata/data-holders/README.md (catalogue écrit par le projet ; aucun équivalent publié)",
        licence="Licence Ouverte / Etalab 2.0",
        files=(HOLDERS_FILE,),
        read=lambda files: read_data_holders(files[0]),
        snapshot_dirs=("detenteurs_donnees",),
        description="For Lyon, Nantes, La Rochelle and Rennes, and the national services: who holds what "
        "about a resident, the legal basis, how to ask, the export format and the use cases it feeds.",
    )
)


def load_data_holders(*, source: str = "auto") -> pd.DataFrame:
    """The holders catalogue (:data:`COLUMNS`) with its provenance in ``attrs["provenance"]``."""
    return load("data-holders", source=source)
