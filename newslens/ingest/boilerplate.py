"""Which lines of an article are outlet boilerplate, and of what kind (pure functions).

A line is judged on its own: a promotional/notice phrase of a known kind (see
`boilerplate_phrases`), a copyright mark, or little more than links, handles and platform
names. Where it stands decides what happens to it (see `newslens.ingest.clean`): a block of
such lines (plus short teasers) closing the article is cut whole, a lone one mid-body goes alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newslens.ingest.boilerplate_phrases import PHRASES, PLATFORMS

# Lines longer than this are prose, whatever phrase they contain.
MAX_BOILERPLATE_CHARS = 250
# Weak phrases ("~newsletter") and platform lists count only in lines this short.
MAX_SHORT_LINE_CHARS = 80
# A teaser (another article's headline after the footer) is at most this long.
MAX_TEASER_CHARS = 160
MAX_TEASER_WORDS = 25

URL = re.compile(r"(?:https?://|www\.|\bt\.me/)\S*", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@\w{2,}")
_SEPARATORS = " \t:-–—|·•,;()[]/«»\"'“”!?.…>"
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TERMINAL = ".!?…。！？।"

LINK = "link"  # the kind of a line that is only links, handles and platform names


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        body = re.escape(phrase)
        if _NO_SPACE_SCRIPT.search(phrase) or not phrase[0].isalnum():
            parts.append(body)
        else:  # whole words only: "stem" is not "system"
            parts.append(rf"(?<!\w){body}" + (r"(?!\w)" if phrase[-1].isalnum() else ""))
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]:
    """(kind, strong pattern, weak pattern) for every kind."""
    out = []
    for kind, phrases in PHRASES.items():
        strong = tuple(p for p in phrases if not p.startswith("~"))
        weak = tuple(p[1:] for p in phrases if p.startswith("~"))
        out.append((kind, _phrase_pattern(strong) if strong else None,
                    _phrase_pattern(weak) if weak else None))
    return tuple(out)


_PLATFORM_WORDS = re.compile(
    "|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in sorted(PLATFORMS, key=len, reverse=True)),
    re.IGNORECASE)


def is_link_line(line: str) -> bool:
    """A line of little more than links, @handles and platform names ("Telegram: t.me/x")."""
    text = line.strip()
    if not text or len(text) > MAX_BOILERPLATE_CHARS:
        return False
    has_link = bool(URL.search(text) or _HANDLE.search(text))
    rest = _PLATFORM_WORDS.sub("", _HANDLE.sub("", URL.sub("", text))).strip(_SEPARATORS)
    if has_link:
        return len(rest) < 40
    # "Facebook | Twitter | YouTube": platform names and separators only
    return bool(_PLATFORM_WORDS.search(text)) and len(text) <= MAX_SHORT_LINE_CHARS and not rest


def names_platform(line: str) -> bool:
    """Whether a line names a social platform, a t.me link or an @handle."""
    return bool(_PLATFORM_WORDS.search(line) or _HANDLE.search(line) or "t.me/" in line.lower())


def boilerplate_kind(line: str) -> str | None:
    """The kind of boilerplate `line` is (social, subscribe, ..., link), or None for prose."""
    text = line.strip()
    if not text or len(text) > MAX_BOILERPLATE_CHARS:
        return None
    folded = text.casefold()
    short = len(text) <= MAX_SHORT_LINE_CHARS and not ends_like_prose(text)
    for kind, strong, weak in _compiled():
        if (strong is not None and strong.search(folded)) or (
                short and weak is not None and weak.search(folded)):
            return kind
    return LINK if is_link_line(text) else None


def is_teaser(line: str) -> bool:
    """A short line of the kind outlets list after an article: another story's headline."""
    text = line.strip()
    return (0 < len(text) <= MAX_TEASER_CHARS and len(text.split()) <= MAX_TEASER_WORDS
            and text.count(". ") <= 1)


def ends_like_prose(line: str) -> bool:
    """Whether a line ends as a sentence does (terminal punctuation, maybe a closing quote)."""
    text = line.rstrip(" \"'”’»)]")
    return bool(text) and text[-1] in _TERMINAL
