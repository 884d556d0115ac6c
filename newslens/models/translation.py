"""Translation into English: routing by language, batching, long-sentence splitting, the stage.

Two backends (CTranslate2, torch `generate`) sit behind one `Translator` interface. Both
share `SplittingTranslator`, which follows the house split: `preprocess` (split inputs that
exceed the model's input limit at clause boundaries, tokenise) -> `decode` (the backend's
`_forward` over token ids, batched by length, or the options' decode policy) ->
`postprocess` (detokenise, re-join pieces). The backends are built and cached by
`newslens.models.engines.get_translator`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from newslens.models.loading import ResolvedModel, load_tokenizer
from newslens.models.options import TranslatorOptions, load_decode_policy
from newslens.text.lang_tags import primary_language

ENGLISH = "en"
# Where a too-long sentence may be cut, strongest boundary first (full-width forms for CJK);
# a space is the last resort before a hard cut inside a word.
CLAUSE_MARKS: tuple[str, ...] = (";", "；", ":", "：", ",", "，", "、", "—", "–")
# Decoding cap when neither the generation config nor the model config gives one.
DEFAULT_MAX_LENGTH = 512


class Translator(Protocol):
    """Anything that turns a list of sentences into English, one output per input, in order."""

    model_id: str
    revision: str | None

    def translate(self, texts: list[str]) -> list[str]: ...


def is_english(lang: str | None) -> bool:
    return primary_language(lang) == ENGLISH


def route_model(lang: str | None, routes: Mapping[str, str], fallback: str) -> str | None:
    """The model id that translates `lang` to English; None for English (nothing to do).

    A language with its own route uses it; any other (or an unknown one) uses `fallback`.
    """
    code = primary_language(lang)
    if code == ENGLISH:
        return None
    if code is not None:
        for key in (lang.strip().lower() if lang else "", code):  # exact tag first, then primary
            if key in routes:
                return routes[key]
    return fallback


# --- splitting -------------------------------------------------------------------------------

def _cut_points(text: str, mark: str) -> list[int]:
    """Offsets just past each `mark` (and the whitespace after it), excluding the ends."""
    pattern = r"\s+" if mark == " " else re.escape(mark) + r"\s*"
    return [m.end() for m in re.finditer(pattern, text) if 0 < m.end() < len(text)]


def _hard_cut(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Longest prefixes that fit, found by bisection: for text with no boundary at all."""
    pieces: list[str] = []
    rest = text
    while rest and count(rest) > limit:
        lo, hi = 1, len(rest) - 1  # a prefix of `lo` chars is assumed to fit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if count(rest[:mid]) <= limit else (lo, mid - 1)
        pieces.append(rest[:lo].strip())
        rest = rest[lo:].strip()
    return [p for p in [*pieces, rest] if p]


def split_long(text: str, count: Callable[[str], int], limit: int,
               marks: Sequence[str] = (*CLAUSE_MARKS, " ")) -> list[str]:
    """Cut `text` into pieces of at most `limit` tokens (by `count`), at the strongest clause
    boundaries available, packing neighbouring clauses back together while they fit.
    Nothing is dropped: joining the pieces with single spaces gives back the text, up to
    whitespace."""
    text = text.strip()
    if not text or count(text) <= limit:
        return [text] if text else []
    for i, mark in enumerate(marks):
        cuts = _cut_points(text, mark)
        if not cuts:
            continue
        bounds = [0, *cuts, len(text)]
        segments = [text[a:b] for a, b in zip(bounds, bounds[1:])]
        pieces: list[str] = []
        current = segments[0]
        for segment in segments[1:]:
            if count(current + segment) <= limit:
                current += segment
            else:
                pieces.append(current)
                current = segment
        pieces.append(current)
        out: list[str] = []
        for piece in pieces:  # still too long: try the weaker boundaries inside it
            out.extend(split_long(piece, count, limit, marks[i + 1:]))
        return out
    return _hard_cut(text, count, limit)


# --- the shared translator -------------------------------------------------------------------

def _model_limits(path: Path, tokenizer: Any) -> tuple[int, int]:
    """(input token limit without specials, decoding cap) of the model at `path`."""
    from transformers import AutoConfig, GenerationConfig

    config = AutoConfig.from_pretrained(str(path), trust_remote_code=False)
    positions = getattr(config, "max_position_embeddings", None) or DEFAULT_MAX_LENGTH
    model_max = getattr(tokenizer, "model_max_length", None) or positions
    max_input = min(int(model_max), int(positions)) - tokenizer.num_special_tokens_to_add()
    try:
        gen_max = GenerationConfig.from_pretrained(str(path)).max_length or DEFAULT_MAX_LENGTH
    except OSError:  # no generation_config.json
        gen_max = DEFAULT_MAX_LENGTH
    return max_input, min(int(gen_max), int(positions)) - 1  # -1: the decoder start token


class SplittingTranslator(ABC):
    """The backend-independent part of a translator; subclasses implement `_forward`."""

    backend: str = ""

    def __init__(self, resolved: ResolvedModel, options: TranslatorOptions) -> None:
        self.model_id = resolved.model_id
        self.revision = resolved.revision
        self.path = resolved.path
        self.options = options
        self.tokenizer = load_tokenizer(str(resolved.path))
        limit, self.max_decode = _model_limits(resolved.path, self.tokenizer)
        self.max_input_tokens = options.max_input_tokens or limit
        self.max_batch_tokens = options.max_batch_tokens
        self.beam_size = options.beam_size
        self.decode_policy = load_decode_policy(options.decode_policy)
        # Special tokens the tokenizer adds to every source (Marian: the end token).
        self.special_tokens = self.tokenizer.num_special_tokens_to_add()

    def count_tokens(self, text: str) -> int:
        """Source tokens of `text`, special tokens not included."""
        return len(self.tokenizer.encode(text, add_special_tokens=False))

    def pieces(self, text: str) -> list[str]:
        """`text` as the model will see it: one piece, or several when it is too long."""
        return split_long(text, self.count_tokens, self.max_input_tokens)

    def translate(self, texts: list[str], *, safe: bool = False) -> list[str]:
        """English for each text; `safe` decodes with the guard's retry settings (beam search,
        no repeated n-grams, a length cap proportional to each source; translation_guard)."""
        pieces, owners = self.preprocess(texts)
        outputs = self.decode(pieces, safe=safe) if pieces else []
        return self.postprocess(outputs, owners, len(texts))

    def preprocess(self, texts: Sequence[str]) -> tuple[list[list[int]], list[int]]:
        """Token ids of every piece (with specials), and which input each piece came from."""
        ids: list[list[int]] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            for piece in self.pieces(text or ""):
                ids.append(self.tokenizer.encode(piece))
                owners.append(i)
        return ids, owners

    def decode(self, source_ids: list[list[int]], safe: bool = False) -> list[list[int]]:
        """Generated ids per source: the decode policy's when one is set (never for the
        guard's `safe` retry), else the backend's own decoding."""
        if self.decode_policy is not None and not safe:
            return self.decode_policy(self, source_ids)
        return self._forward(source_ids, safe=safe)

    @abstractmethod
    def _forward(self, source_ids: list[list[int]], safe: bool = False) -> list[list[int]]:
        """Generated ids per source (no start, end or padding tokens), in input order."""

    def postprocess(self, outputs: list[list[int]], owners: list[int], n: int) -> list[str]:
        """Detokenise, then join the pieces of each input back into one string."""
        decoded = self.tokenizer.batch_decode(outputs, skip_special_tokens=True)
        parts: list[list[str]] = [[] for _ in range(n)]
        for owner, text in zip(owners, decoded):
            parts[owner].append(text.strip())
        return [" ".join(p for p in chunk if p) for chunk in parts]


# --- the stage function ---------------------------------------------------------------------

def translate_texts(texts: Sequence[str], langs: Sequence[str | None],
                    translator_for: Callable[[str], Translator | None],
                    ) -> list[tuple[str | None, str | None, str | None]]:
    """Per input: (English text, model id, revision), in input order.

    English passes through untranslated as (text, None, None); blank text gives
    ("", None, None); a language with no translator gives (None, None, None) rather than
    pretending the original is English. Inputs sharing a translator go in one call, with
    repeated sentences translated once.
    """
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    results: list[tuple[str | None, str | None, str | None] | None] = [None] * len(texts)
    translators: dict[str | None, Translator | None] = {}
    groups: dict[int, tuple[Translator, list[int]]] = {}
    for i, (text, lang) in enumerate(zip(texts, langs)):
        if not text or not text.strip():
            results[i] = ("", None, None)
        elif is_english(lang):
            results[i] = (text, None, None)
        else:
            if lang not in translators:
                translators[lang] = translator_for(lang)  # type: ignore[arg-type]
            translator = translators[lang]
            if translator is None:
                results[i] = (None, None, None)
            else:
                groups.setdefault(id(translator), (translator, []))[1].append(i)
    for translator, members in groups.values():
        unique = list(dict.fromkeys(texts[i] for i in members))
        outputs = translator.translate(unique)
        if len(outputs) != len(unique):
            raise RuntimeError(f"{translator.model_id} returned {len(outputs)} translations "
                               f"for {len(unique)} sentences")
        english = dict(zip(unique, outputs))
        for i in members:
            results[i] = (english[texts[i]], translator.model_id, translator.revision)
    return results  # type: ignore[return-value]
