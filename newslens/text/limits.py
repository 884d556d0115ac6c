"""Length caps on text, applied after parsing and after sentence splitting (pure functions).

A crawler can hand over a 5 MB body or a 1 MB line without a space; left alone it becomes one
sentence of millions of tokens that no model should see. These functions cut such text into
bounded pieces, at the best boundary available (paragraph, then whitespace, then character),
and say what they cut so the cut can be recorded. Offsets always index into the text given,
so `text[start:end]` is a piece's text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s")
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_JOINERS = frozenset("\u200c\u200d\u034f")


@dataclass(frozen=True)
class TextLimits:
    """The caps (None: no cap). Built from Settings at the edge."""

    max_article_chars: int | None = 200_000
    max_title_chars: int | None = 1_000
    max_sentence_chars: int | None = 800
    max_sentences_per_article: int | None = 5_000


@dataclass
class Limited:
    """Sentence spans after the caps, and one note per kind of cut made (empty: none)."""

    spans: list[tuple[int, int]]
    notes: list[str] = field(default_factory=list)


def _safe_cut(text: str, pos: int, floor: int) -> int:
    """`pos` moved back so it does not separate a character from its combining marks or joiners."""
    while pos > floor + 1 and pos < len(text) and (
            unicodedata.combining(text[pos]) or text[pos] in _JOINERS or text[pos - 1] in _JOINERS):
        pos -= 1
    return pos


def cut_point(text: str, start: int, end: int, max_chars: int) -> int:
    """Where to end a piece of `text[start:end]` that may hold at most `max_chars` characters.

    The last whitespace inside the window wins if it leaves the piece at least half full;
    otherwise the cut falls on a character boundary at `start + max_chars`.
    """
    limit = start + max_chars
    if end <= limit:
        return end
    window = text[start:limit + 1]
    last_space = max((m.start() for m in _SPACE.finditer(window, max_chars // 2)), default=-1)
    if last_space > 0:
        return start + last_space
    return _safe_cut(text, limit, start)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_long_span(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """`text[start:end]` as pieces of at most `max_chars` characters, whitespace trimmed."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be >= 1, got {max_chars}")
    pieces: list[tuple[int, int]] = []
    pos, end = _strip(text, start, end)
    while pos < end:
        cut = cut_point(text, pos, end, max_chars)
        a, b = _strip(text, pos, cut)
        if b > a:
            pieces.append((a, b))
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    return pieces


def cut_text(text: str, max_chars: int | None) -> tuple[str, str | None]:
    """`text` shortened to at most `max_chars` characters, and a note when it was cut.

    Paragraph breaks are preferred (the last one in the second half of the allowance), then
    whitespace, then a character boundary.
    """
    if max_chars is None or len(text) <= max_chars:
        return text, None
    paragraphs = [m.start() for m in _PARAGRAPH.finditer(text, max_chars // 2, max_chars + 1)]
    cut = paragraphs[-1] if paragraphs else cut_point(text, 0, len(text), max_chars)
    kept = text[:cut].rstrip()
    return kept, f"cut from {len(text)} to {len(kept)} characters (limit {max_chars})"


def limit_spans(text: str, spans: list[tuple[int, int]], *, max_sentence_chars: int | None,
                max_sentences: int | None) -> Limited:
    """Sentence spans with long ones split into pieces, then at most `max_sentences` kept."""
    out: list[tuple[int, int]] = []
    notes: list[str] = []
    n_long = 0
    for start, end in spans:
        if max_sentence_chars is not None and end - start > max_sentence_chars:
            n_long += 1
            out.extend(split_long_span(text, start, end, max_sentence_chars))
        else:
            out.append((start, end))
    if n_long:
        notes.append(f"sentence_chars: {n_long} sentence(s) over {max_sentence_chars} characters "
                     f"split into pieces; {len(out)} sentence(s) now")
    if max_sentences is not None and len(out) > max_sentences:
        notes.append(f"sentences_per_article: kept the first {max_sentences} of {len(out)} "
                     "sentences")
        out = out[:max_sentences]
    return Limited(out, notes)
