"""Timing classifier precisions against fp32 on a fixed probe: the measuring half of
`calibration`, with no cache and no knowledge of the machine.

Every candidate is built, run once over the probe (which warms it up and gives its labels),
then timed on the same inputs, best of a few passes, the candidates taking turns so that a load
spike hurts them alike. A candidate qualifies when its argmax labels agree with fp32's on at
least MIN_AGREEMENT of the probe rows, and for NLI models also on the stance each premise gets
(the entailment logit compared across its three hypotheses, as the stance stage does).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newslens.models.tiny_corpus import LANGUAGES, corpus_sentences

MIN_AGREEMENT = 0.98
MIN_GAIN = 1.05  # a precision other than fp32 must be this much faster to be chosen (noise)

STANCE_TARGETS = ("NATO", "Russia", "Ukraine", "the European Union", "China", "Israel")
HYPOTHESES = ("This text is in favor of {}.", "This text is against {}.",
              "This text is neutral about {}.")

Build = Callable[[str], Any]  # precision -> object with predict_proba(texts, pairs, group_size=)


@dataclass(frozen=True)
class Probe:
    """The fixed inputs every candidate labels, the leading part of them it is timed on, and
    how long the timing may take."""

    texts: tuple[str, ...]
    pairs: tuple[str, ...] | None = None
    group_size: int = 1
    timed: int | None = None  # leading inputs timed (None: all), whole groups
    repeats: int = 3  # timed passes at most, after the untimed labelling pass
    budget_s: float = 1.0  # no further timed pass once a candidate has spent this long

    @property
    def key(self) -> str:
        blob = json.dumps([self.texts, self.pairs, self.group_size, self.timed], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def timed_inputs(self) -> tuple[list[str], list[str] | None]:
        n = len(self.texts) if self.timed is None else self.timed - self.timed % self.group_size
        n = max(n, self.group_size)
        return list(self.texts[:n]), None if self.pairs is None else list(self.pairs[:n])


def default_probe(pairs: bool, *, n_texts: int = 64, n_premises: int = 60) -> Probe:
    """News-like template sentences in nine languages.

    Sentiment: 64 single sentences (about 14 tokens each), so one differing label still passes
    0.98; timed on the first 32. NLI: 60 premises as the stance stage sees them, two sentences
    around a named target (about 30 tokens), each with the three stance hypotheses (180 pairs,
    one batch group per premise); timed on the first 9 premises. 60 premises, not fewer: a
    precision whose stance labels differ on 7.5% of mentions (ONNX int8 on mDeBERTa in a full
    benchmark run) passes an 18-premise probe one time in four, a 60-premise one about one
    time in twenty. Timing is sized so that a base-size model on a 16-core CPU spends about
    two seconds per candidate in fp32, less in the faster precisions."""
    per_lang = {lang: corpus_sentences([lang], per_language=200) for lang in LANGUAGES}

    def text(i: int) -> str:
        pool = per_lang[LANGUAGES[i % len(LANGUAGES)]]
        return pool[(i * 37) % len(pool)]

    if not pairs:
        return Probe(texts=tuple(text(i) for i in range(n_texts)), timed=n_texts // 2)
    premises, hypotheses = [], []
    for i in range(n_premises):
        target = STANCE_TARGETS[i % len(STANCE_TARGETS)]
        premise = f"{text(i)} {target}: {text(i + 101)}"
        for template in HYPOTHESES:
            premises.append(premise)
            hypotheses.append(template.format(target))
    return Probe(texts=tuple(premises), pairs=tuple(hypotheses), group_size=len(HYPOTHESES),
                 timed=len(HYPOTHESES) * 9)


@dataclass(frozen=True)
class Row:
    precision: str
    items_per_s: float | None = None
    ratio: float | None = None  # items/s over fp32's
    agreement: float | None = None
    qualified: bool = False
    reason: str = ""


# -- measuring --------------------------------------------------------------------------------
def skip_reason(precision: str, device: str) -> str | None:
    """Why a candidate is not worth measuring on `device`, or None."""
    from newslens.models import classify

    cpu = device.startswith("cpu")
    if precision == "bf16" and not classify.native_bf16(device):
        return "no native bf16 here (emulated bf16 measured ~7x slower than fp32)"
    if precision in ("int8", "onnx-int8", "onnx-fp32") and not cpu:
        return f"{precision} runs on CPU only"
    if precision.startswith("onnx"):
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return "onnxruntime is not installed"
    return None


def _labels(clf: Any, probe: Probe) -> tuple[np.ndarray, np.ndarray | None]:
    """Row labels, and for NLI groups the stance each premise gets (as the stance stage does)."""
    if probe.pairs is not None and probe.group_size > 1 and hasattr(clf, "predict_logits"):
        logits = np.asarray(clf.predict_logits(list(probe.texts), list(probe.pairs),
                                               group_size=probe.group_size))
        names = {int(k): str(v).lower() for k, v in getattr(clf, "id2label", {}).items()}
        entail = next((i for i, n in names.items() if n.startswith("entail")), None)
        groups = (None if entail is None
                  else logits[:, entail].reshape(-1, probe.group_size).argmax(axis=1))
        return logits.argmax(axis=1), groups
    proba = clf.predict_proba(list(probe.texts), None if probe.pairs is None else list(probe.pairs),
                              group_size=probe.group_size)
    return np.asarray(proba).argmax(axis=1), None


def _agreement(mine: tuple, ref: tuple) -> float:
    parts = [float((a == b).mean()) for a, b in zip(mine, ref) if a is not None and b is not None]
    return min(parts)


def _timed_pass(clf: Any, probe: Probe) -> float:
    texts, pairs = probe.timed_inputs()
    t0 = time.perf_counter()
    clf.predict_proba(texts, pairs, group_size=probe.group_size)
    return time.perf_counter() - t0


def measure(build: Build, candidates: Sequence[str], probe: Probe, device: str) -> list[Row]:
    """One row per candidate (fp32 first), timed in turns after an untimed labelling pass."""
    order = ["fp32", *dict.fromkeys(c for c in candidates if c != "fp32")]
    skipped: dict[str, str] = {}
    built: dict[str, Any] = {}
    for precision in order:
        if precision != "fp32" and (why := skip_reason(precision, device)):
            skipped[precision] = why
            continue
        try:
            built[precision] = build(precision)
        except Exception as exc:  # fp32 failing is fatal; another precision is just reported
            if precision == "fp32":
                raise
            skipped[precision] = f"could not build: {type(exc).__name__}: {exc}"[:200]
    labels = {p: _labels(clf, probe) for p, clf in built.items()}
    best = {p: float("inf") for p in built}
    spent = {p: 0.0 for p in built}
    for _ in range(max(1, probe.repeats)):
        for p, clf in built.items():
            if spent[p] < probe.budget_s or best[p] == float("inf"):
                seconds = _timed_pass(clf, probe)
                spent[p] += seconds
                best[p] = min(best[p], seconds)
    n = len(probe.timed_inputs()[0])
    speed = {p: n / max(s, 1e-9) for p, s in best.items()}
    rows = []
    for p in order:
        if p in skipped:
            rows.append(Row(p, reason=skipped[p]))
            continue
        agree = _agreement(labels[p], labels["fp32"])
        ok = agree >= MIN_AGREEMENT
        rows.append(Row(p, round(speed[p], 2), round(speed[p] / speed["fp32"], 3), round(agree, 4),
                        ok, "" if ok else f"labels agree with fp32 on {agree:.1%} < {MIN_AGREEMENT:.0%}"))
    return rows


def choose(rows: Sequence[Row], candidates: Sequence[str] | None = None) -> str:
    """The fastest qualifying precision among `candidates`; fp32 unless one beats it by MIN_GAIN."""
    allowed = set(candidates) if candidates is not None else None
    best, best_speed = "fp32", None
    for row in rows:
        if row.precision == "fp32" and row.items_per_s is not None:
            best_speed = row.items_per_s * MIN_GAIN
    for row in rows:
        if (row.precision != "fp32" and row.qualified and row.items_per_s is not None
                and (allowed is None or row.precision in allowed)
                and (best_speed is None or row.items_per_s > best_speed)):
            best, best_speed = row.precision, row.items_per_s
    return best
