"""The configured models as a whole: which are here, fetching them all, or faking them all.

`pull_models(to=DIR)` and `make_tiny_models(DIR)` write the same layout, one folder per model
id (`<org>--<name>`) with a `newslens-model.json`, so `newslens run --models DIR` takes either.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from newslens.config import Settings
from newslens.models.loading import (ModelUnavailableError, folder_name, resolve,
                                     write_metadata)

TINY_NOTICE = ("Tiny models have random weights: translations, sentiment and stance from them "
               "are meaningless. Use them only to smoke-test the pipeline offline.")


@dataclass(frozen=True)
class ModelStatus:
    role: str
    model_id: str
    available: bool
    where: str  # local folder, or why it is missing


def list_models(settings: Settings) -> list[ModelStatus]:
    """Every configured model and whether it can be used without a network."""
    out: list[ModelStatus] = []
    for role, ids in settings.model_ids().items():
        for model_id in ids:
            try:
                found = resolve(model_id, settings.models_dir, role=role, allow_download=False)
                out.append(ModelStatus(role, model_id, True, str(found.path)))
            except ModelUnavailableError as exc:
                out.append(ModelStatus(role, model_id, False,
                                       f"not available: {exc.reason}" if exc.reason else "not local"))
    return out


def pull_models(settings: Settings, to: Path | None = None) -> list[ModelStatus]:
    """Download every configured model (into the HF cache, and copied to `to` if given)."""
    out: list[ModelStatus] = []
    for role, ids in settings.model_ids().items():
        for model_id in ids:
            try:
                found = resolve(model_id, None, role=role, allow_download=True,
                                hub_timeout=settings.hub_timeout_s)
            except ModelUnavailableError as exc:
                out.append(ModelStatus(role, model_id, False, str(exc)))
                continue
            where = found.path
            if to is not None:
                where = Path(to) / folder_name(model_id)
                if where.exists():
                    shutil.rmtree(where)
                shutil.copytree(found.path, where, symlinks=False)  # resolve HF cache symlinks
                write_metadata(where, model_id, found.revision, role=role)
            out.append(ModelStatus(role, model_id, True, str(where)))
    return out


def _source_language(model_id: str) -> str:
    """`Helsinki-NLP/opus-mt-it-en` -> `it`; `...-mul-en` -> `mul`."""
    name = model_id.rsplit("/", 1)[-1]
    parts = name.split("-")
    return parts[-2] if len(parts) >= 2 else "mul"


def make_tiny_models(settings: Settings, out_dir: Path) -> list[ModelStatus]:
    """Tiny random-weight models of the real architectures for every configured model id."""
    from newslens.models.tiny_encoders import build_tiny_deberta_nli, build_tiny_xlmr_sentiment
    from newslens.models.tiny_marian import build_tiny_marian
    from newslens.quiet import quiet_model_libraries

    quiet_model_libraries()  # no "Writing model shards" bar per model
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[ModelStatus] = []
    for role, ids in settings.model_ids().items():
        for model_id in ids:
            target = out_dir / folder_name(model_id)
            if role == "translation":
                build_tiny_marian(target, _source_language(model_id), model_id=model_id)
            elif role == "sentiment":
                build_tiny_xlmr_sentiment(target, model_id=model_id)
            else:
                build_tiny_deberta_nli(target, model_id=model_id)
            made.append(ModelStatus(role, model_id, True, str(target)))
    return made
