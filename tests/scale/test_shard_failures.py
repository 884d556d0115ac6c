"""The shard path's books without a cluster: Prefect's thread-pool task runner stands in for
Dask, and a shard task that always fails stands in for a broken model."""

from __future__ import annotations

import pytest
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from newslens.config import STAGES, Settings
from newslens.lake import read_table
from newslens.pipeline.runner import run_pipeline
from newslens.tasks.shards import TaskRunnerShards


class BrokenModel(RuntimeError):
    pass


@task(retries=1, retry_delay_seconds=0, cache_policy=NO_CACHE)
def broken_shard(batch, plan, settings, *, run_id, started):
    raise BrokenModel("every shard fails")


def test_a_run_whose_every_shard_fails_fails_and_stores_no_article(tmp_path, scale_inbox,
                                                                   tiny_models_dir, prefect_harness):
    settings = Settings(lake=tmp_path / "lake", models_dir=tiny_models_dir, batch_articles=2)

    @flow
    def run():
        with ThreadPoolTaskRunner(max_workers=2) as runner:
            return run_pipeline(scale_inbox, settings, stages=list(STAGES),
                                shards=TaskRunnerShards(runner, in_flight=2, shard_task=broken_shard))

    with pytest.raises(BrokenModel):
        run()
    runs = read_table(settings.lake, "runs")
    assert list(runs["status"]) == ["failed"] and "BrokenModel" in runs["error"].iloc[0]
    assert len(read_table(settings.lake, "articles")) == 0
    assert len(read_table(settings.lake, "input_files")) == 0  # every file is read again next time
