"""Language tags as the pipeline compares them."""

from __future__ import annotations

import re


def primary_language(tag: str | None) -> str | None:
    """The primary subtag, lower-cased: `pt-BR` / `pt_BR` / `PT` -> `pt`; None or blank -> None."""
    if tag is None or not tag.strip():
        return None
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
