"""Claims, stage 4: who a speaker phrase stands for.

A full name stays; a surname becomes the full name written earlier; "he"/"she" the nearest
person, "it" and descriptions ("the association") the fitting organisation that spoke or was
named before; unnamed speakers ("analysts") are kept unnamed. Organisations come from the
organisations component's records (or the model's ORG entities), persons are checked against
the model's PERSON entities, and roles and organisations are read from appositions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import regex
from spacy.tokens import Doc

from nevextract.components.claims.lexicon import DescriptorEntry, Lexicon
from nevextract.components.claims.sentences import TIMEOUT, Layout
from nevextract.components.claims.speakers import PRONOUNS, TRAILING_ACRONYM, Phrase
from nevextract.normalize.names import looks_like_person_name, name_parts, refers_to

_ACRONYM_DEF = regex.compile(
    r"((?:\p{Lu}[\p{L}.&'-]*\s+(?:(?:of|and|for|&)\s+)?){1,8})\((\p{Lu}[\p{Lu}\p{N}&]{1,9})\)"
)
_ACRONYM_TOKEN = regex.compile(r"\p{Lu}[\p{Lu}\p{N}&]{1,9}s?")
# An organisation in an apposition: a capitalised name right after "at/of/with" (and "the").
_ROLE_ORG = regex.compile(
    r"\b(?:at|of|with|for|from)\s+(?:the\s+)?(\p{Lu}[\p{L}\p{N}&.-]*(?:\s+(?:(?:of|and|for|&)\s+)?\p{Lu}[\p{L}\p{N}&.-]*){0,7})"
)

# capitalised words that start sentences or titles, not a person's given name
_NOT_FIRST_NAMES = frozenset({
    "the", "a", "an", "and", "but", "mr", "ms", "mrs", "dr", "said", "says", "according", "chairman", "president",
    "minister", "analyst", "director", "chief", "ceo", "when", "while", "after", "before", "as", "at", "in", "on",
})


@dataclass
class Speaker:
    """Who a speaker phrase stands for, as a claim names it."""

    name: str
    named: bool
    person: bool
    role: str | None = None
    organisation: str | None = None

    @classmethod
    def as_written(cls, phrase: Phrase, person: bool) -> Speaker:
        """A speaker the text does not resolve ("she", "The Indiana governor"): kept as
        written and unnamed, so its claim is not lost."""
        return cls(phrase.text, named=False, person=person)


@dataclass
class OrgInfo:
    """An organisation the document names, with where it is mentioned."""

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


class Resolver:
    """What one document says about its speakers: its organisations, acronyms and entities,
    and the speakers seen so far, against which later mentions are resolved."""

    def __init__(self, lex: Lexicon, doc: Doc, layout: Layout, *, use_rules: bool, use_model: bool) -> None:
        self.lex = lex
        self.doc = doc
        self.layout = layout
        self.text = layout.text
        self.use_rules = use_rules
        self.use_model = use_model
        self.state = _State()
        self.orgs = self._organisations()
        self.acronyms = self._acronyms()
        self.ents = self._entities()

    def remember(self, sp: Speaker, pos: int) -> None:
        """A claim's speaker, last mentioned at `pos`: later mentions may refer to it."""
        self.state.add(sp, pos)

    # ------------------------------------------------------------------ inputs

    def _organisations(self) -> list[OrgInfo]:
        found = self.doc._.nev_organisations
        if found:
            return [OrgInfo(o.name, o.type, [(m.start, m.end) for m in o.mentions]) for o in found]
        if not self.use_model:
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
        for m in _ACRONYM_DEF.finditer(self.text, timeout=TIMEOUT):
            name = regex.sub(r"^(?:The)\s+", "", m.group(1).strip())
            out.setdefault(m.group(2), name)
        return out

    def _entities(self) -> list[tuple[int, int, str]]:
        if not self.use_model or not self.doc.has_annotation("ENT_IOB"):
            return []
        return [(e.start_char, e.end_char, e.label_) for e in self.doc.ents]

    # ------------------------------------------------------------------ resolution

    def resolve(self, phrase: Phrase, appos: tuple[int, int] | None) -> Speaker | None:
        """Who `phrase` (with its apposition `appos`, if any) stands for; None if no one."""
        if phrase.kind == "pronoun":
            # "she said" with no one to stand for, like a description
            return self._resolve_pronoun(phrase) or Speaker.as_written(phrase, PRONOUNS[phrase.text.lower()] == "person")
        if phrase.kind == "descriptor":
            # "The German carmaker said" with no carmaker named before: kept, unnamed, as any
            # other description the text does not resolve
            return self._resolve_descriptor(phrase) or Speaker.as_written(phrase, person=False)
        if phrase.kind == "unnamed":
            # "a BYD spokesperson": the organisation, when a known one or one by its shape.
            org = regex.search(r"\p{Lu}[\p{L}\p{N}&.-]*(?:\s+\p{Lu}[\p{L}\p{N}&.-]*)*", phrase.text[1:])
            organisation = None
            if org is not None:
                at = phrase.start + 1 + org.start()
                known = self.org_at(at, at + len(org.group()))
                organisation = known or (self._canonical_org(org.group()) if self._is_org_name(org.group()) else None)
            return Speaker(phrase.text, named=False, person=True, organisation=organisation)
        return self._resolve_name(phrase, appos)

    def _resolve_pronoun(self, phrase: Phrase) -> Speaker | None:
        kind = PRONOUNS[phrase.text.lower()]
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
            if label == "PERSON" and e <= pos and self.org_at(s, e) is None
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
        sent_start = self.layout.sentences[self.layout.sentence_of(phrase.start)].start
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

    def _org_speaker(self, pos: int, fits: Callable[[OrgInfo], bool], recent: bool) -> Speaker | None:
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
        org = self.org_at(phrase.start, phrase.end)
        label = self._entity_label(phrase.start, phrase.end)
        text = regex.sub(r"^(?:the|The)\s+", "", phrase.text)
        text = TRAILING_ACRONYM.sub("", text).strip()
        if self.use_model and not self.use_rules and org is None and label not in ("PERSON", "ORG"):
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

    def org_at(self, s: int, e: int) -> str | None:
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

    def names_speaker(self, phrase: Phrase) -> bool:
        """Whether a capitalised phrase at a sentence start is a name: a known organisation or
        speaker, a name shaped like an organisation's, or a person's full name."""
        text = regex.sub(r"^(?:the|The)\s+", "", phrase.text)
        return (
            self.org_at(phrase.start, phrase.end) is not None
            or self._known_person(text) is not None
            or self._is_org_name(text)
            or (len(name_parts(text)) > 1 and looks_like_person_name(text))
        )
