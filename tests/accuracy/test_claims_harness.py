"""The claims task of the accuracy harness: brat reader, attribution metric, adapters, run().

Fixtures (tests/fixtures/accuracy/claims/polnear/data/dev) are invented sentences laid out
like PolNeAR; every figure below is counted by hand from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from accuracy.core import Counts, Options, TaskResult
from accuracy.metrics.attribution import (
    AttributionScore, PredictedClaim, align, antecedents, content_words, cue_lemma, is_speech,
    merge, overlap, shared_enough, score_document, speaker_matches,
)
from accuracy.readers.brat import Attribution, parse_ann, read_corpus, read_document
from accuracy.tasks.claims import published_of, score, speech_flags

DOC_A = "nyt_2016-01-05_bus-depot-to-open"
DOC_B = "wash-post_2016-02-10_budget-talks-stall"


@pytest.fixture
def dev(fixtures: Path) -> Path:
    return fixtures / "claims" / "polnear" / "data" / "dev"


# ----------------------------------------------------------------------------- reader


def test_reader_reads_attributions_with_spans_and_text(dev: Path) -> None:
    docs = read_corpus(dev)
    assert [d.id for d in docs] == [DOC_A, DOC_B]
    a = docs[0]
    assert a.annotator == "4b22"
    assert [(x.sources, x.cues, x.contents) for x in a.attributions] == [
        (((0, 14),), ((15, 19),), ((20, 55),)),
        (((97, 107),), ((92, 96),), ((59, 89),)),
        (((126, 129),), ((130, 135),), ((141, 166),)),
        (((169, 178),), ((179, 186),), ((187, 209),)),
    ]
    assert [x.source_text for x in a.attributions] == ["Mayor Tom Reed", "Lena Ortiz", "She", "Residents"]
    assert a.attributions[1].content_text == "It will serve the whole valley"
    assert a.attributions[3].cue_text == "believe"


def test_reader_discontinuous_no_source_notes_and_first_annotator(dev: Path) -> None:
    b = read_corpus(dev)[1]
    # the 1a2b annotation, not 9f9f's; the Discuss span (across a paragraph break, so a
    # continuation line in the .ann) and the argument-less E3 give no attribution
    assert b.annotator == "1a2b"
    assert len(b.attributions) == 2
    senator, expected = b.attributions
    assert senator.contents == ((0, 10), (32, 55))
    assert senator.content_text == 'The budget was "a gift to no one."'
    assert senator.source_text == "the senator"
    assert expected.sources == () and expected.source_text == ""
    assert expected.content_text == "that talks resume Friday"


def test_parse_ann_folds_numbered_roles_and_skips_odd_lines() -> None:
    ann = (
        "T1\tSource 0 3\tAnn\nT2\tCue 4 8\tsaid\nT3\tContent 9 12\tyes\nT4\tContent 20 23\tand\n"
        "T5\tAttribution 4 8\tsaid\nE1\tAttribution:T5 Source:T1 Cue:T2 Content:T3 Content2:T4\n"
        "a continuation line\n#1\tAnnotatorNotes T1\ta note\nT6\tSource x y\tbad\nR1\tRel Arg1:T1 Arg2:T2\n"
    )
    bounds, events = parse_ann(ann)
    assert sorted(bounds) == ["T1", "T2", "T3", "T4", "T5"]
    assert events[0].args == (("Source", "T1"), ("Cue", "T2"), ("Content", "T3"), ("Content", "T4"))


def test_read_document_uses_the_text_file_offsets(dev: Path) -> None:
    doc = read_document(dev / "text" / f"{DOC_B}.txt", dev / "attributions" / f"{DOC_B}_9f9f.ann")
    assert doc.annotator == "9f9f"
    assert [(x.contents, x.content_text, x.sources) for x in doc.attributions] == [(((0, 10),), "The budget", ())]


# ----------------------------------------------------------------------------- spans


def test_merge_overlap_and_half_of_the_shorter() -> None:
    assert merge([(5, 9), (0, 3), (2, 4), (9, 9)]) == [(0, 4), (5, 9)]
    assert overlap([(0, 10), (20, 30)], [(5, 25)]) == 10
    assert shared_enough([(0, 10)], [(5, 40)]) == 5  # 5 of the shorter 10: exactly half
    assert shared_enough([(0, 10)], [(6, 40)]) == 0  # 4 of 10
    assert shared_enough([(0, 4)], [(4, 8)]) == 0  # touching is not overlapping


# ----------------------------------------------------------------------------- speakers and cues


def test_content_words_drop_titles_stop_words_and_possessives() -> None:
    assert content_words("Sen. Mary O’Neil's office") == frozenset({"mary", "neil", "office"})
    assert content_words("He") == frozenset()
    assert content_words("the Mr. and Mrs. Smith") == frozenset({"smith"})


def test_speaker_string_span_and_pronoun_branches() -> None:
    gold = Attribution("E1", ((0, 14),), ((15, 19),), ((20, 55),), "Mayor Tom Reed", "said", "x")
    pron = Attribution("E2", ((60, 63),), ((64, 69),), ((70, 90),), "She", "added", "y")
    assert speaker_matches(PredictedClaim(20, 55, "Reed"), gold)
    assert speaker_matches(PredictedClaim(20, 55, "the mayor"), gold)  # a role word is a content word
    senator = Attribution("E4", ((0, 13),), (), ((20, 55),), "Sen. Tom Reed", "", "x")
    assert not speaker_matches(PredictedClaim(20, 55, "Sen. Ann Holt"), senator)  # a title only
    assert speaker_matches(PredictedClaim(70, 90, "she"), pron)  # the very same pronoun
    assert speaker_matches(PredictedClaim(70, 90, "Tom Reed"), pron, antecedent=gold)
    assert not speaker_matches(PredictedClaim(70, 90, "Tom Reed"), pron)
    # a speaker span wins over the string: "Tom Reed" at 6:14 overlaps the Source 0:14
    assert speaker_matches(PredictedClaim(20, 55, "nobody", speaker_start=6, speaker_end=14), gold)
    assert not speaker_matches(PredictedClaim(20, 55, "Tom Reed", speaker_start=30, speaker_end=38), gold)
    no_source = Attribution("E3", (), ((1, 2),), ((3, 9),), "", "is expected", "z")
    assert not speaker_matches(PredictedClaim(3, 9, "officials"), no_source)


def test_antecedent_is_the_nearest_earlier_named_source(dev: Path) -> None:
    a = read_corpus(dev)[0]
    assert antecedents(a.attributions) == [None, None, 1, None]


@pytest.mark.parametrize(("cue", "lemma", "speech"), [
    ("said", "say", True), ("has also said", "say", True), ("According to", "according to", True),
    ("replied", "reply", True), ("admitting", "admit", True), ("pointed out", "point out", True),
    ("told reporters", "tell", True), ("stating", "state", True), (":", ":", True),
    ("is expected", "expect", False), ("believes", "believe", False), ("hoped", "hope", False),
    ("’s been hammering", "hammer", False),
])
def test_cue_lemma_and_speech(cue: str, lemma: str, speech: bool) -> None:
    assert cue_lemma(cue) == lemma
    assert is_speech(cue) is speech


# ----------------------------------------------------------------------------- scores


def _preds_a() -> list[PredictedClaim]:
    return [
        PredictedClaim(20, 55, "Tom Reed"),  # E1, exact
        PredictedClaim(58, 91, "Ortiz"),  # E2 with its quotation marks and comma: 30 of 30
        PredictedClaim(141, 167, "Lena Ortiz"),  # E3, "She" → nearest earlier named: Lena Ortiz
        PredictedClaim(187, 209, "city officials"),  # E4 (not speech), wrong speaker
        PredictedClaim(38, 56, "Tom Reed"),  # overlaps E1 too, but p0 overlaps more: FP
    ]


def _preds_b() -> list[PredictedClaim]:
    return [
        PredictedClaim(32, 55, "the senator"),  # 23 of the 33-character discontinuous content
        PredictedClaim(77, 96, "officials"),  # no-source gold: detected, speaker never matches
    ]


def test_align_pairs_one_to_one_by_largest_overlap(dev: Path) -> None:
    a = read_corpus(dev)[0]
    pairs = align(a.attributions, _preds_a())
    assert [(p.gold, p.pred, p.overlap, p.speaker_ok) for p in pairs] == [
        (0, 0, 35, True), (1, 1, 30, True), (2, 2, 25, True), (3, 3, 22, False),
    ]


def test_score_document_counts(dev: Path) -> None:
    a, b = read_corpus(dev)
    sa = score_document(a.attributions, _preds_a())
    assert (sa.all_det, sa.all_e2e) == (Counts(4, 1, 0), Counts(3, 2, 1))
    assert (sa.speech_det, sa.speech_e2e) == (Counts(3, 1, 0), Counts(3, 1, 0))
    assert (sa.speaker_hits, sa.speaker_pairs) == (3, 4)
    sb = score_document(b.attributions, _preds_b())
    assert (sb.all_det, sb.all_e2e) == (Counts(2, 0, 0), Counts(1, 1, 1))
    assert (sb.speech_det, sb.speech_e2e) == (Counts(1, 0, 0), Counts(1, 0, 0))
    assert (sb.speaker_hits, sb.speaker_pairs) == (1, 1)


def test_corpus_figures(dev: Path) -> None:
    docs = read_corpus(dev)
    flags = speech_flags(docs)
    assert flags == [[True, True, True, False], [True, False]]
    total: AttributionScore = score(docs, [_preds_a(), _preds_b()], flags)
    # det 6/1/0, e2e 4/3/2, speaker 4 of 5, speech det 4/1/0, speech e2e 4/1/0
    assert total.figures() == {
        "all det P": 85.7, "all det R": 100.0, "all det F1": 92.3, "all e2e F1": 61.5,
        "speaker acc": 80.0, "speech det P": 80.0, "speech det R": 100.0, "speech det F1": 88.9,
        "speech e2e F1": 88.9,
    }


def test_speech_only_ignores_predictions_paired_with_non_speech_gold(dev: Path) -> None:
    a = read_corpus(dev)[0]
    only_e4 = score_document(a.attributions, [PredictedClaim(187, 209, "Residents")])
    assert only_e4.all_det == Counts(1, 0, 3)
    assert only_e4.speech_det == Counts(0, 0, 3)


# ----------------------------------------------------------------------------- task


def test_published_of_file_name() -> None:
    assert published_of(DOC_A) == "2016-01-05"
    assert published_of("parc__wsj_0019") is None


@pytest.fixture(scope="session")
def rules_result() -> TaskResult:
    from accuracy.tasks.claims import run

    data = Path(__file__).resolve().parents[1] / "fixtures" / "accuracy" / "claims"
    return run(Options(data=data, modes=("rules",), peers=False))


def test_run_on_fixture_folder(rules_result: TaskResult) -> None:
    assert rules_result.missing == ["polnear-train"]
    assert rules_result.errors == []
    (row,) = rules_result.rows
    assert (row.field, row.corpus, row.system) == ("claims", "polnear-dev", "nevextract rules")
    assert row.size == "2 documents, 6 attributions (4 speech)"
    assert list(row.metrics) == [
        "all det P", "all det R", "all det F1", "all e2e F1", "speaker acc",
        "speech det P", "speech det R", "speech det F1", "speech e2e F1",
    ]
    assert all(0 <= v <= 100 for v in row.metrics.values())
    assert row.words_per_s is not None and row.words_per_s > 0
