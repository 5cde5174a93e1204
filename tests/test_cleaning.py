"""Generic cleaning rules, each on a page written for it (no seed wording)."""

from __future__ import annotations

import pytest

from nevextract.clean import clean_page
from nevextract.clean.profiles import BoilerplateModel, load_boilerplate
from nevextract.clean.text import clean_text, normalise_text
from nevextract.patterns import pattern_dirs

P1 = ("Lumen Auto said on Monday that deliveries of its new crossover rose sharply in the quarter, "
      "driven by demand in southern European markets.")
P2 = ("The company added that a second battery line would start next spring, and that prices for "
      "its entry model would stay unchanged through the summer.")
P3 = ("Analysts expect further growth as charging networks expand across the region and "
      "subsidies for small fleets continue.")


@pytest.fixture(scope="module")
def model() -> BoilerplateModel:
    return load_boilerplate(pattern_dirs())


def page(*lines: str) -> str:
    return "\n\n".join(lines)


def reasons(model: BoilerplateModel, raw: str) -> dict[str, str]:
    return {r.text: r.reason for r in clean_page(raw, model).removed}


def test_menu_headline_byline_and_footer(model: BoilerplateModel) -> None:
    raw = page(
        "Home | Markets | Tech | Autos | Opinion",
        "Lumen Auto deliveries climb",
        "By Maria Ortiz",
        "Updated: 12 March 2025",
        P1, P2, P3,
        "Share on Facebook",
        "Related Stories",
        "Battery makers cut prices again",
        "© 2025 Northwind Media Ltd. All rights reserved.",
    )
    cleaned = clean_page(raw, model)
    assert cleaned.body == "\n\n".join([P1, P2, P3])
    assert cleaned.title == "Lumen Auto deliveries climb"
    assert cleaned.byline == "Maria Ortiz"
    assert cleaned.published is not None and cleaned.published.isoformat() == "2025-03-12"
    got = {r.text: r.reason for r in cleaned.removed}
    assert got["Home | Markets | Tech | Autos | Opinion"] == "site-chrome"
    assert got["Lumen Auto deliveries climb"] == "headline"
    assert got["By Maria Ortiz"] == "byline"
    assert got["Share on Facebook"] == "share"
    assert got["Related Stories"] == "related-list"
    assert got["Battery makers cut prices again"] == "related-list"


def test_ads_captions_cookies_and_newsletter_lines(model: BoilerplateModel) -> None:
    raw = page(
        "Lumen Auto deliveries climb",
        P1,
        "Advertisement",
        "The new crossover on display in Milan. Photo: Reuters",
        P2,
        "Sign up for our daily newsletter",
        "We use cookies to improve your experience. Accept all cookies",
        P3,
    )
    got = reasons(model, raw)
    assert got["Advertisement"] == "advertisement"
    assert got["The new crossover on display in Milan. Photo: Reuters"] == "caption"
    assert got["Sign up for our daily newsletter"] == "newsletter"
    assert got["We use cookies to improve your experience. Accept all cookies"] == "cookie-notice"
    assert clean_page(raw, model).body == "\n\n".join([P1, P2, P3])


def test_duplicated_paragraph_is_kept_once(model: BoilerplateModel) -> None:
    raw = page("Lumen Auto deliveries climb", P1, P2, P1, P3)
    cleaned = clean_page(raw, model)
    assert cleaned.body == "\n\n".join([P1, P2, P3])
    assert [(r.text, r.reason) for r in cleaned.removed if r.text == P1] == [(P1, "duplicate")]


def test_disclaimer_and_author_bio_end_the_article(model: BoilerplateModel) -> None:
    raw = page(
        "Lumen Auto deliveries climb", P1, P2, P3,
        "About the author",
        "Maria Ortiz covers European carmakers from Madrid.",
        "Disclaimer: The views expressed are the author's own and do not constitute investment advice.",
    )
    cleaned = clean_page(raw, model)
    assert cleaned.body.endswith(P3)
    got = {r.text: r.reason for r in cleaned.removed}
    assert got["About the author"] == "author-bio"


def test_hard_wrapped_lines_are_joined_into_paragraphs(model: BoilerplateModel) -> None:
    wrapped = "Lumen Auto said on Monday that deliveries of its new crossover\nrose sharply in the quarter."
    cleaned = clean_text(page("Lumen Auto deliveries climb", wrapped, P2, P3), model, None)
    assert cleaned.body.split("\n\n")[0] == "Lumen Auto said on Monday that deliveries of its new crossover rose sharply in the quarter."


def test_invisible_and_control_characters_are_removed() -> None:
    assert normalise_text("BYD\u200b sold\u202e cars\x07 today\ufeff") == "BYD sold cars  today"


def test_html_page_main_content_and_removed_chrome(model: BoilerplateModel) -> None:
    html = f"""<html><head><title>Lumen Auto deliveries climb | Northwind</title>
    <meta property="article:published_time" content="2025-03-12T08:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/autos">Autos</a> <a href="/tech">Tech</a></nav>
    <article><h1>Lumen Auto deliveries climb</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>
    <aside><h3>Most read</h3><ul><li><a href="/x">Battery makers cut prices again</a></li></ul></aside>
    <footer>© 2025 Northwind Media Ltd. All rights reserved.</footer></body></html>"""
    cleaned = clean_page(html, model)
    assert cleaned.is_html
    assert cleaned.body == "\n\n".join([P1, P2, P3])
    assert cleaned.published is not None and cleaned.published.isoformat() == "2025-03-12"
    removed = {r.text for r in cleaned.removed}
    assert "Battery makers cut prices again" in removed
    assert "© 2025 Northwind Media Ltd. All rights reserved." in removed


@pytest.mark.parametrize("raw", [
    "a" * 3_000_000,
    "|" * 200_000,
    "<div>" * 50_000 + "text" + "</div>" * 50_000,
    "\n".join(["Share"] * 50_000),
])
def test_hostile_pages_finish(model: BoilerplateModel, raw: str) -> None:
    cleaned = clean_page(raw, model)
    assert isinstance(cleaned.body, str)


def test_contributor_note_related_header_and_conversation_end_the_article(model: BoilerplateModel) -> None:
    raw = page(
        "Lumen Auto deliveries climb", P1, P2, P3,
        "Maria Ortiz covers European carmakers for Autoline Weekly. Reach her at mortiz@autoline.example.",
        "RELATED",
        "Lumen Auto opens second plant in Porto",
        "Join the conversation (4 comments) | Community guidelines",
        "carfan88: Another price cut, nice.",
    )
    cleaned = clean_page(raw, model)
    assert cleaned.body.endswith(P3)
    got = {r.text: r.reason for r in cleaned.removed}
    assert got["Maria Ortiz covers European carmakers for Autoline Weekly. Reach her at mortiz@autoline.example."] == "author-bio"
    assert got["RELATED"] == "related-list"
    assert got["Lumen Auto opens second plant in Porto"] == "related-list"
    assert got["Join the conversation (4 comments) | Community guidelines"] == "comments"


def test_a_sentence_that_mentions_email_is_kept(model: BoilerplateModel) -> None:
    body = "The company said customers who ordered online would receive an email with delivery dates."
    raw = page("Lumen Auto deliveries climb", P1, body, P2, P3)
    assert body in clean_page(raw, model).body


def test_html_wider_reading_is_the_text_when_the_precise_call_keeps_little(monkeypatch: pytest.MonkeyPatch) -> None:
    from nevextract.clean import html as html_mod

    article = "Voltaris Motors opened a plant in Lyon on Monday. " * 10
    calls: list[bool] = []

    def fake(root: object, url: str | None, *, favor_precision: bool) -> dict[str, str]:
        calls.append(favor_precision)
        return {"text": "Reprint notice." if favor_precision else article, "title": "Plant"}

    monkeypatch.setattr(html_mod, "_trafilatura", fake)
    page = html_mod.extract_html("<html><body><article><p>x</p></article></body></html>")
    assert calls == [True, False]
    assert page.text == article and page.title == "Plant"
    assert page.precise is None  # the precise reading says nothing about the wider one's lines
    assert page.warnings == ["the precise extraction kept little: the wider reading is judged on its own"]


def test_html_text_is_the_wider_reading_with_the_precise_lines_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    from nevextract.clean import html as html_mod

    first = "Voltaris Motors opened a plant in Lyon on Monday, its third in France. " * 4
    second = "The plant will build 200,000 battery packs a year from 2027, the company said. " * 4

    def fake(root: object, url: str | None, *, favor_precision: bool) -> dict[str, str]:
        return {"text": f"{first}\n{second}" if favor_precision else f"{first}\nMore from Voltaris\n{second}"}

    monkeypatch.setattr(html_mod, "_trafilatura", fake)
    page = html_mod.extract_html("<html><body><p>x</p></body></html>")
    assert page.text == f"{first}\nMore from Voltaris\n{second}"
    assert page.precise == {first.strip().casefold(), second.strip().casefold()}
    assert page.warnings == []


def test_chinese_prose_counts_its_words_without_spaces() -> None:
    from nevextract.clean.text import word_count

    assert word_count("比亚迪二月份销量同比增长百分之三十，公司周三表示。") == 1 + 23 // 2  # 23 Han characters, two punctuation marks
    assert word_count("BYD sold 300,000 cars") == 4
    assert word_count("首页 | 新闻") == 3 + 4 // 2


def test_html_recall_call_is_not_taken_when_it_finds_only_menu_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    from nevextract.clean import html as html_mod

    def fake(root: object, url: str | None, *, favor_precision: bool) -> dict[str, str]:
        return {"text": "" if favor_precision else "Home\nShop\nAbout the company"}

    monkeypatch.setattr(html_mod, "_trafilatura", fake)
    page = html_mod.extract_html("<html><body><nav>Home</nav></body></html>")
    assert (page.text, page.warnings) == ("", [])


def test_html_main_content_is_kept_when_the_line_rules_would_remove_all_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import nevextract.clean as clean_mod
    from nevextract.clean.html import HtmlPage
    from nevextract.clean.text import TextClean

    story = "Shuji and Walter swapped film rolls in April, shooting Tokyo and Aachen on the same frames."
    page = HtmlPage(text=f"Film swap\n{story}", title="Film swap", published=None, source=None, url=None,
                    visible=["Menu", "Film swap", story], warnings=[])
    monkeypatch.setattr(clean_mod, "extract_html", lambda raw, url: page)
    monkeypatch.setattr(clean_mod, "clean_text", lambda *a, **k: TextClean("", [], None, None, [], [], []))
    cleaned = clean_mod.clean_page("<html><body><p>x</p></body></html>", load_boilerplate(pattern_dirs()), format="html")
    assert cleaned.body == f"Film swap\n\n{story}"
    assert cleaned.warnings == ["the line rules would have removed the whole article: the HTML's main content is kept"]
    assert [(r.text, r.reason) for r in cleaned.removed] == [("Menu", "site-chrome")]


def test_html_without_main_content_is_cleaned_from_its_visible_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import nevextract.clean as clean_mod
    from nevextract.clean.html import HtmlPage

    page = HtmlPage(text="", title=None, published=None, source=None, url=None,
                    visible=["Home | News | Contact", P1, P2, "Share this article"], warnings=[])
    monkeypatch.setattr(clean_mod, "extract_html", lambda raw, url: page)
    cleaned = clean_mod.clean_page("<html><body><div>x</div></body></html>", load_boilerplate(pattern_dirs()), format="html")
    assert cleaned.body == f"{P1}\n\n{P2}"
    assert cleaned.warnings == ["the HTML extraction found no main content: the visible text was cleaned line by line"]


# --------------------------------------------------------------- what the line classifier keeps and drops
# Issue-13 causes, each on a text dump written for the test: the chrome above and below the
# article is the same on every page.
HEAD = ["Home | Cars | Batteries | Opinion", "Lumen Auto unveils the Vela crossover", "By Ana Ruiz", "12 March 2025"]
TAIL = ["Share this article", "Related stories", "Battery makers cut prices again", "© 2025 Northwind Media Ltd"]


def test_a_list_inside_the_article_is_kept(model: BoilerplateModel) -> None:
    specs = ["Key specifications:", "- Range: 520 km (WLTP)", "- Battery: 82 kWh", "- Charging: 10-80% in 18 minutes"]
    cleaned = clean_page("\n".join([*HEAD, P1, *specs, P2, P3, *TAIL]), model)
    assert cleaned.body == "\n\n".join([P1, *specs, P2, P3])
    assert [r.reason for r in cleaned.removed] == [
        "site-chrome", "headline", "byline", "metadata", "share", "related-list", "related-list", "copyright",
    ]


def test_a_table_after_the_last_paragraph_is_kept_not_taken_for_a_menu(model: BoilerplateModel) -> None:
    table = ["The two versions compare as follows:", "Version | Range | Price", "Vela | 520 km | 41,900 euros",
             "Vela Long Range | 610 km | 47,500 euros"]
    cleaned = clean_page("\n".join([*HEAD, P1, P2, *table, *TAIL]), model)
    assert cleaned.body == "\n\n".join([P1, P2, *table])


def test_lines_that_repeat_in_the_article_are_kept_each_time(model: BoilerplateModel) -> None:
    first = ["The Vela comes with:", "- Heat pump: standard", "- Warranty: 8 years"]
    second = ["The Vela Long Range adds:", "- Heat pump: standard", "- Warranty: 8 years"]
    cleaned = clean_page("\n".join([*HEAD, P1, *first, P2, *second, P3, *TAIL]), model)
    assert cleaned.body == "\n\n".join([P1, *first, P2, *second, P3])


def test_related_promo_caption_standfirst_comment_and_wire_lines_are_removed(model: BoilerplateModel) -> None:
    standfirst = "Lumen Auto said on Monday that deliveries of its new crossover rose sharply in the quarter"
    raw = "\n".join([
        "Home | Cars | Batteries | Opinion", "Lumen Auto unveils the Vela crossover", standfirst, "By Ana Ruiz",
        P1, "Enlarge / The Vela crossover on display at the Milan show.", P2,
        "Also read: Battery makers cut prices again as lithium slides",
        "ALSO SEE: Lumen recalls 2,000 vans over a seat-belt fault", P3,
        "(This story has not been edited by Northwind staff and is auto-generated from a syndicated feed.)",
        "What do you think? Let us know in the comments below.", *TAIL,
    ])
    cleaned = clean_page(raw, model)
    assert cleaned.body == "\n\n".join([P1, P2, P3])
    got = {r.text: r.reason for r in cleaned.removed}
    assert got[standfirst] == "standfirst"
    assert got["Enlarge / The Vela crossover on display at the Milan show."] == "caption"
    assert got["Also read: Battery makers cut prices again as lithium slides"] == "promo"
    assert got["ALSO SEE: Lumen recalls 2,000 vans over a seat-belt fault"] == "promo"
    assert got["(This story has not been edited by Northwind staff and is auto-generated from a syndicated feed.)"] == "disclaimer"
    assert got["What do you think? Let us know in the comments below."] == "comments"


def test_a_page_saved_without_its_footer_keeps_its_last_paragraph(model: BoilerplateModel) -> None:
    # the classifier reads the end of a page as footer; the paragraph after kept prose stays
    cleaned = clean_page("\n".join(["Lumen Auto deliveries climb", P1, P2, P3]), model)
    assert cleaned.body == "\n\n".join([P1, P2, P3])


def test_a_tail_marker_under_the_first_paragraph_leaves_that_paragraph_not_an_empty_body(model: BoilerplateModel) -> None:
    # "12 Comments" under the teaser ends the article for the rules: the classifier keeps
    # only paragraphs below it, so the stretch of prose above the marker is the body
    teaser = "How to get your hands on a Vela crossover before the first batch sells out this spring."
    raw = "\n".join(["Lumen Auto deliveries climb", teaser, "12 Comments", P1, P2, P3, *TAIL])
    cleaned = clean_page(raw, model)
    assert cleaned.body == teaser
    assert {r.text: r.reason for r in cleaned.removed}[P1] == "comments"


@pytest.mark.parametrize(("lines", "expected"), [
    (("Lumen Auto deliveries climb", "Created at 2025-03-05 10:12", P1, P2, P3), "2025-03-05"),
    (("Lumen Auto deliveries climb", "March 5, 2025", P1, P2, P3), "2025-03-05"),
    (("Lumen Auto deliveries climb", P1, P2, P3, "Updated 05.03.2025 14:20", "Share this article"), "2025-03-05"),
    # below the body, a date that does not say it is the page's is another article's
    (("Lumen Auto deliveries climb", P1, P2, P3, "Related Stories", "Battery makers cut prices - March 1, 2025"), None),
], ids=["created-at-line", "bare-date-line-above", "updated-line-below", "related-date-below"])
def test_the_publication_date_comes_from_a_timestamp_line_above_or_below_the_body(
    model: BoilerplateModel, lines: tuple[str, ...], expected: str | None
) -> None:
    published = clean_page(page(*lines), model).published
    assert (published.isoformat() if published else None) == expected
