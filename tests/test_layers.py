"""The package's folders are its layers (pyproject ``[tool.importlinter]``): an import pointing up a
layer fails the build, and every module belongs to a layer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import selfdata_lib

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    exe = Path(sys.executable).with_name("lint-imports")
    return str(exe) if exe.exists() else (shutil.which("lint-imports") or "lint-imports")


def test_layers_contract_is_kept():
    run = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_every_module_sits_in_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    names = {n.strip() for layer in config["contracts"][0]["layers"] for n in layer.split("|")}
    package = Path(selfdata_lib.__file__).parent
    children = {
        p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "_version")
    }  # _version: written by setuptools-scm
    children |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert children - names == set(), "modules outside every layer: add them to [tool.importlinter]"


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contract is not vacuous: a copy of the package where an importer imports the app fails."""
    copy = tmp_path / "selfdata_lib"
    shutil.copytree(Path(selfdata_lib.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    bad = copy / "exports" / "gpx.py"
    bad.write_text(
        bad.read_text(encoding="utf-8") + "\nfrom selfdata_lib.app import notebook  # noqa\n",
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    run = subprocess.run(
        [_lint_imports(), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env
    )
    assert run.returncode != 0
    assert "selfdata_lib.exports.gpx -> selfdata_lib.app.notebook" in run.stdout
