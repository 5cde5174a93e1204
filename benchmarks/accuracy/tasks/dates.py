"""Dates: nevextract's date mentions against TimeML TIMEX3 gold, scored the TempEval-3 way.

Corpora: the TimeBank and AQUAINT parts of TempEval-3's training data (TBAQ-cleaned), as
kept in the StructTempRel repository. They are our development split; TempEval-3's
platinum test set (`data/TempEval3/Evaluation/` there) is held back and never read.

Each document's TEXT (tags removed) is given to every system as it is; nevextract runs
with `clean=False` and the document creation time (DCT) as its publication date, so its
offsets index the same text as the gold. The metric is `metrics/timex.py` (TE3 relaxed
and strict extent, value and type F1).

nevextract is scored through its own TimeML export (`nevextract.timeml.to_timeml`), read
back with the same reader as the gold: its date mentions are DATEs (their ISO value is
TimeML's at its granularity, or the reading its `timex` gives: a week, a season, a part of
a day as a TIME), its duration quantities DURATIONs (P5Y), its time references PRESENT_REF
/ PAST_REF / FUTURE_REF DATEs and recurrences SETs (P1D, XXXX-WXX-1). Clock times are
outside its contract; the per-type columns show each part.

Peer: dateparser's `search_dates` (relative expressions resolved against the DCT). It
returns strings, not offsets: each is located in the text in order, after the previous
one. It resolves everything to a datetime, so its values are written at day granularity
and its type is always DATE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accuracy.core import (
    Corpus, Options, Published, Row, SweepError, TaskResult, limited, present_corpora, published_rows, rate,
    run_nevextract, timed, words_in,
)
from accuracy.metrics.timex import TimexCounts, score_corpus
from accuracy.readers.timeml import TimeMLDocument, Timex, parse_timeml, read_folder

FIELD = "dates"

_REPO = "https://github.com/qiangning/StructTempRel-EMNLP17"
_TBAQ = "structtemprel/data/TempEval3/Training/TBAQ-cleaned"


# what is read in that repository: data/TempEval3/Training/TBAQ-cleaned/{TimeBank,AQUAINT}/*.tml
CORPORA: list[Corpus] = [
    Corpus("timebank", f"{_TBAQ}/TimeBank", "TE3 training (TBAQ-cleaned), used as dev", "research use", _REPO),
    Corpus("aquaint", f"{_TBAQ}/AQUAINT", "TE3 training (TBAQ-cleaned), used as dev", "research use", _REPO),
]

_TE3 = ("UzZaman et al. 2013, SemEval-2013 Task 1: TempEval-3, Task A (time expressions) results; "
        "measured on the TempEval-3 platinum test set, not on this split")
_TE3_NOTE = "published on the TE3 platinum test set, not on this split"
PUBLISHED: list[Published] = [
    Published("HeidelTime (published, TE3 platinum test)",
              {"strict F1": 81.34, "relaxed F1": 90.30, "value F1": 77.61, "type F1": 82.09}, _TE3, _TE3_NOTE),
    Published("SUTime (published, TE3 platinum test)",
              {"strict F1": 79.57, "relaxed F1": 90.32, "value F1": 67.38}, _TE3, _TE3_NOTE),
]

# One system's TIMEX3s for each document, in the documents' order.
Predictions = list[list[Timex]]


# ----------------------------------------------------------------------------- adapters


def record_timexes(record: Any) -> list[Timex]:
    """A nevextract record's TIMEX3s, as its TimeML export marks them and the reader reads
    them back (an error record has none)."""
    if record is None:
        return []
    from nevextract.timeml import to_timeml

    return parse_timeml(to_timeml(record), record.id).timexes


def locate(text: str, found: Sequence[tuple[str, dt.datetime]]) -> list[Timex]:
    """dateparser's (substring, datetime) pairs as TIMEX3s, each substring found in the
    text after the previous one (it reports them in order); one not found is dropped."""
    out: list[Timex] = []
    cursor = 0
    for surface, when in found:
        start = text.find(surface, cursor)
        if start < 0:
            continue
        cursor = start + len(surface)
        out.append(Timex(f"d{len(out)}", "DATE", when.date().isoformat(), start, cursor, surface))
    return out


# ----------------------------------------------------------------------------- systems


def nevextract_predictions(
    mode: str, corpus: str, docs: Sequence[TimeMLDocument]
) -> tuple[Predictions, float, list[SweepError]]:
    """nevextract's TIMEX3s per document, seconds of extraction, and the sweep's errors."""
    items = [{"id": d.id, "text": d.text, "published": d.dct_date, "clean": False} for d in docs]
    run = run_nevextract(mode, corpus, items)
    errors = list(run.errors)
    records = list(run.records)
    for k, (doc, rec) in enumerate(zip(docs, records)):
        # with clean=False the body is the text itself; if not, its offsets mean nothing
        # here, so the document counts as one without output, like an error record
        if rec is not None and rec.body != doc.text:
            errors.append(SweepError(corpus, doc.id, "body differs from the TimeML TEXT: offsets not comparable"))
            records[k] = None
    return [record_timexes(r) for r in records], run.seconds, errors


def dateparser_predictions(docs: Sequence[TimeMLDocument]) -> tuple[Predictions, float, int]:
    """Predictions, seconds of searching (import excluded), and documents that raised."""
    from dateparser.search import search_dates

    preds: Predictions = []
    failed = 0

    def go() -> None:
        nonlocal failed
        for doc in docs:
            base = dt.datetime.fromisoformat(doc.dct_date) if doc.dct_date else None
            settings = {"RELATIVE_BASE": base} if base else None
            try:
                found = search_dates(doc.text, languages=["en"], settings=settings) or []
            except Exception:  # noqa: BLE001 - counted in the row's note; the peer goes on
                failed += 1
                found = []
            preds.append(locate(doc.text, found))

    _, seconds = timed(go)
    return preds, seconds, failed


def _dateparser_version() -> str | None:
    try:
        import dateparser
    except ImportError:
        return None
    return str(getattr(dateparser, "__version__", "")).strip() or "?"


# ----------------------------------------------------------------------------- scoring


def metrics_of(docs: Sequence[TimeMLDocument], preds: Predictions) -> dict[str, float]:
    """The report's figures: TE3 over all TIMEX3, then DATE alone (relaxed, strict, value),
    then the value F1 of each other type (a right value needs the span found)."""
    pairs = [(d.timexes, p) for d, p in zip(docs, preds)]
    everything: TimexCounts = score_corpus(pairs)
    dates: TimexCounts = score_corpus(pairs, timex_type="DATE")
    out = everything.figures()
    date_figures = dates.figures(prefix="DATE ")
    for name in ("DATE relaxed F1", "DATE strict F1", "DATE value F1"):
        out[name] = date_figures[name]
    for timex_type in ("TIME", "DURATION", "SET"):
        name = f"{timex_type} value F1"
        out[name] = score_corpus(pairs, timex_type=timex_type).figures(prefix=f"{timex_type} ")[name]
    return out


# ----------------------------------------------------------------------------- run


def _row(corpus: Corpus, docs: Sequence[TimeMLDocument], system: str, metrics: dict[str, float],
         words_per_s: float | None, note: str | None = None, source: str | None = None) -> Row:
    n_timex = sum(len(d.timexes) for d in docs)
    return Row(FIELD, corpus.name, corpus.split, f"{len(docs):,} documents, {n_timex:,} TIMEX3",
               corpus.licence, system, metrics, words_per_s, source, note)


def _peer_rows(corpus: Corpus, docs: Sequence[TimeMLDocument], words: int) -> list[Row]:
    version = _dateparser_version()
    if version is None:
        return [_row(corpus, docs, "dateparser search_dates", {}, None, note="not installed: pip install dateparser")]
    preds, seconds, failed = dateparser_predictions(docs)
    note = "type always DATE, values at day granularity; spans located by string search"
    if failed:
        note += f"; {failed} documents raised (scored as no output)"
    return [_row(corpus, docs, f"dateparser {version} search_dates", metrics_of(docs, preds),
                 round(rate(words, seconds)), note=note)]


def _corpus_rows(corpus: Corpus, docs: Sequence[TimeMLDocument], opts: Options, result: TaskResult) -> None:
    words = words_in(d.text for d in docs)
    for mode in opts.modes:
        preds, seconds, errors = nevextract_predictions(mode, corpus.name, docs)
        result.errors.extend(errors)
        note = f"{len(errors)} documents with errors (scored as no output)" if errors else None
        result.rows.append(_row(corpus, docs, f"nevextract {mode}", metrics_of(docs, preds),
                                round(rate(words, seconds)), note=note))
    if opts.peers:
        result.rows.extend(_peer_rows(corpus, docs, words))
    # measured on TE3's platinum test set (held back here), so split and size say so
    result.rows.extend(published_rows(FIELD, corpus, "TE3 platinum test (not this split)", "TE3 platinum test set",
                                      PUBLISHED))


def _present(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.tml"))


def run(opts: Options) -> TaskResult:
    result = TaskResult()
    for corpus, folder in present_corpora(CORPORA, opts, result, _present):
        docs = list(limited(read_folder(folder), opts.limit))
        _corpus_rows(corpus, docs, opts, result)
    return result
