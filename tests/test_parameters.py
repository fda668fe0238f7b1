"""Notebook parameters: read from the parameters cell, typed by the card, described in French."""

from __future__ import annotations

import pytest

from selfdata_lib.app import parameters, usecases


def test_every_card_types_its_files_and_names_its_personal_parameters():
    for card in usecases.list_use_cases():
        specs = parameters.parameter_specs(card)
        for name, spec in specs.items():
            if name.endswith(("_export", "_folder", "_table", "_graph", "_rules")):
                assert spec.type in parameters.PATH_TYPES, (
                    f"{card.id}.{name} should be declared a file or folder"
                )
            if isinstance(spec.default, str) and "data/samples/personas" in spec.default:
                assert name in card.personal_parameters, f"{card.id}.{name} holds a persona's file"
        for name in card.personal_parameters:
            assert name in specs


def test_specs_come_from_the_cell_and_the_card():
    card = usecases.get_use_case("lyon-water-district")
    specs = parameters.parameter_specs(card)
    occupants = specs["occupants"]
    assert (occupants.type, occupants.default, occupants.min, occupants.mine) == ("integer", 2, 1, "required")
    assert occupants.help == "nombre de personnes du foyer"
    assert specs["geocode_online"].type == "boolean" and specs["price_eur_m3"].type == "number"
    assert "de 1 à 20" in occupants.describe()
    table = parameters.parameters_table(specs)
    assert table.count("\n") == len(specs) - 1 and "water_export" in table


def test_card_problems_name_unknown_parameters():
    cell = {"n": (1, "un nombre"), "f": ("", "un fichier")}
    assert parameters.spec_problems({"m": {"type": "file"}}, cell) == [
        "parameters.m: the notebook has no parameter 'm'"
    ]
    problems = parameters.spec_problems({"n": {"type": "weird", "colour": 1}, "f": {"auto_from": "g"}}, cell)
    assert any("unknown key" in p for p in problems) and any("type must be" in p for p in problems)
    assert any("no parameter 'g'" in p for p in problems)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("integer", "3", 3),
        ("integer", 3.0, 3),
        ("number", "3,5", 3.5),
        ("boolean", "oui", True),
        ("text", 441090901, "441090901"),
        ("place", " 45.7, 4.8 ", "45.7, 4.8"),
        ("hours", "23:00-07:00", "23:00-07:00"),
        ("date", "", ""),
        ("list", [15, 30], [15, 30]),
    ],
)
def test_values_are_coerced(kind, value, expected, tmp_path):
    spec = parameters.ParameterSpec("p", None, "aide", kind)
    assert parameters.coerce_value(spec, value, base=tmp_path, given={}) == expected


def test_keywords_are_accepted_whatever_the_case(tmp_path):
    spec = parameters.ParameterSpec("kva", 9, "puissance", "integer", choices=("auto",), min=3, max=36)
    assert parameters.coerce_value(spec, "AUTO", base=tmp_path, given={}) == "auto"
    with pytest.raises(parameters.ParameterError, match="de 3 à 36"):
        parameters.coerce_value(spec, 40, base=tmp_path, given={})
