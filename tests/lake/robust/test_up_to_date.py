"""Runs bring every article up to date: missing stages are filled, stale ones redone, nothing else.

One lake goes through three runs of data/samples: ingest only; a full run, which must fill
every model stage of the stored articles and leave the lake equal to an uninterrupted full
run's; and a full run with another sentiment model, which must redo the sentiment stage of
every article and touch no other row. The run summaries (`runs.stage_counts`) must say so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslens.lake import read_table
from tests.lake.robust import lakecheck
from tests.lake.robust.conftest import run_samples
from tests.lake.robust.procs import SAMPLES, direct_run_cmd, run

pytestmark = pytest.mark.slow

N_STORED = 20
MODEL_STAGES = ("translate", "sentiment", "stance")


@pytest.fixture(scope="module")
def other_sentiment_model(tmp_path_factory) -> Path:
    """A second tiny sentiment model: same architecture, other weights, other id."""
    from newslens.models.tiny_encoders import build_tiny_xlmr_sentiment

    out = tmp_path_factory.mktemp("sentiment-b") / "tiny-sentiment-b"
    build_tiny_xlmr_sentiment(out, model_id="newslens-tests/tiny-sentiment-b", seed=7)
    return out


def _stage_counts(lake: Path, run_id: str) -> dict[str, dict[str, int]]:
    runs = read_table(lake, "runs").set_index("run_id")
    return json.loads(runs.loc[run_id, "stage_counts"])


def _expect(counts: dict[str, dict[str, int]], stage: str, **want: int) -> None:
    got = {k: counts[stage].get(k, 0) for k in want}
    assert got == want, (stage, counts[stage])
    assert counts[stage]["computed"] + counts[stage]["up_to_date"] + counts[stage].get("failed", 0) \
        == N_STORED, (stage, counts[stage])


def test_ingest_only_then_full_run_fills_every_stage_then_one_model_change(
        robust_env, reference, other_sentiment_model, tmp_path):
    lake = tmp_path / "lake"
    run_samples(robust_env, lake, "--stages", "ingest", name="ingest-only")
    empty = lakecheck.snapshot(lake)
    assert len(empty["articles"]) == N_STORED
    assert all(len(empty[t]) == 0 for t in ("sentiment", "stance", "stance_mentions"))
    assert empty["sentences"]["text_en"].isna().all()
    assert empty["articles"]["title_en"].isna().all()

    full = run_samples(robust_env, lake, name="fill").json_tail()
    counts = _stage_counts(lake, full["run_id"])
    for stage in MODEL_STAGES:
        _expect(counts, stage, new=0, missing=N_STORED, stale=0, computed=N_STORED, up_to_date=0)
    assert full["n_new"] == 0 and full["n_duplicate"] == 21
    problems = lakecheck.differences(lakecheck.snapshot(lake), reference.snap)
    assert not problems, "\n".join(problems)

    before = lakecheck.snapshot(lake, keep_volatile=True)
    env = {**robust_env.vars, "NEWSLENS_SENTIMENT_MODEL": str(other_sentiment_model)}
    changed = run(direct_run_cmd(str(SAMPLES), "--lake", str(lake)), env,
                  robust_env.log("sentiment-b")).json_tail()
    counts = _stage_counts(lake, changed["run_id"])
    _expect(counts, "sentiment", stale=N_STORED, missing=0, computed=N_STORED, up_to_date=0)
    for stage in ("translate", "stance"):
        _expect(counts, stage, computed=0, up_to_date=N_STORED)
    after = lakecheck.snapshot(lake, keep_volatile=True)
    for table in ("articles", "sentences", "stance", "stance_mentions", "rejects", "input_files"):
        problems = lakecheck.differences({table: after[table]}, {table: before[table]})
        assert not problems, (table, problems)
    old, new = before["sentiment"], after["sentiment"]
    assert len(new) == len(old) and not lakecheck.duplicate_keys({"sentiment": new})
    # The model column names the new model (its id, or its folder) on every row.
    assert len(set(new["model"])) == 1 and not set(new["model"]) & set(old["model"]), set(new["model"])
    assert set(new["run_id"]) == {changed["run_id"]}
    assert lakecheck.differences({"sentiment": new}, {"sentiment": old},
                                 ignore=("model", "model_revision", "run_id", "p_negative",
                                         "p_neutral", "p_positive", "score", "label",
                                         "share_negative", "share_positive")) == []
    assert (new["p_positive"] != old["p_positive"]).any(), "the other model gave the same output"
    stages_before = before["article_stages"].set_index(["article_id", "stage"])["fingerprint"]
    stages_after = after["article_stages"].set_index(["article_id", "stage"])["fingerprint"]
    differs = stages_before.ne(stages_after.reindex(stages_before.index))
    assert set(differs[differs].index.get_level_values("stage")) == {"sentiment"}
    assert differs[differs].size == N_STORED
    assert not lakecheck.stray_files(lake)

    settled = run(direct_run_cmd(str(SAMPLES), "--lake", str(lake)), env,
                  robust_env.log("settled")).json_tail()
    counts = _stage_counts(lake, settled["run_id"])
    for stage in MODEL_STAGES:
        _expect(counts, stage, computed=0, up_to_date=N_STORED)
    final = lakecheck.snapshot(lake, keep_volatile=True)
    assert not lakecheck.differences(final, after), "an up-to-date run changed rows"
