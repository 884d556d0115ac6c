"""The translation guard: each check on its own, the retry logic, and rigged tiny Marian models
(looping, silent) through both real backends."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from newslens.models.engines import get_translator
from newslens.models.loading import resolve
from newslens.models.options import TranslatorOptions
from newslens.models.tiny_marian import build_tiny_marian
from newslens.models.translation_guard import (COPY, EMPTY, REPEAT, SOURCE_LANGUAGE, TOO_LONG,
                                               TOO_SHORT, GuardConfig, GuardedTranslator,
                                               check_translation, has_loop, longest_run,
                                               safe_length_cap, words)
from newslens.text.langid import detect_language

IT = "Il governo ha criticato le nuove sanzioni contro la Russia."
EN = "The government criticised the new sanctions against Russia."
SHORT = "La Russia ha respinto l'accordo."


# --- the checks --------------------------------------------------------------------------------

def test_a_good_translation_passes_every_check():
    assert check_translation(IT, EN, "it", detect=detect_language) == []


def test_empty_output_for_a_real_source_is_flagged_and_blank_sources_never_are():
    assert check_translation(IT, "  ", "it") == [EMPTY]
    assert check_translation("", "", "it") == []


def test_loops_are_found_but_a_source_that_repeats_itself_is_left_alone():
    looping = "The government criticised the sanctions the sanctions the sanctions the sanctions."
    assert REPEAT in check_translation(IT, looping, "it")
    assert REPEAT in check_translation(IT, "no no no no no", "it")
    assert has_loop(words("a b c a b c a b c")) and not has_loop(words(EN))
    assert longest_run(words("x y x y x y z"), 2) == 3
    chant = "Sì, sì, sì, sì, ha detto il ministro."
    assert REPEAT not in check_translation(chant, "Yes, yes, yes, yes, said the minister.", "it")


def test_length_ratio_bounds_are_per_language_and_skip_short_sources():
    rambling = EN + " " + " ".join(f"Furthermore item {i} was noted by officials." for i in range(6))
    assert TOO_LONG in check_translation(IT, rambling, "it")
    assert TOO_SHORT in check_translation(IT, "Russia.", "it")
    assert check_translation("Sì.", "Yes, indeed, that is so.", "it") == []
    zh = "政府批评了针对俄罗斯的新制裁措施。"
    assert TOO_LONG not in check_translation(zh, EN, "zh") and len(EN) / len(zh) > 2.2
    strict = GuardConfig.from_mapping({"it": (0.9, 1.1)})
    assert TOO_SHORT in check_translation(IT, "The government criticised sanctions.", "it", strict)


def test_copies_and_output_still_in_the_source_language_are_flagged():
    assert COPY in check_translation(IT, IT, "it")
    assert COPY in check_translation(IT, IT.replace("nuove", "nuovo"), "it")
    other_italian = "Il ministro ha respinto l'accordo commerciale con la Cina ieri sera."
    assert check_translation(IT, other_italian, "it", detect=detect_language) == [SOURCE_LANGUAGE]
    assert check_translation(IT, other_italian, "it") == []  # no detector: no language check
    assert check_translation("Vladimir Putin", "Vladimir Putin", "ru") == []  # names stay names


def test_safe_length_cap_is_proportional_and_bounded():
    assert safe_length_cap(10, 512) == 28
    assert safe_length_cap(400, 512) == 512


# --- the retry ---------------------------------------------------------------------------------

class Scripted:
    """A translator whose normal and safe outputs are given per source."""

    model_id, revision = "scripted", "r1"

    def __init__(self, normal: dict[str, str], safe: dict[str, str]) -> None:
        self.normal, self.safe, self.calls = normal, safe, []

    def translate(self, texts, *, safe=False):
        self.calls.append((list(texts), safe))
        return [(self.safe if safe else self.normal)[t] for t in texts]


def test_clean_output_is_untouched_and_not_retried():
    inner = Scripted({IT: EN}, {IT: "SHOULD NOT BE USED"})
    guard = GuardedTranslator(inner, "it", detect=detect_language)
    assert guard.translate([IT]) == [EN]
    assert inner.calls == [([IT], False)] and guard.flags[IT] == ()


def test_a_failing_sentence_is_retried_once_and_the_better_attempt_kept():
    bad, other = "Il ministro ha respinto l'accordo militare.", "La NATO ha accolto i colloqui."
    inner = Scripted({IT: "the the the the the", bad: bad, other: "NATO welcomed the talks."},
                     {IT: EN, bad: ""})
    guard = GuardedTranslator(inner, "it", detect=detect_language)
    out = guard.translate([IT, bad, other])
    assert inner.calls[1] == ([IT, bad], True)  # only the failures, in safe mode
    assert out == [EN, bad, "NATO welcomed the talks."]  # the retry fixed one; the copy stays
    assert guard.flags[IT] == () and guard.flags[bad] == (COPY,)
    assert (guard.stats.retried, guard.stats.fixed, guard.stats.flagged) == (2, 1, 1)
    assert (guard.model_id, guard.revision) == ("scripted", "r1")


# --- rigged tiny models through the real backends -----------------------------------------------

def _rigged(root: Path, name: str, bias: dict[str, float]) -> Path:
    """A tiny it->en Marian whose output bias is pushed for some tokens (by piece or special)."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    folder = build_tiny_marian(root / name, "it", seed=1)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(folder))
    tok = AutoTokenizer.from_pretrained(str(folder))
    # "a word": the longest whole-word piece of the tiny vocabulary (it has no fixed words).
    word = max((p for p in tok.get_vocab() if p.startswith("▁") and p[1:].isalpha()), key=len)
    with torch.no_grad():
        for piece, value in bias.items():
            token_id = (model.config.eos_token_id if piece == "</s>"
                        else tok.convert_tokens_to_ids(word if piece == "a word" else piece))
            model.final_logits_bias[0, token_id] = value
    model.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def rigged_models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("rigged")
    return {"silent": _rigged(root, "silent", {"</s>": 50.0}),
            "looping": _rigged(root, "looping", {"</s>": -50.0, "a word": 30.0})}


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_a_model_that_stops_at_once_is_retried_and_flagged_empty(backend, rigged_models,
                                                                 translation_cache_dir):
    tr = get_translator(resolve(str(rigged_models["silent"])), TranslatorOptions(
        backend=backend, compute_type="float32", cache_dir=translation_cache_dir, threads=1))
    guard = GuardedTranslator(tr, "it")
    assert guard.translate([IT]) == [""]
    assert guard.stats.retried == 1 and guard.flags[IT] == (EMPTY,)


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_a_looping_model_is_caught_and_the_safe_retry_is_capped(backend, rigged_models,
                                                                translation_cache_dir):
    tr = get_translator(resolve(str(rigged_models["looping"])), TranslatorOptions(
        backend=backend, compute_type="float32", cache_dir=translation_cache_dir, threads=1))
    first = tr.translate([SHORT])[0]
    assert REPEAT in check_translation(SHORT, first, "it") and TOO_LONG in check_translation(SHORT, first, "it")
    retry = tr.translate([SHORT], safe=True)[0]
    assert longest_run(retry.split(), 1) < longest_run(first.split(), 1)
    ids, _ = tr.preprocess([SHORT])
    normal_row, safe_row = tr._forward(ids)[0], tr._forward(ids, safe=True)[0]
    cap = safe_length_cap(len(ids[0]) - 1, tr.max_decode)  # -1: the end token
    assert len(normal_row) > cap >= len(safe_row) > 0
    trigrams = [tuple(safe_row[i:i + 3]) for i in range(len(safe_row) - 2)]
    assert len(set(trigrams)) == len(trigrams)  # no trigram twice: no_repeat_ngram_size=3
    guard = GuardedTranslator(tr, "it")
    kept = guard.translate([SHORT])[0]
    assert guard.stats.retried == 1
    assert kept in (first, retry) and guard.flags[SHORT] == tuple(check_translation(SHORT, kept, "it"))


def test_ctranslate2_batched_retry_matches_one_by_one(rigged_models, translation_cache_dir):
    tr = get_translator(resolve(str(rigged_models["looping"])), TranslatorOptions(
        compute_type="float32", cache_dir=translation_cache_dir, threads=1))
    texts = [SHORT, "Il governo ha criticato.", "La NATO ha accolto i colloqui di pace a Ginevra."]
    ids, _ = tr.preprocess(texts)
    together = tr._forward(ids, safe=True)
    assert together == [tr._forward([x], safe=True)[0] for x in ids]
    assert len({len(row) for row in together}) > 1  # each capped by its own source length
