"""Bylines, signatures and credits: who wrote an article (people) and where it came from.

`author` holds people: a byline at the top ("By X", "di X", "Автор: X", with the outlet
after a comma stripped) or a signature at the end ("Tommaso Dal Passo", initials such as
"ПП"). Agency and source lines ("Source: BTA", "(ANSA)", "ASSOCIATED PRESS") are credits,
not authors. All functions are pure and judge one line.
"""

from __future__ import annotations

import re

from newslens.ingest.boilerplate import URL

MAX_AUTHOR_CHARS = 80
MAX_CREDIT_CHARS = 80

_BYLINE = re.compile(
    r"(?:written\s+by|by|di|a\s+cura\s+di|par|von|por|door|przez|autor(?:ka)?:?|author:|auteur:|"
    r"autore:|автор(?:ы|и)?:?|текст:|από\s+τον|από\s+την|yazan:|kirjoittanut|"
    r"लेखक:?|रिपोर्ट:)\s+(.+)",
    re.IGNORECASE)
_DASH_PREFIX = re.compile(r"[-–—]\s*")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’.\u0900-\u097f])*\.?")
_PARTICLES = frozenset(
    "da dal dalla de del della dei di van von der den la le du des y e bin ibn al el".split())
_CONNECTORS = frozenset("and e et und y и і та और".split())
# Outlet after the name: "Jonathan Cook, The Unz Review:" / "Jane Roe | City News".
_OUTLET_SPLIT = re.compile(r"\s*(?:,|\||\s[-–—]\s|/)\s*")
_HAS_COLON = re.compile(r"[^\s:：]+\s*[:：]")  # "Source: ...", "Източник: ..."
# What may follow the name in a byline: an outlet or a role, a few words, not a sentence.
MAX_BYLINE_TAIL_WORDS = 5
_INITIALS = re.compile(r"\(?[^\W\d_]{1,3}(?:\.[^\W\d_]{1,2}){0,2}\.?\)?")

AGENCIES = (
    "ap", "associated press", "reuters", "afp", "agence france-presse", "ansa", "agi",
    "adnkronos", "lapresse", "dpa", "epd", "kna", "apa", "sda", "keystone-sda", "efe",
    "europa press", "lusa", "agência brasil", "bta", "бта", "тасс", "tass", "риа новости",
    "ria novosti", "интерфакс", "interfax", "укрінформ", "ukrinform", "уніан", "unian",
    "pap", "ctk", "čtk", "tasr", "mti", "agerpres", "tanjug", "танјуг", "hina", "beta",
    "belga", "anp", "ntb", "tt", "ritzau", "stt", "ana-mpa", "anadolu", "anadolu ajansı",
    "aa", "xinhua", "新华社", "kyodo", "共同通信", "yonhap", "연합뉴스", "pti", "ians", "ani",
    "uni", "bloomberg", "upi", "irna", "wafa", "mena", "kuna", "spa", "qna", "belta", "белта",
    "ria", "rbc", "nova", "novinite", "бнр", "бнт",
)
_AGENCY = re.compile(
    r"(?:" + "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True)) + r")",
    re.IGNORECASE)
_CREDIT_LEAD = re.compile(
    r"(?:source|sources|fonte|fonti|source\s*:|quelle|quellen|fuente|bron|źródło|źródła|"
    r"источник|источники|джерело|джерела|източник|izvor|zdroj|sursa|sursă|forrás|πηγή|kaynak|"
    r"المصدر|מקור|منبع|来源|出典|출처|källa|kilde|lähde|स्रोत|with|with\s+agencies|con|avec|mit|"
    r"com|z|с|з|agencies|agenzie|agences|agenturen|agencias|agências|агенции|агентства)"
    r"\s*[:：]?\s+(.+)", re.IGNORECASE)


def _is_name(text: str, min_words: int, max_words: int) -> bool:
    words = text.split()
    names = [w for w in words if w.casefold() not in _PARTICLES | _CONNECTORS]
    if not min_words <= len(names) <= max_words or len(words) > max_words + 3:
        return False
    if words[0].casefold() in _PARTICLES | _CONNECTORS and not words[0][0].isupper():
        return False
    # Devanagari has no capitals: its words count as name words as they stand.
    return all(_NAME_WORD.fullmatch(w) and (w[0].isupper() or "\u0900" <= w[0] <= "\u097f")
               for w in names)


def _agency_only(text: str) -> str | None:
    """The agency a text names when it names nothing else ("(ANSA)", "— Reuters")."""
    core = text.strip(" \t()[]-–—|·•.,:;/*")
    if core and _AGENCY.fullmatch(core):
        return core
    parts = [p.strip(" ()[]") for p in re.split(r"\s*(?:,|/|\+|&|\band\b|\be\b|\bи\b)\s*", core)]
    if len(parts) > 1 and all(p and _AGENCY.fullmatch(p) for p in parts):
        return core
    return None


def credit_from_line(line: str) -> str | None:
    """The agency/source a credit line names ("Source: BTA" -> "BTA"), else None."""
    text = _DASH_PREFIX.sub("", line.strip(), count=1).strip()
    if not text or len(text) > MAX_CREDIT_CHARS or URL.search(text):
        return None
    if found := _agency_only(text):
        return found
    if (m := _CREDIT_LEAD.fullmatch(text.rstrip("."))) and (found := _agency_only(m[1])):
        return found
    lead = _CREDIT_LEAD.fullmatch(text.rstrip("."))
    if lead and _HAS_COLON.match(text) and lead[0].split()[0].rstrip(":：").casefold() not in {
            "with", "con", "avec", "mit", "com", "z", "с", "з"}:
        named = lead[1].strip()
        if 0 < len(named.split()) <= 6 and not named.endswith(("!", "?")):
            return named  # "Source: the Ministry of Defence" (a colon: "Sources said" is prose)
    return None


def byline_author(line: str) -> str | None:
    """The person a byline names ("By Jonathan Cook, The Unz Review:" -> "Jonathan Cook")."""
    text = _DASH_PREFIX.sub("", line.strip(), count=1).strip().rstrip(":")
    if not text or len(text) > MAX_AUTHOR_CHARS or URL.search(text):
        return None
    m = _BYLINE.fullmatch(text)
    if not m:
        return None
    parts = _OUTLET_SPLIT.split(m[1].strip(), maxsplit=1)
    head = parts[0].strip().rstrip(":")
    tail = parts[1] if len(parts) > 1 else ""
    if text[-1] in ".!?…" or len(tail.split()) > MAX_BYLINE_TAIL_WORDS:
        return None  # "By Monday, officials hope to reopen the road." is a sentence
    return head if head and _is_name(head, 1, 5) and not _agency_only(head) else None


def signature_author(line: str) -> str | None:
    """The name (or initials) in a signature line at the end of an article."""
    text = _DASH_PREFIX.sub("", line.strip(), count=1).strip()
    if not text or len(text) > MAX_AUTHOR_CHARS or URL.search(text) or _agency_only(text):
        return None
    if text[-1] in "!?:;,…" or (text[-1] == "." and not _INITIALS.fullmatch(text)):
        return None
    if found := byline_author(text):
        return found
    if _is_name(text, 2, 4):
        return text
    letters = text.strip("()[].")
    if _INITIALS.fullmatch(text) and letters.replace(".", "").isupper():
        return text.strip("()[]")  # initials signature: "ПП", "(J.R.)"
    return None


def author_from_line(line: str) -> str | None:
    """The person a byline or signature line names, or None (agencies are not people)."""
    return byline_author(line) or signature_author(line)
