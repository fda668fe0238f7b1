"""The one way the library talks to the network: every live source goes through :func:`get`.

It refuses when offline (``SELFDATA_OFFLINE=1`` or ``settings.offline``), sends the project's user
agent, applies the timeout, and turns every failure into a French error naming the source and the URL.
:func:`cached_get` keeps the answer in the user cache under a key of the URL and its parameters, written
atomically (a download cut short never leaves a half file behind).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError


def ensure_online(what: str) -> None:
    """:class:`NetworkDisabledError` when the network is forbidden (for libraries that make their own
    requests, such as pvlib).
    """
    if settings.offline:
        msg = f"{what} : pas de téléchargement, le mode hors ligne est activé (SELFDATA_OFFLINE=1)"
        raise NetworkDisabledError(msg)


def get(url: str, *, what: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
    """``GET url`` (a ``requests.Response`` with status 200), or a French error saying what failed.

    Parameters
    ----------
    what
        The source in a few French words (« la météo Open-Meteo »), for the messages.
    """
    import requests

    ensure_online(what)
    try:
        resp = requests.get(
            url,
            params=params,
            timeout=timeout or settings.http_timeout_s,
            headers={"User-Agent": settings.user_agent},
        )
    except requests.RequestException as exc:
        msg = f"{what} : {url} est injoignable ({type(exc).__name__}: {str(exc)[:150]})"
        raise DataUnavailableError(msg) from exc
    if resp.status_code != 200:
        msg = f"{what} : {resp.url} a répondu HTTP {resp.status_code} ({resp.text[:200]!r})"
        raise DataUnavailableError(msg)
    return resp


def cache_key(*parts: Any) -> str:
    """A short, stable key of a request (URL, parameters): another endpoint, another cache entry."""
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:10]


def write_atomically(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` through a ``.part`` file renamed at the end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")  # two runs writing at once never mix
    tmp.write_bytes(content)
    tmp.replace(path)
    return path


def cached_get(
    url: str,
    *,
    what: str,
    folder: Path,
    stem: str,
    suffix: str = ".json",
    params: dict[str, Any] | None = None,
) -> Path:
    """The answer of ``GET url`` kept in ``folder`` as ``<stem>_<key><suffix>``: downloaded the first
    time, read from the cache afterwards.
    """
    path = folder / f"{stem}_{cache_key(url, params or {})}{suffix}"
    if not path.is_file():
        write_atomically(path, get(url, what=what, params=params).content)
    return path


def get_json(
    url: str, *, what: str, params: dict[str, Any] | None = None, timeout: float | None = None
) -> Any:
    """:func:`get`, the answer decoded as JSON (a French error when it is not JSON)."""
    resp = get(url, what=what, params=params, timeout=timeout)
    try:
        return resp.json()
    except ValueError as exc:
        msg = f"{what} : {resp.url} n'a pas renvoyé du JSON ({resp.text[:120]!r})"
        raise DataUnavailableError(msg) from exc
