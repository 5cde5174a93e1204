"""HTML pages: the main content by trafilatura, then the same line rules as text pages.

trafilatura finds the article among navigation, sidebars and footers far better than rules
we would write over raw markup (it is what the jusText/trafilatura comparison in PEERS.md
measured). It does not say what it dropped, so the visible text it left out is listed in
`removed` by comparing the page's visible lines with what it kept.

The page is parsed once, here, and the tree handed to trafilatura: its own parser stops at
256 levels of nesting (an article under 1,000 `<div>`s came out empty), ours allows libxml2's
2,048 and flattens wrapper tags when even that is not enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex
import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError

from nevextract.clean.text import norm_key, normalise_text, replace_surrogates, split_blocks, word_count

_HTML_TAG = regex.compile(r"<\s*/?\s*(?:html|head|body|div|p|br|span|article|section|a|h[1-6]|li|ul|table|meta|script)\b", regex.IGNORECASE)
# A document that says what it is in its first bytes: a doctype or an <html> tag (after an
# XML prolog or a comment), whatever follows it.
_DOCUMENT_START = regex.compile(
    r"\s{0,1000}(?:<\?xml\b[^>]{0,300}>\s{0,1000})?(?:<!--[^>]{0,2000}-->\s{0,1000})?(?:<!doctype\s{1,10}html\b|<html\b)",
    regex.IGNORECASE,
)
# Elements whose content is not markup: CSS, scripts and comments can fill the first tens of
# kilobytes of a page, so the tag count looks past them.
_RAW_TEXT_OPEN = regex.compile(r"<(style|script)\b|<!--", regex.IGNORECASE)
_RAW_TEXT_CLOSE = {"style": regex.compile(r"</style\s*>", regex.IGNORECASE),
                   "script": regex.compile(r"</script\s*>", regex.IGNORECASE),
                   "": regex.compile(r"-->")}
_SNIFF_CHARS = 20_000  # markup looked at, outside CSS and scripts
_SNIFF_SCAN = 2_000_000  # how far into the page that markup is looked for

_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "svg"}
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "header",
               "footer", "aside", "nav", "section", "article", "blockquote", "form", "button", "time", "ul", "ol"}

# Pages nested deeper than libxml2's limit (2,048 with huge_tree) lose everything below it.
# First the layout wrappers go (they carry no text of their own); if the page is still too
# deep, every tag but the few that cannot nest.
_WRAPPER_TAGS = regex.compile(
    r"</?(?:div|span|section|font|center|aside|nav|header|footer|form|label|a|b|i|u|em|strong|small|big|sup|sub|main)\b[^>]{0,5000}>",
    regex.IGNORECASE,
)
_ALL_BUT_FLAT_TAGS = regex.compile(
    r"</?(?!(?:html|head|title|meta|body|p|br|h[1-6])\b)[a-z][a-z0-9:-]{0,50}\b[^>]{0,5000}>", regex.IGNORECASE
)
TOO_DEEP_WARNING = "the page's markup is nested more than 2,048 levels deep: {what} were dropped to read it"


def looks_like_html(raw: str) -> bool:
    """Markup, not a text dump: a doctype or <html> at the top, or several structural tags
    near the top of the page (not counting inline CSS, scripts and comments)."""
    if _DOCUMENT_START.match(raw.lstrip("\ufeff")):
        return True
    return len(_HTML_TAG.findall(_markup_head(raw))) >= 3


def _markup_head(raw: str) -> str:
    """The first `_SNIFF_CHARS` characters of the page outside <style>, <script> and
    comments, looked for within its first `_SNIFF_SCAN` characters."""
    out: list[str] = []
    kept = 0
    pos = 0
    end = min(len(raw), _SNIFF_SCAN)
    while pos < end and kept < _SNIFF_CHARS:
        m = _RAW_TEXT_OPEN.search(raw, pos, end)
        stop = m.start() if m else end
        chunk = raw[pos:min(stop, pos + _SNIFF_CHARS - kept)]
        out.append(chunk)
        kept += len(chunk)
        if m is None:
            break
        out.append(f"<{m.group(1) or '!--'}>")  # the tag itself is markup
        close = _RAW_TEXT_CLOSE[(m.group(1) or "").lower()].search(raw, m.end(), end)
        pos = close.end() if close else end
    return "".join(out)


@dataclass
class HtmlPage:
    text: str  # the main content as lines of text
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    visible: list[str]  # every visible line of the page, for `removed`
    precise: frozenset[str] | None = None  # `norm_key`s of the lines the precise reading kept
    warnings: list[str] = field(default_factory=list)


def parse_html(raw: str) -> tuple[lxml_html.HtmlElement | None, list[str]]:
    """The page's tree (None when there is no markup to parse), and what had to be done to
    read it."""
    raw = replace_surrogates(raw)  # a lone surrogate (from a JSON escape) cannot be encoded
    root, too_deep = _parse(raw)
    if not too_deep:
        return root, []
    for pattern, what in ((_WRAPPER_TAGS, "layout tags (div, span, section, ...)"), (_ALL_BUT_FLAT_TAGS, "all tags but paragraphs and headings")):
        raw = pattern.sub(" ", raw)
        root, too_deep = _parse(raw)
        if not too_deep:
            return root, [TOO_DEEP_WARNING.format(what=what)]
    raise ValueError("the page's markup is nested more than 2,048 levels deep, even without its layout tags")


def _parse(raw: str) -> tuple[lxml_html.HtmlElement | None, bool]:
    # A parser per page: its error log is how depth trouble is seen, and parsers are not
    # shared between threads. Bytes with an explicit encoding: lxml would read undeclared
    # bytes as Latin-1, and a str with an XML encoding declaration is refused.
    parser = lxml_html.HTMLParser(
        encoding="utf-8", huge_tree=True, collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True,
    )
    try:
        root = lxml_html.fromstring(raw.encode("utf-8"), parser=parser)
    except (ParserError, ValueError):
        return None, False
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    return root, too_deep


def visible_lines(raw: str) -> list[str]:
    """The page's visible text, one line per block element (no head, scripts or styles)."""
    root, _ = parse_html(raw)
    return _visible_lines(root) if root is not None else []


def _visible_lines(root: lxml_html.HtmlElement) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join(" ".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    # iterate instead of recursing: pages nested thousands deep must not overflow
    skipping = 0
    for event, el in lxml_html.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skipping += 1
            if skipping:
                continue
            if tag in _BLOCK_TAGS or tag == "br":
                flush()
            if el.text:
                current.append(el.text)
        else:
            if tag in _SKIP_TAGS:
                skipping -= 1
            elif skipping:
                continue
            elif tag in _BLOCK_TAGS:
                flush()
            if el.tail and not skipping:
                current.append(el.tail)
    flush()
    return lines


# Fewer characters than this from the precise call: it missed the article, and its lines
# say nothing about which of the wider reading's lines are article text.
_LITTLE_TEXT = 250


def has_prose(text: str) -> bool:
    """Whether a text holds a sentence of an article, not only menu entries ("Home", "Shop")."""
    for line in text.splitlines():
        words = word_count(line)
        if words >= 20 or (words >= 8 and line.rstrip()[-1:] in ".!?。！？\"”"):
            return True
    return False


def _trafilatura(root: lxml_html.HtmlElement, url: str | None, *, favor_precision: bool) -> dict[str, Any]:
    """trafilatura's main content of a parsed page, as a dict; with its metadata (title,
    date, site name) from the precise call only: the second reading needs just its text,
    and metadata is a third of trafilatura's time."""
    doc = trafilatura.bare_extraction(
        root,
        url=url,
        with_metadata=favor_precision,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=favor_precision,
        deduplicate=False,
    )
    return doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})


def extract_html(raw: str, url: str | None = None) -> HtmlPage:
    """Main content and metadata of an HTML page.

    trafilatura reads the page twice: with `favor_precision` and without (its recall
    setting, with its fallback extractors). The wider reading is the text; the lines the
    precise one kept too are named in `precise`, one of the line classifier's signals for
    the lines the two disagree on. trafilatura prunes the tree it reads, so each reading
    gets a parse of its own."""
    root, warnings = parse_html(raw)
    if root is None:
        return HtmlPage(text="", title=None, published=None, source=None, url=url, visible=[], warnings=warnings)
    visible = _visible_lines(root)
    data = _trafilatura(root, url, favor_precision=True)
    precise = data.get("text") or ""
    again, _ = parse_html(raw)
    wider = _trafilatura(again, url, favor_precision=False) if again is not None else {}
    wide = wider.get("text") or ""
    keys = None
    if len(precise) >= _LITTLE_TEXT or has_prose(precise):
        text = wide if len(wide) >= len(precise) else precise
        keys = frozenset(norm_key(line) for line in split_blocks(normalise_text(precise)))
    elif len(wide) > len(precise) and has_prose(wide):
        # The precise call sometimes keeps only a notice where the page has an article:
        # the wider reading is then the text, judged by the classifier on its own.
        text = wide
        warnings = [*warnings, "the precise extraction kept little: the wider reading is judged on its own"]
    else:  # neither found an article: the caller falls back to the page's visible text
        text = precise
    return HtmlPage(
        text=text,
        title=data.get("title") or None,
        published=data.get("date") or None,
        source=data.get("sitename") or None,
        url=data.get("url") or url,
        visible=visible,
        precise=keys,
        warnings=warnings,
    )
