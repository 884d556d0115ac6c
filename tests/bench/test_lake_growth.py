"""`python -m bench.lake_growth --quick`: every figure is produced, for both layouts.

Values are not asserted (they are timings on a shared machine); what is checked is that both
lakes were written batch by batch, compacted where the layout can, and queried, and that the
two layouts hold the same rows.
"""

from __future__ import annotations

import json
import math

import pytest

from bench.lake_growth import main
from newslens.queries import EXAMPLE_QUERIES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    out = tmp_path_factory.mktemp("lake-growth") / "lake-growth.json"
    assert main(["--quick", "--json", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def test_every_figure_is_there_for_both_layouts(doc):
    figs = doc["figures"]
    for layout in ("ducklake", "legacy"):
        for key in ("batch_first_s", "batch_last_s", "growth_ratio", "growth_ratio_median3",
                    "files_after_compact_batch", "files_end"):
            assert _number(figs[f"{layout}_{key}"]), (layout, key, figs.get(f"{layout}_{key}"))
        for i in range(1, len(EXAMPLE_QUERIES) + 1):
            assert _number(figs[f"{layout}_query{i}_s"]), (layout, i)
            assert _number(figs[f"{layout}_query{i}_exec_s"]), (layout, i)
    for key in ("files_after_compact_batch_compacted", "files_end_compacted", "compact_s"):
        assert _number(figs[f"ducklake_{key}"]), key
        assert figs[f"legacy_{key}"] is None  # the old layout had no compaction
    assert figs["batches"] == doc["meta"]["batches"] == len(doc["details"]["ducklake"]["batch_s"])
    assert figs["lake_sentences"] >= doc["meta"]["sentences"]


def test_both_layouts_answer_the_queries_alike(doc):
    duck, legacy = doc["details"]["ducklake"], doc["details"]["legacy"]
    assert [q["rows"] for q in duck["queries"]] == [q["rows"] for q in legacy["queries"]]
    assert [q["rows"] for q in duck["queries_compacted"]] == [q["rows"] for q in duck["queries"]]
    assert all(q["rows"] > 0 for q in duck["queries"])


def test_compaction_leaves_fewer_files(doc):
    figs = doc["figures"]
    assert figs["ducklake_files_after_compact_batch_compacted"] < figs["ducklake_files_after_compact_batch"]
    assert figs["ducklake_files_end_compacted"] <= figs["ducklake_files_end"]
