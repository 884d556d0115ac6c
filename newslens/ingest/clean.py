"""Cleaning an article body: bylines and credits out, boilerplate out, every cut line recorded.

The unit is the line (paragraphs are blank-line separated, lines within them kept). In order:
leading byline/credit lines; lines learned as recurring boilerplate of the source; a closing
block that starts at a boilerplate line and holds only boilerplate, credits, a signature,
an author bio or short teasers; trailing signature/credit lines; then any boilerplate line
left standing alone mid-body. Each cut line is kept with its reason, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from newslens.ingest.boilerplate import (LINK, boilerplate_kind, ends_like_prose, is_teaser,
                                         names_platform)
from newslens.ingest.bylines import byline_author, credit_from_line, signature_author
from newslens.ingest.learned import line_hash

_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_BIO = re.compile(
    r"\b(?:is|è|est|ist|es|é|jest|является|є|е|je|este)\b.{0,80}\b(?:journalist|writer|author|"
    r"editor|correspondent|reporter|columnist|analyst|giornalista|scrittore|scrittrice|"
    r"journaliste|écrivain|journalistin|autorin|autor|periodista|escritor|escritora|jornalista|"
    r"dziennikarz|dziennikarka|publicysta|журналист|журналістка|журналіст|писател|колумнист|"
    r"журналистка)", re.IGNORECASE)
_MAX_BIO_CHARS = 400
_LEAD_LINES = 3  # how many opening lines may hold a byline or credit
MAX_MIDBODY_CHARS = 160  # a longer line ending as prose is kept mid-body whatever it mentions

BYLINE, CREDIT, SIGNATURE, TEASER, BIO, RECURRING = (
    "byline", "credit", "signature", "teaser", "author_bio", "recurring")


@dataclass(frozen=True)
class CleanBody:
    """A cleaned body, the people and agencies found, and every line cut with its reason."""

    body: str
    author: str | None = None
    credit: str | None = None
    dropped: tuple[tuple[str, str], ...] = field(default=())  # (line, reason), in text order


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, each stripped, trailing spaces off every line."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


class _Lines:
    """The body's lines with their paragraph numbers; cut lines move to `dropped`."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.items = [(i, line) for i, p in enumerate(paragraphs) for line in p.split("\n")
                      if line.strip()]
        self.dropped: dict[int, tuple[str, str]] = {}  # position -> (line, reason)
        self.alive = list(range(len(self.items)))

    def text(self, pos: int) -> str:
        return self.items[pos][1]

    def cut(self, pos: int, reason: str) -> None:
        self.dropped[pos] = (self.items[pos][1], reason)
        self.alive.remove(pos)

    def body(self) -> str:
        kept: dict[int, list[str]] = {}
        for pos in self.alive:
            para, line = self.items[pos]
            kept.setdefault(para, []).append(line)
        return "\n\n".join(p for p in ("\n".join(ls).strip() for ls in kept.values()) if p)

    def dropped_in_order(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.dropped[k] for k in sorted(self.dropped))


def _tail_reason(line: str) -> str | None:
    """Why a line after a closing boilerplate line belongs to the footer block, if it does."""
    if kind := boilerplate_kind(line):
        return kind
    if credit_from_line(line):
        return CREDIT
    if signature_author(line):
        return SIGNATURE
    if len(line) <= _MAX_BIO_CHARS and _BIO.search(line):
        return BIO
    if is_teaser(line) and not ends_like_prose(line):
        return TEASER
    return None


def clean_paragraphs(paragraphs: list[str], *, learned: Collection[str] = ()) -> CleanBody:
    """Clean a body given as paragraphs; `learned` holds line hashes of the source's
    recurring boilerplate (see `newslens.ingest.learned`)."""
    lines = _Lines(paragraphs)
    author: str | None = None
    credit: str | None = None

    # 1. A byline or credit in the opening lines ("By X, Outlet:", "(ANSA)").
    for pos in list(lines.alive[:_LEAD_LINES]):
        line = lines.text(pos)
        if author is None and (name := byline_author(line)):
            author = name
            lines.cut(pos, BYLINE)
        elif credit is None and (agency := credit_from_line(line)):
            credit = agency
            lines.cut(pos, CREDIT)
        else:
            break

    # 2. Lines this source repeats verbatim across articles.
    if learned:
        for pos in list(lines.alive):
            if line_hash(lines.text(pos)) in learned:
                lines.cut(pos, RECURRING)

    # 3. The closing block: from the first boilerplate line after which only footer
    # material follows. The first line always stays: an article is more than its footer.
    block: list[tuple[int, str]] = []
    start = len(lines.alive)
    for k in range(len(lines.alive) - 1, 0, -1):
        reason = _tail_reason(lines.text(lines.alive[k]))
        if reason is None:
            break
        block.append((lines.alive[k], reason))
        if reason not in (TEASER, CREDIT, SIGNATURE, BIO):
            start = k
    cut_from = lines.alive[start] if start < len(lines.alive) else None
    for pos, reason in reversed(block):
        if cut_from is None or pos < cut_from:
            continue
        line = lines.text(pos)
        if reason == CREDIT:
            credit = credit or credit_from_line(line)
        elif reason == SIGNATURE and author is None:
            author = signature_author(line)
        lines.cut(pos, reason)

    # 4. Trailing signature and credit lines ("Tommaso Dal Passo", "Source: BTA").
    while len(lines.alive) > 1:
        line = lines.text(lines.alive[-1])
        if agency := credit_from_line(line):
            credit = credit or agency
            lines.cut(lines.alive[-1], CREDIT)
        elif author is None and (name := signature_author(line)):
            author = name
            lines.cut(lines.alive[-1], SIGNATURE)
        else:
            break

    # 5. Boilerplate standing alone mid-body: a notice line, not a paragraph of prose.
    for pos in list(lines.alive):
        line = lines.text(pos)
        if (kind := boilerplate_kind(line)) and (  # a body of only boilerplate is no body
                len(line) <= MAX_MIDBODY_CHARS or not ends_like_prose(line)) and (
                kind != LINK or names_platform(line)):  # "The report: https://..." stays
            lines.cut(pos, kind)

    return CleanBody(body=lines.body(), author=author, credit=credit,
                     dropped=lines.dropped_in_order())


def clean_text(text: str, *, learned: Collection[str] = ()) -> CleanBody:
    """`clean_paragraphs` over a text whose paragraphs are separated by blank lines."""
    return clean_paragraphs(split_paragraphs(text), learned=learned)
