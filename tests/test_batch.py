"""Batches that hold up: hostile inputs, the SQLite store, resuming after kill -9, workers."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _pages(folder: Path, n: int) -> list[Path]:
    """n distinct pages: the seeds, each with a different last line."""
    folder.mkdir(exist_ok=True)
    out = []
    for i in range(n):
        p = folder / f"page-{i:03d}.txt"
        p.write_text(SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") + f"\n\nPage number {i} of the run.\n", encoding="utf-8")
        out.append(p)
    return out


def test_hostile_inputs_each_yield_one_line_and_good_pages_survive(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    good = SEEDS[0].read_text(encoding="utf-8")
    (d / "good.txt").write_text(good, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (d / "bad-utf8.txt").write_bytes(good.encode("utf-8")[:2000] + b"\xff\xfe\xc3(" + b" and the story goes on. " * 20)
    (d / "nul.txt").write_bytes(
        b"Tesla sold 1,000 cars in Norway last month.\x00 BYD sold more cars in March, the CPCA said on Monday.\n\n"
        b"Dealers in Oslo said demand for\x00 small electric vans had also picked up since the spring.\n"
    )
    (d / "bidi.txt").write_text("\u202eBYD\u200b said\u2066 sales rose 5% in May.\u2069\ufeff " * 50, encoding="utf-8")
    (d / "long-line.txt").write_text("x" * 3_000_000, encoding="utf-8")
    (d / "deep.html").write_text("<html><body>" + "<div>" * 50_000 + "BYD sold cars." + "</div>" * 50_000 + "</body></html>", encoding="utf-8")
    (d / "quotes.txt").write_text('"' * 200_000, encoding="utf-8")
    (d / "huge.txt").write_text(("BYD sold 300,000 cars in March, the association said. " * 20 + "\n\n") * 28_000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    started = time.perf_counter()
    code = main(["extract", str(d), "--out", str(out), "--mode", "rules", "-q"])
    elapsed = time.perf_counter() - started
    recs = {r["id"]: r for r in _records(out)}
    assert sorted(recs) == sorted(p.stem for p in d.iterdir())
    assert code == 1
    assert recs["good"]["body"] == Extractor(mode="rules").extract(good, id="good").body
    assert recs["empty"]["error"]["type"] == "EmptyInput"
    assert recs["binary"]["error"]["type"] == "BinaryInput"
    assert recs["bad-utf8"]["warnings"][0] == "the file is not valid UTF-8: undecodable bytes were replaced"
    assert "\x00" not in recs["nul"]["body"] and "BYD" in {o["name"] for o in recs["nul"]["organisations"]}
    assert "\u202e" not in recs["bidi"]["body"] and "\u200b" not in recs["bidi"]["body"]
    assert recs["long-line"]["error"]["type"] == "InputError"
    assert "max_chars=1,000,000" in recs["long-line"]["error"]["message"]
    assert recs["huge"]["error"]["type"] == "InputError"
    assert "error" in recs["deep"] or recs["deep"]["body"] == "BYD sold cars."
    assert "error" in recs["quotes"] or recs["quotes"]["claims"] == []
    assert elapsed < 300  # a guard against runaway time, not a speed measurement


def test_store_skips_what_it_has_and_export_round_trips(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "in", 4)
    db, out, exported = tmp_path / "r.sqlite", tmp_path / "out.jsonl", tmp_path / "all.jsonl"
    assert main(["extract", *map(str, pages), "--db", str(db), "--out", str(out), "--mode", "rules", "-q"]) == 0
    assert main(["extract", *map(str, pages), "--db", str(db), "--mode", "rules", "-q"]) == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 4
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        orgs = con.execute("SELECT COUNT(*) FROM organisations").fetchone()[0]
    assert orgs == sum(len(r["organisations"]) for r in _records(out))
    assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
    assert sorted(_records(exported), key=lambda r: r["id"]) == sorted(_records(out), key=lambda r: r["id"])
    assert main(["extract", str(pages[0]), "--db", str(db), "--mode", "rules", "-q", "--force"]) == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 4


def test_kill_9_then_resume_stores_every_article_exactly_once(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "in", 40)
    db = tmp_path / "r.sqlite"
    cmd = [sys.executable, "-m", "nevextract.cli", "extract", str(tmp_path / "in"), "--db", str(db), "--mode", "rules",
           "-q", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as con:
                    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 3:
                break
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(db) as con:
        before = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert 3 <= before < 40
    assert subprocess.run(cmd, check=False).returncode == 0
    with sqlite3.connect(db) as con:
        ids = [row[0] for row in con.execute("SELECT id FROM articles")]
    assert sorted(ids) == sorted(p.stem for p in pages)


def test_two_workers_give_the_same_records_as_one(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "in", 6)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["extract", *map(str, pages), "--out", str(one), "--mode", "rules", "-q"]) == 0
    assert main(["extract", *map(str, pages), "--out", str(two), "--mode", "rules", "-q", "--workers", "2", "--batch-size", "2"]) == 0
    assert _records(one) == _records(two)


def test_jsonl_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        {"id": "a", "text": "BYD sold 300,000 cars in March, the CPCA said.", "published": "2025-04-02"},
        {"id": "b", "html": "<html><body><article><p>Geely said on Monday that its exports rose.</p></article></body></html>"},
        {"text": 42},
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = tmp_path / "out.jsonl"
    assert main(["extract", "-", "--out", str(out), "--mode", "rules", "-q"]) == 1
    recs = _records(out)
    assert [r["id"] for r in recs] == ["a", "b", "stdin:3"]
    assert recs[0]["published"] == "2025-04-02"
    assert recs[1]["body"] == "Geely said on Monday that its exports rose."
    assert recs[2]["error"] == {"type": "BadItem", "message": "a line must be an object with a `text` or `html` string"}


def test_dask_local_gives_the_same_records_as_one_process(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "in", 5)
    one, dask_out = tmp_path / "one.jsonl", tmp_path / "dask.jsonl"
    assert main(["extract", *map(str, pages), "--out", str(one), "--mode", "rules", "-q"]) == 0
    assert main(["extract", *map(str, pages), "--out", str(dask_out), "--mode", "rules", "-q", "--dask", "local", "--workers", "2"]) == 0
    assert sorted(_records(one), key=lambda r: r["id"]) == sorted(_records(dask_out), key=lambda r: r["id"])


def test_a_component_failure_names_the_component_and_the_real_exception() -> None:
    from spacy.language import Language

    @Language.component("test_raises_keyerror")
    def _raises(doc):  # type: ignore[no-untyped-def]
        if "boom" in doc.text:
            raise KeyError("boom")
        return doc

    ex = Extractor(mode="rules")
    ex.nlp.add_pipe("test_raises_keyerror", first=True)
    recs = list(ex.pipe([{"id": "bad", "text": "A boom page.", "clean": False},
                         {"id": "good", "text": "BYD sold 10 cars.", "clean": False}]))
    assert recs[0].error.type == "KeyError"
    assert recs[0].error.message == "component 'test_raises_keyerror' failed: KeyError: 'boom'"
    assert "initialize" not in recs[0].error.message
    assert recs[1].id == "good" and [o.name for o in recs[1].organisations] == ["BYD"]
