"""Run use-case notebooks with papermill and write ``notebook.ipynb``, ``report.html``, ``results.json``.

``results.json`` is ``{"use_case", "preset", "parameters", "results", "provenance", "duration_s", ...}``
where ``results`` holds what the notebook recorded with :func:`selfdata_lib.app.notebook.record` and
``provenance`` what it showed with :func:`~selfdata_lib.app.notebook.show_provenance`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from selfdata_lib import __version__, settings
from selfdata_lib.app.notebook import (
    HIDDEN_MIMES,
    bounds_warning,
    file_sha256,
    is_project_sample,
    read_records,
    to_jsonable,
)
from selfdata_lib.app.usecases import Preset, UseCase, get_use_case, list_use_cases
from selfdata_lib.errors import NotebookRunError, OutputError, ParameterError

if TYPE_CHECKING:
    from selfdata_lib.app.display import ShownFigure

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_TIMEOUT_S = 900


@dataclass(frozen=True)
class RunOutcome:
    """What one run produced; ``error`` is a short message when the notebook failed."""

    use_case: str
    preset: str
    out_dir: Path
    ok: bool
    duration_s: float
    error: str | None = None

    @property
    def results_path(self) -> Path:
        """The run's ``results.json``."""
        return self.out_dir / "results.json"


def default_out_dir(card: UseCase, preset: str) -> Path:
    """``outputs/<use case>/<preset>``: where a run writes unless told otherwise."""
    return settings.outputs_folder / card.id / preset


#: The library's exceptions: their messages are written in French for the user.
FRENCH_ERRORS = frozenset(
    {
        "DataUnavailableError",
        "NetworkUnavailableError",
        "NetworkDisabledError",
        "ExportFormatError",
        "ParameterError",
        "UseCaseCardError",
        "NotebookRunError",
        "OutputError",
        "BrowserError",
        "TerritoryError",
        "TerritoryToolError",
        "ContributionError",
        "BudgetExceededError",
        "OpenFiscaError",
    }
)


@dataclass(frozen=True)
class Failure:
    """Where and why a notebook stopped, said for people.

    ``step`` is the failing cell's French title (its first comment lines), ``section`` the heading of
    the part of the notebook it is in, ``message`` the error in French (the library's errors are written
    in French; another exception is introduced as unexpected, its own words after), ``advice`` what to
    do, ``technical`` the traceback without colours (folded away in the report).
    """

    step: str | None
    section: str | None
    exec_count: int | None
    ename: str
    evalue: str
    message: str
    advice: str
    technical: str = ""
    source: str = ""

    @property
    def summary(self) -> str:
        """One French sentence: which step failed and why."""
        where = f"L'étape « {self.step} »" if self.step else "Une étape du calcul"
        return f"{where} a échoué : {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """What ``results.json`` keeps (``summary`` for the gallery; no traceback)."""
        return {
            "step": self.step,
            "section": self.section,
            "cell": self.exec_count,
            "error": self.ename,
            "message": self.message,
            "advice": self.advice,
            "summary": self.summary,
        }


def step_title(source: str, limit: int = 160) -> str | None:
    """A code cell's French title: its leading comment lines joined (``# Lire mes trajets``)."""
    lines: list[str] = []
    for line in source.splitlines():
        if not line.strip():
            if lines:
                break
            continue
        if not line.lstrip().startswith("#"):
            break
        lines.append(line.lstrip().lstrip("#").strip())
    title = " ".join(ln for ln in lines if ln).strip()
    if not title or title.lower() in {"parameters", "paramètres"}:
        return None
    return title if len(title) <= limit else title[: limit - 1].rsplit(" ", 1)[0] + " …"


#: Signs that a message was written in French for the user (the library's ValueErrors on a bad value
#: are: « départ le … », « attendu … »): accents, French quotes, frequent short words.
_FRENCH_SIGNS = re.compile(r"[éèêàçùôî«»]|\b(le|la|les|des|du|une?|pas|est|sont|attendu|ou)\b", re.I)


def _said_in_french(ename: str, evalue: str) -> bool:
    """The library's own errors, and a standard one (``ValueError``…) whose message is French: both
    were written for the user; anything else is unexpected.
    """
    if ename in FRENCH_ERRORS:
        return True
    return ename in {"ValueError", "KeyError", "LookupError", "TypeError", "FileNotFoundError"} and bool(
        len(_FRENCH_SIGNS.findall(evalue)) >= 2
    )


def _french_message(ename: str, evalue: str) -> str:
    evalue = _ANSI.sub("", evalue).strip()
    if _said_in_french(ename, evalue) and evalue:
        return evalue
    if ename in {"KeyboardInterrupt", "CellTimeoutError", "DeadKernelError"}:
        return _stopped_message(ename, evalue)
    return f"erreur inattendue : {ename}: {evalue}" if evalue else f"erreur inattendue ({ename})"


def _stopped_message(ename: str, evalue: str) -> str:
    if ename == "CellTimeoutError":
        return f"elle a duré plus de {CELL_TIMEOUT_S // 60} minutes et a été arrêtée"
    if ename == "DeadKernelError":
        return "le noyau Python s'est arrêté en cours de route (mémoire insuffisante ?)"
    if ename == "KeyboardInterrupt":
        return "l'exécution a été interrompue"
    return f"erreur inattendue : {ename}: {evalue}"


def _advice(ename: str, evalue: str, card: UseCase, params: dict[str, Any]) -> str:
    """What to do about a failure, in French."""
    live = str(params.get("open_data", "")).lower() == "live"
    offline_way = (
        "relancez avec -p open_data auto pour utiliser les données déjà sur la machine (cache, "
        "dossiers de données, échantillons du projet)"
        if live
        else "utilisez les données déjà sur la machine (`selfdata data list` montre ce qui est disponible)"
    )
    if ename == "NetworkDisabledError":
        return f"Le mode hors ligne est activé : relancez sans SELFDATA_OFFLINE=1 pour télécharger, ou {offline_way}."
    if ename == "NetworkUnavailableError":
        return f"Vérifiez l'accès à Internet puis relancez ; ou {offline_way}."
    if ename == "DataUnavailableError":
        return (
            "Une donnée nécessaire manque sur cette machine : `selfdata data list` montre les jeux de "
            "données disponibles, `selfdata data fetch NOM` en télécharge un (une fois, en ligne)."
        )
    if ename == "ExportFormatError":
        return (
            "Vérifiez que le fichier donné est bien l'export attendu, tel que téléchargé : "
            "`selfdata detect FICHIER` dit ce qu'il contient."
        )
    if ename in {"ParameterError", "TerritoryError", "TerritoryToolError"}:
        return f"Corrigez la valeur indiquée avec -p NOM VALEUR (`selfdata params {card.id}` liste les paramètres)."
    if ename == "CellTimeoutError":
        return "Relancez sur une période plus courte ou sur une machine moins chargée."
    if ename == "DeadKernelError":
        return "Fermez d'autres programmes pour libérer de la mémoire, ou relancez avec moins de données."
    if _said_in_french(ename, evalue):
        return "Corrigez ce qu'indique le message (une valeur donnée avec -p NOM VALEUR ?), puis relancez."
    return (
        "Ce n'est pas une erreur prévue : les détails techniques, en bas du rapport, aident à la signaler "
        "aux auteurs du projet (avec le fichier notebook.ipynb de ce dossier)."
    )


def failure_of(nb: nbformat.NotebookNode, card: UseCase, params: dict[str, Any]) -> Failure | None:
    """The failure recorded in an executed notebook (the first code cell with an error output), or
    ``None`` when no cell failed.
    """
    section = None
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            heading = next(
                (ln for ln in cell.get("source", "").splitlines() if re.match(r"#{1,6} ", ln)), None
            )
            if heading and PAPERMILL_ERROR_TAG not in cell.get("metadata", {}).get("tags", []):
                section = heading.lstrip("#").strip()
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            ename = str(out.get("ename", "Exception"))
            evalue = _ANSI.sub("", str(out.get("evalue", ""))).strip()
            technical = _ANSI.sub("", "\n".join(out.get("traceback", []))).strip()
            return Failure(
                step_title(cell.get("source", "")),
                section,
                cell.get("execution_count"),
                ename,
                evalue,
                _french_message(ename, evalue),
                _advice(ename, evalue, card, params),
                technical or f"{ename}: {evalue}",
                cell.get("source", ""),
            )
    return None


def _failure_from(exc: BaseException, card: UseCase, params: dict[str, Any]) -> Failure:
    """A failure seen by papermill but not written in the notebook (a cell too long, the kernel dead,
    the notebook unreadable).
    """
    ename = str(getattr(exc, "ename", type(exc).__name__))
    evalue = _ANSI.sub("", str(getattr(exc, "evalue", exc))).strip()
    source = str(getattr(exc, "source", "") or "")
    if ename in {"KeyboardInterrupt", "CellTimeoutError", "DeadKernelError"}:
        message = _stopped_message(ename, evalue)
    elif _said_in_french(ename, evalue):
        message = evalue
    else:
        message = f"le notebook n'a pas pu être exécuté : {ename}: {evalue[:300]}"
    return Failure(
        step_title(source),
        None,
        getattr(exc, "exec_count", None),
        ename,
        evalue,
        message,
        _advice(ename, evalue, card, params),
        f"{ename}: {evalue}",
        source,
    )


def _short_error(card: UseCase, failure: Failure) -> str:
    """The failure in a few lines for the terminal: the step and cell, the French message, the code of
    the cell for an unexpected error, what to do.
    """
    cell = f"la cellule [{failure.exec_count}]" if failure.exec_count else "une cellule"
    where = (
        f"l'étape « {failure.step} » ({cell} de {card.notebook})"
        if failure.step
        else f"{cell} de {card.notebook}"
    )
    msg = f"{card.id} : {where} a échoué — {failure.message}"
    lines = [ln for ln in failure.source.splitlines() if ln.strip()][:4]
    if lines and not _said_in_french(failure.ename, failure.evalue):
        msg += "\n" + "\n".join(f"    > {ln}" for ln in lines)
    return msg + f"\nQue faire : {failure.advice}"


MINE = "mes-donnees"  # the name of a run on the user's own files: never a persona's name


@dataclass(frozen=True)
class RunPlan:
    """What a run will do, settled before anything runs.

    ``mode`` is ``"preset"`` (a persona's preset as is), ``"preset-modified"`` (a preset with some of
    its settings changed, written beside the preset's outputs, never over them) or ``"mine"`` (the
    user gave their own files: no preset applies, every personal-data parameter they did not give is
    empty, and the household facts of the card's ``mine`` declarations replace the persona's).
    """

    card: UseCase
    name: str
    mode: str
    parameters: dict[str, Any]
    preset: Preset | None = None

    @property
    def label(self) -> str:
        """How reports and the gallery name the run, in French."""
        if self.mode == "mine":
            return "vos fichiers"
        assert self.preset is not None, "a preset run has its preset"
        if self.mode == "preset-modified":
            return f"{self.preset.name} (paramètres modifiés)"
        return self.preset.name


def plan_run(
    card: UseCase,
    preset: str | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    base: Path | None = None,
) -> RunPlan:
    """Check the user's parameters against the notebook's and decide what runs (see :class:`RunPlan`).

    Raises :class:`~selfdata_lib.errors.ParameterError` (French message) for an unknown or mistyped
    parameter, a missing file, a required value not given in a run on one's own files, or a preset
    combined with one's own files.
    """
    from selfdata_lib.app.parameters import REQUIRED, check_overrides, parameter_specs

    specs = parameter_specs(card)
    given = check_overrides(card, overrides or {}, base=base, specs=specs)
    personal = card.personal_parameters
    _check_personal_files(card, given, specs)
    own = [
        name
        for name, value in given.items()
        if name in personal
        and value not in ("", None)
        and str(value).lower() not in {str(c).lower() for c in specs[name].choices}
    ]
    if not own:
        chosen = card.preset(preset)
        params: dict[str, Any] = {**chosen.parameters, **given}
        _check_auto_sources(card, specs, params)
        if given:
            return RunPlan(card, f"{chosen.name}-modifie", "preset-modified", params, chosen)
        return RunPlan(card, chosen.name, "preset", params, chosen)
    if preset is not None:
        msg = (
            f"--preset {preset} décrit une personne fictive ; avec vos propres fichiers "
            f"({', '.join(own)}), aucun préréglage ne s'applique. Retirez --preset : les paramètres du "
            "notebook s'appliquent, et vous changez ceux qui vous concernent avec -p NOM VALEUR."
        )
        raise ParameterError(msg)
    params = {}
    asked: list[str] = []
    for name, spec in specs.items():
        if name in given:
            params[name] = given[name]
        elif name in personal and not spec.has_mine:
            params[name] = ""  # never a persona's file
        elif spec.has_mine:
            if spec.mine == REQUIRED:
                asked.append(name)
            else:
                params[name] = spec.mine
    if asked:
        msg = (
            f"Avec vos propres fichiers, {card.id} a besoin de : "
            + "; ".join(f"« {n} » ({specs[n].help}, {specs[n].describe()})" for n in asked)
            + ". Donnez-les avec -p NOM VALEUR (par exemple -p "
            + f"{asked[0]} …). Rien n'a été lancé."
        )
        raise ParameterError(msg)
    needed = []
    for item in {id(i): i for i in personal.values()}.values():
        names = [item["parameter"]] if isinstance(item["parameter"], str) else item["parameter"]
        if item.get("required", True) and not any(params.get(n) for n in names):
            needed.append(f"{item.get('description', item['kind'])} (-p {names[0]} FICHIER)")
    if needed:
        msg = f"{card.id} a besoin aussi de : " + "; ".join(needed) + ". Rien n'a été lancé."
        raise ParameterError(msg)
    _check_auto_sources(card, specs, params)
    return RunPlan(card, MINE, "mine", params)


_LOCATION_KINDS = {"visits", "trips", "location_points"}


def _check_personal_files(card: UseCase, given: dict[str, Any], specs: dict) -> None:
    """Each personal file given is recognised, and holds the kind of data its parameter expects —
    checked before anything runs (a GPX given as a water export is refused here, in French).
    """
    from selfdata_lib.errors import ExportFormatError
    from selfdata_lib.exports import KINDS, detect_format
    from selfdata_lib.exports._base import KIND_NAMES

    for name, value in given.items():
        item = card.personal_parameters.get(name)
        if not item or not isinstance(value, str) or not value or not Path(value).is_file():
            continue
        if Path(value).suffix.lower() == ".zip" or item["kind"] not in KINDS:
            continue  # an archive is opened by the notebook; "places" and "any" are not file kinds
        try:
            fmt = detect_format(value)
        except ExportFormatError as exc:
            msg = f"Le paramètre « {name} » ({specs[name].help}) : {exc} Rien n'a été lancé."
            raise ParameterError(msg) from None
        wanted = _LOCATION_KINDS if item["kind"] in _LOCATION_KINDS else {item["kind"]}
        if not wanted & set(fmt.kinds):
            msg = (
                f"Le paramètre « {name} » attend {item.get('description', KIND_NAMES.get(item['kind']))} ; "
                f"{Path(value).name} est un fichier « {fmt.title} » "
                f"({', '.join(KIND_NAMES.get(k, k) for k in fmt.kinds)}). Rien n'a été lancé."
            )
            raise ParameterError(msg)


def _check_auto_sources(card: UseCase, specs: dict, params: dict[str, Any]) -> None:
    """An ``"auto"`` value needs what it is derived from (a place from the location export)."""
    for name, spec in specs.items():
        value = params.get(name, spec.default)
        source = params.get(spec.auto_from, specs[spec.auto_from].default) if spec.auto_from else None
        if spec.auto_from and str(value).lower() == "auto" and not source:
            msg = (
                f"« {name} » vaut « auto » : il se déduit de « {spec.auto_from} » "
                f'({specs[spec.auto_from].help}), qui est vide. Donnez -p {name} "lat,lon" ou '
                f"-p {spec.auto_from} FICHIER. Rien n'a été lancé."
            )
            raise ParameterError(msg)


_REPORT_CSS = """
.sd-report{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2430;max-width:1100px}
.sd-report h1{font-size:1.7em;margin:.2em 0 .3em}.sd-question{font-size:1.1em;color:#3c4656;margin:.2em 0 1em}
.sd-meta{color:#4a5463;font-size:.95em}.sd-territory{background:#e3ecf7;color:#1f3b57;border-radius:10px;
padding:.05em .6em;font-weight:600;margin-right:.4em}
.sd-badge{border-radius:4px;padding:.05em .5em;margin-right:.3em;font-size:.9em;border:1px solid transparent;
display:inline-block;white-space:nowrap}
.sd-mine{background:#d4f1dc;border-color:#2e7d32}.sd-sample{background:#fff1c2;border-color:#8a6d00}
.sd-headline{font-size:1.2em;line-height:1.5;background:#f3f6fa;border-left:6px solid #1f3b57;padding:.7em 1em;
margin:1em 0}
.sd-cards{display:grid;gap:.8em;grid-template-columns:repeat(auto-fill,minmax(min(100%,150px),1fr));margin:1em 0}
.sd-card{background:#fff;border:1px solid #d8dde4;border-radius:8px;padding:.6em .8em;min-width:0;overflow-wrap:break-word}
.sd-card .sd-label{color:#4a5463;font-size:.9em}.sd-card .sd-value{font-size:1.35em;font-weight:600;margin-top:.2em}
.sd-card .sd-value.sd-long{font-size:1em;font-weight:500}
.sd-unit{font-size:.72em;font-weight:500;white-space:nowrap}.sd-warn{color:#8f3b00;font-size:.9em}.sd-why{color:#4a5463;font-size:.9em}
.sd-failure{background:#fdecee;border-left:6px solid #b00020;padding:.6em 1em;margin:1em 0}
.sd-failure h2{font-size:1.2em;margin:.2em 0;color:#8a0018}.sd-failure-message{font-weight:600}
details.sd-technical pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em;background:#f6f7f9;padding:.6em}
.sd-report details{margin:.5em 0}.sd-report summary{cursor:pointer;font-weight:600;color:#1f3b57}
.sd-report table{border-collapse:collapse;font-size:.95em}.sd-report td,.sd-report th{padding:.2em .5em;
text-align:left;vertical-align:top;border-bottom:1px solid #eef0f3}
table.sd-table{border-collapse:collapse;margin:.5em 0}table.sd-table td,table.sd-table th{padding:.2em .6em;
border-bottom:1px solid #eef0f3;text-align:left}table.sd-table td{font-variant-numeric:tabular-nums}
.jp-OutputArea-output{overflow-x:auto}img{max-width:100%;height:auto}
.sd-report details table,.jp-RenderedHTMLCommon table{display:block;max-width:100%;overflow-x:auto}
.sd-report details td,.sd-report details th{overflow-wrap:anywhere}.selfdata-provenance{max-width:100%}
@media (max-width:600px){.sd-report h1{font-size:1.35em}.sd-headline{font-size:1.05em}body{margin:0 .4em}}
"""


def _parameter_rows(card: UseCase, params: dict[str, Any]) -> str:
    from selfdata_lib.app.parameters import parameter_specs

    try:
        specs = parameter_specs(card)
    except Exception:  # a card whose notebook cannot be read still gets its report
        specs = {}
    rows = []
    for name, value in params.items():
        spec = specs.get(name)
        label = (spec.help if spec and spec.help else name).split(";")[0]
        shown = Path(value).name if isinstance(value, str) and ("/" in value or "\\" in value) else value
        text = (
            "—" if shown in ("", None) else ("oui" if shown is True else "non" if shown is False else shown)
        )
        rows.append(
            f"<tr><th scope='row'>{html.escape(str(label))}</th><td>{html.escape(str(text))}</td>"
            f"<td><code>{html.escape(name)}</code></td></tr>"
        )
    return "".join(rows)


def failure_html(failure: Failure | None) -> str:
    """The French summary that opens a failed run's report: the step that failed, the message, what to
    do; the traceback is further down, folded in « Détails techniques ».
    """
    esc = html.escape
    if failure is None:
        return (
            "<div class='sd-failure' role='alert'><h2>Cette analyse s'est arrêtée avant la fin</h2>"
            "<p>Les résultats ci-dessous sont ceux des étapes qui ont abouti.</p></div>"
        )
    part = f" (partie « {esc(failure.section)} »)" if failure.section and failure.step else ""
    where = f"L'étape « {esc(failure.step)} »{part}" if failure.step else "Une étape du calcul"
    return (
        "<div class='sd-failure' role='alert'><h2>Cette analyse s'est arrêtée avant la fin</h2>"
        f"<p>{where} a échoué :</p><p class='sd-failure-message'>{esc(failure.message)}</p>"
        f"<p><strong>Que faire ?</strong> {esc(failure.advice)}</p>"
        "<p class='sd-why'>Les résultats ci-dessous sont ceux des étapes qui ont abouti ; les détails "
        "techniques de l'erreur sont repliés en bas du rapport.</p></div>"
    )


def _report_header(
    card: UseCase, payload: dict[str, Any], figures: list[ShownFigure], failure: Failure | None = None
) -> str:
    """The opening of a report: title, question (for a failed run, what failed and what to do), the
    headline sentences, the key figures as cards, then all results, the files read, the open data and
    the parameters folded away.
    """
    from selfdata_lib.app.display import bold_html, breakable_html, value_html, whose_badges

    esc = html.escape
    key = [f for f in figures if f.headline] or figures[:4]
    cards = "".join(
        f"<div class='sd-card'><div class='sd-label'>{esc(f.label)}</div>"
        # a sentence or a list as value (« Mon meilleur trajet… · Qui détient… ») reads at text size
        f"<div class='sd-value{' sd-long' if len(f.text) > 40 and not f.missing else ''}'>"
        f"{value_html(f.text) if not f.missing else '—'}</div>"
        + (f"<div class='sd-why'>{breakable_html(f.text)}</div>" if f.missing else "")
        + "".join(f"<div class='sd-warn'>⚠ {esc(w)}</div>" for w in f.warnings)
        + "</div>"
        for f in key
    )
    rows = "".join(
        f"<tr><th scope='row'>{esc(f.label)}</th><td>{f.table_html or esc(f.text)}"
        + "".join(f"<div class='sd-warn'>⚠ {esc(w)}</div>" for w in f.warnings)
        + "</td></tr>"
        for f in figures
    )
    headline = payload.get("headline") or ""
    status = "" if payload["status"] == "ok" else failure_html(failure)
    inputs = payload.get("inputs") or []
    files = ""
    if inputs:
        from selfdata_lib.app.notebook import inputs_html

        files = f"<details><summary>Fichiers lus ({len(inputs)})</summary>{inputs_html(inputs)}</details>"
    prov = payload.get("provenance") or []
    opened = ""
    if prov:
        from selfdata_lib.app.notebook import provenance_html

        opened = (
            f"<details><summary>Données ouvertes utilisées ({len(prov)})</summary>"
            + "".join(provenance_html(p) for p in prov)
            + "</details>"
        )
    from selfdata_lib.app.display import today

    return (
        f"<div class='sd-report'><p class='sd-meta'><span class='sd-territory'>{esc(payload.get('territory') or card.territory)}</span>"
        f"{whose_badges(payload)} · exécuté le {today()}</p>"
        f"<h1>{esc(card.title)}</h1><p class='sd-question'>{esc(card.question)}</p>{status}"
        + (f"<div class='sd-headline'><p>{bold_html(headline)}</p></div>" if headline else "")
        + f"<h2>Les chiffres clés</h2><div class='sd-cards'>{cards}</div>"
        f"<details><summary>Tous les résultats ({len(figures)})</summary><table>{rows}</table></details>"
        f"{files}{opened}"
        f"<details><summary>Paramètres</summary><table>{_parameter_rows(card, payload['parameters'])}</table>"
        "</details></div>"
    )


_REMOTE_SCRIPT = re.compile(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.S)
_CDN_MODULE = re.compile(r"<script[^>]*>(?:(?!</script>).)*?https://cdn(?:(?!</script>).)*?</script>", re.S)
_MATHJAX_CONFIG = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def _alt_texts(nb: nbformat.NotebookNode) -> list[str]:
    """For each image output in order, a French alternative text: the comment heading its cell."""
    alts = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        lines = [ln.strip("# ").strip() for ln in cell.get("source", "").splitlines() if ln.startswith("#")]
        alt = lines[0] if lines else "graphique"
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {}):
                alts.append(alt)
    return alts


def finish_page(body: str, *, alts: list[str] | None = None, title: str = "") -> str:
    """A report page made for people and offline use: ``lang="fr"``, the house styles, alternative texts
    on the charts, no script fetched from the network (nbconvert's require.js and MathJax links).
    """
    body = _MATHJAX_CONFIG.sub("", _REMOTE_SCRIPT.sub("", body))
    body = _CDN_MODULE.sub("", body)  # nbconvert's mermaid loader imports from a CDN
    body = re.sub(r"<html[^>]*>", "<html lang='fr'>", body, count=1)
    generator = f"<meta name='generator' content='selfdata_lib {html.escape(__version__)}'>"
    body = body.replace("</head>", f"{generator}<style>{_REPORT_CSS}</style></head>", 1)
    if title:
        body = re.sub(
            r"<title>.*?</title>", f"<title>{html.escape(title)}</title>", body, count=1, flags=re.S
        )
    queue = list(alts or [])

    def add_alt(match: re.Match[str]) -> str:
        alt = queue.pop(0) if queue else "graphique"
        return f'<img alt="{html.escape(alt)}" ' + match.group(1)

    return re.sub(r"<img (?![^>]*\balt=)(src=\"data:image)", add_alt, body)


PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"


def _folded_error(output: dict[str, Any]) -> nbformat.NotebookNode:
    """An error output as a folded « Détails techniques » block: the traceback, without colours, for
    whoever reports the problem.
    """
    text = _ANSI.sub("", "\n".join(output.get("traceback", []))).strip()
    text = text or f"{output.get('ename', '')}: {output.get('evalue', '')}"
    page = (
        "<details class='sd-technical'><summary>Détails techniques</summary>"
        "<p>Le message complet de l'erreur, pour la signaler aux auteurs du projet :</p>"
        f"<pre>{html.escape(text)}</pre></details>"
    )
    return nbformat.v4.new_output("display_data", data={"text/html": page})


def render_report(nb: nbformat.NotebookNode, header_html: str, path: Path, *, title: str = "") -> Path:
    """Write the executed notebook as HTML with code hidden and maps kept interactive."""
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy
    # the parameters, and papermill's English banners of a failed run (the header says it in French)
    dropped = {"parameters", "injected-parameters", PAPERMILL_ERROR_TAG}
    nb.cells = [c for c in nb.cells if not dropped & set(c.get("metadata", {}).get("tags", []))]
    for cell in nb.cells:  # recorded values have no visual form: the header and gallery show them
        if cell.get("outputs"):
            cell["outputs"] = [
                _folded_error(o) if o.get("output_type") == "error" else o
                for o in cell["outputs"]
                if o.get("output_type") == "error"
                or not set(o.get("data", {"text/plain": 1})) <= HIDDEN_MIMES
            ]
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "markdown" and first.source.lstrip().startswith("# "):
        rest = first.source.lstrip().split("\n", 1)[1] if "\n" in first.source else ""
        # the header has the title and the card's question: the intro's bold question goes too
        first.source = re.sub(r"^\s*\*\*[^\n]*\?\*\*\s*", "", rest)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(header_html))
    exporter = HTMLExporter(
        template_name="lab", exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    path.write_text(finish_page(body, alts=_alt_texts(nb), title=title), encoding="utf-8")
    return path


_SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


def report_problems(nb: nbformat.NotebookNode) -> list[str]:
    """What a citizen should not see in a report, found in the executed notebook's outputs: raw text
    outputs (printed dicts, JSON, series with their ``dtype`` footer, bare numbers), warnings on the
    error stream, tables with a bare 0, 1, 2… index or code names as headers. Empty when clean.
    """
    from selfdata_lib.fr import WORDS

    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            where = f"cellule {i}"
            if out.get("output_type") == "stream":
                problems.append(f"{where} : texte brut ({out.get('name')}) : {str(out.get('text'))[:80]!r}")
                continue
            if out.get("output_type") == "error":
                continue  # a failed run says so in its header
            data = set(out.get("data", {})) - HIDDEN_MIMES
            if data and data <= {"text/plain"}:
                text = str(out["data"]["text/plain"])
                problems.append(f"{where} : sortie brute sans mise en forme : {text[:80]!r}")
            page = str(out.get("data", {}).get("text/html", ""))
            if "<table" in page:
                heads = [
                    re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
                ]
                codes = [h for h in heads if _SNAKE.match(h) or WORDS.get(h, h) != h]
                if codes:
                    problems.append(f"{where} : en-têtes de tableau non traduits : {sorted(set(codes))[:6]}")
                if re.search(r"<tbody>\s*<tr>\s*<th[^>]*>\s*0\s*</th>", page):
                    problems.append(f"{where} : tableau avec un index 0, 1, 2… nu")
            if "dtype:" in str(out.get("data", {}).get("text/plain", "")) and not page:
                problems.append(f"{where} : série pandas affichée brute (dtype)")
    return problems


def _expected_inputs(plan: RunPlan) -> list[Path]:
    """The user's files given as file parameters (a folder's files are the notebook's to list)."""
    out = []
    for name in plan.card.personal_parameters:
        value = plan.parameters.get(name)
        if isinstance(value, str) and value and Path(value).is_file():
            out.append(Path(value).resolve())
    return out


def _complete_inputs(plan: RunPlan, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the personal files given but not shown by the notebook (a run that failed early, say), so
    that ``inputs`` always names every file the run was given.
    """
    seen = {str(Path(e["path"]).resolve()) for e in inputs if e.get("path")}
    out = list(inputs)
    for path in _expected_inputs(plan):
        if str(path) in seen:
            continue
        out.append(
            {
                "file": path.name,
                "path": str(path),
                "format": None,
                "kinds": [],
                "first": None,
                "last": None,
                "rows_read": None,
                "rows_kept": None,
                "rows_rejected": None,
                "warnings": ["fichier donné mais pas lu par le notebook (exécution interrompue ?)"],
                "sha256": file_sha256(path),
                "sample": is_project_sample(path),
            }
        )
    return out


def run_use_case(
    card_id: str | UseCase,
    preset: str | None = None,
    *,
    overrides: dict[str, Any] | None = None,
    out_dir: Path | None = None,
    kernel_name: str = "python3",
    block_network: bool | None = None,
    threads: int | None = None,
) -> RunOutcome:
    """Run one preset of a use case (or research notebook), or the user's own files, and write its outputs.

    Parameters
    ----------
    card_id
        Card id (``lyon-water-district``) or a loaded card.
    preset
        Preset name; the card's first preset when ``None`` — unless ``overrides`` give the user's own
        files, which makes a run of its own (:func:`plan_run`).
    overrides
        Parameters replacing the preset's (``-p NAME VALUE`` on the command line); checked before
        anything runs (:class:`~selfdata_lib.errors.ParameterError` when unknown or mistyped).
    out_dir
        Folder for the outputs (default ``outputs/<id>/<run name>/``: the preset, ``<preset>-modifie``
        or ``mes-donnees``).
    block_network
        Block non-loopback sockets inside the kernel (default: from ``SELFDATA_BLOCK_NETWORK``).
    threads
        BLAS/OpenMP threads the kernel may use (:func:`thread_limits`; default: every core).

    Returns
    -------
    A :class:`RunOutcome`; a failed notebook gives ``ok=False`` and a short ``error``, and its
    partial outputs and ``results.json`` (with ``"status": "failed"``) are still written. The run works
    in a private folder moved into place when complete: an interrupted run leaves the previous outputs
    untouched, and a second run into the same folder is refused while one is going.
    """
    card = card_id if isinstance(card_id, UseCase) else get_use_case(card_id)
    plan = plan_run(card, preset, overrides)
    final_dir = Path(out_dir) if out_dir else default_out_dir(card, plan.name)
    with _run_folder(final_dir) as work_dir:
        outcome = _execute(
            card, plan, work_dir, kernel_name=kernel_name, block_network=block_network, threads=threads
        )
    return RunOutcome(
        outcome.use_case, outcome.preset, final_dir, outcome.ok, outcome.duration_s, outcome.error
    )


@contextmanager
def _run_folder(final_dir: Path):
    """A private folder for one run, moved into place only when the run is complete.

    A lock file beside ``final_dir`` refuses a second run into the same folder while one is going; an
    interrupted run (Ctrl-C, SIGTERM, a crash of this process) removes its partial folder and leaves
    the previous complete outputs as they were. :class:`OutputError` (French, one line) when the folder
    cannot be written.
    """
    import shutil

    parent = final_dir.parent
    lock = parent / f".{final_dir.name}.lock"
    fd = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = (
            f"Impossible d'écrire les résultats dans {final_dir} ({exc.strerror or exc}) : choisissez un "
            "autre dossier avec --out."
        )
        raise OutputError(msg) from exc
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            break
        except FileExistsError:
            owner = lock.read_text().strip() if lock.exists() else ""
            if owner.isdigit() and _alive(int(owner)):
                msg = (
                    f"Une autre exécution (processus {owner}) écrit déjà dans {final_dir} : attendez qu'elle se "
                    "termine, ou donnez un autre dossier avec --out."
                )
                raise OutputError(msg) from None
            lock.unlink(missing_ok=True)  # left by a run that died: take it over
        except OSError as exc:
            msg = (
                f"Impossible d'écrire les résultats dans {final_dir} ({exc.strerror or exc}) : choisissez un "
                "autre dossier avec --out."
            )
            raise OutputError(msg) from exc
    if fd is None:
        msg = f"Impossible de réserver {final_dir} pour cette exécution : réessayez, ou donnez un autre dossier avec --out."
        raise OutputError(msg)
    with os.fdopen(fd, "w") as fh:
        fh.write(str(os.getpid()))
    work = parent / f".{final_dir.name}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        work.mkdir()
        yield work
        old = parent / f".{final_dir.name}.old-{os.getpid()}"
        if final_dir.exists():
            final_dir.rename(old)
        work.rename(final_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kernel_manager_with(env: dict[str, str]) -> type:
    """A kernel manager class whose kernels get ``env`` on top of this process's environment (the
    card to check results against, the network switch) — without touching ``os.environ``.
    """
    from jupyter_client.manager import AsyncKernelManager

    extra = dict(env)

    class _KernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            kw["env"] = {**kw.get("env", os.environ), **extra}
            return await super()._async_pre_start_kernel(**kw)

    return _KernelManager


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def thread_limits(threads: int | None) -> dict[str, str]:
    """The environment that keeps a kernel's BLAS and OpenMP pools (numpy, scikit-learn's gradient
    boosting) to ``threads``: several kernels each using every core oversubscribe the machine
    (measured: a Vélo'v notebook 69 s with every core in a busy machine, 8.4 s with one thread).
    A limit the user set in the environment is kept.
    """
    if not threads:
        return {}
    return {name: str(threads) for name in THREAD_VARIABLES if name not in os.environ}


def _execute(
    card: UseCase,
    plan: RunPlan,
    out_dir: Path,
    *,
    kernel_name: str,
    block_network: bool | None,
    threads: int | None = None,
) -> RunOutcome:
    """Run the notebook into ``out_dir`` and write the report and ``results.json`` there."""
    import papermill as pm

    params = plan.parameters
    nb_out = out_dir / "notebook.ipynb"
    # SELFDATA_RUN_DIR: where the notebook may write files of its own (the letters of my-data-holders)
    env = {"SELFDATA_CARD": str(card.card_path), "SELFDATA_RUN_DIR": str(out_dir), **thread_limits(threads)}
    if block_network is not None:
        env["SELFDATA_BLOCK_NETWORK"] = "1" if block_network else "0"
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    caught: BaseException | None = None
    try:
        pm.execute_notebook(
            str(card.notebook_path),
            str(nb_out),
            parameters=params,
            cwd=str(card.folder),
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT_S,
            extra_arguments=["--log-level=ERROR"],  # no kernel chatter on the user's terminal
            kernel_manager_class=kernel_manager_with(env),  # this process's environment is left alone
        )
    except Exception as exc:  # papermill's PapermillExecutionError, a cell timeout, a dead kernel…
        caught = exc
    duration = time.perf_counter() - t0
    records: dict[str, Any] = {
        "results": {},
        "warnings": {},
        "missing": {},
        "provenance": [],
        "inputs": [],
        "reading": {},
    }
    nb = None
    if nb_out.exists():
        nb = nbformat.read(nb_out, as_version=4)
        records = read_records(nb)
    failure = None
    if caught is not None:
        failure = (failure_of(nb, card, params) if nb is not None else None) or _failure_from(
            caught, card, params
        )
    error = _short_error(card, failure) if failure is not None else None
    from selfdata_lib.app.display import shown_figures, spec_for

    warnings = {name: list(msgs) for name, msgs in records["warnings"].items()}
    for name, value in records["results"].items():  # the card's bounds hold whoever ran the notebook
        flag = bounds_warning(name, value, spec_for(name, card.results))
        if flag and flag not in warnings.get(name, []):
            warnings.setdefault(name, []).append(flag)
    inputs = _complete_inputs(plan, records["inputs"])
    figures = shown_figures(records["results"], card.results, warnings=warnings, missing=records["missing"])
    payload = {
        "use_case": card.id,
        "preset": plan.name,
        "mode": plan.mode,
        "label": plan.label,
        "kind": card.kind,
        "title": card.title,
        "territory": card.territory_of(params),
        "question": card.question,
        "persona": plan.preset.persona if plan.preset else None,
        "description": plan.preset.description if plan.preset and plan.mode == "preset" else None,
        "status": "ok" if error is None else "failed",
        "error": error,
        "failure": failure.as_dict() if failure is not None else None,
        "parameters": to_jsonable(params),
        "headline": records["reading"].get("headline"),
        "reading": records["reading"].get("text"),
        "results": records["results"],
        "figures": [f.as_dict() for f in figures],
        "warnings": warnings,
        "missing": records["missing"],
        "inputs": to_jsonable(inputs),
        "provenance": records["provenance"],
        "duration_s": round(duration, 2),
        "started": started.isoformat(timespec="seconds"),
        "selfdata_version": __version__,
        "notebook": "notebook.ipynb",
        "report": "report.html",
        "thumbnail": _write_thumbnail(nb, out_dir) if nb is not None else None,
        "report_problems": report_problems(nb) if nb is not None else [],
    }
    if nb is not None:
        header = _report_header(card, payload, figures, failure)
        try:
            render_report(nb, header, out_dir / "report.html", title=card.title)
        except Exception as exc:
            error = error or f"{card.id} : le rapport n'a pas pu être écrit : {exc}"
            payload.update(status="failed", error=error)
    (out_dir / "results.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return RunOutcome(card.id, plan.name, out_dir, error is None, round(duration, 2), error)


def _write_thumbnail(nb: nbformat.NotebookNode, out_dir: Path) -> str | None:
    """The run's main chart as ``thumbnail.png`` for the gallery: the first image of a cell tagged
    ``thumbnail``, else the notebook's first image. ``None`` when the notebook drew no chart.
    """
    import base64

    images: list[tuple[bool, int, Any]] = []
    for cell in nb.cells:
        tagged = "thumbnail" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png:
                images.append((not tagged, len(images), png))
    if not images:
        return None
    _, _, png = min(images)
    (out_dir / "thumbnail.png").write_bytes(base64.b64decode(png if isinstance(png, str) else "".join(png)))
    return "thumbnail.png"


def all_runs(cards: Iterable[UseCase] | None = None) -> list[tuple[str, str]]:
    """Every (card id, preset) pair of the project."""
    cards = list_use_cases() if cards is None else cards
    return [(c.id, p) for c in cards for p in c.presets]


def _run_one(args: tuple[str, str, str | None, bool | None, int | None]) -> RunOutcome:
    card_id, preset, out_root, block, threads = args
    out_dir = Path(out_root) / card_id / preset if out_root else None
    return run_use_case(card_id, preset, out_dir=out_dir, block_network=block, threads=threads)


def longest_first(runs: list[tuple[str, str]], out_root: Path | None = None) -> list[tuple[str, str]]:
    """The runs ordered by the duration their last ``results.json`` recorded, longest first (a run
    never seen first of all): the slowest notebooks start at once instead of ending the suite alone.
    """
    root = Path(out_root) if out_root else settings.outputs_folder

    def last_duration(run: tuple[str, str]) -> float:
        try:
            data = json.loads((root / run[0] / run[1] / "results.json").read_text(encoding="utf-8"))
            return float(data.get("duration_s") or math.inf)
        except (OSError, ValueError, TypeError):
            return math.inf

    return sorted(runs, key=lambda run: -last_duration(run))


def run_all(
    *,
    jobs: int | None = None,
    out_root: Path | None = None,
    runs: list[tuple[str, str]] | None = None,
    block_network: bool | None = None,
    on_done: Callable[[RunOutcome], None] | None = None,
    threads: int | None = None,
    schedule: bool = True,
) -> list[RunOutcome]:
    """Run every preset of every card in parallel (``jobs`` workers, default one per core), the longest
    first (``schedule``), each kernel limited to ``threads`` BLAS/OpenMP threads (default its share of
    the cores, ``0`` no limit).
    """
    runs = all_runs() if runs is None else runs
    runs = longest_first(runs, out_root) if schedule else runs
    cores = os.cpu_count() or 1
    jobs = max(1, jobs or cores)
    if threads is None:
        threads = max(1, cores // jobs)  # each kernel its share of the cores (0: no limit)
    root = str(out_root) if out_root else None
    outcomes: list[RunOutcome] = []
    if jobs == 1:
        for r in runs:
            outcomes.append(_run_one((*r, root, block_network, threads)))
            if on_done:
                on_done(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_run_one, (*r, root, block_network, threads)) for r in runs]
        for fut in as_completed(futures):
            outcomes.append(fut.result())
            if on_done:
                on_done(outcomes[-1])
    return sorted(outcomes, key=lambda o: (o.use_case, o.preset))


def raise_on_failure(outcome: RunOutcome) -> RunOutcome:
    """Raise :class:`NotebookRunError` with the short message when a run failed."""
    if not outcome.ok:
        raise NotebookRunError(outcome.error)
    return outcome
