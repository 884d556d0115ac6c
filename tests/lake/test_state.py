"""Stage lineage: fingerprints, and the verdict per article and stage (pure functions)."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens.lake.state import STAGES, StageSpec, declare_stage, fingerprint, plan_stages


@pytest.fixture
def toy_stages(monkeypatch: pytest.MonkeyPatch):
    """Two toy stages: `clean` (a rules version) and `score`, which reads clean's output."""
    monkeypatch.setattr("newslens.lake.state.STAGES", {})
    declare_stage(StageSpec("clean", ("articles",), lambda cfg, lang: {"rules": cfg["rules"]}))
    declare_stage(StageSpec("score", ("sentiment",), lambda cfg, lang: {"model": cfg["model"], "lang": lang},
                            upstream=lambda cfg: ("clean",)))


def _articles(*rows: tuple[str, str, bool]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "lang", "is_new"])


def _stored(plans) -> dict[tuple[str, str], str]:
    return {(a, s): p.expected[a].fingerprint for s, p in plans.items() for a in p.verdicts}


def test_fingerprint_ignores_key_order() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_new_missing_up_to_date_and_forced(toy_stages) -> None:
    cfg = {"rules": 1, "model": "m1"}
    arts = _articles(("n", "it", True), ("s", "de", False))
    first = plan_stages(arts.assign(is_new=True), ["clean", "score"], cfg, {})
    stored = _stored(first)
    plans = plan_stages(arts, ["clean", "score"], cfg, stored)
    assert plans["clean"].verdicts == {"n": "new", "s": "up_to_date"}
    del stored[("s", "score")]
    plans = plan_stages(arts, ["score"], cfg, stored, reprocess=["clean"])
    assert plans["score"].verdicts == {"n": "new", "s": "missing"}
    plans = plan_stages(arts, ["clean", "score"], cfg, _stored(first), reprocess=["clean"])
    assert plans["clean"].verdicts["s"] == "reprocessed"
    assert plans["score"].verdicts["s"] == "up_to_date"  # same rules: same upstream fingerprint


def test_changing_one_setting_makes_exactly_its_stage_stale(toy_stages) -> None:
    arts = _articles(("a", "it", False), ("b", "de", False))
    stored = _stored(plan_stages(arts.assign(is_new=True), ["clean", "score"], {"rules": 1, "model": "m1"}, {}))
    plans = plan_stages(arts, ["clean", "score"], {"rules": 1, "model": "m2"}, stored)
    assert set(plans["clean"].verdicts.values()) == {"up_to_date"}
    assert set(plans["score"].verdicts.values()) == {"stale"}
    assert plans["score"].counts()["stale"] == 2 and plans["score"].to_compute() == ["a", "b"]


def test_redoing_an_upstream_stage_makes_its_readers_stale(toy_stages) -> None:
    arts = _articles(("a", "it", False))
    stored = _stored(plan_stages(arts.assign(is_new=True), ["clean", "score"], {"rules": 1, "model": "m"}, {}))
    plans = plan_stages(arts, ["clean", "score"], {"rules": 2, "model": "m"}, stored)
    assert (plans["clean"].verdicts["a"], plans["score"].verdicts["a"]) == ("stale", "stale")
    only_score = plan_stages(arts, ["score"], {"rules": 2, "model": "m"}, stored)
    assert only_score["score"].verdicts["a"] == "up_to_date"  # clean not redone: its output unchanged


def test_unknown_stage_is_named(toy_stages) -> None:
    with pytest.raises(ValueError, match="no declared stage"):
        plan_stages(_articles(("a", "it", True)), ["translate-ish"], {}, {})


def test_the_model_stages_are_declared() -> None:
    import newslens.pipeline.lineage  # noqa: F401

    assert {"translate", "sentiment", "stance"} <= set(STAGES)
    assert STAGES["stance"].tables == ("stance_mentions", "stance")
