"""What a run reports while it runs: the observer's counts and the rich display."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from rich.console import Console

from newslens.config import Settings
from newslens.pipeline.runner import run_pipeline, update_lake
from newslens.progress import RichProgress, RunObserver, TallyObserver, current_observer, observing

# Three languages and a near duplicate (15 updates 04), so one stage computes more articles
# than the run stores as new.
SAMPLES = ("01_it_mosca_pyongyang_manovre.txt", "04_en_nato_baltic_drills.txt",
           "06_fr_bruxelles_pekin_sanctions.txt", "15_en_nato_baltic_drills_update.txt")


@pytest.fixture(scope="module")
def observed_run(tmp_path_factory, tiny_models_dir, repo_root):
    inbox = tmp_path_factory.mktemp("progress-inbox")
    for name in SAMPLES:
        shutil.copy(repo_root / "data" / "samples" / name, inbox / name)
    lake = tmp_path_factory.mktemp("progress") / "lake"
    settings = Settings(lake=lake, models_dir=tiny_models_dir, batch_articles=2)
    out = StringIO()
    display = RichProgress(Console(file=out, force_terminal=True, width=160))
    with display, observing(display):
        summary = run_pipeline(inbox, settings, stages=["ingest", "translate", "sentiment", "stance"])
    return summary, display, out.getvalue(), settings


def test_observer_counts_add_up_to_the_run_summary(observed_run):
    summary, seen, _, _ = observed_run
    assert summary.status == "completed" and seen.finished
    assert list(seen.stages) == ["ingest", "clean", "translate", "sentiment", "stance"]
    ingest = seen.stages["ingest"]
    assert ingest.articles == summary.n_new + summary.n_near_duplicate == 4
    assert ingest.failed == summary.n_rejected
    assert ingest.sentences == summary.n_sentences
    assert set(summary.stage_counts) == set(seen.stages) - {"ingest"}
    for stage, counts in summary.stage_counts.items():
        tally = seen.stages[stage]
        assert tally.articles == counts["computed"] == 4, stage
        assert tally.failed == counts["failed"] == 0, stage
        assert tally.total_articles == counts["computed"] + counts["failed"], stage
        assert tally.sentences == tally.total_sentences == summary.n_sentences > 0, stage


def test_rich_display_renders_the_stages_and_their_counts(observed_run):
    summary, _, rendered, _ = observed_run
    for stage in ("ingest", "translate", "sentiment", "stance"):
        assert stage in rendered
    assert "4/4 articles" in rendered
    assert f"{summary.n_sentences} sentences" in rendered
    assert "art/s" in rendered


def test_an_update_reports_the_stages_it_redoes(observed_run):
    summary, _, _, settings = observed_run
    seen = TallyObserver()
    with observing(seen):
        again = update_lake(settings, stages=["sentiment"], reprocess=["sentiment"])
    assert list(seen.stages) == ["sentiment"]
    assert seen.stages["sentiment"].articles == again.stage_counts["sentiment"]["computed"] == 4
    assert seen.stages["sentiment"].sentences == summary.n_sentences


def test_nobody_listens_by_default():
    assert type(current_observer()) is RunObserver
    seen = TallyObserver()
    with observing(seen):
        assert current_observer() is seen
    assert type(current_observer()) is RunObserver


def test_failed_articles_show_as_failed():
    out = StringIO()
    display = RichProgress(Console(file=out, force_terminal=True, width=160))
    with display:
        display.stage_started("sentiment", 3, 30)
        display.stage_advanced("sentiment", 2, 20, failed=1)
    assert "2/3 articles, 20 sentences" in out.getvalue() and "1 failed" in out.getvalue()
    assert display.stages["sentiment"].failed == 1
