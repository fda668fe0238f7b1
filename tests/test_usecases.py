"""Use-case cards: every committed card is valid, wrong cards get a clear error."""

from __future__ import annotations

import pytest
import yaml

from selfdata_lib.app import usecases
from selfdata_lib.errors import UseCaseCardError


def test_every_committed_card_is_valid_and_has_a_preset_per_persona():
    cards = usecases.list_use_cases()
    assert cards, "the project has at least the start-here notebook"
    for card in cards:
        assert card.notebook_path.is_file()
        assert card.presets
        for preset in card.presets.values():
            if preset.persona:
                from selfdata_lib import settings

                assert (settings.personas_folder / preset.persona).is_dir(), preset.persona


def _write(tmp_path, data):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('# parameters\nn = 1  # un nombre\nmy_file = ""  # mon export')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "x.ipynb")
    path = tmp_path / "use_case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_wrong_card_lists_every_problem_with_the_file(tmp_path):
    path = _write(
        tmp_path,
        {
            "id": "Bad Id",
            "territory": "Atlantis",
            "title": "t",
            "question": "q",
            "notebook": "missing.ipynb",
            "presets": {"p": {"parameters": [1]}},
        },
    )
    with pytest.raises(UseCaseCardError) as err:
        usecases.load_card(path)
    msg = str(err.value)
    assert str(path) in msg
    for needle in (
        "id 'Bad Id'",
        "territory must be one of",
        "notebook 'missing.ipynb'",
        "presets.p.parameters must be a mapping",
    ):
        assert needle in msg


def test_a_good_card_loads(tmp_path):
    path = _write(
        tmp_path,
        {
            "id": "ok-card",
            "title": "T",
            "territory": "Lyon",
            "question": "Q?",
            "notebook": "x.ipynb",
            "open_data": ["lyon-arrondissements"],
            "personal_data": [{"kind": "water", "parameter": "my_file", "formats": ["water-csv"]}],
            "parameters": {"my_file": {"type": "file"}},
            "results": {"n": {"min": 0, "label": "Un nombre"}},
            "presets": {"a": {"parameters": {"n": 1}, "expect": {"n": {"min": 0}}}, "b": {}},
        },
    )
    card = usecases.load_card(path)
    assert card.preset().name == "a" and card.preset("b").parameters == {}
    with pytest.raises(UseCaseCardError, match="Ses préréglages : a, b"):
        card.preset("c")


def test_not_yaml_is_a_card_error(tmp_path):
    path = tmp_path / "use_case.yaml"
    path.write_text("id: [unclosed")
    with pytest.raises(UseCaseCardError, match="not valid YAML"):
        usecases.load_card(path)


@pytest.mark.parametrize(
    ("actual", "check", "ok"),
    [
        (3, 3, True),
        (3, 4, False),
        (5.0, {"min": 1, "max": 10}, True),
        (11, {"max": 10}, False),
        (None, {"min": 1}, False),
        (100.0, {"approx": 101, "rel": 0.02}, True),
        (100.0, {"approx": 110, "rel": 0.02}, False),
        ("osm", {"in": ["osm", "straight-line"]}, True),
        (None, {"not_null": True}, False),
    ],
)
def test_check_expectation(actual, check, ok):
    assert (usecases.check_expectation("x", actual, check) is None) is ok


def test_a_card_is_validated_again_as_soon_as_it_or_its_territories_change(tmp_path, monkeypatch):
    data = {"id": "ok-card", "title": "T", "territory": "Lyon", "question": "Q?", "notebook": "x.ipynb",
            "presets": {"a": {}}}  # fmt: skip
    path = _write(tmp_path, data)
    parsed = []
    real_parse = usecases.parse_card
    monkeypatch.setattr(usecases, "parse_card", lambda *a: parsed.append(a) or real_parse(*a))
    first = usecases.load_card(path)
    again = usecases.load_card(path)
    assert len(parsed) == 1 and again == first  # unchanged: validated once
    again.presets["a"].parameters["n"] = 2  # a caller's change stays its own
    assert usecases.load_card(path).presets["a"].parameters == {}
    path.write_text(yaml.safe_dump({**data, "title": "Nouveau titre"}, allow_unicode=True))
    assert usecases.load_card(path).title == "Nouveau titre"
    path.write_text(yaml.safe_dump({**data, "territory": "Ville nouvelle"}, allow_unicode=True))
    with pytest.raises(UseCaseCardError, match="territory must be one of"):
        usecases.load_card(path)
    folder = tmp_path / "territories"
    folder.mkdir()
    from selfdata_lib import territories

    lyon = (territories.get("lyon").path).read_text(encoding="utf-8")
    (folder / "ville-nouvelle.yaml").write_text(
        lyon.replace("id: lyon", "id: ville-nouvelle").replace("name: Lyon", "name: Ville nouvelle"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    assert usecases.load_card(path).territory == "Ville nouvelle"  # a new territory file is seen at once
