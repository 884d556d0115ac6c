"""newslens' own views, created fresh in every read session (never trusted from a file).

`article_overview` is one row per article with its article-level sentiment and a map of its
stance per target. The same SQL is what `newslens lake setup-sql` prints for other clients.
"""

from __future__ import annotations

import duckdb

OVERVIEW_SQL = """
CREATE OR REPLACE TEMP VIEW article_overview AS
WITH s AS (
    SELECT article_id, label, score FROM lake.sentiment WHERE level = 'article'
), st AS (
    SELECT article_id,
           MAP(list(target_id ORDER BY target_id), list(CAST(score AS FLOAT) ORDER BY target_id)) AS stance,
           MAP(list(target_id ORDER BY target_id), list(label ORDER BY target_id)) AS stance_labels,
           count(*) AS n
    FROM lake.stance GROUP BY article_id
)
SELECT a.article_id, a.published, a.published_month, a.lang, a.source, a.title, a.title_en,
       s.label AS sentiment_label, CAST(s.score AS FLOAT) AS sentiment_score,
       COALESCE(st.stance, MAP()::MAP(VARCHAR, FLOAT)) AS stance,
       COALESCE(st.stance_labels, MAP()::MAP(VARCHAR, VARCHAR)) AS stance_labels,
       CAST(COALESCE(st.n, 0) AS INTEGER) AS n_stance_targets
FROM lake.articles a LEFT JOIN s ON s.article_id = a.article_id
LEFT JOIN st ON st.article_id = a.article_id
"""

VIEWS: dict[str, str] = {"article_overview": OVERVIEW_SQL}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every newslens view as a temporary view of this session."""
    for sql in VIEWS.values():
        con.execute(sql)


def setup_sql(lake) -> str:
    """Statements for the DuckDB CLI (or any client): attach read-only, then the views."""
    from newslens.lake.location import locate
    from newslens.lake.names import DISABLED_OPTIMIZERS, catalog_path
    from newslens.lake.names import sql_quote as _quote

    location = locate(lake)
    if location is None:
        attach = ["INSTALL ducklake; INSTALL sqlite; LOAD ducklake; LOAD sqlite;",
                  f"ATTACH {_quote('ducklake:sqlite:' + str(catalog_path(lake)))} AS lake (READ_ONLY);"]
    else:  # credentials are the client's own: PGPASSWORD / ~/.pgpass, and an S3 secret
        attach = ["INSTALL ducklake; INSTALL postgres; INSTALL httpfs; LOAD ducklake; LOAD postgres; LOAD httpfs;",
                  "-- CREATE SECRET (TYPE s3, KEY_ID '...', SECRET '...', REGION '...');  -- for the data path",
                  f"ATTACH {_quote('ducklake:postgres:' + location.libpq())} AS lake (READ_ONLY);"]
    return "\n".join([
        *attach,
        "USE lake;",
        "-- DuckLake 1.5's table-level statistics can be wrong; do not let the optimizer trust them.",
        f"SET disabled_optimizers = '{DISABLED_OPTIMIZERS}';",
        *[sql.strip() + ";" for sql in VIEWS.values()],
    ])
