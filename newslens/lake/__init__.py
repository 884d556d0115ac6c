"""The lake: DuckLake tables (Parquet data + a SQLite catalog), written one transaction per
batch, read back, and queried read-only with SQL."""

from newslens.lake.commit import WriteResult, transaction, write_table
from newslens.lake.connection import (LakeBusyError, LakeNotFoundError, catalog_path, data_path,
                                      open_reader)
from newslens.lake.read import read_table, table_row_counts
from newslens.lake.sql import ReadOnlyQueryError, check_read_only, format_result, run_query
from newslens.lake.tables import month_partition

__all__ = [
    "LakeBusyError",
    "LakeNotFoundError",
    "ReadOnlyQueryError",
    "WriteResult",
    "catalog_path",
    "check_read_only",
    "data_path",
    "format_result",
    "month_partition",
    "open_reader",
    "read_table",
    "run_query",
    "table_row_counts",
    "transaction",
    "write_table",
]
