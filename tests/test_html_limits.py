"""Issue 18 item 10 and issue 13: HTML pages at the edges — huge tables, deep nesting, a head
full of CSS — and saying outright whether a page is HTML or text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.cli import main
from nevextract.clean import _in_body, clean_page, looks_like_html
from nevextract.clean.profiles import BoilerplateModel, load_boilerplate
from nevextract.patterns import pattern_dirs

ROOT = Path(__file__).resolve().parent.parent
P1 = ("BYD said on Monday that it sold 300,000 electric cars in February, up 30 percent from a year "
      "earlier, according to the China Passenger Car Association.")
P2 = ("Geely said its exports to Europe rose by a fifth in the same month, helped by demand for its "
      "small crossover, and that it would open a plant in Hungary next year.")


@pytest.fixture(scope="module")
def model() -> BoilerplateModel:
    return load_boilerplate(pattern_dirs())


def _page(depth: int) -> str:
    return ("<html><head><title>BYD sales rise</title></head><body>" + "<div>" * depth
            + f"<article><h1>BYD sales rise</h1><p>{P1}</p><p>{P2}</p></article>" + "</div>" * depth + "</body></html>")


def test_an_article_under_1000_levels_is_found(model: BoilerplateModel) -> None:
    page = clean_page(_page(1000), model)
    assert page.body == f"{P1}\n\n{P2}"
    assert page.warnings == []


def test_deeper_than_libxml2_goes_flattens_the_layout_tags_and_says_so(model: BoilerplateModel) -> None:
    page = clean_page(_page(3000), model)
    assert page.body == f"{P1}\n\n{P2}"
    assert page.warnings == [
        "the page's markup is nested more than 2,048 levels deep: layout tags (div, span, section, ...) were dropped to read it"
    ]


def test_a_page_opening_with_40_kb_of_css_is_html(model: BoilerplateModel) -> None:
    css = "".join(f".c{i} {{ color: #{i % 999:03d}; margin: 0 auto; }}\n" for i in range(1400))
    assert len(css) > 40_000
    html = f"<html><head><style>{css}</style><title>BYD sales rise</title></head><body><article><p>{P1}</p><p>{P2}</p></article></body></html>"
    assert looks_like_html(html)
    fragment = f"<style>{css}</style>\n<div><p>{P1}</p><p>{P2}</p></div><div><a href='/'>Home</a></div>"
    assert looks_like_html(fragment)  # no <html>: found by the tags after the CSS
    page = clean_page(html, model)
    assert page.is_html and page.body == f"{P1}\n\n{P2}"


def test_a_text_dump_is_still_text() -> None:
    assert not looks_like_html(f"{P1}\n\nIt wrote <b>bold</b> claims about <i>range</i>.\n\n{P2}")


def test_format_says_what_the_page_is(model: BoilerplateModel) -> None:
    # a text dump quoting markup, read as HTML by the sniffer, and kept as text when told
    dump = f"BYD sales rise\n\n<p>{P1}</p>\n\n<div>{P2}</div>\n\n<span>Share this</span>"
    assert looks_like_html(dump)
    assert clean_page(dump, model).is_html
    as_text = clean_page(dump, model, format="text")
    assert not as_text.is_html
    assert as_text.body == f"<div>{P2}</div>"  # the tags are the page's text
    as_html = clean_page(f"<p>{P1}</p><p>{P2}</p>", model, format="html")
    assert as_html.is_html and as_html.body == f"{P1}\n\n{P2}"
    with pytest.raises(ValueError, match=r"^format must be \"html\", \"text\" or None, not 'pdf'$"):
        clean_page(P1, model, format="pdf")  # type: ignore[arg-type]


def test_in_body_is_word_aligned_and_reads_table_cells() -> None:
    body = "byd sold 300,000 cars in march.\n\n| model 1 | 7 units | plant 1 in shenzhen |"
    keys = ["byd sold 300,000 cars", "model 1", "plant 1 in shenzhen", "cars in march.", "sold cars", "climb", "", "7 units |"]
    assert _in_body(keys, " ".join(body.split())) == [True, True, True, True, False, False, False, True]


def test_a_table_page_of_60000_lines_is_compared_with_its_body_in_linear_time() -> None:
    # Each visible line used to be searched for in the whole body: 60,000 lines × 6 MB is
    # minutes; hashed word runs take seconds. The subprocess time-out only stops a hang.
    script = (
        "from nevextract.clean import _removed_from_html\n"
        "from nevextract.clean.profiles import BoilerplateModel\n"
        "rows = [f'| Model {i} | {i * 7} units | Plant {i % 17} in Shenzhen | deliveries rose {i % 50} percent over the month, the company said in a filing |' for i in range(60000)]\n"
        "body = '\\n'.join(rows)\n"
        "visible = [f'Model {i} of the range {i}x is not in the body' for i in range(60000)]\n"
        "print(len(_removed_from_html(visible, body, [], BoilerplateModel(), None)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=90, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "60000"


def test_format_from_the_command_line_and_pipe_items(tmp_path: Path) -> None:
    dump = f"BYD sales rise\n\n<p>{P1}</p>\n\n<div>{P2}</div>\n\n<span>Share this</span>"
    page = tmp_path / "dump.txt"
    page.write_text(dump, encoding="utf-8")
    bodies = {}
    for fmt in ("auto", "text"):
        out = tmp_path / f"{fmt}.jsonl"
        assert main(["extract", str(page), "--out", str(out), "--mode", "rules", "-q", "--format", fmt]) == 0
        bodies[fmt] = json.loads(out.read_text(encoding="utf-8"))["body"]
    assert bodies["text"] == f"<div>{P2}</div>" and "<" not in bodies["auto"]
    ex = Extractor(mode="rules")
    [rec] = ex.pipe([{"id": "d", "text": dump, "format": "text"}])
    assert rec.body == f"<div>{P2}</div>"
    assert ex.extract(dump, format="text").body == f"<div>{P2}</div>"  # type: ignore[call-arg]
