"""Evaluation data files read into records that remember their line, and errors that name it.

Every reader in this package reports a problem as `DataFormatError` with the file and the
1-based line, so a person can open the file at the right place. CSV and TSV records report the
line where the record starts (a quoted field may span lines); JSONL records their own line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TABULAR_SUFFIXES = {".csv": ",", ".tsv": "\t"}
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


class DataFormatError(ValueError):
    """A data file that cannot be evaluated as given; names the file and, where known, the line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line = str(path), line
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Record:
    """One data row: where it came from and its fields as strings (None for missing/null)."""

    line: int
    fields: Mapping[str, str | None]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFormatError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        # Count the lines before the bad byte so the error names where it is.
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise DataFormatError(path, line, "not valid UTF-8") from None


def physical_lines(text: str) -> list[str]:
    """Lines split at \n, \r\n or \r only (str.splitlines also splits at U+2028 and other
    separators that may sit inside a JSON string or a CSV field), without their endings."""
    return [line.rstrip("\r\n") for line in io.StringIO(text, newline=None)]


def _jsonl(path: Path) -> tuple[list[str], list[Record]]:
    records: list[Record] = []
    columns: dict[str, None] = {}
    for number, raw in enumerate(physical_lines(_read_text(path)), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataFormatError(path, number, f"invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise DataFormatError(path, number, "each line must be a JSON object")
        columns.update(dict.fromkeys(obj))
        records.append(Record(number, {str(k): _text(v) for k, v in obj.items()}))
    return list(columns), records


def _delimited(path: Path, delimiter: str) -> tuple[list[str], list[Record]]:
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataFormatError(path, 1, "empty file: expected a header line") from None
    except csv.Error as exc:
        raise DataFormatError(path, 1, f"unreadable header ({exc})") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise DataFormatError(path, 1, f"repeated column names in the header {header}")
    records: list[Record] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataFormatError(path, reader.line_num, f"unreadable record ({exc})") from None
        start = reader.line_num - sum(v.count("\n") for v in row)
        if not row or all(not v.strip() for v in row):
            continue
        if len(row) != len(header):
            raise DataFormatError(path, start, f"{len(row)} fields, but the header has "
                                               f"{len(header)} ({', '.join(header)})")
        records.append(Record(start, dict(zip(header, row))))
    return header, records


def read_records(path: Path) -> tuple[list[str], list[Record]]:
    """Column names and records of a CSV, TSV or JSONL file, chosen by its suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TABULAR_SUFFIXES:
        return _delimited(path, TABULAR_SUFFIXES[suffix])
    if suffix in JSONL_SUFFIXES:
        return _jsonl(path)
    raise DataFormatError(path, None, f"unknown format {suffix or '(no suffix)'}: use .csv, .tsv "
                                      "or .jsonl (or two plain-text files with --data-ref)")


def read_lines(path: Path) -> list[str]:
    """Lines of a plain-text file (one segment per line); a blank line is an error."""
    lines = physical_lines(_read_text(Path(path)))
    while lines and not lines[-1].strip():
        lines.pop()  # a trailing newline or two is harmless
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise DataFormatError(path, number, "blank line: every line must hold one segment")
    return lines


def header_line(path: Path) -> int | None:
    """Where a missing column is reported: the header of a CSV/TSV; a JSONL file has none."""
    return 1 if Path(path).suffix.lower() in TABULAR_SUFFIXES else None


def pick_column(path: Path, columns: Sequence[str], role: str, candidates: Sequence[str],
                chosen: str | None = None, *, required: bool = True) -> str | None:
    """The column playing `role`: the one the user named, else the first known alias present."""
    if chosen:
        if chosen not in columns:
            raise DataFormatError(path, header_line(path), f"no column {chosen!r} (for {role}); "
                                           f"columns are {', '.join(columns)}")
        return chosen
    lowered = {c.lower(): c for c in columns}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    if required:
        raise DataFormatError(path, header_line(path), f"missing column for {role}: expected one of "
                                       f"{', '.join(candidates)} (columns are "
                                       f"{', '.join(columns) or 'none'}); or name it with --columns")
    return None


def field(path: Path, record: Record, column: str, role: str) -> str:
    """A required, non-blank value of one record."""
    value = record.fields.get(column)
    if value is None or not value.strip():
        raise DataFormatError(path, record.line, f"empty {role} (column {column!r})")
    return value.strip()
