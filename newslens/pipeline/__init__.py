"""A newslens run as plain functions: ingest, model stages, writes, the run ledger."""
