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
