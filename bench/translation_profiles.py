"""Speed of the two translation profiles, as the translate stage runs them (CTranslate2 int8).

`fast` routes to opus-mt base models (transformer-base), `quality` to opus-mt-tc-big models
(transformer-big). Speed does not depend on the weights, so both are built here with random
weights and the public architecture sizes (from the public configs: base d_model 512, 8 heads,
FFN 2048, swish, vocab 80,035 as opus-mt-it-en; big d_model 1024, 16 heads, FFN 4096, relu,
vocab 54,422 as opus-mt-tc-big-en-it, the tc-big config the public record shows), 6+6 layers
each. They run through newslens's own translator (conversion, replicas, batching), decoding
exactly one output token per source token, on Italian sentences from the benchmark corpus.
The guard's retry path (beam 4, no-repeat 3-grams, one sentence a call) is timed as well.

    PYTHONPATH=. python bench/translation_profiles.py [--sentences 160] [--work DIR]

Writes bench/results/translation-profiles-<date>.json. About 3-5 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import tempfile
import time
from pathlib import Path

from bench.corpus import sentence, training_sentences
from bench.models import SOURCE_PIECES, TARGET_PIECES, TRAIN_PER_LANGUAGE, _marian_vocab, _train_spm

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
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    if (out_dir / "config.json").is_file():
        return out_dir
    source = _train_spm(training_sentences(per_language=TRAIN_PER_LANGUAGE), SOURCE_PIECES)
    target = _train_spm(training_sentences(per_language=TRAIN_PER_LANGUAGE, languages=("en",)),
                        TARGET_PIECES)
    vocab = _marian_vocab(source, target, arch["vocab"])
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / n for n in ("source.spm", "target.spm", "vocab.json")]
        files[0].write_bytes(source)
        files[1].write_bytes(target)
        files[2].write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        MarianTokenizer(*map(str, files), source_lang="it", target_lang="en",
                        model_max_length=512).save_pretrained(str(out_dir))
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


def measure(folder: Path, texts: list[str], cache: Path) -> dict:
    """Output tokens/s of the stage's CTranslate2 translator, normal and guard-retry decoding."""
    from newslens.config import Settings
    from newslens.models.loading import resolve
    from newslens.models.translation import get_translator

    settings = Settings()
    t0 = time.perf_counter()
    tr = get_translator(resolve(str(folder)), "ctranslate2", compute_type=settings.ct2_compute_type,
                        cache_dir=cache, max_batch_tokens=settings.translation_max_batch_tokens,
                        decode_length_ratio=DECODE_RATIO)
    load_s = time.perf_counter() - t0
    ids, _ = tr.preprocess(texts)
    tokens = sum(tr.target_length(x) or 1 for x in ids)
    tr.translate(texts[:8])  # warm-up
    runs = []
    for _ in range(2):
        t0 = time.perf_counter()
        tr.translate(texts)
        runs.append(time.perf_counter() - t0)
    retry_texts = texts[:16]
    retry_ids, _ = tr.preprocess(retry_texts)
    t0 = time.perf_counter()
    rows = tr._forward(retry_ids, safe=True)
    retry_s = time.perf_counter() - t0
    import torch

    params = None
    try:
        from safetensors import safe_open

        with safe_open(str(folder / "model.safetensors"), "pt") as f:
            params = sum(f.get_slice(k).get_shape().numel() if hasattr(f.get_slice(k).get_shape(), "numel")
                         else int(torch.Size(f.get_slice(k).get_shape()).numel()) for k in f.keys())
    except Exception:  # the count is informative only
        pass
    best = min(runs)
    return {"sentences": len(texts), "output_tokens": tokens, "seconds": [round(r, 2) for r in runs],
            "tokens_per_s": round(tokens / best, 1), "load_and_convert_s": round(load_s, 1),
            "retry_sentences": len(retry_texts), "retry_output_tokens": sum(len(r) for r in rows),
            "retry_s": round(retry_s, 2),
            "retry_sentences_per_s": round(len(retry_texts) / retry_s, 2),
            "parameters_m": round(params / 1e6, 1) if params else None,
            "ct2_int8_mb": _folder_mb(tr.model_dir), "replicas": tr.replicas}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=160)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "newslens-profiles")
    args = parser.parse_args(argv)
    rng = random.Random(3)
    texts = [sentence("it", rng) for _ in range(args.sentences)]
    out = {"date": dt.date.today().isoformat(), "machine": _machine(), "decode_ratio": DECODE_RATIO,
           "profiles": {}}
    for profile, arch in ARCHS.items():
        folder = build(args.work / profile, arch)
        out["profiles"][profile] = {"architecture": arch,
                                    **measure(folder, texts, args.work / "cache")}
        print(profile, json.dumps(out["profiles"][profile]))
    fast, quality = (out["profiles"][p]["tokens_per_s"] for p in ("fast", "quality"))
    out["quality_over_fast_speed"] = round(quality / fast, 3)
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
