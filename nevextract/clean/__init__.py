"""Cleaning: raw page (text dump or HTML) → article body, what was removed, and metadata.

Nothing downstream reaches back in here: the extractor gets a `CleanedPage` and works on
its `body` alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from nevextract.clean.html import extract_html, has_prose, looks_like_html
from nevextract.clean.metadata import find_published, find_source
from nevextract.clean.profiles import BoilerplateModel, SourceProfile, watch_regex_timeouts
from nevextract.clean.text import clean_text, line_reason, norm_key
from nevextract.records import Removed

__all__ = ["FORMATS", "CleanedPage", "PageFormat", "clean_page", "looks_like_html"]

PageFormat = Literal["html", "text"]
FORMATS: tuple[PageFormat, ...] = ("html", "text")


@dataclass
class CleanedPage:
    body: str
    removed: list[Removed]
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    byline: str | None = None
    url: str | None = None
    profile: SourceProfile | None = None
    is_html: bool = False
    warnings: list[str] = field(default_factory=list)


def clean_page(
    raw: str, model: BoilerplateModel, *, url: str | None = None, format: PageFormat | None = None,
) -> CleanedPage:
    """Strip a scraped page to its article body and find its title, date and publisher.

    `format` says what the page is: "html" (markup, read by trafilatura), "text" (a text
    dump, even if it shows tags), or None to tell from the page itself (`looks_like_html`).
    A rule regex that runs out of time is named in `warnings`."""
    if format is not None and format not in FORMATS:
        raise ValueError(f'format must be "html", "text" or None, not {format!r}')
    with watch_regex_timeouts() as timeouts:
        page = _clean(raw, model, url, looks_like_html(raw) if format is None else format == "html")
    page.warnings.extend(timeouts.warnings())
    return page


def _clean(raw: str, model: BoilerplateModel, url: str | None, is_html: bool) -> CleanedPage:
    profile = model.profile_for(raw[:200_000], url)
    order = profile.dates.order if profile else None
    if is_html:
        page = extract_html(raw, url)
        in_precise = page.precise.__contains__ if page.precise is not None else None
        cleaned = clean_text(page.text, model, profile, title=page.title, kind="html", in_precise=in_precise)
        if not cleaned.body.strip() and has_prose(page.text):
            # The line rules removed all that the page's structure marked as its main content
            # (a short photo story, say): the structure wins over the line rules.
            body = "\n\n".join(line.strip() for line in page.text.splitlines() if line.strip())
            cleaned = replace(cleaned, body=body, removed=[], warnings=[
                *cleaned.warnings, "the line rules would have removed the whole article: the HTML's main content is kept",
            ])
        elif not page.text.strip() and page.visible:
            # trafilatura found no main content at all (pages built by scripts, odd markup):
            # the page's visible text is cleaned as a text dump would be.
            from_visible = clean_text("\n".join(page.visible), model, profile, title=page.title)
            if has_prose(from_visible.body):  # an article, not what is left of a menu
                cleaned = from_visible
                cleaned.warnings.append("the HTML extraction found no main content: the visible text was cleaned line by line")
        published = _iso_date(page.published) or find_published(cleaned.header, order, cleaned.footer)
        removed = _removed_from_html(page.visible, cleaned.body, cleaned.removed, model, profile)
        source = (profile.name if profile else None) or page.source or find_source(cleaned.header, cleaned.footer)
        return CleanedPage(
            body=cleaned.body, removed=removed, title=page.title, published=published, source=source,
            byline=cleaned.byline, url=page.url, profile=profile, is_html=True,
            warnings=[*page.warnings, *cleaned.warnings],
        )
    cleaned = clean_text(raw, model, profile)
    source = profile.name if profile else find_source(cleaned.header, cleaned.footer)
    return CleanedPage(
        body=cleaned.body, removed=cleaned.removed, title=cleaned.title,
        published=find_published(cleaned.header, order, cleaned.footer), source=source, byline=cleaned.byline,
        url=url, profile=profile, warnings=list(cleaned.warnings),
    )


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _removed_from_html(
    visible: list[str], body: str, removed_from_text: list[Removed], model: BoilerplateModel,
    profile: SourceProfile | None,
) -> list[Removed]:
    """Every visible line of the page that is not in the body, with the best reason we have."""
    reasons = {norm_key(r.text): r.reason for r in removed_from_text}
    keys = [norm_key(line) for line in visible]
    out: list[Removed] = []
    for line, key, in_body in zip(visible, keys, _in_body(keys, norm_key(body))):
        if key and in_body:
            continue
        reason = reasons.get(key) or line_reason(line, model, profile)
        out.append(Removed(text=line, reason=reason or "not-main-content"))
    return out


_RUN = 3  # words per run compared between a visible line and the body


def _runs(words: list[str], n: int) -> Iterable[str | tuple[str, ...]]:
    """Every run of n consecutive words: the words themselves for n = 1, else tuples."""
    return words if n == 1 else zip(*(words[i:] for i in range(n)))


def _in_body(keys: list[str], body_key: str) -> list[bool]:
    """For each line key, whether its words occur in order in the body: every run of (up
    to) three consecutive words of the line is a run of the body.

    A substring search per visible line cost lines × body: a 5 MB page of 10,000 table rows
    spent minutes here. Set lookups of word runs make it linear, and only the runs the lines
    need are kept. It is word-aligned ("climb" is not in "climbed"); a long line whose runs
    all occur, but apart, counts as in the body: a near miss that can only leave a line out
    of `removed`, never change the body."""
    split = [key.split(" ") for key in keys]
    wanted: set[str | tuple[str, ...]] = set()
    for words in split:
        wanted.update(_runs(words, min(len(words), _RUN)))
    body_words = body_key.split(" ") if body_key else []
    found: set[str | tuple[str, ...]] = set()
    for n in range(1, _RUN + 1):
        found |= wanted.intersection(_runs(body_words, n))
    return [bool(key) and all(r in found for r in _runs(words, min(len(words), _RUN))) for key, words in zip(keys, split)]
