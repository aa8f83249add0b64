"""Medications domain: the catalog's core facts, dosage guidelines, and its JSONB documents and
contraindications array as relational rows (rules: vetmed_pipeline/normalize/medications.py)."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline import quarantine
from vetmed_pipeline.checks import counts_check, reconciliation_check
from vetmed_pipeline.db import Queries, copy_rows, ident
from vetmed_pipeline.domains.departures import DEPARTURES
from vetmed_pipeline.domains.extract import staging_key
from vetmed_pipeline.normalize.medications import SQL_NULL, ParsedMedication, parse_medication
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import TARGET, count, ensure_target_schema, require_staging

GROUP = "medications"
LOAD = Queries("transform/medications/load.sql")
CHECKS = Queries("transform/medications/checks.sql")
LEGACY_TABLE = "vetmed_medication_catalog"
QUARANTINED_COLUMNS = [
    "species_adjustments",
    "route_adjustments",
    "age_adjustments",
    "breed_considerations",
    "contraindications",
]

MEDICATIONS = dg.AssetKey([TARGET, "vetmed_medications"])
GUIDELINES = dg.AssetKey([TARGET, "vetmed_dosage_guidelines"])
SPECIES = dg.AssetKey([TARGET, "vetmed_species_adjustments"])
ROUTES = dg.AssetKey([TARGET, "vetmed_route_adjustments"])
BREEDS = dg.AssetKey([TARGET, "vetmed_breed_considerations"])
CONTRAINDICATIONS = dg.AssetKey([TARGET, "vetmed_medication_contraindications"])

#: target table -> (columns, the ParsedMedication attribute holding its rows)
CHILD_TABLES: dict[str, tuple[list[str], str]] = {
    "vetmed_species_adjustments": (["species", "dose_multiplier", "max_daily_dose_mg"], "species"),
    "vetmed_route_adjustments": (["route", "source_key", "dose_multiplier", "additional_warnings"], "routes"),
    "vetmed_dosage_guidelines": (["age_group", "dose_multiplier", "min_age_months", "min_age_years"], "ages"),
    "vetmed_breed_considerations": (
        ["breed", "dose_multiplier", "max_reduction", "contraindicated_routes"],
        "breeds",
    ),
    "vetmed_medication_contraindications": (
        ["position", "contraindication", "source_text"],
        "contraindications",
    ),
}


def _decode(text: str | None) -> Any:
    """jsonb as text -> Python, numbers exact (Decimal); SQL NULL stays distinguishable from JSON null."""
    return SQL_NULL if text is None else json.loads(text, parse_float=Decimal)


def parse_catalog(cur: psycopg.Cursor[Any]) -> dict[Any, ParsedMedication]:
    parsed = {}
    for medication_id, species, routes, ages, breeds, contraindications in LOAD.rows(
        cur, "catalog_documents"
    ):
        parsed[medication_id] = parse_medication(
            _decode(species), _decode(routes), _decode(ages), _decode(breeds), contraindications
        )
    return parsed


def _write_children(cur: psycopg.Cursor[Any], parsed: dict[Any, ParsedMedication]) -> dict[str, int]:
    written = {}
    for table, (columns, attribute) in CHILD_TABLES.items():
        rows = [
            (medication_id, *(row[column] for column in columns))
            for medication_id, result in parsed.items()
            for row in getattr(result, attribute)
        ]
        written[table] = copy_rows(cur, ident(TARGET, table), ["medication_id", *columns], rows)
    rejections = [
        (medication_id, r.column, r.path, r.rule)
        for medication_id, result in parsed.items()
        for r in result.rejections
    ]
    copy_rows(
        cur,
        sql.Identifier("medication_rejections"),
        ["legacy_id", "legacy_column", "path", "rule"],
        rejections,
    )
    return written


@dg.multi_asset(
    name="vetmed_medication_catalog",
    group_name=GROUP,
    specs=[
        dg.AssetSpec(
            MEDICATIONS, deps=[staging_key(LEGACY_TABLE), DEPARTURES], description="Core medication facts."
        ),
        dg.AssetSpec(
            GUIDELINES,
            deps=[MEDICATIONS],
            description="Dosing per age group: 'all' from the catalog "
            "columns, pediatric/geriatric from age_adjustments.",
        ),
        dg.AssetSpec(
            SPECIES, deps=[MEDICATIONS], description="species_adjustments, one row per species key."
        ),
        dg.AssetSpec(ROUTES, deps=[MEDICATIONS], description="route_adjustments, one row per route key."),
        dg.AssetSpec(BREEDS, deps=[MEDICATIONS], description="breed_considerations, one row per breed key."),
        dg.AssetSpec(
            CONTRAINDICATIONS, deps=[MEDICATIONS], description="The contraindications array as rows."
        ),
    ],
)
def vetmed_medication_catalog(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> Iterator[dg.MaterializeResult]:
    """Split the catalog: parse each row's documents in Python, write all tables in one transaction."""
    with target.transaction() as cur:
        require_staging(cur, [LEGACY_TABLE, "vetmed_regimens", "vetmed_inventory_items"])
        ensure_target_schema(cur)
        quarantine.start(cur)
        LOAD.execute(cur, "create_parse_results")
        parsed = parse_catalog(cur)
        LOAD.execute(cur, "delete_missing_medication_dependents")
        deleted = LOAD.execute(cur, "delete_missing_medications")
        LOAD.execute(cur, "upsert_medications")
        LOAD.execute(cur, "clear_children")
        base = LOAD.execute(cur, "insert_base_guidelines")
        written = _write_children(cur, parsed)
        LOAD.execute(cur, "reject_medication_values")
        quarantined = quarantine.record(cur, context.run_id, LEGACY_TABLE, QUARANTINED_COLUMNS)
        medications = count(cur, TARGET, "vetmed_medications")
    context.log.info(
        f"medications: {medications} rows, child rows {written}, quarantined values by rule {quarantined}"
    )
    yield dg.MaterializeResult(
        asset_key=MEDICATIONS,
        metadata={
            "dagster/row_count": medications,
            "deleted": deleted,
            "quarantined": sum(quarantined.values()),
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        },
    )
    yield dg.MaterializeResult(
        asset_key=GUIDELINES, metadata={"dagster/row_count": base + written["vetmed_dosage_guidelines"]}
    )
    for key, table in (
        (SPECIES, "vetmed_species_adjustments"),
        (ROUTES, "vetmed_route_adjustments"),
        (BREEDS, "vetmed_breed_considerations"),
        (CONTRAINDICATIONS, "vetmed_medication_contraindications"),
    ):
        yield dg.MaterializeResult(asset_key=key, metadata={"dagster/row_count": written[table]})


@dg.asset_check(
    asset=SPECIES,
    description="The seed's example 'medications where the dog multiplier is 1.2' returns, from the relational "
    "tables, exactly the medications the legacy JSONB query returns on the extracted catalog.",
)
def dog_multiplier_query_matches_legacy(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        legacy = {row[0] for row in CHECKS.rows(cur, "dog_multiplier_legacy")}
        relational = {row[0] for row in CHECKS.rows(cur, "dog_multiplier_relational")}
    differing = sorted(str(i) for i in legacy ^ relational)
    return dg.AssetCheckResult(
        passed=not differing,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "legacy_medications": len(legacy),
            "relational_medications": len(relational),
            "differing": len(differing),
            "differing_ids": ", ".join(differing[:20]),
        },
    )


assets = [vetmed_medication_catalog]
asset_checks = [
    reconciliation_check(MEDICATIONS, LEGACY_TABLE, "vetmed_medications"),
    counts_check(
        MEDICATIONS,
        "document_keys_accounted",
        CHECKS,
        "documents_accounted",
        "Every key of every legacy JSONB document is a row or quarantined, every field of a placed key a value "
        "or quarantined, every non-object document quarantined whole; document types (SQL NULL / JSON null / "
        "object) kept.",
        must_be_zero=[
            "keys_lost",
            "keys_placed_and_quarantined",
            "fields_lost",
            "documents_lost",
            "document_types_changed",
        ],
    ),
    counts_check(
        GUIDELINES,
        "medication_children_have_parents",
        CHECKS,
        "no_orphans",
        "No child row belongs to a medication the snapshot lacks, and every medication has its base ('all') "
        "dosage guideline.",
    ),
    counts_check(
        SPECIES,
        "species_unique_per_medication",
        CHECKS,
        "species_unique",
        "No medication has the same species twice (ignoring case and spaces).",
        must_be_zero=["duplicate_species"],
    ),
    dog_multiplier_query_matches_legacy,
]
