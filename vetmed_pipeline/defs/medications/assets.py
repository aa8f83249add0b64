"""Medications domain assets: the catalog's core facts, dosage guidelines, and its JSONB documents and
contraindications array as relational rows (rules: rules.py; statements: sql/medications/load.sql)."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import quarantine
from vetmed_pipeline.core.db import copy_rows, ident
from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step, rows_of
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.target import TARGET
from vetmed_pipeline.defs.medications.queries import Load
from vetmed_pipeline.defs.medications.rules import (
    DOCUMENT_COLUMNS,
    ParsedMedication,
    decode_document,
    parse_medication,
)

GROUP = "medications"
LEGACY_TABLE = "vetmed_medication_catalog"
QUARANTINED_COLUMNS = [
    "species_adjustments",
    "route_adjustments",
    "age_adjustments",
    "breed_considerations",
    "contraindications",
]

MEDICATIONS = target_key("vetmed_medications")
GUIDELINES = target_key("vetmed_dosage_guidelines")
SPECIES = target_key("vetmed_species_adjustments")
ROUTES = target_key("vetmed_route_adjustments")
BREEDS = target_key("vetmed_breed_considerations")
CONTRAINDICATIONS = target_key("vetmed_medication_contraindications")
#: Loads that delete departed rows run after the time-series rows they block are gone.
DEPARTURES = target_key("departures")

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


def parse_catalog(cur: psycopg.Cursor[Any]) -> dict[Any, ParsedMedication]:
    """Every catalog row's documents and contraindications, parsed. A failure names the row and the column
    (never the value); the parser itself never raises on a JSON value, this is the last guard."""
    parsed = {}
    for medication_id, *documents, contraindications in Load.catalog_documents.rows(cur):
        decoded = []
        for column, text in zip(DOCUMENT_COLUMNS, documents, strict=True):
            try:
                decoded.append(decode_document(text))
            except (ValueError, RecursionError) as error:
                raise dg.Failure(
                    description=f"{LEGACY_TABLE} row {medication_id}: column {column} could not be read "
                    f"({error.__class__.__name__})",
                    allow_retries=False,
                ) from None
        species, routes, ages, breeds = decoded
        parsed[medication_id] = parse_medication(species, routes, ages, breeds, contraindications)
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
    with load_step(context, target, [LEGACY_TABLE, "vetmed_regimens", "vetmed_inventory_items"]) as step:
        cur = step.cur
        quarantine.start(cur)
        Load.create_parse_results.execute(cur)
        parsed = parse_catalog(cur)
        Load.delete_missing_medication_dependents.execute(cur)
        deleted = Load.delete_missing_medications.execute(cur)
        Load.upsert_medications.execute(cur)
        Load.clear_children.execute(cur)
        base = Load.insert_base_guidelines.execute(cur)
        written = _write_children(cur, parsed)
        Load.reject_medication_values.execute(cur)
        quarantined = quarantine.record(cur, step.run_id, LEGACY_TABLE, QUARANTINED_COLUMNS)
        medications = step.result(
            "vetmed_medications", MEDICATIONS, deleted=deleted, **quarantine.metadata(quarantined)
        )
    context.log.info(
        f"medications: {rows_of(medications)} rows, child rows {written}, "
        f"quarantined values by rule {quarantined}"
    )
    yield medications
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


assets = [vetmed_medication_catalog]
