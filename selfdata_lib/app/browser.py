"""Headless Chromium, when installed, to look at pages as a citizen would: screenshots at a phone's or a
projector's width, the page as the browser built it, a printable PDF of a report.

Chromium is the Debian package ``chromium`` (``make browser`` installs it); ``SELFDATA_CHROMIUM`` names
another executable. Nothing here touches the network: the pages are local files, and the browser is
started with its background services off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from selfdata_lib.errors import BrowserError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    """The headless browser's executable, or ``None`` when none is installed."""
    given = os.environ.get("SELFDATA_CHROMIUM")
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def _run(args: list[str], *, what: str) -> subprocess.CompletedProcess[str]:
    exe = find_chromium()
    if exe is None:
        msg = (
            f"Impossible de {what} : Chromium n'est pas installé. Installez le paquet Debian « chromium » "
            "(make browser), ou donnez son chemin dans SELFDATA_CHROMIUM."
        )
        raise BrowserError(msg)
    with tempfile.TemporaryDirectory(prefix="selfdata-chromium-") as profile:
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--no-first-run",
            "--disable-quic",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            msg = f"Impossible de {what} : Chromium n'a pas répondu en {TIMEOUT_S} s."
            raise BrowserError(msg) from None
    if done.returncode != 0:
        msg = f"Impossible de {what} : Chromium a échoué ({done.stderr.strip()[-300:]})."
        raise BrowserError(msg)
    return done


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 900, wait_ms: int = 3000) -> Path:
    """A PNG of ``page`` seen in a window ``width`` × ``height`` pixels wide (maps and scripts get
    ``wait_ms`` of virtual time to draw).
    """
    size = [f"--window-size={width},{height}", f"--virtual-time-budget={wait_ms}"]
    _run([*size, f"--screenshot={png}", page.as_uri()], what=f"faire une capture de {page.name}")
    return png


def page_dom(page: Path, *, width: int = 1280, height: int = 900, wait_ms: int = 3000) -> str:
    """The page as the browser built it in a window of that size (after its scripts ran)."""
    done = _run(
        [f"--window-size={width},{height}", f"--virtual-time-budget={wait_ms}", "--dump-dom", page.as_uri()],
        what=f"ouvrir {page.name}",
    )
    return done.stdout


def print_pdf(page: Path, pdf: Path, *, wait_ms: int = 3000) -> Path:
    """``page`` printed to a PDF (A4, as the browser prints it), for a report to hand out."""
    _run(
        [
            f"--virtual-time-budget={wait_ms}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        what=f"imprimer {page.name} en PDF",
    )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        msg = f"Impossible d'imprimer {page.name} en PDF : Chromium n'a rien écrit."
        raise BrowserError(msg)
    return pdf
