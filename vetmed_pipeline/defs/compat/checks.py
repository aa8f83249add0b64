"""The proof that nothing was lost: per legacy table, a round-trip check (the snapshot's rows equal the
rebuilt rows of its vetmed_compat view, column by column, after the registry's normalization of the column
on both sides) and a reconciliation of row counts and an ordered checksum of ids, as ``pgcopydb compare``
does. Check metadata carries counts and ids only, never values.
"""

from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.checks import ERROR, asset_check
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.keys import compat_key
from vetmed_pipeline.core.registry import EXACT, registry
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.target import COMPAT, STAGING
from vetmed_pipeline.defs.compat.assets import TABLES

SAMPLE_IDS = 20


def _as_text(alias: str, column: str) -> sql.Composable:
    return sql.SQL("{}.{}::text").format(sql.Identifier(alias), sql.Identifier(column))


def round_trip(cur: psycopg.Cursor[Any], table: str) -> dict[str, Any]:
    """Compare staging and compat rows of one legacy table; returns counts, ids and differing columns."""
    placements = registry()
    columns = [column.name for column in legacy_spec.columns(table) if column.name != "id"]
    exact = [c for c in columns if placements[(table, c)].normalization is EXACT]
    normalized = [c for c in columns if placements[(table, c)].normalization is not EXACT]
    source, rebuilt = ident(STAGING, table), ident(COMPAT, table)

    differing_ids: set[str] = set()
    per_column: dict[str, int] = {}
    exact_flags = sql.SQL(", ").join(
        sql.SQL("{} IS DISTINCT FROM {}").format(_as_text("s", c), _as_text("c", c)) for c in exact
    )
    cur.execute(
        sql.SQL(
            "SELECT coalesce(s.id, c.id)::text, c.id IS NULL, s.id IS NULL, ARRAY[{flags}] "
            "FROM {source} s FULL JOIN {rebuilt} c ON c.id = s.id "
            "WHERE s.id IS NULL OR c.id IS NULL OR ({left}) IS DISTINCT FROM ({right})"
        ).format(
            flags=exact_flags,
            source=source,
            rebuilt=rebuilt,
            left=sql.SQL(", ").join(_as_text("s", c) for c in exact),
            right=sql.SQL(", ").join(_as_text("c", c) for c in exact),
        )
    )
    missing = extra = 0
    for row_id, is_missing, is_extra, flags in cur.fetchall():
        differing_ids.add(row_id)
        missing += bool(is_missing)
        extra += bool(is_extra)
        if not (is_missing or is_extra):
            for column, differs in zip(exact, flags, strict=True):
                if differs:
                    per_column[column] = per_column.get(column, 0) + 1
    for column in normalized:
        apply = placements[(table, column)].normalization.apply
        assert apply is not None
        cur.execute(
            sql.SQL(
                "SELECT {s_value}, {c_value}, array_agg(s.id::text) FROM {source} s JOIN {rebuilt} c ON c.id = s.id "
                "WHERE {s_value} IS DISTINCT FROM {c_value} GROUP BY 1, 2"
            ).format(
                s_value=_as_text("s", column), c_value=_as_text("c", column), source=source, rebuilt=rebuilt
            )
        )
        for legacy_value, rebuilt_value, ids in cur.fetchall():
            if apply(legacy_value) != apply(rebuilt_value):
                differing_ids.update(ids)
                per_column[column] = per_column.get(column, 0) + len(ids)
    return {
        "differing_rows": len(differing_ids),
        "missing_rows": missing,
        "extra_rows": extra,
        "differing_ids": sorted(differing_ids)[:SAMPLE_IDS],
        "differences_per_column": per_column,
    }


def id_checksums(cur: psycopg.Cursor[Any], table: str) -> dict[str, Any]:
    """Row count and md5 of the ordered ids, in the snapshot and in the compat view."""
    query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(id::text, ',' ORDER BY id), '')) FROM {}")
    figures: dict[str, Any] = {}
    for side, schema in (("legacy", STAGING), ("target", COMPAT)):
        cur.execute(query.format(ident(schema, table)))
        row = cur.fetchone()
        assert row is not None
        figures[f"{side}_rows"], figures[f"{side}_ids_md5"] = int(row[0]), str(row[1])
    return figures


def _round_trip_check(table: str) -> dg.AssetChecksDefinition:
    @asset_check(
        compat_key(table),
        name="round_trip_equals_snapshot",
        blocking=True,  # a failed proof fails the run
        description=f"Every row of legacy {table} in the snapshot equals its vetmed_compat row, column by column, "
        "after the registry's normalization of the column on both sides.",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            found = round_trip(cur, table)
        return dg.AssetCheckResult(
            passed=found["differing_rows"] == 0,
            severity=ERROR,
            metadata={
                "differing_rows": found["differing_rows"],
                "missing_rows": found["missing_rows"],
                "extra_rows": found["extra_rows"],
                "differing_ids": ", ".join(found["differing_ids"]) or "none",
                "differences_per_column": dg.MetadataValue.json(found["differences_per_column"]),
            },
        )

    return _check


def _checksum_check(table: str) -> dg.AssetChecksDefinition:
    @asset_check(
        compat_key(table),
        name="ids_checksum_matches_snapshot",
        blocking=True,
        description=f"Row count and md5 of the ordered ids of legacy {table}: snapshot vs vetmed_compat "
        "(as pgcopydb compare).",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            figures = id_checksums(cur, table)
        return dg.AssetCheckResult(
            passed=figures["legacy_rows"] == figures["target_rows"]
            and figures["legacy_ids_md5"] == figures["target_ids_md5"],
            severity=ERROR,
            metadata=figures,
        )

    return _check


asset_checks = [check for table in TABLES for check in (_round_trip_check(table), _checksum_check(table))]
