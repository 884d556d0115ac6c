"""The lake: Parquet tables written atomically, read back, and queried through DuckDB views."""

from newslens.lake.catalog import refresh_catalog
from newslens.lake.paths import catalog_path, month_partition, table_dir
from newslens.lake.reader import read_table, table_row_counts
from newslens.lake.sql import ReadOnlyQueryError, format_result, run_query
from newslens.lake.writer import WriteResult, write_table

__all__ = [
    "ReadOnlyQueryError",
    "WriteResult",
    "catalog_path",
    "format_result",
    "month_partition",
    "read_table",
    "refresh_catalog",
    "run_query",
    "table_dir",
    "table_row_counts",
    "write_table",
]
