"""`newslens bench`: newslens against the naive way, stage by stage, on one machine.

One invocation measures, on the same articles and model architectures: the naive baseline
(HF pipelines per stage, fp32, one Prefect task per article) against newslens's flow; each
model stage on its own; Prefect's share of a run; peak memory of each path; and the
README's queries on a synthetic lake of a million sentences. Paths run in worker processes
(`bench.worker`) one after another, so each has the machine and its own memory figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newslens.config import Settings

from newslens.models.classify import native_bf16

from bench.report import document, figures, table

DECODE_RATIO = 1.0  # English output tokens per source token, a realistic ratio for news
QUICK = dict(articles=2, naive_articles=2, e2e_chunks=2, warm_on_input=True, stage_articles=2,
             sentiment_sentences=32, stance_mentions=12, ablation_sentences=24,
             full_ablations=False, query_repeats=3,
             precision_options=["fp32", "bf16", "int8", "onnx-int8"])
FULL = dict(articles=200, naive_articles=8, e2e_chunks=4, stage_articles=20, sentiment_sentences=300,
            stance_mentions=120, ablation_sentences=120, full_ablations=True, query_repeats=5,
            precision_options=["fp32", "bf16", "int8", "onnx-int8", "onnx-fp32"],
            option_caps={"bf16": {"sentiment": 64, "stance": 24}})  # emulated bf16 is slow
JOB_TIMEOUT_S = 4 * 3600


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="newslens bench", description=__doc__.split("\n")[0],
                                epilog="`newslens bench lake-growth --help`: the lake growth benchmark "
                                       "(DuckLake against the old layout).")
    p.add_argument("--quick", action="store_true", help="small samples; minutes, not an hour")
    p.add_argument("--input", type=Path, help="folder of articles (default: a generated corpus)")
    p.add_argument("--articles", type=int, help="articles for the end-to-end runs")
    p.add_argument("--naive-articles", type=int, help="articles for the naive baseline "
                   "(newslens runs the same ones for the speedup)")
    p.add_argument("--json", type=Path, help="write every figure to this JSON file")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--models", default="full",
                   help="'full' (full-size random-weight models, built once and cached) or a "
                        "folder of models in newslens layout")
    p.add_argument("--lake-sentences", type=int, default=1_000_000)
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def model_setup(args: argparse.Namespace) -> tuple[Path, dict[str, Any]]:
    """The models folder and the routing the jobs use."""
    base = Settings()
    if args.models == "full":
        from bench.models import MARIAN_ID, bench_settings, ensure_full_models

        folder = ensure_full_models(Path(base.cache_dir).absolute() / "bench-models", log)
        routes = bench_settings(folder).translation_routes
        return folder, {"routes": routes, "fallback": MARIAN_ID, "models": "full-size, random weights"}
    folder = Path(args.models).absolute()
    if not folder.is_dir():
        raise SystemExit(f"--models {args.models}: no such folder")
    return folder, {"routes": None, "fallback": None, "models": str(folder)}


def worker_env(spec: dict[str, Any], work: Path) -> dict[str, str]:
    """The parent's environment plus newslens settings and a Prefect API for the worker."""
    from prefect.settings import get_current_settings

    from bench.knobs import newslens_env

    env = dict(os.environ)
    env.update(newslens_env(spec))
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    api = get_current_settings().api.url
    if api:  # a running server (or a test harness): workers report to it
        env["PREFECT_API_URL"] = str(api)
    elif "PREFECT_HOME" not in os.environ:
        env["PREFECT_HOME"] = str(work / "prefect-home")  # ephemeral state stays in the work dir
    return env


def run_job(kind: str, spec: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run one job in a worker process; its log goes to <work>/<kind>.log."""
    job = {**spec, "kind": kind}
    job_file, result_file, log_file = (work / f"{kind}.{ext}" for ext in ("job.json", "result.json", "log"))
    job_file.write_text(json.dumps(job, default=str), encoding="utf-8")
    log(f"{kind}: running (log: {log_file})")
    with open(log_file, "w", encoding="utf-8") as sink:
        proc = subprocess.run([sys.executable, "-m", "bench.worker", str(job_file), str(result_file)],
                              env=worker_env(spec, work), stdout=sink, stderr=subprocess.STDOUT,
                              timeout=JOB_TIMEOUT_S)
    if proc.returncode != 0 or not result_file.is_file():
        tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"bench job {kind!r} failed (exit {proc.returncode}):\n{tail}")
    result = json.loads(result_file.read_text(encoding="utf-8"))
    log(f"{kind}: done in {result['wall_s']:.0f} s, peak RSS {result['peak_rss_mb']:.0f} MB")
    return result


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform()}
    try:
        import psutil

        info["ram_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
        info["load_avg_at_start"] = os.getloadavg()
    except Exception:
        pass
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in lscpu.splitlines()
                            if ln.startswith("Model name")), "")
        flags = next((ln for ln in lscpu.splitlines() if ln.startswith("Flags")), "")
        info["cpu_flags"] = sorted(f for f in flags.split() if "avx" in f or "vnni" in f or "amx" in f)
    except Exception:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table last; exit 0 when it ran (targets may be missed)."""
    if argv and argv[0] == "lake-growth":  # `newslens bench lake-growth [--quick] [--json F]`
        from bench.lake_growth import main as lake_growth

        return lake_growth(argv[1:])
    args = parse_args(argv)
    params = dict(QUICK if args.quick else FULL)
    if args.articles:
        params["articles"] = args.articles
    params["naive_articles"] = min(args.naive_articles or params["naive_articles"], params["articles"])
    params["stage_articles"] = min(params["stage_articles"], params["articles"])
    if args.device == "cuda":  # int8 dynamic quantization and ONNX here are CPU-only
        params["precision_options"] = ["fp32", "bf16"]
    elif args.quick and not native_bf16("cpu"):  # minutes of emulated bf16 buy nothing in --quick
        params["precision_options"] = [o for o in params["precision_options"] if o != "bf16"]
        params["skipped"] = "bf16: no native bf16 on this CPU (the full run measures it)"
    work = Path(tempfile.mkdtemp(prefix="newslens-bench-"))
    started = time.perf_counter()
    try:
        models_dir, routing = model_setup(args)
        if args.input:
            source = args.input.absolute()
        else:
            from bench.corpus import write_corpus

            source = work / "corpus"
            write_corpus(source, params["articles"])
            log(f"generated {params['articles']} articles in {source}")
        from bench.corpus import write_warmup

        warm = write_warmup(work / "warmup")
        base = Settings()
        spec: dict[str, Any] = {
            **params, "input": str(source), "work": str(work), "models_dir": str(models_dir),
            "cache_dir": str(Path(base.cache_dir).absolute()),
            "targets_file": str(Path(base.targets_file).absolute()), "device": args.device,
            "routes": routing["routes"], "fallback": routing["fallback"], "warm_input": str(warm),
            "decode_ratio": DECODE_RATIO, "lake_sentences": args.lake_sentences,
            "ct2_compute_type": "int8_float16" if args.device == "cuda" else "int8",
        }
        stages = run_job("stages", {**spec, "precision": "fp32"}, work)
        chosen = stages["chosen_precision"]
        log(f"classifier precision: auto picks {chosen} here; fastest with labels agreeing: "
            f"{stages['fastest_agreeing_precision']}")
        e2e = run_job("newslens", {**spec, "precision": "auto"}, work)  # the product's default
        naive = run_job("naive", {**spec, "precision": "fp32"}, work)
        lake = run_job("lake", spec, work)
        rows = figures(stages, e2e, naive, lake)
        meta = {"command": "newslens bench " + " ".join(argv if argv is not None else sys.argv[1:]),
                "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "machine": machine(), "quick": args.quick, "params": params,
                "models": routing["models"], "decode_ratio": DECODE_RATIO,
                "classifier_precision": chosen, "wall_s": time.perf_counter() - started}
        doc = document(rows, meta, {"stages": stages, "newslens": e2e, "naive": naive, "lake": lake})
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(doc, indent=2, default=str), encoding="utf-8")
            log(f"wrote {args.json}")
        log(f"finished in {meta['wall_s']:.0f} s" + (" (quick: small samples)" if args.quick else ""))
        print(table(rows), flush=True)
        return 0
    finally:
        if args.keep:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
