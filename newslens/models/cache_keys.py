"""What names a model's derived files in the cache (CTranslate2 conversions, ONNX exports)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from newslens.models.loading import ResolvedModel


def weights_key(path: Path) -> str:
    """A short digest of a model folder's config and weights: its identity when there is no
    commit revision to go by (local folders, tiny test models)."""
    digest = hashlib.blake2b(digest_size=6)
    files = [path / "config.json", *sorted(path.glob("*.safetensors")), path / "pytorch_model.bin"]
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def cache_key(resolved: ResolvedModel) -> str:
    """A hub commit hash names the weights exactly; any other revision label (a branch,
    "tiny-random") does not, so the folder's content digest is used instead."""
    revision = resolved.revision or ""
    return revision if re.fullmatch(r"[0-9a-f]{40}", revision) else weights_key(resolved.path)
