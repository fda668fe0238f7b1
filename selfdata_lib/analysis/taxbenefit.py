"""Running OpenFisca-France: in this interpreter when it has OpenFisca-France, else in the separate
environment ``.venv-openfisca`` (``settings.openfisca_python``) through a worker process that lives as long
as this one, so that the tax-benefit system is built once per notebook kernel, not once per question.

Why a separate environment: OpenFisca-France 176 requires openfisca-core < 45, which pins psutil < 6 and
pytest < 9, while the notebook stack needs psutil ≥ 7. Each environment keeps the versions it was released
and tested with; ``make demo`` and ``make test`` create both. Nothing leaves the machine: the worker is a
local process reading the situation on its standard input.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import subprocess
import threading
from pathlib import Path
from typing import Any

from selfdata_lib import settings

WORKER = Path(__file__).with_name("openfisca_worker.py")
INSTALL_HINT = (
    "OpenFisca-France n'est pas installé : lancez « make openfisca » (fait aussi par make demo et make test), "
    "ou indiquez l'interpréteur Python qui l'a dans SELFDATA_OPENFISCA_PYTHON"
)


class OpenFiscaError(RuntimeError):
    """OpenFisca-France is missing, or refused a situation (French message)."""


class _Worker:
    def __init__(self, python: Path):
        self.process = subprocess.Popen(  # our own script, by the interpreter the settings name
            [str(python), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self.lock = threading.Lock()
        atexit.register(self.close)

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        if not line:
            msg = f"le calcul OpenFisca s'est arrêté sans répondre ({settings.openfisca_python})"
            raise OpenFiscaError(msg)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


_WORKERS: dict[str, _Worker] = {}


def where() -> str:
    """``"ici"`` when this interpreter has OpenFisca-France, else the path of the one that does;
    :class:`OpenFiscaError` when neither.
    """
    if importlib.util.find_spec("openfisca_france") is not None:
        return "ici"
    if settings.openfisca_python.is_file():
        return str(settings.openfisca_python)
    raise OpenFiscaError(INSTALL_HINT)


def calculate(situation: dict[str, Any], variables: list[tuple[str, str]]) -> dict[str, Any]:
    """Compute ``variables`` (name, period) on an OpenFisca ``situation``: ``values`` by ``name@period``
    (one value per entity), ``variables`` (label, legislation reference, entity, period) and ``versions``.
    """
    request = {"situation": situation, "variables": [list(v) for v in variables]}
    place = where()
    if place == "ici":
        from selfdata_lib.analysis import openfisca_worker

        try:
            answer = openfisca_worker.compute(request)
        except Exception as exc:  # OpenFisca's own errors, explained below
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    else:
        worker = _WORKERS.get(place)
        if worker is None or worker.process.poll() is not None:
            worker = _WORKERS[place] = _Worker(Path(place))
        answer = worker.ask(request)
    if not answer.get("ok"):
        msg = f"OpenFisca-France a refusé la situation du foyer : {answer.get('error')}"
        raise OpenFiscaError(msg)
    return answer
