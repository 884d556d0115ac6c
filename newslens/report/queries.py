"""Every query behind the report, in one place.

Each chart of `newslens report` is drawn from exactly one of these statements, run through the
lake's read-only SQL (`newslens.lake.run_query`), so a chart and `newslens sql` cannot disagree:
`newslens report --sql` prints them with the chosen filters filled in, ready to paste.

The statements return fine-grained counts and sums (by month, language, source and target)
rather than finished averages: the page re-aggregates them in the browser when a reader picks a
target, language or source, and a mean recomputed from sums stays exact. They name only the
tables of `newslens.schema` and their columns; the month is derived from `published` (never from
a partition column) because the lake's physical layout is not part of the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NO_SOURCE = "(no source)"
MAX_EVIDENCE_PER_GROUP = 5  # strongest sentences kept per (target, language) and (target, source)

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TARGET_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Scope:
    """The slice of the lake a report covers: a month window and a set of targets.

    `since`/`until` are inclusive `YYYY-MM` bounds on the publication month; with either set,
    undated articles fall outside the window. `targets` empty means every target.
    """

    since: str | None = None
    until: str | None = None
    targets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _MONTH.match(value):
                raise ValueError(f"--{name} must be a month written YYYY-MM, got {value!r}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"--since {self.since} is after --until {self.until}")
        bad = [t for t in self.targets if not _TARGET_ID.match(t)]
        if bad:
            raise ValueError(f"target ids are letters, digits, '_', '.' or '-'; got {bad}")


@dataclass(frozen=True)
class ReportQuery:
    """One named statement; `sql` holds {placeholders} the scope fills in."""

    name: str
    title: str
    sql: str


def _month_expr(alias: str = "a") -> str:
    return f"strftime({alias}.published, '%Y-%m')"


def _window(scope: Scope, alias: str = "a") -> str:
    """`AND ...` conditions keeping articles published inside the scope's month window."""
    parts = []
    if scope.since:
        parts.append(f"{_month_expr(alias)} >= '{scope.since}'")
    if scope.until:
        parts.append(f"{_month_expr(alias)} <= '{scope.until}'")
    return "".join(f"\n  AND {p}" for p in parts)


def _targets(scope: Scope, column: str) -> str:
    if not scope.targets:
        return ""
    listed = ", ".join(f"'{t}'" for t in scope.targets)
    return f"\n  AND {column} IN ({listed})"


_SOURCE = f"COALESCE(NULLIF(trim(a.source), ''), '{NO_SOURCE}')"

QUERIES: tuple[ReportQuery, ...] = (
    ReportQuery("headline", "Headline numbers", f"""
SELECT count(*) AS articles,
       count(*) FILTER (WHERE a.duplicate_of IS NOT NULL) AS near_duplicates,
       count(DISTINCT a.lang) AS languages,
       count(DISTINCT {_SOURCE}) AS sources,
       count(*) FILTER (WHERE a.published IS NULL) AS undated,
       min(a.published) AS first_published,
       max(a.published) AS last_published
FROM articles a
WHERE true{{window}}"""),
    ReportQuery("stance_by_month", "Stance toward each target by month", f"""
SELECT s.target_id, any_value(s.target_name) AS target_name,
       {_month_expr()} AS month, a.lang, {_SOURCE} AS source,
       count(*) AS articles,
       count(*) FILTER (WHERE s.label = 'favor') AS favor,
       count(*) FILTER (WHERE s.label = 'against') AS against,
       count(*) FILTER (WHERE s.label = 'neutral') AS neutral,
       sum(s.score) AS score_sum,
       sum(s.n_mentions) AS mentions
FROM stance s
JOIN articles a ON a.article_id = s.article_id
WHERE a.duplicate_of IS NULL{{window}}{{targets}}
GROUP BY s.target_id, month, a.lang, source
ORDER BY s.target_id, month, a.lang, source"""),
    ReportQuery("sentiment_by_month", "Article sentiment by month, language and source", f"""
SELECT {_month_expr()} AS month, a.lang, {_SOURCE} AS source,
       count(*) AS articles,
       count(*) FILTER (WHERE m.label = 'positive') AS positive,
       count(*) FILTER (WHERE m.label = 'negative') AS negative,
       count(*) FILTER (WHERE m.label = 'neutral') AS neutral,
       sum(m.score) AS score_sum
FROM sentiment m
JOIN articles a ON a.article_id = m.article_id
WHERE m.level = 'article' AND a.duplicate_of IS NULL{{window}}
GROUP BY month, a.lang, source
ORDER BY month, a.lang, source"""),
    ReportQuery("evidence", "The strongest evidence sentences per target", f"""
WITH scored AS (
    SELECT m.target_id, m.article_id, m.sent_idx, m.label,
           m.p_favor - m.p_against AS score,
           a.lang, {_SOURCE} AS source, a.title, a.title_en, a.published,
           e.text, e.text_en
    FROM stance_mentions m
    JOIN articles a ON a.article_id = m.article_id
    JOIN sentences e ON e.article_id = m.article_id AND e.sent_idx = m.sent_idx
    WHERE a.duplicate_of IS NULL{{window}}{{mention_targets}}
), ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY target_id, lang
                              ORDER BY abs(score) DESC, article_id, sent_idx) AS rank_in_lang,
           row_number() OVER (PARTITION BY target_id, source
                              ORDER BY abs(score) DESC, article_id, sent_idx) AS rank_in_source
    FROM scored
)
SELECT target_id, article_id, sent_idx, label, score, lang, source, title, title_en,
       published, text, text_en
FROM ranked
WHERE rank_in_lang <= {MAX_EVIDENCE_PER_GROUP} OR rank_in_source <= {MAX_EVIDENCE_PER_GROUP}
ORDER BY target_id, abs(score) DESC, article_id, sent_idx"""),
    ReportQuery("volume_by_month", "Articles per language and month", f"""
SELECT {_month_expr()} AS month, a.lang, {_SOURCE} AS source,
       count(*) FILTER (WHERE a.duplicate_of IS NULL) AS articles,
       count(*) FILTER (WHERE a.duplicate_of IS NOT NULL) AS near_duplicates
FROM articles a
WHERE true{{window}}
GROUP BY month, a.lang, source
ORDER BY month, a.lang, source"""),
    ReportQuery("translation_coverage", "Translation coverage of non-English sentences", f"""
SELECT a.lang, {_SOURCE} AS source,
       count(*) AS sentences,
       count(*) FILTER (WHERE e.text_en IS NOT NULL AND trim(e.text_en) <> '') AS translated
FROM sentences e
JOIN articles a ON a.article_id = e.article_id
WHERE a.lang IS DISTINCT FROM 'en'{{window}}
GROUP BY a.lang, source
ORDER BY a.lang, source"""),
    ReportQuery("runs", "Runs", """
SELECT run_id, started_at, finished_at, status, n_inputs, n_new, n_duplicate, n_rejected,
       n_sentences, stage_seconds, error
FROM runs
ORDER BY started_at, run_id"""),
    ReportQuery("rejects_by_reason", "Rejected inputs by stage and reason", """
SELECT stage, reason, count(*) AS rejects
FROM rejects
GROUP BY stage, reason
ORDER BY rejects DESC, stage, reason"""),
    ReportQuery("lineage", "Which models produced the numbers", """
SELECT 'translation' AS role, translation_model AS model, translation_model_revision AS revision,
       count(*) AS rows
FROM sentences WHERE translation_model IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'sentiment', model, model_revision, count(*) FROM sentiment GROUP BY ALL
UNION ALL
SELECT 'stance', model, model_revision, count(*) FROM stance_mentions GROUP BY ALL
ORDER BY role, model, revision"""),
)

BY_NAME: dict[str, ReportQuery] = {q.name: q for q in QUERIES}


def render(query: ReportQuery, scope: Scope = Scope()) -> str:
    """The statement with the scope's filters filled in (none for the default scope)."""
    return query.sql.format(window=_window(scope), targets=_targets(scope, "s.target_id"),
                            mention_targets=_targets(scope, "m.target_id")).strip()


def rendered_queries(scope: Scope = Scope()) -> dict[str, str]:
    """Every report query by name, rendered for one scope."""
    return {q.name: render(q, scope) for q in QUERIES}


def queries_markdown(scope: Scope = Scope()) -> str:
    """The README block listing every report query as SQL."""
    blocks = [f"-- {q.name}: {q.title}\n{render(q, scope)};" for q in QUERIES]
    return "```sql\n" + "\n\n".join(blocks) + "\n```"
