"""Cleaning: raw page (text dump or HTML) → article body, what was removed, and metadata.

Nothing downstream reaches back in here: the extractor gets a `CleanedPage` and works on
its `body` alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nevextract.clean.html import extract_html, looks_like_html
from nevextract.clean.metadata import find_published, find_source
from nevextract.clean.profiles import BoilerplateModel, SourceProfile
from nevextract.clean.text import clean_text, line_reason, norm_key
from nevextract.records import Removed

__all__ = ["CleanedPage", "clean_page", "looks_like_html"]


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


def clean_page(raw: str, model: BoilerplateModel, *, url: str | None = None) -> CleanedPage:
    """Strip a scraped page to its article body and find its title, date and publisher."""
    profile = model.profile_for(raw[:200_000], url)
    order = profile.dates.order if profile else None
    if looks_like_html(raw):
        page = extract_html(raw, url)
        cleaned = clean_text(page.text, model, profile, title=page.title)
        published = _iso_date(page.published) or find_published(cleaned.header, order)
        removed = _removed_from_html(page.visible, cleaned.body, cleaned.removed, model, profile)
        source = (profile.name if profile else None) or page.source or find_source(cleaned.header, cleaned.footer)
        return CleanedPage(
            body=cleaned.body, removed=removed, title=page.title, published=published, source=source,
            byline=cleaned.byline, url=page.url, profile=profile, is_html=True, warnings=cleaned.warnings,
        )
    cleaned = clean_text(raw, model, profile)
    source = profile.name if profile else find_source(cleaned.header, cleaned.footer)
    return CleanedPage(
        body=cleaned.body, removed=cleaned.removed, title=cleaned.title,
        published=find_published(cleaned.header, order), source=source, byline=cleaned.byline,
        url=url, profile=profile, warnings=cleaned.warnings,
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
    body_key = norm_key(body)
    out: list[Removed] = []
    for line in visible:
        key = norm_key(line)
        if key and key in body_key:
            continue
        reason = reasons.get(key) or line_reason(line, model, profile)
        out.append(Removed(text=line, reason=reason or "not-main-content"))
    return out
