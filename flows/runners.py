"""The task runner a run's shards go to: `local` (none: batches run in the flow's process),
`dask` or `ray`, on a cluster started for the run or an existing one at `address`."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from newslens.threads import available_cores

RUNNERS = ("local", "dask", "ray")
EXTRA_HINT = "install the scale extra: pip install -e '.[scale]'"


class RunnerOptionError(ValueError):
    """Runner options that do not fit together (bad input from the command line or a deployment)."""


def check_runner_options(runner: str, address: str | None, workers: int | None,
                         shard_articles: int | None) -> None:
    if runner not in RUNNERS:
        raise RunnerOptionError(f"unknown runner {runner!r}; choose from {', '.join(RUNNERS)}")
    if runner == "local" and (address or workers):
        raise RunnerOptionError("--address and --workers need --runner dask or ray")
    if address and workers:
        raise RunnerOptionError("--workers sizes a cluster started for the run; an existing "
                                "cluster at --address has its own workers")
    if workers is not None and workers < 1:
        raise RunnerOptionError(f"--workers must be at least 1, not {workers}")
    if shard_articles is not None and shard_articles < 1:
        raise RunnerOptionError(f"--shard-articles must be at least 1, not {shard_articles}")


def default_workers() -> int:
    return available_cores()


def make_task_runner(runner: str, address: str | None = None, workers: int | None = None) -> Any:
    """A Prefect task runner (not started) for `dask` or `ray`."""
    n = workers or default_workers()
    if runner == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RunnerOptionError(f"--runner dask needs prefect-dask: {EXTRA_HINT}") from exc
        if address:
            return DaskTaskRunner(address=address)
        # One task slot per worker process: a shard's torch threads use the worker's cores.
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    if runner == "ray":
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as exc:
            raise RunnerOptionError(f"--runner ray needs prefect-ray: {EXTRA_HINT}") from exc
        if address:
            return RayTaskRunner(address=address)
        return RayTaskRunner(init_kwargs={"num_cpus": n, "include_dashboard": False})
    raise RunnerOptionError(f"no task runner for {runner!r}")


@contextmanager
def api_for_workers() -> Iterator[None]:
    """Point the workers' Prefect client at the API this flow reports to.

    Without a configured server a flow runs against a temporary one started in this process;
    workers would each start their own. Its address goes into the settings that travel with
    every submitted task, so their task runs land beside the flow run's."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    with get_client(sync_client=True) as client:
        url = str(client.api_url)
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield


def cluster_slots(task_runner: Any) -> int:
    """Task slots of a started Dask or Ray task runner's cluster (at least 1)."""
    if hasattr(type(task_runner), "client"):  # DaskTaskRunner: its client, made on first use
        return max(1, sum(task_runner.client.nthreads().values()))
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)))
