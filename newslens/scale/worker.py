"""Worker-side set-up: how many torch threads a worker process may use, set once.

A machine running K worker processes of T task slots each must give each running shard
cores // (K x T) threads, or the shards fight over the cores. A Dask worker learns K and T
from the scheduler (the workers on its host); a Ray task gets the CPUs Ray assigned it; any
other process uses every core. An explicit NEWSLENS_TORCH_THREADS wins over all of them.
"""

from __future__ import annotations

import sys
from urllib.parse import urlparse

from newslens.threads import available_cores, limit_threads

_SET: dict[str, int | None] = {}


def _host(address: str) -> str:
    return urlparse(address).hostname or address


def dask_slots_on_host() -> int | None:
    """Task slots of every Dask worker on this worker's host, or None outside a Dask worker."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        worker = distributed.get_worker()
    except ValueError:
        return None
    here = _host(worker.address)
    info = worker.client.scheduler_info(n_workers=-1)
    slots = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()
                if w.get("host") == here)
    return max(slots, int(worker.state.nthreads))


def ray_cpus() -> int | None:
    """CPUs Ray assigned the running task, or None outside a Ray worker."""
    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return None
    cpus = ray.get_runtime_context().get_assigned_resources().get("CPU")
    return max(1, int(cpus)) if cpus else None


def worker_threads(requested: int | None = None) -> int:
    """The torch threads for a shard running in this process."""
    if requested:
        return requested
    if "slots" not in _SET:  # asked once per process: workers join, rarely on this host
        _SET["slots"] = dask_slots_on_host()
    slots = _SET["slots"]
    if slots:
        return max(1, available_cores() // slots)
    cpus = ray_cpus()
    return cpus if cpus else available_cores()


def prepare_worker(requested: int | None = None) -> int:
    """Set this process' torch threads (again only when the count changes); returns it."""
    threads = worker_threads(requested)
    if _SET.get("threads") != threads:
        _SET["threads"] = limit_threads(threads)
    return threads
