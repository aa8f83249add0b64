"""Erasing one legacy row, and everything that references it, from the target: its staging copy, its rows in
schema vetmed, its quarantined values (open and resolved) and its id in stored reports.

What references what is read, never listed: in staging from the legacy schema's foreign keys
(sql/legacy/spec.json: ON DELETE CASCADE and NO ACTION rows go too, SET NULL columns are emptied, as the
legacy application had to do before it could delete the row), in schema vetmed from the catalog's foreign
keys (referencing rows are deleted first, children before parents, so a NO ACTION key or a trigger that
refuses cascaded deletes never stops the erasure; SET NULL keys are left to PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.target import QUARANTINE, STAGING, TARGET

ERASED = "[erased]"


def _staging_rows(cur: psycopg.Cursor[Any], table: str, ids: set[str]) -> dict[str, set[str]]:
    """The staging rows that go with ``ids`` of ``table`` (those included), by legacy table; SET NULL
    references to them are emptied on the way."""
    doomed: dict[str, set[str]] = defaultdict(set)
    queue = [(table, ids)]
    while queue:
        parent, parent_ids = queue.pop()
        new = parent_ids - doomed[parent]
        if not new:
            continue
        doomed[parent] |= new
        for child in legacy_spec.table_names():
            for fk in legacy_spec.spec()["tables"][child]["foreign_keys"]:
                if fk["references"] != parent:
                    continue
                column = sql.Identifier(fk["column"])
                if fk["on_delete"] == "SET NULL":
                    cur.execute(
                        sql.SQL("UPDATE {} SET {} = NULL WHERE {}::text = ANY(%s)").format(
                            ident(STAGING, child), column, column
                        ),
                        (sorted(new),),
                    )
                    continue
                cur.execute(
                    sql.SQL("SELECT id::text FROM {} WHERE {}::text = ANY(%s)").format(
                        ident(STAGING, child), column
                    ),
                    (sorted(new),),
                )
                queue.append((child, {row[0] for row in cur.fetchall()}))
    return doomed


def _references(cur: psycopg.Cursor[Any], table: str) -> list[tuple[str, list[str], list[str], str]]:
    """Foreign keys of schema vetmed that reference ``table``: (child table, child columns, parent columns,
    ON DELETE action code)."""
    cur.execute(
        """
        SELECT c.conrelid::regclass::text, c.confdeltype,
               ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
               ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = to_regclass(%s) AND c.conparentid = 0
        """,
        (f"{TARGET}.{table}",),
    )
    return [
        (name.split(".")[-1].strip('"'), child, parent, action)
        for name, action, child, parent in cur.fetchall()
    ]


def _erase_target(
    cur: psycopg.Cursor[Any], table: str, condition: sql.Composable, counts: dict[str, int]
) -> None:
    """Delete the rows of vetmed.<table> that ``condition`` selects, after every row referencing them
    (SET NULL references aside)."""
    for child, child_columns, parent_columns, action in _references(cur, table):
        if action == "n":  # SET NULL: the delete below empties them
            continue
        child_condition = sql.SQL("({}) IN (SELECT {} FROM {} WHERE {})").format(
            sql.SQL(", ").join(map(sql.Identifier, child_columns)),
            sql.SQL(", ").join(map(sql.Identifier, parent_columns)),
            ident(TARGET, table),
            condition,
        )
        _erase_target(cur, child, child_condition, counts)
    cur.execute(sql.SQL("DELETE FROM {} WHERE {}").format(ident(TARGET, table), condition))
    counts[table] = counts.get(table, 0) + cur.rowcount


def erase(cur: psycopg.Cursor[Any], legacy_table: str, legacy_id: str, target_table: str) -> dict[str, int]:
    """Erase a legacy row (and what references it) from staging, schema vetmed (``target_table`` holds it
    by id) and the quarantine; returns the rows erased per place."""
    counts: dict[str, int] = {}
    staging = _staging_rows(cur, legacy_table, {legacy_id})
    for table, ids in staging.items():
        cur.execute(
            sql.SQL("DELETE FROM {} WHERE id::text = ANY(%s)").format(ident(STAGING, table)), (sorted(ids),)
        )
        counts[f"{STAGING}.{table}"] = cur.rowcount
    _erase_target(cur, target_table, sql.SQL("id = {}::uuid").format(sql.Literal(legacy_id)), counts)
    cur.execute(
        sql.SQL(
            "DELETE FROM {} q USING unnest(%s::text[], %s::text[]) AS e (legacy_table, legacy_id) "
            "WHERE q.legacy_table = e.legacy_table AND q.legacy_id::text = e.legacy_id"
        ).format(ident(QUARANTINE, "rejected_values")),
        ([t for t, ids in staging.items() for _ in ids], [i for ids in staging.values() for i in ids]),
    )
    counts["vetmed_quarantine.rejected_values"] = cur.rowcount
    return {place: n for place, n in counts.items() if n}


def erase_from_reports(folder: Path, legacy_id: str) -> int:
    """Replace an id in every stored report (Markdown) with [erased]; returns the files changed."""
    changed = 0
    for path in sorted(folder.glob("*.md")) if folder.exists() else []:
        text = path.read_text(encoding="utf-8")
        if legacy_id in text:
            path.write_text(text.replace(legacy_id, ERASED), encoding="utf-8")
            changed += 1
    return changed
