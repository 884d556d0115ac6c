"""Does writing the lake get slower as it grows? DuckLake against the old Parquet-folder layout.

One synthetic corpus (bench.lakebench's distributions, at least a million sentences) is cut
into nightly batches and appended batch by batch to two lakes in the same run: the DuckLake
lake (`newslens.lake`: one transaction per batch, insert-where-absent in SQL) and the layout
newslens had before (bench.legacy_lake: one file per table and partition per write, every
stored key of a touched partition read back into Python). Every batch holds articles of
every month (late and back-filled news), so each batch touches every partition.

Recorded per layout: each batch's append time (the 1st and the last, and their ratio), the
number of Parquet files after `--compact-after` batches and at the end, before and after
`newslens lake compact` (the old layout had no compaction), and each README query through
the read-only path of `newslens sql`. The layouts take turns batch by batch, so a change in
the machine's load hits both alike.

    python -m bench.lake_growth --json bench/results/lake-growth-<date>.json [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from bench import legacy_lake
from bench.lakebench import synthetic_tables
from newslens.queries import EXAMPLE_QUERIES

ARTICLE_TABLES = ("sentences", "sentiment", "stance_mentions", "stance", "articles")
FULL = dict(sentences=1_000_000, batches=50, compact_after=30, repeats=3)
QUICK = dict(sentences=6_000, batches=5, compact_after=3, repeats=1)


def batches_of(tables: dict[str, pd.DataFrame], n: int, seed: int = 11) -> list[dict[str, pd.DataFrame]]:
    """Cut the tables into `n` batches of whole articles, each drawn across every month."""
    ids = tables["articles"]["article_id"].to_numpy()
    which = pd.Series(np.random.default_rng(seed).permutation(len(ids)) % n, index=ids)
    out: list[dict[str, pd.DataFrame]] = [{} for _ in range(n)]
    for name, frame in tables.items():
        index = frame["article_id"].map(which).to_numpy()
        for b, part in frame.groupby(index, sort=True):
            out[int(b)][name] = part.reset_index(drop=True)
    return out


def parquet_files(folder: Path) -> int:
    return sum(1 for p in Path(folder).rglob("*.parquet") if not p.name.startswith("."))


class DuckLakeLayout:
    """The product's lake, written and queried through newslens.lake."""

    name = "ducklake"

    def __init__(self, lake: Path) -> None:
        from newslens.lake import transaction

        self.lake = lake
        with transaction(lake):  # creates the catalog and tables outside the timed batches
            pass

    def write_batch(self, batch: dict[str, pd.DataFrame], run_id: str) -> None:
        from newslens.lake import transaction

        with transaction(self.lake, message=run_id) as tx:
            for name in ARTICLE_TABLES:
                if name in batch:
                    tx.append(name, batch[name])

    def files(self) -> int:
        return parquet_files(self.lake / "data")

    def compact(self) -> dict[str, Any]:
        from newslens.lake.maintenance import compact

        return compact(self.lake, retention_days=0)

    def query(self, sql: str) -> pd.DataFrame:
        from newslens.lake import run_query

        return run_query(self.lake, sql)

    def session(self):
        from newslens.lake import open_reader

        return open_reader(self.lake)


class LegacyLayout:
    """The Parquet-folder layout before DuckLake (bench.legacy_lake)."""

    name = "legacy"

    def __init__(self, lake: Path) -> None:
        self.lake = lake

    def write_batch(self, batch: dict[str, pd.DataFrame], run_id: str) -> None:
        legacy_lake.write_batch(self.lake, batch, run_id=run_id)

    def files(self) -> int:
        return legacy_lake.data_files(self.lake)

    def compact(self) -> None:
        return None  # the old layout had no compaction

    def query(self, sql: str) -> pd.DataFrame:
        return legacy_lake.run_query(self.lake, sql)

    def before_queries(self) -> None:
        legacy_lake.refresh_catalog(self.lake)

    def session(self):
        import duckdb

        return duckdb.connect(str(legacy_lake.catalog_path(self.lake)), read_only=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def time_queries(layout, repeats: int) -> list[dict[str, Any]]:
    """Each README query: rows, and the median of `repeats` runs after one warm-up, through
    `newslens sql`'s path (a fresh read-only session each time) and, to tell session set-up from
    execution, on one open session."""
    if hasattr(layout, "before_queries"):
        layout.before_queries()
    out = []
    for title, sql in EXAMPLE_QUERIES:
        rows = len(layout.query(sql))
        times = [_timed(lambda: layout.query(sql))[0] for _ in range(repeats)]
        con = layout.session()
        try:
            con.execute(sql).df()
            exec_times = [_timed(lambda: con.execute(sql).df())[0] for _ in range(repeats)]
        finally:
            con.close()
        out.append({"title": title, "rows": rows, "median_s": statistics.median(times),
                    "exec_median_s": statistics.median(exec_times)})
    return out


def _checkpoint(layout, tag: str, result: dict[str, Any], log: Callable[[str], None]) -> None:
    """Count the files, compact where the layout can, count again."""
    result[f"files_{tag}"] = layout.files()
    seconds, done = _timed(layout.compact)
    result[f"files_{tag}_compacted"] = layout.files() if done is not None else None
    if done is not None:
        result["compact_s"].append(seconds)
    log(f"{layout.name}: after {len(result['batch_s'])} batches, files {result[f'files_{tag}']} "
        f"-> {result[f'files_{tag}_compacted']} (last batch {result['batch_s'][-1]:.3f} s)")


def grow(layouts: list, batches: list[dict[str, pd.DataFrame]], compact_after: int, repeats: int,
         log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    """Append every batch to each layout in turn (so both see the same machine load), compact
    after `compact_after` batches and at the end; the queries run before the last compaction
    and after it."""
    results: dict[str, dict[str, Any]] = {l.name: {"batch_s": [], "compact_s": []} for l in layouts}
    for b, batch in enumerate(batches, start=1):
        for layout in layouts:
            seconds, _ = _timed(lambda: layout.write_batch(batch, f"bench-{b:03d}"))
            results[layout.name]["batch_s"].append(seconds)
        if b == compact_after and b < len(batches):
            for layout in layouts:
                _checkpoint(layout, "after_compact_batch", results[layout.name], log)
    for layout in layouts:
        r = results[layout.name]
        r["queries"] = time_queries(layout, repeats)
        _checkpoint(layout, "end", r, log)
        if compact_after == len(batches):
            r["files_after_compact_batch"] = r["files_end"]
            r["files_after_compact_batch_compacted"] = r["files_end_compacted"]
        r["queries_compacted"] = time_queries(layout, repeats) if r["compact_s"] else None
    return results


def figures(results: dict[str, dict[str, Any]], n_batches: int) -> dict[str, float | int | None]:
    """The flat figures BENCHMARKS.md reports, per layout."""
    out: dict[str, float | int | None] = {}
    for name, r in results.items():
        t = r["batch_s"]
        out[f"{name}_batch_first_s"] = t[0]
        out[f"{name}_batch_last_s"] = t[-1]
        out[f"{name}_growth_ratio"] = t[-1] / t[0]
        k = min(3, len(t))
        out[f"{name}_growth_ratio_median3"] = statistics.median(t[-k:]) / statistics.median(t[:k])
        for key in ("files_after_compact_batch", "files_after_compact_batch_compacted",
                    "files_end", "files_end_compacted"):
            out[f"{name}_{key}"] = r[key]
        out[f"{name}_compact_s"] = r["compact_s"][-1] if r["compact_s"] else None
        for i, q in enumerate(r["queries"], start=1):
            out[f"{name}_query{i}_s"] = q["median_s"]
            out[f"{name}_query{i}_exec_s"] = q["exec_median_s"]
            if r["queries_compacted"]:
                out[f"{name}_query{i}_compacted_s"] = r["queries_compacted"][i - 1]["median_s"]
    out["batches"] = n_batches
    return out


def run(sentences: int, n_batches: int, compact_after: int, repeats: int, work: Path,
        log: Callable[[str], None] = print) -> dict[str, Any]:
    t0 = time.perf_counter()
    tables = synthetic_tables(sentences)
    log(f"generated {len(tables['sentences']):,} sentences in {time.perf_counter() - t0:.1f} s")
    batches = batches_of(tables, n_batches)
    rows = {name: len(frame) for name, frame in tables.items()}
    del tables
    results = grow([DuckLakeLayout(work / "ducklake"), LegacyLayout(work / "legacy")], batches,
                   compact_after, repeats, log)
    figs = figures(results, n_batches)
    figs["lake_sentences"] = rows["sentences"]
    return {"figures": figs, "rows": rows, "details": results}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.lake_growth", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="a tiny lake: checks the figures are produced")
    p.add_argument("--json", type=Path, help="write the figures to this JSON file")
    p.add_argument("--sentences", type=int)
    p.add_argument("--batches", type=int)
    p.add_argument("--compact-after", type=int)
    p.add_argument("--work", type=Path, help="folder for the two lakes (default: a temp folder)")
    args = p.parse_args(argv)
    conf = dict(QUICK if args.quick else FULL)
    for key in ("sentences", "batches", "compact_after"):
        if getattr(args, key) is not None:
            conf[key] = getattr(args, key)
    if not 1 <= conf["compact_after"] <= conf["batches"]:
        p.error("--compact-after must be between 1 and --batches")
    work = args.work or Path(tempfile.mkdtemp(prefix="newslens-lake-growth-"))
    started = dt.datetime.now(dt.timezone.utc)
    try:
        doc = run(conf["sentences"], conf["batches"], conf["compact_after"], conf["repeats"], work,
                  log=lambda m: print(f"[lake-growth {time.strftime('%H:%M:%S')}] {m}", flush=True))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    doc["meta"] = {"started": started.isoformat(), "quick": args.quick, **conf,
                   "machine": platform.machine(), "processor": platform.processor(),
                   "cpus": os.cpu_count(), "load_avg": list(os.getloadavg())}
    for key, value in doc["figures"].items():
        print(f"{key:<48} {value}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
