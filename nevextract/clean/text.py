"""Line rules: from a page's text to the article body, and what was dropped and why.

A scraped page is a column of lines: site chrome and menus, a headline, a byline and a
timestamp, the article's paragraphs (with captions, ads and promos between them), then
related lists, bios and footers. The rules name what they know: a site profile, the generic
rules in `patterns/boilerplate.yaml`, and the structural signals here (menus, repeated
lines, headline copies, teasers, standfirsts, bylines, bios). The *prose* of the page — the
paragraphs that read like article sentences (long, punctuated, not chrome) — marks the
stretch where the article is. The line classifier (`lines.py`) decides every line no rule
names, with that stretch among its signals; without a classifier, the stretch is the body.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Literal

import numpy as np
import regex

from nevextract.clean.lines import LineFacts, features
from nevextract.clean.profiles import REGEX_TIMEOUT, BoilerplateModel, CompiledRule, SourceProfile
from nevextract.records import Removed

InputKind = Literal["text", "html"]

# Characters that carry no text but break matching: zero-width, bidi controls, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_SPACES = regex.compile(r"[^\S\n]+")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SENTENCE_END = regex.compile(r"""[.!?]["'”’)\]]*$|[.!?]["'”’]?\s*\([^()]{0,40}\)$""")
_LIST_ITEM = regex.compile(r"^(?:[-–•*·▪►]\s+|\d{1,2}[.)]\s+)")
_MENU_SEPARATORS = regex.compile(r"\s[|•·»>/]\s|\s{3,}")
_LOWER = regex.compile(r"\p{Ll}")
_LETTER = regex.compile(r"\p{L}")
_AUTHOR_BIO = regex.compile(
    r"^\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,3}\s+(?:is|was|has been|writes|covers)\b"
    r".{0,200}\b(?:correspondent|editor|reporter|writer|journalist|columnist|contributor|analyst for|author)\b"
)
_BYLINE_NAME = regex.compile(r"^by\s+(?P<name>\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+){0,3})", regex.IGNORECASE)
_DATE_LIKE = regex.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})\b",
    regex.IGNORECASE,
)


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """Lone surrogates (from broken decoders) become U+FFFD, one for one: spaCy's tokenizer
    cannot take them, and offsets stay the same."""
    return _SURROGATE.sub("\ufffd", text)


def normalise_text(text: str) -> str:
    """Unify line breaks and spaces and drop invisible characters; keeps every visible one."""
    text = replace_surrogates(text.replace("\r\n", "\n").replace("\r", "\n")).translate(_INVISIBLE)
    # runs of spaces are kept: they separate menu items ("News   Reviews   Batteries")
    return _CONTROL.sub(" ", text.replace("\u00a0", " ").replace("\t", "   "))


# Chinese and Japanese write without spaces: about two characters make a word, so a line of
# prose is not taken for a short label or menu entry by the word-count rules.
_SPACELESS_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def word_count(line: str) -> int:
    words = len(line.split())
    if line.isascii():
        return words
    return words + len(_SPACELESS_SCRIPT.findall(line)) // 2


def norm_key(line: str) -> str:
    """A line's identity for repetition checks: case, spacing, quotes and numbering folded."""
    line = _LIST_ITEM.sub("", line)
    line = line.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(line.casefold().split())


@dataclass
class Block:
    """One line (paragraph) of the page with what the rules say about it."""

    text: str
    words: int
    reason: str | None = None  # why it is boilerplate, when a line rule says so
    cut: str | None = None  # set when this line starts a tail ("related stories", ...)

    @cached_property
    def key(self) -> str:
        """`norm_key` of the line: repetition, headline copies and the classifier read it."""
        return norm_key(self.text)

    @cached_property
    def prose(self) -> bool:
        """Reads like an article paragraph: long enough, sentence-like, not chrome. Read
        once `reason` is final (`read_blocks` sets it before anything asks)."""
        if self.reason is not None or self.words < 12:
            return False
        letters = len(_LETTER.findall(self.text[:2000]))
        if letters == 0 or len(_LOWER.findall(self.text[:2000])) / letters < 0.6:
            return False
        return self.words >= 30 or _SENTENCE_END.search(self.text[-200:]) is not None


@dataclass
class TextClean:
    body: str
    removed: list[Removed]
    title: str | None
    byline: str | None
    header: list[str]  # lines above the body: where timestamps and site names are
    footer: list[str]  # lines below it: where copyright holders are
    warnings: list[str] = field(default_factory=list)


def split_blocks(text: str) -> list[str]:
    """Non-empty lines; a hard-wrapped paragraph (next line starts lower-case) is re-joined."""
    lines = [ln.strip() for ln in text.split("\n")]
    blocks: list[str] = []
    previous_blank = True
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if (
            blocks
            and not previous_blank
            and _LOWER.match(line[0])
            and not _SENTENCE_END.search(blocks[-1][-200:])
            and not blocks[-1].endswith(":")
        ):
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
        previous_blank = False
    return blocks


def _is_menu(line: str, words: int) -> bool:
    """Menus and breadcrumbs: several short items between separators."""
    if words > 30:
        return False
    parts = [p for p in _MENU_SEPARATORS.split(line) if p.strip()]
    if len(parts) < 3:
        return False
    return sum(word_count(p) for p in parts) / len(parts) <= 3.5


def _is_label(line: str, words: int) -> bool:
    """A section label or site name: a few words in capitals ("BATTERIES", "SOURCE / ECONOMY")."""
    letters = _LETTER.findall(line)
    return words <= 6 and bool(letters) and not _LOWER.search(line)


def _first_rule(rules: list[CompiledRule], line: str, words: int, action: str) -> str | None:
    for rule in rules:
        if rule.action == action and rule.hits(line, words):
            return rule.reason
    return None


def _profile_rules(profile: SourceProfile | None) -> list[CompiledRule]:
    return profile.rules() if profile is not None else []


def line_reason(line: str, model: BoilerplateModel, profile: SourceProfile | None = None) -> str | None:
    """Why one line on its own is boilerplate, or None when no rule says it is."""
    words = word_count(line)
    rules = [r for r in _profile_rules(profile) if r.action != "before"] + model.rules
    reason = _first_rule(rules, line, words, "line") or _first_rule(rules, line, words, "after")
    if reason is None and _is_menu(line, words):
        reason = "menu"
    if reason is None and _is_label(line, words):
        reason = "site-chrome"
    return reason


def _find_title(blocks: list[Block], first: int, counts: Counter[str]) -> int | None:
    """The headline: a heading-like line above the body, preferably one the page repeats."""
    candidates = [
        i
        for i in range(first)
        if blocks[i].reason is None
        and 3 <= blocks[i].words <= 30
        and not _LIST_ITEM.match(blocks[i].text)
        and not blocks[i].text.endswith(":")
        and not _is_label(blocks[i].text, blocks[i].words)
        and not _is_menu(blocks[i].text, blocks[i].words)
        and not _DATE_LIKE.search(blocks[i].text)
    ]
    for i in candidates:
        if counts[blocks[i].key] > 1:
            return i
    for i in candidates:
        if blocks[i].words >= 4:
            return i
    return None


def _byline_name(line: str) -> str | None:
    m = _BYLINE_NAME.match(line)
    if not m:
        return None
    name = m.group("name")
    return None if name.split()[0].casefold() == "the" else name


def read_blocks(text: str, model: BoilerplateModel, profile: SourceProfile | None = None) -> tuple[list[Block], int]:
    """The page's lines with what the rules say of each, and where a profile's "before"
    marker says the page's own content starts (0 without one)."""
    text = normalise_text(text)
    blocks = [Block(t, word_count(t)) for t in split_blocks(text)]
    prules = _profile_rules(profile)
    rules = [r for r in prules if r.action != "before"] + model.rules
    for b in blocks:
        b.reason = _first_rule(rules, b.text, b.words, "line")
        b.cut = _first_rule(rules, b.text, b.words, "after")
    # A profile's "before" marker: everything up to it is chrome.
    start_at = 0
    for i, b in enumerate(blocks):
        if any(r.action == "before" and r.hits(b.text, b.words) for r in prules):
            start_at = i + 1
            for k in range(i + 1):
                blocks[k].reason = blocks[k].reason or prules[0].reason
    return blocks, start_at


def line_facts(blocks: list[Block]) -> list[LineFacts]:
    """What the classifier is told about each line besides its text."""
    return [
        LineFacts(
            text=b.text, words=b.words, prose=b.prose, rule=b.reason is not None, cut=b.cut is not None,
            menu=_is_menu(b.text, b.words), label=_is_label(b.text, b.words),
            list_item=_LIST_ITEM.match(b.text) is not None, date_like=_DATE_LIKE.search(b.text) is not None,
            key=b.key,
        )
        for b in blocks
    ]


def clean_text(
    text: str,
    model: BoilerplateModel,
    profile: SourceProfile | None = None,
    *,
    title: str | None = None,
    kind: InputKind = "text",
    in_precise: Callable[[str], bool] | None = None,
) -> TextClean:
    """Split a page's text into the article body and the boilerplate around and inside it.

    `title` is the headline when the caller already knows it (an HTML page's metadata).
    `kind` says what the text is: a text dump of the page, or ("html") the main content an
    HTML reader found, whose lines `in_precise` says trafilatura's precise reading kept too.

    Rules decide first: a line a site profile or a generic rule names, the headline, a
    teaser or a paragraph printed twice is removed with that reason. Every other line is
    kept when the line classifier (`lines.py`) finds it likely enough to be article text;
    a line it drops gets the reason its place on the page suggests (site chrome above the
    article, footer or related list below it) or "unlike-article-text" inside it. Without a
    classifier, the article is the stretch between the first and last prose paragraph.
    """
    blocks, start_at = read_blocks(text, model, profile)
    counts = Counter(b.key for b in blocks)

    prose = [i for i in range(start_at, len(blocks)) if blocks[i].prose]
    first = prose[0] if prose else start_at
    cut = next((i for i in range(first + 1, len(blocks)) if blocks[i].cut), len(blocks))
    prose = [i for i in prose if i < cut]
    last = prose[-1] if prose else cut - 1

    title_i = None
    if title is None:
        title_i = _find_title(blocks, first, counts)
        title = blocks[title_i].text if title_i is not None else None
    title_key = norm_key(title) if title else None

    removed: list[Removed] = []
    kept: list[str] = []
    header: list[str] = []
    byline: str | None = None
    seen: set[str] = set()
    tail_reason = "footer"
    later_text = "\n".join(b.text for b in blocks[first:])

    keep = _classify(blocks, model, kind, in_precise)
    if keep is not None and not any(k and b.prose for k, b in zip(keep[:cut], blocks[:cut])):
        # No paragraph of prose kept above a tail marker (a page of short lines, or one the
        # model misreads): the stretch between the first and last prose paragraph is the
        # article, as without a classifier, rather than nothing.
        keep = None

    @cache
    def article_keys() -> str:
        return " ".join(b.key for b in blocks[first:])

    kept_keys: set[str] = set()
    for i, b in enumerate(blocks):
        key = b.key
        reason = b.reason
        if reason == "byline" and byline is None:
            byline = _byline_name(b.text)
        place: str | None  # the reason the line's place on the page gives
        if i < first:
            header.append(b.text)
            place = _header_reason(b, i, title_i, title_key, key)
        elif i > last:
            tail_reason = b.cut or tail_reason
            place = _header_reason(b, i, None, title_key, key) if i < cut and _is_menu(b.text, b.words) else tail_reason
        else:
            place = _body_reason(b, key, title, title_key, seen, counts, later_text)
        if keep is None:
            reason = reason or place
        elif reason is None:
            if i >= cut:
                reason = place  # a tail marker ("Related stories") said the article is over
            elif place in _CERTAIN or (title_key is not None and key == title_key):
                reason = place if place in _CERTAIN else "headline"
            elif key in kept_keys and b.words >= _REPEATED_PARAGRAPH:
                reason = "duplicate"
            elif first - _STANDFIRST_REACH <= i < first and b.words >= _STANDFIRST_WORDS and key in article_keys():
                reason = "standfirst"  # a summary above the article that repeats its words
            elif not keep[i]:
                reason = place or "unlike-article-text"
        if reason is None:
            kept.append(_SPACES.sub(" ", b.text))
            kept_keys.add(key)
        else:
            removed.append(Removed(text=b.text, reason=reason))
        seen.add(key)

    _drop_author_bio(kept, removed, byline)
    footer = [blocks[i].text for i in range(last + 1, len(blocks))]
    return TextClean("\n\n".join(kept), removed, title, byline, header, footer)


# Reasons the place of a line gives that hold whatever the classifier says: the headline
# and a teaser that repeats it are certainly not body text.
_CERTAIN = frozenset({"headline", "teaser"})
# A paragraph of at least this many words printed again is a copy (a teaser, a pull
# quote); shorter lines repeat on purpose (steps, questions, table rows).
_REPEATED_PARAGRAPH = 12
# A line above the article of at least this many words whose words recur in it is a
# standfirst or teaser repeating the article, not its opening.
_STANDFIRST_WORDS = 8
# ... looked for only this many lines above the article: a standfirst sits right above it,
# and a substring search per line of a long page's chrome would cost lines x article.
_STANDFIRST_REACH = 12


def _classify(
    blocks: list[Block], model: BoilerplateModel, kind: InputKind, in_precise: Callable[[str], bool] | None,
) -> list[bool] | None:
    """Whether the line classifier keeps each line (None when there is no classifier)."""
    if model.classifier is None or not blocks:
        return None
    lines = model.classifier.text if kind == "text" else model.classifier.html
    return lines.keeps(line_features(blocks, in_precise))


def line_features(blocks: list[Block], in_precise: Callable[[str], bool] | None = None) -> np.ndarray:
    """The classifier's features of each line (`lines.FEATURES`): what it is given at run
    time and in training (`training/train_line_classifier.py`) alike."""
    facts = line_facts(blocks)
    return features(facts, [in_precise(f.key) for f in facts] if in_precise is not None else None)


def _header_reason(b: Block, i: int, title_i: int | None, title_key: str | None, key: str) -> str:
    if title_key is not None and (i == title_i or key == title_key):
        return "headline"
    if _DATE_LIKE.search(b.text) and b.words <= 25:
        return "metadata"
    if _is_menu(b.text, b.words):
        return "menu"
    if title_i is not None and i == title_i + 1 and b.words >= 5 and not _is_label(b.text, b.words):
        return "standfirst"
    return "site-chrome"


def _body_reason(
    b: Block,
    key: str,
    title: str | None,
    title_key: str | None,
    seen: set[str],
    counts: Counter[str],
    later_text: str,
) -> str | None:
    if title_key is not None and (key == title_key or (b.words >= 3 and title_key.startswith(key))):
        return "headline"
    if key in seen or (b.words <= 12 and counts[key] > 1):
        return "duplicate"
    if _is_menu(b.text, b.words):
        return "menu"
    if title and b.text.startswith(title) and len(b.text) > len(title):
        # a teaser glued to the headline that repeats the opening of the article
        rest = b.text[len(title):].strip()
        probe = rest[: min(len(rest), 120)]
        if probe and later_text.count(probe) > 1:
            return "teaser"
    return None


def _drop_author_bio(kept: list[str], removed: list[Removed], byline: str | None) -> None:
    """A closing paragraph about the writer ("Jane Doe is our Asia correspondent ...")."""
    while kept:
        last = kept[-1]
        is_bio = (byline is not None and last.startswith(byline + " ")) or (
            _AUTHOR_BIO.search(last[:400], timeout=REGEX_TIMEOUT) is not None and word_count(last) <= 80
        )
        if not is_bio:
            return
        removed.append(Removed(text=kept.pop(), reason="author-bio"))

