"""`newslens bench`: the benchmarks live in the checkout's bench/ folder, not in the package."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import typer

NOT_INSTALLED = ("newslens bench runs from a checkout of newslens: bench/ is not installed with "
                 "the package. Clone the repository, `pip install -e '.[bench]'` there and run "
                 "`newslens bench` again.")


def bench_main() -> Callable[[list[str]], int]:
    """`bench.run.main`, imported from the checkout that holds this package (or sys.path)."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "bench" / "run.py").is_file() and str(checkout) not in sys.path:
        sys.path.append(str(checkout))  # an editable install does not put the checkout on the path
    try:
        from bench.run import main
    except ModuleNotFoundError as exc:
        if exc.name in ("bench", "bench.run"):
            typer.echo(f"error: {NOT_INSTALLED}", err=True)
        else:  # psutil and the comparison libraries come with the bench extra
            typer.echo(f"error: newslens bench needs {exc.name}: pip install -e '.[bench]'", err=True)
        raise typer.Exit(1) from None
    return main
