"""The command line on a folder with good and bad pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nevextract.cli import main

PAGE = (
    "Menu | Home | News | Markets\n\n"
    "Voltaris sales jump\n\n"
    "Published: 2025-03-04\n\n"
    "Voltaris Motors, a carmaker based in Lyon, said on Tuesday that it sold 12,000 electric cars in "
    "February, helped by demand for its compact hatchback.\n\n"
    "The company said it would open a second plant in Spain next year, according to a statement.\n\n"
    "Share this article\n\n"
    "© 2025 Example Media Ltd. All rights reserved.\n"
)


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    d = tmp_path / "pages"
    d.mkdir()
    (d / "good.txt").write_text(PAGE, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 400)
    (d / "latin1.txt").write_bytes(PAGE.replace("Lyon", "Besançon").encode("latin-1"))
    return d


def _lines(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_batch_goes_on_past_bad_pages(pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(pages), "--out", str(out), "--mode", "rules", "--no-progress"])
    assert code == 1  # some inputs failed
    recs = _lines(out)
    assert sorted(recs) == ["empty", "good", "image", "latin1"]
    assert recs["empty"]["error"] == {"type": "EmptyInput", "message": "the file is empty"}
    assert recs["empty"]["path"] == str(pages / "empty.txt")
    assert recs["image"]["error"]["type"] == "BinaryInput"
    good = recs["good"]
    assert good["body"].startswith("Voltaris Motors, a carmaker based in Lyon")
    assert good["body"].endswith("according to a statement.")
    assert good["published"] == "2025-03-04"
    assert good["source"] == "Example"  # the copyright holder, "Media Ltd." dropped
    assert {r["reason"] for r in good["removed"]} >= {"share", "copyright"}
    assert recs["latin1"]["warnings"][0] == "the encoding was guessed: cp1252 (the file is not UTF-8 and declares no charset)"
    assert "Besançon" in recs["latin1"]["body"]
    summary = capsys.readouterr().err
    assert "2 articles, 2 failed" in summary
    assert f"failed: {pages / 'empty.txt'}: EmptyInput: the file is empty" in summary


def test_globs_and_missing_files(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(pages / "g*.txt"), str(pages / "nope.txt"), "--out", str(out), "-q", "--mode", "rules"])
    assert code == 1
    recs = _lines(out)
    assert sorted(recs) == ["good", "nope"]
    assert recs["nope"]["error"]["type"] == "FileNotFoundError"


def test_all_good_exits_zero_and_summary_reads_back(pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(pages / "good.txt"), "--out", str(out), "--mode", "rules"]) == 0
    capsys.readouterr()
    assert main(["summary", str(out)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["id", "source", "published"]
    assert table[1].split()[:3] == ["good", "Example", "2025-03-04"]


def test_a_failed_run_leaves_the_old_output_whole(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["extract", str(pages), "--out", str(out), "--mode", "nonsense"])
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
