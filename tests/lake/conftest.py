"""Fixtures for the lake tests: an empty lake path and a lake with a few articles written."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslens.lake import write_table
from tests.lake.frames import articles_frame, sentiment_frame, stance_frame


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture
def filled_lake(lake: Path) -> Path:
    """A lake holding articles, sentiment and stance for the three articles."""
    write_table(lake, "articles", articles_frame(), run_id="r1")
    write_table(lake, "sentiment", sentiment_frame(), run_id="r1")
    write_table(lake, "stance", stance_frame(), run_id="r1")
    return lake
