"""Shards on Dask workers against the local runner: articles per minute and per-shard overhead.

    python -m bench.scale [--articles 32] [--shard 8] [--small-shard 2] [--models DIR] [--json PATH]

On one generated input, each a fresh lake through the `analyze-articles` flow: the local
runner; a Dask LocalCluster of 1 and of 2 worker processes (started and warmed up before the
clock starts, so the figure is the steady state a long run sees; the start is timed apart);
and the 1-worker cluster again with small shards, for the cost of one more shard:
(seconds with small shards - seconds with big ones) / (extra shards), against the same figure
for the local runner's batches (a local batch commits once too). The local runner runs
first and last, to show how much the machine drifted meanwhile. Models: the tiny ones by
default (`newslens models tiny`), so the per-article work is small and overheads show large.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's ephemeral state goes to a scratch folder, not ~/.prefect (set before Prefect loads).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newslens-bench-prefect-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The temporary API server can take longer than Prefect's default 20 s to start on a busy box.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=32)
    p.add_argument("--shard", type=int, default=8, help="articles per shard (and per local batch)")
    p.add_argument("--small-shard", type=int, default=2, help="shard size of the overhead run")
    p.add_argument("--models", type=Path, help="models folder (default: tiny models, made here)")
    p.add_argument("--json", type=Path)
    return p.parse_args(argv)


def _flow(input_dir: Path, lake: Path, models: Path, **runner: Any) -> tuple[float, dict]:
    from newslens.flows.analyze import analyze_articles

    t0 = time.perf_counter()
    result = analyze_articles(input=str(input_dir), lake=str(lake), models_dir=str(models), **runner)
    seconds = time.perf_counter() - t0
    if result["status"] != "completed":
        raise RuntimeError(f"run ended {result['status']}: {result.get('error')}")
    return seconds, result


def _rate(articles: int, seconds: float) -> float:
    return round(60.0 * articles / seconds, 2)


def _cluster_runs(n_workers: int, work: Path, input_dir: Path, warm: Path, models: Path,
                  shard: int, small: int | None) -> dict[str, Any]:
    import psutil
    from distributed import Client, LocalCluster

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        out["cluster_start_s"] = round(time.perf_counter() - t0, 2)
        address = cluster.scheduler_address
        out["warmup_s"] = round(_flow(warm, work / f"warm-{n_workers}", models, runner="dask",
                                      address=address, shard_articles=1)[0], 2)
        seconds, result = _flow(input_dir, work / f"dask-{n_workers}", models, runner="dask",
                                address=address, shard_articles=shard)
        out.update(seconds=round(seconds, 2), articles=result["n_new"], shards=len(result["shards"]),
                   articles_per_min=_rate(result["n_new"], seconds),
                   worker_rss_mb=sorted(round(v / 2**20) for v in client.run(
                       lambda: psutil.Process().memory_info().rss).values()),
                   threads=sorted({r["threads"] for r in result["shards"]}))
        if small:
            s_seconds, s_result = _flow(input_dir, work / f"dask-{n_workers}-small", models,
                                        runner="dask", address=address, shard_articles=small)
            extra = len(s_result["shards"]) - len(result["shards"])
            out["small_shards"] = {"shard_articles": small, "seconds": round(s_seconds, 2),
                                   "shards": len(s_result["shards"]),
                                   "per_shard_overhead_s": round((s_seconds - seconds) / extra, 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.corpus import write_corpus, write_warmup
    from newslens.config import Settings
    from newslens.models.inventory import make_tiny_models
    from newslens.threads import available_cores, cpu_flags

    work = Path(tempfile.mkdtemp(prefix="newslens-bench-scale-"))
    os.environ.setdefault("NEWSLENS_CACHE_DIR", str(work / "cache"))
    models = args.models
    if models is None:
        models = work / "models"
        make_tiny_models(Settings(), models)
    input_dir, warm = work / "input", write_warmup(work / "warm")
    write_corpus(input_dir, args.articles)
    figures: dict[str, Any] = {
        "machine": {"cores": available_cores(), "cpu": platform.processor() or platform.machine(),
                    "avx512": "avx512f" in cpu_flags(), "amx": "amx_tile" in cpu_flags(),
                    "python": platform.python_version(), "load_at_start": os.getloadavg()},
        "input": {"articles": args.articles, "shard_articles": args.shard,
                  "models": "tiny" if args.models is None else str(args.models)}}
    _flow(warm, work / "warm-local", models)  # loads and converts every model in this process
    local = []
    for n in (1, 2):
        seconds, result = _flow(input_dir, work / f"local-{n}", models, shard_articles=args.shard)
        local.append({"seconds": round(seconds, 2), "articles": result["n_new"],
                      "articles_per_min": _rate(result["n_new"], seconds)})
        if n == 1:
            s_seconds, s_result = _flow(input_dir, work / "local-small", models,
                                        shard_articles=args.small_shard)
            extra = math.ceil(args.articles / args.small_shard) - math.ceil(args.articles / args.shard)
            figures["local_small_batches"] = {
                "batch_articles": args.small_shard, "seconds": round(s_seconds, 2),
                "per_batch_overhead_s": round((s_seconds - seconds) / extra, 3)}
            figures["dask_2"] = _cluster_runs(2, work, input_dir, warm, models, args.shard, None)
            figures["dask_1"] = _cluster_runs(1, work, input_dir, warm, models, args.shard,
                                              args.small_shard)
    figures["local_first"], figures["local_last"] = local
    best_local = max(r["articles_per_min"] for r in local)
    for k in ("dask_1", "dask_2"):
        figures[k]["vs_best_local"] = round(figures[k]["articles_per_min"] / best_local, 3)
    figures["machine"]["load_at_end"] = os.getloadavg()
    # What a shard costs beyond what a local batch costs (both commit once; the rest is the
    # task run, the trip to the worker and back).
    figures["dask_extra_per_shard_s"] = round(
        figures["dask_1"]["small_shards"]["per_shard_overhead_s"]
        - figures["local_small_batches"]["per_batch_overhead_s"], 3)
    figures["expected_shards"] = math.ceil(args.articles / args.shard)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
