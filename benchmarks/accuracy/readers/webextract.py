"""Web pages for main-content extraction, in two gold formats.

1. Snippet gold (trafilatura's evaluation set, github.com/adbar/trafilatura, tests/):
   `evaldata.json` maps a page's URL to `{"file": name, "with": [...], "without": [...]}`;
   `with` holds text pieces that must be in the extracted main text, `without` pieces that
   must not. The HTML is `eval/<file>` (trafilatura's own runner also looks in `cache/`
   first; so do we). Files that are listed but absent or unreadable are reported, not fatal.

2. Full expected text (the web-content-extraction-benchmark layout, Bevendorff et al. 2023,
   and the like): a ground-truth file (`.json` mapping page id to text or to a record, or
   `.jsonl` of records) next to a folder of `<id>.html` / `<id>.html.gz` pages. A record's
   id is `page_id` or `id`; its text is `plaintext`, `articleBody` or `text`.

Pages are decoded here, once, so that every system is handed the same `str`: strict UTF-8
first (most of these pages are UTF-8), then the charset the page declares, then
charset_normalizer's guess. How each page was decoded is kept (`decoded_by`) so a report
can say how many needed a fallback.

Which pages are English is decided on the `with` snippets (the gold text, not the page, so
that menus in English on a German page do not count): the share of their word tokens that
are English function words, from a list that leaves out words other European languages
also use ("in", "an", "a", "was", "die", "also", "so", "is"). On the development set the
share is 0 for nearly every non-English page and >= 0.1 for English ones, hence the cut.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

# ----------------------------------------------------------------------------- decoding

_CHARSET = regex.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", regex.IGNORECASE)
_HTML_LANG = regex.compile(r"""<html\b[^>]{0,2000}?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", regex.IGNORECASE)
# the charset is declared in the head; the whole page need not be searched
_HEAD_BYTES = 20_000


def declared_charset(raw: bytes) -> str | None:
    """The Python codec name of the charset the page declares (meta tag or XML prolog),
    or None when it declares none or one Python does not know."""
    m = _CHARSET.search(raw[:_HEAD_BYTES])
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode_html(raw: bytes) -> tuple[str, str]:
    """The page as text, and how it was decoded: "utf-8", "declared:<codec>",
    "charset_normalizer:<codec>" or "latin-1" (the last resort, which cannot fail)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass  # not UTF-8: the fallbacks below say which decoding was used
    declared = declared_charset(raw)
    if declared is not None and declared != "utf-8":
        try:
            return raw.decode(declared), f"declared:{declared}"
        except UnicodeDecodeError:
            pass  # the declaration is wrong: guess from the bytes instead
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None:
        return str(best), f"charset_normalizer:{best.encoding}"
    return raw.decode("latin-1"), "latin-1"


def html_lang(html: str) -> str | None:
    """The two- or three-letter language code of `<html lang=...>`, lower case."""
    m = _HTML_LANG.search(html[:_HEAD_BYTES])
    return m.group(1).lower() if m else None


# ----------------------------------------------------------------------------- language of the gold

# English function words that are not also common words in German, French, Spanish,
# Italian, Dutch or Polish (see the module docstring).
ENGLISH_WORDS = frozenset(
    "the of and to that for it with be by at this are from or have not but his they were has had "
    "which you their we he she been its would can more one all there about who into than them "
    "when our your what if out my".split()
)
ENGLISH_SHARE = 0.1
_WORD = regex.compile(r"[\p{L}]+")


def english_share(texts: list[str] | tuple[str, ...]) -> float:
    """Share of the word tokens of `texts` that are in `ENGLISH_WORDS` (0.0 for no words)."""
    words = _WORD.findall(" ".join(texts).lower())
    return sum(w in ENGLISH_WORDS for w in words) / len(words) if words else 0.0


def is_english(texts: list[str] | tuple[str, ...]) -> bool:
    return english_share(texts) >= ENGLISH_SHARE


# ----------------------------------------------------------------------------- snippet gold


@dataclass(frozen=True)
class SnippetPage:
    """One page of trafilatura's evaluation set."""

    id: str  # the evaldata key: the page's URL
    file: str
    html: str
    decoded_by: str
    with_snippets: tuple[str, ...]  # must be in the extracted text
    without_snippets: tuple[str, ...]  # must not be
    lang: str | None  # from <html lang>, for peers that need a language

    @property
    def english(self) -> bool:
        return is_english(self.with_snippets)


@dataclass(frozen=True)
class MissingPage:
    """A page listed in evaldata.json whose HTML could not be read."""

    id: str  # the evaldata key, as `SnippetPage.id`
    file: str
    why: str
    with_snippets: tuple[str, ...]  # kept so a subset (English) can count its own missing pages

    @property
    def english(self) -> bool:
        return is_english(self.with_snippets)


def held_out(page_id: str) -> bool:
    """The fifth of the pages the line classifier is never trained on (a stable hash of the
    page's key), reported apart so its figures are those of unseen pages."""
    return zlib.crc32(page_id.encode("utf-8")) % 5 == 0


@dataclass
class SnippetCorpus:
    pages: list[SnippetPage]  # in evaldata.json's order
    missing: list[MissingPage]
    listed: int  # pages listed in evaldata.json


def _find_page(folder: Path, name: str) -> Path | None:
    for sub in ("cache", "eval"):  # trafilatura's own lookup order
        path = folder / sub / name
        if path.is_file():
            return path
    return None


def read_trafilatura_eval(folder: Path) -> SnippetCorpus:
    """The pages of `folder/evaldata.json` (trafilatura's tests/ folder) with their snippets."""
    data: dict[str, dict[str, Any]] = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages: list[SnippetPage] = []
    missing: list[MissingPage] = []
    for url, item in data.items():
        name = str(item["file"])
        with_snippets = tuple(item.get("with") or ())
        path = _find_page(folder, name)
        raw = path.read_bytes() if path is not None else b""
        if not raw.strip():
            why = "not found under eval/ or cache/" if path is None else "empty file"
            missing.append(MissingPage(url, name, why, with_snippets))
            continue
        html, how = decode_html(raw)
        pages.append(SnippetPage(
            id=url, file=name, html=html, decoded_by=how, with_snippets=with_snippets,
            without_snippets=tuple(item.get("without") or ()), lang=html_lang(html),
        ))
    return SnippetCorpus(pages, missing, len(data))


# ----------------------------------------------------------------------------- full-text gold


@dataclass(frozen=True)
class TextPage:
    """A page with the full text of its article."""

    id: str
    html: str
    decoded_by: str
    expected: str
    url: str | None = None


_ID_KEYS = ("page_id", "id")
_TEXT_KEYS = ("plaintext", "articleBody", "text")


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in record:
            return record[key]
    return None


def _truth_records(truth: Path) -> list[tuple[str, str, str | None]]:
    """(id, expected text, url) from a .json or .jsonl ground-truth file."""
    text = truth.read_text(encoding="utf-8")
    if truth.suffix == ".jsonl":
        rows: list[Any] = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        data = json.loads(text)
        # a mapping id -> text or id -> record; a list is taken as records
        rows = data if isinstance(data, list) else [
            {"id": k, "text": v} if isinstance(v, str) else {"id": k, **v} for k, v in data.items()
        ]
    out: list[tuple[str, str, str | None]] = []
    for row in rows:
        ident, expected = _first(row, _ID_KEYS), _first(row, _TEXT_KEYS)
        if ident is None or not isinstance(expected, str):
            raise ValueError(f"{truth}: a record without an id or text: keys {sorted(row)}")
        out.append((str(ident), expected, row.get("url")))
    return out


def _read_page_file(html_dir: Path, ident: str) -> bytes | None:
    plain, packed = html_dir / f"{ident}.html", html_dir / f"{ident}.html.gz"
    if plain.is_file():
        return plain.read_bytes()
    if packed.is_file():
        return gzip.decompress(packed.read_bytes())
    return None


def read_expected_text(truth: Path, html_dir: Path) -> tuple[list[TextPage], list[str]]:
    """Pages with their expected article text, and "id: why" for pages that are missing."""
    pages: list[TextPage] = []
    missing: list[str] = []
    for ident, expected, url in _truth_records(truth):
        raw = _read_page_file(html_dir, ident)
        if raw is None:
            missing.append(f"{ident}: no {ident}.html or {ident}.html.gz")
            continue
        html, how = decode_html(raw)
        pages.append(TextPage(ident, html, how, expected, url))
    return pages, missing


# the web-content-extraction-benchmark's scrapinghub part is a copy of a held-back test set
WCEB_SKIP: tuple[str, ...] = ("scrapinghub",)


def read_wceb(root: Path, skip: tuple[str, ...] = WCEB_SKIP) -> dict[str, tuple[list[TextPage], list[str]]]:
    """Each dataset of the web-content-extraction-benchmark's combined layout
    (`root/ground-truth/<name>.jsonl`, `root/html/<name>/<page_id>.html`), by name."""
    out: dict[str, tuple[list[TextPage], list[str]]] = {}
    for truth in sorted((root / "ground-truth").glob("*.jsonl")):
        if truth.stem not in skip:
            out[truth.stem] = read_expected_text(truth, root / "html" / truth.stem)
    return out
