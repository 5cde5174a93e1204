"""Claims, stage 1: the text's layout.

Sentences that never end inside a quoted passage (quotation marks are paired by
`nevextract.components.quotes`), the text with quoted words masked out, and the word helpers
every later stage counts and trims with.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from nevextract.components.quotes import Quote

TIMEOUT = 2.0
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st co corp inc ltd jr sr no vs gen gov rep sen jan feb mar apr jun jul "
    "aug sep sept oct nov dec u.s u.k e.g i.e etc".split()
)

WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’.&-]*|&")
_SENTENCE_END = regex.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[\p{Lu}\p{N}])")


@dataclass(frozen=True)
class Sentence:
    """A sentence's span in the text, and which paragraph (non-blank line) it is in."""

    start: int
    end: int
    paragraph: int


def _inside(quotes: Sequence[Quote], opens: Sequence[int], pos: int) -> Quote | None:
    """The quote whose words contain `pos` (strictly after its opening mark)."""
    i = bisect.bisect_left(opens, pos) - 1
    if i >= 0 and quotes[i].open_at < pos <= quotes[i].close_at:
        return quotes[i]
    return None


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the period at text[period] ends an abbreviation or an initial ("Co.", "J.")."""
    m = regex.search(r"([\p{L}.]+)$", text[max(0, period - 12) : period])
    if not m:
        return False
    word = m.group(1)
    return word.lower().rstrip(".") in _ABBREVIATIONS or regex.fullmatch(r"\p{Lu}", word) is not None


# What follows a quotation ending in "?" or "!" when it only says who spoke: a few words to
# the next sentence end, no quotation mark ('"Is this the end?" Musk asked.').
_ATTRIBUTION_TAIL = regex.compile(r"[^.!?\"“”\n]{1,80}?[.!?]")
_MAX_TAIL_WORDS = 8


def _question_then_attribution(text: str, m: regex.Match[str], end: int) -> bool:
    """Whether a sentence end is a quoted question or exclamation followed by a short
    attribution, which belongs to the same sentence ('"...?" Graham asked.')."""
    if text[m.start()] not in "?!" or not regex.search(r"[\"”’]", m.group()):
        return False
    tail = _ATTRIBUTION_TAIL.match(text, m.end(), end)
    return tail is not None and len(WORD.findall(tail.group())) <= _MAX_TAIL_WORDS


def split_sentences(text: str, quotes: Sequence[Quote]) -> list[Sentence]:
    """Sentences of every paragraph; a sentence never ends inside a quoted passage."""
    opens = [q.open_at for q in quotes]
    sentences: list[Sentence] = []
    start = 0
    paragraph = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            s = start
            for m in _SENTENCE_END.finditer(text, start, end, timeout=TIMEOUT):
                if _inside(quotes, opens, m.end()) or (text[m.start()] == "." and _is_abbreviation(text, m.start())):
                    continue
                if _question_then_attribution(text, m, end):
                    continue
                sentences.append(Sentence(s, m.end(), paragraph))
                s = m.end()
            sentences.append(Sentence(s, end, paragraph))
            paragraph += 1
        start = end + 1
    return [s for s in sentences if text[s.start : s.end].strip()]


def _mask_quotes(text: str, quotes: Sequence[Quote]) -> str:
    """The text with quoted words blanked out, so cues inside quotes are not read as ours."""
    parts = []
    last = 0
    for q in quotes:
        parts.append(text[last : q.start])
        parts.append("·" * (q.end - q.start))
        last = q.end
    parts.append(text[last:])
    return "".join(parts)


def word_spans(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Words with offsets; a sentence's full stop is not part of its last word ("Ye Can.")."""
    out = []
    for m in WORD.finditer(text):
        w, end = m.group(), m.end()
        if w.endswith(".") and len(w) > 2 and w[:-1].lower() not in _ABBREVIATIONS and "." not in w[:-1]:
            w, end = w[:-1], end - 1
        out.append((m.start() + base, end + base, w))
    return out


_QUOTE_STRIP = " \t\n,;:.\"“”'‘’`—–-"  # around quoted words (` and ' are what is left of `` and '' marks)
CLAUSE_STRIP = " \t\n,;:.—–-"  # around reported speech (its own quote marks stay)


def strip_span(text: str, start: int, end: int, chars: str = _QUOTE_STRIP) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def word_count(text: str) -> int:
    return len(WORD.findall(text))


class Layout:
    """One document's text as the later stages read it: its quotes, its sentences, and the
    text with quoted words masked out."""

    def __init__(self, text: str, quotes: list[Quote], sentences: list[Sentence]) -> None:
        self.text = text
        self.masked = _mask_quotes(text, quotes)
        self.quotes = quotes
        self.quote_opens = [q.open_at for q in quotes]
        self.quote_closes = [q.close_at for q in quotes]
        self.sentences = sentences
        self.sent_starts = [s.start for s in sentences]

    def sentence_of(self, pos: int) -> int:
        """The index of the sentence that `pos` is in."""
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def next_quote_or(self, pos: int, default: int) -> int:
        """Where the next quote opens, if before `default`."""
        i = bisect.bisect_left(self.quote_opens, pos)
        if i < len(self.quotes) and self.quotes[i].open_at < default:
            return self.quotes[i].open_at
        return default

    def previous_quote_end(self, pos: int) -> int:
        """Just after the last quote that closes before `pos` (0 if none)."""
        i = bisect.bisect_left(self.quote_closes, pos) - 1
        return self.quote_closes[i] + 1 if i >= 0 else 0
