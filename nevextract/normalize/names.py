"""Person names: their shape, and whether a short mention ("Zhou") refers to a full name.

News writing names a person in full once ("Zhou Lan", "Katalin Varga") and by one part
afterwards. Chinese names put the family name first, Western names last, so a later mention
matches a full name when it equals the name's first or last part.
"""

from __future__ import annotations

import regex

# A name part: "Zhou", "O'Brien", "Kim-kong", "McDonald", "Jr." is not one.
_NAME_PART = regex.compile(r"\p{Lu}[\p{Ll}\p{Lu}'’.-]*\p{Ll}[\p{Ll}'’-]*|\p{Lu}\.")


def name_parts(name: str) -> list[str]:
    """The words of a name, without surrounding punctuation."""
    return [w.strip(",.;:()") for w in name.split() if w.strip(",.;:()")]


def looks_like_person_name(name: str) -> bool:
    """Two to four capitalised parts, each written like a name (not an acronym)."""
    parts = name_parts(name)
    return 2 <= len(parts) <= 4 and all(_NAME_PART.fullmatch(p) for p in parts)


def refers_to(mention: str, full_name: str) -> bool:
    """True when `mention` is `full_name` or its first or last part ("Zhou" -> "Zhou Lan",
    "Varga" -> "Katalin Varga")."""
    m = [p.casefold() for p in name_parts(mention)]
    f = [p.casefold() for p in name_parts(full_name)]
    if not m or not f:
        return False
    if m == f:
        return True
    return len(m) == 1 and len(f) >= 2 and m[0] in (f[0], f[-1])
