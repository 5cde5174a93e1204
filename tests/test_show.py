"""The review page: marks at the right offsets with the right titles, removed parts greyed
with their reasons, well-formed and escaped HTML, and a real browser rendering it."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from lxml import etree

from nevextract import ArticleRecord, Extractor
from nevextract.records import Claim, DateMention, Organisation, Quantity, Removed, Span
from nevextract.show import (
    claim_title, date_title, organisation_title, quantity_title, render_review, write_review,
)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_137aed0a9d324101.txt"
KINDS = ("organisation", "quantity", "date", "claim")


@pytest.fixture(scope="module")
def seed_page(rules_extractor: Extractor) -> tuple[ArticleRecord, str]:
    raw = SEED.read_text(encoding="utf-8")
    return rules_extractor.extract(raw, id=SEED.stem), raw


def _parse(page: str) -> etree._Element:
    """Strict XML parse: fails on any unclosed or crossing tag, which a lenient HTML parser would mend."""
    return etree.fromstring(page.encode("utf-8"), etree.XMLParser(resolve_entities=False))


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _article(tree: etree._Element) -> etree._Element:
    (article,) = tree.xpath('//div[@id="article"]')
    return article


def _mark_at(tree: etree._Element, kind: str, text: str) -> list[etree._Element]:
    return [m for m in _article(tree).iter("mark") if m.get("data-kind") == kind and _text(m) == text]


# ----------------------------------------------------------------------------- a hand-built record

BODY = 'Voltaris said sales rose 12 percent in 2024. "Margins <will> improve & grow," Ana Ruiz said.'


def _record() -> ArticleRecord:
    def span(text: str, nth: int = 0) -> dict[str, object]:
        start = -1
        for _ in range(nth + 1):
            start = BODY.index(text, start + 1)
        return {"start": start, "end": start + len(text), "text": text}

    content = span("sales rose 12 percent")
    return ArticleRecord(
        id="hand-1", title="Voltaris <sales> & margins", source="Example News", published="2025-02-03",
        body=BODY,
        removed=[Removed(text="Share | Tweet | Email", reason="share")],
        organisations=[Organisation(name="Voltaris Motors", aliases=["Voltaris"], type="carmaker",
                                    mentions=[Span(**span("Voltaris"))])],  # type: ignore[arg-type]
        # "12 percent in" crosses the end of the claim: the page must still be well-formed
        quantities=[Quantity(**span("12 percent in"), value=12, unit="percent", kind="percent", qualifier="about")],  # type: ignore[arg-type]
        dates=[DateMention(**span("2024"), value="2024", granularity="year")],  # type: ignore[arg-type]
        claims=[
            Claim(speaker="Voltaris Motors", organisation="Voltaris Motors", cue="said", kind="indirect",
                  content=content["text"], start=content["start"], end=content["end"]),  # type: ignore[arg-type]
            Claim(speaker="Ana Ruiz", cue="said", kind="direct", content="Margins <will> improve & grow,",
                  start=BODY.index("Margins"), end=BODY.index("Margins") + len("Margins <will> improve & grow,")),
        ],
        warnings=["no <byline> found"],
    )


def test_titles_give_the_normalised_values() -> None:
    rec = _record()
    assert organisation_title(rec.organisations[0]) == "Voltaris Motors (carmaker)"
    assert quantity_title(rec.quantities[0]) == "about 12 percent · percent"
    assert quantity_title(Quantity(text="1.5-2 billion yuan", start=0, end=18, value=1.5e9, value_max=2e9,
                                   unit="CNY", kind="money")) == "1,500,000,000–2,000,000,000 CNY · money"
    assert quantity_title(Quantity(text="0.25 kWh", start=0, end=8, value=0.25, unit="kWh", kind="energy")) == "0.25 kWh · energy"
    assert date_title(rec.dates[0]) == "2024 · year"
    assert date_title(DateMention(text="last year", start=0, end=9, value=None, note="no publication date")) == (
        "unresolved: no publication date"
    )
    assert date_title(DateMention(text="the first eight months of 2025", start=0, end=30, value="2025-01",
                                  granularity="month", value_end="2025-08")) == "2025-01 → 2025-08 · month"
    assert claim_title(rec.claims[0]) == "Voltaris Motors · said · indirect"
    assert claim_title(Claim(speaker="Ana Ruiz", organisation="Voltaris Motors", cue="told", kind="direct",
                             content="x", start=0, end=1)) == "Ana Ruiz (Voltaris Motors) · told · direct"


def test_hand_built_record_is_marked_nested_and_escaped() -> None:
    page = render_review(_record())
    tree = _parse(page)
    assert _text(_article(tree)) == BODY  # the marks add no text and lose none
    assert not tree.xpath("//script")  # "<will>" and "<byline>" stayed text
    assert "Margins &lt;will&gt; improve &amp; grow," in page
    assert _text(tree.xpath("//header/h1")[0]) == "Voltaris <sales> & margins"
    assert [_text(li) for li in tree.xpath('//ul[@class="warnings"]/li')] == ["no <byline> found"]

    (org,) = _mark_at(tree, "organisation", "Voltaris")
    assert org.get("title") == "Voltaris Motors (carmaker)"
    (date,) = _mark_at(tree, "date", "2024")
    assert date.get("title") == "2024 · year"
    (direct,) = _mark_at(tree, "claim", "Margins <will> improve & grow,")
    assert direct.get("title") == "Ana Ruiz · said · direct"

    # The quantity crosses the claim's end: split in two parts with the same item id.
    parts = [m for m in _article(tree).iter("mark") if m.get("data-kind") == "quantity"]
    assert [_text(m) for m in parts] == ["12 percent", " in"]
    assert {m.get("data-item") for m in parts} == {"q0"}
    assert parts[0].getparent().get("data-kind") == "claim"
    (claim,) = [m for m in _article(tree).iter("mark") if m.get("data-item") == "c0"]
    assert _text(claim) == "sales rose 12 percent"

    (li,) = tree.xpath('//ol[@class="removed-list"]/li')
    assert li.get("data-reason") == "share" and li.get("title") == "removed: share"
    assert _text(li).endswith("Share | Tweet | Email")


def test_an_html_raw_page_is_not_shown_as_source() -> None:
    html_raw = "<html><body><div><p>Voltaris said sales rose.</p></div><p>x</p></body></html>"
    assert "Original page" not in render_review(_record(), html_raw)
    assert "Original page" in render_review(_record(), "Share | Tweet | Email\n\n" + BODY)


# ----------------------------------------------------------------------------- a seed page


def test_seed_page_marks_every_kind_at_its_offsets(seed_page: tuple[ArticleRecord, str]) -> None:
    rec, raw = seed_page
    tree = _parse(render_review(rec, raw))
    assert _text(_article(tree)) == rec.body
    kinds = {m.get("data-kind") for m in _article(tree).iter("mark")}
    assert kinds == set(KINDS)

    org = next(o for o in rec.organisations if o.name == "China Passenger Car Association")
    (mark,) = _mark_at(tree, "organisation", "China Passenger Car Association")
    assert mark.get("title") == "China Passenger Car Association (association)" == organisation_title(org)

    for q in rec.quantities[:2]:
        assert any(m.get("title") == quantity_title(q) for m in _mark_at(tree, "quantity", q.text))
    for d in rec.dates[:2]:
        assert any(m.get("title") == date_title(d) for m in _mark_at(tree, "date", d.text))
    first_claim = rec.claims[0]
    assert [m.get("title") for m in _mark_at(tree, "claim", first_claim.content)] == [claim_title(first_claim)]
    header = _text(tree.xpath("//header")[0])
    for value in (rec.title, rec.source, rec.published, rec.id):
        assert value and value in header


def test_seed_page_greys_removed_lines_with_reasons(seed_page: tuple[ArticleRecord, str]) -> None:
    rec, raw = seed_page
    tree = _parse(render_review(rec, raw))
    listed = tree.xpath('//ol[@class="removed-list"]/li')
    assert [li.get("data-reason") for li in listed] == [r.reason for r in rec.removed]
    assert {"menu", "headline", "metadata", "caption"} <= {r.reason for r in rec.removed}
    greyed = tree.xpath('//div[@class="raw"]/span[@class="removed"]')
    assert len(greyed) == len(rec.removed)  # every removed part found in the raw page
    assert all(s.get("data-reason") and s.get("title") == f"removed: {s.get('data-reason')}" for s in greyed)
    (raw_div,) = tree.xpath('//div[@class="raw"]')
    assert _text(raw_div) == raw  # the raw page is shown whole, nothing lost or doubled
    captions = [s for s in greyed if s.get("data-reason") == "caption"]
    assert len(captions) == 2 and all("Photo: VCG" in _text(s) for s in captions)


def test_write_review_is_atomic_and_readable(tmp_path: Path) -> None:
    target = tmp_path / "out" / "hand-1.html"
    written = write_review(_record(), None, target)
    assert written == target
    assert target.read_text(encoding="utf-8") == render_review(_record())
    assert os.stat(target).st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["hand-1.html"]  # no temp file left


# ----------------------------------------------------------------------------- a real browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(
        "chromium is not installed (neither `chromium` nor `chromium-browser` is on PATH); "
        "install it, e.g. `apt-get install -y chromium`, to run the review-page browser test"
    )


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the inflated image data (filter bytes included) of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, chunk = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_chromium_renders_the_review_page(seed_page: tuple[ArticleRecord, str], tmp_path: Path) -> None:
    browser = _chromium()
    rec, raw = seed_page
    page = write_review(rec, raw, tmp_path / "review.html")
    shot = tmp_path / "review.png"
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()],
                   check=True, capture_output=True, timeout=180)
    width, height, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 2000)
    assert len(set(pixels)) > 32, "the screenshot is blank"
    row = len(pixels) // height
    assert len({pixels[i * row:(i + 1) * row] for i in range(0, height, 50)}) > 10, "the screenshot has no content"

    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], check=True, capture_output=True,
                         text=True, timeout=180).stdout
    tree = etree.HTML(dom)
    marks = tree.xpath('//div[@id="article"]//mark')
    assert {m.get("data-kind") for m in marks} == set(KINDS)
    assert _text(tree.xpath('//div[@id="article"]')[0]) == rec.body
    assert any(m.get("title") == "China Passenger Car Association (association)" for m in marks)


def test_a_huge_repetitive_raw_page_renders_quickly() -> None:
    """Adversarial input: 60k characters of one repeated line, removed 300 times over."""
    import time

    raw = "Share this | " * 5000 + "1," * 5000 + " " * 10000 + "\n\n" + BODY
    rec = _record().model_copy(update={"removed": [Removed(text="Share this |", reason="share")] * 300
                                       + [Removed(text="1,1,1,1 9", reason="numbers")]})
    started = time.perf_counter()
    tree = _parse(render_review(rec, raw))
    assert time.perf_counter() - started < 10
    assert len(tree.xpath('//div[@class="raw"]/span[@data-reason="share"]')) == 300
    assert _text(tree.xpath('//div[@class="raw"]')[0]) == raw
