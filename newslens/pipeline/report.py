"""Human-readable views of a run's summary (for the CLI and Prefect artifacts)."""

from __future__ import annotations

from typing import Any

from newslens.pipeline.runner import RunSummary


def summary_table(summary: RunSummary) -> list[dict[str, Any]]:
    """Rows of (metric, value): counts, per-language counts, stage timings, models."""
    rows: list[dict[str, Any]] = [
        {"metric": "run_id", "value": summary.run_id},
        {"metric": "status", "value": summary.status},
        {"metric": "inputs", "value": summary.n_inputs},
        {"metric": "new", "value": summary.n_new},
        {"metric": "duplicate", "value": summary.n_duplicate},
        {"metric": "  of which near-duplicate (stored, duplicate_of set)", "value": summary.n_near_duplicate},
        {"metric": "rejected", "value": summary.n_rejected},
        {"metric": "sentences written", "value": summary.n_sentences},
    ]
    rows.append({"metric": "translations flagged (sentences.mt_flags)", "value": summary.n_mt_flagged})
    if summary.n_reprocessed:
        rows.append({"metric": "reprocessed articles", "value": summary.n_reprocessed})
    for stage, c in summary.stage_counts.items():
        rows.append({"metric": f"stage [{stage}] computed / up to date / failed",
                     "value": f"{c['computed']} / {c['up_to_date']} / {c['failed']}"})
        rows.append({"metric": f"  [{stage}] computed = new + missing + stale + reprocessed",
                     "value": f"{c['new']} + {c['missing']} + {c['stale']} + {c['reprocessed']}"})
    if summary.snapshot_id is not None:
        rows.append({"metric": "lake snapshot", "value": summary.snapshot_id})
    rows += [{"metric": f"new articles [{lang}]", "value": n} for lang, n in summary.counts_by_lang.items()]
    rows += [{"metric": f"  und because {why}", "value": n} for why, n in summary.und_reasons.items()]
    rows += [{"metric": f"seconds [{stage}]", "value": s} for stage, s in summary.stage_seconds.items()]
    rows += [{"metric": f"model [{role}]", "value": ", ".join(ids)} for role, ids in summary.models.items() if ids]
    return rows


def summary_markdown(summary: RunSummary) -> str:
    ok = "yes" if summary.reconciles() else "**NO**"
    lines = [f"# newslens run `{summary.run_id}`: {summary.status}", "",
             f"{summary.n_inputs} inputs = {summary.n_new} new + {summary.n_duplicate} duplicate "
             f"+ {summary.n_rejected} rejected (reconciles: {ok})", "",
             "| metric | value |", "|---|---|"]
    lines += [f"| {r['metric'].strip()} | {r['value']} |" for r in summary_table(summary)]
    return "\n".join(lines) + "\n"
