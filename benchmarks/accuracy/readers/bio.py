"""Reader for token-level BIO named-entity corpora: FiNER-ORD (CSV) and CoNLL-2003 (columns).

Both give tokens, not text, so a document's text is rebuilt from its tokens (below) and every
token keeps its character span in that text; gold entities are given both ways, as
character spans (what nevextract and spaCy answer in) and as token spans (what the
seqeval-style metric compares).

FiNER-ORD (github.com/gtfintechlab/FiNER-ORD, `data/train/train.csv`, `data/train/val.csv`):
a CSV with the header `gold_label,gold_token,doc_idx,sent_idx`, one token per row, documents
and sentences contiguous. Columns are found by their header names, not their position. The
label ids are those of the repository's own scorer (`code/generative_llm_res_seqeval.py`,
`mapping_dict`): 0 O, 1 B-PER, 2 I-PER, 3 B-LOC, 4 I-LOC, 5 B-ORG, 6 I-ORG (the README does
not list them; the label transitions in the data agree: no I- tag follows O). FiNER-ORD's
sentence splitter sometimes cut inside a name ("Yahoo! | Finance", a firm's name split after
a line break): 22 sentences of train+val open with an I- tag continuing the previous
sentence's entity. Its entities are therefore decoded over the whole document, so such a name
is one gold entity.

CoNLL-2003 (`train.txt`): `-DOCSTART- -X- -X- O` starts a document, a blank line ends a
sentence, other lines are `token POS chunk NER`. The NER column is IOB1 in the original
release (I- opens an entity; B- only separates two adjacent entities of one type) and IOB2
in many re-releases; the decoder below reads both. CoNLL entities never cross a sentence,
so they are decoded sentence by sentence.

Decoding (as seqeval's default, lenient mode): an entity starts at B-X, or at I-X when the
previous tag is not B-X or I-X, and runs over the following I-X tags.

Detokenization (light, so the text reads like prose and a tokenizer sees familiar shapes):
tokens are joined by one space, except
- no space before , . ; : ! ? ) ] } % ... … , the clitics 's n't 're 've 'll 'd 'm (straight
  or curly apostrophe, any case) and closing quotes (” ’ '' and a straight " that closes);
- no space after ( [ { $ £ € and opening quotes (“ ‘ `` and a straight " that opens).
A straight " opens and closes in turn through the document; a lone straight ' attaches to
the word before it (in news it is mostly a plural possessive: "the workers' union").
Sentences are joined by one space by default (`sentence_sep`), not a line break: the
corpora do not say whether a sentence ended a line, and FiNER-ORD's splits inside names
would otherwise put a line break inside a gold name for every system. The cost is that a
headline without a full stop runs into the next sentence; a caller can pass "\\n" instead.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# FiNER-ORD label ids -> IOB2 tags (repository's code/generative_llm_res_seqeval.py).
FINER_LABELS: dict[str, str] = {
    "0": "O", "1": "B-PER", "2": "I-PER", "3": "B-LOC", "4": "I-LOC", "5": "B-ORG", "6": "I-ORG",
}
FINER_COLUMNS = ("gold_label", "gold_token", "doc_idx", "sent_idx")
DOCSTART = "-DOCSTART-"

_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "…", "”", "’", "''", "'"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "£", "€", "“", "‘", "``"})
_CLITICS = frozenset({"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"})


@dataclass(frozen=True)
class Entity:
    """A gold entity: characters `start:end` of the text (end exclusive) and tokens
    `first..last` (both inclusive, as seqeval's chunks)."""

    start: int
    end: int
    label: str
    first: int
    last: int


@dataclass
class Document:
    """One document: its rebuilt text, its tokens with their character spans, its sentences
    as token ranges `[start, end)`, and its gold entities."""

    id: str
    text: str
    tokens: list[str]
    spans: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    entities: list[Entity]

    def entity_text(self, e: Entity) -> str:
        return self.text[e.start : e.end]


# ----------------------------------------------------------------------------- text


def _attaches_left(token: str) -> bool:
    return token in _NO_SPACE_BEFORE or token.replace("’", "'").lower() in _CLITICS


def detokenize(sentences: Sequence[Sequence[str]], sentence_sep: str = " ") -> tuple[str, list[tuple[int, int]]]:
    """The text of tokenized sentences (rules in the module docstring) and each token's
    character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    quote_open = False  # a straight double quote opens, then closes, in turn
    glue_next = True  # no space before the next token (start of text, after an opener)
    for k, sentence in enumerate(sentences):
        if k and spans and sentence:
            parts.append(sentence_sep)
            at += len(sentence_sep)
            glue_next = True
        for token in sentence:
            if token == '"':
                opens = not quote_open
                quote_open = opens
            else:
                opens = token in _NO_SPACE_AFTER
            closes = token == '"' and not opens
            if not glue_next and not closes and not (token != '"' and _attaches_left(token)):
                parts.append(" ")
                at += 1
            parts.append(token)
            spans.append((at, at + len(token)))
            at += len(token)
            glue_next = opens
    return "".join(parts), spans


# ----------------------------------------------------------------------------- tags


def decode_tags(tags: Sequence[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """Entities `(first, last, label)` (token indexes plus `offset`, last inclusive) of an
    IOB1 or IOB2 tag sequence, read as seqeval's lenient mode does."""
    out: list[tuple[int, int, str]] = []
    label: str | None = None
    first = 0
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix not in ("B", "I", "O") or (prefix == "O") != (tag == "O") or (prefix != "O" and not kind):
            raise ValueError(f"not an IOB tag: {tag!r}")
        continues = prefix == "I" and kind == label
        if label is not None and not continues:
            out.append((first + offset, i - 1 + offset, label))
            label = None
        if prefix != "O" and not continues:
            label, first = kind, i
    if label is not None:
        out.append((first + offset, len(tags) - 1 + offset, label))
    return out


def build_document(
    doc_id: str,
    sentences: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    *,
    across_sentences: bool,
    sentence_sep: str = " ",
) -> Document:
    """A `Document` from its tokenized sentences and their tags; `across_sentences` lets an
    entity continue over a sentence boundary (FiNER-ORD), else each sentence is decoded alone."""
    text, spans = detokenize(sentences, sentence_sep)
    bounds: list[tuple[int, int]] = []
    at = 0
    for sentence in sentences:
        bounds.append((at, at + len(sentence)))
        at += len(sentence)
    if across_sentences:
        chunks = decode_tags([t for s in tags for t in s])
    else:
        chunks = [c for (s, _), sent_tags in zip(bounds, tags) for c in decode_tags(sent_tags, s)]
    entities = [Entity(spans[f][0], spans[l][1], label, f, l) for f, l, label in chunks]
    tokens = [t for s in sentences for t in s]
    return Document(doc_id, text, tokens, spans, bounds, entities)


# ----------------------------------------------------------------------------- FiNER-ORD


def read_finer_ord(path: Path, sentence_sep: str = " ") -> list[Document]:
    """Documents of a FiNER-ORD CSV file, in file order."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if header is None or not set(FINER_COLUMNS) <= set(header):
            raise ValueError(f"{path}:1: expected the columns {', '.join(FINER_COLUMNS)}, got {header}")
        col = {name: header.index(name) for name in FINER_COLUMNS}
        docs: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
        for lineno, row in enumerate(rows, 2):
            if not row:
                continue
            label = row[col["gold_label"]].strip()
            if label not in FINER_LABELS:
                raise ValueError(f"{path}:{lineno}: unknown label id {label!r}")
            sentence = docs.setdefault(row[col["doc_idx"]], {}).setdefault(row[col["sent_idx"]], ([], []))
            sentence[0].append(row[col["gold_token"]])
            sentence[1].append(FINER_LABELS[label])
    return [
        build_document(
            doc_id, [s[0] for s in sents.values()], [s[1] for s in sents.values()],
            across_sentences=True, sentence_sep=sentence_sep,
        )
        for doc_id, sents in docs.items()
    ]


# ----------------------------------------------------------------------------- CoNLL-2003


def _conll_documents(lines: Iterable[str], path: Path) -> Iterable[list[list[tuple[str, str]]]]:
    """Each document as sentences of (token, tag); text before the first -DOCSTART- is a
    document of its own (some re-releases drop the markers)."""
    doc: list[list[tuple[str, str]]] = []
    sentence: list[tuple[str, str]] = []
    for lineno, line in enumerate(lines, 1):
        cols = line.split()
        if cols and cols[0] == DOCSTART:
            if sentence:
                doc.append(sentence)
            if doc:
                yield doc
            doc, sentence = [], []
        elif not cols:
            if sentence:
                doc.append(sentence)
            sentence = []
        elif len(cols) < 2:
            raise ValueError(f"{path}:{lineno}: expected 'token POS chunk NER' columns, got {line.strip()!r}")
        else:
            sentence.append((cols[0], cols[-1]))
    if sentence:
        doc.append(sentence)
    if doc:
        yield doc


def read_conll2003(path: Path, sentence_sep: str = " ") -> list[Document]:
    """Documents of a CoNLL-2003 file, numbered from 0 in file order."""
    with path.open(encoding="utf-8") as f:
        docs = list(_conll_documents(f, path))
    return [
        build_document(
            str(n), [[tok for tok, _ in s] for s in doc], [[tag for _, tag in s] for s in doc],
            across_sentences=False, sentence_sep=sentence_sep,
        )
        for n, doc in enumerate(docs)
    ]
