"""HTML pages: the main content by trafilatura, then the same line rules as text pages.

trafilatura finds the article among navigation, sidebars and footers far better than rules
we would write over raw markup (it is what the jusText/trafilatura comparison in PEERS.md
measured). It does not say what it dropped, so the visible text it left out is listed in
`removed` by comparing the page's visible lines with what it kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError

_HTML_TAG = regex.compile(r"<\s*/?\s*(?:html|head|body|div|p|br|span|article|section|a|h[1-6]|li|ul|table|meta|script)\b", regex.IGNORECASE)
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "svg"}
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "header",
               "footer", "aside", "nav", "section", "article", "blockquote", "form", "button", "time", "ul", "ol"}


def looks_like_html(raw: str) -> bool:
    """Markup, not a text dump: several structural tags near the top of the page."""
    return len(_HTML_TAG.findall(raw[:20000])) >= 3


@dataclass
class HtmlPage:
    text: str  # the main content as lines of text
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    visible: list[str]  # every visible line of the page, for `removed`


_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8")


def visible_lines(raw: str) -> list[str]:
    """The page's visible text, one line per block element (no head, scripts or styles)."""
    try:
        # bytes with an explicit encoding: lxml would read undeclared bytes as Latin-1
        root = lxml_html.fromstring(raw.encode("utf-8"), parser=_UTF8_PARSER)
    except (ParserError, ValueError):
        return []
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join(" ".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    # iterate instead of recursing: pages nested tens of thousands deep must not overflow
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


def extract_html(raw: str, url: str | None = None) -> HtmlPage:
    """Main content and metadata of an HTML page."""
    doc = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = data.get("text") or ""
    return HtmlPage(
        text=text,
        title=data.get("title") or None,
        published=data.get("date") or None,
        source=data.get("sitename") or None,
        url=data.get("url") or url,
        visible=visible_lines(raw),
    )
