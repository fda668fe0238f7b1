"""Shared fixtures. Network: pytest-socket allows loopback only (see pyproject); notebook kernels
started by the tests inherit SELFDATA_BLOCK_NETWORK=1, so they cannot reach the internet either.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: a quick profile for every run, a deep one to hunt bugs by hand
# (HYPOTHESIS_PROFILE=deep make test).
hypothesis_settings.register_profile("default", max_examples=120, deadline=None)
hypothesis_settings.register_profile("deep", max_examples=3000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

os.environ["SELFDATA_BLOCK_NETWORK"] = "1"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# One BLAS/OpenMP thread for the tests and the kernels they start: the suite runs one test at a time
# and scikit-learn's thread pools oversubscribe a busy machine (see runner.thread_limits).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from selfdata_lib import settings  # noqa: E402

PROJECT = settings.project_folder
SHARED = Path(os.environ.get("SELFDATA_SHARED_PATH", PROJECT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path inside ../shared; skips the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is optional)")
    return path


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """Point the cache, outputs and snapshot search path at temporary folders."""
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    monkeypatch.setattr(settings, "outputs_folder", tmp_path / "outputs")
    monkeypatch.setattr(settings, "opendata_paths", [])
    monkeypatch.setattr(settings, "offline", False)
    return tmp_path


@pytest.fixture
def persona_camille() -> Path:
    return settings.personas_folder / "camille"


class LocalHTTP:
    """A loopback HTTP server for testing live paths: ``routes`` maps a path (without the query) to
    ``(content_type, body bytes)``; ``requests`` lists the full paths asked for.
    """

    def __init__(self) -> None:
        import http.server
        import threading

        self.routes: dict[str, tuple[str, bytes]] = {}
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                route = outer.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", route[0])
                self.end_headers()
                self.wfile.write(route[1])

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def local_http():
    server = LocalHTTP()
    yield server
    server.server.shutdown()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the fuzz suite's counts (inputs, frames with exact accounting, clean errors) per format."""
    try:
        from test_fuzz import COUNTS
    except ImportError:
        return
    if not COUNTS:
        return
    tr = terminalreporter
    tr.section("fuzz: bad inputs per importer")
    for c in sorted(COUNTS, key=lambda c: c.format):
        tr.write_line(
            f"{c.format:32s} inputs {c.inputs:6d}  ok {c.ok:6d}  clean errors {c.clean_errors:6d}  "
            f"failures {len(c.failures):3d}  {c.seconds:5.1f} s"
        )
    total = sum(c.inputs for c in COUNTS)
    tr.write_line(f"{'total':32s} inputs {total:6d}  failures {sum(len(c.failures) for c in COUNTS)}")
