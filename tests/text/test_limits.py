"""Length caps: long sentences become bounded pieces at word/character boundaries; cuts noted."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newslens.text.limits import cut_text, limit_spans, split_long_span
from newslens.text.sentences import split_sentences


def test_long_sentence_is_cut_at_words() -> None:
    text = " ".join(["word"] * 500) + "."
    pieces = split_long_span(text, 0, len(text), 100)
    assert len(pieces) > 10 and all(e - s <= 100 for s, e in pieces)
    assert all(not text[s:e].startswith(" ") and not text[s:e].endswith(" ") for s, e in pieces)
    assert all(text[s:e].split(" ")[0] == "word" or text[s:e] == "word." for s, e in pieces)
    assert " ".join(text[s:e] for s, e in pieces) == text  # nothing lost, nothing added


def test_line_without_spaces_is_cut_at_characters() -> None:
    text = "x" * 1_000_000
    pieces = split_long_span(text, 0, len(text), 800)
    assert len(pieces) == 1250 and {e - s for s, e in pieces} == {800}


def test_combining_marks_stay_with_their_letter() -> None:
    text = "e\u0301" * 300  # é as e + combining acute, no spaces
    for s, e in split_long_span(text, 0, len(text), 101):
        assert text[s] == "e" and e - s <= 101


def test_limit_spans_notes_every_cut() -> None:
    text = "Short one. " + "y" * 3000 + ". Last one."
    spans = split_sentences(text, "en")
    limited = limit_spans(text, spans, max_sentence_chars=800, max_sentences=3)
    assert len(limited.spans) == 3 and all(e - s <= 800 for s, e in limited.spans)
    assert limited.notes[0].startswith("sentence_chars: 1 sentence(s) over 800")
    assert limited.notes[1].startswith("sentences_per_article: kept the first 3 of")
    assert limit_spans(text, spans, max_sentence_chars=None, max_sentences=None).spans == spans


def test_cut_text_prefers_paragraphs() -> None:
    text = ("Para one is here.\n\n" * 10) + "z" * 500
    kept, note = cut_text(text, 300)
    assert len(kept) <= 300 and kept.endswith("Para one is here.") and "cut from" in note
    assert cut_text("short", 300) == ("short", None)
    assert cut_text("short", None) == ("short", None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000), st.integers(min_value=1, max_value=200),
       st.integers(min_value=1, max_value=50))
def test_capped_sentences_always_slice_the_body(text: str, max_chars: int, max_sentences: int) -> None:
    limited = limit_spans(text, split_sentences(text, None), max_sentence_chars=max_chars,
                          max_sentences=max_sentences)
    assert len(limited.spans) <= max_sentences
    last = 0
    for start, end in limited.spans:
        assert 0 <= last <= start < end <= len(text)
        assert end - start <= max_chars
        last = end
