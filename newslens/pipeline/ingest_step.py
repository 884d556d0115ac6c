"""The ingest stage: files in, new articles and their sentences out, every input accounted for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslens.config import Settings
from newslens.ingest import IngestResult, Reject, classify_duplicates, read_inputs, simhash64
from newslens.ingest.ids import jaccard, raw_article_id
from newslens.ingest.read import read_limits, text_limits
from newslens.lake.read import read_table
from newslens.pipeline.frames import (article_rows, choose_language, columns_of,
                                      limited_sentence_rows, reject_rows)
from newslens.pipeline.learn_step import learn_and_drop
from newslens.text.langid import explain_languages

LANGID_PREFIX_CHARS = 3000


@dataclass
class IngestOutcome:
    """What ingest found: rows to write (new and near-duplicate articles) and the tallies."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    rejects: pd.DataFrame
    n_inputs: int
    n_new: int
    n_duplicate: int
    n_near_duplicate: int
    n_rejected: int
    duplicate_ids: list[str] = field(default_factory=list)  # lake articles the input repeated
    files: pd.DataFrame | None = None  # input_files rows: the content this run has read
    boilerplate: pd.DataFrame | None = None  # boilerplate_lines rows this run learned from
    und_reasons: dict[str, int] = field(default_factory=dict)  # why new articles are 'und'

    def reconciles(self) -> bool:
        return self.n_inputs == self.n_new + self.n_duplicate + self.n_rejected


def detect_explained(texts: list[str], hints: list[str | None],
                     languages: list[str]) -> list[tuple[str, float, str]]:
    """(lang, confidence, how) per text; `how` says why a text is 'und' when it is."""
    found = explain_languages([t[:LANGID_PREFIX_CHARS] for t in texts], languages)
    out = []
    for d, hint in zip(found, hints):
        lang, conf = choose_language(d.code, d.confidence, hint)
        out.append((lang, conf, "hint" if lang == hint and d.code != hint else d.how))
    return out


def _jaccard_confirm(docs, ids: list[str], lake: Path, min_jaccard: float):
    """A simhash candidate is a near-duplicate only if the texts' shingles mostly agree."""
    bodies = {aid: d.body for aid, d in zip(ids, docs)}

    def confirm(index: int, original_id: str) -> bool:
        if original_id not in bodies:
            found = read_table(lake, "articles", columns=["article_id", "body"],
                               article_ids=[original_id])
            bodies[original_id] = found["body"].iloc[0] if len(found) else ""
        return jaccard(docs[index].body, bodies[original_id]) >= min_jaccard

    return confirm


def ingest(input_path: Path, settings: Settings, *, run_id: str,
           now: dt.datetime, limit: int | None = None, incremental: bool = False) -> IngestOutcome:
    """Read, dedupe (exact and near, against `settings.lake`), detect language and split
    sentences; writes nothing.

    `incremental` skips files whose exact content an earlier completed run already read.
    """
    lake = Path(settings.lake)
    seen = set(read_table(lake, "input_files", columns=["file_sha256"])["file_sha256"]) \
        if incremental else set()
    result = read_inputs(
        Path(input_path), max_file_bytes=settings.max_file_bytes,
        min_body_chars=settings.min_body_chars, limit=limit, skip_sha256=seen,
        **read_limits(settings))
    docs = result.documents
    ids = [raw_article_id(d.raw_text) for d in docs]  # never from the cleaned body
    sims = [simhash64(d.body) for d in docs]
    known = read_table(lake, "articles", columns=["article_id", "simhash", "duplicate_of"])
    confirm = _jaccard_confirm(docs, ids, lake, settings.near_duplicate_min_jaccard)
    verdicts = classify_duplicates(ids, sims, known["article_id"].tolist(),
                                   [int(s) for s in known["simhash"].fillna(0)],
                                   known["duplicate_of"].tolist(),
                                   max_distance=settings.near_duplicate_max_distance,
                                   confirm=confirm)
    keep = [i for i, (status, _) in enumerate(verdicts) if status != "duplicate"]
    kept_docs, boilerplate = learn_and_drop([docs[i] for i in keep], [ids[i] for i in keep],
                                            [verdicts[i][0] == "new" for i in keep], lake,
                                            run_id=run_id, now=now)
    explained = detect_explained([f"{d.title or ''}\n{d.body}" for d in kept_docs],
                                 [d.lang_hint for d in kept_docs], settings.languages)
    langs = [(lang, conf) for lang, conf, _ in explained]
    und_reasons = Counter(how for (lang, _, how), i in zip(explained, keep)
                          if lang == "und" and verdicts[i][0] == "new")
    articles = article_rows(kept_docs, [ids[i] for i in keep], [sims[i] for i in keep],
                            [verdicts[i][1] for i in keep], langs, run_id=run_id, now=now)
    sentences, cut_notes = limited_sentence_rows(articles, run_id=run_id,
                                                 limits=text_limits(settings))
    if cut_notes:  # the sentence caps' cuts join those made at read time
        articles["truncation"] = [[*cuts, *cut_notes.get(aid, [])] for aid, cuts
                                  in zip(articles["article_id"], articles["truncation"])]
    if len(articles):
        counts = sentences.groupby("article_id").size()
        articles["n_sentences"] = articles["article_id"].map(counts).fillna(0).astype(int)
    statuses = Counter(status for status, _ in verdicts)
    known_ids = set(known["article_id"])
    repeated = sorted({ids[i] for i, (s, _) in enumerate(verdicts) if s == "duplicate" and ids[i] in known_ids})
    return IngestOutcome(
        articles=articles, sentences=sentences,
        rejects=reject_rows(result.rejects, run_id=run_id, now=now),
        n_inputs=result.n_inputs, n_new=statuses["new"],
        n_duplicate=statuses["duplicate"] + statuses["near_duplicate"],
        n_near_duplicate=statuses["near_duplicate"], n_rejected=len(result.rejects),
        duplicate_ids=repeated, files=input_file_rows(result, run_id=run_id, now=now),
        boilerplate=boilerplate, und_reasons=dict(sorted(und_reasons.items())),
    )


def input_file_rows(result: IngestResult, *, run_id: str, now: dt.datetime) -> pd.DataFrame:
    """One row per distinct file content read (files refused before reading have no hash)."""
    per_file: Counter[tuple[str, str]] = Counter(
        (item.file_sha256, item.source_uri) for item in [*result.documents, *result.rejects]
        if item.file_sha256)
    rows = [{"file_sha256": sha, "source_uri": uri, "n_inputs": n, "run_id": run_id,
             "recorded_at": now, "run_month": now.strftime("%Y-%m")}
            for (sha, uri), n in per_file.items()]
    return pd.DataFrame(rows, columns=columns_of("input_files"))


def model_failure_rejects(articles: pd.DataFrame, stage: str, error: BaseException, *,
                          run_id: str, now: dt.datetime) -> pd.DataFrame:
    """Rejects for articles a model stage could not process: they stay out of the lake."""
    rejects = [Reject(source_uri=a.source_uri, source_record=a.source_record, stage=stage,
                      reason="model_error", detail=f"{type(error).__name__}: {error}")
               for a in articles.itertuples(index=False)]
    return reject_rows(rejects, run_id=run_id, now=now, article_ids=list(articles["article_id"]))
