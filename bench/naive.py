"""The naive baseline: Hugging Face pipelines per stage, fp32, one Prefect task per article.

This is the pipeline a first version would be: load a pipeline per model once, then for each
article (its own task) split sentences and push them one at a time through translation, a
text-classification pipeline and a zero-shot-classification pipeline whose candidate labels
are the display names of every target, on every sentence. transformers 5 removed the
`translation` pipeline, so translation here does what that pipeline did per input:
tokenise, `generate`, decode. Decoding is fixed to round(ratio x source tokens) new tokens
(min_new_tokens = max_new_tokens) and greedy, as newslens decodes in benchmark mode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, task

from newslens.config import Settings
from newslens.ingest.read import read_inputs
from newslens.models.loading import resolve
from newslens.models.translation import is_english, route_model
from newslens.text.langid import detect_language
from newslens.text.sentences import sentence_texts
from newslens.text.targets import load_targets


@dataclass
class NaiveModels:
    """Everything the naive tasks use, loaded once per process (never a task argument)."""

    settings: Settings
    ratio: float | None
    translators: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # id -> (tok, model)
    sentiment: Any = None
    zero_shot: Any = None
    labels: list[str] = field(default_factory=list)


_MODELS: NaiveModels | None = None


def load_naive(settings: Settings, langs: set[str], ratio: float | None) -> float:
    """Build the pipelines for these languages; returns the seconds it took."""
    global _MODELS
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, pipeline

    t0 = time.perf_counter()
    device = settings.device
    models = NaiveModels(settings=settings, ratio=ratio)
    for lang in sorted(langs):
        model_id = route_model(lang, settings.translation_routes, settings.translation_fallback)
        if model_id and model_id not in models.translators:
            path = str(resolve(model_id, settings.models_dir, allow_download=False).path)
            model = AutoModelForSeq2SeqLM.from_pretrained(path).to(device).eval()
            models.translators[model_id] = (AutoTokenizer.from_pretrained(path), model)
    sentiment = resolve(settings.sentiment_model, settings.models_dir, allow_download=False)
    stance = resolve(settings.stance_model, settings.models_dir, allow_download=False)
    models.sentiment = pipeline("text-classification", model=str(sentiment.path), device=device)
    models.zero_shot = pipeline("zero-shot-classification", model=str(stance.path), device=device)
    models.labels = [t.name for t in load_targets(Path(settings.targets_file),
                                                  include_leaders=settings.stance_include_leaders)]
    _MODELS = models
    return time.perf_counter() - t0


def translate_one(text: str, lang: str) -> str:
    """One sentence through its route's model, as the v4 translation pipeline did."""
    import torch

    assert _MODELS is not None
    model_id = route_model(lang, _MODELS.settings.translation_routes,
                           _MODELS.settings.translation_fallback)
    tokenizer, model = _MODELS.translators[model_id]
    inputs = tokenizer(text, return_tensors="pt", truncation=True).to(model.device)
    kwargs: dict[str, Any] = {"num_beams": _MODELS.settings.translation_beam_size, "do_sample": False}
    if _MODELS.ratio is not None:
        source = inputs["input_ids"].shape[1] - tokenizer.num_special_tokens_to_add()
        n = min(max(1, round(_MODELS.ratio * source)), 511)
        kwargs.update(min_new_tokens=n, max_new_tokens=n)
    with torch.inference_mode():
        out = model.generate(**inputs, **kwargs)
    return tokenizer.decode(out[0], skip_special_tokens=True)


@task(name="naive-article")
def analyze_article(body: str, lang_hint: str | None, index: int, out_dir: str) -> int:
    """Language, sentences, then every model on every sentence; one Parquet file out."""
    assert _MODELS is not None
    settings = _MODELS.settings
    lang, _ = detect_language(body[:3000], settings.languages)
    lang = lang or lang_hint or "und"
    sentences = sentence_texts(body, lang)
    english = [s if is_english(lang) else translate_one(s, lang) for s in sentences]
    sentiment = _MODELS.sentiment(sentences)
    stance = _MODELS.zero_shot(sentences, candidate_labels=_MODELS.labels)
    if isinstance(stance, dict):
        stance = [stance]
    frame = pd.DataFrame({
        "sent_idx": range(len(sentences)), "text": sentences, "text_en": english,
        "sentiment": [r["label"] for r in sentiment],
        "sentiment_score": [float(r["score"]) for r in sentiment],
        "stance_top": [r["labels"][0] for r in stance],
        "stance_scores": [dict(zip(r["labels"], map(float, r["scores"]))).__repr__() for r in stance],
    })
    frame["article"] = index
    frame["lang"] = lang
    frame.to_parquet(Path(out_dir) / f"article-{index:05d}.parquet", index=False)
    return len(sentences)


@flow(name="naive-baseline")
def naive_flow(input_path: str, out_dir: str, limit: int | None = None) -> int:
    """Read the articles, then one task per article, one after another."""
    docs = read_inputs(Path(input_path), limit=limit).documents
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    total = 0
    for i, doc in enumerate(docs):
        total += analyze_article(doc.body, doc.lang_hint, i, out_dir)
    return total


def corpus_languages(input_path: Path, settings: Settings, limit: int | None) -> set[str]:
    """Languages of the articles the naive run will see (to load their translators)."""
    docs = read_inputs(Path(input_path), limit=limit).documents
    return {detect_language(d.body[:3000], settings.languages)[0] or "und" for d in docs}


def run_naive(input_path: Path, out_dir: Path, limit: int | None) -> dict[str, float]:
    """Time one naive flow run; returns articles, sentences and seconds."""
    n_docs = len(read_inputs(Path(input_path), limit=limit).documents)
    t0 = time.perf_counter()
    n_sentences = naive_flow(str(input_path), str(out_dir), limit)
    seconds = time.perf_counter() - t0
    return {"articles": n_docs, "sentences": n_sentences, "seconds": seconds}
