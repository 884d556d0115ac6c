"""Boundaries the layout forces: paragraphs, and single line breaks before a list item or
after a short heading. The sentence splitter (newslens.text.sentences) starts a new sentence
at each, whatever the punctuation says."""

from __future__ import annotations

import re

from newslens.text.marks import CLOSERS, HARD, SOFT

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n|\u2029")
_LIST_ITEM = re.compile(r"\s*(?:[-•*·▪◦‣–—]\s|\(?\d{1,3}[.)]\s|[a-z]\)\s)")
_TERMINAL_END = re.compile(rf"[{re.escape(SOFT + HARD)}][{re.escape(CLOSERS)}]*\s*\Z")

# A line this short that starts a sentence and ends without punctuation is a heading.
HEADING_MAX_CHARS = 120
HEADING_MAX_WORDS = 16
_NOT_HEADING_END = ",;:-–—(/&+"


def _is_heading(line: str, starts_sentence: bool) -> bool:
    """A short line that opens a sentence and carries no punctuation at its end."""
    stripped = line.strip()
    return (
        starts_sentence
        and 0 < len(stripped) <= HEADING_MAX_CHARS
        and not stripped[0].islower()
        and stripped[-1] not in _NOT_HEADING_END
        and len(stripped.split()) <= HEADING_MAX_WORDS
    )


def line_breaks(text: str) -> list[int]:
    """Single line breaks that end a sentence: before a list item, after a short heading."""
    breaks: list[int] = []
    lines = text.split("\n")
    offset = 0
    starts_sentence = True
    for i, line in enumerate(lines[:-1]):
        end = offset + len(line)
        following = lines[i + 1]
        if not line.strip() or not following.strip():
            starts_sentence = True  # paragraph boundary; handled elsewhere
        else:
            first = following.lstrip()[0]
            if _LIST_ITEM.match(following) or (
                not first.islower() and _is_heading(line, starts_sentence)
            ):
                breaks.append(end)
            starts_sentence = bool(_TERMINAL_END.search(line)) or breaks[-1:] == [end]
        offset = end + 1
    return breaks


def forced_breaks(text: str) -> list[int]:
    """Every forced boundary of `text`, sorted: paragraph starts and breaking single lines."""
    return sorted({m.start() for m in _PARAGRAPH.finditer(text)} | set(line_breaks(text)))
