"""The mobility footprint for any territory: factors, stops, fare, fuel prices, bank labels and the
reference come from the territory file; a territory that describes none of them gets French reasons,
not a crash; the Paris and Barcelona samples and personas are read by the library.
"""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import pytest

from selfdata_lib import exports, opendata, settings, territories
from selfdata_lib.analysis import mobility
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata.mobility import bank_rules, network_name, stops_near, transit_fare

PERSONAS = settings.personas_folder


def _trips(rows, tz="Europe/Paris"):
    return pd.DataFrame(
        [
            {
                "start": pd.Timestamp(s, tz=tz),
                "end": pd.Timestamp(s, tz=tz) + pd.Timedelta(minutes=10),
                "start_lat": 41.40,
                "start_lon": 2.15,
                "end_lat": 41.41,
                "end_lon": 2.17,
                "distance_m": km * 1000,
                "mode": mode,
            }
            for s, km, mode in rows
        ]
    )


@pytest.fixture
def bare_territory(tmp_path, monkeypatch):
    """A territory file that describes no open data at all (a living lab's first draft)."""
    folder = tmp_path / "territories"
    folder.mkdir()
    (folder / "villeneuve.yaml").write_text(
        textwrap.dedent(
            """\
            id: villeneuve
            name: Villeneuve
            country: FR
            bbox: [2.0, 48.0, 2.2, 48.2]
            centre: [48.1, 2.1]
            timezone: Europe/Paris
            language: fr
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    return territories.get("villeneuve")


def test_each_territory_names_its_own_factors_stops_and_fuel_prices(isolated_settings):
    ademe = opendata.load_emission_factors("paris", source="sample")
    assert ademe.attrs["provenance"]["dataset"] == "ademe-transport-factors"
    europe = opendata.load_emission_factors("barcelona", source="sample").set_index("mode")
    assert opendata.load_emission_factors("Barcelone", source="sample") is not None  # a name works too
    assert europe.loc["car", "kgco2e_per_km"] == pytest.approx(0.17061)  # OWID « Medium car (diesel) », 2018
    assert europe.loc["metro", "kgco2e_per_km"] == pytest.approx(0.03084)
    assert "à vérifier" in europe.loc["metro", "note"] and europe.loc["car", "note"] == ""
    assert all("Our World in Data" in s for s in europe.loc[["car", "bus", "metro"], "source"])
    metro_trip = mobility.travel({"trips": _trips([("2025-01-05", 4.0, "metro")])}, {}, "barcelona")
    warned = mobility.footprint(metro_trip, europe.reset_index(), "barcelona").figures()["kgco2e_per_month"]
    assert any(
        "à vérifier" in w for w in warned.warnings
    )  # the British metro factor, flagged next to the CO2
    car_trip = mobility.travel({"trips": _trips([("2025-01-05", 4.0, "car")])}, {}, "barcelona")
    assert (
        not mobility.footprint(car_trip, europe.reset_index(), "barcelona")
        .figures()["kgco2e_per_month"]
        .warnings
    )
    assert europe.loc["walk", "kgco2e_per_km"] == 0
    es = opendata.load_fuel_prices("barcelona", source="sample")
    assert es["latitude"].between(41.3, 41.5).all() and es["longitude"].between(2.0, 2.3).all()
    assert es["gazole"].between(1.3, 1.7).all() and es["e10"].isna().all()
    fr = opendata.load_fuel_prices("paris", source="sample")
    assert mobility.fuel_price(fr, _Place(48.8575, 2.3800), "gazole")[0] == pytest.approx(1.799)
    lyon = opendata.load_fuel_prices(
        "lyon", source="sample"
    )  # Camille's: the Lyon stations, not the country's
    assert mobility.fuel_price(lyon, _Place(45.7457, 4.8425), "gazole")[0] == pytest.approx(1.669)
    for name, near in (
        ("paris", (48.8575, 2.3800)),
        ("barcelona", (41.4026, 2.1568)),
        ("lyon", (45.7457, 4.8425)),
    ):
        stops = opendata.load_transit_stops(name, source="sample")
        assert len(stops_near(stops, *near, radius_m=500)) >= 1, name
    for name, near in (
        ("nantes", (47.2129, -1.5594)),
        ("rennes", (48.1113, -1.6800)),
    ):  # Commerce, the Mairie
        stops = opendata.load_transit_stops(name, source="sample")
        assert stops.attrs["provenance"]["sample"] and len(stops_near(stops, *near, radius_m=500)) >= 1, name


class _Place:
    def __init__(self, lat, lon):
        self.lat, self.lon = lat, lon


def test_fare_network_and_bank_labels_come_from_the_territory_file(bare_territory):
    assert transit_fare("paris")[0] == 2.55 and "Île-de-France Mobilités" in transit_fare("paris")[1]
    assert transit_fare("barcelona")[0] == 1.30 and "T-casual" in transit_fare("barcelona")[1]
    assert (
        transit_fare("lyon")[0] == 2.10 and "TCL" in transit_fare("lyon")[1] and network_name("lyon") == "TCL"
    )
    assert transit_fare("nantes")[0] == 1.80 and "Naolib" in transit_fare("nantes")[1]
    assert transit_fare("rennes")[0] == 1.70 and "à vérifier" in transit_fare("rennes")[1]
    fare, why = transit_fare(bare_territory)
    assert fare is None and "villeneuve.yaml" in why and "-p fare_eur" in why
    assert network_name("la-rochelle") == "Yélo" and network_name("barcelona") == "TMB"
    bank = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-03", "2025-01-04", "2025-01-05"]).tz_localize("Europe/Madrid"),
            "label": ["REPSOL EESS BARCELONA", "TMB T-USUAL 1 ZONA", "BICING ABONAMENT"],
            "amount_eur": [-50.0, -22.0, -50.0],
            "category": ["", "", ""],
        }
    )
    rules = bank_rules("barcelona")
    cats = exports.categorise(bank, extra_rules=rules, overwrite=True)["category"].tolist()
    assert cats == ["fuel", "public_transport", "bike_share"]
    assert exports.categorise(bank, overwrite=True)["category"].tolist()[0] != "fuel"  # not without them


def test_a_fare_the_territory_file_says_is_to_be_checked_is_flagged_next_to_it():
    unsure = mobility.local_context({}, None, None, territory="la-rochelle").figures()["fare_eur"]
    assert unsure.value == 1.40 and any("à vérifier" in w for w in unsure.warnings)
    sourced = mobility.local_context({}, None, None, territory="paris")
    assert sourced.figures()["fare_eur"].warnings == ()
    assert any("Île-de-France Mobilités" in n for n in sourced.notes())  # where it comes from, said
    mine = mobility.local_context({}, None, None, territory="la-rochelle", fare_eur=1.2)
    assert mine.figures()["fare_eur"].warnings == () and mine.notes() == []  # my own fare: nothing to flag


def test_a_territory_with_nothing_for_mobility_gives_reasons_not_a_crash(bare_territory, isolated_settings):
    assert opendata.load_emission_factors(bare_territory) is None
    assert opendata.load_fuel_prices(bare_territory) is None
    assert opendata.load_transit_stops(bare_territory) is None
    trips = mobility.travel(
        {"trips": _trips([("2025-01-05", 2.0, "car"), ("2025-02-05", 9, "bus")])}, {}, bare_territory
    )
    co2 = mobility.footprint(trips, None, bare_territory)
    figs = co2.figures()
    assert figs["kgco2e_per_month"].value is None
    assert "villeneuve.yaml" in co2.reason and "ADEME" in co2.reason  # where to get them, in France
    assert isinstance(co2.factors_table, str)
    ref = mobility.territory_reference(co2, bare_territory)
    assert ref.figures()["kgco2e_per_year"].value is None  # no CO2, so no yearly figure
    context = mobility.local_context({}, None, None, territory=bare_territory)
    cfigs = context.figures()
    assert cfigs["fuel_price_eur_l"].value is None and "fuel_price_eur_l" in context.price_reason
    assert cfigs["fare_eur"].value is None and cfigs["bus_stops_near_home"].value is None
    assert "transport.data.gouv.fr" in context.stops_reason
    whatif = mobility.scenario(trips, None, context)
    assert whatif.figures()["scenario_trips_shifted"].value is None
    factors = opendata.load_emission_factors(source="sample")
    priced = mobility.scenario(trips, factors, context, to_mode="bus")
    assert priced.figures()["scenario_trips_shifted"].value == 1
    assert priced.figures()["scenario_eur_saved_per_year"].value is None  # no fuel price: euros unknown
    reading = mobility.interpret(trips, co2, mobility.budget(None, trips), whatif, context, ref)
    assert "Pas d'émissions calculées" in str(reading)


def test_the_reference_is_national_in_france_absent_in_spain_and_the_territorys_when_given(
    tmp_path, monkeypatch
):
    trips = _trips([("2025-01-10", 10, "car"), ("2025-03-10", 10, "car")])
    co2 = mobility.Footprint(trips.assign(kgco2e=[1.0, 1.0]), pd.DataFrame({"car": [1.0, 1.0]}), factors=None)
    paris = mobility.territory_reference(co2, "paris")
    assert paris.reference_kgco2e_per_year == 1400 and "Paris" in paris.scope
    spain = mobility.territory_reference(co2, "barcelona")
    assert spain.reference_kgco2e_per_year is None and "barcelona.yaml" in spain.reason
    figs = spain.figures()
    assert spain.mine_kgco2e_per_year == pytest.approx(2.0 * 12 / mobility.months_covered(trips))
    assert figs["kgco2e_per_year"].value == 12
    assert figs["share_of_reference"].value is None and "français" in figs["share_of_reference"].reason
    folder = tmp_path / "t"
    folder.mkdir()
    text = (
        territories.get("barcelona")
        .path.read_text(encoding="utf-8")
        .replace(
            "emission_factors: {dataset: owid-travel-factors,",
            "emission_factors: {reference_kgco2e_per_year: 900, reference_source: Test, dataset: owid-travel-factors,",
        )
    )
    (folder / "barcelona.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    given = mobility.territory_reference(co2, "barcelona")
    assert given.reference_kgco2e_per_year == 900 and given.source == "Test"


def test_months_follow_the_territorys_time_zone():
    # 23:30 UTC on 31 January is 1 February in Madrid and in Paris, 31 January in London
    trips = pd.DataFrame(
        {
            "start": [pd.Timestamp("2025-01-31 23:30", tz="UTC")],
            "end": [pd.Timestamp("2025-01-31 23:45", tz="UTC")],
            "distance_m": [1000.0],
            "mode": ["walk"],
        }
    )
    assert mobility.km_by_mode_month(trips, "Europe/Madrid").index[0] == pd.Period("2025-02")
    assert mobility.km_by_mode_month(trips, "Europe/London").index[0] == pd.Period("2025-01")
    assert mobility.travel({"trips": trips}, {}, "barcelona").tz == "Europe/Madrid"


def test_a_missing_fuel_falls_back_to_its_closest_substitute(isolated_settings):
    es = opendata.load_fuel_prices("barcelona", source="sample")
    price, note = mobility.fuel_price(es, _Place(41.4026, 2.1568), "e10")
    assert 1.5 < price < 1.6 and "sp95" in note  # 95 E10 is not sold: the 95 E5
    with pytest.raises(KeyError, match="e85"):
        mobility.fuel_price(es, None, "e85")
    context = mobility.local_context({}, es, None, territory="barcelona", fuel="e85")
    figure = context.figures()["fuel_price_eur_l"]  # in the notebook: said, not a crash
    assert (
        figure.value is None
        and "e85" in context.price_reason
        and "-p fuel_price_eur_l" in context.price_reason
    )


def test_spanish_fuel_feed_is_checked(tmp_path):
    from selfdata_lib.opendata.mobility import _read_es_fuel_prices

    bad = tmp_path / "EstacionesTerrestres.json"
    bad.write_text(json.dumps({"Fecha": "x", "Lista": []}), encoding="utf-8")
    with pytest.raises(ExportFormatError, match="ListaEESSPrecio"):
        _read_es_fuel_prices([bad])
    good = tmp_path / "EstacionesTerrestres2.json"
    station = {"IDEESS": "1", "Latitud": "41,40", "Longitud (WGS84)": "2,15", "Precio Gasoleo A": "1,459"}
    good.write_text(
        json.dumps({"ListaEESSPrecio": [station, {"IDEESS": "2", "Latitud": ""}]}), encoding="utf-8"
    )
    frame = _read_es_fuel_prices([good])
    assert (
        len(frame) == 1 and frame.loc[0, "gazole"] == pytest.approx(1.459) and pd.isna(frame.loc[0, "sp95"])
    )


@pytest.mark.parametrize(
    ("persona", "territory", "bank", "modes"),
    [
        ("ines", "paris", "releve_compte_credit_agricole.csv", {"metro", "bike", "walk", "train", "car"}),
        ("jordi", "barcelona", "extracte_compte.ofx", {"metro", "bus", "car", "walk"}),
    ],
)
def test_personas_of_paris_and_barcelona(persona, territory, bank, modes, isolated_settings):
    folder = PERSONAS / persona
    mine = exports.read_kinds(folder / "Timeline.json", ("visits", "trips", "location_points"))
    trips = mobility.travel(mine, {}, territory)
    assert set(trips.trips["mode"]) == modes
    place = territories.get(territory)
    home = mine["visits"].iloc[0]
    assert place.contains(home["lat"], home["lon"])
    statement = exports.read_kinds(folder / bank, ["bank"])["bank"]
    spent = mobility.budget(statement, trips, territory=territory).table
    assert spent is not None and spent["public_transport"].gt(0).all()
    if persona == "ines":
        assert spent["public_transport"].iloc[1] == pytest.approx(
            88.80
        )  # February: the pass alone and spent["bike_share"].gt(0).all()
    else:
        assert {"fuel", "parking", "car_insurance"} <= set(spent.columns)


def test_a_new_territory_runs_the_notebook_unchanged(tmp_path, monkeypatch):
    """A living lab describes its city (here a copy of Barcelona's sources under another name, and a
    French town describing nothing for mobility): the same notebook runs, nothing to edit in it.
    """
    from selfdata_lib.app import runner, usecases

    folder = tmp_path / "territories"
    folder.mkdir()
    text = territories.get("barcelona").path.read_text(encoding="utf-8")
    (folder / "badalona.yaml").write_text(
        text.replace("id: barcelona", "id: badalona")
        .replace("name: Barcelone", "name: Badalona")
        .replace("aliases: [Barcelona]", "aliases: []"),
        encoding="utf-8",
    )
    (folder / "villeneuve.yaml").write_text(
        "id: villeneuve\nname: Villeneuve\ncountry: FR\nbbox: [2.0, 48.0, 2.2, 48.2]\ncentre: [48.1, 2.1]\n"
        "timezone: Europe/Paris\nlanguage: fr\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    card = usecases.get_use_case("larochelle-mobility-footprint")
    ran = runner.run_use_case(
        card, "jordi", overrides={"territory": "badalona"}, out_dir=tmp_path / "a", block_network=True
    )
    assert ran.ok, ran.error
    results = json.loads((tmp_path / "a" / "results.json").read_text())["results"]
    assert results["transit_network"] == "TMB" and results["scenario_trips_shifted"] == 26
    bare = runner.run_use_case(
        card, "ines", overrides={"territory": "villeneuve"}, out_dir=tmp_path / "b", block_network=True
    )
    assert bare.ok, bare.error
    data = json.loads((tmp_path / "b" / "results.json").read_text())
    assert data["results"]["kgco2e_per_month"] is None and data["results"]["trips"] > 100
    assert "villeneuve.yaml" in data["missing"]["kgco2e_per_month"]
    assert "villeneuve.yaml" in data["missing"]["bus_stops_near_home"]
