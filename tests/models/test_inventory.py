"""`newslens models list | pull | tiny`: the configured models as a whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from newslens.cli import app
from newslens.config import Settings
from newslens.models import inventory
from newslens.models.loading import METADATA_FILE, ResolvedModel, folder_name, resolve

runner = CliRunner()


def test_tiny_models_cover_every_configured_id(tiny_models_dir):
    settings = Settings(models_dir=tiny_models_dir)
    for role, ids in settings.model_ids().items():
        for model_id in ids:
            meta = json.loads((tiny_models_dir / folder_name(model_id) / METADATA_FILE).read_text())
            assert meta["model_id"] == model_id and meta["tiny"] is True
    statuses = inventory.list_models(settings)
    assert statuses and all(s.available for s in statuses)
    assert {s.role for s in statuses} == {"translation", "sentiment", "stance"}


def test_list_reports_missing_models_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    statuses = inventory.list_models(Settings(models_dir=tmp_path))
    assert statuses and not any(s.available for s in statuses)
    result = runner.invoke(app, ["models", "list", "--models", str(tmp_path)])
    assert result.exit_code == 0
    assert "cardiffnlp/twitter-xlm-roberta-base-sentiment" in result.output and " no " in result.output


def _fake_hub_snapshot(root: Path) -> Path:
    """A folder shaped like an HF cache snapshot: files are symlinks into a blobs folder."""
    blobs, snap = root / "blobs", root / "snapshots" / ("a" * 40)
    blobs.mkdir(parents=True)
    snap.mkdir(parents=True)
    (blobs / "cfg").write_text('{"model_type": "marian"}')
    os.symlink(blobs / "cfg", snap / "config.json")
    for name in ("model.safetensors", "source.spm", "target.spm", "vocab.json"):
        (blobs / name).write_bytes(b"x")
        os.symlink(blobs / name, snap / name)
    return snap


def test_pull_to_folder_makes_a_self_contained_copy(tmp_path, monkeypatch):
    snap = _fake_hub_snapshot(tmp_path / "cache")
    seen = []

    def fake_resolve(model_id, models_dir, *, role="", allow_download=True, hub_timeout=None):
        seen.append((model_id, allow_download))
        return ResolvedModel(model_id=model_id, path=snap, revision=snap.name)

    monkeypatch.setattr(inventory, "resolve", fake_resolve)
    out = tmp_path / "bundle"
    settings = Settings(translation_routes={"it": "Helsinki-NLP/opus-mt-it-en"})
    statuses = inventory.pull_models(settings, out)
    assert all(s.available for s in statuses) and all(download for _, download in seen)
    copied = out / folder_name("Helsinki-NLP/opus-mt-it-en")
    assert (copied / "config.json").is_file() and not (copied / "config.json").is_symlink()
    found = resolve("Helsinki-NLP/opus-mt-it-en", out, allow_download=False)
    assert found.path == copied and found.revision == "a" * 40


def test_pull_failure_exits_2_and_names_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("NEWSLENS_TRANSLATION_ROUTES", '{"it": "Helsinki-NLP/opus-mt-it-en"}')
    result = runner.invoke(app, ["models", "pull", "--to", str(tmp_path / "bundle")])
    assert result.exit_code == 2
    assert "FAILED Helsinki-NLP/opus-mt-it-en" in result.output


def _complete_copy(src: Path, dst: Path, drop: tuple[str, ...] = ()) -> Path:
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.name not in drop:
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_a_folder_without_tokenizer_or_config_is_not_available(tiny_models_dir, tmp_path, monkeypatch):
    """A folder holding only weights is listed as missing what loading needs, not available."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    settings = Settings(models_dir=tmp_path / "models",
                        translation_routes={"it": "Helsinki-NLP/opus-mt-it-en"})
    for role, ids in settings.model_ids().items():
        for model_id in ids:
            _complete_copy(tiny_models_dir / folder_name(model_id),
                           tmp_path / "models" / folder_name(model_id))
    assert all(s.available for s in inventory.list_models(settings))
    marian = tmp_path / "models" / folder_name("Helsinki-NLP/opus-mt-it-en")
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json"):
        (marian / name).unlink()
    sentiment = tmp_path / "models" / folder_name(settings.sentiment_model)
    (sentiment / "config.json").unlink()
    (sentiment / "tokenizer.json").unlink()
    (sentiment / "sentencepiece.bpe.model").unlink()  # the fixture ships the public repo's spm too
    weights = next(sentiment.glob("*.safetensors"))
    weights.rename(sentiment / "pytorch_model.bin")  # only the .bin left, as in the issue
    by_id = {s.model_id: s for s in inventory.list_models(settings)}
    it = by_id["Helsinki-NLP/opus-mt-it-en"]
    assert not it.available and "marian tokenizer files (source.spm+target.spm+vocab.json)" in it.where
    sent = by_id[settings.sentiment_model]
    assert not sent.available and "config.json" in sent.where and "tokenizer" in sent.where
    assert by_id[settings.stance_model].available
    result = runner.invoke(app, ["models", "list", "--models", str(tmp_path / "models")],
                           env={"NEWSLENS_TRANSLATION_ROUTES": '{"it": "Helsinki-NLP/opus-mt-it-en"}'})
    assert result.exit_code == 0 and "missing: " in result.output
    from newslens.pipeline.model_steps import ModelsMissingError, plan_models
    try:
        plan_models(["translate", "sentiment", "stance"], {"it"}, settings)
    except ModelsMissingError as exc:
        message = str(exc)
    else:
        raise AssertionError("the pre-run check accepted incomplete model folders")
    assert "opus-mt-it-en" in message and "source.spm" in message and "config.json" in message
