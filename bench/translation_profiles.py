"""Speed of the two translation profiles, as the translate stage runs them (CTranslate2 int8).

`fast` routes to opus-mt base models (transformer-base), `quality` to opus-mt-tc-big models
(transformer-big). Speed does not depend on the weights, so both are built here with random
weights and the public architecture sizes (from the public configs: base d_model 512, 8 heads,
FFN 2048, swish, vocab 80,035 as opus-mt-it-en; big d_model 1024, 16 heads, FFN 4096, relu,
vocab 54,422 as opus-mt-tc-big-en-it, the tc-big config the public record shows), 6+6 layers
each. They run through newslens's own translator (conversion, replicas, batching), decoding
exactly one output token per source token, on Italian sentences from the benchmark corpus.
The guard's retry path (beam 4, no-repeat 3-grams, one sentence a call) is timed as well.

    PYTHONPATH=. python bench/translation_profiles.py [--sentences 120] [--rounds 3] [--work DIR]

Writes bench/results/translation-profiles-<date>.json. About 3-5 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import platform
import random
import tempfile
import time
from pathlib import Path

from bench.corpus import sentence
from bench.fixed_length import FixedLength
from bench.models import write_marian_tokenizer
from newslens.models.options import TranslatorOptions

RESULTS = Path(__file__).resolve().parent / "results"
DECODE_RATIO = 1.0
ARCHS = {
    "fast": dict(model="Helsinki-NLP/opus-mt-it-en", vocab=80_035, d_model=512, heads=8,
                 ffn=2048, activation="swish", positions=512),
    "quality": dict(model="Helsinki-NLP/opus-mt-tc-big-it-en", vocab=54_422, d_model=1024,
                    heads=16, ffn=4096, activation="relu", positions=1024),
}


def build(out_dir: Path, arch: dict, seed: int = 0) -> Path:
    """A random-weight Marian of `arch` with a tokenizer trained on the benchmark corpus."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    if (out_dir / "config.json").is_file():
        return out_dir
    vocab = write_marian_tokenizer(out_dir, arch["vocab"])
    pad, eos = vocab["<pad>"], vocab["</s>"]
    config = MarianConfig(
        vocab_size=arch["vocab"], d_model=arch["d_model"], encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=arch["heads"], decoder_attention_heads=arch["heads"],
        encoder_ffn_dim=arch["ffn"], decoder_ffn_dim=arch["ffn"],
        max_position_embeddings=arch["positions"], activation_function=arch["activation"],
        scale_embedding=True, pad_token_id=pad, eos_token_id=eos, decoder_start_token_id=pad,
        forced_eos_token_id=eos)
    torch.manual_seed(seed)
    MarianMTModel(config).eval().save_pretrained(str(out_dir), safe_serialization=True)
    return out_dir


def _folder_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def load(folder: Path, cache: Path):
    """The stage's CTranslate2 translator for `folder` (converted on first use), and seconds."""
    from newslens.config import Settings
    from newslens.models.engines import get_translator
    from newslens.models.loading import resolve

    settings = Settings(translation_backend="ctranslate2", cache_dir=cache)
    options = dataclasses.replace(TranslatorOptions.from_settings(settings),
                                  decode_policy=FixedLength(DECODE_RATIO))
    t0 = time.perf_counter()
    tr = get_translator(resolve(str(folder)), options)
    return tr, time.perf_counter() - t0


def describe(tr, folder: Path, texts: list[str], load_s: float) -> dict:
    from safetensors import safe_open

    with safe_open(str(folder / "model.safetensors"), "np") as f:
        params = sum(math.prod(f.get_slice(k).get_shape()) for k in f.keys())
    ids, _ = tr.preprocess(texts)
    return {"sentences": len(texts), "output_tokens": sum(tr.decode_policy.lengths(tr, ids)),
            "load_and_convert_s": round(load_s, 1), "parameters_m": round(params / 1e6, 1),
            "ct2_int8_mb": _folder_mb(tr.model_dir), "replicas": tr.replicas}


def time_normal(tr, texts: list[str]) -> float:
    t0 = time.perf_counter()
    tr.translate(texts)
    return time.perf_counter() - t0


def time_retry(tr, texts: list[str]) -> tuple[float, int]:
    """The guard's retry decoding (beam 4, no repeated 3-grams, length cap) on `texts`."""
    ids, _ = tr.preprocess(texts)
    t0 = time.perf_counter()
    rows = tr.decode(ids, safe=True)
    return time.perf_counter() - t0, sum(len(r) for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--retry-sentences", type=int, default=8)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newslens-profiles")
    args = parser.parse_args(argv)
    rng = random.Random(3)
    texts = [sentence("it", rng) for _ in range(args.sentences)]
    out = {"date": dt.date.today().isoformat(), "machine": _machine(), "decode_ratio": DECODE_RATIO,
           "rounds": args.rounds, "profiles": {}}
    translators = {}
    for profile, arch in ARCHS.items():
        folder = build(args.work / profile, arch)
        tr, load_s = load(folder, args.work / "cache")
        tr.translate(texts[:8])  # warm-up
        translators[profile] = tr
        out["profiles"][profile] = {"architecture": arch, **describe(tr, folder, texts, load_s),
                                    "seconds": [], "retry_seconds": []}
    # Rounds alternate the profiles, so both see the same load on a shared machine; the
    # ratio of each round is the figure to trust, absolute speeds vary with the load.
    ratios = []
    for _ in range(args.rounds):
        for profile, tr in translators.items():
            out["profiles"][profile]["seconds"].append(round(time_normal(tr, texts), 2))
        fast_s, quality_s = (out["profiles"][p]["seconds"][-1] for p in ("fast", "quality"))
        ratios.append(round(fast_s / quality_s, 3))
    for profile, tr in translators.items():
        seconds, tokens = time_retry(tr, texts[:args.retry_sentences])
        entry = out["profiles"][profile]
        entry["retry_seconds"], entry["retry_output_tokens"] = round(seconds, 2), tokens
        entry["retry_sentences"] = args.retry_sentences
        entry["tokens_per_s"] = round(entry["output_tokens"] / min(entry["seconds"]), 1)
        print(profile, json.dumps(entry))
    out["quality_over_fast_speed_per_round"] = ratios
    out["quality_over_fast_speed"] = sorted(ratios)[len(ratios) // 2]
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"translation-profiles-{out['date']}.json"
    target.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _machine() -> dict:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from newslens.threads import available_cores

    return {"cpu": model or platform.processor(), "cores": available_cores(),
            "python": platform.python_version()}


if __name__ == "__main__":
    raise SystemExit(main())
