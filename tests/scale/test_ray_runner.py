"""`--runner ray`: a smoke test on a local Ray instance started for the run, with tiny models.

Skipped, with the reason, where the scale extra's Ray is not installed."""

from __future__ import annotations

import pytest

pytest.importorskip("prefect_ray", reason="prefect-ray (the scale extra) is not installed: "
                                          "pip install -e '.[scale]'")
pytest.importorskip("ray", reason="ray (the scale extra) is not installed: pip install -e '.[scale]'")

from tests.scale.conftest import SHARD, lake_rows  # noqa: E402

pytestmark = pytest.mark.slow


def test_a_local_ray_instance_gives_the_local_rows(tmp_path, scale_inbox, tiny_models_dir, local_run,
                                                    prefect_harness, monkeypatch):
    from newslens.flows.analyze import analyze_articles

    monkeypatch.setenv("NEWSLENS_TORCH_THREADS", "1")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    lake = tmp_path / "lake"
    result = analyze_articles(input=str(scale_inbox), lake=str(lake), models_dir=str(tiny_models_dir),
                              shard_articles=SHARD, runner="ray", workers=2)
    assert result["status"] == "completed"
    assert lake_rows(lake) == local_run[2]
    assert result["shards"] and all(set(r["loads"].values()) == {1} for r in result["shards"])
