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


INDIAN_PAGE = "\n\n".join([
    "Deccan Charge Daily",
    "Posted 14/05/2024",
    "Volta Motors said revenue for FY24 rose 40%, and it expects this fiscal year to be stronger still as "
    "new electric scooters reach dealers across southern states.",
    "The company's FY2022-23 revenue had doubled, and 1H24 sales already matched all of FY23.",
])


@pytest.mark.parametrize(("named_by", "fy24", "this_year"), [
    ("end", ("2023-04", "2024-03"), ("2024-04", "2025-03")),  # India: FY24 ends in March 2024
    ("start", ("2024-04", "2025-03"), ("2024-04", "2025-03")),  # Japan: FY2024 begins in April 2024
])
def test_a_profile_says_how_the_site_counts_fiscal_years(
    tmp_path: Path, named_by: str, fy24: tuple[str, str], this_year: tuple[str, str]
) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "deccan.yaml").write_text(
        "name: Deccan Charge Daily\nmatch:\n  signatures: [\"Deccan Charge Daily\"]\n"
        f"dates:\n  order: DMY\n  fiscal_year: {{starts: 4, named_by: {named_by}}}\n", encoding="utf-8",
    )
    rec = Extractor(mode="rules", patterns=[tmp_path]).extract(INDIAN_PAGE, id="in")
    assert rec.published == "2024-05-14"
    dates = {d.text: (d.value, d.value_end, d.timex.value if d.timex else None) for d in rec.dates}
    assert dates["FY24"] == (*fy24, "2024")
    assert dates["this fiscal year"] == (*this_year, "2025" if named_by == "end" else "2024")
    assert dates["FY2022-23"] == ("2022-04", "2023-03", "2023")
    assert dates["1H24"] == ("2024-01", "2024-06", "2024-H1")
    # without the profile a fiscal year is its label's year: a company's fiscal year is its own
    plain = Extractor(mode="rules").extract(INDIAN_PAGE, id="in")
    assert {d.text: d.value for d in plain.dates}["FY24"] == "2024"


def test_the_profile_day_month_order_holds_in_the_body_too(user_dir: Path) -> None:
    """The issue's record held 03/11/2025 as 2025-11-03 in `published` and 2025-03-11 in `dates`."""
    page = PAGE.replace("Analysts said", "Bids for the new hall close on 04/12/2025. Analysts said")
    rec = Extractor(mode="rules", patterns=[user_dir]).extract(page, id="p")
    assert rec.published == "2025-11-03"
    assert [(d.text, d.value, d.note) for d in rec.dates if "/" in d.text] == [("04/12/2025", "2025-12-04", None)]
    plain = Extractor(mode="rules").extract(page, id="p")
    assert [(d.text, d.value) for d in plain.dates if "/" in d.text] == [("04/12/2025", "2025-04-12")]
