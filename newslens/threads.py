"""One place that decides how many threads the numeric libraries may use.

Torch, CTranslate2 and the tokenizers each default to one thread per core; with Prefect's
worker threads on top, a 2-core box gets oversubscribed. Runs call `limit_threads` once.
"""

from __future__ import annotations

import os


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def limit_threads(requested: int | None = None) -> int:
    """Set torch's intra- and inter-op pools; returns the thread count chosen."""
    threads = requested or available_cores()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch

    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # can only be set before the first parallel op in a process
        pass
    return threads
