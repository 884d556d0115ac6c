"""Content ids, simhash fingerprints and duplicate classification."""

from __future__ import annotations

import numpy as np
import pytest

from newslens.ingest import article_id, classify_duplicates, hamming, read_file, simhash64

WORDS = ("the government announced on monday a new plan to support farmers affected by drought "
         "in the southern regions where rainfall has been below average for three years and "
         "crop yields have fallen sharply while prices of feed and fuel keep rising").split()


def _article(seed: int, n: int = 1000) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(rng.choice(WORDS, size=n)) + "."


def test_article_id_same_body_in_different_files(tmp_path):
    body = _article(1)
    (tmp_path / "first.txt").write_text(f"Headline one\n\n{body}\n", encoding="utf-8")
    (tmp_path / "other-name.txt").write_text(f"date 2024-01 Another title\n\n{body}\n", encoding="utf-8")
    ids = {article_id(read_file(p).documents[0].body) for p in sorted(tmp_path.iterdir())}
    assert len(ids) == 1
    [only] = ids
    assert len(only) == 16 and int(only, 16) >= 0


def test_article_id_ignores_whitespace_layout_and_normal_form():
    assert article_id("Café  opens\n\ntoday ") == article_id(" Cafe\u0301 opens today")
    assert article_id("Café opens today") != article_id("Café opened today")


def test_simhash_is_signed_int64_and_stable():
    text = _article(2)
    value = simhash64(text)
    assert -(2**63) <= value < 2**63
    assert value == simhash64(text.upper())  # casefolded
    assert simhash64("") == 0
    assert hamming(-1, 0) == 64 and hamming(5, 4) == 1


def test_classify_small_edit_different_exact_and_chain():
    base = _article(3)
    edited = base.replace(" fuel ", " diesel ", 1)
    other = _article(4)
    ids = [article_id(t) for t in (base, edited, other)]
    hashes = [simhash64(t) for t in (base, edited, other)]
    assert hamming(hashes[0], hashes[1]) <= 3 < hamming(hashes[0], hashes[2])

    # lake knows: base (root) and "k2", a near copy of base recorded earlier
    known_ids, known_hashes, known_dup = [ids[0], "k2"], [hashes[0], hashes[0] ^ 1], [None, ids[0]]
    batch_ids = [ids[1], ids[2], ids[0], "k2", ids[2]]
    batch_hashes = [hashes[1], hashes[2], hashes[0], hashes[0] ^ 1, hashes[2]]
    labels = classify_duplicates(batch_ids, batch_hashes, known_ids, known_hashes, known_dup)
    assert labels == [
        ("near_duplicate", ids[0]),  # small edit of a known article
        ("new", None),               # a different article
        ("duplicate", ids[0]),       # exact id already in the lake
        ("duplicate", ids[0]),       # exact copy of a known near-duplicate: points at the root
        ("duplicate", ids[2]),       # exact copy of an earlier article of this batch
    ]


def test_near_duplicate_within_batch_and_chain_to_root():
    a, b, c = 0x0F0F_0F0F_0F0F_0F0F, 0x0F0F_0F0F_0F0F_0F0E, 0x0F0F_0F0F_0F0F_0F0C
    labels = classify_duplicates(["a", "b", "c"], [a, b, c], [], [], [], max_distance=1)
    # b is within 1 of a; c is within 1 of b only, but b is not new, and within 2 of a
    assert labels == [("new", None), ("near_duplicate", "a"), ("new", None)]
    repeat = classify_duplicates(["a", "b", "b"], [a, b, b], [], [], [], max_distance=1)
    assert repeat[2] == ("duplicate", "a")  # an exact copy of a near-duplicate points at its root
    known = classify_duplicates(["x"], [c], ["b", "a"], [b, a], ["a", None], max_distance=1)
    assert known == [("near_duplicate", "a")]  # via b, whose root is a


def test_short_texts_with_one_word_changed_stay_distinct():
    # simhash moves many bits on short texts, so short edits never collapse into one article
    s1 = "Stock index rose two percent on Monday in Milan."
    s2 = "Stock index fell two percent on Monday in Milan."
    labels = classify_duplicates([article_id(s1), article_id(s2)], [simhash64(s1), simhash64(s2)], [], [], [])
    assert labels == [("new", None), ("new", None)]


def test_negative_fingerprints_and_length_checks():
    # 5 and 5 with the sign bit set differ in one bit, though one is negative as int64
    labels = classify_duplicates(["p", "n", "m"], [5, 5 - 2**63, -(2**63)], [], [], [], max_distance=1)
    assert labels == [("new", None), ("near_duplicate", "p"), ("new", None)]
    with pytest.raises(ValueError):
        classify_duplicates(["a"], [], [], [], [])


def test_confirm_hook_can_veto_a_simhash_candidate():
    from newslens.ingest.ids import jaccard

    base = " ".join(f"word{i}" for i in range(300))
    edited = base.replace("word150", "changed")
    sims = [simhash64(base), simhash64(edited)]
    ids = [article_id(base), article_id(edited)]
    bodies = dict(zip(ids, [base, edited]))
    calls = []

    def veto(index, original):
        calls.append((index, original))
        return False

    assert classify_duplicates(ids, sims, [], [], [], max_distance=64, confirm=veto) == [
        ("new", None), ("new", None)]
    assert calls == [(1, ids[0])]

    def by_text(index, original):
        return jaccard(bodies[ids[index]], bodies[original]) >= 0.7

    assert classify_duplicates(ids, sims, [], [], [], max_distance=64, confirm=by_text)[1] == (
        "near_duplicate", ids[0])
    assert jaccard(base, edited) > 0.95 and jaccard(base, "something else entirely here") == 0.0


def test_known_articles_with_nan_duplicate_of_are_their_own_roots():
    """The lake reads a null `duplicate_of` back as NaN (pandas' string dtype): a near-duplicate
    of a stored article must still point at that article's id."""
    base = " ".join(f"word{i}" for i in range(300))
    edited = base.replace("word150", "changed")
    known_id = article_id(base)
    seen = []

    def confirm(index, original):
        seen.append(original)
        return True

    verdicts = classify_duplicates([article_id(base), article_id(edited)],
                                   [simhash64(base), simhash64(edited)], [known_id],
                                   [simhash64(base)], [float("nan")], max_distance=64,
                                   confirm=confirm)
    assert verdicts == [("duplicate", known_id), ("near_duplicate", known_id)]
    assert seen == [known_id]


def test_raw_article_id_normalises_encoding_and_whitespace_only():
    from newslens.ingest import raw_article_id

    raw = "Headline one\n\nCafé owners protest.\n\nFollow us on Telegram: https://t.me/x\n"
    same = "\ufeffHeadline one\r\n\r\nCafe\u0301 owners  protest.\r\n\r\nFollow us on Telegram: https://t.me/x"
    assert raw_article_id(raw) == raw_article_id(same)
    assert raw_article_id(raw) != raw_article_id(raw.replace("Headline one", "Headline two"))


def test_same_body_under_another_headline_is_a_near_duplicate(tmp_path):
    from newslens.config import Settings
    from newslens.lake import read_table
    from newslens.pipeline.runner import run_pipeline

    body = _article(1, 200)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(f"Headline one\n\n{body}\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(f"date 2024-01 Another title\n\n{body}\n", encoding="utf-8")
    summary = run_pipeline(tmp_path / "in", Settings(lake=tmp_path / "lake"), stages=["ingest"])
    assert (summary.n_new, summary.n_near_duplicate) == (1, 1)
    articles = read_table(tmp_path / "lake", "articles")
    assert articles["article_id"].nunique() == 2 and articles["duplicate_of"].notna().sum() == 1
