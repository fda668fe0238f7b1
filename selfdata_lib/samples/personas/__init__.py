"""Sample personas: deterministic generators writing a household's exports in the real formats.

``build_personas()`` writes ``data/samples/personas/<name>/`` (``selfdata samples build``); a test
checks that the committed files are exactly what the generators produce. Personas are fictional:
their homes are public places (a square, a street), never coordinates or identifiers from a real
export.
"""

from __future__ import annotations

from pathlib import Path

from selfdata_lib import settings
from selfdata_lib.samples.personas.camille import build_camille
from selfdata_lib.samples.personas.ines import build_ines
from selfdata_lib.samples.personas.jordi import build_jordi
from selfdata_lib.samples.personas.lena import build_lena
from selfdata_lib.samples.personas.morel import build_morel
from selfdata_lib.samples.personas.nadia import build_nadia
from selfdata_lib.samples.personas.yanis import build_yanis

PERSONAS = {"camille": build_camille, "morel": build_morel, "nadia": build_nadia, "yanis": build_yanis}
PERSONAS["lena"] = build_lena  # a pupil of the académie de Rennes (rennes-school-journey)
PERSONAS["ines"] = build_ines  # Paris, a territory that is not a seed
PERSONAS["jordi"] = build_jordi  # Barcelona, a European territory


def build_personas(root: Path | None = None, names: list[str] | None = None) -> list[Path]:
    """(Re)write the exports of every persona (or of ``names``) under ``root``."""
    root = root or settings.personas_folder
    written: list[Path] = []
    for name in names or list(PERSONAS):
        written += PERSONAS[name](root / name)
    return written
