"""TimeML `.tml` files (TimeBank, AQUAINT, TempEval-3): the text and its TIMEX3 annotations.

A TimeML document is one XML file. Its `<TEXT>` element holds the article, marked up
inline with `<EVENT>`, `<SIGNAL>` and `<TIMEX3>` elements; its `<DCT>` element holds the
document creation time as a TIMEX3 with `functionInDocument="CREATION_TIME"`. Links
(`TLINK`, `SLINK`, `ALINK`) and `MAKEINSTANCE` follow the text and are ignored here.

What the reader gives: the TEXT element's content as plain text, exactly as a reader of
the article sees it (every tag removed, entities such as `&amp;` decoded, white space
kept as written, leading and trailing new lines included), and each TIMEX3 with its
character offsets into that text. Offsets are computed while the text is assembled, so
they hold for nested markup and for an empty TIMEX3 (a zero-width span; TimeML allows
them for implicit times). The standard library's ElementTree is enough: the files are
small, have no DTD-declared entities and no namespace on their own elements.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Timex:
    """One TIMEX3: `text[start:end]` of its document is `surface`."""

    tid: str
    type: str | None  # DATE, TIME, DURATION, SET (None if the annotation has none)
    value: str | None  # the TIMEX3 value attribute as written (ISO 8601 / TimeML)
    start: int
    end: int
    surface: str


@dataclass
class TimeMLDocument:
    id: str  # DOCID, else the file's stem
    text: str  # the TEXT element's content as plain text
    dct: Timex | None  # the creation-time TIMEX3 (offsets are 0: it is not in `text`)
    timexes: list[Timex] = field(default_factory=list)

    @property
    def dct_date(self) -> str | None:
        """The creation date as YYYY-MM-DD, or None if the DCT has no day-level value."""
        value = self.dct.value if self.dct else None
        match = _ISO_DAY.match(value or "")
        return match.group(0) if match else None


def _flatten(elem: ET.Element, parts: list[str], offset: int, found: list[tuple[ET.Element, int, int]]) -> int:
    """Append `elem`'s content (not its tail) to `parts`, noting every TIMEX3 inside it
    with its start and end offsets in `found`.

    Returns the offset just after the content. Recursion depth is the nesting depth of
    the markup (two or three levels in TimeML), so recursion is safe here.
    """
    start = offset
    if elem.text:
        parts.append(elem.text)
        offset += len(elem.text)
    for child in elem:
        offset = _flatten(child, parts, offset, found)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    if elem.tag == "TIMEX3":
        found.append((elem, start, offset))
    return offset


def parse_timeml(source: str | bytes, doc_id: str = "") -> TimeMLDocument:
    """One TimeML document from its XML source."""
    root = ET.fromstring(source)
    text_elem = root.find(".//TEXT")
    if text_elem is None:
        raise ValueError(f"{doc_id or 'document'}: no TEXT element")
    parts: list[str] = []
    found: list[tuple[ET.Element, int, int]] = []
    # the TEXT element's own tail is outside the article; only its content counts
    _flatten(text_elem, parts, 0, found)
    text = "".join(parts)
    timexes = sorted(
        (Timex(e.get("tid", ""), e.get("type"), e.get("value"), s, t, text[s:t]) for e, s, t in found),
        key=lambda x: (x.start, x.end),
    )
    docid = (root.findtext(".//DOCID") or "").strip() or doc_id
    return TimeMLDocument(docid, text, _creation_time(root), timexes)


def _creation_time(root: ET.Element) -> Timex | None:
    """The TIMEX3 marked CREATION_TIME, looked for in DCT first, then anywhere."""
    for scope in (root.find(".//DCT"), root):
        if scope is None:
            continue
        for elem in scope.iter("TIMEX3"):
            if elem.get("functionInDocument") == "CREATION_TIME":
                surface = "".join(elem.itertext())
                return Timex(elem.get("tid", ""), elem.get("type"), elem.get("value"), 0, 0, surface)
    return None


def read_timeml(path: Path) -> TimeMLDocument:
    """One `.tml` file (read as bytes so the XML declaration decides the encoding)."""
    return parse_timeml(path.read_bytes(), doc_id=path.stem)


def read_folder(folder: Path) -> list[TimeMLDocument]:
    """Every `*.tml` file of a folder, in file-name order (a stable order for `--limit`)."""
    return [read_timeml(p) for p in sorted(folder.glob("*.tml"))]
