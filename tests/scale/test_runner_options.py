"""Runner options that do not fit together are refused before anything runs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newslens.flows.runners import RunnerOptionError, check_runner_options
from newslens.cli import app


@pytest.mark.parametrize("options, message", [
    (dict(runner="spark"), "unknown runner 'spark'"),
    (dict(runner="local", workers=2), "need --runner dask or ray"),
    (dict(runner="local", address="tcp://h:8786"), "need --runner dask or ray"),
    (dict(runner="dask", address="tcp://h:8786", workers=2), "has its own workers"),
    (dict(runner="dask", workers=0), "--workers must be at least 1"),
    (dict(runner="ray", shard_articles=0), "--shard-articles must be at least 1"),
])
def test_bad_combinations_are_named(options, message):
    full = {"runner": "local", "address": None, "workers": None, "shard_articles": None, **options}
    with pytest.raises(RunnerOptionError, match=message):
        check_runner_options(**full)


def test_good_combinations_pass():
    check_runner_options("local", None, None, 8)
    check_runner_options("dask", None, 2, None)
    check_runner_options("ray", "auto", None, 64)


def test_the_cli_refuses_them_before_the_lake_is_touched(tmp_path, repo_root):
    lake = tmp_path / "lake"
    result = CliRunner().invoke(app, ["run", str(repo_root / "data" / "samples"), "--lake", str(lake),
                                      "--runner", "local", "--workers", "2"])
    assert result.exit_code == 2
    assert "need --runner dask or ray" in result.output
    assert not lake.exists()
