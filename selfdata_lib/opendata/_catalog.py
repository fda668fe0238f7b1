"""The open-data catalogue and the search order every loader follows.

A :class:`Dataset` says what files make the dataset, where the real thing lives online, and how to
read the files into a frame. :func:`load` looks, in order, in

1. the user cache (``settings.cache_folder / "opendata" / NAME``), filled by earlier live fetches;
2. the snapshot folders of ``SELFDATA_OPENDATA_PATH`` (``FOLDER/NAME/`` or ``FOLDER/<snapshot dir>/``);
3. the project's own small samples (``data/samples/opendata/NAME/``), marked ``sample: true``;

and goes to the network only for ``source="live"`` or :func:`fetch` (``selfdata data fetch NAME``).
Every frame it returns carries ``frame.attrs["provenance"]``: dataset, title, source, url, licence,
retrieved, origin (cache, snapshot, sample), path and sample.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, ExportFormatError, NetworkDisabledError

PROVENANCE_FILE = "_provenance.json"
SOURCES = ("auto", "cache", "snapshot", "sample", "live")


@dataclass(frozen=True)
class Dataset:
    """One open dataset of the catalogue.

    Parameters
    ----------
    name
        Stable id used by loaders, cards and the CLI (``lyon-arrondissements``).
    title
        Human title (French is fine).
    territory
        ``Lyon``, ``Nantes``, ``La Rochelle``, ``Rennes`` or ``France``.
    source
        Who publishes the real dataset.
    url
        The dataset's page.
    licence
        Licence of the real dataset.
    files
        File-name patterns (``fnmatch``) that must all be present in a folder for it to hold the dataset.
    read
        Function reading the matched files (in ``files`` order) into a frame.
    snapshot_dirs
        Other folder names under which a snapshot folder may hold the files.
    live
        ``{file name: URL}`` downloaded by :func:`fetch`; empty when there is no live source.
    description
        One or two sentences for ``selfdata data list``.
    fetcher
        For data that is not a plain download (a street graph built with osmnx): a function writing the
        files into the cache folder it is given; used by :func:`fetch` instead of ``live``.
    """

    name: str
    title: str
    territory: str
    source: str
    url: str
    licence: str
    files: tuple[str, ...]
    read: Callable[[list[Path]], pd.DataFrame] = field(repr=False)
    snapshot_dirs: tuple[str, ...] = ()
    live: dict[str, str] = field(default_factory=dict)
    description: str = ""
    fetcher: Callable[[Path], None] | None = field(default=None, repr=False)


CATALOGUE: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    """Add a dataset to the catalogue (its ``name`` must be new)."""
    if dataset.name in CATALOGUE:
        msg = f"dataset {dataset.name!r} is already in the catalogue"
        raise ValueError(msg)
    CATALOGUE[dataset.name] = dataset
    return dataset


def get_dataset(name: str) -> Dataset:
    """The catalogue entry ``name``, with a helpful error listing the known names."""
    try:
        return CATALOGUE[name]
    except KeyError:
        known = ", ".join(sorted(CATALOGUE)) or "none"
        msg = f"unknown open dataset {name!r}; the catalogue has: {known}"
        raise DataUnavailableError(msg) from None


def _match_files(folder: Path, patterns: Iterable[str]) -> list[Path] | None:
    if not folder.is_dir():
        return None
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    found = []
    for pattern in patterns:
        hits = [n for n in names if fnmatch.fnmatch(n, pattern)]
        if not hits:
            return None
        found.append(folder / hits[-1])  # newest by name when several snapshots are dated
    return found


def _retrieved_from_source_md(folder: Path) -> str | None:
    for name in ("SOURCE.md", "README.md"):
        path = folder / name
        if path.is_file():
            m = re.search(
                r"(?:Retrieved|Generated|Written|Récupéré)[^0-9]{0,20}(\d{4}-\d{2}-\d{2})",
                path.read_text(encoding="utf-8", errors="replace"),
            )
            if m:
                return m.group(1)
    return None


def _provenance(dataset: Dataset, origin: str, folder: Path, files: list[Path]) -> dict[str, Any]:
    prov: dict[str, Any] = {
        "dataset": dataset.name,
        "title": dataset.title,
        "source": dataset.source,
        "url": dataset.url,
        "licence": dataset.licence,
        "retrieved": None,
        "origin": origin,
        "path": str(folder),
        "files": [f.name for f in files],
        "sample": origin == "sample",
    }
    extra = folder / PROVENANCE_FILE
    if extra.is_file():
        prov.update(json.loads(extra.read_text(encoding="utf-8")))
    if not prov["retrieved"]:
        prov["retrieved"] = (
            _retrieved_from_source_md(folder)
            or dt.date.fromtimestamp(min(f.stat().st_mtime for f in files)).isoformat()
        )
    prov["sample"] = bool(prov["sample"]) or origin == "sample"
    return prov


def candidates(dataset: Dataset) -> list[tuple[str, Path]]:
    """Every (origin, folder) searched for ``dataset``, in search order."""
    out = [("cache", settings.cache_folder / "opendata" / dataset.name)]
    for base in settings.opendata_paths:
        for sub in (dataset.name, *dataset.snapshot_dirs):
            out.append(("snapshot", Path(base) / sub))
        out.append(("snapshot", Path(base)))
    out.append(("sample", settings.opendata_samples_folder / dataset.name))
    return out


def locate(name: str, *, source: str = "auto") -> tuple[list[Path], dict[str, Any]]:
    """Find the files of dataset ``name`` and their provenance, without reading them.

    Parameters
    ----------
    source
        ``auto`` (cache → snapshots → sample), or only one of ``cache``, ``snapshot``, ``sample``;
        ``live`` fetches first (network, explicit) — for a dataset that has nothing to download (a
        history published once, a cooperative's release), ``live`` reads what is at hand, as ``auto``.
    """
    dataset = get_dataset(name)
    if source not in SOURCES:
        msg = f"source must be one of {', '.join(SOURCES)}, got {source!r}"
        raise ValueError(msg)
    if source == "live" and not dataset.live and dataset.fetcher is None:
        source = "auto"
    if source == "live":
        fetch(name)
        source = "cache"
    searched = []
    for origin, folder in candidates(dataset):
        if source not in ("auto", origin):
            continue
        searched.append(str(folder))
        files = _match_files(folder, dataset.files)
        if files:
            return files, _provenance(dataset, origin, folder, files)
    hint = (
        f"run `selfdata data fetch {name}` (downloads from {dataset.source}), "
        "or point SELFDATA_OPENDATA_PATH to a folder holding " + ", ".join(dataset.files)
    )
    msg = (
        f"open dataset {name!r} not found with source={source!r}; looked in: "
        + "; ".join(searched)
        + f". To get it, {hint}."
    )
    raise DataUnavailableError(msg)


def load(name: str, *, source: str = "auto") -> pd.DataFrame:
    """Load dataset ``name`` as a frame whose ``attrs["provenance"]`` says where it comes from.

    A cache entry that cannot be read (a download cut short, a file edited by hand) is discarded: with
    ``source="live"`` it is fetched again, with ``"auto"`` the search goes on (snapshots, samples), with
    ``"cache"`` the error says to fetch it again. A snapshot or sample that cannot be read gives a
    :class:`DataUnavailableError` naming the file.
    """
    import shutil

    dataset = get_dataset(name)
    for attempt in range(2):
        files, prov = locate(name, source=source)
        try:
            frame = dataset.read(files)
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:
            where = ", ".join(str(f) for f in files)
            if prov["origin"] == "cache" and attempt == 0:
                shutil.rmtree(Path(prov["path"]), ignore_errors=True)
                if source in ("auto", "live"):
                    continue
                msg = (
                    f"{name} : la copie en cache ({where}) était illisible ({type(exc).__name__}) et a été "
                    f"supprimée ; téléchargez-la de nouveau avec `selfdata data fetch {name}`"
                )
                raise DataUnavailableError(msg) from exc
            if isinstance(exc, ExportFormatError):  # already names the file and the line
                raise
            msg = f"{name} : le fichier {where} ({prov['origin']}) est illisible : {type(exc).__name__}: {str(exc)[:150]}"
            raise DataUnavailableError(msg) from exc
        frame.attrs["provenance"] = prov
        return frame
    msg = f"{name} : illisible même après un nouveau téléchargement"
    raise DataUnavailableError(msg)


def fetched_provenance(
    dataset: str, title: str, source: str, url: str, licence: str, path: Path
) -> dict[str, Any]:
    """Provenance of data fetched by a parametrised service (weather for a place, a PVGIS year, a GBFS
    feed) and kept in the cache at ``path``: the same keys as :func:`load` gives.
    """
    return {
        "dataset": dataset,
        "title": title,
        "source": source,
        "url": url,
        "licence": licence,
        "origin": "cache",
        "path": str(path),
        "files": [path.name] if path.is_file() else [],
        "retrieved": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat(timespec="seconds"),
        "sample": False,
    }


def live_urls(dataset: Dataset) -> dict[str, str]:
    """The live URLs of ``dataset``: its own, unless the environment variable
    ``SELFDATA_LIVE_<NAME>`` (name upper-cased, ``-`` → ``_``) overrides them — with one URL for a
    one-file dataset, or a JSON object ``{file name: URL}`` (a mirror, a local server, a newer API).
    """
    env = "SELFDATA_LIVE_" + re.sub(r"[^A-Z0-9]", "_", dataset.name.upper())
    raw = os.environ.get(env, "").strip()
    if not raw:
        return dict(dataset.live)
    if raw.startswith("{"):
        override = json.loads(raw)
        unknown = set(override) - set(dataset.live)
        if unknown:
            msg = f"{env}: unknown file name(s) {sorted(unknown)}; {dataset.name} has {sorted(dataset.live)}"
            raise ValueError(msg)
        return {**dataset.live, **override}
    if len(dataset.live) != 1:
        msg = f"{env}: {dataset.name} has several files; give a JSON object {{file name: URL}}"
        raise ValueError(msg)
    return {next(iter(dataset.live)): raw}


def load_optional(name: str, *, source: str = "auto") -> pd.DataFrame | None:
    """:func:`load`, or ``None`` when the dataset is nowhere to be found (for optional context layers)."""
    try:
        return load(name, source=source)
    except DataUnavailableError:
        return None


def load_context(*names: str, source: str = "auto") -> list[pd.DataFrame | None]:
    """Optional map layers (:func:`load_optional`), never downloaded for a map: ``live`` reads what is
    at hand, like ``auto``.
    """
    offline = "auto" if source == "live" else source
    return [load_optional(name, source=offline) if name else None for name in names]


def fetch(name: str, *, force: bool = False) -> Path:
    """Download the live dataset ``name`` into the user cache and return the cache folder.

    This is the only place the catalogue touches the network. No personal data is sent: the request
    is the public dataset URL.
    """
    from selfdata_lib import _http

    dataset = get_dataset(name)
    if not dataset.live and dataset.fetcher is None:
        msg = f"{name!r} has no live source to fetch; use a snapshot folder (SELFDATA_OPENDATA_PATH)"
        raise DataUnavailableError(msg)
    _http.ensure_online(f"le jeu de données {name}")
    folder = settings.cache_folder / "opendata" / name
    if not force and _match_files(folder, dataset.files):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if dataset.fetcher is not None:
        try:
            dataset.fetcher(folder)
        except (DataUnavailableError, NetworkDisabledError, ExportFormatError):
            raise  # already in French
        except Exception as exc:  # a library's own request (osmnx, an SDK): never its raw English
            raise _http.network_error(f"le jeu de données {name}", exc) from exc
        (folder / PROVENANCE_FILE).write_text(
            json.dumps(
                {
                    "retrieved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "fetched_with": f"{dataset.fetcher.__module__}.{dataset.fetcher.__name__}",
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        return folder
    urls = live_urls(dataset)
    for file_name, url in urls.items():
        _http.write_atomically(folder / file_name, _http.get(url, what=f"le jeu de données {name}").content)
    (folder / PROVENANCE_FILE).write_text(
        json.dumps(
            {
                "retrieved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "live_urls": urls,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return folder
