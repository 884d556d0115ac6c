"""JSONL and CSV inputs: good and bad records side by side, each judged on its own."""

from __future__ import annotations

import datetime
import json

from newslens.ingest import read_file, reasons

BODY = "Ministers met in Brussels on Monday to agree the next package of sanctions and aid."


def _by_record(result):
    return ({d.source_record: d for d in result.documents},
            {r.source_record: r for r in result.rejects})


def test_jsonl_good_and_bad_records(tmp_path):
    lines = [
        json.dumps({"id": 7, "title": "Sanctions", "text": BODY, "published": "2024-02-03",
                    "lang": "EN-gb", "source": "Wire", "url": "https://x.org/a", "author": "Ann Lee"}),
        "",                                                   # blank: not an input
        '{"title": "broken", "text": ',                       # 3 invalid JSON
        json.dumps(["not", "an", "object"]),                  # 4
        json.dumps({"title": "no text here"}),                # 5
        json.dumps({"body": BODY, "date": "03/02/2024"}),      # 6 bad date
        json.dumps({"content": "too short"}),                 # 7
        json.dumps({"body": BODY, "date": "2024-02"}),         # 8 month precision
        json.dumps({"content": BODY + " More.", "published_at": "2024-02-03T23:30:00-05:00"}),  # 9
        json.dumps({"text": ["a", "list"]}),                  # 10
        json.dumps({"text": BODY + "\u2028Second line."}),    # 11 U+2028 inside a string
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_file(path)
    docs, rejects = _by_record(result)
    assert result.n_inputs == 10
    assert sorted(docs) == [1, 8, 9, 11]
    assert {k: r.reason for k, r in rejects.items()} == {
        3: reasons.INVALID_JSON, 4: reasons.NOT_AN_OBJECT, 5: reasons.NO_TEXT,
        6: reasons.BAD_DATE, 7: reasons.BODY_TOO_SHORT, 10: reasons.INVALID_FIELD}
    assert all(r.stage == "parse" and r.detail.startswith(f"line {k}:") for k, r in rejects.items())
    first = docs[1]
    assert (first.external_id, first.title, first.lang_hint, first.source, first.url, first.author) == (
        "7", "Sanctions", "en", "Wire", "https://x.org/a", "Ann Lee")
    assert (first.published, first.published_precision) == (datetime.date(2024, 2, 3), "day")
    assert first.source_format == "jsonl" and first.raw_text == BODY
    assert (docs[8].published, docs[8].published_precision) == (datetime.date(2024, 2, 1), "month")
    assert docs[9].published == datetime.date(2024, 2, 3)  # the date as written, not shifted to UTC


def test_jsonl_body_loses_footer_and_signature(tmp_path):
    text = f"{BODY}\n\nJane Roe\n\nFollow us on Telegram: https://t.me/wire"
    path = tmp_path / "a.ndjson"
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    [doc] = read_file(path).documents
    assert doc.body == BODY and doc.author == "Jane Roe" and doc.raw_text == text


def test_csv_semicolon_with_quoted_newlines_and_bad_rows(tmp_path):
    rows = [
        "Title;Text;Date;Language",
        f'First;"{BODY}\n\nSecond paragraph, with a comma.";2024-01-05;it',
        "",
        "Second;short;2024-01-06;it",
        f"Third;{BODY};2024-99-01;fr",
        f"Fourth;{BODY};2024-01",
        f"Fifth;{BODY};;de",
    ]
    path = tmp_path / "feed.csv"
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    result = read_file(path)
    docs, rejects = _by_record(result)
    assert result.n_inputs == 5
    assert sorted(docs) == [1, 5]
    assert {k: r.reason for k, r in rejects.items()} == {
        2: reasons.BODY_TOO_SHORT, 3: reasons.BAD_DATE, 4: reasons.MALFORMED_ROW}
    assert docs[1].body == f"{BODY}\n\nSecond paragraph, with a comma."
    assert (docs[1].title, docs[1].lang_hint, docs[1].source_format) == ("First", "it", "csv")
    assert docs[5].published is None and docs[5].lang_hint == "de"


def test_csv_tab_delimited_and_comma(tmp_path):
    tab = tmp_path / "t.csv"
    tab.write_text(f"id\tbody\n1\t{BODY}\n", encoding="utf-8")
    comma = tmp_path / "c.csv"
    comma.write_text(f'id,content\n2,"{BODY}"\n', encoding="utf-8")
    assert read_file(tab).documents[0].external_id == "1"
    assert read_file(comma).documents[0].body == BODY


def test_csv_without_text_header_and_empty_files(tmp_path):
    headless = tmp_path / "h.csv"
    headless.write_text(f"Some title,{BODY}\nOther,{BODY}\n", encoding="utf-8")
    header_only = tmp_path / "e.csv"
    header_only.write_text("title,text\n\n", encoding="utf-8")
    blank_jsonl = tmp_path / "e.jsonl"
    blank_jsonl.write_text("\n\n \n", encoding="utf-8")
    assert [r.reason for r in read_file(headless).rejects] == [reasons.NO_TEXT_COLUMN]
    assert [r.reason for r in read_file(header_only).rejects] == [reasons.NO_RECORDS]
    # a JSONL of blank lines is whitespace, refused before parsing
    assert [r.reason for r in read_file(blank_jsonl).rejects] == [reasons.WHITESPACE_ONLY]


def test_jsonl_of_only_bad_lines_is_all_rejects(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n[1]\n", encoding="utf-8")
    result = read_file(path)
    assert result.documents == []
    assert [(r.source_record, r.reason) for r in result.rejects] == [
        (1, reasons.INVALID_JSON), (2, reasons.NOT_AN_OBJECT)]
