"""The one way the library talks to the network: every live source goes through :func:`get`.

It refuses when offline (``SELFDATA_OFFLINE=1`` or ``settings.offline``), sends the project's user
agent, applies the timeout, and turns every failure into a French error naming the source and the URL.
:func:`cached_get` keeps the answer in the user cache under a key of the URL and its parameters, written
atomically (a download cut short never leaves a half file behind).

Libraries that make their own requests (osmnx, pvlib) show their failures through
:func:`network_error` too: :func:`network_reason` turns a requests, urllib3, socket or osmnx exception
into a short French reason (« le nom du serveur … est introuvable : pas d'accès à Internet ? »), never
urllib3's ``HTTPSConnectionPool(…): Max retries exceeded``. :func:`osmnx_session` checks that Overpass
can be reached before osmnx starts (osmnx waits 60 s, then tries Google's DNS over HTTPS for 180 s,
when it cannot reach the server).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError, NetworkUnavailableError


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
        raise network_error(what, exc, url=url, timeout=timeout or settings.http_timeout_s) from exc
    if resp.status_code != 200:
        msg = (
            f"{what} : {resp.url} a répondu HTTP {resp.status_code} — {http_status_reason(resp.status_code)}"
        )
        body = resp.text.strip()
        if body and not body.startswith("<"):  # an API's own words (JSON, text), never an HTML page
            msg += f" (réponse du serveur : {body[:120]!r})"
        raise NetworkUnavailableError(msg)
    return resp


def http_status_reason(status: int) -> str:
    """What an HTTP error status means for the user, in French, with what to do."""
    if status == 404 or status == 410:
        return "cette adresse n'existe pas ou plus (la source a peut-être changé d'adresse)"
    if status in (401, 403):
        return "le serveur refuse l'accès à cette adresse"
    if status == 429:
        return "le serveur reçoit trop de demandes : réessayez dans quelques minutes"
    if status in (408, 504):
        return "le serveur n'a pas répondu à temps : réessayez plus tard"
    if status == 503:
        return "le service est momentanément indisponible (maintenance ou surcharge) : réessayez plus tard"
    if 500 <= status < 600:
        return "le serveur est en panne ou surchargé : réessayez plus tard"
    if 400 <= status < 500:
        return "le serveur a refusé la demande"
    return "réponse inattendue du serveur"


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and every exception it wraps: requests keeps urllib3's in ``args``, urllib3 its cause in
    ``reason``, Python in ``__cause__`` and ``__context__``.
    """
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        item = todo.pop(0)
        if any(item is s for s in seen):
            continue
        seen.append(item)
        inner = [*item.args, getattr(item, "reason", None), getattr(item, "_reason", None)]
        inner += [item.__cause__, item.__context__]
        todo.extend(e for e in inner if isinstance(e, BaseException))
    return seen


def _host_of(chain: list[BaseException], url: str | None) -> str:
    if url:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
        if host:
            return host
    for item in chain:
        host = getattr(item, "_host", None)
        if isinstance(host, str) and host:
            return host
        found = re.search(r"host='([^']+)'", str(item))
        if found:
            return found.group(1)
    return ""


def _status_of(chain: list[BaseException]) -> int | None:
    for item in chain:
        status = getattr(getattr(item, "response", None), "status_code", None)
        if isinstance(status, int):
            return status
        if type(item).__name__ == "ResponseStatusCodeError":  # osmnx: "'host' responded: 429 Too Many…"
            found = re.search(r"responded:? (\d{3})\b", str(item))
            if found:
                return int(found.group(1))
    return None


def _seconds(timeout: float) -> str:
    return f"{timeout:.0f}" if timeout >= 1 else f"{timeout:.1f}".replace(".", ",")


def network_reason(exc: BaseException, *, url: str | None = None, timeout: float | None = None) -> str:
    """Why a network call failed, as a short French clause naming the host, with what to do.

    ``exc`` is what requests, urllib3, the socket module, osmnx or pvlib raised (the wrapped causes are
    looked at too); ``url`` names the host when the exception does not; ``timeout`` is the time given,
    in seconds. An error of this library (already in French) is returned as it is.
    """
    import ssl

    chain = _exception_chain(exc)
    name = _host_of(chain, url)
    # the host in the sentence: « de api.x.fr » / « du serveur » when the exception does not name it
    host, of_host, to_host = (
        (name, f"de {name}", f"à {name}") if name else ("le serveur", "du serveur", "au serveur")
    )

    def has(*names: str) -> bool:
        return any(type(e).__name__ in names for e in chain)

    text = " ".join(str(e) for e in chain)
    for item in chain:
        if isinstance(item, (DataUnavailableError, NetworkDisabledError)):
            return str(item)
    if "SELFDATA_BLOCK_NETWORK" in text:
        return "l'accès au réseau est bloqué dans ce processus (SELFDATA_BLOCK_NETWORK=1)"
    if any(isinstance(e, socket.gaierror) for e in chain) or has("NameResolutionError"):
        return (
            f"le nom du serveur{' ' + name if name else ''} est introuvable : pas d'accès à Internet ? Vérifiez la connexion "
            "(ou le proxy) puis réessayez"
        )
    if has("ProxyError"):
        return f"le proxy n'a pas pu joindre {host} : vérifiez HTTPS_PROXY et HTTP_PROXY, ou la connexion"
    if any(isinstance(e, ssl.SSLError) for e in chain) or has("SSLError"):
        return (
            f"la connexion sécurisée (HTTPS) avec {host} a échoué (certificat refusé ?) : vérifiez la date "
            "et l'heure de la machine, ou le proxy du réseau"
        )
    errnos = {getattr(e, "errno", None) for e in chain}
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or errno.ECONNREFUSED in errnos:
        return (
            f"{host} est injoignable : il refuse la connexion (serveur arrêté, port fermé ou pare-feu) ; "
            "réessayez plus tard"
        )
    if errnos & {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}:
        return f"le réseau ne permet pas de joindre {host} : pas d'accès à Internet ? Vérifiez la connexion"
    timed_out = any(isinstance(e, TimeoutError) for e in chain) or errno.ETIMEDOUT in errnos
    if timed_out or has(
        "Timeout", "ConnectTimeout", "ReadTimeout", "ReadTimeoutError", "ConnectTimeoutError"
    ):
        within = f" en {_seconds(timeout)} s" if timeout else " à temps"
        return f"pas de réponse {of_host}{within} : le serveur est lent ou injoignable ; réessayez plus tard"
    if any(
        isinstance(e, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)) for e in chain
    ) or has("RemoteDisconnected", "ChunkedEncodingError", "ProtocolError", "IncompleteRead"):
        return f"la connexion avec {host} a été coupée en cours de route : réessayez"
    status = _status_of(chain)
    if status is not None:
        return f"{host} a répondu HTTP {status} — {http_status_reason(status)}"
    if has("InsufficientResponseError") and "no matching features" in text.lower():
        return f"{host} ne donne aucun élément de ce type dans cette zone (OpenStreetMap n'en décrit pas ici)"
    if has("InsufficientResponseError"):
        return f"{host} a répondu sans données utilisables : réessayez plus tard"
    return _last_resort(exc, chain, host, to_host)


def _last_resort(exc: BaseException, chain: list[BaseException], host: str, to_host: str) -> str:
    """What :func:`network_reason` says of an error it has no precise words for."""
    names = {type(e).__name__ for e in chain}

    def has(*wanted: str) -> bool:
        return bool(names & set(wanted))

    detail = f"{type(exc).__name__} : {str(exc)[:120]}".strip(" :")
    local = (PermissionError, FileNotFoundError, IsADirectoryError, NotADirectoryError, FileExistsError)
    if any(isinstance(e, local) for e in chain):  # not the network: this machine's disk
        return (
            "le téléchargement n'a pas pu être enregistré sur cette machine (droits, disque plein ou "
            f"dossier absent ?) (détail technique : {detail})"
        )
    if has("MissingSchema", "InvalidSchema", "InvalidURL", "InvalidHeader"):
        return f"l'adresse demandée n'est pas valide (détail technique : {detail})"
    if isinstance(exc, OSError) or has("HTTPError", "ConnectionError", "NewConnectionError"):
        return f"la connexion {to_host} a échoué ; vérifiez l'accès à Internet puis réessayez (détail technique : {detail})"
    return f"{host} n'a pas donné de réponse utilisable (détail technique : {detail})"


def network_error(
    what: str, exc: BaseException, *, url: str | None = None, timeout: float | None = None
) -> NetworkUnavailableError:
    """The :class:`NetworkUnavailableError` (a :class:`DataUnavailableError`) to raise for a failed network call: « {what} : {reason} »,
    the address after it (see :func:`network_reason`). Raise it ``from exc``.
    """
    msg = f"{what} : {network_reason(exc, url=url, timeout=timeout)}"
    if url:
        msg += f" (adresse : {url})"
    return NetworkUnavailableError(msg)


def _behind_proxy(url: str) -> bool:
    """A proxy is configured for ``url`` (the proxy resolves the names, not this machine)."""
    from requests.utils import get_environ_proxies

    proxies = get_environ_proxies(url)
    return bool(proxies.get(urlsplit(url).scheme or "https") or proxies.get("all"))


def _resolve(host: str, port: int, timeout: float) -> list[Any]:
    """``socket.getaddrinfo`` that gives up after ``timeout`` seconds (a resolver without network can
    take much longer); :class:`socket.gaierror` when the name cannot be found in time.
    """
    answer: dict[str, Any] = {}

    def work() -> None:
        try:
            answer["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as exc:  # returned to the caller below
            answer["error"] = exc

    thread = threading.Thread(target=work, name=f"resolve-{host}", daemon=True)
    thread.start()
    thread.join(timeout)
    if "error" in answer:
        raise answer["error"]
    if "ok" not in answer:
        raise socket.gaierror(socket.EAI_AGAIN, f"no answer for {host} within {timeout} s")
    return list(answer["ok"])


def check_reachable(url: str, *, what: str, timeout: float = 10.0) -> None:
    """Fail in seconds when the host of ``url`` cannot be reached (its name resolved, a TCP connection
    opened, each within ``timeout``): a French :class:`DataUnavailableError` (:func:`network_error`).
    For libraries that make their own requests and retry or wait for long before failing. Nothing is
    checked behind a proxy, nor when ``url`` has no host.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host or _behind_proxy(url):
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _resolve(host, port, timeout)
        last: OSError | None = None
        for family, kind, proto, _, address in addresses:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout)
                try:
                    sock.connect(address)
                except OSError as exc:
                    last = exc
                    continue
                return
        raise last or socket.gaierror(socket.EAI_NONAME, f"no address for {host}")
    except OSError as exc:
        raise network_error(what, exc, url=url, timeout=timeout) from exc


@contextmanager
def osmnx_session(what: str) -> Iterator[None]:
    """A block of osmnx requests (Overpass API) made the library's way: refused when offline, a quick
    :func:`check_reachable` of the Overpass server first, osmnx's cache in the user cache (never
    ``./cache`` beside a notebook), the project's user agent, and any failure turned into a French
    :class:`DataUnavailableError` (:func:`network_error`). osmnx's settings are restored afterwards.
    """
    import osmnx as ox

    ensure_online(what)
    url = str(ox.settings.overpass_url)
    check_reachable(url, what=what)
    before = ox.settings.cache_folder, ox.settings.http_user_agent
    ox.settings.cache_folder = str(settings.cache_folder / "osmnx")
    ox.settings.http_user_agent = settings.user_agent
    try:
        yield
    except (DataUnavailableError, NetworkDisabledError):
        raise
    except Exception as exc:  # osmnx's own errors (no data, status codes) and requests'
        raise network_error(what, exc, url=url, timeout=float(ox.settings.requests_timeout)) from exc
    finally:
        ox.settings.cache_folder, ox.settings.http_user_agent = before


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
