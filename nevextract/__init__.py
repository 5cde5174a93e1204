"""nevextract: news pages about the electric-vehicle industry → validated records.

    >>> import nevextract
    >>> rec = nevextract.extract("Shares of BYD rose.", clean=False, mode="rules")
    >>> rec.organisations[0].name
    'BYD'
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from nevextract.clean import PageFormat
from nevextract.extractor import Extractor, InputError
from nevextract.nlp import Mode
from nevextract.records import (
    ArticleRecord, Claim, DateMention, ErrorRecord, Organisation, Quantity, Removed, Span,
)

__version__ = "0.1.0"
__all__ = [
    "extract", "Extractor", "InputError", "ArticleRecord", "ErrorRecord", "Organisation",
    "Quantity", "DateMention", "Claim", "Removed", "Span", "__version__",
]


@lru_cache(maxsize=3)
def _shared(mode: Mode) -> Extractor:
    return Extractor(mode=mode)


def extract(
    text_or_html: str, *, id: str | None = None, source: str | None = None,
    published: str | dt.date | None = None, url: str | None = None, clean: bool = True,
    mode: Mode = "hybrid", format: PageFormat | None = None,
) -> ArticleRecord:
    """One page → its record, with a shared `Extractor` per mode (loaded on first use).
    `format` ("html" or "text") says what the page is; by default it is detected."""
    return _shared(mode).extract(
        text_or_html, id=id, source=source, published=published, url=url, clean=clean, format=format,
    )
