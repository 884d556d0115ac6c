"""Sentence ends that carry no terminal punctuation, for the sentence splitter.

Two families, each a pure function from a text to boundary offsets:

- Colons and semicolons. In the Romance languages and Bulgarian the word after a semicolon
  (and, in Italian and Bulgarian, after a colon) is written in lowercase unless it opens a
  new sentence, so a capital there marks a boundary. Portuguese sets direct speech after a
  colon off as a sentence of its own when it opens with a guillemet (`disse: «Vamos.»`).
- Web and e-mail text: an emoticon, a clock time with AM/PM, a URL or an e-mail address,
  or a separator line (`-----`, `=====`, `***`), followed by a capitalised word, ends what
  came before it; so does an e-mail header stamp start a new sentence and, in English, a
  letter opening or closing ("Dear Anna,", "Best regards,") end one, and a run-on sentence
  of informal text break before a capitalised opener such as "What" or "Please".
"""

from __future__ import annotations

import re

# Languages where a capitalised word after "; " starts a new sentence.
SEMICOLON_CAPITAL_LANGS = frozenset({"es", "fr", "it", "pt", "ca", "gl"})
# Languages where a capitalised word after ": " does so too.
COLON_CAPITAL_LANGS = frozenset({"it", "bg"})
# Languages where a colon before an opening guillemet ends the sentence.
COLON_QUOTE_LANGS = frozenset({"pt"})

# Clauses this short on either side of a semicolon are list items, not sentences.
LIST_ITEM_MAX_WORDS = 5
_CLAUSE_STOP = re.compile(r"[;.!?]\s")
_QUOTES = "\"'“„«‹‘"
_SEMI = re.compile(rf";(?=[ \u00a0]+[{_QUOTES}]?[^\W\d_])")
_COLON = re.compile(r":(?=[ \u00a0]+[^\W\d_])")
_COLON_QUOTE = re.compile(r":(?=[ \u00a0]+[«‹][^\W\d_])")
# A capital opening the next word, after optional quotes.
_NEXT_CAPITAL = re.compile(rf"[ \u00a0]+[{_QUOTES}]?([^\W\d_])")

_EMOTICON = re.compile(r"(?<!\S)(?::-?[)(DPp]|;-?\)|:'\(|<3)(?=[ \u00a0]+\S)")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?[ \u00a0]?[AaPp]\.?[Mm]\.?(?=[ \u00a0]+[A-Z])")
_STAMP_TIME = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2}(?::\d{2})? [AP]M(?= \w)")
_ADDRESS = re.compile(
    r"(?<!\S)<?(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|info)(?:/\S*)?"  # bare domains
    r"|[a-z]+(?:\.[a-z]+){2,})>?"  # newsgroups: alt.animals.cat
    r"(?=[ \u00a0]+(?:[A-Z][a-z]|I\b))")
# A date-and-time stamp of an e-mail header ("08/16/2000 03:48 PM") starts a new line of it,
# unless a preposition introduces it ("sent on 3/9/2005 11:16 PM").
_STAMP = re.compile(r"(?<=[A-Za-z\])>]) (?=\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2})")
_STAMP_PREPOSITIONS = frozenset({"on", "at", "by", "from", "until", "till", "before", "after"})
# English letter openings and closings: "Dear Anna,", "Hi all,", "Best regards,", "Thanks,".
_GREETING = re.compile(
    r"(?<![^\s.!?])(?:(?:Dear|Hi|Hello|Hey)(?: [A-Z][\w.'-]*| all| everyone| there){0,4}"
    r"|Hi|Hello|(?:(?:Best|Kind|Kindest|Warm|Warmest|With best) )?[Rr]egards|Thanks|Thank you"
    r"|Many thanks|Sincerely|Yours(?: truly| sincerely)?|Cheers|Best wishes),(?= [A-Z])")
GREETING_LANGS = frozenset({"en"})
# English run-on sentences of informal text ("we have little time What are the sights"): a
# word that capitalises only at a sentence start, after a lowercase word and before one.
# Title-case runs ("the show This Is Us") are titles of works and go on.
RUN_ON_LANGS = frozenset({"en"})
RUN_ON_STARTERS = frozenset("""
    How What Why When Where Who Which Is Are Was Were Can Could Would Should Do Does Did It
    It's This These There They We You He She My Thanks Thank Please Anyone Anybody Any Yes
    No Hi Hello Also Just Maybe Hope Let Let's If
""".split())
_RUN_ON = re.compile(r"(?<=[a-z0-9]) (?=([A-Z][\w']*) ([a-z]|I\b))")
# A run-on break never follows these: after them the capitalised word is a name or a title
# ("visited the Hope diamond", "the band Yes said", "said Hi to").
RUN_ON_NOT_AFTER = frozenset("""
    a an the this that these those my your his her its our their of to in on at for with by
    from into about as and or but said says say told asked called named band group
""".split())
_SEPARATOR = re.compile(r"(?<!\S)([-=_*~#])\1{3,}(?=[ \u00a0]+\S)")


def punctuation_ends(text: str, lang: str | None) -> list[int]:
    """Ends after a colon or semicolon that the language's conventions make boundaries."""
    ends: list[int] = []
    if lang in SEMICOLON_CAPITAL_LANGS:
        ends += [m.end() for m in _SEMI.finditer(text)
                 if _capital_follows(text, m.end()) and not _list_item(text, m.start())]
    if lang in COLON_CAPITAL_LANGS:
        ends += [m.end() for m in _COLON.finditer(text)
                 if _capital_follows(text, m.end()) and not _after_label(text, m.start())
                 and not _list_follows(text, m.end())]
    if lang in COLON_QUOTE_LANGS:
        ends += [m.end() for m in _COLON_QUOTE.finditer(text)
                 if _capital_follows(text, m.end())]
    return ends


def _capital_follows(text: str, pos: int) -> bool:
    found = _NEXT_CAPITAL.match(text, pos)
    return bool(found) and found.group(1).isupper()


def _list_item(text: str, semicolon: int) -> bool:
    """Whether the semicolon separates the short items of a list ("Rome, 3; Turin, 5; ...")."""
    before = _CLAUSE_STOP.split(text[max(0, semicolon - 200):semicolon])[-1]
    after = _CLAUSE_STOP.split(text[semicolon + 1:semicolon + 201])[0]
    return min(len(before.split()), len(after.split())) < LIST_ITEM_MAX_WORDS


def _list_follows(text: str, colon: int) -> bool:
    """Whether a list of short items follows the colon ("Voti: Rossi, 120; Bianchi, 95")."""
    item = re.split(r"[,;.!?]", text[colon:colon + 200], maxsplit=1)[0]
    return len(item.split()) < LIST_ITEM_MAX_WORDS - 2


def _clause_follows(text: str, pos: int) -> bool:
    """A name then a lowercase word ("Thanks, Obama said"): a clause goes on, no closing.
    A sentence opener there ("Dear Maria, Thank you") is the letter's next sentence."""
    found = re.match(r" ([A-Z][\w'.-]*) [a-z]", text[pos:pos + 60])
    return bool(found) and found.group(1) not in RUN_ON_STARTERS


def _word_before(text: str, pos: int) -> str:
    before = text[max(0, pos - 30):pos].split()
    return before[-1].lower() if before else ""


def _introduced(text: str, pos: int) -> bool:
    """Whether a preposition comes right before `pos` ("sent on 3/9/2005 11:16 PM")."""
    before = text[max(0, pos - 20):pos].split()
    return bool(before) and before[-1].lower() in _STAMP_PREPOSITIONS


def _after_label(text: str, colon: int) -> bool:
    """A one-word label before the colon ("Foto: Reuters", "Note: ..."): not an end."""
    before = text[max(0, colon - 40):colon].split()
    return len(before) >= 1 and (len(before) == 1 or before[-2][-1:] in ".!?")


def web_ends(text: str, lang: str | None = None) -> list[int]:
    """Ends after emoticons, AM/PM times, URLs and e-mail addresses, separator runs, before
    e-mail header stamps, and (in English) after letter openings and closings."""
    ends = [m.end() for m in _EMOTICON.finditer(text)]
    ends += [m.start() for m in _STAMP.finditer(text) if not _introduced(text, m.start())]
    ends += [m.end() for m in _STAMP_TIME.finditer(text) if not _introduced(text, m.start())]
    if lang in GREETING_LANGS:
        ends += [m.end() for m in _GREETING.finditer(text) if not _clause_follows(text, m.end())]
    if lang in RUN_ON_LANGS:
        ends += [m.start() for m in _RUN_ON.finditer(text) if m.group(1) in RUN_ON_STARTERS
                 and _word_before(text, m.start()) not in RUN_ON_NOT_AFTER]
    ends += [m.end() for m in _CLOCK.finditer(text)]
    ends += [m.end() for m in _ADDRESS.finditer(text)]
    for m in _SEPARATOR.finditer(text):
        ends += [m.start(), m.end()]
    return [e for e in ends if 0 < e < len(text)]
