"""Teaching nevextract a new site from the docs alone: a profile in the user's folder fixes that
site's boilerplate and date order; a broken profile is named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevextract import Extractor
from nevextract.cli import main

# A made-up site. Its chrome is worded so that no generic rule knows it.
PAGE = "\n\n".join([
    "Harbourline Motoring Gazette",
    "Harbourline Motoring Gazette",
    "Posted 03/11/2025",
    "Tidewater Motors said it delivered 4,200 electric vans in October, more than twice its total a year earlier, "
    "as fleet operators in northern ports replaced diesel models.",
    "The company plans to open a second assembly hall next spring and expects deliveries to keep rising.",
    "Kelp of the week: our tide tables for the coming weekend are printed on page four, with the harbour master's notes.",
    "Analysts said the van market would stay strong while fuel prices remain high.",
    "Harbourline reader club: members get free tide charts",
    "Rate this story",
    "Tidewater rivals cut prices on compact vans",
])

# The profile as docs/usage.md ("A site profile") shows it, filled in for this site.
PROFILE = """\
name: Harbourline Motoring Gazette
match:
  hosts: [harbourline.example]
  signatures: ["Harbourline Motoring Gazette"]
boilerplate:
  lines: ['^Kelp of the week:', {pattern: '^Harbourline reader club:', reason: promo}]
  after: ['^Rate this story$']
dates:
  order: DMY
"""


@pytest.fixture()
def user_dir(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "harbourline.yaml").write_text(PROFILE, encoding="utf-8")
    return tmp_path


def test_profile_fixes_boilerplate_and_date_order(user_dir: Path) -> None:
    before = Extractor(mode="rules").extract(PAGE, id="p")
    assert "Kelp of the week" in before.body
    assert before.published == "2025-03-11"  # month first: the wrong reading for this site
    after = Extractor(mode="rules", patterns=[user_dir]).extract(PAGE, id="p")
    assert after.source == "Harbourline Motoring Gazette"
    assert after.published == "2025-11-03"
    assert after.body.startswith("Tidewater Motors said it delivered 4,200 electric vans in October")
    assert after.body.endswith("while fuel prices remain high.")
    removed = {r.text: r.reason for r in after.removed}
    assert removed["Kelp of the week: our tide tables for the coming weekend are printed on page four, with the harbour master's notes."] == "site-profile:Harbourline Motoring Gazette"
    assert removed["Harbourline reader club: members get free tide charts"] == "promo"
    assert removed["Tidewater rivals cut prices on compact vans"] == "site-profile:Harbourline Motoring Gazette"
    assert [d.value for d in after.dates if d.text == "October"] == ["2025-10"]


def test_profile_from_the_environment_variable(user_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEVEXTRACT_PATTERNS", str(user_dir))
    assert main(["sources"]) == 0
    rows = [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == "Harbourline Motoring Gazette harbourline.example"  # the user's profile is tried first
    rec = Extractor(mode="rules").extract(PAGE, id="p", url="https://www.harbourline.example/vans")
    assert rec.published == "2025-11-03"


def test_broken_profile_is_reported_with_file_and_line(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = user_dir / "sources" / "broken.yaml"
    bad.write_text("name: Broken Site\nmatch:\n  hosts: [broken.example]\ndates:\n  order: YMD\n", encoding="utf-8")
    assert main(["patterns", "check", str(user_dir)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"{bad}:5: dates.order: Input should be 'DMY' or 'MDY'"), out
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    assert main(["patterns", "check", str(user_dir)]) == 1
    # the YAML parser notices the missing bracket where the file ends, on line 2
    assert capsys.readouterr().out.startswith(f"{bad}:2: bad YAML: expected ',' or ']'")


def test_check_passes_on_a_good_folder(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["patterns", "check", str(user_dir)]) == 0
    assert "patterns OK" in capsys.readouterr().err
