"""The report's queries against a lake filled by `newslens run`, checked against the lake's
tables read independently (pandas over `read_table`), and the `--at` adapter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.lake import read_table, run_query
from newslens.report import lake_access
from newslens.report.data import collect
from newslens.report.lake_access import UnknownRunError, as_of_run, query_lake
from newslens.report.queries import BY_NAME, NO_SOURCE, QUERIES, Scope, queries_markdown, render

REPO_ROOT = Path(__file__).resolve().parents[2]


def _articles(lake: Path) -> pd.DataFrame:
    arts = read_table(lake, "articles")
    published = pd.to_datetime(arts["published"])
    arts["month"] = published.dt.strftime("%Y-%m").where(published.notna(), None)
    return arts


def test_stance_counts_and_means_match_the_tables(filled_lake):
    rows = query_lake(filled_lake, render(BY_NAME["stance_by_month"]))
    arts = _articles(filled_lake)
    originals = arts[arts["duplicate_of"].isna()][["article_id", "month", "lang"]]
    stance = read_table(filled_lake, "stance").merge(originals, on="article_id")
    assert len(stance) > 0
    assert rows["articles"].sum() == len(stance)
    for target, part in stance.groupby("target_id"):
        mine = rows[rows["target_id"] == target]
        assert mine["articles"].sum() == len(part)
        assert mine["favor"].sum() == (part["label"] == "favor").sum()
        assert mine["against"].sum() == (part["label"] == "against").sum()
        assert mine["score_sum"].sum() / mine["articles"].sum() == pytest.approx(part["score"].mean(), abs=1e-5)
    dated = rows.dropna(subset=["month"])
    for (target, month), part in stance.dropna(subset=["month"]).groupby(["target_id", "month"]):
        cell = dated[(dated["target_id"] == target) & (dated["month"] == month)]
        assert cell["articles"].sum() == len(part)


def test_sentiment_means_match_the_tables(filled_lake):
    rows = query_lake(filled_lake, render(BY_NAME["sentiment_by_month"]))
    arts = _articles(filled_lake)
    sent = read_table(filled_lake, "sentiment")
    sent = sent[sent["level"] == "article"].merge(arts[arts["duplicate_of"].isna()], on="article_id")
    assert rows["articles"].sum() == len(sent) > 0
    for lang, part in sent.groupby("lang"):
        mine = rows[rows["lang"] == lang]
        assert mine["score_sum"].sum() / mine["articles"].sum() == pytest.approx(part["score"].mean(), abs=1e-5)


def test_evidence_leads_with_each_targets_strongest_mention(filled_lake):
    rows = query_lake(filled_lake, render(BY_NAME["evidence"]))
    mentions = read_table(filled_lake, "stance_mentions")
    originals = read_table(filled_lake, "articles").query("duplicate_of.isna()")["article_id"]
    mentions = mentions[mentions["article_id"].isin(originals)]
    mentions["strength"] = (mentions["p_favor"] - mentions["p_against"]).abs()
    sentences = read_table(filled_lake, "sentences").set_index(["article_id", "sent_idx"])
    assert set(rows["target_id"]) == set(mentions["target_id"])
    for target, part in rows.groupby("target_id", sort=False):
        strongest = mentions[mentions["target_id"] == target]["strength"].max()
        assert abs(part["score"].iloc[0]) == pytest.approx(strongest, abs=1e-6)
        first = part.iloc[0]
        assert first["text"] == sentences.loc[(first["article_id"], first["sent_idx"]), "text"]


def test_volume_counts_every_article_once(filled_lake):
    rows = query_lake(filled_lake, render(BY_NAME["volume_by_month"]))
    arts = read_table(filled_lake, "articles")
    assert rows["articles"].sum() + rows["near_duplicates"].sum() == len(arts)
    assert rows["near_duplicates"].sum() == arts["duplicate_of"].notna().sum() >= 1
    assert NO_SOURCE in set(rows["source"])  # the .txt samples name no outlet


def test_month_window_and_targets_narrow_the_rows(filled_lake):
    arts = _articles(filled_lake)
    scope = Scope(since="2024-09", until="2025-03", targets=("nato",))
    head = query_lake(filled_lake, render(BY_NAME["headline"], scope))
    inside = arts["month"].between("2024-09", "2025-03")
    assert int(head["articles"].iloc[0]) == inside.sum()
    assert 0 < inside.sum() < len(arts)
    stance = query_lake(filled_lake, render(BY_NAME["stance_by_month"], scope))
    assert set(stance["target_id"]) == {"nato"}
    assert stance["month"].between("2024-09", "2025-03").all()
    evidence = query_lake(filled_lake, render(BY_NAME["evidence"], scope))
    assert set(evidence["target_id"]) == {"nato"}


@pytest.mark.parametrize("kwargs, message", [
    ({"since": "2024-13"}, "YYYY-MM"), ({"until": "24-01"}, "YYYY-MM"),
    ({"since": "2025-02", "until": "2025-01"}, "after"), ({"targets": ("nato'; --",)}, "target ids"),
])
def test_bad_scopes_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Scope(**kwargs)


def test_every_query_is_one_read_only_select_newslens_sql_runs(filled_lake):
    """The page's rows and `newslens sql` on the printed SQL agree, query by query."""
    data = collect(filled_lake)
    runner = CliRunner()
    for q in QUERIES:
        out = runner.invoke(app, ["sql", render(q), "--lake", str(filled_lake), "--format", "json"])
        assert out.exit_code == 0, out.output
        via_sql = json.loads(out.output)
        assert len(via_sql) == len(data.rows[q.name]), q.name
        for mine, theirs in zip(data.rows[q.name], via_sql):
            assert mine.keys() == theirs.keys()
            for key, value in mine.items():
                if isinstance(value, float):
                    assert theirs[key] == pytest.approx(value, rel=1e-5, abs=1e-6), (q.name, key)
                elif key == "started_at" or key == "finished_at":
                    assert pd.Timestamp(theirs[key]) == pd.Timestamp(value)
                else:
                    assert theirs[key] == value, (q.name, key)


def test_at_the_first_run_sees_only_what_it_wrote(filled_lake):
    runs = run_query(filled_lake, "SELECT run_id FROM runs ORDER BY started_at")["run_id"].tolist()
    assert len(runs) == 2
    first = collect(filled_lake, at=runs[0])
    latest = collect(filled_lake)
    arts = read_table(filled_lake, "articles")
    assert first.headline["articles"] == (arts["run_id"] == runs[0]).sum() < latest.headline["articles"]
    assert [r["run_id"] for r in first.rows["runs"]] == runs[:1]
    assert first.rows["rejects_by_reason"] == []  # the empty file came with the second run
    assert latest.rows["rejects_by_reason"]
    with pytest.raises(UnknownRunError, match="no run"):
        collect(filled_lake, at="20990101T000000Z-nope")


def test_as_of_run_joins_the_queries_own_ctes():
    sql = as_of_run("WITH x AS (SELECT 1) SELECT * FROM x, articles", "r1")
    assert sql.count("WITH") == 1 and "x AS (SELECT 1)" in sql
    assert re.search(r"articles AS \(SELECT \* FROM main\.articles WHERE run_id IN", sql)
    with pytest.raises(UnknownRunError):
        as_of_run("SELECT 1", "r1'; DROP TABLE x; --")


def test_at_goes_to_the_lake_when_its_reader_takes_it(monkeypatch, tmp_path):
    """After the DuckLake lake lands, `run_query(lake, sql, at=...)` reads its snapshot."""
    seen = {}

    def run_query_with_at(lake, sql, at=None):
        seen.update(lake=lake, sql=sql, at=at)
        return pd.DataFrame({"n": [1]})

    monkeypatch.setattr(lake_access, "run_query", run_query_with_at)
    query_lake(tmp_path, "SELECT 1 AS n", at="r7")
    assert seen == {"lake": tmp_path, "sql": "SELECT 1 AS n", "at": "r7"}


def test_readme_shows_every_query_as_sql():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert queries_markdown() in readme, "README's report SQL is stale: paste queries_markdown()"
