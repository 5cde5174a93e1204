"""Reading pages from disk: paths, folders and globs → items for `Extractor.pipe`.

A file that cannot become text (unreadable, empty, binary) becomes an error record here,
named by its path, so the batch goes on.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nevextract.records import ErrorInfo, ErrorRecord

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".jsonl")
STDIN = "-"
# fields a JSON Lines item may carry
ITEM_FIELDS = ("id", "text", "html", "url", "published", "source")
# A page larger than this is refused before it is read: no news article is 50 MB of text.
MAX_FILE_BYTES = 50_000_000
_REPLACEMENT_WARNING = "the file is not valid UTF-8: undecodable bytes were replaced"


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


def read_page(path: Path) -> dict[str, Any] | ErrorRecord:
    """An item for `Extractor.pipe`, or the error record saying why the file is not a page."""
    ident = path.stem
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLarge(f"{size:,} bytes is more than the limit of {MAX_FILE_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        return _error(ident, path, type(exc).__name__, exc.strerror or str(exc))
    except InputTooLarge as exc:
        return _error(ident, path, "InputTooLarge", str(exc))
    if not data.strip():
        return _error(ident, path, "EmptyInput", "the file is empty")
    if _looks_binary(data):
        return _error(ident, path, "BinaryInput", "the file is binary, not a text or HTML page")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        warnings.append(_REPLACEMENT_WARNING)
    return {"id": ident, "path": str(path), "text": text, "warnings": warnings}


class InputTooLarge(ValueError):
    pass


def _looks_binary(data: bytes) -> bool:
    """Many NUL or control bytes in the first 8 KB: an image, archive or executable. A stray
    NUL in a text page is not enough (it is replaced and the page read)."""
    head = data[:8192]
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return head.count(b"\x00") > len(head) // 20 or controls > len(head) // 10


def _error(ident: str, path: Path, kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(id=ident, path=str(path), error=ErrorInfo(type=kind, message=message))


def read_all(paths: Iterable[Path]) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Items for every path: a page file is one item, a `.jsonl` file one per line, and `-`
    reads standard input (JSON Lines when every line is a JSON object, else one page)."""
    for p in paths:
        if str(p) == STDIN:
            yield from read_stdin(sys.stdin.buffer.read())
        elif p.suffix.lower() == ".jsonl":
            yield from read_jsonl(p)
        else:
            yield read_page(p)


def read_stdin(data: bytes) -> Iterator[dict[str, Any] | ErrorRecord]:
    text = data.decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith("{") for line in lines):
        yield from _jsonl_items(lines, "stdin", None)
    elif not text.strip():
        yield ErrorRecord(id="stdin", path=STDIN, error=ErrorInfo(type="EmptyInput", message="standard input is empty"))
    else:
        warnings = [] if "\ufffd" not in text or _valid_utf8(data) else [_REPLACEMENT_WARNING]
        yield {"id": "stdin", "path": STDIN, "text": text, "warnings": warnings}


def read_jsonl(path: Path) -> Iterator[dict[str, Any] | ErrorRecord]:
    """One item per line of `{id, text | html, url, published, source}`."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        yield _error(path.stem, path, type(exc).__name__, exc.strerror or str(exc))
        return
    yield from _jsonl_items(text.splitlines(), path.stem, path)


def _jsonl_items(lines: list[str], stem: str, path: Path | None) -> Iterator[dict[str, Any] | ErrorRecord]:
    where = str(path) if path else STDIN
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ident = f"{stem}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ErrorRecord(id=ident, path=f"{where}:{n}", error=ErrorInfo(type="BadJSON", message=exc.msg))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("html")), str):
            yield ErrorRecord(
                id=ident, path=f"{where}:{n}",
                error=ErrorInfo(type="BadItem", message="a line must be an object with a `text` or `html` string"),
            )
            continue
        item = {k: obj[k] for k in ITEM_FIELDS if k in obj}
        item["id"] = str(obj.get("id") or ident)
        item["path"] = f"{where}:{n}"
        yield item


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
