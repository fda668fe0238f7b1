"""The fuzz suite: every importer against ≥ 1,000 generated bad inputs per format (tests/fuzz.py).

Every input ends as a frame whose accounting holds — read = kept + rejected, every rejection with a
reason, no infinite or negative meter reading kept, timestamps aware — or as an ExportFormatError
naming the file. No other exception, no hang. The counts are printed at the end of the run
(``pytest -rA`` or the terminal summary); ``make fuzz`` runs ten times as many inputs.
"""

from __future__ import annotations

import functools
import os
import warnings

import pytest
from export_seeds import GRDF_DAILY_ROWS, grdf_xlsx, seeds_by_format
from fuzz import FuzzCounts, fuzz_format, mutate_workbook

pytestmark = pytest.mark.fuzz
INPUTS = int(os.environ.get("SELFDATA_FUZZ_INPUTS", "1000"))
COUNTS: list[FuzzCounts] = []


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return seeds_by_format(tmp_path_factory.mktemp("seeds"))


def _formats():
    import tempfile
    from pathlib import Path

    return sorted(seeds_by_format(Path(tempfile.mkdtemp())))


@pytest.mark.parametrize("fmt_id", _formats())
def test_bad_inputs_end_in_accounting_or_a_clean_error(fmt_id, seeds, tmp_path):
    name, seed = seeds[fmt_id]
    mutator = (
        functools.partial(mutate_workbook, build=grdf_xlsx, rows=GRDF_DAILY_ROWS)
        if fmt_id == "grdf-xlsx"
        else None
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ofxtools and pandas warn about the very inputs we feed them
        counts = fuzz_format(
            fmt_id, seed, tmp_path, n=INPUTS, suffix="." + name.rsplit(".", 1)[-1], mutator=mutator
        )
    COUNTS.append(counts)
    assert counts.inputs >= INPUTS
    assert counts.ok > 0 and counts.clean_errors > 0, "the mutations should give both outcomes"
    assert not counts.failures, "\n".join(counts.failures[:10])
