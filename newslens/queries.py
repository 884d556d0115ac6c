"""The example questions newslens answers in SQL: shown in the README, printed by `make run`,
and timed by the benchmark on a synthetic lake."""

from __future__ import annotations

EXAMPLE_QUERIES: list[tuple[str, str]] = [
    ("Articles per language and month",
     "SELECT published_month, lang, count(*) AS articles\n"
     "FROM articles WHERE duplicate_of IS NULL\n"
     "GROUP BY ALL ORDER BY published_month, lang"),
    ("How Italian coverage of Russia shifted month by month",
     "SELECT a.published_month, count(*) AS articles,\n"
     "       round(avg(s.score), 3) AS mean_stance, round(avg(m.score), 3) AS mean_sentiment\n"
     "FROM stance s\n"
     "JOIN articles a USING (article_id)\n"
     "LEFT JOIN sentiment m ON m.article_id = s.article_id AND m.level = 'article'\n"
     "WHERE a.lang = 'it' AND s.target_id = 'russia'\n"
     "GROUP BY ALL ORDER BY a.published_month"),
    ("Stance toward each target across all articles",
     "SELECT target_id, count(*) AS articles, sum(n_mentions)::INTEGER AS mentions,\n"
     "       round(avg(score), 3) AS mean_score,\n"
     "       count(*) FILTER (WHERE label = 'against') AS against\n"
     "FROM stance GROUP BY target_id ORDER BY articles DESC"),
    ("The sentences that most show each article's stance toward NATO",
     "SELECT s.article_id, s.label, round(s.score, 2) AS score, e.text_en AS evidence\n"
     "FROM stance s\n"
     "JOIN sentences e ON e.article_id = s.article_id AND e.sent_idx = s.evidence_sent_idx[1]\n"
     "WHERE s.target_id = 'nato' ORDER BY abs(s.score) DESC LIMIT 5"),
]
