"""Rough sentence bounds for the number and date readers: enough to tell which words share a
sentence. (The claims component has its own splitter, which never cuts inside a quotation.)"""

from __future__ import annotations

import regex

SEARCH_TIMEOUT = 2.0
# A full stop, question or exclamation mark (and any closing quote or bracket) before a space
# and a capital or digit; or a line break.
SENTENCE_END = regex.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[\p{Lu}\d])|\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, covering all of it."""
    bounds = []
    start = 0
    try:
        ends = list(SENTENCE_END.finditer(text, timeout=SEARCH_TIMEOUT))
    except TimeoutError:
        ends = []
    for m in ends:
        if m.end() > start:
            bounds.append((start, m.end()))
            start = m.end()
    bounds.append((start, len(text)))
    return bounds
