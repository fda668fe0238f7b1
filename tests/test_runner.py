"""The runner (papermill → notebook, report, results.json), failures in a few lines, the gallery."""

from __future__ import annotations

import json
import os

import nbformat
import pytest
import yaml

from selfdata_lib.app import gallery, runner, usecases

pytestmark = pytest.mark.notebooks


def _make_use_case(folder, cells, presets=None):
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("# parameters\nn = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *[nbformat.v4.new_code_cell(c) for c in cells]]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "t.ipynb")
    card = {
        "id": folder.name,
        "title": "Essai",
        "territory": "Lyon",
        "question": "Q ?",
        "notebook": "t.ipynb",
        "presets": presets or {"p": {"parameters": {"n": 3}}},
    }
    (folder / "use_case.yaml").write_text(yaml.safe_dump(card, allow_unicode=True))
    return usecases.load_card(folder / "use_case.yaml")


def test_run_writes_notebook_report_and_results(tmp_path):
    card = _make_use_case(
        tmp_path / "uc" / "demo-ok",
        [
            "from selfdata_lib.app.notebook import record, show_provenance\nrecord('double', n * 2)",
            "show_provenance({'dataset': 'd', 'title': 'Jeu', 'sample': True})",
            "print('hello')",
            "import os\nrecord('kernel_env', [os.environ.get('SELFDATA_CARD', ''), os.environ.get('SELFDATA_BLOCK_NETWORK')])",
        ],
    )
    before = {k: os.environ.get(k) for k in ("SELFDATA_BLOCK_NETWORK", "SELFDATA_CARD")}
    out = runner.run_use_case(card, "p", out_dir=tmp_path / "out", block_network=False)
    assert out.ok, out.error
    # the kernel got the card and the network switch; the caller's environment is left as it was
    assert {k: os.environ.get(k) for k in before} == before
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["results"].pop("kernel_env") == [str(card.card_path), "0"]
    assert data["results"] == {"double": 6}
    assert data["parameters"] == {"n": 3}
    assert data["provenance"][0]["dataset"] == "d"
    assert {"use_case", "preset", "parameters", "results", "provenance", "duration_s"} <= set(data)
    report = (tmp_path / "out" / "report.html").read_text()
    assert "hello" in report and "Essai" in report
    assert "record(" not in report  # code is hidden
    assert (tmp_path / "out" / "notebook.ipynb").is_file()


def test_a_failing_notebook_reports_the_cell_and_error_in_a_few_lines(tmp_path):
    card = _make_use_case(
        tmp_path / "uc" / "demo-fail", ["x = 1", "raise ValueError('the meter file is odd')"]
    )
    out = runner.run_use_case(card, "p", out_dir=tmp_path / "out")
    assert not out.ok
    assert "ValueError: the meter file is odd" in out.error
    assert "raise ValueError" in out.error
    assert len(out.error.splitlines()) <= 6
    data = json.loads((tmp_path / "out" / "results.json").read_text())
    assert data["status"] == "failed" and "ValueError" in data["error"]
    # not one of the library's French errors: said to be unexpected, its own words after
    assert data["failure"]["message"] == "erreur inattendue : ValueError: the meter file is odd"
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Ce n&#x27;est pas une erreur prévue" in report or "Ce n'est pas une erreur prévue" in report


def _outside_details(page: str) -> str:
    """The report without its folded « Détails techniques » blocks."""
    import re

    return re.sub(r"<details class=[\"']sd-technical[\"']>.*?</details>", "", page, flags=re.S)


def test_a_failed_run_opens_its_report_and_gallery_card_with_a_french_summary(tmp_path):
    import html
    import re

    # the kernel resolves no name, as on a machine without internet: requests and urllib3 fail for real
    card = _make_use_case(
        tmp_path / "uc" / "demo-net",
        [
            "# Les stations\nx = 1",
            "# Télécharger les stations en direct\n"
            "import socket\n"
            "from selfdata_lib import _http, settings\n"
            "settings.offline = False\n"
            "def no_dns(*args, **kwargs):\n"
            "    raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')\n"
            "socket.getaddrinfo = no_dns\n"
            "_http.get('https://download.data.example/velov.json', what='le jeu de données velov-stations')",
            "print('never')",
        ],
    )
    nb = nbformat.read(card.notebook_path, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("## 2. Les stations Vélo'v"))
    nbformat.write(nb, card.notebook_path)
    out = runner.run_use_case(card, "p", out_dir=tmp_path / "outputs" / "demo-net" / "p")
    assert not out.ok
    assert out.error.startswith(
        "demo-net : l'étape « Télécharger les stations en direct » (la cellule [4] de t.ipynb) a échoué — "
        "le jeu de données velov-stations : le nom du serveur download.data.example est introuvable"
    )
    assert "HTTPSConnectionPool" not in out.error and "Que faire : Vérifiez l'accès à Internet" in out.error

    page = (out.out_dir / "report.html").read_text()
    text = html.unescape(page)
    summary = text.index("Cette analyse s'est arrêtée avant la fin")
    assert (
        "L'étape « Télécharger les stations en direct » (partie « 2. Les stations Vélo'v ») a échoué" in text
    )
    assert "le nom du serveur download.data.example est introuvable : pas d'accès à Internet ?" in text
    assert "Que faire ?" in text and summary < text.index("Les chiffres clés")
    # papermill's English banners are gone; the traceback is kept only folded, at the end
    assert "An Exception was encountered" not in page and "Execution using papermill" not in page
    folded = re.findall(r"<details class=[\"']sd-technical[\"']>(.*?)</details>", page, flags=re.S)
    assert len(folded) == 1 and folded[0].startswith("<summary>Détails techniques</summary>")
    assert "NameResolutionError" in folded[0] and "Traceback" in folded[0]
    rest = _outside_details(page)
    for english in ("Traceback", "HTTPSConnectionPool", "NameResolutionError", "Max retries", "\x1b["):
        assert english not in rest, english
    assert page.index("Détails techniques") > summary and "never" not in page

    data = json.loads(out.results_path.read_text())
    assert data["failure"]["step"] == "Télécharger les stations en direct"
    assert data["failure"]["summary"].startswith("L'étape « Télécharger les stations en direct » a échoué : ")
    card_html = gallery.write_gallery(tmp_path / "outputs").read_text()
    assert html.escape(data["failure"]["summary"]) in card_html
    assert "HTTPSConnectionPool" not in card_html and "Traceback" not in card_html


def test_gallery_lists_runs_with_results_provenance_and_links(tmp_path):
    for name, status in (("a-case", "ok"), ("b-case", "failed")):
        d = tmp_path / name / "persona"
        d.mkdir(parents=True)
        (d / "results.json").write_text(
            json.dumps(
                {
                    "use_case": name,
                    "preset": "persona",
                    "title": f"Titre {name}",
                    "territory": "Nantes",
                    "status": status,
                    "error": "boom" if status == "failed" else None,
                    "kind": "use_case",
                    "results": {"annual_kwh": 4321.5, "best_tariff": "tempo"},
                    "provenance": [{"title": "Tarifs", "source": "CRE", "sample": True, "licence": "LO"}],
                    "duration_s": 3.2,
                    "started": "2026-11-22T08:00:00",
                    "report": "report.html",
                }
            )
        )
    path = gallery.write_gallery(tmp_path)
    html = path.read_text()
    assert html.count("<article") == 2
    # an older results.json (no "figures") still reads in French: the label comes from no card here
    assert "Titre a-case" in html and "4\u202f322" in html and "tempo" in html
    assert "exécuté le 22 novembre 2026" in html and "2026-11-22" not in html
    assert "a-case/persona/report.html" in html
    assert "échantillon" in html and "Tarifs" in html
    assert "dont 1 en échec" in html and "boom" in html
    # a run written before failure summaries: a French sentence, the raw message folded away
    assert "Cette exécution a échoué : le rapport dit où." in html
    assert html.index("Détails techniques") < html.index("boom")


def test_a_run_is_atomic_locked_and_says_when_it_cannot_write(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from selfdata_lib.errors import OutputError

    card = _make_use_case(
        tmp_path / "uc" / "demo-slow",
        ["from selfdata_lib.app.notebook import record\nimport time\nrecord('n', n)\ntime.sleep(n)"],
        presets={"p": {"parameters": {"n": 0}}},
    )
    out = tmp_path / "out" / "p"
    first = runner.run_use_case(card, "p", out_dir=out)
    assert first.ok and json.loads((out / "results.json").read_text())["results"] == {"n": 0}
    # a run interrupted midway leaves the previous complete outputs as they were, and no partial folder
    code = (
        "import sys; from selfdata_lib.app import runner, usecases; "
        f"runner.run_use_case(usecases.load_card({str(card.card_path)!r}), 'p', overrides={{'n': 60}}, "
        f"out_dir=__import__('pathlib').Path({str(out)!r}))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    lock = out.parent / ".p.lock"
    deadline = time.time() + 60
    while not lock.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert lock.exists()
    with pytest.raises(OutputError, match="écrit déjà"):  # a second run into the same folder is refused
        runner.run_use_case(card, "p", out_dir=out)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert json.loads((out / "results.json").read_text())["results"] == {"n": 0}
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".p.")]
    # an unwritable place: one French line, no traceback
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="Impossible d'écrire"):
        runner.run_use_case(card, "p", out_dir=blocker / "sous-dossier")


def test_kernels_get_their_share_of_threads_and_the_longest_runs_start_first(tmp_path, monkeypatch):
    for name in runner.THREAD_VARIABLES:  # the test session sets its own (conftest)
        monkeypatch.delenv(name, raising=False)
    limits = runner.thread_limits(1)
    assert limits["OMP_NUM_THREADS"] == "1" and limits["OPENBLAS_NUM_THREADS"] == "1"
    assert runner.thread_limits(None) == {} and runner.thread_limits(0) == {}
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own limit is kept
    assert "OMP_NUM_THREADS" not in runner.thread_limits(1)
    for (card, preset), seconds in {("a", "p"): 3.0, ("b", "p"): 90.0}.items():
        (tmp_path / card / preset).mkdir(parents=True)
        (tmp_path / card / preset / "results.json").write_text(json.dumps({"duration_s": seconds}))
    order = runner.longest_first([("a", "p"), ("new", "p"), ("b", "p")], tmp_path)
    assert order == [("new", "p"), ("b", "p"), ("a", "p")]  # never seen first, then by last duration


def test_a_kernel_runs_with_the_thread_limit(tmp_path, monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    card = _make_use_case(
        tmp_path / "uc" / "demo-threads",
        [
            "import os\nfrom selfdata_lib.app.notebook import record\nrecord('omp', os.environ.get('OMP_NUM_THREADS'))"
        ],
    )
    out = runner.run_use_case(card, "p", out_dir=tmp_path / "out", threads=1)
    assert out.ok, out.error
    assert json.loads((tmp_path / "out" / "results.json").read_text())["results"]["omp"] == "1"
    assert "OMP_NUM_THREADS" not in os.environ


def test_gallery_figures_wrap_between_words_and_stay_in_their_card(tmp_path):
    d = tmp_path / "lyon-velov-route" / "persona"
    d.mkdir(parents=True)
    figures = [
        {"name": "lppd", "label": "Ma consommation", "text": "118\xa0l/personne/jour", "headline": True},
        {
            "name": "gbfs_url",
            "label": "Flux GBFS",
            "text": "https://api.cyclocity.fr/contracts/lyon/gbfs/v3/gbfs.json",
            "headline": True,
        },
    ]
    run = {"use_case": "lyon-velov-route", "preset": "persona", "title": "T", "status": "ok"}
    (d / "results.json").write_text(json.dumps({**run, "figures": figures, "headline": "a_b_c_d_e_f_g"}))
    page = gallery.write_gallery(tmp_path).read_text()
    assert "<div class='v'>118 <span class='u'>l/<wbr>personne/<wbr>jour</span></div>" in page
    assert "https://<wbr>api.<wbr>cyclocity.<wbr>fr/<wbr>contracts/<wbr>lyon/" in page
    assert "a_<wbr>b_<wbr>c_" in page  # the headline too
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "anywhere" not in css.split(".error", 1)[0]  # cards break between words, not mid-word
    assert ".fig{" in css and "min-width:0" in css.split(".fig{", 1)[1].split("}", 1)[0]


def test_report_cards_break_long_words_at_slashes_and_underscores():
    from selfdata_lib.app.display import ShownFigure
    from selfdata_lib.app.usecases import get_use_case

    figures = [
        ShownFigure("use", "Consommation", "118\xa0l/personne/jour", True),
        ShownFigure("ref", "Référence", "non calculé : voir territories/barcelona.yaml", True, missing=True),
    ]
    payload = {"status": "ok", "parameters": {}, "territory": "Lyon"}
    page = runner._report_header(get_use_case("lyon-water-district"), payload, figures)
    assert "118 <span class='sd-unit'>l/<wbr>personne/<wbr>jour</span>" in page
    assert "territories/<wbr>barcelona.<wbr>yaml" in page and "min-width:0" in runner._REPORT_CSS


def test_a_french_value_error_is_the_user_s_to_fix_an_english_one_is_unexpected():
    french = "départ le 25/03/2025 à 08:10, 10090 min après l'état des stations : choisissez un départ"
    assert runner._french_message("ValueError", french) == french
    english = "could not convert string to float: 'abc'"
    assert runner._french_message("ValueError", english).startswith("erreur inattendue : ValueError")
    assert runner._french_message("ZeroDivisionError", "division par zéro").startswith("erreur inattendue")


def test_a_long_text_value_reads_at_text_size_in_its_card():
    from selfdata_lib.app.display import ShownFigure
    from selfdata_lib.app.usecases import get_use_case

    titles = "Mon meilleur trajet en vélo en libre-service (Lyon) · Qui détient mes données (France)"
    figures = [ShownFigure("n", "Fichiers", "1", True), ShownFigure("t", "Cas d'usage", titles, True)]
    page = runner._report_header(get_use_case("start-here"), {"status": "ok", "parameters": {}}, figures)
    assert page.count("sd-value sd-long") == 1 and "<div class='sd-value'>1</div>" in page
