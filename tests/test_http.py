"""The one HTTP helper: offline guard, user agent, timeout, cache, French errors."""

from __future__ import annotations

import http.server
import threading

import pytest

from selfdata_lib import _http, settings
from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []  # noqa: RUF012  (shared by the test server's requests)

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("User-Agent", "")))
        if self.path.startswith("/missing"):
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"not here")
            return
        body = b'{"ok": true}' if not self.path.startswith("/text") else b"<html>hello</html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.seen = []
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_get_sends_the_user_agent_and_caches_once(server, isolated_settings):
    path = _http.cached_get(
        f"{server}/data", what="un test", folder=isolated_settings / "c", stem="d", params={"a": 1}
    )
    again = _http.cached_get(
        f"{server}/data", what="un test", folder=isolated_settings / "c", stem="d", params={"a": 1}
    )
    other = _http.cached_get(
        f"{server}/data", what="un test", folder=isolated_settings / "c", stem="d", params={"a": 2}
    )
    assert path == again != other and path.read_bytes() == b'{"ok": true}'
    assert [p for p, _ in _Handler.seen] == ["/data?a=1", "/data?a=2"]  # the second call read the cache
    assert all(ua == settings.user_agent for _, ua in _Handler.seen)
    assert not list((isolated_settings / "c").glob("*.part"))


def test_failures_are_french_errors_naming_the_source(server, monkeypatch):
    with pytest.raises(DataUnavailableError, match=r"un test : .*/missing a répondu HTTP 404"):
        _http.get(f"{server}/missing", what="un test")
    with pytest.raises(DataUnavailableError, match="n'a pas renvoyé du JSON"):
        _http.get_json(f"{server}/text", what="un test")
    with pytest.raises(DataUnavailableError, match="injoignable"):
        _http.get("http://127.0.0.1:9/nothing", what="un test", timeout=2)
    monkeypatch.setattr(settings, "offline", True)
    with pytest.raises(NetworkDisabledError, match="un test : pas de téléchargement, le mode hors ligne"):
        _http.get(f"{server}/data", what="un test")
    assert _Handler.seen == [("/missing", settings.user_agent), ("/text", settings.user_agent)]


def test_no_module_but_the_helper_calls_requests():
    from pathlib import Path

    import selfdata_lib

    root = Path(selfdata_lib.__file__).parent
    callers = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if "requests.get(" in p.read_text(encoding="utf-8")
    ]
    assert callers == ["_http.py"]
