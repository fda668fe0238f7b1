"""Notebooks narrate, the library computes: every committed notebook stays within the house limits.

A code cell (the parameters cell aside) has at most :data:`MAX_CELL_LINES` lines, no loop, no branch,
no function of its own, one statement per line and no ``x == x`` NaN test; a notebook has at most
:data:`MAX_NOTEBOOK_LINES` lines of code. Whatever needs more belongs in ``selfdata_lib``: a step
that returns a frozen result, recorded in one call, and a ``charts.plot_*`` function.
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_CELL_LINES = 10
MAX_NOTEBOOK_LINES = 60

#: What a notebook cell must not hold, with what to do instead.
FORBIDDEN = {
    ast.For: "une boucle",
    ast.While: "une boucle",
    ast.If: "un branchement",
    ast.IfExp: "un branchement (x if … else …)",
    ast.FunctionDef: "une fonction",
    ast.Lambda: "une fonction (lambda)",
    ast.ClassDef: "une classe",
    ast.ListComp: "une boucle (compréhension)",
    ast.DictComp: "une boucle (compréhension)",
    ast.SetComp: "une boucle (compréhension)",
    ast.GeneratorExp: "une boucle (générateur)",
    ast.Try: "un try/except",
}


def committed_notebooks() -> list[Path]:
    run = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    found = [ROOT / line for line in run.stdout.split() if line]
    if not found:  # not a git checkout (an sdist): every notebook of the project's folders
        found = [*ROOT.glob("use_cases/*/*.ipynb"), *ROOT.glob("notebooks/*.ipynb")]
    return sorted(p for p in found if p.is_file())


def code_cells(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        (i, "".join(c["source"]))
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])
    ]


def cell_problems(source: str) -> list[str]:
    lines = [ln for ln in source.splitlines() if ln.strip()]
    problems = []
    if len(lines) > MAX_CELL_LINES:
        problems.append(f"{len(lines)} lignes (au plus {MAX_CELL_LINES})")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for kind, what in FORBIDDEN.items():
            if isinstance(node, kind):
                problems.append(f"{what} ligne {node.lineno}")
        if (
            isinstance(node, ast.Compare)
            and len(node.comparators) == 1
            and ast.dump(node.left) == ast.dump(node.comparators[0])
        ):
            problems.append(
                f"un test x == x ligne {node.lineno} (NaN : le résultat doit dire None et pourquoi)"
            )
    top_level = [s.lineno for s in tree.body]
    shared = {ln for ln in top_level if top_level.count(ln) > 1}
    problems += [f"plusieurs instructions ligne {ln} (;)" for ln in sorted(shared)]
    return problems


NOTEBOOKS = committed_notebooks()


def test_notebooks_are_found():
    assert len(NOTEBOOKS) >= 7, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_stays_within_the_limits(path):
    cells = code_cells(path)
    found = {i: cell_problems(src) for i, src in cells}
    bad = {i: p for i, p in found.items() if p}
    assert not bad, "\n".join(f"cellule {i} : {', '.join(p)}" for i, p in bad.items())
    total = sum(len([ln for ln in src.splitlines() if ln.strip()]) for _, src in cells)
    assert total <= MAX_NOTEBOOK_LINES, f"{total} lignes de code (au plus {MAX_NOTEBOOK_LINES})"


def test_the_limits_catch_what_they_forbid():
    loop = "for x in range(3):\n    print(x)"
    assert "une boucle ligne 1" in cell_problems(loop)
    assert any("branchement" in p for p in cell_problems("y = 1 if True else 2"))
    assert any("x == x" in p for p in cell_problems("ok = value == value"))
    assert any(";" in p for p in cell_problems("a = 1; b = 2"))
    assert cell_problems("charts.plot_heating(fit);") == []  # a trailing ; only hides the return value
    assert any("lignes" in p for p in cell_problems("\n".join(f"x{i} = {i}" for i in range(11))))
