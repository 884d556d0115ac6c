"""A generated inbox of hostile input: every kind of bad file the issue lists, and more.

`build_corpus(folder)` writes it and returns one `Case` per input file, with the outcome of
each of its inputs in record order: "doc" (becomes an article, new or duplicate) or the reject
reason code. Nothing here is read from outside the folder except the link targets
(`/etc/passwd`, `/dev/zero`) that must never be followed.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from newslens.ingest import reasons as R

DOC = "doc"

EN = ("The harbour reopened on Sunday after a week of storms closed it to all shipping. "
      "Port officials said the damage to the northern pier was smaller than feared.")
FR = ("Le port a rouvert dimanche après une semaine de tempêtes. Les autorités portuaires ont "
      "déclaré que les dégâts étaient moins importants que prévu à l'été.")
RU = ("Порт снова открылся в воскресенье после недели штормов. Портовые власти заявили, что "
      "ущерб северному причалу оказался меньше, чем опасались.")
MIXED = ("Summit in Brüssel: Москва и Киев 会谈 continued; المفاوضات استمرت while Ελλάδα watched. "
         "Delegates from every side called the talks useful and promised to meet again soon.")


def article(title: str, body: str, date: str | None = "2024-06-01") -> str:
    head = f"date {date} {title}" if date else title
    return f"{head}\n\n{body}\n"


@dataclass(frozen=True)
class Case:
    name: bytes            # path relative to the corpus folder, raw bytes
    expected: tuple[str, ...]
    kind: str              # what hostile thing it is, for test ids and the README


def _write(root: Path, name: bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(root), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def _jsonl(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


def _files() -> list[tuple[bytes, bytes, tuple[str, ...], str]]:
    """(name, bytes, expected, kind) for every input written as a plain file."""
    big_body = ("A sentence about the harbour and its long history of storms. " * 30 + "\n\n") * 900
    no_space_line = "x" * 1_000_000
    return [
        (b"empty.txt", b"", (R.EMPTY_FILE,), "empty file"),
        (b"whitespace.txt", b" \n\t\r\n  \n", (R.WHITESPACE_ONLY,), "whitespace only"),
        (b"zero_width.txt", "\u200b\ufeff\u200b\n".encode(), (R.WHITESPACE_ONLY,), "zero-width characters only"),
        (b"binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, (R.BINARY_FILE,), "binary data"),
        (b"nul_bytes.txt", article("Harbour", EN).encode()[:60] + b"\x00\x00" + EN.encode(),
         (R.BINARY_FILE,), "NUL bytes inside text"),
        (b"controls.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50 + EN.encode(), (R.BINARY_FILE,), "control characters"),
        (b"undecodable.txt", bytes(range(128, 256)) * 8, (R.UNDECODABLE,), "bytes no encoding explains"),
        (b"utf16_bom.txt", codecs.BOM_UTF16_LE + article("Port", EN).encode("utf-16-le"), (DOC,), "UTF-16 with BOM"),
        (b"utf32.txt", codecs.BOM_UTF32_LE + article("Port 32", FR).encode("utf-32-le"), (DOC,), "UTF-32 with BOM"),
        (b"utf8_bom.txt", codecs.BOM_UTF8 + article("Порт", RU + " Ещё.").encode(), (DOC,), "UTF-8 with BOM"),
        (b"latin1.txt", article("Le port", FR).encode("cp1252"), (DOC,), "Latin-1 / cp1252"),
        (b"cp1251.txt", article("Порт", RU).encode("cp1251"), (DOC,), "Windows-1251"),
        (b"mixed_scripts.txt", article("Summit", MIXED).encode(), (DOC,), "mixed scripts"),
        (b"crlf.txt", article("CRLF", EN + " Lines end in CR LF.").replace("\n", "\r\n").encode(), (DOC,), "CRLF line ends"),
        (b"one_mb_line.txt", article("Long line", no_space_line).encode(), (DOC,), "1 MB line without spaces"),
        (b"footer_only.txt", b"Title\n\nFollow us on Telegram https://t.me/x\n", (R.NO_BODY,), "only a footer"),
        (b"date_header_only.txt", b"date 2024-05-01\n", (R.NO_BODY,), "only a date header"),
        (b"title_only.txt", b"date 2024-06 Harbour reopens\n", (R.NO_BODY,), "title without body"),
        (b"short_body.txt", b"Harbour\n\nIt reopened.\n", (R.BODY_TOO_SHORT,), "body too short"),
        (b"future_date.txt", article("From the future", EN + " Again.", "2999-01-01").encode(), (DOC,),
         "future date (kept: a date in the future is well-formed)"),
        (b"malformed_date.txt", article("Bad date", EN, "2024-13-45").encode(), (R.BAD_DATE,), "malformed date"),
        (b"script_only.html", b"<html><head><script>alert(1)</script></head><body><script>x()</script></body></html>",
         (R.HTML_NO_CONTENT,), "script-only HTML"),
        (b"no_text.html", b"<html><body><div><span></span></div></body></html>", (R.HTML_NO_CONTENT,), "HTML without text"),
        (b"deep_nesting.html", ("<html><body>" + "<div>" * 150_000 + "text " * 50 + "</div>" * 150_000
                                + "</body></html>").encode(), (R.HTML_NO_CONTENT,), "HTML nested 150,000 deep"),
        (b"page.html", (f"<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
                        f"<p>{EN}</p><p>{EN.replace('Sunday', 'Monday')}</p></article></body></html>").encode(),
         (DOC,), "a real HTML page"),
        (b"broken_lines.jsonl", _jsonl({"title": "A", "text": EN + " One."}, '{"title": "B", "text": ',
                                       {"title": "C", "text": EN + " Three."}),
         (DOC, R.INVALID_JSON, DOC), "broken JSONL lines"),
        (b"wrong_types.jsonl", _jsonl({"text": ["a", "list"]}, {"text": 42}, [1, 2, 3], "\"a string\"",
                                      {"text": EN + " Typed.", "title": {"a": 1}}, {"text": EN, "date": 20240101}),
         (R.INVALID_FIELD, R.INVALID_FIELD, R.NOT_AN_OBJECT, R.NOT_AN_OBJECT, R.INVALID_FIELD, R.BAD_DATE),
         "wrong JSON types"),
        (b"deep_nesting.jsonl", ("[" * 100_000 + "]" * 100_000).encode(), (R.INVALID_JSON,), "JSON nested 100,000 deep"),
        (b"surrogates.jsonl", _jsonl('{"title": "T\\ud800", "text": "' + EN + ' \\udfff tail."}'), (DOC,),
         "lone surrogate escapes in JSON"),
        (b"huge_record.jsonl", _jsonl({"title": "Huge", "text": "word " * 1_100_000}), (R.RECORD_TOO_LARGE,),
         "5 MB JSONL text"),
        (b"long_article.jsonl", _jsonl({"title": "Long " * 400, "text": big_body}), (DOC,),
         "1.5 MB article (body and title cut)"),
        (b"embedded.csv", ('title,text\n"Quoted ""title""","' + EN + '\nSecond line, with a comma."\n'
                           '"Two","' + FR + '"\n').encode(), (DOC, DOC), "CSV with embedded newlines and quotes"),
        (b"headerless.csv", f"Harbour,{EN}\n".encode(), (R.NO_TEXT_COLUMN,), "CSV without a header"),
        (b"semicolon.csv", f"title;text\nHarbour;{RU}\n".encode(), (DOC,), "CSV with another delimiter"),
        (b"ragged.csv", f"title,text\nA,{EN} Ragged.,extra\n".encode(), (R.MALFORMED_ROW,), "CSV row with extra fields"),
        (b"header_only.csv", b"title,text\n", (R.NO_RECORDS,), "CSV with a header only"),
        (b"report.pdf", b"%PDF-1.4 not read", (R.UNSUPPORTED_FORMAT,), "unsupported suffix"),
        (b"README", b"no suffix at all", (R.UNSUPPORTED_FORMAT,), "no suffix"),
        (b"name_\xff\xfe_latin1_\xe9.txt", article("Odd name", EN + " Named oddly.").encode(), (DOC,),
         "file name that is not UTF-8"),
        (b"new\nline \\ name.txt", article("Newline name", FR + " Nom.").encode(), (DOC,),
         "file name with a newline and a backslash"),
        (b"dup_copy.txt", article("Port copy", EN).encode(), (DOC,), "exact duplicate of another file"),
        (b"dup_original.txt", article("Port", EN).encode(), (DOC,), "the original of a duplicate"),
        (b"folder_like.txt/inner.txt", article("Inner", RU + " Внутри.").encode(), (DOC,),
         "folder named like a file"),
        (b".hidden.txt", article("Hidden", EN).encode(), (), "hidden file (not an input)"),
    ]


def build_corpus(root: Path) -> list[Case]:
    """Write the hostile inbox into `root` (which must not exist yet) and say what to expect."""
    root = Path(root)
    root.mkdir(parents=True)
    cases = [Case(name, expected, kind) for name, data, expected, kind in _files()]
    for name, data, _, _ in _files():
        _write(root, name, data)
    raw = os.fsencode(root)

    def link(name: bytes, target: bytes | str, expected: tuple[str, ...], kind: str) -> None:
        os.symlink(target, os.path.join(raw, name))
        cases.append(Case(name, expected, kind))

    link(b"link_to_passwd.txt", "/etc/passwd", (R.SYMLINK_OUTSIDE,), "symlink to /etc/passwd")
    link(b"link_to_dev_zero.txt", "/dev/zero", (R.SYMLINK_OUTSIDE,), "symlink to /dev/zero")
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text(article("Outside", EN))
    link(b"link_to_sibling.txt", str(outside), (R.SYMLINK_OUTSIDE,), "symlink to a file beside the inbox")
    link(b"loop_a.txt", "loop_b.txt", (R.UNREADABLE,), "symlink loop")
    link(b"loop_b.txt", "loop_a.txt", (R.UNREADABLE,), "symlink loop (other half)")
    link(b"dangling.txt", "nowhere.txt", (R.UNREADABLE,), "dangling symlink")
    link(b"link_inside.txt", "mixed_scripts.txt", (DOC,), "symlink to a file inside the inbox")
    link(b"link_to_folder.txt", "folder_like.txt", (R.NOT_A_FILE,), "symlink to a folder")
    link(b"link_to_root.txt", "/", (R.SYMLINK_OUTSIDE,), "symlink to /")
    os.mkfifo(os.path.join(raw, b"fifo.txt"))
    cases.append(Case(b"fifo.txt", (R.NOT_A_FILE,), "FIFO named .txt"))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.fsdecode(os.path.join(raw, b"socket.txt")))
    sock.close()  # the socket file stays
    cases.append(Case(b"socket.txt", (R.NOT_A_FILE,), "socket named .txt"))
    with open(os.path.join(raw, b"huge_50mb.txt"), "wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB by size, nothing on disk
    cases.append(Case(b"huge_50mb.txt", (R.TOO_LARGE,), "50 MB file"))
    locked = os.path.join(raw, b"unreadable.txt")
    with open(locked, "wb") as fh:
        fh.write(article("Locked", EN + " Locked away.").encode())
    os.chmod(locked, 0)
    can_read_anyway = os.geteuid() == 0  # root reads mode-000 files
    cases.append(Case(b"unreadable.txt", (DOC,) if can_read_anyway else (R.UNREADABLE,), "unreadable file"))
    return cases
