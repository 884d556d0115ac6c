"""The values ingest hands to the rest of the pipeline: articles, rejects, and both together."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One input (file or record) that parsed into an article.

    `body` is the cleaned text that later stages index into (sentence offsets refer to it);
    `raw_text` keeps what the input held so a reader can see what cleaning removed.
    """

    source_uri: str
    source_record: int | None
    source_format: str
    file_sha256: str
    raw_text: str
    body: str
    title: str | None
    author: str | None
    published: datetime.date | None
    published_precision: str | None
    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    lang_hint: str | None = None
    truncation: tuple[str, ...] = ()  # "<code>: <detail>" per cut made by the input limits
    credit: str | None = None              # agency/source line, apart from the people in `author`
    title_source: str | None = None        # headline | first_sentence | record | html
    dropped: tuple[tuple[str, str], ...] = ()  # (line, reason) cleaning cut from the body


@dataclass(frozen=True)
class Reject:
    """One input that did not become an article, with the reason code and where it happened."""

    source_uri: str
    source_record: int | None
    stage: str
    reason: str
    detail: str
    file_sha256: str | None = None


@dataclass
class IngestResult:
    """Everything read from some inputs: every input ends as exactly one document or reject."""

    documents: list[Document] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)

    @property
    def n_inputs(self) -> int:
        """How many inputs were seen (articles plus rejects)."""
        return len(self.documents) + len(self.rejects)

    @classmethod
    def from_items(cls, items: Iterable[Document | Reject]) -> IngestResult:
        """Split an ordered stream of outcomes into the two lists, keeping their order."""
        result = cls()
        for item in items:
            (result.documents if isinstance(item, Document) else result.rejects).append(item)
        return result
