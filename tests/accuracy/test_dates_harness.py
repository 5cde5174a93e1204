"""The dates task of the accuracy harness: TimeML reader, TE3 metric, adapters and run().

Fixtures (tests/fixtures/accuracy/dates/) are invented TimeML documents laid out like the
StructTempRel copy of TempEval-3's training data; every figure below is counted by hand.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from accuracy.core import Options, TaskResult
from accuracy.metrics.timex import (
    TimexCounts, relaxed_pairs, score_by_type, score_corpus, score_document, strict_pairs,
)
from accuracy.readers.timeml import Timex, parse_timeml, read_folder, read_timeml
from accuracy.tasks import dates
from nevextract.records import ArticleRecord, DateMention, Quantity

TBAQ = Path("dates/structtemprel/data/TempEval3/Training/TBAQ-cleaned")


def tx(start: int, end: int, type_: str | None = "DATE", value: str | None = None) -> Timex:
    return Timex("x", type_, value, start, end, "")


# ----------------------------------------------------------------------------- reader


def test_reader_text_offsets_entities_and_empty_timex(fixtures: Path) -> None:
    doc = read_timeml(fixtures / TBAQ / "TimeBank" / "EVX20240306.0001.tml")
    assert doc.id == "EVX20240306.0001"
    assert doc.text == (
        "\nVoltra Motors & Partners said deliveries rose in February.\n\n"
        "The plant will run for three years and is inspected every week. "
        "By 2025 it hopes to double output.\n"
    )
    assert doc.dct_date == "2024-03-06"
    assert doc.dct == Timex("t0", "DATE", "2024-03-06", 0, 0, "20240306")
    assert doc.timexes == [
        Timex("t1", "DATE", "2024-02", 50, 58, "February"),
        Timex("t2", "DURATION", "P3Y", 84, 95, "three years"),
        Timex("t3", "SET", "P1W", 113, 123, "every week"),
        Timex("t4", "DATE", "2025", 128, 132, "2025"),
        Timex("t5", "DATE", "2024-Q2", 159, 159, ""),  # empty TIMEX3: a zero-width span
    ]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.surface


def test_reader_dct_with_time_gives_the_day(fixtures: Path) -> None:
    doc = read_timeml(fixtures / TBAQ / "AQUAINT" / "NYX20231120.0003.tml")
    assert doc.dct is not None and doc.dct.value == "2023-11-20T09:00"
    assert doc.dct_date == "2023-11-20"
    assert [(t.start, t.end, t.value) for t in doc.timexes] == [(30, 34, "2022"), (57, 66, "2024")]


def test_reader_nested_markup_inside_a_timex() -> None:
    xml = (
        '<TimeML><DOCID>n1</DOCID><TEXT>Sales <EVENT eid="e1">fell</EVENT> at '
        '<TIMEX3 tid="t1" type="DATE" value="2024-06">the <SIGNAL sid="s1">end</SIGNAL> of June</TIMEX3>'
        " &lt;final&gt;.</TEXT></TimeML>"
    )
    doc = parse_timeml(xml)
    assert doc.text == "Sales fell at the end of June <final>."
    assert doc.timexes == [Timex("t1", "DATE", "2024-06", 14, 29, "the end of June")]
    assert doc.dct is None and doc.dct_date is None


def test_reader_folder_in_name_order(fixtures: Path) -> None:
    docs = read_folder(fixtures / TBAQ / "TimeBank")
    assert [d.id for d in docs] == ["EVX20240306.0001", "EVX20240410.0002"]
    assert [len(d.timexes) for d in docs] == [5, 2]


def test_reader_without_text_raises() -> None:
    with pytest.raises(ValueError, match="no TEXT"):
        parse_timeml("<TimeML><DOCID>x</DOCID></TimeML>", doc_id="x")


# ----------------------------------------------------------------------------- metric

GOLD = [
    tx(0, 6, "DATE", "2024-03-04"),
    tx(10, 18, "DATE", "2024-02"),
    tx(20, 31, "DURATION", "P3Y"),
    tx(40, 50, "SET", "P1W"),
]
PRED = [
    tx(0, 6, "DATE", "2024-03-04"),  # strict, value and type right
    tx(7, 18, "DATE", "2024-02-01"),  # overlaps gold 2 only; wrong value; type right
    tx(20, 31, "DATE", "2027"),  # same span as the duration; type and value wrong
    tx(60, 64, "DATE", "2024"),  # nothing there
]


def test_pairs() -> None:
    assert relaxed_pairs(GOLD, PRED) == [(0, 0), (1, 1), (2, 2)]
    assert strict_pairs(GOLD, PRED) == [(0, 0), (2, 2)]


def test_score_all_types() -> None:
    c = score_document(GOLD, PRED)
    # relaxed 3 pairs of 4 gold / 4 predicted; strict 2; value right once; type right twice
    assert (c.relaxed.tp, c.relaxed.fp, c.relaxed.fn) == (3, 1, 1)
    assert (c.strict.tp, c.strict.fp, c.strict.fn) == (2, 2, 2)
    assert (c.value.tp, c.value.fp, c.value.fn) == (1, 3, 3)
    assert (c.type.tp, c.type.fp, c.type.fn) == (2, 2, 2)
    assert c.figures() == {
        "relaxed P": 75.0, "relaxed R": 75.0, "relaxed F1": 75.0,
        "strict F1": 50.0, "value F1": 25.0, "type F1": 50.0,
    }
    # TE3: attribute F1 = relaxed F1 x accuracy over matched pairs (0.75 x 1/3)
    assert c.value.f1 == pytest.approx(c.relaxed.f1 * 1 / 3)


def test_score_one_type() -> None:
    c = score_document(GOLD, PRED, timex_type="DATE")
    # gold: 2 DATEs; system: 4 labelled DATE; relaxed 2, strict 1, value 1
    assert (c.relaxed.tp, c.relaxed.fp, c.relaxed.fn) == (2, 2, 0)
    assert c.figures(prefix="DATE ") == {
        "DATE relaxed P": 50.0, "DATE relaxed R": 100.0, "DATE relaxed F1": 66.7,
        "DATE strict F1": 33.3, "DATE value F1": 33.3, "DATE type F1": 66.7,
    }
    d = score_document(GOLD, PRED, timex_type="DURATION")
    assert (d.relaxed.tp, d.relaxed.fp, d.relaxed.fn) == (0, 0, 1)
    by_type = score_by_type([(GOLD, PRED)])
    assert list(by_type) == ["DATE", "TIME", "DURATION", "SET"]
    assert (by_type["SET"].relaxed.tp, by_type["SET"].relaxed.fp, by_type["SET"].relaxed.fn) == (0, 0, 1)
    assert by_type["DATE"].strict.tp == 1


def test_matching_is_one_to_one() -> None:
    # one prediction across two gold expressions matches only the first
    c = score_document([tx(0, 10), tx(12, 20)], [tx(5, 15)])
    assert (c.relaxed.tp, c.relaxed.fp, c.relaxed.fn) == (1, 0, 1)
    # two predictions inside one gold expression: one match, one false positive
    c = score_document([tx(0, 10)], [tx(0, 3), tx(4, 8)])
    assert (c.relaxed.tp, c.relaxed.fp, c.relaxed.fn) == (1, 1, 0)
    assert (c.strict.tp, c.strict.fp, c.strict.fn) == (0, 2, 1)
    # two identical predictions: the strict match is used once
    c = score_document([tx(0, 4)], [tx(0, 4), tx(0, 4)])
    assert (c.strict.tp, c.strict.fp, c.strict.fn) == (1, 1, 0)


def test_empty_gold_span_needs_the_same_empty_span() -> None:
    assert relaxed_pairs([tx(5, 5)], [tx(0, 10)]) == []
    assert relaxed_pairs([tx(5, 5)], [tx(5, 5)]) == [(0, 0)]
    assert relaxed_pairs([tx(0, 5)], [tx(5, 9)]) == []  # touching is not overlapping


def test_missing_values_are_never_right() -> None:
    c = score_document([tx(0, 4, value=None)], [tx(0, 4, value=None)])
    assert (c.value.tp, c.value.fp, c.value.fn) == (0, 1, 1)


def test_corpus_counts_are_summed() -> None:
    total = score_corpus([(GOLD, PRED), ([tx(0, 4, value="2024")], [tx(0, 4, value="2024")])])
    assert isinstance(total, TimexCounts)
    assert (total.relaxed.tp, total.relaxed.fp, total.relaxed.fn) == (4, 1, 1)
    assert (total.value.tp, total.value.fp, total.value.fn) == (2, 3, 3)


# ----------------------------------------------------------------------------- adapters


def test_a_record_is_scored_through_its_timeml_export() -> None:
    body = "Sales rose on Monday after three years of decline; H1 2024 was weak."
    record = ArticleRecord(
        id="r1", body=body, published="2024-03-06",
        dates=[DateMention(start=14, end=20, text="Monday", value="2024-03-04", granularity="day"),
               DateMention(start=51, end=58, text="H1 2024", value="2024-01", granularity="month", value_end="2024-06")],
        quantities=[Quantity(start=27, end=38, text="three years", value=3, unit="year", kind="duration")],
    )
    assert dates.record_timexes(record) == [
        Timex("t1", "DATE", "2024-03-04", 14, 20, "Monday"),
        Timex("t2", "DURATION", "P3Y", 27, 38, "three years"),
        Timex("t3", "DATE", "2024-01", 51, 58, "H1 2024"),  # a period keeps its start
    ]
    assert dates.record_timexes(None) == []


def test_locate_in_order() -> None:
    text = "Sales rose on Monday, and again on Monday."
    found = [("Monday", dt.datetime(2024, 3, 4)), ("Tuesday", dt.datetime(2024, 3, 5)),
             ("on Monday", dt.datetime(2024, 3, 4, 12))]
    assert dates.locate(text, found) == [
        Timex("d0", "DATE", "2024-03-04", 14, 20, "Monday"),
        Timex("d1", "DATE", "2024-03-04", 32, 41, "on Monday"),  # searched after the first
    ]


# ----------------------------------------------------------------------------- run


@pytest.fixture(scope="module")
def rules_run() -> TaskResult:
    data = Path(__file__).resolve().parents[1] / "fixtures" / "accuracy" / "dates"
    return dates.run(Options(data=data, modes=("rules",), peers=False))


def test_run_rows_on_fixture_folder(rules_run: TaskResult) -> None:
    assert rules_run.errors == [] and rules_run.missing == []
    systems = [(r.corpus, r.system) for r in rules_run.rows]
    assert systems == [
        ("timebank", "nevextract rules"),
        ("timebank", "HeidelTime (published, TE3 platinum test)"),
        ("timebank", "SUTime (published, TE3 platinum test)"),
        ("aquaint", "nevextract rules"),
        ("aquaint", "HeidelTime (published, TE3 platinum test)"),
        ("aquaint", "SUTime (published, TE3 platinum test)"),
    ]
    tb = rules_run.rows[0]
    assert tb.field == "dates" and tb.size == "2 documents, 7 TIMEX3"
    # gold 7 (5 DATE), system 6: "February" (exact), "2025" of "By 2025" (exact: the
    # preposition is no part of the span), "March 18, 2024" (exact), "now" (PRESENT_REF, a
    # time reference), "three years" as a DURATION P3Y (a duration quantity, through the
    # TimeML export) and "every week" as a SET P1W (a recurrence among the time references);
    # missed: the empty TIMEX3. No TIME in gold or output: its F1 is 0 by convention.
    assert tb.metrics == {
        "relaxed P": 100.0, "relaxed R": 85.7, "relaxed F1": 92.3, "strict F1": 92.3,
        "value F1": 92.3, "type F1": 92.3,
        "DATE relaxed F1": 88.9, "DATE strict F1": 88.9, "DATE value F1": 88.9,
        "TIME value F1": 0.0, "DURATION value F1": 100.0, "SET value F1": 100.0,
    }
    assert tb.words_per_s is not None and tb.words_per_s > 0
    aq = rules_run.rows[3]
    assert aq.size == "1 documents, 2 TIMEX3"
    assert aq.metrics["strict F1"] == 100.0 and aq.metrics["value F1"] == 100.0


def test_published_rows(rules_run: TaskResult) -> None:
    heidel = rules_run.rows[1]
    assert heidel.metrics == {"strict F1": 81.3, "relaxed F1": 90.3, "value F1": 77.6, "type F1": 82.1}
    assert heidel.words_per_s is None and heidel.source is not None and "UzZaman" in heidel.source
    assert heidel.split == "TE3 platinum test (not this split)"


def test_missing_corpora_and_selection(tmp_path: Path, fixtures: Path) -> None:
    assert dates.run(Options(data=tmp_path, modes=(), peers=False)).missing == ["timebank", "aquaint"]
    only = dates.run(Options(data=fixtures / "dates", modes=(), peers=False, corpora=("aquaint",)))
    assert only.missing == [] and {r.corpus for r in only.rows} == {"aquaint"}


def test_peer_not_installed(monkeypatch: pytest.MonkeyPatch, fixtures: Path) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)  # makes `import dateparser` fail
    result = dates.run(Options(data=fixtures / "dates", modes=(), peers=True, corpora=("aquaint",)))
    peer = result.rows[0]
    assert peer.system == "dateparser search_dates"
    assert peer.metrics == {} and peer.note == "not installed: pip install dateparser"
