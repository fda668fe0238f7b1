"""Who holds my data and how well they hand it back: the holders catalogue, the request letters, the
requests log format, the scorecard against the deadlines of GDPR art. 12.3, and the observatory (the
minimum-participants rule, bootstrap intervals, the stability of a ranking).
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from selfdata_lib import exports, opendata, settings
from selfdata_lib.analysis import holders, portability
from selfdata_lib.app import letters as letters_app
from selfdata_lib.app import mydata, usecases
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import FORMATS
from selfdata_lib.samples.personas._requests import LOGS
from selfdata_lib.synth.requests import HOLDER_PROFILES, simulate_campaign, true_within_month

TERRITORIES = ("Lyon", "Nantes", "La Rochelle", "Rennes")
#: What every territory's list must cover: the registers of the city and the Métropole, the operators,
#: banks, retailers and national services named by issue 22.
DOMAINS = {
    "état civil",
    "restauration scolaire",
    "bibliothèque",
    "stationnement",
    "déchets",
    "eau",
    "action sociale",
    "électricité",
    "gaz",
    "transport",
    "banque",
    "commerce",
    "prestations",
    "impôts",
    "santé",
}
LOG_HEADER = "detenteur;droit;envoyee_le;canal;reponse_le;recu;fichier\n"


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    return opendata.load_data_holders(source="sample")


# --- the catalogue ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("territory", TERRITORIES)
def test_every_territory_lists_its_registers_operators_and_national_services(catalogue, territory):
    rows = holders.holders_of(catalogue, territory)
    assert len(rows) >= 20
    assert set(rows["domain"]) >= DOMAINS, DOMAINS - set(rows["domain"])
    local = rows[rows["territory"] == territory]
    assert {"état civil", "restauration scolaire", "bibliothèque", "stationnement", "déchets", "eau"} <= set(
        local["domain"]
    )
    assert (local["domain"] == "transport").any()  # TCL, Naolib, Yélo, STAR
    assert (rows["format_ids"] != "").sum() >= 10  # holders whose export the project reads


def test_catalogue_rows_are_sourced_and_never_guess_a_contact(catalogue):
    assert (catalogue["source"].str.len() > 10).all()
    for column in ("site", "dpo_contact"):
        values = catalogue[column]
        assert values.map(lambda v: v == "à vérifier" or v.startswith("https://")).all(), column
    assert (catalogue["dpo_contact"] == "à vérifier").all()  # none could be checked offline
    assert set(catalogue["portability"]) <= {"oui", "en partie", "non", "à vérifier"}
    # a public-interest task leaves out portability (art. 20.3)
    public = catalogue[catalogue["legal_basis"].str.startswith("mission de service public")]
    assert (public["portability"] == "non").all()


def test_catalogue_links_to_the_project_formats_and_use_cases(catalogue):
    ids = {u.id for u in usecases.list_use_cases()}
    for row in catalogue.to_dict("records"):
        for fmt in filter(None, (f.strip() for f in row["format_ids"].split(","))):
            assert fmt in FORMATS, (row["holder"], fmt)
        for case in filter(None, (u.strip() for u in row["use_cases"].split(","))):
            assert case in ids, (row["holder"], case)
    named = {r["holder"]: r for r in catalogue.to_dict("records")}
    assert "eau-grand-lyon-json" in named["Eau du Grand Lyon"]["format_ids"]
    assert "lyon-water-district" in named["Eau du Grand Lyon"]["use_cases"]
    assert named["Enedis"]["portability"] == "en partie"  # the load curve needs my consent, the index not


def test_a_holder_is_found_by_its_short_name_or_acronym(catalogue):
    assert holders.find_holder("TCL", catalogue)["holder"].startswith("TCL (SYTRAL")
    assert holders.find_holder("caf", catalogue)["holder"] == "Caisse d'allocations familiales (CAF)"
    assert holders.find_holder("Eau du Grand Lyon", catalogue)["domain"] == "eau"
    assert holders.find_holder("Ville de Lyon", catalogue) is None  # civil status or canteen? ambiguous
    assert holders.find_holder("Inconnu SA", catalogue) is None


def test_a_broken_catalogue_names_its_line(tmp_path, catalogue):
    path = tmp_path / "detenteurs_donnees.csv"
    frame = catalogue.copy()
    frame.loc[3, "portability"] = "peut-être"
    frame.to_csv(path, sep=";", index=False)
    with pytest.raises(ExportFormatError, match=r"ligne 5"):
        from selfdata_lib.opendata.holders import read_data_holders

        read_data_holders(path)


# --- the letters ---------------------------------------------------------------------------------------


def test_access_letter_is_french_and_cites_articles_and_deadlines(catalogue):
    row = holders.find_holder("Caisse d'allocations familiales (CAF)", catalogue)
    text = holders.request_letter(row, right="access", name="Alex Martin", today="2026-03-02")
    assert text.startswith("Alex Martin\n[Adresse postale]")
    assert "article 15 du règlement (UE) 2016/679 (RGPD)" in text
    assert "article 20" not in text
    assert "délai d'un mois à compter de la réception" in text and "prolongé de deux mois" in text
    assert "article 12.3" in text and "gratuite (article 12.5)" in text
    assert "article 77" in text and "CNIL" in text
    assert "format couramment utilisé (article 15.3)" in text
    assert "Le 2 mars 2026" in text
    assert "à vérifier" in text  # the DPO's address is not guessed


def test_portability_letter_asks_a_machine_readable_format_and_the_rest_under_access(catalogue):
    row = holders.find_holder("La Banque Postale", catalogue)
    text = holders.request_letter(row, right="portability")
    assert "article 20 du règlement (UE) 2016/679" in text
    assert "structuré, couramment utilisé et lisible par machine" in text
    assert "article 15 du RGPD" in text and "un mois" in text
    assert "[Prénom Nom]" in text
    with pytest.raises(ValueError, match="right"):
        holders.request_letter(row, right="erasure")


def _folder_with(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return mydata.inventory(tmp_path)


ADDRESS_RENNES = (
    '{"customer": {"usage_points": [{"usage_point": {"usage_point_addresses": {"street": "1 place de la Mairie",'
    ' "postal_code": "35000", "insee_code": "35238", "city": "RENNES"}}}]}}'
)


def test_my_holders_from_a_folder_and_the_letters_for_the_others(tmp_path, catalogue):
    inv = _folder_with(
        tmp_path,
        {
            "adresse.json": ADDRESS_RENNES,
            "demandes.csv": LOG_HEADER + "STAR;acces;2026-01-05;courriel;;;\n",
        },
    )
    mine = holders.my_holders(inv, catalogue)
    assert (mine.territory, mine.how.split(" (")[0]) == ("Rennes", "adresse du contrat")
    figs = {k: v.value for k, v in mine.figures().items()}
    assert figs["holders_with_my_data"] == ["Enedis"]
    assert figs["requests_in_progress"] == 1
    status = dict(zip(mine.holders["holder"], mine.holders["status"], strict=True))
    assert status["STAR (Rennes Métropole, exploitant Keolis Rennes)"] == "asked"
    assert not (mine.holders["territory"] == "Lyon").any()
    letters = holders.request_letters(mine, today="2026-03-02")
    assert len(letters.table) == figs["holders_to_ask"]
    assert (
        "Enedis" not in set(letters.table["holder"])
        and not letters.table["holder"].str.startswith("STAR").any()
    )
    rights = dict(zip(letters.table["holder"], letters.table["right"], strict=True))
    assert rights["Ville de Rennes — état civil"] == "access"  # a legal duty: no portability
    assert rights["BoursoBank"] == "portability"  # a contract
    assert letters.table["file"].is_unique
    useful = holders.request_letters(mine, only_useful=True)
    assert 0 < len(useful.table) < len(letters.table)


def test_letters_are_written_to_the_run_folder_never_sent(tmp_path, monkeypatch, catalogue):
    inv = _folder_with(tmp_path / "mes", {"adresse.json": ADDRESS_RENNES})
    mine = holders.my_holders(inv, catalogue, territory="Rennes")
    letters = holders.request_letters(mine, name="Alex Martin", today="2026-03-02")
    monkeypatch.setenv("SELFDATA_RUN_DIR", str(tmp_path / "run"))
    (tmp_path / "run" / "lettres").mkdir(parents=True)
    (tmp_path / "run" / "lettres" / "99_vieux.txt").write_text("ancienne lettre")
    written = letters_app.write_letters(letters)
    folder = tmp_path / "run" / "lettres"
    assert written.folder == folder
    assert sorted(p.name for p in folder.glob("*.txt")) == sorted([*letters.table["file"], "A_LIRE.txt"])
    assert "Alex Martin" in (folder / letters.table["file"].iloc[0]).read_text(encoding="utf-8")
    index = (folder / "A_LIRE.txt").read_text(encoding="utf-8")
    assert "rien n'a été envoyé" in index and "detenteur;droit;envoyee_le" in index
    assert written.figures()["letters_written"].value == len(letters.table)


def test_unknown_territory_is_refused_in_french(catalogue):
    inv = pd.DataFrame(columns=mydata.INVENTORY_COLUMNS)
    with pytest.raises(ValueError, match="territoire inconnu « Atlantis »"):
        holders.my_holders(inv, catalogue, territory="Atlantis")
    paris = holders.my_holders(inv, catalogue, territory="paris")  # described, but no local holder listed
    assert paris.territory == "Paris" and set(paris.holders["territory"]) == {"France"}
    assert "aucun détenteur local pour Paris" in paris.how
    national = holders.my_holders(inv, catalogue)
    assert national.territory is None and set(national.holders["territory"]) == {"France"}
    assert national.figures()["territory"].reason.startswith("territoire inconnu")


# --- the requests log ------------------------------------------------------------------------------------


def test_the_documented_log_is_read_and_received_files_are_checked_by_content(tmp_path):
    (tmp_path / "courbe.csv").write_bytes(
        (settings.personas_folder / "camille" / "enedis_courbe_de_charge.csv").read_bytes()
    )
    (tmp_path / "reponse.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    (tmp_path / "prets.json").write_text('{"prets": [{"titre": "Un livre"}]}', encoding="utf-8")
    log = tmp_path / "demandes.csv"
    log.write_text(
        LOG_HEADER
        + "Enedis;portabilite;2026-01-05;espace client;2026-01-05;csv;courbe.csv\n"
        + "TCL;Art. 15;10/01/2026;courriel;02/03/2026;PDF;reponse.pdf\n"
        + "Bibliothèque municipale de Lyon;accès;2026-01-12;formulaire;2026-01-20;json;prets.json\n"
        + "Vélo'v;20;2026-02-02;formulaire;;;perdu.csv\n",
        encoding="utf-8",
    )
    frame = exports.read(log)
    assert frame.attrs["format"] == "requests-log-csv" and frame.attrs["kind"] == "requests"
    assert list(frame["right"]) == ["portability", "access", "access", "portability"]
    assert list(frame["file_format"]) == ["enedis-csv-load-curve", "", "", ""]
    assert list(frame["file_check"]) == ["reconnu", "pdf", "json", "introuvable"]
    assert isinstance(frame["date"].dtype, pd.DatetimeTZDtype) and frame["answered"].isna().sum() == 1
    assert frame.attrs["import_report"]["rows_read"] == 4
    assert "courbe.csv (enedis-csv-load-curve)" in frame.attrs["import_report"]["notes"][0]


def test_the_english_header_is_read_too(tmp_path):
    log = tmp_path / "requests.csv"
    log.write_text("holder,right,sent\nGoogle,portability,2025-04-02\n", encoding="utf-8")
    frame = exports.read(log, kind="requests")
    assert list(frame["holder"]) == ["Google"] and frame["answered"].isna().all()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("TCL;acces;2026-13-05;courriel;;;", r"ligne 3 : date d'envoi « 2026-13-05 » illisible"),
        ("TCL;acces;31/02/2026;courriel;;;", r"ligne 3 : date d'envoi « 31/02/2026 » illisible"),
        (
            "TCL;acces;2026-01-05;courriel;05-02-2026;pdf;",
            r"ligne 3 : date de réponse « 05-02-2026 » illisible",
        ),
        ("TCL;effacement;2026-01-05;courriel;;;", r"ligne 3 : droit « effacement » inconnu"),
        ("TCL;acces;2026-02-05;courriel;2026-01-05;pdf;", r"ligne 3 : la réponse .* d'avant l'envoi"),
        ("TCL;acces;2099-01-05;courriel;;;", r"ligne 3 : la date d'envoi .* dans le futur"),
        (";acces;2026-01-05;courriel;;;", r"ligne 3 : le détenteur .* est vide"),
        ("TCL;acces;2026-01-05;courriel;2026-01-09;disquette;", r"ligne 3 : « disquette »"),
    ],
)
def test_a_mistyped_line_is_refused_naming_it(tmp_path, line, message):
    log = tmp_path / "demandes.csv"
    log.write_text(LOG_HEADER + "Enedis;acces;2026-01-05;espace client;2026-01-05;csv;\n" + line + "\n")
    with pytest.raises(ExportFormatError, match=message) as err:
        exports.read(log)
    assert "demandes.csv" in str(err.value)


def test_every_persona_log_points_at_its_own_recognised_exports():
    for name in LOGS:  # camille, morel, nadia, yanis
        log = exports.read(settings.personas_folder / name / "demandes_rgpd.csv")
        named = log[log["file"] != ""]
        assert len(named) >= 2, name
        assert (named["file_check"] == "reconnu").all(), named[["file", "file_check"]]


# --- the scorecard: deadlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "answered", "status"),
    [
        ("2026-03-02", "2026-04-01", "within_month"),  # exactly 30 days, inside a 31-day month
        ("2026-02-02", "2026-03-04", "extended"),  # exactly 30 days, after February's month (2 March)
        ("2026-03-10", "2026-04-10", "within_month"),  # exactly one month: the last day counts
        ("2026-03-10", "2026-04-11", "extended"),  # one month and a day
        ("2025-01-31", "2025-02-28", "within_month"),  # the last day of a shorter month
        ("2025-01-31", "2025-03-01", "extended"),
        ("2026-01-15", "2026-02-16", "within_month"),  # 15 February 2026 is a Sunday: Monday counts
        ("2026-01-12", "2026-04-13", "extended"),  # three months (12 April is a Sunday): the limit
        ("2026-01-12", "2026-04-14", "late"),  # beyond three months
        ("2026-03-10", "2026-03-10", "within_month"),  # the same day
    ],
)
def test_delay_status_on_the_boundaries_of_art_12_3(sent, answered, status):
    got, days = portability.delay_status(
        pd.Timestamp(sent), pd.Timestamp(answered), pd.Timestamp("2026-12-31")
    )
    assert got == status
    assert days == (pd.Timestamp(answered) - pd.Timestamp(sent)).days


def test_unanswered_requests_are_pending_then_overdue():
    sent = pd.Timestamp("2026-03-10")
    assert portability.delay_status(sent, None, pd.Timestamp("2026-04-10")) == ("pending", None)
    assert portability.delay_status(sent, pd.NaT, pd.Timestamp("2026-04-11")) == ("unanswered", None)
    # an answer dated after the day judged has not come yet
    assert (
        portability.delay_status(sent, pd.Timestamp("2026-05-01"), pd.Timestamp("2026-04-01"))[0] == "pending"
    )


def test_format_score_counts_four_criteria():
    assert portability.assess_format("csv", "reconnu", "enedis-csv-load-curve").score == 4
    assert portability.assess_format("json", "json", "").score == 3  # machine-readable, not documented
    assert portability.assess_format("gpx").score == 4  # a published standard
    assert portability.assess_format("csv").score == 3  # the log alone says CSV
    assert portability.assess_format("pdf", "pdf").score == 1
    assert portability.assess_format("csv", "pdf").label == "PDF"  # the file wins over the log
    assert portability.assess_format("papier").score == 0
    assert portability.assess_format("rien").score is None
    assert portability.assess_format("refus").label == "refus"


def test_completeness_from_the_log_or_the_catalogue():
    assert portability.assess_completeness("pdf partiel") == "partiel"
    assert portability.assess_completeness("rien") == "rien reçu"
    assert portability.assess_completeness("csv", "electricity", "electricity") == "complet"
    assert portability.assess_completeness("csv", "electricity", "electricity, address") == (
        "en partie (manque : adresse)"
    )
    assert portability.assess_completeness("pdf") == "non évalué"


def test_scorecard_of_camille(catalogue):
    log = exports.read(settings.personas_folder / "camille" / "demandes_rgpd.csv")
    card = portability.scorecard(log, catalogue, as_of="2026-03-31")
    figs = {k: v.value for k, v in card.figures().items()}
    assert figs["requests"] == 5
    assert figs["answered_within_deadline_share"] == pytest.approx(0.6)
    assert figs["median_delay_days"] == pytest.approx(11)  # 0, 1, 21 and 49 days
    assert figs["machine_readable_share"] == pytest.approx(0.75)
    assert (figs["pending_requests"], figs["overdue_requests"]) == (0, 1)
    table = card.table
    assert list(table["délai légal"]) == [
        "dans le mois",
        "dans le mois",
        "dans le mois",
        "après un mois, dans les trois mois",
        "sans réponse, délai dépassé",
    ]
    assert list(table["note de format (sur 4)"].iloc[:4]) == [4, 4, 4, 1]
    assert "CNIL" in table["constat"].iloc[4] and "2 mars 2026" in table["constat"].iloc[4]
    assert all(re.search(r"[a-z]", c) for c in table["constat"])
    assert figs["scorecard"][0]["détenteur"] == "Enedis"


def test_portability_asked_of_a_public_service_is_explained(catalogue, tmp_path):
    log = tmp_path / "demandes.csv"
    log.write_text(LOG_HEADER + "CAF;portabilite;2026-01-05;espace;2026-01-06;pdf;\n", encoding="utf-8")
    card = portability.scorecard(exports.read(log), catalogue, as_of="2026-03-01")
    assert "c'est le droit d'accès qui vaut" in card.table["constat"].iloc[0]
    assert "lisible par machine (art. 20.1)" in card.table["constat"].iloc[0]


# --- the observatory -------------------------------------------------------------------------------------


def _pool(counts: dict[str, int], *, within: float = 0.5) -> pd.DataFrame:
    """Judged requests: ``counts[holder]`` participants each, the first ``within`` share answered in time."""
    logs = {}
    for holder, n in counts.items():
        for i in range(n):
            answered = "2026-01-10" if i < within * n else "2026-03-20"
            logs.setdefault(f"P{i:03d}", []).append(
                {
                    "date": pd.Timestamp("2026-01-05", tz="Europe/Paris"),
                    "holder": holder,
                    "right": "access",
                    "answered": pd.Timestamp(answered, tz="Europe/Paris"),
                    "received": "csv" if i % 2 else "pdf",
                }
            )
    frames = {p: pd.DataFrame(rows) for p, rows in logs.items()}
    return portability.pool_logs(frames, as_of="2026-06-30")


def test_a_holder_is_published_only_from_the_minimum_number_of_participants():
    pool = _pool({"Banque A": 12, "Commune B": 3})
    obs = portability.observatory(pool, min_participants=10)
    table = obs.table.set_index("holder")
    assert table.loc["Banque A", "published"] and not table.loc["Commune B", "published"]
    assert table.loc["Banque A", "within_month_share"] == pytest.approx(0.5)
    assert pd.notna(table.loc["Banque A", "median_delay_days"])
    for col in ("within_month_share", "median_delay_days", "machine_readable_share"):
        assert pd.isna(table.loc["Commune B", col])
    assert table.loc["Commune B", "participants"] == 3  # how many, but nothing else
    shown = obs.shown.set_index("détenteur")
    assert shown.loc["Commune B", "publié"] == "non (moins de 10 participants)"
    assert shown.loc["Commune B", "réponse dans le mois"] == "—"
    assert obs.figures()["observatory_holders_published"].value == 1
    assert (
        portability.observatory(pool, min_participants=3).figures()["observatory_holders_published"].value
        == 2
    )
    with pytest.raises(ValueError):
        portability.observatory(pool, min_participants=0)


def test_the_observatory_sits_beside_the_afcdp_index():
    afcdp = portability.AFCDP_INDEX_2024
    assert (
        afcdp["organisations_tested"],
        afcdp["answered_within_month_share"],
        afcdp["satisfactory_share"],
    ) == (
        115,
        0.591,
        0.40,
    )
    assert "AFCDP" in afcdp["source"] and afcdp["source"].count("https://") == 1
    obs = portability.observatory_of({}, participants=60, min_participants=5)
    assert obs.simulated
    comparison = obs.comparison.set_index("indicateur")
    assert comparison.loc["réponse dans le mois", "index AFCDP 2024"] == "59,1\xa0%"
    assert comparison.loc["organismes interrogés", "index AFCDP 2024"] == 115
    assert any("fictifs" in n for n in obs.notes())


def test_my_contribution_holds_no_date_and_no_file(catalogue):
    log = exports.read(settings.personas_folder / "morel" / "demandes_rgpd.csv")
    card = portability.scorecard(log, catalogue, as_of="2026-03-31")
    contribution = portability.my_contribution(card, min_participants=30)
    assert len(contribution.payload) == 6
    keys = set().union(*contribution.payload)
    assert keys == {
        "holder",
        "right",
        "month",
        "delay_days",
        "status",
        "data_received",
        "machine_readable",
        "complete",
    }
    text = str(contribution.payload)
    assert "2026-01-15" not in text and ".csv" not in text and ".json" not in text
    assert "30 participants" in contribution.receipt["publication"]


# --- research: the simulated campaign ------------------------------------------------------------------


def test_the_campaign_is_seeded_and_its_holders_fictional():
    a, b = simulate_campaign(40, seed=5), simulate_campaign(40, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(simulate_campaign(40, seed=6))
    assert set(a["holder"]) <= {p.name for p in HOLDER_PROFILES}
    assert a["participant"].nunique() == 40
    truth = true_within_month()
    assert truth.between(0, 1).all() and truth.is_unique


def test_bootstrap_intervals_narrow_with_more_participants():
    small = portability.rank_holders(portability.evaluate_campaign(simulate_campaign(80, seed=3)), seed=1)
    large = portability.rank_holders(portability.evaluate_campaign(simulate_campaign(800, seed=3)), seed=1)
    assert large.figures()["mean_interval_width"].value < 0.6 * small.figures()["mean_interval_width"].value
    both = small.table.set_index("holder")["interval_width"].align(
        large.table.set_index("holder")["interval_width"], join="inner"
    )
    assert (both[1] < both[0]).mean() >= 0.9
    assert (small.table["share_low"] <= small.table["within_month_share"]).all()
    assert (small.table["within_month_share"] <= small.table["share_high"]).all()


def test_a_larger_campaign_ranks_closer_to_the_truth():
    result = portability.stability(sizes=(25, 400), repeats=12, population=1500, seed=4)
    table = result.table.set_index("participants")
    assert table.loc[400, "kendall_tau"] > table.loc[25, "kendall_tau"]
    assert table.loc[400, "median_per_holder"] > table.loc[25, "median_per_holder"]
    assert table.loc[400, "stable"]
    assert result.stable_size in (25, 400)
    reading = portability.describe_stability(result)
    assert "participants" in reading.headline and "stable" in reading.headline


# --- the observatory from sealed contributions (the pooling format) -------------------------------------------

EXAMPLE = usecases.get_use_case("portability-observatory").notebook_path.parent / "contributions-exemple"


def _observatory_run(payload: list[dict]) -> dict:
    """What the observatory notebook records (its ``contribution_payload``), as results.json keeps it."""
    return {"use_case": "portability-observatory", "results": {"contribution_payload": payload}}


@pytest.fixture(scope="module")
def campaign_items():
    from selfdata_lib.analysis import pooling

    return pooling.simulated_contributions(simulate_campaign(90, seed=7), use_case="portability-observatory")


def test_my_log_becomes_a_sealed_contribution_and_bad_rows_are_refused(catalogue):
    from selfdata_lib.analysis import pooling

    log = exports.read(settings.personas_folder / "morel" / "demandes_rgpd.csv")
    payload = portability.my_contribution(portability.scorecard(log, catalogue, as_of="2026-03-31")).payload
    item = pooling.contribution_from_results(_observatory_run(payload), household="morel")
    assert (
        item["format"] == pooling.FORMAT and item["release"] == "2026" and item["receipt"]["epsilon"] is None
    )
    first = dict(payload[0], status="within_month", delay_days=3.0, data_received=True)
    bad_rows = {
        "late": dict(first, delay_days=400.0),
        "text": dict(first, machine_readable="oui"),
        "status": dict(first, status="perdue"),
        "nodelay": dict(first, delay_days=None),
        "month": dict(first, month="2026-13"),
    }
    bad = [
        pooling.contribution_from_results(_observatory_run([row, *payload[1:]]), household=name)
        for name, row in bad_rows.items()
    ]
    checked = pooling.validate([item, *bad])
    assert list(checked.accepted["household"]) == ["morel"]
    reasons = checked.rejected.set_index("household")["reason"]
    assert "délai 400.0 hors des bornes [0, 365]" in reasons["late"]
    assert "vrai ou faux" in reasons["text"] and "statut « perdue »" in reasons["status"]
    assert "délai None" in reasons["nodelay"] and "AAAA-MM" in reasons["month"]


def test_a_delay_beyond_a_year_is_shared_as_a_year():
    evaluated = portability.evaluate_requests(
        pd.DataFrame(
            [
                {
                    "date": pd.Timestamp("2024-01-05"),
                    "holder": "X",
                    "right": "access",
                    "answered": pd.Timestamp("2025-06-01"),
                    "received": "pdf",
                }
            ]
        ),
        as_of="2025-07-01",
    )
    assert evaluated["delay_days"].iloc[0] > 365
    assert portability.shared_rows(evaluated)[0]["delay_days"] == 365


def test_the_engines_agree_with_the_observatory_s_own_table(tmp_path, campaign_items):
    from selfdata_lib.analysis import pooling

    rows = pooling.long_rows(pooling.validate(campaign_items).accepted, "portability-observatory")
    path = tmp_path / "requests.parquet"
    rows.to_parquet(path)
    results = {engine: pooling.aggregate_holders(path, engine=engine) for engine in pooling.ENGINES}
    for engine in ("duckdb", "dask"):
        pd.testing.assert_frame_equal(results["pandas"], results[engine], check_dtype=False)
    released = pooling.publish_holders(results["duckdb"], min_participants=20).set_index("holder")
    reference = portability.holder_table(portability.evaluated_from_rows(rows), min_participants=20)
    reference = reference.set_index("holder").loc[released.index]
    assert (released["published"] == reference["published"]).all()
    for col in (
        "participants",
        "requests",
        "median_delay_days",
        "within_month_share",
        "machine_readable_share",
    ):
        pd.testing.assert_series_equal(
            released[col].astype(float), reference[col].astype(float), check_names=False
        )


def test_the_observatory_release_publishes_holders_above_the_threshold_and_honours_withdrawals(
    tmp_path, campaign_items
):
    from selfdata_lib.analysis import pooling

    published = pooling.pool(campaign_items, tmp_path)
    rec = published.record
    assert rec["epsilon"] is None and "seuil" in rec["mechanism"]
    table = published.table.set_index("holder")
    assert (table["published"] == (table["participants"] >= 30)).all()
    assert table["published"].any() and not table["published"].all()
    assert table.loc[~table["published"], "within_month_share"].isna().all()
    assert published.figures()["epsilon_per_contributor"].value is None
    someone = campaign_items[0]
    holders_of = {row["holder"] for row in someone["payload"]}
    after = pooling.pool(campaign_items, tmp_path / "after", withdrawals={someone["household"]}).table
    after = after.set_index("holder")
    for holder in holders_of:
        assert after.loc[holder, "participants"] == table.loc[holder, "participants"] - 1
    assert (tmp_path / "portability-observatory-release" / pooling.HOLDERS_FILE).is_file()


def test_the_example_contributions_are_what_the_generator_gives(catalogue):

    card = usecases.get_use_case("portability-observatory")
    logs = {
        name: (
            exports.read(settings.personas_folder / name / "demandes_rgpd.csv"),
            preset.parameters["as_of"],
        )
        for name, preset in card.presets.items()
        if preset.persona == name
    }
    assert set(logs) == {"camille", "morel", "yanis", "nadia"}
    expected = portability.example_contributions(logs, catalogue=catalogue)
    committed = [json.loads(line) for line in (EXAMPLE / "contributions.jsonl").read_text().splitlines()]
    assert committed == expected, (
        "regenerate with pooling.write_jsonl(portability.example_contributions(...))"
    )
    obs = portability.observatory_of({}, contributions=EXAMPLE, min_participants=30)
    figures = obs.figures()
    assert figures["observatory_contributions_accepted"].value == 104
    assert figures["observatory_participants"].value == 104
    table = obs.table.set_index("holder")
    assert table.loc["Enedis", "participants"] == 3 and not table.loc["Enedis", "published"]  # three personas
    assert any("104 contributions scellées retenues" in n for n in obs.notes())


def test_the_observatory_reads_a_folder_with_a_tampered_contribution(tmp_path, campaign_items):
    from selfdata_lib.analysis import pooling

    tampered = dict(campaign_items[1], household="someone-else")
    pooling.write_jsonl([*campaign_items[2:], tampered], tmp_path / "c.jsonl")
    obs = portability.observatory_of(
        {}, contributions=tmp_path, min_participants=20, withdrawals={campaign_items[2]["household"]}
    )
    checked = obs.contributions
    assert len(checked.accepted) == len(campaign_items) - 3
    reasons = " ".join(checked.rejected["reason"])
    assert "modifiée" in reasons and "retiré" in reasons
    assert obs.figures()["observatory_contributions_rejected"].value == 2
