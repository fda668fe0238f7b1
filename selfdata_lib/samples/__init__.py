"""The project's bundled samples, written from the seeded fictional world of :mod:`selfdata_lib.synth`.

``personas/`` writes each fictional household's exports in the services' real formats; ``opendata/``
writes the small open-data samples (built from public facts, never copied from a snapshot). Both are
deterministic; ``selfdata samples build`` rewrites ``data/samples/`` and the tests check that the
committed files are exactly what the generators produce.
"""

from __future__ import annotations

from pathlib import Path

from selfdata_lib import settings
from selfdata_lib.samples.opendata import build_opendata_samples
from selfdata_lib.samples.personas import PERSONAS, build_personas

__all__ = ["PERSONAS", "build_opendata_samples", "build_personas", "build_samples"]


def build_samples(root: Path | None = None) -> list[Path]:
    """(Re)write every open-data sample, then every persona, under ``root`` (default ``data/samples``)."""
    root = root or settings.samples_folder
    return build_opendata_samples(root / "opendata") + build_personas(root / "personas")
