"""The claims component: who said what, in direct quotes and reported speech.

It works on the text with cue words from `patterns/claim_cues.yaml`, so it runs in every
mode; where the model parsed the text (hybrid, statistical) the dependency parse adds the
claims the text rules miss (`parsed.py`). The statistical model's PERSON and ORG entities and
the organisations component's records, when present, decide whether a speaker is a person or
an organisation.

One pass over the body, in reading order, so that "he", "the company" and "Zhou" resolve
against the speakers already seen:
1. Quotation marks are paired (`quotes.py`) and the body is cut into sentences that never
   end inside a quote (`sentences.py`).
2. A quoted passage of three words or more is a direct claim when a speaker and a cue stand
   right after it ('"...," said X' / '"...," X said' / '"...," according to X') or right before
   it ('X said: "..."', 'X, an analyst at Y, put it bluntly: "..."'). A quote with no speaker of
   its own that follows one (split quotes) keeps that speaker (`finder.py`).
3. Outside quotes, each sentence is searched for a cue: "X said (that) ...", "..., X said",
   "..., said X", "according to X, ...", "X's analysis shows ..." (`finder.py`, with the cue
   words of `lexicon.py`; the speaker phrase around a cue is found by `speakers.py`).
   With a parse, each cue verb of the sentence with a subject and a clausal complement that
   the rules did not use gives a claim too: subjects of any shape ("The Indiana governor
   said"), relative pronouns ("an architect who said"), a contrasting second claim ("...,
   while analysts argued ...", which ends the first) (`parsed.py`).
4. Speakers are resolved: a full name stays; a surname, pronoun or description ("the
   association") becomes the nearest fitting named speaker; unnamed speakers ("analysts")
   are kept with `speaker_named=False` (`resolution.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from nevextract.nlp import text_of  # (importing nlp also declares the Doc extensions)
from nevextract.components.claims.finder import DocumentSearch
from nevextract.components.claims.lexicon import (
    PATTERN_FILE, ClaimPatternEntry, CueEntry, DescriptorEntry, Lexicon, PhraseEntry, WordsEntry, load_lexicon,
)
from nevextract.components.claims.resolution import OrgInfo, Speaker
from nevextract.components.claims.sentences import Layout, Sentence, split_sentences
from nevextract.components.claims.speakers import Phrase
from nevextract.components.quotes import find_quotes
from nevextract.records import Claim

__all__ = [
    "ClaimFinder", "make_claims", "PATTERN_FILE", "load_lexicon", "Lexicon", "ClaimPatternEntry", "CueEntry",
    "PhraseEntry", "DescriptorEntry", "WordsEntry", "Sentence", "split_sentences", "Phrase", "Speaker", "OrgInfo",
]


class ClaimFinder:
    def __init__(self, use_rules: bool = True, use_model: bool = True, patterns: Sequence[str] = ()) -> None:
        self.use_rules = use_rules
        self.use_model = use_model
        self.lex = load_lexicon(patterns)

    # ------------------------------------------------------------------ entry point

    def __call__(self, doc: Doc) -> Doc:
        doc._.nev_claims = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[Claim]:
        text = text_of(doc)
        quotes = find_quotes(text)
        sentences = split_sentences(text, quotes)
        search = DocumentSearch(
            self.lex, doc, Layout(text, quotes, sentences), use_rules=self.use_rules, use_model=self.use_model
        )
        return search.run()


@Language.factory(
    "nevextract_claims",
    default_config={"use_rules": True, "use_model": True, "patterns": []},
)
def make_claims(nlp: Language, name: str, use_rules: bool, use_model: bool, patterns: list[str]) -> ClaimFinder:
    """Attributed statements: `doc._.nev_claims` (runs after organisations, quantities, dates)."""
    return ClaimFinder(use_rules=use_rules, use_model=use_model, patterns=patterns)
