"""Issue 18, items 2-4: pages in any encoding, files with any name, and JSON Lines on stdin
with a bad line: each becomes a faithful record or an error record, and the batch goes on."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.cli import main
from nevextract.inputs import decode_page, escape_name, read_page, read_stdin

ARTICLE = (
    "The Voltaris E5 starts at €29,990 in Germany, the company said on Monday, and deliveries begin in May.\n\n"
    "“We are ready for the European market,” said Anna Berg, the chief executive of Voltaris.\n"
)
HTML = (
    '<html><head><meta charset="{charset}"><title>{title}</title></head><body><article><h1>{title}</h1>'
    "<p>{p1}</p><p>{p2}</p></article></body></html>"
)
CHINESE = ("比亚迪周三表示，其二月份新能源汽车销量同比增长百分之三十，达到三十万辆。", "公司表示，将于明年在匈牙利建设第二座工厂。")
JAPANESE = ("トヨタ自動車は水曜日、電気自動車の販売が前年比で三割増えたと発表した。", "同社は来年、欧州で新型車を発売する予定だ。")


def _guessed(codec: str) -> str:
    return f"the encoding was guessed: {codec} (the file is not UTF-8 and declares no charset)"


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(mode="rules")


def _record(ex: Extractor, path: Path):  # type: ignore[no-untyped-def]
    item = read_page(path)
    assert isinstance(item, dict), item
    [rec] = ex.pipe([item])
    return rec


# --------------------------------------------------------------------------- item 2


def test_cp1252_text_page_keeps_the_euro_and_says_the_encoding_was_guessed(ex: Extractor, tmp_path: Path) -> None:
    page = tmp_path / "cp1252.txt"
    page.write_bytes(ARTICLE.encode("cp1252"))
    rec = _record(ex, page)
    assert "€29,990" in rec.body and "\ufffd" not in rec.body
    assert [(q.text, q.value, q.unit, q.kind) for q in rec.quantities] == [("€29,990", 29990.0, "EUR", "money")]
    # "the company" names no organisation before it: its claim is kept, unnamed
    assert [(c.speaker, c.speaker_named, c.content) for c in rec.claims] == [
        ("the company", False, "The Voltaris E5 starts at €29,990 in Germany"),
        ("Anna Berg", True, "We are ready for the European market"),
    ]
    assert rec.warnings[0] == _guessed("cp1252")


def test_declared_windows_1252_is_read_without_a_guess(ex: Extractor, tmp_path: Path) -> None:
    p1, p2 = ARTICLE.strip().split("\n\n")
    page = tmp_path / "declared.html"
    page.write_bytes(HTML.format(charset="windows-1252", title="Voltaris E5 price", p1=p1, p2=p2).encode("cp1252"))
    rec = _record(ex, page)
    assert rec.body == f"{p1}\n\n{p2}"
    assert rec.title == "Voltaris E5 price"
    assert [q.unit for q in rec.quantities] == ["EUR"]
    assert not any("encoding" in w for w in rec.warnings)


@pytest.mark.parametrize(("label", "codec", "paragraphs"), [
    ("gb2312", "gb18030", CHINESE),  # GB2312 is read as its superset GB18030, as browsers do
    ("GB18030", "gb18030", CHINESE),
    ("Shift_JIS", "cp932", JAPANESE),
])
def test_declared_east_asian_charsets(label: str, codec: str, paragraphs: tuple[str, str]) -> None:
    html = HTML.format(charset=label, title=paragraphs[0][:10], p1=paragraphs[0], p2=paragraphs[1])
    decoded = decode_page(html.encode(codec))
    assert not isinstance(decoded, type(None))
    assert decoded.text == html  # type: ignore[union-attr]
    assert decoded.warnings == []  # type: ignore[union-attr]


def test_http_equiv_content_type_is_a_declaration() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            f"<body><p>{CHINESE[0]}</p></body></html>")
    decoded = decode_page(html.encode("gb18030"))
    assert (decoded.text, decoded.encoding, decoded.warnings) == (html, "gb18030", [])  # type: ignore[union-attr]


@pytest.mark.parametrize(("codec", "paragraphs", "named"), [
    ("gb18030", CHINESE, "gb18030"),
    ("shift_jis", JAPANESE, "cp932"),  # cp932 is Microsoft's Shift-JIS: the same text here
])
def test_undeclared_east_asian_pages_are_guessed_and_say_so(codec: str, paragraphs: tuple[str, str], named: str) -> None:
    text = "\n\n".join(paragraphs * 2)
    decoded = decode_page(text.encode(codec))
    assert decoded.text == text  # type: ignore[union-attr]
    assert decoded.warnings == [_guessed(named)]  # type: ignore[union-attr]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read_not_refused_as_binary(ex: Extractor, tmp_path: Path, codec: str) -> None:
    page = tmp_path / f"{codec}.txt"
    page.write_bytes("\ufeff".encode(codec) + ARTICLE.encode(codec))
    item = read_page(page)
    assert isinstance(item, dict), item
    assert item["text"] == ARTICLE and item["warnings"] == []
    [rec] = ex.pipe([item])
    assert [q.unit for q in rec.quantities] == ["EUR"]


def test_a_declaration_that_does_not_fit_falls_back_to_a_guess() -> None:
    decoded = decode_page(('<meta charset="utf-8">' + ARTICLE).encode("cp1252"))
    assert decoded.text.endswith(ARTICLE)  # type: ignore[union-attr]
    assert decoded.warnings == [  # type: ignore[union-attr]
        "the encoding was guessed: cp1252 (the file is not UTF-8 and declares charset 'utf-8' but is not valid UTF-8)"
    ]


def test_mostly_utf8_with_a_few_broken_bytes_is_not_re_read_as_another_codec() -> None:
    text = "“BYD” sold 300,000 cars in Besançon’s region, the CPCA said. " * 3
    decoded = decode_page(text.encode("utf-8") + b"\xff\xfe and more.")
    assert decoded.text.startswith(text)  # type: ignore[union-attr]  # not mojibake such as "â€œ"
    assert decoded.warnings == ["the file is not valid UTF-8: undecodable bytes were replaced"]  # type: ignore[union-attr]


def test_undecodable_bytes_are_an_error_record_not_a_garbled_page(tmp_path: Path) -> None:
    page = tmp_path / "noise.txt"
    page.write_bytes(bytes(range(128, 256)) * 20)
    rec = read_page(page)
    assert rec.model_dump(exclude={"schema_version"}) == {  # type: ignore[union-attr]
        "id": "noise", "path": str(page),
        "error": {"type": "UndecodableInput",
                  "message": "the file is not UTF-8, declares no charset, and no encoding fits its bytes"},
    }


def test_a_bom_that_lies_is_an_error_record(tmp_path: Path) -> None:
    page = tmp_path / "bad-utf16.txt"
    page.write_bytes(b"\xff\xfe" + "BYD sold cars".encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate
    rec = read_page(page)
    assert rec.error.type == "UndecodableInput"  # type: ignore[union-attr]
    assert rec.error.message == (  # type: ignore[union-attr]
        "the file starts with a utf-16-le byte-order mark but is not valid utf-16-le: unexpected end of data at byte 28"
    )


# --------------------------------------------------------------------------- item 3


def test_escape_name() -> None:
    assert escape_name("plain-name") == "plain-name"
    assert escape_name(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert escape_name("a\ud800b") == "a\\ud800b"


def _records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_a_file_name_that_is_not_utf8_does_not_end_the_batch(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a-good.txt").write_text(ARTICLE, encoding="utf-8")
    try:
        with open(os.path.join(os.fsencode(d), b"caf\xe9.txt"), "wb") as fh:
            fh.write(ARTICLE.replace("Germany", "France").encode("utf-8"))
        with open(os.path.join(os.fsencode(d), b"\xff-empty.txt"), "wb"):
            pass
    except OSError as exc:  # a file system that only takes UTF-8 names
        pytest.skip(f"cannot create a non-UTF-8 file name here: {exc}")
    (d / "z-good.txt").write_text(ARTICLE.replace("Germany", "Spain"), encoding="utf-8")
    out, db, exported = tmp_path / "out.jsonl", tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    args = ["extract", str(d), "--mode", "rules", "-q"]
    assert main([*args, "--out", str(out), "--db", str(db)]) == 1  # the empty file failed
    recs = _records(out)
    assert sorted(recs) == ["\\xff-empty", "a-good", "caf\\xe9", "z-good"]
    assert "France" in recs["caf\\xe9"]["body"]
    assert recs["\\xff-empty"]["path"] == f"{d}/\\xff-empty.txt"
    assert recs["\\xff-empty"]["error"] == {"type": "EmptyInput", "message": "the file is empty"}
    # a rerun goes past both files, and the store gives every record back
    assert main([*args, "--db", str(db)]) == 1
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert sorted(_records(exported)) == ["\\xff-empty", "a-good", "caf\\xe9", "z-good"]


# --------------------------------------------------------------------------- item 4


def test_stdin_jsonl_with_a_bad_line_is_read_as_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        json.dumps({"id": "a", "text": "BYD sold 300,000 cars in March, the CPCA said."}),
        "this line is not JSON",
        json.dumps({"id": "b", "text": "Geely said on Monday that its exports rose."}),
        '{"id": "c", "text": "cut off',
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode("utf-8"))))
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-", "--out", str(out), "--mode", "rules", "-q"]) == 1
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a", "stdin:2", "b", "stdin:4"]
    assert recs[1]["path"] == "-:2"
    assert recs[1]["error"] == {"type": "BadJSON", "message": "line 2 is not JSON: Expecting value (column 1)"}
    assert recs[3]["error"] == {"type": "BadJSON", "message": "line 4 is not JSON: Unterminated string starting at (column 21)"}
    assert recs[2]["body"] == "Geely said on Monday that its exports rose."


def test_stdin_jsonl_lines_split_on_newlines_only() -> None:
    # U+2028 and a form feed are legal inside a JSON string; str.splitlines would cut there
    line = json.dumps({"id": "a", "text": "BYD sold cars.\u2028Geely\x0c too."}, ensure_ascii=False)
    [item] = read_stdin(line.encode("utf-8"))
    assert isinstance(item, dict) and item["text"] == "BYD sold cars.\u2028Geely\x0c too."


def test_stdin_that_is_a_page_is_still_one_page() -> None:
    [item] = read_stdin(ARTICLE.encode("cp1252"))
    assert isinstance(item, dict)
    assert (item["id"], item["text"], item["warnings"]) == ("stdin", ARTICLE, [_guessed("cp1252")])


def test_a_jsonl_line_with_a_broken_byte_says_so() -> None:
    data = b'{"id": "a", "text": "BYD sold cars in Besan\xe7on."}\n'
    [item] = read_stdin(data)
    assert isinstance(item, dict)
    assert item["text"] == "BYD sold cars in Besan\ufffdon."
    assert item["warnings"] == ["the line is not valid UTF-8: undecodable bytes were replaced"]
