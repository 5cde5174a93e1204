"""Organisation finding and folding, on sentences written for the rule they test."""

from __future__ import annotations

import pytest

from nevextract import ArticleRecord, Extractor


def orgs(ex: Extractor, text: str) -> dict[str, list[str]]:
    return {o.name: o.aliases for o in ex.extract(text, clean=False).organisations}


def test_acronym_defined_in_text_joins_its_long_form(rules_extractor: Extractor) -> None:
    text = ("The Solar Storage Industry Alliance (SSIA) said output rose. "
            "SSIA expects more growth, and the SSIA's members agree.")
    rec = rules_extractor.extract(text, clean=False)
    [org] = rec.organisations
    assert org.name == "Solar Storage Industry Alliance"
    assert org.aliases == ["SSIA"]
    assert org.type == "association"
    assert [m.text for m in org.mentions] == ["Solar Storage Industry Alliance", "SSIA", "SSIA", "SSIA"]
    assert [m.start for m in org.mentions] == [4, 37, 61, 95]


def test_possessive_the_and_legal_suffix_fold_into_one(rules_extractor: Extractor) -> None:
    text = "BYD Co., Ltd. reported sales. BYD's shares rose, and the BYD board met."
    assert orgs(rules_extractor, text) == {"BYD": ["BYD Co., Ltd."]}


def test_short_form_folds_only_over_suffix_words(rules_extractor: Extractor) -> None:
    text = ("Leapmotor said Leapmotor International will sell cars in Europe. "
            "Xiaomi Corporation said Xiaomi delivered 10,000 cars.")
    found = orgs(rules_extractor, text)
    assert found["Leapmotor"] == []
    assert found["Leapmotor International"] == []
    assert found["Xiaomi"] == ["Xiaomi Corporation"]


def test_head_word_names_and_bare_references(rules_extractor: Extractor) -> None:
    text = ("The Ministry of Industry and Information Technology and the National Development and "
            "Reform Commission issued rules. The Commission said more would follow.")
    rec = rules_extractor.extract(text, clean=False)
    found = {o.name: (o.aliases, o.type, len(o.mentions)) for o in rec.organisations}
    assert found == {
        "Ministry of Industry and Information Technology": ([], "government body", 1),
        "National Development and Reform Commission": (["Commission"], "government body", 2),
    }


def test_events_and_documents_are_not_organisations(rules_extractor: Extractor) -> None:
    text = "At the Shanghai International Auto Show, the Five-Year Plan and the Official Journal were discussed."
    assert orgs(rules_extractor, text) == {}


def test_model_mislabels_are_dropped(hybrid_extractor: Extractor) -> None:
    text = ("NEV sales rose as BYD launched the Seal. The EV maker's SU7 rival sold well, "
            "said Anna Berg, an analyst at a Munich consultancy. Berg said NEV demand was strong.")
    rec = hybrid_extractor.extract(text, clean=False)
    assert [(o.name, o.found_by) for o in rec.organisations] == [("BYD", "both")]


def test_found_by_says_which_side_found_it(hybrid_extractor: Extractor, rules_extractor: Extractor) -> None:
    text = "Volkswagen and the Battery Recycling Alliance of Europe signed a deal."
    hybrid = {o.name: o.found_by for o in hybrid_extractor.extract(text, clean=False).organisations}
    rules = {o.name: o.found_by for o in rules_extractor.extract(text, clean=False).organisations}
    assert rules == {"Volkswagen": "rules", "Battery Recycling Alliance of Europe": "rules"}
    assert hybrid["Volkswagen"] == "both"


def test_statistical_mode_uses_the_model_alone() -> None:
    ex = Extractor(mode="statistical")
    rec = ex.extract("Shares of Volkswagen fell after the Federal Reserve raised rates.", clean=False)
    assert {o.found_by for o in rec.organisations} == {"model"}
    assert "Federal Reserve" in {o.name for o in rec.organisations}


@pytest.mark.parametrize("text", ["(" * 5000 + "BYD", "A (B) " * 3000, "Ministry of " * 4000])
def test_adversarial_text_finishes(rules_extractor: Extractor, text: str) -> None:
    rec: ArticleRecord = rules_extractor.extract(text, clean=False)
    for o in rec.organisations:
        for m in o.mentions:
            assert rec.body[m.start : m.end] == m.text


def test_short_name_folds_into_the_full_legal_name(hybrid_extractor: Extractor) -> None:
    text = ("Nordvolt Cell Systems GmbH will build a plant in Saxony. Nordvolt said output starts in 2027, "
            "and Nordvolt's rival Ostwind Energy said nothing.")
    found = orgs(hybrid_extractor, text)
    assert found["Nordvolt Cell Systems GmbH"] == ["Nordvolt"]
    assert "Nordvolt" not in found


def test_a_dateline_city_is_not_an_organisation(hybrid_extractor: Extractor) -> None:
    text = "FRANKFURT, March 3 (Newswire) - Battery maker Nordvolt said on Tuesday it would build a plant."
    assert "FRANKFURT" not in orgs(hybrid_extractor, text)


def test_a_name_ending_in_a_legal_form_is_a_company(rules_extractor: Extractor) -> None:
    rec = rules_extractor.extract("Nordvolt Cell Systems GmbH will build a plant in Saxony.", clean=False)
    assert [(o.name, o.type, o.found_by) for o in rec.organisations] == [("Nordvolt Cell Systems GmbH", "company", "rules")]


def test_a_head_word_name_takes_a_foreign_acronym(rules_extractor: Extractor) -> None:
    text = ("Registrations fell, according to the Federal Motor Transport Authority (KBA). "
            "The KBA publishes monthly figures.")
    found = orgs(rules_extractor, text)
    assert found == {"Federal Motor Transport Authority": ["KBA"]}


def test_a_bracketed_term_is_not_an_acronym(rules_extractor: Extractor) -> None:
    found = orgs(rules_extractor, "Volkswagen (EV) sales rose, the Federal Transport Authority (NEV) said.")
    assert found == {"Volkswagen": [], "Federal Transport Authority": []}


def test_the_name_after_a_job_and_at_is_an_organisation(rules_extractor: Extractor, hybrid_extractor: Extractor) -> None:
    text = ('"Nobody builds a plant at these prices," said Julia Brenner, an analyst at Bankhaus Feld '
            "in Frankfurt, and Tom Ray, chief economist with Bank of Lisbon, agreed.")
    rec = rules_extractor.extract(text, clean=False)
    assert [(o.name, o.found_by) for o in rec.organisations] == [("Bankhaus Feld", "rules"), ("Bank of Lisbon", "rules")]
    # the model reads the people as people and keeps both firms
    names = {o.name for o in hybrid_extractor.extract(text, clean=False).organisations}
    assert {"Bankhaus Feld", "Bank of Lisbon"} <= names and "Julia Brenner" not in names


def test_a_place_after_a_job_and_at_is_not_an_organisation(hybrid_extractor: Extractor) -> None:
    rec = hybrid_extractor.extract("Mark Li, a professor at Beijing, said prices would fall.", clean=False)
    assert "Beijing" not in {o.name for o in rec.organisations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a kind-of-company noun before a name, hyphenated or not
        ("Battery maker Ostra Power said it shipped more cells.", {"Ostra Power": []}),
        ("German start-up Veltro Cells will build a plant.", {"Veltro Cells": []}),
        # ... or describing it in an apposition
        ("Aurelia Baterias, a Spanish start-up building a cell plant, welcomed the plan.", {"Aurelia Baterias": []}),
        ("Kirin Mobility Co., one of the country's largest private carmakers, said sales rose.",
         {"Kirin Mobility Co.": []}),
        # not a person described by a job at a company, nor a date before a new clause
        ("Marta Keller, an energy analyst at an independent research firm, spoke.", {}),
        ("Output rose on Friday, the electric carmaker said.", {}),
    ],
)
def test_kind_of_company_nouns_mark_names(rules_extractor: Extractor, text: str, expected: dict[str, list[str]]) -> None:
    assert orgs(rules_extractor, text) == expected


def test_an_acronym_whose_letters_run_through_the_name(rules_extractor: Extractor) -> None:
    # Schwartz-Hearst: K-R-X in order in "Korea Exchange", the K starting it
    found = orgs(rules_extractor, "Shares rose on the Seoul Stock Exchange (SSX) and the Korea Exchange (KRX).")
    assert found == {"Seoul Stock Exchange": ["SSX"], "Korea Exchange": ["KRX"]}


def test_an_acronym_of_a_lowercase_phrase_is_a_term(hybrid_extractor: Extractor) -> None:
    text = "Its nickel-cobalt-zinc (NCZ) cells cost more than lithium iron phosphate (LFP) ones."
    assert orgs(hybrid_extractor, text) == {}


def test_an_acronym_used_apart_joins_the_name_with_its_initials(hybrid_extractor: Extractor) -> None:
    text = "BEIJING, May 12 (NMA) -- Sales rose, the Northern Motors Association said."
    assert orgs(hybrid_extractor, text) == {"Northern Motors Association": ["NMA"]}


def test_a_possessive_splits_two_named_bodies(rules_extractor: Extractor) -> None:
    text = "A loan came from the Department of Energy's Loan Programs Office (LPO)."
    assert orgs(rules_extractor, text) == {
        "U.S. Department of Energy": ["Department of Energy"], "Loan Programs Office": ["LPO"]
    }


@pytest.mark.parametrize(
    "text",
    [
        "DETROIT — Corvane Motors narrowed its loss.",  # a dateline with a dash
        "The so-called Battery Booster would channel loans to plants.",  # the name of a thing
        "Buyers of the Breeze EV get a discount.",  # a product before its kind
    ],
)
def test_model_names_that_are_not_organisations(hybrid_extractor: Extractor, text: str) -> None:
    found = orgs(hybrid_extractor, text)
    assert not {"DETROIT", "Battery Booster", "Breeze"} & set(found)


def test_a_family_name_first_is_not_an_organisation(hybrid_extractor: Extractor) -> None:
    text = ('"Competition remains intense," said Wang Jianmin, secretary-general of the alliance. '
            "Wang said prices had fallen.")
    assert "Wang" not in orgs(hybrid_extractor, text)


def test_without_the_gazetteer_only_name_rules_find_organisations() -> None:
    ex = Extractor(mode="rules", gazetteer=False)
    text = "BYD sold 300,000 cars, the China Passenger Car Association (CPCA) said."
    assert orgs(ex, text) == {"China Passenger Car Association": ["CPCA"]}
    assert ex.settings()["gazetteer"] is False


def test_a_name_before_its_shares_or_staff_is_an_organisation(hybrid_extractor: Extractor) -> None:
    # no head word, not in the gazetteer: only the model's ORG, used before lowercase nouns
    text = "Brindlewood analysts cut their forecast on Tuesday. Brindlewood shares fell 3% on Monday."
    assert orgs(hybrid_extractor, text) == {"Brindlewood": []}


def test_a_dateline_run_into_a_model_name_is_cut_off(hybrid_extractor: Extractor) -> None:
    rec = hybrid_extractor.extract("OSLO - Norsk Kraftverk Group said on Monday it would cut 500 jobs.", clean=False)
    names = [o.name for o in rec.organisations]
    assert not any(n.startswith("OSLO") for n in names)


def test_names_with_digits_or_a_lowercase_start_need_an_organisation_word(hybrid_extractor: Extractor) -> None:
    rec = hybrid_extractor.extract("Shares of 3D Printing Systems Inc rose, while the SU7 sold well.", clean=False)
    names = [o.name for o in rec.organisations]
    assert "SU7" not in names
    assert any(n.startswith("3D Printing Systems") for n in names)


def test_a_listing_names_the_company_and_the_exchange(rules_extractor: Extractor) -> None:
    rec = rules_extractor.extract("Velmora Bancorp, Inc. (NASDAQ: VLMB) is a bank holding company.", clean=False)
    assert [(o.name, o.type, [(m.start, m.end) for m in o.mentions]) for o in rec.organisations] == [
        ("Velmora Bancorp, Inc.", "company", [(0, 21)]),
        ("NASDAQ", "exchange", [(23, 29)]),
    ]


def test_shares_of_a_name_make_it_a_company_whatever_the_model_says(hybrid_extractor: Extractor) -> None:
    found = orgs(hybrid_extractor, "Shares of Brindle Cole rose 4%, while shares in the Osprey Tarn Group fell.")
    assert found == {"Brindle Cole": [], "Osprey Tarn Group": []}


def test_shares_of_a_place_are_no_company(hybrid_extractor: Extractor) -> None:
    assert orgs(hybrid_extractor, "Shares in China fell on Monday.") == {}


def test_two_whole_names_joined_by_and_are_two_organisations(hybrid_extractor: Extractor) -> None:
    assert orgs(hybrid_extractor, "Ford and General Motors both raised prices on Tuesday.") == {
        "Ford": [], "General Motors": [],
    }
    # one name with "and" inside stays whole
    found = orgs(hybrid_extractor, "The National Development and Reform Commission set new rules.")
    assert list(found) == ["National Development and Reform Commission"]


def test_a_ticker_after_the_legal_form_is_not_part_of_the_name(hybrid_extractor: Extractor) -> None:
    rec = hybrid_extractor.extract("Baidu Inc. BIDU rose 3% in New York trading.", clean=False)
    assert [(o.name, [m.text for m in o.mentions]) for o in rec.organisations] == [("Baidu", ["Baidu Inc."])]


def test_every_name_in_a_list_after_analysts_at(rules_extractor: Extractor) -> None:
    found = orgs(rules_extractor, "Analysts at Quillon, Marrow Stead and Baird cut their targets.")
    assert found == {"Quillon": [], "Marrow Stead": [], "Baird": []}


def test_a_persons_rival_is_no_company(rules_extractor: Extractor) -> None:
    assert orgs(rules_extractor, "He met his rival Dunmore in Sydney, while its rival Volvexa Motors grew.") == {
        "Volvexa Motors": [],
    }


def test_a_carmakers_model_is_a_product_not_an_organisation(hybrid_extractor: Extractor) -> None:
    found = orgs(hybrid_extractor, "The Buick Envision and the Bolt EV Concept were shown by General Motors in Detroit.")
    assert "Buick Envision" not in found and "Bolt EV Concept" not in found
    assert "General Motors" in found


def test_a_ministry_written_in_lower_case(rules_extractor: Extractor) -> None:
    rec = rules_extractor.extract("The ministry of heavy industries said subsidies would continue.", clean=False)
    assert [(o.name, o.type, [m.text for m in o.mentions]) for o in rec.organisations] == [
        ("Ministry of Heavy Industries", "government body", ["ministry of heavy industries"]),
    ]


def test_a_listed_name_starts_after_a_capitalised_function_word(rules_extractor: Extractor) -> None:
    found = orgs(rules_extractor, "At Velmora Bancorp (NYSE: VLMB) the shares fell.")
    assert found == {"Velmora Bancorp": [], "New York Stock Exchange": ["NYSE"]}


@pytest.mark.parametrize(("text", "expected"), [
    # a name ends at its legal form, even where the full stop of "Inc." hides the sentence end
    ("Revenue rose, according to research firm Halvorsen Inc. That growth will slow.", ["Halvorsen Inc."]),
    # two legal names joined by "and" are two organisations
    ("Its rivals include Brindle Systems Inc. and Orrin Networks Inc., analysts said.",
     ["Brindle Systems Inc.", "Orrin Networks Inc."]),
    # a capitalised job title ends a name: the person after it is no part of it
    ("Sales will fall, Velmora Chamber of Mines President Ana Reyes told reporters.", ["Velmora Chamber of Mines"]),
], ids=["legal-form-ends-a-name", "two-legal-names", "title-ends-a-name"])
def test_where_a_name_ends(rules_extractor: Extractor, text: str, expected: list[str]) -> None:
    rec = rules_extractor.extract(text, clean=False)
    assert [m.text for o in rec.organisations for m in o.mentions] == expected


def test_partners_names_with_commas_are_one_firm(rules_extractor: Extractor) -> None:
    """"A, B & C, LLP": a firm named after its partners keeps its commas and its legal form."""
    text = ("Jacksonville-based CPA firm Harbeson, Fletcher & Bateh, LLP, has joined advisory firm "
            "Carr, Riggs & Ingram, LLC (CRI). Analysts at Morgan Stanley, Goldman Sachs and UBS agreed.")
    orgs = [(o.name, [m.text for m in o.mentions]) for o in rules_extractor.extract(text, clean=False).organisations]
    assert orgs == [
        ("Harbeson, Fletcher & Bateh, LLP", ["Harbeson, Fletcher & Bateh, LLP"]),
        ("Carr, Riggs & Ingram, LLC", ["Carr, Riggs & Ingram, LLC", "CRI"]),
        ("Morgan Stanley", ["Morgan Stanley"]), ("Goldman Sachs", ["Goldman Sachs"]), ("UBS", ["UBS"]),
    ]


def test_a_clause_after_a_comma_describes_no_company(rules_extractor: Extractor) -> None:
    """"In June, Clinton said drug companies ...": a clause with its verb, not an apposition."""
    text = "In June, Clinton said drug companies that benefit from taxpayers should pay more."
    assert rules_extractor.extract(text, clean=False).organisations == []


def test_a_legal_form_ends_a_name_before_a_possessive(rules_extractor: Extractor) -> None:
    """"Bank of Korea Corp's Halden unit": two names; "People's" inside a name stays."""
    text = "Bank of Korea Corp's Halden Securities unit cut jobs. The Chinese People's Political Consultative Conference met."
    mentions = [m.text for o in rules_extractor.extract(text, clean=False).organisations for m in o.mentions]
    assert mentions == ["Bank of Korea Corp", "Chinese People's Political Consultative Conference"]


@pytest.mark.parametrize(("text", "expected"), [
    ("The deal is safe, said Holding Redlich partner Nathan Cecil.", ["Holding Redlich"]),
    ("Halvorsen Kaupthing analyst Adam Jonas said prices would fall.", ["Halvorsen Kaupthing"]),
    ("Voltra's chief executive Elon Brandt said so.", ["Voltra"]),
    ("Senior analyst Li Wei said so.", []),  # one capitalised word opening the sentence
    ("Beijing-based analyst Li Wei said so.", []),
], ids=["partner", "analyst", "possessive", "sentence-start", "based"])
def test_the_name_before_a_job_and_a_persons_name_is_the_employer(
    rules_extractor: Extractor, text: str, expected: list[str]
) -> None:
    assert [o.name for o in rules_extractor.extract(text, clean=False).organisations] == expected
