"""Issue 18 item 9: a regex that backtracks catastrophically is caught by `patterns check`
(and refused at load), and a rule that runs out of time on a page says so in the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.cli import main
from nevextract.patterns import check_regex

P1 = ("Voltaris Motors said on Tuesday that it sold 12,000 electric cars in February, helped by demand "
      "for its compact hatchback in France and Spain.")
P2 = "The company said it would open a second plant in Spain next year, according to a statement."


def test_a_catastrophic_regex_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        check_regex("^(a|a)*$")
    assert str(caught.value) == (
        "regex '^(a|a)*$' backtracks catastrophically: it ran over 0.25 s on 31 characters ('aaaaaaaaaaaa'… ending in '\\x00')"
    )


@pytest.mark.parametrize("pattern", [r"^Share this\b", r"\b(?:photo|image)s?\s*:", r"^\d{1,2}/\d{1,2}/\d{4}$"])
def test_ordinary_regexes_pass(pattern: str) -> None:
    assert check_regex(pattern) == pattern


def _folder(tmp_path: Path, *patterns: str) -> Path:
    d = tmp_path / "mine"
    d.mkdir()
    entries = "".join(f"- {{reason: promo, pattern: '{p}'}}\n" for p in patterns)
    (d / "boilerplate.yaml").write_text(entries, encoding="utf-8")
    return d


def test_patterns_check_names_the_catastrophic_regex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _folder(tmp_path, "^Share this", "^(a|a)*$")
    assert main(["patterns", "check", str(d)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{d / 'boilerplate.yaml'}:2: pattern: Value error, regex '^(a|a)*$' backtracks catastrophically: "
        "it ran over 0.25 s on 31 characters ('aaaaaaaaaaaa'… ending in '\\x00')"
    ]


def test_patterns_check_finds_a_regex_too_slow_for_a_long_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # cubic, not exponential: quick on a short probe, so loading accepts it, but over the
    # 0.5 s run-time limit on a 5,000-character line
    assert check_regex("a.*b.*c.*d") == "a.*b.*c.*d"
    d = _folder(tmp_path, "a.*b.*c.*d")
    assert main(["patterns", "check", str(d)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{d / 'boilerplate.yaml'}:1: pattern: Value error, regex 'a.*b.*c.*d' is too slow: it ran over the run-time "
        "limit of 0.5 s on a line of 4,901 characters ('abababababab'… ending in '\\x00')"
    ]


def test_a_rule_that_times_out_is_named_in_the_record_warnings(tmp_path: Path) -> None:
    d = _folder(tmp_path, "a.*b.*c.*d!!")
    ex = Extractor(mode="rules", patterns=[d])
    slow = "ab" * 2400  # a 4,800-character line: the rule backtracks for seconds on it
    page = "\n\n".join(["Voltaris sales jump", P1, slow, P2, slow, slow])
    rec = ex.extract(page, id="slow", published="2025-03-04")
    assert rec.body == f"{P1}\n\n{P2}"  # the repeated long line is dropped as a duplicate
    assert rec.warnings == [
        "boilerplate rule 'promo': regex 'a.*b.*c.*d!!' took longer than 0.5 s on a line and was not tried again "
        "on this page (`nevextract patterns check` finds such patterns)"
    ]
