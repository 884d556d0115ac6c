"""write_table: validation, layout, atomicity, idempotent appends and article replaces."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newslens.lake import read_table, table_row_counts, write_table
from newslens.lake import writer as writer_mod
from tests.lake.frames import articles_frame, listing, sentiment_frame, stance_frame


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
    assert not lake.exists() or listing(lake) == []


def test_impossible_casts_and_bad_partitions_raise(lake: Path) -> None:
    with pytest.raises(ValueError, match="articles.n_chars: cannot cast"):
        write_table(lake, "articles", articles_frame().assign(n_chars="many"), run_id="r")
    with pytest.raises(ValueError, match="stance.score: cannot cast"):
        write_table(lake, "stance", stance_frame().assign(score=["x", "y", "z"]), run_id="r")
    with pytest.raises(ValueError, match="partition values must be YYYY-MM"):
        write_table(lake, "articles", articles_frame().assign(published_month="../../etc"), run_id="r")


def test_values_are_cast_and_missing_nullable_columns_filled(lake: Path) -> None:
    frame = articles_frame().assign(n_chars=[10.0, 20.0, 30.0])  # floats with integral values
    write_table(lake, "articles", pa.Table.from_pandas(frame, preserve_index=False), run_id="r")
    stored = pq.read_table(next((lake / "articles").rglob("*.parquet")))
    assert stored.schema.field("n_chars").type == pa.int32()
    assert stored.schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    assert stored.column("body").null_count == stored.num_rows


def test_partition_layout(lake: Path) -> None:
    result = write_table(lake, "articles", articles_frame(), run_id="run-7")
    folders = sorted(p.parent.name for p in result.files)
    assert folders == ["published_month=2024-12", "published_month=2025-01", "published_month=unknown"]
    for f in result.files:
        assert f.name.startswith("part-run-7-") and f.suffix == ".parquet"
        stored = pq.read_table(f)
        assert "published_month" not in stored.column_names  # lives in the folder name only
        assert pq.ParquetFile(f).metadata.row_group(0).column(0).compression == "ZSTD"
    assert listing(lake) == sorted([".lock", *(str(f.relative_to(lake)) for f in result.files)])


def test_failed_write_leaves_nothing_visible(lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_write(tbl: pa.Table, sink) -> None:
        sink.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(writer_mod, "_write_parquet", half_write)
    with pytest.raises(OSError, match="disk full"):
        write_table(lake, "articles", articles_frame(), run_id="r")
    assert listing(lake) == [".lock"]  # no parquet file, no temp file
    assert table_row_counts(lake)["articles"] == 0


def test_append_is_idempotent(lake: Path) -> None:
    first = write_table(lake, "sentiment", sentiment_frame(), run_id="r1")
    files = listing(lake)
    second = write_table(lake, "sentiment", sentiment_frame(), run_id="r2")
    assert (first.rows_written, first.rows_skipped) == (4, 0)
    assert (second.rows_written, second.rows_skipped, second.files) == (0, 4, [])
    assert listing(lake) == files
    assert len(read_table(lake, "sentiment")) == 4


def test_null_key_parts_compare_equal(lake: Path) -> None:
    frame = sentiment_frame()
    doubled = pd.concat([frame, frame.iloc[[0, 3]]], ignore_index=True)  # article rows, sent_idx null
    result = write_table(lake, "sentiment", doubled, run_id="r1")
    assert (result.rows_written, result.rows_skipped) == (4, 2)
    extra = frame.iloc[[0]].assign(label="negative")  # same key as a stored row with null sent_idx
    again = write_table(lake, "sentiment", extra, run_id="r2")
    assert (again.rows_written, again.rows_skipped) == (0, 1)


def test_append_adds_only_new_keys(lake: Path) -> None:
    write_table(lake, "articles", articles_frame().iloc[:2], run_id="r1")
    result = write_table(lake, "articles", articles_frame(), run_id="r2")
    assert (result.rows_written, result.rows_skipped) == (1, 2)
    assert sorted(read_table(lake, "articles")["article_id"]) == ["a1", "a2", "a3"]


def test_concurrent_writers_do_not_duplicate(lake: Path) -> None:
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


def test_replace_swaps_rows_of_listed_articles(filled_lake: Path) -> None:
    lake = filled_lake
    write_table(lake, "stance", stance_frame().iloc[[0]].assign(target_id="usa"), run_id="r2")
    assert len(list((lake / "stance" / "published_month=2024-12").glob("*.parquet"))) == 2
    new = pd.DataFrame({"article_id": ["a1"], "target_id": ["eu"], "label": ["favor"], "score": [0.25],
                        "published_month": ["2024-12"]})
    result = write_table(lake, "stance", new, run_id="r3", replace_articles=["a1", "a3"])
    assert (result.rows_written, result.rows_removed) == (1, 3)
    got = read_table(lake, "stance").sort_values(["article_id", "target_id"])
    assert list(zip(got.article_id, got.target_id)) == [("a1", "eu"), ("a2", "nato")]
    assert got.set_index("target_id").loc["nato", "label"] == "neutral"
    december = list((lake / "stance" / "published_month=2024-12").glob("*.parquet"))
    assert [f.name.split("-")[1] for f in december] == ["r3"]  # compacted into one new file
    assert len(list((lake / "stance" / "published_month=2025-01").glob("*.parquet"))) == 1  # untouched


def test_replace_moves_article_between_partitions(filled_lake: Path) -> None:
    lake = filled_lake
    moved = articles_frame().iloc[[0]].assign(published_month="2024-11", title="Uno bis")
    result = write_table(lake, "articles", moved, run_id="r2", replace_articles=["a1"])
    assert result.rows_removed == 1
    got = read_table(lake, "articles", columns=["article_id", "title", "published_month"])
    assert sorted(got.itertuples(index=False, name=None)) == [
        ("a1", "Uno bis", "2024-11"), ("a2", "Zwei", "2025-01"), ("a3", "Trois", "unknown")]
    assert not list((lake / "articles" / "published_month=2024-12").glob("*.parquet"))


def test_replace_with_no_rows_deletes_and_rejects_strays(filled_lake: Path) -> None:
    result = write_table(filled_lake, "stance", stance_frame().iloc[:0], run_id="r2", replace_articles={"a2"})
    assert (result.rows_written, result.rows_removed, result.files) == (0, 1, [])
    assert sorted(read_table(filled_lake, "stance")["article_id"]) == ["a1", "a1"]
    with pytest.raises(ValueError, match="not listed in replace_articles"):
        write_table(filled_lake, "stance", stance_frame(), run_id="r3", replace_articles=["a1"])
    with pytest.raises(ValueError, match="only applies to article tables"):
        runs = pd.DataFrame({"run_id": ["x"], "run_month": ["2025-01"]})
        write_table(filled_lake, "runs", runs, run_id="x", replace_articles=["a1"])
