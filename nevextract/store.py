"""An embedded store for batches: SQLite (standard library) in WAL mode.

Each article is written with all its rows in one transaction, keyed by the hash of its
input, so a run killed at any moment (SIGKILL included) and started again stores every
article exactly once: what committed is skipped, what did not is redone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from nevextract.records import ArticleRecord, ErrorRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    content_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL, path TEXT, source TEXT, title TEXT, published TEXT,
    record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS organisations (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    name TEXT NOT NULL, type TEXT, found_by TEXT, aliases TEXT, mentions INTEGER
);
CREATE TABLE IF NOT EXISTS quantities (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value REAL, unit TEXT, kind TEXT, qualifier TEXT, value_max REAL
);
CREATE TABLE IF NOT EXISTS dates (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value TEXT, granularity TEXT, value_end TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    content_hash TEXT NOT NULL REFERENCES articles(content_hash) ON DELETE CASCADE,
    speaker TEXT, role TEXT, organisation TEXT, cue TEXT, kind TEXT, content TEXT, start INTEGER, "end" INTEGER
);
CREATE TABLE IF NOT EXISTS errors (
    content_hash TEXT PRIMARY KEY,
    id TEXT NOT NULL, path TEXT, type TEXT, message TEXT, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS organisations_hash ON organisations(content_hash);
CREATE INDEX IF NOT EXISTS quantities_hash ON quantities(content_hash);
CREATE INDEX IF NOT EXISTS dates_hash ON dates(content_hash);
CREATE INDEX IF NOT EXISTS claims_hash ON claims(content_hash);
"""


def content_hash(text: str, salt: str = "") -> str:
    """The key of an input: its text (and what else changes its record, e.g. the mode)."""
    h = hashlib.sha256(salt.encode("utf-8"))
    h.update(text.encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions below
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE content_hash = ?", (key,)).fetchone() is not None

    def put(self, key: str, record: ArticleRecord | ErrorRecord, path: str | None = None) -> None:
        """Store one record and its rows atomically, replacing any earlier one for `key`."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM articles WHERE content_hash = ?", (key,))
            db.execute("DELETE FROM errors WHERE content_hash = ?", (key,))
            if isinstance(record, ErrorRecord):
                db.execute(
                    "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?)",
                    (key, record.id, record.path or path, record.error.type, record.error.message, record.model_dump_json()),
                )
            else:
                self._put_article(key, record, path)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _put_article(self, key: str, r: ArticleRecord, path: str | None) -> None:
        db = self.db
        db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, r.id, path, r.source, r.title, r.published, r.model_dump_json()),
        )
        db.executemany(
            "INSERT INTO organisations VALUES (?, ?, ?, ?, ?, ?)",
            [(key, o.name, o.type, o.found_by, json.dumps(o.aliases), len(o.mentions)) for o in r.organisations],
        )
        db.executemany(
            "INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, q.text, q.start, q.end, q.value, q.unit, q.kind, q.qualifier, q.value_max) for q in r.quantities],
        )
        db.executemany(
            "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(key, d.text, d.start, d.end, d.value, d.granularity, d.value_end) for d in r.dates],
        )
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(key, c.speaker, c.role, c.organisation, c.cue, c.kind, c.content, c.start, c.end) for c in r.claims],
        )

    def records(self) -> Iterator[ArticleRecord | ErrorRecord]:
        """Every stored record: articles (by id), then errors."""
        for (raw,) in self.db.execute("SELECT record FROM articles ORDER BY id, content_hash"):
            yield ArticleRecord.model_validate_json(raw)
        for (raw,) in self.db.execute("SELECT record FROM errors ORDER BY id, content_hash"):
            yield ErrorRecord.model_validate_json(raw)

    def counts(self) -> dict[str, int]:
        tables = ("articles", "organisations", "quantities", "dates", "claims", "errors")
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
