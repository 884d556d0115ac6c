"""Targets of stance analysis (countries, alliances, their leaders) and finding their mentions.

Aliases are written per language in `data/targets.yaml` (format documented at its top). Each
alias becomes a regular expression:

- words match whole, with Unicode-aware boundaries, so "Prussia" never counts as Russia and
  "USA" never matches inside "USAF"; an apostrophe is a boundary, so Italian and French elided
  articles and prepositions ("dell'Ucraina", "all'UE", "l'OTAN") need nothing special;
- a word ending in `*` takes any of its language's endings or none, one ending in `+` needs
  one of them: this is how case endings (Россия/России/Россию) and demonym gender and number
  (russo/russa/russi/russe) are covered without listing every form;
- acronyms (no lower-case letters, at least two letters: NATO, США, ЄС) and aliases prefixed
  with `=` match with their exact case; everything else ignores case;
- whitespace inside an alias matches any run of whitespace; in Russian, е and ё are one letter.

All aliases of one language compile into a single regex per target list, cached.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from newslens.text.lang_tags import primary_language

MENTION_COLUMNS = ["article_id", "sent_idx", "target_id", "matched_alias", "matched_on"]

# Endings a `*`/`+` stem may take, per language; longest first inside the alternation.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("s", "es", "n", "ns"),
    "it": ("o", "a", "i", "e"),
    "fr": ("e", "s", "es", "ne", "nes"),
    "de": ("s", "es", "e", "en", "er", "em", "n"),
    "es": ("o", "a", "os", "as", "es", "s"),
    "ru": ("а", "я", "ы", "и", "е", "у", "ю", "о", "ь", "й", "ой", "ей", "ёй", "ою", "ею", "ом",
           "ем", "ём", "ам", "ям", "ами", "ями", "ах", "ях", "ий", "ый", "ая", "яя", "ое", "ее",
           "ие", "ые", "ого", "его", "ому", "ему", "ую", "юю", "ым", "им", "ых", "их", "ыми",
           "ими", "ов", "ев", "ин", "ина", "ину", "ином"),
    "uk": ("а", "я", "и", "і", "ї", "е", "є", "у", "ю", "о", "ь", "й", "ою", "ею", "єю", "ом",
           "ем", "єм", "ам", "ям", "ами", "ями", "ах", "ях", "ий", "ій", "ої", "ого", "ому",
           "им", "ім", "их", "іх", "ими", "іми", "ів", "ей", "ин", "ина", "ину", "ином"),
}
_DEFAULT_ENDINGS: tuple[str, ...] = ("s", "es", "e", "en", "a", "o")
_WORD_LEFT = r"(?<!\w)"
_WORD_RIGHT = r"(?!\w)"


@dataclass(frozen=True)
class Target:
    """An actor stance is measured toward: id, English display name, aliases per language."""

    id: str
    name: str
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:  # the aliases dict is not hashable by itself
        return hash((self.id, self.name, tuple(sorted(self.aliases.items()))))


def _as_alias_map(raw: object, where: str) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping of language -> list of aliases")
    out: dict[str, list[str]] = {}
    for lang, items in raw.items():
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(a, str) and a.strip() for a in items):
            raise ValueError(f"{where}.{lang}: expected a list of non-empty strings")
        out[str(lang).lower()] = [a.strip() for a in items]
    return out


def load_targets(path: Path, *, include_leaders: bool = True) -> list[Target]:
    """Read the targets file; leaders' names join the aliases only when asked for."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    entries = data.get("targets") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a top-level `targets:` list")
    targets: list[Target] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not entry.get("id"):
            raise ValueError(f"{path}: target #{n + 1} has no id")
        tid = str(entry["id"])
        if tid in seen:
            raise ValueError(f"{path}: target id {tid!r} appears twice")
        seen.add(tid)
        aliases = _as_alias_map(entry.get("aliases"), f"{tid}.aliases")
        if include_leaders:
            for lang, names in _as_alias_map(entry.get("leaders"), f"{tid}.leaders").items():
                aliases[lang] = aliases.get(lang, []) + names
        merged = {lang: tuple(dict.fromkeys(items)) for lang, items in aliases.items()}
        targets.append(Target(id=tid, name=str(entry.get("name") or tid), aliases=merged))
    return targets


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _word_pattern(word: str, lang: str) -> str:
    """One alias word as regex: escaped, with the language's endings for `*`/`+` stems."""
    marker = word[-1] if word[-1:] in ("*", "+") and len(word) > 1 else ""
    stem = word[:-1] if marker else word
    body = re.escape(stem)
    if lang == "ru":
        body = body.replace("ё", "е").replace("Ё", "Е").replace("е", "[её]").replace("Е", "[ЕЁ]")
    if marker:
        endings = sorted(_ENDINGS.get(lang, _DEFAULT_ENDINGS), key=len, reverse=True)
        body += "(?:" + "|".join(map(re.escape, endings)) + ")" + ("?" if marker == "*" else "")
    return body


def alias_pattern(alias: str, lang: str) -> str:
    """Regex (without boundaries) for one alias, with its case rule as a scoped flag."""
    exact = alias.startswith("=")
    text = alias[1:].strip() if exact else alias
    words = [_word_pattern(w, lang) for w in text.split()]
    body = r"\s+".join(words)
    return f"(?-i:{body})" if exact or _is_acronym(text) else f"(?i:{body})"


def _targets_key(targets: Sequence[Target]) -> tuple:
    return tuple((t.id, tuple(sorted(t.aliases.items()))) for t in targets)


@lru_cache(maxsize=32)
def _compile(key: tuple) -> dict[str, re.Pattern[str]]:
    """One regex per language; named group `t<i>` marks a hit on the i-th target."""
    langs = sorted({lang for _, aliases in key for lang, _ in aliases})
    patterns: dict[str, re.Pattern[str]] = {}
    for lang in langs:
        groups = []
        for i, (_, aliases) in enumerate(key):
            items = dict(aliases).get(lang, ())
            if items:
                # Longer aliases first, so the fullest form is the one reported.
                alts = [alias_pattern(a, lang) for a in sorted(items, key=len, reverse=True)]
                groups.append(f"(?P<t{i}>{'|'.join(alts)})")
        if groups:
            patterns[lang] = re.compile(_WORD_LEFT + "(?:" + "|".join(groups) + ")" + _WORD_RIGHT)
    return patterns


def compile_matchers(targets: Sequence[Target]) -> dict[str, re.Pattern[str]]:
    """The per-language regexes of a target list (compiled once per distinct list)."""
    return _compile(_targets_key(targets))


def match_text(text: object, pattern: re.Pattern[str] | None) -> dict[int, str]:
    """Target position -> first matched surface form, for one text."""
    if pattern is None or not isinstance(text, str) or not text:
        return {}
    hits: dict[int, str] = {}
    for m in pattern.finditer(text):
        hits.setdefault(int(m.lastgroup[1:]), m.group())
    return hits


def find_mentions(sentences: pd.DataFrame, targets: Sequence[Target]) -> pd.DataFrame:
    """One row per (article_id, sent_idx, target_id) a sentence mentions.

    The original text is searched with its language's aliases (a language without aliases is
    not searched); the English translation, when present, with the English aliases. A hit on
    the original wins; `matched_alias` is the text as it appears in the sentence.
    """
    patterns = compile_matchers(targets)
    english = patterns.get("en")
    rows: list[dict[str, object]] = []
    has_en = "text_en" in sentences.columns
    for rec in sentences.itertuples(index=False):
        original = match_text(rec.text, patterns.get(primary_language(rec.lang)))
        translated = match_text(rec.text_en, english) if has_en else {}
        for i in sorted(set(original) | set(translated)):
            on_original = i in original
            rows.append({
                "article_id": rec.article_id, "sent_idx": rec.sent_idx, "target_id": targets[i].id,
                "matched_alias": original[i] if on_original else translated[i],
                "matched_on": "original" if on_original else "english",
            })
    out = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    out["sent_idx"] = out["sent_idx"].astype("int32")
    return out
