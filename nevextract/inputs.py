"""Reading pages from disk: paths, folders and globs → items for `Extractor.pipe`.

A file that cannot become text (unreadable, empty, binary, undecodable) becomes an error
record here, named by its path, so the batch goes on.

Bytes become text in this order (docs/usage.md, "Encodings"): a byte-order mark; valid
UTF-8; the charset the page declares (`<meta charset>`, `http-equiv`, XML prolog);
UTF-8 with a few damaged bytes replaced; then charset-normalizer's guess. Every step after
the declared charset says what it did in the item's `warnings`; bytes that fit no encoding
become an `UndecodableInput` error record, never a garbled article.

File names are bytes on Linux and need not be UTF-8. Python hands such a byte to us as a
lone surrogate (surrogateescape), which JSON cannot carry; ids and paths show it as `\\xNN`.
"""

from __future__ import annotations

import codecs
import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import regex

from nevextract.records import ErrorInfo, ErrorRecord

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".jsonl")
STDIN = "-"
# fields a JSON Lines item may carry
ITEM_FIELDS = ("id", "text", "html", "url", "published", "source", "format")
FORMATS = ("html", "text")
Format = Literal["html", "text"]
# A page larger than this is refused before it is read: no news article is 50 MB of text.
MAX_FILE_BYTES = 50_000_000
_REPLACEMENT_WARNING = "the file is not valid UTF-8: undecodable bytes were replaced"

# --------------------------------------------------------------------------- names

_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def escape_name(name: str) -> str:
    """`name` with every lone surrogate written out, so it can be serialised.

    A non-UTF-8 byte of a file name arrives as U+DC80..U+DCFF (surrogateescape) and is
    written `\\xNN`, the byte it stands for (what `bytes.decode(errors="backslashreplace")`
    shows); any other lone surrogate (from a JSON `\\ud800` escape) is written `\\uXXXX`.
    Names without surrogates are returned unchanged."""
    if _SURROGATE.search(name) is None:
        return name
    return _SURROGATE.sub(_escape_one, name)


def _escape_one(m: regex.Match[str]) -> str:
    code = ord(m.group(0))
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


# --------------------------------------------------------------------------- files


class InputNotFound(FileNotFoundError):
    pass


def expand(paths: Iterable[str]) -> list[Path]:
    """Files named, page files inside folders (recursively, sorted), and glob matches."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if raw == STDIN:
            found = [p]
        elif p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES)
        elif p.exists():
            found = [p]
        elif glob.has_magic(raw):
            found = sorted(Path(f) for f in glob.glob(raw, recursive=True) if os.path.isfile(f))
        else:
            found = [p]  # reported as an error record: the user named it
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out


def read_page(path: Path, format: Format | None = None) -> dict[str, Any] | ErrorRecord:
    """An item for `Extractor.pipe`, or the error record saying why the file is not a page.

    `format` ("html" or "text") is passed on in the item; None lets cleaning look."""
    ident = escape_name(path.stem)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLarge(f"{size:,} bytes is more than the limit of {MAX_FILE_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        return _error(ident, path, type(exc).__name__, exc.strerror or str(exc))
    except InputTooLarge as exc:
        return _error(ident, path, "InputTooLarge", str(exc))
    decoded = decode_page(data)
    if isinstance(decoded, DecodeFailure):
        return _error(ident, path, decoded.type, decoded.message)
    item: dict[str, Any] = {"id": ident, "path": escape_name(str(path)), "text": decoded.text, "warnings": decoded.warnings}
    if format is not None:
        item["format"] = format
    return item


class InputTooLarge(ValueError):
    pass


def _error(ident: str, path: Path | str, kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(id=escape_name(ident), path=escape_name(str(path)), error=ErrorInfo(type=kind, message=message))


# --------------------------------------------------------------------------- encodings


@dataclass
class Decoded:
    text: str
    encoding: str  # the Python codec used
    warnings: list[str] = field(default_factory=list)


@dataclass
class DecodeFailure:
    type: str  # EmptyInput, BinaryInput or UndecodableInput
    message: str


# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Where a page declares its charset. Bounded repeats: linear on any input. The head is
# searched past a long inline <style> (pages open with 40 kB of CSS), not the whole page.
_DECLARED = regex.compile(
    rb"""<meta\b[^>]{0,1000}?\bcharset\s{0,10}=\s{0,10}["']?\s{0,10}([A-Za-z0-9_.:-]{1,40})"""
    rb"""|^\s{0,100}<\?xml\b[^>]{0,200}?\bencoding\s{0,10}=\s{0,10}["']([A-Za-z0-9_.:-]{1,40})""",
    regex.IGNORECASE,
)
_DECLARED_WITHIN = 200_000
# Labels pages use, read the way browsers read them (WHATWG Encoding Standard): a page that
# says ISO-8859-1 is windows-1252, GB2312 is GB18030, Shift_JIS is Microsoft's cp932, and a
# page that can declare anything in ASCII is not UTF-16.
_WHATWG_LABELS = {
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819", "ascii", "us-ascii",
                     "windows-1252", "x-cp1252"), "cp1252"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "gb18030"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean", "windows-949"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "x-x-big5", "cn-big5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-9", "latin5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be"), "utf-8"),
}
# single-byte codecs web pages are written in (not DOS or Mac code pages)
_WEB_SINGLE_BYTE = regex.compile(r"cp125\d|iso8859_\d{1,2}|koi8_[ru]|cp874|tis_620")
_WEB_FAVOURITES = ("cp1252", "gb18030", "cp932", "cp949", "big5hkscs", "big5", "cp1251")
# codecs with characters of more than one byte (the rest map one byte to one character)
_MULTIBYTE = regex.compile(r"gb|big5|932|936|949|950|shift|jis|euc|iso2022|hz|johab|utf", regex.IGNORECASE)


def decode_page(data: bytes) -> Decoded | DecodeFailure:
    """A page's bytes as text, or why they cannot be read (module docstring: the order)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                return DecodeFailure(
                    "UndecodableInput",
                    f"the file starts with a {codec} byte-order mark but is not valid {codec}: "
                    f"{exc.reason} at byte {exc.start + len(bom):,}",
                )
            return _nonempty(Decoded(text, codec))
    if not data.strip():
        return DecodeFailure("EmptyInput", "the file is empty")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _nonempty(utf16)
    if _looks_binary(data):
        return DecodeFailure("BinaryInput", "the file is binary, not a text or HTML page")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    label = declared_charset(data)
    why = "declares no charset"
    if label is not None:
        codec = _codec_for(label)
        if codec is None:
            why = f"declares the unknown charset {label!r}"
        elif codec != "utf-8":
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError:
                why = f"declares charset {label!r}, which does not fit its bytes"
        else:
            why = f"declares charset {label!r} but is not valid UTF-8"
    return _damaged_utf8_or_guess(data, why)


def _damaged_utf8_or_guess(data: bytes, why: str) -> Decoded | DecodeFailure:
    """Bytes that are neither valid UTF-8 nor in a declared charset that fits them.

    Mostly UTF-8 with a few broken bytes (a truncated download, a bad copy) is read as
    UTF-8 with U+FFFD for the broken ones: any other codec would garble every correct
    character to rescue a handful. Else charset-normalizer guesses."""
    replaced = data.decode("utf-8", errors="replace")
    replacements = replaced.count("\ufffd")
    bad = replacements - data.count(b"\xef\xbf\xbd")  # U+FFFD already in the page is not damage
    good = len(replaced) - len(replaced.encode("ascii", errors="ignore")) - replacements  # valid multi-byte characters
    damaged = Decoded(replaced, "utf-8", [_REPLACEMENT_WARNING])
    if good > 0 and good >= 20 * bad:
        return damaged
    guess = _guess(data, why)
    # A legacy page rarely holds a valid UTF-8 sequence by chance (a GB18030 or Shift-JIS one
    # often does, hence `good >= bad`); a single-byte reading of a page that holds more of
    # them than broken bytes would turn each into mojibake.
    if good > 0 and good >= bad and (isinstance(guess, DecodeFailure) or not _MULTIBYTE.search(guess.encoding)):
        return damaged
    return guess


def _guess(data: bytes, why: str) -> Decoded | DecodeFailure:
    """charset-normalizer's reading of the bytes, narrowed to codecs web pages use.

    On a page with a handful of accented letters it ranks DOS and Mac code pages (cp850,
    cp775, mac_roman) as high as windows-1252, which would make "€29,990" "¨29,990"; those
    never label a web page, so a single-byte guess is taken from the web's own codecs."""
    from charset_normalizer import from_bytes  # only pages that are not UTF-8 need it

    results = list(from_bytes(data))  # best first
    if not results:
        return DecodeFailure("UndecodableInput", f"the file is not UTF-8, {why}, and no encoding fits its bytes")
    best = results[0]
    if not _MULTIBYTE.search(best.encoding):
        web = [r for r in results if any(_WEB_SINGLE_BYTE.fullmatch(c) for c in r.could_be_from_charset)]
        best = min(web, key=lambda r: r.chaos) if web else best  # min keeps the better-ranked of equals
    # codecs that give the very same text are equally right; name the one pages use most
    codec = next((c for c in _WEB_FAVOURITES if c in best.could_be_from_charset), None) or next(
        (c for c in best.could_be_from_charset if _WEB_SINGLE_BYTE.fullmatch(c)), best.encoding)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:  # the alternatives were judged on a sample: keep the winner
        codec, text = best.encoding, str(best)
    return Decoded(text, codec, [f"the encoding was guessed: {codec} (the file is not UTF-8 and {why})"])


def declared_charset(data: bytes) -> str | None:
    """The charset label the page's markup declares, as written, or None."""
    m = _DECLARED.search(data, 0, _DECLARED_WITHIN)
    if m is None:
        return None
    return (m.group(1) or m.group(2)).decode("ascii")


def _codec_for(label: str) -> str | None:
    """The Python codec for a declared label; None for a label Python does not know or for
    a codec that is not a text encoding (`charset=base64`)."""
    key = label.strip().lower()
    if key in _WHATWG_LABELS:
        return _WHATWG_LABELS[key]
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return "utf-8" if info.name == "utf-8" else info.name


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 text without a byte-order mark: mostly ASCII characters, so every other byte
    is NUL. Read only when it decodes cleanly; said in `warnings` (it is a guess)."""
    head = data[:4096]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.05 * len(other):
            try:
                text = data[: len(data) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                return None
            return Decoded(text, codec, [f"the encoding was guessed: {codec} (no byte-order mark)"])
    return None


def _nonempty(decoded: Decoded) -> Decoded | DecodeFailure:
    if not decoded.text.strip():
        return DecodeFailure("EmptyInput", "the file is empty")
    return decoded


def _looks_binary(data: bytes) -> bool:
    """Many NUL or control bytes in the first 8 KB: an image, archive or executable. A stray
    NUL in a text page is not enough (it is replaced and the page read)."""
    head = data[:8192]
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return head.count(b"\x00") > len(head) // 20 or controls > len(head) // 10


# --------------------------------------------------------------------------- batches


def read_all(paths: Iterable[Path], format: Format | None = None) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Items for every path: a page file is one item, a `.jsonl` file one per line, and `-`
    reads standard input (JSON Lines when it looks like JSON Lines, else one page).

    `format` applies to every page and to JSON Lines items that do not name their own."""
    for p in paths:
        if str(p) == STDIN:
            yield from read_stdin(sys.stdin.buffer.read(), format)
        elif p.suffix.lower() == ".jsonl":
            yield from read_jsonl(p, format)
        else:
            yield read_page(p, format)


def read_stdin(data: bytes, format: Format | None = None) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Standard input as JSON Lines when at least half its non-blank lines are JSON objects
    (the other lines become error records naming their line), else as one page."""
    parsed = _parse_lines(data)
    nonblank = [p for p in parsed if p is not None]
    objects = sum(1 for p in nonblank if isinstance(p.value, dict))
    if nonblank and objects * 2 >= len(nonblank):
        yield from _jsonl_items(parsed, "stdin", None, format)
        return
    decoded = decode_page(data)
    if isinstance(decoded, DecodeFailure):
        message = "standard input is empty" if decoded.type == "EmptyInput" else decoded.message.replace("the file", "standard input")
        yield ErrorRecord(id="stdin", path=STDIN, error=ErrorInfo(type=decoded.type, message=message))
        return
    item: dict[str, Any] = {"id": "stdin", "path": STDIN, "text": decoded.text, "warnings": decoded.warnings}
    if format is not None:
        item["format"] = format
    yield item


def read_jsonl(path: Path, format: Format | None = None) -> Iterator[dict[str, Any] | ErrorRecord]:
    """One item per line of `{id, text | html, url, published, source, format}`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield _error(path.stem, path, type(exc).__name__, exc.strerror or str(exc))
        return
    yield from _jsonl_items(_parse_lines(data), escape_name(path.stem), path, format)


@dataclass
class _Line:
    value: Any  # the parsed JSON, or the JSONDecodeError
    warnings: list[str]


def _parse_lines(data: bytes) -> list[_Line | None]:
    """Each line of a JSON Lines stream parsed (None for a blank line). Lines are split on
    `\\n` alone: JSON strings may hold U+2028 or form feeds, which `str.splitlines` breaks."""
    out: list[_Line | None] = []
    for n, raw in enumerate(data.split(b"\n")):
        if n == 0 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            out.append(None)
            continue
        warnings: list[str] = []
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")
            warnings.append("the line is not valid UTF-8: undecodable bytes were replaced")
        try:
            out.append(_Line(json.loads(line), warnings))
        except json.JSONDecodeError as exc:
            out.append(_Line(exc, warnings))
    while out and out[-1] is None:
        out.pop()
    return out


def _jsonl_items(
    lines: list[_Line | None], stem: str, path: Path | None, format: Format | None,
) -> Iterator[dict[str, Any] | ErrorRecord]:
    where = escape_name(str(path)) if path else STDIN
    for n, line in enumerate(lines, 1):
        if line is None:
            continue
        ident = f"{stem}:{n}"
        obj = line.value
        if isinstance(obj, json.JSONDecodeError):
            message = f"line {n} is not JSON: {obj.msg} (column {obj.colno})"
            yield ErrorRecord(id=ident, path=f"{where}:{n}", error=ErrorInfo(type="BadJSON", message=message))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("html")), str):
            yield ErrorRecord(
                id=ident, path=f"{where}:{n}",
                error=ErrorInfo(type="BadItem", message="a line must be an object with a `text` or `html` string"),
            )
            continue
        if obj.get("format") is not None and obj["format"] not in FORMATS:
            yield ErrorRecord(
                id=ident, path=f"{where}:{n}",
                error=ErrorInfo(type="BadItem", message=f"`format` must be \"html\" or \"text\", not {obj['format']!r}"),
            )
            continue
        item = {k: obj[k] for k in ITEM_FIELDS if k in obj}
        # ids, urls and sources end up in JSON and SQLite: no lone surrogates from `\ud800`
        for k in ("url", "source", "published"):
            if isinstance(item.get(k), str):
                item[k] = escape_name(item[k])
        item["id"] = escape_name(str(obj.get("id") or ident))
        item["path"] = f"{where}:{n}"
        if "format" not in item and format is not None:
            item["format"] = format
        if line.warnings:
            item["warnings"] = line.warnings
        yield item
