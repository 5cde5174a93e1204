"""Pattern files: a bad one is reported with its file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.clean.profiles import load_boilerplate
from nevextract.patterns import PatternError, check_regex, pattern_dirs


def test_shipped_patterns_load() -> None:
    model = load_boilerplate(pattern_dirs())
    assert {p.name for p in model.profiles} == {"Global Times", "China Daily", "AdminSo", "Daily8"}
    assert len(model.rules) > 10


def test_bad_gazetteer_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "organisations.jsonl").write_text(
        '{"name": "Acme Motors", "type": "carmaker"}\n'
        '# a comment\n'
        '{"name": "Broken", "aliasses": ["B"]}\n'
        '{"name": \n',
        encoding="utf-8",
    )
    with pytest.raises(PatternError) as err:
        Extractor(mode="rules", patterns=[tmp_path])
    assert [str(p) for p in err.value.problems] == [
        f"{tmp_path / 'organisations.jsonl'}:3: entry: unknown key 'aliasses'",
        f"{tmp_path / 'organisations.jsonl'}:4: bad JSON: Expecting value",
    ]


def test_bad_profile_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "example.yaml").write_text(
        "name: Example Daily\n"
        "match:\n"
        "  hosts: [example.com]\n"
        "boilerplate:\n"
        "  lines: ['^Share this:', '(a+)+$']\n"
        "  afterwards: ['^More$']\n",
        encoding="utf-8",
    )
    with pytest.raises(PatternError) as err:
        load_boilerplate(pattern_dirs([tmp_path]))
    text = [str(p) for p in err.value.problems]
    file = tmp_path / "sources" / "example.yaml"
    assert any(t.startswith(f"{file}:5: boilerplate.lines") and "can backtrack badly" in t for t in text), text
    assert f"{file}:6: boilerplate: unknown key 'afterwards'" in text


def test_user_gazetteer_adds_an_organisation(tmp_path: Path) -> None:
    (tmp_path / "organisations.jsonl").write_text(
        '{"name": "Voltaris", "aliases": ["Voltaris Mobility"], "type": "carmaker"}\n', encoding="utf-8"
    )
    rec = Extractor(mode="rules", patterns=[tmp_path]).extract("Voltaris Mobility said Voltaris grew.", clean=False)
    assert [(o.name, o.aliases, o.type, len(o.mentions)) for o in rec.organisations] == [
        ("Voltaris", ["Voltaris Mobility"], "carmaker", 2)
    ]


@pytest.mark.parametrize("pattern", ["(a+)+", r"(\w*)*x", "(a|b+){2,}"])
def test_regexes_that_backtrack_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="can backtrack badly"):
        check_regex(pattern)


def test_regex_that_does_not_compile_is_refused() -> None:
    with pytest.raises(ValueError, match=r"regex '\(unclosed' does not compile"):
        check_regex("(unclosed")
