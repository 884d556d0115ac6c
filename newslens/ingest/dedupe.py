"""Exact and near-duplicate classification of a batch against the lake and against itself.

Wire services and aggregators republish the same story with small edits; counting each copy
would skew every share and average, so copies point at one root original instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

NEW, DUPLICATE, NEAR_DUPLICATE = "new", "duplicate", "near_duplicate"
_CHUNK_CELLS = 4_000_000  # bound on the (batch x known) distance matrix held at once


def _as_u64(values: Sequence[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(-1).view(np.uint64)


def _roots(ids: Sequence[str], duplicate_of: Sequence[str | None]) -> dict[str, str]:
    """Each known id -> the original at the end of its duplicate_of chain (cycles stop)."""
    # Only text is a parent: pandas' string dtype reads a null `duplicate_of` back as NaN.
    parent = {i: d for i, d in zip(ids, duplicate_of) if isinstance(d, str) and d}
    roots: dict[str, str] = {}
    for start in ids:
        node, seen = start, {start}
        while (nxt := parent.get(node)) is not None and nxt not in seen:
            seen.add(nxt)
            node = nxt
        roots[start] = node
    return roots


def _nearest_known(batch: np.ndarray, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per batch fingerprint: smallest Hamming distance to any known one, and its index."""
    best_d = np.full(len(batch), 65, dtype=np.int64)
    best_i = np.full(len(batch), -1, dtype=np.int64)
    if len(known) == 0 or len(batch) == 0:
        return best_d, best_i
    step = max(1, _CHUNK_CELLS // len(batch))
    for lo in range(0, len(known), step):
        dist = np.bitwise_count(batch[:, None] ^ known[None, lo:lo + step]).astype(np.int64)
        idx = dist.argmin(axis=1)
        d = dist[np.arange(len(batch)), idx]
        better = d < best_d  # strict: on a tie the earlier known article stays
        best_d[better] = d[better]
        best_i[better] = idx[better] + lo
    return best_d, best_i


def classify_duplicates(article_ids: Sequence[str], simhashes: Sequence[int],
                        known_ids: Sequence[str], known_simhashes: Sequence[int],
                        known_duplicate_of: Sequence[str | None],
                        max_distance: int = 3,
                        confirm: Callable[[int, str], bool] | None = None,
                        ) -> list[tuple[str, str | None]]:
    """Label each batch article, in input order, as ("new", None), ("duplicate", root) or
    ("near_duplicate", root); root is always the original at the end of the chain.

    Exact ids win over near matches. Near matches compare with every known article and with
    the earlier *new* articles of the batch; the closest wins, the older on a tie. A simhash
    match is only a candidate when `confirm(batch_index, original_id)` is given: it must agree
    (e.g. by comparing the texts) or the article counts as new.
    """
    if len(article_ids) != len(simhashes):
        raise ValueError("article_ids and simhashes differ in length")
    if not len(known_ids) == len(known_simhashes) == len(known_duplicate_of):
        raise ValueError("known_ids, known_simhashes and known_duplicate_of differ in length")
    root_of = _roots(known_ids, known_duplicate_of)
    known_ids = list(known_ids)
    batch = _as_u64(simhashes)
    near_d, near_i = _nearest_known(batch, _as_u64(known_simhashes))

    new_ids: list[str] = []
    new_hashes = np.empty(len(batch), dtype=np.uint64)
    out: list[tuple[str, str | None]] = []
    for k, aid in enumerate(article_ids):
        if aid in root_of:
            out.append((DUPLICATE, root_of[aid]))
            continue
        target: str | None = None
        best = max_distance + 1
        if near_d[k] <= max_distance:
            best, target = int(near_d[k]), root_of[known_ids[near_i[k]]]
        if new_ids:
            dist = np.bitwise_count(new_hashes[:len(new_ids)] ^ batch[k])
            j = int(dist.argmin())
            if dist[j] < best:
                target = new_ids[j]
        if target is not None and confirm is not None and not confirm(k, target):
            target = None
        if target is not None:
            root_of[aid] = target
            out.append((NEAR_DUPLICATE, target))
        else:
            root_of[aid] = aid
            new_hashes[len(new_ids)] = batch[k]
            new_ids.append(aid)
            out.append((NEW, None))
    return out
