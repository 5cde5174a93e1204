"""The flow of one article, and of many: clean → spaCy Doc → field components → record.

`Extractor` loads the spaCy pipeline and every pattern file once; `extract()` handles one
page, `pipe()` streams many through `nlp.pipe` so the model batches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import regex

from spacy.tokens import Doc

from nevextract.clean import CleanedPage, PageFormat, clean_page
from nevextract.clean.profiles import load_boilerplate
from nevextract.clean.text import replace_surrogates
from nevextract.nlp import FIELDS, Mode, build_pipeline
from nevextract.patterns import pattern_dirs
from nevextract.records import ArticleRecord, ErrorInfo, ErrorRecord

# spaCy's own default; a longer body is refused with a clear error rather than risking memory.
DEFAULT_MAX_CHARS = 1_000_000
NO_DATE_WARNING = (
    "no publication date: relative dates are left unresolved; a month or day written without its year takes "
    "the latest year the text states before it"
)

Item = Union[str, Mapping[str, Any], ErrorRecord]


class InputError(ValueError):
    """An input that cannot become an article (empty, too large, not text)."""


@dataclass
class _Prepared:
    id: str
    path: str | None
    page: CleanedPage
    published: dt.date | None
    source: str | None
    warnings: list[str]


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(f"published {value!r} is not an ISO date (YYYY-MM-DD)") from exc


class Extractor:
    """Loads the model and patterns once; turns pages into `ArticleRecord`s.

    >>> ex = Extractor(mode="rules")
    >>> rec = ex.extract("BYD sold 300,000 cars, the China Passenger Car Association (CPCA) said.", clean=False)
    >>> [(o.name, o.aliases) for o in rec.organisations]
    [('BYD', []), ('China Passenger Car Association', ['CPCA'])]
    """

    def __init__(
        self, mode: Mode = "hybrid", patterns: Sequence[str | Path] = (), *, model: str | None = None,
        max_chars: int = DEFAULT_MAX_CHARS, gazetteer: bool = True,
    ) -> None:
        self.mode = mode
        self.model_name = model
        self.patterns = [str(p) for p in patterns]
        self.gazetteer = gazetteer
        self.nlp = build_pipeline(mode, patterns=self.patterns, model=model, gazetteer=gazetteer)
        self.boilerplate = load_boilerplate(pattern_dirs(self.patterns))
        self.max_chars = max_chars
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)

    def settings(self) -> dict[str, Any]:
        """What it takes to build an equal Extractor (in another process)."""
        return {"mode": self.mode, "patterns": self.patterns, "model": self.model_name, "max_chars": self.max_chars,
                "gazetteer": self.gazetteer}

    # ------------------------------------------------------------------ one article
    def extract(
        self, text: str, *, id: str | None = None, source: str | None = None,
        published: str | dt.date | None = None, url: str | None = None, clean: bool = True,
        format: PageFormat | None = None,
    ) -> ArticleRecord:
        """One page (text dump or HTML) → its record. `clean=False` takes `text` as the body;
        `format` ("html" or "text") says what the page is instead of detecting it."""
        prep = self._prepare(
            text, id=id or "article", path=None, source=source, published=published, url=url, clean=clean, format=format,
        )
        return self._record(prep, self.nlp(self._doc(prep)))

    # ------------------------------------------------------------------ many articles
    def pipe(
        self, items: Iterable[Item], *, batch_size: int = 16, n_process: int = 1
    ) -> Iterator[ArticleRecord | ErrorRecord]:
        """Records for many pages, in input order. An item is a page's text or a mapping with
        `text` or `html` and optional `id`, `url`, `published`, `source`, `clean`, `path`,
        `warnings`. An item that fails becomes an `ErrorRecord`; the rest go on. An
        `ErrorRecord` given as an item (a file that could not be read) passes through in place.
        `n_process` > 1 runs that many worker processes (`nevextract.batch`)."""
        if n_process > 1:
            from nevextract.batch import pipe_parallel

            yield from pipe_parallel(self, items, workers=n_process, batch_size=batch_size)
            return
        prepared: list[_Prepared | ErrorRecord] = []
        for n, item in enumerate(items):
            prepared.append(self._prepare_item(item, n))
            if len(prepared) >= batch_size * 4:
                yield from self._run(prepared, batch_size)
                prepared = []
        yield from self._run(prepared, batch_size)

    def _run(self, prepared: list[_Prepared | ErrorRecord], batch_size: int) -> Iterator[ArticleRecord | ErrorRecord]:
        good = [p for p in prepared if isinstance(p, _Prepared)]
        docs: list[Doc | Exception]
        try:
            docs = list(self.nlp.pipe((self._doc(p) for p in good), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - one article broke the batch: redo them one by one
            docs = [self._parse_alone(p) for p in good]
        done = iter(docs)
        for p in prepared:
            if isinstance(p, ErrorRecord):
                yield p
                continue
            doc = next(done)
            try:
                if isinstance(doc, Exception):
                    raise doc
                yield self._record(p, doc)
            except Exception as exc:  # noqa: BLE001 - reported as this article's error record
                yield _error(p.id, p.path, exc)

    def _parse_alone(self, prep: _Prepared) -> Doc | Exception:
        try:
            return self.nlp(self._doc(prep))
        except Exception as exc:  # noqa: BLE001 - returned, and reported by _run
            return exc

    def _prepare_item(self, item: Item, n: int) -> _Prepared | ErrorRecord:
        if isinstance(item, ErrorRecord):
            return item
        if isinstance(item, str):
            item = {"text": item}
        ident = str(item.get("id") or f"item-{n}")
        path = item.get("path")
        try:
            text = item.get("text", item.get("html"))
            if not isinstance(text, str):
                raise InputError("item has neither `text` nor `html` as a string")
            return self._prepare(
                text, id=ident, path=path, source=item.get("source"), published=item.get("published"),
                url=item.get("url"), clean=bool(item.get("clean", True)),
                warnings=list(item.get("warnings") or []), format=item.get("format"),
            )
        except Exception as exc:  # noqa: BLE001 - reported as the item's error record
            return _error(ident, path, exc)

    # ------------------------------------------------------------------ steps
    def _prepare(
        self, text: str, *, id: str, path: str | None, source: str | None,
        published: str | dt.date | None, url: str | None, clean: bool, warnings: Sequence[str] = (),
        format: PageFormat | None = None,
    ) -> _Prepared:
        if not text.strip():
            raise InputError("the page is empty")
        if len(text) > self.max_chars * 20:
            raise InputError(f"the page has {len(text):,} characters, more than the limit of {self.max_chars * 20:,}")
        if clean:
            page = clean_page(text, self.boilerplate, url=url, format=format)
        else:
            page = CleanedPage(body=replace_surrogates(text), removed=[], url=url)
        if not page.body.strip():
            raise InputError("cleaning left no article body")
        if len(page.body) > self.max_chars:
            raise InputError(
                f"the article body has {len(page.body):,} characters, more than max_chars={self.max_chars:,}"
            )
        date = _as_date(published) or page.published
        warnings = [*warnings, *page.warnings]
        if date is None:
            warnings.append(NO_DATE_WARNING)
        return _Prepared(id, path, page, date, source or page.source, warnings)

    def _doc(self, prep: _Prepared) -> Doc:
        doc = self.nlp.make_doc(prep.page.body)
        doc._.nev_published = prep.published
        # the site's conventions (day/month order, fiscal years, Chinese number words) hold
        # for the body as for the page's header
        doc._.nev_source_profile = prep.page.profile
        return doc

    @staticmethod
    def _record(prep: _Prepared, doc: Doc) -> ArticleRecord:
        fields = {f: list(getattr(doc._, f"nev_{f}") or []) for f in FIELDS}
        return ArticleRecord(
            id=prep.id, source=prep.source, url=prep.page.url, title=prep.page.title,
            published=prep.published.isoformat() if prep.published else None,
            body=prep.page.body, removed=prep.page.removed, warnings=prep.warnings,
            time_references=list(doc._.nev_time_references or []), **fields,
        )


# spaCy turns a KeyError raised inside any component into "[E109] Component 'X' could not be
# run. Did you forget to call `initialize()`?" — misleading for a component that needs no
# initialising. The real exception is kept as its cause.
_SPACY_E109 = regex.compile(r"\[E109\] Component '([^']{1,200})' could not be run")


def _error(ident: str, path: str | None, exc: BaseException) -> ErrorRecord:
    """The error record of one input, naming the component and the real exception where
    spaCy wrapped it."""
    wrapped = _SPACY_E109.match(str(exc))
    if wrapped and exc.__cause__ is not None:
        cause = exc.__cause__
        message = f"component {wrapped.group(1)!r} failed: {type(cause).__name__}: {cause}"
        return ErrorRecord(id=ident, path=path, error=ErrorInfo(type=type(cause).__name__, message=message))
    return ErrorRecord(id=ident, path=path, error=ErrorInfo(type=type(exc).__name__, message=str(exc) or repr(exc)))
