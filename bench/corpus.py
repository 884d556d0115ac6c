"""A synthetic multilingual news corpus with realistic shape, written in newslens's .txt format.

Articles run 400-900 words in several languages; sentence lengths follow a log-normal
(median about 21 words), and roughly a third of the sentences name a stance target. The text
is recombined real phrases (see `bench.lexicon`), so it is meaningless but reads like news to
language ID, the sentence splitter and the tokenizers, which is all a throughput test needs.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.lexicon import LANGUAGE_SHARES, LEXICONS, TARGET_SHARES

# Chance that a clause's subject is a stance target; with about 1.6 clauses a sentence this
# makes roughly one sentence in three mention one.
TARGET_CLAUSE_RATE = 0.19
SENTENCE_MEDIAN_WORDS = 16
SENTENCE_SIGMA = 0.4
ARTICLE_WORDS = (400, 900)
FIRST_MONTH = dt.date(2024, 1, 1)
N_MONTHS = 18


@dataclass(frozen=True)
class Article:
    """One generated article: its language, publication date, headline and paragraphs."""

    lang: str
    published: dt.date
    title: str
    paragraphs: tuple[str, ...]

    @property
    def n_words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def as_txt(self) -> str:
        """The newslens .txt layout: `date YYYY-MM-DD <headline>`, then blank-line paragraphs."""
        return f"date {self.published.isoformat()} {self.title}\n\n" + "\n\n".join(self.paragraphs) + "\n"


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _fill(phrase: str, rng: random.Random) -> str:
    return phrase.replace("{n}", str(rng.choice([2, 3, 5, 7, 12, 15, 40, 120, 350, rng.randint(2, 900)])))


def _clause(lang: str, rng: random.Random, tails: int) -> str:
    lex = LEXICONS[lang]
    if rng.random() < TARGET_CLAUSE_RATE:
        subject = rng.choice(lex["targets"][_pick(rng, TARGET_SHARES)])  # type: ignore[index]
    else:
        subject = rng.choice(lex["subj"])  # type: ignore[arg-type]
    words = [subject, rng.choice(lex["verb"]), rng.choice(lex["obj"])]  # type: ignore[arg-type]
    words += [_fill(rng.choice(lex["tail"]), rng) for _ in range(tails)]  # type: ignore[arg-type]
    return " ".join(words)


def sentence(lang: str, rng: random.Random) -> str:
    """One sentence of about a log-normal number of words, joined from clauses."""
    target = min(60, max(7, round(SENTENCE_MEDIAN_WORDS * math.exp(rng.gauss(0, SENTENCE_SIGMA)))))
    lex = LEXICONS[lang]
    text = _clause(lang, rng, rng.randint(0, 2))
    while len(text.split()) < target:
        joiner = rng.choice(lex["conn"])  # type: ignore[arg-type]
        text += joiner + " " + _clause(lang, rng, rng.randint(0, 1))
    return text[0].upper() + text[1:] + "."


def random_date(rng: random.Random) -> dt.date:
    """A day in the benchmark's 18-month window."""
    month = rng.randrange(N_MONTHS)
    year, mon = FIRST_MONTH.year + (month // 12), month % 12 + 1
    return dt.date(year, mon, rng.randint(1, 28))


def article(rng: random.Random, lang: str | None = None) -> Article:
    """One article of 400-900 words in paragraphs of two to four sentences."""
    lang = lang or _pick(rng, LANGUAGE_SHARES)
    goal = rng.randint(*ARTICLE_WORDS)
    paragraphs: list[str] = []
    words = 0
    while words < goal:
        para = " ".join(sentence(lang, rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(para)
        words += len(para.split())
    title = _clause(lang, rng, 0)
    return Article(lang, random_date(rng), title[0].upper() + title[1:], tuple(paragraphs))


def articles(n: int, seed: int = 7) -> Iterator[Article]:
    """`n` articles, the same ones for the same seed."""
    rng = random.Random(seed)
    for _ in range(n):
        yield article(rng)


def write_corpus(out_dir: Path, n: int, seed: int = 7) -> list[Path]:
    """Write `n` articles as `<index>_<lang>.txt` files and return their paths in order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, art in enumerate(articles(n, seed)):
        path = out_dir / f"{i:05d}_{art.lang}.txt"
        path.write_text(art.as_txt(), encoding="utf-8")
        paths.append(path)
    return paths


def write_warmup(out_dir: Path, seed: int = 5) -> Path:
    """One short article (three sentences) per corpus language: enough to load every model
    a run needs without spending minutes on warm-up."""
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in LEXICONS:
        body = " ".join(sentence(lang, rng) for _ in range(3))
        title = _clause(lang, rng, 0)
        art = Article(lang, random_date(rng), title[0].upper() + title[1:], (body,))
        (out_dir / f"warm_{lang}.txt").write_text(art.as_txt(), encoding="utf-8")
    return out_dir


def training_sentences(per_language: int = 400, seed: int = 11,
                       languages: tuple[str, ...] | None = None) -> list[str]:
    """Sentences in the corpus languages (all by default), for training tokenizers."""
    rng = random.Random(seed)
    return [sentence(lang, rng) for lang in (languages or tuple(LEXICONS))
            for _ in range(per_language)]
