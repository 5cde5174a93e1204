"""Reader for brat standoff attribution annotations (PolNeAR, PARC3 in brat form).

A document is a UTF-8 `.txt` file and one `.ann` file per annotator
(`<stem>_<annotator>.ann`, the annotator a 4-hex-digit id). The `.ann` lines we use:

    T7<TAB>Content 329 403<TAB>the candidate has ...        text-bound annotation
    T9<TAB>Cue 10 14;20 25<TAB>said to                      discontinuous: ';'-joined pieces
    E2<TAB>Attribution:T11 Cue:T6 Content:T7 Source:T5       an attribution and its parts

Offsets are Python character offsets into the text (checked: `text[start:end]` is the
annotated text). An `E` line's trigger is an `Attribution` (or `Attribution-no-source`)
text-bound annotation; its arguments are roles, possibly numbered for a second part
(`Content2:T38`), which we fold into the role (`Content`). `Discuss`/`Discard` spans, the
`AnnotatorNotes` (`#`) lines, and continuation lines (brat writes an annotated text that
crosses a newline on the next line) are not attributions and are skipped: a line that does
not parse as T or E is ignored rather than fatal, so one odd line costs nothing.

When an article was annotated by several annotators (the agreement study), the annotation
of the alphabetically first annotator id is used: deterministic, and no annotator is better
documented than another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

Spans = tuple[tuple[int, int], ...]

_ANNOTATOR_SUFFIX = regex.compile(r"_[0-9a-f]{4}$")
_ROLE_NUMBER = regex.compile(r"\d+$")
ROLES = ("Source", "Cue", "Content")


@dataclass(frozen=True)
class TextBound:
    """A `T` line: label and the character spans it covers."""

    id: str
    label: str
    spans: Spans


@dataclass(frozen=True)
class Event:
    """An `E` line: trigger id and (role, T id) arguments, role numbers folded away."""

    id: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass
class Attribution:
    """One attribution relation: the spans of each part and their text."""

    id: str
    sources: Spans = ()
    cues: Spans = ()
    contents: Spans = ()
    source_text: str = ""
    cue_text: str = ""
    content_text: str = ""


@dataclass
class BratDocument:
    id: str  # file stem of the text, without the annotator suffix
    text: str
    attributions: list[Attribution] = field(default_factory=list)
    annotator: str | None = None


def parse_spans(field_: str) -> Spans:
    """'10 14;20 25' → ((10, 14), (20, 25)); raises ValueError on anything else."""
    spans = []
    for piece in field_.split(";"):
        start, end = piece.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def _parse_textbound(ident: str, rest: str) -> TextBound | None:
    # rest is "Label s e[;s e…]" (the annotated text is in the next column)
    label, _, offsets = rest.partition(" ")
    try:
        spans = parse_spans(offsets)
    except ValueError:
        return None
    return TextBound(ident, label, spans)


def _parse_event(ident: str, rest: str) -> Event | None:
    parts = rest.split()
    if not parts or ":" not in parts[0]:
        return None
    trigger = parts[0].split(":", 1)[1]
    args = []
    for part in parts[1:]:
        role, _, target = part.partition(":")
        if target:
            args.append((_ROLE_NUMBER.sub("", role), target))
    return Event(ident, trigger, tuple(args))


def parse_ann(ann: str) -> tuple[dict[str, TextBound], list[Event]]:
    """The T and E lines of a `.ann` file; every other line is skipped."""
    bounds: dict[str, TextBound] = {}
    events: list[Event] = []
    for line in ann.splitlines():
        cols = line.split("\t")
        if len(cols) < 2 or len(cols[0]) < 2:
            continue
        ident, rest = cols[0], cols[1]
        if ident[0] == "T" and ident[1:].isdigit():
            tb = _parse_textbound(ident, rest)
            if tb is not None:
                bounds[ident] = tb
        elif ident[0] == "E" and ident[1:].isdigit():
            ev = _parse_event(ident, rest)
            if ev is not None:
                events.append(ev)
    return bounds, events


def span_text(text: str, spans: Spans) -> str:
    """The text of (possibly discontinuous) spans, pieces joined by a space as brat does."""
    return " ".join(text[s:e] for s, e in spans)


def _merge(spans: Sequence[tuple[int, int]]) -> Spans:
    return tuple(sorted(set(spans)))


def attributions(text: str, bounds: dict[str, TextBound], events: Sequence[Event]) -> list[Attribution]:
    """Attributions from parsed lines, in order of their first content character (those
    without any content span are dropped: nothing could ever detect them)."""
    out = []
    for ev in events:
        parts: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for role, target in ev.args:
            tb = bounds.get(target)
            if tb is not None and role in parts:
                parts[role].extend(tb.spans)
        sources, cues, contents = (_merge(parts[r]) for r in ROLES)
        if not contents:
            continue
        out.append(Attribution(
            ev.id, sources, cues, contents,
            span_text(text, sources), span_text(text, cues), span_text(text, contents),
        ))
    out.sort(key=lambda a: (a.contents[0], a.id))
    return out


def read_document(txt: Path, ann: Path) -> BratDocument:
    text = txt.read_text(encoding="utf-8")
    bounds, events = parse_ann(ann.read_text(encoding="utf-8"))
    annotator = ann.stem[len(txt.stem) + 1:] or None
    return BratDocument(txt.stem, text, attributions(text, bounds, events), annotator)


def annotation_files(ann_dir: Path) -> dict[str, Path]:
    """Document stem → its `.ann` file (the first annotator's when there are several)."""
    chosen: dict[str, Path] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        stem = _ANNOTATOR_SUFFIX.sub("", path.stem)
        chosen.setdefault(stem, path)
    return chosen


def read_corpus(folder: Path, text_dir: str = "text", ann_dir: str = "attributions") -> list[BratDocument]:
    """Every document of `folder/text/*.txt` that has an annotation, sorted by id."""
    anns = annotation_files(folder / ann_dir)
    docs = []
    for txt in sorted((folder / text_dir).glob("*.txt")):
        ann = anns.get(txt.stem)
        if ann is not None:
            docs.append(read_document(txt, ann))
    return docs
