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
one that starts first (the longer at the same start) is kept: TIMEX3s do not nest.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from nevextract.records import ArticleRecord, Timex

__all__ = ["timeml_spans", "to_timeml"]


def timeml_spans(record: ArticleRecord) -> list[tuple[int, int, Timex]]:
    """The (start, end, timex) spans the export marks, in text order, without overlaps."""
    spans = [(d.start, d.end, d.timex) for d in record.dates if d.timex is not None]
    spans += [(q.start, q.end, q.timex) for q in record.quantities if q.timex is not None]
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
