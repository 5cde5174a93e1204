"""Every example in README.md and docs/*.md runs and shows what the code really does.

- ```python blocks written as doctests (`>>>`) are run with `doctest.testfile`;
- other ```python blocks are executed and must not raise;
- the README's ```json record block must agree with the record of the README's first example;
- every `nevextract ...` command shown (in ```sh blocks and inline code) must parse;
- the annotation example of docs/annotation.md is read by `evaluate` and scores as printed there.

All of it runs in a temporary folder holding a copy of seeds/, the files examples open.
"""

from __future__ import annotations

import argparse
import contextlib
import doctest
import io
import json
import re
import shlex
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nevextract.cli import _parser, main
from nevextract.evaluate import evaluate, load_gold

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
# Files whose examples are doctests: each must attempt at least one.
EXPECTED_DOCTESTS = {"README.md", "docs/usage.md", "docs/tutorial.md"}
PYTHON = {"python", "py", "pycon", "python3"}
SHELL = {"sh", "shell", "bash", "console"}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, dedented, with the line of their opening fence."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        lang = m.group("info").strip().split()[0].lower() if m.group("info").strip() else ""
        out.append(Block(path, text.count("\n", 0, m.start()) + 1, lang, textwrap.dedent(m.group("body"))))
    return out


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


DOCTEST_FILES = [p for p in DOCS if ">>>" in p.read_text(encoding="utf-8")]
PLAIN_PYTHON = [b for p in DOCS for b in blocks(p) if b.lang in PYTHON and ">>>" not in b.text]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like the repository's top, for the files examples open (seeds/)."""
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    return folder


@pytest.fixture
def in_workdir(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workdir)
    return workdir


# ----------------------------------------------------------------------------- doctests


def test_the_expected_files_have_doctests() -> None:
    assert EXPECTED_DOCTESTS <= {rel(p) for p in DOCTEST_FILES}


@pytest.mark.parametrize("path", DOCTEST_FILES, ids=rel)
def test_doctests_pass(path: Path, in_workdir: Path) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = doctest.testfile(
            str(path), module_relative=False, optionflags=OPTIONS, encoding="utf-8", globs={}, report=True,
        )
    assert result.attempted > 0, f"{rel(path)}: no example was run"
    assert result.failed == 0, f"{rel(path)}: {result.failed} of {result.attempted} examples failed\n{out.getvalue()}"


def test_doctest_blocks_start_with_a_prompt() -> None:
    """Code before the first `>>>` of a block would be skipped silently by doctest."""
    bad = [b.where for p in DOCS for b in blocks(p)
           if b.lang in PYTHON and ">>>" in b.text and not b.text.lstrip().startswith(">>>")]
    assert not bad, f"python blocks with code before their first >>>: {bad}"


# ----------------------------------------------------------------------------- plain python blocks


def test_plain_python_blocks_run(in_workdir: Path) -> None:
    """Each ```python block without `>>>` runs as written, in a namespace of its own."""
    failed = []
    for block in PLAIN_PYTHON:
        try:
            exec(compile(block.text, block.where, "exec"), {"__name__": "__doc_example__"})  # noqa: S102
        except Exception as exc:  # noqa: BLE001 - report every block that fails
            failed.append(f"{block.where}: {type(exc).__name__}: {exc}")
    assert not failed, "\n".join(failed)


def test_every_python_block_is_checked() -> None:
    """Each ```python block is either a doctest (run above) or plain code (executed above)."""
    python = [b for p in DOCS for b in blocks(p) if b.lang in PYTHON]
    assert python, "no python examples found: is the fence pattern broken?"
    assert all(">>>" in b.text or b in PLAIN_PYTHON for b in python)
    assert all(b.path in DOCTEST_FILES for b in python if ">>>" in b.text)


# ----------------------------------------------------------------------------- the README record


def mismatches(shown: Any, real: Any, path: str = "$") -> list[str]:
    """Where `shown` (the doc's abridged JSON) disagrees with `real`: every key shown must be
    there with an equal value; lists have the same length; dicts are subsets, recursively."""
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [f"{path}: the doc shows an object, the record has {real!r}"]
        out: list[str] = []
        for key, value in shown.items():
            if key not in real:
                out.append(f"{path}.{key}: not in the record")
            else:
                out += mismatches(value, real[key], f"{path}.{key}")
        return out
    if isinstance(shown, list):
        if not isinstance(real, list):
            return [f"{path}: the doc shows a list, the record has {real!r}"]
        if len(shown) != len(real):
            return [f"{path}: the doc shows {len(shown)} items, the record has {len(real)}: {real!r}"]
        return [m for i, (s, r) in enumerate(zip(shown, real)) for m in mismatches(s, r, f"{path}[{i}]")]
    if isinstance(shown, bool) != isinstance(real, bool) or shown != real:
        return [f"{path}: the doc shows {shown!r}, the record has {real!r}"]
    return []


def test_mismatches_names_the_key_path() -> None:
    real = {"a": [{"x": 1, "y": 2}], "b": {"c": True}, "d": [1, 2]}
    assert mismatches({"a": [{"x": 1}], "b": {}}, real) == []
    assert mismatches({"a": [{"x": 2}]}, real) == ["$.a[0].x: the doc shows 2, the record has 1"]
    assert mismatches({"a": []}, real)[0].startswith("$.a: the doc shows 0 items, the record has 1")
    assert mismatches({"b": {"c": 1}}, real) == ["$.b.c: the doc shows 1, the record has True"]
    assert mismatches({"e": None}, real) == ["$.e: not in the record"]
    assert mismatches({"d": [1, 3]}, real) == ["$.d[1]: the doc shows 3, the record has 2"]


def test_readme_record_block_matches_the_real_record(in_workdir: Path) -> None:
    readme = blocks(ROOT / "README.md")
    first = next(i for i, b in enumerate(readme) if b.lang in PYTHON)
    example = readme[first]
    shown_block = next(b for b in readme[first + 1:] if b.lang == "json")
    # Run the README's first example on its own and take the `rec` it makes.
    test = doctest.DocTestParser().get_doctest(example.text, {}, "README example", example.where, example.line)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    runner.run(test, out=out.write, clear_globs=False)
    assert runner.failures == 0, out.getvalue()
    real = test.globs["rec"].model_dump(mode="json")
    shown = json.loads(shown_block.text)
    problems = mismatches(shown, real)
    assert not problems, f"{shown_block.where} disagrees with the record:\n" + "\n".join(problems)


# ----------------------------------------------------------------------------- commands


def _commands(path: Path) -> Iterator[tuple[str, list[str], bool]]:
    """(where, arguments after `nevextract`, complete?) of every command shown in a file: those of
    shell blocks are complete commands, those in inline code may name a command and a flag only."""
    text = path.read_text(encoding="utf-8")
    for b in blocks(path):
        if b.lang in SHELL:
            for n, line in enumerate(b.text.replace("\\\n", " ").splitlines()):
                yield from _in_line(f"{rel(b.path)}:{b.line + 1 + n}", line, True)
    outside = _FENCE.sub("", text)
    for span in re.findall(r"`([^`\n]+)`", outside):
        if re.match(r"(\S*/)?nevextract\s", span + " "):
            yield from _in_line(f"{rel(path)}: `{span}`", span, False)


def _in_line(where: str, line: str, complete: bool) -> Iterator[tuple[str, list[str], bool]]:
    try:
        tokens = shlex.split(line, comments=True)
    except ValueError:
        return
    segment: list[str] = []
    for token in [*tokens, "|"]:
        if token in {"|", "||", "&&", ";"}:
            if segment and (segment[0] == "nevextract" or segment[0].endswith("/nevextract")):
                yield where, segment[1:], complete
            segment = []
        else:
            segment.append(token)


ALL_COMMANDS = [c for p in DOCS for c in _commands(p)]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_commands_are_found() -> None:
    assert sum(complete for _, _, complete in ALL_COMMANDS) > 15
    assert sum(not complete for _, _, complete in ALL_COMMANDS) > 5


def test_every_command_shown_exists_with_its_flags() -> None:
    """Shell lines parse as they are; inline mentions name a real command and real flags."""
    bad = []
    for where, args, complete in ALL_COMMANDS:
        if not args and not complete:  # the program named in prose: `.venv/bin/nevextract`
            continue
        parser = _parser()
        words = [a for a in args if not a.startswith("-")]
        command, subs = parser, _subparsers(parser)
        for word in words[:2]:  # `patterns check`
            if word not in subs:
                break
            command, subs = subs[word], _subparsers(subs[word])
        if command is parser:
            bad.append(f"{where}: no such command")
            continue
        known = {o for a in command._actions for o in a.option_strings}
        bad += [f"{where}: no option {a}" for a in args if a.startswith("-") and a != "-" and a.split("=")[0] not in known]
        if complete:
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err):
                    parser.parse_args(args)
            except SystemExit:
                bad.append(f"{where}: {err.getvalue().strip().splitlines()[-1]}")
    assert not bad, "\n".join(bad)


def test_the_tutorial_uses_the_environment_it_activates() -> None:
    text = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in text
    assert "../shared" not in text and "GOLD_FORMAT" not in text
    assert "annotation.md" in text and "docs/annotation.md" in (ROOT / "README.md").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the annotation example


def test_annotation_example_scores_as_documented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = ROOT / "docs" / "annotation.md"
    found = blocks(doc)
    texts = [b for b in found if b.lang == "text"]
    gold_block, pred_block = [b for b in found if b.lang == "json"]
    page, table = texts[0].text, texts[-1].text
    ident = re.search(r"`([\w-]+)\.gold\.json`", doc.read_text(encoding="utf-8")).group(1)
    assert f"`{ident}.txt`" in doc.read_text(encoding="utf-8")

    gold = json.loads(gold_block.text)
    pred = json.loads(pred_block.text)
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / f"{ident}.txt").write_text(page, encoding="utf-8")
    (folder / f"{ident}.gold.json").write_text(gold_block.text, encoding="utf-8")
    assert load_gold(folder) == {ident: gold}

    # The annotation is of that page: its snippets and texts are in it.
    snippets = [*gold["body_must_contain"], *gold["body_must_not_contain"],
                *(q["text"] for q in gold["quantities"]), *(d["text"] for d in gold["dates"]),
                *(c["content_snippet"] for c in gold["claims"])]
    flat = " ".join(page.split())
    assert [s for s in snippets if s not in flat] == []

    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps(pred) + "\n", encoding="utf-8")
    assert pred["id"] == ident
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(folder), str(predictions)]) == 0
    printed = capsys.readouterr().out

    def lines(s: str) -> list[str]:
        return [line.rstrip() for line in s.strip("\n").splitlines()]

    assert lines(printed) == lines(table)
    # The explanations under the table, item by item.
    fields = evaluate(folder, predictions).articles[0].fields
    assert fields["organisations"].false_positives == ("szeged",)
    assert fields["quantities"].false_positives == ("('money', 4000000000.0, 'USD')",)
    assert fields["quantities"].false_negatives == ("('money', 4000000000.0, 'EUR')",)
    assert fields["dates"].false_negatives == ("2025-03-05",)
    assert fields["claims"].false_positives == ("Reuters: BYD Co. Ltd said on Wednesday it had started production",)
    assert (fields["claims"].found, fields["claims"].correct) == (3, 3)
