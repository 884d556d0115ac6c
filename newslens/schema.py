"""The pyarrow schema of every lake table, declared once.

Each table is a DuckLake table (newslens.lake.tables creates and evolves them from here; a new
column becomes an ALTER), Hive-partitioned by one extra VARCHAR column: `published_month`
(YYYY-MM of the article's publication, or `unknown`) for article data, `run_month` for the run
ledger and the rejects.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1
UNKNOWN_PARTITION = "unknown"

_ts = pa.timestamp("us", tz="UTC")


def _lineage(prefix: str = "") -> list[pa.Field]:
    """Columns naming the model (hub id or local path) and its revision, where known."""
    return [pa.field(f"{prefix}model", pa.string()), pa.field(f"{prefix}model_revision", pa.string())]


ARTICLES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("source_uri", pa.string()),
    pa.field("source_record", pa.int32()),        # line (JSONL) or row (CSV) number, 1-based
    pa.field("source_format", pa.string()),       # txt | jsonl | csv | html
    pa.field("external_id", pa.string()),
    pa.field("url", pa.string()),
    pa.field("source", pa.string()),              # outlet name, where the input gives one
    pa.field("published", pa.date32()),
    pa.field("published_precision", pa.string()),  # day | month | None
    pa.field("title", pa.string()),
    pa.field("title_en", pa.string()),
    pa.field("author", pa.string()),
    pa.field("lang", pa.string()),
    pa.field("lang_confidence", pa.float64()),
    pa.field("lang_hint", pa.string()),           # language the input declared, if any
    pa.field("body", pa.string()),
    pa.field("raw_text", pa.string()),
    pa.field("n_chars", pa.int32()),
    pa.field("n_sentences", pa.int32()),
    pa.field("simhash", pa.int64()),              # 64-bit fingerprint for near-duplicates
    pa.field("duplicate_of", pa.string()),
    pa.field("translation_model", pa.string()),
    pa.field("translation_model_revision", pa.string()),
    pa.field("run_id", pa.string()),
    pa.field("ingested_at", _ts),
    pa.field("truncation", pa.list_(pa.string())),  # what the input limits cut, "<code>: <detail>"
    pa.field("mt_flagged", pa.int32()),           # sentences whose translation the guard flagged
    # Cleaning (issue 10): who/what else the text names, and what cleaning cut from raw_text.
    pa.field("credit", pa.string()),              # agency/source line ("BTA", "Reuters")
    pa.field("title_source", pa.string()),        # headline | first_sentence | record | html
    pa.field("dropped_lines", pa.list_(pa.string())),    # lines cut from the body, in order
    pa.field("dropped_reasons", pa.list_(pa.string())),  # why, one per dropped line
    pa.field("cleaning_version", pa.string()),    # newslens.ingest.rules.CLEANING_RULES_VERSION
])

SENTENCES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sent_idx", pa.int32(), nullable=False),
    pa.field("char_start", pa.int32()),
    pa.field("char_end", pa.int32()),
    pa.field("text", pa.string()),
    pa.field("lang", pa.string()),
    pa.field("text_en", pa.string()),
    pa.field("translation_model", pa.string()),
    pa.field("translation_model_revision", pa.string()),
    pa.field("run_id", pa.string()),
    # Problems the translation guard found in text_en, after one retry (models/translation_guard):
    # empty | repeat | too_long | too_short | source_language | copy; empty list: none.
    pa.field("mt_flags", pa.list_(pa.string())),
])

# Sentence rows (level='sentence', sent_idx set) and article rows (level='article', sent_idx null).
SENTIMENT = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("level", pa.string(), nullable=False),
    pa.field("sent_idx", pa.int32()),
    pa.field("label", pa.string()),               # negative | neutral | positive
    pa.field("p_negative", pa.float32()),
    pa.field("p_neutral", pa.float32()),
    pa.field("p_positive", pa.float32()),
    pa.field("score", pa.float32()),              # p_positive - p_negative, in [-1, 1]
    pa.field("share_negative", pa.float32()),     # article rows only
    pa.field("share_positive", pa.float32()),     # article rows only
    pa.field("n_sentences", pa.int32()),          # article rows only
    pa.field("text_source", pa.string()),         # original | english
    *_lineage(),
    pa.field("run_id", pa.string()),
])

STANCE_MENTIONS = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sent_idx", pa.int32(), nullable=False),
    pa.field("target_id", pa.string(), nullable=False),
    pa.field("matched_alias", pa.string()),
    pa.field("matched_on", pa.string()),          # original | english
    pa.field("label", pa.string()),               # favor | against | neutral
    pa.field("p_favor", pa.float32()),
    pa.field("p_against", pa.float32()),
    pa.field("p_neutral", pa.float32()),
    *_lineage(),
    pa.field("run_id", pa.string()),
])

STANCE = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("target_id", pa.string(), nullable=False),
    pa.field("target_name", pa.string()),
    pa.field("label", pa.string()),               # favor | against | neutral
    pa.field("score", pa.float32()),              # in [-1, 1]: favor minus against
    pa.field("confidence", pa.float32()),
    pa.field("n_mentions", pa.int32()),
    pa.field("evidence_sent_idx", pa.list_(pa.int32())),  # up to three, heaviest first
    *_lineage(),
    pa.field("run_id", pa.string()),
])

RUNS = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("flow_run_id", pa.string()),
    pa.field("started_at", _ts),
    pa.field("finished_at", _ts),
    pa.field("status", pa.string()),              # completed | failed
    pa.field("input", pa.string()),
    pa.field("stages", pa.list_(pa.string())),
    pa.field("n_inputs", pa.int32()),
    pa.field("n_new", pa.int32()),
    pa.field("n_duplicate", pa.int32()),
    pa.field("n_rejected", pa.int32()),
    pa.field("n_sentences", pa.int32()),
    pa.field("counts_by_lang", pa.string()),      # JSON object lang -> new articles
    pa.field("stage_seconds", pa.string()),       # JSON object stage -> seconds
    pa.field("models", pa.string()),              # JSON object role -> model ids
    pa.field("config", pa.string()),              # JSON of the settings used
    pa.field("error", pa.string()),
    pa.field("schema_version", pa.int32()),
    # Issue 9: the ledger of every run (running | completed | failed | killed).
    pa.field("kind", pa.string()),                # run | update
    pa.field("snapshot_id", pa.int64()),          # the DuckLake snapshot holding the run's data
    pa.field("host", pa.string()),
    pa.field("pid", pa.int32()),
    pa.field("process_started_at", _ts),          # with host and pid: is the run still alive?
    pa.field("stage_counts", pa.string()),        # JSON: stage -> computed / up_to_date / stale ...
    pa.field("n_reprocessed", pa.int32()),
])

REJECTS = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("source_uri", pa.string()),
    pa.field("source_record", pa.int32()),
    pa.field("stage", pa.string()),               # read | parse | ingest | translate | sentiment | stance
    pa.field("reason", pa.string()),              # a code from newslens.ingest.reasons
    pa.field("detail", pa.string()),
    pa.field("article_id", pa.string()),
    pa.field("rejected_at", _ts),
])

# The content of every input file a completed run has read: incremental runs skip these.
INPUT_FILES = pa.schema([
    pa.field("file_sha256", pa.string(), nullable=False),
    pa.field("source_uri", pa.string()),
    pa.field("n_inputs", pa.int32()),
    pa.field("run_id", pa.string()),
    pa.field("recorded_at", _ts),
])

# Recurring-line learning (newslens/ingest/learned.py): one row per source, normalised line and
# new article carrying it, so an article stored twice (re-run, concurrent runs) counts once; a
# source's total for a line is the sum of `count` (1 per row).
BOILERPLATE_LINES = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("line_hash", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("run_id", pa.string()),
    pa.field("count", pa.int32()),
    pa.field("example", pa.string()),
    pa.field("first_seen", _ts),
    pa.field("last_seen", _ts),
])

# What produced each article's rows, per model stage: the lineage (model, revision, settings that
# change the output) and its fingerprint. A stage whose fingerprint differs from the current
# configuration's is stale (newslens.lake.state).
ARTICLE_STAGES = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("stage", pa.string(), nullable=False),   # translate | sentiment | stance
    pa.field("fingerprint", pa.string()),             # sha256 of the lineage JSON
    pa.field("lineage", pa.string()),                 # JSON object
    pa.field("run_id", pa.string()),
    pa.field("computed_at", _ts),
])

TABLES: dict[str, pa.Schema] = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "sentiment": SENTIMENT,
    "stance_mentions": STANCE_MENTIONS,
    "stance": STANCE,
    "runs": RUNS,
    "rejects": REJECTS,
    "input_files": INPUT_FILES,
    "boilerplate_lines": BOILERPLATE_LINES,
    "article_stages": ARTICLE_STAGES,
}

# The folder-level partition column of each table.
PARTITION_COLUMN: dict[str, str] = {
    "articles": "published_month",
    "sentences": "published_month",
    "sentiment": "published_month",
    "stance_mentions": "published_month",
    "stance": "published_month",
    "runs": "run_month",
    "rejects": "run_month",
    "input_files": "run_month",
    "boilerplate_lines": "run_month",
    "article_stages": "published_month",
}

# Columns that identify a row; a write never adds a second row with the same key.
PRIMARY_KEY: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "sentences": ("article_id", "sent_idx"),
    "sentiment": ("article_id", "level", "sent_idx"),
    "stance_mentions": ("article_id", "sent_idx", "target_id"),
    "stance": ("article_id", "target_id"),
    "runs": ("run_id",),
    "rejects": ("run_id", "source_uri", "source_record", "stage", "article_id"),
    "input_files": ("file_sha256",),
    "boilerplate_lines": ("source", "line_hash", "article_id"),
    "article_stages": ("article_id", "stage"),
}

# Tables holding per-article results; `replace` writes swap all rows of the given articles.
ARTICLE_TABLES = ("articles", "sentences", "sentiment", "stance_mentions", "stance")


# --- evaluations (issue 14): one row per (evaluation run, data subset, metric) ----------------
# Written by `newslens evaluate`; partitioned by the month of the evaluation like `runs`.
EVALUATIONS = pa.schema([
    pa.field("run_id", pa.string(), nullable=False),       # one evaluation = one run id
    pa.field("task", pa.string(), nullable=False),         # translation | sentiment | stance
    pa.field("dataset", pa.string()),                       # --name, default the file name
    pa.field("dataset_sha256", pa.string()),                # hash of the items evaluated
    pa.field("subset", pa.string(), nullable=False),       # all | lang=it | target=russia
    pa.field("metric", pa.string(), nullable=False),       # bleu | chrf | accuracy | macro_f1 ...
    pa.field("value", pa.float64()),
    pa.field("ci_low", pa.float64()),                       # bootstrap 95% interval
    pa.field("ci_high", pa.float64()),
    pa.field("n", pa.int32()),                              # items the value is computed on
    *_lineage(),                                            # model id(s) and revision(s)
    pa.field("settings", pa.string()),                      # JSON: the output-changing settings
    pa.field("signature", pa.string()),                     # sacreBLEU signature, bootstrap spec
    pa.field("seconds", pa.float64()),                      # prediction wall time (incl. model load)
    pa.field("items_path", pa.string()),                    # per-item outputs (JSONL)
    pa.field("evaluated_at", _ts),
])
TABLES["evaluations"] = EVALUATIONS
PARTITION_COLUMN["evaluations"] = "run_month"
PRIMARY_KEY["evaluations"] = ("run_id", "subset", "metric")
