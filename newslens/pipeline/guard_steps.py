"""The translation guard inside the model stages: wrapping translators, reading their flags,
and keeping flagged translations away from the classifiers."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from newslens.config import Settings
from newslens.models.translation import Translator
from newslens.models.translation_guard import GuardConfig, GuardedTranslator
from newslens.text.lang_tags import primary_language
from newslens.text.langid import detect_language

Lookup = Callable[[str], Translator | None]


def guard_config(settings: Settings) -> GuardConfig:
    return GuardConfig.from_mapping(settings.translation_length_ratios)


def guarded_lookup(lookup: Lookup, settings: Settings) -> tuple[Lookup, dict[str, GuardedTranslator]]:
    """A translator lookup whose translators are guarded (one per source language, so the
    checks know the source), and the guards it made, by language. Unguarded when the guard
    is off or a decode policy replaces the models' own decoding (the benchmark's fixed output
    lengths make every check meaningless)."""
    guards: dict[str, GuardedTranslator] = {}
    if not settings.translation_guard or settings.translation_decode_policy is not None:
        return lookup, guards
    config = guard_config(settings)

    def guarded(lang: str) -> Translator | None:
        if lang not in guards:
            inner = lookup(lang)
            if inner is None:
                return None
            guards[lang] = GuardedTranslator(inner, primary_language(lang), config,
                                             detect=detect_language)
        return guards[lang]  # type: ignore[return-value]

    return guarded, guards


def sentence_flags(sentences: pd.DataFrame, guards: dict[str, GuardedTranslator]) -> list[list[str]]:
    """The guard's flags for each sentence's kept translation ([] when none or unguarded)."""
    out: list[list[str]] = []
    for text, lang in zip(sentences["text"].tolist(), sentences["lang"].tolist()):
        guard = guards.get(lang)
        out.append(list(guard.flags.get(text, ())) if guard is not None else [])
    return out


def is_flagged(value: object) -> bool:
    """True for a non-empty list of flags (None, NaN or [] mean no flag)."""
    try:
        return len(value) > 0  # type: ignore[arg-type]
    except TypeError:
        return False


def trusted_english(sentences: pd.DataFrame) -> pd.DataFrame:
    """A copy whose flagged translations are blanked, so models set to read English (sentiment
    with `english`, stance matching and premises) read those sentences' original text."""
    if "mt_flags" not in sentences.columns or "text_en" not in sentences.columns:
        return sentences
    flagged = sentences["mt_flags"].map(is_flagged)
    if not flagged.any():
        return sentences
    out = sentences.copy()
    out.loc[flagged, "text_en"] = None
    return out


def count_flagged(sentences: pd.DataFrame | None) -> int:
    """Sentences of a written batch whose translation carries guard flags."""
    if sentences is None or "mt_flags" not in sentences.columns:
        return 0
    return int(sentences["mt_flags"].map(is_flagged).sum())
