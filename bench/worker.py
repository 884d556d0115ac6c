"""One benchmark job in its own process: `python -m bench.worker JOB.json RESULT.json`.

Each path runs alone in a fresh interpreter so its peak resident memory (`ru_maxrss`) is its
own, and so no model or thread setting of one path leaks into another's timings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def job_stages(spec: dict[str, Any]) -> dict[str, Any]:
    """Translation stage vs raw CTranslate2, and every classifier precision option."""
    from newslens.models.engines import auto_precision
    from newslens.models.loading import resolve
    from newslens.models.options import ClassifierOptions
    from newslens.pipeline.ingest_step import ingest
    from newslens.pipeline.model_steps import plan_models, targets_from
    from newslens.text.targets import find_mentions
    from newslens.threads import limit_threads

    from bench.classifiers import choose_precision, compare_options, stage_workloads
    from bench.knobs import check_decode_mode
    from newslens.config import load_settings
    from bench.translate_bench import translation_figures

    decode_mode = check_decode_mode(spec.get("decode_ratio"))
    work = Path(spec["work"])
    settings = load_settings(lake=str(work / "stages-lake"))
    threads = limit_threads(settings.torch_threads)
    now = dt.datetime.now(dt.timezone.utc)
    outcome = ingest(Path(spec["input"]), settings, run_id="bench-stages",
                     now=now, limit=spec["stage_articles"])
    articles, sentences = outcome.articles, outcome.sentences
    plan = plan_models(["translate", "sentiment", "stance"], set(articles["lang"]), settings)
    out: dict[str, Any] = {"decode_mode": decode_mode, "threads": threads,
                           "articles": len(articles), "sentences": len(sentences)}
    t0 = time.perf_counter()
    out["translation"] = translation_figures(articles, sentences, plan, settings,
                                             threads=threads,
                                             ablation_sentences=spec["ablation_sentences"],
                                             full_ablations=spec.get("full_ablations", True))
    out["translation"]["total_s"] = time.perf_counter() - t0
    targets = targets_from(settings)
    loads = stage_workloads(sentences, targets, settings, spec["sentiment_sentences"],
                            spec["stance_mentions"])
    out["classifiers"], out["chosen_precision"], out["calibration_s"] = {}, {}, {}
    for stage, load in loads.items():
        resolved = resolve(load["model"], settings.models_dir, allow_download=False)
        caps = {option: cap[stage] for option, cap in spec.get("option_caps", {}).items()}
        out["classifiers"][stage] = compare_options(
            resolved, settings, spec["precision_options"], load["run"], load["probs"], load["n"],
            threads, caps)
        out["classifiers"][stage]["items"] = load["n"]
        # What `auto` runs: measured here once (the cache folder is shared with the later
        # newslens job, which reuses the choice), timed as the first run on a machine pays it.
        t0 = time.perf_counter()
        out["chosen_precision"][stage] = auto_precision(
            resolved, ClassifierOptions.from_settings(settings))
        out["calibration_s"][stage] = time.perf_counter() - t0
    per_article = len(articles) or 1
    mentions = find_mentions(sentences, targets)
    out["mentions_per_article"] = len(mentions) / per_article
    out["sentences_per_article"] = len(sentences) / per_article
    out["mention_sentence_share"] = (mentions[["article_id", "sent_idx"]].drop_duplicates().shape[0]
                                     / max(1, len(sentences)))
    out["nli_pairs_per_article"] = {"newslens": 3 * out["mentions_per_article"],
                                    "naive": len(targets) * out["sentences_per_article"]}
    out["threads_ablation"] = _one_thread(loads["sentiment"], settings, threads)
    weights = {"sentiment": out["sentences_per_article"], "stance": out["mentions_per_article"]}
    out["fastest_option"] = {
        stage: max((o for o, e in r.items() if isinstance(e, dict) and "per_s" in e),
                   key=lambda o, r=r: r[o]["per_s"])
        for stage, r in out["classifiers"].items()}
    out["fastest_agreeing_precision"] = choose_precision(
        {s: {k: v for k, v in r.items() if isinstance(v, dict)} for s, r in out["classifiers"].items()},
        weights)
    return out


def _one_thread(load: dict[str, Any], settings: Any, threads: int) -> dict[str, float]:
    """Sentiment fp32 with one torch thread, against the run's thread count."""
    import torch

    from bench.classifiers import compare_options
    from newslens.models.loading import resolve

    resolved = resolve(load["model"], settings.models_dir, allow_download=False)
    torch.set_num_threads(1)
    try:
        one = compare_options(resolved, settings, ["fp32"], load["run"], load["probs"], load["n"], 1)
    finally:
        torch.set_num_threads(threads)
    return {"sentiment_fp32_1_thread_per_s": one["fp32"].get("per_s", 0.0), "threads": threads}


def job_newslens(spec: dict[str, Any]) -> dict[str, Any]:
    from bench.e2e import run_newslens
    from bench.knobs import check_decode_mode

    mode = check_decode_mode(spec.get("decode_ratio"))
    return {"decode_mode": mode, **run_newslens(spec)}


def job_naive(spec: dict[str, Any]) -> dict[str, Any]:
    from newslens.config import load_settings
    from bench.naive import corpus_languages, load_naive, naive_flow, run_naive

    settings = load_settings()
    source, work = Path(spec["input"]), Path(spec["work"])
    warm = Path(spec["warm_input"]) if spec.get("warm_input") else source
    langs = corpus_languages(source, settings, spec["naive_articles"])
    langs |= corpus_languages(warm, settings, None if spec.get("warm_input") else 1)
    out: dict[str, Any] = {"load_s": load_naive(settings, langs, spec.get("decode_ratio"))}
    t0 = time.perf_counter()
    naive_flow(str(warm), str(work / "naive-warm"), 1)  # first calls of every pipeline
    out["warm_s"] = time.perf_counter() - t0
    out["run"] = run_naive(source, work / "naive-out", spec["naive_articles"])
    import torch

    out["torch_threads"] = torch.get_num_threads()
    return out


def job_lake(spec: dict[str, Any]) -> dict[str, Any]:
    from bench.lakebench import lake_figures

    return lake_figures(Path(spec["work"]) / "synthetic-lake", spec["lake_sentences"],
                        spec.get("query_repeats", 5))


JOBS = {"stages": job_stages, "newslens": job_newslens, "naive": job_naive, "lake": job_lake}


def main(argv: list[str]) -> int:
    job_file, result_file = Path(argv[0]), Path(argv[1])
    spec = json.loads(job_file.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    load_before = os.getloadavg()
    result = JOBS[spec["kind"]](spec)
    result["wall_s"] = time.perf_counter() - t0
    result["load_avg"] = {"start": load_before, "end": os.getloadavg()}
    result["peak_rss_mb"] = _peak_rss_mb()
    result_file.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
