"""Language tags: the one parser of a tag's primary language subtag."""

from __future__ import annotations

import re

_SUBTAG_SEPARATOR = re.compile(r"[-_]")


def primary_language(tag: str | None) -> str | None:
    """`pt-BR` / `pt_BR` / ` PT ` -> `pt`; None, blank (or a missing value such as NaN) -> None."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    return _SUBTAG_SEPARATOR.split(tag.strip().lower(), maxsplit=1)[0] or None
