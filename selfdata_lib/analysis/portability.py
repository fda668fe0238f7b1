"""How well do the services that hold my data hand it back? My requests log scored against the law, and
the pooled observatory of many participants' logs.

The law (GDPR, Regulation (EU) 2016/679):

* art. 15 — the right of access: a copy of my data and how it is used; art. 15.3: « where the data subject
  makes the request by electronic means, […] the information shall be provided in a commonly used
  electronic form »;
* art. 20 — the right to data portability: the data I provided, « in a structured, commonly used and
  machine-readable format »; it applies to processing based on consent or a contract (art. 20.1), not
  to a task carried out in the public interest (art. 20.3);
* art. 12.3 — the answer comes « without undue delay and in any event within one month of receipt of the
  request. That period may be extended by two further months where necessary », the person being told of
  the extension, with the reasons, within the first month. A period in months ends on the same date of
  the last month (the last day of a shorter month), and one ending on a Saturday or a Sunday ends on the
  next Monday (Regulation (EEC, Euratom) No 1182/71, art. 3; public holidays are not taken into account
  here, which can only make a holder look late by a day).

Each request gets a delay, a status against those deadlines, a format score out of four (structured,
common, machine-readable, documented — a file is checked by content, not by what the log says of it),
and a completeness when the holders catalogue says what the holder keeps.

The observatory pools contributions — per participant and holder, the delay, whether the month was kept,
whether the export was machine-readable, never a file nor an exact date; sealed in the pooling format
(:mod:`selfdata_lib.analysis.pooling`, ``selfdata contribute portability-observatory``) — and publishes, for each holder
with at least ``min_participants`` participants, the median delay, the share answered within the month and
the share with a machine-readable export, side by side with the AFCDP index of the right of access (an
« observatoire du Self Data au niveau national […] caractériser les services numériques en fonction de leur
respect du droit à la portabilité et de leur taux de réactivité » is one of the levers named by the Self
Data Territorial programme). With few participants a ranking is noise: :func:`bootstrap_holders` gives its
intervals and :func:`ranking_stability` how many participants per holder make it stable (on a simulated
campaign whose true behaviours are known).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts

TZ = "Europe/Paris"
#: The deadline of art. 12.3, and the longest it can be extended to.
DEADLINE_MONTHS = 1
EXTENDED_MONTHS = 3

#: The AFCDP index of the right of access, 2024 edition: students of the ISEP specialised master in
#: personal-data protection exercised their right of access with 115 organisations (20 % public sector,
#: 80 % private) and scored the answers.
AFCDP_INDEX_2024: dict[str, Any] = {
    "edition": 2024,
    "organisations_tested": 115,
    "reacted_share": 0.652,  # 75 of 115 organisations reacted at all
    "answered_within_month_share": 0.591,
    "satisfactory_share": 0.40,  # « satisfaisante ou très satisfaisante »
    "source": "AFCDP, Index 2024 du droit d'accès (janvier 2024), d'après Global Security Mag : "
    "https://www.globalsecuritymag.com/donnees-personnelles-publication-de-l-index-afcdp-2024-du-droit-d-acces-enfin.html",
}

RIGHT_FR = {"access": "accès (art. 15)", "portability": "portabilité (art. 20)"}
STATUS_FR = {
    "within_month": "dans le mois",
    "extended": "après un mois, dans les trois mois",
    "late": "après plus de trois mois",
    "pending": "en attente, dans le délai",
    "unanswered": "sans réponse, délai dépassé",
}
#: Words of ``recu`` (and kinds of files) that are structured, machine-readable formats.
MACHINE_READABLE = {"csv", "json", "xml", "xlsx", "ods", "gpx", "ofx", "tableur"}
#: Of those, formats whose layout is a published standard even when the project does not read the file.
STANDARD = {"gpx", "ofx"}
COMMON = MACHINE_READABLE | {"pdf", "image", "texte"}
NO_DATA = {"rien", "refus"}
#: Statuses of a request that was answered.
ANSWERED = ("within_month", "extended", "late")
#: The longest delay an observatory contribution carries (a later answer counts as a year).
MAX_SHARED_DELAY_DAYS = 365
PARTIAL = {"partiel", "incomplet"}


def deadline(sent: pd.Timestamp, months: int = DEADLINE_MONTHS) -> pd.Timestamp:
    """The last day to answer a request received on ``sent``: ``months`` calendar months later (the last
    day of a shorter month), moved to the next Monday when it falls on a weekend (Regulation 1182/71).
    """
    day = pd.Timestamp(sent).normalize() + pd.DateOffset(months=months)
    while day.weekday() >= 5:
        day += pd.Timedelta(days=1)
    return day


def delay_status(sent: pd.Timestamp, answered: Any, as_of: pd.Timestamp) -> tuple[str, int | None]:
    """``(status, delay in days)`` of a request received on ``sent`` and answered on ``answered``
    (``NaT``/``None`` when no answer has come by ``as_of``; an answer dated after ``as_of`` has not come).

    Status: ``within_month`` (answered by the deadline of art. 12.3), ``extended`` (by the three-month
    limit), ``late`` (after it), ``pending`` (no answer yet, deadline not reached), ``unanswered`` (no
    answer, deadline passed).
    """
    sent = pd.Timestamp(sent).normalize()
    as_of = pd.Timestamp(as_of).normalize()
    if answered is None or pd.isna(answered) or pd.Timestamp(answered).normalize() > as_of:
        return ("pending" if as_of <= deadline(sent) else "unanswered"), None
    answered = pd.Timestamp(answered).normalize()
    days = int((answered - sent).days)
    if answered <= deadline(sent):
        return "within_month", days
    if answered <= deadline(sent, EXTENDED_MONTHS):
        return "extended", days
    return "late", days


@dataclass(frozen=True)
class FormatAssessment:
    """What came back, on four criteria; ``score`` is how many hold (``None`` when no data came)."""

    label: str
    data_received: bool
    structured: bool = False
    common: bool = False
    machine_readable: bool = False
    documented: bool = False

    @property
    def score(self) -> int | None:
        """Criteria met, out of four (``None`` when nothing was received)."""
        if not self.data_received:
            return None
        return int(self.structured) + int(self.common) + int(self.machine_readable) + int(self.documented)


def assess_format(received: str, file_check: str = "", file_format: str = "") -> FormatAssessment:
    """Score what a request brought back: the file received when it was found (checked by content), else
    what the log says (``recu``).

    A file the project recognises is structured, common, machine-readable and documented; another CSV,
    JSON, XML or spreadsheet is all but documented (GPX and OFX are published standards); a PDF or an
    image is common only; paper meets none; ``rien`` or ``refus`` is no data at all.
    """
    words = set(str(received or "").split())
    if file_format:
        from selfdata_lib.exports import FORMATS

        title = FORMATS[file_format].title if file_format in FORMATS else file_format
        return FormatAssessment(f"fichier reconnu : {title}", True, True, True, True, True)
    kind = file_check if file_check not in ("", "introuvable", "illisible") else ""
    if not kind:
        kind = next((w for w in words if w in MACHINE_READABLE | {"pdf", "image", "papier"}), "")
    if not kind:
        if words & NO_DATA:
            return FormatAssessment("refus" if "refus" in words else "aucune donnée", False)
        return FormatAssessment("non précisé" if words else "rien de noté", False)
    if kind in MACHINE_READABLE:
        name = "tableur" if kind in ("tableur", "xlsx", "ods") else kind.upper()
        documented = kind in STANDARD
        label = f"{name} lisible par machine" + ("" if documented else ", format non documenté")
        return FormatAssessment(label, True, True, True, True, documented)
    if kind in ("pdf", "image", "texte"):
        return FormatAssessment(
            {"pdf": "PDF", "image": "image", "texte": "texte libre"}[kind], True, common=True
        )
    if kind == "papier":
        return FormatAssessment("papier", True)
    return FormatAssessment(f"fichier « {kind} »", True)


def assess_completeness(received: str, file_kinds: str = "", expected_kinds: str = "") -> str:
    """``complet``, ``partiel``, ``rien reçu``, ``en partie (manque : …)`` or ``non évalué``: what the log
    says (``partiel``, ``rien``, ``refus``), else the kinds of data of the file received against those the
    catalogue says the holder keeps (a file may rightly hold one of them: « en partie » is not « partiel »).
    """
    words = set(str(received or "").split())
    if words & NO_DATA:
        return "rien reçu"
    if words & PARTIAL:
        return "partiel"
    got = {k.strip() for k in str(file_kinds).split(",") if k.strip()}
    expected = {k.strip() for k in str(expected_kinds).split(",") if k.strip()}
    if not got or not expected:
        return "non évalué"
    if expected <= got:
        return "complet"
    from selfdata_lib.fr import word

    return f"en partie (manque : {', '.join(word(k) for k in sorted(expected - got))})"


def _as_of(value: Any) -> pd.Timestamp:
    if value is None or (isinstance(value, str) and not value.strip()):
        return pd.Timestamp.now(tz=TZ).normalize().tz_localize(None)
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert(TZ).tz_localize(None) if stamp.tzinfo else stamp).normalize()


def _local(value: Any) -> pd.Timestamp | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return (stamp.tz_convert(TZ).tz_localize(None) if stamp.tzinfo else stamp).normalize()


def evaluate_requests(
    requests: pd.DataFrame,
    *,
    as_of: Any = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each request of a log (:func:`selfdata_lib.exports.read_requests_log`) or of a simulated campaign,
    judged: ``delay_days``, ``deadline``, ``status`` (:data:`STATUS_FR`), the format criteria and
    ``format_score`` (:func:`assess_format`), ``completeness`` (:func:`assess_completeness`, the holder's
    kinds taken from ``catalogue`` when given), ``portability_applies`` (from the catalogue), as of
    ``as_of`` (default: today).
    """
    day = _as_of(as_of)
    rows = []
    for r in requests.to_dict("records"):
        sent = _local(r["date"])
        if sent is None:
            continue  # a log never holds one (the reader refuses the line); a campaign neither
        answered = _local(r.get("answered"))
        status, days = delay_status(sent, answered, day)
        came = status in ("within_month", "extended", "late")
        fmt = (
            assess_format(r.get("received", ""), r.get("file_check", ""), r.get("file_format", ""))
            if came
            else FormatAssessment("", False)
        )
        row_cat = _catalogue_row(str(r["holder"]), catalogue)
        expected = row_cat["kinds"] if row_cat is not None else ""
        rows.append(
            {
                "participant": r.get("participant", "moi"),
                "holder": str(r["holder"]),
                "catalogue_holder": row_cat["holder"] if row_cat is not None else None,
                "right": r["right"],
                "sent": sent,
                "answered": answered if came else None,
                "deadline": deadline(sent),
                "delay_days": days,
                "status": status,
                "due": status != "pending",
                "within_month": status == "within_month",
                "data_received": fmt.data_received,
                "format_label": fmt.label,
                "structured": fmt.structured,
                "common": fmt.common,
                "machine_readable": fmt.machine_readable,
                "documented": fmt.documented,
                "format_score": fmt.score,
                "completeness": assess_completeness(r.get("received", ""), r.get("file_kinds", ""), expected)
                if came
                else "",
                "portability_applies": row_cat["portability"] if row_cat is not None else "",
                "file": r.get("file", ""),
            }
        )
    return pd.DataFrame(rows, columns=_EVALUATED)


_EVALUATED = [
    "participant",
    "holder",
    "catalogue_holder",
    "right",
    "sent",
    "answered",
    "deadline",
    "delay_days",
    "status",
    "due",
    "within_month",
    "data_received",
    "format_label",
    "structured",
    "common",
    "machine_readable",
    "documented",
    "format_score",
    "completeness",
    "portability_applies",
    "file",
]


def _catalogue_row(holder: str, catalogue: pd.DataFrame | None) -> dict[Any, Any] | None:
    if catalogue is None or catalogue.empty:
        return None
    from selfdata_lib.analysis.holders import find_holder

    return find_holder(holder, catalogue)


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def summary_figures(evaluated: pd.DataFrame) -> dict[str, Any]:
    """The headline numbers of judged requests: counts, the share answered within the month (among
    requests whose deadline has passed), the median delay of the answers, the share of answers with data
    that were machine-readable, the share satisfactory (in the month, with complete data).
    """
    due = evaluated[evaluated["due"]]
    came = evaluated[evaluated["status"].isin(["within_month", "extended", "late"])]
    with_data = came[came["data_received"]]
    satisfactory = (
        due["within_month"] & due["data_received"] & ~due["completeness"].isin(["partiel", "rien reçu"])
    )
    delays = came["delay_days"].dropna().astype(float)
    return {
        "requests": len(evaluated),
        "answered": len(came),
        "due": len(due),
        "pending": int((evaluated["status"] == "pending").sum()),
        "unanswered": int((evaluated["status"] == "unanswered").sum()),
        "within_month_share": _share(int(due["within_month"].sum()), len(due)),
        "answered_share": _share(len(came[came["due"]]), len(due)),
        "median_delay_days": float(delays.median()) if len(delays) else None,
        "machine_readable_share": _share(int(with_data["machine_readable"].sum()), len(with_data)),
        "satisfactory_share": _share(int(satisfactory.sum()), len(due)),
    }


def _finding(r: dict[Any, Any]) -> str:
    """One plain French sentence on one judged request."""
    from selfdata_lib import fr

    holder, status, days = r["holder"], r["status"], r["delay_days"]
    if status == "pending":
        return f"{holder} : en attente depuis le {fr.date(r['sent'])} ; le délai court jusqu'au {fr.date(r['deadline'])}."
    if status == "unanswered":
        return (
            f"{holder} : pas de réponse depuis le {fr.date(r['sent'])} ; le délai d'un mois a expiré le "
            f"{fr.date(r['deadline'])}. Relancer, puis saisir la CNIL (art. 77) si rien ne vient."
        )
    when = "le jour même" if days == 0 else f"en {fr.plural(days, 'jour')}"
    timing = {
        "within_month": "dans le délai d'un mois",
        "extended": "après le mois légal : permis jusqu'à trois mois seulement si le détenteur m'a prévenu "
        "de la prolongation, motifs à l'appui, dans le premier mois (art. 12.3)",
        "late": "au-delà même des trois mois : une réclamation à la CNIL est fondée (art. 77)",
    }[status]
    what = r["format_label"] or "rien de noté"
    parts = [f"{holder} a répondu {when}, {timing} ; reçu : {what}"]
    if r["data_received"] and not r["machine_readable"] and r["right"] == "portability":
        parts.append(
            "la portabilité demande un format structuré, couramment utilisé et lisible par machine (art. 20.1)"
        )
    if r["completeness"] == "partiel":
        parts.append("des données manquent")
    elif str(r["completeness"]).startswith("en partie"):
        parts.append(
            "le fichier ne contient pas tout ce que le catalogue recense chez ce détenteur "
            + str(r["completeness"])[len("en partie ") :]
        )
    if r["right"] == "portability" and r["portability_applies"] == "non":
        parts.append(
            "la portabilité ne s'applique pas à ce traitement (mission de service public ou obligation légale) : "
            "c'est le droit d'accès qui vaut, avec une copie électronique dans un format courant (art. 15.3)"
        )
    return " ; ".join(parts) + "."


def scorecard_table(evaluated: pd.DataFrame) -> pd.DataFrame:
    """The judged requests as a French table: one line per request, by holder."""
    rows = [
        {
            "détenteur": r["holder"],
            "droit": RIGHT_FR.get(r["right"], r["right"]),
            "envoyée le": r["sent"],
            "échéance": r["deadline"],
            "réponse le": r["answered"],
            "délai (jours)": r["delay_days"],
            "délai légal": STATUS_FR[r["status"]],
            "reçu": r["format_label"] or "—",
            "note de format (sur 4)": r["format_score"],
            "complétude": r["completeness"] or "—",
            "constat": _finding(r),
        }
        for r in evaluated.to_dict("records")
    ]
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Scorecard(Result):
    """My requests, judged against the law: delays, formats, completeness, and what each one means."""

    evaluated: pd.DataFrame
    as_of: pd.Timestamp
    doubts: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:
        """One line per request, in French (:func:`scorecard_table`)."""
        return scorecard_table(self.evaluated)

    @property
    def numbers(self) -> dict[str, Any]:
        """:func:`summary_figures` of my requests."""
        return summary_figures(self.evaluated)

    def figures(self) -> dict[str, Figure]:
        """Requests, the share answered in time, the median delay, the machine-readable share, the
        requests pending and overdue, and the scorecard itself.
        """
        n = self.numbers
        none_due = "aucune demande n'a encore atteint son échéance"
        records = [
            {k: _plain(v) for k, v in row.items() if k != "constat"} for row in self.table.to_dict("records")
        ]
        return {
            "requests": figure(n["requests"], warnings=self.doubts),
            "answered_within_deadline_share": figure(n["within_month_share"], digits=3, reason=none_due),
            "median_delay_days": figure(n["median_delay_days"], digits=1, reason="aucune réponse reçue"),
            "machine_readable_share": figure(
                n["machine_readable_share"], digits=3, reason="aucune réponse avec des données"
            ),
            "pending_requests": figure(n["pending"]),
            "overdue_requests": figure(n["unanswered"]),
            "scorecard": figure(records),
        }

    def notes(self) -> list[str]:
        """The date the deadlines are judged at."""
        from selfdata_lib import fr

        return [
            f"Délais jugés au {fr.date(self.as_of)} (les demandes plus récentes sont encore dans leur délai)."
        ]


def _plain(value: Any) -> Any:
    """A table cell as results.json keeps it: dates as ISO days, missing as ``None``."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def scorecard(log: pd.DataFrame, catalogue: pd.DataFrame | None = None, *, as_of: Any = None) -> Scorecard:
    """My requests log (:func:`selfdata_lib.exports.read_requests_log`) judged as of ``as_of`` (default:
    today), each holder looked up in the holders ``catalogue`` when given.
    """
    day = _as_of(as_of)
    return Scorecard(evaluate_requests(log, as_of=day, catalogue=catalogue), day, import_doubts(log))


# --- the observatory -----------------------------------------------------------------------------------


def contribution_rows(evaluated: pd.DataFrame) -> pd.DataFrame:
    """What one participant shares with the observatory, per request: the holder, the right, the month
    sent, the delay, the status, and whether data came, machine-readable and complete — never a file,
    an exact date or what the data say.
    """
    out = pd.DataFrame(
        {
            "participant": evaluated["participant"],
            "holder": evaluated["catalogue_holder"].fillna(evaluated["holder"])
            if "catalogue_holder" in evaluated
            else evaluated["holder"],
            "right": evaluated["right"],
            "month": [f"{d:%Y-%m}" for d in evaluated["sent"]],
            "delay_days": evaluated["delay_days"].astype(float).clip(upper=MAX_SHARED_DELAY_DAYS),
            "status": evaluated["status"],
            "data_received": evaluated["data_received"],
            "machine_readable": evaluated["machine_readable"],
            "complete": ~evaluated["completeness"].isin(["partiel", "rien reçu"])
            & evaluated["data_received"],
        }
    )
    return out.reset_index(drop=True)


def shared_rows(evaluated: pd.DataFrame) -> list[dict[Any, Any]]:
    """The rows of :func:`contribution_rows` as they leave the machine (plain JSON values, no participant)."""
    rows = contribution_rows(evaluated).drop(columns=["participant"])
    return [{k: _plain(v) for k, v in r.items()} for r in rows.to_dict("records")]


def campaign_payloads(campaign: pd.DataFrame, *, as_of: Any = None) -> dict[str, list[dict[Any, Any]]]:
    """Each participant of a simulated campaign (:func:`selfdata_lib.synth.requests.simulate_campaign`)
    as an observatory contribution would carry them: ``{participant: shared rows}``.
    """
    judged = evaluate_campaign(campaign, as_of=as_of)
    return {str(p): shared_rows(part) for p, part in judged.groupby("participant", sort=True)}


def evaluated_from_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Contributed rows (``household`` and the fields of :func:`contribution_rows`, as
    :func:`selfdata_lib.analysis.pooling.long_rows` gives them) as judged requests, so that the
    observatory reads contributions and logs alike: each household a participant, no date nor file.
    """
    status = rows["status"].astype(str)
    data = rows["data_received"].astype(bool)
    out = pd.DataFrame(
        {
            "participant": rows["household"].astype(str),
            "holder": rows["holder"].astype(str),
            "catalogue_holder": rows["holder"].astype(str),
            "right": rows["right"],
            "delay_days": rows["delay_days"].astype(float),
            "status": status,
            "due": status != "pending",
            "within_month": status == "within_month",
            "data_received": data,
            "machine_readable": rows["machine_readable"].astype(bool),
            "completeness": np.where(
                ~data,
                np.where(status.isin(ANSWERED), "rien reçu", ""),
                np.where(rows["complete"].astype(bool), "complet", "partiel"),
            ),
            "file": "",
        }
    )
    return out.reindex(columns=_EVALUATED)


def evaluate_campaign(campaign: pd.DataFrame, *, as_of: Any = None) -> pd.DataFrame:
    """A simulated campaign (:func:`selfdata_lib.synth.requests.simulate_campaign`) judged like a log,
    as of ``as_of`` — by default four months after the last request, when every deadline has passed.
    """
    if as_of is None:
        as_of = pd.Timestamp(campaign["date"].max()).tz_localize(None) + pd.DateOffset(months=4)
    return evaluate_requests(campaign, as_of=as_of)


def pool_logs(
    logs: dict[str, pd.DataFrame], *, as_of: Any = None, catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Participants' logs (``{participant: log frame}``, as :func:`selfdata_lib.exports.read_each` gives
    them) judged and pooled, one row per request.
    """
    frames = [
        evaluate_requests(log.assign(participant=name), as_of=as_of, catalogue=catalogue)
        for name, log in logs.items()
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_EVALUATED)


def holder_table(evaluated: pd.DataFrame, *, min_participants: int) -> pd.DataFrame:
    """Per holder: participants, requests, median delay, share answered in the month, share
    machine-readable, and ``published`` (at least ``min_participants`` participants; the others' figures
    are left empty).
    """
    rows = []
    for holder, part in evaluated.groupby("holder", sort=True):
        n = summary_figures(part)
        people = int(part["participant"].nunique())
        published = people >= min_participants
        rows.append(
            {
                "holder": holder,
                "participants": people,
                "requests": len(part),
                "published": published,
                "median_delay_days": n["median_delay_days"] if published else None,
                "within_month_share": n["within_month_share"] if published else None,
                "machine_readable_share": n["machine_readable_share"] if published else None,
                "satisfactory_share": n["satisfactory_share"] if published else None,
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(
        ["published", "within_month_share", "median_delay_days"],
        ascending=[False, False, True],
        na_position="last",
        key=lambda s: s.astype(float) if s.name != "published" else s,
    ).reset_index(drop=True)


def _percent(value: float | None) -> str:
    from selfdata_lib import fr

    return "—" if value is None or pd.isna(value) else fr.percent(value, 1)


@dataclass(frozen=True)
class Observatory(Result):
    """The pooled observatory: per holder (published from ``min_participants`` participants on), and
    the whole pool side by side with the AFCDP index.
    """

    evaluated: pd.DataFrame
    table: pd.DataFrame
    min_participants: int
    simulated: bool = False
    contributions: Any = None  # the pooling Validation of sealed contributions, when some were read

    @property
    def shown(self) -> pd.DataFrame:
        """The per-holder table in French; unpublished holders say why."""
        rows = []
        for r in self.table.to_dict("records"):
            rows.append(
                {
                    "détenteur": r["holder"],
                    "participants": r["participants"],
                    "délai médian (jours)": r["median_delay_days"],
                    "réponse dans le mois": _percent(r["within_month_share"]),
                    "export lisible par machine": _percent(r["machine_readable_share"]),
                    "publié": "oui"
                    if r["published"]
                    else f"non (moins de {self.min_participants} participants)",
                }
            )
        return pd.DataFrame(rows)

    @property
    def comparison(self) -> pd.DataFrame:
        """The pool and the AFCDP index 2024, indicator by indicator (French)."""
        n = summary_figures(self.evaluated)
        afcdp = AFCDP_INDEX_2024
        who = "campagne simulée" if self.simulated else "observatoire"
        return pd.DataFrame(
            [
                {
                    "indicateur": "organismes interrogés",
                    who: self.evaluated["holder"].nunique(),
                    "index AFCDP 2024": afcdp["organisations_tested"],
                },
                {
                    "indicateur": "demandes",
                    who: n["requests"],
                    "index AFCDP 2024": afcdp["organisations_tested"],
                },
                {
                    "indicateur": "réponse obtenue",
                    who: _percent(n["answered_share"]),
                    "index AFCDP 2024": _percent(afcdp["reacted_share"]),
                },
                {
                    "indicateur": "réponse dans le mois",
                    who: _percent(n["within_month_share"]),
                    "index AFCDP 2024": _percent(afcdp["answered_within_month_share"]),
                },
                {
                    "indicateur": "réponse satisfaisante",
                    who: _percent(n["satisfactory_share"]),
                    "index AFCDP 2024": _percent(afcdp["satisfactory_share"]),
                },
            ]
        )

    def figures(self) -> dict[str, Figure]:
        """Participants, holders published, the pool's shares, the AFCDP figures."""
        n = summary_figures(self.evaluated)
        published = self.table[self.table["published"]] if len(self.table) else self.table
        return {
            "observatory_participants": figure(int(self.evaluated["participant"].nunique())),
            "observatory_holders_published": figure(len(published)),
            "observatory_within_month_share": figure(
                n["within_month_share"], digits=3, reason="aucune demande échue"
            ),
            "observatory_machine_readable_share": figure(
                n["machine_readable_share"], digits=3, reason="aucune réponse avec des données"
            ),
            "afcdp_within_month_share": figure(AFCDP_INDEX_2024["answered_within_month_share"]),
            "afcdp_satisfactory_share": figure(AFCDP_INDEX_2024["satisfactory_share"]),
            "observatory_table": figure(
                [{k: _plain(v) for k, v in row.items()} for row in self.shown.to_dict("records")]
            ),
            **self._contribution_figures(),
        }

    def _contribution_figures(self) -> dict[str, Figure]:
        """Sealed contributions accepted and rejected — only when a folder of them was read."""
        checked = self.contributions
        if checked is None:
            return {}
        return {
            "observatory_contributions_accepted": figure(len(checked.accepted)),
            "observatory_contributions_rejected": figure(len(checked.rejected)),
        }

    def notes(self) -> list[str]:
        """Where the pool comes from and the publication rule; the AFCDP source."""
        notes = [
            f"Un détenteur n'est publié qu'à partir de {self.min_participants} participants : en dessous, un "
            "classement ne dit rien et pourrait désigner une personne.",
            f"Index AFCDP : {AFCDP_INDEX_2024['source']}. « Satisfaisante » n'y a pas exactement le sens retenu "
            "ici (réponse dans le mois, avec des données complètes).",
        ]
        if self.simulated:
            notes.insert(
                0,
                "Campagne simulée : les détenteurs (« Banque A », « Transport B »…) et leurs comportements sont "
                "fictifs ; ils montrent la méthode, pas la réalité.",
            )
        checked = self.contributions
        if checked is not None:
            from selfdata_lib import fr

            sims = int(checked.accepted["simulated"].sum())
            notes.append(
                f"{fr.plural(len(checked.accepted), 'contribution scellée retenue', 'contributions scellées retenues')}"
                + (f", dont {fr.number(sims)} de participants simulés" if sims else "")
                + f" ; {fr.plural(len(checked.rejected), 'écartée', 'écartées')}"
                + (
                    " : "
                    + " ; ".join(
                        f"{r['file']} — {r['reason']}" for r in checked.rejected.to_dict("records")[:10]
                    )
                    if len(checked.rejected)
                    else ""
                )
                + "."
            )
        return notes


def observatory(
    evaluated: pd.DataFrame, *, min_participants: int = 10, simulated: bool = False, contributions: Any = None
) -> Observatory:
    """The observatory of a pool of judged requests (:func:`evaluate_campaign`, :func:`pool_logs`,
    :func:`evaluated_from_rows`).
    """
    if min_participants < 1:
        msg = f"min_participants must be at least 1, got {min_participants}"
        raise ValueError(msg)
    return Observatory(
        evaluated,
        holder_table(evaluated, min_participants=min_participants),
        min_participants,
        simulated,
        contributions,
    )


def contributions_evaluated(
    source: Any, *, withdrawals: set[str] | None = None, release: str | None = None
) -> tuple[pd.DataFrame, Any]:
    """The sealed observatory contributions of ``source`` (a folder of ``selfdata contribute`` files or a
    list) validated by :func:`selfdata_lib.analysis.pooling.validate` — schema, seal, receipt, bounds
    (delays 0–365 days, booleans), duplicates, withdrawals — and their rows as judged requests.
    """
    from selfdata_lib.analysis import pooling

    checked = pooling.validate(source, withdrawals=withdrawals, release=release).of("portability-observatory")
    rows = pooling.long_rows(checked.accepted, "portability-observatory")
    return evaluated_from_rows(rows), checked


def observatory_of(
    logs: dict[str, pd.DataFrame],
    *,
    contributions: Any = None,
    withdrawals: set[str] | None = None,
    participants: int = 150,
    min_participants: int = 30,
    catalogue: pd.DataFrame | None = None,
    as_of: Any = None,
    seed: int = 22,
) -> Observatory:
    """The observatory of participants' logs (``{participant: log}``, :func:`selfdata_lib.exports.read_each`)
    and of sealed contributions (``contributions``: a folder, :func:`contributions_evaluated`; withdrawn
    households left out), or — when there are neither — of a simulated campaign of ``participants``
    people with fictional holders (:func:`selfdata_lib.synth.requests.simulate_campaign`), marked as such.
    """
    if contributions:
        shared, checked = contributions_evaluated(contributions, withdrawals=withdrawals)
        frames = [shared] + ([pool_logs(logs, as_of=as_of, catalogue=catalogue)] if logs else [])
        return observatory(
            pd.concat(frames, ignore_index=True),
            min_participants=min_participants,
            simulated=bool(checked.accepted["simulated"].any()),
            contributions=checked,
        )
    if logs:
        return observatory(
            pool_logs(logs, as_of=as_of, catalogue=catalogue), min_participants=min_participants
        )
    from selfdata_lib.synth.requests import simulate_campaign

    pool = evaluate_campaign(simulate_campaign(participants, seed=seed))
    return observatory(pool, min_participants=min_participants, simulated=True)


@dataclass(frozen=True)
class Contribution(Result):
    """What I would share with the observatory, and the receipt I would keep. Nothing is sent."""

    payload: list[dict[Any, Any]]
    receipt: dict[str, str]

    def figures(self) -> dict[str, Figure]:
        """``contribution_payload``: exactly what would leave the machine."""
        return {"contribution_payload": figure(self.payload)}


def my_contribution(card: Scorecard, *, min_participants: int = 10) -> Contribution:
    """My log as an observatory contribution (:func:`contribution_rows`) with its French receipt."""
    payload = shared_rows(card.evaluated)
    receipt = {
        "finalité": "observatoire de la réponse des détenteurs aux demandes d'accès et de portabilité",
        "destinataire": "observatoire citoyen (exemple : aucun n'existe encore ; rien n'est envoyé ici)",
        "ce qui serait envoyé": f"{len(payload)} ligne(s) : détenteur, droit, mois d'envoi, délai en jours "
        f"(plafonné à {MAX_SHARED_DELAY_DAYS}), respect du délai, données reçues, lisibles par machine, complètes ; "
        "scellées (sha256) par selfdata contribute portability-observatory, que je remets moi-même",
        "ce qui reste ici": "les dates exactes, les fichiers reçus et leur contenu, mon nom, le journal lui-même",
        "publication": f"par détenteur, seulement à partir de {min_participants} participants",
        "conservation": "jusqu'à la publication suivante, puis suppression des lignes individuelles",
        "retrait": "donner au destinataire l'identifiant de foyer de ma contribution scellée : elle sort de la "
        "publication suivante",
    }
    return Contribution(payload, receipt)


def example_contributions(
    logs: dict[str, tuple[pd.DataFrame, Any]],
    *,
    catalogue: pd.DataFrame | None = None,
    participants: int = 100,
    seed: int = 22,
) -> list[dict[str, Any]]:
    """The sealed contributions of the example observatory (the ``contributions-exemple`` folder of the use
    case): each persona's log judged as of its date (``{name: (log, as_of)}``), contributed as
    ``selfdata contribute`` would from its run (household ``exemple-<name>``), then the participants of a
    simulated campaign (:func:`selfdata_lib.synth.requests.simulate_campaign`, fictional holders).
    """
    from selfdata_lib.analysis import pooling
    from selfdata_lib.synth.requests import simulate_campaign

    items = []
    for name, (log, as_of) in logs.items():
        payload = my_contribution(scorecard(log, catalogue, as_of=as_of)).payload
        results = {"use_case": "portability-observatory", "results": {"contribution_payload": payload}}
        items.append(pooling.contribution_from_results(results, household=f"exemple-{name}"))
    campaign = simulate_campaign(participants, seed=seed)
    return items + pooling.simulated_contributions(campaign, use_case="portability-observatory")


# --- research: how sure is a ranking? -----------------------------------------------------------------


def bootstrap_holders(
    evaluated: pd.DataFrame, *, n_boot: int = 400, level: float = 0.9, seed: int = 0
) -> pd.DataFrame:
    """Per holder: the share answered in the month and the median delay, with their percentile bootstrap
    intervals at ``level`` (requests resampled with replacement within each holder), and the rank.

    Returns ``holder``, ``participants``, ``requests``, ``within_month_share``, ``share_low``,
    ``share_high``, ``median_delay_days``, ``delay_low``, ``delay_high``, ``interval_width``, ``rank``.
    """
    rng = np.random.default_rng(seed)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for holder, part in evaluated[evaluated["due"]].groupby("holder", sort=True):
        within = part["within_month"].to_numpy(dtype=float)
        delays = part["delay_days"].to_numpy(dtype=float)  # NaN when unanswered
        idx = rng.integers(0, len(part), size=(n_boot, len(part)))
        shares = within[idx].mean(axis=1)
        sampled = delays[idx]
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                medians = np.nanmedian(sampled, axis=1)
        answered = delays[~np.isnan(delays)]
        rows.append(
            {
                "holder": holder,
                "participants": int(part["participant"].nunique()),
                "requests": len(part),
                "within_month_share": float(within.mean()),
                "share_low": float(np.quantile(shares, lo_q)),
                "share_high": float(np.quantile(shares, hi_q)),
                "median_delay_days": float(np.median(answered)) if len(answered) else float("nan"),
                "delay_low": float(np.nanquantile(medians, lo_q))
                if np.isfinite(medians).any()
                else float("nan"),
                "delay_high": float(np.nanquantile(medians, hi_q))
                if np.isfinite(medians).any()
                else float("nan"),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["interval_width"] = table["share_high"] - table["share_low"]
    table = table.sort_values(["within_month_share", "median_delay_days"], ascending=[False, True])
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class Ranking(Result):
    """The holders ranked by the share answered in the month, with bootstrap intervals."""

    table: pd.DataFrame
    level: float

    @property
    def shown(self) -> pd.DataFrame:
        """The ranking in French."""
        return pd.DataFrame(
            [
                {
                    "rang": r["rank"],
                    "détenteur": r["holder"],
                    "participants": r["participants"],
                    "réponse dans le mois": _percent(r["within_month_share"]),
                    f"intervalle à {self.level:.0%}".replace("%", " %"): f"{_percent(r['share_low'])} – "
                    f"{_percent(r['share_high'])}",
                    "délai médian (jours)": r["median_delay_days"],
                }
                for r in self.table.to_dict("records")
            ]
        )

    def figures(self) -> dict[str, Figure]:
        """Holders ranked and the mean width of their intervals."""
        width = float(self.table["interval_width"].mean()) if len(self.table) else None
        return {
            "holders_ranked": figure(len(self.table)),
            "mean_interval_width": figure(width, digits=3, reason="aucun détenteur classé"),
        }


def rank_holders(evaluated: pd.DataFrame, *, n_boot: int = 400, level: float = 0.9, seed: int = 0) -> Ranking:
    """:func:`bootstrap_holders` as a result."""
    return Ranking(bootstrap_holders(evaluated, n_boot=n_boot, level=level, seed=seed), level)


def _kendall_tau(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import kendalltau

    result = kendalltau(a, b)
    return float(getattr(result, "statistic", result[0]))


def ranking_stability(
    *,
    sizes: tuple[int, ...] = (50, 100, 200, 400, 800),
    repeats: int = 30,
    population: int = 3000,
    seed: int = 22,
    tau_threshold: float = 0.8,
    required: float = 0.9,
) -> pd.DataFrame:
    """How stable a ranking is, against campaign size: a simulated population of ``population``
    participants (:func:`selfdata_lib.synth.requests.simulate_campaign`), from which campaigns of each
    size are drawn ``repeats`` times; each campaign ranks the holders by the share answered within the
    month, compared with the true ranking of the simulation.

    Returns one row per size: ``participants``, ``median_per_holder`` and ``min_per_holder`` (participants
    per holder), ``kendall_tau`` (median over repeats), ``stable_share`` (repeats with tau ≥
    ``tau_threshold``), ``rank_within_one`` (share of holder ranks within one place of the truth) and
    ``stable`` (``stable_share`` ≥ ``required``).
    """
    from selfdata_lib.synth.requests import simulate_campaign, true_within_month

    truth = true_within_month()
    campaign = simulate_campaign(population, seed=seed)
    judged = evaluate_campaign(campaign)
    judged = judged[judged["due"]]
    people = judged["participant"].unique()
    holders = truth.sort_values(ascending=False).index.tolist()
    true_rank = pd.Series(np.arange(1, len(holders) + 1), index=holders)
    rng = np.random.default_rng(seed + 1)
    codes = pd.Categorical(judged["participant"], categories=people).codes
    rows = []
    for size in sizes:
        taus, close, per_holder = [], [], []
        for _ in range(repeats):
            chosen = np.zeros(len(people), dtype=bool)
            chosen[rng.choice(len(people), size=min(size, len(people)), replace=False)] = True
            sample = judged[chosen[codes]]
            shares = sample.groupby("holder")["within_month"].mean().reindex(holders)
            counts = sample.groupby("holder")["participant"].nunique().reindex(holders).fillna(0)
            seen = shares.notna()
            estimated = shares[seen].rank(ascending=False, method="average")
            taus.append(
                _kendall_tau(estimated.to_numpy(), true_rank[seen].to_numpy()) if seen.sum() > 2 else 0.0
            )
            close.append(float((np.abs(estimated - true_rank[seen]) <= 1).mean()))
            per_holder.append(counts.to_numpy())
        counts_all = np.concatenate(per_holder)
        stable_share = float(np.mean(np.array(taus) >= tau_threshold))
        rows.append(
            {
                "participants": int(size),
                "median_per_holder": float(np.median(counts_all)),
                "min_per_holder": float(np.min(counts_all)),
                "kendall_tau": float(np.median(taus)),
                "stable_share": stable_share,
                "rank_within_one": float(np.mean(close)),
                "stable": stable_share >= required,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Stability(Result):
    """How many participants make the ranking stable (:func:`ranking_stability`)."""

    table: pd.DataFrame
    tau_threshold: float
    required: float

    @property
    def stable_size(self) -> int | None:
        """The smallest campaign from which every larger one tested is stable too (``None`` if none)."""
        ok = self.table.sort_values("participants")["stable"].to_numpy()[::-1].cumprod()[::-1].astype(bool)
        sizes = self.table.sort_values("participants")["participants"].to_numpy()
        return int(sizes[ok][0]) if ok.any() else None

    @property
    def stable_per_holder(self) -> int | None:
        """Median participants per holder in the smallest stable campaign (rounded up)."""
        size = self.stable_size
        if size is None:
            return None
        return math.ceil(
            float(self.table.loc[self.table["participants"] == size, "median_per_holder"].iloc[0])
        )

    @property
    def shown(self) -> pd.DataFrame:
        """The table in French."""
        return pd.DataFrame(
            {
                "participants à la campagne": self.table["participants"],
                "participants par détenteur (médiane)": self.table["median_per_holder"],
                "participants par détenteur (minimum)": self.table["min_per_holder"],
                "accord avec le vrai classement (tau de Kendall, médiane)": self.table["kendall_tau"].round(
                    2
                ),
                f"campagnes où tau ≥ {self.tau_threshold:g}": [
                    _percent(v) for v in self.table["stable_share"]
                ],
                "rangs justes à une place près": [_percent(v) for v in self.table["rank_within_one"]],
                "classement stable": self.table["stable"],
            }
        )

    def figures(self) -> dict[str, Figure]:
        """The campaign size and the participants per holder from which the ranking is stable."""
        never = f"aucune taille testée ne donne un tau ≥ {self.tau_threshold:g} dans {self.required:.0%} des campagnes"
        largest = self.table.sort_values("participants").iloc[-1]
        return {
            "campaign_sizes_tested": figure([int(s) for s in self.table["participants"]]),
            "stable_campaign_size": figure(self.stable_size, reason=never),
            "stable_participants_per_holder": figure(self.stable_per_holder, digits=0, reason=never),
            "kendall_tau_largest_campaign": figure(float(largest["kendall_tau"]), digits=3),
        }


def stability(
    *,
    sizes: Any = (50, 100, 200, 400, 800),
    repeats: int = 30,
    population: int = 3000,
    seed: int = 22,
    tau_threshold: float = 0.8,
    required: float = 0.9,
) -> Stability:
    """:func:`ranking_stability` as a result."""
    table = ranking_stability(
        sizes=tuple(int(s) for s in sizes),
        repeats=repeats,
        population=population,
        seed=seed,
        tau_threshold=tau_threshold,
        required=required,
    )
    return Stability(table, tau_threshold, required)


def describe_stability(result: Stability, ranking: Ranking | None = None) -> Reading:
    """The verdict of the campaign simulation, written from the table."""
    from selfdata_lib import fr

    size, per_holder = result.stable_size, result.stable_per_holder
    required = fr.percent(result.required)
    if size is None or per_holder is None:
        largest = result.table.sort_values("participants").iloc[-1]
        head = [
            f"Même avec {fr.number(int(largest['participants']))} participants, le classement des détenteurs n'est "
            f"pas stable : le tau de Kendall avec le vrai classement n'atteint {fr.number(result.tau_threshold, 1)} "
            f"que dans {fr.percent(float(largest['stable_share']))} des campagnes tirées."
        ]
    else:
        head = [
            f"Le classement devient stable à partir d'une campagne d'environ {fr.number(size)} participants, soit "
            f"{fr.number(per_holder)} participants par détenteur en médiane : à partir de là, {required} des "
            "campagnes tirées classent les détenteurs presque comme la vérité de la simulation (tau de Kendall ≥ "
            f"{fr.number(result.tau_threshold, 1)})."
        ]
    details = []
    small = result.table.sort_values("participants").iloc[0]
    details.append(
        f"Avec {fr.number(int(small['participants']))} participants ({fr.number(small['median_per_holder'])} par "
        f"détenteur en médiane), seuls {fr.percent(float(small['rank_within_one']))} des rangs sont justes à une "
        "place près."
    )
    if ranking is not None and len(ranking.table):
        width = float(ranking.table["interval_width"].mean())
        details.append(
            f"Dans la campagne simulée, l'intervalle de confiance de la part de réponses dans le mois a une "
            f"largeur moyenne de {fr.number(width * 100, 0)} points : deux détenteurs dont les intervalles se "
            "recouvrent ne doivent pas être départagés."
        )
    details.append(
        "D'où la règle de publication de l'observatoire : pas de chiffre pour un détenteur en dessous de ce "
        "nombre de participants."
    )
    return Reading(head, details)


def interpret(card: Scorecard, obs: Observatory | None = None) -> Reading:
    """My requests in words, from the scorecard (and the observatory): how many answered in time, the
    median delay, the formats; then the holders to chase and the comparison with the pool and the AFCDP.
    """
    from selfdata_lib import fr

    n = card.numbers
    ev = card.evaluated
    if not n["requests"]:
        return Reading(["Mon journal ne contient encore aucune demande : rien à juger."])
    head = []
    if card.doubts:
        head.append(f"**Attention : {' '.join(card.doubts)}**")
    share = n["within_month_share"]
    due_text = (
        f"sur les {fr.plural(n['due'], 'demande')} dont le délai est échu, {fr.percent(share)} ont reçu une "
        "réponse dans le mois légal"
        if share is not None
        else "aucune n'a encore atteint son délai d'un mois"
    )
    head.append(f"J'ai envoyé {fr.plural(n['requests'], 'demande')} d'accès ou de portabilité : {due_text}.")
    parts = []
    if n["median_delay_days"] is not None:
        parts.append(f"délai médian des réponses : {fr.plural(n['median_delay_days'], 'jour')}")
    if n["machine_readable_share"] is not None:
        parts.append(
            f"{fr.percent(n['machine_readable_share'])} des réponses avec des données étaient lisibles par machine"
        )
    if parts:
        head.append(parts[0][0].upper() + "; ".join(parts)[1:].replace("; ", " ; ") + ".")
    details = []
    chase = ev[ev["status"].isin(["unanswered", "late"])]
    if len(chase):
        details.append("À relancer ou à signaler à la CNIL : " + ", ".join(chase["holder"]) + ".")
    pending = ev[ev["status"] == "pending"]
    if len(pending):
        details.append("Encore dans leur délai : " + ", ".join(pending["holder"]) + ".")
    if obs is not None:
        pool = summary_figures(obs.evaluated)
        if pool["within_month_share"] is not None:
            who = "la campagne simulée" if obs.simulated else "l'observatoire"
            details.append(
                f"Dans {who}, {fr.percent(pool['within_month_share'])} des demandes échues ont eu une réponse dans "
                f"le mois ; l'index AFCDP 2024 en comptait {fr.percent(AFCDP_INDEX_2024['answered_within_month_share'], 1)} "
                f"sur {AFCDP_INDEX_2024['organisations_tested']} organismes."
            )
    return Reading(head, details)
