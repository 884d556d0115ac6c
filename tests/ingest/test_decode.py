"""Decoding of BOMs, UTF-8 and legacy encodings; refusal of binary and undecodable bytes."""

from __future__ import annotations

import codecs

import pytest

from newslens.ingest import decode_bytes, normalize_text, read_file, reasons

RU = ("Москва объявила о новых мерах поддержки экономики. Правительство утвердило план "
      "на следующий год, сообщает агентство.")
FR = ("Le gouvernement français a annoncé mercredi une réforme des retraites très contestée. "
      "Les syndicats prévoient déjà des grèves à Noël.")
PL = "Rząd ogłosił w środę nowe środki wsparcia dla gospodarki. Większe zmiany nastąpią później."


@pytest.mark.parametrize("text, encoding", [
    (RU, "cp1251"), (RU, "koi8_r"), (FR, "cp1252"), (PL, "cp1250"), (FR, "utf-8"),
])
def test_legacy_and_utf8_round_trip(text, encoding):
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.reason is None


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + FR.encode("utf-8"),
    codecs.BOM_UTF16_LE + RU.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + RU.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + FR.encode("utf-32-le"),
    FR.encode("utf-16-le"),  # no BOM: recognised by the NUL-byte pattern
])
def test_unicode_with_and_without_bom(data):
    text = decode_bytes(data).text
    assert text in (FR, RU)


def test_binary_and_undecodable_are_refused():
    assert decode_bytes(b"PK\x03\x04" + bytes(64) + b"payload").reason == reasons.BINARY_FILE
    assert decode_bytes(b"text \x01\x02\x03\x04\x05 more").reason == reasons.BINARY_FILE
    assert decode_bytes(bytes(range(128, 256)) * 3).reason == reasons.UNDECODABLE
    assert decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00").reason == reasons.UNDECODABLE


def test_cp1251_and_cp1252_files_read_as_articles(tmp_path):
    ru = tmp_path / "ru.txt"
    ru.write_bytes(f"date 2024-05 Новый план\n\n{RU}\n".encode("cp1251"))
    fr = tmp_path / "fr.txt"
    fr.write_bytes(f"Réforme des retraites\r\n\r\n{FR}\r\n".encode("cp1252"))
    [ru_doc] = read_file(ru).documents
    [fr_doc] = read_file(fr).documents
    assert ru_doc.title == "Новый план" and ru_doc.body == RU
    assert fr_doc.title == "Réforme des retraites" and fr_doc.body == FR


def test_normalize_text_keeps_zwnj():
    assert normalize_text("a\r\nb\rc\u200bd\ufeff") == "a\nb\ncd"
    assert normalize_text("می\u200cخواهم") == "می\u200cخواهم"
