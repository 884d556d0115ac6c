"""`newslens update`, `newslens lake ...` and `newslens sql --at` through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.lake import read_table, run_query
from newslens.lake.maintenance import catalog_files

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def ingested(tmp_path: Path, repo_root: Path) -> Path:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for src in sorted((repo_root / "data" / "samples").glob("*.txt"))[:2]:
        shutil.copy(src, inbox / src.name)
    lake = tmp_path / "lake"
    result = runner.invoke(app, ["run", str(inbox), "--lake", str(lake), "--stages", "ingest"])
    assert result.exit_code == 0, result.output
    return lake


def test_commands_on_a_missing_lake_fail_and_create_nothing(tmp_path: Path) -> None:
    lake = tmp_path / "none"
    for args in (["update"], ["lake", "compact"], ["lake", "files"], ["lake", "setup-sql"]):
        result = runner.invoke(app, [*args, "--lake", str(lake)])
        assert result.exit_code == 1 and "no lake at" in result.output, args
    assert runner.invoke(app, ["sql", "SELECT 1", "--lake", str(lake)]).exit_code == 2
    assert not lake.exists()
    assert runner.invoke(app, ["update", "--lake", str(lake), "--since", "2025-13"]).exit_code == 2


def test_update_fills_the_stages_an_ingest_run_left_out(ingested: Path, tiny_models_dir: Path) -> None:
    result = runner.invoke(app, ["update", "--lake", str(ingested), "--models", str(tiny_models_dir),
                                 "--stages", "sentiment"])
    assert result.exit_code == 0, result.output
    n = len(read_table(ingested, "articles"))
    assert f"stage [sentiment] computed / up to date / failed        {n} / 0 / 0" in result.output
    assert (read_table(ingested, "sentiment")["level"] == "article").sum() == n
    [update] = read_table(ingested, "runs").query("kind == 'update'").to_dict("records")
    assert update["status"] == "completed" and pd.isna(update["input"])
    # --at the update's predecessor: no sentiment then.
    before = read_table(ingested, "runs").query("kind == 'run'")["run_id"].iloc[0]
    at = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM sentiment", "--lake", str(ingested),
                             "--at", before, "--format", "csv"])
    assert at.exit_code == 0 and at.stdout.split() == ["n", "0"], at.output
    bad = runner.invoke(app, ["sql", "SELECT 1", "--lake", str(ingested), "--at", "no-such-run"])
    assert bad.exit_code == 1 and "neither a run id" in bad.output


def test_lake_compact_files_and_setup_sql(ingested: Path) -> None:
    files = runner.invoke(app, ["lake", "files", "--lake", str(ingested)])
    assert files.exit_code == 0
    assert sorted(files.stdout.split()) == sorted(map(str, catalog_files(ingested)))
    assert runner.invoke(app, ["lake", "files", "--stray", "--lake", str(ingested)]).stdout == ""
    compacted = runner.invoke(app, ["lake", "compact", "--lake", str(ingested), "--retention-days", "0"])
    assert compacted.exit_code == 0 and "snapshots_expired" in compacted.stdout
    assert run_query(ingested, "SELECT count(*) AS n FROM articles").n[0] == len(read_table(ingested, "articles"))
    setup = runner.invoke(app, ["lake", "setup-sql", "--lake", str(ingested)])
    assert "(READ_ONLY)" in setup.stdout and "article_overview" in setup.stdout


def test_lake_migrate_cli(tmp_path: Path, ingested: Path) -> None:
    old = tmp_path / "old"
    folder = old / "articles" / "published_month=2024-07"
    folder.mkdir(parents=True)
    frame = read_table(ingested, "articles").drop(columns=["published_month"]).head(1)
    frame.to_parquet(folder / "part-r1-0000.parquet", index=False)
    result = runner.invoke(app, ["lake", "migrate", str(old), "--lake", str(tmp_path / "new")])
    assert result.exit_code == 0 and "articles             1 rows added" in result.stdout, result.output
    again = runner.invoke(app, ["lake", "migrate", str(old), "--lake", str(tmp_path / "new")])
    assert "0 rows added" in again.stdout
    refused = runner.invoke(app, ["lake", "migrate", str(tmp_path / "nope"), "--lake", str(tmp_path / "new")])
    assert refused.exit_code == 1 and "no old lake" in refused.output
