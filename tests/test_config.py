"""One precedence for every setting: a CLI option (or flow parameter) > NEWSLENS_<FIELD> > default.

The CLI runs go through `newslens run` and `newslens sql` and read back what the run recorded
(runs.config is the Settings the run used), so an option default that hides the environment,
or a second place reading it, makes them fail.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.config import PROJECT_ROOT, Settings, load_settings
from newslens.lake import read_table
from newslens.lake.connection import lake_exists
from newslens.models.loading import folder_name

runner = CliRunner()
SAMPLE = "05_en_beijing_washington_chips.txt"


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No NEWSLENS_ setting from the caller's shell; the working directory is a fresh folder."""
    import os

    for name in [n for n in os.environ if n.startswith("NEWSLENS_") and n != "NEWSLENS_CACHE_DIR"]:
        monkeypatch.delenv(name)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def inbox(tmp_path, repo_root) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(repo_root / "data" / "samples" / SAMPLE, folder / SAMPLE)
    return folder


def _run(*args: str) -> None:
    result = runner.invoke(app, ["run", *args, "--stages", "ingest"])
    assert result.exit_code == 0, result.output


def _recorded(lake: Path) -> dict:
    """The Settings of the lake's one run, as runs.config recorded them."""
    [config] = read_table(lake, "runs")["config"].tolist()
    return json.loads(config)


@pytest.mark.usefixtures("prefect_harness")
def test_run_takes_options_over_the_environment_over_defaults(clean_env, inbox, tmp_path,
                                                              monkeypatch):
    # Default: data/lake under the working directory, 64 articles a batch, no models folder.
    _run(str(inbox))
    default_lake = clean_env / "data" / "lake"
    assert lake_exists(default_lake)
    config = _recorded(default_lake)
    assert (config["batch_articles"], config["models_dir"]) == (64, None)

    # The environment, with no options: the run writes where NEWSLENS_LAKE says.
    env_lake, env_models = tmp_path / "env-lake", tmp_path / "env-models"
    monkeypatch.setenv("NEWSLENS_LAKE", str(env_lake))
    monkeypatch.setenv("NEWSLENS_MODELS_DIR", str(env_models))
    monkeypatch.setenv("NEWSLENS_BATCH_ARTICLES", "7")
    _run(str(inbox))
    config = _recorded(env_lake)
    assert (config["lake"], config["batch_articles"], config["models_dir"]) == (
        str(env_lake), 7, str(env_models))

    # Options win over the same environment; the environment's lake is not touched again.
    flag_lake, flag_models = tmp_path / "flag-lake", tmp_path / "flag-models"
    _run(str(inbox), "--lake", str(flag_lake), "--models", str(flag_models),
         "--shard-articles", "5")
    config = _recorded(flag_lake)
    assert (config["lake"], config["batch_articles"], config["models_dir"]) == (
        str(flag_lake), 5, str(flag_models))
    assert len(read_table(env_lake, "runs")) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_sql_finds_the_lake_by_option_then_environment_then_default(clean_env, inbox, tmp_path,
                                                                    monkeypatch):
    lake = tmp_path / "lake"
    _run(str(inbox), "--lake", str(lake))
    query = ["sql", "SELECT count(*) AS n FROM articles", "--format", "csv"]

    # Default data/lake does not exist in the working directory: refused, nothing created.
    result = runner.invoke(app, query)
    assert result.exit_code == 2 and "no lake at data/lake" in result.output
    assert not (clean_env / "data").exists()

    monkeypatch.setenv("NEWSLENS_LAKE", str(lake))
    result = runner.invoke(app, query)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["n", "1"]

    # An option naming a missing lake wins over the environment's good one.
    missing = tmp_path / "missing"
    result = runner.invoke(app, [*query, "--lake", str(missing)])
    assert result.exit_code == 2 and str(missing) in result.output
    monkeypatch.setenv("NEWSLENS_LAKE", str(missing))
    assert runner.invoke(app, [*query, "--lake", str(lake)]).exit_code == 0


def test_models_list_reads_the_models_folder_once_with_the_same_precedence(clean_env, tmp_path,
                                                                           monkeypatch):
    """An incomplete model folder is named in `models list`: it shows which folder was used."""
    env_dir, flag_dir = tmp_path / "env-models", tmp_path / "flag-models"
    sentiment = Settings().sentiment_model
    for folder in (env_dir, flag_dir):
        (folder / folder_name(sentiment)).mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))

    def sentiment_line(*args: str) -> str:
        result = runner.invoke(app, ["models", "list", *args])
        assert result.exit_code == 0, result.output
        return next(line for line in result.output.splitlines() if sentiment in line)

    assert str(env_dir) not in sentiment_line() and str(flag_dir) not in sentiment_line()
    monkeypatch.setenv("NEWSLENS_MODELS_DIR", str(env_dir))
    assert str(env_dir) in sentiment_line()
    line = sentiment_line("--models", str(flag_dir))
    assert str(flag_dir) in line and str(env_dir) not in line


def test_load_settings_overrides_env_and_none_means_unset(clean_env, monkeypatch):
    assert load_settings().batch_articles == 64
    monkeypatch.setenv("NEWSLENS_BATCH_ARTICLES", "9")
    monkeypatch.setenv("NEWSLENS_LAKE", "env/lake")
    assert (load_settings().batch_articles, load_settings().lake) == (9, Path("env/lake"))
    assert load_settings(batch_articles=None, lake=None).batch_articles == 9
    given = load_settings(batch_articles=3, lake=Path("flag/lake"))
    assert (given.batch_articles, given.lake) == (3, Path("flag/lake"))


def test_targets_file_resolves_in_config(clean_env, tmp_path, monkeypatch):
    # Default data/targets.yaml, absent from the working directory: the project's own file.
    assert Settings().targets_file == PROJECT_ROOT / "data" / "targets.yaml"
    assert Settings().targets_file.is_file()
    # A file at that relative path in the working directory comes first (kept relative).
    (clean_env / "data").mkdir()
    (clean_env / "data" / "targets.yaml").write_text("targets: []\n", encoding="utf-8")
    assert Settings().targets_file == Path("data/targets.yaml")
    # The environment over the default, an option over the environment; a missing relative
    # path that the project does not hold either stays as given (the stage then names it).
    env_file = tmp_path / "env.yaml"
    monkeypatch.setenv("NEWSLENS_TARGETS_FILE", str(env_file))
    assert load_settings().targets_file == env_file
    assert load_settings(targets_file=Path("nowhere.yaml")).targets_file == Path("nowhere.yaml")
