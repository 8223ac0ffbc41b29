"""Full-text search over customers: an FTS5 index of folded "code name address".

Measured (DESIGN.md §4): FTS5 over a folded column (đ -> d, tones stripped by
``vntext.fold``), ``unicode61`` tokenizer, ``prefix='2 3'``, one-letter words matched exactly:
first 100 rows p50 1.5 ms / p99 17 ms over 600k customers. Never count or rank *all* matches
per keystroke ("nguyen van" has ~27k hits): fetch a page (FTS order = rowid) and rank within it.

The index is an *external content* table over ``customer.search_text`` with an INTEGER rowid =
``customer.id`` (a TEXT key's implicit rowid can drift after VACUUM). Triggers keep it in step
with any write to ``customer`` (insert, delete, update of ``search_text``), inside the writer's
transaction. A first import into an empty cache drops the insert trigger inside its transaction
and runs one ``'rebuild'`` instead (measured ~30% faster than 600k trigger inserts), see
:func:`bulk_rebuild`.

``columnsize=0``: no per-document token counts (the ``_docsize`` table), which only bm25/rank
needs; search never ranks by bm25 (it fetches a page in rowid order). Measured: the 600k rebuild
5.4 s -> 4.6 s. Matches (prefix, phrase, exact terms) are unchanged (full ``detail``).
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from cashier.core.vntext import fold

FTS_TABLE = "customer_fts"

#: peewee models this module adds (none: the index is a virtual table)
MODELS: list = []

_CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='customer', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3', columnsize=0)"
)
_TRIGGER_INSERT = (
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ai AFTER INSERT ON customer BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
)
_TRIGGER_DELETE = (
    "CREATE TRIGGER IF NOT EXISTS customer_fts_ad AFTER DELETE ON customer BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END"
)
_TRIGGER_UPDATE = (
    "CREATE TRIGGER IF NOT EXISTS customer_fts_au AFTER UPDATE OF search_text ON customer "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
)

# Vocabulary of the folded name/address words. FTS5 materialises the whole doclist of a prefix
# longer than its prefix indexes ("nguyen*": 38% of all customers, 5-8 ms per 100k customers);
# an exact term or an OR of a few exact terms is iterated lazily (<1 ms). Long words are expanded
# through this table; an unknown word falls back to the plain prefix query (always correct).
_CREATE_TERMS = "CREATE TABLE IF NOT EXISTS search_term (term TEXT PRIMARY KEY) WITHOUT ROWID"

#: DDL run by migrations after the models' tables exist
EXTRA_DDL: list[str] = [_CREATE_FTS, _TRIGGER_INSERT, _TRIGGER_DELETE, _TRIGGER_UPDATE, _CREATE_TERMS]
MAX_EXPANSION = 8

_WORD = re.compile(r"[a-z0-9]+")


def ensure_index(conn: sqlite3.Connection) -> None:
    """Create the index and triggers when missing (idempotent)."""
    for stmt in EXTRA_DDL:
        conn.execute(stmt)


#: FTS5 buffers new terms in memory up to ``hashsize`` bytes (default 1 MB) before writing a
#: segment; every flush adds a segment that automerge must merge again. A bigger buffer for the
#: one-off rebuild writes far fewer segments: measured at 600k customers 4.6 s -> 2.6 s (with
#: columnsize=0), ~+50 MB peak memory. Same index content (integrity-check, same matches).
REBUILD_HASHSIZE = 32 << 20
_DEFAULT_HASHSIZE = 1 << 20


def bulk_rebuild(conn: sqlite3.Connection) -> None:
    """Rebuild the whole index from ``customer`` (inside the caller's transaction)."""
    big = _set_hashsize(conn, REBUILD_HASHSIZE)
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    if big:
        # back to the default; the config row is removed so the stored index is as before
        _set_hashsize(conn, _DEFAULT_HASHSIZE)
        conn.execute(f"DELETE FROM {FTS_TABLE}_config WHERE k = 'hashsize'")


def _set_hashsize(conn: sqlite3.Connection, size: int) -> bool:
    """FTS5's in-memory term buffer size (an SQLite without the option: False, no change)."""
    try:
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)", (size,))
    except sqlite3.OperationalError:
        return False
    return True


def drop_insert_trigger(conn: sqlite3.Connection) -> None:
    """For a bulk first load: the caller must :func:`bulk_rebuild` then :func:`ensure_index`."""
    conn.execute("DROP TRIGGER IF EXISTS customer_fts_ai")


@dataclass(frozen=True)
class SearchQuery:
    """A typed search turned into what the index understands."""

    text: str  # what was typed
    words: tuple[str, ...]  # folded words
    code_prefix: str | None  # upper-case code prefix when the query looks like a customer code

    @property
    def empty(self) -> bool:
        return not self.words and not self.code_prefix

    def match_all(self, conn: sqlite3.Connection | None = None) -> str:
        """Every word, in any order: each word a prefix term, one-letter words exact
        (long words expanded to their known exact terms when ``conn`` is given)."""
        alts = [expand_word(conn, w) for w in self.words]
        return " AND ".join(a[0] if len(a) == 1 else "(" + " OR ".join(a) + ")" for a in alts)

    def match_phrase(self, conn: sqlite3.Connection | None = None) -> str:
        """The words adjacent and in order ("ngu van an" -> "Nguyễn Văn An ..."); '' when
        the expansion of long words would give too many phrases."""
        alts = [expand_word(conn, w) for w in self.words]
        combos = 1
        for a in alts:
            combos *= len(a)
        if combos > MAX_EXPANSION * 2:
            return ""
        phrases = [" + ".join(p) for p in itertools.product(*alts)]
        return phrases[0] if len(phrases) == 1 else " OR ".join(f"({p})" for p in phrases)


def expand_word(conn: sqlite3.Connection | None, word: str) -> list[str]:
    """FTS5 terms for one typed word: itself as a prefix, or the few known words it begins."""
    if len(word) <= 3 or conn is None:
        return [_term(word)]
    try:
        rows = conn.execute(
            "SELECT term FROM search_term WHERE term >= ? AND term < ? LIMIT ?",
            (word, word + "{", MAX_EXPANSION + 1),
        ).fetchall()
    except sqlite3.OperationalError:  # no vocabulary table (older database)
        return [_term(word)]
    if not rows or len(rows) > MAX_EXPANSION:
        return [_term(word)]
    return [f'"{r[0]}"' for r in rows]


def add_terms(conn: sqlite3.Connection, terms: Iterable[str]) -> None:
    """Remember folded words (inside the caller's transaction)."""
    conn.execute(_CREATE_TERMS)
    conn.executemany(
        "INSERT OR IGNORE INTO search_term (term) VALUES (?)", ((t,) for t in terms if len(t) > 3)
    )


def add_terms_from(conn: sqlite3.Connection, table: str) -> None:
    """Remember the folded words of a staging table's ``term`` column (caller's transaction)."""
    conn.execute(_CREATE_TERMS)
    conn.execute(f"INSERT OR IGNORE INTO search_term (term) SELECT term FROM {table} WHERE length(term) > 3")


def _term(word: str) -> str:
    return f'"{word}"' if len(word) == 1 else f'"{word}"*'


def build_query(text: str, code_regex: re.Pattern[str] | None = None) -> SearchQuery:
    """Parse a search box text.

    A single word with a digit that starts like a customer code ("PC12AA00", "pb0502") is a
    code prefix (searched on the ``customer.code`` index); everything else is words.
    """
    folded = fold(text)
    words = tuple(_WORD.findall(folded))
    code_prefix = None
    if len(words) == 1 and any(ch.isdigit() for ch in words[0]) and words[0][:1] == "p":
        code_prefix = words[0].upper()
    return SearchQuery(text=text, words=words, code_prefix=code_prefix)


def fts_rowids(conn: sqlite3.Connection, match: str, limit: int) -> list[int]:
    """The first ``limit`` customer ids matching (rowid order: no ranking over all matches)."""
    if not match:
        return []
    try:
        rows = conn.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?", (match, limit)
        ).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot parse: no hits rather than an error
        return []
    return [r[0] for r in rows]


def code_prefix_ids(conn: sqlite3.Connection, prefix: str, limit: int) -> list[int]:
    """Customers whose code starts with ``prefix`` (the unique index on customer.code)."""
    rows = conn.execute(
        "SELECT id FROM customer WHERE code >= ? AND code < ? ORDER BY code LIMIT ?",
        (prefix, prefix + "\uffff", limit),
    ).fetchall()
    return [r[0] for r in rows]


def integrity_check(conn: sqlite3.Connection) -> bool:
    """FTS5's own check that the index matches the content table."""
    try:
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True
