"""The line classifier: its features, its decision rules, its weights file, and where it
sits among the line rules (pages written for these tests)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from nevextract.clean.lines import FEATURES, LINE_CLASSIFIER_FILE, LineClassifier, LineFacts, features, keep_lines, table_rows
from nevextract.clean.profiles import load_boilerplate
from nevextract.clean.text import clean_text, line_facts, read_blocks
from nevextract.patterns import PatternError, pattern_dirs, shipped_dir

PARA = ("Lumen Auto said on Monday that deliveries of its new crossover rose sharply in the quarter, "
        "driven by demand in southern European markets.")


def column(x: np.ndarray, name: str) -> list[float]:
    return [round(float(v), 4) for v in x[:, FEATURES.index(name)]]


def test_features_read_each_line_in_its_page() -> None:
    model = load_boilerplate(pattern_dirs(), classifier=False)
    blocks, _ = read_blocks("\n".join(["Home | Cars | Batteries", PARA, "- Range: 520 km", "Share this article", "- Range: 520 km"]), model)
    x = features(line_facts(blocks))
    assert x.shape == (5, len(FEATURES))
    assert column(x, "log_words") == [round(math.log1p(n), 4) for n in (5, 23, 4, 3, 4)]
    assert column(x, "ends_sentence") == [0, 1, 0, 0, 0]
    assert column(x, "prose") == [0, 1, 0, 0, 0]
    assert column(x, "rule") == [1, 0, 0, 1, 0]  # generic rules: "Home |" site chrome, "Share this article"
    assert column(x, "list_item") == [0, 0, 1, 0, 1]
    assert column(x, "repeated") == [0, 0, 1, 0, 1]
    assert column(x, "before_prose_stretch") == [1, 0, 0, 0, 0]
    assert column(x, "in_prose_stretch") == [0, 1, 0, 0, 0]
    assert column(x, "after_prose_stretch") == [0, 0, 1, 1, 1]
    assert column(x, "prev_prose") == [0, 0, 1, 0, 0]
    assert column(x, "in_precise") == [1, 1, 1, 1, 1]  # a text dump: no second reading to compare with
    assert column(x, "position") == [0, 0.25, 0.5, 0.75, 1]


def test_an_empty_page_has_no_rows() -> None:
    assert features([]).shape == (0, len(FEATURES))


def test_table_rows_are_runs_of_lines_with_as_many_cells() -> None:
    lines = ["Home | News | Cars", "Model | Range | Price", "Vela | 520 km | 41,900 euros", "Vela LR | 610 km | 47,500 euros",
             "Prices include VAT.", "News | Sport"]
    assert table_rows(lines) == [True, True, True, True, False, False]
    # the menu line above has three cells too: a menu next to a table cannot be told apart by cells alone
    assert table_rows(["Home | News", "A | B | C"]) == [False, False]


def facts(kind: str) -> LineFacts:
    """A line of the given kind, for building feature rows by hand."""
    text = {"prose": PARA, "item": "- Range: 520 km", "lead": "Key figures:", "row": "Vela | 520 km", "chrome": "Subscribe"}[kind]
    return LineFacts(text=text, words=len(text.split()), prose=kind == "prose", rule=kind == "chrome", cut=False,
                     menu=False, label=False, list_item=kind == "item", date_like=False, key=text.casefold())


def decide(kinds: list[str], probabilities: list[float]) -> list[bool]:
    x = features([facts(k) for k in kinds])
    return keep_lines(np.array(probabilities), x, inside=0.5, outside=0.9)


def test_thresholds_inside_and_outside_the_stretch_of_prose() -> None:
    # lead-in lines above the first prose paragraph need 0.9, lines in the stretch 0.5
    assert decide(["lead", "prose", "prose"], [0.8, 0.6, 0.6]) == [False, True, True]
    assert decide(["lead", "prose", "prose"], [0.95, 0.6, 0.6]) == [True, True, True]


def test_prose_after_kept_prose_continues_the_article_across_a_removed_line() -> None:
    assert decide(["prose", "chrome", "prose"], [0.9, 0.0, 0.2]) == [True, False, True]
    # and across one short line no rule names, which then stays as a subheading
    assert decide(["prose", "lead", "prose"], [0.9, 0.1, 0.2]) == [True, True, True]
    # not across two
    assert decide(["prose", "row", "lead", "prose"], [0.9, 0.1, 0.1, 0.2]) == [True, False, False, False]
    # not when the paragraph before it was dropped too
    assert decide(["prose", "prose", "prose"], [0.1, 0.9, 0.1]) == [False, True, True]
    assert decide(["prose", "prose"], [0.1, 0.1]) == [False, False]


def test_a_list_between_kept_paragraphs_is_kept() -> None:
    kinds = ["prose", "lead", "item", "item", "prose"]
    assert decide(kinds, [0.9, 0.3, 0.2, 0.2, 0.9]) == [True] * 5
    # a run holding a line that is neither list nor lead-in is left to the model
    assert decide(["prose", "item", "chrome", "item", "prose"], [0.9, 0.2, 0.0, 0.2, 0.9]) == [True, False, False, False, True]


def test_a_list_after_a_lead_in_and_a_table_after_a_paragraph_continue_the_article() -> None:
    assert decide(["prose", "prose", "lead", "item", "item"], [0.9, 0.9, 0.6, 0.1, 0.1]) == [True, True, True, True, True]
    assert decide(["prose", "prose", "row", "row"], [0.9, 0.9, 0.1, 0.1]) == [True, True, True, True]
    # list items straight after a paragraph (no lead-in) are not: related links look like that
    assert decide(["prose", "prose", "item", "item"], [0.9, 0.9, 0.1, 0.1]) == [True, True, False, False]
    # nor a lead-in with no list after it
    assert decide(["prose", "prose", "lead"], [0.9, 0.9, 0.6]) == [True, True, False]


def shipped() -> dict[str, object]:
    return json.loads((shipped_dir() / LINE_CLASSIFIER_FILE).read_text(encoding="utf-8"))


def test_the_shipped_weights_name_the_features_this_version_computes() -> None:
    data = shipped()
    assert data["features"] == list(FEATURES)
    assert set(data["models"]) == {"text", "html"}
    for model in data["models"].values():
        assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
        assert 0 < model["threshold"] <= model["threshold_outside"] < 1


def test_weights_for_other_features_are_refused_with_the_file_named(tmp_path: Path) -> None:
    data = shipped()
    data["features"] = [*data["features"][:-1], "something_else"]
    (tmp_path / LINE_CLASSIFIER_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="its features are not the ones this version computes; retrain it"):
        LineClassifier.load(tmp_path / LINE_CLASSIFIER_FILE)
    with pytest.raises(PatternError, match=f"{LINE_CLASSIFIER_FILE}:1: not a line classifier this version can read"):
        load_boilerplate([shipped_dir(), tmp_path])


def test_a_users_retrained_weights_win_over_the_shipped_ones(tmp_path: Path) -> None:
    data = shipped()
    data["about"] = {"trained_on": "a user's own pages"}
    (tmp_path / LINE_CLASSIFIER_FILE).write_text(json.dumps(data), encoding="utf-8")
    model = load_boilerplate([shipped_dir(), tmp_path])
    assert model.classifier is not None and model.classifier.about == {"trained_on": "a user's own pages"}


def test_without_the_classifier_the_article_is_the_stretch_of_prose() -> None:
    model = load_boilerplate(pattern_dirs(), classifier=False)
    assert model.classifier is None
    page = "\n\n".join(["Lumen Auto deliveries climb", PARA, "Key figures:", "- Range: 520 km", PARA.replace("Monday", "Friday")])
    cleaned = clean_text(page, model)
    assert cleaned.body == "\n\n".join([PARA, "Key figures:", "- Range: 520 km", PARA.replace("Monday", "Friday")])
    assert [(r.text, r.reason) for r in cleaned.removed] == [("Lumen Auto deliveries climb", "headline")]


# ----------------------------------------------------------------------------- training


@pytest.fixture(scope="module")
def training(training_script: Callable[[str], ModuleType]) -> ModuleType:
    return training_script("train_line_classifier")


def test_training_labels_a_line_by_the_snippets_it_holds(training: object) -> None:
    label = training.label  # type: ignore[attr-defined]
    assert label("Voltaris opened  a plant in Lyon on Monday.", ["opened a plant"], ["Home"]) == 1
    assert label("Home", ["opened a plant"], ["Home"]) == 0
    # a line of four words or more inside a longer snippet takes its label
    assert label("a plant in Lyon", ["Voltaris opened a plant in Lyon on Monday."], []) == 1
    assert label("Lyon", ["Voltaris opened a plant in Lyon on Monday."], []) == -1
    assert label("Share | Home", ["Share"], ["Home"]) == -1  # holds both: not trained on


NAV = ["Home", "World", "Business", "Cars"]
FOOT = ["Privacy policy", "Contact us", "About us"]
STORIES = [
    ("Voltaris", "Lyon", "batteries"), ("Kestrel", "Turin", "vans"), ("Orrin", "Graz", "buses"),
    ("Tamsin", "Porto", "chargers"), ("Quill", "Ghent", "scooters"), ("Brant", "Malmo", "trucks"),
    ("Sable", "Bilbao", "motors"), ("Wren", "Cork", "cells"),
]


def written_page(name: str, city: str, product: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    paragraphs = [
        f"{name} said on Monday that it would build a plant in {city} to make {product} for the European market.",
        "The company expects the site to employ about 900 people once it reaches full output in two years.",
        f"Local officials said the plant in {city} was the largest investment in the region for a decade.",
    ]
    html = ("<html><body><nav>" + "".join(f"<a>{n}</a><br>" for n in NAV) + "</nav><article>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article><footer>"
            + "".join(f"<p>{f}</p>" for f in FOOT) + "</footer></body></html>")
    return html, (paragraphs[0], paragraphs[2]), ("Privacy policy", "World")


def test_training_fits_a_model_that_keeps_the_article_of_an_unseen_page(training: object) -> None:
    from accuracy.readers.webextract import SnippetPage

    rules = load_boilerplate([shipped_dir()], classifier=False)
    pages = []
    for name, city, product in STORIES:
        html, with_snippets, without_snippets = written_page(name, city, product)
        page = SnippetPage(id=f"https://{name.lower()}.example/", file="-", html=html, decoded_by="utf-8",
                           with_snippets=with_snippets, without_snippets=without_snippets, lang="en")
        pages.append(training.page_lines(page, "text", rules))  # type: ignore[attr-defined]
    assert [int(v) for v in pages[0].y] == [-1, 0, -1, -1, 1, -1, 1, 0, -1, -1]
    c, inside, outside, f1 = training.choose(pages)  # type: ignore[attr-defined]
    assert c in training.C_GRID and inside in training.THRESHOLDS and inside <= outside  # type: ignore[attr-defined]
    assert f1 == 100.0  # every with snippet kept and every without snippet dropped, out of fold
    model = training.fit(pages, c)  # type: ignore[attr-defined]
    unseen = training.page_lines(SnippetPage(  # type: ignore[attr-defined]
        id="https://new.example/", file="-", html=written_page("Pell", "Nantes", "axles")[0], decoded_by="utf-8",
        with_snippets=(), without_snippets=(), lang="en"), "text", rules)
    kept = [b.text for b, k in zip(unseen.blocks, keep_lines(model.probabilities(unseen.x), unseen.x, inside, outside)) if k]
    assert kept == [
        "Pell said on Monday that it would build a plant in Nantes to make axles for the European market.",
        "The company expects the site to employ about 900 people once it reaches full output in two years.",
        "Local officials said the plant in Nantes was the largest investment in the region for a decade.",
    ]
