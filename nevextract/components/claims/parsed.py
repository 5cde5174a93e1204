"""Claims, stage 2b: reported speech read from the dependency parse (hybrid, statistical).

The text rules (`finder.py`) read a speaker phrase of known shapes next to a cue word and take
a sentence's first reported claim. Where the model parsed the text, more is read:
- a cue verb's subject is its speaker whatever its shape ("The Indiana governor said", "The
  Clinton campaign says");
- a relative pronoun stands for its antecedent ("an architect who said he was stiffed");
- a coordinated verb shares the first verb's subject ("Ford cut prices and said ..."), and a
  participle after a comma its clause's subject ("Clinton mocked the complaint, saying ...");
  a participle of a noun says what the noun said ("one saying that ...");
- every cue of a sentence is read, not only the first; a contrasting one (", while analysts
  argued ...") also ends the first claim where it begins;
- a `names: true` cue ("called") gives 'X called Y "Z"': the object and what it is called.
The content is the cue's clausal complement (`ccomp`). This pass adds what the rules did not
find; it never replaces what they did.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from nevextract.components.claims.lexicon import CueEntry, Lexicon
from nevextract.components.claims.sentences import CLAUSE_STRIP, Layout, strip_span, word_count

# Relative pronouns: the speaker of "who said" is the noun the clause hangs from.
_RELATIVE = frozenset({"who", "which", "that"})
_SUBJECT_DEPS = frozenset({"nsubj"})
_MIN_CONTENT_WORDS = 3
# Conjunctions that open a contrasting claim of another speaker inside a sentence.
_CONTRAST = frozenset({"while", "whereas", "but", "although", "though"})
# A subject longer than this is a clause, not a speaker.
_MAX_SPEAKER_TOKENS = 10


@dataclass(frozen=True)
class ParsedClaim:
    """A cue verb with its subject and its clausal complement, as character spans."""

    speaker: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]
    entry: CueEntry
    speaker_root: Token  # the subject's head word (for its entity label)
    contrast_at: int | None = None  # where ", while"/", but" opens its clause (it ends an outer claim)


class ParsedCues:
    """Reads the parse of one document for cue verbs with a subject and a complement clause."""

    def __init__(self, lex: Lexicon, doc: Doc, layout: Layout) -> None:
        self.lex = lex
        self.doc = doc
        self.layout = layout

    def claims(self, start: int, end: int) -> Iterator[ParsedClaim]:
        """The parsed claims whose cue lies in text[start:end], in text order."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return
        for tok in span:
            found = self._claim(tok, start, end)
            if found is not None:
                yield found

    def _claim(self, verb: Token, start: int, end: int) -> ParsedClaim | None:
        if verb.pos_ not in ("VERB", "AUX") or self.layout.masked[verb.idx] != self.layout.text[verb.idx]:
            return None  # not a verb, or a word inside a quotation (the direct pass reads those)
        naming = self.lex.naming.get(verb.lower_)
        if naming is not None:
            return self._naming(verb, naming, start, end)
        entry = self.lex.cue(verb.text)
        if entry is None or entry.requires:
            return None
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        subject = self._subject(verb)
        if clause is None or subject is None:
            return None
        c_start, c_end = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
        if clause.left_edge.lower_ == "that" and clause.left_edge.dep_ == "mark":
            c_start = clause.left_edge.nbor().idx if clause.left_edge.i + 1 < len(self.doc) else c_end
        return self._assemble(verb, subject, entry, (c_start, c_end), (start, end), naming=False)

    def _naming(self, verb: Token, entry: CueEntry, start: int, end: int) -> ParsedClaim | None:
        """'Clinton called half of his supporters "deplorables"', 'the campaign called the
        charges unsubstantiated': the object and its predicate are what was said; a quoted
        word inside is part of it."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        predicate = next((c for c in verb.children if c.dep_ == "oprd" and obj is not None and c.i > obj.i), None)
        if predicate is None and obj is not None:
            # a quoted predicate is parsed as the object's apposition: 'called the tariffs "a tax"'
            predicate = next((c for c in obj.children if c.dep_ == "appos" and c.left_edge.i > 0
                              and c.doc[c.left_edge.i - 1].text != ","), None)
        subject = self._subject(verb)
        if obj is None or predicate is None or subject is None:
            return None
        last = max(predicate.right_edge.i, obj.right_edge.i)
        c_end = self.doc[last].idx + len(self.doc[last])
        return self._assemble(verb, subject, entry, (obj.left_edge.idx, c_end), (start, end), naming=True)

    def _assemble(self, verb: Token, subject: Token, entry: CueEntry, content: tuple[int, int],
                  sentence: tuple[int, int], naming: bool) -> ParsedClaim | None:
        """The claim of a cue verb, its subject and the character span of what was said, if
        the content lies in the sentence and has words enough; a reported clause must also
        stand clear of its cue and hold no quotation (the direct pass owns those), where a
        naming's content may ('called the tariffs "a tax"')."""
        speaker = _speaker_extent(subject)
        if speaker is None or (entry.sources_only and speaker.root.lower_ not in self.lex.sources):
            return None
        c_start, c_end = content
        if c_start < sentence[0] or c_end > sentence[1] or (not naming and c_start <= verb.idx < c_end):
            return None  # a naming's object may stand before its verb: "what he called a mistake"
        content = strip_span(self.layout.text, c_start, c_end, CLAUSE_STRIP)
        said = self.layout.text[content[0] : content[1]]
        if word_count(said) < _MIN_CONTENT_WORDS or (not naming and self.layout.masked[content[0] : content[1]] != said):
            return None
        cue = (verb.idx, verb.idx + len(verb))
        contrast = None if naming else _contrast(verb)  # a naming ("called ...") ends no other claim
        return ParsedClaim((speaker.start_char, speaker.end_char), cue, content, entry, speaker.root, contrast)

    @staticmethod
    def _subject(verb: Token) -> Token | None:
        """The cue's subject: its own, the antecedent of a relative pronoun, or the subject of
        the verb it is coordinated with."""
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None and subject.lower_ in _RELATIVE:
            return verb.head if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") else None
        if subject is not None:
            return subject
        participle = verb.tag_ == "VBG"
        if (verb.dep_ == "conj" or (verb.dep_ == "advcl" and participle and _after_comma(verb))) and verb.head.pos_ in ("VERB", "AUX"):
            # "Ford cut prices and said ...", "Clinton mocked the complaint, saying ..."
            return next((c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS), None)
        if verb.dep_ == "acl" and participle and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head  # "footage of Trump saying ...", "postings that included one saying ..."
        return None


def _speaker_extent(head: Token) -> Span | None:
    """The subject phrase up to its head word: its determiner, modifiers and compound name,
    not a relative clause, apposition or "of" phrase after it."""
    doc = head.doc
    start = head.left_edge.i
    if head.i - start + 1 > _MAX_SPEAKER_TOKENS:
        return None
    if any(t.is_punct and t.text not in (".", "'", "’") for t in doc[start : head.i + 1]):
        start = next(t.i for t in reversed(doc[start : head.i + 1]) if t.is_punct) + 1
    if start > head.i:
        return None
    return doc[start : head.i + 1]


def _contrast(verb: Token) -> int | None:
    """Where a contrasting clause of its own begins (", while analysts argued ...", ", but
    the union said ..."): the comma before its conjunction; None if the cue opens no such clause."""
    if verb.dep_ not in ("advcl", "conj"):
        return None
    mark = next((c for c in verb.children if c.dep_ in ("mark", "cc") and c.lower_ in _CONTRAST and c.i < verb.i), None)
    if mark is None and verb.dep_ == "conj":
        mark = next((c for c in verb.head.children if c.dep_ == "cc" and c.lower_ in _CONTRAST and c.i < verb.i), None)
    if mark is None or mark.i == 0 or mark.nbor(-1).text != ",":
        return None
    return mark.nbor(-1).idx


def _after_comma(verb: Token) -> bool:
    """Whether a comma stands right before the participle ("mocked it, saying ..."): without
    one the participle is often the object's ("footage of Li Na saying ...")."""
    return verb.i > 0 and verb.doc[verb.i - 1].text == ","
