"""The name classifier of the organisations component: its features, its weights file, how
its decision, and its training script (sentences and documents written for
these tests)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from nevextract import Extractor
from nevextract.components.organisation_names import (
    CLASSIFIER_FILE, FEATURES, NameClassifier, load_name_classifier, name_features,
)
from nevextract.components.organisations import OrganisationFinder
from nevextract.nlp import build_pipeline
from nevextract.patterns import PatternError, shipped_dir


def shipped() -> dict[str, object]:
    return json.loads((shipped_dir() / CLASSIFIER_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules_finder() -> tuple[object, OrganisationFinder]:
    nlp = build_pipeline("rules", components=False)
    return nlp, OrganisationFinder(nlp, use_model=False, classify=False)


@pytest.fixture(scope="module")
def model_finder() -> tuple[object, OrganisationFinder]:
    nlp = build_pipeline("hybrid", components=False)
    return nlp, OrganisationFinder(nlp, use_rules=False, classify=False)


def test_each_model_candidate_is_a_row_of_its_label_shape_and_context(model_finder: tuple[object, OrganisationFinder]) -> None:
    nlp, finder = model_finder
    doc = nlp("Shares of Halden Foods rose after Mr Buttress said the board of Halden Foods met.")  # type: ignore[operator]
    cands = finder.candidates(doc)
    assert [(doc[c.start : c.end].text, c.label, c.by) for c in cands] == [
        ("Halden Foods", "ORG", {"model"}), ("Mr Buttress", "ORG", {"model"}), ("Halden Foods", "ORG", {"model"}),
    ]
    x = name_features(finder, doc, cands)
    assert x.shape == (3, len(FEATURES))

    def row(i: int) -> dict[str, float]:
        return {name: round(float(v), 4) for name, v in zip(FEATURES, x[i]) if v}

    # 7 of the 11 words that are not stop words are capitalised: a sentence, not a headline;
    # the model calls every use of each text ORG
    read = {"label_ORG": 1.0, "label_exact": 1.0, "overlaps_model_org": 1.0, "log_tokens": round(math.log(2), 4),
            "looks_like_name": 1.0, "title_case_sentence": 0.6364, "model_org_share": 1.0, "next_lower": 1.0}
    # "of Halden Foods", twice; "Foods" closes a company's name (an industry word)
    firm = {**read, "prev_preposition": 1.0, "log_same_text": round(math.log(2), 4), "org_word": 1.0}
    assert row(0) == firm
    assert row(1) == {**read, "first_is_title": 1.0, "next_speech_verb": 1.0}  # "Mr Buttress said"
    assert row(2) == firm


def test_no_candidates_no_rows(rules_finder: tuple[object, OrganisationFinder]) -> None:
    nlp, finder = rules_finder
    doc = nlp("sales rose.")  # type: ignore[operator]
    assert finder.candidates(doc) == []
    assert name_features(finder, doc, []).shape == (0, len(FEATURES))


def test_the_shipped_weights_name_the_features_this_version_computes() -> None:
    data = shipped()
    assert data["features"] == list(FEATURES)
    model = data["model"]
    assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)  # type: ignore[index]
    assert 0 < model["threshold"] < 1  # type: ignore[index]
    assert "FiNER-ORD" in data["about"]["licence"]  # type: ignore[index]


def test_weights_for_other_features_are_refused_with_the_file_named(tmp_path: Path) -> None:
    data = shipped()
    data["features"] = [*data["features"][:-1], "something_else"]  # type: ignore[index]
    (tmp_path / CLASSIFIER_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="its features are not the ones this version computes; retrain it"):
        NameClassifier.load(tmp_path / CLASSIFIER_FILE)
    with pytest.raises(PatternError, match=f"{CLASSIFIER_FILE}:1: not an organisation classifier this version can read"):
        load_name_classifier([shipped_dir(), tmp_path])


def test_a_users_retrained_weights_win_over_the_shipped_ones(tmp_path: Path) -> None:
    data = shipped()
    data["about"] = {"trained_on": "a user's own articles"}
    (tmp_path / CLASSIFIER_FILE).write_text(json.dumps(data), encoding="utf-8")
    classifier = load_name_classifier([shipped_dir(), tmp_path])
    assert classifier is not None and classifier.about == {"trained_on": "a user's own articles"}


def test_the_classifier_judges_the_models_candidates_only(tmp_path: Path, hybrid_extractor: Extractor) -> None:
    """Weights that reject every candidate: what the rules find (the gazetteer, "analysts
    at X") is still found, what only the model proposed is not."""
    data = shipped()
    data["model"]["threshold"] = 0.999999  # type: ignore[index]
    data["model"]["bias"] = -50.0  # type: ignore[index]
    (tmp_path / CLASSIFIER_FILE).write_text(json.dumps(data), encoding="utf-8")
    text = "BYD sold more cars, analysts at Brindle Cole said. The board of Halden Foods met on Monday."
    found = Extractor(mode="hybrid", patterns=[tmp_path]).extract(text, clean=False).organisations
    assert [o.name for o in found] == ["BYD", "Brindle Cole"]
    found = hybrid_extractor.extract(text, clean=False).organisations
    assert [o.name for o in found] == ["BYD", "Brindle Cole", "Halden Foods"]


def test_a_listed_name_opening_with_an_adverb_keeps_it(rules_extractor: Extractor) -> None:
    """"Just Eat (LSE: JE)": only a function word ("At", "The") that opens a sentence is
    left out of the name before a listing."""
    text = "Investors bought Just Eat (LSE: JE) on Monday. At Halden Foods (NYSE: HF), sales fell."
    found = {o.name: [m.text for m in o.mentions] for o in rules_extractor.extract(text, clean=False).organisations}
    assert found["Just Eat"] == ["Just Eat"]
    assert found["Halden Foods"] == ["Halden Foods"]


@pytest.mark.parametrize("text", [
    "Mr Buttress said the board of Halden Foods met on Monday.",  # a titled person
    "Deliveries of the Standard and Max versions began in April, Halden Foods said.",  # trims of a product
    "Sodium is abundant and cheap. Halden Foods showed its first sodium-ion battery in 2021.",  # a common word
    "The premier attacked his Labor rival Keogh, who chairs Halden Foods, on Tuesday.",  # a politician
], ids=["titled-person", "coordinated-modifiers", "capitalised-common-word", "his-rival"])
def test_what_the_model_reads_as_a_name_is_not_always_an_organisation(hybrid_extractor: Extractor, text: str) -> None:
    """The model's entities of every label are candidates now: persons, products' trims and
    sentence-initial common words must still stay out."""
    assert [o.name for o in hybrid_extractor.extract(text, clean=False).organisations] == ["Halden Foods"]


# ----------------------------------------------------------------------------- training


@pytest.fixture(scope="module")
def training(training_script: Callable[[str], ModuleType]) -> ModuleType:
    return training_script("train_organisation_classifier")


FIRMS = ["Brindle Cole", "Halden Foods", "Orrin Metals", "Tamsin Bank", "Quill Motors", "Sable Energy",
         "Kestrel Mining", "Wren Capital"]
PLACES = ["Lyon", "Turin", "Graz", "Porto", "Ghent", "Malmo", "Bilbao", "Cork"]


def write_finer(path: Path) -> None:
    """A FiNER-ORD style CSV: per document, a firm that announces something in a city."""
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["gold_label", "gold_token", "doc_idx", "sent_idx"])
        for d, (firm, city) in enumerate(zip(FIRMS, PLACES)):
            first, last = firm.split()
            sentence = [("5", first), ("6", last), ("0", "Inc"), ("0", "said"), ("0", "on"), ("0", "Monday"),
                        ("0", "it"), ("0", "would"), ("0", "open"), ("0", "a"), ("0", "plant"), ("0", "in"),
                        ("3", city), ("0", "."), ("0", "Shares"), ("0", "of"), ("5", first), ("6", last),
                        ("0", "rose"), ("0", "in"), ("3", city), ("0", ".")]
            for label, token in sentence:
                w.writerow([label, token, d, 0])


def test_training_writes_weights_this_version_loads(training: object, tmp_path: Path) -> None:
    write_finer(tmp_path / "finer-ord" / "data" / "train" / "train.csv")
    out = tmp_path / CLASSIFIER_FILE
    assert training.main(["--data", str(tmp_path), "--out", str(out)]) == 0  # type: ignore[attr-defined]
    classifier = NameClassifier.load(out)
    assert classifier.about["trained_on"] == "FiNER-ORD data/train/train.csv: 8 documents (validation and test never)"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["model"]["gold"] == 16
    assert data["model"]["candidates"] > data["model"]["names"] > 0


def test_a_word_alone_on_its_line_is_a_section_label(hybrid_extractor: Extractor) -> None:
    """"Tech" over an article is the page's section, not an organisation the model may read
    there; a name the gazetteer knows is still found on a line of its own."""
    found = hybrid_extractor.extract("Tech\n\nTesla said deliveries rose.", clean=False).organisations
    assert [(o.name, [m.text for m in o.mentions]) for o in found] == [("Tesla", ["Tesla"])]
    found = hybrid_extractor.extract("BYD\n\nSales rose in May.", clean=False).organisations
    assert [(o.name, [m.text for m in o.mentions]) for o in found] == [("BYD", ["BYD"])]


def test_a_capitalised_word_the_model_left_out_opens_the_candidate(model_finder: tuple[object, OrganisationFinder]) -> None:
    """The model tags "Eat" of "Just Eat" as a person; inside a sentence the capital before it
    marks the name's first word. A title ("CEO") or a sentence's first word does not."""
    nlp, finder = model_finder
    doc = nlp("Analysts warned investors that Just Eat could come under threat.")  # type: ignore[operator]
    assert [doc[c.start : c.end].text for c in finder.candidates(doc)] == ["Just Eat"]
    doc = nlp("Shares fell after Apple CEO Tim Cook spoke.")  # type: ignore[operator]
    assert "CEO Tim Cook" not in [doc[c.start : c.end].text for c in finder.candidates(doc)]


def test_an_industry_word_closing_a_name_is_an_organisation_word(model_finder: tuple[object, OrganisationFinder]) -> None:
    """"Patriot Coal", "Fortescue Metals": the model often calls them persons; the industry
    word is the classifier's evidence (organisation_words.yaml, name-suffix)."""
    nlp, finder = model_finder
    doc = nlp("Regulators opposed the plan of Patriot Coal on Monday.")  # type: ignore[operator]
    cands = finder.candidates(doc)
    x = name_features(finder, doc, cands)
    rows = {doc[c.start : c.end].text: dict(zip(FEATURES, x[i])) for i, c in enumerate(cands)}
    assert rows["Patriot Coal"]["org_word"] == 1.0
