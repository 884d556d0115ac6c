"""How a benchmark worker hands its configuration to newslens: environment and two hooks.

Workers configure newslens the way a user does, through `NEWSLENS_*` variables that
`Settings` reads, so the Prefect flow (which builds its own `Settings`) and the direct path
see one configuration. The fixed decode length of benchmark mode needs a setting the core
may not have yet; without one, the worker wraps the translator factory the model stage calls.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from newslens.config import Settings

# Settings field that the core may grow for benchmark mode; checked by name at run time.
DECODE_RATIO_FIELDS = ("translation_decode_length_ratio", "decode_length_ratio")


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
    field = decode_ratio_field()
    if field and spec.get("decode_ratio") is not None:
        env[f"NEWSLENS_{field.upper()}"] = str(spec["decode_ratio"])
    return env


def decode_ratio_field() -> str | None:
    """The Settings field for benchmark-mode decode length, if the core has one."""
    for name in DECODE_RATIO_FIELDS:
        if name in Settings.model_fields:
            return name
    return None


def apply_decode_ratio(ratio: float | None) -> str:
    """Make the translate stage decode `ratio` x source tokens; says how it was done."""
    if ratio is None:
        return "off"
    if decode_ratio_field():
        return "settings"
    from newslens.pipeline import model_steps

    original = getattr(model_steps.get_translator, "__wrapped__", model_steps.get_translator)
    model_steps.get_translator = functools.wraps(original)(
        functools.partial(original, decode_length_ratio=ratio))
    return "patched"


def load_env_settings(**overrides: Any) -> Settings:
    """Settings as the flow builds them: environment plus explicit overrides."""
    from newslens.config import load_settings

    return load_settings(**overrides)


def apply_env(env: dict[str, str]) -> None:
    os.environ.update(env)
