"""Language identification with lingua, offline and over a closed set of languages.

A closed set (the configured `languages`) is both faster and more accurate than asking lingua
to choose among all 75 languages it knows. Detectors are costly to build, so one is kept per
process for each distinct set of codes.

Long texts are not classified whole: only a bounded prefix (`PREFIX_CHARS`, cut back to the
last whitespace so no word is split) is looked at. A news article's language is settled by
its first few paragraphs, and the prefix keeps the cost of one article bounded whatever its
size.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lingua import ConfidenceValue, IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

# How much of a text is classified: about half a page of news prose.
PREFIX_CHARS = 3000
# Below this many letters a guess is noise ("ok", "a"), so no language is reported.
MIN_LETTERS = 3
# Batches at least this long go through lingua's multi-threaded API.
PARALLEL_MIN_BATCH = 8

Result = tuple[str | None, float]


def _normalise_codes(languages: Sequence[str]) -> tuple[str, ...]:
    """Sorted, deduplicated, lowercase codes; the cache key for a detector."""
    if isinstance(languages, str):
        raise TypeError("languages must be a sequence of ISO 639-1 codes, not one string")
    codes = tuple(sorted({code.strip().lower() for code in languages}))
    if not codes:
        raise ValueError("at least one language code is required")
    return codes


@lru_cache(maxsize=16)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    """One lingua detector per set of codes, built once per process."""
    isos: list[IsoCode639_1] = []
    unknown: list[str] = []
    for code in codes:
        try:
            isos.append(IsoCode639_1.from_str(code))
        except ValueError:
            unknown.append(code)
    if unknown:
        raise ValueError(f"language codes unknown to lingua: {', '.join(unknown)}")
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def _letter_weight(text: str) -> int:
    """Letters in `text`, counting a CJK/kana/hangul character as two (it carries a word)."""
    weight = 0
    for ch in text:
        if ch.isalpha():
            weight += 2 if ch >= "\u2e80" else 1
            if weight >= MIN_LETTERS:
                break
    return weight


def bounded_prefix(text: str, limit: int = PREFIX_CHARS) -> str:
    """At most `limit` characters of `text`, cut at the last whitespace before the limit."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for i in range(limit - 1, limit // 2, -1):
        if head[i].isspace():
            return head[:i]
    return head


def _prepare(text: str) -> str | None:
    """The part of `text` worth classifying, or None when it has too few letters."""
    if not text:
        return None
    prefix = bounded_prefix(text)
    if _letter_weight(prefix) < MIN_LETTERS:
        return None
    return prefix


def _best(values: Sequence[ConfidenceValue]) -> Result:
    """Top (code, confidence) from lingua's confidence values, sorted best first."""
    if not values:
        return None, 0.0
    top = values[0]
    score = float(top.value)
    if score <= 0.0:
        return None, 0.0
    code = top.language.iso_code_639_1.name.lower()
    return code, min(score, 1.0)


def detect_language(text: str, languages: Sequence[str]) -> Result:
    """The language of `text` among `languages`: (ISO 639-1 code, confidence in [0, 1]).

    (None, 0.0) when the text has nothing to go on: empty, digits or punctuation only, or
    fewer than `MIN_LETTERS` letters. Unknown codes raise ValueError naming them.
    """
    detector = _detector(_normalise_codes(languages))
    prepared = _prepare(text)
    if prepared is None:
        return None, 0.0
    return _best(detector.compute_language_confidence_values(prepared))


def detect_languages(texts: Sequence[str], languages: Sequence[str]) -> list[Result]:
    """`detect_language` over many texts, in order; large batches use lingua's thread pool."""
    detector = _detector(_normalise_codes(languages))
    prepared = [_prepare(text) for text in texts]
    todo = [p for p in prepared if p is not None]
    if len(todo) >= PARALLEL_MIN_BATCH:
        scored = detector.compute_language_confidence_values_in_parallel(todo)
    else:
        scored = [detector.compute_language_confidence_values(p) for p in todo]
    found = iter(scored)
    return [(None, 0.0) if p is None else _best(next(found)) for p in prepared]
