"""`auto` by measurement: the choice rule, the cache, the real classifiers and `newslens tune`."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from newslens.models import calibration, calibration_measure, classify, engines
from newslens.models.calibration import Probe, Row, calibrate, choose, resolve_auto
from newslens.models.engines import classifier_builder
from newslens.models.options import ClassifierOptions
from newslens.models.loading import ResolvedModel, folder_name, resolve, write_metadata

FINGERPRINT = {"cpu": "Test CPU", "flags": ["avx2"], "cores": 2, "torch": "x", "onnxruntime": "y"}
PROBE = Probe(texts=tuple(f"sentence {i}" for i in range(64)), repeats=2, budget_s=1.0)


class Fake:
    """predict_proba that takes `delay` seconds and flips the label of the first `flips` rows."""

    def __init__(self, delay: float, flips: int = 0) -> None:
        self.delay, self.flips = delay, flips

    def predict_proba(self, texts, text_pairs=None, *, group_size=1):
        time.sleep(self.delay)
        labels = np.arange(len(texts)) % 3
        labels[: self.flips] = (labels[: self.flips] + 1) % 3
        return np.eye(3, dtype=np.float32)[labels]


class Builds:
    """A `build` that hands out fakes and counts what it was asked for."""

    def __init__(self, fakes: dict[str, Fake]) -> None:
        self.fakes, self.calls = fakes, []

    def __call__(self, precision: str) -> Fake:
        self.calls.append(precision)
        return self.fakes[precision]


def fake_model(tmp_path, hidden: int = 32) -> ResolvedModel:
    folder = tmp_path / f"model-h{hidden}"
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text(json.dumps({
        "model_type": "xlm-roberta", "hidden_size": hidden, "num_hidden_layers": 2,
        "vocab_size": 1000, "id2label": {"0": "negative", "1": "neutral", "2": "positive"}}))
    return ResolvedModel("org/fake", folder)


@pytest.fixture(autouse=True)
def every_candidate_runs(monkeypatch):
    """Fake builds need no onnxruntime or native bf16; the real-path tests undo this."""
    monkeypatch.setattr(calibration_measure, "skip_reason", lambda precision, device: None)
    monkeypatch.setattr(calibration, "_CHOSEN", {})


def test_fastest_qualifying_wins_and_a_fast_disagreeing_one_is_rejected(tmp_path):
    builds = Builds({"fp32": Fake(0.04), "int8": Fake(0.002, flips=10), "onnx-int8": Fake(0.012),
                     "bf16": Fake(0.025, flips=1)})
    result = calibrate(fake_model(tmp_path), candidates=("fp32", "bf16", "int8", "onnx-int8"),
                       build=builds, cache_dir=tmp_path / "cache", probe=PROBE,
                       fingerprint=FINGERPRINT)
    rows = {r.precision: r for r in result.rows}
    assert result.choice == "onnx-int8"
    assert rows["int8"].ratio > rows["onnx-int8"].ratio > rows["bf16"].ratio > 1.2  # int8 fastest
    assert not rows["int8"].qualified and rows["int8"].agreement == pytest.approx(54 / 64, abs=1e-4)
    assert "agree" in rows["int8"].reason
    assert rows["bf16"].qualified and rows["bf16"].agreement == pytest.approx(63 / 64, abs=1e-4)  # >= 0.98
    assert rows["fp32"].ratio == 1.0 and rows["fp32"].agreement == 1.0
    assert sorted(builds.calls) == ["bf16", "fp32", "int8", "onnx-int8"]

    # The same int8, agreeing: now it is chosen, so the rejection above was for its labels.
    builds = Builds({"fp32": Fake(0.04), "int8": Fake(0.002), "onnx-int8": Fake(0.012)})
    again = calibrate(fake_model(tmp_path), candidates=("fp32", "int8", "onnx-int8"),
                      build=builds, cache_dir=tmp_path / "cache", probe=PROBE,
                      fingerprint=FINGERPRINT, force=True)
    assert again.choice == "int8"


def test_choice_rule_is_fp32_unless_a_qualifying_candidate_beats_it():
    rows = [Row("fp32", 100.0, 1.0, 1.0, True), Row("int8", 103.0, 1.03, 1.0, True),
            Row("bf16", None, reason="no native bf16"), Row("onnx-int8", 400.0, 4.0, 0.9, False)]
    assert choose(rows) == "fp32"  # 3% is noise (MIN_GAIN), the 4x one disagrees
    rows.append(Row("onnx-fp32", 150.0, 1.5, 1.0, True))
    assert choose(rows) == "onnx-fp32"
    assert choose(rows, ("fp32", "int8")) == "fp32"  # only among the candidates asked for


def test_stance_labels_must_agree_too_not_only_the_nli_rows():
    class Nli:
        id2label = {0: "entailment", 1: "neutral", 2: "contradiction"}

        def __init__(self, order):
            self.order = order

        def predict_logits(self, texts, text_pairs=None, *, group_size=1):
            out = np.zeros((len(texts), 3), dtype=np.float32)
            out[:, 1] = 10.0  # every row: neutral, whatever the precision
            out[:, 0] = np.tile(self.order, len(texts) // 3)  # which hypothesis is entailed most
            return out

        predict_proba = predict_logits

    probe = Probe(texts=("p",) * 30, pairs=("h",) * 30, group_size=3, repeats=1)
    rows = calibration_measure.measure(
        {"fp32": Nli([3.0, 2.0, 1.0]), "int8": Nli([1.0, 2.0, 3.0])}.__getitem__,
        ("fp32", "int8"), probe, "cpu")
    assert not rows[1].qualified and rows[1].agreement == 0.0


def test_cache_is_written_and_reused_and_a_new_fingerprint_or_architecture_remeasures(tmp_path):
    fakes = {"fp32": Fake(0.01), "int8": Fake(0.001)}
    cache = tmp_path / "cache"
    model = fake_model(tmp_path)
    first = Builds(fakes)
    made = calibrate(model, candidates=("fp32", "int8"), build=first, cache_dir=cache,
                     probe=PROBE, fingerprint=FINGERPRINT)
    assert made.choice == "int8" and not made.reused and len(first.calls) == 2
    assert made.cache_path.parent == cache / "calibration"
    stored = json.loads(made.cache_path.read_text())
    assert stored["fingerprint"] == FINGERPRINT
    entry = stored["entries"][made.entry]
    assert entry["choice"] == "int8" and entry["architecture"] == "xlm-roberta-h32-l2-v1000"
    assert {r["precision"] for r in entry["rows"]} == {"fp32", "int8"}

    second = Builds(fakes)
    reused = calibrate(model, candidates=("fp32", "int8"), build=second, cache_dir=cache,
                       probe=PROBE, fingerprint=FINGERPRINT)
    assert reused.reused and reused.choice == "int8" and second.calls == []
    subset = calibrate(model, candidates=("fp32",), build=second, cache_dir=cache, probe=PROBE,
                       fingerprint=FINGERPRINT)
    assert subset.reused and subset.choice == "fp32" and second.calls == []

    other_machine = Builds(fakes)
    moved = calibrate(model, candidates=("fp32", "int8"), build=other_machine, cache_dir=cache,
                      probe=PROBE, fingerprint={**FINGERPRINT, "flags": ["amx_bf16", "avx2"]})
    assert not moved.reused and len(other_machine.calls) == 2
    assert moved.cache_path != made.cache_path

    bigger = Builds(fakes)
    other_arch = calibrate(fake_model(tmp_path, hidden=64), candidates=("fp32", "int8"),
                           build=bigger, cache_dir=cache, probe=PROBE, fingerprint=FINGERPRINT)
    assert not other_arch.reused and len(bigger.calls) == 2
    assert len(json.loads(made.cache_path.read_text())["entries"]) == 2  # both kept

    more = Builds({**fakes, "onnx-int8": Fake(0.001)})  # a candidate the table lacks
    calibrate(model, candidates=("fp32", "int8", "onnx-int8"), build=more, cache_dir=cache,
              probe=PROBE, fingerprint=FINGERPRINT)
    assert len(more.calls) == 3


def test_a_corrupt_cache_is_measured_again_and_overwritten(tmp_path):
    fakes = {"fp32": Fake(0.01), "int8": Fake(0.001)}
    model, cache = fake_model(tmp_path), tmp_path / "cache"
    path = calibrate(model, candidates=("fp32", "int8"), build=Builds(fakes), cache_dir=cache,
                     probe=PROBE, fingerprint=FINGERPRINT).cache_path
    for damage in ('{"version": 1, "fingerprint"', '{"version": 1, "fingerprint": %s, '
                   '"entries": {"x": {"rows": [{"speed": 1}]}}}' % json.dumps(FINGERPRINT)):
        path.write_text(damage)
        builds = Builds(fakes)
        with pytest.warns(RuntimeWarning, match="unreadable calibration cache"):
            result = calibrate(model, candidates=("fp32", "int8"), build=builds, cache_dir=cache,
                               probe=PROBE, fingerprint=FINGERPRINT)
        assert not result.reused and len(builds.calls) == 2
        assert json.loads(path.read_text())["entries"][result.entry]["choice"] == "int8"


def test_emulated_bf16_is_skipped_without_building_it(tmp_path, monkeypatch):
    monkeypatch.undo()  # the real skip rule
    monkeypatch.setattr(calibration, "_CHOSEN", {})
    monkeypatch.setattr(classify, "native_bf16", lambda device: False)
    builds = Builds({"fp32": Fake(0.005)})
    result = calibrate(fake_model(tmp_path), candidates=("fp32", "bf16"), build=builds,
                       cache_dir=tmp_path, probe=PROBE, fingerprint=FINGERPRINT)
    bf16 = {r.precision: r for r in result.rows}["bf16"]
    assert builds.calls == ["fp32"] and bf16.items_per_s is None and "native bf16" in bf16.reason
    assert result.choice == "fp32"


@pytest.fixture
def real(monkeypatch):
    """The real skip rule and an empty in-process classifier cache."""
    monkeypatch.undo()
    monkeypatch.setattr(engines, "_CLASSIFIERS", {})
    monkeypatch.setattr(calibration, "_CHOSEN", {})


def test_real_classifiers_end_to_end_and_auto_reads_the_cache(real, tiny_sentiment_dir, tmp_path):
    pytest.importorskip("onnxruntime")
    model, cache = resolve(str(tiny_sentiment_dir)), tmp_path / "cache"
    build = classifier_builder(model, ClassifierOptions(cache_dir=cache, threads=1))
    result = calibrate(model, candidates=("fp32", "int8", "onnx-int8"), build=build,
                       cache_dir=cache, threads=1)
    rows = {r.precision: r for r in result.rows}
    assert set(rows) == {"fp32", "int8", "onnx-int8"}
    assert all(r.items_per_s and r.items_per_s > 0 and r.agreement is not None for r in rows.values())
    assert rows["fp32"].ratio == 1.0 and rows["fp32"].agreement == 1.0
    assert result.choice == "fp32" or rows[result.choice].qualified
    assert result.cache_path.is_file() and result.choice in result.cache_path.read_text()

    def refuse(precision):
        raise AssertionError("the cached choice should be used")

    assert resolve_auto(model, device="cpu", cache_dir=cache, threads=1, build=refuse,
                        candidates=("fp32", "int8", "onnx-int8")) == result.choice
    assert resolve_auto(model, device="cpu", cache_dir=cache, calibration=False, build=refuse) == \
        classify.resolve_precision("auto", "cpu")


def test_auto_in_get_classifier_is_the_measured_choice_and_drops_the_others(real, tiny_sentiment_dir,
                                                                             tmp_path):
    model, cache = resolve(str(tiny_sentiment_dir)), tmp_path / "cache"
    options = ClassifierOptions(precision="auto", calibration=True, cache_dir=cache, threads=1)
    clf = engines.get_classifier(model, options)
    stored = json.loads(next((cache / "calibration").glob("*.json")).read_text())
    choices = [entry["choice"] for entry in stored["entries"].values()]
    assert choices == [clf.precision]  # measured, cached, and what the engine runs
    # Candidates built only to be timed are gone: one engine is held for this model.
    assert engines.loaded_classifiers() == {model.model_id: [clf.precision]}
    assert engines.get_classifier(model, options) is clf
    off = engines.get_classifier(model, dataclasses.replace(options, calibration=False))
    assert off.precision == classify.resolve_precision("auto", "cpu")


def test_real_nli_model_calibrates_on_pairs(real, tiny_nli_dir, tmp_path):
    model = resolve(str(tiny_nli_dir))
    build = classifier_builder(model, ClassifierOptions(cache_dir=tmp_path, threads=1))
    result = calibrate(model, candidates=("fp32", "int8"), build=build, cache_dir=tmp_path)
    assert "|pairs|" in result.entry and "deberta-v2" in result.entry
    assert [r.precision for r in result.rows] == ["fp32", "int8"]
    assert all(r.items_per_s for r in result.rows)


@pytest.fixture
def tune_models(tiny_sentiment_dir, tiny_nli_dir, tmp_path):
    """The configured sentiment and stance ids laid out as `models tiny` writes them."""
    from newslens.config import Settings

    settings, out = Settings(), tmp_path / "models"
    for model_id, source in ((settings.sentiment_model, tiny_sentiment_dir),
                             (settings.stance_model, tiny_nli_dir)):
        shutil.copytree(source, out / folder_name(model_id))
        write_metadata(out / folder_name(model_id), model_id, "tiny-random", tiny=True)
    return out


def test_tune_prints_the_table_and_then_reuses_it(real, tune_models, tmp_path, monkeypatch):
    from newslens.cli import app

    monkeypatch.setenv("NEWSLENS_CACHE_DIR", str(tmp_path / "cache"))
    args = ["tune", "--models", str(tune_models), "--candidates", "fp32,int8"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    out = first.output
    assert "sentiment: cardiffnlp/twitter-xlm-roberta-base-sentiment" in out
    assert "stance: MoritzLaurer/" in out and "measured now" in out
    assert "precision" in out and "items/s" in out and "x fp32" in out and "agreement" in out
    assert out.count("  fp32 ") == 2 and out.count("  int8 ") == 2 and "chosen" in out
    assert f"cache: {tmp_path / 'cache' / 'calibration'}" in out
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and again.output.count("(cached,") == 2


def test_tune_without_models_exits_2_naming_the_options(tmp_path, monkeypatch):
    from newslens.cli import app

    monkeypatch.setenv("NEWSLENS_ALLOW_DOWNLOAD", "false")
    monkeypatch.setenv("NEWSLENS_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, ["tune", "--models", str(tmp_path), "--role", "stance"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--models DIR" in result.stderr
    assert "mDeBERTa" in result.stderr and "Traceback" not in result.output
    bad = CliRunner().invoke(app, ["tune", "--candidates", "fp8"])
    assert bad.exit_code == 2 and "fp8" in bad.output


def test_auto_measures_once_per_process_then_answers_from_memory(tmp_path):
    builds = Builds({"fp32": Fake(0.01), "int8": Fake(0.001)})
    model = fake_model(tmp_path)
    args = dict(device="cpu", cache_dir=tmp_path / "cache", candidates=("fp32", "int8"),
                build=builds)
    assert resolve_auto(model, **args) == "int8" and len(builds.calls) == 2
    (tmp_path / "cache" / "calibration").rename(tmp_path / "moved")  # not even the file is read
    assert resolve_auto(model, **args) == "int8" and len(builds.calls) == 2


def test_default_probe_is_fixed_and_times_whole_groups():
    single, nli = calibration.default_probe(False), calibration.default_probe(True)
    assert len(single.texts) == 64 and len(single.timed_inputs()[0]) == 32
    assert len(set(single.texts)) == 64 and single.key == calibration.default_probe(False).key
    assert len(nli.texts) == len(nli.pairs) == 180 and nli.group_size == 3
    assert all(nli.pairs[i].removesuffix(".").split("of ")[-1].split("about ")[-1] in nli.texts[i]
               for i in range(0, 180, 3))  # every premise names the target it is asked about
    texts, pairs = nli.timed_inputs()
    assert len(texts) == len(pairs) == 27 and pairs[:3] == [
        "This text is in favor of NATO.", "This text is against NATO.",
        "This text is neutral about NATO."]


def test_a_run_with_calibration_records_the_measured_precision(real, tiny_models_dir, tmp_path,
                                                              repo_root):
    """The lake's lineage says what produced the rows: the precision calibration chose for each
    classifier, which is the precision of the engine the run used."""
    from newslens.config import Settings
    from newslens.lake import read_table
    from newslens.pipeline.runner import run_pipeline

    inbox = tmp_path / "in"
    inbox.mkdir()
    for src in sorted((repo_root / "data" / "samples").glob("*.txt"))[:2]:
        shutil.copy(src, inbox / src.name)
    cache = tmp_path / "cache"
    settings = Settings(lake=tmp_path / "lake", models_dir=tiny_models_dir, cache_dir=cache,
                        classifier_calibration=True, torch_threads=1)
    run_pipeline(inbox, settings, stages=["ingest", "sentiment", "stance"])
    stored = json.loads(next((cache / "calibration").glob("*.json")).read_text())
    chosen = {entry["model_id"]: entry["choice"] for entry in stored["entries"].values()}
    loaded = engines.loaded_classifiers()
    stages = read_table(settings.lake, "article_stages")
    for stage, model_id in (("sentiment", settings.sentiment_model),
                            ("stance", settings.stance_model)):
        recorded = {json.loads(x)["precision"] for x in stages.loc[stages["stage"] == stage, "lineage"]}
        assert recorded == {chosen[model_id]}, stage
        assert loaded[model_id] == [chosen[model_id]], stage
