"""Results read in French: labels, units and formats declared once in the card (app.display), the
headline of a reading, French tables, and the artefacts a report must not show.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from selfdata_lib.analysis import velov
from selfdata_lib.app import display, runner, usecases
from selfdata_lib.app.notebook import french_table
from selfdata_lib.results import Reading

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        (118.1, {"unit": "l/personne/jour", "digits": 0}, f"118{NBSP}l/personne/jour"),
        (9674.6, {"unit": "kWh", "digits": 1}, f"9{NNBSP}674,6{NBSP}kWh"),
        (0.212, {"format": "percent"}, f"21{NBSP}%"),
        ("2025-03-10", {"format": "date"}, "10 mars 2025"),
        ("2025-02-01", {"format": "date"}, "1er février 2025"),
        ("2025-03-18 08:10", {"format": "datetime"}, "18 mars 2025 à 08:10"),
        (1234.5, {"format": "euros"}, f"1{NNBSP}234,50{NBSP}€"),
        (114.97, {"format": "euros", "digits": 0, "unit": "/an"}, f"115{NBSP}€/an"),
        (True, {}, "oui"),
        ("normals", {}, "normales climatiques (approché)"),
        (
            {"bike": 12.0, "car": 870.1},
            {"format": "mapping", "unit": "km", "digits": 0},
            f"voiture : 870{NBSP}km · vélo : 12{NBSP}km",
        ),
        (["water", "electricity"], {"format": "list"}, "eau · électricité"),
        (
            {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6},
            {"format": "mapping"},
            "f : 6 · e : 5 · d : 4 · c : 3 · et 2 autres",
        ),
    ],
)
def test_a_result_reads_in_french_with_its_unit(value, spec, expected):
    assert display.Display.of("x", spec).text(value) == expected


def test_a_missing_figure_says_why_and_a_code_gets_the_cards_word():
    d = display.Display.of("heating_share", {"label": "Part due au froid", "format": "percent"})
    assert d.text(None, "pas de météo pour cette période") == "non calculé : pas de météo pour cette période"
    assert display.Display.of("m", {"keys": {"car": "auto"}}).text("car") == "auto"
    assert (
        display.Display.of("u", {"format": "list"})
        .text(["lyon-water-district"])
        .startswith("Ma consommation d'eau")
    )


def test_a_pattern_entry_names_every_horizon():
    card = {"brier_bike_model_*": {"label": "Brier (vélo), modèle, à {} min", "digits": 4}}
    spec = display.spec_for("brier_bike_model_45", card)
    assert spec is not None and spec["label"] == "Brier (vélo), modèle, à 45 min"
    assert display.spec_for("mae_bikes_model_45", card) is None


def test_nested_results_become_small_french_tables():
    d = display.Display.of("typical_days", {"format": "table", "keys": {"kwh_per_day": "kWh par jour"}})
    page = d.table_html([{"days": 24, "kwh_per_day": 13.3}, {"days": 111, "kwh_per_day": 18.7}])
    assert "kWh par jour" in page and "13,3" in page and "jours" in page
    grid = display.Display.of("s", {"unit": "ans"}).table_html({"0.15 €/kWh": {"1500 €/kWc": 12.0}})
    assert "0.15 €/kWh" in grid and f"12{NBSP}ans" in grid


def test_every_card_labels_each_result_it_declares():
    for card in usecases.list_use_cases():
        assert card.results, f"{card.id}: no results block: its report would show code names"
        unlabelled = [k for k, spec in card.results.items() if not spec.get("label")]
        assert not unlabelled, f"{card.id}: results without a French label: {unlabelled}"
        assert any(spec.get("headline") for spec in card.results.values()), f"{card.id}: no key figure"


def test_a_reading_is_its_text_and_keeps_its_headline_apart():
    r = Reading(["Première phrase.", "", "Deuxième."], ["Détail."])
    assert r == "Première phrase. Deuxième. Détail." and r.headline == "Première phrase. Deuxième."
    assert "Détail" in r and isinstance(r, str)


def test_the_models_verdict_is_said_in_words():
    table = pd.DataFrame(
        {
            "horizon_min": [15, 30, 60],
            "brier_bike_model": [0.06, 0.05, 0.06],
            "brier_bike_persistence": [0.05, 0.07, 0.09],
            "mae_bikes_model": [1.2, 1.0, 1.5],
            "mae_bikes_persistence": [1.0, 1.4, 2.0],
        }
    )
    reading = velov.describe_evaluation(velov.AvailabilityEvaluation(table))
    assert reading.headline == "Le modèle bat la persistance à 30 et 60 min, pas à 15 min."


def test_french_table_translates_names_and_hides_a_bare_index():
    frame = pd.DataFrame(
        {"mode": ["car", "bike"], "km": [870.14, 12.0], "start": pd.to_datetime(["2025-03-10"] * 2)}
    )
    shown = french_table(frame)
    assert list(shown.columns) == ["mode", "km", "début"]
    assert shown.iloc[0].tolist() == ["voiture", "870", "10 mars 2025"]
    series = french_table(pd.Series({"prime (€/kWc)": 80.0}, name="valeur"))
    assert series.index.tolist() == ["prime (€/kWc)"] and series.iloc[0, 0] == "80"


def _nb_with(*outputs):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = list(outputs)
    nb.cells = [cell]
    return nb


def test_report_problems_finds_what_a_citizen_should_not_see():
    raw = nbformat.v4.new_output("execute_result", data={"text/plain": "{'car_insurance': 145.8}"})
    stream = nbformat.v4.new_output("stream", name="stderr", text="UserWarning: timezone dropped")
    table = nbformat.v4.new_output(
        "execute_result",
        data={
            "text/html": "<table class='dataframe'><thead><tr><th></th><th>eur_per_year</th></tr></thead>"
            "<tbody><tr><th>0</th><td>1</td></tr></tbody></table>",
            "text/plain": "x",
        },
    )
    problems = runner.report_problems(_nb_with(raw, stream, table))
    assert len(problems) == 4, problems
    assert any("non traduits" in p and "eur_per_year" in p for p in problems)
    assert any("index" in p for p in problems)
    clean = nbformat.v4.new_output(
        "display_data", data={"text/html": "<table class='sd-table'><tr><th>gain (€/an)</th></tr></table>"}
    )
    assert runner.report_problems(_nb_with(clean)) == []


def test_a_finished_page_is_french_offline_and_describes_its_charts():
    page = (
        '<html><head><title>x</title><script src="https://cdnjs.cloudflare.com/require.js"></script></head>'
        '<body><img src="data:image/png;base64,AAA"><img alt="déjà" src="data:image/png;base64,BBB"></body></html>'
    )
    done = runner.finish_page(page, alts=["Ma consommation jour par jour"], title="Mon eau")
    assert "lang='fr'" in done and "https://" not in done and "<title>Mon eau</title>" in done
    assert 'alt="Ma consommation jour par jour"' in done and 'alt="déjà"' in done


def test_a_figure_rounded_once_reads_as_the_raw_figure():
    from selfdata_lib import fr

    # the card shows the recorded 3632.5 (one decimal), the headline the raw 3632.54: both 3 633
    assert fr.number(3632.5) == fr.number(3632.54) == f"3{NNBSP}633"
    assert fr.percent(0.125) == f"13{NBSP}%" and fr.number(-2.5) == "-3"


def test_a_time_axis_names_each_month_once_without_crowding():
    from selfdata_lib import fr

    year = pd.date_range("2024-01-01", "2025-01-01", freq="D").strftime("%Y-%m")
    ticks, labels = fr.month_ticks(year)
    assert len(ticks) == 13 and labels[0] == "janv.\n2024" and labels[1] == "févr."
    assert labels[-1] == "janv.\n2025"  # the year again when it changes
    two_years = pd.date_range("2023-03-10", "2025-02-01", freq="D").strftime("%Y-%m")
    ticks, labels = fr.month_ticks(two_years)
    assert len(ticks) <= 13 and labels[0] == "mars\n2023"  # every second month on a long axis
    assert sum("\n" in label for label in labels) == 3  # 2023, 2024, 2025
    assert fr.month_ticks(pd.Index([])) == ([], [])


def test_long_words_go_to_the_next_line_at_a_slash_or_an_underscore_not_mid_word():
    assert display.breakable_html("118 l/personne/jour") == "118 l/<wbr>personne/<wbr>jour"
    assert display.breakable_html("« prestations_percues »") == "« prestations_<wbr>percues »"
    url = display.breakable_html("https://api.cyclocity.fr/contracts/lyon/gbfs.json")
    assert url.startswith("https://<wbr>api.<wbr>cyclocity.<wbr>fr/<wbr>contracts/")
    assert url.replace("<wbr>", "") == "https://api.cyclocity.fr/contracts/lyon/gbfs.json"
    assert display.breakable_html("court a/b <x> & y") == "court a/b &lt;x&gt; &amp; y"  # short: as is
    value = display.value_html(f"118{NBSP}l/personne/jour", "u")
    assert value == "118 <span class='u'>l/<wbr>personne/<wbr>jour</span>"
    bold = display.bold_html("voir **territories/barcelona.yaml** ici")
    assert bold == "voir <strong>territories/<wbr>barcelona.<wbr>yaml</strong> ici"


def test_python_s_missing_values_are_found_in_the_text_a_citizen_reads():
    page = (
        "<html><head><style>.x{width:NaN}</style></head><body><script>var a = None;</script>"
        "<td>iris : None ; annual_kwh : 12556.0</td><p>Collectivité A NaN,0 %</p>"
        "<p>pas de note (nan)</p><p>Nantes, nanotubes, Nonette</p></body></html>"
    )
    found = display.raw_values(page)
    assert len(found) == 3, found
    assert "iris : None" in found[0] and "NaN,0" in found[1] and "(nan)" in found[2]
    assert display.raw_values("<p>Nantes : inconnu (envoyé vide), 12 556 kWh</p>") == []


def test_an_instant_in_utc_is_shown_on_the_local_day():
    from selfdata_lib import fr
    from selfdata_lib.app.notebook import inputs_html

    # Google's location history writes UTC: a March file starts at 23:00 UTC on 28 February
    assert fr.date("2025-02-28 23:00:00+00:00") == "1er mars 2025"
    assert fr.date("2025-12-31 23:59:59+01:00") == "31 décembre 2025"  # its own offset, its own day
    assert fr.date(pd.Timestamp("2025-02-28 23:30", tz="Europe/London")) == "28 février 2025"  # not UTC
    from selfdata_lib.app.notebook import _cell_text

    assert _cell_text(pd.Timestamp("2025-02-28 23:30Z")) == "1er mars 2025 00:30"  # day and hour in Paris
    assert fr.date("2025-03-18") == "18 mars 2025"
    page = inputs_html([{"file": "2025_MARCH.json", "first": "2025-02-28 23:00:00+00:00",
                         "last": "2025-03-31 21:58:59+00:00", "rows_read": 1, "rows_kept": 1}])  # fmt: skip
    assert "du 1er mars 2025 au 31 mars 2025" in page


def test_the_timeline_of_my_files_has_a_few_french_date_ticks():
    import matplotlib

    matplotlib.use("Agg")
    from selfdata_lib import settings
    from selfdata_lib.app import charts, mydata

    inv = mydata.inventory(settings.personas_folder / "morel")  # two years of files
    fig = charts.plot_my_data_timeline(inv)
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert 3 <= len(labels) <= 7 and labels[0] == "janv.\n2024"
    assert all(
        len(line) <= 6 for label in labels for line in label.split("\n")
    )  # « juil. », never 2024-07-01
    years = [label.split("\n")[1] for label in labels if "\n" in label]
    assert years == sorted(set(years))  # each year said once, under its first month
