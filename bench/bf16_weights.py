"""bf16 classifier inference: fp32 eager, bf16 autocast over fp32 weights, bf16 weights.

A microbenchmark on an XLM-R-base-sized encoder with random weights (12 layers, hidden 768,
FFN 3072, 12 heads; the vocabulary is cut to 32k, which changes only the embedding lookup).
The three variants run interleaved, round after round, on the same padded batch, so a load
change on a shared machine hits all three alike; the per-round ratios are the figures to
trust. Prints one JSON line per round and the median ratios.

    PYTHONPATH=. python bench/bf16_weights.py [--rounds 3] [--batch 16] [--seq 64]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import time


def build(vocab: int = 32_000, seed: int = 0):
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification

    torch.manual_seed(seed)
    config = XLMRobertaConfig(vocab_size=vocab, hidden_size=768, num_hidden_layers=12,
                              num_attention_heads=12, intermediate_size=3072,
                              max_position_embeddings=514, num_labels=3)
    return XLMRobertaForSequenceClassification(config).eval()


def timed(fn, repeats: int) -> float:
    fn()  # warm-up: first-call costs (kernel selection, allocations) stay out
    t0 = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - t0) / repeats


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seq", type=int, default=64)
    args = parser.parse_args(argv)
    fp32 = build()
    bf16 = copy.deepcopy(fp32).to(torch.bfloat16)
    ids = torch.randint(5, 30_000, (args.batch, args.seq))
    mask = torch.ones_like(ids)
    tokens = ids.numel()

    def run(model, autocast: bool):
        def call():
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16,
                                                        enabled=autocast):
                return model(input_ids=ids, attention_mask=mask).logits.float()
        return call

    variants = {"fp32": run(fp32, False), "bf16_autocast": run(fp32, True),
                "bf16_weights": run(bf16, False)}
    ref = variants["fp32"]()
    drift = {name: float((fn() - ref).abs().max()) for name, fn in variants.items()}
    rounds = []
    for _ in range(args.rounds):
        per_s = {name: tokens / timed(fn, args.repeats) for name, fn in variants.items()}
        row = {**{f"{k}_tokens_per_s": round(v, 1) for k, v in per_s.items()},
               "autocast_x": round(per_s["bf16_autocast"] / per_s["fp32"], 2),
               "weights_x": round(per_s["bf16_weights"] / per_s["fp32"], 2),
               "weights_over_autocast_x": round(per_s["bf16_weights"] / per_s["bf16_autocast"], 2)}
        rounds.append(row)
        print(json.dumps(row), flush=True)
    summary = {key: statistics.median(r[key] for r in rounds)
               for key in ("autocast_x", "weights_x", "weights_over_autocast_x")}
    print(json.dumps({"median": summary, "max_logit_diff_vs_fp32": drift,
                      "threads": torch.get_num_threads(), "tokens_per_batch": tokens}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
