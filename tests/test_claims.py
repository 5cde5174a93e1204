"""Claims: every direct and reported form, with exact speaker, role, organisation, cue, kind
and content span, on sentences written for the test.

Most tests run the rules pipeline (spacy.blank + sentencizer + nevextract_claims); the
model's contribution (a PERSON entity resolving a pronoun) is checked once with a
module-scoped hybrid pipeline.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import nevextract.components.claims  # noqa: F401  (registers the factory)
from nevextract import Extractor
import nevextract.nlp  # noqa: F401
from nevextract.components.claims import load_lexicon
from nevextract.components.quotes import find_quotes
from nevextract.normalize.names import looks_like_person_name, refers_to
from nevextract.patterns import PatternError
from nevextract.records import Claim, DateMention, Organisation, Quantity, Span


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("nevextract_claims", config={"use_rules": True, "use_model": False, "patterns": []})
    return nlp


def run(nlp: Language, text: str, **ext: object) -> list[Claim]:
    doc = nlp.make_doc(text)
    for name, value in ext.items():
        setattr(doc._, name, value)
    return nlp(doc)._.nev_claims


def only(claims: list[Claim]) -> Claim:
    assert len(claims) == 1, [c.model_dump() for c in claims]
    return claims[0]


def check(c: Claim, text: str, *, speaker: str, cue: str, kind: str, content: str,
          role: str | None = None, organisation: str | None = None, named: bool = True) -> None:
    """Exact fields, and the content's span is where that content stands in the text."""
    assert (c.speaker, c.cue, c.kind, c.role, c.organisation, c.speaker_named) == (
        speaker, cue, kind, role, organisation, named
    )
    start = text.index(content)
    assert (c.content, c.start, c.end) == (content, start, start + len(content))


# --------------------------------------------------------------------------- direct quotes


def test_quote_then_said_speaker_with_apposition(rules_nlp: Language) -> None:
    text = '"Battery prices will keep falling through next year," said Mei Hong, a senior analyst at Orbis Research.'
    check(only(run(rules_nlp, text)), text, speaker="Mei Hong", cue="said", kind="direct",
          content="Battery prices will keep falling through next year", role="senior analyst",
          organisation="Orbis Research")


def test_quote_then_speaker_said_curly_marks(rules_nlp: Language) -> None:
    text = "“Dealers are cutting prices every week,” Tom Baker said."
    check(only(run(rules_nlp, text)), text, speaker="Tom Baker", cue="said", kind="direct",
          content="Dealers are cutting prices every week")


def test_speaker_said_colon_before_quote(rules_nlp: Language) -> None:
    text = 'Rosa Lind said: "We will open two more plants in Spain."'
    check(only(run(rules_nlp, text)), text, speaker="Rosa Lind", cue="said", kind="direct",
          content="We will open two more plants in Spain")


def test_colon_after_free_verb_phrase(rules_nlp: Language) -> None:
    text = 'Omar Said, a fleet manager in Dubai, summed it up: "Charging is the only thing that matters."'
    check(only(run(rules_nlp, text)), text, speaker="Omar Said", cue="summed it up", kind="direct",
          content="Charging is the only thing that matters", role="fleet manager")


def continued(c: Claim, text: str) -> list[str]:
    assert all(text[p.start : p.end] == p.text for p in c.continued)
    return [p.text for p in c.continued]


def test_split_quote_is_one_claim_that_goes_on(rules_nlp: Language) -> None:
    """A quotation that goes on as a sentence of its own after its attribution is one claim,
    as a reader (and PolNeAR) counts it; the second part is kept as its continuation."""
    text = '"Exports doubled in the spring," Li Na said. "The autumn will be slower."'
    c = only(run(rules_nlp, text))
    check(c, text, speaker="Li Na", cue="said", kind="direct", content="Exports doubled in the spring")
    assert continued(c, text) == ["The autumn will be slower"]


def test_quote_interrupted_mid_sentence(rules_nlp: Language) -> None:
    text = '"Demand is soft," Li Na said, "but orders for vans are rising again."'
    c = only(run(rules_nlp, text))
    check(c, text, speaker="Li Na", cue="said", kind="direct", content="Demand is soft")
    assert continued(c, text) == ["but orders for vans are rising again"]


def test_a_second_quote_with_its_own_cue_is_a_second_claim(rules_nlp: Language) -> None:
    text = '"Demand is soft," Li Na said. She added: "Orders for vans are rising again."'
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Li Na", cue="said", kind="direct", content="Demand is soft")
    assert continued(first, text) == []
    check(second, text, speaker="Li Na", cue="added", kind="direct", content="Orders for vans are rising again")


def test_a_continuation_links_what_it_names(rules_extractor: Extractor) -> None:
    text = '"Exports doubled in the spring," Li Na said. "Sales will reach 40,000 cars in 2026."'
    rec = rules_extractor.extract(text, clean=False, published="2025-05-01")
    c = only(rec.claims)
    assert continued(c, text) == ["Sales will reach 40,000 cars in 2026"]
    assert [rec.quantities[k].text for k in c.links.quantities] == ["40,000 cars"]
    assert [rec.dates[k].text for k in c.links.dates] == ["the spring", "2026"]  # a season is a date


def test_quote_over_two_paragraphs(rules_nlp: Language) -> None:
    text = ('Paul Ames said: "The first plant is full and the second is late.\n\n'
            '"We will need a third by the end of the decade."')
    c = only(run(rules_nlp, text))
    content = 'The first plant is full and the second is late.\n\n"We will need a third by the end of the decade'
    check(c, text, speaker="Paul Ames", cue="said", kind="direct", content=content)


def test_stray_quote_mark_does_not_break_later_quotes(rules_nlp: Language) -> None:
    text = ('The brochure said 12" screens were standard.\n\n'
            '"Nobody asked for a bigger screen," said Ana Costa.')
    brochure, costa = run(rules_nlp, text)
    # a document as speaker is an unnamed one; the inch mark does not open a quote
    check(brochure, text, speaker="The brochure", cue="said", kind="indirect",
          content='12" screens were standard', named=False)
    check(costa, text, speaker="Ana Costa", cue="said", kind="direct", content="Nobody asked for a bigger screen")


def test_partial_quote_after_description_resolves_to_company(rules_nlp: Language) -> None:
    text = ('Voltra Motors said on Monday that its Austin plant would reopen. '
            'The line "is running at full speed again", the company added.')
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Voltra Motors", cue="said", kind="indirect",
          content="its Austin plant would reopen", organisation="Voltra Motors")
    check(second, text, speaker="Voltra Motors", cue="added", kind="direct",
          content="is running at full speed again", organisation="Voltra Motors")


# --------------------------------------------------------------------------- reported speech


def test_said_that(rules_nlp: Language) -> None:
    text = "Hana Mori said that solid-state cells would reach cars by 2028."
    check(only(run(rules_nlp, text)), text, speaker="Hana Mori", cue="said", kind="indirect",
          content="solid-state cells would reach cars by 2028")


def test_told_listener_on_day_that(rules_nlp: Language) -> None:
    text = ("Cui Wen, secretary-general of the Northern Dealers Association, told the Daily Ledger "
            "on Tuesday that stock levels had fallen for three months.")
    check(only(run(rules_nlp, text)), text, speaker="Cui Wen", cue="told", kind="indirect",
          content="stock levels had fallen for three months", role="secretary-general",
          organisation="Northern Dealers Association")


def test_content_then_organisation_said(rules_nlp: Language) -> None:
    text = "Sales of electric buses rose 14 percent in May, the Federal Transit Agency said on Friday."
    check(only(run(rules_nlp, text)), text, speaker="Federal Transit Agency", cue="said", kind="indirect",
          content="Sales of electric buses rose 14 percent in May", organisation="Federal Transit Agency")


def test_according_to_first_and_last(rules_nlp: Language) -> None:
    text = ("According to the Grid Operators Council, peak demand grew 8 percent last winter. "
            "Most new chargers were built along motorways, according to a survey by Plugwise Analytics.")
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Grid Operators Council", cue="According to", kind="indirect",
          content="peak demand grew 8 percent last winter", organisation="Grid Operators Council")
    check(second, text, speaker="Plugwise Analytics", cue="according to", kind="indirect",
          content="Most new chargers were built along motorways", organisation="Plugwise Analytics")


@pytest.mark.parametrize("verb", ["noted", "stressed", "warned", "added", "says", "estimated", "highlighted"])
def test_reporting_verbs(rules_nlp: Language, verb: str) -> None:
    text = f"Ivo Petrov {verb} that the grid needs new storage within five years."
    check(only(run(rules_nlp, text)), text, speaker="Ivo Petrov", cue=verb, kind="indirect",
          content="the grid needs new storage within five years")


@pytest.mark.parametrize("verb", ["urged", "proposed"])
def test_verbs_with_object_content(rules_nlp: Language, verb: str) -> None:
    text = f"Ivo Petrov {verb} regulators to publish charger prices every month."
    check(only(run(rules_nlp, text)), text, speaker="Ivo Petrov", cue=verb, kind="indirect",
          content="regulators to publish charger prices every month")


def test_possessive_analysis_shows(rules_nlp: Language) -> None:
    text = "Kestrel Capital's analysis shows that used EV prices have stabilised."
    check(only(run(rules_nlp, text)), text, speaker="Kestrel Capital", cue="analysis shows", kind="indirect",
          content="used EV prices have stabilised", organisation="Kestrel Capital")


def test_the_report_said_resolves_to_report_author(rules_nlp: Language) -> None:
    text = ("Battery recycling capacity will triple by 2030, according to a report by Norden Institute. "
            "Most of it will be built in Asia, the report said.")
    first, second = run(rules_nlp, text)
    assert first.speaker == second.speaker == "Norden Institute"
    check(second, text, speaker="Norden Institute", cue="said", kind="indirect",
          content="Most of it will be built in Asia", organisation="Norden Institute")


def test_announced_needs_that_clause(rules_nlp: Language) -> None:
    assert run(rules_nlp, "Voltra Motors announced a $2 billion investment in Ohio.") == []
    text = "Voltra Motors announced that it would build a plant in Ohio."
    check(only(run(rules_nlp, text)), text, speaker="Voltra Motors", cue="announced", kind="indirect",
          content="it would build a plant in Ohio", organisation="Voltra Motors")


# --------------------------------------------------------------------------- speakers


def test_surname_and_pronoun_resolve_to_full_name(rules_nlp: Language) -> None:
    text = ('"Prices are too high," said Karin Holm, a researcher at Baltic Energy Institute. '
            "Holm said subsidies would return. She added that charging is still scarce.")
    claims = run(rules_nlp, text)
    assert [c.speaker for c in claims] == ["Karin Holm"] * 3
    assert [c.cue for c in claims] == ["said", "said", "added"]
    assert claims[2].content == "charging is still scarce"
    assert claims[1].organisation == "Baltic Energy Institute"


def test_description_prefers_the_association_that_spoke_most(rules_nlp: Language) -> None:
    text = ("Output rose 4 percent, the Northern Car Association said. "
            "Prices fell for a third month, the Northern Car Association said. "
            "Exports grew 3 percent, the Southern Dealers Association said. "
            "Looking ahead, the association forecast that sales would reach 2 million units.")
    claims = run(rules_nlp, text)
    assert claims[-1].speaker == "Northern Car Association"
    assert claims[-1].content == "sales would reach 2 million units"


def test_it_resolves_to_the_last_organisation_speaker(rules_nlp: Language) -> None:
    text = "Zenko Power said its margins improved. It expects to start a second line in June."
    claims = run(rules_nlp, text)
    assert [(c.speaker, c.cue, c.content) for c in claims] == [
        ("Zenko Power", "said", "its margins improved"),
        ("Zenko Power", "expects", "to start a second line in June"),
    ]


def test_title_before_name(rules_nlp: Language) -> None:
    text = "Voltra chairman Wang Lei said the company would enter Brazil next year."
    check(only(run(rules_nlp, text)), text, speaker="Wang Lei", cue="said", kind="indirect",
          content="the company would enter Brazil next year", role="chairman", organisation="Voltra")


def test_unnamed_speakers_are_flagged(rules_nlp: Language) -> None:
    text = "Industry analysts said that discounting will spread to hybrids."
    check(only(run(rules_nlp, text)), text, speaker="Industry analysts", cue="said", kind="indirect",
          content="discounting will spread to hybrids", named=False)


def test_unresolvable_pronoun_is_kept_as_written_unnamed(rules_nlp: Language) -> None:
    """As an unresolved description is: the claim is real, its speaker unknown to the text."""
    text = "He said the plant would close."
    check(only(run(rules_nlp, text)), text, speaker="He", cue="said", kind="indirect",
          content="the plant would close", named=False)
    assert run(rules_nlp, "It expects the plant to close.") == []  # a weak cue still needs a named speaker


# --------------------------------------------------------------------------- not claims


@pytest.mark.parametrize("text", [
    'The course was called "English 101" and ran all year.',
    'The so-called "price war" hurt margins.',
    'The firm launched the "Aurora Max" with a bigger pack.',
    '"Electric Dreams: The Race For Batteries"',
    "The United States tightened rules on imports.",
])
def test_not_claims(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text) == []


# --------------------------------------------------------------------------- links


def test_links_to_organisations_quantities_and_dates(rules_nlp: Language) -> None:
    text = "Nadia Rahm said Voltra Motors sold 12,000 cars in March."
    org_at = text.index("Voltra Motors")
    qty = "12,000 cars"
    date = "March"
    orgs = [Organisation(name="Voltra Motors", mentions=[Span(start=org_at, end=org_at + 13, text="Voltra Motors")])]
    qs = [Quantity(text=qty, start=text.index(qty), end=text.index(qty) + len(qty), value=12000, unit="car", kind="count")]
    ds = [DateMention(text=date, start=text.index(date), end=text.index(date) + len(date), value="2026-03", granularity="month")]
    c = only(run(rules_nlp, text, nev_organisations=orgs, nev_quantities=qs, nev_dates=ds))
    assert c.links.model_dump() == {"organisations": ["Voltra Motors"], "quantities": [0], "dates": [0]}


def test_missing_inputs_are_handled(rules_nlp: Language) -> None:
    text = "Nadia Rahm said Voltra Motors sold 12,000 cars in March."
    c = only(run(rules_nlp, text, nev_organisations=None, nev_quantities=None, nev_dates=[]))
    assert c.links.model_dump() == {"organisations": [], "quantities": [], "dates": []}


# --------------------------------------------------------------------------- pieces


def test_quote_pairing_with_odd_marks() -> None:
    text = 'A "b c" d " e\n"f g" h'
    assert [(text[q.start : q.end]) for q in find_quotes(text)] == ["b c", "f g"]


def test_names() -> None:
    assert looks_like_person_name("Michael Woo Kim-kong")
    assert not looks_like_person_name("BYD")
    assert refers_to("Zhou", "Zhou Lan") and refers_to("Varga", "Katalin Varga")
    assert not refers_to("Lan Zhou Wei", "Zhou Lan")


def test_bad_pattern_file_is_named_with_line(tmp_path: Path) -> None:
    (tmp_path / "claim_cues.yaml").write_text("- {type: cue, cue: say}\n- {type: bogus, words: [x]}\n")
    with pytest.raises(PatternError) as err:
        load_lexicon([str(tmp_path)])
    assert "claim_cues.yaml:1" in str(err.value) and "claim_cues.yaml:2" in str(err.value)


def test_user_patterns_add_cues(tmp_path: Path) -> None:
    (tmp_path / "claim_cues.yaml").write_text("- {type: cue, cue: quip, forms: [quipped], content_first: true}\n")
    nlp = spacy.blank("en")
    nlp.add_pipe("nevextract_claims", config={"use_rules": True, "use_model": False, "patterns": [str(tmp_path)]})
    text = "Ivo Petrov quipped that range anxiety is over."
    check(only(run(nlp, text)), text, speaker="Ivo Petrov", cue="quipped", kind="indirect",
          content="range anxiety is over")


# --------------------------------------------------------------------------- robustness


def _spans_ok(text: str, claims: list[Claim]) -> None:
    for c in claims:
        assert text[c.start : c.end] == c.content and c.content


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab said Li Wei, "“”\'.:\n')), max_size=300))
def test_any_text_with_quotes_does_not_crash(rules_nlp: Language, text: str) -> None:
    _spans_ok(text, run(rules_nlp, text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Zhou Lan", " told ", " according to ", "the company", " he ", "said", ", ",
                                 ". ", '"', "“", "”", ":", "\n", "an analyst at", "Voltra Motors", "'s data shows"]),
                max_size=60))
def test_any_claim_shaped_text_keeps_offsets(rules_nlp: Language, parts: list[str]) -> None:
    text = "".join(parts)
    _spans_ok(text, run(rules_nlp, text))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(['"', "“", "”", "Li Wei said", " x y z ", ",", ".", "\n"]), max_size=80))
def test_unbalanced_and_nested_quotes(rules_nlp: Language, parts: list[str]) -> None:
    text = "".join(parts)
    _spans_ok(text, run(rules_nlp, text))


@pytest.mark.parametrize("page", ['"' * 10_000, "“" * 5_000 + "”" * 5_000, '" said Li Wei, ' * 2_000,
                                  "9," * 25_000, " " * 50_000, "said " * 10_000])
def test_adversarial_pages_finish_quickly(rules_nlp: Language, page: str) -> None:
    # One-token Doc: spaCy's own tokenizer is slow on 10,000 quote marks; what is timed
    # here is the claims component alone.
    doc = Doc(rules_nlp.vocab, words=[page], spaces=[False])
    started = time.perf_counter()
    claims = rules_nlp.get_pipe("nevextract_claims")(doc)._.nev_claims
    assert time.perf_counter() - started < 5
    _spans_ok(page, claims)


# --------------------------------------------------------------------------- model


@pytest.fixture(scope="module")
def hybrid_nlp() -> Language:
    return nevextract.nlp.build_pipeline("hybrid")


def test_hybrid_pronoun_uses_person_entity(hybrid_nlp: Language) -> None:
    text = ("Martin Keller runs a taxi company in Munich. He said that electric cabs now cost less to run "
            "than diesel ones.")
    c = only([c for c in run(hybrid_nlp, text) if c.cue == "said"])
    assert (c.speaker, c.content) == ("Martin Keller", "electric cabs now cost less to run than diesel ones")


@pytest.mark.parametrize(("text", "speaker", "named", "content"), [
    # a subject of no shape the text rules know: kept as written, unnamed
    ("The Indiana governor said Democrats and the media are to blame for the row.",
     "The Indiana governor", False, "Democrats and the media are to blame for the row"),
    # a relative pronoun stands for the noun the clause hangs from
    ("The town hired an architect who said the clubhouse design was never paid for.",
     "an architect", False, "the clubhouse design was never paid for"),
    # a name before the head noun
    ("The Kessel board said the vote on the new plant will happen in June.",
     "The Kessel board", False, "the vote on the new plant will happen in June"),
    # a participle after a comma says what its clause's subject said
    ("Rival carmaker Kessel Motors had mocked the complaint, saying anybody who complains about chargers is not serious.",
     "Kessel Motors", True, "anybody who complains about chargers is not serious"),  # the name the model found
], ids=["descriptive-subject", "relative-pronoun", "name-before-the-head", "participle-after-a-comma"])
def test_the_parse_finds_claims_the_text_rules_miss(
    rules_nlp: Language, hybrid_nlp: Language, text: str, speaker: str, named: bool, content: str
) -> None:
    assert run(rules_nlp, text) == []
    c = only(run(hybrid_nlp, text))
    cue = "saying" if "saying" in text else "said"
    assert (c.speaker, c.speaker_named, c.cue, c.kind, c.content) == (speaker, named, cue, "indirect", content)
    assert text[c.start : c.end] == content


def test_the_parse_adds_a_contrasting_claim_of_a_sentence(rules_nlp: Language, hybrid_nlp: Language) -> None:
    """The text rules read a sentence's first reported claim, to its end; the parse reads the
    contrasting one (", while X argued ...") and ends the first where it begins."""
    text = "Kessel Motors said sales rose 5 percent, while analysts at Norrland Bank argued the gains would fade soon."
    assert [c.content for c in run(rules_nlp, text)] == [
        "sales rose 5 percent, while analysts at Norrland Bank argued the gains would fade soon"]
    found = [(c.speaker, c.speaker_named, c.cue, c.content, text[c.start : c.end]) for c in run(hybrid_nlp, text)]
    assert found == [("Kessel Motors", True, "said", "sales rose 5 percent", "sales rose 5 percent"),
                     ("analysts", False, "argued", "the gains would fade soon", "the gains would fade soon")]


def test_the_parse_reads_what_a_speaker_called_something(rules_nlp: Language, hybrid_nlp: Language) -> None:
    """'X called Y "Z"': the object and what it is called are the content, a quoted word
    included; "called for" stays the rules' cue and "a group called X" is a name."""
    text = 'Kessel Motors called the new tariffs “a tax on every family.”'
    assert run(rules_nlp, text) == []
    c = only(run(hybrid_nlp, text))
    assert (c.speaker, c.cue, c.kind, c.content) == ("Kessel Motors", "called", "indirect", "the new tariffs “a tax on every family")
    assert text[c.start : c.end] == c.content
    assert run(hybrid_nlp, "A group called Clean Air Now protested outside the plant.") == []
    [call_for] = run(hybrid_nlp, "Kessel Motors called for lower tariffs on batteries.")
    assert (call_for.cue, call_for.content) == ("called for", "lower tariffs on batteries")


def test_qualified_unnamed_speaker_keeps_its_organisation(rules_nlp: Language) -> None:
    text = '"Nobody is buying before the new model," a Voltra Motors spokesperson in Texas said.'
    check(only(run(rules_nlp, text)), text, speaker="a Voltra Motors spokesperson in Texas", cue="said",
          kind="direct", content="Nobody is buying before the new model", organisation="Voltra Motors", named=False)


def test_content_first_with_long_adverbial(rules_nlp: Language) -> None:
    text = "Van deliveries fell 9 percent in June, Kessel Motors said in a filing to the Frankfurt stock exchange."
    check(only(run(rules_nlp, text)), text, speaker="Kessel Motors", cue="said", kind="indirect",
          content="Van deliveries fell 9 percent in June", organisation="Kessel Motors")


def test_data_from_organisation_showed(rules_nlp: Language) -> None:
    text = "Used EV prices fell 6 percent in April, data from Carvana Analytics showed."
    check(only(run(rules_nlp, text)), text, speaker="Carvana Analytics", cue="showed", kind="indirect",
          content="Used EV prices fell 6 percent in April", organisation="Carvana Analytics")


def test_lone_surname_takes_the_full_name_written_earlier(rules_nlp: Language) -> None:
    text = ("At the show in Turin, Marta Keller, head of sales at a parts maker, presented a new inverter. "
            "Keller said orders had doubled since spring.")
    [claim] = run(rules_nlp, text)
    assert (claim.speaker, claim.cue, claim.kind) == ("Marta Keller", "said", "indirect")
    assert claim.content == "orders had doubled since spring"


# --------------------------------------------------------------------------- titles, followers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capitalised title of several words inside a run of names
        ('"We will double output by 2028," Norlis Chief Executive Anna Berg told reporters in Oslo.',
         dict(speaker="Anna Berg", cue="told", kind="direct", content="We will double output by 2028",
              role="chief executive", organisation="Norlis")),
        # a lowercase title with its modifier, after a possessive organisation
        ("Output will reach 9,000 units a month by June, Dravo's operations director Ken Ito said.",
         dict(speaker="Ken Ito", cue="said", kind="indirect", content="Output will reach 9,000 units a month by June",
              role="operations director", organisation="Dravo")),
        # the organisation's name stops at the comma before it
        ("Sales of the cars rose 5% in May, Voltra chairman Wang Lei said.",
         dict(speaker="Wang Lei", cue="said", kind="indirect", content="Sales of the cars rose 5% in May",
              role="chairman", organisation="Voltra")),
        # title and name between quote and cue; the listener after "told" is no second claim
        ('"We would rather build early than wait," managing director Ravi Nair told analysts on a call.',
         dict(speaker="Ravi Nair", cue="told", kind="direct", content="We would rather build early than wait",
              role="managing director")),
        # "Title, Name, said"
        ("Voltra's purchasing chief, Omar Haddad, said last month that the group wanted local cells by 2030.",
         dict(speaker="Omar Haddad", cue="said", kind="indirect", content="the group wanted local cells by 2030",
              role="purchasing chief", organisation="Voltra")),
        ("Margins will recover next year, the company's finance chief, Lena Park, said.",
         dict(speaker="Lena Park", cue="said", kind="indirect", content="Margins will recover next year",
              role="finance chief")),
        # a participle gives the sentence's subject a claim
        ("Zenko Power declined to comment on prices, saying it would publish a new list in June.",
         dict(speaker="Zenko Power", cue="saying", kind="indirect", content="it would publish a new list in June",
              organisation="Zenko Power")),
    ],
)
def test_titles_and_participles(rules_nlp: Language, text: str, expected: dict[str, str]) -> None:
    check(only(run(rules_nlp, text)), text, **expected)


def test_adding_that_splits_two_claims_by_one_speaker(rules_nlp: Language) -> None:
    text = "Zenko Power said sales rose 20% in May, adding that exports doubled to 9,000 cars."
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Zenko Power", cue="said", kind="indirect",
          content="sales rose 20% in May", organisation="Zenko Power")
    check(second, text, speaker="Zenko Power", cue="adding", kind="indirect",
          content="exports doubled to 9,000 cars", organisation="Zenko Power")


def test_coordinated_cue_shares_the_speaker(rules_nlp: Language) -> None:
    text = ('"Prices must fall," said Rui Costa, an analyst at Lisbon Capital. He expects margins to shrink '
            "this year, and said dealers would need new financing offers.")
    claims = run(rules_nlp, text)
    assert [(c.speaker, c.cue, c.content) for c in claims] == [
        ("Rui Costa", "said", "Prices must fall"),
        ("Rui Costa", "expects", "margins to shrink this year"),
        ("Rui Costa", "said", "dealers would need new financing offers"),
    ]


def test_participle_after_an_unnamed_subject_gives_no_claim(rules_nlp: Language) -> None:
    text = "Buyers queued outside the showroom, saying the discount was too good to miss."
    assert run(rules_nlp, text) == []


def test_description_takes_the_fitting_organisation_named_in_its_sentence(rules_nlp: Language) -> None:
    orgs = [
        Organisation(name="Northern Car Association", type="association", found_by="rules",
                     mentions=[Span(start=0, end=24, text="Northern Car Association")]),
    ]
    text = ("Northern Car Association said exports grew 3 percent. "
            "Dravo Motors won a grant from the Clean Mobility Centre, the government-backed body said.")
    centre = text.index("Clean Mobility Centre")
    dravo = text.index("Dravo Motors")
    orgs += [
        Organisation(name="Dravo Motors", type="carmaker", found_by="rules",
                     mentions=[Span(start=dravo, end=dravo + 12, text="Dravo Motors")]),
        Organisation(name="Clean Mobility Centre", type="research institute", found_by="rules",
                     mentions=[Span(start=centre, end=centre + 21, text="Clean Mobility Centre")]),
    ]
    claims = run(rules_nlp, text, nev_organisations=orgs)
    assert [(c.speaker, c.content) for c in claims] == [
        ("Northern Car Association", "exports grew 3 percent"),
        ("Clean Mobility Centre", "Dravo Motors won a grant from the Clean Mobility Centre"),
    ]


def test_hybrid_pronoun_skips_a_person_label_on_an_organisation(hybrid_nlp: Language) -> None:
    text = ('"Without the loan, nobody builds a plant here," said Julia Brenner, an analyst at Bankhaus Feld '
            "in Frankfurt. She said cells were selling for less than $60 per kilowatt-hour.")
    claims = run(hybrid_nlp, text)
    assert [(c.speaker, c.cue) for c in claims] == [("Julia Brenner", "said"), ("Julia Brenner", "said")]
    assert claims[1].content == "cells were selling for less than $60 per kilowatt-hour"


def test_dateline_and_adverbial_before_the_subject_of_a_coordinated_cue(rules_nlp: Language) -> None:
    text = ("BRUSSELS – The Transport Commission on Tuesday proposed a package of loans, and said fleets "
            "should only get tax breaks for locally made cars.")
    check(only(run(rules_nlp, text)), text, speaker="Transport Commission", cue="said", kind="indirect",
          content="fleets should only get tax breaks for locally made cars", organisation="Transport Commission")


def test_a_partial_quote_inside_reported_speech_then_a_participle(rules_nlp: Language) -> None:
    text = ('Rui Costa, an analyst at Lisbon Capital, said the delay was "painful but not fatal," noting that '
            "demand had cooled.")
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Rui Costa", cue="said", kind="indirect",
          content='the delay was "painful but not fatal,"', role="analyst", organisation="Lisbon Capital")
    check(second, text, speaker="Rui Costa", cue="noting", kind="indirect", content="demand had cooled",
          role="analyst", organisation="Lisbon Capital")


def test_a_direct_quote_then_adding_and_predicting(rules_nlp: Language) -> None:
    text = ('"We will look at this carefully," said Rui Costa, an analyst at Lisbon Capital, adding that a vote '
            'was unlikely before spring. "Margins will shrink," Costa told reporters, predicting that five '
            "brands would close.")
    claims = run(rules_nlp, text)
    assert [(c.speaker, c.cue, c.kind, c.content) for c in claims] == [
        ("Rui Costa", "said", "direct", "We will look at this carefully"),
        ("Rui Costa", "adding", "indirect", "a vote was unlikely before spring"),
        ("Rui Costa", "told", "direct", "Margins will shrink"),
        ("Rui Costa", "predicting", "indirect", "five brands would close"),
    ]


def test_a_descriptor_with_capitalised_modifiers(rules_nlp: Language) -> None:
    text = ("DETROIT — Dravo Motors narrowed its loss, but the Michigan-based EV maker said Wednesday that its "
            "pickup would be late.")
    at = text.index("Dravo Motors")
    orgs = [Organisation(name="Dravo Motors", type="carmaker", found_by="rules",
                         mentions=[Span(start=at, end=at + 12, text="Dravo Motors")])]
    check(only(run(rules_nlp, text, nev_organisations=orgs)), text, speaker="Dravo Motors", cue="said",
          kind="indirect", content="its pickup would be late", organisation="Dravo Motors")


def test_a_dateline_is_no_part_of_what_was_said(rules_extractor: Extractor) -> None:
    text = ("BEIJING, March 5 -- BYD sold 300,000 cars in February, the China Passenger "
            "Car Association (CPCA) said on Wednesday.")
    rec = rules_extractor.extract(text, clean=False, published="2025-03-05")
    [claim] = rec.claims
    assert (claim.speaker, claim.content, claim.start, claim.end) == (
        "China Passenger Car Association", "BYD sold 300,000 cars in February", 20, 53,
    )


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("Governor Tom Reddy declared that the state would sue the agency.", "Tom Reddy", "declared",
         "the state would sue the agency"),
        ('"We will appeal the ruling," Dana Whitfield replied.', "Dana Whitfield", "replied", "We will appeal the ruling"),
        ("Mr Osei conceded that the plant had closed twice.", "Mr Osei", "conceded", "the plant had closed twice"),
        ("Sen. Maria Okafor (D-Ore.) said the bill would pass next week.", "Sen. Maria Okafor", "said",
         "the bill would pass next week"),
        ("Tom Reddy (54) said the state would sue.", "Tom Reddy", "said", "the state would sue"),
    ],
    ids=["declared-that", "replied-after-quote", "conceded-that", "party-tag", "age"],
)
def test_speech_verbs_and_tags_after_names(rules_extractor: Extractor, text: str, speaker: str, cue: str, content: str) -> None:
    [claim] = rules_extractor.extract(text, clean=False).claims
    assert (claim.speaker, claim.cue, claim.content) == (speaker, cue, content)


@pytest.mark.parametrize(
    ("text", "cue", "attribution"),
    [
        ("Lena Ortiz, an analyst at Fjord Research, said margins would recover next year.", "said", "speech"),
        ("Lena Ortiz, an analyst at Fjord Research, expects margins to recover because prices are stable.", "expects", "belief"),
        ("Tidewater Motors promised that every van would ship with a heat pump.", "promised", "intention"),
        ("Data from the China Association of Automobile Manufacturers showed sales of vans rose for a third month.",
         "showed", "evidence"),
    ],
)
def test_a_claim_records_what_its_cue_reports(rules_nlp: Language, text: str, cue: str, attribution: str) -> None:
    claim = only(run(rules_nlp, text))
    assert (claim.cue, claim.attribution) == (cue, attribution)


@pytest.mark.parametrize(
    "text",
    [
        "''There's a lot of new complexity in the plan,'' said Leonard Burman, director of the center.",
        "``There's a lot of new complexity in the plan,'' said Leonard Burman, director of the center.",
    ],
)
def test_two_apostrophes_and_backticks_are_quotation_marks(rules_nlp: Language, text: str) -> None:
    c = only(run(rules_nlp, text))
    check(c, text, speaker="Leonard Burman", cue="said", kind="direct", content="There's a lot of new complexity in the plan",
          role="director")


def test_doubled_marks_keep_offsets_and_apostrophes_stay_apostrophes() -> None:
    from nevextract.components.quotes import find_quotes

    text = "He said ''we're ready'' and ``so are they'' -- it's Tom's view."
    quotes = find_quotes(text)
    assert [text[q.start:q.end].strip("'`") for q in quotes] == ["we're ready", "so are they"]
    assert find_quotes("It's Tom's car, isn't it?") == []


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Senator Mara Quill called for a review of the subsidy scheme before the vote.", "called for",
         "a review of the subsidy scheme before the vote"),
        ("Analyst Tom Reyes cited weak demand in Europe as the main reason for the cut.", "cited",
         "weak demand in Europe as the main reason for the cut"),
        ("Mayor Ann Lee criticized the plan to close the depot next spring.", "criticized",
         "the plan to close the depot next spring"),
        ("Ann Lee accused the operator of hiding the cost of the new buses.", "accused",
         "the operator of hiding the cost of the new buses"),
    ],
)
def test_verbs_of_political_and_business_reporting(rules_nlp: Language, text: str, cue: str, content: str) -> None:
    c = only(run(rules_nlp, text))
    assert (c.cue, c.content) == (cue, content)


@pytest.mark.parametrize(
    "text",
    ["The start-up, called Voltaris, charged its first van in March.",
     "The new model boasts a range of 600 km and meets market demands in Europe."],
)
def test_words_that_are_cues_elsewhere_are_not_here(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text) == []


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The bank said that it had fired the two traders last week.", "The bank", "it had fired the two traders last week"),
        ("A final ruling stated that the tariffs would stay until 2030.", "A final ruling", "the tariffs would stay until 2030"),
        ("Many civil rights activists say the new rules are too weak to matter.", "Many civil rights activists",
         "the new rules are too weak to matter"),
    ],
)
def test_a_speaker_the_lexicon_does_not_know_is_kept_unnamed(rules_nlp: Language, text: str, speaker: str, content: str) -> None:
    c = only(run(rules_nlp, text))
    assert (c.speaker, c.speaker_named, c.content) == (speaker, False, content)


@pytest.mark.parametrize("text", ["That said, the plant will open next year.", "It is also said that prices will fall soon."])
def test_no_speaker_phrase_no_claim(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text) == []


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("Mara Quill is saying that taxes will rise next year.", "is saying", "taxes will rise next year"),
    ("Mara Quill has been saying that taxes will rise next year.", "has been saying", "taxes will rise next year"),
    ("Mara Quill asks whether taxes will rise next year.", "asks", "whether taxes will rise next year"),
    ("Mara Quill left the room, claiming that taxes would rise.", "claiming", "taxes would rise"),
], ids=["progressive", "perfect-progressive", "asks", "claiming"])
def test_progressive_present_and_participle_cues(rules_nlp: Language, text: str, cue: str, content: str) -> None:
    check(only(run(rules_nlp, text)), text, speaker="Mara Quill", cue=cue, kind="indirect", content=content)


@pytest.mark.parametrize(("text", "speaker", "cue", "content"), [
    ("Sales rose 20 percent in May, analysts said.", "analysts", "said", "Sales rose 20 percent in May"),
    ("The plant will employ 3,000 workers, a spokesman said.", "a spokesman", "said", "The plant will employ 3,000 workers"),
], ids=["unnamed-after-a-comma", "unnamed-after-a-number"])
def test_an_unnamed_speaker_after_the_content_stops_at_the_comma(
    rules_nlp: Language, text: str, speaker: str, cue: str, content: str
) -> None:
    check(only(run(rules_nlp, text)), text, speaker=speaker, cue=cue, kind="indirect", content=content, named=False)


@pytest.mark.parametrize(("text", "cue"), [
    ("Voltra on Tuesday said deliveries would rise in May.", "said"),
    ("Voltra last week also said deliveries would rise in May.", "also said"),
    ("Voltra has long said deliveries would rise in May.", "has long said"),
    ("Voltra now says deliveries will rise in May.", "now says"),
], ids=["on-weekday", "last-week", "has-long", "now"])
def test_a_time_phrase_or_adverb_between_speaker_and_cue(rules_nlp: Language, text: str, cue: str) -> None:
    [c] = run(rules_nlp, text)
    assert (c.speaker, c.cue, c.content) == ("Voltra", cue, text[text.index(" deliveries") + 1 : -1])


def test_a_second_cue_after_but_and_a_pronoun_is_a_second_claim(rules_nlp: Language) -> None:
    text = "Ivo Petrov said deliveries would rise, but he warned that margins would fall."
    first, second = run(rules_nlp, text)
    check(first, text, speaker="Ivo Petrov", cue="said", kind="indirect", content="deliveries would rise")
    check(second, text, speaker="Ivo Petrov", cue="warned", kind="indirect", content="margins would fall")


@pytest.mark.parametrize("text", [
    "EU member states voted on the tariffs on Friday.",
    "Voltra's remarks will weigh on the shares this week.",
    "Questions about demand remain, and advocates of the plan were silent.",
    "The Transport Commission on Tuesday proposed a package of loans for carmakers.",
], ids=["states", "remarks", "questions-advocates", "proposed-an-event"])
def test_plural_nouns_and_events_are_no_claims(rules_nlp: Language, text: str) -> None:
    assert run(rules_nlp, text) == []


def test_a_ticker_between_speaker_and_cue_after_a_quote(rules_nlp: Language) -> None:
    text = '"Deliveries will rise in May," Voltra (VLT.O) said in a statement.'
    check(only(run(rules_nlp, text)), text, speaker="Voltra", cue="said", kind="direct",
          content="Deliveries will rise in May", organisation="Voltra")


def test_a_time_phrase_is_no_part_of_the_cue_after_a_quote(rules_nlp: Language) -> None:
    text = '"Deliveries will rise in May," Ivo Petrov on Tuesday said.'
    check(only(run(rules_nlp, text)), text, speaker="Ivo Petrov", cue="said", kind="direct",
          content="Deliveries will rise in May")


def test_a_quoted_question_keeps_its_speaker(rules_nlp: Language) -> None:
    text = '"Is this the end of cheap batteries?" Ivo Petrov asked. Sales fell in May.'
    check(only(run(rules_nlp, text)), text, speaker="Ivo Petrov", cue="asked", kind="direct",
          content="Is this the end of cheap batteries?")


def test_a_description_with_a_capitalised_modifier(rules_extractor: Extractor) -> None:
    """"The German carmaker said": resolved to the carmaker named before, else kept unnamed
    (the claim is not lost because the text never names it)."""
    text = "Voltra Motors sold more cars. The German carmaker said deliveries would rise in May."
    check(only(rules_extractor.extract(text, clean=False).claims), text, speaker="Voltra Motors", cue="said",
          kind="indirect", content="deliveries would rise in May", organisation="Voltra Motors")
    text = "The German carmaker said deliveries would rise in May."
    check(only(rules_extractor.extract(text, clean=False).claims), text, speaker="The German carmaker", cue="said",
          kind="indirect", content="deliveries would rise in May", named=False)


@pytest.mark.parametrize(("text", "speaker", "cue", "attribution", "content"), [
    ("Another slide shows that eight of 10 batteries sold in Europe are made in Asia.",
     "Another slide", "shows", "evidence", "eight of 10 batteries sold in Europe are made in Asia"),
    ("A Bloomberg poll shows that buyers in rich households favour hybrids.",
     "Bloomberg", "poll shows", "evidence", "buyers in rich households favour hybrids"),
    ("The latest data showed that sales of electric vans rose 12 percent in May.",
     "The latest data", "showed", "evidence", "sales of electric vans rose 12 percent in May"),
    ("Kessel Motors fears that tariffs will hurt its exports to China.",
     "Kessel Motors", "fears", "belief", "tariffs will hurt its exports to China"),
    ("Kessel Motors thinks the price war will end by the summer.",
     "Kessel Motors", "thinks", "belief", "the price war will end by the summer"),
], ids=["another-slide", "named-poll", "latest-data", "fears", "thinks"])
def test_documents_and_views_are_attributed(
    rules_nlp: Language, text: str, speaker: str, cue: str, attribution: str, content: str
) -> None:
    """Polls, slides and rulings speak for their authors (or for themselves when none is
    named); verbs of thinking and fearing report a view held."""
    c = only(run(rules_nlp, text))
    assert (c.speaker, c.cue, c.attribution, c.content) == (speaker, cue, attribution, content)


def test_a_view_needs_a_named_speaker(rules_nlp: Language) -> None:
    """"think", "know", "fear" open many clauses of their own: an unnamed crowd's view is no claim."""
    assert run(rules_nlp, "Many people think the price war will end by the summer.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Rahel Okafor: Battery Prices Will Keep Falling Through 2027.\n\nThe analyst spoke in Oslo.",
     [("Rahel Okafor", ":", "indirect", "Battery Prices Will Keep Falling Through 2027")]),
    ("OKAFOR: Well, look, the prices will keep falling for years.\n\nWALLACE: Are you sure of that?",
     [("OKAFOR", ":", "direct", "Well, look, the prices will keep falling for years"),
      ("WALLACE", ":", "direct", "Are you sure of that?")]),
    ("UPDATE: The plant will reopen on Monday after repairs.", []),
    ("Source: Company filings and our own estimates.", []),
], ids=["headline", "transcript", "capital-label", "label"])
def test_a_line_opened_by_a_speaker_and_a_colon_is_their_claim(
    rules_nlp: Language, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert [(c.speaker, c.cue, c.kind, c.content) for c in run(rules_nlp, text)] == expected


def test_a_name_after_a_dash_signs_the_quotation(rules_nlp: Language) -> None:
    text = "“Maybe we can build a charger on every corner.” ― Steve Quinlan\n\n“Prices are too high.”― Ana Ruiz."
    found = [(c.speaker, c.cue, c.kind, c.content) for c in run(rules_nlp, text)]
    assert found == [("Steve Quinlan", "―", "direct", "Maybe we can build a charger on every corner"),
                     ("Ana Ruiz", "―", "direct", "Prices are too high")]
    # a dash that goes on with a sentence signs nothing
    assert run(rules_nlp, "“Prices are too high” ― and the market knows it, traders said nothing.") == []


def test_a_participle_without_a_comma_is_not_the_subjects(hybrid_nlp: Language) -> None:
    """"footage of Li Na saying ...": the parse may hang the participle on the verb, but the
    words are Li Na's, not the ad's: no claim rather than a wrong speaker."""
    assert run(hybrid_nlp, "The ad shows footage of Li Na saying the new battery would last a decade.") == []
