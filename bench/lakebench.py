"""A synthetic lake of a million sentences, written by newslens's writer, and the README's
queries timed against it through `newslens sql`'s own read-only path.

Distributions follow the corpus: languages by `LANGUAGE_SHARES`, 18 months growing over
time, 15-45 sentences an article, a third of sentences mentioning a target (`TARGET_SHARES`,
sometimes two), 2% near-duplicates. The lake is written the way nightly runs write it:
articles in date order, two runs a month, so each partition holds a few files.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newslens.lake.commit import transaction
from newslens.lake.connection import open_reader
from newslens.lake.sql import run_query
from newslens.queries import EXAMPLE_QUERIES

from bench.corpus import FIRST_MONTH, N_MONTHS, sentence
from bench.lexicon import LANGUAGE_SHARES, TARGET_SHARES

POOL = 1500  # distinct sentences per language to draw text from
RUNS_PER_MONTH = 2
MENTION_RATE = 0.33
SECOND_TARGET_RATE = 0.15
MODEL = "bench/synthetic"


def _months() -> list[str]:
    out = []
    for m in range(N_MONTHS):
        year, mon = divmod(FIRST_MONTH.month - 1 + m, 12)
        out.append(f"{FIRST_MONTH.year + year:04d}-{mon + 1:02d}")
    return out


def _probs(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.dirichlet([1.0, 2.0, 1.0], size=n).astype(np.float32)


def synthetic_tables(n_sentences: int, seed: int = 3) -> dict[str, pd.DataFrame]:
    """Every article table for about `n_sentences` sentences, as frames ready to write."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(15, 46, size=n_sentences // 15 + 1)
    n_art = int(np.searchsorted(np.cumsum(counts), n_sentences)) + 1
    counts = counts[:n_art]
    months = _months()
    weights = np.linspace(1.0, 2.0, len(months))
    month_idx = np.sort(rng.choice(len(months), size=n_art, p=weights / weights.sum()))
    langs = np.array(list(LANGUAGE_SHARES))
    lang = rng.choice(langs, size=n_art, p=np.array(list(LANGUAGE_SHARES.values())))
    ids = np.array([hashlib.blake2b(f"{seed}-{i}".encode(), digest_size=8).hexdigest()
                    for i in range(n_art)])
    month = np.array(months)[month_idx]
    day = rng.integers(1, 29, size=n_art)
    published = pd.to_datetime([f"{m}-{d:02d}" for m, d in zip(month, day)]).date
    dup = np.where(rng.random(n_art) < 0.02, ids[rng.integers(0, n_art, n_art)], None)
    articles = pd.DataFrame({"article_id": ids, "published": published, "published_precision": "day",
                             "lang": lang, "title": "Synthetic headline", "title_en": "Synthetic headline",
                             "n_sentences": counts, "duplicate_of": dup, "source_format": "txt",
                             "translation_model": MODEL, "published_month": month})
    pyrng = random.Random(seed)
    pools = {lg: [sentence(lg, pyrng) for _ in range(POOL)] for lg in langs}
    english = pools["en"]
    art_of = np.repeat(np.arange(n_art), counts)
    n = len(art_of)
    sent_idx = np.concatenate([np.arange(c) for c in counts]).astype(np.int32)
    pick = rng.integers(0, POOL, size=n)
    text = [pools[lg][k] for lg, k in zip(lang[art_of], pick)]
    text_en = [english[k] for k in pick]
    sentences = pd.DataFrame({"article_id": ids[art_of], "sent_idx": sent_idx, "text": text,
                              "lang": lang[art_of], "text_en": text_en, "translation_model": MODEL,
                              "published_month": month[art_of]})
    p = _probs(rng, n)
    labels = np.array(["negative", "neutral", "positive"])
    sent_rows = pd.DataFrame({"article_id": ids[art_of], "level": "sentence", "sent_idx": sent_idx,
                              "label": labels[p.argmax(1)], "p_negative": p[:, 0], "p_neutral": p[:, 1],
                              "p_positive": p[:, 2], "score": p[:, 2] - p[:, 0],
                              "text_source": "original", "model": MODEL,
                              "published_month": month[art_of]})
    means = ["p_negative", "p_neutral", "p_positive", "score"]
    art_sent = sent_rows.groupby("article_id", sort=False)[means].mean()
    art_sent = art_sent.reindex(ids).reset_index()
    art_sent["level"], art_sent["model"], art_sent["published_month"] = "article", MODEL, month
    art_sent["label"] = labels[art_sent[["p_negative", "p_neutral", "p_positive"]].to_numpy().argmax(1)]
    art_sent["n_sentences"] = counts
    sentiment = pd.concat([sent_rows, art_sent], ignore_index=True)
    mentions = _mentions(rng, ids[art_of], sent_idx, month[art_of])
    return {"articles": articles, "sentences": sentences, "sentiment": sentiment,
            "stance_mentions": mentions, "stance": _stance(mentions)}


def _mentions(rng: np.random.Generator, art: np.ndarray, sent_idx: np.ndarray,
              month: np.ndarray) -> pd.DataFrame:
    targets = np.array(list(TARGET_SHARES))
    shares = np.array(list(TARGET_SHARES.values()))
    rows = np.flatnonzero(rng.random(len(art)) < MENTION_RATE)
    second = rows[rng.random(len(rows)) < SECOND_TARGET_RATE]
    which = np.concatenate([rows, second])
    first = rng.choice(len(targets), size=len(rows), p=shares / shares.sum())
    shift = rng.integers(1, len(targets), len(second))  # a different target, never the same
    other = (first[np.searchsorted(rows, second)] + shift) % len(targets)
    tid = targets[np.concatenate([first, other])]
    p = _probs(rng, len(which))
    frame = pd.DataFrame({"article_id": art[which], "sent_idx": sent_idx[which], "target_id": tid,
                          "matched_alias": tid, "matched_on": "original",
                          "label": np.array(["favor", "against", "neutral"])[p.argmax(1)],
                          "p_favor": p[:, 0], "p_against": p[:, 1], "p_neutral": p[:, 2],
                          "model": MODEL, "published_month": month[which]})
    return frame.sort_values(["article_id", "sent_idx"], kind="stable").reset_index(drop=True)


def _stance(mentions: pd.DataFrame) -> pd.DataFrame:
    m = mentions.assign(s=mentions["p_favor"] - mentions["p_against"])
    g = m.groupby(["article_id", "target_id"], sort=False)
    out = g.agg(score=("s", "mean"), n_mentions=("s", "size"), published_month=("published_month", "first"),
                evidence_sent_idx=("sent_idx", lambda x: list(x)[:3])).reset_index()
    out["label"] = np.where(out["score"] > 0.15, "favor",
                            np.where(out["score"] < -0.15, "against", "neutral"))
    out["confidence"] = out["score"].abs().astype(np.float32)
    out["target_name"], out["model"] = out["target_id"], MODEL
    return out


def write_lake(lake: Path, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Write the tables in run-sized slices (two a month, in date order); returns counts."""
    order = tables["articles"]["article_id"].to_numpy()
    slices = np.array_split(np.arange(len(order)), N_MONTHS * RUNS_PER_MONTH)
    pos = {aid: i for i, aid in enumerate(order)}
    keys = {name: frame["article_id"].map(pos).to_numpy() for name, frame in tables.items()}
    t0 = time.perf_counter()
    for r, chunk in enumerate(slices):
        lo, hi = chunk[0], chunk[-1]
        with transaction(lake, message=f"bench-{r:03d}") as tx:  # one batch: one transaction
            for name in ("sentences", "sentiment", "stance_mentions", "stance", "articles"):
                frame = tables[name]
                tx.append(name, frame[(keys[name] >= lo) & (keys[name] <= hi)])
    return {"write_s": time.perf_counter() - t0,
            "rows": {name: len(frame) for name, frame in tables.items()}, "runs": len(slices)}


def _median_time(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def time_queries(lake: Path, repeats: int = 5) -> list[dict[str, Any]]:
    """Each example query through `run_query` (what `newslens sql` runs, connection and
    read-only checks included), median of repeats after a warm-up; and, for diagnosis, the
    execution alone on an open read-only connection to the lake."""
    out = []
    for title, sql in EXAMPLE_QUERIES:
        rows = len(run_query(lake, sql))
        median, best = _median_time(lambda: run_query(lake, sql), repeats)
        con = open_reader(lake)
        try:
            con.execute(sql).df()
            exec_median, _ = _median_time(lambda: con.execute(sql).df(), repeats)
        finally:
            con.close()
        out.append({"title": title, "median_s": median, "min_s": best,
                    "exec_median_s": exec_median, "rows": rows})
    return out


def lake_figures(lake: Path, n_sentences: int, repeats: int = 5) -> dict[str, Any]:
    """Generate, write, then time the queries; everything the report needs."""
    t0 = time.perf_counter()
    tables = synthetic_tables(n_sentences)
    generate_s = time.perf_counter() - t0
    written = write_lake(lake, tables)
    del tables
    return {"generate_s": generate_s, **written, "queries": time_queries(lake, repeats)}
