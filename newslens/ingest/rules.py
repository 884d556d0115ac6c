"""The version of the cleaning and sentence-splitting rules, recorded on every article.

Bump `CLEANING_REVISION` whenever a change to cleaning (boilerplate phrases, bylines, credits,
titles: newslens/ingest/clean.py, boilerplate*.py, bylines.py, txt_article.py) can change what
an article's body, title, author, credit or dropped lines come out as; the sentence splitter
has its own `SPLITTER_VERSION`. An article whose `cleaning_version` differs from
`CLEANING_RULES_VERSION` is stale: re-derive it from `raw_text` with
`newslens.ingest.reclean.reclean_row`. Ids never depend on these rules (see ids.py).
"""

from __future__ import annotations

from newslens.text.sentences import SPLITTER_VERSION

CLEANING_REVISION = 2

CLEANING_RULES_VERSION = f"clean-{CLEANING_REVISION}+split-{SPLITTER_VERSION}"
