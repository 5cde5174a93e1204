"""The record contract: validation that means something."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from nevextract.cli import main
from nevextract.records import ArticleRecord, DateMention, Organisation, Quantity, Span

BODY = "BYD sold 300,000 cars in March 2025."


def test_span_offsets_must_match_the_body() -> None:
    org = Organisation(name="BYD", mentions=[Span(start=0, end=3, text="BYD")])
    assert ArticleRecord(id="a", body=BODY, organisations=[org]).organisations[0].name == "BYD"
    bad = Organisation(name="BYD", mentions=[Span(start=1, end=4, text="BYD")])
    with pytest.raises(ValidationError, match=r"organisations\[0\]\.mentions\[0\]: body\[1:4\] is 'YD ', not 'BYD'"):
        ArticleRecord(id="a", body=BODY, organisations=[bad])


def test_span_length_must_match_its_text() -> None:
    with pytest.raises(ValidationError, match="has length 2 but its text 'BYD' has length 3"):
        Span(start=0, end=2, text="BYD")


def test_money_units_are_iso_4217() -> None:
    Quantity(start=0, end=4, text="$3bn", value=3e9, unit="USD", kind="money")
    with pytest.raises(ValidationError, match="money unit 'RMB' is not an ISO 4217 currency code"):
        Quantity(start=0, end=4, text="RMB3", value=3, unit="RMB", kind="money")


def test_quantity_kind_is_from_the_closed_list() -> None:
    with pytest.raises(ValidationError, match="Input should be 'money', 'percent'"):
        Quantity(start=0, end=1, text="5", value=5, unit="x", kind="volume")


def test_dates_are_iso_at_their_granularity() -> None:
    assert DateMention(start=0, end=4, text="2025", value="2025", granularity="year").value == "2025"
    DateMention(start=0, end=7, text="Q3 2025", value="2025-Q3", granularity="quarter")
    with pytest.raises(ValidationError, match="'2025-13' is not ISO"):
        DateMention(start=0, end=1, text="x", value="2025-13", granularity="month")
    with pytest.raises(ValidationError, match="is not at granularity 'day'"):
        DateMention(start=0, end=1, text="x", value="2025-03", granularity="day")
    with pytest.raises(ValidationError, match="'2025-02-30' is not ISO"):
        DateMention(start=0, end=1, text="x", value="2025-02-30", granularity="day")


def test_published_is_an_iso_day() -> None:
    with pytest.raises(ValidationError, match="published '2025-03' is not an ISO date"):
        ArticleRecord(id="a", body=BODY, published="2025-03")


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ArticleRecord(id="a", body=BODY, sentiment="positive")


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "ArticleRecord"
    assert {"id", "body", "organisations", "quantities", "dates", "claims"} <= set(schema["properties"])
    assert schema["$defs"]["Quantity"]["properties"]["kind"]["enum"] == [
        "money", "percent", "count", "length", "duration", "energy", "power", "mass", "speed", "other",
    ]


def test_components_are_spacy_factories_by_entry_point() -> None:
    """A user's own pipeline finds the components by name, without importing nevextract."""
    import subprocess
    import sys

    code = (
        "import spacy\n"
        "nlp = spacy.blank('en'); nlp.add_pipe('sentencizer')\n"
        "for f in ('organisations', 'quantities', 'dates', 'claims'): nlp.add_pipe('nevextract_' + f)\n"
        "doc = nlp('BYD sold 300,000 cars in March 2025, the company said.')\n"
        "print([o.name for o in doc._.nev_organisations], [q.value for q in doc._.nev_quantities],"
        " [d.value for d in doc._.nev_dates])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "['BYD'] [300000.0] ['2025-03']"


def test_the_record_reference_in_docs_is_current() -> None:
    import importlib.util
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    spec = importlib.util.spec_from_file_location("make_reference", docs / "make_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (docs / "reference.md").read_text(encoding="utf-8") == module.render(), "run python docs/make_reference.py"
