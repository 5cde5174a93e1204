"""A page's own timestamp lines ("Published: Jan 14, 2025 09:23 PM") → a calendar date.

Regular expressions find a candidate full date in one short metadata line; `dateparser`
parses only that span (never a whole text), with the site's day/month order.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import dateparser
import regex

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CANDIDATES = regex.compile(
    rf"""
    (?P<iso>\b\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d))
    | (?P<cjk>\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)
    | (?P<mdy>\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)
    | (?P<dmy>\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b)
    | (?P<num>\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}\b)
    | (?P<ymd>\b\d{{4}}[/.]\d{{1,2}}[/.]\d{{1,2}}\b)
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
_CJK = regex.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YMD = regex.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_LINE_LIMIT = 400


def parse_timestamp(line: str, order: Literal["DMY", "MDY"] | None = None) -> dt.date | None:
    """The first full calendar date written in one metadata line, or None.

    `order` is how the site writes all-numeric dates (03/11/2025); without it month-first
    is assumed unless the numbers only fit day-first.
    """
    for m in _CANDIDATES.finditer(line[:_LINE_LIMIT], timeout=0.5):
        kind = m.lastgroup
        text = m.group()
        if kind in ("iso", "ymd", "cjk"):
            parts = (_CJK if kind == "cjk" else _YMD).match(text)
            date = _safe_date(*(int(x) for x in parts.groups())) if parts else None
        else:
            date = _dateparse(text, order if kind == "num" else None)
        if date is not None:
            return date
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dateparse(text: str, order: str | None) -> dt.date | None:
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    if order:
        settings["DATE_ORDER"] = order
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
