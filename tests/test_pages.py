"""The gallery and the reports as a citizen and a living lab see them: in French, readable on a phone
(375 px) and a projector (1920 px), exported as a folder that opens offline, printed to PDF.

The browser tests need headless Chromium (Debian package ``chromium``, ``make browser``) and skip with
that reason where it is absent; the screenshots are kept in ``outputs/screenshots/`` to look at.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from selfdata_lib import settings
from selfdata_lib.app import browser, gallery, runner
from selfdata_lib.app.export import export_gallery
from selfdata_lib.errors import BrowserError, OutputError

pytestmark = pytest.mark.notebooks

RUNS = (("lyon-water-district", "camille"), ("nantes-home-energy", "morel"), ("start-here", "camille"))
# Headless Chromium lays a window out at 500 px at the least: the page is measured inside an iframe of
# the width wanted, every folded section opened, and reports back through postMessage.
PROBE = (
    "<script>window.addEventListener('load',function(){setTimeout(function(){"
    "document.querySelectorAll('details').forEach(function(x){x.open=true;});"
    "var d=document.documentElement;"
    "var r={overflow:d.scrollWidth>window.innerWidth+2,width:window.innerWidth,"
    "images:document.querySelectorAll('img').length,"
    "alts:document.querySelectorAll('img[alt]:not([alt=\"\"])').length};"
    "parent.postMessage(JSON.stringify(r),'*');},300);});</script>"
)
FRAME = (
    "<!DOCTYPE html><html><body style='margin:0'><iframe src='{src}' style='width:{width}px;height:1000px;"
    "border:0'></iframe><script>window.addEventListener('message',function(e){{"
    "document.body.setAttribute('data-probe',e.data);}});</script></body></html>"
)


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """Three runs (two use cases, the start) and their gallery, in a folder of their own."""
    root = tmp_path_factory.mktemp("outputs")
    for card, preset in RUNS:
        outcome = runner.run_use_case(card, preset, out_dir=root / card / preset, block_network=True)
        assert outcome.ok, outcome.error
    gallery.write_gallery(root)
    return root


def _results(root, card, preset):
    return json.loads((root / card / preset / "results.json").read_text(encoding="utf-8"))


def test_the_gallery_tells_the_story_in_french(suite):
    page = (suite / "index.html").read_text(encoding="utf-8")
    assert "<html lang='fr'" in page
    # grouped by territory, the start first
    sections = re.findall(r"<h2 id='[^']+'>([^<]+)</h2>", page)
    assert sections == ["Pour commencer", "Lyon", "Nantes"]
    for card, preset in RUNS:
        data = _results(suite, card, preset)
        assert data["headline"] and data["headline"][:40].replace("'", "&#x27;") in page
        assert data["thumbnail"] == "thumbnail.png" and f"{card}/{preset}/thumbnail.png" in page
    assert "exemple : Camille" in page and "données ouvertes : échantillon" in page
    assert "<details><summary>Fichiers et données ouvertes" in page  # provenance folded away
    shown = re.sub(
        r"<details>.*?</details>", "", page.split("<main>", 1)[1].replace("<wbr>", ""), flags=re.S
    )  # folded: files, sources; a word that may go to the next line is still one word
    visible = re.sub(r"<[^>]+>", " ", shown)
    codes = sorted({w for w in re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", visible)})
    assert not codes, f"code names shown to people: {codes}"


def test_a_report_opens_with_its_headline_and_key_figures(suite):
    data = _results(suite, "lyon-water-district", "camille")
    page = (suite / "lyon-water-district" / "camille" / "report.html").read_text(encoding="utf-8")
    head = page.index("sd-headline")
    assert head < page.index("Les chiffres clés") < page.index("1. Ma consommation")
    assert "Ma consommation" in page and "l/personne/jour" in page and "8 septembre 2025" in page
    assert data["selfdata_version"] not in re.sub(r"<meta[^>]+>", "", page)  # no version string shown
    assert "dtype:" not in page and "https://cdnjs" not in page
    assert len(re.findall(r"<img (?![^>]*alt=)", page)) == 0, "a chart without alternative text"


def _chromium():
    if browser.find_chromium() is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium', make browser)")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1920])
def test_pages_read_on_a_phone_and_a_projector(suite, width):
    _chromium()
    shots = settings.outputs_folder / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = {
        "galerie": suite / "index.html",
        "eau": suite / "lyon-water-district" / "camille" / "report.html",
        "energie": suite / "nantes-home-energy" / "morel" / "report.html",
    }
    for name, page in pages.items():
        probe = page.with_name(f"probe-{width}.html")
        probe.write_text(
            page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
        )
        frame = page.with_name(f"frame-{width}.html")
        frame.write_text(FRAME.format(src=probe.name, width=width), encoding="utf-8")
        dom = browser.page_dom(frame, width=max(width, 800), height=1100)
        found = re.search(r'data-probe="([^"]+)"', dom)
        assert found, f"{name}: the page did not report back"
        result = json.loads(html.unescape(found.group(1)))
        assert result["width"] == width, result
        assert result["overflow"] is False, f"{name} is wider than {width} px, its folded parts opened"
        assert result["images"] and result["alts"] == result["images"], f"{name}: images without alt text"
        text = browser.page_dom(probe, width=1280, height=1000)
        if name == "galerie":
            assert "Pour commencer" in text and "Ouvrir le rapport" in text
        else:
            data = json.loads((page.parent / "results.json").read_text(encoding="utf-8"))
            assert "Les chiffres clés" in text
            assert all(html.escape(f["label"], quote=False) in text for f in data["figures"][:3])
        browser.screenshot(frame, shots / f"{name}-{width}.png", width=max(width, 800), height=1400)
        assert (shots / f"{name}-{width}.png").stat().st_size > 10_000
        probe.unlink()
        frame.unlink()


def test_the_export_for_a_room_opens_offline(suite, tmp_path, monkeypatch):
    dest = tmp_path / "salle"
    summary = export_gallery(dest, root=suite)
    assert summary.reports == len(RUNS) and summary.online_resources == []
    assert (dest / "index.html").is_file() and (dest / "LISEZMOI.txt").is_file()
    for card, preset in RUNS:
        assert (dest / card / preset / "report.html").is_file()
        assert (dest / card / preset / "thumbnail.png").is_file()
        assert not (dest / card / preset / "notebook.ipynb").exists()  # only what the pages show
    links = re.findall(r"(?:href|src)='([^'#]+)'", (dest / "index.html").read_text(encoding="utf-8"))
    assert links and all((dest / link).is_file() for link in links), "a broken link in the export"
    with pytest.raises(OutputError, match="hors de"):
        export_gallery(suite / "dedans", root=suite)
    with pytest.raises(OutputError, match="Aucune exécution"):
        export_gallery(dest, root=suite, pdf=("lyon-water-district/inconnu",))
    monkeypatch.setenv("SELFDATA_CHROMIUM", str(tmp_path / "pas-de-navigateur"))
    with pytest.raises(BrowserError, match="Chromium n'est pas installé"):
        export_gallery(dest, root=suite, pdf=("lyon-water-district/camille",))


@pytest.mark.browser
def test_a_report_prints_to_pdf(suite, tmp_path):
    _chromium()
    summary = export_gallery(tmp_path / "salle", root=suite, pdf=("lyon-water-district/camille",))
    pdf = summary.pdfs[0]
    assert pdf.name == "lyon-water-district--camille.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
    shutil.rmtree(tmp_path / "salle")
