"""Project plumbing: environment.yml agrees with pyproject.toml, pins are coherent, notebooks are
committed without outputs, CI runs the README's test command.
"""

from __future__ import annotations

import json
import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from selfdata_lib import settings

ROOT = settings.project_folder


def _pyproject_requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return {r.name: r for r in map(Requirement, reqs)}


def _conda_requirements() -> dict[str, Requirement]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    out: dict[str, Requirement] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for pip_dep in dep["pip"]:
                if not pip_dep.startswith("-e"):
                    req = Requirement(pip_dep)
                    out[req.name] = req
        elif not dep.startswith(("python=", "pip")) or dep.startswith("pip-"):
            req = Requirement(dep)
            out[req.name] = req
    assert "python=3.11" in env["dependencies"]
    return out


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    py, conda = _pyproject_requirements(), _conda_requirements()
    assert set(py) == set(conda), set(py) ^ set(conda)
    for name, req in py.items():
        assert req.specifier == conda[name].specifier, name


def test_constraints_pin_every_dependency_within_its_range():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = Version(version.strip())
    for name, req in _pyproject_requirements().items():
        key = name.lower().replace("_", "-")
        assert key in pins, f"{name} is not pinned in constraints.txt"
        assert pins[key] in req.specifier, f"{name}=={pins[key]} is outside {req.specifier}"
    assert pins["scikit-learn"] < Version("1.9") and pins["numpy"] < Version("2.4")


def test_notebooks_are_committed_without_outputs():
    notebooks = [
        *ROOT.glob("use_cases/*/*.ipynb"),
        *ROOT.glob("notebooks/*.ipynb"),
        *ROOT.glob("selfdata_lib/app/templates/**/*.ipynb"),
    ]
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] != "code" or "keep_output" in cell.get("metadata", {}).get("tags", []):
                continue
            assert not cell.get("outputs") and cell.get("execution_count") is None, (
                f"{path.name}: strip outputs before committing (nbstripout)"
            )


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make demo" in readme and "make test" in readme
    assert re.search(r"^make test$", ci, re.M)
