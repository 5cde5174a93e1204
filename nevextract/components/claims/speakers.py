"""Claims, stage 3: the speaker phrase as written.

Around a cue, the words that say who speaks: a name ("China Passenger Car Association",
"Helion Chief Executive Markus Brandt"), a pronoun, a description ("the electric carmaker"),
an unnamed group ("industry analysts"), with any apposition (", an analyst at Y,") and title.
Who a phrase stands for is decided later (`resolution.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import regex

from nevextract.components.claims.lexicon import Lexicon
from nevextract.components.claims.sentences import Layout, strip_span, word_count, word_spans
from nevextract.normalize.names import looks_like_person_name

_MAX_APPOSITION_CHARS = 250
# Work per cue is bounded so that no page (a run of 10,000 cue words) costs more than linear
# time: a speaker is looked for this far around its cue (and the finder reads a sentence's
# first cues only).
SPEAKER_WINDOW = 400

# Tiny grammatical closed classes (the open word lists live in claim_cues.yaml).
PRONOUNS = {"he": "person", "she": "person", "it": "org", "they": "plural", "we": "plural"}
_DETERMINERS = frozenset("the this that these those".split())
# Words before a source noun that name no author ("another slide", "new data").
_SOURCE_QUANTIFIERS = frozenset("a an another one each every new latest recent fresh".split())
_SENTENCE_ADVERBS = frozenset(
    "The A An In On At Meanwhile However Also Separately Earlier Later Today Now Still Yet But "
    "And So Then Last This That These Those Moreover Furthermore Instead Indeed Previously Recently Overall "
    "Speaking Asked Looking".split()
)
_NAME_CONNECTORS = frozenset("of and & for de la von van der du".split())
_CALENDAR = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec".split()
)
FUNCTION_WORDS = frozenset(
    "on in at of for with who which that and or to by from as said says told added noted has have had".split()
)
_PREPOSITIONS = frozenset("in at of with from for near".split())
# What opens a generic noun phrase speaker ("the bank", "a new poll", "some economists").
_GENERIC_DETERMINERS = frozenset("the a an this these those some many several most other its their his her our".split())
# Lowercase words that cannot end or sit inside such a phrase (verbs, function words, time words).
_NOT_NOUNS = frozenset(
    "is are was were be been being has have had do does did will would can could may might should must also "
    "not never still just only even again then now today yesterday this that which who whom whose what when "
    "where why how it he she they we you i and or but so as if than because while though although since "
    "of in on at by for with from to into about over after before during under between against without "
    "all both each every any no more most less such same own very too".split()
)
ADVERBIAL_START = frozenset("on in at during last this earlier late early later recently".split())

TRAILING_ACRONYM = regex.compile(r"\s*\(\p{Lu}[\p{Lu}\p{N}&]{1,9}\)\s*$")
_POSSESSIVE = regex.compile(r"['’]s$")


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


class SpeakerPhrases:
    """Finds speaker phrases in one document's masked text (quoted words blanked out)."""

    def __init__(self, lex: Lexicon, layout: Layout, org_at: Callable[[int, int], str | None]) -> None:
        self.lex = lex
        self.text = layout.text
        self.masked = layout.masked
        self.org_at = org_at  # the organisation a span names, if the document has found one

    def np_backward(self, floor: int, end: int, whole: bool = False) -> tuple[Phrase | None, tuple[int, int] | None]:
        """The speaker phrase that ends where a cue begins, with any apposition between."""
        seg_text = self.masked[floor:end]
        if regex.search(r",\s*$", seg_text):
            return self._np_with_apposition(floor, end)
        phrase = self._np_tail(floor, end)
        # `whole`: nothing but the speaker stands between floor and cue - with any title and
        # organisation written before the name ('"...," managing director Ananya Kulkarni told').
        gap = self.masked[floor : phrase.start].strip(" \t,") if phrase is not None else ""
        if phrase is not None and whole and gap and not (phrase.title and word_count(gap) <= 6):
            return None, None
        return phrase, None

    def _np_with_apposition(self, floor: int, end: int) -> tuple[Phrase | None, tuple[int, int] | None]:
        """'X, secretary-general of Y, said' (the speaker leads, after any introductory phrase)
        or '..., X, secretary-general of Y, said' (the content leads): the first segment that
        is a whole speaker phrase, and the apposition after it."""
        segs = self.segments(floor, end)
        if len(segs) >= 2:
            titled = self._title_then_name(segs[-2], segs[-1])
            if titled is not None:
                return titled
        content_before = False
        for i, (s, e) in enumerate(segs[:-1]):
            phrase = self.np_exact(s, e)
            if phrase is not None and not (content_before and phrase.kind == "pronoun"):
                appos = (segs[i + 1][0], segs[-1][1])
                if appos[1] - appos[0] > _MAX_APPOSITION_CHARS:
                    return None, None
                return phrase, appos
            if not self.is_intro(s, e):
                content_before = True
        return None, None

    def _title_then_name(
        self, title: tuple[int, int], name: tuple[int, int]
    ) -> tuple[Phrase | None, tuple[int, int] | None] | None:
        """"Volkswagen's purchasing chief, Stefan Ruhl, said": a segment ending in a job title,
        then a person's name. The name speaks; the title segment is its apposition."""
        if not self.lex.title_end_re.search(self.masked, title[0], title[1]):
            return None
        if word_count(self.masked[title[0] : title[1]]) > 8:
            return None
        phrase = self.np_exact(*name)
        if phrase is None or phrase.kind != "name" or phrase.title is not None:
            return None
        if self.org_at(phrase.start, phrase.end) is not None or not looks_like_person_name(phrase.text):
            return None
        phrase.outer = title[0]
        return phrase, title

    def segments(self, start: int, end: int) -> list[tuple[int, int]]:
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
                out.append(strip_span(self.masked, s, i, " \t"))
                s = i + 1
        out.append(strip_span(self.masked, s, end, " \t,"))
        return [(a, b) for a, b in out if b > a]

    def is_intro(self, s: int, e: int) -> bool:
        """An introductory phrase before the subject ("Meanwhile", "In a statement on July 24")."""
        words = self.masked[s:e].split()
        return bool(words) and (words[0] in _SENTENCE_ADVERBS or words[0].lower() in ADVERBIAL_START or len(words) <= 6)

    def np_exact(self, s: int, e: int) -> Phrase | None:
        phrase = self._np_tail(s, e)
        if phrase is None or self.masked[s : phrase.start].strip():
            return None
        return phrase

    def _np_tail(self, floor: int, end: int) -> Phrase | None:
        """The speaker phrase ending at `end`: a name, pronoun, description or unnamed group."""
        text = self.masked
        s, e = strip_span(text, floor, end, " \t")
        if e <= s:
            return None
        acr = TRAILING_ACRONYM.search(text, s, e)
        name_end = acr.start() if acr else e
        words = word_spans(text[s:name_end], s)
        if not words:
            return None
        source = False
        if words[-1][2].lower() in self.lex.sources and len(words) > 1 and (
            words[-2][2].lower() in _SOURCE_QUANTIFIERS or (words[-2][2][:1].islower() and words[-2][2] not in _DETERMINERS)
        ):
            # "another slide shows", "a final ruling stated", "new data showed": the document
            # speaks and no author is named; the phrase runs back over its modifiers
            j = len(words) - 2
            while j > 0 and len(words) - j < 5 and (words[j - 1][2][:1].islower() or words[j - 1][2].lower() in _SOURCE_QUANTIFIERS) \
                    and words[j - 1][2].lower() not in _NOT_NOUNS | _DETERMINERS:
                j -= 1
            if j > 0 and words[j - 1][2].lower() in _DETERMINERS:
                j -= 1
            start = words[j][0]
            return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "unnamed", True)
        if words[-1][2].lower() in self.lex.sources and len(words) > 1 and words[-2][2].lower() not in _DETERMINERS:
            source = True
            words = words[:-1]
            last = words[-1][2]
            if _POSSESSIVE.search(last):
                words[-1] = (words[-1][0], words[-1][1] - 2, last[:-2])
            name_end = words[-1][1]
        last_word = words[-1][2]
        lower = last_word.lower()
        if lower in PRONOUNS:
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
            while j > 0 and j > i - 3 and words[j - 1][2].lower() not in _DETERMINERS and not self._comma_before(words, j) and (
                words[j - 1][2][:1].islower() or words[j - 1][2].isupper() or words[j - 1][2].endswith("-based")
                or (j >= 2 and words[j - 2][2].lower() in _DETERMINERS)  # "the German carmaker"
            ):  # modifiers: "the electric carmaker", "the Michigan-based EV maker"
                j -= 1
            if j > 0 and words[j - 1][2].lower() in _DETERMINERS:
                start = words[j - 1][0]
                return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "descriptor", source)
        if last in self.lex.unnamed or (source and last in self.lex.sources):
            j = len(words) - 1
            # "industry analysts said", but "in May, analysts said": a comma ends the phrase
            while j > 0 and j > len(words) - 4 and words[j - 1][2].lower() not in ("that", "which", "and", "but", "as", "said") \
                    and not self._comma_before(words, j):
                j -= 1
            start = words[j][0]
            return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "unnamed", source)
        return self._np_generic(words, source)

    def _comma_before(self, words: list[tuple[int, int, str]], j: int) -> bool:
        """Whether a comma stands between word j - 1 and word j."""
        return "," in self.masked[words[j - 1][1] : words[j][0]]

    def _np_generic(self, words: list[tuple[int, int, str]], source: bool) -> Phrase | None:
        """Any other lowercase noun phrase as an unnamed speaker: a determiner and up to
        three lowercase words ("the bank", "a new poll"), or a bare plural ("civil rights
        activists"). The lexicon's descriptions and unnamed heads are tried first; this
        keeps the claim of a speaker the lexicon does not know, unnamed."""
        last = words[-1][2]
        if not last.isalpha() or not last.islower() or last in _NOT_NOUNS or last.endswith("ly"):
            return None
        j = len(words) - 1
        while j > 0 and j > len(words) - 4:
            prev = words[j - 1][2]
            if self._comma_before(words, j):
                break
            if prev.lower() in _GENERIC_DETERMINERS:
                start = words[j - 1][0]
                return Phrase(start, words[-1][1], self.text[start : words[-1][1]], "unnamed", source)
            if not (prev.isalpha() and prev.islower()) or prev in _NOT_NOUNS:
                break
            j -= 1
        if last.endswith("s") and not last.endswith("ss"):
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
                if mod is not None and not any(w in FUNCTION_WORDS | _DETERMINERS for w in mod.group().split()):
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

    def np_forward(self, pos: int, end: int, last_resort: bool = False) -> Phrase | None:
        """The speaker phrase after a cue or "according to" ("said Zhou Lan", "according to a
        report by Rhodium Group", "according to the company")."""
        end = min(end, pos + SPEAKER_WINDOW)
        m = regex.match(r"\s*", self.masked[pos:end])
        s = pos + (m.end() if m else 0)
        stop = self.clause_end(s, end)
        window = self.masked[s:stop]
        src = regex.match(
            r"(?:(?:a|an|the)\s+)?(?:[\p{Ll}-]+\s+){0,3}?(\w+)(?:\s+[\p{Ll}-]+){0,2}?\s+(?:by|from|of)\s+(?:the\s+)?", window
        )
        source = bool(src) and src.group(1).lower() in self.lex.sources
        if source:
            s += src.end()
            window = self.masked[s:stop]
        words = word_spans(window, s)
        if not words:
            return None
        if words[0][2].lower() in PRONOUNS:
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
        common = word_spans(self.masked[s : self._np_common_end(s, stop)], s)
        if common:
            return self._np_common(common, source)
        return None

    def _modifier_or_recipient(self, run: list[tuple[int, int, str]], stop: int) -> bool:
        """A name that only modifies a noun ("the Canadian government website") or receives
        ("a press release sent to the Global Times") is not the speaker."""
        nxt = regex.match(r"\s+([\p{Ll}]+)", self.masked[run[-1][1] : stop])
        if nxt is not None and nxt.group(1) not in self.lex.sources and nxt.group(1) not in FUNCTION_WORDS:
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

    def apposition_after(self, pos: int, end: int) -> tuple[int, int] | None:
        """', a senior analyst at Y' after a speaker: up to the next comma or the sentence end."""
        m = regex.match(r"\s*\(\p{Lu}[\p{Lu}\p{N}&]{1,9}\)", self.masked[pos:end])
        if m:
            pos += m.end()
        m = regex.match(r",\s*([^,;]{2,%d})" % _MAX_APPOSITION_CHARS, self.masked[pos:end])
        if m is None or regex.match(r"\p{Ll}+ing\b|who\b|which\b", m.group(1)):
            return None  # ", adding that ...", ", citing ...": not a description of the speaker
        return strip_span(self.text, pos + m.start(1), pos + m.end(1))

    def clause_end(self, pos: int, end: int) -> int:
        """Where the clause that starts at `pos` ends: at a comma, a semicolon or a participle."""
        m = regex.compile(r"[,;]|\s+(?:citing|adding|saying)\b").search(self.masked, pos, end)
        return m.start() if m else end
