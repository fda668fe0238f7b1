"""OpenFisca-France computations, in this interpreter or as a worker process.

This file imports only the standard library and OpenFisca, so that it runs in the separate environment
that holds OpenFisca-France (``.venv-openfisca``: OpenFisca-France pins openfisca-core < 45, hence psutil < 6
and pytest < 9, which the notebook stack cannot share). Run as a script, it reads one JSON request per
line on stdin and writes one JSON answer per line on stdout; the tax-benefit system is built once, at the
first request, and kept for the next ones.

Request: ``{"situation": {...}, "variables": [["ppa", "2025-06"], ...]}``.
Answer: ``{"ok": true, "values": {"ppa@2025-06": [269.9], ...}, "variables": {"ppa": {"label": ...,
"reference": [...], "entity": "famille", "period": "month"}}, "versions": {...}}``, or
``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from typing import Any

_TBS: list[Any] = []


def tax_benefit_system() -> Any:
    """OpenFisca-France's tax-benefit system, built once per process."""
    if not _TBS:
        from openfisca_france import FranceTaxBenefitSystem

        _TBS.append(FranceTaxBenefitSystem())
    return _TBS[0]


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if hasattr(value, "name") and not isinstance(value, str | int | float | bool):
        return value.name  # an OpenFisca enum
    return value


def compute(request: dict[str, Any]) -> dict[str, Any]:
    """Answer one request (see the module's docstring)."""
    from openfisca_core.simulation_builder import SimulationBuilder

    tbs = tax_benefit_system()
    simulation = SimulationBuilder().build_from_entities(tbs, request["situation"])
    values: dict[str, list[Any]] = {}
    described: dict[str, dict[str, Any]] = {}
    for name, period in request["variables"]:
        values[f"{name}@{period}"] = [_plain(v) for v in simulation.calculate(name, period)]
        variable = tbs.get_variable(name)
        reference = variable.reference or []
        described[name] = {
            "label": variable.label,
            "reference": [reference] if isinstance(reference, str) else list(reference),
            "entity": variable.entity.key,
            "period": str(variable.definition_period),
        }
    versions = {p: metadata.version(p) for p in ("openfisca-france", "openfisca-core")}
    return {"ok": True, "values": values, "variables": described, "versions": versions}


def main() -> None:
    """Serve requests on stdin until it closes."""
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = compute(json.loads(line))
        except Exception as exc:  # every error goes back to the caller, who explains it in French
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
