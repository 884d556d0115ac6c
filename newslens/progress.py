"""What a run reports while it runs: articles and sentences done per stage.

The pipeline tells an observer how far each stage has come; the observer decides what, if
anything, to show. By default nobody listens (`RunObserver` does nothing), so library callers,
tests and Prefect flows, whose logs are the record, see nothing new. The CLI installs the rich
display (`RichProgress`) for the length of a command, and only when stderr is a terminal.

Counts move when a batch commits: a shard computed on a Dask or Ray worker counts when the
driver commits it, like a local batch. An article that failed a stage counts as failed, not done,
so the done counts of a finished run add up to the `computed` column of its summary.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any


class RunObserver:
    """Hears a run's progress; every method does nothing here."""

    def stage_started(self, stage: str, articles: int | None, sentences: int | None) -> None:
        """`stage` has `articles` (with `sentences`) to do; None: not known yet (ingest)."""

    def stage_advanced(self, stage: str, articles: int, sentences: int, failed: int = 0) -> None:
        """`articles` more (holding `sentences`) are done with `stage`, `failed` more failed it."""

    def run_finished(self) -> None:
        """The run ended (completed or not)."""


@dataclass
class StageTally:
    """One stage's totals (None: unknown) and what is done so far."""

    total_articles: int | None = None
    total_sentences: int | None = None
    articles: int = 0
    sentences: int = 0
    failed: int = 0


class TallyObserver(RunObserver):
    """Keeps the counts per stage, in the order the stages started."""

    def __init__(self) -> None:
        self.stages: dict[str, StageTally] = {}
        self.finished = False

    def stage_started(self, stage: str, articles: int | None, sentences: int | None) -> None:
        tally = self.stages.setdefault(stage, StageTally())
        if articles is not None:
            tally.total_articles = (tally.total_articles or 0) + articles
        if sentences is not None:
            tally.total_sentences = (tally.total_sentences or 0) + sentences

    def stage_advanced(self, stage: str, articles: int, sentences: int, failed: int = 0) -> None:
        tally = self.stages.setdefault(stage, StageTally())
        tally.articles += articles
        tally.sentences += sentences
        tally.failed += failed

    def run_finished(self) -> None:
        self.finished = True


_NOBODY = RunObserver()
_active: RunObserver = _NOBODY


def current_observer() -> RunObserver:
    """The observer a command installed with `observing`, else one that does nothing."""
    return _active


@contextmanager
def observing(observer: RunObserver) -> Iterator[RunObserver]:
    """Runs started inside this block (in this process) report to `observer`.

    A module-level hook rather than a parameter: a Prefect flow's parameters are data, so the
    CLI cannot hand an observer through the flow it calls."""
    global _active
    previous, _active = _active, observer
    try:
        yield observer
    finally:
        _active = previous


# --- the rich display ------------------------------------------------------------------------

class RichProgress(TallyObserver):
    """A live rich display: per stage a bar, articles done/total, sentences, rate and ETA."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeRemainingColumn)

        super().__init__()
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]done"),
            TextColumn("{task.description:<10}"),
            BarColumn(bar_width=20),
            TextColumn("{task.fields[done]:>5}/{task.fields[of]} articles, "
                       "{task.fields[sentences]} sentences{task.fields[failed]}"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(compact=True, elapsed_when_finished=True),
            console=self.console, transient=False, refresh_per_second=4)
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _fields(self, stage: str) -> dict[str, Any]:
        t = self.stages[stage]
        return {"done": t.articles, "of": "?" if t.total_articles is None else t.total_articles,
                "sentences": t.sentences,
                "failed": f", [red]{t.failed} failed[/]" if t.failed else "",
                "rate": self._rate(stage)}

    def _rate(self, stage: str) -> str:
        """Articles per second: recent while running, over the stage's time once done."""
        task_id = self._tasks.get(stage)
        task = next((t for t in self.progress.tasks if t.id == task_id), None)
        if task is None:
            return ""
        speed = task.speed
        if speed is None and task.elapsed:
            speed = task.completed / task.elapsed
        return f"{speed:.1f} art/s" if speed else ""

    def stage_started(self, stage: str, articles: int | None, sentences: int | None) -> None:
        super().stage_started(stage, articles, sentences)
        total = self.stages[stage].total_articles
        if stage not in self._tasks:
            self._tasks[stage] = self.progress.add_task(stage, total=total, **self._fields(stage))
        else:
            self.progress.update(self._tasks[stage], total=total, **self._fields(stage))

    def stage_advanced(self, stage: str, articles: int, sentences: int, failed: int = 0) -> None:
        if stage not in self._tasks:
            self.stage_started(stage, None, None)
        super().stage_advanced(stage, articles, sentences, failed)
        tally = self.stages[stage]
        if tally.total_articles is None:  # ingest: its total is what it found
            tally.total_articles = tally.articles + tally.failed
            self.progress.update(self._tasks[stage], total=tally.total_articles)
        self.progress.update(self._tasks[stage], advance=articles + failed)
        self.progress.update(self._tasks[stage], **self._fields(stage))  # the rate after the advance
        self.progress.refresh()


def _console_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if hasattr(h, "console")]


@contextmanager
def cli_display(enabled: bool | None, stream: IO[str] | None = None) -> Iterator[RunObserver]:
    """The CLI's progress display for one command: on, off, or (None) on a terminal only.

    While it shows, Prefect's console lines print above it (through its console) from WARNING
    up; the INFO lines still go to Prefect's own record of the run."""
    stream = stream or sys.stderr
    if enabled is None:
        enabled = auto_enabled(stream)
    if not enabled:
        yield _NOBODY
        return
    from rich.console import Console

    display = RichProgress(Console(file=stream, force_terminal=True))
    saved = [(h, h.console, h.level) for h in _console_handlers()]  # type: ignore[attr-defined]
    for handler, _, level in saved:
        handler.console = display.console  # type: ignore[attr-defined]
        handler.setLevel(max(level, logging.WARNING))
    try:
        with display, observing(display):
            yield display
    finally:
        for handler, console, level in saved:
            handler.console = console  # type: ignore[attr-defined]
            handler.setLevel(level)


def auto_enabled(stream: IO[str]) -> bool:
    """A person is watching: a terminal, not CI, not a dumb terminal."""
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return False
    return not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
