"""The footprint of my food shopping (analysis.food) and the receipt importers behind it: the reference
basket, labels as printed, seasons, barcodes, what is not counted, the real export layouts.
"""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import pytest

from selfdata_lib import exports, opendata
from selfdata_lib.analysis import food
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata.food import _read_agribalyse, _read_seasons


@pytest.fixture(scope="module")
def refs():
    return opendata.load("agribalyse-food"), opendata.load("food-seasons"), opendata.load("off-products")


def _receipts(rows):
    frame = pd.DataFrame(rows, columns=["date", "ean", "label", "quantity", "amount_eur"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_the_reference_basket_and_its_beef_to_lentils_swap(refs):
    factors, seasons, _ = refs
    basket = _receipts(
        [
            ("2025-03-01", "", "VIANDE HACHEE 5%MG 500G", 1, 5.2),
            ("2025-03-01", "", "LAIT DEMI ECR 1L", 1, 1.1),
            ("2025-03-01", "", "POMME GOLDEN 1KG", 1, 2.5),
        ]
    )
    print_ = food.footprint(basket, factors, seasons=seasons)
    assert print_.total == pytest.approx(19.5, rel=0.05)
    assert list(print_.lines["kg"]) == [0.5, 1.0, 1.0]  # every weight read from the label
    assert "fragile" in print_.figures()["kgco2e_per_person_year"].warnings[0]  # one day made into a year
    plan = food.swaps(print_, factors)
    beef = plan.table.set_index("remplacer").loc["Bœuf haché"]
    assert beef["par"] == "Lentilles" and beef["kgco2e_saved"] == pytest.approx(17.6, abs=0.1)
    assert print_.figures()["matched_share"].value == 1.0


@pytest.mark.parametrize(
    ("label", "kg", "pieces"),
    [
        ("VIANDE HACHEE 5%MG 500G", 0.5, None),
        ("YAOURT NATURE 4X125G", 0.5, None),
        ("POMME DE TERRE 2,5KG", 2.5, None),
        ("LAIT DEMI ECR 1L", 1.0, None),
        ("EAU 6X50CL", 3.0, None),
        ("OEUFS PLEIN AIR X6", None, 6),
        ("Saumon fumé 4 tranches", None, 4),
        ("TOMATE GRAPPE VRAC", None, None),
    ],
)
def test_weights_are_read_from_labels_as_printed(label, kg, pieces):
    got_kg, got_pieces = food.label_weight(label)
    assert got_pieces == pieces
    assert got_kg == (pytest.approx(kg) if kg is not None else None)


def test_labels_go_to_their_category_and_the_rest_is_said():
    assert food.classify("STEAK HACHE X2")[0] == "boeuf_hache"
    assert food.classify("FILET DE CABILLAUD")[0] == "poisson_blanc"  # a fish fillet is not chicken
    assert food.classify("ESCALOPE DINDE")[0] == "poulet_filet"
    assert food.classify("POMMES DE TERRE")[0] == "pomme_de_terre"  # not apples
    assert food.classify("FROMAGE BLANC 3%")[0] == "fromage_blanc"
    assert food.classify("ORANGES A JUS 2KG")[0] == "orange"
    key, confidence, how = food.classify("JUS D ORANGE 1L")
    assert key is None and "boisson" in how
    assert food.classify("XYZW 12")[0] is None
    key, confidence, how = food.classify("LENTILES VERTES")  # a typo: no rule, a close example
    assert (key, how) == ("lentilles", "exemple proche") and 0 < confidence < 0.9


def test_a_tomato_out_of_season_comes_from_a_heated_greenhouse(refs):
    factors, seasons, _ = refs
    rows = [("2025-01-15", "", "TOMATE 1KG", 1, 3.5), ("2025-07-15", "", "TOMATE 1KG", 1, 2.5)]
    lines = food.footprint(_receipts(rows), factors, seasons=seasons).lines
    assert list(lines["in_season"]) == [False, True]
    assert list(lines["kgco2e"]) == pytest.approx([2.11, 0.626])
    without_calendar = food.footprint(_receipts(rows), factors).lines
    assert list(without_calendar["kgco2e"]) == pytest.approx([0.626, 0.626])  # no calendar: no season said


def test_a_barcode_known_to_open_food_facts_wins_over_the_label(refs):
    factors, seasons, products = refs
    rows = [("2025-03-01", "2000000000042", "ARTICLE 1234", 2, 3.5)]  # a label no rule reads
    line = food.footprint(_receipts(rows), factors, seasons=seasons, products=products).lines.iloc[0]
    assert line["category"] == "lentilles" and line["confidence"] == 1.0
    assert line["kg"] == pytest.approx(1.0)  # 2 × 500 g from the product sheet


def test_lines_not_counted_are_listed_with_their_share_of_the_spend(refs):
    factors, seasons, _ = refs
    rows = [
        ("2025-03-01", "", "LAIT DEMI ECR 1L", 1, 1.0),
        ("2025-03-01", "", "CORNICHONS", 1, 2.0),
        ("2025-03-01", "", "CAFE MOULU 250G", 1, 3.0),
        ("2025-03-01", "", "BLANC DE POULET", 1, 4.0),  # no weight on the label: the typical pack
    ]
    print_ = food.footprint(_receipts(rows), factors, seasons=seasons)
    assert set(print_.unmatched["label"]) == {"CORNICHONS", "CAFE MOULU 250G"}
    assert print_.figures()["matched_share"].value == pytest.approx(0.5)
    assert print_.figures()["kgco2e_total"].warnings  # half the spend not counted: said next to the figure
    assert print_.unmatched_summary()["pourquoi"].str.len().min() > 5


def test_the_real_agribalyse_layout_and_impact_co2_months_are_read(tmp_path):
    synth = tmp_path / "Agribalyse_Synthese.csv"
    synth.write_text(
        'Code AGB,Code CIQUAL,Nom du Produit en Français,LCI Name,"Changement climatique (kg CO2 eq/kg de produit)"\n'
        '20047_1,20047,"Tomate, crue","Tomato, raw","2,11"\n',
        encoding="utf-8",
    )
    table = _read_agribalyse([synth])
    assert table.loc[0, "Changement climatique (kg CO2 eq/kg de produit)"] == pytest.approx(2.11)
    seasons = tmp_path / "fruitsetlegumes.json"
    seasons.write_text(json.dumps([{"slug": "fraise", "months": [4, 5], "ecv": [{"id": 30, "value": 0.5}]}]))
    assert _read_seasons([seasons]).loc[0, "months"] == [5, 6]  # Impact CO2 counts from 0


def _write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_leclerc_gdpr_export_takes_its_dates_from_liste_ticket(tmp_path):
    detail = _write(
        tmp_path,
        "detail_ticket.csv",
        """\
        ticket;ean;article_libelle;article_prix_unitaire;article_quantite_vendue;article_ca
        T1;3000000000017;VIANDE HACHEE 5%MG 2X250G;4.95;1;4.95
        T1;;POMMES GALA;2.49;0.812;2.02
        T1;;SAC KRAFT;0.10;1;0.10
        T2;;LAIT DEMI ECR 1L;0.99;-1;-0.99
        """,
    )
    with pytest.raises(ExportFormatError, match="liste_ticket"):  # the dates are in the other file
        exports.read(detail)
    _write(
        tmp_path,
        "liste_ticket.csv",
        "ticket;date_ticket;code_postal\nT1;2025-03-01;44300\nT2;2025-03-02;44300\n",
    )
    frame = exports.read(detail)
    report = frame.attrs["import_report"]
    assert report["rows_read"] == report["rows_kept"] + report["rows_rejected"] == 4
    assert list(frame["label"]) == ["VIANDE HACHEE 5%MG 2X250G", "POMMES GALA"]
    assert list(frame["unit"]) == ["", "kg"] and list(frame["store"]) == ["44300", "44300"]
    reasons = " ".join(report["rejected_by_reason"])
    assert "sac" in reasons and "retour" in reasons


def test_other_real_layouts_give_the_same_columns(tmp_path):
    auchan = _write(
        tmp_path,
        "auchan.csv",
        "JOUR;CODE_POSTAL;CODE_PRODUIT;NOM_PRODUIT;QUANTITE_VENDUE;PRIX_UNITAIRE\n2025-03-01;44000;4400;BANANES;1,2;1,89\n",
    )
    a = exports.read(auchan)
    assert a.loc[0, "amount_eur"] == pytest.approx(1.2 * 1.89) and a.loc[0, "unit"] == "kg"
    lidl = tmp_path / "lidl.json"
    lidl.write_text(
        json.dumps(
            {
                "date": "2025-03-04T17:20:00",
                "itemsLine": [
                    {
                        "name": "Bananes",
                        "quantity": "0,812",
                        "originalAmount": "1,37",
                        "isWeight": True,
                        "codeInput": "0080000",
                        "discounts": [{"amount": "0,20"}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    b = exports.read(lidl)
    assert b.attrs["format"] == "lidl-plus-json" and b.loc[0, "amount_eur"] == pytest.approx(1.17)
    intermarche = _write(
        tmp_path,
        "intermarche.csv",
        "DT_TICK;COD_POIN_VENT;COD_ARTC_EAN;LB_ARTC;Qte Vendues;CA TTC Produit\n01/03/2025;123;;LENTILLES VERTES 500G;2;3,58\n",
    )
    c = exports.read(intermarche)
    assert c.loc[0, "retailer"] == "Intermarché" and c.loc[0, "date"].day == 1 and c.loc[0, "quantity"] == 2


def test_the_bank_gives_the_grocery_spend_as_context_only(refs):
    factors, seasons, _ = refs
    receipts = _receipts([("2025-03-01", "", "LAIT DEMI ECR 1L", 1, 30.0)])
    print_ = food.footprint(receipts, factors, seasons=seasons)
    bank = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-03-01", "2025-03-08", "2025-03-09"]),
            "label": ["CARTE 01/03 LECLERC NANTES", "CARTE 08/03 LIDL DOULON", "PRLV EDF"],
            "amount_eur": [-60.0, -40.0, -70.0],
            "category": ["", "", ""],
        }
    )
    spend = food.grocery_spend(bank, print_)
    assert spend.by_month.to_dict() == {"2025-03": 100.0}
    assert set(spend.by_shop.index) == {"Leclerc", "Lidl"}
    assert spend.figures()["receipts_share_of_grocery_spend"].value == pytest.approx(0.3)
    assert food.grocery_spend(None, print_).figures()["grocery_eur_per_month"].value is None
