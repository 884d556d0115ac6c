"""Reading evaluation data: each format problem is an error naming the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslens.config import Settings
from newslens.evaluate.datasets import (DataSpec, content_hash, parse_columns, parse_pairs,
                                        read_sentiment, read_stance, read_translation)
from newslens.evaluate.labels import LabelReader
from newslens.evaluate.records import DataFormatError
from newslens.pipeline.model_steps import targets_from

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate"


@pytest.fixture(scope="module")
def targets():
    return targets_from(Settings())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fails(fn, *args, where: str, match: str) -> None:
    with pytest.raises(DataFormatError, match=match) as err:
        fn(*args)
    assert str(err.value).startswith(where), str(err.value)


# --- translation -------------------------------------------------------------------------------

def test_translation_jsonl_and_flores_style_pair_read(tmp_path):
    items = read_translation(DataSpec(FIXTURES / "translation.jsonl"))
    assert list(items.columns) == ["line", "source", "reference", "lang"]
    assert items["lang"].tolist() == ["it", "it", "de", "de", "fr"]
    pair = read_translation(DataSpec(FIXTURES / "flores.ita_Latn.devtest",
                                     ref_path=FIXTURES / "flores.eng_Latn.devtest",
                                     lang="ita_Latn", limit=3))
    assert pair["line"].tolist() == [1, 2, 3] and set(pair["lang"]) == {"it"}
    assert pair["reference"].iloc[0] == "The government approved the gas law."


def test_translation_jsonl_errors_name_the_line(tmp_path):
    good = '{"source": "Ciao a tutti.", "reference": "Hello all.", "lang": "it"}\n'
    bad_json = write(tmp_path, "a.jsonl", good + good + '{"source": "x", \n')
    fails(read_translation, DataSpec(bad_json), where=f"{bad_json}:3:", match="invalid JSON")
    not_object = write(tmp_path, "b.jsonl", good + '["a list"]\n')
    fails(read_translation, DataSpec(not_object), where=f"{not_object}:2:", match="JSON object")
    no_ref = write(tmp_path, "c.jsonl", good + '{"source": "Buongiorno.", "lang": "it"}\n')
    fails(read_translation, DataSpec(no_ref), where=f"{no_ref}:2:", match="empty reference")
    no_lang = write(tmp_path, "d.jsonl", good + '{"source": "Salve.", "reference": "Hi."}\n')
    fails(read_translation, DataSpec(no_lang), where=f"{no_lang}:2:", match="empty language")
    english = write(tmp_path, "e.jsonl", good + '{"source": "Hi.", "reference": "Hi.", "lang": "en"}\n')
    fails(read_translation, DataSpec(english), where=f"{english}:2:", match="English")
    bad_lang = write(tmp_path, "f.jsonl", '{"source": "a", "reference": "b", "lang": "it!"}\n')
    fails(read_translation, DataSpec(bad_lang), where=f"{bad_lang}:1:", match="not a language")


def test_translation_csv_errors_name_the_line(tmp_path):
    missing = write(tmp_path, "m.csv", "src,lang\nCiao.,it\n")
    fails(read_translation, DataSpec(missing), where=f"{missing}:1:",
          match="missing column for reference")
    ragged = write(tmp_path, "r.csv", 'source,reference,lang\n"Ciao.",Hello.,it\n'
                                      '"Una riga\nsu due righe.",A line on two lines.,it\n'
                                      'troppi,campi,it,qui\n')
    fails(read_translation, DataSpec(ragged), where=f"{ragged}:5:", match="4 fields")
    empty = write(tmp_path, "e.tsv", "source\treference\tlang\nCiao.\tHello.\tit\n\tHi.\tit\n")
    fails(read_translation, DataSpec(empty), where=f"{empty}:3:", match="empty source")
    no_lang = write(tmp_path, "n.csv", "source,reference\nCiao.,Hello.\n")
    fails(read_translation, DataSpec(no_lang), where=f"{no_lang}:1:", match="missing column for lang")
    items = read_translation(DataSpec(no_lang, lang="it"))
    assert items["lang"].tolist() == ["it"]


def test_a_multi_line_csv_record_reports_the_line_it_starts_on(tmp_path):
    path = write(tmp_path, "q.csv", 'source,reference,lang\n"Una riga\nsu due.",Two lines.,it\n'
                                    'Ciao.,,it\n')
    fails(read_translation, DataSpec(path), where=f"{path}:4:", match="empty reference")
    ok = read_translation(DataSpec(write(tmp_path, "ok.csv", 'source,reference,lang\n'
                                         '"Una riga\nsu due.",Two lines.,it\nCiao.,Hi.,it\n')))
    assert ok["line"].tolist() == [2, 4]


def test_plain_text_pairs_must_align_and_have_no_blank_lines(tmp_path):
    src = write(tmp_path, "src.txt", "Uno.\nDue.\nTre.\n")
    ref = write(tmp_path, "ref.txt", "One.\nTwo.\n")
    fails(read_translation, DataSpec(src, ref_path=ref, lang="it"), where=f"{src}:3:",
          match="3 lines and the reference 2")
    blank = write(tmp_path, "blank.txt", "One.\n\nThree.\n")
    fails(read_translation, DataSpec(src, ref_path=blank, lang="it"), where=f"{blank}:2:",
          match="blank line")
    with pytest.raises(DataFormatError, match="need --lang"):
        read_translation(DataSpec(src, ref_path=ref))


def test_undecodable_bytes_are_reported_at_their_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"source": "a", "reference": "b", "lang": "it"}\n{"source": "caf\xe9"}\n')
    fails(read_translation, DataSpec(path), where=f"{path}:2:", match="UTF-8")


def test_columns_option_names_other_columns(tmp_path):
    path = write(tmp_path, "w.csv", "it_text,en_text\nCiao.,Hello.\n")
    items = read_translation(DataSpec(path, lang="it",
                                      columns=parse_columns("source=it_text,reference=en_text",
                                                            "translation")))
    assert items[["source", "reference"]].values.tolist() == [["Ciao.", "Hello."]]
    with pytest.raises(ValueError, match="ROLE=COLUMN"):
        parse_columns("label=x", "translation")
    fails(read_translation, DataSpec(path, lang="it", columns={"source": "nope"}),
          where=f"{path}:1:", match="no column 'nope'")


# --- sentiment ---------------------------------------------------------------------------------

def test_sentiment_labels_by_name_any_case_and_by_numeric_order():
    items = read_sentiment(DataSpec(FIXTURES / "sentiment.csv"))
    assert items["label"].tolist() == ["positive", "negative", "neutral", "positive",
                                       "negative", "neutral"]
    numeric = read_sentiment(DataSpec(FIXTURES / "sentiment_numeric.tsv",
                                      labels="negative,neutral,positive"))
    assert numeric["label"].tolist() == ["positive", "negative", "neutral"]
    assert numeric["lang"].isna().all()
    reordered = read_sentiment(DataSpec(FIXTURES / "sentiment_numeric.tsv",
                                        labels="positive,neutral,negative"))
    assert reordered["label"].tolist() == ["negative", "positive", "neutral"]


def test_sentiment_label_errors_name_the_line(tmp_path):
    fails(read_sentiment, DataSpec(FIXTURES / "sentiment_numeric.tsv"),
          where=f"{FIXTURES / 'sentiment_numeric.tsv'}:2:", match="needs --labels")
    path = write(tmp_path, "s.csv", "text,label\nGood.,positive\nMeh.,mixed\n")
    fails(read_sentiment, DataSpec(path), where=f"{path}:3:", match="unknown label 'mixed'")
    mapped = read_sentiment(DataSpec(path, label_map="mixed=neutral"))
    assert mapped["label"].tolist() == ["positive", "neutral"]
    out_of_range = write(tmp_path, "o.csv", "text,label\nGood.,1\nBad.,3\n")
    fails(read_sentiment, DataSpec(out_of_range, labels="negative,neutral,positive"),
          where=f"{out_of_range}:3:", match="outside --labels")
    no_label = write(tmp_path, "n.jsonl", '{"text": "Fine."}\n')
    fails(read_sentiment, DataSpec(no_label), where=f"{no_label}:", match="missing column for label")


def test_label_options_are_checked():
    with pytest.raises(ValueError, match="--labels"):
        LabelReader.from_options("sentiment", "negative,positive,positive", None)
    with pytest.raises(ValueError, match="--label-map"):
        LabelReader.from_options("stance", None, "pro=yes")


# --- stance ------------------------------------------------------------------------------------

def test_stance_targets_by_id_or_name_and_labels_any_case(targets):
    items = read_stance(DataSpec(FIXTURES / "stance.csv"), targets)
    assert items["target_id"].tolist() == ["ukraine", "russia", "nato", "russia", "nato",
                                           "united_states"]
    assert items["label"].tolist() == ["favor", "against", "none", "favor", "against", "none"]


def test_wide_stance_file_with_named_column_pairs(targets):
    spec = DataSpec(FIXTURES / "stance_wide.csv",
                    stance_pairs=parse_pairs("Target 1:Stance 1,Target 2:Stance 2"))
    items = read_stance(spec, targets)
    assert items[["line", "target_id", "label"]].values.tolist() == [
        [2, "ukraine", "favor"], [2, "united_states", "favor"],
        [3, "russia", "none"], [3, "nato", "against"], [4, "russia", "none"]]  # 4: pair 2 empty


def test_wide_pairs_may_name_a_fixed_target(tmp_path, targets):
    path = write(tmp_path, "fixed.csv", "text,russia_label,nato_label\nA text.,pro,\n")
    items = read_stance(DataSpec(path, stance_pairs=parse_pairs("russia:russia_label,NATO:nato_label"),
                                 label_map="pro=favor"), targets)
    assert items[["target_id", "label"]].values.tolist() == [["russia", "favor"]]


def test_stance_errors_name_the_line(tmp_path, targets):
    path = write(tmp_path, "t.csv", "text,target,label\nA.,Russia,favor\nB.,Atlantis,against\n")
    fails(read_stance, DataSpec(path), targets, where=f"{path}:3:", match="'Atlantis' is not in")
    path = write(tmp_path, "l.csv", "text,target,label\nA.,Russia,favor\nB.,NATO,maybe\n")
    fails(read_stance, DataSpec(path), targets, where=f"{path}:3:", match="unknown label 'maybe'")
    path = write(tmp_path, "e.csv", "text,target,label\nA.,,favor\n")
    fails(read_stance, DataSpec(path), targets, where=f"{path}:2:", match="empty target")
    with pytest.raises(DataFormatError, match="neither a column nor a target"):
        read_stance(DataSpec(path, stance_pairs=[("Target 9", "label")]), targets)


def test_content_hash_follows_the_items_not_the_file_format(tmp_path):
    csv = write(tmp_path, "a.csv", "text,label\nGood.,positive\nBad.,negative\n")
    jsonl = write(tmp_path, "a.jsonl", '{"text": "Good.", "label": "POSITIVE"}\n\n'
                                       '{"text": "Bad.", "label": "negative"}\n')
    assert content_hash(read_sentiment(DataSpec(csv))) == content_hash(read_sentiment(DataSpec(jsonl)))
    assert content_hash(read_sentiment(DataSpec(csv, limit=1))) != content_hash(
        read_sentiment(DataSpec(csv)))


def test_unicode_line_separators_inside_a_record_do_not_split_it(tmp_path):
    jsonl = write(tmp_path, "u.jsonl", '{"text": "Good\u2028news.", "label": "positive"}\n'
                                       '{"text": "Bad.", "label": "negative"}\n')
    assert read_sentiment(DataSpec(jsonl))["line"].tolist() == [1, 2]
    csv = write(tmp_path, "u.csv", 'text,label\n"Good\u2029news.",positive\nBad.,negative\n')
    items = read_sentiment(DataSpec(csv))
    assert items["line"].tolist() == [2, 3] and "\u2029" in items["text"].iloc[0]
