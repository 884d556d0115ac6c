"""One place for what the CPU offers: how many threads the numeric libraries may use, and
which instruction-set extensions (bf16, VNNI) the precision choices depend on.

Torch, CTranslate2 and the tokenizers each default to one thread per core; with Prefect's
worker threads on top, a 2-core box gets oversubscribed. Runs call `limit_threads` once.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags of this machine (Linux `/proc/cpuinfo`), empty where unknown."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


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
