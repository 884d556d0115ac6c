"""One batch of articles through the stages it needs, committed in one transaction.

New articles are appended (idempotent on the keys) after a last duplicate check inside the
commit; stored articles get the tables of the stages they recompute replaced. Either way the
batch's `article_stages` rows land in the same transaction as the rows they describe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from newslens.config import CLEAN_STAGE
from newslens.ingest import classify_duplicates
from newslens.ingest.ids import jaccard
from newslens.lake.commit import Transaction
from newslens.lake.state import STAGES, StagePlan, state_rows
from newslens.pipeline.clean_step import reclean_batch
from newslens.pipeline.context import RunContext
from newslens.pipeline.guard_steps import count_flagged
from newslens.pipeline.ingest_step import model_failure_rejects
from newslens.pipeline.model_steps import sentiment_batch, stance_batch, translate_batch


@dataclass
class Batch:
    """Articles (with their sentences) and the model stages to compute for them."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    stages: tuple[str, ...]
    is_new: bool
    rejects: list[pd.DataFrame] = field(default_factory=list)
    # Re-cleaning only: per outlet, the line hashes learned as boilerplate, read from the lake
    # where the batch is made, so a worker computing it needs no access to the lake.
    learned: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def to_compute(self) -> tuple[str, ...]:
        """The stages to run: a new article was cleaned by ingest a moment ago."""
        return tuple(s for s in self.stages if not (self.is_new and s == CLEAN_STAGE))


def compute(ctx: RunContext, articles: pd.DataFrame, sentences: pd.DataFrame,
            stages: Sequence[str], learned: dict[str, frozenset[str]] | None = None
            ) -> dict[str, pd.DataFrame]:
    """Run the stages (re-cleaning, then the models) over one batch; returns the tables they produce."""
    if CLEAN_STAGE in stages:
        articles, sentences = ctx.stage(CLEAN_STAGE, reclean_batch, articles, learned or {},
                                        ctx.settings, run_id=ctx.run_id)
    out: dict[str, pd.DataFrame] = {"articles": articles, "sentences": sentences}
    if "translate" in stages:
        out["articles"], out["sentences"] = ctx.stage("translate", translate_batch, articles,
                                                      sentences, ctx.plan, ctx.settings)
    if "sentiment" in stages:
        out["sentiment"] = ctx.stage("sentiment", sentiment_batch, out["sentences"], ctx.plan,
                                     ctx.settings, run_id=ctx.run_id)
    if "stance" in stages:
        out["stance_mentions"], out["stance"] = ctx.stage("stance", stance_batch, out["sentences"],
                                                          ctx.plan, ctx.settings, run_id=ctx.run_id)
    return out


def compute_isolating_failures(ctx: RunContext, batch: Batch) -> dict[str, pd.DataFrame]:
    """Compute a batch; if it fails, article by article, so one bad article cannot sink the rest."""
    try:
        return compute(ctx, batch.articles, batch.sentences, batch.to_compute, batch.learned)
    except Exception as exc:
        ctx.log.warning("batch of %d articles failed (%s); retrying one by one", len(batch.articles), exc)
    good: list[dict[str, pd.DataFrame]] = []
    ids = batch.articles["article_id"].tolist()
    for n, aid in enumerate(ids):
        art = batch.articles[batch.articles["article_id"] == aid]
        sent = batch.sentences[batch.sentences["article_id"] == aid]
        try:
            good.append(compute(ctx, art, sent, batch.to_compute, batch.learned))
        except Exception as exc:  # recorded as a reject with its stage; the run goes on
            if len(ids) > 1 and n == len(ids) - 1 and not good:
                # Every article failed: a broken model or setting, not bad input. Fail the
                # run so nothing is marked as read and the next run retries the files.
                raise
            stage = getattr(exc, "newslens_stage", "model")
            batch.rejects.append(model_failure_rejects(art, stage, exc, run_id=ctx.run_id,
                                                       now=ctx.started))
            ctx.failed_ids.add(aid)
            if batch.is_new:
                ctx.summary.article_failed(was_near_duplicate=not art["duplicate_of"].isna().all())
    if not good:
        return {}
    return {name: pd.concat([g[name] for g in good], ignore_index=True) for name in good[0]}


def _recheck_duplicates(ctx: RunContext, tx: Transaction, articles: pd.DataFrame,
                        since: int) -> tuple[pd.DataFrame, set[str]]:
    """Re-decide duplicates against articles other runs committed since this run read the lake."""
    latest = int(tx.query("SELECT id FROM lake.current_snapshot()").iloc[0, 0])
    if latest <= since or not len(articles):
        return articles, set()
    fresh = tx.query("SELECT article_id, simhash, duplicate_of, body FROM ducklake_table_insertions("
                     "'lake', 'main', 'articles', ?, ?) WHERE run_id IS DISTINCT FROM ?",
                     [since + 1, latest, ctx.run_id])
    if not len(fresh):
        return articles, set()
    bodies = dict(zip(fresh["article_id"], fresh["body"]))
    candidates = articles[articles["duplicate_of"].isna()]
    ids, texts = candidates["article_id"].tolist(), candidates["body"].tolist()

    def confirm(i: int, original: str) -> bool:
        other = bodies.get(original)
        return other is not None and jaccard(texts[i], other) >= ctx.settings.near_duplicate_min_jaccard

    verdicts = classify_duplicates(ids, [int(s) for s in candidates["simhash"].fillna(0)],
                                   fresh["article_id"].tolist(), [int(s) for s in fresh["simhash"].fillna(0)],
                                   fresh["duplicate_of"].tolist(),
                                   max_distance=ctx.settings.near_duplicate_max_distance, confirm=confirm)
    out = articles.copy()
    stored = set(fresh["article_id"])
    for aid, (status, root) in zip(ids, verdicts):
        if aid in stored:
            ctx.summary.became_duplicate(was_near_duplicate=False, now_near=False)
        elif status != "new":
            out.loc[out["article_id"] == aid, "duplicate_of"] = root
            ctx.summary.became_duplicate(was_near_duplicate=False, now_near=True)
    for aid in set(articles.loc[articles["duplicate_of"].notna(), "article_id"]) & stored:
        ctx.summary.became_duplicate(was_near_duplicate=True, now_near=False)
    return out, stored & set(articles["article_id"])


def _learned_for(learned: pd.DataFrame | None, articles: pd.DataFrame, exact: set[str]) -> pd.DataFrame:
    """The learned-line rows of the articles this batch stores as new (not duplicates)."""
    if learned is None or not len(learned):
        return pd.DataFrame()
    new = articles.loc[articles["duplicate_of"].isna() & ~articles["article_id"].isin(exact), "article_id"]
    return learned[learned["article_id"].isin(set(new))]


def _months(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    arts = tables["articles"]
    return dict(zip(arts["article_id"], arts["published_month"]))


def commit_batch(ctx: RunContext, batch: Batch, tables: dict[str, pd.DataFrame],
                 plans: dict[str, StagePlan], *, since: int) -> None:
    """Write one computed batch and its stage records in one transaction."""
    if not tables:
        return
    done = [a for a in tables["articles"]["article_id"] if a not in ctx.failed_ids]
    months = _months(tables)
    exact: set[str] = set()
    with ctx.commit(f"{'new' if batch.is_new else 'update'} batch of {len(done)}") as tx:
        if batch.is_new:
            checked, exact = _recheck_duplicates(ctx, tx, tables["articles"], since)
            tables = {**tables, "articles": checked}
            for table in ("sentences", "sentiment", "stance_mentions", "stance", "articles"):
                if table in tables and len(tables[table]):
                    tx.append(table, tables[table])
            learned = _learned_for(ctx.learned_lines, checked, exact)
            if len(learned):
                tx.append("boilerplate_lines", learned)
        else:
            replaced = dict.fromkeys(t for stage in batch.stages for t in STAGES[stage].tables)
            for table in replaced:
                tx.replace(table, tables[table], done)
            if CLEAN_STAGE in batch.stages:
                # Every other stage reads the cleaned text: the rows and records of those this
                # batch does not redo describe the text before, so they go, and a later run
                # fills them (their translations went with the re-cleaned sentences).
                others = [s for s in STAGES if s not in batch.stages]
                for table in dict.fromkeys(t for s in others for t in STAGES[s].tables):
                    if table not in replaced:
                        tx.delete_rows(table, done)
                if others:
                    tx.delete_rows("article_stages", done, column="stage", values=others)
        now = dt.datetime.now(dt.timezone.utc)
        for stage in batch.stages:
            rows = state_rows(plans[stage], done, months, run_id=ctx.run_id, now=now)
            if len(rows):
                tx.upsert("article_stages", rows)
    if batch.is_new or "translate" in batch.stages:
        ctx.summary.n_mt_flagged += count_flagged(tables.get("sentences"))
    if batch.is_new:
        new = tables["articles"]
        new = new[new["duplicate_of"].isna() & ~new["article_id"].isin(exact)]
        ctx.summary.n_sentences += int((~tables["sentences"]["article_id"].isin(exact)).sum())
        for lang, n in new["lang"].value_counts().items():
            ctx.summary.counts_by_lang[lang] = ctx.summary.counts_by_lang.get(lang, 0) + int(n)
