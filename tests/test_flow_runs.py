"""The `analyze-articles` flow as the nightly inbox run uses it: incremental, failure-tolerant,
reporting through Prefect artifacts. Tiny models; the flow function is called directly."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newslens.flows.analyze import analyze_articles
from newslens.lake import read_table, table_row_counts

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
# Four unrelated samples (no duplicates among them) in three languages.
IT, EN, DE, UK = ("01_it_mosca_pyongyang_manovre.txt", "05_en_beijing_washington_chips.txt",
                  "09_de_peking_elektro_lkw.txt", "12_uk_kyiv_es_transh.txt")
EN_MARKER = "chipmaking"  # a word only the EN sample has


def drop(inbox: Path, sample: str, name: str | None = None) -> Path:
    """Put a sample article into the inbox (under another name when given)."""
    inbox.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(SAMPLES / sample, inbox / (name or sample)))


def nightly(inbox: Path, lake: Path, models: Path, **kw) -> dict:
    return analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(models),
                            incremental=True, **kw)


def last_run(lake: Path) -> pd.Series:
    return read_table(lake, "runs").sort_values("started_at").iloc[-1]


def sources(lake: Path) -> set[str]:
    return {Path(uri).name for uri in read_table(lake, "articles")["source_uri"]}


def test_incremental_inbox_reads_only_new_or_changed_files(tmp_path, tiny_models_dir):
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    drop(inbox, IT)
    drop(inbox, EN)

    first = nightly(inbox, lake, tiny_models_dir)
    assert (first["status"], first["n_inputs"], first["n_new"]) == ("completed", 2, 2)
    assert sources(lake) == {IT, EN}
    counts = table_row_counts(lake)

    # Nothing new: no inputs at all, nothing written, but the run is on record.
    idle = nightly(inbox, lake, tiny_models_dir)
    assert (idle["n_inputs"], idle["n_new"], idle["n_duplicate"]) == (0, 0, 0)
    after = table_row_counts(lake)
    for table in ("articles", "sentences", "sentiment", "stance", "rejects", "input_files"):
        assert after[table] == counts[table], table
    assert after["runs"] == counts["runs"] + 1
    run = last_run(lake)
    assert run["run_id"] == idle["run_id"]
    assert (run["status"], run["n_inputs"], run["n_new"]) == ("completed", 0, 0)

    # A third file: only it is read.
    drop(inbox, DE)
    third = nightly(inbox, lake, tiny_models_dir)
    assert (third["n_inputs"], third["n_new"]) == (1, 1)
    assert sources(lake) == {IT, EN, DE}

    # Same name, new content: read again (files are known by content, not by name).
    drop(inbox, UK, name=EN)
    changed = nightly(inbox, lake, tiny_models_dir)
    assert (changed["n_inputs"], changed["n_new"]) == (1, 1)
    articles = read_table(lake, "articles")
    assert len(articles) == 4
    assert (articles["source_uri"].map(lambda u: Path(u).name) == EN).sum() == 2
    assert "uk" in set(articles["lang"])
    assert len(read_table(lake, "input_files")) == 4


def _failing_write(*args, **kwargs):
    raise OSError("disk full (simulated)")


@pytest.mark.parametrize("failure", ["models-missing", "write-fails"])
def test_failed_run_files_are_picked_up_again(failure, tmp_path, tiny_models_dir, monkeypatch):
    """A run that fails marks nothing as read, so the next nightly run takes the files again."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    import newslens.tasks.stages

    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    drop(inbox, IT)
    drop(inbox, EN)
    models = tiny_models_dir
    if failure == "models-missing":
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        models = tmp_path / "no-models"
        models.mkdir()
    else:  # the write stage fails after the models ran (no retries, to keep the test short)
        monkeypatch.setitem(newslens.tasks.stages.TASKS, "write",
                            task(_failing_write, name="write", retries=0, cache_policy=NO_CACHE))

    with pytest.raises(Exception):
        nightly(inbox, lake, models)
    if lake.exists():
        assert table_row_counts(lake)["articles"] == 0
        assert len(read_table(lake, "input_files")) == 0
    if failure == "write-fails":
        run = last_run(lake)
        assert run["status"] == "failed" and "disk full" in run["error"]

    monkeypatch.undo()
    retry = nightly(inbox, lake, tiny_models_dir)
    assert (retry["status"], retry["n_inputs"], retry["n_new"]) == ("completed", 2, 2)
    assert sources(lake) == {IT, EN}
    assert nightly(inbox, lake, tiny_models_dir)["n_inputs"] == 0


def test_one_failing_article_is_rejected_and_the_rest_written(tmp_path, tiny_models_dir,
                                                              monkeypatch):
    import newslens.pipeline.model_steps as model_steps

    real = model_steps.sentiment_rows

    def sentiment_rows(sentences: pd.DataFrame, *args, **kwargs):
        if sentences["text"].str.contains(EN_MARKER).any():
            raise RuntimeError("classifier exploded on this article")
        return real(sentences, *args, **kwargs)

    monkeypatch.setattr(model_steps, "sentiment_rows", sentiment_rows)
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    for sample in (IT, EN, DE):
        drop(inbox, sample)

    summary = nightly(inbox, lake, tiny_models_dir)

    assert summary["status"] == "completed"
    assert (summary["n_inputs"], summary["n_new"], summary["n_rejected"]) == (3, 2, 1)
    assert summary["n_inputs"] == summary["n_new"] + summary["n_duplicate"] + summary["n_rejected"]
    assert sources(lake) == {IT, DE}
    rejects = read_table(lake, "rejects")
    assert len(rejects) == 1
    reject = rejects.iloc[0]
    assert (reject["stage"], reject["reason"]) == ("sentiment", "model_error")
    assert Path(reject["source_uri"]).name == EN
    assert "classifier exploded" in reject["detail"]
    assert pd.notna(reject["article_id"])
    # the written articles have all their results; the rejected one left nothing behind
    for table in ("sentences", "sentiment", "stance"):
        ids = set(read_table(lake, table)["article_id"])
        assert reject["article_id"] not in ids, table
        assert ids == set(read_table(lake, "articles")["article_id"]), table
    run = last_run(lake)
    assert (run["n_new"], run["n_rejected"]) == (2, 1)
    # the rejected article's file is not marked as read: the next nightly run retries it
    read_files = {Path(u).name for u in read_table(lake, "input_files")["source_uri"]}
    assert read_files == {IT, DE}
    monkeypatch.undo()
    retry = nightly(inbox, lake, tiny_models_dir)
    assert (retry["n_inputs"], retry["n_new"], retry["n_rejected"]) == (1, 1, 0)
    assert sources(lake) == {IT, EN, DE}


def test_a_stage_failing_for_every_article_fails_the_run(tmp_path, tiny_models_dir, monkeypatch):
    import newslens.pipeline.model_steps as model_steps

    def broken(*args, **kwargs):
        raise RuntimeError("model misconfigured")

    monkeypatch.setattr(model_steps, "sentiment_rows", broken)
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    for sample in (IT, EN):
        drop(inbox, sample)
    with pytest.raises(RuntimeError, match="model misconfigured"):
        nightly(inbox, lake, tiny_models_dir)
    run = last_run(lake)
    assert run["status"] == "failed" and "model misconfigured" in run["error"]
    assert table_row_counts(lake)["input_files"] == 0 and table_row_counts(lake)["articles"] == 0


def test_flow_run_publishes_progress_and_summary_artifacts(tmp_path, tiny_models_dir):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    drop(inbox, IT)
    drop(inbox, DE)
    state = analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(tiny_models_dir),
                             return_state=True)
    assert state.is_completed()
    flow_run_id = state.state_details.flow_run_id
    run_id = state.result()["run_id"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    by_type = {a.type: a for a in artifacts}
    assert set(by_type) >= {"progress", "table", "markdown"}
    assert by_type["progress"].key == "newslens-progress"
    assert float(by_type["progress"].data) == pytest.approx(100.0)
    assert by_type["table"].key == "newslens-run-summary"
    assert run_id in by_type["table"].description
    assert "2" in str(by_type["table"].data)
    assert by_type["markdown"].key == "newslens-run-report" and by_type["markdown"].data
    assert str(flow_run_id) == read_table(lake, "runs").iloc[0]["flow_run_id"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("api_url", [None, "dead"])
def test_serve_explains_what_to_start_without_a_server(api_url, monkeypatch):
    """`newslens serve` never falls back to the ephemeral API, where nothing is scheduled."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from newslens.cli import app

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    url = f"http://127.0.0.1:{_free_port()}/api" if api_url else None
    overrides = {PREFECT_API_URL: url} if url else {}
    with temporary_settings(overrides, restore_defaults=set() if url else {PREFECT_API_URL}):
        result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1, result.output
    assert "prefect server start" in result.output
    assert "PREFECT_API_URL" in result.output
    assert (url or "PREFECT_API_URL is unset") in result.output


def test_flow_reprocess_clean_recleans_through_its_task(tmp_path, tiny_models_dir):
    """Every stage the runner calls has its Prefect task: re-cleaning stored articles (and
    the model stages that follow) runs inside the flow."""
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    drop(inbox, IT)
    analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(tiny_models_dir))
    redo = analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(tiny_models_dir),
                            reprocess=["clean"])
    assert redo["status"] == "completed", redo
    assert redo["stage_counts"]["clean"]["reprocessed"] == 1
    assert redo["stage_counts"]["translate"]["reprocessed"] == 1  # it reads the re-cleaned text
    assert read_table(lake, "sentences")["text_en"].notna().all()


def test_the_flow_binds_a_remote_lake_from_the_environment(tmp_path, tiny_models_dir, monkeypatch):
    """A deployment configured through NEWSLENS_LAKE_CATALOG/_DATA writes that lake, never a
    local one in the folder (here the catalog is unreachable, so the run stops at it)."""
    monkeypatch.setenv("NEWSLENS_LAKE_CATALOG", "postgresql://newslens@127.0.0.1:1/newslens")
    monkeypatch.setenv("NEWSLENS_LAKE_DATA", "s3://newslens-test/lake")
    inbox, lake = tmp_path / "inbox", tmp_path / "lake"
    drop(inbox, IT)
    with pytest.raises(Exception):
        analyze_articles(input=str(inbox), lake=str(lake), models_dir=str(tiny_models_dir))
    assert (lake / "location.json").is_file()
    assert not (lake / "catalog.sqlite").exists()
