"""Scoring records against gold annotations (the format docs/annotation.md describes).

    report = evaluate(Path("eval/dev"), Path("results.jsonl"))
    print(report.to_text())

Matching is per article, then summed over all gold articles (micro-average):
- organisations: a prediction's names (name, aliases, mention texts, and the parts of
  "Name (ACR)") equal a gold name or variant after folding (case, accents, punctuation,
  "the", "&" = "and", trailing legal forms); predictions that fold alike count once;
- quantities: same kind, value within 0.5 % of the gold value (exact for 0), and for money
  the same currency;
- dates: the same ISO value (a time part is cut off); unresolved values are not scored;
- claims: the predicted speaker names the gold speaker (family name, or an organisation's
  name or variant) and the predicted content holds the gold snippet or 60 % of its words.
  Claims are matched leniently (a gold claim is found if any prediction matches it; a
  prediction is right if it matches any), the others one-to-one;
- organisations and claims marked `"optional": true` in gold are neither required nor penalised
  (quantities and dates have no optional items: each is required);
- body: each `body_must_contain` snippet present, each `body_must_not_contain` absent.
The words these rules need (legal forms, currencies, family-name-first surnames) are data in
`patterns/scoring.yaml`.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, model_validator

from nevextract.clean import looks_like_html
from nevextract.patterns import load_all, shipped_dir

FIELDS = ("organisations", "quantities", "dates", "claims")
QUANTITY_TOLERANCE = 0.005  # relative: 0.5 % of the gold value
CLAIM_WORD_SHARE = 0.6  # share of a gold snippet's words a predicted content must hold
PAGE_SUFFIXES = (".txt", ".html", ".htm")

Json = dict[str, Any]


class EvaluationError(ValueError):
    """A gold folder or prediction file that cannot be read."""


# ----------------------------------------------------------------------------- rule data


class ScoringWord(BaseModel):
    """One entry of patterns/scoring.yaml (see its header)."""

    model_config = ConfigDict(extra="forbid")
    word: str
    role: Literal["legal-suffix", "family-name-first", "currency"]
    code: str | None = None

    @model_validator(mode="after")
    def _code_for_currencies(self) -> ScoringWord:
        if (self.role == "currency") != (self.code is not None):
            raise ValueError("`code` is required for currency entries and only for them")
        return self


@dataclass(frozen=True)
class _Words:
    legal_suffixes: frozenset[str]
    family_first: frozenset[str]
    currencies: Mapping[str, str]  # written form -> ISO code, longest form first


@lru_cache(maxsize=1)
def _words() -> _Words:
    """The scoring words, from the shipped folder only: users cannot move the yardstick."""
    entries = load_all("scoring.yaml", ScoringWord, [shipped_dir()])

    def of(role: str) -> list[ScoringWord]:
        return [e for e in entries if e.role == role]

    currencies = {e.word: e.code or "" for e in sorted(of("currency"), key=lambda e: -len(e.word))}
    return _Words(
        frozenset(e.word for e in of("legal-suffix")), frozenset(e.word for e in of("family-name-first")), currencies
    )


# ----------------------------------------------------------------------------- folding

# Typographic variants that carry no meaning for matching (a tiny closed class).
_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u300c": '"', "\u300d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ",
})
_SPACE = regex.compile(r"\s+")
_WORD = regex.compile(r"\w+(?:'\w+)*")
_NAME_TOKEN = regex.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "prof", "jr", "sr", "ii", "iii", "iv", "phd"})


def squash(text: str) -> str:
    """Quotes and dashes unified, whitespace collapsed: how snippets are compared."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


def fold(text: str) -> str:
    """`squash`ed, accents dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", squash(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def has_word(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` with no word character glued to either end."""
    return bool(needle) and regex.search(rf"(?<!\w){regex.escape(needle)}(?!\w)", haystack) is not None


def org_key(name: str) -> str:
    """An organisation name folded for comparison: "The BYD Co., Ltd." -> "byd"."""
    s = fold(name).replace("&", " and ")
    s = regex.sub(r"'s\b", "", s).replace("'", "")
    s = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in s)
    tokens = [t for t in s.split() if t != "the"]
    while len(tokens) > 1 and tokens[-1] in _words().legal_suffixes:
        tokens.pop()
    return " ".join(tokens)


def currency_of(unit: str) -> str:
    """ISO code of a written currency ("RMB", "billion yuan", "US$"), else the unit upper-cased."""
    u = fold(unit)
    table = _words().currencies
    for form in (u, u.rstrip("s")):
        if form in table:
            return table[form]
    for form, code in table.items():  # a currency inside a longer unit: longest form first
        if (has_word(u, form) if form.isalnum() else form in u):
            return code
    return u.upper()


# ----------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class FieldScore:
    """Counts for one field. `found`: gold items matched (recall); `correct`: predictions
    matched (precision). They differ only where matching is lenient (claims)."""

    found: int = 0
    correct: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: tuple[str, ...] = ()
    false_negatives: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.correct / (self.correct + self.fp) if self.correct + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.fn) if self.found + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(
            self.found + other.found, self.correct + other.correct, self.fp + other.fp, self.fn + other.fn,
            self.false_positives + other.false_positives, self.false_negatives + other.false_negatives,
        )

    def cells(self) -> str:
        return f"{self.found}/{self.fp}/{self.fn}"


@dataclass(frozen=True)
class BodyScore:
    """Gold snippets the body keeps (must contain) and boilerplate it dropped (must not contain)."""

    kept: int = 0
    kept_total: int = 0
    removed: int = 0
    removed_total: int = 0
    missing: tuple[str, ...] = ()
    leaked: tuple[str, ...] = ()

    def __add__(self, other: BodyScore) -> BodyScore:
        return BodyScore(
            self.kept + other.kept, self.kept_total + other.kept_total, self.removed + other.removed,
            self.removed_total + other.removed_total, self.missing + other.missing, self.leaked + other.leaked,
        )

    @property
    def kept_pct(self) -> float:
        return 100.0 * self.kept / self.kept_total if self.kept_total else 0.0

    @property
    def removed_pct(self) -> float:
        return 100.0 * self.removed / self.removed_total if self.removed_total else 0.0


@dataclass(frozen=True)
class ArticleScore:
    id: str
    predicted: bool
    fields: Mapping[str, FieldScore]
    body: BodyScore


@dataclass
class EvaluationReport:
    """Per-article scores and their totals; `to_text()` prints the usual table."""

    articles: list[ArticleScore]
    unknown_ids: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, FieldScore]:
        return {f: sum((a.fields[f] for a in self.articles), FieldScore()) for f in FIELDS}

    @property
    def body(self) -> BodyScore:
        return sum((a.body for a in self.articles), BodyScore())

    @property
    def missing_predictions(self) -> list[str]:
        return [a.id for a in self.articles if not a.predicted]

    def to_dict(self) -> Json:
        def nums(s: FieldScore) -> Json:
            return {"p": s.precision, "r": s.recall, "f1": s.f1, "tp": s.found, "fp": s.fp, "fn": s.fn}

        return {
            "summary": {f: nums(s) for f, s in self.totals.items()}
            | {"body": {"kept": self.body.kept, "kept_total": self.body.kept_total,
                        "removed": self.body.removed, "removed_total": self.body.removed_total}},
            "articles": [
                {"id": a.id, "predicted": a.predicted, **{f: nums(a.fields[f]) for f in FIELDS},
                 "body": {"missing": list(a.body.missing), "leaked": list(a.body.leaked)}}
                for a in self.articles
            ],
            "missing_predictions": self.missing_predictions,
            "unknown_ids": self.unknown_ids,
        }

    def to_text(self, per_article: bool = True) -> str:
        lines = [f"articles: {len(self.articles)} gold, {len(self.articles) - len(self.missing_predictions)} predicted"
                 + (f"; missing: {', '.join(self.missing_predictions)}" if self.missing_predictions else "")
                 + (f"; ignored ids not in gold: {', '.join(self.unknown_ids)}" if self.unknown_ids else "")]
        lines.append(f"{'field':<14} {'P':>6} {'R':>6} {'F1':>6} {'tp/fp/fn':>15}")
        for name, s in self.totals.items():
            lines.append(f"{name:<14} {100 * s.precision:6.1f} {100 * s.recall:6.1f} {100 * s.f1:6.1f} {s.cells():>15}")
        b = self.body
        lines.append(f"{'body':<14} kept {b.kept_pct:5.1f}% ({b.kept}/{b.kept_total})   "
                     f"boilerplate removed {b.removed_pct:5.1f}% ({b.removed}/{b.removed_total})")
        if per_article:
            lines.append("")
            lines.append(f"{'id':<12} {'orgs tp/fp/fn':<13} {'qty tp/fp/fn':<13} {'date tp/fp/fn':<13} "
                         f"{'clm tp/fp/fn':<13} {'body+':<7} {'body-':<7}")
            for a in self.articles:
                cells = " ".join(f"{a.fields[f].cells():<13}" for f in FIELDS)
                lines.append(f"{a.id:<12} {cells} {f'{a.body.kept}/{a.body.kept_total}':<7} "
                             f"{f'{a.body.removed}/{a.body.removed_total}':<7}"
                             + ("" if a.predicted else "  (no prediction)"))
        return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- matching


def max_matching(n_pred: int, n_gold: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of predictions to gold items (augmenting paths)."""
    options = [[j for j in range(n_gold) if ok(i, j)] for i in range(n_pred)]
    owner: list[int | None] = [None] * n_gold

    def augment(i: int, visited: set[int]) -> bool:
        for j in options[i]:
            if j in visited:
                continue
            visited.add(j)
            current = owner[j]
            if current is None or augment(current, visited):
                owner[j] = i
                return True
        return False

    for i in range(n_pred):
        augment(i, set())
    return [(i, j) for j, i in enumerate(owner) if i is not None]


def _one_to_one(preds: Sequence[Any], golds: Sequence[Any], ok: Callable[[int, int], bool],
                show_p: Callable[[int], str], show_g: Callable[[int], str]) -> FieldScore:
    pairs = max_matching(len(preds), len(golds), ok)
    mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
    fps = tuple(show_p(i) for i in range(len(preds)) if i not in mp)
    fns = tuple(show_g(j) for j in range(len(golds)) if j not in mg)
    return FieldScore(len(pairs), len(pairs), len(fps), len(fns), fps, fns)


def _items(obj: Any) -> list[Any]:
    if obj is None:
        return []
    return obj if isinstance(obj, list) else [obj]


def _text(obj: Any, *keys: str) -> str:
    """First non-empty string (or number, as text) among `obj[keys]`; a string is itself."""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, Mapping):
        return ""
    for k in keys:
        v = obj.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        if isinstance(v, str) and v.strip():
            return v
    return ""


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, str):
        try:
            return float(v.strip().replace(",", "").replace("_", ""))
        except ValueError:
            return None
    return None


# ----------------------------------------------------------------------------- fields


def _gold_org_keys(gold_orgs: Iterable[Any]) -> list[tuple[frozenset[str], bool]]:
    """(folded name and variants, optional?) per gold organisation."""
    out = []
    for g in gold_orgs:
        g = {"name": g} if isinstance(g, str) else g
        if not isinstance(g, Mapping):
            continue
        names = [_text(g, "name"), *(_text(v, "name", "text") for v in _items(g.get("variants")))]
        keys = frozenset(k for k in map(org_key, names) if k)
        out.append((keys, g.get("optional") is True))
    return out


def _org_names(pred: Any) -> set[str]:
    """Every name a predicted organisation answers to, folded."""
    raw = _text(pred, "name", "text", "canonical")
    names = [raw]
    if isinstance(pred, Mapping):
        names += [a for a in _items(pred.get("aliases")) if isinstance(a, str)]
        names += [_text(m, "text") for m in _items(pred.get("mentions"))]
    if "(" in raw:  # "Contemporary Amperex Technology (CATL)": either part
        names.append(regex.sub(r"\([^)]*\)?", " ", raw))
        names += regex.findall(r"\(([^)]*)\)?", raw)
    return {k for k in map(org_key, names) if k}


def score_organisations(gold: Sequence[Any], pred: Sequence[Any]) -> FieldScore:
    index = _gold_org_keys(gold)
    required = [keys for keys, optional in index if not optional]
    optional_only = set().union(*(keys for keys, optional in index if optional)) - set().union(*required)
    keys: list[str] = []
    names: list[set[str]] = []
    for p in pred:
        key = org_key(_text(p, "name", "text", "canonical"))
        if not key or key in keys or key in optional_only:
            continue
        keys.append(key)
        names.append(_org_names(p) | {key})
    return _one_to_one(keys, required, lambda i, j: not names[i].isdisjoint(required[j]),
                       lambda i: keys[i], lambda j: min(required[j], key=len))


def _quantity(q: Any) -> tuple[str, float | None, str | None] | None:
    if not isinstance(q, Mapping):
        return None
    kind = fold(_text(q, "kind", "type", "label")) or "other"
    currency = None
    if kind == "money":
        codes = [currency_of(u) for u in (_text(q, "currency"), _text(q, "unit")) if u]
        currency = next((c for c in codes if c in _words().currencies.values()), codes[0] if codes else "")
    return kind, _number(q.get("value")), currency


def score_quantities(gold: Sequence[Any], pred: Sequence[Any]) -> FieldScore:
    golds = [g for g in map(_quantity, gold) if g is not None and g[1] is not None]
    preds = [p or ("?", None, None) for p in map(_quantity, pred)]

    def ok(i: int, j: int) -> bool:
        (pk, pv, pc), (gk, gv, gc) = preds[i], golds[j]
        if pv is None or gv is None or pk != gk or pc != gc:
            return False
        return pv == 0 if gv == 0 else abs(pv - gv) <= QUANTITY_TOLERANCE * abs(gv)

    return _one_to_one(preds, golds, ok, lambda i: str(preds[i]), lambda j: str(golds[j]))


def date_value(v: Any) -> str:
    """An ISO date value for comparison: time part cut off, upper case ("2025-q1" -> "2025-Q1")."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(int(v)) if float(v).is_integer() else str(v)
    if not isinstance(v, str):
        return ""
    v = v.strip()
    cut = regex.match(r"\d{4}-\d{2}-\d{2}(?=[T ])", v)
    return (cut.group(0) if cut else v).upper()


def score_dates(gold: Sequence[Any], pred: Sequence[Any]) -> FieldScore:
    golds: list[str] = []
    unresolved: list[str] = []  # texts of gold dates without a value: not scored
    for g in gold:
        if not isinstance(g, Mapping):
            continue
        if value := date_value(g.get("value")):
            golds.append(value)
        elif text := fold(_text(g, "text")):
            unresolved.append(text)
    preds: list[tuple[str, str]] = []
    for p in pred:
        p = {"value": p} if isinstance(p, str) else p
        if isinstance(p, Mapping) and (value := date_value(p.get("value"))):
            preds.append((value, fold(_text(p, "text"))))

    def about_unresolved(text: str) -> bool:
        """A prediction for a date the gold leaves unresolved is neither right nor wrong."""
        return bool(text) and any(has_word(t, text) or has_word(text, t) for t in unresolved)

    pairs = max_matching(len(preds), len(golds), lambda i, j: preds[i][0] == golds[j])
    mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
    fps = tuple(f"{v} ({t})" for i, (v, t) in enumerate(preds) if i not in mp and not about_unresolved(t))
    fns = tuple(golds[j] for j in range(len(golds)) if j not in mg)
    return FieldScore(len(pairs), len(pairs), len(fps), len(fns), fps, fns)


@dataclass(frozen=True)
class _GoldClaim:
    speaker: str
    org_keys: frozenset[str] | None  # the speaker is an organisation: its names
    family: frozenset[str]  # else: the person's family name(s)
    snippet: str
    optional: bool


def _content(text: str) -> str:
    return _SPACE.sub(" ", fold(text).replace('"', " ")).strip()


def _family_names(speaker: str, aliases: Iterable[Any]) -> frozenset[str]:
    """Last token of the name (and of each alias); the first too for family-name-first names."""
    def tokens(s: str) -> list[str]:
        return [t for t in _NAME_TOKEN.findall(fold(s)) if t not in _HONORIFICS]

    toks = tokens(speaker)
    names = {toks[-1]} if toks else set()
    if len(toks) >= 2 and toks[0] in _words().family_first:
        names.add(toks[0])
    names |= {t[-1] for t in (tokens(a) for a in aliases if isinstance(a, str)) if t}
    return frozenset(names)


def _gold_claim(g: Mapping[str, Any], orgs: list[tuple[frozenset[str], bool]]) -> _GoldClaim:
    speaker = _text(g, "speaker")
    key = org_key(speaker)
    org_keys = next((keys for keys, _ in orgs if key and key in keys), None)
    if org_keys is None and speaker and speaker == _text(g, "speaker_org"):
        org_keys = frozenset({key} - {""})
    family = frozenset() if org_keys is not None else _family_names(speaker, _items(g.get("speaker_aliases")))
    return _GoldClaim(speaker, org_keys, family, _content(_text(g, "content_snippet", "content")),
                      g.get("optional") is True)


def _claim_matches(pred: Mapping[str, Any] | Any, gold: _GoldClaim) -> bool:
    speaker = _text(pred, "speaker", "source", "attribution")
    if gold.org_keys is not None:
        named = any(has_word(org_key(speaker), k) for k in gold.org_keys)
    else:
        named = any(has_word(fold(speaker), f) for f in gold.family)
    if not named or not gold.snippet:
        return False
    content = _content(_text(pred, "content", "text", "quote"))
    if gold.snippet in content:
        return True
    words = _WORD.findall(gold.snippet)
    present = set(_WORD.findall(content))
    return bool(words) and sum(w in present for w in words) >= CLAIM_WORD_SHARE * len(words)


def score_claims(gold: Sequence[Any], pred: Sequence[Any], gold_orgs: Sequence[Any]) -> FieldScore:
    orgs = _gold_org_keys(gold_orgs)
    golds = [_gold_claim(g, orgs) for g in gold if isinstance(g, Mapping)]
    preds = [p for p in pred if isinstance(p, Mapping)]
    hits = [[_claim_matches(p, g) for g in golds] for p in preds]
    required = [j for j, g in enumerate(golds) if not g.optional]
    found = [j for j in required if any(row[j] for row in hits)]
    right = [i for i, row in enumerate(hits) if any(row[j] for j in required)]
    # A prediction matching only an optional (unnamed-speaker) claim is neither right nor wrong.
    wrong = [i for i, row in enumerate(hits) if not any(row)]
    return FieldScore(
        len(found), len(right), len(wrong), len(required) - len(found),
        tuple(f"{_text(preds[i], 'speaker')}: {_text(preds[i], 'content')[:80]}" for i in wrong),
        tuple(f"{golds[j].speaker}: {golds[j].snippet}" for j in required if j not in found),
    )


def _visible(body: str) -> str:
    if looks_like_html(body):
        import lxml.html

        body = " ".join(lxml.html.fromstring(body).itertext())
    return squash(body)


def score_body(gold: Mapping[str, Any], body: Any) -> BodyScore:
    text = _visible(body if isinstance(body, str) else "")
    must = [s for s in (squash(x) for x in _items(gold.get("body_must_contain")) if isinstance(x, str)) if s]
    must_not = [s for s in (squash(x) for x in _items(gold.get("body_must_not_contain")) if isinstance(x, str)) if s]
    missing = tuple(s for s in must if s not in text)
    leaked = tuple(s for s in must_not if s in text)
    return BodyScore(len(must) - len(missing), len(must), len(must_not) - len(leaked), len(must_not), missing, leaked)


def score_article(gold: Mapping[str, Any], pred: Mapping[str, Any] | None, ident: str) -> ArticleScore:
    p: Mapping[str, Any] = pred or {}
    gold_orgs = _items(gold.get("organisations"))
    fields = {
        "organisations": score_organisations(gold_orgs, _items(p.get("organisations"))),
        "quantities": score_quantities(_items(gold.get("quantities")), _items(p.get("quantities"))),
        "dates": score_dates(_items(gold.get("dates")), _items(p.get("dates"))),
        "claims": score_claims(_items(gold.get("claims")), _items(p.get("claims")), gold_orgs),
    }
    return ArticleScore(ident, pred is not None, fields, score_body(gold, p.get("body")))


# ----------------------------------------------------------------------------- loading


def load_gold(gold_dir: Path) -> dict[str, Json]:
    """Gold annotations by id (the file name without `.gold.json`)."""
    if not gold_dir.is_dir():
        raise EvaluationError(f"gold folder not found: {gold_dir}")
    gold: dict[str, Json] = {}
    for path in sorted(gold_dir.glob("*.gold.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvaluationError(f"cannot read gold file {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise EvaluationError(f"gold file {path} is not a JSON object")
        gold[path.name[: -len(".gold.json")]] = data
    if not gold:
        raise EvaluationError(f"no *.gold.json files in {gold_dir}")
    return gold


def prediction_id(obj: Mapping[str, Any]) -> str:
    """A prediction's id: `id`, else the file name of `path`, without a page suffix."""
    ident = _text(obj, "id").strip() or Path(_text(obj, "path", "source_path", "file").strip() or ".").name
    for suffix in PAGE_SUFFIXES:
        if ident.endswith(suffix):
            return ident[: -len(suffix)]
    return ident


def load_predictions(source: Path | str | Iterable[Any]) -> dict[str, Json]:
    """Predictions by id, from a JSON Lines file or from records/dicts; a later one wins."""
    if isinstance(source, (str, Path)):
        objs = list(_read_jsonl(Path(source)))
    else:
        objs = [o.model_dump() if isinstance(o, BaseModel) else o for o in source]
    return {pid: o for o in objs if isinstance(o, Mapping) and (pid := prediction_id(o))}


def _read_jsonl(path: Path) -> Iterable[Json]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"cannot read predictions {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc


def evaluate(gold_dir: Path | str, predictions: Path | str | Iterable[Any]) -> EvaluationReport:
    """Score predictions (a JSON Lines file of records, or the records themselves) against the
    `<id>.gold.json` files in `gold_dir`. A gold file's inner `id` also names its article."""
    gold = load_gold(Path(gold_dir))
    preds = load_predictions(predictions)
    inner = {g["id"]: gid for gid, g in gold.items() if isinstance(g.get("id"), str) and g["id"] not in gold}
    by_gold: dict[str, Json] = {}
    unknown: list[str] = []
    for pid, obj in preds.items():
        gid = pid if pid in gold else inner.get(pid)
        if gid is None:
            unknown.append(pid)
        elif gid == pid or gid not in by_gold:
            by_gold[gid] = obj
    articles = [score_article(gold[gid], by_gold.get(gid), gid) for gid in sorted(gold)]
    return EvaluationReport(articles, sorted(unknown))
