"""Gold labels as data sets spell them, mapped onto the labels newslens predicts.

Sentiment: negative / neutral / positive. Stance: favor / against / none (the model's
"neutral" hypothesis is the "none" class, as in SemEval-2016 task 6). Names match
case-insensitively; `--label-map RAW=LABEL,...` renames anything else; numeric labels need
`--labels` giving the label of 0, 1, 2, ... in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
STANCE_LABELS: tuple[str, ...] = ("favor", "against", "none")
# Spellings accepted without a mapping, besides the label names themselves.
_SYNONYMS: dict[str, dict[str, str]] = {
    "sentiment": {},
    "stance": {"neutral": "none", "favour": "favor"},
}


def task_labels(task: str) -> tuple[str, ...]:
    return STANCE_LABELS if task == "stance" else SENTIMENT_LABELS


def parse_order(text: str | None, task: str) -> tuple[str, ...] | None:
    """`--labels negative,neutral,positive`: the label of each number, checked against the task."""
    if not text:
        return None
    allowed = task_labels(task)
    items = [s.strip().lower() for s in text.split(",") if s.strip()]
    bad = [s for s in items if s not in allowed]
    if bad or len(set(items)) != len(items):
        raise ValueError(f"--labels must list {', '.join(allowed)} (each once) in the order of "
                         f"the numeric labels, got {text!r}")
    return tuple(items)


def parse_mapping(text: str | None, task: str) -> dict[str, str]:
    """`--label-map RAW=LABEL,...` (RAW compared case-insensitively) into a dict."""
    if not text:
        return {}
    allowed = task_labels(task)
    out: dict[str, str] = {}
    for item in (s for s in text.split(",") if s.strip()):
        raw, sep, label = item.partition("=")
        label = label.strip().lower()
        if not sep or not raw.strip() or label not in allowed:
            raise ValueError(f"--label-map entries are RAW=LABEL with LABEL one of "
                             f"{', '.join(allowed)}; got {item!r}")
        out[raw.strip().lower()] = label
    return out


@dataclass(frozen=True)
class LabelReader:
    """Turns a raw gold label into a task label, or explains why it cannot."""

    task: str
    order: tuple[str, ...] | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_options(cls, task: str, labels: str | None, label_map: str | None) -> "LabelReader":
        return cls(task, parse_order(labels, task), parse_mapping(label_map, task))

    def __call__(self, raw: str) -> str:
        """The task label for `raw`; ValueError with the reason when there is none."""
        key = raw.strip().lower()
        if key in self.mapping:
            return self.mapping[key]
        allowed = task_labels(self.task)
        if key in allowed:
            return key
        if key in _SYNONYMS[self.task]:
            return _SYNONYMS[self.task][key]
        number = _as_int(key)
        if number is not None:
            if self.order is None:
                return _fail(f"numeric label {raw!r} needs --labels (the label of 0, 1, 2, ... "
                             f"in order, e.g. --labels {','.join(allowed)})")
            if not 0 <= number < len(self.order):
                return _fail(f"numeric label {raw!r} is outside --labels {','.join(self.order)}")
            return self.order[number]
        return _fail(f"unknown label {raw!r}: expected {', '.join(allowed)} (any case), "
                     "or map it with --label-map RAW=LABEL")


def _as_int(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _fail(message: str) -> str:
    raise ValueError(message)
