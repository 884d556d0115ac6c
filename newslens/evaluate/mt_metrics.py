"""Translation metrics: sacreBLEU's corpus BLEU and chrF with their signatures, bootstrap
intervals from per-sentence sufficient statistics, and COMET when it can run.

sacreBLEU's defaults are kept (BLEU: 13a tokenisation, exp smoothing; chrF: character order 6,
word order 0, beta 2), so the numbers compare with published sacreBLEU figures. A bootstrap
resample sums the sentences' statistics and scores the sum, which is exactly the corpus score
of the resampled sentences (the same device sacreBLEU's paired bootstrap uses).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newslens.evaluate.metrics import (DEFAULT_BOOTSTRAP, DEFAULT_SEED, MetricValue,
                                       bootstrap_signature, percentile_interval)


def _metrics():
    from sacrebleu.metrics import BLEU, CHRF

    return {"bleu": BLEU(), "chrf": CHRF()}


def corpus_scores(hypotheses: Sequence[str], references: Sequence[str], *, subset: str = "all",
                  n_boot: int = DEFAULT_BOOTSTRAP, seed: int = DEFAULT_SEED) -> list[MetricValue]:
    """BLEU and chrF of `hypotheses` against one reference each, with intervals and signatures."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    hyps, refs = list(hypotheses), list(references)
    out = []
    for name, metric in _metrics().items():
        score = metric.corpus_score(hyps, [refs]).score
        signature = f"{metric.get_signature().format()}|{bootstrap_signature(n_boot, seed)}"
        low = high = None
        if n_boot > 0:
            low, high = percentile_interval(bootstrap_samples(metric, hyps, refs, n_boot, seed))
        out.append(MetricValue(name, float(score), len(hyps), subset, low, high, signature))
    return out


def bootstrap_samples(metric, hypotheses: Sequence[str], references: Sequence[str],
                      n_boot: int, seed: int) -> np.ndarray:
    """Corpus scores of `n_boot` resamples (sentences drawn with replacement, seeded)."""
    stats = np.asarray(metric._extract_corpus_statistics(list(hypotheses), [list(references)]),
                       dtype=np.int64)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(hypotheses), size=(n_boot, len(hypotheses)))
    sums = stats[idx].sum(axis=1)
    return np.array([metric._compute_score_from_stats(row.tolist()).score for row in sums])


def sentence_chrf(hypotheses: Sequence[str], references: Sequence[str]) -> list[float]:
    """chrF per sentence, for reading the per-item outputs (worst translations first)."""
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    return [float(metric.sentence_score(h, [r]).score) for h, r in zip(hypotheses, references)]


def comet_scores(sources: Sequence[str], hypotheses: Sequence[str], references: Sequence[str],
                 model: str | None, *, gpus: int = 0) -> tuple[list[MetricValue], str | None]:
    """COMET system score when the `unbabel-comet` package and a COMET model are present.

    Returns (metrics, note): no metrics and a note saying why when COMET cannot run here.
    """
    if importlib.util.find_spec("comet") is None:
        return [], "COMET skipped: the unbabel-comet package is not installed"
    if not model:
        return [], "COMET skipped: no COMET model given (--comet-model PATH or hub id)"
    from comet import download_model, load_from_checkpoint  # type: ignore[import-not-found]

    checkpoint = Path(model)
    if checkpoint.is_dir():
        checkpoint = checkpoint / "checkpoints" / "model.ckpt"
    elif not checkpoint.is_file():
        checkpoint = Path(download_model(model))
    scorer = load_from_checkpoint(str(checkpoint))
    data = [{"src": s, "mt": h, "ref": r} for s, h, r in zip(sources, hypotheses, references)]
    result = scorer.predict(data, batch_size=16, gpus=gpus, progress_bar=False)
    return [MetricValue("comet", float(result.system_score), len(data),
                        signature=f"comet:{model}")], None
