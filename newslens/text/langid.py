"""Language identification with lingua, offline: the configured set first, then all languages.

A closed set (the configured `languages`) is more accurate than asking lingua to choose among
all 75 languages it knows, so it decides among its own languages. Every text is also checked
among all of lingua's languages in low-accuracy mode (trigrams, a few milliseconds per
article): when that pass convincingly names a language outside the set, or the set has no
language for the text's script (Devanagari with no `hi`), its answer wins, so a Hindi,
Swahili or Indonesian article is named rather than stored as `und` or as a wrong neighbour. Detectors are costly to build, so one is kept per process for
each distinct set of codes, and the all-languages one is built on first need.

Long texts are not classified whole: only a bounded prefix (`PREFIX_CHARS`, cut back to the
last whitespace so no word is split) is looked at. A news article's language is settled by
its first few paragraphs, and the prefix keeps the cost of one article bounded whatever its
size.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from lingua import (ConfidenceValue, IsoCode639_1, Language, LanguageDetector,
                    LanguageDetectorBuilder)

# How much of a text is classified: about half a page of news prose.
PREFIX_CHARS = 3000
# Below this many letters a guess is noise ("ok", "a"), so no language is reported.
MIN_LETTERS = 3
# Batches at least this long go through lingua's multi-threaded API.
PARALLEL_MIN_BATCH = 8

# How sure the all-languages pass must be to name a language outside the configured set
# where the set can read the script (long news texts score 0.9 and above).
CONVINCING_CONFIDENCE = 0.9
# Below this many characters the all-languages pass (trigrams only) does not overrule the set.
MIN_OVERRIDE_CHARS = 60
# A script covers a configured language when at least this share of the letters uses it.
SCRIPT_SHARE = 0.5

# Why a text has no language (the run summary counts these).
TOO_FEW_LETTERS = "too_few_letters"   # under MIN_LETTERS letters outside links and e-mail addresses
UNDECIDED = "lingua_undecided"        # lingua itself could not tell among all its languages

Result = tuple[str | None, float]


class Detection(NamedTuple):
    """A language (or None), its confidence, and how it was found or why there is none."""

    code: str | None
    confidence: float
    how: str  # configured | all_languages | too_few_letters | lingua_undecided


# The script each lingua language is written in (Latin when not listed).
_SCRIPT_OF: dict[str, str] = {
    **dict.fromkeys("ru uk be bg sr mk kk mn".split(), "Cyrillic"),
    **dict.fromkeys("ar fa ur".split(), "Arabic"), "he": "Hebrew", "el": "Greek",
    **dict.fromkeys("hi mr".split(), "Devanagari"), "bn": "Bengali", "gu": "Gujarati",
    "pa": "Gurmukhi", "ta": "Tamil", "te": "Telugu", "th": "Thai", "ka": "Georgian",
    "hy": "Armenian", "zh": "Han", "ja": "Japanese", "ko": "Hangul",
}
# Scripts as unicodedata names their letters (first word of the character name).
_NAME_TO_SCRIPT = {"CJK": "Han", "HIRAGANA": "Japanese", "KATAKANA": "Japanese",
                   "HANGUL": "Hangul", "LATIN": "Latin", "CYRILLIC": "Cyrillic",
                   "ARABIC": "Arabic", "HEBREW": "Hebrew", "GREEK": "Greek",
                   "DEVANAGARI": "Devanagari", "BENGALI": "Bengali", "GUJARATI": "Gujarati",
                   "GURMUKHI": "Gurmukhi", "TAMIL": "Tamil", "TELUGU": "Telugu", "THAI": "Thai",
                   "GEORGIAN": "Georgian", "ARMENIAN": "Armenian"}
_SCRIPT_SAMPLE = 400  # letters looked at to find a text's script
# Links and e-mail addresses carry no language (a list of URLs reads as Yoruba to lingua).
_LINKS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


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


@lru_cache(maxsize=1)
def _all_languages_detector() -> LanguageDetector:
    """Every lingua language, low-accuracy mode (trigrams only): ample for article-length text
    and several times faster to load and run than the full models. Built on first need."""
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def lingua_codes() -> frozenset[str]:
    """ISO 639-1 codes of every language lingua can name."""
    return frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())


def dominant_script(text: str) -> str | None:
    """The script of most letters in the first part of `text` (kana makes it Japanese)."""
    counts: Counter[str] = Counter()
    seen = 0
    for ch in text:
        if not ch.isalpha():
            continue
        word = unicodedata.name(ch, "").split(" ")[0]
        counts[_NAME_TO_SCRIPT.get(word, "Other")] += 1
        seen += 1
        if seen >= _SCRIPT_SAMPLE:
            break
    if not counts:
        return None
    if counts["Japanese"] and counts["Japanese"] + counts["Han"] >= SCRIPT_SHARE * seen:
        return "Japanese"  # Japanese mixes kanji with kana; Chinese has no kana
    script, n = counts.most_common(1)[0]
    return script if n >= SCRIPT_SHARE * seen else None


def _covers(codes: tuple[str, ...], script: str | None) -> bool:
    if script is None:
        return True
    scripts = {_SCRIPT_OF.get(code, "Latin") for code in codes}
    return script in scripts or (script == "Han" and "ja" in codes)


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
    prefix = bounded_prefix(_LINKS.sub(" ", text) if "@" in text or "/" in text or "www." in text
                            else text)
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


def _settle(first: Result, wide: Result, covered: bool, codes: tuple[str, ...],
            n_chars: int) -> Detection:
    """The configured set's answer, unless the all-languages pass convincingly names another
    language (or the set cannot read the script, or had no answer at all)."""
    code, confidence = first
    wide_code, wide_conf = wide
    if wide_code is not None and (
            not covered or code is None
            or (wide_code not in codes and wide_conf >= CONVINCING_CONFIDENCE
                and n_chars >= MIN_OVERRIDE_CHARS)):
        return Detection(wide_code, wide_conf, "all_languages")
    if code is not None:
        return Detection(code, confidence, "configured")
    return Detection(None, 0.0, UNDECIDED)


def detect_language(text: str, languages: Sequence[str]) -> Result:
    """The language of `text`: (ISO 639-1 code, confidence in [0, 1]).

    Chosen among `languages` when that is convincing, else among all lingua languages.
    (None, 0.0) when the text has nothing to go on (empty, digits or punctuation only, or
    fewer than `MIN_LETTERS` letters) or lingua cannot tell. Unknown codes raise ValueError.
    """
    found = explain_languages([text], languages)[0]
    return found.code, found.confidence


def detect_languages(texts: Sequence[str], languages: Sequence[str]) -> list[Result]:
    """`detect_language` over many texts, in order; large batches use lingua's thread pool."""
    return [(d.code, d.confidence) for d in explain_languages(texts, languages)]


def explain_languages(texts: Sequence[str], languages: Sequence[str]) -> list[Detection]:
    """Per text: the language, its confidence and how it was found (or why none was)."""
    codes = _normalise_codes(languages)
    detector = _detector(codes)
    prepared = [_prepare(text) for text in texts]
    todo = [p for p in prepared if p is not None]
    if len(todo) >= PARALLEL_MIN_BATCH:
        scored = detector.compute_language_confidence_values_in_parallel(todo)
    else:
        scored = [detector.compute_language_confidence_values(p) for p in todo]
    wide_scored = _wide(todo)
    found, wide_found = iter(scored), iter(wide_scored)
    out: list[Detection] = []
    for p in prepared:
        if p is None:
            out.append(Detection(None, 0.0, TOO_FEW_LETTERS))
            continue
        out.append(_settle(_best(next(found)), _best(next(wide_found)), _covers(codes, dominant_script(p)),
                           codes, len(p)))
    return out


def _wide(texts: list[str]) -> list[Sequence[ConfidenceValue]]:
    """All-languages confidence values; every text gets them, because a closed set's
    confidence is relative to the set and can be high for a language outside it (an
    Indonesian text scores Turkish above 0.9 among the default set)."""
    detector = _all_languages_detector()
    if len(texts) >= PARALLEL_MIN_BATCH:
        return detector.compute_language_confidence_values_in_parallel(texts)
    return [detector.compute_language_confidence_values(t) for t in texts]
