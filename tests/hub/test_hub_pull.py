"""`newslens models pull` and model resolution against the loopback hub: the happy path, the
`.bin` fallback, a missing repo, a download that breaks off, and a hub that never answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.hub_layouts import NEVER_FETCHED
from tests.hub.conftest import publish_defaults

IT_ONLY = {"NEWSLENS_TRANSLATION_ROUTES": json.dumps({"it": "Helsinki-NLP/opus-mt-it-en"})}
PULLED = ["Helsinki-NLP/opus-mt-it-en", "Helsinki-NLP/opus-mt-mul-en",
          "cardiffnlp/twitter-xlm-roberta-base-sentiment",
          "MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7"]


def _snapshots(hf_home: Path) -> list[Path]:
    return sorted((hf_home / "hub").glob("models--*/snapshots/*"))


def test_pull_downloads_every_default_and_to_dir_copies_them(hub, product, public_models_dir, tmp_path):
    shas = publish_defaults(hub, public_models_dir)
    first = product.newslens("models", "pull")
    assert first.returncode == 0, first.stderr[-3000:]
    assert {p.name for p in _snapshots(product.hf_home)} == set(shas.values())
    for model_id in shas:
        assert f"ok  {model_id}" in first.stdout
    fetched = [path for method, path, _ in hub.requests() if method == "GET"]
    assert not [p for p in fetched if p.endswith(NEVER_FETCHED)], "fetched files it never uses"
    for model_id in shas:  # safetensors where published, else the .bin (Marian, XLM-R)
        weights = {p.rsplit("/", 1)[1] for p in fetched if f"/{model_id}/" in p
                   and p.endswith((".bin", ".safetensors"))}
        expected = "model.safetensors" if "mDeBERTa" in model_id else "pytorch_model.bin"
        assert weights == {expected}, (model_id, weights)

    served = len(hub.requests())
    out = tmp_path / "models-copy"
    second = product.newslens("models", "pull", "--to", str(out))
    assert second.returncode == 0, second.stderr[-3000:]
    assert len(hub.requests()) == served, "the cached snapshots were fetched again"
    for model_id, sha in shas.items():
        folder = out / model_id.replace("/", "--")
        meta = json.loads((folder / "newslens-model.json").read_text())
        assert meta["model_id"] == model_id and meta["revision"] == sha
        weights = [folder / n for n in ("model.safetensors", "pytorch_model.bin") if (folder / n).exists()]
        assert len(weights) == 1 and not weights[0].is_symlink()
        assert (folder / "config.json").is_file()

    # The copied folder is self-contained: the product runs from it with no hub at all.
    listed = product.newslens("models", "list", "--models", str(out), HF_ENDPOINT="http://127.0.0.1:9")
    assert listed.returncode == 0, listed.stderr[-2000:]
    header, *rows = [line for line in listed.stdout.splitlines() if line.strip()]
    assert header.split()[:2] == ["ROLE", "LOCAL"] and rows
    assert all(line.split()[1] == "yes" for line in rows)


def test_repo_without_safetensors_falls_back_to_bin(hub, product, tiny_sentiment_dir, tmp_path):
    import torch
    from transformers import AutoModelForSequenceClassification

    legacy = tmp_path / "legacy"
    legacy.mkdir()
    for f in tiny_sentiment_dir.iterdir():
        if f.suffix != ".safetensors" and f.name != "newslens-model.json":
            (legacy / f.name).write_bytes(f.read_bytes())
    model = AutoModelForSequenceClassification.from_pretrained(tiny_sentiment_dir)
    torch.save(model.state_dict(), legacy / "pytorch_model.bin")
    sha = hub.add_repo("old-org/legacy-sentiment", legacy)

    code = ("from newslens.models.loading import resolve, load_sequence_classifier\n"
            "r = resolve('old-org/legacy-sentiment', role='sentiment')\n"
            "m = load_sequence_classifier(str(r.path))\n"
            "print(r.revision, sorted(p.name for p in r.path.iterdir()), m.config.id2label)\n")
    done = product.python(code)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith(sha)
    assert "pytorch_model.bin" in done.stdout and "Negative" in done.stdout
    fetched = [path for method, path, _ in hub.requests() if method == "GET"]
    assert any(p.endswith("pytorch_model.bin") for p in fetched)


def test_missing_repo_is_named_and_nothing_is_written(hub, product, public_models_dir, tmp_path):
    publish_defaults(hub, public_models_dir)
    out = tmp_path / "copy"
    done = product.newslens("models", "pull", "--to", str(out),
                            NEWSLENS_SENTIMENT_MODEL="nobody/no-such-model", **IT_ONLY)
    assert done.returncode == 2
    assert "FAILED nobody/no-such-model" in done.stdout
    assert "RepositoryNotFoundError" in done.stdout
    assert not (out / "nobody--no-such-model").exists()
    assert (out / "Helsinki-NLP--opus-mt-it-en").is_dir()  # the others still arrive


def test_broken_download_is_never_used_and_a_rerun_completes_it(hub, product, public_models_dir):
    publish_defaults(hub, public_models_dir)
    weights = public_models_dir / "Helsinki-NLP--opus-mt-it-en" / "pytorch_model.bin"
    hub.state.break_after = ("opus-mt-it-en/pytorch_model.bin", weights.stat().st_size // 2)
    broken = product.newslens("models", "pull", **IT_ONLY)
    assert broken.returncode == 2
    assert "FAILED Helsinki-NLP/opus-mt-it-en" in broken.stdout
    assert "peer closed connection" in broken.stdout or "Consistency" in broken.stdout
    assert "ok  Helsinki-NLP/opus-mt-mul-en" in broken.stdout

    # The half-fetched snapshot is known to be incomplete: offline, the model is unavailable.
    listed = product.newslens("models", "list", **IT_ONLY)
    it_line = next(line for line in listed.stdout.splitlines() if "opus-mt-it-en" in line)
    assert it_line.split()[1] == "no"

    hub.state.break_after = None
    before = len(hub.requests())
    again = product.newslens("models", "pull", **IT_ONLY)
    assert again.returncode == 0, again.stdout + again.stderr[-2000:]
    fetched = [p for m, p, _ in hub.requests()[before:] if m == "GET" and "/api/" not in p]
    # Only what was missing is fetched again: the weights, not the tokenizer files.
    it_files = [p for p in fetched if "opus-mt-it-en/" in p]
    assert it_files and all(p.endswith("/pytorch_model.bin") for p in it_files), it_files
    code = ("from newslens.models.loading import resolve, load_seq2seq\n"
            "r = resolve('Helsinki-NLP/opus-mt-it-en', allow_download=False)\n"
            "load_seq2seq(str(r.path)); print('loaded', r.revision)\n")
    loaded = product.python(code)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert hub.sha("Helsinki-NLP/opus-mt-it-en") in loaded.stdout


def test_hung_hub_times_out_instead_of_hanging(hub, product, public_models_dir):
    publish_defaults(hub, public_models_dir)
    hub.state.hang = True
    done = product.newslens("models", "pull", NEWSLENS_HUB_TIMEOUT_S="1", **IT_ONLY)
    assert done.returncode == 2
    for model_id in PULLED:
        assert f"FAILED {model_id}" in done.stdout
    assert "Timeout" in done.stdout
    assert not _snapshots(product.hf_home)
