"""Evaluation data sets per task, read into frames with one row per item and its source line.

- translation: CSV/TSV/JSONL with source, reference and source language (or `--lang`), or two
  line-aligned plain-text files (`--data SRC --data-ref REF --lang L`, as FLORES-200 and WMT
  test sets ship them);
- sentiment: CSV/TSV/JSONL with text and label (language optional);
- stance: CSV/TSV/JSONL with text, target and label, or several target/label column pairs.
Every problem is a `DataFormatError` naming the file and line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens.evaluate.labels import LabelReader
from newslens.evaluate.records import (DataFormatError, Record, field, pick_column, read_lines,
                                       read_records)
from newslens.models.translation import is_english
from newslens.text.targets import Target

# Known spellings of each column role (compared lower-cased).
ALIASES: dict[str, tuple[str, ...]] = {
    "source": ("source", "src", "source_text", "text", "sentence"),
    "reference": ("reference", "ref", "target", "translation", "en", "english"),
    "lang": ("lang", "language", "source_lang", "src_lang", "lang_code"),
    "text": ("text", "sentence", "tweet", "content"),
    "label": ("label", "sentiment", "stance", "gold"),
    "target": ("target", "target_id", "entity"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "translation": ("source", "reference", "lang"),
    "sentiment": ("text", "label", "lang"),
    "stance": ("text", "target", "label", "lang"),
}
# FLORES-200 names its files by ISO 639-3 code and script; the routes use ISO 639-1.
FLORES_CODES = {
    "ita_Latn": "it", "fra_Latn": "fr", "deu_Latn": "de", "spa_Latn": "es", "rus_Cyrl": "ru",
    "ukr_Cyrl": "uk", "nld_Latn": "nl", "pol_Latn": "pl", "por_Latn": "pt", "eng_Latn": "en",
    "ces_Latn": "cs", "ron_Latn": "ro", "hun_Latn": "hu", "ell_Grek": "el", "tur_Latn": "tr",
    "arb_Arab": "ar", "heb_Hebr": "he", "zho_Hans": "zh", "jpn_Jpan": "ja", "kor_Hang": "ko",
    "swe_Latn": "sv", "dan_Latn": "da", "fin_Latn": "fi", "bul_Cyrl": "bg", "srp_Cyrl": "sr",
}
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class DataSpec:
    """Where the data is and how to read it (the CLI's data options)."""

    path: Path
    ref_path: Path | None = None
    lang: str | None = None
    limit: int | None = None
    columns: Mapping[str, str] | None = None       # role -> column name
    stance_pairs: Sequence[tuple[str, str]] = ()   # (target column or target, label column)
    labels: str | None = None                      # --labels order for numeric labels
    label_map: str | None = None                   # --label-map RAW=LABEL,...


def parse_columns(text: str | None, task: str) -> dict[str, str]:
    """`--columns source=src,reference=ref` into {role: column}."""
    out: dict[str, str] = {}
    for item in (s for s in (text or "").split(",") if s.strip()):
        role, sep, column = item.partition("=")
        if not sep or role.strip() not in ROLES[task] or not column.strip():
            raise ValueError(f"--columns entries are ROLE=COLUMN with ROLE one of "
                             f"{', '.join(ROLES[task])}; got {item!r}")
        out[role.strip()] = column.strip()
    return out


def parse_pairs(text: str | None) -> list[tuple[str, str]]:
    """`--stance-columns "Target 1:Stance 1,Target 2:Stance 2"` into column pairs."""
    pairs = []
    for item in (s for s in (text or "").split(",") if s.strip()):
        target, sep, label = item.partition(":")
        if not sep or not target.strip() or not label.strip():
            raise ValueError(f"--stance-columns entries are TARGET_COLUMN:LABEL_COLUMN, got {item!r}")
        pairs.append((target.strip(), label.strip()))
    return pairs


def normalise_lang(value: str, path: Path, line: int | None) -> str:
    """An ISO 639-1 code (FLORES codes such as ita_Latn are translated); checked for shape."""
    value = FLORES_CODES.get(value.strip(), value.strip())
    if not _LANG.match(value):
        raise DataFormatError(path, line, f"{value!r} is not a language code (use e.g. 'it')")
    return value.lower()


def _limit(records: list[Record], limit: int | None) -> list[Record]:
    return records if limit is None else records[:limit]


def _lang_of(spec: DataSpec, record: Record, column: str | None, *, required: bool) -> str | None:
    raw = record.fields.get(column) if column else None
    if raw is not None and raw.strip():
        return normalise_lang(raw, spec.path, record.line)
    if spec.lang:
        return normalise_lang(spec.lang, spec.path, None)
    if required:
        where = f"empty language (column {column!r})" if column else \
            "no language: add a lang column or pass --lang"
        raise DataFormatError(spec.path, record.line, where)
    return None


def read_translation(spec: DataSpec) -> pd.DataFrame:
    """Items with line, source, reference, lang."""
    if spec.ref_path is not None:
        return _read_parallel_text(spec)
    columns, records = read_records(spec.path)
    chosen = spec.columns or {}
    src = pick_column(spec.path, columns, "source", ALIASES["source"], chosen.get("source"))
    ref = pick_column(spec.path, columns, "reference", ALIASES["reference"],
                      chosen.get("reference"))
    lang = pick_column(spec.path, columns, "lang", ALIASES["lang"], chosen.get("lang"),
                       required=spec.lang is None)
    rows = []
    for record in _limit(records, spec.limit):
        item_lang = _lang_of(spec, record, lang, required=True)
        if is_english(item_lang):
            raise DataFormatError(spec.path, record.line, "source language is English: "
                                                           "nothing to translate")
        rows.append({"line": record.line, "source": field(spec.path, record, src, "source"),
                     "reference": field(spec.path, record, ref, "reference"),
                     "lang": item_lang})
    return _frame(rows, spec.path, ["line", "source", "reference", "lang"])


def _read_parallel_text(spec: DataSpec) -> pd.DataFrame:
    if not spec.lang:
        raise DataFormatError(spec.path, None, "plain-text source and reference need --lang")
    lang = normalise_lang(spec.lang, spec.path, None)
    if is_english(lang):
        raise DataFormatError(spec.path, None, "--lang is English: nothing to translate")
    sources, references = read_lines(spec.path), read_lines(spec.ref_path)
    if len(sources) != len(references):
        first_extra = min(len(sources), len(references)) + 1
        longer = spec.path if len(sources) > len(references) else spec.ref_path
        raise DataFormatError(longer, first_extra, f"the source has {len(sources)} lines and "
                              f"the reference {len(references)}: they must be line-aligned")
    rows = [{"line": i, "source": s.strip(), "reference": r.strip(), "lang": lang}
            for i, (s, r) in enumerate(zip(sources, references), start=1)]
    return _frame(rows[:spec.limit] if spec.limit is not None else rows, spec.path,
                  ["line", "source", "reference", "lang"])


def read_sentiment(spec: DataSpec) -> pd.DataFrame:
    """Items with line, text, label, lang (lang None where the data gives none)."""
    columns, records = read_records(spec.path)
    chosen = spec.columns or {}
    text = pick_column(spec.path, columns, "text", ALIASES["text"], chosen.get("text"))
    label = pick_column(spec.path, columns, "label", ALIASES["label"], chosen.get("label"))
    lang = pick_column(spec.path, columns, "lang", ALIASES["lang"], chosen.get("lang"),
                       required=False)
    to_label = LabelReader.from_options("sentiment", spec.labels, spec.label_map)
    rows = []
    for record in _limit(records, spec.limit):
        rows.append({"line": record.line, "text": field(spec.path, record, text, "text"),
                     "label": _gold(spec.path, record, label, to_label),
                     "lang": _lang_of(spec, record, lang, required=False)})
    return _frame(rows, spec.path, ["line", "text", "label", "lang"])


def _gold(path: Path, record: Record, column: str, to_label: LabelReader) -> str:
    raw = field(path, record, column, "label")
    try:
        return to_label(raw)
    except ValueError as exc:
        raise DataFormatError(path, record.line, str(exc)) from None


def target_index(targets: Sequence[Target]) -> dict[str, str]:
    """Lower-cased target id and English name -> target id ("the United States", "United
    States", "united_states" and "united states" all name one target)."""
    index: dict[str, str] = {}
    for t in targets:
        name = t.name.strip().lower()
        index[name] = t.id
        index[re.sub(r"^the\s+", "", name)] = t.id
        index[t.id.lower().replace("_", " ")] = t.id
    for t in targets:
        index[t.id.lower()] = t.id  # an id wins over another target's name
    return index


def read_stance(spec: DataSpec, targets: Sequence[Target]) -> pd.DataFrame:
    """Items with line, text, target_id, label, lang: one per (text, target) labelled."""
    columns, records = read_records(spec.path)
    chosen = spec.columns or {}
    text = pick_column(spec.path, columns, "text", ALIASES["text"], chosen.get("text"))
    lang = pick_column(spec.path, columns, "lang", ALIASES["lang"], chosen.get("lang"),
                       required=False)
    known = target_index(targets)
    pairs = list(spec.stance_pairs) or [(
        pick_column(spec.path, columns, "target", ALIASES["target"], chosen.get("target")),
        pick_column(spec.path, columns, "label", ALIASES["label"], chosen.get("label")))]
    for target_col, label_col in pairs:
        if target_col not in columns and target_col.strip().lower() not in known:
            raise DataFormatError(spec.path, None, f"--stance-columns: {target_col!r} is neither "
                                                   "a column nor a target of the targets file")
        pick_column(spec.path, columns, "label", (), label_col)
    to_label = LabelReader.from_options("stance", spec.labels, spec.label_map)
    rows = []
    for record in _limit(records, spec.limit):
        body = field(spec.path, record, text, "text")
        item_lang = _lang_of(spec, record, lang, required=False)
        for target_col, label_col in pairs:
            fixed = target_col not in columns
            raw_target = target_col if fixed else (record.fields.get(target_col) or "").strip()
            raw_label = (record.fields.get(label_col) or "").strip()
            if len(pairs) > 1 and not raw_label and (fixed or not raw_target):
                continue  # a wide row need not fill every pair
            if not raw_target:
                raise DataFormatError(spec.path, record.line, f"empty target (column {target_col!r})")
            target_id = known.get(raw_target.lower())
            if target_id is None:
                raise DataFormatError(spec.path, record.line,
                                      f"target {raw_target!r} is not in the targets file (ids: "
                                      f"{', '.join(sorted({t.id for t in targets}))}); add it "
                                      "there or point NEWSLENS_TARGETS_FILE at another file")
            rows.append({"line": record.line, "text": body, "target_id": target_id,
                         "label": _gold(spec.path, record, label_col, to_label),
                         "lang": item_lang})
    return _frame(rows, spec.path, ["line", "text", "target_id", "label", "lang"])


def _frame(rows: list[dict], path: Path, columns: list[str]) -> pd.DataFrame:
    if not rows:
        raise DataFormatError(path, None, "no items to evaluate")
    return pd.DataFrame(rows, columns=columns)


def content_hash(items: pd.DataFrame) -> str:
    """sha256 of the items as evaluated (not the file bytes), so CSV and JSONL copies of the
    same data agree and `--limit` gives a different hash."""
    body = items.drop(columns=["line"]).to_dict(orient="records")
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
