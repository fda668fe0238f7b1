"""Jordi's energy exports (see the module jordi): written by the energy use cases' work."""

from __future__ import annotations

from pathlib import Path

#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = []


def write_energy(folder: Path) -> list[Path]:
    """Write Jordi's energy exports into ``folder``; returns the paths written."""
    return []
