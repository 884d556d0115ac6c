"""Translation throughput: newslens's translate stage against raw CTranslate2, plus ablations.

Both sides translate the same sentences and decode the same number of tokens per sentence
(benchmark mode: round(ratio x source tokens)). The raw side gets pre-tokenised input and
calls `translate_batch` once per output length (min = max decoding length applies per call),
with the same token budget per batch; it is the ceiling the stage's own overhead
(tokenising, splitting, grouping, detokenising) is measured against.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.config import Settings
from newslens.models.translate_ct2 import ensure_converted
from newslens.pipeline import model_steps
from newslens.pipeline.model_steps import ModelPlan


def stage_translator(plan: ModelPlan, settings: Settings, lang: str, ratio: float | None):
    """The translator the stage uses for `lang` (the same cached object)."""
    model_id = model_steps.route_model(lang, settings.translation_routes, settings.translation_fallback)
    return model_steps.get_translator(
        plan.translation[model_id], settings.translation_backend, device=settings.device,
        compute_type=settings.ct2_compute_type, cache_dir=Path(settings.cache_dir),
        beam_size=settings.translation_beam_size, max_batch_tokens=settings.translation_max_batch_tokens,
        threads=settings.torch_threads, decode_length_ratio=ratio)


def foreign(frame: pd.DataFrame, column: str) -> list[tuple[str, str]]:
    """(text, lang) of every non-English, non-blank text, de-duplicated, in order."""
    pairs = [(t, lang) for t, lang in zip(frame[column], frame["lang"])
             if isinstance(t, str) and t.strip() and lang != "en"]
    return list(dict.fromkeys(pairs))


def decode_lengths(translator, texts: Sequence[str]) -> tuple[list[list[int]], list[int]]:
    """Source ids (pieces, with specials) and the fixed output length of each piece."""
    ids, _ = translator.preprocess(list(texts))
    return ids, [translator.target_length(x) or 1 for x in ids]


def time_stage(articles: pd.DataFrame, sentences: pd.DataFrame, plan: ModelPlan,
               settings: Settings, ratio: float | None) -> dict[str, float]:
    """The whole translate stage on these frames: seconds and output tokens/s."""
    texts = foreign(sentences, "text") + foreign(articles, "title")
    tokens = 0
    by_lang: dict[str, list[str]] = {}
    for text, lang in texts:
        by_lang.setdefault(lang, []).append(text)
    for lang, items in by_lang.items():
        translator = stage_translator(plan, settings, lang, ratio)
        tokens += sum(decode_lengths(translator, items)[1])
        translator.translate(["Warm-up."])  # first-call costs stay out of the timing
    t0 = time.perf_counter()
    model_steps.translate_batch(articles, sentences, plan, settings)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": tokens, "tokens_per_s": tokens / seconds}


def raw_ct2(model_dir: Path, tokens: list[list[str]], lengths: list[int], *, device: str,
            compute_type: str, inter: int, intra: int, max_batch_tokens: int,
            per_sentence: bool = False, asynchronous: bool = False) -> dict[str, float]:
    """`translate_batch` on pre-tokenised input, one call per output length (or per sentence).

    `asynchronous` submits every call before waiting on any, so with inter > 1 the calls
    (each a different output length) run side by side."""
    import ctranslate2

    engine = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type,
                                    inter_threads=inter, intra_threads=intra)
    groups: dict[int, list[int]] = {}
    for i, n in enumerate(lengths):
        groups.setdefault(n, []).append(i)
    calls = [[i] for i in range(len(tokens))] if per_sentence else list(groups.values())
    engine.translate_batch(tokens[:2], max_decoding_length=4, min_decoding_length=4)  # warm
    produced = 0
    t0 = time.perf_counter()
    pending = []
    for members in calls:
        n = lengths[members[0]]
        out = engine.translate_batch([tokens[i] for i in members], beam_size=1,
                                     max_batch_size=max_batch_tokens, batch_type="tokens",
                                     max_input_length=0, max_decoding_length=n,
                                     min_decoding_length=n, asynchronous=asynchronous)
        pending.extend(out)
    for r in pending:
        produced += len((r.result() if asynchronous else r).hypotheses[0])
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": produced, "tokens_per_s": produced / seconds}


def translation_figures(articles: pd.DataFrame, sentences: pd.DataFrame, plan: ModelPlan,
                        settings: Settings, *, ratio: float | None, threads: int,
                        ablation_sentences: int, full_ablations: bool = True) -> dict[str, Any]:
    """Stage vs raw CTranslate2 on the same work, then the ablations on a sample."""
    out: dict[str, Any] = {"stage": time_stage(articles, sentences, plan, settings, ratio)}
    texts = foreign(sentences, "text") + foreign(articles, "title")
    lang = texts[0][1] if texts else "it"
    # The raw run mirrors the stage per route; the benchmark routes share one model in full mode.
    translator = stage_translator(plan, settings, lang, ratio)
    resolved = plan.translation[translator.model_id]
    items = [t for t, lg in texts if stage_translator(plan, settings, lg, ratio) is translator]
    ids, lengths = decode_lengths(translator, items)
    tokens = [translator.tokenizer.convert_ids_to_tokens(x) for x in ids]
    model_dir = ensure_converted(resolved, settings.ct2_compute_type, Path(settings.cache_dir))
    common = dict(device=settings.device, max_batch_tokens=settings.translation_max_batch_tokens)
    # Raw, engine set up as the stage sets it (threads on one call, calls in turn) ...
    out["raw"] = raw_ct2(model_dir, tokens, lengths, compute_type=settings.ct2_compute_type,
                         inter=1, intra=threads, **common)
    # ... and the fastest way found to run the same calls: one thread per call, all in flight.
    out["raw_best"] = raw_ct2(model_dir, tokens, lengths, compute_type=settings.ct2_compute_type,
                              inter=threads, intra=1, asynchronous=True, **common)
    if len(items) != sum(len(v) for v in _by_lang(texts).values()):
        out["raw_note"] = f"raw run covers the {len(items)} texts of route {translator.model_id}"
    out["stage_vs_raw"] = out["stage"]["tokens_per_s"] / out["raw"]["tokens_per_s"]
    out["stage_vs_raw_best"] = out["stage"]["tokens_per_s"] / out["raw_best"]["tokens_per_s"]
    k = min(ablation_sentences, len(tokens))
    sample_t, sample_n = tokens[:k], lengths[:k]
    int8 = dict(compute_type=settings.ct2_compute_type, **common)
    ablations: dict[str, Any] = {
        f"ct2_int8_batched_1x{threads}": raw_ct2(model_dir, sample_t, sample_n, inter=1,
                                                 intra=threads, **int8),
        f"ct2_int8_batched_{threads}x1": raw_ct2(model_dir, sample_t, sample_n, inter=threads,
                                                 intra=1, **int8),
        "ct2_int8_one_sentence_per_call": raw_ct2(model_dir, sample_t, sample_n, inter=1,
                                                  intra=threads, per_sentence=True, **int8),
        # Every sentence in one call, all decoding the mean length: the same work without the
        # split by output length that fixed lengths force (production decoding has no split).
        "ct2_int8_one_call_mean_length": raw_ct2(
            model_dir, sample_t, [round(sum(sample_n) / max(1, len(sample_n)))] * len(sample_n),
            inter=1, intra=threads, **int8),
    }
    if full_ablations:  # slow ones: another conversion, and fp32 decoding twice
        fp32_dir = ensure_converted(resolved, "float32", Path(settings.cache_dir))
        ablations["ct2_float32_batched"] = raw_ct2(fp32_dir, sample_t, sample_n, compute_type="float32",
                                                   inter=1, intra=threads, **common)
        ablations["torch_fp32_batched"] = _torch_backend(resolved, settings, items[:k], sample_n,
                                                         threads, ratio)
    out["ablations"] = ablations
    out["ablation_sentences"] = k
    return out


def _by_lang(texts: list[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for text, lang in texts:
        groups.setdefault(lang, []).append(text)
    return groups


def _torch_backend(resolved, settings: Settings, texts: list[str], lengths: list[int],
                   threads: int, ratio: float | None) -> dict[str, float]:
    """newslens's torch translator (fp32 `generate`, batched by tokens) on the sample."""
    translator = model_steps.get_translator(resolved, "torch", device=settings.device,
                                            max_batch_tokens=settings.translation_max_batch_tokens,
                                            threads=threads, decode_length_ratio=ratio)
    translator.translate(texts[:2])
    t0 = time.perf_counter()
    translator.translate(texts)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": sum(lengths), "tokens_per_s": sum(lengths) / seconds}
