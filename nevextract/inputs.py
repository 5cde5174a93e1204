"""Reading pages from disk: paths, folders and globs → items for `Extractor.pipe`.

A file that cannot become text (unreadable, empty, binary) becomes an error record here,
named by its path, so the batch goes on.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from nevextract.records import ErrorInfo, ErrorRecord

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
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
        if p.is_dir():
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
    """NUL bytes or mostly control bytes in the first 8 KB: an image, archive or executable."""
    head = data[:8192]
    if b"\x00" in head:
        return head.count(b"\x00") > len(head) // 100
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 10


def _error(ident: str, path: Path, kind: str, message: str) -> ErrorRecord:
    return ErrorRecord(id=ident, path=str(path), error=ErrorInfo(type=kind, message=message))


def read_all(paths: Iterable[Path]) -> Iterator[dict[str, Any] | ErrorRecord]:
    for p in paths:
        yield read_page(p)
