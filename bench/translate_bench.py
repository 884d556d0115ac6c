"""Translation throughput: newslens's translate stage against raw CTranslate2, plus ablations.

Both sides translate the same sentences and decode the same number of tokens per sentence
(benchmark mode: round(ratio x source tokens)). The raw side gets pre-tokenised input and
makes the call the stage makes: one `translate_batch` over every sentence, each stopped at its
own length by the per-token callback, with the stage's replica layout and sub-batch size. It
is the ceiling the stage's own overhead (tokenising, splitting, de-duplicating,
detokenising) is measured against. The ablations price what the stage's set-up buys.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pandas as pd

from bench.fixed_length import FixedLength
from newslens.config import Settings
from newslens.models.engines import get_translator
from newslens.models.options import TranslatorOptions
from newslens.models.translate_ct2 import ensure_converted
from newslens.models.translation import route_model
from newslens.pipeline import model_steps
from newslens.pipeline.model_steps import ModelPlan


def stage_translator(plan: ModelPlan, settings: Settings, lang: str):
    """The translator the stage uses for `lang` (the same cached object)."""
    model_id = route_model(lang, settings.translation_routes, settings.translation_fallback)
    return get_translator(plan.translation[model_id], TranslatorOptions.from_settings(settings))


def foreign(frame: pd.DataFrame, column: str) -> list[tuple[str, str]]:
    """(text, lang) of every non-English, non-blank text, de-duplicated, in order."""
    pairs = [(t, lang) for t, lang in zip(frame[column], frame["lang"])
             if isinstance(t, str) and t.strip() and lang != "en"]
    return list(dict.fromkeys(pairs))


def decode_lengths(translator, texts: list[str]) -> tuple[list[list[int]], list[int]]:
    """Source ids (pieces, with specials) and the fixed output length of each piece, from the
    translator's own fixed-length policy (benchmark mode must be on)."""
    policy = translator.decode_policy
    if not isinstance(policy, FixedLength):
        raise RuntimeError("translation figures need benchmark mode: set "
                           "NEWSLENS_TRANSLATION_DECODE_POLICY=bench.fixed_length:policy")
    ids, _ = translator.preprocess(list(texts))
    return ids, policy.lengths(translator, ids)


def time_stage(articles: pd.DataFrame, sentences: pd.DataFrame, plan: ModelPlan,
               settings: Settings) -> dict[str, float]:
    """The whole translate stage on these frames: seconds and output tokens/s."""
    texts = foreign(sentences, "text") + foreign(articles, "title")
    tokens = 0
    by_lang: dict[str, list[str]] = {}
    for text, lang in texts:
        by_lang.setdefault(lang, []).append(text)
    for lang, items in by_lang.items():
        translator = stage_translator(plan, settings, lang)
        tokens += sum(decode_lengths(translator, items)[1])
        translator.translate(["Warm-up."])  # first-call costs stay out of the timing
    t0 = time.perf_counter()
    model_steps.translate_batch(articles, sentences, plan, settings)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": tokens, "tokens_per_s": tokens / seconds}


def raw_ct2(model_dir: Path, tokens: list[list[str]], lengths: list[int], *, device: str,
            compute_type: str, inter: int, intra: int, batch_tokens: int,
            mode: str = "callback") -> dict[str, float]:
    """`translate_batch` on pre-tokenised input, every sentence decoding its own length.

    mode "callback": one call, each sentence stopped by the per-token callback (the stage's
    way); "groups": one call per output length, in turn (with inter > 1: all submitted at
    once); "per_sentence": one call per sentence."""
    import ctranslate2

    engine = ctranslate2.Translator(str(model_dir), device=device, compute_type=compute_type,
                                    inter_threads=inter, intra_threads=intra)
    engine.translate_batch(tokens[:2], max_decoding_length=4, min_decoding_length=4)  # warm
    common = dict(beam_size=1, max_batch_size=batch_tokens, batch_type="tokens",
                  max_input_length=0)
    t0 = time.perf_counter()
    if mode == "callback":
        longest = max(lengths)
        results = engine.translate_batch(
            tokens, max_decoding_length=longest, min_decoding_length=longest,
            callback=lambda step: step.step + 1 >= lengths[step.batch_id], **common)
    else:
        if mode == "groups":
            calls: dict[int, list[int]] = {}
            for i, n in enumerate(lengths):
                calls.setdefault(n, []).append(i)
            members_list = list(calls.values())
        else:
            members_list = [[i] for i in range(len(tokens))]
        pending = [engine.translate_batch([tokens[i] for i in members],
                                          max_decoding_length=lengths[members[0]],
                                          min_decoding_length=lengths[members[0]],
                                          asynchronous=inter > 1, **common)
                   for members in members_list]
        results = [r.result() if inter > 1 else r for batch in pending for r in batch]
    produced = sum(len(r.hypotheses[0]) for r in results)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": produced, "tokens_per_s": produced / seconds}


def translation_figures(articles: pd.DataFrame, sentences: pd.DataFrame, plan: ModelPlan,
                        settings: Settings, *, threads: int,
                        ablation_sentences: int, full_ablations: bool = True) -> dict[str, Any]:
    """Stage vs raw CTranslate2 on the same work, then the ablations on a sample."""
    out: dict[str, Any] = {"stage": time_stage(articles, sentences, plan, settings)}
    texts = foreign(sentences, "text") + foreign(articles, "title")
    lang = texts[0][1] if texts else "it"
    # The raw run mirrors the stage per route; the benchmark routes share one model in full mode.
    translator = stage_translator(plan, settings, lang)
    resolved = plan.translation[translator.model_id]
    items = [t for t, lg in texts if stage_translator(plan, settings, lg) is translator]
    ids, lengths = decode_lengths(translator, items)
    tokens = [translator.tokenizer.convert_ids_to_tokens(x) for x in ids]
    model_dir = ensure_converted(resolved, settings.ct2_compute_type, Path(settings.cache_dir))
    batch = translator.batch_size(ids)  # the sub-batch budget the stage uses for this work
    common = dict(device=settings.device, compute_type=settings.ct2_compute_type,
                  batch_tokens=batch)
    # Raw, with the engine set up as the stage sets it ...
    out["raw"] = raw_ct2(model_dir, tokens, lengths, inter=translator.replicas,
                         intra=max(1, threads // translator.replicas), **common)
    out["raw"]["layout"] = f"{translator.replicas}x{max(1, threads // translator.replicas)}"
    # ... and the fastest thread layout found for the same call.
    layouts = sorted({(1, threads), (threads, 1)} - {(translator.replicas,
                                                       max(1, threads // translator.replicas))})
    best = dict(out["raw"])
    for inter, intra in layouts:
        trial = raw_ct2(model_dir, tokens, lengths, inter=inter, intra=intra, **common)
        if trial["tokens_per_s"] > best["tokens_per_s"]:
            best = {**trial, "layout": f"{inter}x{intra}"}
    out["raw_best"] = best
    if len(items) != sum(len(v) for v in _by_lang(texts).values()):
        out["raw_note"] = f"raw run covers the {len(items)} texts of route {translator.model_id}"
    out["stage_vs_raw"] = out["stage"]["tokens_per_s"] / out["raw"]["tokens_per_s"]
    out["stage_vs_raw_best"] = out["stage"]["tokens_per_s"] / out["raw_best"]["tokens_per_s"]
    k = min(ablation_sentences, len(tokens))
    sample_t, sample_n = tokens[:k], lengths[:k]
    sample = dict(common, batch_tokens=translator.batch_size(ids[:k]))
    budget = dict(common, batch_tokens=settings.translation_max_batch_tokens)
    ablations: dict[str, Any] = {
        # What the stage does: one call, callback lengths, one replica per core.
        f"ct2_int8_one_call_{threads}x1": raw_ct2(model_dir, sample_t, sample_n, inter=threads,
                                                  intra=1, **sample),
        # All cores on one replica instead.
        f"ct2_int8_one_call_1x{threads}": raw_ct2(model_dir, sample_t, sample_n, inter=1,
                                                  intra=threads, **sample),
        # The previous stage: one call per output length, in turn, all cores on each.
        f"ct2_int8_call_per_length_1x{threads}": raw_ct2(model_dir, sample_t, sample_n, inter=1,
                                                         intra=threads, mode="groups", **budget),
        f"ct2_int8_call_per_length_{threads}x1_async": raw_ct2(
            model_dir, sample_t, sample_n, inter=threads, intra=1, mode="groups", **budget),
        "ct2_int8_one_sentence_per_call": raw_ct2(model_dir, sample_t, sample_n, inter=1,
                                                  intra=threads, mode="per_sentence", **budget),
    }
    if full_ablations:  # slow ones: another conversion, and fp32 decoding twice
        fp32_dir = ensure_converted(resolved, "float32", Path(settings.cache_dir))
        ablations[f"ct2_float32_one_call_{threads}x1"] = raw_ct2(
            fp32_dir, sample_t, sample_n, inter=threads, intra=1,
            **{**sample, "compute_type": "float32"})
        ablations["torch_fp32_batched"] = _torch_backend(resolved, settings, items[:k], sample_n,
                                                         threads)
    out["ablations"] = ablations
    out["ablation_sentences"] = k
    return out


def _by_lang(texts: list[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for text, lang in texts:
        groups.setdefault(lang, []).append(text)
    return groups


def _torch_backend(resolved, settings: Settings, texts: list[str], lengths: list[int],
                   threads: int) -> dict[str, float]:
    """newslens's torch translator (fp32 `generate`, batched by tokens) on the sample."""
    options = dataclasses.replace(TranslatorOptions.from_settings(settings), backend="torch",
                                  threads=threads)
    translator = get_translator(resolved, options)
    translator.translate(texts[:2])
    t0 = time.perf_counter()
    translator.translate(texts)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "output_tokens": sum(lengths), "tokens_per_s": sum(lengths) / seconds}
