"""Claims, stage 2: cues, and the claims they introduce.

One pass over the body, in reading order. A quoted passage is a direct claim when a speaker
and a cue stand right after it or right before it; outside quotes, each sentence is searched
for a cue ("X said (that) ...", "..., said X", "according to X, ..."), then for further claims
by the same subject ("..., saying ...", "... and said ..."). The speaker phrase around a cue is
found by `speakers.py` and resolved by `resolution.py`; this module assembles the claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex
from spacy.tokens import Doc

from nevextract.components.claims.lexicon import CueEntry, Lexicon
from nevextract.components.claims.parsed import ParsedClaim, ParsedCues
from nevextract.components.claims.resolution import Resolver, Speaker
from nevextract.components.claims.sentences import (
    CLAUSE_STRIP, TIMEOUT, WORD, Layout, Sentence, strip_span, word_count, word_spans,
)
from nevextract.components.claims.speakers import (
    ADVERBIAL_START, FUNCTION_WORDS, SPEAKER_WINDOW, Phrase, SpeakerPhrases,
)
from nevextract.components.quotes import Quote
from nevextract.records import AttributionKind, Claim, ClaimLinks, Span

_MIN_QUOTE_WORDS = 3  # shorter quoted words are scare quotes, titles or names
_MIN_CONTENT_WORDS = 3
_MAX_CUES_PER_SENTENCE = 12  # a sentence's first cues only: linear time (see SPEAKER_WINDOW)

# Tiny grammatical closed classes (the open word lists live in claim_cues.yaml; the speaker
# phrase's own are in speakers.py).
_AUX = frozenset(
    "has have had also further previously earlier later recently repeatedly once again "
    "would will may might could should has't then already reportedly publicly separately "
    "now long still often frequently consistently privately".split()
)
# A time phrase between a speaker and its cue: "Tesla on Tuesday said", "X last week said".
_TIME_PHRASE = (r"(?:\bon\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                r"|\b(?:last|this|earlier\s+this)\s+(?:week|month|year))")
_TIME_BEFORE_CUE = regex.compile(_TIME_PHRASE + r"\s+$")
_LEADING_TIME = regex.compile(r"^" + _TIME_PHRASE + r"\s+")
# A dash between a quotation and the name that signs it: '"..." ― Sonya Herridge'.
_ATTRIBUTION_DASH = regex.compile(r"\s*[―—]\s*")
# A paragraph that a speaker's name opens, then a colon: a transcript ("PENCE: Well, look,
# ...") or a headline ("Pat Caddell: Democrat voters worried about ...").
_LABELLED_LINE = regex.compile(
    r"[\"“”]?(?P<name>\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*){0,3}):[ \t]+(?P<rest>[^\n]+)"
)
# Words that make what follows a cue a clause of its own, not an adverbial.
_CLAUSE_WORDS = frozenset(
    "would will is are was were be been has have had can could may might should must did does do "
    "that it they he she we".split()
)
_TRAILING_PARENTHETICAL = regex.compile(r"\s*\([^()\n]{1,30}\)\s*$")
# An agency dateline before a sentence's subject: "BRUSSELS – ", "DETROIT, Nov 6 (PBJ) — ".
_DATELINE = regex.compile(r"\s*\p{Lu}[\p{Lu}\s.]{2,40}(?:,[^–—\n]{0,40})?\s*(?:–|—|-{1,2})\s+")
# Who is told: "told the Global Times", "told reporters", "told local media".
_LISTENER = regex.compile(
    r"(?:(?:the|a|an)\s+)?(?:\p{Lu}[\p{L}\p{N}.&'’-]*\s*){1,5}(?=[\s,.;]|$)"
    r"|(?:(?:the|local|state|foreign)\s+)?(?:reporters|journalists|media|press|investors|analysts|lawmakers)\b"
)


@dataclass
class _Found:
    """A claim as found, before its speaker phrase is resolved."""

    speaker: Phrase
    cue: str
    cue_span: tuple[int, int]
    content: tuple[int, int]
    kind: Literal["direct", "indirect"]
    apposition: tuple[int, int] | None = None
    entry: CueEntry | None = None


class DocumentSearch:
    """Everything known about one document while its claims are found."""

    def __init__(self, lex: Lexicon, doc: Doc, layout: Layout, *, use_rules: bool, use_model: bool) -> None:
        self.lex = lex
        self.doc = doc
        self.layout = layout
        self.text = layout.text
        self.masked = layout.masked
        self.quotes = layout.quotes
        self.sentences = layout.sentences
        self.resolver = Resolver(lex, doc, layout, use_rules=use_rules, use_model=use_model)
        self.speakers = SpeakerPhrases(lex, layout, self.resolver.org_at)
        self.claims: list[Claim] = []
        self.used_cues: set[int] = set()
        self.cue_spans: list[tuple[int, int]] = []  # of the claims emitted
        # the parse's reading adds claims where the model parsed the text (hybrid, statistical)
        self.parsed = ParsedCues(lex, doc, layout) if use_model and doc.has_annotation("DEP") else None

    # ------------------------------------------------------------------ main loop

    def run(self) -> list[Claim]:
        by_sentence: dict[int, list[Quote]] = {}
        for q in self.quotes:
            if word_count(self.text[q.start : q.end]) >= _MIN_QUOTE_WORDS:
                by_sentence.setdefault(self.layout.sentence_of(q.close_at), []).append(q)
        last_direct: tuple[int, _Found, Speaker, Claim] | None = None
        skip_until = 0  # the end of a labelled paragraph already read whole
        for si, sent in enumerate(self.sentences):
            first_claim = len(self.claims)
            if sent.start < skip_until:
                continue
            labelled = self._labelled_line(sent)
            if labelled is not None:
                skip_until = labelled
                last_direct = None
                continue
            for q in by_sentence.get(si, []):
                found = self._direct(q, sent)
                if found is not None and last_direct is not None and found.cue_span == last_direct[1].cue_span:
                    # '"A," she said, "but B."': one cue for both parts, one quotation
                    self._continue(last_direct[3], *found.content)
                    continue
                if found is not None:
                    sp = self.resolver.resolve(found.speaker, found.apposition)
                    if sp is not None and (claim := self._emit(found, sp)) is not None:
                        last_direct = (si, found, sp, claim)
                    continue
                if last_direct is not None and self._continues(q, sent, si, last_direct[0]):
                    # '"A," she said. "B."': B goes on with the same quotation, one claim
                    self._continue(last_direct[3], *strip_span(self.text, q.start, q.end))
                    last_direct = (si, *last_direct[1:])
            found = self._indirect(sent)
            sp = None
            if found is not None:
                sp = self.resolver.resolve(found.speaker, found.apposition)
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
                    head = regex.sub(r"(?:[\s,;]+(?:and|but|though|although|while)(?:\s+(?:he|she|they|it|we))?"
                                     r"(?:\s+(?:also|later|then))?)?[\s,;]*$", "", head)
                    found.content = strip_span(self.text, found.content[0], found.content[0] + len(head), CLAUSE_STRIP)
                self._emit(found, sp)
            for follower, fsp in followers:
                speaker = fsp if fsp is not None else sp
                if speaker is not None:  # a follower without its own speaker follows a first claim's
                    self._emit(follower, speaker)
            if self.parsed is not None:
                self._parsed(sent, first_claim)
        return self.claims

    # ------------------------------------------------------------------ labelled lines

    def _labelled_line(self, sent: Sentence) -> int | None:
        """'PENCE: Well, look, ...', 'Pat Caddell: Democrat voters worried ...': a paragraph
        opened by a speaker's name and a colon is that speaker's claim, to the paragraph's end
        (a transcript's turn in capitals is quoted speech). The name must be a speaker's: a
        known organisation or speaker, a person's full name, or capitals that are no label
        ("UPDATE:", "Source:" are labels). Returns where the paragraph ends, or None."""
        if sent.start > 0 and self.text[sent.start - 1] != "\n":
            return None
        m = _LABELLED_LINE.match(self.text, sent.start)
        if m is None or m.group("name").lower() in self.lex.labels:
            return None
        name_s, name_e = m.span("name")
        transcript = m.group("name").isupper() and len(m.group("name")) > 1
        phrase = self.speakers.np_exact(name_s, name_e)
        if transcript:
            phrase = Phrase(name_s, name_e, m.group("name"), "name")
        elif phrase is None or phrase.kind != "name" or not self.resolver.names_speaker(phrase):
            return None
        content = strip_span(self.text, m.start("rest"), m.end("rest"), CLAUSE_STRIP + "\"“”")
        if word_count(self.text[content[0] : content[1]]) < _MIN_CONTENT_WORDS:
            return None
        sp = self.resolver.resolve(phrase, None) if not transcript else Speaker(m.group("name"), named=True, person=True)
        if sp is None:
            return None
        colon = m.end("name")
        found = _Found(phrase, ":", (colon, colon + 1), content, "direct" if transcript else "indirect")
        self._emit(found, sp)
        return m.end()

    # ------------------------------------------------------------------ the parse's reading

    def _parsed(self, sent: Sentence, first_claim: int) -> None:
        """Claims the parse reads in `sent` that the text rules did not find: a cue neither
        used nor inside a claim already made, a content that overlaps none."""
        assert self.parsed is not None
        taken = [(c.start, c.end) for c in self.claims[first_claim:]]
        for pc in self.parsed.claims(sent.start, sent.end):
            cue_start = pc.cue[0]
            if pc.contrast_at is not None and cue_start not in self.used_cues:
                # "X said A, while analysts argued B": A ends where the contrasting claim begins
                taken = self._end_before(pc.contrast_at, first_claim)
            if cue_start in self.used_cues or any(s <= cue_start < e for s, e in taken + self.cue_spans):
                continue
            if any(s < pc.content[1] and pc.content[0] < e for s, e in taken):
                continue
            phrase = self.speakers.np_exact(*pc.speaker) or self._entity_phrase(pc)
            if phrase is not None:
                sp = self.resolver.resolve(phrase, None)
            else:  # a subject of no shape the rules know ("The Indiana governor"): as written
                phrase = Phrase(*pc.speaker, self.text[pc.speaker[0] : pc.speaker[1]], "descriptor")
                sp = Speaker.as_written(phrase, person=pc.speaker_root.ent_type_ == "PERSON")
            if sp is None or (pc.entry.weak and not sp.named):
                continue
            found = _Found(phrase, self.text[pc.cue[0] : pc.cue[1]], pc.cue, pc.content, "indirect", None, pc.entry)
            if self._emit(found, sp) is not None:
                taken.append(pc.content)

    def _end_before(self, at: int, first_claim: int) -> list[tuple[int, int]]:
        """End an indirect claim of this sentence whose content runs over `at` just before
        it; the sentence's claim spans after that."""
        for claim in self.claims[first_claim:]:
            if claim.kind == "indirect" and claim.start < at < claim.end and not claim.continued:
                start, end = strip_span(self.text, claim.start, at, CLAUSE_STRIP)
                if word_count(self.text[start:end]) >= _MIN_CONTENT_WORDS:
                    claim.start, claim.end, claim.content = start, end, self.text[start:end]
                    claim.links = self._links(start, end)
        return [(c.start, c.end) for c in self.claims[first_claim:]]

    def _entity_phrase(self, pc: ParsedClaim) -> Phrase | None:
        """The name the model found at the head of a parsed subject ("Rival carmaker Kessel
        Motors" → Kessel Motors), as a speaker phrase."""
        root = pc.speaker_root
        if root.ent_type_ not in ("PERSON", "ORG") or root.ent_iob_ not in ("B", "I"):
            return None
        start = root.i
        while start > 0 and root.doc[start].ent_iob_ == "I":
            start -= 1
        if root.i + 1 < len(root.doc) and root.doc[root.i + 1].ent_iob_ == "I":
            return None  # the name goes on past the head: not the subject's own
        s, e = root.doc[start].idx, root.idx + len(root)
        return self.speakers.np_exact(s, e) if pc.speaker[0] <= s else None

    # ------------------------------------------------------------------ direct quotes

    def _continues(self, q: Quote, sent: Sentence, si: int, last_si: int) -> bool:
        """A quote standing alone as a sentence right after an attributed quote continues it."""
        if si - last_si != 1 or self.sentences[last_si].paragraph < sent.paragraph - 1:
            return False
        outside = self.text[sent.start : q.open_at] + self.text[q.close_at + 1 : sent.end]
        return word_count(outside) == 0

    def _direct(self, q: Quote, sent: Sentence) -> _Found | None:
        content = strip_span(self.text, q.start, q.end)
        after = self._after_quote(q, sent, content)
        if after is not None:
            return after
        open_sent = self.sentences[self.layout.sentence_of(q.open_at)]
        return self._before_quote(q, open_sent, content)

    def _after_quote(self, q: Quote, sent: Sentence, content: tuple[int, int]) -> _Found | None:
        """'"...," said X' / '"...," X said' / '"...," according to X'."""
        start = q.close_at + 1
        end = self.layout.next_quote_or(start, sent.end)
        m = regex.match(r"[\s,]*", self.text[start:end])
        pos = start + (m.end() if m else 0)
        head = self.masked[pos:end]
        dash = _ATTRIBUTION_DASH.match(head)
        if dash is not None:
            # '"..." ― Sonya Herridge': a name alone after a dash signs the quotation
            phrase = self.speakers.np_forward(pos + dash.end(), end)
            if phrase is not None and not regex.match(r"[\s.,;]*$", self.masked[phrase.end : end]):
                phrase = None
            if phrase is None:
                return None
            cue_span = (pos, pos + len(dash.group().rstrip()))
            return _Found(phrase, self.text[cue_span[0] : cue_span[1]].strip(), cue_span, content, "direct")
        cue_m = self.lex.cue_re.match(head) or self.lex.phrase_re.match(head)
        if cue_m is not None:
            phrase = self.speakers.np_forward(pos + cue_m.end(), end)
            if phrase is None:
                return None
            appos = self.speakers.apposition_after(phrase.end, end)
            cue_span = (pos, pos + cue_m.end())
            return _Found(phrase, self.text[cue_span[0] : cue_span[1]], cue_span, content, "direct", appos)
        # "X said", "X, an analyst at Y, said": the cue must follow the speaker phrase.
        for cm in self.lex.cue_re.finditer(self.masked, pos, end, timeout=TIMEOUT):
            cue_start = self._aux_start(pos, cm.start())
            # '"...," Tesla (TSLA.O) said', '"...," Rep. Gwen Moore (D-Wis.) said': the tag is the speaker's
            tag = _TRAILING_PARENTHETICAL.search(self.masked, pos, cue_start)
            phrase, appos = self.speakers.np_backward(pos, tag.start() if tag is not None else cue_start, whole=True)
            if phrase is None:
                return None
            cue_span = (cue_start, cm.end())
            self.used_cues.add(cm.start())
            cue_text = _LEADING_TIME.sub("", self.text[cue_span[0] : cue_span[1]])
            return _Found(phrase, cue_text, cue_span, content, "direct", appos)
        return None

    def _before_quote(self, q: Quote, sent: Sentence, content: tuple[int, int]) -> _Found | None:
        """'X said: "..."', 'X, role at Y, notes, "..."', 'X put it bluntly: "..."'."""
        start = max(sent.start, self.layout.previous_quote_end(q.open_at))
        lead = self.masked[start : q.open_at]
        m = regex.search(r"[,:]?\s*$", lead)
        if m is None:
            return None
        end = start + m.start()
        colon = ":" in m.group()
        cues = list(self.lex.cue_re.finditer(self.masked, start, end, timeout=TIMEOUT))
        if cues:
            cm = cues[-1]
            entry = self.lex.cue(cm.group())
            tail = self.masked[cm.end() : end]
            # 'X said: "..."', 'X told reporters, "..."', 'X said "..."' - but not 'X said it
            # was "..."', where the quote is part of reported speech.
            if entry is not None and entry.quote_intro and word_count(tail) <= (4 if m.group().strip() else 0):
                cue_start = self._aux_start(start, cm.start())
                phrase, appos = self.speakers.np_backward(start, cue_start)
                if phrase is not None:
                    self.used_cues.add(cm.start())
                    return _Found(phrase, self.text[cue_start:end], (cue_start, end), content, "direct", appos, entry)
        if colon:
            return self._colon_intro(start, end, content)
        return None

    def _colon_intro(self, start: int, end: int, content: tuple[int, int]) -> _Found | None:
        """'X, an analyst at Y, put it bluntly: "..."': a speaker at the clause start, a short
        verb phrase, a colon."""
        segs = self.speakers.segments(start, end)
        if not segs:
            return None
        last_s, last_e = segs[-1]
        words = word_spans(self.masked[last_s:last_e], last_s)
        if not words:
            return None
        # The speaker leads the clause; its verb phrase follows (in the last segment).
        for i, (s, e) in enumerate(segs):
            phrase = self.speakers.np_exact(s, e) if i < len(segs) - 1 else None
            if phrase is not None and phrase.kind == "name":
                if word_count(self.masked[last_s:last_e]) > 5:
                    return None
                appos = (segs[i + 1][0], segs[-2][1]) if i + 1 < len(segs) - 1 else None
                return _Found(phrase, self.text[last_s:last_e], (last_s, last_e), content, "direct", appos)
            if i < len(segs) - 1 and not self.speakers.is_intro(s, e):
                break
        # No comma: "Zhou put it this way:" - a name then at most four words.
        for k in range(1, min(len(words), 5)):
            phrase = self.speakers.np_exact(words[0][0], words[k - 1][1])
            if phrase is not None and phrase.kind in ("name", "pronoun") and len(words) - k <= 4:
                cue = (words[k][0], words[-1][1])
                return _Found(phrase, self.text[cue[0] : cue[1]], cue, content, "direct")
        return None

    # ------------------------------------------------------------------ reported speech

    def _indirect(self, sent: Sentence) -> _Found | None:
        """The first reported claim in a sentence, from its earliest cue that yields one."""
        s, e = sent.start, sent.end
        matches: list[tuple[int, int, CueEntry | None]] = [
            (m.start(), m.end(), None) for m in self.lex.phrase_re.finditer(self.masked, s, e, timeout=TIMEOUT)
        ]
        for m in self.lex.cue_re.finditer(self.masked, s, e, timeout=TIMEOUT):
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
        matches = list(self.lex.follower_re.finditer(self.masked, after, sent.end, timeout=TIMEOUT))[:_MAX_CUES_PER_SENTENCE]
        subject: Speaker | None = None
        if first is None and matches:
            subject = self._subject(sent, matches[0].start())
            if subject is None:
                return []
        for i, m in enumerate(matches):
            verb = regex.search(r"\p{L}+$", m.group())
            entry = self.lex.cue(verb.group()) if verb else None
            if entry is None or (entry.weak and subject is not None and not subject.named):
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
        words = word_spans(self.masked[start:limit], start)[:7]
        for k in range(min(6, len(words) - 1), 0, -1):
            nxt = words[k][2]
            if not nxt[:1].islower() or (nxt in FUNCTION_WORDS and nxt not in ADVERBIAL_START):
                continue
            phrase = self.speakers.np_exact(start, words[k - 1][1])
            if phrase is not None and phrase.kind == "name" and not self.resolver.names_speaker(phrase):
                return None  # "Buyers queued ...": a capitalised common noun, not a name
            if phrase is not None and phrase.kind in ("name", "pronoun", "descriptor"):
                sp = self.resolver.resolve(phrase, None)
                return sp if sp is not None and sp.named else None
        return None

    def _according_to(self, sent: Sentence, ps: int, pe: int) -> _Found | None:
        clause_end = self.speakers.clause_end(pe, sent.end)
        phrase = self.speakers.np_forward(pe, clause_end, last_resort=True)
        if phrase is None:
            return None
        start = self._after_dateline(sent.start, ps)
        before = self.masked[start:ps]
        if word_count(before) >= _MIN_CONTENT_WORDS:
            content = strip_span(self.text, start, ps, CLAUSE_STRIP)
        else:
            content = strip_span(self.text, clause_end, sent.end, CLAUSE_STRIP)
        if word_count(self.text[content[0] : content[1]]) < _MIN_CONTENT_WORDS:
            return None
        return _Found(phrase, self.text[ps:pe], (ps, pe), content, "indirect")

    def _reported(self, sent: Sentence, cs: int, ce: int, entry: CueEntry) -> _Found | None:
        floor = max(sent.start, cs - SPEAKER_WINDOW)
        cue_start = self._aux_start(floor, cs)
        # a party tag or an age between name and cue is the speaker's, not the speaker:
        # "Sen. Maria Okafor (D-Ore.) said", "Tom Reddy (54) said"
        tag = _TRAILING_PARENTHETICAL.search(self.masked, floor, cue_start)
        phrase, appos = self.speakers.np_backward(floor, tag.start() if tag is not None else cue_start)
        inverted = False
        if phrase is None and entry.inverted:
            phrase = self.speakers.np_forward(ce, self.speakers.clause_end(ce, sent.end))
            inverted = phrase is not None
        if phrase is None:
            return None
        if entry.sources_only and not (phrase.source or phrase.text.lower().split()[-1] in self.lex.sources):
            return None
        start = self._after_dateline(sent.start, cs if inverted else phrase.lead)
        before = self.masked[start : (cs if inverted else phrase.lead)]
        after_start = phrase.end if inverted else ce
        if inverted:
            appos = self.speakers.apposition_after(phrase.end, sent.end)
        rest = self.masked[after_start : sent.end]
        cue_text = _LEADING_TIME.sub("", self.text[cue_start:ce])  # "on Tuesday said": the cue is "said"
        if phrase.source and not inverted:
            cue_text = regex.sub(r"^['’]s\s+", "", self.text[phrase.end : ce].strip()) or cue_text
        if self._ends_clause(rest, entry) and regex.search(r",\s*$", before) and word_count(before) >= _MIN_CONTENT_WORDS:
            if not entry.content_first:
                return None
            content = strip_span(self.text, start, start + len(before), CLAUSE_STRIP)
            return _Found(phrase, cue_text, (cue_start, ce), content, "indirect", appos, entry)
        if inverted:
            return None
        forward = self._forward_content(ce, sent.end, entry)
        if forward is None:
            return None
        return _Found(phrase, cue_text, (cue_start, ce), forward, "indirect", appos, entry)

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
        if not m or m.group(1).lower() not in ADVERBIAL_START or word_count(m.group()) > 12:
            return False
        return not any(w.lower() in _CLAUSE_WORDS for w in WORD.findall(m.group()))

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
        content = strip_span(self.text, start, end, CLAUSE_STRIP)
        body = self.text[content[0] : content[1]]
        if word_count(body) < _MIN_CONTENT_WORDS:
            return None
        if entry.requires and that is None and not regex.search(rf"\b{regex.escape(entry.requires)}\b", body):
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
        return first.lower() in ADVERBIAL_START or entry.takes_object or first[:1].isupper() or first.lower() in (
            "reporters", "media", "the", "a", "an", "local", "state", "investors", "analysts", "us", "him", "her", "them"
        )

    # ------------------------------------------------------------------ cues

    def _aux_start(self, floor: int, cue_start: int) -> int:
        """Extend a cue back over auxiliaries, adverbs and a time phrase ("has also said",
        "has long said", "on Tuesday said")."""
        pos = cue_start
        while True:
            window = max(floor, pos - 30)
            time = _TIME_BEFORE_CUE.search(self.masked, window, pos)
            if time is not None:
                pos = time.start()
                continue
            m = regex.search(r"(\w+(?:'t)?)\s+$", self.masked[window:pos])
            if m is None or m.group(1).lower() not in _AUX:
                return pos
            pos = window + m.start()

    # ------------------------------------------------------------------ output

    def _continue(self, claim: Claim, start: int, end: int) -> None:
        """A further part of `claim`'s quotation, with what it names."""
        if end <= start:
            return
        claim.continued.append(Span(start=start, end=end, text=self.text[start:end]))
        more = self._links(start, end)
        links = claim.links
        links.organisations += [o for o in more.organisations if o not in links.organisations]
        links.quantities += [k for k in more.quantities if k not in links.quantities]
        links.dates += [k for k in more.dates if k not in links.dates]

    def _emit(self, found: _Found, sp: Speaker) -> Claim | None:
        start, end = found.content
        if end <= start:
            return None
        # Where the speaker was last mentioned: after any inverted name and its apposition
        # ('said Julia Hartmann, an analyst at X'), so that names inside it are not newer.
        pos = max(found.cue_span[0], found.speaker.end, found.apposition[1] if found.apposition else 0)
        self.resolver.remember(sp, pos)
        self.cue_spans.append(found.cue_span)
        cue = regex.sub(r"\s+", " ", found.cue.strip(" ,:")) or found.cue
        claim = Claim(
            speaker=sp.name,
            speaker_named=sp.named,
            role=sp.role if sp.person else None,
            organisation=sp.organisation,
            cue=cue,
            kind=found.kind,
            attribution=self._attribution(found, cue),
            content=self.text[start:end],
            start=start,
            end=end,
            links=self._links(start, end),
        )
        self.claims.append(claim)
        return claim

    def _attribution(self, found: _Found, cue: str) -> AttributionKind:
        """The kind of the cue's lexicon entry ("has long believed": its last word's);
        phrases such as "according to" report speech."""
        entry = found.entry or self.lex.cue(cue) or self.lex.cue(cue.rsplit(" ", 1)[-1])
        return entry.kind if entry is not None else "speech"

    def _links(self, start: int, end: int) -> ClaimLinks:
        orgs = [o.name for o in self.resolver.orgs if any(start <= s and e <= end for s, e in o.spans)]
        quantities = self.doc._.nev_quantities or []
        dates = self.doc._.nev_dates or []
        return ClaimLinks(
            organisations=orgs,
            quantities=[i for i, q in enumerate(quantities) if start <= q.start and q.end <= end],
            dates=[i for i, d in enumerate(dates) if start <= d.start and d.end <= end],
        )
