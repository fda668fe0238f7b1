"""Territories: a city is a description file (territories/<id>.yaml), validated, found by id or name, and
scaffolded by `selfdata territory new`; runs are filed under the territory their parameter names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from selfdata_lib import territories
from selfdata_lib.app import territory_tools
from selfdata_lib.app.cli import app
from selfdata_lib.app.gallery import _sections
from selfdata_lib.app.parameters import ParameterSpec, coerce_value
from selfdata_lib.app.usecases import list_use_cases
from selfdata_lib.errors import ParameterError

cli = CliRunner()
SEEDS = {"lyon": "Lyon", "nantes": "Nantes", "la-rochelle": "La Rochelle", "rennes": "Rennes"}


def _write(folder: Path, ident: str, **changes) -> Path:
    data = {
        "id": ident,
        "name": "Ville test",
        "country": "FR",
        "codes": {"insee_commune": "38185"},
        "bbox": [5.6, 45.1, 5.8, 45.3],
        "centre": [45.19, 5.72],
        "timezone": "Europe/Paris",
        "language": "fr",
        "open_data": {"energy_prices": {"dataset": "regulated-tariffs"}},
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    path = folder / f"{ident}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def own_folder(tmp_path, monkeypatch):
    """A living lab's own folder of territory files, on SELFDATA_TERRITORIES."""
    folder = tmp_path / "territoires"
    folder.mkdir()
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    return folder


def test_the_project_territories_are_valid_and_the_seeds_are_there():
    known = {t.id: t for t in territories.all_territories()}
    for ident, name in SEEDS.items():
        assert known[ident].name == name and known[ident].is_france
        lat, lon = known[ident].centre
        assert known[ident].contains(lat, lon)
    assert {"paris", "barcelona"} <= set(known)
    assert not known["barcelona"].is_france and known["barcelona"].timezone == "Europe/Madrid"
    for t in known.values():  # every dataset a territory names is in the catalogue
        from selfdata_lib.opendata import _catalog

        for kind, entry in t.open_data.items():
            if entry.get("dataset"):
                assert entry["dataset"] in _catalog.CATALOGUE, f"{t.id}.{kind}: {entry['dataset']}"


@pytest.mark.parametrize("given", ["La Rochelle", "la-rochelle", "LA ROCHELLE", "la rochelle"])
def test_get_accepts_an_id_or_a_name_in_any_case(given):
    assert territories.get(given).id == "la-rochelle"


def test_get_finds_aliases_and_suggests_the_closest_unknown_name():
    assert territories.get("Grand Paris").id == "paris"
    assert territories.get("Barcelona").id == "barcelona"
    with pytest.raises(territories.TerritoryError, match=r"inconnu « Lyonn ».*Vouliez-vous « lyon »"):
        territories.get("Lyonn")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"bbox": [5.8, 45.1, 5.6, 45.3]}, "ouest < est"),
        ({"bbox": [5.6, 45.1]}, "quatre nombres"),
        ({"centre": [5.72, 45.19]}, "hors de la bbox"),
        ({"timezone": "Europe/Grenoble"}, "timezone « Europe/Grenoble » inconnu"),
        ({"country": "France"}, "code pays ISO"),
        ({"name": None}, "« name » manquant"),
        ({"open_data": {"bike_shares": {"gbfs": "x"}}}, "vouliez-vous « bike_share »"),
        ({"open_date": {}}, "vouliez-vous « open_data »"),
        ({"codes": {"insee_commune": "381"}}, "code INSEE à 5 caractères"),
    ],
)
def test_a_wrong_territory_file_says_what_is_wrong_in_french(own_folder, changes, expected):
    path = _write(own_folder, "ville-test", **changes)
    with pytest.raises(territories.TerritoryError, match=expected) as err:
        territories.read_territory(path)
    assert "ville-test.yaml" in str(err.value)


def test_broken_yaml_names_the_line(own_folder):
    path = own_folder / "cassee.yaml"
    path.write_text("id: cassee\nname: [Cassée\ncountry: FR\n", encoding="utf-8")
    with pytest.raises(territories.TerritoryError, match=r"cassee.yaml, ligne \d+ : YAML invalide"):
        territories.read_territory(path)


def test_a_broken_file_is_left_out_and_said_not_fatal_to_the_others(own_folder):
    (own_folder / "cassee.yaml").write_text("id: cassee\nname: Cassée\n", encoding="utf-8")
    assert territories.get("lyon").name == "Lyon"  # the others still load
    assert "cassee" in territories.broken_files()
    with pytest.raises(territories.TerritoryError, match="cassee.yaml"):
        territories.get("cassee")  # asking for the broken one says what is wrong with it
    res = cli.invoke(app, ["territory", "list"])
    assert res.exit_code == 0 and "cassee" in res.output and "fichier invalide, ignoré" in res.output


def test_the_file_name_must_be_the_id(own_folder):
    path = _write(own_folder, "ville-test")
    path.rename(own_folder / "autre.yaml")
    with pytest.raises(territories.TerritoryError, match="doit s'appeler ville-test.yaml"):
        territories.read_territory(own_folder / "autre.yaml")


def test_a_living_labs_folder_adds_and_overrides_territories(own_folder):
    _write(own_folder, "ville-test")
    _write(own_folder, "lyon", name="Lyon (labo)", bbox=[4.7, 45.6, 5.0, 45.9], centre=[45.76, 4.83])
    assert territories.get("ville-test").name == "Ville test"
    assert territories.get("lyon").name == "Lyon (labo)"


def test_missing_kinds_say_where_to_get_them_by_country():
    paris, barcelona = territories.get("paris"), territories.get("barcelona")
    assert paris.source("water_reference") is None
    assert "coopérative" in paris.missing("water_reference")
    assert "transport.data.gouv.fr" in paris.missing("transit")
    assert "Mobility Database" in barcelona.missing("transit")  # not the French portal abroad
    with pytest.raises(territories.TerritoryError, match="type de données ouvertes inconnu"):
        paris.source("bikes")


def test_outside_says_how_far_a_place_is():
    lyon = territories.get("lyon")
    assert lyon.outside((45.75, 4.85)) is None
    note = lyon.outside((48.8566, 2.3522))
    assert note is not None and "391 km de Lyon" in note


def test_the_territory_parameter_takes_a_name_and_keeps_the_id():
    spec = ParameterSpec(name="territory", default="lyon", help="mon territoire", type="territory")
    assert coerce_value(spec, "La Rochelle", base=Path("."), given={}) == "la-rochelle"
    with pytest.raises(ParameterError, match="Vouliez-vous « paris »"):
        coerce_value(spec, "pariss", base=Path("."), given={})


def test_a_run_is_filed_under_the_territory_its_parameter_names():
    cards = [c for c in list_use_cases() if territory_tools.territorial(c)]
    if not cards:
        pytest.skip("no notebook takes a territory parameter yet")
    card = cards[0]
    assert card.territory_of({"territory": "paris"}) == "Paris"
    assert card.territory_of({}) == card.territory
    runs = [
        {"use_case": card.id, "territory": card.territory_of({"territory": "barcelona"})},
        {"use_case": card.id, "territory": "Lyon"},
        {"use_case": "x", "territory": "France"},
    ]
    order = [name for name, _ in _sections(runs)]
    assert order == ["France", "Lyon", "Barcelone"]


def test_scaffold_needs_a_centre_offline_and_writes_a_valid_french_territory(tmp_path):
    with pytest.raises(territory_tools.TerritoryToolError, match="--geocode"):
        territory_tools.scaffold("Grenoble", folder=tmp_path)
    path = territory_tools.scaffold("Saint-Étienne", centre=(45.4397, 4.3872), folder=tmp_path)
    assert path.name == "saint-etienne.yaml"
    t = territories.read_territory(path)
    assert t.is_france and t.contains(45.4397, 4.3872)
    assert t.dataset("energy_reference") == "enedis-residential-iris"  # national French sources
    assert t.source("bike_share") is None
    with pytest.raises(territory_tools.TerritoryToolError, match="existe déjà"):
        territory_tools.scaffold("Saint-Étienne", centre=(45.4397, 4.3872), folder=tmp_path)


def test_scaffold_geocodes_only_when_asked(tmp_path, monkeypatch):
    asked = []

    def fake_get_json(url, *, what, params=None, timeout=None):
        asked.append((url, params))
        return [{"lat": "51.05", "lon": "3.72", "boundingbox": ["51.0", "51.1", "3.6", "3.8"]}]

    from selfdata_lib import _http

    monkeypatch.setattr(_http, "get_json", fake_get_json)
    path = territory_tools.scaffold("Gent", country="BE", geocode=True, folder=tmp_path)
    t = territories.read_territory(path)
    assert asked and "nominatim" in asked[0][0] and asked[0][1]["countrycodes"] == "be"
    assert t.bbox == (3.6, 51.0, 3.8, 51.1) and t.timezone == "Europe/Brussels"
    assert t.open_data == {}  # no French national source abroad


def test_scaffold_geocoding_failures_are_said_in_french(tmp_path, monkeypatch):
    from selfdata_lib import _http
    from selfdata_lib.errors import DataUnavailableError

    def unreachable(url, *, what, params=None, timeout=None):
        raise DataUnavailableError(f"{what} ne répond pas")

    monkeypatch.setattr(_http, "get_json", unreachable)
    res = cli.invoke(
        app, ["territory", "new", "Gent", "--country", "BE", "--geocode", "--folder", str(tmp_path)]
    )
    assert res.exit_code == 1 and "Nominatim (OpenStreetMap) ne répond pas" in res.output
    assert not isinstance(res.exception, DataUnavailableError)
    monkeypatch.setattr(_http, "get_json", lambda url, **_: {"features": [{"geometry": None}]})
    with pytest.raises(territory_tools.TerritoryToolError, match="réponse inattendue de l'API Adresse"):
        territory_tools.scaffold("Grenoble", geocode=True, folder=tmp_path)
    assert not list(tmp_path.glob("*.yaml"))


def test_scaffold_overwrite_that_fails_keeps_the_previous_file(tmp_path):
    path = territory_tools.scaffold("Grenoble", centre=(45.1885, 5.7245), folder=tmp_path)
    before = path.read_bytes()
    with pytest.raises(territories.TerritoryError, match="hors de la bbox"):
        territory_tools.scaffold(
            "Grenoble", centre=(45.1885, 5.7245), bbox=(0.0, 0.0, 1.0, 1.0), folder=tmp_path, overwrite=True
        )
    assert path.read_bytes() == before


def test_matrix_and_missing_data_for_a_new_territory(own_folder):
    _write(own_folder, "ville-test")
    matrix = territory_tools.use_case_matrix()
    assert "Ville test" in matrix.columns and "lyon-water-district" in matrix.index
    assert matrix.loc["rennes-school-journey", "Rennes"] == "oui"
    assert matrix.loc["my-data-holders", "Barcelone"] == "non"  # a French national use case
    gaps = territory_tools.missing_data(territories.get("ville-test"))
    assert "bike_share" in set(gaps["kind"]) and "energy_prices" not in set(gaps["kind"])


def test_cli_territory_commands(own_folder):
    res = cli.invoke(app, ["territory", "list"])
    assert res.exit_code == 0 and "barcelona" in res.output and "rennes-school-journey" in res.output
    res = cli.invoke(app, ["territory", "show", "Barcelona"])
    assert (
        res.exit_code == 0
        and "Données ouvertes manquantes" in res.output
        and "energy_reference" in res.output
    )
    assert "hors ligne : gbfs-bicing" in res.output  # the bike share runs offline from a sample
    res = cli.invoke(app, ["territory", "new", "Gent", "--country", "BE"])
    assert res.exit_code == 1 and "--centre" in res.output
    new = [
        "territory",
        "new",
        "Gent",
        "--country",
        "BE",
        "--centre",
        "51.05,3.72",
        "--folder",
        str(own_folder),
    ]
    res = cli.invoke(app, new)
    assert res.exit_code == 0 and (own_folder / "gent.yaml").exists()
    assert "lyon-velov-route" in res.output  # what it can run, listed right away
    _write(own_folder, "ville-test", open_data={"energy_prices": {"dataset": "regulated-tarifs"}})
    res = cli.invoke(app, ["territory", "show", "ville-test"])
    assert res.exit_code == 0 and "jeu de données inconnu « regulated-tarifs »" in res.output
    assert "vouliez-vous « regulated-tariffs »" in res.output
    res = cli.invoke(app, ["territory", "show", "Gentt"])
    assert res.exit_code == 1 and "territoire inconnu" in res.output


def test_a_territory_read_once_is_handed_out_as_a_copy():
    lyon = territories.get("lyon")
    kind = next(iter(lyon.open_data))
    lyon.open_data[kind]["dataset"] = "changé par un appelant"
    assert territories.get("lyon").open_data[kind].get("dataset") != "changé par un appelant"
