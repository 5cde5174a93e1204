"""The TimeML export: a record's dates and durations as TIMEX3 elements in its body."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nevextract import Extractor
from nevextract.records import ArticleRecord, DateMention, Quantity, Timex, duration_timex
from nevextract.timeml import timeml_spans, to_timeml


def test_durations_carry_their_timex_and_other_quantities_none() -> None:
    assert duration_timex(5, "year") == Timex(type="DURATION", value="P5Y")
    assert duration_timex(1.5, "h") == Timex(type="DURATION", value="PT1.5H")
    assert duration_timex(3, "decade") == Timex(type="DURATION", value="P30Y")  # as TimeBank writes them
    assert duration_timex(3, "quarter") == Timex(type="DURATION", value="P9M")
    assert duration_timex(40, "km") is None
    q = Quantity(start=0, end=8, text="36 hours", value=36, unit="h", kind="duration")
    assert q.timex == Timex(type="DURATION", value="PT36H")
    assert Quantity(start=0, end=5, text="40 km", value=40, unit="km", kind="length").timex is None


def test_a_date_mention_reads_as_a_timeml_date() -> None:
    d = DateMention(start=0, end=7, text="Q1 2025", value="2025-Q1", granularity="quarter")
    assert d.timex == Timex(type="DATE", value="2025-Q1")
    assert DateMention(start=0, end=7, text="someday", value=None).timex == Timex(type="DATE", value=None)


def test_export_round_trip_restores_the_body_and_every_span() -> None:
    body = 'Tesla & BYD said "sales" rose in March 2024 after five years; the plant ran 36 hours.'
    rec = Extractor(mode="rules").extract(body, id="a<1>", published="2025-01-15", clean=False)
    xml = to_timeml(rec)
    root = ET.fromstring(xml)
    assert root.findtext("DOCID") == "a<1>"
    dct = root.find("DCT/TIMEX3")
    assert dct is not None and (dct.get("value"), dct.get("functionInDocument"), dct.text) == (
        "2025-01-15", "CREATION_TIME", "2025-01-15")
    text_elem = root.find("TEXT")
    assert text_elem is not None and "".join(text_elem.itertext()) == body
    marked = [(e.get("type"), e.get("value"), e.text) for e in text_elem.iter("TIMEX3")]
    assert marked == [("DATE", "2024-03", "March 2024"), ("DURATION", "P5Y", "five years"),
                      ("DURATION", "PT36H", "36 hours")]


def test_overlapping_spans_keep_the_first_and_longest() -> None:
    body = "Over the past three years of growth, sales doubled."
    rec = ArticleRecord(
        id="x", body=body,
        dates=[DateMention(start=5, end=25, text="the past three years", value=None, note="no anchor")],
        quantities=[Quantity(start=14, end=25, text="three years", value=3, unit="year", kind="duration")],
    )
    assert [(s, e, t.type) for s, e, t in timeml_spans(rec)] == [(5, 25, "DATE")]
    assert "<DCT>" not in to_timeml(rec)  # no publication date, no creation time


def test_a_duration_is_marked_with_its_frame_and_its_qualifier() -> None:
    body = "Sales fell over the last five years; in the nine months output doubled, in almost two decades."
    rec = Extractor(mode="rules").extract(body, id="d", clean=False)
    assert [(body[s:e], t.value) for s, e, t in timeml_spans(rec)] == [
        ("the last five years", "P5Y"), ("the nine months", "P9M"), ("almost two decades", "P20Y"),
    ]


def test_a_range_is_one_period_in_the_record_and_two_dates_in_timeml() -> None:
    body = "Output rose in 2009-2010, from January to March 2024 and between 1994 and 1997, and in 2024-25."
    rec = Extractor(mode="rules").extract(body, id="r", published="2025-01-15", clean=False)
    assert [(d.text, d.value, d.value_end) for d in rec.dates] == [
        ("2009-2010", "2009", "2010"), ("January to March 2024", "2024-01", "2024-03"),
        ("between 1994 and 1997", "1994", "1997"), ("2024-25", "2024", "2025"),
    ]
    assert [(body[s:e], t.value) for s, e, t in timeml_spans(rec)] == [
        ("2009", "2009"), ("2010", "2010"), ("January", "2024-01"), ("March 2024", "2024-03"),
        ("1994", "1994"), ("1997", "1997"), ("2024-25", "2024"),
    ]


def test_recurrences_are_sets_among_the_time_references() -> None:
    body = "China Daily said the board meets each Thursday and every July, reports daily and pays annually."
    rec = Extractor(mode="rules").extract(body, id="s", published="2025-01-15", clean=False)
    assert rec.dates == []
    assert [(r.text, r.timex.type, r.timex.value) for r in rec.time_references] == [
        ("each Thursday", "SET", "XXXX-WXX-4"), ("every July", "SET", "XXXX-07"),
        ("daily", "SET", "P1D"), ("annually", "SET", "P1Y"),
    ]
    assert [body[s:e] for s, e, _ in timeml_spans(rec)] == ["each Thursday", "every July", "daily", "annually"]
