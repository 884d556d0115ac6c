"""Sentence-boundary F1 of newslens against pysbd and sentencex on the UD gold data.

    python -m bench.segmentation [--data ../shared/segmentation] [--langs it,en] [--errors en]

Each line of `<lang>.jsonl` holds ten gold sentences joined by a space and their spans (see
the README beside the data). A splitter is scored by the F1 of its sentence ends against the
gold ends, ignoring each document's final end (always a boundary) and trailing whitespace.
pysbd and sentencex are bench-only dependencies (`pip install -e .[bench]`); a language pysbd
does not cover is scored with its English rules, and the table says so.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from newslens.text.sentences import split_sentences

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "segmentation"
LANGS = ("it", "de", "fr", "en", "es", "pt", "pl", "ru", "uk", "bg", "hi")

Splitter = Callable[[str, str], list[int]]  # (text, lang) -> sentence end offsets


def load_docs(data: Path, lang: str) -> list[dict]:
    with open(data / f"{lang}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _trimmed_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def interior_ends(text: str, ends: Iterable[int]) -> set[int]:
    """Ends with trailing whitespace trimmed, without the end of the document itself."""
    last = _trimmed_end(text, len(text))
    return {e for e in (_trimmed_end(text, x) for x in ends) if 0 < e < last}


_MARKS = ".!?…。！？।॥;:"  # ; and : counted apart
_CLOSING = "\"'”’»)]}“‘«"


def unmarked_shares(docs: list[dict]) -> tuple[float, float]:
    """Shares of gold interior ends (closing quotes and brackets aside) with no mark at all
    before them (headlines, signatures joined by a space: nothing to split on), and with only
    a colon or semicolon (a treebank convention news splitting does not follow)."""
    total = unmarked = colon = 0
    for doc in docs:
        text = doc["text"]
        for end in interior_ends(text, (e for _, e in doc["sentences"])):
            i = end
            while i > 0 and text[i - 1] in _CLOSING:
                i -= 1
            total += 1
            unmarked += i == 0 or text[i - 1] not in _MARKS
            colon += i > 0 and text[i - 1] in ";:"
    return (unmarked / total, colon / total) if total else (0.0, 0.0)


def newslens_ends(text: str, lang: str) -> list[int]:
    return [end for _, end in split_sentences(text, lang)]


def _ends_of_pieces(text: str, pieces: Iterable[str]) -> list[int]:
    """End offsets of consecutive pieces of `text` (located by search, so stripping is fine)."""
    ends, pos = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, pos)
        if found < 0:
            continue  # a splitter that rewrote the text: this piece cannot be placed
        pos = found + len(piece)
        ends.append(pos)
    return ends


def pysbd_splitter() -> tuple[Splitter, set[str]]:
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    cache: dict[str, object] = {}

    def split(text: str, lang: str) -> list[int]:
        code = lang if lang in LANGUAGE_CODES else "en"
        seg = cache.setdefault(code, pysbd.Segmenter(language=code, clean=False, char_span=True))
        return [span.end for span in seg.segment(text)]

    return split, set(LANGUAGE_CODES)


def sentencex_splitter() -> Splitter:
    from sentencex import segment

    def split(text: str, lang: str) -> list[int]:
        return _ends_of_pieces(text, segment(lang, text))

    return split


def score(docs: list[dict], split: Splitter, lang: str, errors: list | None = None) -> float:
    tp = fp = fn = 0
    for doc in docs:
        text = doc["text"]
        gold = interior_ends(text, (e for _, e in doc["sentences"]))
        pred = interior_ends(text, split(text, lang))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if errors is not None:
            errors += [("FP", text, e) for e in sorted(pred - gold)]
            errors += [("FN", text, e) for e in sorted(gold - pred)]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--errors", default="", help="print newslens errors for these languages")
    parser.add_argument("--only-newslens", action="store_true")
    args = parser.parse_args(argv)
    langs = [lang for lang in args.langs.split(",") if lang]
    show = set(args.errors.split(",")) - {""}
    splitters: dict[str, Splitter] = {"newslens": newslens_ends}
    pysbd_langs: set[str] = set()
    if not args.only_newslens:
        splitters["pysbd"], pysbd_langs = pysbd_splitter()
        splitters["sentencex"] = sentencex_splitter()
    names = list(splitters)
    print(f"| lang | docs | {' | '.join(names)} | gold ends: no mark | after ; or : |")
    print(f"|---|---:|{'---:|' * len(names)}---:|---:|")
    totals = {n: [] for n in names}
    shown: list = []
    for lang in langs:
        docs = load_docs(args.data, lang)
        cells = []
        for name, split in splitters.items():
            errs = shown if name == "newslens" and lang in show else None
            f1 = score(docs, split, lang, errs)
            totals[name].append(f1)
            note = "*" if name == "pysbd" and lang not in pysbd_langs else ""
            cells.append(f"{f1:.4f}{note}")
        bare, colon = unmarked_shares(docs)
        print(f"| {lang} | {len(docs)} | {' | '.join(cells)} | {bare:.1%} | {colon:.1%} |")
    macro = [f"**{sum(v) / len(v):.4f}**" for v in totals.values()]
    print(f"| macro | | {' | '.join(macro)} | | |")
    if pysbd_langs and any(lang not in pysbd_langs for lang in langs):
        print("\n* pysbd has no rules for this language; scored with its English rules.")
    for kind, text, end in shown:
        print(f"{kind}: …{text[max(0, end - 60):end]}⟂{text[end:end + 40]}…".replace("\n", "⏎"))


if __name__ == "__main__":
    main()
