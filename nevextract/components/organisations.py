"""The organisations component: gazetteer, name-shape rules and the model's ORG entities,
folded into one entry per organisation with all its mentions.

Candidates come from three places:
- rules: the gazetteer (`organisations.jsonl`, matched case-sensitively), names built around a
  head word ("China Association of Automobile Manufacturers", "National Development and
  Reform Commission"), and acronyms defined in the text ("... Administration (NEA)");
- model: ORG entities, kept only when they look like names (general filters below);
then overlapping candidates are resolved, written forms folded (`normalize.organisations`),
and every written form found is searched again so later mentions are not missed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

import regex
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan, Token

from nevextract.components.organisation_names import load_name_classifier, name_features
from nevextract.nlp import text_of  # (importing nlp also declares the Doc extensions)
from nevextract.normalize.organisations import OrganisationPatterns, abbreviates, initials
from nevextract.patterns import pattern_dirs
from nevextract.records import FoundBy, Organisation, Span

_CONNECTORS = frozenset({"and", "&"})
_AFFILIATION_CONNECTORS = frozenset({"and", "&", "of", "de"})  # "Bank of America"
# inside one name of a list ("analysts at UBS, Morningstar and Baird"), "and" separates names
_LIST_CONNECTORS = frozenset({"&", "of", "de"})
# Closed classes that end a description before its head noun ("a brand for batteries that
# the company ...") and verbs that make "the carmaker said" a clause, not a description.
_DESCRIPTION_STOPS = frozenset({"at", "in", "for", "with", "that", "which", "who", "whose", "from", "by", "and", "or"})
_FINITE_VERBS = frozenset({"said", "says", "told", "tells", "added", "adds", "announced", "announces", "is", "was",
                           "has", "had", "will", "would", "reported", "reports", "expects", "plans", "confirmed"})
_COMPLEMENT_START = frozenset({"of", "for"})
_ACRONYM = regex.compile(r"[A-Z][A-Z0-9&]{1,9}s?")
_MIXED_ALNUM = regex.compile(r"\p{L}\d|\d\p{L}")
_TICKER = regex.compile(r"[A-Z]{1,5}")
_INNER_CAPITAL = regex.compile(r"\p{Ll}{1,2}\p{Lu}\p{L}")  # eBay, iRobot
_SEARCH_TIMEOUT = 2.0
# An organisation's name does not follow these: "a Budapest consultancy", "its China
# Electronic Architecture" name a kind of thing or a product.
_NOT_BEFORE_NAMES = frozenset({"a", "an", "its", "their", "his", "her", "our", "my", "your"})
_PLACE_WORDS = frozenset({"province", "city", "county", "state", "district", "region"})
_LOWERCASE_KEY = "nevextract_lowercase_words"
_POSITIONS_KEY = "nevextract_word_positions"
# Dependency labels of a word that modifies a noun ("the Standard version", "Atlas shares").
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
# Words that open a sentence before a name without being part of it ("At Royal Dutch Shell").
_FUNCTION_WORDS = frozenset({"at", "in", "on", "for", "by", "from", "with", "to", "of", "as", "the", "a", "an", "and",
                             "but", "or", "while", "after", "before", "when", "if", "since", "because", "unlike"})
# The model's entity labels whose spans are read as candidate names (see `_model_orgs`).
_NAME_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "PRODUCT", "FAC", "WORK_OF_ART", "LAW", "EVENT", "LOC"})
# No organisation's name is longer (in tokens) than this.
_LONGEST_NAME = 8


@dataclass
class Candidate:
    start: int  # token indexes
    end: int
    by: set[str]  # {"rules", "model"}
    canonical: str | None = None  # gazetteer name
    type: str | None = None
    acronym_of: int | None = None  # index of the candidate this acronym abbreviates
    label: str = ""  # the model's entity label it came from ("" for a rule's candidate)


@dataclass
class _Group:
    name: str
    canonical: bool
    type: str | None
    by: set[str] = field(default_factory=set)
    forms: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # char offsets
    common_noun_uses: int = 0  # mentions read as "a X", "the X version": a product or place


def _has_indefinite(doc: Doc, spans: list[tuple[int, int]]) -> bool:
    return any(
        (tok := doc.char_span(s, e, alignment_mode="expand")) is not None
        and tok.start > 0 and doc[tok.start - 1].lower_ in ("a", "an")
        for s, e in spans
    )


def _used_as_common_noun(span: SpacySpan, members: Collection[str] = ()) -> int:
    """1 when a name is used like a common noun: after "a"/"an", or as a modifier of a
    lowercase noun ("the Standard version", "a Naxtra pack") other than one of `members`
    ("Atlas shares" is an organisation's use); 100 when it is used as a place, which one use
    settles."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in _NOT_BEFORE_NAMES:
        return 1
    after = doc[span.end : span.end + 3]
    starts_paragraph = span.start == 0 or "\n" in doc[span.start - 1].whitespace_ or doc[span.start - 1].is_space
    if starts_paragraph and span.text.isupper() and len(after) >= 1 and after[0].text in (",", "-", "–", "—", "--"):
        return 100  # a dateline: "FRANKFURT, March 3 (Newswire) -", "DETROIT — "
    if len(after) >= 1 and after[0].text in ("-", "–") :
        return 1  # "Lexus-branded"
    if span.start >= 3 and doc[span.start - 1].lower_ == "called" and doc[span.start - 2].text == "-" \
            and doc[span.start - 3].lower_ == "so":
        return 100  # "the so-called Battery Booster": the name of a thing
    if len(after) >= 2 and after[0].text == "," and (
        after[1].ent_type_ in ("GPE", "LOC") or (len(after) == 3 and after[2].lower_ in _PLACE_WORDS)
    ):
        return 100  # "Jinhua, Zhejiang province", "Hefei, China's EV capital": a place, always
    last = span[-1]
    if last.dep_ == "conj" and last.head.dep_ in _MODIFIER_DEPS:
        last = last.head  # "the Standard and Max versions": both modify "versions"
    if last.dep_ in _MODIFIER_DEPS and last.head.i > span[-1].i and last.head.text.islower() \
            and last.head.text not in members:
        return 1
    return 0


def lowercase_words(doc: Doc) -> frozenset[str]:
    """The words the document writes in lower case (read once per document)."""
    words = doc.user_data.get(_LOWERCASE_KEY)
    if words is None:
        words = doc.user_data[_LOWERCASE_KEY] = frozenset(t.text for t in doc if t.is_lower)
    return words


def _positions(doc: Doc) -> dict[str, list[int]]:
    """Where each word of the document is (token indexes; read once per document)."""
    where = doc.user_data.get(_POSITIONS_KEY)
    if where is None:
        where = doc.user_data[_POSITIONS_KEY] = {}
        for t in doc:
            where.setdefault(t.text, []).append(t.i)
    return where


def _capitalised_ordinary_word(span: SpacySpan) -> bool:
    """"Sodium is abundant ... sodium-ion": one word that opens a sentence and is a stop word
    or written in lower case elsewhere in the document."""
    first = span[0]
    return len(span) == 1 and bool(first.is_sent_start) and not first.is_upper and (
        first.is_stop or first.lower_ in lowercase_words(span.doc)
    )


def _acronym_letters(text: str) -> str | None:
    """The initials an acronym stands for ("EVs" -> "EV", "S&T" -> "ST"); None for no acronym."""
    return text.removesuffix("s").replace("&", "") if _ACRONYM.fullmatch(text) else None


def _section_label(span: SpacySpan) -> bool:
    """One word alone on its line ("Tech", "Autos"): a page's section label, not a name the
    model may read as one (the gazetteer and the rules still find a known name there)."""
    if len(span) != 1:
        return False
    text = span.doc.text
    i, j = span.start_char, span.end_char
    while i > 0 and text[i - 1] in " \t":  # only the blanks right before it: linear in the page
        i -= 1
    while j < len(text) and text[j] in " \t":
        j += 1
    return (i == 0 or text[i - 1] == "\n") and (j == len(text) or text[j] == "\n")


def _hyphenated_word_ending(doc: Doc, i: int) -> str:
    """The word that ends at token i, hyphenated parts joined ("start-up" for "start - up")."""
    s = i
    while s >= 2 and doc[s - 1].text == "-" and not doc[s - 2].whitespace_ and not doc[s - 1].whitespace_:
        s -= 2
    return doc[s : i + 1].text


def _is_name_token(tok: Token) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and t not in ("The", "A", "An")


class OrganisationFinder:
    def __init__(
        self, nlp: Language, use_rules: bool = True, use_model: bool = True, patterns: Sequence[str] = (),
        use_gazetteer: bool = True, classify: bool = True,
    ):
        """`classify=False` leaves the name classifier out: every candidate is kept (what its
        training script reads, as features never depend on a previous model)."""
        self.use_rules = use_rules
        self.use_model = use_model
        self.pats = OrganisationPatterns.load(patterns, gazetteer=use_gazetteer)
        self.classifier = load_name_classifier(pattern_dirs(patterns)) if classify else None
        self._kind_tails = frozenset(k.split("-")[-1] for k in self.pats.kinds)  # last token of each kind noun
        self._org_words = frozenset(self.pats.heads) | self.pats.name_suffixes | self.pats.legal_suffixes
        # One matcher label per canonical name: a match names its entry itself, so the lookup
        # can never disagree with the matcher about spacing ("Mercedes - Benz" matches the
        # tokens of "Mercedes-Benz"; its text, with spaces, is no key of `surface`).
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_name: dict[str, list[str]] = {}
        for form, name in sorted(self.pats.surface.items()):
            by_name.setdefault(name, []).append(form)
        for name, forms in by_name.items():
            self.matcher.add(name, [nlp.make_doc(f) for f in forms])

    # ------------------------------------------------------------------ candidates
    def _gazetteer(self, doc: Doc) -> Iterator[Candidate]:
        for match_id, s, e in self.matcher(doc):
            name = doc.vocab.strings[match_id]
            yield Candidate(s, self._legal_tail(doc, e), {"rules"}, canonical=name, type=self.pats.entries[name].type)

    def _legal_tail(self, doc: Doc, end: int) -> int:
        """Past a legal form written after a name: "BYD Co., Ltd." as one mention."""
        while True:
            k = end + 1 if end < len(doc) and doc[end].text == "," else end
            if k < len(doc) and doc[k].text in self.pats.legal_suffixes:
                end = k + 1
                continue
            return end

    def _lowercase_bodies(self, doc: Doc) -> Iterator[Candidate]:
        """A ministry written in lower case, as many sites do: "the ministry of heavy
        industries said" - up to four lowercase words after "of", before a verb or a stop."""
        n = len(doc)
        for i in range(n - 2):
            if doc[i].text != "ministry" or doc[i + 1].lower_ != "of":
                continue
            k = i + 2
            while k < n and k - i - 2 < 4 and doc[k].is_alpha and doc[k].is_lower \
                    and doc[k].lower_ not in _FINITE_VERBS and doc[k].lower_ not in _DESCRIPTION_STOPS:
                k += 1
            if k > i + 2:
                yield Candidate(i, k, {"rules"}, type="government body")

    def _head_names(self, doc: Doc) -> Iterator[Candidate]:
        """Names shaped "<Modifiers> Head [of <Complement>]" around a head word."""
        heads = self.pats.heads
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            if tok.text not in heads:
                i += 1
                continue
            start = i
            while start > 0:
                prev = doc[start - 1]
                if _is_name_token(prev) and prev.ent_type_ not in ("NORP", "PERSON", "DATE", "CARDINAL") \
                        and not self._title(prev):
                    start -= 1
                elif prev.lower_ in _CONNECTORS and start >= 2 and _is_name_token(doc[start - 2]):
                    start -= 1
                else:
                    break
            while start < i and doc[start].lower_ in _CONNECTORS:
                start += 1
            end = i + 1
            if end < n and doc[end].lower_ in _COMPLEMENT_START:
                j = end + 1
                if j < n and doc[j].lower_ == "the":
                    j += 1
                k = j
                while k < n and not self._title(doc[k]) and not (k > j and self._after_legal_form(doc, k)) and (
                    (_is_name_token(doc[k]) and doc[k].ent_type_ != "PERSON")
                    or (doc[k].lower_ in _CONNECTORS and k + 1 < n and _is_name_token(doc[k + 1]))
                    or (doc[k].text in ("'s", "’s") and k > j and k + 1 < n and _is_name_token(doc[k + 1])
                        and not self._head_follows(doc, k + 1))
                ):  # "... the Chinese People's Political Consultative Conference" is one name, but
                    # "Department of Energy's Loan Programs Office" is two: a head word follows;
                    # and "Bank of America Corp's Merrill Lynch": the legal form ends the first
                    k += 1
                if k > j:
                    end = k
            if end - start >= 2 and doc[end - 1].text not in self.pats.not_heads:
                for part in self._split_coordination(doc[start:end]):  # "Ford and General Motors"
                    yield Candidate(part.start, part.end, {"rules"}, type=heads[tok.text] if tok.i in range(part.start, part.end) else None)
            elif end - start == 1 and i > 0 and doc[i - 1].lower_ == "the":
                # "the Commission": kept only if it refers back to a named one (_merge_bare_heads)
                yield Candidate(start, end, {"rules"}, type=heads[tok.text])
            i = max(i + 1, end)

    def _title(self, tok: Token) -> bool:
        """A capitalised job title ("President", "Governor", "Chairman"): it ends an
        organisation's name ("Bank of Korea Governor Lee")."""
        return tok.text[:1].isupper() and tok.lower_ in self.pats.affiliations

    def _after_legal_form(self, doc: Doc, k: int) -> bool:
        """Whether token k follows a legal form and is none itself: a name ends at its legal
        form ("Gartner Inc. That's ..." - the full stop of "Inc." hides the sentence end)."""
        return k > 0 and doc[k - 1].text in self.pats.legal_suffixes and doc[k].text not in self.pats.legal_suffixes

    def _head_follows(self, doc: Doc, k: int) -> bool:
        """Whether the run of name tokens from k contains a head word of its own."""
        while k < len(doc) and (_is_name_token(doc[k]) or doc[k].lower_ in _CONNECTORS):
            if doc[k].text in self.pats.heads:
                return True
            k += 1
        return False

    def _affiliations(self, doc: Doc) -> Iterator[Candidate]:
        """"an analyst at Bankhaus Lenz", "economist with Nordbank": a capitalised name right
        after a job noun and "at"/"with" is where the person works - an organisation, whatever
        label the model gave it (it often reads an unknown firm as a person)."""
        n = len(doc)
        for i in range(n - 2):
            word = doc[i].lower_ if doc[i].is_sent_start else doc[i].text  # "Analysts at ..." opening a sentence
            if word not in self.pats.affiliations or doc[i + 1].lower_ not in ("at", "with"):
                continue
            j = i + 2 + (doc[i + 2].lower_ == "the")
            # "analysts at UBS, Morningstar and Baird": each name of the list
            while j < n:
                k = self._name_after(doc, j, _LIST_CONNECTORS)
                if k == j or doc[j].text in self.pats.not_organisations:
                    break
                if not all(t.ent_type_ in ("GPE", "LOC", "DATE", "NORP") for t in doc[j:k]):  # not "at Beijing"
                    yield Candidate(j, k, {"rules"})
                if k + 1 < n and doc[k].text == "," and doc[k + 1].lower_ in ("and", "or"):
                    k += 1  # the serial comma
                if k + 1 < n and (doc[k].text == "," or doc[k].lower_ in ("and", "or")) and _is_name_token(doc[k + 1]):
                    j = k + 1
                    continue
                break

    def _employers(self, doc: Doc) -> Iterator[Candidate]:
        """"Holding Redlich partner Nathan Cecil", "Morgan Stanley analyst Adam Jonas",
        "Tesla's chief executive Elon Musk": the capitalised name before a job noun that a
        person's name follows is the person's employer - an organisation."""
        n = len(doc)
        for i in range(1, n - 1):
            if doc[i].text not in self.pats.affiliations or doc[i - 1].text in self.pats.affiliations:
                continue
            job_end = i + 1
            while job_end < n and doc[job_end].text in self.pats.affiliations:  # "chief executive"
                job_end += 1
            if job_end >= n or not _is_name_token(doc[job_end]) or self._title(doc[job_end]):
                continue
            possessive = doc[i - 1].text in ("'s", "’s")
            end = i - 1 if possessive else i
            s = self._name_before(doc, end)
            if s >= end or (doc[s].is_sent_start and end - s == 1 and not possessive) or doc[s].text in self.pats.not_organisations:
                continue  # none, or one capitalised word opening the sentence ("Senior analyst Li")
            if any(t.text.endswith("-based") or t.ent_type_ in ("NORP", "GPE", "LOC", "DATE", "PERSON") for t in doc[s:end]):
                continue  # "Beijing-based analyst Li", "Republican nominee Trump"
            yield Candidate(s, end, {"rules"})

    def _name_after(self, doc: Doc, j: int, connectors: Collection[str] = _AFFILIATION_CONNECTORS,
                    stop_labels: Collection[str] = (), longest: int = 6) -> int:
        """End of the capitalised name that starts at token j ("Hewlett-Packard Co", "Bank of
        America", "S&T Bancorp", "Harbeson, Fletcher & Bateh, LLP"), at most `longest`
        tokens, joined by `connectors`, not running into a word the model labels one of
        `stop_labels`; j when none starts there."""
        n, k = len(doc), j
        while k < n and k - j < longest and doc[k].ent_type_ not in stop_labels and not (
            k > j and (doc[k].is_sent_start or self._title(doc[k]) or self._after_legal_form(doc, k))
        ) and (
            _is_name_token(doc[k]) or doc[k].text in self.pats.legal_suffixes
            or (doc[k].lower_ in connectors and k > j and k + 1 < n and _is_name_token(doc[k + 1]))
            or (k > j and self._comma_in_name(doc, k))
            or (doc[k].text == "-" and k > j and not doc[k].whitespace_ and k + 1 < n and _is_name_token(doc[k + 1]))
        ):
            k += 1
        return k

    def _comma_in_name(self, doc: Doc, k: int) -> bool:
        """Whether the comma at k is inside a firm's name: partners' names ("Harbeson, Fletcher
        & Bateh", "Carr, Riggs & Ingram") or before its legal form ("Bateh, LLP")."""
        n = len(doc)
        if doc[k].text != "," or k + 1 >= n:
            return False
        nxt = doc[k + 1]
        if nxt.text in self.pats.legal_suffixes and nxt.text[0].isupper():
            return True
        return _is_name_token(nxt) and k + 3 < n and doc[k + 2].text == "&" and _is_name_token(doc[k + 3])

    def _name_before(self, doc: Doc, end: int) -> int:
        """Start of the capitalised name that ends before token `end` ("S&T Bancorp, Inc."),
        at most six tokens; `end` when none ends there."""
        s = end
        while s > 0 and end - s < 6 and (
            _is_name_token(doc[s - 1]) or doc[s - 1].text in self.pats.legal_suffixes
            or (doc[s - 1].text in ("&", ",", "-") and s >= 2 and s < end and _is_name_token(doc[s - 2]))
        ):
            s -= 1
        # not a capitalised function word that opens the sentence ("At Royal Dutch Shell"),
        # but "Just Eat" is a name
        while s < end and (not _is_name_token(doc[s]) or (doc[s].lower_ in _FUNCTION_WORDS and s + 1 < end)):
            s += 1
        return s

    def _market_evidence(self, doc: Doc) -> Iterator[Candidate]:
        """Financial news names companies by how they trade: the name before a listing
        ("Nio Inc (NYSE: NIO)", "S&T Bancorp (NASDAQ: STBA)") and the exchange in it, and the
        name after "shares of"/"shares in" ("shares of Brindle Cole rose"). Such names are
        companies whatever label the model gives them (it often reads one as a person)."""
        n = len(doc)
        for i in range(n - 2):
            tok = doc[i]
            if tok.text in self.pats.exchanges and doc[i + 1].text == ":" and i > 0:
                bracket = i - 1 if doc[i - 1].text in ("(", "[") else None
                yield Candidate(i, i + 1, {"rules"}, type="exchange")
                if bracket is not None:
                    s = self._name_before(doc, bracket)
                    if s < bracket and doc[s].text not in self.pats.not_organisations:
                        yield Candidate(s, bracket, {"rules"}, type="company")
            elif tok.lower_ in ("shares", "stock") and doc[i + 1].lower_ in ("of", "in"):
                j = i + 2 + (doc[i + 2].lower_ == "the")
                k = self._name_after(doc, j)
                if k > j and doc[j].text not in self.pats.not_organisations and not all(
                    t.ent_type_ in ("GPE", "LOC", "NORP", "DATE") for t in doc[j:k]
                ):
                    yield Candidate(j, k, {"rules"}, type="company")

    def _kinds(self, doc: Doc) -> Iterator[Candidate]:
        """A name a kind-of-company noun introduces ("battery maker Xinneng Power") or
        describes in an apposition ("Aurelia Baterias, a Spanish start-up building ...",
        "Huaxin Motor Co., one of the country's largest carmakers")."""
        kinds = self.pats.kinds
        n = len(doc)
        for i, tok in enumerate(doc):
            if tok.text in self._kind_tails and _hyphenated_word_ending(doc, i) in kinds and i + 1 < n \
                    and _is_name_token(doc[i + 1]) and not self._a_persons(doc, i):
                k = self._name_after(doc, i + 1, _LIST_CONNECTORS, stop_labels=("DATE", "GPE", "NORP"), longest=8)
                if k > i + 1 and doc[i + 1].text not in self.pats.not_organisations and not self._title(doc[i + 1]):
                    yield Candidate(i + 1, k, {"rules"}, type="company")
            if tok.text == "," and i > 0 and _is_name_token(doc[i - 1]) and self._describes_a_company(doc, i + 1):
                s = i - 1
                while s > 0 and i - s < 6 and (
                    _is_name_token(doc[s - 1]) or (doc[s - 1].lower_ in _AFFILIATION_CONNECTORS and s >= 2 and _is_name_token(doc[s - 2]))
                ):
                    s -= 1
                if doc[s].ent_type_ in ("DATE", "TIME", "GPE"):
                    continue  # "on Friday, the carmaker said"
                if not doc[s].is_sent_start or i - s > 1 or doc[s].ent_type_ == "ORG":
                    yield Candidate(s, i, {"rules"}, type="company")

    @staticmethod
    def _a_persons(doc: Doc, i: int) -> bool:
        """Whether the noun at i belongs to a person: "his Labor rival Keogh" names a
        politician, "its rival BYD" a company."""
        return any(t.lower_ in ("his", "her") for t in doc[max(0, i - 3) : i])

    def _describes_a_company(self, doc: Doc, j: int) -> bool:
        """Whether the words from `j` are a description ending in a kind of company: "a
        Spanish start-up", "South Korea's third-largest battery maker" - not "a company
        founder" (a person) or a clause."""
        first = doc[j] if j < len(doc) else None
        if first is None or not (first.lower_ in ("a", "an", "the", "one") or _is_name_token(first)):
            return False
        for k in range(j, min(len(doc), j + 11)):
            t = doc[k]
            if t.text in self.pats.affiliations or t.lower_ in _DESCRIPTION_STOPS or t.lower_ in _FINITE_VERBS:
                # "an analyst at a consultancy" is a person; "a brand for ..." ends it; "In
                # June, Clinton said drug companies ..." is a clause, not a description
                return False
            if t.text in self._kind_tails and _hyphenated_word_ending(doc, k) in self.pats.kinds:
                nxt = doc[k + 1] if k + 1 < len(doc) else None
                # "X, a battery maker" - but not a job ("a company founder"), a possessive or
                # the subject of a new clause ("on Friday, the carmaker said").
                return nxt is None or not (
                    nxt.text in self.pats.affiliations or nxt.text in ("'s", "’s") or nxt.lower_ in _FINITE_VERBS
                )
            if not (t.is_alpha or t.text in ("'s", "’s", "-")):
                return False
        return False

    def _whole_name(self, span: SpacySpan) -> bool:
        """Whether a stretch is an organisation's full name on its own: a name the gazetteer
        knows, or a capitalised one with an organisation word ("Bank of Korea", "Yonsei University")."""
        return _is_name_token(span[0]) and self._has_org_word(span)

    def _split_coordination(self, span: SpacySpan) -> list[SpacySpan]:
        """The model often takes "Ford and General Motors" for one name. Split at "and"/"&"
        when both sides are whole names on their own and one of them is a name the gazetteer
        knows or both end in a legal form: "National Development and Reform Commission", "Procter & Gamble" and "Council
        of the Business and Professionals Alliance" stay whole."""
        known = self.pats.canonical
        for tok in span[1:-1]:
            if tok.lower_ in ("and", "&"):
                left, right = span.doc[span.start : tok.i], span.doc[tok.i + 1 : span.end]
                # "Cisco Systems Inc. and Aruba Networks Inc.": two legal names
                both_legal = left[-1].text in self.pats.legal_suffixes and right[-1].text in self.pats.legal_suffixes
                if (known(left.text) or known(right.text) or both_legal) and self._whole_name(left) and self._whole_name(right):
                    return [left, right]
        return [span]

    def _model_orgs(self, doc: Doc) -> Iterator[Candidate]:
        """The model's entities that may be organisations' names, trimmed and split; not only
        its ORG ones: it calls many firms persons or places ("Rothschild said", "Barrick
        Gold"). The name classifier judges them."""
        for ent in doc.ents:
            if ent.label_ not in _NAME_LABELS:
                continue
            trimmed = self._trim(ent)
            if trimmed is None or (ent.label_ != "ORG" and not trimmed.text[0].isupper()):
                continue
            trimmed = self._with_capital_before(trimmed)
            for span in self._split_coordination(trimmed) if len(trimmed) > 2 else [trimmed]:
                yield from self._model_org(ent, span)

    def _with_capital_before(self, span: SpacySpan) -> SpacySpan:
        """The span with the capitalised word right before it that the model left out of any
        entity ("market Just Eat" tagged as "Eat"): inside a sentence a capital marks a name,
        unless the word is a title, a function word or a legal form that ends another name."""
        i = span.start - 1
        if i < 1 or span.doc[span.start].is_sent_start:
            return span
        tok = span.doc[i]
        if (not _is_name_token(tok) or tok.is_sent_start or tok.ent_type_ or not tok.is_alpha
                or tok.lower_ in _FUNCTION_WORDS or self._title(tok) or tok.text in self.pats.legal_suffixes
                or _is_name_token(span.doc[i - 1])):
            return span
        return span.doc[i : span.end]

    def _model_org(self, ent: SpacySpan, span: SpacySpan) -> Iterator[Candidate]:
        """The candidates in one (trimmed, split) part of a model entity."""
        if "\n" in span.text or len(span) > _LONGEST_NAME or _capitalised_ordinary_word(span) or _section_label(span):
            return
        doc = ent.doc
        poss = next((t.i for t in span[1:-1] if t.text in ("'s", "’s")), None)
        if poss is not None:  # "Department of Energy's Loan Programs Office": two names
            yield Candidate(span.start, poss, {"model"}, label=ent.label_)
            span = doc[poss + 1 : span.end]
        if span.end < ent.end and doc[span.end].text in self.pats.not_organisations and not self._has_org_word(span):
            return  # "the Breeze EV": a product named before its kind
        if self._maker_then_model(span):
            return  # "Buick Envision", "Bolt EV Concept" after its maker: a product
        yield Candidate(span.start, span.end, {"model"}, label=ent.label_)

    def _maker_then_model(self, span: SpacySpan) -> bool:
        """A carmaker the gazetteer knows, then words that name no organisation (no suffix,
        legal form or head word): the maker's product ("Buick Envision"), not a company."""
        for k in range(span.start + 1, span.end):
            maker = self.pats.canonical(span.doc[span.start : k].text)
            if maker is not None and self.pats.entries[maker].type == "carmaker":
                return not self._has_org_word(span.doc[k : span.end])
        return False

    def _has_org_word(self, span: SpacySpan) -> bool:
        """A name the gazetteer knows, or one carrying a head word, name suffix or legal form."""
        return self.pats.canonical(span.text) is not None or any(t.text in self._org_words for t in span)

    def _trim(self, span: SpacySpan) -> SpacySpan | None:
        """The name inside a model span: no article, bracket, possessive or trailing term
        ("the Leap Motor EV" -> "Leap Motor", "Congress (NPC" -> "Congress")."""
        doc = span.doc
        s, e = span.start, span.end
        for k in range(s, e):
            if doc[k].text in ("(", "[", ")", "]"):
                e = k
                break
        for k in range(s + 1, e - 1):
            # a dateline or wire slug run into the name: "OSLO - Norsk Hydro", "GMT - Nordic Bank"
            if doc[k].text in ("-", "–", "—", "--") and doc[k - 1].whitespace_ and doc[k].whitespace_ \
                    and all(t.is_upper or t.is_punct for t in doc[s:k]):
                s = k + 1
                break
        while s < e and (
            doc[s].lower_ in ("the", "a", "an") or doc[s].is_punct
            or (e - s > 1 and doc[s].text in self.pats.not_organisations)
        ):
            s += 1
        while e > s and (
            doc[e - 1].is_punct or doc[e - 1].text in ("'s", "’s", "'", "’")
            or (e - s > 1 and doc[e - 1].text in self.pats.not_organisations)
            # a ticker after the legal form: "Baidu Inc. BIDU"
            or (e - s > 2 and doc[e - 2].text in self.pats.legal_suffixes and _TICKER.fullmatch(doc[e - 1].text))
        ):
            e -= 1
        return doc[s:e] if e > s else None

    def _looks_like_name(self, span: SpacySpan) -> bool:
        """General signals that a model ORG is a name, not a term, product or stray capital."""
        text = span.text
        if text in self.pats.not_organisations or text.rstrip("s") in self.pats.not_organisations:
            return False
        if not text[0].isupper() and not text[0].isdigit() and not _INNER_CAPITAL.match(text):
            return False  # but "eBay", "iRobot": a lowercase letter before a capital
        if any(t.like_num or _MIXED_ALNUM.search(t.text) for t in span) and not (
            len(span) > 1 and self._has_org_word(span)
        ):
            return False  # model and product names: SU7, Model 3, ID.4 - not "3D Systems Corp"
        if span[-1].text in self.pats.not_heads:
            return False
        if "\n" in text or len(span) > _LONGEST_NAME:
            return False
        return not _capitalised_ordinary_word(span)

    def _defined_terms(self, doc: Doc) -> set[str]:
        """Acronyms the text defines as a lowercase phrase ("nickel-cobalt-manganese (NCM)"):
        terms, whatever the model calls them - unless the phrase ends in a head word
        ("the industry committee (ITRE)")."""
        heads = {h.casefold() for h in self.pats.heads}
        return {
            doc[i + 1].text for i in range(1, len(doc) - 2)
            if doc[i].text == "(" and doc[i + 2].text == ")" and _ACRONYM.fullmatch(doc[i + 1].text)
            and doc[i - 1].text[:1].islower() and doc[i - 1].lower_ not in heads
        }

    def _acronyms(self, doc: Doc, cands: list[Candidate]) -> None:
        """"Long Name (ACR)": the acronym becomes an alias of the long form. Adds to `cands`
        the acronym (pointing at its long form) and, where no candidate ends before the
        bracket, the long form read from the capitalised words there."""
        ends = {c.end: idx for idx, c in enumerate(cands)}
        for i in range(1, len(doc) - 2):
            if doc[i].text != "(" or doc[i + 2].text != ")" or not _ACRONYM.fullmatch(doc[i + 1].text):
                continue
            acr = doc[i + 1].text
            if acr in self.pats.not_organisations:
                continue  # "(EV)", "(NEV)": a term in brackets, not a name's acronym
            idx = ends.get(i)
            if idx is not None:
                c = cands[idx]
                # A name the rules know (gazetteer, head word) takes any acronym bracketed
                # right after it, even one from another language ("... Authority (KBA)").
                trusted = c.canonical is not None or (c.type is not None and "rules" in c.by)
                if trusted or abbreviates(acr, [t.text for t in doc[c.start:c.end]]):
                    cands.append(Candidate(i + 1, i + 2, set(c.by), None, c.type, acronym_of=idx))
                continue
            start = i
            while start > 0 and i - start < 10 and (
                _is_name_token(doc[start - 1]) or doc[start - 1].lower_ in ("of", "and", "for", "&")
            ):
                start -= 1
            for s in range(start, i):
                words = [t.text for t in doc[s:i]]
                if _is_name_token(doc[s]) and len(words) >= 2 and abbreviates(acr, words):
                    cands.append(Candidate(s, i, {"rules"}))
                    cands.append(Candidate(i + 1, i + 2, {"rules"}, acronym_of=len(cands) - 1))
                    break

    # ------------------------------------------------------------------ resolution
    def _resolve(self, cands: list[Candidate]) -> list[Candidate]:
        """One candidate per stretch of text: longest first; one found by both keeps both."""
        cands = sorted(cands, key=lambda c: (c.start, -(c.end - c.start)))
        out: list[Candidate] = []
        for c in cands:
            if out and c.start < out[-1].end:
                last = out[-1]
                last.by |= c.by
                if c.canonical and not last.canonical and (c.start, c.end) == (last.start, last.end):
                    last.canonical, last.type = c.canonical, c.type
                continue
            out.append(c)
        return out

    def _fold(self, doc: Doc, cands: list[Candidate], terms: Collection[str] = ()) -> list[_Group]:
        groups: dict[str, _Group] = {}
        for c in cands:
            text = doc[c.start:c.end].text
            if text in terms and not c.canonical:
                continue
            form = self.pats.clean_name(text)
            if not form:
                continue
            canonical = c.canonical or self.pats.canonical(form)
            key = canonical or self.pats.key(form)
            if not key:
                continue
            g = groups.get(key)
            if g is None:
                entry = self.pats.entries.get(canonical) if canonical else None
                g = groups[key] = _Group(
                    name=canonical or form, canonical=bool(canonical),
                    type=(entry.type if entry else c.type),
                )
            g.by |= c.by
            g.forms.append(form)
            span = doc[c.start:c.end]
            g.spans.append(self._name_offsets(span, form))
            g.common_noun_uses += _used_as_common_noun(span, self.pats.members)
        self._merge_acronyms(doc, cands, groups)
        # either end of a person's name: "Green" of "Sean Green", "Wang" of "Wang Jianmin" (the
        # model often reads the bare family name as an organisation; it also misreads "Nokia
        # Here" as a person, which this costs, but the two look alike without a list of names)
        not_names = {e[k].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for k in (0, -1)}
        not_names |= {e.text for e in doc.ents if e.label_ in ("GPE", "LOC")}
        kept = [g for g in groups.values() if self._is_organisation(doc, g, not_names)]
        return self._merge_bare_heads(self._merge_short_forms(self._merge_initials(kept)))

    @staticmethod
    def _merge_initials(groups: list[_Group]) -> list[_Group]:
        """An acronym used apart from its long form ("BEIJING, May 12 (SED)" on a page that
        names Sino Economic Daily) joins the one organisation whose initials it is exactly."""
        out: list[_Group] = []
        for g in groups:
            letters = _acronym_letters(g.name)
            if letters and not g.canonical:
                owners = [o for o in groups if o is not g and len(o.name.split()) >= 2 and initials(o.name.split()) == letters]
                if len(owners) == 1:
                    owners[0].forms += g.forms
                    owners[0].spans += g.spans
                    owners[0].by |= g.by
                    continue
            out.append(g)
        return out

    def _is_organisation(self, doc: Doc, g: _Group, not_names: set[str]) -> bool:
        """Model-only names need more evidence: not a part of a person's name or a place
        (`not_names`), never "a Budapest consultancy" or "the Standard version" in every use."""
        if g.by != {"model"}:
            return True
        if g.common_noun_uses and (g.common_noun_uses >= len(g.spans) or _has_indefinite(doc, g.spans)):
            return False
        if g.name in not_names:
            return False
        # one use as a place anywhere ("Jinhua, Zhejiang province") settles it
        width = len(g.name.split())
        return not any(
            _used_as_common_noun(doc[i : i + width], self.pats.members) >= 100
            for i in _positions(doc).get(g.name.split()[0], ()) if doc[i : i + width].text == g.name
        )

    def _merge_bare_heads(self, groups: list[_Group]) -> list[_Group]:
        """"the Commission" after "European Commission": a mention of the named one.
        A bare head word with nothing named before it is not an organisation's name."""
        named = [g for g in groups if len(g.name.split()) > 1]
        out = []
        for g in groups:
            if len(g.name.split()) == 1 and g.name in self.pats.heads and not g.canonical:
                first = min(g.spans)[0]
                target = max(
                    (o for o in named if g.name in o.name.split() and min(o.spans)[0] < first),
                    key=lambda o: min(o.spans)[0], default=None,
                )
                if target is not None:
                    target.forms += g.forms
                    target.spans += g.spans
                    target.by |= g.by
                continue
            out.append(g)
        return out

    def _merge_acronyms(self, doc: Doc, cands: list[Candidate], groups: dict[str, _Group]) -> None:
        for c in cands:
            if c.acronym_of is None:
                continue
            acr = doc[c.start:c.end].text
            long = cands[c.acronym_of]
            long_key = long.canonical or self.pats.canonical(self.pats.clean_name(doc[long.start:long.end].text)) \
                or self.pats.key(self.pats.clean_name(doc[long.start:long.end].text))
            acr_key = c.canonical or self.pats.canonical(acr) or self.pats.key(acr)
            if long_key in groups and acr_key in groups and long_key != acr_key:
                target, src = groups[long_key], groups.pop(acr_key)
                target.forms += src.forms
                target.spans += src.spans
                target.by |= src.by

    def _merge_short_forms(self, groups: list[_Group]) -> list[_Group]:
        out: list[_Group] = []
        for g in sorted(groups, key=lambda g: -len(g.name)):
            target = next((o for o in out if self._same_organisation(g, o)), None)
            if target is None:
                out.append(g)
                continue
            target.forms += g.forms
            target.spans += g.spans
            target.by |= g.by
            if g.canonical and not target.canonical:  # the gazetteer names it
                target.forms.append(target.name)
                target.name, target.canonical, target.type = g.name, True, g.type or target.type
        return out

    def _same_organisation(self, short: _Group, long: _Group) -> bool:
        """A short name is the long one's when the extra words are suffix words ("SAIC" of
        "SAIC Motor"), or when the long one is a full legal name the text also uses
        ("Helion" of "Helion Cell Systems GmbH"); never two gazetteer entries."""
        if short.canonical and long.canonical:
            return False
        if self.pats.short_form_of(short.name, long.name):
            return True
        return not short.canonical and any(self.pats.has_legal_form(f) for f in long.forms) and self.pats.first_words_of(short.name, long.name)

    @staticmethod
    def _name_offsets(span: SpacySpan, form: str) -> tuple[int, int]:
        at = span.text.find(form)
        start = span.start_char + max(at, 0)
        return start, start + len(form)

    def _find_again(self, text: str, groups: list[_Group]) -> None:
        """Every written form of an organisation, wherever else it appears."""
        form_to_group: dict[str, _Group] = {}
        for g in groups:
            for f in {*g.forms, g.name}:
                if len(f) >= 2:
                    form_to_group.setdefault(f, g)
        if not form_to_group:
            return
        taken = sorted(s for g in groups for s in g.spans)
        alternation = "|".join(regex.escape(f) for f in sorted(form_to_group, key=len, reverse=True))
        pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alternation})(?![\p{{L}}\p{{N}}])")
        for m in pattern.finditer(text, timeout=_SEARCH_TIMEOUT):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            g = form_to_group[m.group()]
            g.spans.append((s, e))

    # ------------------------------------------------------------------ entry point
    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every span the rules and the model propose, before the name classifier judges them."""
        cands: list[Candidate] = []
        if self.use_rules:
            cands += self._gazetteer(doc)
            cands += self._head_names(doc)
            cands += self._affiliations(doc)
            cands += self._employers(doc)
            cands += self._kinds(doc)
            cands += self._market_evidence(doc)
            cands += self._lowercase_bodies(doc)
        if self.use_model:
            cands += self._model_orgs(doc)
        return cands

    def _judge(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """The model's candidates the name classifier accepts, and the rules' candidates as
        they are: each rule is evidence of its own, tested on the sentences it was written for."""
        if self.classifier is None:
            return cands
        model = self.classifier.model
        judged = [c for c in cands if c.by == {"model"}]
        kept = [c for c in cands if c.by != {"model"}]
        rejected: list[Candidate] = []
        for c, p in zip(judged, model.probabilities(name_features(self, doc, judged)).tolist(), strict=True):
            (kept if p >= model.threshold else rejected).append(c)
        # "BEIJING (NMA) - ... the Northern Motors Association said": an acronym whose letters
        # are the initials of a name kept in the same document is that name's
        names = {initials(doc[c.start : c.end].text.split()) for c in kept if c.end - c.start >= 2}
        kept += [c for c in rejected if c.end - c.start == 1 and _acronym_letters(doc[c.start].text) in names]
        return kept

    def __call__(self, doc: Doc) -> Doc:
        cands = self._judge(doc, self.candidates(doc))
        cands = self._resolve(cands)
        terms: set[str] = set()
        if self.use_rules:
            self._acronyms(doc, cands)
            terms = self._defined_terms(doc)
        groups = self._fold(doc, cands, terms)
        text = text_of(doc)
        if self.use_rules:
            self._find_again(text, groups)
        found = [self._record(text, g) for g in groups]
        doc._.nev_organisations = sorted(found, key=lambda o: o.mentions[0].start if o.mentions else 0)
        return doc

    @staticmethod
    def _record(text: str, g: _Group) -> Organisation:
        by: FoundBy = "both" if len(g.by) > 1 else "model" if "model" in g.by else "rules"
        spans = sorted(set(g.spans))
        aliases = sorted({text[s:e] for s, e in spans} - {g.name}, key=lambda a: (-len(a), a))
        return Organisation(
            name=g.name, aliases=aliases, type=g.type, found_by=by,
            mentions=[Span(start=s, end=e, text=text[s:e]) for s, e in spans],
        )


@Language.factory(
    "nevextract_organisations",
    default_config={"use_rules": True, "use_model": True, "patterns": [], "use_gazetteer": True},
)
def make_organisations(
    nlp: Language, name: str, use_rules: bool, use_model: bool, patterns: list[str], use_gazetteer: bool
) -> OrganisationFinder:
    return OrganisationFinder(nlp, use_rules=use_rules, use_model=use_model, patterns=patterns, use_gazetteer=use_gazetteer)
