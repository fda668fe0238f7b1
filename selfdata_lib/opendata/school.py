"""The Éducation nationale's open data about schools (data.education.gouv.fr, Opendatasoft « Explore »
API v2.1), loaded as frames with the project's column names.

Each dataset is read from the CSV the portal exports (``;``-separated); the header may carry the API's
field names (``identifiant_de_l_etablissement``) or the French labels (« Identifiant de l'établissement »,
``use_labels_for_header=true``): both are normalised the same way (accents and case dropped, anything else
than letters and digits → ``_``). Live, each dataset is downloaded whole (public data only), with the
fields the use case reads:

``education-directory`` — « Annuaire de l'éducation » (``fr-en-annuaire-education``)
    ``uai`` ← ``identifiant_de_l_etablissement``, ``name`` ← ``nom_etablissement``, ``kind`` ←
    ``type_etablissement`` (Ecole, Collège, Lycée…), ``sector`` ← ``statut_public_prive``, ``address`` ←
    ``adresse_1``, ``postal_code``, ``commune`` ← ``nom_commune``, ``insee_code`` ← ``code_commune``,
    ``department_code`` ← ``code_departement``, ``academie`` ← ``libelle_academie``, ``region`` ←
    ``libelle_region``, ``lat``, ``lon`` ← ``latitude``, ``longitude``.
``education-ips`` — indices de position sociale of collèges and lycées (DEPP; ``fr-en-ips-colleges-ap2023``
    and ``fr-en-ips-lycees-ap2023``, rentrées 2023 on; the older ``fr-en-ips_colleges`` layout is read too)
    ``school_year`` ← ``rentree_scolaire``, ``uai``, ``name`` ← ``nom_de_l_etablissement`` (or the older
    ``nom_de_l_etablissment``), ``academie``, ``department_code`` ← ``code_du_departement``, ``sector`` ←
    ``secteur``, ``level`` (``collège`` or ``lycée``, from the file), ``ips`` ← ``ips`` (a lycée's
    ``ips_etab``, else ``ips_ensemble_gt_pro``), ``ips_sd`` ← ``ecart_type_de_l_ips``, and the reference
    values the DEPP publishes with it when present: ``ips_academie`` ← ``ips_academique``,
    ``ips_department`` ← ``ips_departemental``, ``ips_national`` ← ``ips_national``.
``education-dnb`` — « Diplôme national du brevet par établissement » (``fr-en-dnb-par-etablissement``)
    ``session``, ``uai`` ← ``numero_d_etablissement``, ``name`` ← ``patronyme``, ``sector`` ←
    ``secteur_d_enseignement``, ``department_code`` ← ``code_departement``, ``region`` ←
    ``libelle_region``, ``registered`` ← ``inscrits``, ``present`` ← ``presents``, ``passed`` ← ``admis``,
    ``pass_rate`` ← ``taux_de_reussite`` (``"94,20%"`` → 0.942; recomputed from ``admis / presents`` when
    empty).
``school-calendar`` — « Le calendrier scolaire » (``fr-en-calendrier-scolaire``)
    ``description`` (« Vacances de la Toussaint »…), ``population`` (« - », « Élèves », « Enseignants »),
    ``start``, ``end`` ← ``start_date``, ``end_date`` (instants at midnight in Paris, written in UTC by the
    portal), ``location`` (the académie: « Rennes »), ``zone`` ← ``zones`` (« Zone B »), ``school_year`` ←
    ``annee_scolaire``. ``start`` is the day pupils leave (after the last lesson), ``end`` the day they
    come back; selecting the holidays that cover a day is :func:`selfdata_lib.analysis.school.holiday_days`'s
    business.

Field names were read from code that uses these datasets (the portal itself was not reached while
writing this module): a file whose header lacks a required field raises an error naming it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

EXPLORE = "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets"
PORTAL = "https://data.education.gouv.fr/explore/dataset"
LICENCE = "Licence Ouverte / Etalab 2.0"
MINISTRY = "Ministère de l'Éducation nationale (data.education.gouv.fr)"
DEPP = "Ministère de l'Éducation nationale — DEPP (data.education.gouv.fr)"


def export_url(dataset: str, fields: tuple[str, ...] = (), where: str = "") -> str:
    """The Explore v2.1 URL exporting ``dataset`` as a ``;`` CSV (only ``fields`` when given)."""
    from urllib.parse import quote

    url = f"{EXPLORE}/{dataset}/exports/csv?delimiter=%3B"
    if fields:
        url += "&select=" + quote(",".join(fields), safe=",_")
    if where:
        url += "&where=" + quote(where, safe="")
    return url


def field_name(label: object) -> str:
    """A header as the API names its field: ``"Identifiant de l'établissement"`` →
    ``identifiant_de_l_etablissement``.
    """
    text = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _read(
    path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], what: str
) -> pd.DataFrame:
    """A portal CSV with its fields renamed to the project's ``columns`` ({column: field names})."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    head = text.splitlines()[0] if text.strip() else ""
    sep = ";" if head.count(";") >= head.count(",") else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    frame.columns = [field_name(c) for c in frame.columns]
    out = pd.DataFrame(index=frame.index)
    for column, names in columns.items():
        name = next((n for n in names if n in frame.columns), None)
        if name is None and column in required:
            msg = (
                f"{path.name}: ligne 1 : pas de champ « {names[0]} » ; attendu : {what} "
                f"(champs trouvés : {', '.join(list(frame.columns)[:12])})"
            )
            raise ExportFormatError(msg)
        out[column] = frame[name].str.strip() if name is not None else ""
    return out


def _numbers(values: pd.Series) -> pd.Series:
    """Numbers written either way (``"104,3"``, ``"94,20%"``) as floats, NaN when empty."""
    text = values.astype(str).str.replace("%", "", regex=False).str.replace("\u00a0", "", regex=False)
    return pd.to_numeric(text.str.replace(",", ".", regex=False).str.strip(), errors="coerce")


DIRECTORY_FIELDS = {
    "uai": ("identifiant_de_l_etablissement", "uai", "numero_uai"),
    "name": ("nom_etablissement", "appellation_officielle", "nom_de_l_etablissement"),
    "kind": ("type_etablissement",),
    "sector": ("statut_public_prive", "secteur"),
    "address": ("adresse_1", "adresse_uai"),
    "postal_code": ("code_postal", "code_postal_uai"),
    "commune": ("nom_commune", "libelle_commune"),
    "insee_code": ("code_commune",),
    "department_code": ("code_departement",),
    "academie": ("libelle_academie",),
    "region": ("libelle_region",),
    "lat": ("latitude",),
    "lon": ("longitude",),
}


def read_directory(files: list[Path]) -> pd.DataFrame:
    """The schools directory (see the module docstring)."""
    frame = _read(
        files[0],
        DIRECTORY_FIELDS,
        ("uai", "name", "kind"),
        "l'annuaire de l'éducation (fr-en-annuaire-education)",
    )
    frame["uai"] = frame["uai"].str.upper()
    frame["lat"], frame["lon"] = _numbers(frame["lat"]), _numbers(frame["lon"])
    return frame.drop_duplicates("uai").reset_index(drop=True)


register(
    Dataset(
        name="education-directory",
        title="Annuaire de l'éducation (établissements scolaires)",
        territory="France",
        source=MINISTRY,
        url=f"{PORTAL}/fr-en-annuaire-education/",
        licence=LICENCE,
        files=("fr-en-annuaire-education*.csv",),
        snapshot_dirs=("data_education_gouv",),
        live={
            "fr-en-annuaire-education.csv": export_url(
                "fr-en-annuaire-education", tuple(n[0] for n in DIRECTORY_FIELDS.values())
            )
        },
        read=read_directory,
        description="Every open school: UAI, name, type, public or private, address, académie, position.",
    )
)

IPS_FIELDS = {
    "school_year": ("rentree_scolaire", "annee_scolaire"),
    "uai": ("uai",),
    "name": ("nom_de_l_etablissement", "nom_de_l_etablissment", "appellation_officielle"),
    "academie": ("academie", "libelle_academie"),
    "department_code": ("code_du_departement", "code_departement"),
    "sector": ("secteur",),
    "ips": ("ips", "ips_etab", "ips_ensemble_gt_pro", "ips_voie_gt"),
    "ips_sd": ("ecart_type_de_l_ips", "ecart_type_de_l_ips_voie_gt"),
    "ips_academie": ("ips_academique",),
    "ips_department": ("ips_departemental",),
    "ips_national": ("ips_national",),
}


def read_ips(files: list[Path]) -> pd.DataFrame:
    """The IPS of collèges then lycées, one row per school and rentrée."""
    frames = []
    for path, level in zip(files, ("collège", "lycée"), strict=False):
        frame = _read(path, IPS_FIELDS, ("school_year", "uai", "ips"), f"l'IPS des {level}s (DEPP)")
        frame["level"] = level
        for col in ("ips", "ips_sd", "ips_academie", "ips_department", "ips_national"):
            frame[col] = _numbers(frame[col])
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["uai"] = out["uai"].str.upper()
    return out.dropna(subset=["ips"]).reset_index(drop=True)


register(
    Dataset(
        name="education-ips",
        title="Indices de position sociale (IPS) des collèges et des lycées",
        territory="France",
        source=DEPP,
        url=f"{PORTAL}/fr-en-ips-colleges-ap2023/",
        licence=LICENCE,
        files=("fr-en-ips-colleges*.csv", "fr-en-ips-lycees*.csv"),
        snapshot_dirs=("data_education_gouv",),
        live={
            "fr-en-ips-colleges-ap2023.csv": export_url("fr-en-ips-colleges-ap2023"),
            "fr-en-ips-lycees-ap2023.csv": export_url("fr-en-ips-lycees-ap2023"),
        },
        read=read_ips,
        description="Social position index of each collège and lycée by rentrée, with académie and national references.",
    )
)

DNB_FIELDS = {
    "session": ("session",),
    "uai": ("numero_d_etablissement", "uai"),
    "name": ("patronyme", "denomination_principale"),
    "sector": ("secteur_d_enseignement", "secteur"),
    "department_code": ("code_departement", "departement"),
    "region": ("libelle_region", "region_libelle"),
    "registered": ("inscrits",),
    "present": ("presents",),
    "passed": ("admis",),
    "pass_rate": ("taux_de_reussite",),
}


def read_dnb(files: list[Path]) -> pd.DataFrame:
    """The brevet results of each school and session."""
    frame = _read(
        files[0],
        DNB_FIELDS,
        ("session", "uai", "present", "passed"),
        "les résultats du brevet par établissement (fr-en-dnb-par-etablissement)",
    )
    frame["uai"] = frame["uai"].str.upper()
    frame["session"] = pd.to_numeric(frame["session"].str[:4], errors="coerce").astype("Int64")
    for col in ("registered", "present", "passed"):
        frame[col] = _numbers(frame[col])
    rate = _numbers(frame["pass_rate"])
    rate = rate.where(rate <= 1, rate / 100)  # « 94,20% » → 0.942
    computed = frame["passed"] / frame["present"].where(frame["present"] > 0)
    frame["pass_rate"] = rate.fillna(computed)
    return frame.dropna(subset=["session"]).reset_index(drop=True)


register(
    Dataset(
        name="education-dnb",
        title="Diplôme national du brevet : résultats par établissement",
        territory="France",
        source=DEPP,
        url=f"{PORTAL}/fr-en-dnb-par-etablissement/",
        licence=LICENCE,
        files=("fr-en-dnb-par-etablissement*.csv",),
        snapshot_dirs=("data_education_gouv",),
        live={
            "fr-en-dnb-par-etablissement.csv": export_url(
                "fr-en-dnb-par-etablissement", tuple(n[0] for n in DNB_FIELDS.values())
            )
        },
        read=read_dnb,
        description="Candidates present, passed and pass rate of the brevet, per collège and session.",
    )
)

CALENDAR_FIELDS = {
    "description": ("description",),
    "population": ("population",),
    "start": ("start_date", "date_de_debut"),
    "end": ("end_date", "date_de_fin"),
    "location": ("location", "academies"),
    "zone": ("zones",),
    "school_year": ("annee_scolaire",),
}


def read_calendar(files: list[Path]) -> pd.DataFrame:
    """The school calendar: holidays by académie (``location``) and zone."""
    frame = _read(
        files[0],
        CALENDAR_FIELDS,
        ("description", "start", "location"),
        "le calendrier scolaire (fr-en-calendrier-scolaire)",
    )
    for col in ("start", "end"):
        stamps = pd.to_datetime(frame[col].replace("", None), utc=True, errors="coerce", format="mixed")
        frame[col] = stamps.dt.tz_convert("Europe/Paris")
    return frame.dropna(subset=["start"]).reset_index(drop=True)


register(
    Dataset(
        name="school-calendar",
        title="Calendrier scolaire (vacances par zone et académie)",
        territory="France",
        source=MINISTRY,
        url=f"{PORTAL}/fr-en-calendrier-scolaire/",
        licence=LICENCE,
        files=("fr-en-calendrier-scolaire*.csv",),
        snapshot_dirs=("data_education_gouv",),
        live={"fr-en-calendrier-scolaire.csv": export_url("fr-en-calendrier-scolaire")},
        read=read_calendar,
        description="School holidays (leaving and return days) of each académie and zone, by school year.",
    )
)


def load_school_calendar(*, source: str = "auto") -> pd.DataFrame:
    """The school calendar (``school-calendar``)."""
    return load("school-calendar", source=source)
