"""What `newslens` prints: no library noise, one missing-models error, headers and notes.

The noise and the error are checked on a real `newslens run` in a fresh process, reading its
stderr as a terminal user would see it: in-process, cached models would load no weights and
the tokenizer would have warned already, and Prefect's console handler writes to the stream it
found at start-up, not to a test runner's capture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslens.cli import EXIT_MODELS_MISSING, app, skipped_model_stages
from newslens.config import Settings
from newslens.lake import read_table

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "samples" / "01_it_mosca_pyongyang_manovre.txt"


@pytest.fixture
def api_env(prefect_harness) -> dict[str, str]:
    """The session's Prefect API for a child process (it starts no temporary server of its own)."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


def _newslens(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    env.pop("NEWSLENS_MODELS_DIR", None)
    return subprocess.run([sys.executable, "-m", "newslens.cli", *args], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=300)


@pytest.mark.slow
def test_a_run_prints_no_library_noise(tmp_path, tiny_models_dir, api_env):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # One run-on sentence of 400 words: more tokens than the models' 512, which the
    # translator's splitter handles (and the tokenizer would warn about while counting them).
    words = "il governo di Roma discute con Mosca delle sanzioni economiche e del gas".split()
    long = " ".join(words[i % len(words)] for i in range(400))
    (inbox / "02_it_long.txt").write_text(f"Un titolo\n\n{long}.\n", encoding="utf-8")
    lake = tmp_path / "lake"
    done = _newslens("run", str(inbox), "--lake", str(lake), "--models", str(tiny_models_dir),
                     "--no-progress", env={**api_env, "NEWSLENS_MAX_SENTENCE_CHARS": "20000"})
    assert done.returncode == 0, done.stderr[-3000:]
    sentences = read_table(lake, "sentences")
    assert sentences["text"].str.len().max() > 2_000  # the long input did reach the models
    assert sentences["text_en"].notna().all()
    output = done.stdout + done.stderr
    for noise in ("Loading weights", "Token indices sequence length", "sacremoses"):
        assert noise not in output, f"{noise!r} in:\n{done.stderr[-3000:]}"


@pytest.mark.slow
def test_missing_models_are_reported_once_with_the_offline_options(tmp_path, api_env):
    empty = tmp_path / "empty-models"
    empty.mkdir()
    done = _newslens("run", str(SAMPLE), "--lake", str(tmp_path / "lake"), "--models", str(empty),
                     env={**api_env, "HF_HUB_OFFLINE": "1"})
    assert done.returncode == EXIT_MODELS_MISSING, done.stderr[-3000:]
    err = done.stderr
    settings = Settings()
    wanted = [settings.translation_routes.get("it") or "opus-mt-it-en", settings.sentiment_model,
              settings.stance_model]
    for model_id in wanted:
        assert err.count(f"model '{model_id}'") == 1, err
    assert err.count("is not available locally") == 3, err
    assert "Traceback" not in err and "ModelsMissingError" not in err
    for option in ("--stages ingest", "make demo", "--models DIR"):
        assert option in err, err


def test_models_list_starts_with_a_header(tiny_models_dir):
    result = CliRunner().invoke(app, ["models", "list", "--models", str(tiny_models_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ROLE", "LOCAL", "MODEL", "WHERE"]
    assert lines[1].split()[:2] in (["translation", "yes"], ["sentiment", "yes"], ["stance", "yes"])
    assert sum(line.startswith("ROLE") for line in lines) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_an_ingest_only_summary_says_why_the_model_tables_are_empty(tmp_path):
    lake = tmp_path / "lake"
    result = CliRunner().invoke(app, ["run", str(SAMPLE), "--lake", str(lake), "--stages", "ingest"])
    assert result.exit_code == 0, result.output
    assert ("model stages not run: translate, sentiment, stance (--stages ingest)"
            in result.output), result.output
    assert f"newslens update --lake {lake}" in result.output


def test_only_the_left_out_model_stages_are_named():
    assert skipped_model_stages(["ingest", "translate", "sentiment", "stance"], []) == []
    assert skipped_model_stages(["ingest", "translate"], []) == ["sentiment", "stance"]
    assert skipped_model_stages(["ingest"], ["sentiment"]) == ["translate", "stance"]


@pytest.mark.usefixtures("prefect_harness")
def test_progress_shows_when_forced_and_not_by_default(tmp_path):
    args = ["run", str(SAMPLE), "--stages", "ingest"]
    forced = CliRunner().invoke(app, [*args, "--lake", str(tmp_path / "a"), "--progress"])
    assert forced.exit_code == 0, forced.output
    assert "ingest" in forced.output and "1/1 articles" in forced.output
    plain = CliRunner().invoke(app, [*args, "--lake", str(tmp_path / "b")])  # not a terminal
    assert plain.exit_code == 0, plain.output
    assert "1/1 articles" not in plain.output
