"""File names are stored losslessly: any bytes, escaped to storable text and back."""

from __future__ import annotations

import os

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from newslens.ingest.names import escape_name, unescape_name


@given(st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_any_name_round_trips_and_is_storable(raw: bytes) -> None:
    text = escape_name(raw)
    assert unescape_name(text) == raw
    pa.array([text], pa.string())  # raises on surrogates: the crash of the issue
    text.encode("utf-8")
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def test_examples() -> None:
    assert escape_name("plain/café.txt") == "plain/café.txt"
    assert escape_name(b"caf\xe9.txt") == "caf\\xe9.txt"
    assert escape_name("a\\b\nc.txt") == "a\\\\b\\x0ac.txt"
    assert escape_name(os.fsdecode(b"\xff.txt")) == "\\xff.txt"  # the surrogateescape form
    assert unescape_name("a\\\\x41") == b"a\\x41"
