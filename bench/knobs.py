"""How a benchmark worker hands its configuration to newslens: the environment.

Workers configure newslens the way a user does, through `NEWSLENS_*` variables that
`Settings` reads, so the Prefect flow (which builds its own `Settings`) and the direct path
see one configuration, benchmark-mode decoding included (`bench.fixed_length`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bench import fixed_length
from newslens.config import Settings


def newslens_env(spec: dict[str, Any]) -> dict[str, str]:
    """`NEWSLENS_*` variables for a job spec (models, routes, precision, cache, device)."""
    env = {
        "NEWSLENS_MODELS_DIR": str(Path(spec["models_dir"]).absolute()),
        "NEWSLENS_CACHE_DIR": str(Path(spec["cache_dir"]).absolute()),
        "NEWSLENS_TARGETS_FILE": str(Path(spec["targets_file"]).absolute()),
        "NEWSLENS_DEVICE": spec.get("device", "cpu"),
        "NEWSLENS_ALLOW_DOWNLOAD": "false",
        "NEWSLENS_CLASSIFIER_PRECISION": spec.get("precision", "fp32"),
    }
    if spec.get("routes") is not None:
        env["NEWSLENS_TRANSLATION_ROUTES"] = json.dumps(spec["routes"])
        env["NEWSLENS_TRANSLATION_FALLBACK"] = spec["fallback"]
    if spec.get("ct2_compute_type"):
        env["NEWSLENS_CT2_COMPUTE_TYPE"] = spec["ct2_compute_type"]
    if spec.get("decode_ratio") is not None:
        env.update(fixed_length.env(spec["decode_ratio"]))
    return env


def check_decode_mode(ratio: float | None) -> str:
    """Say how the translate stage decodes: fixed lengths from the settings, or freely.
    Checks that the worker's settings carry the policy and ratio the job asked for."""
    if ratio is None:
        return "off"
    configured = Settings().translation_decode_policy
    found = os.environ.get(fixed_length.RATIO_ENV)
    if configured != fixed_length.POLICY_PATH or found is None or float(found) != ratio:
        raise RuntimeError(f"benchmark worker expected the fixed-length policy at ratio {ratio}, "
                           f"settings have {configured!r} at {found!r}: "
                           f"NEWSLENS_TRANSLATION_DECODE_POLICY / {fixed_length.RATIO_ENV} "
                           "not passed")
    return "settings"
