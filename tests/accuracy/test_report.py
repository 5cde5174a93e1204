"""The report and the command line of the accuracy harness, on rows made up for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from accuracy.core import Counts, Options, Row, SweepError, TaskResult
from accuracy.report import render
from accuracy.run import main


def test_counts_give_micro_precision_recall_f1() -> None:
    c = Counts(tp=3, fp=1, fn=2) + Counts(tp=1, fp=1, fn=0)
    assert (c.tp, c.fp, c.fn) == (4, 2, 2)
    assert c.prf() == {"P": 66.7, "R": 66.7, "F1": 66.7}
    assert Counts().prf() == {"P": 0.0, "R": 0.0, "F1": 0.0}


def test_render_groups_rows_by_corpus_and_lists_the_sweep() -> None:
    rows = [
        Row("dates", "timebank", "train", "2 documents", "research use", "nevextract rules",
            {"strict F1": 80.5, "value F1": 70.0}, words_per_s=12345.6),
        Row("dates", "timebank", "train", "2 documents", "research use", "HeidelTime (published)",
            {"strict F1": 81.3}, source="UzZaman et al. 2013"),
    ]
    result = TaskResult(rows=rows, errors=[SweepError("timebank", "doc|1", "KeyError: 'x'")], missing=["aquaint"])
    text = render({"dates": result}, Options(data=Path("."), modes=("rules",), limit=5), command="run.py --data X")
    lines = text.splitlines()
    table = lines.index("### timebank — train")
    assert lines[table + 2 : table + 6] == [
        "| system | strict F1 | value F1 | words/s | note |",
        "|---|---|---|---|---|",
        "| nevextract rules | 80.5 | 70 | 12,346 |  |",
        "| HeidelTime (published) | 81.3 |  | — | source: UzZaman et al. 2013 |",
    ]
    assert "| dates | timebank | train | 2 documents | research use |" in "\n".join(lines)
    assert "Not found under the data folder (skipped): aquaint." in lines
    assert "| timebank | doc/1 | KeyError: 'x' |" in lines
    assert "**at most 5 documents per corpus**" in text


def test_run_refuses_a_missing_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path / "nope"), "--out", str(tmp_path / "a.md")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "a.md").exists()


def test_one_field_measured_again_keeps_the_others_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import accuracy.run as run_mod

    out = tmp_path / "acc.md"
    old = Row("dates", "timebank", "train", "2 documents", "research use", "nevextract rules", {"strict F1": 70.0}, 100.0)
    out.with_suffix(".json").write_text(json.dumps({
        "dates": {"rows": [old.__dict__], "errors": [], "missing": []},
        "quantities": {"rows": [], "errors": [], "missing": ["recognizers-number"]},
    }), encoding="utf-8")
    new = Row("quantities", "recognizers-percent", "dev", "1 case", "MIT", "nevextract rules", {"value F1": 50.0}, 10.0)

    class FakeTask:
        FIELD = "quantities"

        @staticmethod
        def run(opts: Options) -> TaskResult:
            return TaskResult(rows=[new])

    real_import = run_mod.importlib.import_module
    monkeypatch.setattr(run_mod.importlib, "import_module",
                        lambda name: FakeTask if name == "accuracy.tasks.quantities" else real_import(name))
    assert run_mod.main(["--data", str(tmp_path), "--field", "quantities", "--out", str(out)]) == 0
    saved = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(saved) == ["_run", "quantities", "dates"]
    assert saved["_run"]["command"].endswith("(rows of dates kept from the previous report)")
    # rendering again from the JSON copy alone gives the same report
    before = out.read_text(encoding="utf-8")
    assert run_mod.main(["--data", str(tmp_path), "--report-only", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == before
    assert saved["quantities"]["rows"][0]["corpus"] == "recognizers-percent"
    assert saved["dates"]["rows"][0]["metrics"] == {"strict F1": 70.0}
    assert "(rows of dates kept from the previous report)" in out.read_text(encoding="utf-8")
