"""Bytes to text: BOMs, UTF-8, a guarded charset guess, and the text normalisation ingest applies.

Inputs come from many outlets and tools, so legacy encodings (cp1252, cp1251, koi8-r) are
normal, while binary files dropped in a folder by mistake must be refused, not guessed.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from newslens.ingest import reasons

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy encodings of news text, most common first (the order breaks ties). charset-normalizer
# alone misreads short texts (French cp1252 as cp1257, koi8-r as Shift-JIS), so these are
# scored first with a word-shape check and its guess is the fallback for other scripts.
_LEGACY = ("cp1252", "cp1251", "koi8_r", "cp1250", "iso8859_2", "iso8859_15", "koi8_u",
           "cp1253", "cp1254", "cp866")
_MAX_BAD_WORDS = 0.15
_SAMPLE_BYTES = 65_536
_MAX_CHAOS = 0.2
_MAX_CONTROL_SHARE = 0.01

# Control bytes that text files do not contain (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# Non-ASCII letters and marks of the major European languages written in Latin script.
_COMMON_LATIN = frozenset(
    "àâäáãåæçéèêëíìîïñóòôöõøœúùûüÿýßąćęłńśźżčďěňřšťůžőűășțşţğı"
    "ÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜŸÝĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽŐŰĂȘȚŞŢĞİ")
_COMMON_PUNCT = frozenset("«»„“”‘’‚‹›–—…€£°§·•©®™\u00a0\u202f")
_WORD = re.compile(r"\w+")
# Zero-width characters that carry no meaning. ZWNJ/ZWJ are kept: Persian and Indic
# spelling and emoji sequences depend on them.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


@dataclass(frozen=True)
class Decoded:
    """Outcome of decoding: `text` and `encoding` on success, else a reject `reason` and detail."""

    text: str | None
    encoding: str | None
    reason: str | None = None
    detail: str = ""


def _control_share(text: str) -> float:
    return len(_CONTROL_CHARS.findall(text)) / max(len(text), 1)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _wide_unicode(data: bytes) -> Decoded | None:
    """UTF-32/UTF-16 without a BOM, recognised by where the NUL bytes sit."""
    if len(data) % 4 == 0:
        for enc in ("utf-32-le", "utf-32-be"):
            text = _try(data, enc)
            if text is not None and _control_share(text) <= _MAX_CONTROL_SHARE:
                return Decoded(text, enc)
    if len(data) % 2 == 0:
        even_nuls = data[0::2].count(0)
        odd_nuls = data[1::2].count(0)
        for enc, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
            if nuls and not other:
                text = _try(data, enc)
                if text is not None and _control_share(text) <= _MAX_CONTROL_SHARE:
                    return Decoded(text, enc)
    return None


def _is_script(ch: str, lo: int, hi: int) -> bool:
    return lo <= ord(ch) <= hi


def _bad_word(word: str) -> bool:
    """A word no real text in a European script would contain: the sign of a wrong decoding."""
    if any(ord(c) > 127 and c not in _COMMON_LATIN and not _is_script(c, 0x0370, 0x04FF)
           for c in word):
        return True
    has_ascii = any(c.isascii() and c.isalpha() for c in word)
    if has_ascii and any(_is_script(c, 0x0370, 0x04FF) for c in word):
        return True  # Latin letters glued to Cyrillic/Greek ones
    if not has_ascii and len(word) >= 3 and all(c in _COMMON_LATIN for c in word):
        return True  # Latin-script words always hold some ASCII letters
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _implausibility(text: str) -> tuple[float, float]:
    """Share of suspicious non-ASCII words, then share of capitals (a koi8-r/cp1251 mix-up
    reads as capitals), for ranking candidate decodings; lower is more plausible."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    symbols = [c for c in text if ord(c) > 127 and not c.isalnum() and not c.isspace()]
    odd_symbols = sum(c not in _COMMON_PUNCT for c in symbols)
    n = len(words) + len(symbols)
    bad = (sum(map(_bad_word, words)) + odd_symbols) / n if n else 0.0
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    return bad, upper


def _guess(data: bytes) -> Decoded:
    """The most plausible common legacy encoding, else charset-normalizer's clean guess."""
    sample = data[:_SAMPLE_BYTES]  # all candidates are single-byte, so any cut is safe
    scored = []
    for rank, enc in enumerate(_LEGACY):
        text = _try(sample, enc)
        if text is not None and _control_share(text) <= _MAX_CONTROL_SHARE:
            scored.append((*_implausibility(text), rank, enc))
    for bad, _, _, enc in sorted(scored):
        if bad > _MAX_BAD_WORDS:
            break
        if (text := _try(data, enc)) is not None:
            return Decoded(text, enc)
    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        return Decoded(None, None, reasons.UNDECODABLE,
                       "not UTF-8, and no legacy encoding decodes it into plausible text")
    return Decoded(str(best), best.encoding)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes: BOM, then strict UTF-8, then a plausible legacy encoding."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], enc)
            if text is None:
                return Decoded(None, None, reasons.UNDECODABLE,
                               f"starts with a {enc} byte-order mark but is not valid {enc}")
            return Decoded(text, enc)
    if b"\x00" in data:
        wide = _wide_unicode(data)
        if wide is not None:
            return wide
        return Decoded(None, None, reasons.BINARY_FILE,
                       f"contains {data.count(0)} NUL byte(s) and is not UTF-16/UTF-32 text")
    controls = sum(data.count(b) for b in _CONTROL_BYTES)
    if data and controls / len(data) > _MAX_CONTROL_SHARE:
        return Decoded(None, None, reasons.BINARY_FILE,
                       f"{controls} of {len(data)} bytes are control characters")
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    return _guess(data)


def normalize_text(text: str) -> str:
    """NFC, LF line ends, no BOM or zero-width spaces: the form every body is stored in."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    return unicodedata.normalize("NFC", text)
