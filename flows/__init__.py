"""The Prefect flows of newslens; imported as `newslens.flows` (in a checkout and installed)."""
