"""The claims component: who said what, in direct quotes and reported speech.

It works on the text with cue words from `patterns/claim_cues.yaml`, so it runs the same in
every mode; the statistical model's PERSON and ORG entities and the organisations component's
records, when present, decide whether a speaker is a person or an organisation.

One pass over the body, in reading order, so that "he", "the company" and "Zhou" resolve
against the speakers already seen:
1. Quotation marks are paired (`quotes.py`) and the body is cut into sentences that never
   end inside a quote.
2. A quoted passage of three words or more is a direct claim when a speaker and a cue stand
   right after it ('"...," said X' / '"...," X said' / '"...," according to X') or right before
   it ('X said: "..."', 'X, an analyst at Y, put it bluntly: "..."'). A quote with no speaker of
   its own that follows one (split quotes) keeps that speaker.
3. Outside quotes, each sentence is searched for a cue: "X said (that) ...", "..., X said",
   "..., said X", "according to X, ...", "X's analysis shows ...".
4. Speakers are resolved: a full name stays; a surname, pronoun or description ("the
   association") becomes the nearest fitting named speaker; unnamed speakers ("analysts")
   are kept with `speaker_named=False`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, Union

import regex
from pydantic import BaseModel, ConfigDict, Field, RootModel
from spacy.language import Language
from spacy.tokens import Doc

from nevextract.nlp import text_of  # (importing nlp also declares the Doc extensions)
from nevextract.components.quotes import Quote, find_quotes
from nevextract.normalize.names import looks_like_person_name, name_parts, refers_to
from nevextract.patterns import load_all, pattern_dirs
from nevextract.records import Claim, ClaimLinks

PATTERN_FILE = "claim_cues.yaml"
_TIMEOUT = 2.0
_MIN_QUOTE_WORDS = 3  # shorter quoted words are scare quotes, titles or names
_MIN_CONTENT_WORDS = 3
_MAX_APPOSITION_CHARS = 250
# Work per cue is bounded so that no page (a run of 10,000 cue words) costs more than linear
# time: a speaker is looked for this far around its cue, and a sentence's first cues only.
_SPEAKER_WINDOW = 400
_MAX_CUES_PER_SENTENCE = 12

# Tiny grammatical closed classes (the open word lists live in claim_cues.yaml).
_AUX = frozenset(
    "has have had also further previously earlier later recently repeatedly once again "
    "would will may might could should has't then already reportedly publicly separately".split()
)
_PRONOUNS = {"he": "person", "she": "person", "it": "org", "they": "plural", "we": "plural"}
_DETERMINERS = frozenset("the this that these those".split())
_SENTENCE_ADVERBS = frozenset(
    "The A An In On At Meanwhile However Also Separately Earlier Later Today Now Still Yet But "
    "And So Then Last This Moreover Furthermore Instead Indeed Previously Recently Overall "
    "Speaking Asked Looking".split()
)
_NAME_CONNECTORS = frozenset("of and & for de la von van der du".split())
_CALENDAR = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec".split()
)
_FUNCTION_WORDS = frozenset(
    "on in at of for with who which that and or to by from as said says told added noted has have had".split()
)
# Words that make what follows a cue a clause of its own, not an adverbial.
_CLAUSE_WORDS = frozenset(
    "would will is are was were be been has have had can could may might should must did does do "
    "that it they he she we".split()
)
_PREPOSITIONS = frozenset("in at of with from for near".split())
_ADVERBIAL_START = frozenset("on in at during last this earlier late early later recently".split())
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st co corp inc ltd jr sr no vs gen gov rep sen jan feb mar apr jun jul "
    "aug sep sept oct nov dec u.s u.k e.g i.e etc".split()
)

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’.&-]*|&")
_SENTENCE_END = regex.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[\p{Lu}\p{N}])")
_ACRONYM_DEF = regex.compile(
    r"((?:\p{Lu}[\p{L}.&'-]*\s+(?:(?:of|and|for|&)\s+)?){1,8})\((\p{Lu}[\p{Lu}\p{N}&]{1,9})\)"
)
_TRAILING_ACRONYM = regex.compile(r"\s*\(\p{Lu}[\p{Lu}\p{N}&]{1,9}\)\s*$")
_ACRONYM_TOKEN = regex.compile(r"\p{Lu}[\p{Lu}\p{N}&]{1,9}s?")
_POSSESSIVE = regex.compile(r"['’]s$")
_TRAILING_PARENTHETICAL = regex.compile(r"\s*\([^()\n]{1,30}\)\s*$")
# An agency dateline before a sentence's subject: "BRUSSELS – ", "DETROIT, Nov 6 (PBJ) — ".
_DATELINE = regex.compile(r"\s*\p{Lu}[\p{Lu}\s.]{2,40}(?:,[^–—\n]{0,40})?\s*(?:–|—|-{1,2})\s+")
# Who is told: "told the Global Times", "told reporters", "told local media".
# An organisation in an apposition: a capitalised name right after "at/of/with" (and "the").
_ROLE_ORG = regex.compile(
    r"\b(?:at|of|with|for|from)\s+(?:the\s+)?(\p{Lu}[\p{L}\p{N}&.-]*(?:\s+(?:(?:of|and|for|&)\s+)?\p{Lu}[\p{L}\p{N}&.-]*){0,7})"
)
_LISTENER = regex.compile(
    r"(?:(?:the|a|an)\s+)?(?:\p{Lu}[\p{L}\p{N}.&'’-]*\s*){1,5}(?=[\s,.;]|$)"
    r"|(?:(?:the|local|state|foreign)\s+)?(?:reporters|journalists|media|press|investors|analysts|lawmakers)\b"
)


# --------------------------------------------------------------------------- pattern data


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueEntry(_Entry):
    type: Literal["cue"]
    cue: str
    forms: list[str] = Field(min_length=1)
    needs_that: bool = False
    content_first: bool = False
    inverted: bool = False
    takes_object: bool = False
    sources_only: bool = False
    quote_intro: bool = False
    weak: bool = False
    requires: str | None = None
    participles: list[str] = Field(default_factory=list)  # "saying", "adding": a second claim


class PhraseEntry(_Entry):
    type: Literal["phrase"]
    forms: list[str] = Field(min_length=1)


class DescriptorEntry(_Entry):
    type: Literal["descriptor"]
    words: list[str] = Field(min_length=1)
    person: bool = False
    types: list[str] = Field(default_factory=list)
    name_words: list[str] = Field(default_factory=list)
    any_org: bool = False


class WordsEntry(_Entry):
    type: Literal["source", "unnamed", "title", "org_word"]
    words: list[str] = Field(min_length=1)


class ClaimPatternEntry(RootModel[Annotated[Union[CueEntry, PhraseEntry, DescriptorEntry, WordsEntry], Field(discriminator="type")]]):
    """One entry of claim_cues.yaml (the `type` key says which kind)."""


# capitalised words that start sentences or titles, not a person's given name
_NOT_FIRST_NAMES = frozenset({
    "the", "a", "an", "and", "but", "mr", "ms", "mrs", "dr", "said", "says", "according", "chairman", "president",
    "minister", "analyst", "director", "chief", "ceo", "when", "while", "after", "before", "as", "at", "in", "on",
})


def _alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first, spaces matching any whitespace."""
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in ordered)


class Lexicon:
    """The claim pattern data, indexed for matching."""

    def __init__(self, entries: Sequence[ClaimPatternEntry]) -> None:
        self.cues: dict[str, CueEntry] = {}
        self.participles: dict[str, CueEntry] = {}
        self.phrases: list[str] = []
        self.descriptors: list[DescriptorEntry] = []
        words: dict[str, set[str]] = {"source": set(), "unnamed": set(), "title": set(), "org_word": set()}
        for wrapped in entries:
            e = wrapped.root
            if isinstance(e, CueEntry):
                for form in e.forms:
                    self.cues[form.lower()] = e
                for form in e.participles:
                    self.participles[form.lower()] = e
            elif isinstance(e, PhraseEntry):
                self.phrases.extend(f.lower() for f in e.forms)
            elif isinstance(e, DescriptorEntry):
                self.descriptors.append(e)
            else:
                words[e.type].update(e.words)
        self.sources = {w.lower() for w in words["source"]}
        self.unnamed = {w.lower() for w in words["unnamed"]}
        self.titles = {w.lower() for w in words["title"]}
        self.org_words = set(words["org_word"])
        self.descriptor_words = {w.lower(): d for d in self.descriptors for w in d.words}
        cue_alt = _alternation(self.cues)
        phrase_alt = _alternation(self.phrases) or r"(?!)"
        # Cues are matched as written (lowercase): "States" in "United States" is no cue.
        self.cue_re = regex.compile(rf"(?<![\p{{L}}-])(?:{cue_alt})(?![\p{{L}}-])")
        # A second claim by the sentence's subject: "..., saying (that) ...", "... and said ...".
        self.follower_re = regex.compile(
            rf"(?:,|(?<=·)[\"”’])\s+(?:{_alternation(self.participles) or '(?!)'})(?![\p{{L}}-])"  # after a comma, or one inside a quote
            rf"|\s+and\s+(?:(?:also|later|then)\s+)?(?:{cue_alt})(?![\p{{L}}-])"
        )
        self.phrase_re = regex.compile(rf"(?<![\p{{L}}-])(?:{phrase_alt})(?![\p{{L}}-])", regex.I)
        self.title_re = regex.compile(
            rf"(?<![\p{{L}}-])(?:{_alternation(self.titles)})(?![\p{{L}}-])", regex.I
        )
        self.title_end_re = regex.compile(rf"(?:{self.title_re.pattern})$", regex.I)  # "... purchasing chief"

    def cue(self, text: str) -> CueEntry | None:
        key = regex.sub(r"\s+", " ", text.lower())
        return self.cues.get(key) or self.participles.get(key)


def load_lexicon(extra: Sequence[str] = ()) -> Lexicon:
    return Lexicon(load_all(PATTERN_FILE, ClaimPatternEntry, pattern_dirs(extra)))


# --------------------------------------------------------------------------- text layout


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def _inside(quotes: Sequence[Quote], opens: Sequence[int], pos: int) -> Quote | None:
    """The quote whose words contain `pos` (strictly after its opening mark)."""
    i = bisect.bisect_left(opens, pos) - 1
    if i >= 0 and quotes[i].open_at < pos <= quotes[i].close_at:
        return quotes[i]
    return None


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the period at text[period] ends an abbreviation or an initial ("Co.", "J.")."""
    m = regex.search(r"([\p{L}.]+)$", text[max(0, period - 12) : period])
    if not m:
        return False
    word = m.group(1)
    return word.lower().rstrip(".") in _ABBREVIATIONS or regex.fullmatch(r"\p{Lu}", word) is not None


def split_sentences(text: str, quotes: Sequence[Quote]) -> list[Sentence]:
    """Sentences of every paragraph; a sentence never ends inside a quoted passage."""
    opens = [q.open_at for q in quotes]
    sentences: list[Sentence] = []
    start = 0
    paragraph = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            s = start
            for m in _SENTENCE_END.finditer(text, start, end, timeout=_TIMEOUT):
                if _inside(quotes, opens, m.end()) or (text[m.start()] == "." and _is_abbreviation(text, m.start())):
                    continue
                sentences.append(Sentence(s, m.end(), paragraph))
                s = m.end()
            sentences.append(Sentence(s, end, paragraph))
            paragraph += 1
        start = end + 1
    return [s for s in sentences if text[s.start : s.end].strip()]


def _mask_quotes(text: str, quotes: Sequence[Quote]) -> str:
    """The text with quoted words blanked out, so cues inside quotes are not read as ours."""
    parts = []
    last = 0
    for q in quotes:
        parts.append(text[last : q.start])
        parts.append("·" * (q.end - q.start))
        last = q.end
    parts.append(text[last:])
    return "".join(parts)


def _words(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Words with offsets; a sentence's full stop is not part of its last word ("Ye Can.")."""
    out = []
    for m in _WORD.finditer(text):
        w, end = m.group(), m.end()
        if w.endswith(".") and len(w) > 2 and w[:-1].lower() not in _ABBREVIATIONS and "." not in w[:-1]:
            w, end = w[:-1], end - 1
        out.append((m.start() + base, end + base, w))
    return out


_QUOTE_STRIP = " \t\n,;:.\"“”'‘’—–-"  # around quoted words
_CLAUSE_STRIP = " \t\n,;:.—–-"  # around reported speech (its own quote marks stay)


def _strip_span(text: str, start: int, end: int, chars: str = _QUOTE_STRIP) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


# --------------------------------------------------------------------------- speakers


@dataclass
class Phrase:
    """A speaker as written: where it is, and what kind of phrase it is."""

    start: int
    end: int
    text: str
    kind: Literal["name", "pronoun", "descriptor", "unnamed"]
    source: bool = False  # "the CAAM data", "a report by Rhodium Group"
    title: str | None = None  # "chairman" in "BYD chairman Wang Chuanfu"
    title_org: str | None = None
    outer: int | None = None  # start of "data from X" or "BYD chairman X" around the name X

    @property
    def lead(self) -> int:
        """Where the whole speaker phrase begins (the content, if first, ends before it)."""
        return self.start if self.outer is None else self.outer


@dataclass
class Speaker:
    name: str
    named: bool
    person: bool
    role: str | None = None
    organisation: str | None = None


@dataclass
class OrgInfo:
    name: str
    type: str | None
    spans: list[tuple[int, int]]


@dataclass
class _State:
    """Speakers seen so far, for resolving later mentions."""

    persons: list[Speaker] = field(default_factory=list)
    person_pos: list[int] = field(default_factory=list)
    org_counts: dict[str, int] = field(default_factory=dict)
    org_last: dict[str, int] = field(default_factory=dict)
    last: Speaker | None = None

    def add(self, sp: Speaker, pos: int) -> None:
        self.last = sp
        if not sp.named:
            return
        if sp.person:
            for i, p in enumerate(self.persons):
                if p.name == sp.name:
                    self.persons.pop(i)
                    self.person_pos.pop(i)
                    break
            self.persons.append(sp)
            self.person_pos.append(pos)
        else:
            self.org_counts[sp.name] = self.org_counts.get(sp.name, 0) + 1
            self.org_last[sp.name] = pos


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
        ctx = _Context(self, doc, text, quotes, sentences)
        return ctx.run()


# --------------------------------------------------------------------------- one document


@dataclass
class _Found:
    speaker: Phrase
    cue: str
    cue_span: tuple[int, int]
    content: tuple[int, int]
    kind: Literal["direct", "indirect"]
    apposition: tuple[int, int] | None = None
    entry: CueEntry | None = None


class _Context:
    """Everything known about one document while its claims are found."""

    def __init__(self, finder: ClaimFinder, doc: Doc, text: str, quotes: list[Quote], sentences: list[Sentence]) -> None:
        self.f = finder
        self.lex = finder.lex
        self.doc = doc
        self.text = text
        self.masked = _mask_quotes(text, quotes)
        self.quotes = quotes
        self.quote_opens = [q.open_at for q in quotes]
        self.quote_closes = [q.close_at for q in quotes]
        self.sentences = sentences
        self.sent_starts = [s.start for s in sentences]
        self.state = _State()
        self.orgs = self._organisations()
        self.acronyms = self._acronyms()
        self.ents = self._entities()
        self.claims: list[Claim] = []
        self.used_cues: set[int] = set()

    # ------------------------------------------------------------------ inputs

    def _organisations(self) -> list[OrgInfo]:
        found = self.doc._.nev_organisations
        if found:
            return [OrgInfo(o.name, o.type, [(m.start, m.end) for m in o.mentions]) for o in found]
        if not self.f.use_model:
            return []
        groups: dict[str, OrgInfo] = {}
        for ent in self.doc.ents:
            if ent.label_ == "ORG":
                name = regex.sub(r"^(?:the|The)\s+", "", ent.text)
                groups.setdefault(name, OrgInfo(name, None, [])).spans.append((ent.start_char, ent.end_char))
        return list(groups.values())

    def _acronyms(self) -> dict[str, str]:
        """Acronyms the text defines: "China Passenger Car Association (CPCA)" -> CPCA."""
        out: dict[str, str] = {}
        for m in _ACRONYM_DEF.finditer(self.text, timeout=_TIMEOUT):
            name = regex.sub(r"^(?:The)\s+", "", m.group(1).strip())
            out.setdefault(m.group(2), name)
        return out

    def _entities(self) -> list[tuple[int, int, str]]:
        if not self.f.use_model or not self.doc.has_annotation("ENT_IOB"):
            return []
        return [(e.start_char, e.end_char, e.label_) for e in self.doc.ents]

    # ------------------------------------------------------------------ main loop

    def run(self) -> list[Claim]:
        by_sentence: dict[int, list[Quote]] = {}
        for q in self.quotes:
            if _word_count(self.text[q.start : q.end]) >= _MIN_QUOTE_WORDS:
                by_sentence.setdefault(self._sentence_of(q.close_at), []).append(q)
        last_direct: tuple[int, _Found, Speaker] | None = None
        for si, sent in enumerate(self.sentences):
            for q in by_sentence.get(si, []):
                found = self._direct(q, sent)
                if found is not None:
                    sp = self._resolve(found.speaker, found.apposition)
                    if sp is not None:
                        self._emit(found, sp)
                        last_direct = (si, found, sp)
                    continue
                if last_direct is not None and self._continues(q, sent, si, last_direct[0]):
                    prev, sp = last_direct[1], last_direct[2]
                    cont = _Found(prev.speaker, prev.cue, prev.cue_span, _strip_span(self.text, q.start, q.end), "direct")
                    self._emit(cont, sp)
                    last_direct = (si, cont, sp)
            found = self._indirect(sent)
            sp = None
            if found is not None:
                sp = self._resolve(found.speaker, found.apposition)
                if sp is not None and found.entry and found.entry.weak and not sp.named:
                    sp = None
            first = found if sp is not None else None
            if first is None and last_direct is not None and last_direct[0] == si:
                # '"...," he said, adding that ...': the quote's speaker goes on
                first, sp = last_direct[1], last_direct[2]
                found = None
            followers = self._followers(sent, first)
            if found is not None and sp is not None:
                if followers and found.content[0] < followers[0][0].cue_span[0] < found.content[1]:
                    # "He said A, adding that B": A ends where the second claim begins.
                    head = self.text[found.content[0] : followers[0][0].cue_span[0]]
                    head = regex.sub(r"(?:[\s,;]+(?:and|but))?[\s,;]*$", "", head)
                    found.content = _strip_span(self.text, found.content[0], found.content[0] + len(head), _CLAUSE_STRIP)
                self._emit(found, sp)
            for follower, fsp in followers:
                self._emit(follower, fsp if fsp is not None else sp)
        return self.claims

    def _sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def _continues(self, q: Quote, sent: Sentence, si: int, last_si: int) -> bool:
        """A quote standing alone as a sentence right after an attributed quote continues it."""
        if si - last_si != 1 or self.sentences[last_si].paragraph < sent.paragraph - 1:
            return False
        outside = self.text[sent.start : q.open_at] + self.text[q.close_at + 1 : sent.end]
        return _word_count(outside) == 0

    # ------------------------------------------------------------------ direct quotes

    def _direct(self, q: Quote, sent: Sentence) -> _Found | None:
        content = _strip_span(self.text, q.start, q.end)
        after = self._after_quote(q, sent, content)
        if after is not None:
            return after
        open_sent = self.sentences[self._sentence_of(q.open_at)]
        return self._before_quote(q, open_sent, content)

    def _after_quote(self, q: Quote, sent: Sentence, content: tuple[int, int]) -> _Found | None:
        """'"...," said X' / '"...," X said' / '"...," according to X'."""
        start = q.close_at + 1
        end = self._next_quote_or(start, sent.end)
        m = regex.match(r"[\s,]*", self.text[start:end])
        pos = start + (m.end() if m else 0)
        head = self.masked[pos:end]
        cue_m = self.lex.cue_re.match(head) or self.lex.phrase_re.match(head)
        if cue_m is not None:
            phrase = self._np_forward(pos + cue_m.end(), end)
            if phrase is None:
                return None
            appos = self._apposition_after(phrase.end, end)
            cue_span = (pos, pos + cue_m.end())
            return _Found(phrase, self.text[cue_span[0] : cue_span[1]], cue_span, content, "direct", appos)
        # "X said", "X, an analyst at Y, said": the cue must follow the speaker phrase.
        for cm in self.lex.cue_re.finditer(self.masked, pos, end, timeout=_TIMEOUT):
            cue_start = self._aux_start(pos, cm.start())
            phrase, appos = self._np_backward(pos, cue_start, whole=True)
            if phrase is None:
                return None
            cue_span = (cue_start, cm.end())
            self.used_cues.add(cm.start())
            return _Found(phrase, self.text[cue_span[0] : cue_span[1]], cue_span, content, "direct", appos)
        return None

    def _before_quote(self, q: Quote, sent: Sentence, content: tuple[int, int]) -> _Found | None:
        """'X said: "..."', 'X, role at Y, notes, "..."', 'X put it bluntly: "..."'."""
        start = max(sent.start, self._previous_quote_end(q.open_at))
        lead = self.masked[start : q.open_at]
        m = regex.search(r"[,:]?\s*$", lead)
        if m is None:
            return None
        end = start + m.start()
        colon = ":" in m.group()
        cues = list(self.lex.cue_re.finditer(self.masked, start, end, timeout=_TIMEOUT))
        if cues:
            cm = cues[-1]
            entry = self.lex.cue(cm.group())
            tail = self.masked[cm.end() : end]
            # 'X said: "..."', 'X told reporters, "..."', 'X said "..."' - but not 'X said it
            # was "..."', where the quote is part of reported speech.
            if entry is not None and entry.quote_intro and _word_count(tail) <= (4 if m.group().strip() else 0):
                cue_start = self._aux_start(start, cm.start())
                phrase, appos = self._np_backward(start, cue_start)
                if phrase is not None:
                    self.used_cues.add(cm.start())
                    return _Found(phrase, self.text[cue_start:end], (cue_start, end), content, "direct", appos, entry)
        if colon:
            return self._colon_intro(start, end, content)
        return None

    def _colon_intro(self, start: int, end: int, content: tuple[int, int]) -> _Found | None:
        """'X, an analyst at Y, put it bluntly: "..."': a speaker at the clause start, a short
        verb phrase, a colon."""
        segs = self._segments(start, end)
        if not segs:
            return None
        last_s, last_e = segs[-1]
        words = _words(self.masked[last_s:last_e], last_s)
        if not words:
            return None
        # The speaker leads the clause; its verb phrase follows (in the last segment).
        for i, (s, e) in enumerate(segs):
            phrase = self._np_exact(s, e) if i < len(segs) - 1 else None
            if phrase is not None and phrase.kind == "name":
                if _word_count(self.masked[last_s:last_e]) > 5:
                    return None
                appos = (segs[i + 1][0], segs[-2][1]) if i + 1 < len(segs) - 1 else None
                return _Found(phrase, self.text[last_s:last_e], (last_s, last_e), content, "direct", appos)
            if i < len(segs) - 1 and not self._is_intro(s, e):
                break
        # No comma: "Zhou put it this way:" - a name then at most four words.
        for k in range(1, min(len(words), 5)):
            phrase = self._np_exact(words[0][0], words[k - 1][1])
            if phrase is not None and phrase.kind in ("name", "pronoun") and len(words) - k <= 4:
                cue = (words[k][0], words[-1][1])
                return _Found(phrase, self.text[cue[0] : cue[1]], cue, content, "direct")
        return None

    def _next_quote_or(self, pos: int, default: int) -> int:
        """Where the next quote opens, if before `default`."""
        i = bisect.bisect_left(self.quote_opens, pos)
        if i < len(self.quotes) and self.quotes[i].open_at < default:
            return self.quotes[i].open_at
        return default

    def _previous_quote_end(self, pos: int) -> int:
        """Just after the last quote that closes before `pos` (0 if none)."""
        i = bisect.bisect_left(self.quote_closes, pos) - 1
        return self.quote_closes[i] + 1 if i >= 0 else 0

    # ------------------------------------------------------------------ reported speech

    def _indirect(self, sent: Sentence) -> _Found | None:
        """The first reported claim in a sentence, from its earliest cue that yields one."""
        s, e = sent.start, sent.end
        matches = [(m.start(), m.end(), None) for m in self.lex.phrase_re.finditer(self.masked, s, e, timeout=_TIMEOUT)]
        for m in self.lex.cue_re.finditer(self.masked, s, e, timeout=_TIMEOUT):
            entry = self.lex.cue(m.group())
            if entry is not None and m.start() not in self.used_cues:
                matches.append((m.start(), m.end(), entry))
        for ms, me, entry in sorted(matches, key=lambda x: x[0])[:_MAX_CUES_PER_SENTENCE]:
            found = self._according_to(sent, ms, me) if entry is None else self._reported(sent, ms, me, entry)
            if found is not None:
                return found
        return None

    def _followers(self, sent: Sentence, first: _Found | None) -> list[tuple[_Found, Speaker | None]]:
        """Claims that share a speaker with the sentence's subject: "Volkswagen declined to
        comment, saying it would ...", "He expects ... and said Sarvam would need ...". With
        a first claim they follow it and share its speaker (None here: the caller's)."""
        if first is None and self.masked[sent.start : sent.end].lstrip()[:1] in ('"', "“", "·"):
            return []
        after = first.cue_span[1] if first is not None else sent.start
        out: list[tuple[_Found, Speaker | None]] = []
        matches = list(self.lex.follower_re.finditer(self.masked, after, sent.end, timeout=_TIMEOUT))[:_MAX_CUES_PER_SENTENCE]
        subject: Speaker | None = None
        if first is None and matches:
            subject = self._subject(sent, matches[0].start())
            if subject is None:
                return []
        for i, m in enumerate(matches):
            verb = regex.search(r"\p{L}+$", m.group())
            entry = self.lex.cue(verb.group()) if verb else None
            if entry is None or (entry.weak and first is None and not subject.named):
                continue
            stop = matches[i + 1].start() if i + 1 < len(matches) else sent.end
            content = self._forward_content(m.end(), stop, entry)
            if content is None:
                continue
            cue_start = m.start() + verb.start()  # the verb alone: "said", not "and said"
            speaker = first.speaker if first is not None else Phrase(sent.start, sent.start, "", "name")
            found = _Found(speaker, self.text[cue_start : m.end()], (cue_start, m.end()), content, "indirect", None, entry)
            out.append((found, subject))
        return out

    def _after_dateline(self, start: int, limit: int) -> int:
        """Where a sentence's own words begin: past an agency dateline ("BRUSSELS – ",
        "BEIJING, March 5 -- "), which is neither a speaker nor part of what was said."""
        dateline = _DATELINE.match(self.masked, start, limit)
        return dateline.end() if dateline is not None else start

    def _subject(self, sent: Sentence, limit: int) -> Speaker | None:
        """The speaker that opens a sentence ("Volkswagen", "The company", "She"), followed by
        its lowercase verb: the longest such phrase of up to six words."""
        start = self._after_dateline(sent.start, limit)
        words = _words(self.masked[start:limit], start)[:7]
        for k in range(min(6, len(words) - 1), 0, -1):
            nxt = words[k][2]
            if not nxt[:1].islower() or (nxt in _FUNCTION_WORDS and nxt not in _ADVERBIAL_START):
                continue
            phrase = self._np_exact(start, words[k - 1][1])
            if phrase is not None and phrase.kind == "name" and not self._names_speaker(phrase):
                return None  # "Buyers queued ...": a capitalised common noun, not a name
            if phrase is not None and phrase.kind in ("name", "pronoun", "descriptor"):
                sp = self._resolve(phrase, None)
                return sp if sp is not None and sp.named else None
        return None

    def _names_speaker(self, phrase: Phrase) -> bool:
        """Whether a capitalised phrase at a sentence start is a name: a known organisation or
        speaker, a name shaped like an organisation's, or a person's full name."""
        text = regex.sub(r"^(?:the|The)\s+", "", phrase.text)
        return (
            self._org_at(phrase.start, phrase.end) is not None
            or self._known_person(text) is not None
            or self._is_org_name(text)
            or (len(name_parts(text)) > 1 and looks_like_person_name(text))
        )

    def _according_to(self, sent: Sentence, ps: int, pe: int) -> _Found | None:
        clause_end = self._clause_end(pe, sent.end)
        phrase = self._np_forward(pe, clause_end, last_resort=True)
        if phrase is None:
            return None
        start = self._after_dateline(sent.start, ps)
        before = self.masked[start:ps]
        if _word_count(before) >= _MIN_CONTENT_WORDS:
            content = _strip_span(self.text, start, ps, _CLAUSE_STRIP)
        else:
            content = _strip_span(self.text, clause_end, sent.end, _CLAUSE_STRIP)
        if _word_count(self.text[content[0] : content[1]]) < _MIN_CONTENT_WORDS:
            return None
        return _Found(phrase, self.text[ps:pe], (ps, pe), content, "indirect")

    def _reported(self, sent: Sentence, cs: int, ce: int, entry: CueEntry) -> _Found | None:
        floor = max(sent.start, cs - _SPEAKER_WINDOW)
        cue_start = self._aux_start(floor, cs)
        # a party tag or an age between name and cue is the speaker's, not the speaker:
        # "Sen. Maria Okafor (D-Ore.) said", "Tom Reddy (54) said"
        tag = _TRAILING_PARENTHETICAL.search(self.masked, floor, cue_start)
        phrase, appos = self._np_backward(floor, tag.start() if tag is not None else cue_start)
        inverted = False
        if phrase is None and entry.inverted:
            phrase = self._np_forward(ce, self._clause_end(ce, sent.end))
            inverted = phrase is not None
        if phrase is None:
            return None
        if entry.sources_only and not (phrase.source or phrase.text.lower().split()[-1] in self.lex.sources):
            return None
        start = self._after_dateline(sent.start, cs if inverted else phrase.lead)
        before = self.masked[start : (cs if inverted else phrase.lead)]
        after_start = phrase.end if inverted else ce
        if inverted:
            appos = self._apposition_after(phrase.end, sent.end)
        rest = self.masked[after_start : sent.end]
        cue_text = self.text[cue_start:ce]
        if phrase.source and not inverted:
            cue_text = regex.sub(r"^['’]s\s+", "", self.text[phrase.end : ce].strip()) or cue_text
        if self._ends_clause(rest, entry) and regex.search(r",\s*$", before) and _word_count(before) >= _MIN_CONTENT_WORDS:
            if not entry.content_first:
                return None
            content = _strip_span(self.text, start, start + len(before), _CLAUSE_STRIP)
            return _Found(phrase, cue_text, (cue_start, ce), content, "indirect", appos, entry)
        if inverted:
            return None
        content = self._forward_content(ce, sent.end, entry)
        if content is None:
            return None
        return _Found(phrase, cue_text, (cue_start, ce), content, "indirect", appos, entry)

    def _ends_clause(self, rest: str, entry: CueEntry) -> bool:
        """True when what follows a cue is only a listener ("told reporters") or an adverbial
        ("on Monday", "in a statement") before a comma or the sentence end, so the content
        came before the cue."""
        rest = rest.strip()
        if entry.takes_object:
            obj = _LISTENER.match(rest)
            if obj is not None:
                rest = rest[obj.end() :].strip()
        if not rest or rest[0] in ",.;!?":
            return True
        # "in a filing to the stock exchange": a prepositional phrase with no verb of its own.
        m = regex.match(r"(\w+)\b[^,.;:\"“]{0,100}?(?:[,.;]|$)", rest)
        if not m or m.group(1).lower() not in _ADVERBIAL_START or _word_count(m.group()) > 12:
            return False
        return not any(w.lower() in _CLAUSE_WORDS for w in _WORD.findall(m.group()))

    def _forward_content(self, ce: int, end: int, entry: CueEntry) -> tuple[int, int] | None:
        """What a forward cue reports: after an optional listener or adverbial and "that"."""
        start = ce
        rest = self.masked[ce:end]
        if rest.lstrip()[:1] in (":", "“", '"') or regex.match(r"\s*[,:]\s*[\"“]", rest):
            return None  # a quotation follows: the direct pass owns it
        that = regex.match(r"((?:\s+[^\s,;:]+){0,7}?)\s+that\b", rest)
        if that is not None and self._skippable(that.group(1), entry):
            start = ce + that.end()
        elif entry.needs_that:
            return None
        else:
            adv = regex.match(r"\s+(?:on|in|at|last|this|earlier)\s+(?:\p{Lu}\w*|\d[\w ,]*?|a \w+|an \w+|\w+ \d+)(?=\s)", rest)
            if adv is not None and adv.group().split()[0].lower() in ("on", "last", "earlier"):
                start = ce + adv.end()
        content = _strip_span(self.text, start, end, _CLAUSE_STRIP)
        body = self.text[content[0] : content[1]]
        if _word_count(body) < _MIN_CONTENT_WORDS:
            return None
        if entry.requires and not regex.search(rf"\b{regex.escape(entry.requires)}\b", body):
            return None
        return content

    def _skippable(self, between: str, entry: CueEntry) -> bool:
        """Whether the words between a cue and "that" are a listener or an adverbial."""
        words = between.split()
        if not words:
            return True
        if "·" in between or any(w.lower() in _CLAUSE_WORDS for w in words):
            return False  # 'said the delay was "..." noting that': a clause, not a listener
        first = words[0]
        return first.lower() in _ADVERBIAL_START or entry.takes_object or first[:1].isupper() or first.lower() in (
            "reporters", "media", "the", "a", "an", "local", "state", "investors", "analysts", "us", "him", "her", "them"
        )

    def _clause_end(self, pos: int, end: int) -> int:
        m = regex.compile(r"[,;]|\s+(?:citing|adding|saying)\b").search(self.masked, pos, end)
        return m.start() if m else end

    # ------------------------------------------------------------------ phrases

    def _aux_start(self, floor: int, cue_start: int) -> int:
        """Extend a cue back over auxiliaries and adverbs ("has also said")."""
        pos = cue_start
        while True:
            m = regex.search(r"(\w+(?:'t)?)\s+$", self.masked[max(floor, pos - 30) : pos])
            if m is None or m.group(1).lower() not in _AUX:
                return pos
            pos = max(floor, pos - 30) + m.start()

    def _np_backward(self, floor: int, end: int, whole: bool = False) -> tuple[Phrase | None, tuple[int, int] | None]:
        """The speaker phrase that ends where a cue begins, with any apposition between."""
        seg_text = self.masked[floor:end]
        if regex.search(r",\s*$", seg_text):
            return self._np_with_apposition(floor, end)
        phrase = self._np_tail(floor, end)
        # `whole`: nothing but the speaker stands between floor and cue - with any title and
        # organisation written before the name ('"...," managing director Ananya Kulkarni told').
        gap = self.masked[floor : phrase.start].strip(" \t,") if phrase is not None else ""
        if phrase is not None and whole and gap and not (phrase.title and _word_count(gap) <= 6):
            return None, None
        return phrase, None

    def _np_with_apposition(self, floor: int, end: int) -> tuple[Phrase | None, tuple[int, int] | None]:
        """'X, secretary-general of Y, said' (the speaker leads, after any introductory phrase)
        or '..., X, secretary-general of Y, said' (the content leads): the first segment that
        is a whole speaker phrase, and the apposition after it."""
        segs = self._segments(floor, end)
        if len(segs) >= 2:
            titled = self._title_then_name(segs[-2], segs[-1])
            if titled is not None:
                return titled
        content_before = False
        for i, (s, e) in enumerate(segs[:-1]):
            phrase = self._np_exact(s, e)
            if phrase is not None and not (content_before and phrase.kind == "pronoun"):
                appos = (segs[i + 1][0], segs[-1][1])
                if appos[1] - appos[0] > _MAX_APPOSITION_CHARS:
                    return None, None
                return phrase, appos
            if not self._is_intro(s, e):
                content_before = True
        return None, None

    def _title_then_name(self, title: tuple[int, int], name: tuple[int, int]) -> tuple[Phrase | None, tuple[int, int] | None]:
        """"Volkswagen's purchasing chief, Stefan Ruhl, said": a segment ending in a job title,
        then a person's name. The name speaks; the title segment is its apposition."""
        if not self.lex.title_end_re.search(self.masked, title[0], title[1]):
            return None
        if _word_count(self.masked[title[0] : title[1]]) > 8:
            return None
        phrase = self._np_exact(*name)
        if phrase is None or phrase.kind != "name" or phrase.title is not None:
            return None
        if self._org_at(phrase.start, phrase.end) is not None or not looks_like_person_name(phrase.text):
            return None
        phrase.outer = title[0]
        return phrase, title

    def _segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """Comma-separated parts of masked[start:end], stripped, parentheses kept whole."""
        out = []
        depth = 0
        s = start
        for i in range(start, end):
            ch = self.masked[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth = max(0, depth - 1)
            elif ch == "," and depth == 0:
                out.append(_strip_span(self.masked, s, i, " \t"))
                s = i + 1
        out.append(_strip_span(self.masked, s, end, " \t,"))
        return [(a, b) for a, b in out if b > a]

    def _is_intro(self, s: int, e: int) -> bool:
        """An introductory phrase before the subject ("Meanwhile", "In a statement on July 24")."""
        words = self.masked[s:e].split()
        return bool(words) and (words[0] in _SENTENCE_ADVERBS or words[0].lower() in _ADVERBIAL_START or len(words) <= 6)

    def _np_exact(self, s: int, e: int) -> Phrase | None:
        phrase = self._np_tail(s, e)
        if phrase is None or self.masked[s : phrase.start].strip():
            return None
        return phrase

    def _np_tail(self, floor: int, end: int) -> Phrase | None:
        """The speaker phrase ending at `end`: a name, pronoun, description or unnamed group."""
        text = self.masked
        s, e = _strip_span(text, floor, end, " \t")
        if e <= s:
            return None
        acr = _TRAILING_ACRONYM.search(text, s, e)
        name_end = acr.start() if acr else e
        words = _words(text[s:name_end], s)
        if not words:
            return None
        source = False
        if words[-1][2].lower() in self.lex.sources and len(words) > 1 and words[-2][2].lower() not in _DETERMINERS:
            source = True
            words = words[:-1]
            last = words[-1][2]
            if _POSSESSIVE.search(last):
                words[-1] = (words[-1][0], words[-1][1] - 2, last[:-2])
            name_end = words[-1][1]
        last_word = words[-1][2]
        lower = last_word.lower()
        if lower in _PRONOUNS:
            return Phrase(words[-1][0], words[-1][1], last_word, "pronoun")
        qualified = self._qualified_unnamed(words, s, e)
        if qualified is not None:
            return qualified
        if last_word[:1].islower() or last_word == "&" or lower in self.lex.unnamed:
            return self._np_common(words, source)
        return self._np_name(words, e if not source else name_end, source)

    def _qualified_unnamed(self, words: list[tuple[int, int, str]], s: int, e: int) -> Phrase | None:
        """'one dealer in Shanghai', 'analysts at Morgan Stanley': an unnamed head with a
        prepositional phrase after it (the whole phrase is kept as the speaker)."""
        for k in range(len(words) - 2, max(-1, len(words) - 8), -1):
            if words[k][2].lower() not in _PREPOSITIONS or k == 0:
                continue
            head = words[k - 1][2].lower()
            if head in self.lex.unnamed and "," not in self.masked[words[k][0] : e]:
                phrase = self._np_common(words[:k], False)
                if phrase is not None and phrase.kind == "unnamed":
                    phrase.end = words[-1][1]
                    phrase.text = self.text[phrase.start : phrase.end]
                    return phrase
        return None

    def _np_common(self, words: list[tuple[int, int, str]], source: bool) -> Phrase | None:
        """'the company', 'the electric carmaker', 'industry analysts', 'the report'."""
        last = words[-1][2].lower()
        two = f"{words[-2][2].lower()} {last}" if len(words) >= 2 else ""
        head = two if two in self.lex.descriptor_words else last
        i = len(words) - 1 - (1 if head == two and two else 0)
        if head in self.lex.descriptor_words or (source and last in self.lex.sources):
            j = i
            while j > 0 and j > i - 3 and words[j - 1][2].lower() not in _DETERMINERS and (
                words[j - 1][2][:1].islower() or words[j - 1][2].isupper() or words[j - 1][2].endswith("-based")
            ):  # modifiers: "the electric carmaker", "the Michigan-based EV maker"
                j -= 1
            if j > 0 and words[j - 1][2].lower() in _DETERMINERS:
                start = words[j - 1][0]
                return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "descriptor", source)
        if last in self.lex.unnamed or (source and last in self.lex.sources):
            j = len(words) - 1
            while j > 0 and j > len(words) - 4 and words[j - 1][2].lower() not in ("that", "which", "and", "but", "as", "said"):
                j -= 1
            start = words[j][0]
            return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "unnamed", source)
        return None

    def _np_name(self, words: list[tuple[int, int, str]], end: int, source: bool) -> Phrase | None:
        """A run of capitalised words ending at the last word ("China Passenger Car Association")."""
        j = len(words) - 1
        while j > 0:
            prev = words[j - 1][2]
            gap = self.masked[words[j - 1][1] : words[j][0]]
            if gap.strip() not in ("", "&"):
                break
            if prev[:1].isupper() or prev == "&":
                j -= 1
            elif prev.lower() in _NAME_CONNECTORS and j > 1 and words[j - 2][2][:1].isupper() and not gap.strip():
                j -= 2 if self.masked[words[j - 2][1] : words[j - 1][0]].strip() == "" else 1
            else:
                break
        run = words[j:]
        while run and (run[0][2] in _SENTENCE_ADVERBS or run[0][2].lower() in _NAME_CONNECTORS or run[0][2].endswith("-based")):
            run = run[1:]
        outer = None
        k = j - 1 if j >= 1 and words[j - 1][2].lower() != "the" else j - 2  # "data from (the) X"
        if k >= 1 and words[k][2].lower() in ("from", "by", "of"):
            lead = [w for w in words[max(0, k - 3) : k] if w[2].lower() in self.lex.sources]
            if lead:
                source = True  # "data from the CAAM", "a report by Rhodium Group"
                outer = lead[0][0]
        if not run or run[-1][2].endswith("-based") or run[-1][2] in _CALENDAR:
            return None
        title = title_org = None
        title_lead = run[0][0] if run else None
        for k in range(len(run) - 1):
            # "Helion Chief Executive Markus Brandt": a capitalised title, of one or more
            # words, inside the run; what comes before it is the organisation.
            tm = self.lex.title_re.match(self.masked, run[k][0], run[-2][1])
            ends = [i for i in range(k, len(run) - 1) if tm is not None and run[i][1] == tm.end()]
            if ends:
                title = tm.group()
                title_org = " ".join(x[2] for x in run[:k]) or None
                run = run[ends[0] + 1 :]
                break
        if title is None and j > 0:
            # "BYD chairman Wang Chuanfu": a lowercase title between an organisation and a name.
            title, title_org, title_lead = self._title_before(words[:j], run[0][0])
        if title is not None and title_lead is not None:
            outer = title_lead if outer is None else min(outer, title_lead)
        start = run[0][0]
        det = regex.search(r"(?:^|\s)((?:the|The)\s+)$", self.masked[max(0, start - 5) : start])
        if det is not None and title is None:
            start -= len(det.group(1))
        stop = max(run[-1][1], end if source else run[-1][1])
        stop = min(stop, end)
        text = self.text[start:stop]
        return Phrase(start, stop, text, "name", source, title, title_org, outer)

    def _title_before(self, words: list[tuple[int, int, str]], name_start: int) -> tuple[str | None, str | None, int | None]:
        """'BYD chairman', "Kestrel's operations director": a lowercase title right before a
        name, with up to two lowercase modifiers that belong to it, after its organisation."""
        lead = self.masked[max(0, name_start - 60) : name_start]
        for m in self.lex.title_re.finditer(lead):
            if not lead[m.end() :].strip():
                mod = regex.search(r"(?<![\p{L}\p{N}'’-])(?:\p{Ll}[\p{Ll}-]+\s+){1,2}$", lead[: m.start()])
                title_start = m.start()
                if mod is not None and not any(w in _FUNCTION_WORDS | _DETERMINERS for w in mod.group().split()):
                    title_start = mod.start()
                base = name_start - len(lead)
                org_words: list[tuple[int, int, str]] = []
                for ws, we, w in reversed(words):
                    if we > base + title_start:
                        continue
                    gap_end = org_words[-1][0] if org_words else base + title_start
                    if self.masked[we:gap_end].strip(" \t&"):
                        break  # punctuation ends the organisation's name ("in May, BYD")
                    if w[:1].isupper() or w == "&":
                        org_words.append((ws, we, w))
                    else:
                        break
                org = " ".join(w for _, _, w in reversed(org_words)).replace("'s", "").replace("’s", "") or None
                return lead[title_start : m.end()], org, org_words[-1][0] if org_words else base + title_start
        return None, None, None

    def _np_forward(self, pos: int, end: int, last_resort: bool = False) -> Phrase | None:
        """The speaker phrase after a cue or "according to" ("said Zhou Lan", "according to a
        report by Rhodium Group", "according to the company")."""
        end = min(end, pos + _SPEAKER_WINDOW)
        m = regex.match(r"\s*", self.masked[pos:end])
        s = pos + (m.end() if m else 0)
        stop = self._clause_end(s, end)
        window = self.masked[s:stop]
        src = regex.match(
            r"(?:(?:a|an|the)\s+)?(?:[\p{Ll}-]+\s+){0,3}?(\w+)(?:\s+[\p{Ll}-]+){0,2}?\s+(?:by|from|of)\s+(?:the\s+)?", window
        )
        source = bool(src) and src.group(1).lower() in self.lex.sources
        if source:
            s += src.end()
            window = self.masked[s:stop]
        words = _words(window, s)
        if not words:
            return None
        if words[0][2].lower() in _PRONOUNS:
            return Phrase(words[0][0], words[0][1], words[0][2], "pronoun")
        runs = self._capitalised_runs(words)
        for run in runs:
            if self._modifier_or_recipient(run, stop):
                continue
            phrase = self._np_name(run, run[-1][1], False)
            if phrase is not None:
                phrase.source = source or phrase.source
                acr = regex.match(r"\s*\(\p{Lu}[\p{Lu}\p{N}&]{1,9}\)", self.masked[phrase.end : stop])
                if acr:
                    phrase.end += acr.end()
                    phrase.text = self.text[phrase.start : phrase.end]
                return phrase
        common = _words(self.masked[s : self._np_common_end(s, stop)], s)
        if common:
            return self._np_common(common, source)
        return None

    def _modifier_or_recipient(self, run: list[tuple[int, int, str]], stop: int) -> bool:
        """A name that only modifies a noun ("the Canadian government website") or receives
        ("a press release sent to the Global Times") is not the speaker."""
        nxt = regex.match(r"\s+([\p{Ll}]+)", self.masked[run[-1][1] : stop])
        if nxt is not None and nxt.group(1) not in self.lex.sources and nxt.group(1) not in _FUNCTION_WORDS:
            return True
        return regex.search(r"(?i)(?<!according\s)\bto\s+(?:the\s+)?$", self.masked[max(0, run[0][0] - 20) : run[0][0]]) is not None

    def _np_common_end(self, s: int, stop: int) -> int:
        """End of a lowercase noun phrase: before a preposition or adverbial."""
        m = regex.compile(r"\s+(?:on|in|at|last|this|earlier|with|who|which|that)\b").search(self.masked, s, stop)
        return m.start() if m else stop

    def _capitalised_runs(self, words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
        runs: list[list[tuple[int, int, str]]] = []
        cur: list[tuple[int, int, str]] = []
        for i, w in enumerate(words):
            cap = w[2][:1].isupper() or w[2] == "&"
            connector = w[2].lower() in _NAME_CONNECTORS and cur and i + 1 < len(words) and words[i + 1][2][:1].isupper()
            if (cap or connector) and not (cur and self.masked[cur[-1][1] : w[0]].strip() not in ("", "&")):
                if w[2].endswith("-based"):
                    cur = []
                    continue
                cur.append(w)
            else:
                if cur:
                    runs.append(cur)
                cur = [w] if cap else []
        if cur:
            runs.append(cur)
        return [r for r in runs if r[-1][2] not in _CALENDAR and r[0][2] not in ("The",) or len(r) > 1]

    def _apposition_after(self, pos: int, end: int) -> tuple[int, int] | None:
        """', a senior analyst at Y' after a speaker: up to the next comma or the sentence end."""
        m = regex.match(r"\s*\(\p{Lu}[\p{Lu}\p{N}&]{1,9}\)", self.masked[pos:end])
        if m:
            pos += m.end()
        m = regex.match(r",\s*([^,;]{2,%d})" % _MAX_APPOSITION_CHARS, self.masked[pos:end])
        if m is None or regex.match(r"\p{Ll}+ing\b|who\b|which\b", m.group(1)):
            return None  # ", adding that ...", ", citing ...": not a description of the speaker
        return _strip_span(self.text, pos + m.start(1), pos + m.end(1))

    # ------------------------------------------------------------------ resolution

    def _resolve(self, phrase: Phrase, appos: tuple[int, int] | None) -> Speaker | None:
        if phrase.kind == "pronoun":
            return self._resolve_pronoun(phrase)
        if phrase.kind == "descriptor":
            return self._resolve_descriptor(phrase)
        if phrase.kind == "unnamed":
            # "a BYD spokesperson": the organisation, when a known one or one by its shape.
            org = regex.search(r"\p{Lu}[\p{L}\p{N}&.-]*(?:\s+\p{Lu}[\p{L}\p{N}&.-]*)*", phrase.text[1:])
            organisation = None
            if org is not None:
                at = phrase.start + 1 + org.start()
                known = self._org_at(at, at + len(org.group()))
                organisation = known or (self._canonical_org(org.group()) if self._is_org_name(org.group()) else None)
            return Speaker(phrase.text, named=False, person=True, organisation=organisation)
        return self._resolve_name(phrase, appos)

    def _resolve_pronoun(self, phrase: Phrase) -> Speaker | None:
        kind = _PRONOUNS[phrase.text.lower()]
        if kind == "person":
            # The nearest person: the last person quoted, or one the model found after them.
            entity = self._person_entity_before(phrase.start)
            if self.state.persons and (entity is None or self.state.person_pos[-1] >= entity[0]):
                return self.state.persons[-1]
            return entity[1] if entity is not None else None
        if kind == "org":
            return self._org_speaker(phrase.start, lambda o: True, recent=True)
        last = self.state.last
        return last if last is not None and not last.named else None

    def _person_entity_before(self, pos: int) -> tuple[int, Speaker] | None:
        """The last PERSON entity before `pos` (a known speaker if it names one)."""
        # The model's PERSON label alone is not trusted where the organisations component
        # found an organisation ("Bankhaus Lenz") or the name is not shaped like one.
        persons = [
            (s, e) for s, e, label in self.ents
            if label == "PERSON" and e <= pos and self._org_at(s, e) is None
            and looks_like_person_name(self.text[s:e])
        ]
        if not persons:
            return None
        s, e = persons[-1]
        name = self.text[s:e]
        known = self._known_person(name)
        return s, known if known is not None else Speaker(name, named=True, person=True)

    def _resolve_descriptor(self, phrase: Phrase) -> Speaker | None:
        words = phrase.text.lower().split()
        head = " ".join(words[-2:]) if " ".join(words[-2:]) in self.lex.descriptor_words else words[-1]
        desc = self.lex.descriptor_words.get(head)
        if desc is None:  # "the data": any organisation
            return self._org_speaker(phrase.start, lambda o: True, recent=True)
        if desc.person:
            return self.state.persons[-1] if self.state.persons else None
        # "Kestrel secured a grant from the APC, the government-backed body said": a fitting
        # organisation named earlier in the same sentence is the one meant (the first, which
        # is usually the subject), before any speaker from earlier sentences.
        sent_start = self.sentences[self._sentence_of(phrase.start)].start
        local = [
            (s, o.name) for o in self.orgs if self._fits(desc, o)
            for s, e in o.spans if sent_start <= s and e <= phrase.start
        ]
        if local:
            name = min(local)[1]
            return Speaker(name, named=True, person=False, organisation=name)
        return self._org_speaker(phrase.start, lambda o: self._fits(desc, o), recent=desc.any_org)

    def _fits(self, desc: DescriptorEntry, org: OrgInfo) -> bool:
        if desc.any_org:
            return True
        if org.type is not None and org.type in desc.types:
            return True
        names = set(regex.findall(r"[\p{L}]+", org.name))
        if names & set(desc.name_words):
            return True
        if org.type is None and "company" in desc.words:
            # An organisation of unknown type is a company unless its name says otherwise.
            return not any(names & set(d.name_words) for d in self.lex.descriptors if d is not desc)
        return False

    def _org_speaker(self, pos: int, fits, recent: bool) -> Speaker | None:
        """The organisation a description or "it" stands for: among fitting organisations that
        have spoken, the one that spoke most (the most recent for "it"); else the nearest
        fitting organisation mentioned before."""
        by_name = {o.name: o for o in self.orgs}
        spoken = [n for n in self.state.org_counts if fits(by_name.get(n, OrgInfo(n, None, [])))]
        if spoken:
            if recent:
                best = max(spoken, key=lambda n: self.state.org_last[n])
            else:
                best = max(spoken, key=lambda n: (self.state.org_counts[n], self.state.org_last[n]))
            return Speaker(best, named=True, person=False, organisation=best)
        best_pos, best_name = -1, None
        for o in self.orgs:
            if not fits(o):
                continue
            for s, e in o.spans:
                if e <= pos and s > best_pos:
                    best_pos, best_name = s, o.name
        if best_name is None:
            return None
        return Speaker(best_name, named=True, person=False, organisation=best_name)

    def _resolve_name(self, phrase: Phrase, appos: tuple[int, int] | None) -> Speaker | None:
        org = self._org_at(phrase.start, phrase.end)
        label = self._entity_label(phrase.start, phrase.end)
        text = regex.sub(r"^(?:the|The)\s+", "", phrase.text)
        text = _TRAILING_ACRONYM.sub("", text).strip()
        if self.f.use_model and not self.f.use_rules and org is None and label not in ("PERSON", "ORG"):
            return None  # statistical mode: only the model's entities name speakers
        if org is None and len(name_parts(text)) == 1 and not self._is_org_name(text):
            text = self._full_name_before(phrase.start, text) or text  # "Green" after "Sean Green"
        if org is None and label != "PERSON":
            known = self._known_person(text)
            if known is not None:
                return known
            # Documents and data are mostly published by organisations ("a survey by X").
            if self._is_org_name(text) or label == "ORG" or phrase.source or not looks_like_person_name(text):
                name = self.acronyms.get(text, text)
                return Speaker(name, named=True, person=False, organisation=name)
        if org is not None:
            return Speaker(org, named=True, person=False, organisation=org)
        known = self._known_person(text)
        if known is not None:
            return known
        role, organisation = self._role(appos)
        if phrase.title and role is None:
            role = phrase.title.lower() if not phrase.title.isupper() else phrase.title
            organisation = self._canonical_org(phrase.title_org) if phrase.title_org else None
        return Speaker(text, named=True, person=True, role=role, organisation=organisation)

    def _full_name_before(self, pos: int, part: str) -> str | None:
        """The full name a lone surname refers to, from earlier in the text: a PERSON entity,
        else a run of capitalised name parts around it ("Sean Green" for "Green")."""
        for s, e, label in reversed(self.ents):
            if label == "PERSON" and e <= pos and len(name_parts(self.text[s:e])) > 1 and refers_to(part, self.text[s:e]):
                return self.text[s:e]
        pattern = rf"(?<![\p{{L}}\p{{N}}])(?:\p{{Lu}}[\p{{Ll}}'’-]+ ){{1,2}}{regex.escape(part)}(?![\p{{L}}\p{{N}}])"
        for m in reversed(list(regex.finditer(pattern, self.text[:pos], timeout=1.0))):
            name = m.group()
            first = name_parts(name)[0]
            if looks_like_person_name(name) and first.casefold() not in _NOT_FIRST_NAMES:
                return name
        return None

    def _known_person(self, text: str) -> Speaker | None:
        for p in reversed(self.state.persons):
            if refers_to(text, p.name):
                return p
        return None

    def _is_org_name(self, text: str) -> bool:
        words = text.split()
        return any(w.strip(".,") in self.lex.org_words for w in words) or any(
            _ACRONYM_TOKEN.fullmatch(w) for w in words
        )

    def _org_at(self, s: int, e: int) -> str | None:
        for o in self.orgs:
            for ms, me in o.spans:
                if ms < e and s < me:
                    return o.name
        return None

    def _entity_label(self, s: int, e: int) -> str | None:
        for es, ee, label in self.ents:
            if es < e and s < ee and label in ("PERSON", "ORG"):
                return label
        return None

    def _canonical_org(self, name: str) -> str:
        name = regex.sub(r"^(?:the|The)\s+", "", name.strip())
        for o in self.orgs:
            if any(self.text[s:e] == name for s, e in o.spans) or o.name == name:
                return o.name
        return self.acronyms.get(name, name)

    def _role(self, appos: tuple[int, int] | None) -> tuple[str | None, str | None]:
        """Role and organisation from an apposition: "secretary-general of the China Passenger
        Car Association" gives both; "a senior analyst at a Shanghai consultancy" names no
        organisation (the name after "a" only describes it)."""
        if appos is None:
            return None, None
        text = self.text[appos[0] : appos[1]]
        m = regex.match(r"(?:(?:a|an|the)\s+)?(.*?)(?:\s+(?:at|of|with|for|from|in)\s+(.*))?$", text)
        if m is None:
            return None, None
        role = m.group(1).strip() or None
        organisation = None
        possessive = regex.match(r"(\p{Lu}[^,]*?)['’]s\s+(.+)$", role or "")
        if possessive is not None:  # "Leap Motor's founder and CEO"
            organisation, role = self._canonical_org(possessive.group(1)), possessive.group(2)
        else:  # "the company's chief executive": the description names no organisation
            role = regex.sub(r"^\p{Ll}+['’]s\s+", "", role or "") or None
        for om in _ROLE_ORG.finditer(text):
            if not om.group(1).endswith("-based"):
                organisation = self._canonical_org(om.group(1))
                break
        return role, organisation

    # ------------------------------------------------------------------ output

    def _emit(self, found: _Found, sp: Speaker) -> None:
        start, end = found.content
        if end <= start:
            return
        # Where the speaker was last mentioned: after any inverted name and its apposition
        # ('said Julia Hartmann, an analyst at X'), so that names inside it are not newer.
        pos = max(found.cue_span[0], found.speaker.end, found.apposition[1] if found.apposition else 0)
        self.state.add(sp, pos)
        self.claims.append(
            Claim(
                speaker=sp.name,
                speaker_named=sp.named,
                role=sp.role if sp.person else None,
                organisation=sp.organisation,
                cue=regex.sub(r"\s+", " ", found.cue.strip(" ,:")) or found.cue,
                kind=found.kind,
                content=self.text[start:end],
                start=start,
                end=end,
                links=self._links(start, end),
            )
        )

    def _links(self, start: int, end: int) -> ClaimLinks:
        orgs = [o.name for o in self.orgs if any(start <= s and e <= end for s, e in o.spans)]
        quantities = self.doc._.nev_quantities or []
        dates = self.doc._.nev_dates or []
        return ClaimLinks(
            organisations=orgs,
            quantities=[i for i, q in enumerate(quantities) if start <= q.start and q.end <= end],
            dates=[i for i, d in enumerate(dates) if start <= d.start and d.end <= end],
        )


@Language.factory(
    "nevextract_claims",
    default_config={"use_rules": True, "use_model": True, "patterns": []},
)
def make_claims(nlp: Language, name: str, use_rules: bool, use_model: bool, patterns: list[str]) -> ClaimFinder:
    """Attributed statements: `doc._.nev_claims` (runs after organisations, quantities, dates)."""
    return ClaimFinder(use_rules=use_rules, use_model=use_model, patterns=patterns)
