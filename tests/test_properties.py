"""Property tests: no page crashes the cleaner or the extractor, and every record validates
(which checks body[start:end] == text for every span)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nevextract import ArticleRecord, Extractor, InputError
from nevextract.clean import clean_page
from nevextract.clean.profiles import load_boilerplate
from nevextract.patterns import pattern_dirs

MODEL = load_boilerplate(pattern_dirs())
EXTRACTOR = Extractor(mode="rules")

# pieces that exercise the rules: words of the domain, numbers, quotes, markup, chrome
PIECES = st.sampled_from([
    "BYD", "the China Passenger Car Association (CPCA)", "said", '"', "“", "”", "12.5%", "$3bn", "RMB 777.1 billion",
    "in March", "last year", "Q3 2025", "Share this", "Advertisement", "© 2025 Media Ltd.", "\n", "\n\n", "|", "<p>",
    "</p>", "<div>", "Photo: VCG", "Related Articles", "by Jane Doe", "\u200b", "\u202e", "\x00", "-", "1,200", "\ud800",
])
PAGES = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES)
def test_cleaner_never_crashes(raw: str) -> None:
    page = clean_page(raw, MODEL)
    assert isinstance(page.body, str)
    assert all(isinstance(r.reason, str) and r.reason for r in page.removed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES, st.booleans())
def test_extractor_records_always_validate(raw: str, clean: bool) -> None:
    try:
        rec = EXTRACTOR.extract(raw, id="p", clean=clean, published="2025-06-30")
    except InputError:
        return  # empty page or nothing left after cleaning: reported, not crashed
    again = ArticleRecord.model_validate_json(rec.model_dump_json())
    assert again == rec
    for q in rec.quantities:
        assert rec.body[q.start : q.end] == q.text


# Every gazetteer name, written the ways pages write it: hyphens spaced out, case changed,
# punctuation around it. The organisations component must never fail on any of them.
from nevextract.normalize.organisations import OrganisationPatterns  # noqa: E402

GAZETTEER_NAMES = sorted(OrganisationPatterns.load(()).surface)


def _variant(name: str, hyphen: str, case: str, before: str, after: str) -> str:
    text = name.replace("-", hyphen)
    text = {"as-is": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[case]
    return f"{before}{text}{after}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(GAZETTEER_NAMES), st.sampled_from(["-", " - ", " -", "- ", "–", " – "]),
    st.sampled_from(["as-is", "upper", "lower", "title"]),
    st.sampled_from(["", "(", '"', "the ", "“"]), st.sampled_from(["", ")", "'s", ",", ".", "”", " Co., Ltd."]),
)
def test_every_gazetteer_name_variant_extracts(name: str, hyphen: str, case: str, before: str, after: str) -> None:
    text = f"Sales at {_variant(name, hyphen, case, before, after)} rose 5% in May, it said."
    rec = EXTRACTOR.extract(text, id="g", clean=False, published="2025-06-30")
    for org in rec.organisations:
        for m in org.mentions:
            assert rec.body[m.start : m.end] == m.text


def test_spaced_hyphen_finds_the_gazetteer_name() -> None:
    rec = EXTRACTOR.extract("Mercedes - Benz sales rose. Mercedes-Benz shares fell.", clean=False)
    [org] = rec.organisations
    assert org.name == "Mercedes-Benz"
    assert [(m.start, m.end, m.text) for m in org.mentions] == [(0, 15, "Mercedes - Benz"), (28, 41, "Mercedes-Benz")]
