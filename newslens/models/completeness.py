"""Is a model folder complete? Config, weights and the tokenizer files its architecture needs.

A folder holding only `pytorch_model.bin` used to count as available and then failed late,
inside the run, with a tokenizer traceback. Loading needs three things, so availability asks
for the same three, by the architecture named in `config.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

# Per model_type: alternatives, each a set of files that together make a usable tokenizer.
_TOKENIZER_FILES: dict[str, tuple[tuple[str, ...], ...]] = {
    "marian": (("source.spm", "target.spm", "vocab.json"),),
    "xlm-roberta": (("tokenizer.json",), ("sentencepiece.bpe.model",)),
    "deberta-v2": (("tokenizer.json",), ("spm.model",)),
    "bert": (("tokenizer.json",), ("vocab.txt",)),
    "roberta": (("tokenizer.json",), ("vocab.json", "merges.txt")),
}
_GENERIC = (("tokenizer.json",), ("vocab.txt",), ("vocab.json",), ("spiece.model",),
            ("sentencepiece.bpe.model",), ("spm.model",))


def _model_type(path: Path) -> tuple[str | None, str | None]:
    """The config's model_type, or why the config is not usable."""
    config = path / "config.json"
    if not config.is_file():
        return None, "config.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, "a readable config.json (it is not valid JSON)"
    if not isinstance(data, dict):
        return None, "a config.json holding a JSON object"
    model_type = data.get("model_type")
    return (model_type if isinstance(model_type, str) else ""), None


def _has_weights(path: Path) -> bool:
    return any(path.glob("*.safetensors")) or any(path.glob("pytorch_model*.bin"))


def missing_parts(path: Path) -> list[str]:
    """What a model folder lacks for loading (empty: it is complete)."""
    path = Path(path)
    missing: list[str] = []
    model_type, config_problem = _model_type(path)
    if config_problem:
        missing.append(config_problem)
    if not _has_weights(path):
        missing.append("weights (*.safetensors or pytorch_model.bin)")
    options = _TOKENIZER_FILES.get(model_type or "", _GENERIC)
    if not any(all((path / name).is_file() for name in option) for option in options):
        shown = " or ".join("+".join(option) for option in options)
        kind = f"{model_type} " if model_type else ""
        missing.append(f"{kind}tokenizer files ({shown})")
    return missing


def describe_missing(path: Path, missing: list[str]) -> str:
    return f"folder {path} is incomplete, missing: {'; '.join(missing)}"
