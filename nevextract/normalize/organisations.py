"""Organisation names: the patterns that describe them, and how two names fold into one.

Folding rules (all general, none keyed to a page):
- "the", possessive "'s" and legal forms (Co., Ltd., Inc. ...) never distinguish two names;
- a gazetteer alias is its canonical name;
- a short name folds into a longer one when the extra words are only name suffixes
  ("SAIC" into "SAIC Motor", "Xiaomi" into "Xiaomi Corporation"), never otherwise
  ("Leapmotor" stays apart from "Leapmotor International", "Volkswagen Group" from
  "Volkswagen Group China");
- an acronym defined in the text ("... Manufacturers (CAAM)") is an alias of its long form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from nevextract.patterns import load_all, pattern_dirs

GAZETTEER_FILE = "organisations.jsonl"
WORDS_FILE = "organisation_words.yaml"

_POSSESSIVE = regex.compile(r"['’]s?$")
_SPACE = regex.compile(r"\s+")


class GazetteerEntry(BaseModel):
    """One line of `organisations.jsonl`."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, description="canonical name")
    aliases: list[str] = Field(default_factory=list)
    type: str | None = None


class OrganisationWord(BaseModel):
    """One entry of `organisation_words.yaml`."""

    model_config = ConfigDict(extra="forbid")
    word: str = Field(min_length=1, pattern=r"^\S+$")
    role: Literal["head", "name-suffix", "legal-suffix", "not-organisation", "not-head", "affiliation", "kind", "member", "exchange"]
    type: str | None = None


@dataclass
class OrganisationPatterns:
    """Everything the organisation finder knows, loaded and validated once."""

    entries: dict[str, GazetteerEntry]  # canonical name -> entry
    surface: dict[str, str]  # any written form -> canonical name
    heads: dict[str, str]  # head word -> type
    name_suffixes: frozenset[str]
    legal_suffixes: frozenset[str]
    not_organisations: frozenset[str]
    not_heads: frozenset[str]
    affiliations: frozenset[str]  # "analyst" in "an analyst at Bankhaus Lenz"
    kinds: frozenset[str]  # "carmaker" in "carmaker Hanul", "X, a Spanish start-up"
    members: frozenset[str]  # "shares" in "Atlas shares": what only an organisation has
    exchanges: frozenset[str]  # "NYSE" in "Nio (NYSE: NIO)"
    _keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, extra: Sequence[str | Path] = (), *, gazetteer: bool = True) -> OrganisationPatterns:
        """The shipped patterns and those of the `extra` folders; `gazetteer=False` leaves out
        every list of known names (to measure what the name rules and the model find alone)."""
        dirs = pattern_dirs(extra)
        entries: dict[str, GazetteerEntry] = {}
        for e in load_all(GAZETTEER_FILE, GazetteerEntry, dirs) if gazetteer else ():
            if e.name in entries:  # a user's file may add aliases to a shipped entry
                old = entries[e.name]
                e = GazetteerEntry(name=e.name, aliases=[*old.aliases, *e.aliases], type=e.type or old.type)
            entries[e.name] = e
        words = load_all(WORDS_FILE, OrganisationWord, dirs)
        by_role: dict[str, set[str]] = {}
        heads: dict[str, str] = {}
        for w in words:
            by_role.setdefault(w.role, set()).add(w.word)
            if w.role == "head":
                heads[w.word] = w.type or "organisation"
        for w in words:  # a capitalised name ending in a legal form is a company ("... Systems GmbH")
            if w.role == "legal-suffix" and len(w.word.rstrip(".")) >= 3 and w.word not in heads:
                heads[w.word] = "company"
        pats = cls(
            entries=entries,
            surface={},
            heads=heads,
            name_suffixes=frozenset(by_role.get("name-suffix", ())),
            legal_suffixes=frozenset(by_role.get("legal-suffix", ())),
            not_organisations=frozenset(by_role.get("not-organisation", ())),
            not_heads=frozenset(by_role.get("not-head", ())),
            affiliations=frozenset(by_role.get("affiliation", ())),
            kinds=frozenset(by_role.get("kind", ())),
            members=frozenset(by_role.get("member", ())),
            exchanges=frozenset(by_role.get("exchange", ())),
        )
        for e in entries.values():
            for form in (e.name, *e.aliases):
                pats.surface.setdefault(form, e.name)
                pats._keys.setdefault(pats.key(form), e.name)
        return pats

    def key(self, name: str) -> str:
        """The form two names must share to be one organisation: no "the", possessive,
        legal form, punctuation or case."""
        words = _SPACE.split(name.strip())
        if words and words[0].casefold() == "the":
            words = words[1:]
        if words:
            words[-1] = _POSSESSIVE.sub("", words[-1])
        while len(words) > 1 and (words[-1] in self.legal_suffixes or words[-1].rstrip(".,") in self.legal_suffixes):
            words = words[:-1]
        text = " ".join(w.strip(",") for w in words)
        return regex.sub(r"[^\p{L}\p{N}]+", " ", text).casefold().strip()

    def canonical(self, name: str) -> str | None:
        """The gazetteer's canonical name for a written form, if it knows the organisation."""
        return self.surface.get(name) or self._keys.get(self.key(name))

    def short_form_of(self, short: str, long: str) -> bool:
        """Is `short` the same organisation as `long`, named without its suffix words?"""
        s, l = self.key(short).split(), self.key(long).split()
        if not s or len(s) >= len(l) or l[: len(s)] != s:
            return False
        suffixes = {w.casefold() for w in self.name_suffixes | self.legal_suffixes}
        return all(w in suffixes for w in l[len(s):])

    def has_legal_form(self, name: str) -> bool:
        """Does the name end in a legal form ("Helion Cell Systems GmbH", "Kavya Cells Pvt Ltd")?"""
        words = name.split()
        return len(words) > 1 and (words[-1] in self.legal_suffixes or words[-1].rstrip(".,") in self.legal_suffixes)

    def first_words_of(self, short: str, long: str) -> bool:
        """Is `short` the start of `long` ("Helion" of "Helion Cell Systems")?"""
        s, l = self.key(short).split(), self.key(long).split()
        return bool(s) and len(s) < len(l) and l[: len(s)] == s

    def clean_name(self, name: str) -> str:
        """A written form as a name: without "the", possessive and trailing legal form."""
        words = _SPACE.split(name.strip())
        if len(words) > 1 and words[0].casefold() == "the":
            words = words[1:]
        if words:
            words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
        return " ".join(words).strip(" ,")


def initials(words: Sequence[str], skip: frozenset[str] = frozenset({"of", "and", "for", "the", "&", "de"})) -> str:
    """Upper-case initials of a name's content words: "National Energy Administration" -> "NEA"."""
    return "".join(w[0].upper() for w in words if w and w.casefold() not in skip and w[0].isalpha())


def acronym_matches(acronym: str, words: Sequence[str]) -> bool:
    """Does `acronym` abbreviate the name `words`? Initials, with connectors optional."""
    acr = acronym.upper().replace("&", "")
    if len(acr) < 2:
        return False
    strict = initials(words)
    loose = initials(words, frozenset())
    return acr in (strict, loose) or (len(acr) >= 3 and (strict.endswith(acr) or strict.startswith(acr)))


def abbreviates(acronym: str, words: Sequence[str]) -> bool:
    """Could `acronym`, bracketed right after `words`, be their abbreviation? The test of
    Schwartz & Hearst (2003): its letters appear in order in the name, read from the end, and
    its first letter starts the name's first word ("Korea Exchange (KRX)", "Hyemin
    Securities (HMS)"). Looser than `acronym_matches`, so used only where the text puts the
    two side by side."""
    letters = [c.casefold() for c in acronym if c.isalnum()]
    name = " ".join(words)
    if len(letters) < 2 or not name or name[0].casefold() != letters[0]:
        return False
    i = len(name) - 1
    for k in range(len(letters) - 1, -1, -1):
        c = letters[k]
        while i >= 0 and (name[i].casefold() != c or (k == 0 and i > 0 and name[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True
