"""Claims: nevextract's attributed statements against PolNeAR's attribution relations.

Corpus: PolNeAR (Newell, Margolin & Ruths, LREC 2018), US political news of 2015-16 with
every attribution annotated as source, cue and content spans (brat standoff; reader
`readers/brat.py`). Its train and dev splits are our development data; its test split is
held back and never read. The PARC3 replication part has annotations but no text (the
articles are Penn Treebank's, not distributed), so it cannot be scored.

Each document's text is given to every system as it is: nevextract runs with `clean=False`
(its offsets then index the same text as the gold) and the publication date taken from the
file name (`nyt_2016-10-02_slug`). The metric is `metrics/attribution.py`: a claim detects a
gold attribution when their contents overlap by ≥ 50 % of the shorter; end-to-end also
needs the speaker to match the gold Source; "speech" figures keep the gold attributions
whose cue is a verb of saying (`speech_cues.txt`). PolNeAR also annotates beliefs, plans
and evidence ("polls show …", "he wants …"), which nevextract does not mean to cover, so the
speech rows are the ones that measure its intended scope.

Peer: textacy's `direct_quotations` (rules over a spaCy parse; direct quotes only), run on
`en_core_web_sm` with its lemmatizer. It raises on a document with an odd number of
quotation marks; such a document counts as no output and the row's note says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regex

from accuracy.core import (
    Corpus, Options, Row, SweepError, TaskResult, limited, present_corpora, rate, run_nevextract, timed, words_in,
)
from accuracy.metrics.attribution import AttributionScore, PredictedClaim, is_speech, score_document
from accuracy.readers.brat import BratDocument, read_corpus

FIELD = "claims"

_REPO = "https://github.com/networkdynamics/PolNeAR"
_LICENCE = ("no licence stated (README and repository name none); cite Newell, Margolin & Ruths, "
            "LREC 2018; article text © its publishers")


# what is read in that repository: data/{train,dev}/text/*.txt + data/{train,dev}/attributions/*.ann
CORPORA: list[Corpus] = [
    Corpus("polnear-train", "polnear/data/train", "train (development)", _LICENCE, _REPO),
    Corpus("polnear-dev", "polnear/data/dev", "dev", _LICENCE, _REPO),
]

# Present in the download but not scored, and why.
UNUSABLE: dict[str, str] = {
    "polnear-parc3-replication": "data/parc3-replication has attributions only, no text: the "
    "articles are Penn Treebank 2 (WSJ), licensed by the LDC and not distributed with PolNeAR",
}

# PolNeAR's paper reports annotation agreement, not a system's scores on this metric, so no
# published figure is comparable.

_DATE_IN_NAME = regex.compile(r"^[a-z-]+_(\d{4}-\d{2}-\d{2})_")

# One system's claims for each document, in the documents' order.
Predictions = list[list[PredictedClaim]]


# ----------------------------------------------------------------------------- adapters


def published_of(doc_id: str) -> str | None:
    """The publication date in a PolNeAR file name ('nyt_2016-10-02_slug'), if it parses."""
    m = _DATE_IN_NAME.match(doc_id)
    return m.group(1) if m else None


def claim_of(claim: Any) -> PredictedClaim:
    """A nevextract `Claim` as a prediction; a speaker span is kept if the record has one."""
    s, e = getattr(claim, "speaker_start", None), getattr(claim, "speaker_end", None)
    return PredictedClaim(claim.start, claim.end, claim.speaker, claim.cue, claim.kind, claim.content,
                          s if isinstance(s, int) else None, e if isinstance(e, int) else None)


def _record_claims(record: Any) -> list[PredictedClaim]:
    return [claim_of(c) for c in record.claims] if record is not None else []


# ----------------------------------------------------------------------------- systems


def nevextract_predictions(
    mode: str, corpus: str, docs: Sequence[BratDocument]
) -> tuple[Predictions, float, list[SweepError]]:
    """nevextract's claims per document, seconds of extraction, and the sweep's errors."""
    items = [{"id": d.id, "text": d.text, "published": published_of(d.id), "clean": False} for d in docs]
    run = run_nevextract(mode, corpus, items)
    errors = list(run.errors)
    for doc, rec in zip(docs, run.records):
        # with clean=False the body is the text itself; if not, offsets would not be comparable
        if rec is not None and rec.body != doc.text:
            errors.append(SweepError(corpus, doc.id, "body differs from the corpus text: offsets not comparable"))
    return [_record_claims(r) for r in run.records], run.seconds, errors


def _textacy_version() -> str | None:
    try:
        import textacy
    except ImportError:
        return None
    return str(getattr(textacy, "__version__", "")).strip() or "?"


def _quotations(doc: Any) -> list[PredictedClaim]:
    from textacy.extract.triples import direct_quotations

    out = []
    for speaker, cue, content in direct_quotations(doc):
        out.append(PredictedClaim(
            content.start_char, content.end_char, " ".join(t.text for t in speaker),
            " ".join(t.text for t in cue), "direct", content.text,
        ))
    return out


def textacy_predictions(docs: Sequence[BratDocument]) -> tuple[Predictions, float, int]:
    """Predictions, seconds of parsing and extraction (model loading excluded), and the
    number of documents on which textacy raised (scored as no output)."""
    from nevextract.nlp import load_model

    nlp = load_model(exclude=())  # textacy matches reporting verbs by lemma
    preds: Predictions = []
    crashed = 0

    def go() -> None:
        nonlocal crashed
        for doc in nlp.pipe(d.text for d in docs):
            try:
                preds.append(_quotations(doc))
            except Exception:  # noqa: BLE001 - counted in the row's note; the peer goes on
                crashed += 1
                preds.append([])

    _, seconds = timed(go)
    return preds, seconds, crashed


# ----------------------------------------------------------------------------- scoring


def speech_flags(docs: Sequence[BratDocument]) -> list[list[bool]]:
    """Whether each gold attribution's cue is speech, per document (computed once)."""
    return [[is_speech(a.cue_text) for a in d.attributions] for d in docs]


def score(docs: Sequence[BratDocument], preds: Predictions, speech: Sequence[Sequence[bool]]) -> AttributionScore:
    total = AttributionScore()
    for doc, pred, flags in zip(docs, preds, speech):
        total += score_document(doc.attributions, pred, flags)
    return total


# ----------------------------------------------------------------------------- run


def _size(docs: Sequence[BratDocument], speech: Sequence[Sequence[bool]]) -> str:
    n = sum(len(d.attributions) for d in docs)
    n_speech = sum(sum(f) for f in speech)
    return f"{len(docs):,} documents, {n:,} attributions ({n_speech:,} speech)"


def _row(corpus: Corpus, size: str, system: str, metrics: dict[str, float],
         words_per_s: float | None, note: str | None = None) -> Row:
    return Row(FIELD, corpus.name, corpus.split, size, corpus.licence, system, metrics, words_per_s, None, note)


def _peer_rows(corpus: Corpus, docs: Sequence[BratDocument], speech: Sequence[Sequence[bool]],
               size: str, words: int) -> list[Row]:
    version = _textacy_version()
    if version is None:
        return [_row(corpus, size, "textacy direct_quotations", {}, None, note="not installed: pip install textacy")]
    preds, seconds, crashed = textacy_predictions(docs)
    note = "direct quotes only; spaCy en_core_web_sm parse included in the time"
    if crashed:
        note += f"; crashed on {crashed} of {len(docs)} documents (scored as no output)"
    return [_row(corpus, size, f"textacy {version} direct_quotations", score(docs, preds, speech).figures(),
                 round(rate(words, seconds)), note=note)]


def _corpus_rows(corpus: Corpus, docs: Sequence[BratDocument], opts: Options, result: TaskResult) -> None:
    words = words_in(d.text for d in docs)
    speech = speech_flags(docs)
    size = _size(docs, speech)
    for mode in opts.modes:
        preds, seconds, errors = nevextract_predictions(mode, corpus.name, docs)
        result.errors.extend(errors)
        note = f"{len(errors)} documents with errors (scored as no output)" if errors else None
        result.rows.append(_row(corpus, size, f"nevextract {mode}", score(docs, preds, speech).figures(),
                                round(rate(words, seconds)), note=note))
    if opts.peers:
        result.rows.extend(_peer_rows(corpus, docs, speech, size, words))


def _present(folder: Path) -> bool:
    return (folder / "text").is_dir() and any((folder / "attributions").glob("*.ann"))


def run(opts: Options) -> TaskResult:
    result = TaskResult()
    for corpus, folder in present_corpora(CORPORA, opts, result, _present):
        docs = list(limited(read_corpus(folder), opts.limit))
        _corpus_rows(corpus, docs, opts, result)
    return result
