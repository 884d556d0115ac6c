"""Write the report page for a lake: query, assemble, write the file atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newslens.files import write_atomically
from newslens.report.data import collect, headline_numbers, missing_notes
from newslens.report.page import build_html
from newslens.report.queries import Scope


class LakeNotFoundError(FileNotFoundError):
    """The lake folder does not exist (an empty folder is fine: it makes the empty page)."""


@dataclass(frozen=True)
class ReportResult:
    path: Path
    bytes: int
    headline: dict[str, Any]
    missing: list[str]


def configured_targets(targets_file: Path | None) -> dict[str, str]:
    """id -> display name of the targets in the targets file; empty when there is none."""
    if targets_file is None or not Path(targets_file).is_file():
        return {}
    from newslens.text.targets import load_targets

    return {t.id: t.name for t in load_targets(Path(targets_file))}


def build_report(lake: Path, out: Path, scope: Scope = Scope(), at: str | None = None,
                 targets_file: Path | None = None) -> ReportResult:
    """Write the self-contained report page for `lake` to `out` and say what it holds."""
    lake = Path(lake)
    if not lake.is_dir():
        raise LakeNotFoundError(f"no lake at {lake}: give --lake DIR (a folder `newslens run` wrote)")
    data = collect(lake, scope, at=at, known_targets=configured_targets(targets_file))
    page = build_html(data, lake_label=str(lake))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return ReportResult(path=out.resolve(), bytes=len(page.encode("utf-8")),
                        headline=headline_numbers(data), missing=missing_notes(data))


def result_markdown(result: ReportResult) -> str:
    """The headline numbers and where the page was written, as markdown (the flow's artifact)."""
    h = result.headline
    published = (f"{h['first_published']} to {h['last_published']}" if h["first_published"]
                 else "no dates")
    lines = [
        "# newslens report",
        "",
        f"Written to `{result.path}` ({result.bytes / 1e6:.1f} MB, opens offline).",
        "",
        "| metric | value |",
        "|---|---|",
        f"| articles | {h['articles']} |",
        f"| near-duplicates | {h['near_duplicates']} |",
        f"| languages | {h['languages']} |",
        f"| sources | {h['sources']} |",
        f"| targets mentioned | {h['targets_mentioned']} |",
        f"| published | {published} |",
        f"| undated articles | {h['undated']} |",
        f"| runs | {h['runs']} |",
        f"| last run | {h['last_run'] or 'none'} ({h['last_run_status'] or 'no run'}) |",
        f"| rejected inputs | {h['rejects']} |",
    ]
    if result.missing:
        lines += ["", "**What is missing**", ""] + [f"- {m}" for m in result.missing]
    return "\n".join(lines) + "\n"
