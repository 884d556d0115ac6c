"""Ingest: input files to clean article documents (or rejects with reasons), plus ids and dedupe."""

from newslens.ingest import reasons
from newslens.ingest.decode import Decoded, decode_bytes, normalize_text
from newslens.ingest.dedupe import DUPLICATE, NEAR_DUPLICATE, NEW, classify_duplicates
from newslens.ingest.discover import SUPPORTED_SUFFIXES, discover_files
from newslens.ingest.ids import article_id, hamming, raw_article_id, simhash64
from newslens.ingest.model import Document, IngestResult, Reject
from newslens.ingest.read import read_file, read_inputs
from newslens.ingest.txt_article import ParsedArticle, clean_body, parse_txt_article

__all__ = [
    "DUPLICATE", "NEAR_DUPLICATE", "NEW", "SUPPORTED_SUFFIXES", "Decoded", "Document",
    "IngestResult", "ParsedArticle", "Reject", "article_id", "classify_duplicates",
    "clean_body", "decode_bytes", "discover_files", "hamming", "normalize_text",
    "parse_txt_article", "raw_article_id", "read_file", "read_inputs", "reasons", "simhash64",
]
