"""How a benchmark worker hands its configuration to newslens: the environment.

Workers configure newslens the way a user does, through `NEWSLENS_*` variables that
`Settings` reads, so the Prefect flow (which builds its own `Settings`) and the direct path
see one configuration, benchmark-mode decode length included.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

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
        env["NEWSLENS_TRANSLATION_DECODE_LENGTH_RATIO"] = str(spec["decode_ratio"])
    return env


def apply_decode_ratio(ratio: float | None) -> str:
    """Say how the translate stage decodes: fixed lengths from the environment, or freely.
    Checks that the worker's settings carry the ratio the job asked for."""
    if ratio is None:
        return "off"
    configured = Settings().translation_decode_length_ratio
    if configured != ratio:
        raise RuntimeError(f"benchmark worker expected decode ratio {ratio}, settings have "
                           f"{configured}: NEWSLENS_TRANSLATION_DECODE_LENGTH_RATIO not passed")
    return "settings"


def load_env_settings(**overrides: Any) -> Settings:
    """Settings as the flow builds them: environment plus explicit overrides."""
    from newslens.config import load_settings

    return load_settings(**overrides)


def apply_env(env: dict[str, str]) -> None:
    os.environ.update(env)
