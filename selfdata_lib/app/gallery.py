"""The report gallery: ``outputs/index.html``, one card per run found under the outputs folder."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

from selfdata_lib import __version__, settings

MAX_HEADLINES = 8

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
header{background:#1f3b57;color:#fff;padding:1.4em 2em}header h1{margin:0 0 .3em 0;font-size:1.6em}
header p{margin:0;opacity:.85}main{padding:1.5em 2em;display:grid;gap:1.2em;
grid-template-columns:repeat(auto-fill,minmax(360px,1fr))}
article{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1em 1.2em;display:flex;flex-direction:column}
article.failed{border-left:5px solid #c62828}article h2{font-size:1.1em;margin:.2em 0 .4em 0}
.meta{font-size:.85em;color:#5b6573}.territory{display:inline-block;background:#e3ecf7;color:#1f3b57;
border-radius:10px;padding:0 .6em;margin-right:.4em;font-weight:600}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em;width:100%}td,th{padding:.15em .3em;text-align:left;
border-bottom:1px solid #eef0f3;vertical-align:top}th{font-weight:500;color:#3c4656;width:55%}
td{font-variant-numeric:tabular-nums}td,th{overflow-wrap:anywhere}table{table-layout:fixed}.prov{font-size:.8em;color:#5b6573;margin:.3em 0}
.badge{border-radius:3px;padding:0 .4em;font-size:.85em}.sample{background:#fff1c2}.real{background:#d4f1dc}
.error{color:#c62828;font-size:.85em;white-space:pre-wrap;font-family:monospace}
.warn{color:#b34700}.why{color:#5b6573;font-size:.85em}
a.open{margin-top:auto;align-self:flex-start;background:#1f3b57;color:#fff;text-decoration:none;
padding:.35em .9em;border-radius:5px}footer{padding:1em 2em;color:#5b6573;font-size:.85em}
"""


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "oui", False: "non", None: "—"}[value]
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}".replace(",", " ")
        if abs(value) >= 1:
            return f"{value:.1f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fmt(v)}" for k, v in list(value.items())[:4]) + (
            " …" if len(value) > 4 else ""
        )
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value[:4]) + (" …" if len(value) > 4 else "")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


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
    esc = html.escape
    failed = run.get("status") != "ok"
    results = run.get("results", {})
    warnings, missing = run.get("warnings", {}), run.get("missing", {})

    def cell(key: str, value: Any) -> str:
        text = esc(_fmt(value))
        if key in missing:
            text += f"<div class='why'>non calculé : {esc(missing[key])}</div>"
        if warnings.get(key):
            text = f"<span class='warn' title='{esc(' '.join(warnings[key]))}'>⚠ {text}</span>"
        return text

    rows = "".join(
        f"<tr><th>{esc(str(k))}</th><td>{cell(str(k), v)}</td></tr>"
        for k, v in list(results.items())[:MAX_HEADLINES]
    )
    more = len(results) - MAX_HEADLINES
    if more > 0:
        rows += f"<tr><th colspan=2><i>… et {more} autres résultats dans results.json</i></th></tr>"
    provs = []
    for p in run.get("provenance", []):
        badge = (
            "<span class='badge sample'>échantillon</span>"
            if p.get("sample")
            else "<span class='badge real'>réel</span>"
        )
        provs.append(
            f"<div class='prov'>{badge} {esc(str(p.get('title') or p.get('dataset')))}"
            f" — {esc(str(p.get('source', '')))}, {esc(str(p.get('licence', '')))}"
            f" ({esc(str(p.get('origin', '')))}, {esc(str(p.get('retrieved', '')))})</div>"
        )
    inputs = run.get("inputs") or []
    if run.get("mode") == "mine":
        whose = "<span class='badge real'>vos fichiers</span>"
    elif inputs and all(i.get("sample") for i in inputs):
        whose = "<span class='badge sample'>exemple</span>"
    else:
        whose = ""
    files = "".join(
        f"<div class='prov'>{'exemple' if i.get('sample') else 'fichier'} : {esc(str(i.get('file')))}"
        f"{' ⚠' if i.get('warnings') else ''}</div>"
        for i in inputs[:4]
    )
    link = f"{run['_dir']}/{run.get('report', 'report.html')}"
    error = f"<div class='error'>{esc(run.get('error') or '')}</div>" if failed else ""
    kind = "notebook de recherche" if run.get("kind") == "research" else "cas d'usage"
    return (
        f"<article class='{'failed' if failed else 'ok'}' data-use-case='{esc(run.get('use_case', ''))}'>"
        f"<div class='meta'><span class='territory'>{esc(run.get('territory', ''))}</span>"
        f"{kind} · <code>{esc(run.get('use_case', ''))}</code> · {esc(run.get('label') or run.get('preset', ''))} {whose}</div>"
        f"<h2>{esc(run.get('title', ''))}</h2>{error}"
        f"<table>{rows}</table>{files}{''.join(provs)}"
        f"<div class='meta'>{_fmt(run.get('duration_s'))} s · {esc(run.get('started', '')[:16])}</div>"
        f"<a class='open' href='{esc(link)}'>Ouvrir le rapport</a></article>"
    )


def write_gallery(root: Path | None = None) -> Path:
    """Write ``index.html`` in ``root`` (default the outputs folder) and return its path."""
    root = root or settings.outputs_folder
    root.mkdir(parents=True, exist_ok=True)
    runs = collect_runs(root)
    n_failed = sum(r.get("status") != "ok" for r in runs)
    cards = "".join(_card(r) for r in runs) or "<p>Aucune exécution : lancez <code>make demo</code>.</p>"
    summary = f"{len(runs)} exécutions" + (f", dont {n_failed} en échec" if n_failed else "")
    page = (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>Self Data Territorial — galerie</title><style>{_CSS}</style></head><body>"
        "<header><h1>Self Data Territorial — galerie des cas d'usage</h1>"
        f"<p>Vos données, croisées avec les données ouvertes de votre territoire, sur votre machine. "
        f"{summary}.</p></header><main>{cards}</main>"
        f"<footer>Généré le {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} par selfdata_lib {__version__}. "
        "Les rapports peuvent contenir des données personnelles : ce dossier n'est pas versionné.</footer>"
        "</body></html>"
    )
    path = root / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
