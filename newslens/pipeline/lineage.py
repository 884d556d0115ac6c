"""The versioned stages (cleaning, then the models): what each one's output depends on (see
newslens.lake.state).

Each declaration names the lake tables holding the stage's rows for an article and the
lineage that produced them: the model id and revision, and every setting that changes the
output. Changing any of them makes exactly the stages that use it stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from newslens.config import CLEAN_STAGE, Settings
from newslens.ingest import rules
from newslens.lake.state import StageSpec, declare_stage
from newslens.models.classify import resolve_precision
from newslens.models.translation import route_model
from newslens.pipeline.model_steps import ModelPlan


@dataclass(frozen=True)
class LineageInputs:
    """What a stage's lineage is computed from: the settings and the resolved models."""

    settings: Settings
    plan: ModelPlan

    @cached_property
    def _precisions(self) -> dict[Any, str]:
        return {}

    def precision(self, resolved: Any) -> str:
        """The precision a classifier stage runs its model at (`auto` as measured, once per
        model); for a model the run has not planned, the setting read by the CPU-flag rule."""
        if resolved is None:
            return resolve_precision(self.settings.classifier_precision, self.settings.device)
        if resolved not in self._precisions:
            from newslens.models.engines import effective_precision  # loads the backends
            from newslens.models.options import ClassifierOptions

            self._precisions[resolved] = effective_precision(
                resolved, ClassifierOptions.from_settings(self.settings))
        return self._precisions[resolved]

    @cached_property
    def targets_sha256(self) -> str | None:
        path = Path(self.settings.targets_file)
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _model(resolved: Any, fallback: str) -> dict[str, Any]:
    if resolved is None:
        return {"model": fallback, "model_revision": None}
    return {"model": resolved.model_id, "model_revision": resolved.revision}


def translate_lineage(inputs: LineageInputs, lang: str | None) -> dict[str, Any]:
    s = inputs.settings
    model_id = route_model(lang, s.translation_routes, s.translation_fallback) if lang and lang != "und" else None
    model = _model(inputs.plan.translation.get(model_id) if model_id else None, model_id)
    return {**model, "backend": s.translation_backend, "beam_size": s.translation_beam_size,
            "compute_type": s.ct2_compute_type if s.translation_backend == "ctranslate2" else None}


def sentiment_lineage(inputs: LineageInputs, lang: str | None) -> dict[str, Any]:
    s = inputs.settings
    return {**_model(inputs.plan.sentiment, s.sentiment_model), "source": s.sentiment_source,
            "precision": inputs.precision(inputs.plan.sentiment)}


def stance_lineage(inputs: LineageInputs, lang: str | None) -> dict[str, Any]:
    s = inputs.settings
    return {**_model(inputs.plan.stance, s.stance_model), "templates": dict(s.stance_templates),
            "targets_sha256": inputs.targets_sha256, "include_leaders": s.stance_include_leaders,
            "precision": inputs.precision(inputs.plan.stance)}


def clean_lineage(inputs: LineageInputs, lang: str | None) -> dict[str, Any]:
    """The cleaning and sentence-splitting rules. Learned boilerplate lines are not part of it:
    they grow every night, and re-cleaning every article for each would churn the lake."""
    return {"rules": rules.CLEANING_RULES_VERSION}  # read per call: tests patch it


declare_stage(StageSpec(CLEAN_STAGE, ("articles", "sentences"), clean_lineage))
declare_stage(StageSpec("translate", ("articles", "sentences"), translate_lineage,
                        upstream=lambda i: (CLEAN_STAGE,)))
declare_stage(StageSpec("sentiment", ("sentiment",), sentiment_lineage,
                        upstream=lambda i: (CLEAN_STAGE, "translate") if i.settings.sentiment_source == "english"
                        else (CLEAN_STAGE,)))
declare_stage(StageSpec("stance", ("stance_mentions", "stance"), stance_lineage,
                        upstream=lambda i: (CLEAN_STAGE, "translate")))
