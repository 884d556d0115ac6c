"""Rule-based sentence splitting for news text in many scripts, as character spans.

Spans rather than strings so that later stages can align translations, targets and scores
back to the original text. The splitter is a single regex pass that finds candidate ends
(terminal punctuation plus any closing quotes or brackets) and a handful of rules that reject
the false ones: abbreviations and initials, ordinals, list markers, elisions, ellipses and
question marks followed by a lowercase word. Blank lines always end a sentence; a single
line break does so before a list item or after a short heading (`newslens.text.line_breaks`). Ends without a terminal
mark (a capital after a semicolon or colon where the language's conventions make that a
boundary, e-mail and web text) come from `newslens.text.soft_ends`.
"""

from __future__ import annotations

import re

from newslens.text.abbreviations import (ALL_ABBREVIATIONS, DEVANAGARI_LETTER_NAMES, MONTHS, ORDINAL_DOT_LANGS,
                                         CONTINUATIONS, MAGNITUDES, UNITS, YEAR_MARKERS, lookup)
from newslens.text.lang_tags import primary_language
from newslens.text.line_breaks import forced_breaks
from newslens.text.marks import CLOSERS as _CLOSERS, HARD as _HARD, OPENERS as _OPENERS, SOFT as _SOFT
from newslens.text.soft_ends import punctuation_ends, web_ends

# Bumped whenever a rule here or in abbreviations.py changes what a text splits into; part of
# the cleaning rules version (newslens/ingest/rules.py) that marks stored sentences stale.
SPLITTER_VERSION = 4

_C, _S, _H = (re.escape(chars) for chars in (_CLOSERS, _SOFT, _HARD))
# French sets guillemets off with a (narrow, no-break) space: « Oui. » also closes.
_CANDIDATE = re.compile(
    rf"[{_H}][{_H}{_S}]*[{_C}]*|[{_S}]+(?:[{_C}]|[ \u00a0\u202f][»›])*(?=\s|\Z)")
_NEXT_CHAR = re.compile(rf"[\s{re.escape(_OPENERS)}]*(.?)", re.S)
_NEXT_WORD = re.compile(rf"[\s{re.escape(_OPENERS)}]*(\w*)")
_ROMAN = re.compile(r"[IVXLCDM]{1,6}")
_ELISION = re.compile(r"['’]")
# A period, ? or ! glued to the next sentence ("sottosviluppo.Gli", "Сакс.Как"): a lowercase
# word of two or more letters, the mark, then a capitalised word.
_GLUED = re.compile(r"(?<=[^\W\d_]{2})[.!?](?=[^\W\d_][^\W\d_])")
_LINKISH = re.compile(r"[@/.:_]")  # "John.Smith@x.org", "Node.Js/x": not a glued sentence
# Marks a sentence never starts with: a space before them does not make a boundary.
_NOT_SENTENCE_START = ")]},;:/%"
# A period that ends an ordinary word (this long, not an abbreviation) ends its sentence even
# when the next word is lowercase, as in lowercased or transcribed text.
WORD_END_MIN_LETTERS = 4
# Languages whose informal writing starts sentences in lowercase ("really? i think so"): a bare
# ? or ! before a lowercase word ends the sentence there.
LOWERCASE_AFTER_QUESTION_LANGS = frozenset({"en"})
# Languages whose informal writing also starts sentences in lowercase after a period: there
# any word (or number) that is no abbreviation ends a sentence before a lowercase word.
LOWERCASE_SENTENCE_LANGS = frozenset({"en"})
_PLAIN_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Languages that capitalise nouns: a capital after "9." or "3 Std." continues the sentence.
CAPITALISED_NOUN_LANGS = frozenset({"de", "lb"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[-–]\d+(?:[.,]\d+)*)?")  # "5", "48,8", "5-7"
_DOTTED_CAPITALS = re.compile(r"(?:[^\W\d_]\.){1,3}[^\W\d_]")
_NUMBER_SIGNS = "№#§"
_BRACKET_NEXT = re.compile(r"\s+\(")
_DOMAINS = frozenset({"com", "org", "net", "edu", "gov", "info"})  # "Newsfeed.Com"
# A quote set off by a space, then punctuation: the candidate before it does not end.
_QUOTE_THEN_MARK = re.compile(r"\s+(?:``|''|[\"”“»])[.,;:]")
# A year marker ("2024 г.", "2000 r.") after at most this many words starts a sentence
# ("В 2022 г. Москва ..."): the period does not end it.
SHORT_OPENING_WORDS = 4



def _is_greek(ch: str) -> bool:
    return "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"


def _last_letter(text: str, end: int) -> str:
    """The last letter before `end`, looking back a few characters."""
    for i in range(end - 1, max(-1, end - 40), -1):
        if text[i].isalpha():
            return text[i]
    return ""


def _norm(token: str) -> str:
    """A token as the abbreviation lists spell it: no quotes, brackets, final dot; lowercase."""
    return token.strip(_OPENERS + _CLOSERS).rstrip(".").lower()


def _first_in_sentence(text: str, sent_start: int, token_start: int) -> bool:
    """Whether only whitespace and opening punctuation precede the token in its sentence."""
    if token_start - sent_start > 12:
        return False
    return not text[sent_start:token_start].strip().strip(_OPENERS)


def _words_before(text: str, sent_start: int, end: int) -> int:
    return len(text[sent_start:end].split())


def _is_devanagari(ch: str) -> bool:
    return "\u0900" <= ch <= "\u097f"


def _period_ends(text: str, start: int, nxt: str, sent_start: int, lang: str | None) -> bool:
    """Whether a lone period at `start` (followed by letter `nxt`) ends a sentence."""
    if start == 0 or text[start - 1].isspace():
        return True
    window = text[max(0, start - 48):start].split()
    raw = window[-1]
    key = _norm(raw)
    if not key:
        return True
    prev = window[-2] if len(window) > 1 else ""
    if text[start - 1] in _CLOSERS and not nxt.islower():
        return True  # "„ген“»." "(1998 г.)." : an abbreviation is not quoted or bracketed
    marker = (key.isdigit() and len(key) <= 4) or len(key) == 1 or _ROMAN.fullmatch(raw)
    after_colon = prev.endswith(":") and not prev[:-1].isdigit()  # not a score "2: 2."
    if marker and (after_colon or _first_in_sentence(text, sent_start, start - len(raw))):
        return False  # list marker: "1. First", "Steps: 1. Open", "IV. Results"
    if _DOTTED_CAPITALS.fullmatch(raw.lstrip(_OPENERS)) and raw.isupper():
        return False  # initials and dotted names: "J.B. Duarte", "R.E.M. played"
    if (_NUMBER.fullmatch(prev) or prev.lower() in MAGNITUDES) and key in UNITS:
        # "5 min. Potem", "40 см. В": a unit after a number ends a sentence before a capital,
        # save where nouns are capitalised ("3 Std. Anfahrt").
        return nxt.isupper() and lang not in CAPITALISED_NOUN_LANGS
    titles, others = lookup(lang)
    keys = (_norm(prev) + "." + key, key) if prev.endswith(".") else (key,)
    elided = _ELISION.split(key)[-1]
    if elided != key:
        keys = (*keys, elided)  # "l'on." is "on." after an elided article
    if "." in key and key.rsplit(".", 1)[-1]:
        keys = (*keys, key.rsplit(".", 1)[-1])  # "гл.серж." is "серж." after "гл."
    for candidate in keys:
        if candidate in titles:
            return False
        if candidate in others:  # "10 a.m. (CDT)", "Foo Inc. (FOO)" go on
            return (not nxt.isdigit() and not nxt.islower()
                    and not _BRACKET_NEXT.match(text, start + 1))
    if key in YEAR_MARKERS:
        # "2024 г. Он ..." may end a sentence; "г. Москва" and "В 2022 г. Москва" do not.
        year = prev.rstrip(",").replace("-", "").replace("–", "")
        century = _ROMAN.fullmatch(year) is not None  # "w XXI w. Młodzi", "в XX в. Он"
        return ((year.isdigit() or century) and (nxt.isupper() or not nxt.isalnum())
                and nxt not in _NUMBER_SIGNS
                and _words_before(text, sent_start, start) > SHORT_OPENING_WORDS)
    if len(key) == 1 and key.isalpha():
        return False  # initials ("В. В. Путин", "J. R. R.") and one-letter abbreviations
    if _is_devanagari(key[0]) and all(part in DEVANAGARI_LETTER_NAMES for part in key.split(".")):
        return False  # Hindi spells initials as letter names ("एस. जयशंकर", "बी.सी.")
    if key.isdigit() and len(key) <= 3:
        if lang in ORDINAL_DOT_LANGS and (not nxt.isupper() or lang in CAPITALISED_NOUN_LANGS
                                          or _next_word(text, start).lower() in MONTHS):
            return False  # "am 9. Mai", "im 19. Jahrhundert", "3. miejsce"; "ust. 3. Sąd" ends
        if _next_word(text, start).lower() in MONTHS:
            return False
    if nxt.islower():
        # Only an ordinary word ends a sentence before a lowercase one ("fuorilegge. a").
        if lang in LOWERCASE_SENTENCE_LANGS and _PLAIN_TOKEN.fullmatch(key):
            return key not in titles and key not in others and len(key) >= 2  # "me. they"
        return (key.isalpha() and len(key) >= WORD_END_MIN_LETTERS
                and key not in ALL_ABBREVIATIONS and "." not in raw.strip(_CLOSERS)[:-1])
    return True


def _next_word(text: str, period: int) -> str:
    match = _NEXT_WORD.match(text, period + 1)
    return match.group(1) if match else ""


def _spaced_ellipsis(text: str, start: int) -> str | None:
    """'inner' for a dot inside ". . .", 'last' for its final dot, None otherwise."""
    if text.startswith(" .", start + 1) and (start >= 2 and text[start - 2:start] == ". "
                                             or text.startswith(" . .", start + 1)):
        return "inner"
    if start >= 4 and text[start - 4:start] == ". . ":
        return "last"
    return None


def _ends_sentence(text: str, match: re.Match[str], sent_start: int, lang: str | None) -> bool:
    """Whether the candidate `match` really ends a sentence."""
    start = match.start()
    run = match.group().rstrip(_CLOSERS + " \u00a0\u202f")
    if run[0] in _HARD:
        return True
    if start > 0 and (text[start - 1] in "([" or text[start - 1] == ":" and run[0] in "?!"):
        return False  # elision: "(…)", "[...]"; "Fax:?" is a garbled character, not a question
    if ";" in run and lang != "el" and not _is_greek(_last_letter(text, start)):
        run = run.replace(";", "")
        if not run:
            return False
    if run == ".":
        ellipsis = _spaced_ellipsis(text, start)
        if ellipsis == "inner":
            return False
        if ellipsis == "last":
            run = "..."
    if _QUOTE_THEN_MARK.match(text, match.end()):
        return False  # 'he said: `` Stop! ``.': the quote closes, the mark after it ends
    found = _NEXT_CHAR.match(text, match.end())
    nxt = found.group(1) if found else ""
    if nxt and nxt in _NOT_SENTENCE_START:
        return False  # "(in 2001 !)", "13 hab. / km²", "I love it. :)"
    if run != ".":
        if nxt.islower():  # "... e poi", "“Yes!” he said", "¿Qué? dijo"
            return (lang in LOWERCASE_AFTER_QUESTION_LANGS and run[-1] in "?!"
                    and match.group()[-1] not in _CLOSERS)
        # A script without case: a conjunction after "?" or "…" goes on ("…कहां से है? या").
        following = text[match.end():match.end() + 40].split(maxsplit=1)
        return not following or following[0] not in CONTINUATIONS.get(lang, ())
    return _period_ends(text, start, nxt, sent_start, lang)


def _glued_ends(text: str) -> list[int]:
    """Boundaries where a sentence starts right after the mark, without a space."""
    ends = []
    for m in _GLUED.finditer(text):
        i = m.start()
        before = text[max(0, i - 40):i].split()
        token = before[-1] if before else ""
        if (text[i - 1].islower() and text[i + 1].isupper() and text[i + 2].islower()
                and token.isalpha() and _norm(token) not in ALL_ABBREVIATIONS
                and not _LINKISH.search(text[i + 1:].split(maxsplit=1)[0].rstrip(_SOFT + _CLOSERS))
                and text[i + 1:i + 5].lower().rstrip(_SOFT + _CLOSERS + " ") not in _DOMAINS):
            ends.append(i + 1)
    return ends


def _spans(text: str, bounds: list[int]) -> list[tuple[int, int]]:
    """Trimmed, non-empty spans between consecutive boundaries."""
    spans: list[tuple[int, int]] = []
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            s = a + len(piece) - len(piece.lstrip())
            spans.append((s, s + len(stripped)))
    return spans


def split_sentences(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Sentences of `text` as (start, end) character spans, in order and without overlap.

    `lang` (ISO 639-1) chooses the abbreviation list and ordinal conventions; without it
    the lists of all languages apply. Every non-whitespace character lies in exactly one
    span, and each span is trimmed of surrounding whitespace.
    """
    if not text or text.isspace():
        return []
    lang = primary_language(lang)
    forced = forced_breaks(text)
    bounds = [0]
    fi, last_forced = 0, 0
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        while fi < len(forced) and forced[fi] <= start:
            last_forced = forced[fi]
            fi += 1
        if _ends_sentence(text, match, max(bounds[-1], last_forced), lang):
            bounds.append(match.end())
    soft = set(_glued_ends(text)) | set(punctuation_ends(text, lang)) | set(web_ends(text, lang))
    bounds = sorted(set(bounds) | set(forced) | soft | {len(text)})
    return _spans(text, bounds)


def sentence_texts(text: str, lang: str | None = None) -> list[str]:
    """The sentences of `text` as strings; a convenience over `split_sentences`."""
    return [text[s:e] for s, e in split_sentences(text, lang)]
