"""Make a table's ids never given twice: rebuild it with INTEGER PRIMARY KEY AUTOINCREMENT.

Without AUTOINCREMENT SQLite gives max(id) + 1, so the id of the newest row comes back once
that row is deleted. An undo deletes rows that its redo puts back under the same id (and a
removal's undo restores deleted rows under theirs): if another process took the id meanwhile,
the redo must be refused. With AUTOINCREMENT the largest id ever given is kept in
sqlite_sequence and never given again.

SQLite cannot add AUTOINCREMENT in place, so this follows its documented procedure for other
schema changes (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table
from the old one's own CREATE statement (every column, default, NOT NULL, CHECK and foreign
key as it is, whatever steps added them), copy the rows, drop the old table, rename the new
one, recreate its indexes and triggers from their own SQL. The caller runs it in one
transaction with foreign keys off (dropping a table that others point at would otherwise
delete or refuse), then checks them (migrations.migrate does both).
"""

from __future__ import annotations

import re
import sqlite3

from annotator.core.errors import ProjectError

# The id column's definition as SQLite (or sqlite-utils, in any of its quotings) wrote it.
_ID_PRIMARY_KEY = re.compile(
    r"""(?P<key>(?:"id"|\[id\]|`id`|\bid)\s+INTEGER\s+PRIMARY\s+KEY(?:\s+(?:ASC|DESC))?)"""
    r"""(?P<auto>\s+AUTOINCREMENT)?""",
    re.IGNORECASE,
)


def never_reuse_ids(conn: sqlite3.Connection, table: str, floor: int = 0) -> None:
    """Rebuild `table` (its key an `id INTEGER PRIMARY KEY`) with AUTOINCREMENT, and make the
    next id larger than every id it holds and than `floor` (ids known to be used once, whose
    rows are gone). Call inside a transaction, with foreign keys off."""
    if not conn.in_transaction:
        raise RuntimeError("never_reuse_ids must run inside a transaction")
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("never_reuse_ids needs foreign keys off")
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if row is None:
        raise ProjectError(f"{_file(conn)}: cannot upgrade: the table {table} is missing")
    create = row[0]
    found = list(_ID_PRIMARY_KEY.finditer(create))
    if len(found) != 1:
        raise ProjectError(
            f"{_file(conn)}: cannot upgrade: the table {table} has a layout this annotator "
            "does not know (no single `id INTEGER PRIMARY KEY`). Nothing was changed; "
            "restore it from a backup or report the problem."
        )
    if found[0]["auto"] is None:
        _rebuild(conn, table, create, found[0])
    _raise_sequence(conn, table, floor)


def _rebuild(conn: sqlite3.Connection, table: str, create: str, key: re.Match) -> None:
    new = f"{table}_autoincrement_new"
    # What dropping the table drops with it, recreated afterwards as it was. (Indexes SQLite
    # makes itself for UNIQUE constraints have no SQL: the new table's constraints make them.)
    dependents = conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL ORDER BY type, name",
        (table,),
    ).fetchall()
    columns = ", ".join(
        _quote(column[1])
        for column in conn.execute(f"PRAGMA table_xinfo({_quote(table)})")
        if column[6] in (0, 1)  # stored columns only: generated ones compute themselves
    )
    body = create[: key.end("key")] + " AUTOINCREMENT" + create[key.end("key") :]
    # Everything from the column list on, under the new table's name.
    conn.execute(f"CREATE TABLE {_quote(new)} {body[body.index('(') :]}")
    conn.execute(f"INSERT INTO {_quote(new)} ({columns}) SELECT {columns} FROM {_quote(table)}")
    conn.execute(f"DROP TABLE {_quote(table)}")
    # Legacy renaming leaves other tables' triggers and views alone: they name `table`, which
    # is briefly missing, and name it again once the rename is done. (Foreign keys pointing
    # at `table` are text too, and keep pointing at it.)
    legacy = conn.execute("PRAGMA legacy_alter_table").fetchone()[0]
    conn.execute("PRAGMA legacy_alter_table = ON")
    try:
        conn.execute(f"ALTER TABLE {_quote(new)} RENAME TO {_quote(table)}")
    finally:
        conn.execute(f"PRAGMA legacy_alter_table = {int(legacy)}")
    for (sql,) in dependents:
        conn.execute(sql)


def _raise_sequence(conn: sqlite3.Connection, table: str, floor: int) -> None:
    """sqlite_sequence holds the largest id given; rows copied in with their ids set it
    already (under the new name, which the rename carried over)."""
    highest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {_quote(table)}").fetchone()[0]
    seq = max(highest, floor)
    updated = conn.execute(
        "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, table)
    ).rowcount
    if not updated and seq > 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, seq))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _file(conn: sqlite3.Connection) -> str:
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2] or "the project"
    return "the project"
