"""The tiny fixtures match the public checkpoints where the product can tell: file names,
tokenizer classes, special-token ids, label names and order; and a tiny model in the public
file layout (spm files only, .bin weights) loads to the very same tokens and outputs."""

from __future__ import annotations

import json

import pytest
from transformers import AutoConfig, AutoTokenizer

from newslens.models.engines import get_classifier
from newslens.models.loading import resolve
from tests.fixtures.hub_layouts import public_repo

TEXTS = ["La Russia ha criticato le nuove sanzioni.", "NATO welcomed the trade deal with Beijing."]


def test_marian_matches_the_opus_mt_layout(tiny_marian_dir, tmp_path):
    config = AutoConfig.from_pretrained(tiny_marian_dir)
    vocab = json.loads((tiny_marian_dir / "vocab.json").read_text(encoding="utf-8"))
    # opus-mt configs: eos </s> = 0, <pad> = the last id, decoding starts from <pad>.
    assert (config.eos_token_id, config.pad_token_id) == (0, len(vocab) - 1)
    assert config.decoder_start_token_id == config.pad_token_id and vocab["<unk>"] == 1
    public = public_repo(tiny_marian_dir, "marian", tmp_path / "opus")
    assert {"source.spm", "target.spm", "vocab.json", "pytorch_model.bin"} <= {p.name for p in public.iterdir()}
    assert not (public / "model.safetensors").exists()
    a, b = AutoTokenizer.from_pretrained(tiny_marian_dir), AutoTokenizer.from_pretrained(public)
    assert type(b).__name__ == "MarianTokenizer" and a(TEXTS)["input_ids"] == b(TEXTS)["input_ids"]


@pytest.mark.parametrize("family, fixture, spm_file, tokenizer_class, labels", [
    ("xlmr", "tiny_sentiment_dir", "sentencepiece.bpe.model", "XLMRobertaTokenizer",
     {0: "Negative", 1: "Neutral", 2: "Positive"}),
    ("deberta", "tiny_nli_dir", "spm.model", "DebertaV2Tokenizer",
     {0: "entailment", 1: "neutral", 2: "contradiction"}),
])
def test_encoders_in_the_public_layout_load_the_same(family, fixture, spm_file, tokenizer_class,
                                                     labels, request, tmp_path):
    tiny = request.getfixturevalue(fixture)
    public = public_repo(tiny, family, tmp_path / family)
    assert (public / spm_file).is_file() and not (public / "tokenizer.json").exists()
    a, b = AutoTokenizer.from_pretrained(tiny), AutoTokenizer.from_pretrained(public)
    assert type(b).__name__ == tokenizer_class
    assert a(TEXTS)["input_ids"] == b(TEXTS)["input_ids"]
    assert a(TEXTS[0], "This text is against Russia.")["input_ids"] == \
        b(TEXTS[0], "This text is against Russia.")["input_ids"]
    assert (a.pad_token_id, a.cls_token_id, a.sep_token_id, a.mask_token_id) == \
        (b.pad_token_id, b.cls_token_id, b.sep_token_id, b.mask_token_id)
    tiny_clf, public_clf = get_classifier(resolve(str(tiny))), get_classifier(resolve(str(public)))
    assert tiny_clf.id2label == public_clf.id2label == labels
    assert (tiny_clf.predict_proba(TEXTS) - public_clf.predict_proba(TEXTS)).__abs__().max() < 1e-5
