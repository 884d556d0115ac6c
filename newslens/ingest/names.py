"""File names as stored and reported: any name, kept losslessly as printable text.

POSIX names are bytes, not text: a crawler can write a name that is not valid UTF-8, and a
name can hold newlines or other control characters. Python hands such names over with
"surrogate escapes", which no Parquet or DuckDB string can hold. `escape_name` turns the raw
bytes (`os.fsencode`) into text every table can store, and `unescape_name` gives the exact
bytes back:

- valid UTF-8 is kept as it is, except for the escapes below;
- a backslash becomes two backslashes (`\\\\`);
- each byte that is not part of valid UTF-8, and each control character (U+0000-U+001F,
  U+007F), becomes `\\xHH` with two lowercase hex digits.

So `caf\\xe9.txt` is the Latin-1 name `café.txt`, and `a\\\\b.txt` is the name `a\\b.txt`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as surrogateescape hands it over
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if ch == "\\":
        return "\\\\"
    return ch


def escape_name(path: str | bytes | os.PathLike) -> str:
    """The lossless, storable text form of a path (see the module docstring)."""
    raw = os.fsencode(path)
    text = raw.decode("utf-8", errors="surrogateescape")
    return "".join(_escape_char(ch) for ch in text)


def unescape_name(text: str) -> bytes:
    """The raw bytes of a path from its `escape_name` form."""
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(text):
        out += text[pos:match.start()].encode("utf-8")
        token = match.group(1)
        out += b"\\" if token == "\\" else bytes([int(token[1:], 16)])
        pos = match.end()
    out += text[pos:].encode("utf-8")
    return bytes(out)


def source_uri(path: Path) -> str:
    """What the lake records as an input's `source_uri`: its absolute path, escaped."""
    return escape_name(os.path.abspath(os.fsencode(path)))
