"""Reject reason codes of the ingest stage, with a one-line description of each.

The codes land in the `reason` column of the rejects table, so they are stable strings;
analysts group on them, and the descriptions let a report explain each one.
"""

from __future__ import annotations

# File-level (stage "read"): the file as a whole could not become an article.
EMPTY_FILE = "empty_file"
WHITESPACE_ONLY = "whitespace_only"
TOO_LARGE = "too_large"
BINARY_FILE = "binary_file"
UNDECODABLE = "undecodable"
UNSUPPORTED_FORMAT = "unsupported_format"
UNREADABLE = "unreadable"
NO_BODY = "no_body"
BODY_TOO_SHORT = "body_too_short"
HTML_NO_CONTENT = "html_no_content"
NO_RECORDS = "no_records"
NO_TEXT_COLUMN = "no_text_column"
NOT_A_FILE = "not_a_file"
SYMLINK_OUTSIDE = "symlink_outside"

# Record-level (stage "parse"): one JSONL line or CSV row, the rest of the file still loads.
INVALID_JSON = "invalid_json"
NOT_AN_OBJECT = "not_an_object"
NO_TEXT = "no_text"
INVALID_FIELD = "invalid_field"
BAD_DATE = "bad_date"
MALFORMED_ROW = "malformed_row"
MALFORMED_CSV = "malformed_csv"
RECORD_TOO_LARGE = "record_too_large"

# Later stages (stage "translate" | "sentiment" | "stance"): an article a model could not process.
MODEL_ERROR = "model_error"

DESCRIPTIONS: dict[str, str] = {
    EMPTY_FILE: "the file has zero bytes",
    WHITESPACE_ONLY: "the file decodes to nothing but whitespace",
    TOO_LARGE: "the file is larger than max_file_bytes and was not read",
    BINARY_FILE: "the bytes look like binary data, not text",
    UNDECODABLE: "no text encoding decodes the bytes plausibly",
    UNSUPPORTED_FORMAT: "the file suffix is not one ingest reads",
    UNREADABLE: "the operating system refused to stat or read the file",
    NO_BODY: "the article has a title but no body text",
    BODY_TOO_SHORT: "the cleaned body is shorter than min_body_chars",
    HTML_NO_CONTENT: "no main text could be extracted from the HTML page",
    NO_RECORDS: "the JSONL/CSV file holds no records",
    NO_TEXT_COLUMN: "the CSV header names no text/body/content column (or there is no header)",
    INVALID_JSON: "a JSONL line is not valid JSON",
    NOT_AN_OBJECT: "a JSONL line is valid JSON but not an object",
    NO_TEXT: "the record has no non-empty text/body/content field",
    INVALID_FIELD: "a field holds a value of the wrong type (e.g. a list where text belongs)",
    BAD_DATE: "the publication date cannot be parsed (ISO date, ISO datetime or YYYY-MM expected)",
    MALFORMED_ROW: "a CSV row has a different number of fields than the header",
    MALFORMED_CSV: "the CSV parser failed here; the rest of the file could not be read",
    MODEL_ERROR: "a model stage failed on this article, so it was kept out of the lake",
    NOT_A_FILE: "a FIFO, socket, device or folder (behind a link), not a regular file; never opened",
    SYMLINK_OUTSIDE: "a symbolic link pointing outside the input folder (not followed)",
    RECORD_TOO_LARGE: "one record's text (a JSONL line, CSV row, txt or html file) exceeds max_record_bytes",
}

ALL_CODES: frozenset[str] = frozenset(DESCRIPTIONS)

# Cuts (not rejects): an article that was kept but shortened records one entry per cut in
# `articles.truncation`, as "<code>: <detail>". The article still counts as new.
CUT_ARTICLE_CHARS = "article_chars"
CUT_TITLE_CHARS = "title_chars"
CUT_SENTENCE_CHARS = "sentence_chars"
CUT_SENTENCES = "sentences_per_article"
REPLACED_SURROGATES = "invalid_surrogates"

CUT_DESCRIPTIONS: dict[str, str] = {
    CUT_ARTICLE_CHARS: "the body was longer than max_article_chars and was cut at a paragraph, "
                       "word or character boundary",
    CUT_TITLE_CHARS: "the title was longer than max_title_chars and was cut",
    CUT_SENTENCE_CHARS: "sentences longer than max_sentence_chars were split into pieces at word "
                        "(else character) boundaries",
    CUT_SENTENCES: "only the first max_sentences_per_article sentences were kept for the model stages",
    REPLACED_SURROGATES: "lone UTF-16 surrogates (e.g. a JSON \\ud800 escape) were replaced by U+FFFD",
}
