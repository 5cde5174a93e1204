"""Dates and periods: every form with its exact ISO value, on sentences written for the test.

Most tests run the rules pipeline (spacy.blank + sentencizer + nevextract_dates); the
model's contribution is checked once with a module-scoped hybrid pipeline.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import nevextract.components.dates  # noqa: F401  (registers the factory)
import nevextract.nlp  # noqa: F401
from nevextract import Extractor
from nevextract.normalize.dates import DateVocabulary, DateWord, find_dates, find_time_references, parse_timestamp
from nevextract.patterns import PatternError
from nevextract.records import DateMention
from nevextract.timeml import timeml_spans

# A Wednesday.
PUB = dt.date(2026, 2, 4)


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("nevextract_dates", config={"use_rules": True, "use_model": False, "patterns": []})
    return nlp


def run(nlp: Language, text: str, published: dt.date | None = PUB) -> list[DateMention]:
    doc = nlp.make_doc(text)
    doc._.nev_published = published
    return nlp(doc)._.nev_dates


def values(nlp: Language, text: str, published: dt.date | None = PUB) -> list[tuple[str, str | None]]:
    return [(d.text, d.value) for d in run(nlp, text, published)]


# --------------------------------------------------------------------------- parse_timestamp

@pytest.mark.parametrize(
    ("line", "order", "expected"),
    [
        ("Published: 2025-01-14 10:32", None, dt.date(2025, 1, 14)),
        ("Updated: Jan 14, 2025 09:23 PM", None, dt.date(2025, 1, 14)),
        ("14/01/2025", None, dt.date(2025, 1, 14)),
        ("By Jane Doe | 14 January 2025", None, dt.date(2025, 1, 14)),
        ("2025-09-12T08:00:00Z", None, dt.date(2025, 9, 12)),
        ("Posted Tuesday, March 3rd 2026 at 8:15 am", None, dt.date(2026, 3, 3)),
        ("03/11/2025", "DMY", dt.date(2025, 11, 3)),
        ("03/11/2025", "MDY", dt.date(2025, 3, 11)),
        ("03/11/2025", None, dt.date(2025, 3, 11)),
        ("BEIJING, Nov 11 (Reuters) -", None, None),
        ("Subscribe to our newsletter", None, None),
        ("Record sales in 2024", None, None),
        ("31/02/2025", None, None),
        # dots are written day first; year first is never ambiguous, whatever the separator
        ("Created at 03.05.2024 10:00", None, dt.date(2024, 5, 3)),
        ("03.05.2024", "MDY", dt.date(2024, 3, 5)),
        ("Posted on 2024/05/03", None, dt.date(2024, 5, 3)),
        ("Updated 2024.5.3 09:00", None, dt.date(2024, 5, 3)),
        ("Release v2024.1.2 notes", None, None),
    ],
)
def test_parse_timestamp(line: str, order: str | None, expected: dt.date | None) -> None:
    assert parse_timestamp(line, order) == expected  # type: ignore[arg-type]


# --------------------------------------------------------------------------- absolute forms

@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The filing went out Feb 04, 2026 09:23 PM local time.", ("Feb 04, 2026 09:23 PM", "2026-02-04", "day")),
        ("The plant opened on 4 February 2026 in Pécs.", ("4 February 2026", "2026-02-04", "day")),
        ("The notice is dated 2026-02-04.", ("2026-02-04", "2026-02-04", "day")),
        ("Shipments began in 2024 at the port.", ("2024", "2024", "year")),
        ("The pilot line started in October 2023 near Ulm.", ("October 2023", "2023-10", "month")),
        ("Revenue for fiscal 2024 beat forecasts.", ("fiscal 2024", "2024", "year")),
        ("Its FY25 guidance was cut.", ("FY25", "2025", "year")),
        ("Tariffs date from the 2010s.", ("2010s", "2010", "year")),
    ],
)
def test_absolute_forms(rules_nlp: Language, text: str, found: tuple[str, str, str]) -> None:
    [d] = run(rules_nlp, text)
    assert (d.text, d.value, d.granularity) == found
    assert d.anchor == "absolute"


def test_numeric_date_order(rules_nlp: Language) -> None:
    [d] = run(rules_nlp, "Bids close on 03/11/2025, the agency said.")
    assert (d.value, d.note) == ("2025-03-11", "day and month order unknown: read as month first")
    # the page's other dates show day-first writing
    found = values(rules_nlp, "Bids opened 25/10/2025 and close 03/11/2025.")
    assert found == [("25/10/2025", "2025-10-25"), ("03/11/2025", "2025-11-03")]


def test_site_order_from_profile(rules_nlp: Language) -> None:
    class Profile:
        class dates:  # noqa: N801  (mimics SourceProfile.dates)
            order = "DMY"

    doc = rules_nlp.make_doc("Bids close on 03/11/2025.")
    doc._.nev_published = PUB
    doc._.nev_source_profile = Profile()
    [d] = rules_nlp(doc)._.nev_dates
    assert (d.value, d.note) == ("2025-11-03", None)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Deliveries started on March 4th.", dt.date(2026, 3, 20), ("March 4th", "2026-03-04")),
        ("The board met on Jan. 12 to approve it.", PUB, ("Jan. 12", "2026-01-12")),
        ("The board met on January 12 to approve it.", PUB, ("January 12", "2026-01-12")),
        # well after publication and not in the future tense: last year's
        ("The recall began on November 20 after complaints.", PUB, ("November 20", "2025-11-20")),
        # a plan: the coming one
        ("The company will start deliveries on November 20.", PUB, ("November 20", "2026-11-20")),
    ],
)
def test_yearless_days(rules_nlp: Language, text: str, published: dt.date, expected: tuple[str, str]) -> None:
    [d] = run(rules_nlp, text, published)
    assert (d.text, d.value, d.granularity, d.anchor) == (*expected, "day", "published")


def test_yearless_month_takes_year_written_earlier_in_sentence(rules_nlp: Language) -> None:
    found = run(rules_nlp, "In 2023, the firm cut prices in March.")
    assert [(d.text, d.value, d.anchor) for d in found] == [("2023", "2023", "absolute"), ("March", "2023-03", "context")]


# --------------------------------------------------------------------------- parts and periods

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Output should ramp up in early 2027.", ("early 2027", "2027", "year", None)),
        ("A refresh is planned for mid-2026.", ("mid-2026", "2026", "year", None)),
        ("Prices peaked in late 2022.", ("late 2022", "2022", "year", None)),
        ("Orders fell at the end of June 2025.", ("the end of June 2025", "2025-06", "month", None)),
        ("Margins improved in Q3 2025.", ("Q3 2025", "2025-Q3", "quarter", None)),
        ("Margins improved in H1 2025.", ("H1 2025", "2025-01", "month", "2025-06")),
        ("Margins improved in the first half of 2025.", ("the first half of 2025", "2025-01", "month", "2025-06")),
        ("Sales in the July-September quarter of 2025 rose.",
         ("July-September quarter of 2025", "2025-Q3", "quarter", None)),
        ("The plan covers the years between 2027 and 2030.", ("between 2027 and 2030", "2027", "year", "2030")),
        ("The plan runs from 2027 to 2030.", ("2027 to 2030", "2027", "year", "2030")),
        ("Its 2024-25 season ended.", ("2024-25", "2024", "year", "2025")),
        ("Installations should triple by 2030.", ("2030", "2030", "year", None)),
        ("Exports in January-October 2025 rose.", ("January-October 2025", "2025-01", "month", "2025-10")),
        ("Exports in the first eight months of 2025 rose.",
         ("the first eight months of 2025", "2025-01", "month", "2025-08")),
        # a fiscal year written over two calendar years runs April to March
        ("Sales rose in the 2025-26 financial year.", ("the 2025-26 financial year", "2025-04", "month", "2026-03")),
        ("Revenue for FY2024-25 rose.", ("FY2024-25", "2024-04", "month", "2025-03")),
        ("Revenue for fiscal 2023/2024 rose.", ("fiscal 2023/2024", "2023-04", "month", "2024-03")),
    ],
)
def test_written_periods(rules_nlp: Language, text: str, expected: tuple[str, str, str, str | None]) -> None:
    [d] = run(rules_nlp, text)
    assert (d.text, d.value, d.granularity, d.value_end) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Deliveries hit a record in the third quarter.", dt.date(2025, 11, 2), ("the third quarter", "2025-Q3", None)),
        # the fourth quarter has not begun in February: it is last year's
        ("Deliveries hit a record in the fourth quarter.", PUB, ("the fourth quarter", "2025-Q4", None)),
        ("Its third-quarter results beat forecasts.", dt.date(2025, 11, 2), ("third-quarter", "2025-Q3", None)),
        ("Output doubled in the first half of the year.", dt.date(2025, 8, 1), ("the first half of the year", "2025-01", "2025-06")),
        ("Exports in January-October rose.", dt.date(2025, 11, 10), ("January-October", "2025-01", "2025-10")),
        ("Exports in the first eight months rose.", dt.date(2025, 9, 10),
         ("the first eight months", "2025-01", "2025-08")),
        ("Output has tripled over the past decade.", PUB, ("the past decade", "2016", "2026")),
        # a quarter that ended weeks ago is the one just reported, even in a future sentence
        ("Demand will recover after a weak first quarter.", dt.date(2026, 5, 14), ("first quarter", "2026-Q1", None)),
        # ... but one that ended long ago, in a future sentence, is next year's
        ("The plant will open in the first quarter.", dt.date(2026, 10, 20), ("the first quarter", "2027-Q1", None)),
        # reported speech: "would" speaks of the future, so October is the coming one
        ("She said the line would start in October.", dt.date(2026, 5, 14), ("October", "2026-10", None)),
    ],
)
def test_yearless_periods(rules_nlp: Language, text: str, published: dt.date, expected: tuple[str, str, str | None]) -> None:
    [d] = run(rules_nlp, text, published)
    assert (d.text, d.value, d.value_end) == expected


def test_quarter_after_a_written_quarter_takes_its_year(rules_nlp: Language) -> None:
    text = "Profit rose in the third quarter of 2023. In the fourth quarter it fell."
    found = run(rules_nlp, text)
    assert [(d.value, d.anchor) for d in found] == [("2023-Q3", "absolute"), ("2023-Q4", "context")]


# --------------------------------------------------------------------------- relative forms

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The regulator ruled on Wednesday.", ("Wednesday", "2026-02-04", "day")),
        ("The regulator ruled on Monday.", ("Monday", "2026-02-02", "day")),
        ("The regulator ruled last Tuesday.", ("last Tuesday", "2026-02-03", "day")),
        ("The regulator ruled yesterday.", ("yesterday", "2026-02-03", "day")),
        ("The regulator ruled today.", ("today", "2026-02-04", "day")),
        ("The regulator will rule on Friday.", ("Friday", "2026-02-06", "day")),
        ("Output rose last year.", ("last year", "2025", "year")),
        ("Output rose this February.", ("this February", "2026-02", "month")),
        ("Output rose earlier this month.", ("earlier this month", "2026-02", "month")),
        ("Output rose last month.", ("last month", "2026-01", "month")),
        ("Output rose last quarter.", ("last quarter", "2025-Q4", "quarter")),
        ("Output should rise next year.", ("next year", "2027", "year")),
        ("The plant opened two years ago.", ("two years ago", "2024", "year")),
        ("The plant opened three months ago.", ("three months ago", "2025-11", "month")),
        ("Prices fell late last year.", ("late last year", "2025", "year")),
        ("Prices fell in October last year.", ("October last year", "2025-10", "month")),
        ("Prices will fall early next year.", ("early next year", "2027", "year")),
    ],
)
def test_relative_forms(rules_nlp: Language, text: str, expected: tuple[str, str, str]) -> None:
    [d] = run(rules_nlp, text)
    assert (d.text, d.value, d.granularity, d.anchor) == (*expected, "published")


def test_previous_year_counts_from_the_year_just_discussed(rules_nlp: Language) -> None:
    found = values(rules_nlp, "Sales grew in 2022. They had shrunk in the previous year.")
    assert found == [("2022", "2022"), ("the previous year", "2021")]
    # with no year to count from, publication is the anchor
    [d] = run(rules_nlp, "They had shrunk in the previous year.")
    assert (d.value, d.anchor) == ("2025", "published")


def test_previous_quarter_and_following_month_count_from_the_period_just_discussed(rules_nlp: Language) -> None:
    found = values(rules_nlp, "Deliveries in Q2 should rise by a third from the previous quarter.")
    assert found == [("Q2", "2026-Q2"), ("the previous quarter", "2026-Q1")]
    found = values(rules_nlp, "Sales fell in March 2025. In the following month they recovered.")
    assert found == [("March 2025", "2025-03"), ("the following month", "2025-04")]
    # with no period to count from, publication is the anchor
    [d] = run(rules_nlp, "Output was higher than in the previous quarter.")
    assert (d.value, d.anchor) == ("2025-Q4", "published")


def test_weeks_are_the_months_they_fall_in(rules_nlp: Language) -> None:
    # PUB is Wednesday 4 February 2026: last week ran 26 January - 1 February
    assert [(d.text, d.value, d.value_end, d.granularity) for d in run(rules_nlp, "It signed last week and ships next week.")] == [
        ("last week", "2026-01", "2026-02", "month"), ("next week", "2026-02", None, "month")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profit was 86 billion won in the October-December quarter, from a loss a year earlier.",
         [("October-December quarter", "2025-Q4"), ("a year earlier", "2024-Q4")]),
        ("Margin was 1.8% in Q3 2025, against minus 9.5% in the year-ago quarter.",
         [("Q3 2025", "2025-Q3"), ("the year-ago quarter", "2024-Q3")]),
        ("Sales rose in March 2025 from the same month a year earlier.",
         [("March 2025", "2025-03"), ("the same month a year earlier", "2024-03")]),
        ("Output was higher than a year earlier.", [("a year earlier", "2025")]),
        ("Revenue for the July-September period of 2025 rose.", [("July-September period of 2025", "2025-Q3")]),
    ],
)
def test_a_year_earlier_and_quarter_periods(rules_nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(rules_nlp, text) == expected


def test_relative_date_without_publication_date_stays_null(rules_nlp: Language) -> None:
    found = run(rules_nlp, "Output rose last year and in March, but fell in 2023.", published=None)
    assert [(d.text, d.value, d.granularity) for d in found] == [
        ("last year", None, None), ("March", None, None), ("2023", "2023", "year"),
    ]
    assert found[0].note is not None and "publication date" in found[0].note


def test_several_dates_in_one_phrase(rules_nlp: Language) -> None:
    assert values(rules_nlp, "Losses narrowed in 2021 and 2022.") == [("2021", "2021"), ("2022", "2022")]
    # August lies far after a February publication in a past-tense sentence: last year's
    assert values(rules_nlp, "Rates changed in January and August.") == [
        ("January", "2026-01"), ("August", "2025-08"),
    ]


# --------------------------------------------------------------------------- not dates

@pytest.mark.parametrize(
    "text",
    [
        "The warranty lasts 18 months.",
        "A five-minute charge adds 400 km.",
        "Prices are reviewed each month and every year.",
        "Today, buyers want range.",
        "The firm installed 2,000 charges.",
        "Output rose 2024%.",
        "Theresa May spoke at the show.",
        "Prices may march higher.",
        "Black Friday deals helped.",
        "Super Tuesday results arrived.",
        "Crowds joined the March for Life and the March of the Mothers.",
        "The Long March 5 rocket flew.",
        "Output rose 12.5% year-on-year.",
    ],
)
def test_not_dates(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text) == []


def test_year_and_quantity_in_one_phrase(rules_nlp: Language) -> None:
    assert values(rules_nlp, "It missed the 2025 target of 5 million cars.") == [("2025", "2025")]


def test_year_inside_a_quantity_is_dropped() -> None:
    """A quantity the quantities component found ("2000 units") takes the number."""
    from nevextract.records import Quantity

    nlp = spacy.blank("en")
    finder = nlp.add_pipe("nevextract_dates", config={"use_rules": True, "use_model": False, "patterns": []})
    doc = nlp.make_doc("It sold 2000 units in 2024.")
    doc._.nev_published = PUB
    doc._.nev_quantities = [Quantity(start=8, end=18, text="2000 units", value=2000, unit="unit", kind="count")]
    assert [(d.text, d.value) for d in finder(doc)._.nev_dates] == [("2024", "2024")]


# --------------------------------------------------------------------------- patterns

def test_user_pattern_folder_adds_a_month_spelling(tmp_path: object, rules_nlp: Language) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "dates.yaml").write_text("- {kind: month, value: 9, words: [Setembro]}\n", encoding="utf-8")
    vocab = DateVocabulary.load([folder])
    [d] = find_dates("Sales rose in Setembro 2024.", PUB, vocab)
    assert (d.text, d.value) == ("Setembro 2024", "2024-09")


def test_bad_pattern_file_is_named_with_its_line(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "dates.yaml").write_text("- {kind: month, value: 9, words: [Sept]}\n- {kind: holiday, words: [Christmas]}\n",
                                       encoding="utf-8")
    with pytest.raises(PatternError, match=r"dates\.yaml:2: kind"):
        DateVocabulary.load([folder])


def test_date_word_model_validates() -> None:
    assert DateWord(kind="weekday", value=6, words=["Sunday"]).value == 6
    assert DateWord(kind="set", timex="P1D", words=["daily"]).timex == "P1D"
    with pytest.raises(ValueError, match="a set needs its timex"):
        DateWord(kind="set", words=["daily"])
    with pytest.raises(ValueError, match="only a set has one"):
        DateWord(kind="month", value=1, timex="P1M", words=["January"])
    with pytest.raises(ValueError, match="String should match pattern"):
        DateWord(kind="set", timex="every day", words=["daily"])


# --------------------------------------------------------------------------- robustness

@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 /-.,:'QH") + [
    "May ", "March ", "2025", "the ", "first ", "quarter", "last ", "year", "on ", "Monday", "between ",
    " and ", "early ", "of ", "FY", "Jan. ", "th", "s", "\n", "will ", "ago", "months ", "two ",
]), max_size=60).map("".join),
       st.one_of(st.none(), st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2098, 12, 31))))
def test_offsets_match_and_nothing_crashes(text: str, published: dt.date | None) -> None:
    for d in find_dates(text, published):
        assert text[d.start:d.end] == d.text
        assert d.text.strip() == d.text and d.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_safe(text: str) -> None:
    for d in find_dates(text, PUB):
        assert text[d.start:d.end] == d.text
    parse_timestamp(text)


def test_adversarial_input_completes(rules_nlp: Language) -> None:
    bad = ["1" * 50_000, "2025, " * 8_000, " " * 50_000, "May 1/" * 8_000, "2025-" * 10_000, "the first " * 5_000]
    start = time.perf_counter()
    for text in bad:
        run(rules_nlp, text)
        parse_timestamp(text)
    assert time.perf_counter() - start < 30


# --------------------------------------------------------------------------- the model

@pytest.fixture(scope="module")
def model_nlp() -> Language:
    try:
        return nevextract.nlp.build_pipeline("hybrid")
    except nevextract.nlp.ModelNotFound:
        pytest.skip("no spaCy English model installed")


def test_hybrid_and_statistical_read_the_same_forms(model_nlp: Language) -> None:
    text = "Theresa May said on Tuesday that deliveries rose in the third quarter of 2025."
    found = values(model_nlp, text)
    assert ("Tuesday", "2026-02-03") in found
    assert ("the third quarter of 2025", "2025-Q3") in found
    assert all(t != "May" for t, _ in found)


@pytest.mark.parametrize(("text", "rules", "parsed"), [
    # "plan" is a noun here: the clause of "in July" is "was fired", in the past
    ("He devised the plan after he was fired by the board in July.", "2026-07", "2025-07"),
    ("The king met Bush on Thursday.", "2026-01-29", "2026-01-29"),
    ("The king will meet Bush on Thursday.", "2026-02-05", "2026-02-05"),
    # the future word comes after the date: only the parse links them
    ("In December the plant plans to open a second line.", "2025-12", "2026-12"),
    # a limit, not the time of the past event: the parse leaves it to the default
    ("The company extended the offer to March 10.", "2026-03-10", "2026-03-10"),
    # a modal with a perfect is the past: "may have risen"
    ("Sales may have risen in December, analysts said.", "2025-12", "2025-12"),
], ids=["past-despite-a-noun-of-plans", "past-weekday", "future-weekday", "future-after-the-date", "limit",
        "modal-perfect"])
def test_the_parse_tense_of_the_clause_places_a_yearless_date(
    rules_nlp: Language, model_nlp: Language, text: str, rules: str, parsed: str
) -> None:
    """With the model, the tense of the verb the date belongs to decides; the rules read the
    future words before the date."""
    assert [v for _, v in values(rules_nlp, text)] == [rules]
    assert [v for _, v in values(model_nlp, text)] == [parsed]


def test_without_a_publication_date_a_yearless_month_takes_the_latest_stated_year(rules_nlp: Language) -> None:
    text = "The company reported its 2023 results on Monday. In March, output fell. On 4 June the plant shut."
    found = [(d.text, d.value, d.anchor) for d in run(rules_nlp, text, None)]
    assert found == [
        ("2023", "2023", "absolute"),
        ("Monday", None, "published"),  # a weekday needs the publication date itself
        ("March", "2023-03", "context"),
        ("4 June", "2023-06-04", "context"),
    ]
    # a year stated only later does not reach back
    assert values(rules_nlp, "In March, output fell. Sales in 2023 were flat.", None) == [("March", None), ("2023", "2023")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The Times said in an editorial on Saturday, April 25: the court ruled.", [("Saturday, April 25", "2025-04-25")]),
    ("The fund lost $14 million Friday Oct. 13 alone.", [("Friday Oct. 13", "2025-10-13")]),
    ("It happened on Monday, 2 February, before the vote.", [("Monday, 2 February", "2026-02-02")]),
], ids=["weekday-comma-month-day", "weekday-month-day", "weekday-day-month"])
def test_a_weekday_before_a_date_is_part_of_it(rules_nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    """One date, the one the day and month name, not the weekday nearest publication."""
    assert [(d.text, d.value) for d in run(rules_nlp, text)] == expected


def test_a_hyphenated_adjective_is_no_future_word(rules_nlp: Language) -> None:
    """"lower-than-expected" says nothing of plans: the weekday is the one before publication."""
    text = "Shares fell after lower-than-expected earnings were reported when the market closed Monday."
    assert [(d.text, d.value) for d in run(rules_nlp, text)] == [("Monday", "2026-02-02")]
    text = "Production is expected to start on Monday."
    assert [(d.text, d.value) for d in run(rules_nlp, text)] == [("Monday", "2026-02-09")]


def test_a_named_week_is_a_month_in_the_record_and_a_week_in_timeml(rules_nlp: Language) -> None:
    found = run(rules_nlp, "Sales rose last week and will rise next week.")
    assert [(d.text, d.value, d.timex.value if d.timex else None) for d in found] == [
        ("last week", "2026-01", "2026-W05"), ("next week", "2026-02", "2026-W07"),
    ]


def test_the_first_months_are_a_period_in_the_record_and_a_duration_in_timeml(rules_nlp: Language) -> None:
    [d] = run(rules_nlp, "Sales in the first nine months of 2024 rose 12 percent.")
    assert (d.text, d.value, d.value_end) == ("the first nine months of 2024", "2024-01", "2024-09")
    assert d.timex is not None and (d.timex.type, d.timex.value) == ("DURATION", "P9M")


def test_a_decade_is_its_years_in_the_record_and_three_digits_in_timeml(rules_nlp: Language) -> None:
    [d] = run(rules_nlp, "Prices have not been this low since the 1990s.")
    assert (d.text, d.value, d.value_end) == ("1990s", "1990", "1999")
    assert d.timex is not None and (d.timex.type, d.timex.value) == ("DATE", "199")


def test_words_that_place_the_text_in_time_are_time_references_not_dates() -> None:
    text = ("Sales are now rising and recently beat forecasts. Over the past five years they doubled; "
            "in the past they fell. Its current plan runs into the future. Direct current flows; the current "
            "account fell; the current flows back.")
    dates = find_dates(text, PUB)
    refs = find_time_references(text, [(d.start, d.end) for d in dates] + [(text.index("five years"), text.index("five years") + 10)])
    assert [(r.text, r.timex.value, text[r.start : r.end]) for r in refs] == [
        ("now", "PRESENT_REF", "now"), ("recently", "PAST_REF", "recently"), ("the past", "PAST_REF", "the past"),
        ("current", "PRESENT_REF", "current"), ("the future", "FUTURE_REF", "the future"),
    ]


def test_time_references_are_in_the_record_and_its_timeml(rules_extractor: Extractor) -> None:
    rec = rules_extractor.extract("Sales are now rising, the company said on Monday.", clean=False, published="2026-02-04")
    assert [(r.text, r.timex.value) for r in rec.time_references] == [("now", "PRESENT_REF")]
    assert [(d.text, d.value) for d in rec.dates] == [("Monday", "2026-02-02")]  # a reference is no date
    assert [(rec.body[s:e], t.value) for s, e, t in timeml_spans(rec)] == [("now", "PRESENT_REF"), ("Monday", "2026-02-02")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The World Court Friday rejected the objections.", [("Friday", "2026-01-30")]),
    ("In early trading in Tokyo Monday, the index fell.", [("Monday", "2026-02-02")]),
    ("Also Thursday, Saudi Arabia called for a meeting.", [("Thursday", "2026-01-29")]),
    ("The March accession will let the three countries join.", [("March", "2026-03")]),
], ids=["after-a-name", "after-a-place", "after-a-sentence-adverb", "after-the"])
def test_a_weekday_or_month_after_a_capitalised_word_is_still_a_date(
    rules_nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    """Only the names of the vocabulary ("Black Friday") and a capitalised name before a
    month ("Theresa May") make a name; news puts names right before weekdays all the time."""
    assert values(rules_nlp, text) == expected


def test_a_month_before_for_and_a_name_is_still_a_month(rules_nlp: Language) -> None:
    """Only after an article is it an event's name ("the March for Life", in the not-dates list)."""
    assert values(rules_nlp, "Deliveries rose in March for Tesla and BYD.") == [("March", "2026-03")]


def test_today_inside_a_sentence_is_the_day_of_publication(rules_nlp: Language) -> None:
    assert values(rules_nlp, "In Washington today, the regulator ruled.") == [("today", "2026-02-04")]
    assert values(rules_nlp, "Today, buyers want range. Today's cars go further.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The board met Tuesday night, and the vote is due tomorrow morning.",
     [("Tuesday night", "2026-02-03", "2026-02-03TNI"), ("tomorrow morning", "2026-02-05", "2026-02-05TMO")]),
    ("Talks ran into last night; results come this afternoon.",
     [("last night", "2026-02-03", "2026-02-03TNI"), ("this afternoon", "2026-02-04", "2026-02-04TAF")]),
    ("The plant closes tonight.", [("tonight", "2026-02-04", "2026-02-04TNI")]),
], ids=["weekday-and-tomorrow", "last-night-this-afternoon", "tonight"])
def test_a_part_of_the_day_is_the_day_in_the_record_and_a_time_in_timeml(
    rules_nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    found = run(rules_nlp, text)
    assert [(d.text, d.value, d.timex.value if d.timex else None) for d in found] == expected
    assert {d.timex.type for d in found if d.timex} == {"TIME"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Third-quarter profit rose 10%. In the quarter, deliveries doubled from a year earlier.",
     [("Third-quarter", "2025-Q3"), ("the quarter", "2025-Q3"), ("a year earlier", "2024-Q3")]),
    ("Deliveries rose in the latest quarter, and results for that quarter beat forecasts.",
     [("the latest quarter", "2025-Q4"), ("that quarter", "2025-Q4")]),
    ("Sales in the third quarter rose, against $3 million in the 2024 period and in the year-ago third quarter.",
     [("the third quarter", "2025-Q3"), ("the 2024 period", "2024-Q3"), ("the year-ago third quarter", "2024-Q3")]),
    ("Sales for this year's first quarter will rise; for the quarter a year ago they fell.",
     [("this year's first quarter", "2026-Q1"), ("the quarter a year ago", "2025-Q1")]),
    ("Results for that quarter were weak.", []),
], ids=["named-then-the-quarter", "latest-quarter-then-that", "comparison-periods", "year-before-the-ordinal", "that-without-antecedent"])
def test_the_quarter_is_the_one_the_report_is_about(rules_nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    """"the quarter" and "a year earlier" refer to the quarter the text named; with none named,
    "the latest quarter" is the last one that ended before publication (Q4 2025 for a
    February 2026 page)."""
    assert values(rules_nlp, text) == expected


def test_a_comparison_is_no_base_for_the_next_one(rules_nlp: Language) -> None:
    """"The year-ago results" after "the year-ago quarter" is that quarter, not a year before it."""
    text = "In the third quarter, profit rose. It earned $1 million in the year-ago quarter. The year-ago results were restated."
    assert values(rules_nlp, text) == [("the third quarter", "2025-Q3"), ("the year-ago quarter", "2024-Q3"), ("year-ago", "2024-Q3")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sales rose last summer.", [("last summer", "2025-06", "2025-08", "2025-SU")]),
    ("Output peaked in the winter of 2023.", [("the winter of 2023", "2023-12", "2024-02", "2023-WI")]),
    ("The model arrives in spring 2027.", [("spring 2027", "2027-03", "2027-05", "2027-SP")]),
    ("Prices fell this winter.", [("this winter", "2025-12", "2026-02", "2025-WI")]),
    ("The plant opens next fall.", [("next fall", "2026-09", "2026-11", "2026-FA")]),
    ("The fall in prices hurt margins.", []),
], ids=["last-summer", "winter-of-year", "season-year", "this-winter-in-february", "next-fall", "the-fall-in"])
def test_seasons_are_their_months_in_the_record_and_a_season_in_timeml(
    rules_nlp: Language, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    found = run(rules_nlp, text)
    assert [(d.text, d.value, d.value_end, d.timex.value if d.timex else None) for d in found] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The firm was founded in the 19th century.", [("the 19th century", "1800", "1899", "18")]),
    ("The twentieth century ended.", [("The twentieth century", "1900", "1999", "19")]),
    ("It is the biggest merger this century.", [("this century", "2000", "2099", "20")]),
], ids=["digits", "words", "this-century"])
def test_centuries_are_their_years_in_the_record_and_two_digits_in_timeml(
    rules_nlp: Language, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    found = run(rules_nlp, text)
    assert [(d.text, d.value, d.value_end, d.timex.value if d.timex else None) for d in found] == expected


def test_the_last_week_and_the_past_year_are_whole_expressions(rules_nlp: Language) -> None:
    """TimeML marks "the last week" and "the past year" whole, as the week and year before
    publication; "the last three years" stays a duration and "in the past" a reference."""
    text = "Sales fell during the last week and over the past year, after the last three years of growth."
    found = run(rules_nlp, text)
    assert [(d.text, d.value, d.timex.value if d.timex else None) for d in found] == [
        ("the last week", "2026-01", "2026-W05"), ("the past year", "2025", "2025"),
    ]


def test_a_weekend_is_its_saturday_and_sunday(rules_nlp: Language) -> None:
    """Published on a Wednesday: "over the weekend" in the past is the one just gone, in the
    future the coming one; TimeML names the ISO week's weekend."""
    text = "Sales rose over the weekend. The plant will close over the weekend and again next weekend."
    found = run(rules_nlp, text)
    assert [(d.text, d.value, d.value_end, d.timex.value if d.timex else None) for d in found] == [
        ("the weekend", "2026-01-31", "2026-02-01", "2026-W05-WE"),
        ("the weekend", "2026-02-07", "2026-02-08", "2026-W06-WE"),
        ("next weekend", "2026-02-14", "2026-02-15", "2026-W07-WE"),
    ]
