"""Article structure in plain text: the date/title first line, paragraphs, byline and footer.

The outlets feeding newslens write `date YYYY-MM[-DD] <lead>` or a bare headline on the first
line, then paragraphs, then often a signature and a "follow us" footer with links. Those tail
lines are not the article: left in, they would be translated, scored and counted as news.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from newslens.ingest.decode import normalize_text

_DATE_LINE = re.compile(r"date\s+(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:\s+(.*))?", re.IGNORECASE)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")
_URL = re.compile(r"(?:https?://|www\.|\bt\.me/)\S*", re.IGNORECASE)
_PROMO = re.compile(
    r"\b(?:segui|seguici|seguiteci|iscriviti|follow us|follow our|subscribe|sign up|join us|"
    r"join our|share this|abonnez-vous|suivez-nous|suivez|folgen sie|folge uns|abonnieren|"
    r"síguenos|suscríbete|siga-nos|inscreva-se|volg ons|obserwuj|подписывайтесь|подпишитесь|"
    r"подписаться|следите за|підписуйтесь|підпишіться|слідкуйте|telegram|newsletter|"
    r"our blog|nostro blog|notre blog)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"©|\ball rights reserved\b|\briproduzione riservata\b|\btous droits réservés\b|"
    r"\balle rechte vorbehalten\b|\bвсе права защищены\b|\bвсі права захищені\b", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?:by|di|par|von|por|door|autore:|author:|auteur:|autor:|автор:?|автори:?)\s+(.+)",
    re.IGNORECASE)
_DASH_PREFIX = re.compile(r"[-–—]\s*")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’.])*\.?")
_PARTICLES = frozenset(
    "da dal dalla de del della dei di van von der den la le du des y e bin ibn al el".split())
_CONNECTORS = frozenset("and e et und y и і та".split())
_MAX_TAIL_LINES = 8
_MAX_AUTHOR_CHARS = 80
_MAX_FOOTER_CHARS = 300
_MAX_TITLE_CHARS = 300


class BadDateError(ValueError):
    """A date was given but is not a real calendar date in a form ingest reads."""


@dataclass(frozen=True)
class ParsedArticle:
    """A text article split into its parts; `body` excludes the title, byline and footer."""

    title: str | None
    body: str
    author: str | None
    published: datetime.date | None
    published_precision: str | None
    removed_tail: tuple[str, ...] = ()  # footer/byline lines dropped from the end, in order


def make_date(year: int, month: int, day: int | None) -> tuple[datetime.date, str]:
    """A date and its precision; month precision becomes the first day of the month."""
    try:
        if day is None:
            return datetime.date(year, month, 1), "month"
        return datetime.date(year, month, day), "day"
    except ValueError as exc:
        raise BadDateError(f"{year:04d}-{month:02d}{'' if day is None else f'-{day:02d}'}: {exc}") from exc


def parse_published(value: str) -> tuple[datetime.date, str]:
    """Read YYYY-MM (month), an ISO date or an ISO datetime (day: the date as written)."""
    text = value.strip()
    if m := _ISO_MONTH.fullmatch(text):
        return make_date(int(m[1]), int(m[2]), None)
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text), "day"
        return datetime.datetime.fromisoformat(text).date(), "day"
    except ValueError as exc:
        raise BadDateError(f"{value!r} is not an ISO date, ISO datetime or YYYY-MM") from exc


def is_footer_line(line: str) -> bool:
    """A promotional/link/copyright line of the kind outlets append after an article."""
    text = line.strip()
    if len(text) > _MAX_FOOTER_CHARS:
        return False
    has_url = bool(_URL.search(text))
    if _PROMO.search(text) or _COPYRIGHT.search(text):
        return True
    # A line that is little more than links ("Telegram: https://t.me/x").
    return has_url and len(_URL.sub("", text).strip(" :-–—|·•,;()[]")) < 40


def _is_name(text: str, min_words: int, max_words: int) -> bool:
    words = text.split()
    names = [w for w in words if w.casefold() not in _PARTICLES | _CONNECTORS]
    if not min_words <= len(names) <= max_words or len(words) > max_words + 3:
        return False
    if words[0].casefold() in _PARTICLES | _CONNECTORS and not words[0][0].isupper():
        return False
    return all(_NAME_WORD.fullmatch(w) and w[0].isupper() for w in names)


def author_from_line(line: str) -> str | None:
    """The name in a signature line ("Tommaso Dal Passo", "By Jane Roe", "Автор: Иван Петров")."""
    text = _DASH_PREFIX.sub("", line.strip(), count=1).strip()
    if not text or len(text) > _MAX_AUTHOR_CHARS or text[-1] in ".!?:;,…" or _URL.search(text):
        return None
    if m := _BYLINE.fullmatch(text):
        name = m[1].strip()
        head = name.split(",")[0].strip()  # "By Jane Roe, Reuters"
        return name if head and _is_name(head, 1, 5) else None
    return text if _is_name(text, 2, 4) else None


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, each stripped, trailing spaces off every line."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def strip_tail(paragraphs: list[str]) -> tuple[list[str], str | None, tuple[str, ...]]:
    """Drop trailing footer lines and one signature line; return paragraphs, author, dropped."""
    lines = [(i, line) for i, p in enumerate(paragraphs) for line in p.split("\n")]
    author: str | None = None
    dropped: list[str] = []
    while lines and len(dropped) < _MAX_TAIL_LINES:
        last = lines[-1][1]
        if is_footer_line(last):
            dropped.append(last)
        elif author is None and len(lines) > 1 and (name := author_from_line(last)):
            author = name
            dropped.append(last)
        else:
            break
        lines.pop()
    kept: dict[int, list[str]] = {}
    for i, line in lines:
        kept.setdefault(i, []).append(line)
    paras = ["\n".join(ls).strip() for ls in kept.values()]
    return [p for p in paras if p], author, tuple(reversed(dropped))


def clean_body(text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """Normalised body with footer and signature removed; also the author found and the lines cut."""
    paragraphs, author, dropped = strip_tail(split_paragraphs(normalize_text(text)))
    return "\n\n".join(paragraphs), author, dropped


def parse_txt_article(text: str) -> ParsedArticle:
    """Split a text article into title, date, body and author. Raises BadDateError on an
    impossible date in the first line (e.g. `date 2024-13`)."""
    text = normalize_text(text).lstrip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    published: datetime.date | None = None
    precision: str | None = None
    title: str | None = first or None
    if m := _DATE_LINE.fullmatch(first):
        published, precision = make_date(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        title = (m[4] or "").strip() or None
    elif len(first) > _MAX_TITLE_CHARS:
        title, rest = None, text  # a paragraph, not a headline: keep it in the body
    paragraphs = split_paragraphs(rest)
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # some feeds repeat the headline under itself
    paragraphs, author, dropped = strip_tail(paragraphs)
    return ParsedArticle(title=title, body="\n\n".join(paragraphs), author=author,
                         published=published, published_precision=precision,
                         removed_tail=dropped)
