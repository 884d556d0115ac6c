"""File-level behaviour: every bad input becomes one reject with the right code; counts reconcile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslens.ingest import Document, discover_files, read_file, read_inputs, reasons

BODY = "The harbour reopened on Sunday after a week of storms closed it to all shipping traffic."
ARTICLE = f"date 2024-06-01 Harbour reopens\n\n{BODY}\n"


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


BAD_FILES: list[tuple[str, bytes | str, str]] = [
    ("empty.txt", b"", reasons.EMPTY_FILE),
    ("blank.txt", " \n\t\r\n\u200b\n", reasons.WHITESPACE_ONLY),
    ("big.txt", ARTICLE * 50, reasons.TOO_LARGE),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), reasons.BINARY_FILE),
    ("noise.txt", bytes(range(128, 256)) * 4, reasons.UNDECODABLE),
    ("report.pdf", "%PDF-1.4 not read", reasons.UNSUPPORTED_FORMAT),
    ("title_only.txt", "date 2024-06 Harbour reopens\n", reasons.NO_BODY),
    ("short.txt", "Harbour\n\nIt reopened.\n", reasons.BODY_TOO_SHORT),
    ("page.html", "<html><body><script>x()</script></body></html>", reasons.HTML_NO_CONTENT),
    ("empty.csv", "title,text\n", reasons.NO_RECORDS),
    ("headless.csv", f"a,{BODY}\n", reasons.NO_TEXT_COLUMN),
    ("bad_date.txt", f"date 2024-02-30 Lead\n\n{BODY}\n", reasons.BAD_DATE),
]


@pytest.mark.parametrize("name, data, reason", BAD_FILES, ids=[b[2] for b in BAD_FILES])
def test_bad_file_gives_one_reject_with_reason(tmp_path, name, data, reason):
    path = _write(tmp_path / name, data)
    result = read_file(path, max_file_bytes=2_000)
    assert result.documents == []
    [reject] = result.rejects
    assert reject.reason == reason
    assert reject.stage == "read" and reject.source_record is None
    assert reject.source_uri == str(path.absolute())
    assert reject.detail and reason in reasons.DESCRIPTIONS


def test_unreadable_file(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing-target.txt")
    [reject] = read_file(link).rejects
    assert reject.reason == reasons.UNREADABLE and "FileNotFoundError" in reject.detail


def test_too_large_is_decided_before_reading(tmp_path, monkeypatch):
    path = _write(tmp_path / "big.jsonl", "x" * 5_000)

    def refuse(self: Path) -> bytes:
        raise AssertionError("read_bytes called on an oversized file")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    [reject] = read_file(path, max_file_bytes=1_000).rejects
    assert reject.reason == reasons.TOO_LARGE and "5000 bytes" in reject.detail


def test_min_body_chars_is_respected(tmp_path):
    path = _write(tmp_path / "a.txt", ARTICLE)
    assert read_file(path, min_body_chars=len(BODY)).documents
    assert read_file(path, min_body_chars=len(BODY) + 1).rejects[0].reason == reasons.BODY_TOO_SHORT


def _mixed_folder(root: Path) -> None:
    _write(root / "b" / "article.txt", ARTICLE)
    _write(root / "a.jsonl", "\n".join([json.dumps({"text": BODY}), "{oops", json.dumps({"text": BODY + " Later."})]))
    _write(root / "c.csv", f"title,text\nT,{BODY}\nU,short\n")
    _write(root / "d.bin", b"\x00\x01")
    _write(root / "e.txt", b"")
    _write(root / ".hidden.txt", ARTICLE)
    _write(root / ".git" / "x.txt", ARTICLE)


def test_folder_reconciles_every_input(tmp_path):
    _mixed_folder(tmp_path)
    result = read_inputs(tmp_path)
    # jsonl 3 + csv 2 + txt 1 + unsupported 1 + empty 1; hidden files are not inputs
    assert result.n_inputs == len(result.documents) + len(result.rejects) == 8
    assert len(result.documents) == 4
    assert sorted(r.reason for r in result.rejects) == sorted(
        [reasons.INVALID_JSON, reasons.BODY_TOO_SHORT, reasons.UNSUPPORTED_FORMAT, reasons.EMPTY_FILE])
    assert [Path(d.source_uri).name for d in result.documents] == ["a.jsonl", "a.jsonl", "article.txt", "c.csv"]
    assert all(isinstance(d, Document) and d.file_sha256 for d in result.documents)


def test_limit_stops_after_n_inputs(tmp_path):
    _mixed_folder(tmp_path)
    result = read_inputs(tmp_path, limit=2)
    assert result.n_inputs == 2
    assert [d.source_record for d in result.documents] == [1]
    assert [r.source_record for r in result.rejects] == [2]
    assert read_inputs(tmp_path, limit=0).n_inputs == 0


def test_discover_files(tmp_path):
    _mixed_folder(tmp_path)
    names = [p.relative_to(tmp_path).as_posix() for p in discover_files(tmp_path)]
    assert names == ["a.jsonl", "b/article.txt", "c.csv", "d.bin", "e.txt"]
    single = tmp_path / "c.csv"
    assert discover_files(single) == [single]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover_files(tmp_path / "nope")


def test_same_file_twice_has_same_sha(tmp_path):
    a = _write(tmp_path / "one.txt", ARTICLE)
    b = _write(tmp_path / "two.txt", ARTICLE)
    assert read_file(a).documents[0].file_sha256 == read_file(b).documents[0].file_sha256
