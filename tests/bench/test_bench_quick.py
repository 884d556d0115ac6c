"""`newslens bench --quick` end to end on tiny models: every figure present and numeric.

Timings are not asserted: they depend on the machine and its load. The test checks that one
run of the benchmark goes through every job (stages, newslens flow and direct path, naive
baseline, synthetic lake) and reports every figure it promises.
"""

from __future__ import annotations

import json
import math

import pytest

from bench.report import figure_keys
from bench.run import main
from newslens.models.classify import PRECISIONS
from newslens.queries import EXAMPLE_QUERIES

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory, tiny_models_dir):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    code = main(["--quick", "--models", str(tiny_models_dir), "--articles", "2",
                 "--naive-articles", "1", "--lake-sentences", "3000", "--json", str(out)])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_exits_cleanly(quick_result):
    code, _ = quick_result
    assert code == 0


def test_every_figure_is_present_and_numeric(quick_result):
    _, doc = quick_result
    figures = doc["figures"]
    for key in figure_keys(len(EXAMPLE_QUERIES)):
        assert key in figures, key
        value = figures[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value), (key, value)
    assert figures["speedup"] > 0
    assert figures["lake_sentences"] >= 3000


def test_targets_and_table_match_the_figures(quick_result):
    _, doc = quick_result
    assert set(doc["met"]) <= set(doc["figures"])
    assert [row["figure"] for row in doc["table"]]  # the printed table, row by row
    assert doc["meta"]["quick"] is True
    chosen = doc["meta"]["classifier_precision"]  # measured `auto`, per classifier stage
    assert set(chosen) == {"sentiment", "stance"} and set(chosen.values()) <= set(PRECISIONS)
    # The end-to-end run used the product default, which is what the stage rows describe.
    assert doc["details"]["newslens"]["precision"] == "auto"
    assert doc["details"]["newslens"]["precision_in_use"] == doc["meta"]["classifier_precision"]
    assert doc["details"]["newslens"]["decode_mode"] == "settings"
    # --quick interleaves two direct and two flow runs, one article each.
    for path in ("direct", "flow"):
        run = doc["details"]["newslens"][path]
        assert (run["runs"], run["articles"], run["status"]) == (2, 2, "completed")
    for stage in ("sentiment", "stance"):
        assert "fp32" in doc["details"]["stages"]["classifiers"][stage]
