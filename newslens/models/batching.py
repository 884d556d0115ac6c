"""One token-budget batcher for every model: inputs sorted by length, cut into padded batches.

A batch's padded size is its row count times its longest row. Sorting longest first keeps
that close to the real token count, and callers put results back by position. Two kinds of
grouping are kept: `group_size` consecutive inputs always share a batch (stance's three
hypotheses of one premise), and inputs with different `groups` values never do.
"""

from __future__ import annotations

from collections.abc import Sequence


def token_batches(lengths: Sequence[int], max_tokens: int, *, group_size: int = 1,
                  groups: Sequence[int] | None = None) -> list[list[int]]:
    """Positions cut into batches whose rows x longest row stays within `max_tokens`.

    Units of `group_size` consecutive positions go longest first (ties keep input order);
    a batch never mixes `groups` values. A unit larger than the budget gets a batch alone.
    """
    n = len(lengths)
    if group_size < 1 or n % group_size:
        raise ValueError(f"{n} inputs do not split into groups of {group_size}")
    if groups is not None and len(groups) != n:
        raise ValueError(f"{len(groups)} group keys for {n} inputs")
    units = [list(range(start, start + group_size)) for start in range(0, n, group_size)]
    keys = [None if groups is None else groups[unit[0]] for unit in units]
    if groups is not None and any(groups[i] != key for unit, key in zip(units, keys) for i in unit):
        raise ValueError("inputs kept together by group_size must share their group key")
    widths = [max(lengths[i] for i in unit) for unit in units]
    # Sorting by key first puts every key's units next to each other (keys must be mutually
    # comparable, e.g. ints); reverse=True keeps ties in input order.
    order = sorted(range(len(units)), key=lambda u: (keys[u], widths[u]) if groups is not None
                   else widths[u], reverse=True)
    batches: list[list[int]] = []
    key = width = None
    for u in order:
        current = batches[-1] if batches else None
        if (current is None or keys[u] != key
                or (len(current) + group_size) * width > max_tokens):
            batches.append(list(units[u]))
            key, width = keys[u], widths[u]
        else:
            current.extend(units[u])
    return batches

