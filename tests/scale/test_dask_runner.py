"""`--runner dask` on a real Dask LocalCluster of two worker processes, with tiny models: the
same rows as the local runner in every table, each model loaded once per worker, a killed
worker's shard run again, a shard that keeps failing recorded as rejects."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("prefect_dask", reason="the scale extra (prefect-dask) is not installed")

from distributed import Client, LocalCluster  # noqa: E402

from newslens.lake import read_table  # noqa: E402
from newslens.tasks.shards import SHARD_RETRIES  # noqa: E402
from tests.scale.conftest import SHARD, lake_rows  # noqa: E402
from tests.scale.faults import KillOnce, PoisonShard  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setenv("NEWSLENS_TORCH_THREADS", "1")  # as the local run: identical arithmetic


@pytest.fixture(scope="module")
def cluster():
    """An existing cluster for `--address`: two worker processes of one task slot each."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as c, Client(c) as client:
        yield c.scheduler_address, client


def _flow_run(inbox, lake, models, **runner):
    from newslens.flows.analyze import analyze_articles

    return analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(models),
                            shard_articles=SHARD, **runner)


def test_a_cluster_started_for_the_run_gives_the_local_rows_and_loads_each_model_once(
        tmp_path, scale_inbox, tiny_models_dir, local_run, prefect_harness):
    _, local_summary, local_rows = local_run
    lake = tmp_path / "lake"
    result = _flow_run(scale_inbox, lake, tiny_models_dir, runner="dask", workers=2)
    assert result["status"] == "completed"
    assert lake_rows(lake) == local_rows
    for key in ("n_inputs", "n_new", "n_duplicate", "n_rejected", "n_sentences", "counts_by_lang"):
        assert result[key] == getattr(local_summary, key), key
    shards = result["shards"]
    n_articles = len(read_table(lake, "articles"))
    assert len(shards) == -(-n_articles // SHARD) >= 3
    by_worker: dict[str, list[dict]] = {}
    for report in shards:
        by_worker.setdefault(report["worker"], []).append(report)
    assert 1 <= len(by_worker) <= 2
    assert max(len(r) for r in by_worker.values()) >= 2  # a worker that ran several shards ...
    for reports in by_worker.values():
        last = reports[-1]["loads"]  # ... still loaded each of its models exactly once
        assert last and set(last.values()) == {1}, last
        assert {r["threads"] for r in reports} == {1}


def test_worker_threads_split_the_cores_between_the_workers_of_a_host(cluster, monkeypatch):
    from newslens.scale.worker import worker_threads
    from newslens.threads import available_cores

    _, client = cluster
    for address in client.scheduler_info()["workers"]:  # as a task on each worker, as shards run
        on = dict(workers=[address], pure=False, allow_other_workers=False)
        assert client.submit(worker_threads, **on).result() == max(1, available_cores() // 2)
        assert client.submit(worker_threads, 3, **on).result() == 3  # NEWSLENS_TORCH_THREADS wins


def test_a_worker_killed_mid_shard_has_its_shard_run_again(
        tmp_path, scale_inbox, tiny_models_dir, local_run, cluster, prefect_harness):
    address, client = cluster
    marks = tmp_path / "marks"
    marks.mkdir()
    before = set(client.scheduler_info()["workers"])
    client.register_plugin(KillOnce(str(marks), nth=2))
    try:
        lake = tmp_path / "lake"
        result = _flow_run(scale_inbox, lake, tiny_models_dir, runner="dask", address=address)
    finally:
        client.unregister_worker_plugin(KillOnce.name)
    killed_pid = int((marks / "killed").read_text())
    assert killed_pid not in set(client.run(os.getpid).values())  # gone, and replaced:
    assert set(client.scheduler_info()["workers"]) != before     # the nanny started a new one
    # The shard it was computing ran again: one sentiment call more than there are shards
    # (two if the lost worker also held a finished result the driver had not fetched yet).
    calls = len(list(marks.glob("call-*")))
    assert len(result["shards"]) + 1 <= calls <= len(result["shards"]) + 2
    assert result["status"] == "completed" and result["n_rejected"] == local_run[1].n_rejected
    assert lake_rows(lake) == local_run[2]


def test_a_shard_failing_every_retry_ends_as_rejects_and_the_others_land(
        tmp_path, scale_inbox, tiny_models_dir, local_run, cluster, prefect_harness):
    local_lake, local_summary, _ = local_run
    address, client = cluster
    articles = read_table(local_lake, "articles").sort_values("article_id")
    poison = articles["article_id"].iloc[0]
    marks = tmp_path / "marks"
    marks.mkdir()
    client.register_plugin(PoisonShard(str(marks), poison))
    try:
        lake = tmp_path / "lake"
        result = _flow_run(scale_inbox, lake, tiny_models_dir, runner="dask", address=address)
    finally:
        client.unregister_worker_plugin(PoisonShard.name)
    attempts = [p.read_text().split(",") for p in marks.glob("attempt-*")]
    assert len(attempts) == 1 + SHARD_RETRIES  # the first try and every retry
    shard = set(attempts[0])
    assert poison in shard and len(shard) == SHARD
    rejects = read_table(lake, "rejects")
    assert set(rejects["article_id"]) == shard
    assert set(rejects["stage"]) == {"sentiment"} and set(rejects["reason"]) == {"model_error"}
    assert result["status"] == "completed"
    assert result["n_rejected"] == local_summary.n_rejected + SHARD
    assert result["n_new"] + result["n_duplicate"] + result["n_rejected"] == result["n_inputs"]
    # Every other article landed whole, with exactly the local run's rows.
    stored = read_table(lake, "articles")
    assert set(stored["article_id"]) == set(articles["article_id"]) - shard
    kept = lambda rows: [r for r in rows if not any(a in r for a in shard)]  # noqa: E731
    local_rows = lake_rows(local_lake, ("sentences", "sentiment", "stance", "article_stages"))
    got = lake_rows(lake, ("sentences", "sentiment", "stance", "article_stages"))
    assert {t: kept(r) for t, r in local_rows.items()} == got
    # The files holding the rejected articles stay unread, so the next run tries them again.
    read = set(read_table(lake, "input_files")["source_uri"])
    assert not read & set(rejects["source_uri"])
