"""My rights and my urgencies (analysis.social): the household file, OpenFisca-France's amounts checked
against an independent OpenFisca run, non-take-up from the bank export, urgencies, « déclarer une fois ».
"""

from __future__ import annotations

import json
import subprocess
import textwrap

import pandas as pd
import pytest

from selfdata_lib import exports, settings
from selfdata_lib.analysis import social, taxbenefit
from selfdata_lib.errors import ExportFormatError

NADIA = settings.personas_folder / "nadia"


def _write(tmp_path, text, name="foyer.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _openfisca_available():
    try:
        return taxbenefit.where()
    except taxbenefit.OpenFiscaError:
        return None


needs_openfisca = pytest.mark.skipif(
    _openfisca_available() is None, reason="OpenFisca-France absent : make openfisca"
)

# --- the household file -------------------------------------------------------------------------------------


def test_the_persona_household_reads_with_the_origin_of_prefilled_values():
    h = exports.read_household(NADIA / "foyer.yaml")
    assert (h.periode, h.commune, h.loyer, len(h.adultes), [k.age for k in h.enfants]) == (
        "2025-06",
        "69123",
        650.0,
        1,
        [7, 12],
    )
    assert h.single_parent
    assert "releve_la_banque_postale.csv" in h.sources["logement.loyer"]
    assert "enedis_adresse.json" in h.sources["commune"]
    entry = h.attrs["inputs"][0]
    assert entry["format"] == "foyer-yaml" and entry["sample"] and len(entry["sha256"]) == 64


def test_a_mistyped_household_is_refused_in_french_with_lines_and_the_closest_key(tmp_path):
    path = _write(
        tmp_path,
        """\
        periode: 2025-06
        commune: "69123"
        logement: {statut: locataire_vid, loyer: 650}
        adultes:
          - {age: 38, salaire_net_mensuelle: 1300}
        enfant:
          - {age: 7}
        """,
    )
    with pytest.raises(ExportFormatError) as err:
        exports.read_household(path)
    text = str(err.value)
    assert text.startswith("foyer.yaml")
    assert "ligne 3" in text and "locataire_vide" in text  # the closest status
    assert "ligne 5" in text and "« salaire_net_mensuel »" in text
    assert "ligne 6" in text and "« enfants »" in text


def test_a_commune_code_with_a_leading_zero_is_kept_as_typed(tmp_path):
    path = _write(
        tmp_path,
        """\
        periode: 2025-01
        commune: 01053
        logement: {statut: proprietaire}
        adultes: [{age: 70, retraite_nette_mensuelle: 1100}]
        """,
    )
    h = exports.read_household(path)
    assert h.commune == "01053"  # YAML would read 01053 as the octal 555
    assert h.monthly_resources() == 1100


def test_an_openfisca_situation_is_accepted_and_outlined(tmp_path):
    situation = {
        "individus": {
            "a": {"date_naissance": {"ETERNITY": "1990-03-01"}, "salaire_net": {"2025-04": 1500}},
            "k": {"date_naissance": {"ETERNITY": "2020-05-01"}},
        },
        "familles": {"f": {"parents": ["a"], "enfants": ["k"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["a"], "personnes_a_charge": ["k"]}},
        "menages": {"m": {"personne_de_reference": ["a"], "enfants": ["k"], "loyer": {"2025-04": 700}}},
    }
    path = _write(tmp_path, json.dumps(situation), "situation.json")
    h = exports.read_household(path)
    assert (h.periode, h.loyer, h.adultes[0].age, h.enfants[0].age) == ("2025-04", 700.0, 35, 4)
    assert social.situation(h) is h.situation  # computed as given, never rebuilt
    frame = exports.read(path)
    assert frame.attrs["format"] == "openfisca-situation-json" and list(frame["role"]) == ["adulte", "enfant"]


def test_the_situation_repeats_resources_over_two_years_and_folds_arrondissements(tmp_path):
    path = _write(
        tmp_path,
        """\
        periode: 2025-06
        commune: "69388"
        logement: {statut: locataire_hlm, loyer: 420}
        adultes:
          - {age: 45, salaire_net_mensuel: 1500, salaires: {2025-06: 0}}
          - {age: 44, chomage_net_mensuel: 800}
        couple: marie
        enfants: [{age: 2}]
        """,
    )
    sit = social.situation(exports.read_household(path))
    first = sit["individus"]["adulte_1"]
    assert sorted(first["salaire_net"])[0] == "2023-01" and len(first["salaire_net"]) == 30
    assert first["salaire_net"]["2025-06"] == 0 and first["salaire_net"]["2025-05"] == 1500
    assert first["salaire_imposable"]["2025-05"] == pytest.approx(1500 * social.TAXABLE_OVER_NET, abs=0.01)
    assert sit["individus"]["adulte_2"]["chomage_imposable"]["2024-01"] == 800
    assert list(sit["foyers_fiscaux"]) == ["foyer_fiscal_1"]  # married: one tax household
    assert sit["menages"]["menage_1"]["depcom"]["2025-06"] == "69123"  # Lyon 8e → Lyon
    assert sit["menages"]["menage_1"]["statut_occupation_logement"]["2024-02"] == "locataire_hlm"


# --- OpenFisca-France, checked against an independent run ---------------------------------------------------

INDEPENDENT = """
import json, sys
from openfisca_france import FranceTaxBenefitSystem
from openfisca_core.simulation_builder import SimulationBuilder
tbs = FranceTaxBenefitSystem()
out = []
for case in json.load(sys.stdin):
    sim = SimulationBuilder().build_from_entities(tbs, case["situation"])
    out.append({f"{v}@{p}": float(sim.calculate(v, p).sum()) for v, p in case["variables"]})
print(json.dumps(out))
"""


def _months(start="2023-01", end="2025-06"):
    return [str(p) for p in pd.period_range(start, end, freq="M")]


def _hand_built(adults, children, rent, status, *, couple=False):
    """An OpenFisca situation written by hand from the household's facts, not by social.situation()."""
    months = _months()
    people, names = {}, []
    for i, (born, net) in enumerate(adults):
        people[f"p{i}"] = {
            "date_naissance": {"ETERNITY": born},
            "salaire_net": dict.fromkeys(months, net),
            "salaire_imposable": dict.fromkeys(months, round(net * 1.0365, 2)),
        }
        names.append(f"p{i}")
    kids = []
    for j, born in enumerate(children):
        people[f"k{j}"] = {"date_naissance": {"ETERNITY": born}}
        kids.append(f"k{j}")
    tax = (
        {"t0": {"declarants": names[:1], "personnes_a_charge": kids}, "t1": {"declarants": names[1:]}}
        if couple
        else {"t0": {"declarants": names, "personnes_a_charge": kids}}
    )
    return {
        "individus": people,
        "familles": {"f": {"parents": names, "enfants": kids}},
        "foyers_fiscaux": tax,
        "menages": {
            "m": {
                "personne_de_reference": names[:1],
                "conjoint": names[1:],
                "enfants": kids,
                "loyer": dict.fromkeys(months, rent),
                "statut_occupation_logement": dict.fromkeys(months, status),
                "depcom": dict.fromkeys(months, "69123"),
            }
        },
    }


CASES = {
    "nadia": (
        None,  # her own foyer.yaml
        _hand_built([("1986-12-01", 1300)], ["2017-12-01", "2012-12-01"], 650, "locataire_vide"),
    ),
    "couple sans revenu": (
        """\
        periode: 2025-06
        commune: "69123"
        logement: {statut: locataire_vide, loyer: 550}
        adultes: [{age: 30}, {age: 29}]
        """,
        _hand_built([("1994-12-01", 0), ("1995-12-01", 0)], [], 550, "locataire_vide", couple=True),
    ),
    "seul au smic": (
        """\
        periode: 2025-06
        commune: "69123"
        logement: {statut: locataire_meuble, loyer: 480}
        adultes: [{age: 25, salaire_net_mensuel: 1426.30}]
        """,
        _hand_built([("1999-12-01", 1426.30)], [], 480, "locataire_meuble"),
    ),
}


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """Every case through the library (foyer.yaml → entitlements) and through an independent OpenFisca run."""
    folder = tmp_path_factory.mktemp("foyers")
    ours, requests = {}, []
    for name, (text, hand) in CASES.items():
        path = (
            NADIA / "foyer.yaml" if text is None else _write(folder, text, f"{name.replace(' ', '_')}.yaml")
        )
        rights = social.entitlements(exports.read_household(path))
        ours[name] = rights
        variables = [[a["variable"], "2025-06" if a["period"] == "month" else "2025"] for a in social.AIDS]
        requests.append({"situation": hand, "variables": variables})
    python = taxbenefit.where()
    command = ["python" if python == "ici" else python, "-c", INDEPENDENT]
    if python == "ici":
        import sys

        command[0] = sys.executable
    run = subprocess.run(command, input=json.dumps(requests), capture_output=True, text=True, check=True)
    theirs = dict(zip(CASES, json.loads(run.stdout), strict=True))
    return ours, theirs


@needs_openfisca
@pytest.mark.parametrize("case", list(CASES))
def test_every_amount_is_openfiscas_own(computed, case):
    ours, theirs = computed
    rights = ours[case]
    for aid in social.AIDS:
        period = "2025-06" if aid["period"] == "month" else "2025"
        mine = float(rights.table.loc[rights.table["variable"] == aid["variable"], "montant"].iloc[0])
        assert mine == pytest.approx(theirs[case][f"{aid['variable']}@{period}"], abs=0.01), aid["variable"]


@needs_openfisca
def test_the_amounts_tell_the_three_households_apart(computed):
    ours, _ = computed
    nadia, couple, smic = ours["nadia"], ours["couple sans revenu"], ours["seul au smic"]
    assert nadia.monthly_amounts["asf"] > 0 and nadia.monthly_amounts["af"] > 0  # two children, alone
    assert nadia.ars > 0 and nadia.monthly_amounts["ppa"] > 0
    assert couple.monthly_amounts["rsa"] > 0 and couple.monthly_amounts["ppa"] == 0  # no work, no PPA
    assert couple.css == "gratuite"
    assert smic.monthly_amounts["rsa"] == 0 and smic.monthly_amounts["af"] == 0
    assert set(nadia.figures()) >= {"monthly_amounts", "ars", "css", "cheque_energie", "monthly_total"}
    assert nadia.figures()["openfisca_version"].value.startswith("OpenFisca-France 176")
    assert all(nadia.table["référence"].str.contains(r"^https?://|^Code ", regex=True))
    assert all(nadia.table["demander"].str.startswith("http"))


def test_a_missing_openfisca_is_said_in_french_with_the_way_to_install_it(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "openfisca_france" else real(name, *a)
    )
    monkeypatch.setattr(settings, "openfisca_python", tmp_path / "absent" / "python")
    with pytest.raises(taxbenefit.OpenFiscaError, match="make openfisca"):
        taxbenefit.where()


# --- my bank export -----------------------------------------------------------------------------------------


def _bank(rows, **attrs):
    frame = pd.DataFrame(rows, columns=["date", "label", "amount_eur"]).assign(category="")
    frame["date"] = pd.to_datetime(frame["date"])
    frame.attrs.update(attrs)
    return frame


def _rights(monthly, household=None):
    h = household or exports.read_household(NADIA / "foyer.yaml")
    table = pd.DataFrame(
        [{"variable": k, "montant": v, "par": "mois", "aide": k} for k, v in monthly.items()]
    )
    return social.Entitlements("2025-06", table, monthly, 0.0, 0.0, "non", 0.0, {}, h)


def test_an_aid_never_credited_is_a_non_take_up_and_a_named_credit_is_not():
    months = ["2025-04", "2025-05", "2025-06"]
    credits = [(f"{m}-05", "VIR CAF DU RHONE PRESTATIONS FAMILIALES", 552.17) for m in months]
    rights = _rights({"ppa": 217.7, "af": 151.8, "asf": 400.37, "aide_logement": 0.0})
    gaps = social.non_take_up(rights, _bank(credits))
    table = gaps.table.set_index("variable")
    assert table.loc["ppa", "manque"] == pytest.approx(217.7)  # an unnamed credit covers family aids first
    assert table.loc["af", "manque"] == 0 and table.loc["asf", "manque"] == 0
    assert gaps.figures()["not_received_monthly"].value == 218
    named = credits + [(f"{m}-06", "VIR CAF 69 PRIME ACTIVITE", 205.0) for m in months]
    assert social.non_take_up(rights, _bank(named)).missing_monthly == 0  # within the PPA's 25 % margin


def test_without_a_bank_export_the_declared_benefits_are_compared(tmp_path):
    path = _write(
        tmp_path,
        """\
        periode: 2025-06
        commune: "69123"
        logement: {statut: locataire_vide, loyer: 650}
        adultes: [{age: 38, salaire_net_mensuel: 1300}]
        prestations_percues: {aide_logement: 341}
        """,
    )
    rights = _rights({"ppa": 300.0, "aide_logement": 341.0}, exports.read_household(path))
    gaps = social.non_take_up(rights)
    assert gaps.source == "foyer" and gaps.missing_monthly == pytest.approx(300.0)
    nothing = social.non_take_up(_rights({"ppa": 300.0}))
    assert nothing.figures()["not_received_monthly"].value is None  # nothing to compare with: said so


def test_the_persona_urgencies_come_in_order_with_who_can_help():
    bank = exports.read(NADIA / "releve_la_banque_postale.csv", kind="bank")
    urgent = social.urgencies(bank, exports.read_household(NADIA / "foyer.yaml"))
    assert urgent.balance == pytest.approx(486.20)
    assert urgent.today == pd.Timestamp("2025-06-28")
    rent_day = pd.Timestamp("2025-07-03")
    assert urgent.days_until_negative == (rent_day - urgent.today).days  # the July rent
    whats = " | ".join(urgent.table["quoi"])
    assert "Aide au logement" in whats and "rejet" in whats and "complémentaire santé solidaire" in whats
    assert list(urgent.table["dans (jours)"]) == sorted(urgent.table["dans (jours)"])
    assert urgent.table["qui"].str.len().min() > 5  # every urgency names who can help
    assert urgent.trajectory["solde"].iloc[0] < urgent.balance  # daily spending continues


def test_a_statement_without_a_balance_asks_for_it_and_a_healthy_account_has_no_alarm():
    rows = []
    for m in ["2025-03", "2025-04", "2025-05"]:
        rows += [(f"{m}-01", "VIREMENT SALAIRE ACME", 2500.0), (f"{m}-04", "PRLV FONCIA LOYER", -700.0)]
    bank = _bank(rows)
    urgent = social.urgencies(bank)
    assert urgent.balance is None and "balance_eur" in urgent.figures()["balance_eur"].reason
    healthy = social.urgencies(bank, balance=3000.0)
    assert healthy.days_until_negative is None and healthy.table.empty
    tight = social.urgencies(bank, balance=100.0, today="2025-05-02")
    assert tight.days_until_negative == 2  # the rent of the 4th, before the next salary
    assert "loyer" in " ".join(tight.table["quoi"]) and "bailleur" in " ".join(tight.table["qui"])


def test_the_household_file_is_checked_against_the_bank_and_a_draft_comes_from_my_exports(tmp_path):
    bank = exports.read(NADIA / "releve_la_banque_postale.csv", kind="bank")
    h = exports.read_household(NADIA / "foyer.yaml")
    check = social.check_household(h, bank).table.set_index("donnée")
    assert check.loc["loyer (€/mois)", "écart"] == "cohérent"  # the charges line is not rent
    h.loyer = 900.0
    assert social.check_household(h, bank).figures()["household_mismatches"].value == 1
    address = exports.read_contract_address(NADIA / "enedis_adresse.json")
    draft = social.prefill_household(bank, address)
    path = _write(tmp_path, draft)
    back = exports.read_household(path)
    assert back.commune == "69123" and back.loyer == 650
    assert {"commune", "logement.loyer", "adultes.0.salaire_net_mensuel"} <= set(back.sources)
    assert "à compléter" in draft
