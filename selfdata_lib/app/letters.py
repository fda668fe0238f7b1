"""The request letters of a run, written to its outputs folder (never sent), and shown in the notebook.

The runner names the run's folder in ``SELFDATA_RUN_DIR``; a notebook opened by hand writes under
``settings.outputs_folder``. Letters hold the user's name and address when given: they stay with the
other outputs, which are git-ignored and cleared by deleting ``outputs/``.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from pathlib import Path

from selfdata_lib import settings
from selfdata_lib.analysis.holders import Letters
from selfdata_lib.results import Figure, Result, figure

LETTERS_SUBFOLDER = "lettres"
INDEX_FILE = "A_LIRE.txt"


def run_folder() -> Path:
    """Where this run writes its own files: the runner's folder, else ``outputs/notebook-<date>``."""
    given = os.environ.get("SELFDATA_RUN_DIR", "").strip()
    if given:
        return Path(given)
    return settings.outputs_folder / f"notebook-{dt.date.today():%Y-%m-%d}"


@dataclass(frozen=True)
class WrittenLetters(Result):
    """The letters written to disk: how many, and where (relative to the run's folder)."""

    folder: Path
    files: tuple[str, ...]

    def figures(self) -> dict[str, Figure]:
        """``letters_written`` and the folder, named relative to the run's outputs."""
        return {
            "letters_written": figure(len(self.files)),
            "letters_folder": figure(f"{LETTERS_SUBFOLDER}/ (dans le dossier de sortie de ce rapport)"),
        }


def write_letters(letters: Letters, folder: str | Path = "") -> WrittenLetters:
    """Write each letter as a UTF-8 text file, and ``A_LIRE.txt`` (how to send them, what to note in my
    requests log), into ``folder`` — by default ``lettres/`` of the run's folder (:func:`run_folder`).
    Letters of an earlier run in that folder are replaced. Nothing is sent.
    """
    target = Path(folder) if folder else run_folder() / LETTERS_SUBFOLDER
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    names = []
    for row in letters.table.to_dict("records"):
        (target / row["file"]).write_text(row["text"], encoding="utf-8")
        names.append(row["file"])
    (target / INDEX_FILE).write_text(letters.index_text(), encoding="utf-8")
    return WrittenLetters(target, tuple(names))


def show_letter(letters: Letters, index: int = 0) -> None:
    """Show one letter as the person will print it (the first by default); a note when there is none."""
    from selfdata_lib.app.notebook import _display, note

    if index >= len(letters.table):
        note(
            "Aucune lettre à préparer : j'ai déjà des données, ou une demande en cours, chez chaque détenteur."
        )
        return
    row = letters.table.iloc[index]
    text = str(row["text"])
    body = (
        f"<details open><summary>{html.escape(str(row['file']))} — {html.escape(str(row['holder']))}</summary>"
        f"<pre style='white-space:pre-wrap;background:#f7f7f4;padding:.8em;border:1px solid #ddd'>"
        f"{html.escape(text)}</pre></details>"
    )
    _display({"text/html": body, "text/plain": text})
