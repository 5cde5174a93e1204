"""Boilerplate: how well the main text of a web page is kept and its chrome dropped.

Corpus: trafilatura's own evaluation set (github.com/adbar/trafilatura, tests/evaldata.json
and tests/eval/*.html, Apache-2.0), used as development data: per page, snippets that must
be in the extracted text (`with`) and snippets that must not (`without`), scored the way
trafilatura's tests/eval_common.py does it (`metrics/webtext.py`). "trafilatura-eval" is
every page whose HTML is there; "trafilatura-eval-en" the English ones, judged on the
`with` snippets (`readers/webextract.py`: English function-word share >= 0.1). Pages
listed but absent from the checkout are counted in the size column.

Each page is scored from two inputs, against the same snippets:
- "html": the page's HTML (decoded once by the reader), given to every system;
- "text dump": what a scraper saves from the same page, all visible text one block per
  line (`text_dump`: inscriptis when importable, else trafilatura's `html2txt`).

Systems. nevextract runs its full pipeline in "rules" mode only: cleaning comes before the
NLP pipeline and does not depend on the mode, and rules is the fast one (its speed figure
is still the whole pipeline's, not cleaning alone). Its `record.body` is scored, without
the title, as trafilatura's evaluation scores the extracted text alone; an error record is
a full miss (as trafilatura scores a crash) and goes to `TaskResult.errors`. Peers on HTML:
`trafilatura.extract` called with its defaults (which include comments; trafilatura's own
evaluation turns them off), the same with `favor_precision=True`, and jusText with its
default settings and the stop list of the page's `<html lang>` (English when the page
declares none, or a language jusText has no list for). Peers on the dump: jusText given
the dump as one <p> per line (same language choice: the language is the page's, whichever
input a system sees), and the dump kept as is; the latter is also the "whole visible text"
baseline of the HTML input, so it is listed once. Speed: words of the page's text dump per
second of that system (for the dump baseline, the seconds it took to make the dump).

`nevextract_misses` explains nevextract's mistakes per snippet (for error analysis: lost
`with` snippets by the reason of the removed part holding them, kept `without` snippets
by a rough class of what they are).
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import regex

from accuracy.core import (
    Corpus, Options, Row, SweepError, TaskResult, limited, present_corpora, rate, run_nevextract, timed, words_in,
)
from accuracy.metrics.webtext import SnippetCounts, count_snippets, norm
from accuracy.readers.webextract import SnippetCorpus, SnippetPage, held_out, read_trafilatura_eval

FIELD = "boilerplate"
KINDS: tuple[str, ...] = ("html", "text dump")
NEV_MODE = "rules"

_REPO = "https://github.com/adbar/trafilatura"


@dataclass(frozen=True, kw_only=True)
class PagesCorpus(Corpus):
    """`path` is the folder holding evaldata.json and eval/."""

    english_only: bool = False
    held_out_only: bool = False  # only the fifth the line classifier was not trained on


# what is read in that repository: tests/evaldata.json, tests/eval/*.html (all or the English
# pages; every page, or only the fifth nevextract's line classifier never saw in training:
# on the others its figures are partly those of its own training data)
CORPORA: list[PagesCorpus] = [
    PagesCorpus("trafilatura-eval", "trafilatura/tests", "dev", "Apache-2.0", _REPO),
    PagesCorpus("trafilatura-eval-en", "trafilatura/tests", "dev", "Apache-2.0", _REPO, english_only=True),
    PagesCorpus("trafilatura-eval-heldout", "trafilatura/tests", "dev, held-out fifth", "Apache-2.0", _REPO,
                held_out_only=True),
    PagesCorpus("trafilatura-eval-en-heldout", "trafilatura/tests", "dev, held-out fifth", "Apache-2.0", _REPO,
                english_only=True, held_out_only=True),
]


# ----------------------------------------------------------------------------- the text dump


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


@lru_cache(maxsize=1)
def dumper() -> tuple[str, Callable[[str], str]]:
    """The name and function that render a page's visible text: inscriptis if importable."""
    try:
        from inscriptis import get_text

        return f"inscriptis {_version('inscriptis')}", get_text
    except ImportError:
        from trafilatura import html2txt

        return f"trafilatura {_version('trafilatura')} html2txt", html2txt


def text_dump(html: str) -> str:
    """All visible text of the page, one block per line (blank lines and margins dropped)."""
    lines = (line.strip() for line in dumper()[1](html).splitlines())
    return "\n".join(line for line in lines if line)


# ----------------------------------------------------------------------------- systems


@dataclass
class Output:
    """One system's text for one page (None when it failed) and its seconds."""

    text: str | None
    seconds: float
    error: str | None = None
    record: Any = None  # nevextract's ArticleRecord, for the error analysis


# A system maps a page and its input (the HTML or the dump) to extracted text.
Extract = Callable[[SnippetPage, str], "str | None"]

# ISO 639 codes of <html lang> to jusText's stop-list names (the languages seen on the
# development pages and their neighbours; anything else falls back to English).
JUSTEXT_LANGS: dict[str, str] = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "hu": "Hungarian", "fi": "Finnish", "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal",
    "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk", "ru": "Russian", "uk": "Ukrainian",
    "ar": "Arabic", "tr": "Turkish", "ro": "Romanian", "el": "Greek", "ca": "Catalan",
}


def page_url(page: SnippetPage) -> str | None:
    """The evaldata key when it is an address (37 keys are labels such as "hard::name.html")."""
    return page.id if page.id.startswith(("http://", "https://")) else None


@lru_cache(maxsize=64)
def _stoplist(language: str) -> frozenset[str]:
    import justext

    return frozenset(justext.get_stoplist(language))


def justext_language(page: SnippetPage) -> str:
    return JUSTEXT_LANGS.get((page.lang or "")[:2], "English")


def _justext(page: SnippetPage, html: str) -> str:
    import justext

    paragraphs = justext.justext(html, _stoplist(justext_language(page)))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _justext_dump(page: SnippetPage, dump: str) -> str:
    paras = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in dump.splitlines())
    return _justext(page, f"<html><body>\n{paras}</body></html>")


def _trafilatura(**options: Any) -> Extract:
    def run(page: SnippetPage, html: str) -> str | None:
        import trafilatura

        return trafilatura.extract(html, url=page_url(page), **options)

    return run


@dataclass(frozen=True)
class Peer:
    key: str
    kind: str  # "html" or "text dump"
    package: str  # the pip name, for "not installed" and the version
    label: str  # system name after the version
    extract: Extract
    note: str


PEERS: list[Peer] = [
    Peer("trafilatura", "html", "trafilatura", "extract, defaults", _trafilatura(),
         "trafilatura.extract(html, url=...) as called by default (include_comments=True)"),
    Peer("trafilatura-precision", "html", "trafilatura", "extract, favor_precision",
         _trafilatura(favor_precision=True), "trafilatura.extract(html, url=..., favor_precision=True)"),
    Peer("justext", "html", "justext", "default settings", _justext,
         "justext.justext(html, stoplist of <html lang>, else English); non-boilerplate paragraphs"),
    Peer("justext-dump", "text dump", "justext", "one <p> per dump line", _justext_dump,
         "the dump wrapped as <p> per line; stoplist of the page's <html lang>, else English"),
]


def _import_name(package: str) -> str:
    return package.replace("-", "_")


def installed(package: str) -> bool:
    try:
        __import__(_import_name(package))
    except ImportError:
        return False
    return True


def _run_peer(peer: Peer, page: SnippetPage, given: str) -> Output:
    try:
        text, seconds = timed(lambda: peer.extract(page, given))
    except Exception as exc:  # noqa: BLE001 - counted in the row's note and scored as a miss, as trafilatura's eval does
        return Output(None, 0.0, f"{type(exc).__name__}: {exc}")
    return Output(text, seconds)


def _run_nevextract(page: SnippetPage, kind: str, given: str) -> Output:
    item = {"id": page.id, "html": given, "url": page_url(page)} if kind == "html" else {"id": page.id, "text": given}
    nev = run_nevextract(NEV_MODE, FIELD, [item])
    record = nev.records[0]
    error = nev.errors[0].error if nev.errors else None
    return Output(record.body if record is not None else None, nev.seconds, error, record)


# ----------------------------------------------------------------------------- one corpus


@dataclass
class _Pages:
    """The pages of one corpus with their dumps (made once, timed)."""

    corpus: PagesCorpus
    pages: Sequence[SnippetPage]
    dumps: dict[str, Output]
    size: str
    decoded_note: str
    outputs: dict[tuple[str, str, str], Output] = field(default_factory=dict)


def _select(corpus: PagesCorpus, data: SnippetCorpus, limit: int | None) -> tuple[Sequence[SnippetPage], int, int]:
    """The corpus's pages (at most `limit`), how many it lists and how many are missing."""
    pages = [p for p in data.pages if (p.english or not corpus.english_only) and (held_out(p.id) or not corpus.held_out_only)]
    missing = [m for m in data.missing if (m.english or not corpus.english_only) and (held_out(m.id) or not corpus.held_out_only)]
    return limited(pages, limit), len(pages) + len(missing), len(missing)


def _size(pages: Sequence[SnippetPage], listed: int, missing: int) -> str:
    n_with = sum(len(p.with_snippets) for p in pages)
    n_without = sum(len(p.without_snippets) for p in pages)
    return (f"{len(pages):,} pages ({missing} of {listed:,} listed missing), "
            f"{n_with:,} with + {n_without:,} without snippets")


def _score(pages: Sequence[SnippetPage], outputs: Sequence[Output]) -> SnippetCounts:
    total = SnippetCounts()
    for page, out in zip(pages, outputs):
        total += count_snippets(page.with_snippets, page.without_snippets, out.text)
    return total


def _row(ps: _Pages, kind: str, system: str, outputs: Sequence[Output], note: str) -> Row:
    counts = _score(ps.pages, outputs)
    secs = sum(o.seconds for o in outputs)
    words = words_in(o.text or "" for o in ps.dumps.values())
    pages_per_s = len(outputs) / secs if secs > 0 else float("inf")
    tally = f"TP {counts.tp} FP {counts.fp} FN {counts.fn} TN {counts.tn}"
    return Row(
        field=FIELD, corpus=ps.corpus.name, split=kind, size=ps.size, licence=ps.corpus.licence,
        system=system, metrics=counts.scores(), words_per_s=round(rate(words, secs), 1),
        note=f"{note}; {tally}; {pages_per_s:.1f} pages/s; {ps.decoded_note}",
    )


@lru_cache(maxsize=1)
def _boilerplate_model() -> Any:
    from nevextract.clean.profiles import load_boilerplate
    from nevextract.patterns import pattern_dirs

    return load_boilerplate(pattern_dirs())


def _run_cleaning(page: SnippetPage, kind: str, given: str) -> Output:
    """nevextract's cleaning stage alone (`clean_page`), for its speed beside trafilatura's."""
    from nevextract.clean import clean_page

    model = _boilerplate_model()
    cleaned, seconds = timed(lambda: clean_page(given, model, url=page_url(page), format="html" if kind == "html" else "text"))
    return Output(cleaned.body, seconds)


def _nevextract_rows(ps: _Pages, result: TaskResult) -> list[Row]:
    rows = []
    for kind in KINDS:
        outputs = [_cached(ps, "nevextract", kind, p, _run_nevextract) for p in ps.pages]
        errors = [SweepError(f"{ps.corpus.name} ({kind})", p.id, o.error)
                  for p, o in zip(ps.pages, outputs) if o.error is not None]
        result.errors.extend(errors)
        cleaning = [_cached(ps, "nevextract-cleaning", kind, p, _run_cleaning) for p in ps.pages]
        seconds = sum(o.seconds for o in cleaning)
        note = (f"full pipeline in {NEV_MODE} mode (cleaning is the same in every mode); scores record.body, "
                f"not the title; {len(errors)} error records scored as full misses (see the sweep); "
                f"cleaning stage alone {len(cleaning) / seconds if seconds else float('inf'):.1f} pages/s")
        rows.append(_row(ps, kind, f"nevextract ({NEV_MODE})", outputs, note))
    return rows


def _peer_rows(ps: _Pages) -> list[Row]:
    rows = []
    for peer in PEERS:
        name = f"{peer.package} {_version(peer.package)} ({peer.label})"
        if not installed(peer.package):
            rows.append(Row(FIELD, ps.corpus.name, peer.kind, ps.size, ps.corpus.licence, name, {},
                            note=f"not installed: pip install {peer.package}"))
            continue
        outputs = [_cached(ps, peer.key, peer.kind, p, lambda page, kind, given, peer=peer: _run_peer(peer, page, given))
                   for p in ps.pages]
        failed = sum(o.error is not None for o in outputs)
        rows.append(_row(ps, peer.kind, name, outputs, f"{peer.note}; {failed} pages raised (full misses)"))
    dumps = [ps.dumps[p.id] for p in ps.pages]
    rows.append(_row(ps, "text dump", "the dump as is (baseline: keep everything)", dumps,
                     f"all visible text by {dumper()[0]}; also the 'whole visible text' baseline of the html input; "
                     "speed = making the dump from the HTML"))
    return rows


def _cached(ps: _Pages, system: str, kind: str, page: SnippetPage,
            run: Callable[[SnippetPage, str, str], Output]) -> Output:
    """A system's output for a page, computed once per run (the two corpora share pages)."""
    key = (system, kind, page.id)
    if key not in ps.outputs:
        given = page.html if kind == "html" else (ps.dumps[page.id].text or "")
        ps.outputs[key] = run(page, kind, given)
    return ps.outputs[key]


def _dump_output(page: SnippetPage) -> Output:
    try:
        text, seconds = timed(lambda: text_dump(page.html))
    except Exception as exc:  # noqa: BLE001 - an empty dump is scored, and the failure is in the note
        return Output("", 0.0, f"{type(exc).__name__}: {exc}")
    return Output(text, seconds)


def _prepare(corpus: PagesCorpus, data: SnippetCorpus, limit: int | None,
             dumps: dict[str, Output], outputs: dict[tuple[str, str, str], Output]) -> _Pages:
    pages, listed, missing = _select(corpus, data, limit)
    for p in pages:
        if p.id not in dumps:
            dumps[p.id] = _dump_output(p)
    fallback = sum(p.decoded_by != "utf-8" for p in pages)
    failed = sum(dumps[p.id].error is not None for p in pages)
    decoded = f"{fallback} pages decoded by a fallback, {failed} dumps failed; dump by {dumper()[0]}"
    return _Pages(corpus, pages, {p.id: dumps[p.id] for p in pages}, _size(pages, listed, missing), decoded, outputs)


def run(opts: Options) -> TaskResult:
    result = TaskResult()
    loaded: dict[str, SnippetCorpus] = {}
    dumps: dict[str, Output] = {}
    outputs: dict[tuple[str, str, str], Output] = {}  # shared: an English page is run once
    for corpus, folder in present_corpora(CORPORA, opts, result, lambda f: (f / "evaldata.json").is_file()):
        if corpus.path not in loaded:
            loaded[corpus.path] = read_trafilatura_eval(folder)
        ps = _prepare(corpus, loaded[corpus.path], opts.limit, dumps, outputs)
        if not ps.pages:  # a subset none of whose pages is present (the held-out fifth of a small copy)
            continue
        if opts.modes:
            result.rows.extend(_nevextract_rows(ps, result))
        if opts.peers:
            result.rows.extend(_peer_rows(ps))
    return result


# ----------------------------------------------------------------------------- error analysis


@dataclass(frozen=True)
class Miss:
    page: str
    side: str  # "lost" (a with-snippet not extracted) or "kept" (a without-snippet extracted)
    snippet: str
    cause: str  # for "lost": why; for "kept": the class of the snippet


# Rough classes of boilerplate, tried in this order; the first whose pattern matches wins.
# They are for error analysis only: cheap cues, not a classifier.
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|oktober|"
          r"dezember)[a-z]*\.?")
_KEPT_CLASSES: list[tuple[str, regex.Pattern[str]]] = [
    ("comments", regex.compile(r"\b(?:comments?|repl(?:y|ies)|kommentar\w*|antworten|leave a)\b", regex.I)),
    ("share/social", regex.compile(
        r"\b(?:share|tweet|facebook|twitter|linkedin|pinterest|whatsapp|instagram|teilen|follow|folge)\b", regex.I)),
    ("newsletter/subscription", regex.compile(
        r"\b(?:newsletters?|subscri\w*|sign(?:ing)? up|inbox|updates|informed|abonn\w*|e-?mail|apps?|log ?in)\b",
        regex.I)),
    ("legal/ads/disclaimers", regex.compile(
        r"©|\b(?:copyright|privacy|cookies?|datenschutz\w*|impressum|terms|rights reserved|licen[cs]\w*|"
        r"advertis\w*|disclos\w*|compensation|affiliate|associate program|recaptcha|not responsible|"
        r"sell my|ad-blocker)\b", regex.I)),
    ("author bios", regex.compile(
        r"\b(?:is an?|is the)\b.{0,60}?"
        r"\b(?:professor|writer|editor|journalist|expert|founder|reporter|correspondent|author)\b"
        r"|\b(?:writes about|writer for|covering|emeritus)\b", regex.I)),
    ("related links/teasers", regex.compile(
        r"\b(?:related|read more|more from|you may also|weiterlesen|mehr zum|auch interessant|recommended|"
        r"popular|most (?:read|viewed)|trending|next|previous|headline news|the latest)\b", regex.I)),
    ("dates/bylines", regex.compile(
        rf"\d{{1,2}}[./]\s?\d{{1,2}}[./]\s?\d{{2,4}}|\b{_MONTH}\s+\d{{1,4}}\b|\b\d{{1,2}}\.?\s+{_MONTH}\b|"
        r"\b\d{1,2}:\d{2}(?:\s?[ap]m)?\b|\b\d+\s+\w+\s+ago\b|^\s*(?:by|von|posted|published|updated|autor|author)\b",
        regex.I)),
    ("captions/credits", regex.compile(
        r"\b(?:photo|image|foto|bild|getty|credit|reuters|afp|dpa|shutterstock)\b", regex.I)),
]


def kept_class(snippet: str) -> str:
    """A rough class of a `without` snippet that was kept."""
    for name, pattern in _KEPT_CLASSES:
        if pattern.search(snippet):
            return name
    if len(snippet.split()) <= 4 and not snippet.rstrip().endswith((".", "!", "?")):
        return "navigation/short labels"
    return "other sentences (teasers, sidebars)"


def _lost_cause(snippet: str, kind: str, out: Output, dump: str, first_pass: str | None) -> str:
    key = norm(snippet)
    if out.record is None:
        return f"error record: {out.error}"
    # from HTML, `removed` lists every visible line not in the body, labelled by the line
    # rules even when trafilatura (not the rules) dropped it: trafilatura's own text says which
    if kind == "html" and first_pass is not None and key not in norm(first_pass):
        return "trafilatura dropped it"
    for removed in out.record.removed:
        if key in norm(removed.text):
            return f"removed: {removed.reason}"
    if kind == "html":
        return "trafilatura dropped it" if first_pass is None else "lost after trafilatura (not in one removed part)"
    if key not in norm(dump):
        return "not in the text dump"
    return "not in the body nor in one removed block"


def nevextract_misses(page: SnippetPage, kind: str, out: Output, dump: str, first_pass: str | None = None) -> list[Miss]:
    """nevextract's lost `with` and kept `without` snippets on one page, with causes.
    `first_pass` is the text trafilatura kept before nevextract's line rules (HTML input)."""
    body = norm(out.text) if out.text is not None else None
    misses = [Miss(page.id, "lost", s, _lost_cause(s, kind, out, dump, first_pass))
              for s in page.with_snippets if body is None or norm(s) not in body]
    if body is not None:
        misses += [Miss(page.id, "kept", s, kept_class(s)) for s in page.without_snippets if norm(s) in body]
    return misses


def analyse_nevextract(data: Path, corpus: str = "trafilatura-eval-en", limit: int | None = None) -> dict[str, list[Miss]]:
    """nevextract's misses per input kind on one corpus (runs it again; for reports)."""
    from nevextract.clean.html import extract_html  # its first stage, to tell who dropped a snippet

    entry = next(c for c in CORPORA if c.name == corpus)
    pages, _, _ = _select(entry, read_trafilatura_eval(data / entry.path), limit)
    out: dict[str, list[Miss]] = {kind: [] for kind in KINDS}
    for page in pages:
        dump = text_dump(page.html)
        first_pass = extract_html(page.html, page.id).text
        for kind in KINDS:
            nev = _run_nevextract(page, kind, page.html if kind == "html" else dump)
            out[kind].extend(nevextract_misses(page, kind, nev, dump, first_pass if kind == "html" else None))
    return out
