"""write_table and transaction(): validation, atomicity across tables, idempotent appends, replaces."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from newslens.lake import read_table, run_query, table_row_counts, transaction, write_table
from newslens.lake.maintenance import stray_files
from tests.lake.frames import articles_frame, sentiment_frame, stance_frame


def test_unknown_and_missing_columns_are_named(lake: Path) -> None:
    with pytest.raises(ValueError, match="unknown column.*colour"):
        write_table(lake, "articles", articles_frame().assign(colour="red"), run_id="r")
    with pytest.raises(ValueError, match="missing required column.*article_id"):
        write_table(lake, "articles", articles_frame().drop(columns=["article_id"]), run_id="r")
    with pytest.raises(ValueError, match="missing required column.*published_month"):
        write_table(lake, "articles", articles_frame().drop(columns=["published_month"]), run_id="r")
    with pytest.raises(ValueError, match="sentences.sent_idx: 1 null"):
        frame = pd.DataFrame({"article_id": ["a"], "sent_idx": [None], "published_month": ["2024-01"]})
        write_table(lake, "sentences", frame, run_id="r")
    assert not lake.exists()  # validation happens before the lake is created


def test_impossible_casts_and_bad_partitions_raise(lake: Path) -> None:
    with pytest.raises(ValueError, match="articles.n_chars: cannot cast"):
        write_table(lake, "articles", articles_frame().assign(n_chars="many"), run_id="r")
    with pytest.raises(ValueError, match="stance.score: cannot cast"):
        write_table(lake, "stance", stance_frame().assign(score=["x", "y", "z"]), run_id="r")
    with pytest.raises(ValueError, match="partition values must be YYYY-MM"):
        write_table(lake, "articles", articles_frame().assign(published_month="../../etc"), run_id="r")


def test_values_are_cast_and_partition_folders_hive_style(lake: Path) -> None:
    frame = articles_frame().assign(n_chars=[10.0, 20.0, 30.0])  # floats with integral values
    write_table(lake, "articles", pa.Table.from_pandas(frame, preserve_index=False), run_id="r")
    got = read_table(lake, "articles")
    assert str(got["n_chars"].dtype) == "Int32" and got["body"].isna().all()
    folders = sorted(p.parent.name for p in (lake / "data").rglob("*.parquet"))
    assert folders == ["published_month=2024-12", "published_month=2025-01", "published_month=unknown"]


def test_append_is_idempotent_and_null_key_parts_compare_equal(lake: Path) -> None:
    first = write_table(lake, "sentiment", sentiment_frame(), run_id="r1")
    files = sorted((lake / "data").rglob("*.parquet"))
    second = write_table(lake, "sentiment", sentiment_frame(), run_id="r2")
    assert (first.rows_written, first.rows_skipped) == (4, 0)
    assert (second.rows_written, second.rows_skipped) == (0, 4)
    assert sorted((lake / "data").rglob("*.parquet")) == files  # nothing written at all
    doubled = pd.concat([sentiment_frame().iloc[[0]].assign(label="negative")] * 2, ignore_index=True)
    again = write_table(lake, "sentiment", doubled, run_id="r3")  # same key, sent_idx null
    assert (again.rows_written, again.rows_skipped) == (0, 2)
    assert len(read_table(lake, "sentiment")) == 4


def test_append_adds_only_new_keys(lake: Path) -> None:
    write_table(lake, "articles", articles_frame().iloc[:2], run_id="r1")
    result = write_table(lake, "articles", articles_frame(), run_id="r2")
    assert (result.rows_written, result.rows_skipped) == (1, 2)
    assert sorted(read_table(lake, "articles")["article_id"]) == ["a1", "a2", "a3"]


def test_a_failing_batch_commits_no_table(lake: Path) -> None:
    write_table(lake, "articles", articles_frame().iloc[:1], run_id="r0")
    with pytest.raises(RuntimeError, match="killed mid-batch"):
        with transaction(lake) as tx:
            tx.append("articles", articles_frame())
            tx.append("sentiment", sentiment_frame())
            assert int(tx.query("SELECT count(*) AS n FROM lake.articles").n[0]) == 3  # own writes
            raise RuntimeError("killed mid-batch")
    counts = table_row_counts(lake)
    assert (counts["articles"], counts["sentiment"]) == (1, 0)
    assert stray_files(lake) == []  # the rolled-back batch left no data file behind


def test_one_batch_is_one_snapshot_across_tables(lake: Path) -> None:
    with transaction(lake) as tx:
        tx.append("articles", articles_frame())
        tx.append("sentiment", sentiment_frame())
        tx.append("stance", stance_frame())
    snap = tx.snapshot_id
    before = run_query(lake, "SELECT count(*) AS n FROM articles", at=snap - 1).n[0]
    after = run_query(lake, "SELECT (SELECT count(*) FROM articles) a, (SELECT count(*) FROM sentiment) s, "
                            "(SELECT count(*) FROM stance) t", at=snap)
    assert before == 0
    assert after.iloc[0].tolist() == [3, 4, 3]


def test_concurrent_writers_do_not_duplicate(lake: Path) -> None:
    write_table(lake, "articles", articles_frame().iloc[:1], run_id="setup")  # create the catalog
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_table(lake, "stance", stance_frame(), run_id="t")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert table_row_counts(lake)["stance"] == 3


def test_replace_swaps_rows_and_old_rows_stay_reachable(filled_lake: Path) -> None:
    lake = filled_lake
    old_snapshot = int(run_query(lake, "SELECT max(snapshot_id) AS s FROM lake.snapshots()").s[0])
    new = pd.DataFrame({"article_id": ["a1"], "target_id": ["eu"], "label": ["favor"], "score": [0.25],
                        "published_month": ["2024-12"]})
    result = write_table(lake, "stance", new, run_id="r3", replace_articles=["a1", "a3"])
    assert (result.rows_written, result.rows_removed) == (1, 2)
    got = read_table(lake, "stance").sort_values(["article_id", "target_id"])
    assert list(zip(got.article_id, got.target_id)) == [("a1", "eu"), ("a2", "nato")]
    then = run_query(lake, "SELECT target_id FROM stance WHERE article_id = 'a1' ORDER BY 1", at=old_snapshot)
    assert then.target_id.tolist() == ["russia", "ukraine"]


def test_replace_moves_article_between_partitions(filled_lake: Path) -> None:
    moved = articles_frame().iloc[[0]].assign(published_month="2024-11", title="Uno bis")
    result = write_table(filled_lake, "articles", moved, run_id="r2", replace_articles=["a1"])
    assert result.rows_removed == 1
    got = read_table(filled_lake, "articles", columns=["article_id", "title", "published_month"])
    assert sorted(got.itertuples(index=False, name=None)) == [
        ("a1", "Uno bis", "2024-11"), ("a2", "Zwei", "2025-01"), ("a3", "Trois", "unknown")]


def test_replace_with_no_rows_deletes_and_rejects_strays(filled_lake: Path) -> None:
    result = write_table(filled_lake, "stance", stance_frame().iloc[:0], run_id="r2", replace_articles={"a2"})
    assert (result.rows_written, result.rows_removed) == (0, 1)
    assert sorted(read_table(filled_lake, "stance")["article_id"]) == ["a1", "a1"]
    with pytest.raises(ValueError, match="not listed in replace_articles"):
        write_table(filled_lake, "stance", stance_frame(), run_id="r3", replace_articles=["a1"])
    assert sorted(read_table(filled_lake, "stance")["article_id"]) == ["a1", "a1"]  # rolled back
    with pytest.raises(ValueError, match="only applies to article tables"):
        runs = pd.DataFrame({"run_id": ["x"], "run_month": ["2025-01"]})
        write_table(filled_lake, "runs", runs, run_id="x", replace_articles=["a1"])
