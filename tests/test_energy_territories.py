"""Energy and water for any territory (issue 24): the national Enedis reference, tariffs only where a
territory has a grid, weather from its station, the Datadis importer, the energy contribution, and the
water reference that falls back on the national figure — never on another territory's.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from selfdata_lib import exports, opendata, settings, territories
from selfdata_lib.analysis import energy, water
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata.energy import _REF_COLUMNS, ENEDIS_IRIS_DATASET

HEADER = "CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion\n"


def _datadis(tmp_path, body: str, name: str = "datadis.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# --- Datadis --------------------------------------------------------------------------------------------


def test_datadis_hours_end_the_interval_and_clock_changes_fall_into_place(tmp_path):
    spring = "".join(f"ES00X;30/03/2025;{h};0,100;R\n" for h in range(1, 24))  # 23 hours
    autumn = "".join(f"ES00X;26/10/2025;{h};0,200;R\n" for h in range(1, 26))  # 25 hours
    frame = exports.read(_datadis(tmp_path, spring + autumn))
    assert frame.attrs["format"] == "datadis-csv" and len(frame) == 48
    first = frame.iloc[0]
    assert (
        str(first["start"]) == "2025-03-30 00:00:00+01:00"
        and str(first["end"]) == "2025-03-30 01:00:00+01:00"
    )
    spring_rows = frame[frame["start"].dt.date == pd.Timestamp("2025-03-30").date()]
    assert str(spring_rows["start"].iloc[2]) == "2025-03-30 03:00:00+02:00"  # 02:00 does not exist
    autumn_rows = frame[frame["kwh"] == 0.2]
    assert autumn_rows["start"].is_unique and len(autumn_rows) == 25  # 02:00 twice, once per offset
    assert str(autumn_rows["end"].iloc[-1]) == "2025-10-27 00:00:00+01:00"
    assert frame["kwh"].sum() == pytest.approx(23 * 0.1 + 25 * 0.2)


def test_datadis_hour_past_the_day_end_is_rejected_not_shifted_onto_the_next_day(tmp_path):
    body = (
        "ES00X;01/01/2025;25;0,900;R\n"  # no 25th hour on an ordinary day
        "ES00X;02/01/2025;1;0,100;R\n"
        "ES00X;30/03/2025;24;0,900;R\n"  # the spring day has 23 hours
        "ES00X;31/03/2025;1;0,200;R\n"
    )
    frame = exports.read(_datadis(tmp_path, body))
    rep = frame.attrs["import_report"]
    assert frame["kwh"].tolist() == [0.1, 0.2]  # the real first hours are kept
    assert rep["rejected_by_reason"] == {"heure au-delà de la fin de la journée": 2}
    assert [i["where"] for i in rep["issues"]] == ["ligne 2", "ligne 4"]


def test_datadis_own_layout_and_bad_rows_are_rejected_with_their_line(tmp_path):
    body = (
        '"ES00X";"2025/01/01";"01:00";"0,250";"Real"\n'
        '"ES00X";"2025/01/01";"02:00";"";"Real"\n'
        '"ES00X";"2025/01/01";"03:00";"-1,0";"Real"\n'
        '"ES00X";"2025/01/01";"99:00";"0,1";"Real"\n'
        '"ES00X";"2025/01/01";"01:00";"0,3";"Real"\n'
        '"ES00Y";"2025/01/01";"04:00";"0,3";"Real"\n'
        '"ES00X";"2025/01/01";"05:00";"abc";"Real"\n'
        '"ES00X";"2025/01/01";"06:00";"0,5";"Estimada"\n'
    )
    path = tmp_path / "d.csv"
    path.write_text("cups;fecha;hora;consumo_kWh;metodoObtencion\n" + body, encoding="utf-8")
    frame = exports.read(path, kind="electricity")
    rep = frame.attrs["import_report"]
    assert rep["rows_read"] == 8 and rep["rows_kept"] == 2
    assert rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    reasons = set(rep["rejected_by_reason"])
    assert {
        "pas de valeur (mesure manquante)",
        "consommation négative ou infinie",
        "heure en double",
    } <= reasons
    assert "autre point de livraison que celui gardé" in reasons
    assert any(i["where"] == "ligne 3" for i in rep["issues"])
    assert frame["estimated"].tolist() == [False, True]


def test_datadis_header_error_names_the_file(tmp_path):
    path = tmp_path / "pas_datadis.csv"
    path.write_text("Fecha;Valor\n01/01/2025;1\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="pas_datadis.csv: ligne 1"):
        exports.read_datadis_csv(path)


def test_jordi_datadis_export_is_a_year_of_hours():
    frame = exports.read(settings.personas_folder / "jordi" / "datadis_consumo_horario_2025.csv")
    assert frame.attrs["format"] == "datadis-csv" and len(frame) == 8760
    use = energy.consumption(frame)
    assert use.days_covered == 365 and 3600 < use.annual_kwh < 4800


# --- The national Enedis reference ---------------------------------------------------------------------------


def test_reference_for_paris_comes_from_my_iris_commune(isolated_settings):
    ref = opendata.energy_reference_for("paris", iris="751114301")
    assert set(ref["commune"]) == {"75111"} and ref.attrs["provenance"]["sample"]
    pos = energy.reference_position(3000.0, ref, iris="751114301", home="48.8575,2.38", territory="paris")
    assert pos.iris_mean_kwh == pytest.approx(2400) and pos.iris_ratio == pytest.approx(1.25)
    assert pos.area_name == "Paris 11e Arrondissement" and pos.territory_note is None
    # the Nantes rows of the same sample never enter Paris's area
    assert pos.area_mean_kwh < 2600


def test_reference_for_lyon_comes_from_my_arrondissement(isolated_settings):
    ref = opendata.energy_reference_for("lyon", iris="693870201")  # Camille, Jean Macé (Lyon 7e)
    assert set(ref["commune"]) == {"69387"} and len(ref) == 5 and ref.attrs["provenance"]["sample"]
    pos = energy.reference_position(5600.0, ref, iris="693870201", home="45.7457,4.8425", territory="lyon")
    assert pos.iris_mean_kwh == pytest.approx(2800) and pos.iris_ratio == pytest.approx(2.0)
    assert pos.area_name == "Lyon 7e Arrondissement" and 2800 < pos.area_mean_kwh < 2950


def test_a_commune_the_offline_data_lacks_says_how_to_get_it(isolated_settings):
    ref = opendata.energy_reference_for("rennes")
    assert (
        ref is not None and ref.empty and "live" in ref.attrs["missing"] and "35238" in ref.attrs["missing"]
    )
    pos = energy.reference_position(3000.0, ref, territory="rennes")
    figures = pos.figures()
    assert figures["reference_ratio"].value is None and "live" in figures["reference_ratio"].reason


def test_outside_france_there_is_no_reference_and_it_is_said(isolated_settings):
    assert opendata.energy_reference_for("barcelona") is None
    pos = energy.reference_position(4000.0, None, territory="barcelona")
    reason = pos.figures()["reference_ratio"].reason
    assert "Barcelone" in reason and "barcelona.yaml" in reason
    assert pos.year is None and pos.area_ratio is None


def test_live_reference_asks_enedis_for_my_commune_only_and_caches_it(
    isolated_settings, local_http, monkeypatch
):
    rows = [";".join(_REF_COLUMNS), "2023;311550101;Capitole (test);31555;Toulouse;1000;2500.0;2.50"]
    route = f"/api/{ENEDIS_IRIS_DATASET}/exports/csv"
    local_http.routes[route] = ("text/csv", ("\n".join(rows) + "\n").encode())
    monkeypatch.setenv("SELFDATA_ENEDIS_ODS_URL", f"{local_http.url}/api")
    ref = opendata.residential_reference_for(["31555"], source="live")
    assert list(ref["iris"]) == ["311550101"] and ref["mean_mwh"].iloc[0] == pytest.approx(2.5)
    assert len(local_http.requests) == 1 and "code_commune%3D%2231555%22" in local_http.requests[0]
    again = opendata.residential_reference_for(["31555"], source="live")
    assert len(again) == 1 and len(local_http.requests) == 1  # cached per commune
    opendata.fetch_residential_reference("31069")  # a second commune: the folder's provenance keeps both
    record = json.loads(
        (settings.cache_folder / "opendata" / "enedis-residential-iris" / "_provenance.json").read_text()
    )
    assert [k[-9:] for k in sorted(record["live_urls"])] == ["31069.csv", "31555.csv"]
    assert "31555" in record["live_urls"][f"{ENEDIS_IRIS_DATASET}_31555.csv"]
    with pytest.raises(DataUnavailableError, match="not-a-code"):
        opendata.fetch_residential_reference("not-a-code")


def test_a_new_territory_needs_no_notebook_change(isolated_settings, tmp_path, monkeypatch):
    folder = tmp_path / "territories"
    folder.mkdir()
    (folder / "toulouse.yaml").write_text(
        'id: toulouse\nname: Toulouse\ncountry: FR\ncodes: {insee_commune: "31555"}\n'
        "bbox: [1.35, 43.53, 1.52, 43.67]\ncentre: [43.6045, 1.4440]\ntimezone: Europe/Paris\nlanguage: fr\n"
        "open_data:\n  energy_reference: {dataset: enedis-residential-iris}\n"
        "  energy_prices: {dataset: regulated-tariffs}\n",
        encoding="utf-8",
    )
    (folder / "nulle-part.yaml").write_text(
        "id: nulle-part\nname: Nulle part\ncountry: FR\nbbox: [0, 0, 1, 1]\ncentre: [0.5, 0.5]\n"
        "timezone: Europe/Paris\nlanguage: fr\nopen_data: {}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    assert opendata.energy.reference_communes("toulouse") == ["31555"]
    tariffs, tempo = opendata.tariffs_for("toulouse")
    assert tariffs is not None and tempo is not None
    climate = opendata.climate_for("2025-01-01", "2025-12-31", territory="toulouse")
    assert climate.weather is None  # no hourly dataset described: the normals of the nearest station, if any
    # a territory file with nothing for energy: clear French messages, no crash
    assert opendata.energy_reference_for("nulle-part") is None
    assert "nulle-part.yaml" in opendata.reference_missing("nulle-part")
    assert opendata.tariffs_for("nulle-part") == (None, None)


# --- Tariffs, weather, the contribution ---------------------------------------------------------------------------


def _flat_use(days: int = 30, kwh: float = 0.5) -> energy.Consumption:
    start = pd.date_range("2025-01-01", periods=days * 24, freq="h", tz="Europe/Madrid")
    curve = pd.DataFrame({"start": start, "end": start + pd.Timedelta(hours=1), "kwh": kwh})
    return energy.consumption(curve)


def test_no_tariff_grid_is_said_and_skipped():
    use = _flat_use()
    prices = energy.compare_regulated_tariffs(use, None, None, kva=6, territory="barcelona")
    figures = prices.figures()
    assert (
        figures["best_tariff"].value is None and "pas de grille de référence" in figures["best_tariff"].reason
    )
    assert figures["cost_base_eur"].value is None and prices.costs.empty
    power = energy.power_profile(use, 6)
    heat = energy.heating(use, None)
    reading = energy.interpret(
        use, power, heat, prices, energy.reference_position(use, None, territory="barcelona")
    )
    text = str(reading)
    assert "Pas de comparaison de tarifs" in text and "Pas de comparaison avec les logements" in text


def test_regulated_tariffs_still_price_a_french_curve(isolated_settings):
    use = _flat_use()
    tariffs, tempo = opendata.tariffs_for("paris")
    prices = energy.compare_regulated_tariffs(use, tariffs, tempo, kva=6, territory="paris")
    assert prices.reason is None and prices.figures()["cost_base_eur"].value > 0


def test_weather_comes_from_each_territory_station(isolated_settings):
    barcelona = opendata.climate_for("2025-01-01", "2025-12-31", territory="barcelona")
    assert barcelona.weather is None and barcelona.normals.attrs["name"] == "Barcelona Aeropuerto"
    assert barcelona.normals[1] > 9 and barcelona.normals[8] > 24
    paris = opendata.climate_for("2025-01-01", "2025-12-31", "48.8575,2.38", territory="paris")
    assert paris.weather is None and paris.normals.attrs["name"] == "Paris-Montsouris"
    nantes = opendata.climate_for("2024-01-01", "2024-12-31", territory="nantes")
    assert nantes.weather is not None and nantes.normals.attrs["name"] == "Nantes-Bouguenais"
    # a Nantes home asking for Paris's territory gets no Nantes hourly weather passed off as Paris's
    far = opendata.climate_for("2024-01-01", "2024-12-31", "48.8575,2.38", territory="nantes")
    assert far.weather is None


def test_energy_contribution_is_one_clamped_figure_with_its_iris_and_period():
    use = _flat_use(days=30, kwh=5.0)  # 120 kWh a day: 43,800 kWh a year, above the bound
    position = energy.ReferencePosition(use.annual_kwh, 2023, 2400.0, iris="751114301")
    contribution = energy.cooperative_contribution(use, position)
    payload = contribution.figures()["shared_payload"].value
    assert payload == {"iris": "751114301", "annual_kwh": 30000.0, "period": "2025-01-01/2025-01-30"}
    assert contribution.receipt.payload == payload and "IRIS" in contribution.receipt.purpose
    assert energy.cooperative_contribution(_flat_use(), "not an iris").payload["iris"] is None


def test_cooperative_reference_not_published_is_said(isolated_settings):
    assert opendata.energy_reference_for("nantes", reference="cooperative") is None
    pos = energy.reference_position(3000.0, None, territory="nantes", kind="cooperative")
    assert "coopérative" in pos.figures()["reference_ratio"].reason


def test_cooperative_release_in_a_snapshot_is_read_like_enedis(isolated_settings, tmp_path, monkeypatch):
    snap = tmp_path / "snap" / "cooperative-energy-reference"
    snap.mkdir(parents=True)
    rows = [";".join(_REF_COLUMNS), "2025;441090901;Doulon Bourg;44109;Nantes;40;200.0;5.00"]
    (snap / f"{ENEDIS_IRIS_DATASET}_44109.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(settings, "opendata_paths", [tmp_path / "snap"])
    ref = opendata.energy_reference_for("nantes", iris="441090901", reference="cooperative")
    pos = energy.reference_position(6000.0, ref, iris="441090901", territory="nantes", kind="cooperative")
    assert pos.iris_mean_kwh == pytest.approx(5000) and pos.year == 2025


# --- Water ----------------------------------------------------------------------------------------------------------


def test_water_without_a_territory_reference_compares_with_the_national_figure_only(isolated_settings):
    national = opendata.water_reference(territory="paris")
    assert (
        national.attrs["national"] and national.attrs["provenance"]["dataset"] == "water-national-reference"
    )
    districts = opendata.districts_for("paris")  # its IRIS (the project's sample): a map, no reference
    assert "missing" not in districts.attrs and "751114301" in set(districts["iris"])
    where = water.find_district("auto", districts, home="48.8575,2.38")
    assert where.district == "Roquette - Léon Blum (exemple)"
    ref = water.compare_with_district(110.0, where, national)
    assert ref.median is None and "moyenne nationale" in ref.reason and "Lyon" not in ref.source
    assert ref.figures()["national_litres_per_person_day"].value == 148.0
    lyon = opendata.water_reference(territory="lyon")
    assert lyon is not None and "district" in lyon.columns


def test_every_territory_file_loads_with_its_energy_and_water_answers(isolated_settings):
    for place in territories.all_territories():
        missing = opendata.reference_missing(place)
        assert (missing is None) == place.is_france, place.id
        tariffs, _ = opendata.tariffs_for(place)
        assert (tariffs is not None) == place.is_france, place.id


def test_an_empty_reference_without_a_reason_still_says_why():
    import pandas as pd

    from selfdata_lib.analysis import energy as energy_analysis

    empty = pd.DataFrame(columns=["year", "total_mwh", "sites"])
    pos = energy_analysis.reference_position(5000.0, empty, territory="paris")
    assert pos.reason == "la référence chargée ne contient aucune ligne pour Paris"
