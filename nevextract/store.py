"""An embedded store for batches: SQLite (standard library) in WAL mode.

One record per article id: storing a record replaces whatever was stored under its id
(article or error), all its rows in one transaction, so the newest record wins and a run
killed at any moment (SIGKILL included) and started again stores every article exactly once.
Next to each record the store keeps the hash of the input it came from (`content_hash`): an
input whose id is stored with the same hash is skipped on the next run, a changed one is
extracted again. Each record also carries a checksum of its own JSON, so a record damaged on
disk is found - it is extracted again by `extract` and reported by `export` - instead of
being passed on garbled.

The store is checked when it is opened (SQLite's `quick_check`); what is wrong is raised as
a `StoreError` with a one-line message.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from nevextract.records import ArticleRecord, ErrorRecord

# PRAGMA user_version of the current layout. 0 with tables present: the first layout, which
# keyed records by content hash (several records per id, none for a page shared by two ids).
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL, path TEXT, source TEXT, title TEXT, published TEXT,
    record TEXT NOT NULL, checksum TEXT NOT NULL
);
CREATE TABLE organisations (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL, type TEXT, found_by TEXT, aliases TEXT, mentions INTEGER
);
CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value REAL, unit TEXT, kind TEXT, qualifier TEXT, value_max REAL
);
CREATE TABLE dates (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT, start INTEGER, "end" INTEGER, value TEXT, granularity TEXT, value_end TEXT
);
CREATE TABLE claims (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker TEXT, role TEXT, organisation TEXT, cue TEXT, kind TEXT, content TEXT, start INTEGER, "end" INTEGER
);
CREATE TABLE errors (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL, path TEXT, type TEXT, message TEXT, record TEXT NOT NULL, checksum TEXT NOT NULL
);
CREATE INDEX organisations_article ON organisations(article_id);
CREATE INDEX quantities_article ON quantities(article_id);
CREATE INDEX dates_article ON dates(article_id);
CREATE INDEX claims_article ON claims(article_id);
"""
_TABLES = ("articles", "organisations", "quantities", "dates", "claims", "errors")
_SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 30.0

Status = Literal["missing", "same", "changed", "damaged"]


class StoreError(Exception):
    """The store cannot be opened or used; the message is one line naming the file and why."""


@dataclass(frozen=True)
class Unreadable:
    """A stored row that could not be read back: which one, and why."""

    table: str
    rowid: int | None
    id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.table} row {self.rowid}" if self.rowid is not None else self.table
        return f"{where}{f' (id {self.id!r})' if self.id else ''}: {self.reason}"


def content_hash(text: str, salt: str = "") -> str:
    """The key of an input: its text (and what else changes its record, e.g. the mode)."""
    h = hashlib.sha256(salt.encode("utf-8", errors="surrogatepass"))
    h.update(text.encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()


def _checksum(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class Store:
    """A store file. `create=False` (export) refuses a file that does not exist instead of
    creating an empty one. `salvage=True` (export) opens a store that fails its check, to
    read back what can still be read; otherwise a damaged store is refused."""

    def __init__(self, path: str | Path, *, create: bool = True, salvage: bool = False) -> None:
        self.path = Path(path)
        self.damage: str | None = None  # what quick_check found, when opened with salvage=True
        self.notice: str | None = None  # one line for the user, e.g. that the store was upgraded
        self._salvage = salvage
        if create:
            if self.path.parent.exists() and not self.path.parent.is_dir():
                raise StoreError(f"{self.path}: {self.path.parent} is not a folder")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create its folder: {exc.strerror or exc}") from exc
        elif not self.path.exists():
            raise StoreError(f"{self.path}: no such store")
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        _check_header(self.path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)  # explicit transactions
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open: {exc}") from exc
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{self.path}: {_reason(exc)}") from exc
        except BaseException:
            self.db.close()
            raise

    def _open(self) -> None:
        db = self.db
        try:
            problems = [row[0] for row in db.execute("PRAGMA quick_check(10)")]
        except sqlite3.DatabaseError as exc:
            if "malformed" not in str(exc):
                raise
            problems = [str(exc)]  # so damaged that the check itself cannot go through it
        if problems != ["ok"]:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.damage = f"SQLite's check failed: {problems[0]}{more}"
            if not self._salvage:
                raise StoreError(
                    f"{self.path}: the store is damaged ({self.damage}); "
                    "`nevextract export` saves the records that can still be read"
                )
            # Read-only from here: nothing is created or upgraded in a damaged file. SQLite
            # refuses every query when a table's root page lies past a truncated end; this
            # switches that check off, so the tables that are there can be read.
            db.execute("PRAGMA writable_schema=ON")
            return
        self._ensure_schema()  # first: a store this version cannot use is left exactly as it was
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")

    def _ensure_schema(self) -> None:
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer nevextract (store layout {version}); upgrade nevextract to use it")
        db.execute("BEGIN IMMEDIATE")  # another process may be creating or upgrading it right now
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == SCHEMA_VERSION:
                pass
            elif not tables:
                _create(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version == 0 and set(_TABLES) <= tables and _has_column(db, "articles", "content_hash") \
                    and not _has_column(db, "articles", "checksum"):
                self.notice = self._upgrade_from_content_keys()
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            else:
                raise StoreError(f"{self.path}: not a nevextract store (it has other tables: {', '.join(sorted(tables))})")
            db.execute("COMMIT")
        except BaseException:
            _rollback(db)
            raise

    def _upgrade_from_content_keys(self) -> str:
        """The first layout kept one record per content hash: an id could have several
        (one per version of its page) and could be both an article and an error. Keep the
        newest record of each id (the highest rowid: SQLite gives each insert a higher one),
        an article before an error, and rebuild the rows from it."""
        db = self.db
        for t in _TABLES:
            db.execute(f"ALTER TABLE {t} RENAME TO {t}_v1")
        for index in ("organisations_hash", "quantities_hash", "dates_hash", "claims_hash"):
            db.execute(f"DROP INDEX IF EXISTS {index}")
        _create(db)
        kept = dropped = 0
        newest = ("SELECT {t}.content_hash, {t}.path, CAST({t}.record AS BLOB) FROM {t} "
                  "JOIN (SELECT id, MAX(rowid) AS r FROM {t} GROUP BY id) AS last ON {t}.rowid = last.r")
        for key, path, raw in db.execute(newest.format(t="articles_v1")):
            try:
                rec = ArticleRecord.model_validate_json(raw)
            except ValidationError:
                dropped += 1  # damaged, or not a record this version can read: cannot be carried over
                continue
            self._put_article(key, rec, path)
            kept += 1
        for key, path, raw in db.execute(newest.format(t="errors_v1")):
            try:
                rec = ErrorRecord.model_validate_json(raw)
            except ValidationError:
                dropped += 1
                continue
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (rec.id,)).fetchone() is None:
                self._put_error(key, rec, path)
                kept += 1
        total = sum(db.execute(f"SELECT COUNT(*) FROM {t}_v1").fetchone()[0] for t in ("articles", "errors"))  # noqa: S608
        for t in _TABLES:
            db.execute(f"DROP TABLE {t}_v1")
        older = total - kept - dropped
        return (f"{self.path}: upgraded the store to one record per id: {kept} records kept, "
                f"{older} older duplicates dropped" + (f", {dropped} unreadable or outdated dropped" if dropped else ""))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def status(self, id: str, key: str) -> Status:
        """Whether the record stored for `id` came from this very input (`key`): `same`
        (skip it), `changed` (another version of the page, or an error), `damaged` (its
        record no longer matches its checksum) or `missing`."""
        try:
            row = self.db.execute(
                "SELECT content_hash, checksum, CAST(record AS BLOB) FROM articles WHERE id = ?", (id,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot read {id!r}: {_reason(exc)}") from exc
        if row is None:
            return "missing"
        if row[1] != _checksum(row[2]):
            return "damaged"
        return "same" if row[0] == key else "changed"

    def has(self, id: str, key: str) -> bool:
        return self.status(id, key) == "same"

    def put(self, record: ArticleRecord | ErrorRecord, key: str, path: str | None = None) -> None:
        """Store one record and its rows atomically, replacing what was stored under its id."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM articles WHERE id = ?", (record.id,))
                db.execute("DELETE FROM errors WHERE id = ?", (record.id,))
                if isinstance(record, ErrorRecord):
                    self._put_error(key, record, path)
                else:
                    self._put_article(key, record, path)
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot store {record.id!r}: {_reason(exc)}") from exc

    def _put_error(self, key: str, r: ErrorRecord, path: str | None) -> None:
        raw = r.model_dump_json()
        self.db.execute(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?, ?)",
            (r.id, key, r.path or path, r.error.type, r.error.message, raw, _checksum(raw.encode("utf-8"))),
        )

    def _put_article(self, key: str, r: ArticleRecord, path: str | None) -> None:
        db = self.db
        raw = r.model_dump_json()
        db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (r.id, key, path, r.source, r.title, r.published, raw, _checksum(raw.encode("utf-8"))),
        )
        db.executemany(
            "INSERT INTO organisations VALUES (?, ?, ?, ?, ?, ?)",
            [(r.id, o.name, o.type, o.found_by, json.dumps(o.aliases), len(o.mentions)) for o in r.organisations],
        )
        db.executemany(
            "INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.id, q.text, q.start, q.end, q.value, q.unit, q.kind, q.qualifier, q.value_max) for q in r.quantities],
        )
        db.executemany(
            "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.id, d.text, d.start, d.end, d.value, d.granularity, d.value_end) for d in r.dates],
        )
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.id, c.speaker, c.role, c.organisation, c.cue, c.kind, c.content, c.start, c.end) for c in r.claims],
        )

    def records(self) -> Iterator[ArticleRecord | ErrorRecord | Unreadable]:
        """Every stored record: articles (by id), then errors. A row that cannot be read back
        (damaged file, bytes changed behind SQLite's back) comes as `Unreadable` in its place,
        and the rest still come."""
        yield from self._read("articles", ArticleRecord)
        yield from self._read("errors", ErrorRecord)

    def _read(
        self, table: str, model: type[ArticleRecord] | type[ErrorRecord]
    ) -> Iterator[ArticleRecord | ErrorRecord | Unreadable]:
        rowids, ids, problem = self._rowids(table)
        try:
            checked = _has_column(self.db, table, "checksum")
        except sqlite3.DatabaseError:
            checked = True
        # a damaged store of the first layout is read as it is (it cannot be upgraded): no checksums
        checksum = "checksum" if checked else "NULL"
        query = f"SELECT CAST(id AS BLOB), CAST(record AS BLOB), {checksum} FROM {table} WHERE rowid = ?"  # noqa: S608
        done: set[str] = set()
        for rowid in rowids:
            try:
                row = self.db.execute(query, (rowid,)).fetchone()
            except sqlite3.DatabaseError as exc:
                yield Unreadable(table, rowid, ids.get(rowid), _reason(exc))
                continue
            if row is None:  # deleted since the rowids were listed
                continue
            raw_id, raw, checksum = row
            ident = bytes(raw_id).decode("utf-8", errors="replace") if raw_id is not None else ids.get(rowid)
            if ident is not None:
                if ident in done:
                    continue  # an older row of an id (first layout): the newest came first
                done.add(ident)
            if raw is None or (checked and checksum != _checksum(bytes(raw))):
                yield Unreadable(table, rowid, ident, "the record does not match its checksum (changed on disk)")
                continue
            try:
                yield model.model_validate_json(bytes(raw).decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Unreadable(table, rowid, ident, f"the record is not valid UTF-8 at byte {exc.start}")
            except ValidationError as exc:
                yield Unreadable(table, rowid, ident, f"not a valid record: {exc.errors()[0]['msg']}")
        if problem:
            yield Unreadable(table, None, None, problem)

    def _rowids(self, table: str) -> tuple[list[int], dict[int, str], str | None]:
        """The rows of `table` in id order, with their ids where known, and what made part of
        the table unreachable. On a damaged table the rows are gathered by several scans, each
        as far as it gets - the id index, the table forwards, the table backwards - so that one
        bad page loses only the rows on it; they then come newest first. Where an id has several
        rows (a store of the first layout) only the newest, the highest rowid, is kept."""
        try:
            rows = self.db.execute(f"SELECT rowid, CAST(id AS BLOB) FROM {table} ORDER BY id, rowid DESC").fetchall()  # noqa: S608
        except sqlite3.DatabaseError:
            pass  # damaged: gather what each scan reaches
        else:
            ids = {r: bytes(raw).decode("utf-8", errors="replace") for r, raw in rows if raw is not None}
            return [r for r, _ in rows], ids, None
        ids = {}
        found: set[int] = set()
        problem: str | None = None
        scans = (
            f"SELECT rowid, CAST(id AS BLOB) FROM {table} INDEXED BY sqlite_autoindex_{table}_1 ORDER BY id",  # noqa: S608
            f"SELECT rowid, NULL FROM {table} ORDER BY rowid",  # noqa: S608
            f"SELECT rowid, NULL FROM {table} ORDER BY rowid DESC",  # noqa: S608
        )
        for scan in scans:
            try:
                for rowid, raw_id in self.db.execute(scan):
                    found.add(rowid)
                    if raw_id is not None:
                        ids[rowid] = bytes(raw_id).decode("utf-8", errors="replace")
            except sqlite3.DatabaseError as exc:
                problem = f"rows past a damaged part of the table cannot be reached: {_reason(exc)}"
            else:
                problem = None  # one scan went through: every row is known
                break
        # newest first, so that `_read` keeps the first row it meets of each id
        return sorted(found, reverse=True), ids, problem

    def counts(self) -> dict[str, int]:
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _TABLES}  # noqa: S608


def _create(db: sqlite3.Connection) -> None:
    # one statement at a time: executescript() would COMMIT the open transaction
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _has_column(db: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in db.execute(f"PRAGMA table_info({table})"))


def _check_header(path: Path) -> None:
    """A file that is not SQLite at all is named as such, before SQLite says something vaguer."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return  # created on connect
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a nevextract store: the file is not an SQLite database")


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "malformed" in text:
        return f"the store is damaged ({text})"
    if "file is not a database" in text:
        return "not a nevextract store: the file is not an SQLite database, or its header is damaged"
    return text


def _rollback(db: sqlite3.Connection) -> None:
    """Undo the open transaction, if there still is one: a signal can land right after COMMIT
    (its handler raises there), and a ROLLBACK then would fail and hide the signal."""
    if db.in_transaction:
        db.execute("ROLLBACK")
