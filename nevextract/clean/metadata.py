"""Page metadata: the publication date and the publisher, from the lines around the body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import regex

from nevextract.normalize.dates import parse_timestamp


_PUBLISHED_WORD = regex.compile(r"\b(published|posted|first published|created|date)\b", regex.IGNORECASE)
# Below the body only a line that says it is a timestamp counts: the foot of a page also
# lists other articles with their dates.
_STAMP_WORD = regex.compile(r"\b(published|posted|created|updated|modified|date)\b", regex.IGNORECASE)
# How many lines below the body are read for a timestamp.
_FOOTER_LINES = 12
_UPDATED_PART = regex.compile(r"\b(updated|modified|last updated)\b.*$", regex.IGNORECASE)
_COPYRIGHT_HOLDER = regex.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–~]\s*\d{4})?\s*)?(?P<name>[\p{L}][\p{L}\p{N}&.' -]{1,60}?)"
    r"(?:\s*(?:\.|,|\||all rights|$))",
    regex.IGNORECASE,
)
_LEGAL = regex.compile(r"\s+(?:media\s+)?(?:ltd|limited|llc|inc|gmbh|srl|s\.r\.l|plc|co|corp|sa|ag|bv|pty)\.?$", regex.IGNORECASE)
_SOURCE_FIELD = regex.compile(r"\bsource\s*:\s*(?P<name>\p{L}[^|]{1,60}?)(?=\s{2,}|\s*\||\s+editor\b|$)", regex.IGNORECASE)


def find_published(header: Sequence[str], order: Literal["DMY", "MDY"] | None = None,
                   footer: Sequence[str] = ()) -> dt.date | None:
    """The publication date from the lines around the body: above it, a "Published:" line
    first, else the first line that holds a full date; else, below it, the first line that
    says it is a timestamp ("Updated 05.03.2024 14:20", "Published: ..."). An "Updated:" part
    never wins over the published one."""
    found = _dated_line(header, order)
    if found is None:
        found = _dated_line([line for line in footer[:_FOOTER_LINES] if _STAMP_WORD.search(line[:300])], order)
    return found


def _dated_line(lines: Sequence[str], order: Literal["DMY", "MDY"] | None) -> dt.date | None:
    dated: list[tuple[bool, dt.date]] = []
    for line in lines:
        if len(line) > 300:
            continue
        probe = _UPDATED_PART.sub("", line) or line
        date = parse_timestamp(probe, order)
        if date is not None:
            dated.append((bool(_PUBLISHED_WORD.search(line)), date))
    for explicit, date in dated:
        if explicit:
            return date
    return dated[0][1] if dated else None


def copyright_holder(lines: Sequence[str]) -> str | None:
    """The name in a "© 2025 Example Media Ltd." line, legal suffix dropped."""
    for line in lines:
        m = _COPYRIGHT_HOLDER.search(line[:300])
        if m:
            name = _LEGAL.sub("", m.group("name").strip(" .,-"))
            if name and not name.casefold().startswith("all rights"):
                return name
    return None


def find_source(header: Sequence[str], footer: Sequence[str]) -> str | None:
    """The publisher as a reader would name it, from the page's own lines.

    A short line at the top that the copyright line also names ("VoltLine" and "© 2025 VoltLine
    Media Ltd.") is the site's name, written as the copyright line writes it; else a "Source:"
    field; else the copyright holder.
    """
    holder = copyright_holder(list(footer) + list(header))
    for line in header:
        m = _SOURCE_FIELD.search(line[:300])
        if m:
            return m.group("name").strip(" .|-")
    if holder:
        for line in header[:8]:
            words = line.split()
            if 1 <= len(words) <= 5 and line.casefold() in holder.casefold():
                at = holder.casefold().index(line.casefold())
                return holder[at : at + len(line)]
        return holder
    return None
