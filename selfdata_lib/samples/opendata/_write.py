"""Write a sample folder: its data files, a README saying how it was made, the provenance marking it."""

from __future__ import annotations

import json
from pathlib import Path


def write_sample(
    folder: Path, files: dict[str, str], *, readme: str, note: str, retrieved: str = "2026-11-22"
) -> list[Path]:
    """Write a sample folder: its data ``files`` ({name: text}), a ``README.md`` saying how it was made,
    and the ``_provenance.json`` that marks it as a sample.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    (folder / "README.md").write_text(readme, encoding="utf-8")
    prov = folder / "_provenance.json"
    prov.write_text(
        json.dumps({"sample": True, "retrieved": retrieved, "note": note}, indent=2) + "\n", encoding="utf-8"
    )
    return [*written, folder / "README.md", prov]
