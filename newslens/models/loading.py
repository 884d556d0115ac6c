"""Finding a model on disk (or fetching it once) and loading it once per process.

A model id is either a local folder or a Hugging Face hub id. Resolution order:
1. the id is itself a folder;
2. `<models_dir>/<org>--<name>/` (the layout `newslens models pull --to` and `models tiny` write);
3. the Hugging Face cache (no network);
4. a download into that cache, when allowed.
Nothing in this module ever runs remote code: `trust_remote_code=False` throughout.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newslens.models.completeness import describe_missing, missing_parts

METADATA_FILE = "newslens-model.json"
# Files worth fetching from the hub: configs, tokenizers, and weights (safetensors first).
HUB_PATTERNS = ["*.json", "*.model", "*.spm", "*.txt", "*.safetensors"]
HUB_FALLBACK_WEIGHTS = ["pytorch_model.bin"]


HOW_TO_PROVIDE = (
    "Provide models with `newslens models pull` on a machine with network (`--to DIR` makes a "
    "folder to copy here), then run with `--models DIR` or NEWSLENS_MODELS_DIR=DIR; or set a "
    "model to a local path in the config.")


class ModelUnavailableError(RuntimeError):
    """A configured model is neither on disk nor reachable."""

    def __init__(self, model_id: str, role: str = "", reason: str = "") -> None:
        self.model_id = model_id
        self.role = role
        self.reason = reason.strip().splitlines()[0][:300] if reason.strip() else ""
        where = f" ({role})" if role else ""
        first_line = reason.strip().splitlines()[0][:400] if reason.strip() else ""
        self.short = (f"model {model_id!r}{where} is not available locally and could not be "
                      f"fetched" + (f": {first_line}" if first_line else ""))
        super().__init__(f"{self.short}. {HOW_TO_PROVIDE}")


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model's files are, and what to record as its lineage."""

    model_id: str
    path: Path
    revision: str | None = None

    @property
    def lineage(self) -> tuple[str, str | None]:
        return self.model_id, self.revision


def folder_name(model_id: str) -> str:
    """`Helsinki-NLP/opus-mt-it-en` -> `Helsinki-NLP--opus-mt-it-en`."""
    return model_id.strip("/").replace("/", "--")


def read_metadata(path: Path) -> dict:
    meta = Path(path) / METADATA_FILE
    if meta.is_file():
        return json.loads(meta.read_text(encoding="utf-8"))
    return {}


def write_metadata(path: Path, model_id: str, revision: str | None, **extra: object) -> None:
    data = {"model_id": model_id, "revision": revision, **extra}
    (Path(path) / METADATA_FILE).write_text(json.dumps(data, indent=2), encoding="utf-8")


def _from_folder(model_id: str, path: Path) -> ResolvedModel:
    meta = read_metadata(path)
    return ResolvedModel(model_id=meta.get("model_id", model_id), path=path,
                         revision=meta.get("revision"))


def _has_weights(path: Path) -> bool:
    return any(path.glob("*.safetensors")) or (path / "pytorch_model.bin").is_file()


def _complete(path: Path) -> str | None:
    """None when the folder holds what loading needs, else what it is missing."""
    missing = missing_parts(path)
    return describe_missing(path, missing) if missing else None


def _hub_snapshot(model_id: str, local_only: bool) -> Path:
    """Fetch (or find in the HF cache) a hub model: safetensors when published, else .bin."""
    from huggingface_hub import snapshot_download

    path = Path(snapshot_download(model_id, allow_patterns=HUB_PATTERNS, local_files_only=local_only))
    if not _has_weights(path):
        path = Path(snapshot_download(model_id, allow_patterns=HUB_PATTERNS + HUB_FALLBACK_WEIGHTS,
                                      local_files_only=local_only))
    if not _has_weights(path):
        raise FileNotFoundError(f"no weights in {path}")
    if problem := _complete(path):
        raise FileNotFoundError(problem)
    return path


def resolve(model_id: str, models_dir: Path | None = None, *, role: str = "",
            allow_download: bool = True, hub_timeout: float | None = None) -> ResolvedModel:
    """Locate a model's files, downloading into the HF cache only when allowed.

    A cached snapshot is used without any network call; a download that broke off leaves a
    snapshot huggingface_hub knows is incomplete, so it is never used and the next call
    resumes it. `hub_timeout` bounds every hub request that has no timeout of its own.
    """
    as_path = Path(os.path.expanduser(model_id))
    if as_path.is_dir():
        if problem := _complete(as_path):
            raise ModelUnavailableError(model_id, role, problem)
        return _from_folder(str(as_path), as_path)
    incomplete = None  # an incomplete models-dir folder is named if nothing else is found
    if models_dir is not None:
        candidate = Path(models_dir) / folder_name(model_id)
        if candidate.is_dir():
            if (incomplete := _complete(candidate)) is None:
                return _from_folder(model_id, candidate)
    if "/" not in model_id.strip("/") or model_id.startswith((".", "/", "~")):
        raise ModelUnavailableError(model_id, role, incomplete or "no such folder")
    try:
        path = _hub_snapshot(model_id, local_only=True)
    except Exception as exc:
        if not allow_download or os.environ.get("HF_HUB_OFFLINE") == "1":
            found = str(exc) if "incomplete" in str(exc) else "not in the models folder or the HF cache"
            raise ModelUnavailableError(model_id, role, incomplete or found) from None
        try:
            if hub_timeout:
                from newslens.models.hub import use_hub_timeout

                use_hub_timeout(hub_timeout)
            path = _hub_snapshot(model_id, local_only=False)
        except Exception as exc:  # network down, unknown repo, no weights
            raise ModelUnavailableError(model_id, role, f"{type(exc).__name__}: {exc}") from None
    return ResolvedModel(model_id=model_id, path=path, revision=path.name)


@lru_cache(maxsize=None)
def load_tokenizer(path: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path, trust_remote_code=False)


@lru_cache(maxsize=None)
def load_seq2seq(path: str, device: str = "cpu"):
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(path, trust_remote_code=False, use_safetensors=None)
    return model.to(device).eval()


def load_sequence_classifier(path: str, device: str = "cpu", dtype: str = "float32"):
    """The model with its weights in `dtype` ("float32" or "bfloat16"), loaded afresh: the
    engine cache (newslens.models.engines) keeps one per model and options, and an engine it
    drops (a precision calibration only timed) frees its weights."""
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(
        path, trust_remote_code=False, use_safetensors=None, dtype=getattr(torch, dtype))
    return model.to(device).eval()
