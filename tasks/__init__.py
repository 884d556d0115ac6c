"""The Prefect task wrappers of newslens; imported as `newslens.tasks` (in a checkout and installed)."""
