"""Run use-case notebooks with papermill and write ``notebook.ipynb``, ``report.html``, ``results.json``.

``results.json`` is ``{"use_case", "preset", "parameters", "results", "provenance", "duration_s", ...}``
where ``results`` holds what the notebook recorded with :func:`selfdata_lib.notebook.record` and
``provenance`` what it showed with :func:`~selfdata_lib.notebook.show_provenance`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from selfdata_lib import __version__, settings
from selfdata_lib.errors import NotebookRunError
from selfdata_lib.notebook import RECORD_MIME, read_records, to_jsonable
from selfdata_lib.usecases import UseCase, get_use_case, list_use_cases

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
        return self.out_dir / "results.json"


def default_out_dir(card: UseCase, preset: str) -> Path:
    return settings.outputs_folder / card.id / preset


def _short_error(card: UseCase, exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = _ANSI.sub("", str(getattr(exc, "evalue", exc))).strip()
    source = getattr(exc, "source", "") or ""
    lines = [ln for ln in source.splitlines() if ln.strip()][:4]
    where = (f"cell [{exc.exec_count}]" if getattr(exc, "exec_count", None)
             else "a cell")
    msg = f"{card.id}: {where} of {card.notebook} failed — {ename}: {evalue}"
    if lines:
        msg += "\n" + "\n".join(f"    > {ln}" for ln in lines)
    return msg


def resolve_user_paths(params: dict[str, Any], base: Path | None = None) -> dict[str, Any]:
    """Make relative paths given on the command line absolute (the notebook runs in its own folder)."""
    base = base or Path.cwd()
    out = {}
    for key, value in params.items():
        if isinstance(value, str) and value and not value.startswith(("/", "http:", "https:")):
            candidate = base / value
            if candidate.exists():
                value = str(candidate.resolve())
        out[key] = value
    return out


def _report_header(card: UseCase, preset: str, params: dict[str, Any], results: dict[str, Any],
                   ok: bool) -> str:
    esc = html.escape
    rows = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(json.dumps(v, ensure_ascii=False))}"
                   "</code></td></tr>" for k, v in params.items())
    res = "".join(f"<tr><th>{esc(k)}</th><td>{esc(json.dumps(v, ensure_ascii=False))[:200]}</td></tr>"
                  for k, v in results.items())
    status = "" if ok else "<p style='color:#b00020'><b>Ce notebook a échoué : voir la fin.</b></p>"
    return (f"<p>Territoire : <b>{esc(card.territory)}</b> · jeu de paramètres : <b>{esc(preset)}</b>"
            f" · exécuté le {dt.date.today().isoformat()} avec selfdata_lib {__version__}</p>{status}"
            f"<h3>Résultats clés</h3><table>{res}</table>"
            f"<details><summary>Paramètres</summary><table>{rows}</table></details>")


def render_report(nb: nbformat.NotebookNode, header_html: str, path: Path, *, title: str = "") -> Path:
    """Write the executed notebook as HTML with code hidden and maps kept interactive."""
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # deep copy
    nb.cells = [c for c in nb.cells
                if not {"parameters", "injected-parameters"} & set(c.get("metadata", {}).get("tags", []))]
    for cell in nb.cells:  # recorded values have no visual form: the header and gallery show them
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"]
                               if set(o.get("data", {"text/plain": 1})) != {RECORD_MIME}]
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(header_html))
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    path.write_text(body, encoding="utf-8")
    return path


def run_use_case(card_id: str | UseCase, preset: str | None = None, *,
                 overrides: dict[str, Any] | None = None, out_dir: Path | None = None,
                 kernel_name: str = "python3", block_network: bool | None = None) -> RunOutcome:
    """Run one preset of a use case (or research notebook) and write its outputs.

    Parameters
    ----------
    card_id
        Card id (``lyon-water-district``) or a loaded card.
    preset
        Preset name; the card's first preset when ``None``.
    overrides
        Parameters replacing the preset's (``-p NAME VALUE`` on the command line).
    out_dir
        Folder for the outputs (default ``outputs/<id>/<preset>/``).
    block_network
        Block non-loopback sockets inside the kernel (default: from ``SELFDATA_BLOCK_NETWORK``).

    Returns
    -------
    A :class:`RunOutcome`; a failed notebook gives ``ok=False`` and a short ``error``, and its
    partial outputs and ``results.json`` (with ``"status": "failed"``) are still written.
    """
    import papermill as pm

    card = card_id if isinstance(card_id, UseCase) else get_use_case(card_id)
    chosen = card.preset(preset)
    params = {**chosen.parameters, **(overrides or {})}
    out_dir = Path(out_dir) if out_dir else default_out_dir(card, chosen.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    nb_out = out_dir / "notebook.ipynb"
    previous = os.environ.get("SELFDATA_BLOCK_NETWORK")
    if block_network is not None:  # the kernel inherits this process's environment
        os.environ["SELFDATA_BLOCK_NETWORK"] = "1" if block_network else "0"
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    error: str | None = None
    try:
        pm.execute_notebook(str(card.notebook_path), str(nb_out), parameters=params,
                            cwd=str(card.folder), kernel_name=kernel_name, progress_bar=False,
                            log_output=False, execution_timeout=CELL_TIMEOUT_S)
    except pm.PapermillExecutionError as exc:
        error = _short_error(card, exc)
    except Exception as exc:  # noqa: BLE001 - kernel start, missing file...: report, don't crash --all
        error = f"{card.id}: could not run {card.notebook}: {type(exc).__name__}: {exc}"
    finally:
        if block_network is not None:
            if previous is None:
                os.environ.pop("SELFDATA_BLOCK_NETWORK", None)
            else:
                os.environ["SELFDATA_BLOCK_NETWORK"] = previous
    duration = time.perf_counter() - t0
    results: dict[str, Any] = {}
    provenance: list[dict[str, Any]] = []
    nb = None
    if nb_out.exists():
        nb = nbformat.read(nb_out, as_version=4)
        results, provenance = read_records(nb)
    payload = {
        "use_case": card.id,
        "preset": chosen.name,
        "kind": card.kind,
        "title": card.title,
        "territory": card.territory,
        "question": card.question,
        "persona": chosen.persona,
        "status": "ok" if error is None else "failed",
        "error": error,
        "parameters": to_jsonable(params),
        "results": results,
        "provenance": provenance,
        "duration_s": round(duration, 2),
        "started": started.isoformat(timespec="seconds"),
        "selfdata_version": __version__,
        "notebook": "notebook.ipynb",
        "report": "report.html",
    }
    if nb is not None:
        header = _report_header(card, chosen.name, payload["parameters"], results, error is None)
        try:
            render_report(nb, header, out_dir / "report.html", title=card.title)
        except Exception as exc:  # noqa: BLE001
            error = error or f"{card.id}: the report could not be rendered: {exc}"
            payload.update(status="failed", error=error)
    (out_dir / "results.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return RunOutcome(card.id, chosen.name, out_dir, error is None, round(duration, 2), error)


def all_runs(cards: Iterable[UseCase] | None = None) -> list[tuple[str, str]]:
    """Every (card id, preset) pair of the project."""
    cards = list_use_cases() if cards is None else cards
    return [(c.id, p) for c in cards for p in c.presets]


def _run_one(args: tuple[str, str, str | None, bool | None]) -> RunOutcome:
    card_id, preset, out_root, block = args
    out_dir = Path(out_root) / card_id / preset if out_root else None
    return run_use_case(card_id, preset, out_dir=out_dir, block_network=block)


def run_all(*, jobs: int | None = None, out_root: Path | None = None,
            runs: list[tuple[str, str]] | None = None, block_network: bool | None = None,
            on_done: Callable[[RunOutcome], None] | None = None) -> list[RunOutcome]:
    """Run every preset of every card in parallel (``jobs`` workers, default one per core)."""
    runs = all_runs() if runs is None else runs
    jobs = max(1, jobs or os.cpu_count() or 1)
    root = str(out_root) if out_root else None
    outcomes: list[RunOutcome] = []
    if jobs == 1:
        for r in runs:
            outcomes.append(_run_one((*r, root, block_network)))
            if on_done:
                on_done(outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_run_one, (*r, root, block_network)) for r in runs]
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
