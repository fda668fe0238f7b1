"""The report gallery: ``outputs/index.html``, one card per run found under the outputs folder."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from selfdata_lib import __version__, settings

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2430;
font-size:16px;line-height:1.45}
header{background:#1f3b57;color:#fff;padding:1.2em clamp(.8em,3vw,2em)}header h1{margin:0 0 .3em;font-size:1.6em}
header p{margin:0}nav{margin-top:.6em}nav a{color:#fff;margin-right:1em;font-weight:600}
main{padding:1em clamp(.6em,3vw,2em)}section h2{font-size:1.35em;margin:1.2em 0 .6em;color:#1f3b57}
.grid{display:grid;gap:1.1em;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr))}
article{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.15);padding:1em 1.1em;display:flex;
flex-direction:column;min-width:0}
article.failed{border-left:6px solid #b00020}article h3{font-size:1.15em;margin:.3em 0}
.thumb{width:100%;aspect-ratio:16/9;object-fit:contain;background:#fafbfc;border:1px solid #eef0f3;border-radius:4px}
.meta{font-size:.9em;color:#4a5463;display:flex;flex-wrap:wrap;gap:.3em;align-items:center}.kind{font-weight:600;color:#1f3b57}
.question{color:#3c4656;font-size:.95em;margin:.2em 0 .5em}
.headline{background:#f3f6fa;border-left:4px solid #1f3b57;padding:.5em .7em;margin:.3em 0 .6em}
.figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,140px),1fr));gap:.5em;margin:.3em 0 .6em}
.fig{border:1px solid #e3e7ec;border-radius:6px;padding:.35em .5em;min-width:0}.fig .l{font-size:.82em;color:#4a5463}
.fig .l,.fig .v,.headline{overflow-wrap:break-word;word-break:normal}.fig .v{font-weight:600}
.fig .u{display:inline-block;max-width:100%}
.sd-badge{border-radius:4px;padding:0 .45em;font-size:.85em;border:1px solid transparent;
white-space:nowrap}.sd-sample{background:#fff1c2;border-color:#8a6d00}.sd-mine{background:#d4f1dc;border-color:#2e7d32}
.error{color:#b00020;font-size:.92em;overflow-wrap:anywhere;margin:.2em 0 .4em}
details.technical pre{white-space:pre-wrap;font-size:.85em;overflow-wrap:anywhere}
.warn{color:#8f3b00;font-size:.9em}details{font-size:.88em;color:#4a5463;margin:.3em 0}
summary{cursor:pointer;color:#1f3b57}.variant{font-weight:600;color:#3c4656;margin:.1em 0;font-size:.92em}
details table{table-layout:fixed;width:100%}details td,details th,details div{overflow-wrap:break-word;
word-break:normal}
a.open{margin-top:auto;align-self:flex-start;background:#1f3b57;color:#fff;text-decoration:none;
padding:.45em 1em;border-radius:5px;margin-top:.6em}a.open:focus,a.open:hover{background:#12283d}
footer{padding:1em 2em;color:#4a5463;font-size:.88em}
"""

TERRITORY_ORDER = ("France", "Lyon", "Nantes", "La Rochelle", "Rennes", "Europe")
KIND_LABELS = {"use_case": "cas d'usage", "research": "étude"}
MAX_FIGURES = 4


def _kind(run: dict[str, Any]) -> str:
    if run.get("use_case") == "start-here":
        return "pour commencer"
    return KIND_LABELS.get(str(run.get("kind")), "cas d'usage")


def collect_runs(root: Path | None = None) -> list[dict[str, Any]]:
    """Every ``results.json`` under ``root`` (default the outputs folder), with its folder."""
    root = root or settings.outputs_folder
    runs = []
    for path in sorted(root.glob("*/*/results.json")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):  # a run still going
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        data["_dir"] = path.parent.relative_to(root).as_posix()
        runs.append(data)
    runs.sort(
        key=lambda r: (
            r.get("kind") != "research",
            r.get("territory", ""),
            r.get("use_case", ""),
            r.get("preset", ""),
        )
    )
    return runs


def _card(run: dict[str, Any]) -> str:
    from selfdata_lib.app.display import bold_html, breakable_html, value_html, whose_badges
    from selfdata_lib.app.notebook import provenance_html

    esc = html.escape
    failed = run.get("status") != "ok"
    figures = run.get("figures")
    if figures is None:  # results.json of an older version: its raw results, labelled by today's card
        from selfdata_lib.app.display import shown_figures

        figures = [
            f.as_dict()
            for f in shown_figures(run.get("results", {}), _card_results(str(run.get("use_case"))))
        ]
    key = [f for f in figures if f.get("headline")] or figures[:MAX_FIGURES]
    figs = "".join(
        f"<div class='fig'><div class='l'>{breakable_html(f['label'])}</div><div class='v'>"
        f"{'⚠ ' if f.get('warnings') else ''}{value_html(_short(f['text']), 'u')}</div></div>"
        for f in key[:MAX_FIGURES]
    )
    n_warn = sum(bool(f.get("warnings")) for f in figures)
    warn = f"<div class='warn'>⚠ {n_warn} chiffre(s) à vérifier : voir le rapport</div>" if n_warn else ""
    folder = run["_dir"]
    thumb = (
        f"<img class='thumb' src='{esc(folder)}/{esc(run['thumbnail'])}' "
        f"alt='{esc('Graphique principal : ' + str(run.get('title', '')))}' loading='lazy'>"
        if run.get("thumbnail")
        else ""
    )
    headline = f"<div class='headline'>{bold_html(run['headline'])}</div>" if run.get("headline") else ""
    files = "".join(
        f"<div>{'exemple du projet' if i.get('sample') else 'mon fichier'} : {breakable_html(str(i.get('file')))}"
        f"{' ⚠' if i.get('warnings') else ''}</div>"
        for i in run.get("inputs") or []
    )
    provs = "".join(provenance_html(p) for p in run.get("provenance", []))
    folded = (
        f"<details><summary>Fichiers et données ouvertes</summary>{files}{provs}</details>"
        if files or provs
        else ""
    )
    link = f"{folder}/{run.get('report', 'report.html')}"
    error = _failure_note(run) if failed else ""
    when = _when(run.get("started"))
    return (
        f"<article class='{'failed' if failed else 'ok'}' data-use-case='{esc(run.get('use_case', ''))}'>"
        f"{thumb}<div class='meta'><span class='kind'>{esc(_kind(run))}</span>{whose_badges(run)}</div>"
        f"<h3>{esc(run.get('title', ''))}</h3>"
        + (f"<p class='variant'>{esc(run['description'])}</p>" if run.get("description") else "")
        + f"<p class='question'>{esc(run.get('question') or '')}</p>"
        f"{error}{headline}<div class='figs'>{figs}</div>{warn}{folded}"
        f"<div class='meta'>{esc(when)}</div>"
        f"<a class='open' href='{esc(link)}'>Ouvrir le rapport<span class='visually-hidden'> : "
        f"{esc(run.get('title', ''))}</span></a></article>"
    )


def _failure_note(run: dict[str, Any]) -> str:
    """A failed run's card: the report's French summary (which step failed and why); the raw message
    of a run written before summaries existed is folded under « Détails techniques ».
    """
    esc = html.escape
    failure = run.get("failure") or {}
    summary = failure.get("summary") if isinstance(failure, dict) else None
    if summary:
        return f"<div class='error'>⚠ {esc(str(summary))}</div>"
    raw = str(run.get("error") or "").strip()
    folded = (
        f"<details class='technical'><summary>Détails techniques</summary><pre>{esc(raw)}</pre></details>"
        if raw
        else ""
    )
    return f"<div class='error'>⚠ Cette exécution a échoué : le rapport dit où.</div>{folded}"


def _short(text: str, limit: int = 70) -> str:
    """A figure's text cut to fit a gallery card (the report has it whole)."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _card_results(use_case: str) -> dict[str, Any]:
    from selfdata_lib.app.usecases import get_use_case

    try:
        return get_use_case(use_case).results
    except Exception:  # a run of a card since removed still shows
        return {}


def _when(started: Any) -> str:
    """``exécuté le 30 novembre 2026 à 01:46`` (local time) from the run's ISO start."""
    from selfdata_lib import fr

    if not started:
        return ""
    try:
        stamp = dt.datetime.fromisoformat(str(started)).astimezone()
    except ValueError:
        return ""
    return f"exécuté le {fr.date(stamp.date())} à {stamp:%H:%M}"


def _sections(runs: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Runs grouped by territory: the start first, then the territories in the suite's order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        name = (
            "Pour commencer" if run.get("use_case") == "start-here" else str(run.get("territory") or "Autres")
        )
        groups.setdefault(name, []).append(run)
    order = [
        "Pour commencer",
        *TERRITORY_ORDER[:-1],
        *sorted(set(groups) - {*TERRITORY_ORDER, "Pour commencer", "Autres"}),
        "Europe",
    ]
    return sorted(
        groups.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])
    )


def _anchor(name: str) -> str:
    return "t-" + "".join(c if c.isalnum() else "-" for c in name.lower())


def gallery_html(runs: list[dict[str, Any]]) -> str:
    """The gallery page for ``runs`` (see :func:`collect_runs`)."""
    from selfdata_lib import fr

    esc = html.escape
    sections = _sections(runs)
    n_failed = sum(r.get("status") != "ok" for r in runs)
    body = (
        "".join(
            f"<section aria-labelledby='{_anchor(name)}'><h2 id='{_anchor(name)}'>{esc(name)}</h2>"
            f"<div class='grid'>{''.join(_card(r) for r in group)}</div></section>"
            for name, group in sections
        )
        or "<p>Aucune exécution : lancez <code>make demo</code>.</p>"
    )
    nav = "".join(f"<a href='#{_anchor(n)}'>{esc(n)}</a>" for n, _ in sections)
    summary = fr.plural(len(runs), "exécution") + (f", dont {n_failed} en échec" if n_failed else "")
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<meta name='generator' content='selfdata_lib {esc(__version__)}'>"
        f"<title>Self Data Territorial — galerie</title><style>{_CSS}"
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style>"
        "</head><body>"
        "<header><h1>Self Data Territorial — galerie des cas d'usage</h1>"
        "<p>Mes données personnelles, croisées avec les données ouvertes de mon territoire, sur ma machine. "
        f"{summary}.</p><nav aria-label='Territoires'>{nav}</nav></header><main>{body}</main>"
        f"<footer>Page écrite le {fr.date(dt.date.today())}. Les rapports peuvent contenir des données "
        "personnelles : ce dossier n'est pas versionné, ne le partagez qu'en connaissance de cause.</footer>"
        "</body></html>"
    )


def write_gallery(root: Path | None = None) -> Path:
    """Write ``index.html`` in ``root`` (default the outputs folder) and return its path."""
    root = root or settings.outputs_folder
    root.mkdir(parents=True, exist_ok=True)
    path = root / "index.html"
    path.write_text(gallery_html(collect_runs(root)), encoding="utf-8")
    return path
