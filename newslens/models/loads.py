"""How many times this process loaded each model: the per-process caches' own books.

The model caches (`get_translator`, `get_classifier`) call `record_load` when they build a
model, so a worker process can say what it loaded; with the caches working, every count is 1.
"""

from __future__ import annotations

import threading
from collections import Counter

_LOADS: Counter[str] = Counter()
_LOCK = threading.Lock()


def record_load(role: str, model_id: str) -> None:
    with _LOCK:
        _LOADS[f"{role}:{model_id}"] += 1


def load_counts() -> dict[str, int]:
    """`role:model_id` -> loads in this process so far."""
    with _LOCK:
        return dict(_LOADS)
