"""Per-item outputs of an evaluation as JSON Lines, so a person can read the errors.

By default they go next to the lake, in `<lake parent>/evaluations/<run_id>-<task>-<dataset>.jsonl`
(kept out of the lake folder, which holds only lake tables); `--out FILE` puts them elsewhere.
Each line: the item (source line, inputs, gold) and the model's output (hypothesis or
predicted label with probabilities), plus a sentence chrF or a `correct` flag.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pandas as pd

from newslens.files import write_atomically


def default_items_path(lake: Path, run_id: str, task: str, dataset: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{run_id}-{task}-{dataset}")
    return Path(os.path.abspath(lake)).parent / "evaluations" / f"{safe}.jsonl"


def _plain(value: object) -> object:
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_items(path: Path, outputs: pd.DataFrame) -> Path:
    """Write one JSON object per item (temp file then rename: whole or not at all)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in outputs.to_dict(orient="records"):
                fh.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")

    write_atomically(path, write)
    return path
