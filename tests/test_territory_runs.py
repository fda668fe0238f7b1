"""Adding a territory needs no notebook change: a brand-new territory file, in a living lab's own folder, is
enough for every use case that takes a ``territory`` parameter to run there and be filed under it.

The new territory, « Ville nouvelle », borrows the open-data sources of an existing non-seed territory
(its GBFS system, its weather, its transit…) under a new id and name: nothing in the project knows it.
"""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml

from selfdata_lib import territories
from selfdata_lib.app import runner, territory_tools, usecases

pytestmark = pytest.mark.notebooks

TERRITORIAL = [c for c in usecases.list_use_cases() if territory_tools.territorial(c)]
# a preset that runs in a territory other than the card's own seed: the one to re-run in a new territory
ELSEWHERE = [
    (card.id, name, str(preset.parameters["territory"]))
    for card in TERRITORIAL
    for name, preset in card.presets.items()
    if preset.parameters.get("territory")
    and territories.get(str(preset.parameters["territory"])).name != card.territory
]
ELSEWHERE = list({card_id: (card_id, name, t) for card_id, name, t in ELSEWHERE}.values())


def _notebook_hashes() -> dict[str, str]:
    return {c.id: hashlib.sha256(c.notebook_path.read_bytes()).hexdigest() for c in TERRITORIAL}


@pytest.fixture
def new_territory(tmp_path, monkeypatch):
    """``ville-nouvelle``: a copy of a described territory under an id and a name nobody knows."""

    def make(source_id: str) -> str:
        source = territories.get(source_id)
        assert source.path is not None
        data = yaml.safe_load(source.path.read_text(encoding="utf-8"))
        data.update(id="ville-nouvelle", name="Ville nouvelle", aliases=[])
        folder = tmp_path / "territoires"
        folder.mkdir(exist_ok=True)
        (folder / "ville-nouvelle.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
        monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
        return "ville-nouvelle"

    return make


def test_some_use_cases_run_beyond_their_seed():
    assert ELSEWHERE, "no use case has a preset in a territory other than its own seed"


@pytest.mark.parametrize(("card_id", "preset", "borrowed"), ELSEWHERE, ids=[c for c, _, _ in ELSEWHERE])
def test_a_new_territory_file_is_enough(card_id, preset, borrowed, new_territory, tmp_path):
    before = _notebook_hashes()
    ident = new_territory(borrowed)
    card = usecases.get_use_case(card_id)
    outcome = runner.run_use_case(
        card, preset, out_dir=tmp_path / "run", block_network=True, overrides={"territory": ident}
    )
    assert outcome.ok, outcome.error
    data = json.loads((tmp_path / "run" / "results.json").read_text())
    assert data["territory"] == "Ville nouvelle"  # filed under its own territory in the gallery
    assert data["parameters"]["territory"] == ident
    assert data["headline"]
    assert _notebook_hashes() == before
