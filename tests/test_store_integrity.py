"""The SQLite store (`--db`): one record per id, the newest wins, and a damaged store is named
in one line - refused by `extract`, read as far as it goes by `export`."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from nevextract.cli import _input_key, main
from nevextract.records import ArticleRecord, ErrorInfo, ErrorRecord
from nevextract.store import Store

PAGE_A = "BYD sold 300,000 cars in March, the China Passenger Car Association said on Monday.\n"
PAGE_C = "Geely said on Tuesday that its exports rose 20% in February.\n"
PAGE_A2 = "NIO delivered 20,000 cars in April, the company said.\n"

# The first store layout (nevextract before one record per id), frozen here to test the upgrade.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    content_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL, path TEXT, source TEXT, title TEXT, published TEXT,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS organisations (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    name TEXT NOT NULL, type TEXT, found_by TEXT, aliases TEXT, mentions INTEGER
);
CREATE TABLE IF NOT EXISTS quantities (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value REAL, unit TEXT, kind TEXT, qualifier TEXT, value_max REAL
);
CREATE TABLE IF NOT EXISTS dates (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value TEXT, granularity TEXT, value_end TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    speaker TEXT, role TEXT, organisation TEXT, cue TEXT, kind TEXT, content TEXT, start INTEGER, "end" INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
    content_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL, path TEXT, type TEXT, message TEXT, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS organisations_hash ON organisations(content_hash);
CREATE INDEX IF NOT EXISTS quantities_hash ON quantities(content_hash);
CREATE INDEX IF NOT EXISTS dates_hash ON dates(content_hash);
CREATE INDEX IF NOT EXISTS claims_hash ON claims(content_hash);
"""


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _extract(*args: str) -> int:
    return main(["extract", *args, "--mode", "rules", "-q"])


def _err_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


# ---------------------------------------------------------------- one record per id (item 1)
def test_identical_pages_under_different_ids_are_all_stored_and_exported(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (pages / "b.txt").write_text(PAGE_A, encoding="utf-8")  # byte-identical, another id
    (pages / "c.txt").write_text(PAGE_C, encoding="utf-8")
    db, out, exported = tmp_path / "r.sqlite", tmp_path / "out.jsonl", tmp_path / "all.jsonl"
    assert _extract(str(pages), "--db", str(db), "--out", str(out)) == 0
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert [r["id"] for r in _records(exported)] == ["a", "b", "c"]
    assert _records(exported) == _records(out)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT id, path FROM articles ORDER BY id").fetchall() == [
            ("a", str(pages / "a.txt")), ("b", str(pages / "b.txt")), ("c", str(pages / "c.txt"))]
        assert con.execute("SELECT article_id, name FROM organisations ORDER BY article_id, name").fetchall() == [
            ("a", "BYD"), ("a", "China Passenger Car Association"),
            ("b", "BYD"), ("b", "China Passenger Car Association"), ("c", "Geely")]


def test_a_changed_page_is_extracted_again_and_replaces_its_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (pages / "c.txt").write_text(PAGE_C, encoding="utf-8")
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    assert _extract(str(pages), "--db", str(db)) == 0
    (pages / "a.txt").write_text(PAGE_A2, encoding="utf-8")
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules"]) == 0
    assert "1 articles, 0 failed" in capsys.readouterr().err  # a redone, c skipped
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    recs = _records(exported)
    assert [r["id"] for r in recs] == ["a", "c"]
    assert recs[0]["body"] == PAGE_A2.strip()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT article_id, name FROM organisations ORDER BY name").fetchall() == [
            ("c", "Geely"), ("a", "NIO")]  # the old record's rows went with it


def test_the_newest_record_wins_between_article_and_error(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    assert _extract(str(pages), "--db", str(db)) == 0
    (pages / "a.txt").write_text("", encoding="utf-8")
    assert _extract(str(pages), "--db", str(db)) == 1
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert [(r["id"], r.get("error")) for r in _records(exported)] == [
        ("a", {"type": "EmptyInput", "message": "the file is empty"})]
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    assert _extract(str(pages), "--db", str(db)) == 0
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert [(r["id"], "error" in r) for r in _records(exported)] == [("a", False)]


def test_two_inputs_with_one_id_are_counted_and_the_later_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "page.txt").write_text(PAGE_A, encoding="utf-8")
    (tmp_path / "y" / "page.txt").write_text(PAGE_C, encoding="utf-8")
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    assert main(["extract", str(tmp_path / "x"), str(tmp_path / "y"), "--db", str(db), "--mode", "rules"]) == 0
    assert "1 repeated ids (the store keeps the last)" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert [(r["id"], r["body"]) for r in _records(exported)] == [("page", PAGE_C.strip())]


def _v1_store(path: Path) -> None:
    """A store in the first layout: id 'a' twice (an old and a newer version of the page, and
    an error), and 'c'."""
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    rows = [("h-a-old", "a", "old body"), ("h-c", "c", "c body"), ("h-a-new", "a", "new body")]
    for key, ident, body in rows:
        rec = ArticleRecord(id=ident, body=body)
        con.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, ident, f"in/{ident}.txt", None, None, None, rec.model_dump_json()))
    err = ErrorRecord(id="a", path="in/a.txt", error=ErrorInfo(type="EmptyInput", message="the file is empty"))
    con.execute("INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?)",
                ("h-a-err", "a", "in/a.txt", "EmptyInput", "the file is empty", err.model_dump_json()))
    con.commit()
    con.close()


def test_a_store_of_the_first_layout_is_upgraded_to_one_record_per_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, exported = tmp_path / "old.sqlite", tmp_path / "all.jsonl"
    _v1_store(db)
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert _err_lines(capsys) == [
        f"nevextract: {db}: upgraded the store to one record per id: 2 records kept, 2 older duplicates dropped",
        f"nevextract: exported 2 records → {exported}",
    ]
    assert [(r["id"], r["body"]) for r in _records(exported)] == [("a", "new body"), ("c", "c body")]
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 2
        assert con.execute("SELECT id, content_hash, path FROM articles ORDER BY id").fetchall() == [
            ("a", "h-a-new", "in/a.txt"), ("c", "h-c", "in/c.txt")]
        assert con.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert _err_lines(capsys) == [f"nevextract: exported 2 records → {exported}"]  # upgraded once


def test_an_upgraded_store_skips_the_pages_it_already_has(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first layout's content hash is kept, so a file page is not extracted again."""
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    from nevextract import __version__

    key = _input_key({"id": "a", "text": PAGE_A}, "|".join([__version__, "rules", ""]))
    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)
    con.executescript(V1_SCHEMA)
    con.execute("INSERT INTO articles VALUES (?, 'a', NULL, NULL, NULL, NULL, ?)",
                (key, ArticleRecord(id="a", body="stored body").model_dump_json()))
    con.commit()
    con.close()
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules"]) == 0
    assert "1 already stored" in capsys.readouterr().err


def test_a_store_from_a_newer_nevextract_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA user_version = 7")
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "x.jsonl")]) == 2
    assert _err_lines(capsys) == [
        f"nevextract: {db}: made by a newer nevextract (store layout 7); upgrade nevextract to use it"]


def test_another_programs_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE customers (name TEXT)")
    (tmp_path / "a.txt").write_text(PAGE_A, encoding="utf-8")
    assert _extract(str(tmp_path / "a.txt"), "--db", str(db)) == 2
    assert _err_lines(capsys) == [f"nevextract: {db}: not a nevextract store (it has other tables: customers)"]


# ---------------------------------------------------------------- a store that is not well (item 8)
def test_a_file_that_is_not_a_store_is_named_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("these are my notes, not a database\n" * 50, encoding="utf-8")
    (tmp_path / "a.txt").write_text(PAGE_A, encoding="utf-8")
    assert _extract(str(tmp_path / "a.txt"), "--db", str(db)) == 2
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "x.jsonl")]) == 2
    line = f"nevextract: {db}: not a nevextract store: the file is not an SQLite database"
    assert _err_lines(capsys) == [line, line]
    assert not (tmp_path / "x.jsonl").exists()


def test_a_store_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(PAGE_A, encoding="utf-8")
    db = tmp_path / "new" / "folder" / "r.sqlite"
    assert _extract(str(tmp_path / "a.txt"), "--db", str(db)) == 0  # created, as --out does
    assert db.is_file()
    missing = tmp_path / "nowhere" / "r.sqlite"
    assert main(["export", "--db", str(missing), "--out", str(tmp_path / "x.jsonl")]) == 2
    blocked = tmp_path / "a.txt" / "r.sqlite"  # its folder would be a file
    assert _extract(str(tmp_path / "a.txt"), "--db", str(blocked)) == 2
    capsys.readouterr()
    assert main(["export", "--db", str(missing), "--out", str(tmp_path / "x.jsonl")]) == 2
    assert _err_lines(capsys) == [f"nevextract: {missing}: no such store"]
    assert not missing.parent.exists() and not (tmp_path / "x.jsonl").exists()
    assert _extract(str(tmp_path / "a.txt"), "--db", str(blocked)) == 2
    assert _err_lines(capsys) == [f"nevextract: {blocked}: {tmp_path / 'a.txt'} is not a folder"]


def _filled_store(path: Path, n: int = 60) -> None:
    """n articles of about 2 KB each, so that they span many pages of the file."""
    with Store(path) as store:
        for i in range(n):
            body = f"Marker-{i:02d}. " + "BYD sold cars in March. " * 90
            store.put(ArticleRecord(id=f"page-{i:02d}", body=body), f"key-{i}", f"in/page-{i:02d}.txt")


@pytest.mark.parametrize("damage", ["truncated", "page-zeroed"])
def test_a_damaged_store_is_refused_by_extract_and_salvaged_by_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    _filled_store(db)
    data = db.read_bytes()
    if damage == "truncated":
        db.write_bytes(data[: len(data) // 2 + 1000])
    else:
        page = 4096 * (len(data) // 4096 // 3)
        db.write_bytes(data[:page] + bytes(4096) + data[page + 4096:])
    (tmp_path / "a.txt").write_text(PAGE_A, encoding="utf-8")
    assert _extract(str(tmp_path / "a.txt"), "--db", str(db)) == 2
    [line] = _err_lines(capsys)
    assert line.startswith(f"nevextract: {db}: the store is damaged (SQLite's check failed: ")
    assert line.endswith("); `nevextract export` saves the records that can still be read")
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 1
    err = _err_lines(capsys)
    assert err[0].startswith(f"nevextract: {db}: SQLite's check failed: ")
    assert err[0].endswith("; exporting what can still be read")
    recs = _records(exported)
    assert 10 <= len(recs) < 60
    assert all(r["body"].startswith(f"Marker-{r['id'][5:]}. ") for r in recs)  # none garbled
    skipped = [line for line in err[2:]]
    assert err[1] == f"nevextract: exported {len(recs)} records → {exported}; skipped {len(skipped)} unreadable"
    assert all(line.startswith("  unreadable: articles ") for line in skipped)


def _flip(db: Path, marker: bytes, replacement: bytes) -> None:
    data = db.read_bytes()
    assert data.count(marker) == 1
    db.write_bytes(data.replace(marker, replacement))


def test_bytes_changed_inside_a_record_are_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    _filled_store(db, 5)
    _flip(db, b"Marker-02", b"Marker\xff02")  # not UTF-8 any more
    _flip(db, b"Marker-03", b"Marker-93")  # still UTF-8, still JSON: only the checksum knows
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 1
    assert _err_lines(capsys) == [
        f"nevextract: exported 3 records → {exported}; skipped 2 unreadable",
        "  unreadable: articles row 3 (id 'page-02'): the record does not match its checksum (changed on disk)",
        "  unreadable: articles row 4 (id 'page-03'): the record does not match its checksum (changed on disk)",
    ]
    assert [r["id"] for r in _records(exported)] == ["page-00", "page-01", "page-04"]


def test_extract_redoes_a_record_damaged_on_disk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (pages / "c.txt").write_text(PAGE_C, encoding="utf-8")
    db, exported = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    assert _extract(str(pages), "--db", str(db)) == 0
    _flip(db, b'"body":"Geely said', b'"body":"Geely s\xffid')
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules"]) == 0
    assert "1 already stored, 1 damaged in the store and redone" in capsys.readouterr().err
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert [r["body"] for r in _records(exported)] == [PAGE_A.strip(), PAGE_C.strip()]


def test_store_errors_never_show_a_traceback(tmp_path: Path) -> None:
    """The same refusal through the installed command: one line, exit 2."""
    import subprocess
    import sys

    db = tmp_path / "bad.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    proc = subprocess.run([sys.executable, "-m", "nevextract.cli", "export", "--db", str(db), "--out",
                           str(tmp_path / "x.jsonl")], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith(f"nevextract: {db}: ")


def test_a_damaged_store_of_the_first_layout_is_read_as_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It cannot be upgraded, but export still reads it, one record per id."""
    db, exported = tmp_path / "old.sqlite", tmp_path / "all.jsonl"
    con = sqlite3.connect(db)
    con.executescript(V1_SCHEMA)
    for i in [*range(60), 0, 1]:  # page-00 and page-01 stored twice: the later row is the newer
        body = f"Marker-{i:02d}. " + "BYD sold cars in March. " * 90 + ("(newer)" if con.execute(
            "SELECT 1 FROM articles WHERE id = ?", (f"page-{i:02d}",)).fetchone() else "")
        con.execute("INSERT INTO articles VALUES (?, ?, NULL, NULL, NULL, NULL, ?)",
                    (f"key-{i}-{len(body)}", f"page-{i:02d}", ArticleRecord(id=f"page-{i:02d}", body=body).model_dump_json()))
    con.commit()
    con.close()
    data = db.read_bytes()
    page = 4096 * (len(data) // 4096 // 2)
    db.write_bytes(data[:page] + bytes(4096) + data[page + 4096:])
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 1
    err = _err_lines(capsys)
    assert err[0].endswith("; exporting what can still be read")
    assert not any("no such column" in line for line in err)
    recs = _records(exported)
    ids = [r["id"] for r in recs]
    assert 10 <= len(ids) < 60 and len(set(ids)) == len(ids)
    assert all(r["body"].endswith("(newer)") for r in recs if r["id"] in ("page-00", "page-01"))


def test_another_format_extracts_a_stored_page_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE_A, encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules", "--format", "text"]) == 0
    capsys.readouterr()
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules", "--format", "text"]) == 0
    assert "0 articles, 0 failed" in capsys.readouterr().err  # the same settings: skipped
    assert main(["extract", str(pages), "--db", str(db), "--mode", "rules", "--format", "html"]) == 0
    assert "1 articles, 0 failed" in capsys.readouterr().err  # cleaned another way: redone
