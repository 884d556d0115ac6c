"""Content-derived identity: a stable article id and a simhash fingerprint for near-duplicates.

The id of an article is `raw_article_id(raw_text)`: the text as the input held it, normalised
only for encoding (NFC, line ends, BOM and zero-width characters) and whitespace. It never
depends on cleaning, so better cleaning rules never change an id; the same input read from
any file, in any run, gets the same id and the lake never stores it twice. Near-duplicates
(the same body under another headline, a small edit) are found by the simhash of the body.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

from newslens.ingest.decode import normalize_text

_WORD = re.compile(r"\w+")
_SHINGLE = 3
_BITS = np.arange(64, dtype=np.uint64)


def canonical_text(body: str) -> str:
    """NFC with every whitespace run collapsed to one space: layout does not change identity."""
    return " ".join(unicodedata.normalize("NFC", body).split())


def article_id(body: str) -> str:
    """First 16 hex characters of the SHA-256 of the canonical body."""
    return hashlib.sha256(canonical_text(body).encode("utf-8")).hexdigest()[:16]


def raw_article_id(raw_text: str) -> str:
    """The article id: `article_id` of the raw input text, normalised for encoding."""
    return article_id(normalize_text(raw_text))


def _shingle_hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "little")


def simhash64(text: str) -> int:
    """64-bit simhash over casefolded word 3-shingles, as a signed int64 (Parquet int64).

    Texts of fewer than three words use their words as the only shingle; empty text gives 0.
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    if not words:
        return 0
    n = max(len(words) - _SHINGLE + 1, 1)
    shingles = [" ".join(words[i:i + _SHINGLE]) for i in range(n)]
    hashes = np.fromiter((_shingle_hash(s) for s in shingles), dtype=np.uint64, count=len(shingles))
    bits = (hashes[:, None] >> _BITS) & np.uint64(1)          # (n_shingles, 64)
    votes = 2 * bits.sum(axis=0, dtype=np.int64) - len(shingles)
    value = int(np.packbits((votes > 0)[::-1]).view(">u8")[0])  # bit i of the fingerprint = column i
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit fingerprints (signed or unsigned)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def shingles(text: str) -> set[str]:
    """The casefolded word 3-shingles of a text (its words, when shorter)."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    n = max(len(words) - _SHINGLE + 1, 1)
    return {" ".join(words[i:i + _SHINGLE]) for i in range(n)} if words else set()


def jaccard(a: str, b: str) -> float:
    """Shingle-set Jaccard similarity of two texts: the check behind a near-duplicate verdict."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0
