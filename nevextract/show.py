"""The review page: one record as a standalone HTML page a person can check by eye.

The article body is shown with every extracted item marked where it was found
(`<mark data-kind=... title=...>`), what cleaning removed is shown greyed with its reason,
and a side table lists the record's fields. The page has inline CSS only (no scripts, no
external assets), so it can be mailed, archived or opened from a file.

Items may overlap (a claim contains organisations, a date can sit inside a quantity's
text). Marks are nested so the HTML stays well-formed: a wider item opens first, and when
two items cross, the inner one is closed at the crossing and reopened after it, each part
carrying the same `data-item` id.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import regex

from nevextract.clean import looks_like_html
from nevextract.records import ArticleRecord, Claim, DateMention, Organisation, Quantity

# Which item opens first when two start at the same place and have the same length: the
# claim is the broadest statement, organisations the narrowest.
# Seconds a removed-text search may take on a (possibly huge) raw page.
REGEX_TIMEOUT = 2.0

_KIND_ORDER = {"claim": 0, "quantity": 1, "date": 2, "organisation": 3}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{padding:12px 20px;background:#243b53;color:#fff}
header h1{font-size:20px;margin:0 0 4px}
header dl{display:flex;flex-wrap:wrap;gap:4px 18px;margin:0;font-size:13px}
header dt{font-weight:bold}header dd{margin:0}
.warnings{background:#fff3c4;color:#5c4400;padding:6px 20px;margin:0}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;padding:20px}
section{background:#fff;border:1px solid #ddd;border-radius:4px;padding:10px 14px;margin-bottom:16px}
h2{font-size:16px;margin:4px 0 8px}
.article{white-space:pre-wrap;font-family:Georgia,serif;font-size:16px}
mark{border-radius:2px;padding:0 1px}
mark[data-kind=organisation]{background:#c6e8ff}
mark[data-kind=quantity]{background:#ffd8a8}
mark[data-kind=date]{background:#c3f0c8}
mark[data-kind=claim]{background:none;border-bottom:3px solid #b197fc;color:inherit}
.legend mark{margin-right:8px}
.removed{color:#999;background:#f0f0f0;text-decoration:line-through;text-decoration-color:#ccc}
.raw{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.raw .removed{display:inline}
ol.removed-list li{color:#888}
.reason{font-size:11px;background:#eee;border-radius:3px;padding:0 4px;color:#555;margin-right:6px}
table{border-collapse:collapse;width:100%;font-size:12px;margin-bottom:12px}
th,td{border:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top}
th{background:#f0f4f8}
"""


@dataclass(frozen=True)
class _Item:
    """One markable stretch of the body."""

    ident: str  # e.g. "q3": the same for every fragment of a split mark
    kind: str
    start: int
    end: int
    title: str

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.start, -self.end, _KIND_ORDER[self.kind])


# ----------------------------------------------------------------------------- titles


def _num(value: float) -> str:
    """A number as a reader writes it: no trailing `.0`, thousands separated."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def organisation_title(org: Organisation) -> str:
    """`Canonical Name (type)`: what a mention was folded into."""
    return f"{org.name} ({org.type})" if org.type else org.name


def quantity_title(q: Quantity) -> str:
    """`over 9,625,000 unit · count`: the value the text means, with its unit and kind."""
    value = _num(q.value) + (f"–{_num(q.value_max)}" if q.value_max is not None else "")
    qualifier = f"{q.qualifier} " if q.qualifier else ""
    per = f" per {q.per}" if q.per else ""
    return f"{qualifier}{value} {q.unit}{per} · {q.kind}"


def date_title(d: DateMention) -> str:
    """`2026-02-04 · day`, a period as `start → end`, an unresolved date with its note."""
    if d.value is None:
        return "unresolved" + (f": {d.note}" if d.note else "")
    end = f" → {d.value_end}" if d.value_end else ""
    return f"{d.value}{end} · {d.granularity}"


def claim_title(c: Claim) -> str:
    """`Speaker (Organisation) · cue · kind`."""
    org = f" ({c.organisation})" if c.organisation and c.organisation != c.speaker else ""
    return f"{c.speaker}{org} · {c.cue} · {c.kind}"


def _items(record: ArticleRecord) -> list[_Item]:
    """Every non-empty span of the record, widest first at each start."""
    items: list[_Item] = []
    for i, org in enumerate(record.organisations):
        title = organisation_title(org)
        items += [_Item(f"o{i}", "organisation", m.start, m.end, title) for m in org.mentions]
    items += [_Item(f"q{i}", "quantity", q.start, q.end, quantity_title(q)) for i, q in enumerate(record.quantities)]
    items += [_Item(f"d{i}", "date", d.start, d.end, date_title(d)) for i, d in enumerate(record.dates)]
    items += [_Item(f"c{i}", "claim", c.start, c.end, claim_title(c)) for i, c in enumerate(record.claims)]
    return sorted((it for it in items if it.end > it.start), key=lambda it: it.order)


# ----------------------------------------------------------------------------- body


def _open(item: _Item) -> str:
    return (
        f'<mark data-kind="{item.kind}" data-item="{item.ident}" title="{escape(item.title)}">'
    )


def render_body(body: str, items: Sequence[_Item]) -> str:
    """The body as escaped text with properly nested marks (see the module docstring)."""
    cuts = sorted({0, len(body), *(it.start for it in items), *(it.end for it in items)})
    out: list[str] = []
    stack: list[_Item] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [it for it in items if it.start <= a and it.end >= b]
        wanted = set(active)
        # Close from the top until what is left is still wanted: closing an item that ends
        # here may force closing items opened inside it (they reopen below).
        keep = 0
        while keep < len(stack) and stack[keep] in wanted:
            keep += 1
        out.extend("</mark>" for _ in stack[keep:])
        del stack[keep:]
        for it in active:  # already in opening order
            if it not in stack:
                out.append(_open(it))
                stack.append(it)
        out.append(escape(body[a:b], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


# ----------------------------------------------------------------------------- removed


def _removed_attrs(reason: str) -> str:
    return f'class="removed" data-reason="{escape(reason)}" title="removed: {escape(reason)}"'


def render_removed_list(record: ArticleRecord) -> str:
    """Everything cleaning dropped, in order, greyed, with its reason."""
    if not record.removed:
        return "<p>Nothing was removed.</p>"
    rows = [
        f'<li {_removed_attrs(r.reason)}><span class="reason">{escape(r.reason)}</span>'
        f"{escape(r.text)}</li>"
        for r in record.removed
    ]
    return '<ol class="removed-list">' + "".join(rows) + "</ol>"


def _loose(text: str) -> regex.Pattern[str]:
    """`text` with any run of whitespace matching any other (the cleaner re-spaces lines)."""
    return regex.compile(r"\s+".join(regex.escape(tok) for tok in text.split()))


def _locate_removed(raw: str, record: ArticleRecord) -> list[tuple[int, int, str]]:
    """Where each removed text sits in the raw page: (start, end, reason), non-overlapping.

    Removed parts come roughly in page order, so each is looked for after the previous one
    first, then anywhere still free; a part found nowhere is only listed, not greyed."""
    taken: list[tuple[int, int, str]] = []
    cursor = 0

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te, _ in taken)

    for r in record.removed:
        if not r.text.strip():
            continue
        pattern = _loose(r.text)
        for origin in (cursor, 0):
            try:
                hit = next(
                    (m for m in pattern.finditer(raw, origin, timeout=REGEX_TIMEOUT) if free(m.start(), m.end())),
                    None,
                )
            except TimeoutError:  # a pathological page: list the part, do not grey it
                hit = None
            if hit is not None:
                taken.append((hit.start(), hit.end(), r.reason))
                cursor = hit.end()
                break
    return sorted(taken)


def render_raw(raw: str, record: ArticleRecord) -> str:
    """The page as scraped, removed parts greyed with their reason on hover."""
    out: list[str] = []
    pos = 0
    for start, end, reason in _locate_removed(raw, record):
        out.append(escape(raw[pos:start], quote=False))
        out.append(f"<span {_removed_attrs(reason)}>{escape(raw[start:end], quote=False)}</span>")
        pos = end
    out.append(escape(raw[pos:], quote=False))
    return "".join(out)


# ----------------------------------------------------------------------------- side table


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    rows = list(rows)
    if not rows:
        return "<p>None found.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_tables(record: ArticleRecord) -> str:
    """The record's fields as tables: what a reviewer checks the marks against."""
    parts = [
        (f"Organisations ({len(record.organisations)})", _table(
            ["name", "aliases", "type", "found by", "mentions"],
            ([o.name, ", ".join(o.aliases), o.type, o.found_by, len(o.mentions)] for o in record.organisations),
        )),
        (f"Quantities ({len(record.quantities)})", _table(
            ["text", "value", "unit", "kind", "qualifier", "max"],
            ([q.text, _num(q.value), q.unit, q.kind, q.qualifier,
              None if q.value_max is None else _num(q.value_max)] for q in record.quantities),
        )),
        (f"Dates ({len(record.dates)})", _table(
            ["text", "value", "granularity", "end"],
            ([d.text, d.value, d.granularity, d.value_end] for d in record.dates),
        )),
        (f"Claims ({len(record.claims)})", _table(
            ["speaker", "organisation", "cue", "kind", "content"],
            ([c.speaker, c.organisation, c.cue, c.kind, c.content] for c in record.claims),
        )),
    ]
    return "".join(f'<section class="table"><h2>{escape(h)}</h2>{t}</section>' for h, t in parts)


# ----------------------------------------------------------------------------- page


def _header(record: ArticleRecord) -> str:
    facts = [("id", record.id), ("source", record.source), ("published", record.published), ("url", record.url)]
    dl = "".join(f"<dt>{k}</dt><dd>{escape(v or '—')}</dd>" for k, v in facts)
    title = escape(record.title or "(no title)")
    warn = ""
    if record.warnings:
        warn = '<ul class="warnings">' + "".join(f"<li>{escape(w)}</li>" for w in record.warnings) + "</ul>"
    return f"<header><h1>{title}</h1><dl>{dl}</dl></header>{warn}"


_LEGEND = (
    '<p class="legend">'
    + "".join(f'<mark data-kind="{k}">{k}</mark>' for k in ("organisation", "quantity", "date", "claim"))
    + "</p>"
)


def render_review(record: ArticleRecord, raw: str | None = None) -> str:
    """A standalone HTML review page for `record`; with `raw` (the page as scraped, text
    form), the original page is shown too with what cleaning removed greyed out."""
    original = ""
    if raw is not None and not looks_like_html(raw):
        original = f'<section><h2>Original page</h2><div class="raw">{render_raw(raw, record)}</div></section>'
    body = render_body(record.body, _items(record))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"/>'
        f"<title>Review: {escape(record.title or record.id)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"{_header(record)}<main><div>"
        f'<section><h2>Article body</h2>{_LEGEND}<div class="article" id="article">{body}</div></section>'
        f'<section><h2>Removed ({len(record.removed)})</h2>{render_removed_list(record)}</section>'
        f"{original}</div><div>{render_tables(record)}</div></main></body></html>\n"
    )


def write_review(record: ArticleRecord, raw: str | None, path: str | os.PathLike[str]) -> Path:
    """Write the review page to `path` atomically (readers never see half a page)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(render_review(record, raw))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a review page is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
