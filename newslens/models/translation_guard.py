"""Checks on machine translation output, and one retry with safer decoding for what fails.

Neural MT fails on noisy news text in recognisable ways: it loops ("the the the ..."), it
hallucinates far more (or far less) than the source says, it gives the source back unchanged
or still in the source language, or it says nothing. `check_translation` names each of these
for one (source, output) pair; it is a pure function. `GuardedTranslator` wraps a translator:
sentences that fail are decoded once more with beam search, a no-repeat n-gram constraint
and a length cap proportional to the source (the backends' `translate(..., safe=True)`);
whichever attempt has fewer problems is kept, and what still fails carries its flags.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

# Flag codes, as stored in `sentences.mt_flags`.
EMPTY = "empty"
REPEAT = "repeat"
TOO_LONG = "too_long"
TOO_SHORT = "too_short"
SOURCE_LANGUAGE = "source_language"
COPY = "copy"
FLAGS = (EMPTY, REPEAT, TOO_LONG, TOO_SHORT, SOURCE_LANGUAGE, COPY)

# Safer decoding for the retry (both backends read these).
SAFE_BEAM_SIZE = 4
SAFE_NO_REPEAT_NGRAM = 3
SAFE_LENGTH_FACTOR = 2.0   # output tokens per source token, at most...
SAFE_LENGTH_SLACK = 8      # ...plus this many, so short sources keep room for a sentence

# Output/source length ratios in characters, per source language; "default" for the rest.
# English is about as long as European sources and several times longer than CJK ones.
DEFAULT_LENGTH_RATIOS: dict[str, tuple[float, float]] = {
    "default": (0.4, 2.2),
    "zh": (1.0, 9.0), "ja": (0.8, 7.0), "ko": (0.7, 5.0),
}

Detect = Callable[[str, Sequence[str]], tuple[str | None, float]]
_WORD = re.compile(r"\w+", re.UNICODE)


def safe_length_cap(source_tokens: int, model_cap: int) -> int:
    """Decoding cap for a retry: proportional to the source, never above the model's."""
    return max(1, min(model_cap, math.ceil(SAFE_LENGTH_FACTOR * source_tokens) + SAFE_LENGTH_SLACK))


@dataclass(frozen=True)
class GuardConfig:
    """The thresholds of the checks (from Settings; frozen, hashable)."""

    length_ratios: tuple[tuple[str, tuple[float, float]], ...] = tuple(DEFAULT_LENGTH_RATIOS.items())
    min_chars_for_ratio: int = 20   # below this a ratio says little ("Sì." -> "Yes, indeed.")
    min_words_for_language: int = 4  # lingua needs a few words to be sure
    language_confidence: float = 0.75
    copy_similarity: float = 0.85
    min_repeats: int = 3            # an n-gram (n >= 2) seen this many times in a row is a loop
    min_word_repeats: int = 4       # ...and a single word this many times

    @classmethod
    def from_mapping(cls, ratios: Mapping[str, Sequence[float]]) -> "GuardConfig":
        merged = {**DEFAULT_LENGTH_RATIOS, **{k: (float(v[0]), float(v[1])) for k, v in ratios.items()}}
        return cls(length_ratios=tuple(sorted(merged.items())))

    def ratio_bounds(self, lang: str | None) -> tuple[float, float]:
        table = dict(self.length_ratios)
        return table.get((lang or "").lower(), table["default"])


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def longest_run(tokens: Sequence[str], n: int) -> int:
    """The most times any n-gram occurs back to back in `tokens`."""
    best = 1 if len(tokens) >= n else 0
    for start in range(n):
        grams = [tuple(tokens[i:i + n]) for i in range(start, len(tokens) - n + 1, n)]
        run = 1
        for prev, cur in zip(grams, grams[1:]):
            run = run + 1 if cur == prev else 1
            best = max(best, run)
    return best


def has_loop(tokens: Sequence[str], config: GuardConfig = GuardConfig()) -> bool:
    """A word repeated `min_word_repeats` times in a row, or a 2-4 word phrase `min_repeats`."""
    if longest_run(tokens, 1) >= config.min_word_repeats:
        return True
    return any(longest_run(tokens, n) >= config.min_repeats for n in (2, 3, 4))


def _normalised(text: str) -> str:
    return " ".join(words(text))


def check_translation(source: str, output: str, lang: str | None,
                      config: GuardConfig = GuardConfig(), detect: Detect | None = None) -> list[str]:
    """The problems of `output` as a translation of `source` (in `lang`) into English."""
    if not source or not source.strip():
        return []
    if not output or not output.strip():
        return [EMPTY]
    flags: list[str] = []
    out_words, src_words = words(output), words(source)
    if has_loop(out_words, config) and not has_loop(src_words, config):
        flags.append(REPEAT)
    if len(source.strip()) >= config.min_chars_for_ratio:
        low, high = config.ratio_bounds(lang)
        ratio = len(output.strip()) / len(source.strip())
        if ratio > high:
            flags.append(TOO_LONG)
        elif ratio < low:
            flags.append(TOO_SHORT)
    norm_out, norm_src = _normalised(output), _normalised(source)
    if len(src_words) >= 3 and norm_src and (
            norm_out == norm_src
            or difflib.SequenceMatcher(None, norm_out, norm_src).ratio() >= config.copy_similarity):
        flags.append(COPY)
    elif detect is not None and lang and lang != "en" and len(out_words) >= config.min_words_for_language:
        try:
            found, confidence = detect(output, [lang, "en"])
        except ValueError:  # a language lingua does not know: nothing to compare with
            found, confidence = None, 0.0
        if found == lang and confidence >= config.language_confidence:
            flags.append(SOURCE_LANGUAGE)
    return flags


@dataclass
class GuardStats:
    checked: int = 0
    retried: int = 0
    fixed: int = 0
    flagged: int = 0


@dataclass
class GuardedTranslator:
    """A translator for one source language whose outputs are checked and, if need be, retried.

    `flags[source]` holds the problems left in the kept translation of each source seen.
    """

    inner: object
    lang: str | None
    config: GuardConfig = GuardConfig()
    detect: Detect | None = None
    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stats: GuardStats = field(default_factory=GuardStats)

    @property
    def model_id(self) -> str:
        return self.inner.model_id  # type: ignore[attr-defined]

    @property
    def revision(self) -> str | None:
        return self.inner.revision  # type: ignore[attr-defined]

    def check(self, source: str, output: str) -> list[str]:
        return check_translation(source, output, self.lang, self.config, self.detect)

    def translate(self, texts: list[str]) -> list[str]:
        outputs = list(self.inner.translate(texts))  # type: ignore[attr-defined]
        problems = [self.check(src, out) for src, out in zip(texts, outputs)]
        failing = [i for i, p in enumerate(problems) if p]
        self.stats.checked += len(texts)
        if failing:
            retries = self.inner.translate([texts[i] for i in failing], safe=True)  # type: ignore[attr-defined]
            self.stats.retried += len(failing)
            for i, retry in zip(failing, retries):
                again = self.check(texts[i], retry)
                if len(again) < len(problems[i]):  # the retry must do better to replace
                    outputs[i], problems[i] = retry, again
                    self.stats.fixed += not again
        for src, problem in zip(texts, problems):
            self.flags[src] = tuple(problem)
            self.stats.flagged += bool(problem)
        return outputs
