"""Pairing quotation marks into quoted passages, paragraph by paragraph.

News text mixes straight (") and curly (“ ”) double quotes, and scraped pages often carry a
stray mark or an odd number of them. Pairing is a single left-to-right pass per paragraph
(linear in the text, whatever it holds):
- a curly mark says which side it is on; a straight mark is read from its neighbours
  (after a space or at a paragraph start it opens, before a space or punctuation it closes);
- an opening mark while a passage is already open restarts the passage (the first was stray);
  a closing mark with nothing open is ignored;
- a passage still open at the end of its paragraph continues into the next paragraph when
  that paragraph begins with an opening mark (the print convention for quotes that run over
  several paragraphs), and is dropped otherwise.
Single quotes are not paired: in English news they are mostly apostrophes or scare quotes.
Two apostrophes ('') and two backticks (``), the quotation marks of some newspapers' text
and of Penn Treebank-style copies, are read as one double mark.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_STRAIGHT = '"'
_ALL_MARKS = _OPENERS | _CLOSERS | {_STRAIGHT}
# Characters after which a straight quote opens a passage.
_OPEN_CONTEXT = frozenset(" \t\n([{—–-/:")


@dataclass(frozen=True)
class Quote:
    """A quoted passage: the marks sit at `open_at` and `close_at`; the words are between."""

    open_at: int
    close_at: int

    @property
    def start(self) -> int:
        """Start of the quoted words (after the opening mark)."""
        return self.open_at + 1

    @property
    def end(self) -> int:
        """End of the quoted words (before the closing mark)."""
        return self.close_at


def _side(text: str, i: int) -> str:
    """'open', 'close', 'either' or 'none' (stray) for the quotation mark at text[i]."""
    ch = text[i]
    if ch in _OPENERS:
        return "open"
    if ch in _CLOSERS:
        return "close"
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if before in _OPEN_CONTEXT and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return "close"
    if before.isspace() and after.isspace():
        return "none"  # a mark standing alone between spaces (inches, a typo) is stray
    return "either"


def _paragraph_starts_with_open(text: str, start: int, end: int) -> int | None:
    """Index of an opening mark that begins the paragraph text[start:end], if there is one."""
    i = start
    while i < end and text[i] in " \t":
        i += 1
    if i < end and text[i] in _ALL_MARKS and _side(text, i) != "close":
        return i
    return None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of text; a paragraph is a line in a cleaned body."""
    spans = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


_DOUBLED = regex.compile(r"''|``")


def _read_doubled_marks(text: str) -> str:
    """The text with each '' or `` written as one curly mark beside a leftover character,
    so offsets do not move: an opening pair becomes “' (the words start after the
    leftover, which the claim's content strips), a closing pair '” (the content ends
    before the leftover). A pair is opening at a paragraph start or after a space or
    bracket, closing otherwise; `` always opens."""
    if "''" not in text and "``" not in text:
        return text
    chars = list(text)
    for m in _DOUBLED.finditer(text):
        i = m.start()
        before = text[i - 1] if i > 0 else "\n"
        if m.group() == "``" or before in _OPEN_CONTEXT:
            chars[i], chars[i + 1] = "“", "'"
        else:
            chars[i], chars[i + 1] = "'", "”"
    return "".join(chars)


def find_quotes(text: str) -> list[Quote]:
    """Every paired quoted passage in `text`, in order, none overlapping."""
    text = _read_doubled_marks(text)
    quotes: list[Quote] = []
    open_at: int | None = None
    paragraphs = [p for p in _paragraphs(text) if text[p[0] : p[1]].strip()]
    for n, (p_start, p_end) in enumerate(paragraphs):
        skip = None
        if open_at is not None:
            # A passage carried over from the previous paragraph resumes at this opening mark.
            skip = _paragraph_starts_with_open(text, p_start, p_end)
            if skip is None:
                open_at = None
        for i in range(p_start, p_end):
            if i == skip or text[i] not in _ALL_MARKS:
                continue
            side = _side(text, i)
            if side == "none":
                continue
            if open_at is None:
                if side != "close":
                    open_at = i
            elif side == "open":
                open_at = i
            else:
                if i - open_at > 1:
                    quotes.append(Quote(open_at, i))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt is None or _paragraph_starts_with_open(text, *nxt) is None:
                open_at = None
    return quotes
