"""Property tests: decoding, parsing and splitting never raise, offsets slice the body, and
the same bytes always give the same article."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslens.ingest import Document, article_id, decode_bytes, read_file, reasons
from newslens.ingest.records import parse_csv, parse_jsonl
from newslens.text.limits import limit_spans
from newslens.text.sentences import split_sentences

_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that break naive code: controls, NULs, surrogates, RTL marks,
# combining marks, CJK, newlines of every kind, quotes and delimiters.
_HOSTILE = st.text(alphabet=st.one_of(
    st.characters(codec=None),
    st.sampled_from(["\ud800", "\udfff", *"\x00\r\n\u2028\u2029\u200b\u200d\u0301\u202e\ufeff\"',;\t.!?。"]),
), max_size=400)
_SUFFIXES = st.sampled_from([".txt", ".jsonl", ".csv", ".html"])


def _storable(value: object) -> None:
    if isinstance(value, str):
        pa.array([value], pa.string())  # raises on lone surrogates


def _read_bytes(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return read_file(path, max_file_bytes=100_000, max_record_bytes=50_000)


@_SETTINGS
@given(st.binary(max_size=2000))
def test_decoding_never_raises(data: bytes) -> None:
    decoded = decode_bytes(data)
    assert (decoded.text is None) == (decoded.reason is not None)
    if decoded.reason:
        assert decoded.reason in reasons.ALL_CODES


@_SETTINGS
@given(st.one_of(st.binary(max_size=3000), _HOSTILE.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       _SUFFIXES)
def test_reading_any_bytes_never_raises_and_gives_storable_outcomes(data: bytes, suffix: str) -> None:
    result = _read_bytes(data, suffix)
    assert result.n_inputs >= 1
    for item in [*result.documents, *result.rejects]:
        for value in vars(item).values():
            _storable(value)
    for reject in result.rejects:
        assert reject.reason in reasons.ALL_CODES and reject.detail


@_SETTINGS
@given(st.one_of(st.binary(max_size=3000), _HOSTILE.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       _SUFFIXES)
def test_same_bytes_give_the_same_outcome(data: bytes, suffix: str) -> None:
    """Read twice from different folders: identical outcomes apart from the path, same ids."""
    def outcome(result):
        return [dataclasses.replace(item, source_uri="-") for item in [*result.documents, *result.rejects]]

    first, second = _read_bytes(data, suffix), _read_bytes(data, suffix)
    assert outcome(first) == outcome(second)
    assert [article_id(d.body) for d in first.documents] == [article_id(d.body) for d in second.documents]


@_SETTINGS
@given(st.lists(st.one_of(
    st.fixed_dictionaries({"title": _HOSTILE, "text": _HOSTILE}),
    st.dictionaries(st.sampled_from(["text", "body", "date", "lang", "title", "id"]),
                    st.one_of(_HOSTILE, st.integers(), st.none(), st.lists(st.integers(), max_size=2),
                              st.booleans(), st.floats(allow_nan=True))),
), max_size=6))
def test_jsonl_records_each_end_as_one_outcome(records: list[dict]) -> None:
    lines = [json.dumps(r) for r in records]
    items = parse_jsonl("\n".join(lines), uri="u", sha="s", min_body_chars=1)
    assert len(items) == max(1, len(lines))
    assert all(isinstance(i, Document) or i.reason in reasons.ALL_CODES for i in items)
    result = _read_bytes("\n".join(lines).encode(), ".jsonl")  # lone surrogates come from \ud800
    assert result.n_inputs == max(1, len(lines))
    for item in [*result.documents, *result.rejects]:
        for value in vars(item).values():
            _storable(value)


@_SETTINGS
@given(_HOSTILE)
def test_csv_parsing_never_raises(text: str) -> None:
    items = parse_csv("title,text\n" + text, uri="u", sha="s", min_body_chars=1)
    assert items


@_SETTINGS
@given(_HOSTILE, st.sampled_from([None, "en", "de", "ru", "zh", "ar"]))
def test_sentence_offsets_slice_the_body(text: str, lang: str | None) -> None:
    spans = split_sentences(text, lang)
    covered = [False] * len(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        covered[start:end] = [True] * (end - start)
        last = end
    assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())
    limited = limit_spans(text, spans, max_sentence_chars=7, max_sentences=None)
    recovered = [False] * len(text)
    for start, end in limited.spans:
        assert end - start <= 7
        recovered[start:end] = [True] * (end - start)
    assert all(recovered[i] for i, ch in enumerate(text) if not ch.isspace())
