"""Network failures read in French: HTTP statuses, unknown host names, timeouts, refused connections,
through the HTTP helper, the geocoders, pvlib and osmnx — never urllib3's ``HTTPSConnectionPool``.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest
import requests
import urllib3

from selfdata_lib import _http, opendata, settings
from selfdata_lib.analysis import places
from selfdata_lib.app import territory_tools
from selfdata_lib.errors import DataUnavailableError

ENGLISH = ("HTTPSConnectionPool", "HTTPConnectionPool", "Max retries", "NameResolutionError", "Errno")


def _no_english(message: str) -> None:
    assert not [w for w in ENGLISH if w in message], message


class _Statuses(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(5)
            return
        code = int(self.path.strip("/").split("?")[0])
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body><h1>Internal Server Error</h1></body></html>")

    def log_message(self, *args):
        pass


@pytest.fixture
def statuses():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Statuses)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def unknown_hosts(monkeypatch):
    """Names ending in ``.example`` do not resolve: ``socket.getaddrinfo`` raises what a resolver
    without network raises, so requests and urllib3 build their real exceptions around it.
    """
    real = socket.getaddrinfo
    asked: list[str] = []
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):  # no proxy: this machine resolves the names
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".example"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_http_statuses_are_explained_in_french(statuses, isolated_settings):
    with pytest.raises(DataUnavailableError) as missing:
        _http.get(f"{statuses}/404", what="le jeu de données essai")
    assert "a répondu HTTP 404 — cette adresse n'existe pas ou plus" in str(missing.value)
    with pytest.raises(DataUnavailableError) as broken:
        _http.get(f"{statuses}/500", what="le jeu de données essai")
    text = str(broken.value)
    assert text.startswith("le jeu de données essai : ") and "HTTP 500 — le serveur est en panne" in text
    assert (
        "Internal Server Error" not in text and "<html" not in text
    )  # the server's English page is not shown
    with pytest.raises(DataUnavailableError, match="trop de demandes : réessayez dans quelques minutes"):
        _http.get(f"{statuses}/429", what="le jeu de données essai")
    assert _http.http_status_reason(503).startswith("le service est momentanément indisponible")


def test_an_unknown_host_name_says_there_is_no_internet(unknown_hosts, isolated_settings):
    url = "https://download.data.example/velov.json"
    with pytest.raises(DataUnavailableError) as caught:
        _http.get(url, what="le jeu de données velov-stations")
    text = str(caught.value)
    assert text.startswith(
        "le jeu de données velov-stations : le nom du serveur download.data.example est introuvable"
    )
    assert "pas d'accès à Internet ?" in text and url in text
    _no_english(text)
    # the very exceptions requests and urllib3 raise, not a stand-in
    cause = caught.value.__cause__
    assert isinstance(cause, requests.ConnectionError)
    assert isinstance(cause.args[0], urllib3.exceptions.MaxRetryError)
    assert isinstance(cause.args[0].reason, urllib3.exceptions.NameResolutionError)
    assert "HTTPSConnectionPool" in str(cause)  # what used to be shown
    assert unknown_hosts == ["download.data.example"]


def test_the_geocoders_fail_in_french_without_internet(unknown_hosts, isolated_settings, monkeypatch):
    monkeypatch.setattr(territory_tools, "NOMINATIM_URL", "https://nominatim.osm.example/search")
    with pytest.raises(DataUnavailableError) as nominatim:
        territory_tools.geocode_place("Gent", country="BE")
    assert "Nominatim (OpenStreetMap) : le nom du serveur nominatim.osm.example est introuvable" in str(
        nominatim.value
    )
    _no_english(str(nominatim.value))
    monkeypatch.setattr(places, "GEOCODER_URL", "https://api-adresse.data.example/search/")
    with pytest.raises(DataUnavailableError) as ban:
        places.resolve_place("place Jean Macé, Lyon", geocode_online=True)
    assert "l'API Adresse nationale : le nom du serveur api-adresse.data.example est introuvable" in str(
        ban.value
    )
    _no_english(str(ban.value))


def test_a_silent_server_is_a_timeout_in_seconds(statuses, isolated_settings):
    started = time.perf_counter()
    with pytest.raises(DataUnavailableError) as caught:
        _http.get(f"{statuses}/slow", what="la météo", timeout=0.3)
    assert time.perf_counter() - started < 3  # the server answers after 5 s
    text = str(caught.value)
    assert "la météo : pas de réponse de 127.0.0.1 en 0,3 s" in text
    _no_english(text)
    assert isinstance(caught.value.__cause__, requests.Timeout)


def test_a_refused_connection_and_other_failures_in_french(isolated_settings):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # a port nothing listens on now
    with pytest.raises(DataUnavailableError) as refused:
        _http.get(f"http://127.0.0.1:{port}/nothing", what="un test", timeout=2)
    assert "127.0.0.1 est injoignable : il refuse la connexion" in str(refused.value)
    _no_english(str(refused.value))
    pool = urllib3.HTTPSConnectionPool("tiles.example", 443)
    ssl_error = requests.exceptions.SSLError(
        urllib3.exceptions.MaxRetryError(pool, "/", urllib3.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"))
    )
    assert _http.network_reason(ssl_error).startswith("la connexion sécurisée (HTTPS) avec tiles.example")
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    busy = ResponseStatusCodeError("'overpass-api.de' responded: 429 Too Many Requests <html>…</html>")
    assert _http.network_reason(busy, url="https://overpass-api.de/api") == (
        "overpass-api.de a répondu HTTP 429 — le serveur reçoit trop de demandes : réessayez dans quelques minutes"
    )
    assert "sans données utilisables" in _http.network_reason(InsufficientResponseError("No data elements"))
    blocked = requests.ConnectionError(
        ConnectionRefusedError("network access to 'x.org' is blocked (SELFDATA_BLOCK_NETWORK=1); ...")
    )
    assert (
        _http.network_reason(blocked)
        == "l'accès au réseau est bloqué dans ce processus (SELFDATA_BLOCK_NETWORK=1)"
    )
    odd = _http.network_reason(KeyError("features"), url="https://a.example/b")
    assert odd.startswith("a.example n'a pas donné de réponse utilisable (détail technique : KeyError")


def test_pvgis_through_pvlib_fails_in_french(unknown_hosts, isolated_settings):
    with pytest.raises(DataUnavailableError) as caught:
        opendata.fetch_pvgis_tmy(47.2, -1.5, url="https://re.jrc.example/api/")
    assert "le nom du serveur re.jrc.example est introuvable : pas d'accès à Internet ?" in str(caught.value)
    _no_english(str(caught.value))


def test_check_reachable_gives_up_quickly_on_a_hanging_resolver(monkeypatch):
    def slow(host, *args, **kwargs):
        time.sleep(8)
        raise AssertionError("never reached in time")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.perf_counter()
    with pytest.raises(DataUnavailableError, match="le nom du serveur overpass.example est introuvable"):
        _http.check_reachable("https://overpass.example/api", what="l'API Overpass", timeout=0.3)
    assert time.perf_counter() - started < 5  # the resolver hangs 8 s


def test_lyon_streets_fails_fast_and_in_french_without_internet(
    unknown_hosts, isolated_settings, monkeypatch
):
    import osmnx as ox

    calls = []
    monkeypatch.setattr(ox.settings, "overpass_url", "https://overpass-api.example/api")
    monkeypatch.setattr(ox, "graph_from_bbox", lambda *a, **k: calls.append(a))
    before = ox.settings.cache_folder
    started = time.perf_counter()
    with pytest.raises(DataUnavailableError) as caught:
        opendata.fetch("lyon-streets")
    assert time.perf_counter() - started < 20  # osmnx alone: 60 s of pause, then urllib3's English
    text = str(caught.value)
    assert text.startswith("le réseau de rues de Lyon (OpenStreetMap, API Overpass) : le nom du serveur")
    assert "overpass-api.example est introuvable : pas d'accès à Internet ?" in text
    _no_english(text)
    assert calls == [] and ox.settings.cache_folder == before
    assert not list((settings.cache_folder / "opendata" / "lyon-streets").glob("*.graphml"))


def test_la_rochelle_s_places_fail_fast_and_in_french_without_internet(
    unknown_hosts, isolated_settings, monkeypatch
):
    import osmnx as ox

    calls = []
    monkeypatch.setattr(ox.settings, "overpass_url", "https://overpass-api.example/api")
    monkeypatch.setattr(ox, "features_from_bbox", lambda *a, **k: calls.append(a))
    started = time.perf_counter()
    with pytest.raises(DataUnavailableError) as caught:
        opendata.fetch("larochelle-leisure-places")
    assert time.perf_counter() - started < 20
    text = str(caught.value)
    assert "les lieux de loisirs de La Rochelle" in text and "pas d'accès à Internet ?" in text
    _no_english(text)
    assert calls == []


def test_behind_a_proxy_osmnx_is_not_checked_by_name(unknown_hosts, isolated_settings, monkeypatch):
    """A proxy resolves the names: the quick check is skipped, and osmnx's own failure reads in French."""
    import osmnx as ox
    from osmnx._errors import ResponseStatusCodeError

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setattr(ox.settings, "overpass_url", "https://overpass-api.example/api")

    def busy(*args, **kwargs):
        raise ResponseStatusCodeError("'overpass-api.example' responded: 504 Gateway Timeout")

    monkeypatch.setattr(ox, "graph_from_bbox", busy)
    with pytest.raises(DataUnavailableError) as caught:
        opendata.fetch("lyon-streets")
    assert "overpass-api.example a répondu HTTP 504 — le serveur n'a pas répondu à temps" in str(caught.value)
    assert unknown_hosts == []  # no name was looked up


def test_a_fetcher_library_error_is_shown_in_french(isolated_settings, monkeypatch):
    import dataclasses

    def sdk_download(folder):
        requests.get("http://127.0.0.1:9/places.json", timeout=2)  # what an SDK would do, refused

    ds = opendata.get_dataset("lyon-streets")
    monkeypatch.setitem(opendata.CATALOGUE, "lyon-streets", dataclasses.replace(ds, fetcher=sdk_download))
    with pytest.raises(DataUnavailableError) as caught:
        opendata.fetch("lyon-streets")
    assert str(caught.value).startswith("le jeu de données lyon-streets : 127.0.0.1 est injoignable")
    _no_english(str(caught.value))


def test_without_a_host_the_sentence_still_reads_and_a_disk_error_is_not_the_network():
    from selfdata_lib._http import network_reason

    nameless = network_reason(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    assert (
        nameless.startswith("le nom du serveur est introuvable") and "le serveur le serveur" not in nameless
    )
    assert network_reason(TimeoutError(), timeout=3).startswith("pas de réponse du serveur en 3 s")
    assert "à le serveur" not in network_reason(ConnectionResetError("x")) + network_reason(OSError("x"))
    disk = network_reason(PermissionError(13, "Permission denied"))
    assert "enregistré sur cette machine" in disk and "Internet" not in disk


def test_an_empty_openstreetmap_answer_is_said_as_such_not_as_a_server_to_retry():
    from osmnx._errors import InsufficientResponseError

    from selfdata_lib._http import network_reason

    said = network_reason(
        InsufficientResponseError("No matching features."), url="https://overpass.example/api"
    )
    assert "aucun élément de ce type dans cette zone" in said and "réessayez" not in said


def test_a_network_failure_is_its_own_kind_of_missing_data():
    from selfdata_lib.errors import NetworkUnavailableError

    failed = _http.network_error("la météo", TimeoutError(), url="https://api.example/x", timeout=2)
    assert isinstance(failed, NetworkUnavailableError) and isinstance(failed, DataUnavailableError)
    assert runner_advice(failed).startswith("Vérifiez l'accès à Internet")


def runner_advice(exc: BaseException) -> str:
    from selfdata_lib.app import runner, usecases

    card = usecases.get_use_case("lyon-velov-route")
    return runner._advice(type(exc).__name__, str(exc), card, {"open_data": "auto"})
