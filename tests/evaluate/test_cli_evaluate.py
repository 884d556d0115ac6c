"""`newslens evaluate` end to end: fixture files, tiny models, the `evaluations` table filled."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sacrebleu
from typer.testing import CliRunner

from newslens.cli import app
from newslens.lake import read_table
from newslens.lake.sql import run_query

pytestmark = pytest.mark.usefixtures("prefect_harness")
runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate"
BOOT = ["--bootstrap", "50"]


def evaluate(lake: Path, models: Path, *args: str, env: dict | None = None):
    return runner.invoke(app, ["evaluate", *args, "--lake", str(lake), "--models", str(models),
                               *BOOT], env=env)


@pytest.fixture(scope="module")
def lake_runs(tmp_path_factory, tiny_models_dir):
    """Every task on its fixture file into one lake (sentiment twice, with another precision)."""
    lake = tmp_path_factory.mktemp("evaluate") / "lake"
    results = {
        "translation": evaluate(lake, tiny_models_dir, "--task", "translation",
                                "--data", str(FIXTURES / "translation.jsonl")),
        "flores": evaluate(lake, tiny_models_dir, "--task", "translation",
                           "--data", str(FIXTURES / "flores.ita_Latn.devtest"),
                           "--data-ref", str(FIXTURES / "flores.eng_Latn.devtest"),
                           "--lang", "ita_Latn", "--name", "flores200-ita", "--limit", "4"),
        "sentiment": evaluate(lake, tiny_models_dir, "--task", "sentiment",
                              "--data", str(FIXTURES / "sentiment.csv")),
        "sentiment-fp32": evaluate(lake, tiny_models_dir, "--task", "sentiment",
                                   "--data", str(FIXTURES / "sentiment.csv"),
                                   env={"NEWSLENS_CLASSIFIER_PRECISION": "fp32"}),
        "stance": evaluate(lake, tiny_models_dir, "--task", "stance",
                           "--data", str(FIXTURES / "stance.csv")),
        "stance-wide": evaluate(lake, tiny_models_dir, "--task", "stance",
                                "--data", str(FIXTURES / "stance_wide.csv"),
                                "--stance-columns", "Target 1:Stance 1,Target 2:Stance 2"),
    }
    return lake, results


def rows_of(lake: Path, dataset: str) -> pd.DataFrame:
    frame = read_table(lake, "evaluations")
    return frame[frame["dataset"] == dataset]


def items_of(rows: pd.DataFrame) -> list[dict]:
    path = Path(rows["items_path"].iloc[0])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_task_runs_and_fills_the_evaluations_table(lake_runs):
    lake, results = lake_runs
    for name, result in results.items():
        assert result.exit_code == 0, f"{name}: {result.output}"
    frame = read_table(lake, "evaluations")
    assert set(frame["task"]) == {"translation", "sentiment", "stance"}
    assert frame["run_id"].nunique() == len(results)
    for col in ("dataset", "dataset_sha256", "model", "model_revision", "settings", "n",
                "seconds", "evaluated_at", "items_path", "run_month"):
        assert frame[col].notna().all(), col
    headline = frame[~frame["metric"].str.startswith("confusion:")]
    assert headline["ci_low"].notna().all() and headline["ci_high"].notna().all()
    assert (headline["ci_low"] <= headline["ci_high"]).all()
    for settings in frame["settings"]:
        assert "device" in json.loads(settings)
    # the lake's read-only SQL sees the table too
    got = run_query(lake, "SELECT count(DISTINCT run_id) AS n FROM evaluations")
    assert int(got["n"].iloc[0]) == len(results)


def test_translation_numbers_are_sacrebleu_on_the_written_hypotheses(lake_runs):
    lake, results = lake_runs
    rows = rows_of(lake, "translation.jsonl")
    items = items_of(rows)
    assert [i["line"] for i in items] == [1, 2, 3, 4, 5]
    assert all(i["hypothesis"] for i in items)
    hyps, refs = [i["hypothesis"] for i in items], [i["reference"] for i in items]
    overall = rows[rows["subset"] == "all"].set_index("metric")
    assert overall.loc["bleu", "value"] == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
    assert overall.loc["chrf", "value"] == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    assert overall.loc["bleu", "signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    # one model per language: subsets name theirs
    by_lang = rows[rows["subset"] == "lang=de"]
    assert set(by_lang["model"]) == {"Helsinki-NLP/opus-mt-de-en"}
    assert set(by_lang["n"]) == {2}
    assert "COMET skipped" in results["translation"].output
    flores = rows_of(lake, "flores200-ita")
    assert set(flores["n"]) == {4} and set(flores["model"]) == {"Helsinki-NLP/opus-mt-it-en"}


def test_sentiment_numbers_agree_with_the_per_item_outputs(lake_runs):
    lake, results = lake_runs
    rows = rows_of(lake, "sentiment.csv")
    first = rows[rows["run_id"] == rows["run_id"].min()]
    items = items_of(first)
    assert len(items) == 6
    for item in items:
        assert item["predicted"] in ("negative", "neutral", "positive")
        assert item["p_negative"] + item["p_neutral"] + item["p_positive"] == pytest.approx(1, abs=1e-4)
    metrics = first.set_index("metric")["value"]
    assert metrics["accuracy"] == pytest.approx(sum(i["correct"] for i in items) / 6)
    confusion = first[first["metric"].str.startswith("confusion:")]
    assert len(confusion) == 9 and confusion["value"].sum() == 6
    wrong = sum(v for m, v in zip(confusion["metric"], confusion["value"])
                if m.split(":")[1].split(">")[0] != m.split(">")[1])
    assert wrong == sum(not i["correct"] for i in items)
    assert "confusion matrix" in results["sentiment"].output
    precisions = {json.loads(s)["classifier_precision"] for s in rows["settings"]}
    assert "fp32" in precisions and len(precisions) == 2  # auto never resolves to fp32 on CPU


def test_stance_metrics_per_target_and_both_macro_f1s(lake_runs):
    lake, _ = lake_runs
    rows = rows_of(lake, "stance.csv")
    overall = set(rows.loc[rows["subset"] == "all", "metric"])
    assert {"accuracy", "f1_favor_against", "macro_f1"} <= overall
    targets = {s for s in rows["subset"] if s.startswith("target=")}
    assert targets == {"target=ukraine", "target=russia", "target=nato", "target=united_states"}
    items = items_of(rows)
    assert {i["predicted"] for i in items} <= {"favor", "against", "none"}
    wide = rows_of(lake, "stance_wide.csv")
    assert set(wide.loc[wide["subset"] == "all", "n"]) == {5}


def test_history_shows_each_metric_across_settings(lake_runs, tiny_models_dir):
    lake, _ = lake_runs
    out = runner.invoke(app, ["evaluate", "--history", "--task", "sentiment", "--lake", str(lake)])
    assert out.exit_code == 0, out.output
    block = out.output.split("sentiment / sentiment.csv")[1:]
    accuracy = next(b for b in block if "/ all / accuracy" in b)
    lines = [l for l in accuracy.splitlines() if "cardiffnlp" in l]
    assert len(lines) == 2  # two runs, two settings keys
    assert len({l.split("settings ")[1].split()[0] for l in lines}) == 2
    assert "translation" not in out.output.split("settings keys:")[0]
    everything = runner.invoke(app, ["evaluate", "--history", "--subsets", "--lake", str(lake)])
    assert "target=nato" in everything.output and "lang=it" in everything.output


def test_bad_data_is_a_clear_error_and_writes_nothing(tmp_path, tiny_models_dir):
    lake = tmp_path / "lake"
    bad = tmp_path / "bad.csv"
    bad.write_text("text,target,label\nA.,Russia,favor\nB.,Russia,perhaps\n", encoding="utf-8")
    result = evaluate(lake, tiny_models_dir, "--task", "stance", "--data", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.output and "unknown label 'perhaps'" in result.output
    assert read_table(lake, "evaluations").empty


def test_missing_models_stop_before_anything_is_written(tmp_path):
    lake, empty = tmp_path / "lake", tmp_path / "no-models"
    empty.mkdir()
    result = evaluate(lake, empty, "--task", "sentiment", "--data", str(FIXTURES / "sentiment.csv"))
    assert result.exit_code == 2, result.output
    assert "cardiffnlp/twitter-xlm-roberta-base-sentiment" in result.output
    assert read_table(lake, "evaluations").empty
    assert not (tmp_path / "evaluations").exists()
