"""Splitting the benchmark input for interleaved direct and flow runs."""

from __future__ import annotations

from bench.e2e import _combine, split_input


def test_split_input_gives_disjoint_chunks_of_the_first_articles(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for i in range(7):
        (source / f"{i:03d}_it.txt").write_text(f"article {i}\n", encoding="utf-8")
    chunks = split_input(source, 6, 3, tmp_path / "chunks")
    assert [limit for _, limit in chunks] == [None, None, None]
    texts = [f.read_text() for folder, _ in chunks for f in sorted(folder.iterdir())]
    assert texts == [f"article {i}\n" for i in range(6)]  # each once, the seventh left out


def test_split_input_keeps_multi_article_files_whole(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "feed.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    assert split_input(source, 2, 2, tmp_path / "chunks") == [(source, 2)]
    assert split_input(source, 2, 1, tmp_path / "chunks") == [(source, 2)]


def test_combine_sums_runs():
    runs = [{"seconds": 2.0, "articles": 3, "sentences": 30, "status": "completed",
             "stage_seconds": {"translate": 1.0, "stance": 0.5}},
            {"seconds": 4.0, "articles": 2, "sentences": 20, "status": "completed",
             "stage_seconds": {"translate": 2.5}}]
    out = _combine(runs)
    assert (out["seconds"], out["articles"], out["sentences"], out["runs"]) == (6.0, 5, 50, 2)
    assert out["stage_seconds"] == {"translate": 3.5, "stance": 0.5}
    assert out["status"] == "completed"
    assert _combine([runs[0], {**runs[1], "status": "failed"}])["status"] == "mixed"
