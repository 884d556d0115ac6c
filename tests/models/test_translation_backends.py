"""Both translation backends on a tiny random Marian model, loaded the way the product does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

from newslens.models import translate_ct2
from newslens.models.engines import get_translator
from newslens.models.loading import ResolvedModel, resolve
from newslens.models.options import TranslatorOptions
from newslens.models.tiny_marian import build_tiny_marian
from newslens.models.translate_ct2 import converted_dir
from newslens.models.translation import translate_texts

BACKENDS = ["torch", "ctranslate2"]
SENTENCES = [
    "Il governo ha criticato le nuove sanzioni.",
    "La Russia ha respinto l'accordo militare.",
    "Gli Stati Uniti hanno accolto i colloqui di pace a Ginevra.",
    "Il presidente ha condannato l'attacco al confine.",
    "La Cina ha discusso l'intesa commerciale con Pechino.",
    "L'Unione europea ha sostenuto la decisione del vertice.",
    "Ciao",
    "Israele ha respinto le sanzioni; la NATO ha accolto l'accordo, ma gli analisti no.",
]
LONG = ("Il ministro ha criticato le nuove sanzioni; la Russia ha respinto l'accordo militare, "
        "mentre gli analisti hanno discusso la decisione del vertice: la Cina ha condannato "
        "l'attacco al confine — e Israele ha accolto i colloqui di pace a Ginevra.")


def translator(model_dir: Path, cache_dir: Path, backend: str, **options: object):
    """The product path: resolve the folder, then the cached per-process translator."""
    options = {"compute_type": "float32", "threads": 1, **options}
    return get_translator(resolve(str(model_dir)),
                          TranslatorOptions(backend=backend, cache_dir=cache_dir, **options))


@pytest.mark.parametrize("backend", BACKENDS)
def test_shuffled_batch_matches_one_by_one(backend: str, tiny_marian_dir: Path,
                                           translation_cache_dir: Path) -> None:
    # A small token budget forces several length-sorted batches.
    tr = translator(tiny_marian_dir, translation_cache_dir, backend, max_batch_tokens=64)
    singles = [tr.translate([s])[0] for s in SENTENCES]
    assert all(singles)
    assert len(set(singles)) == len(singles)  # outputs depend on the input, so swaps show
    order = list(range(len(SENTENCES)))
    random.Random(7).shuffle(order)
    assert tr.translate([SENTENCES[i] for i in order]) == [singles[i] for i in order]


@pytest.mark.parametrize("backend", BACKENDS)
def test_translate_texts_aligns_outputs_with_inputs(backend: str, tiny_marian_dir: Path,
                                                    translation_cache_dir: Path) -> None:
    tr = translator(tiny_marian_dir, translation_cache_dir, backend)
    texts = [SENTENCES[0], "Hello there.", SENTENCES[1], " ", SENTENCES[2], SENTENCES[0]]
    langs = ["it", "en", "it", "it", "it", "it"]
    out = translate_texts(texts, langs, lambda lang: tr if lang == "it" else None)
    assert out[1] == ("Hello there.", None, None)
    assert out[3] == ("", None, None)
    for i in (0, 2, 4, 5):
        assert out[i] == (tr.translate([texts[i]])[0], "tiny/opus-mt-it-en", "tiny-random")


@pytest.mark.parametrize("backend", BACKENDS)
def test_long_sentence_is_split_and_every_piece_translated(
        backend: str, tiny_marian_dir: Path, translation_cache_dir: Path) -> None:
    full = translator(tiny_marian_dir, translation_cache_dir, backend)
    assert full.max_input_tokens == 512 - 1  # model limit less the end token
    assert full.pieces(LONG) == [LONG]
    limited = translator(tiny_marian_dir, translation_cache_dir, backend, max_input_tokens=24)
    pieces = limited.pieces(LONG)
    assert len(pieces) >= 3
    assert all(limited.count_tokens(p) <= 24 for p in pieces)
    assert " ".join(pieces).split() == LONG.split()  # nothing dropped
    expected = [full.translate([p])[0] for p in pieces]
    assert all(expected)
    assert limited.translate([LONG]) == [" ".join(expected)]  # last piece included: no truncation


@pytest.mark.parametrize("backend", BACKENDS)
def test_blank_inputs_give_empty_outputs(backend: str, tiny_marian_dir: Path,
                                         translation_cache_dir: Path) -> None:
    tr = translator(tiny_marian_dir, translation_cache_dir, backend)
    out = tr.translate(["", "  ", SENTENCES[0], ""])
    assert out == ["", "", tr.translate([SENTENCES[0]])[0], ""]
    assert out[2]
    assert tr.translate([]) == []


def test_torch_and_ctranslate2_agree_on_greedy_output(tiny_marian_dir: Path,
                                                      translation_cache_dir: Path) -> None:
    torch_tr = translator(tiny_marian_dir, translation_cache_dir, "torch")
    ct2_tr = translator(tiny_marian_dir, translation_cache_dir, "ctranslate2")
    texts = [*SENTENCES, LONG]
    assert torch_tr.translate(texts) == ct2_tr.translate(texts)


def test_get_translator_is_cached_per_arguments(tiny_marian_dir: Path,
                                                translation_cache_dir: Path) -> None:
    first = translator(tiny_marian_dir, translation_cache_dir, "torch")
    assert translator(tiny_marian_dir, translation_cache_dir, "torch") is first
    assert translator(tiny_marian_dir, translation_cache_dir, "torch", beam_size=2) is not first
    ct2 = translator(tiny_marian_dir, translation_cache_dir, "ctranslate2")
    assert ct2 is not first
    assert translator(tiny_marian_dir, translation_cache_dir, "ctranslate2") is ct2
    with pytest.raises(ValueError, match="backend"):
        TranslatorOptions(backend="onnx")


def test_ct2_conversion_is_done_once_and_reused(tiny_marian_dir: Path, tmp_path: Path) -> None:
    before = translate_ct2.conversions
    first = translator(tiny_marian_dir, tmp_path, "ctranslate2")
    folder = first.model_dir
    assert folder.parent == tmp_path / "ct2"
    assert folder.name.startswith("tiny--opus-mt-it-en-") and folder.name.endswith("-float32")
    assert translate_ct2.conversions == before + 1
    stamp = (folder / "model.bin").stat().st_mtime_ns
    # Different decoding options: a new translator object, but the same converted model.
    second = translator(tiny_marian_dir, tmp_path, "ctranslate2", beam_size=2)
    assert second is not first and second.model_dir == folder
    assert translate_ct2.conversions == before + 1
    assert (folder / "model.bin").stat().st_mtime_ns == stamp
    assert [p.name for p in (tmp_path / "ct2").iterdir()] == [folder.name]  # no temp left over
    assert second.translate([SENTENCES[0]])[0]


def test_ct2_cache_key_follows_weights_unless_a_commit_is_known(
        tiny_marian_dir: Path, tmp_path: Path) -> None:
    # Same model id and the same non-commit revision label, different weights.
    other = build_tiny_marian(tmp_path / "other", "it", seed=5)
    mine, theirs = resolve(str(tiny_marian_dir)), resolve(str(other))
    assert mine.lineage == theirs.lineage
    assert converted_dir(mine, "int8", tmp_path) != converted_dir(theirs, "int8", tmp_path)
    commit = "0123456789abcdef0123456789abcdef01234567"
    pinned = ResolvedModel("Helsinki-NLP/opus-mt-it-en", tiny_marian_dir, commit)
    assert converted_dir(pinned, "int8", tmp_path) == (
        tmp_path / "ct2" / f"Helsinki-NLP--opus-mt-it-en-{commit}-int8")


def test_ct2_default_int8_translates(tiny_marian_dir: Path, translation_cache_dir: Path) -> None:
    tr = get_translator(resolve(str(tiny_marian_dir)),
                        TranslatorOptions(cache_dir=translation_cache_dir, threads=1))
    assert tr.model_dir.name.endswith("-int8")
    out = tr.translate(SENTENCES[:3])
    assert len(out) == 3 and all(out)


def test_replica_layout_gives_each_core_its_own_replica_on_cpu() -> None:
    assert translate_ct2.replica_layout("cpu", 2, None) == (2, 1)
    assert translate_ct2.replica_layout("cpu", 4, 2) == (2, 2)
    assert translate_ct2.replica_layout("cpu", 2, 8) == (2, 1)  # never more replicas than cores
    assert translate_ct2.replica_layout("cuda:0", 8, None) == (1, 1)


def test_replicas_translate_exactly_as_one_engine(tiny_marian_dir: Path,
                                                  translation_cache_dir: Path) -> None:
    one = translator(tiny_marian_dir, translation_cache_dir, "ctranslate2", inter_threads=1)
    two = translator(tiny_marian_dir, translation_cache_dir, "ctranslate2", threads=2,
                     inter_threads=2)
    assert (one.replicas, two.replicas) == (1, 2)
    texts = [*SENTENCES, LONG] * 3
    ids, _ = two.preprocess(texts)
    assert two.batch_size(ids) < sum(len(x) for x in ids)  # the call is cut for the replicas
    assert two.translate(texts) == one.translate(texts)
