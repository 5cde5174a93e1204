"""Numbers as written in news text, turned into floats.

Three small readers, shared by the quantity and date extractors:

- `parse_number("9.625 million")` → 9625000.0: digits with thousands separators
  ("67,025", "1 200", "1\u202f200"), decimals, magnitude words and abbreviations
  ("million", "bn", "1.2m"), and number words followed by a magnitude ("five million").
- `word_number("twenty-three")` → 23.0: cardinal number words, "a dozen", "half".
- `ordinal_number("11th")` → 11: ordinals in words or digits (`ORDINALS` maps the words).

The word lists here are closed grammatical classes (English number words and magnitude
names), which is why they live in code rather than in `patterns/`: a user never needs to
extend them, and both extractors must agree on them.
"""

from __future__ import annotations

import regex

# ------------------------------------------------------------------ closed word classes

UNITS_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
# Words that stand for a number on their own ("a dozen", "a score of").
GROUP_WORDS: dict[str, float] = {"dozen": 12, "half": 0.5}

# Magnitude words and the abbreviations news sites use after digits ("$3bn", "1.2m").
MAGNITUDE_WORDS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7,
    "billion": 1e9, "trillion": 1e12,
}
MAGNITUDE_ABBREVS: dict[str, float] = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
    "tn": 1e12, "trn": 1e12,
}
MAGNITUDES: dict[str, float] = {**MAGNITUDE_WORDS, **MAGNITUDE_ABBREVS}

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}

# ------------------------------------------------------------------ digit grammar

# Space-like thousands separators: normal, no-break, thin and narrow no-break space.
SPACE_SEPARATORS = " \u00a0\u2009\u202f"
_SEP_CLASS = "[" + SPACE_SEPARATORS + "]"

# A written number: either grouped digits (1,234,567 / 1 234 567 / 1.234.567) or a plain
# run of digits, then an optional decimal part. Each group is fixed-width, so the
# pattern stays linear on adversarial input.
DIGITS_PATTERN = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:" + _SEP_CLASS + r"\d{3})+(?!\d)|\d+)"
    r"(?:\.\d+)?"
)
_DIGITS_RE = regex.compile(DIGITS_PATTERN)
_EURO_GROUPED_RE = regex.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_EURO_DECIMAL_RE = regex.compile(r"\d+,\d{1,2}")
_ORDINAL_DIGITS_RE = regex.compile(r"(\d+)\s?(?:st|nd|rd|th)", regex.IGNORECASE)


def _digits_value(text: str) -> float | None:
    """The value of a digits-only token ("67,025", "1 200", "9.625", "1.234.567", "3,5")."""
    if _EURO_GROUPED_RE.fullmatch(text):
        return float(text.replace(".", ""))
    if _EURO_DECIMAL_RE.fullmatch(text):
        return float(text.replace(",", "."))
    if not _DIGITS_RE.fullmatch(text):
        return None
    cleaned = text.replace(",", "")
    for sep in SPACE_SEPARATORS:
        cleaned = cleaned.replace(sep, "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _split_magnitude(text: str) -> tuple[str, float]:
    """Split a trailing magnitude ("9.625 million", "1.2m", "3bn") off a number."""
    lowered = text.lower().rstrip(".")
    for word, factor in sorted(MAGNITUDES.items(), key=lambda kv: -len(kv[0])):
        if lowered.endswith(word):
            head = text[: len(lowered) - len(word)]
            if head and (head[-1].isdigit() or head[-1] in SPACE_SEPARATORS + "-"):
                return head.rstrip(SPACE_SEPARATORS + "-"), factor
    return text, 1.0


def parse_number(text: str) -> float | None:
    """The number a short span writes, or None.

    Reads digits with `,` / `.` / space separators and decimals, optionally followed by a
    magnitude word or abbreviation ("9.625 million", "$"-less "3bn", "1.2m"), and number
    words with or without a magnitude ("five", "twenty-three million", "half a million").
    """
    text = text.strip()
    if not text:
        return None
    head, factor = _split_magnitude(text)
    head = head.strip()
    value = _digits_value(head)
    if value is not None:
        return value * factor
    # Number words read the magnitude themselves ("half a million", "a million").
    return word_number(text)


def _strip_article(words: list[str]) -> list[str]:
    return words[1:] if words and words[0] in ("a", "an") else words


def word_number(text: str) -> float | None:
    """The value of a cardinal written in words, or None.

    "five" → 5, "twenty-three" → 23, "a dozen" → 12, "half" → 0.5, "one hundred and
    twenty" → 120, "half a million" → 500000, "two dozen" → 24.
    """
    words = [w for w in regex.split(r"[\s\-]+", text.strip().lower()) if w and w != "and"]
    words = _strip_article(words)
    if not words:
        return None
    if words[0] == "half" and len(words) > 1:
        rest = word_number(" ".join(words[1:]))
        return None if rest is None else rest / 2
    total = 0.0
    current: float | None = None
    for word in words:
        if word in UNITS_WORDS or word in TENS_WORDS:
            add = UNITS_WORDS.get(word, TENS_WORDS.get(word, 0))
            below_hundred = (current or 0) % 100
            # a units word after a tens word ("twenty-three"), anything after a hundred; not
            # "ten and twenty" or "five four", which are two numbers, not their sum
            if below_hundred and not (word in UNITS_WORDS and add < 10 and below_hundred % 10 == 0 and below_hundred >= 20):
                return None
            current = (current or 0) + add
        elif word in GROUP_WORDS:
            current = (current or 1) * GROUP_WORDS[word]
        elif word in MAGNITUDE_WORDS:
            factor = MAGNITUDE_WORDS[word]
            base = current if current is not None else 1.0
            if factor == 100:
                current = base * factor
            else:
                total += base * factor
                current = None
        else:
            return None
    return total + (current or 0)


def ordinal_number(text: str) -> int | None:
    """The value of an ordinal ("first", "twenty-first", "11th", "2nd"), or None."""
    text = text.strip().lower()
    match = _ORDINAL_DIGITS_RE.fullmatch(text)
    if match:
        return int(match.group(1))
    if text in ORDINALS:
        return ORDINALS[text]
    parts = regex.split(r"[\s\-]+", text)
    if len(parts) == 2 and parts[0] in TENS_WORDS and parts[1] in ORDINALS:
        return TENS_WORDS[parts[0]] + ORDINALS[parts[1]]
    return None
