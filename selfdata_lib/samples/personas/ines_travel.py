"""Ines's travel exports (see the module ines): written by the travel use cases' work."""

from __future__ import annotations

from pathlib import Path

#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = []


def write_travel(folder: Path) -> list[Path]:
    """Write Ines's travel exports into ``folder``; returns the paths written."""
    return []
