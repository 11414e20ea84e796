"""The corpus database: one SQLite file, its tables, keys and indexes.

The README documents this schema; ``SCHEMA_VERSION`` (SQLite's ``user_version``)
goes up when it changes, and fazhi refuses a database of another version.
"""
import contextlib
import os
import sqlite3

from fazhi.errors import FazhiError
from fazhi.vocab import LABELS

DEFAULT_DB = "fazhi.db"
SCHEMA_VERSION = 1
# metadata fields of a report; each has a ``<field>_from`` column saying where it was found
META_FIELDS = ("issuer", "level", "province", "year", "kind")

_COUNTS = ",\n    ".join(f"{lab} INTEGER NOT NULL DEFAULT 0" for lab in LABELS)
_META = ",\n    ".join(f"{f} {'INTEGER' if f == 'year' else 'TEXT'},\n    {f}_from TEXT" for f in META_FIELDS)
_PROBS = ",\n    ".join(f"p_{lab} REAL NOT NULL" for lab in LABELS)

DDL = f"""
CREATE TABLE reports (
    report_id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    title TEXT,
    file_sha256 TEXT NOT NULL,
    card_sha256 TEXT NOT NULL,
    traditional INTEGER NOT NULL DEFAULT 0,
    {_META},
    n_units INTEGER NOT NULL DEFAULT 0,
    {_COUNTS},
    added_at TEXT NOT NULL,
    classified_at TEXT NOT NULL
);
CREATE INDEX reports_by_sha ON reports(file_sha256);
CREATE INDEX reports_by_issuer_year ON reports(issuer, year);
CREATE TABLE units (
    report_id INTEGER NOT NULL REFERENCES reports(report_id) ON DELETE CASCADE,
    sent_id INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    is_heading INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    figures TEXT,
    PRIMARY KEY (report_id, sent_id)
) WITHOUT ROWID;
CREATE TABLE predictions (
    report_id INTEGER NOT NULL,
    sent_id INTEGER NOT NULL,
    label TEXT NOT NULL,
    confidence REAL NOT NULL,
    {_PROBS},
    PRIMARY KEY (report_id, sent_id),
    FOREIGN KEY (report_id, sent_id) REFERENCES units(report_id, sent_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX predictions_by_label ON predictions(label, report_id, sent_id);
CREATE VIEW labeled_units AS
    SELECT r.report_id, r.doc_id, r.issuer, r.level, r.province, r.year, r.kind,
           u.sent_id, u.section, u.text, u.is_heading, u.figures, p.label, p.confidence
    FROM predictions p JOIN units u USING (report_id, sent_id) JOIN reports r USING (report_id);
"""


def _open(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect(path: str = DEFAULT_DB, *, create: bool = True) -> sqlite3.Connection:
    """The corpus database at ``path``, created when missing (and ``create``); in
    autocommit mode: writers open their own transactions (:func:`transaction`)."""
    exists = os.path.exists(path)
    if not exists and not create:
        raise FazhiError("no corpus database (make one: fazhi corpus add REPORTS --db FILE)", path)
    if exists and os.path.isdir(path):
        raise FazhiError("is a folder, not a corpus database", path)
    try:
        conn = _open(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as e:
        raise FazhiError(f"not a corpus database: {e}", path) from None
    if version == 0 and tables == 0:
        with transaction(conn):
            for statement in DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version != SCHEMA_VERSION:
        conn.close()
        raise FazhiError(f"database of schema {version}, this fazhi reads schema {SCHEMA_VERSION}", path)
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection):
    """One write transaction: committed when the block ends, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def writing(conn: sqlite3.Connection):
    """Fast, safe writes for a run of many transactions: a write-ahead log while the run
    lasts, folded back into the one file when it ends (a killed run leaves the log,
    which SQLite reads on the next open: committed reports stay, nothing half-written)."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield conn
    finally:
        conn.execute("PRAGMA journal_mode = DELETE")
