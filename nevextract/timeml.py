"""A record as TimeML: the body with its dates and durations marked as TIMEX3 elements.

Temporal-relation tools (CAEVO, CATENA, TimeML-trained taggers) read TimeML, and the
TempEval metrics are defined on it, so `to_timeml(record)` hands nevextract's output to them:

    <TimeML>
    <DOCID>…</DOCID>
    <DCT><TIMEX3 tid="t0" type="DATE" value="2025-03-04" … functionInDocument="CREATION_TIME">2025-03-04</TIMEX3></DCT>
    <TEXT>… <TIMEX3 tid="t1" type="DATE" value="2024-03">March 2024</TIMEX3> … </TEXT>
    </TimeML>

Where durations live: a duration ("five years") is a quantity of kind `duration` in the
record, never also a date mention, so it is counted once; its TimeML reading is on the
quantity (`quantity.timex`, P5Y), and this export tags it as a DURATION beside the DATEs
of `record.dates`. The DCT is the publication date. Where two marked spans overlap, the
one that starts first (the longer at the same start) is kept: TIMEX3s do not nest. A
duration is marked with its determiner and frame word ("the last five years").
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import regex

from nevextract.records import ArticleRecord, DateMention, Quantity, Timex

__all__ = ["timeml_spans", "to_timeml"]


# A duration's TIMEX3 extent takes the determiner and the frame word before it ("the last
# five years", "the first two years"), as TimeBank marks them; its qualifier is already
# part of the quantity ("nearly two years").
_FRAME_BEFORE = regex.compile(
    r"(?:\b(?:the|its|their|his|her|our)\s+)?(?:\b(?:last|past|next|first|previous|coming|following|final|"
    r"same|latest|recent)\s+)?$", regex.IGNORECASE,
)


def _duration_extent(body: str, q: Quantity) -> tuple[int, int]:
    start = q.start
    frame = _FRAME_BEFORE.search(body, max(0, start - 40), start)
    if frame is not None and frame.group().strip():
        start = frame.start()
    return start, q.end


# A range of two years or months ("2009-2010", "from January to March 2024") is one period in
# the record and two DATEs in TimeML; each end names its year or month in full.
_RANGE = regex.compile(
    r"(?:(?:from|between)\s+)?(?P<a>\S.*?)\s*(?:[-–—]|\b(?:to|through|until|till|and)\b)\s*(?P<b>\S.*)",
    regex.IGNORECASE,
)
_YEAR_OR_MONTH = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|^\p{Lu}\p{Ll}+\.?(?:\s+(?:19|20)\d\d)?$")


def _date_spans(d: DateMention) -> list[tuple[int, int, Timex]]:
    if d.timex is None:
        return []
    plain = d.timex.type == "DATE" and d.timex.value == d.value
    m = _RANGE.fullmatch(d.text) if plain and d.value_end and d.granularity in ("year", "month") else None
    if m is None or not (_YEAR_OR_MONTH.search(m.group("a")) and _YEAR_OR_MONTH.search(m.group("b"))):
        return [(d.start, d.end, d.timex)]
    assert d.value_end is not None
    return [
        (d.start + m.start("a"), d.start + m.end("a"), d.timex),
        (d.start + m.start("b"), d.start + m.end("b"), Timex(type="DATE", value=d.value_end)),
    ]


def timeml_spans(record: ArticleRecord) -> list[tuple[int, int, Timex]]:
    """The (start, end, timex) spans the export marks, in text order, without overlaps."""
    spans = [span for d in record.dates for span in _date_spans(d)]
    spans += [(r.start, r.end, r.timex) for r in record.time_references]
    spans += [(*_duration_extent(record.body, q), q.timex) for q in record.quantities if q.timex is not None]
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int, Timex]] = []
    for start, end, timex in spans:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end, timex))
    return kept


def _timex3(tid: str, timex: Timex, text: str, extra: str = "") -> str:
    value = f" value={quoteattr(timex.value)}" if timex.value is not None else ""
    return f'<TIMEX3 tid="{tid}" type="{timex.type}"{value}{extra}>{escape(text)}</TIMEX3>'


def to_timeml(record: ArticleRecord) -> str:
    """The record's body as a TimeML document (see the module's docstring)."""
    parts: list[str] = []
    cursor = 0
    for n, (start, end, timex) in enumerate(timeml_spans(record), 1):
        parts.append(escape(record.body[cursor:start]))
        parts.append(_timex3(f"t{n}", timex, record.body[start:end]))
        cursor = end
    parts.append(escape(record.body[cursor:]))
    dct = ""
    if record.published:
        creation = Timex(type="DATE", value=record.published)
        dct = "<DCT>" + _timex3("t0", creation, record.published, ' temporalFunction="false" functionInDocument="CREATION_TIME"') + "</DCT>\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TimeML>\n'
        f"<DOCID>{escape(record.id)}</DOCID>\n{dct}<TEXT>{''.join(parts)}</TEXT>\n</TimeML>\n"
    )
