"""Library noise a newslens run does not want on the console.

- transformers draws a "Loading weights" progress bar every time a model is loaded (per
  translation model, per classifier, per worker process): its bars go off.
- Counting a long sentence's tokens (before the translator splits it to fit the model) makes
  the tokenizer warn "Token indices sequence length is longer than the specified maximum
  sequence length"; the splitter exists for exactly that input, so the warning is dropped.

MarianTokenizer's "Recommended: pip install sacremoses." is not silenced: sacremoses is a
runtime dependency, and if it is missing the warning is true (the punctuation normalisation
is skipped) and Python shows it once.

`quiet_model_libraries` is called where a run is about to use models (the runner's planning,
a shard on a worker), not at import: an ingest-only run never imports transformers.

`failures_off_console` is for the CLI: an error it explains itself (missing models) would
otherwise also be printed by Prefect, for the task and for the flow, each with a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

LONG_INPUT_WARNING = "Token indices sequence length is longer than the specified maximum"
_TOKENIZER_LOGGER = "transformers.tokenization_utils_base"


class _DropLongInputWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return LONG_INPUT_WARNING not in record.getMessage()


_FILTER = _DropLongInputWarning()


def quiet_model_libraries() -> None:
    """Switch off transformers' loading bars and its long-input warning (idempotent)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    logger = logging.getLogger(_TOKENIZER_LOGGER)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


class _DropFailure(logging.Filter):
    """Drops records about one of `kinds` of exception: with it attached, or naming it."""

    def __init__(self, kinds: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.kinds = kinds
        self.names = tuple(k.__name__ for k in kinds)

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and isinstance(exc, self.kinds):
            return False
        message = record.getMessage()
        return not any(name in message for name in self.names)


@contextmanager
def failures_off_console(*kinds: type[BaseException]) -> Iterator[None]:
    """Keep Prefect's console lines about these failures (task failed, flow failed, each with
    its traceback and the full message) off the terminal: the command reports them itself,
    once. Prefect's own record of the run (its API log handler) still gets every line."""
    drop = _DropFailure(kinds)
    handlers = [h for h in logging.getLogger().handlers if _is_console(h)]
    for handler in handlers:
        handler.addFilter(drop)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(drop)


def _is_console(handler: logging.Handler) -> bool:
    return isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)
