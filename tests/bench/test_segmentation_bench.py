"""bench/segmentation.py: the F1 it computes, on documents written for this test.

The gold data itself stays outside the repository (../shared/segmentation); when it is there,
one language is scored end to end. pysbd and sentencex are bench-only extras: skipped if absent.
"""

from __future__ import annotations

import pytest

from bench.segmentation import DEFAULT_DATA, interior_ends, load_docs, newslens_ends, score

DOC = {"text": "One here. Two there!  Three at last.",
       "sentences": [[0, 9], [10, 20], [22, 36]]}


def test_interior_ends_trim_whitespace_and_drop_the_document_end() -> None:
    text = DOC["text"]
    assert interior_ends(text, [9, 21, 22, 36]) == {9, 20}


def test_perfect_and_imperfect_splitters() -> None:
    assert score([DOC], newslens_ends, "en") == 1.0
    assert score([DOC], lambda text, lang: [len(text)], "en") == 0.0  # recall 0
    errors: list = []
    half = score([DOC], lambda text, lang: [9, 15], "en", errors)  # one right, one wrong
    assert half == pytest.approx(0.5)
    assert sorted(kind for kind, _, _ in errors) == ["FN", "FP"]


@pytest.mark.skipif(not (DEFAULT_DATA / "hi.jsonl").exists(), reason="gold data not present")
def test_newslens_on_the_hindi_gold_data() -> None:
    assert score(load_docs(DEFAULT_DATA, "hi"), newslens_ends, "hi") > 0.95


def test_libraries_when_installed() -> None:
    pytest.importorskip("pysbd")
    pytest.importorskip("sentencex")
    from bench.segmentation import pysbd_splitter, sentencex_splitter

    split, langs = pysbd_splitter()
    assert "en" in langs
    assert score([DOC], split, "en") == 1.0
    assert score([DOC], sentencex_splitter(), "en") == 1.0
