"""Settings of ``selfdata_lib``: plain typed module variables.

Change them at run time (``selfdata_lib.settings.offline = True``) or through the environment
before import:

``SELFDATA_OPENDATA_PATH``
    Folders holding open-data snapshots, separated by ``os.pathsep`` (``:`` on Linux). Loaders look
    there after the user cache and before the bundled samples.
``SELFDATA_CACHE``
    Where live downloads are cached (default ``~/.cache/selfdata``, or ``$XDG_CACHE_HOME/selfdata``).
``SELFDATA_OUTPUTS``
    Where executed notebooks, reports and the gallery are written (default ``<project>/outputs``).
``SELFDATA_OFFLINE``
    ``1`` refuses every network access, even when asked for (``source="live"``, ``data fetch``).
``SELFDATA_OPENFISCA_PYTHON``
    The Python interpreter that has OpenFisca-France installed (default: this one when it has it, else
    ``<project>/.venv-openfisca/bin/python``, the environment ``make demo`` and ``make test`` create).
``SELFDATA_BLOCK_NETWORK``
    ``1`` blocks sockets to non-loopback hosts at import (the test suite sets it for notebook kernels).

Attributes
----------
project_folder
    The checkout holding ``data/``, ``use_cases/`` and ``notebooks/`` (the parent of the package).
samples_folder
    ``data/samples``: the synthetic personas and the small open-data samples shipped with the project.
personas_folder, opendata_samples_folder
    Sub-folders of ``samples_folder``.
use_cases_folder, research_folder
    Where use-case cards and research notebooks are discovered.
cache_folder
    The user cache for live open-data downloads.
outputs_folder
    Executed notebooks, ``report.html``, ``results.json`` and the gallery ``index.html``.
opendata_paths
    Snapshot folders from ``SELFDATA_OPENDATA_PATH``.
offline
    Refuse all network access.
http_timeout_s
    Timeout of live downloads, in seconds.
openfisca_python
    The interpreter OpenFisca-France runs in when this one does not have it (see
    :mod:`selfdata_lib.analysis.openfisca`).
user_agent
    HTTP ``User-Agent`` sent with live downloads.

Limits on what a personal export may make the importers do (each refusal is an
:class:`~selfdata_lib.errors.ExportFormatError` saying which limit and how to raise it):

max_archive_bytes
    Total uncompressed size of the data files of a ``.zip`` (4 GiB: a whole Google Takeout with a
    decade of ``Records.json`` stays under it).
max_archive_ratio
    Uncompressed / compressed size of a zip member (200: JSON and CSV compress 5 to 20 times; a zip
    bomb, thousands of times). Both are checked on the archive's directory before extracting anything.
json_max_depth
    Nesting depth of a JSON export (64: Google's deepest exports nest about 10 levels).
max_field_bytes
    Size of one CSV field (1 MiB: a bank label is a few hundred characters).
max_rejected_rows
    Rejected rows after which an import stops with a summary of the reasons (1,000,000: enough for a
    decade of half-hourly readings, few enough to stop a file that is not what it claims early).
"""

from __future__ import annotations

import os
from pathlib import Path


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _env_paths(name: str) -> list[Path]:
    raw = os.environ.get(name, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def _default_cache() -> Path:
    if "SELFDATA_CACHE" in os.environ:
        return Path(os.environ["SELFDATA_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "selfdata"


project_folder: Path = Path(__file__).resolve().parent.parent
samples_folder: Path = project_folder / "data" / "samples"
personas_folder: Path = samples_folder / "personas"
opendata_samples_folder: Path = samples_folder / "opendata"
use_cases_folder: Path = project_folder / "use_cases"
research_folder: Path = project_folder / "notebooks"
cache_folder: Path = _default_cache()
outputs_folder: Path = Path(os.environ.get("SELFDATA_OUTPUTS", project_folder / "outputs")).expanduser()
opendata_paths: list[Path] = _env_paths("SELFDATA_OPENDATA_PATH")
offline: bool = _env_flag("SELFDATA_OFFLINE")
http_timeout_s: float = 60.0
openfisca_python: Path = Path(
    os.environ.get("SELFDATA_OPENFISCA_PYTHON", project_folder / ".venv-openfisca" / "bin" / "python")
).expanduser()
user_agent: str = "selfdata-territorial (+https://github.com/selfdata-territorial/notebooks)"
max_archive_bytes: int = 4 * 1024**3
max_archive_ratio: float = 200.0
json_max_depth: int = 64
max_field_bytes: int = 1024**2
max_rejected_rows: int = 1_000_000
