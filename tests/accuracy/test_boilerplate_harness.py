"""The boilerplate task of the accuracy harness: reader, metrics and a run on fixture pages.

The fixture pages under tests/fixtures/accuracy/boilerplate/ are invented; they are laid
out like trafilatura's tests/ folder (evaldata.json + eval/*.html, one page listed but
absent) and like the web-content-extraction-benchmark (ground-truth/*.jsonl + html/<name>/).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from accuracy.core import Counts, Options, TaskResult
from accuracy.metrics.webtext import (
    SnippetCounts,
    count_snippets,
    mean_token_prf,
    norm,
    token_counts,
    token_prf,
    words,
)
from accuracy.readers.webextract import (
    declared_charset,
    decode_html,
    english_share,
    html_lang,
    is_english,
    read_expected_text,
    read_trafilatura_eval,
    read_wceb,
)
from accuracy.tasks import boilerplate
from accuracy.tasks.boilerplate import Output, kept_class, nevextract_misses, text_dump
from nevextract.records import Removed

# ----------------------------------------------------------------------------- metrics: snippets


def test_norm_collapses_white_space_like_trafilatura() -> None:
    assert norm("  one\n\ttwo   three \r\n") == "one two three"
    assert norm("a\x1cb") == "a b"  # stdlib re's \s, as trafilatura's norm uses


def test_count_snippets_per_page() -> None:
    text = "The quick  brown fox\njumps over the fence.\nHome | About"
    counts = count_snippets(
        ["quick brown fox jumps", "lazy dog", "the quick"],  # found, missing, wrong case
        ["Home", "fence.", "Contact"],  # found, found, absent
        text,
    )
    assert counts == SnippetCounts(tp=1, fp=2, fn=2, tn=1)


def test_no_text_is_a_full_miss() -> None:
    assert count_snippets(["a", "b"], ["c", "d", "e"], None) == SnippetCounts(0, 0, 2, 3)
    assert count_snippets(["a"], ["c"], "") == SnippetCounts(0, 0, 1, 1)


def test_snippet_scores_from_summed_counts() -> None:
    total = SnippetCounts(1, 1, 1, 1) + SnippetCounts(2, 0, 1, 3)
    assert total == SnippetCounts(3, 1, 2, 4)
    # P 3/4, R 3/5, F 6/9, accuracy 7/10
    assert total.scores() == {"P": 75.0, "R": 60.0, "F1": 66.7, "accuracy": 70.0}
    assert total.as_counts() == Counts(3, 1, 2)
    assert SnippetCounts().scores() == {"P": 0.0, "R": 0.0, "F1": 0.0, "accuracy": 0.0}


# ----------------------------------------------------------------------------- metrics: tokens


def test_words_are_lower_case_word_runs() -> None:
    assert words("Don't stop-me NOW, 2x!") == ["don", "t", "stop", "me", "now", "2x"]


def test_token_counts_are_a_multiset_overlap() -> None:
    # gold a b b c, extracted b b b d: overlap b b
    assert token_counts("a b b c", "B b b d") == Counts(2, 2, 2)
    assert token_prf("a b b c", "B b b d") == (0.5, 0.5, 0.5)


def test_token_prf_edge_cases() -> None:
    assert token_prf("", None) == (1.0, 1.0, 1.0)
    assert token_prf("", "noise") == (0.0, 1.0, 0.0)
    assert token_prf("gold", None) == (0.0, 0.0, 0.0)
    assert token_prf("gold", "") == (0.0, 0.0, 0.0)


def test_mean_token_prf_is_a_macro_average() -> None:
    # page 1: P 1, R 1/2, F1 2/3; page 2: P 1/2, R 1/2, F1 1/2
    got = mean_token_prf([("a b c d", "a b"), ("x y", "x z")])
    assert got == {"P": 75.0, "R": 50.0, "F1": 58.3, "pages": 2}
    assert mean_token_prf([]) == {"P": 0.0, "R": 0.0, "F1": 0.0, "pages": 0}


# ----------------------------------------------------------------------------- reader


def test_decode_utf8_then_declared_then_guess() -> None:
    assert decode_html("<p>Grüße</p>".encode()) == ("<p>Grüße</p>", "utf-8")
    latin = '<meta charset="ISO-8859-1"><p>Grüße</p>'.encode("latin-1")
    assert decode_html(latin) == ('<meta charset="ISO-8859-1"><p>Grüße</p>', "declared:iso8859-1")
    undeclared = ("<p>" + "Die Straße über den Fluß wird gesperrt. " * 20 + "</p>").encode("cp1252")
    text, how = decode_html(undeclared)
    assert how.startswith("charset_normalizer:")
    assert "Straße über" in text


def test_declared_charset_and_lang() -> None:
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">') == "cp1252"
    assert declared_charset(b'<meta charset="no-such-codec">') is None
    assert declared_charset(b"<p>none</p>") is None
    assert html_lang('<html xml:lang="de-DE" lang="de">') == "de"
    assert html_lang('<html class="x" lang="EN-gb">') == "en"
    assert html_lang("<html><body lang='fr'>") is None


def test_english_share() -> None:
    assert english_share(["the cat and", "the dog"]) == 0.6  # the, and, the of 5 words
    assert english_share(["Die Katze und der Hund"]) == 0.0
    assert english_share([]) == 0.0
    assert is_english(["a full charge of the battery"]) and not is_english(["eine volle Ladung"])


def test_read_trafilatura_eval(fixtures: Path) -> None:
    corpus = read_trafilatura_eval(fixtures / "boilerplate" / "trafilatura" / "tests")
    assert corpus.listed == 4
    assert [p.file for p in corpus.pages] == ["elderwick-depot.html", "tal-buslinie.html", "menu-only.html"]
    assert [(m.file, m.why, m.english) for m in corpus.missing] == [
        ("gone.html", "not found under eval/ or cache/", True)]
    depot, tal, menu = corpus.pages
    assert depot.id == "https://gazette.example/depot"
    assert depot.decoded_by == "utf-8" and depot.lang == "en" and depot.english
    assert depot.without_snippets == ("Ferry timetable changes", "Privacy policy", "Local news")
    assert tal.decoded_by == "declared:iso8859-1" and tal.lang == "de" and not tal.english
    assert "fährt eine neue elektrische Buslinie" in tal.html
    assert menu.with_snippets == ("About the company",)


def test_read_expected_text_jsonl_and_gz(fixtures: Path) -> None:
    root = fixtures / "boilerplate" / "wceb"
    pages, missing = read_expected_text(root / "ground-truth" / "tiny.jsonl", root / "html" / "tiny")
    assert [(p.id, p.url, p.expected) for p in pages] == [
        ("p1", "https://tiny.example/one", "Wind turbines hum over the valley."),
        ("p2", None, "The ferry now runs on batteries."),
    ]
    assert "<footer>Contact</footer>" in pages[1].html  # read from p2.html.gz
    assert missing == ["p3: no p3.html or p3.html.gz"]


def test_read_expected_text_json_mapping(fixtures: Path) -> None:
    root = fixtures / "boilerplate" / "json-truth"
    pages, missing = read_expected_text(root / "ground-truth.json", root / "html")
    assert [(p.id, p.url, p.expected) for p in pages] == [
        ("q1", "https://q.example/1", "Solar roofs are spreading in the north."),
        ("q2", None, "A plain string as the expected text."),
    ]
    assert missing == []


def test_read_wceb_skips_the_held_back_part(fixtures: Path) -> None:
    datasets = read_wceb(fixtures / "boilerplate" / "wceb")
    assert sorted(datasets) == ["tiny"]
    assert [p.id for p in datasets["tiny"][0]] == ["p1", "p2"]


# ----------------------------------------------------------------------------- task helpers


def test_text_dump_is_one_block_per_line() -> None:
    html = "<html><body><h1>Title</h1><p>One   two.</p><ul><li>A</li><li>B</li></ul><script>x=1</script></body></html>"
    assert text_dump(html) == "Title\nOne two.\n* A\n* B"


@pytest.mark.parametrize(("snippet", "cls"), [
    ("12 comments", "comments"),
    ("Share on Facebook", "share/social"),
    ("Get our newsletter", "newsletter/subscription"),
    ("Impressum", "legal/ads/disclaimers"),
    ("Ann Lee is a writer who covers farming.", "author bios"),
    ("Read more", "related links/teasers"),
    ("By Ann Lee", "dates/bylines"),
    ("Mar 4, 2021", "dates/bylines"),
    ("3 days ago", "dates/bylines"),
    ("Made by hand in the valley.", "other sentences (teasers, sidebars)"),
    ("Photo: Ann Lee", "captions/credits"),
    ("Local news", "navigation/short labels"),
    ("A long teaser sentence about something else entirely.", "other sentences (teasers, sidebars)"),
])
def test_kept_class(snippet: str, cls: str) -> None:
    assert kept_class(snippet) == cls


def _page(with_: tuple[str, ...], without: tuple[str, ...]) -> SimpleNamespace:
    return SimpleNamespace(id="p", with_snippets=with_, without_snippets=without)


def test_nevextract_misses_names_causes() -> None:
    page = _page(("kept line", "menu line", "dropped line", "never there"), ("Home", "Share this"))
    record = SimpleNamespace(removed=[Removed(text="a menu line here", reason="menu")])
    out = Output("kept line\n\nShare this", 0.1, None, record)
    dump = "kept line\na menu line here\ndropped line\nHome\nShare this"
    got = [(m.side, m.snippet, m.cause) for m in nevextract_misses(page, "html", out, dump)]  # type: ignore[arg-type]
    assert got == [
        ("lost", "menu line", "removed: menu"),
        ("lost", "dropped line", "trafilatura dropped it"),
        ("lost", "never there", "trafilatura dropped it"),
        ("kept", "Share this", "share/social"),
    ]
    # with trafilatura's own text: what it did not keep is its doing, whatever the label
    got = [m.cause for m in nevextract_misses(page, "html", out, dump, "kept line\ndropped line")]  # type: ignore[arg-type]
    assert got == ["trafilatura dropped it", "lost after trafilatura (not in one removed part)",
                   "trafilatura dropped it", "share/social"]
    got = [m.cause for m in nevextract_misses(page, "text dump", out, dump)]  # type: ignore[arg-type]
    assert got == ["removed: menu", "not in the body nor in one removed block", "not in the text dump", "share/social"]
    failed = Output(None, 0.1, "InputError: cleaning left no article body")
    got = [(m.side, m.cause) for m in nevextract_misses(page, "text dump", failed, dump)]  # type: ignore[arg-type]
    assert got == [("lost", "error record: InputError: cleaning left no article body")] * 4


# ----------------------------------------------------------------------------- run on fixtures


@pytest.fixture(scope="module")
def fixture_run() -> TaskResult:
    data = Path(__file__).resolve().parents[1] / "fixtures" / "accuracy" / "boilerplate"
    return boilerplate.run(Options(data=data, modes=("rules",), peers=False))


def test_run_rows_for_nevextract(fixture_run: TaskResult) -> None:
    got = {(r.corpus, r.split): r.metrics for r in fixture_run.rows}
    assert {r.system for r in fixture_run.rows} == {"nevextract (rules)"}
    assert got == {
        # depot and bus pages all right; the menu-only page is an error record: FN 1, TN 1
        ("trafilatura-eval", "html"): {"P": 100.0, "R": 83.3, "F1": 90.9, "accuracy": 91.7},
        # from the dump the menu-only page is kept whole: its "Shop" is a false positive
        ("trafilatura-eval", "text dump"): {"P": 85.7, "R": 100.0, "F1": 92.3, "accuracy": 91.7},
        ("trafilatura-eval-en", "html"): {"P": 100.0, "R": 75.0, "F1": 85.7, "accuracy": 87.5},
        ("trafilatura-eval-en", "text dump"): {"P": 80.0, "R": 100.0, "F1": 88.9, "accuracy": 87.5},
    }
    sizes = {r.corpus: r.size for r in fixture_run.rows}
    assert sizes == {
        "trafilatura-eval": "3 pages (1 of 4 listed missing), 6 with + 6 without snippets",
        "trafilatura-eval-en": "2 pages (1 of 3 listed missing), 4 with + 4 without snippets",
    }
    assert all(r.words_per_s and r.words_per_s > 0 for r in fixture_run.rows)


def test_run_sweep_lists_error_records(fixture_run: TaskResult) -> None:
    assert [(e.corpus, e.document, e.error) for e in fixture_run.errors] == [
        ("trafilatura-eval (html)", "https://shop.example/", "InputError: cleaning left no article body"),
        ("trafilatura-eval-en (html)", "https://shop.example/", "InputError: cleaning left no article body"),
    ]
    assert fixture_run.missing == []


def test_missing_corpus_and_uninstalled_peers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fixtures: Path) -> None:
    assert boilerplate.run(Options(data=tmp_path, modes=("rules",))).missing == [
        "trafilatura-eval", "trafilatura-eval-en", "trafilatura-eval-heldout", "trafilatura-eval-en-heldout"]
    monkeypatch.setattr(boilerplate, "installed", lambda package: False)
    result = boilerplate.run(Options(data=fixtures / "boilerplate", modes=(), peers=True,
                                     corpora=("trafilatura-eval",)))
    notes = [(r.system.split(" ")[0], r.split, r.metrics, r.note) for r in result.rows[:4]]
    assert [n[:3] for n in notes] == [
        ("trafilatura", "html", {}), ("trafilatura", "html", {}), ("justext", "html", {}), ("justext", "text dump", {})]
    assert notes[0][3] == "not installed: pip install trafilatura"
    baseline = result.rows[4]
    assert baseline.system == "the dump as is (baseline: keep everything)"
    assert baseline.metrics == {"P": 50.0, "R": 100.0, "F1": 66.7, "accuracy": 50.0}
