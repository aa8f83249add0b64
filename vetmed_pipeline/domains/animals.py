"""Animals domain: animals without their embedded medical data, de-duplicated veterinarians, and the
allergy and condition arrays as rows (rules: vetmed_pipeline/normalize/animals.py)."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline import quarantine
from vetmed_pipeline.checks import reconciliation_check
from vetmed_pipeline.db import Queries, copy_rows
from vetmed_pipeline.domains.extract import staging_key
from vetmed_pipeline.domains.users import HOUSEHOLDS
from vetmed_pipeline.normalize.animals import Element, parse_allergy, parse_condition, resolve_vets
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import TARGET, count, ensure_target_schema, require_staging

GROUP = "animals"
LOAD = Queries("transform/animals/load.sql")
CHECKS = Queries("transform/animals/checks.sql")

ANIMALS = dg.AssetKey([TARGET, "vetmed_animals"])
VETERINARIANS = dg.AssetKey([TARGET, "vetmed_veterinarians"])
ANIMAL_VETERINARIANS = dg.AssetKey([TARGET, "vetmed_animal_veterinarians"])
ALLERGIES = dg.AssetKey([TARGET, "vetmed_animal_allergies"])
MEDICAL_RECORDS = dg.AssetKey([TARGET, "vetmed_animal_medical_records"])
VET_COLUMNS = ["vet_name", "vet_phone", "vet_email", "clinic_name"]


def _prepare(cur: psycopg.Cursor[Any]) -> None:
    require_staging(cur, ["vetmed_animals"])
    ensure_target_schema(cur)


@dg.asset(key=ANIMALS, group_name=GROUP, deps=[staging_key("vetmed_animals"), HOUSEHOLDS])
def vetmed_animals(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Basic animal information (soft-deleted animals keep deleted_at), with the legacy array lengths."""
    with target.transaction() as cur:
        _prepare(cur)
        deleted = LOAD.execute(cur, "delete_missing_animals")
        written = LOAD.execute(cur, "upsert_animals")
        rows = count(cur, TARGET, "vetmed_animals")
    context.log.info(f"animals: {rows} rows ({written} written, {deleted} deleted)")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "written": written, "deleted": deleted})


def fill_vet_maps(cur: psycopg.Cursor[Any]) -> int:
    """Resolve the distinct legacy vet tuples in Python into temp tables vet_map and vet_rows."""
    LOAD.execute(cur, "create_vet_maps")
    tuples = [
        ((name, phone, email, clinic), int(n))
        for name, phone, email, clinic, n in LOAD.rows(cur, "distinct_vet_tuples")
    ]
    keys, vets = resolve_vets(tuples)
    copy_rows(
        cur, sql.Identifier("vet_map"), [*VET_COLUMNS, "dedup_key"], [(*t, key) for t, key in keys.items()]
    )
    copy_rows(
        cur,
        sql.Identifier("vet_rows"),
        ["dedup_key", "name", "phone", "phone_digits", "email", "clinic_name"],
        [(v.key, v.name, v.phone, v.phone_digits, v.email, v.clinic_name) for v in vets],
    )
    return len(tuples)


@dg.multi_asset(
    name="vetmed_veterinarians",
    group_name=GROUP,
    specs=[
        dg.AssetSpec(
            VETERINARIANS,
            deps=[staging_key("vetmed_animals")],
            description="One row per real veterinarian, de-duplicated from the per-animal vet fields by a "
            "documented key; ids derived from the key.",
        ),
        dg.AssetSpec(
            ANIMAL_VETERINARIANS,
            deps=[ANIMALS, VETERINARIANS],
            description="Links every animal that had any vet data to its veterinarian (is_primary).",
        ),
    ],
)
def vetmed_veterinarians(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> Iterator[dg.MaterializeResult]:
    """De-duplicate veterinarians and link animals to them, in one transaction."""
    with target.transaction() as cur:
        _prepare(cur)
        quarantine.start(cur)
        spellings = fill_vet_maps(cur)
        LOAD.execute(cur, "create_animal_vets")
        LOAD.execute(cur, "upsert_veterinarians")
        unlinked = LOAD.execute(cur, "delete_stale_animal_vets")
        linked = LOAD.execute(cur, "insert_animal_vets")
        removed = LOAD.execute(cur, "delete_unreferenced_veterinarians")
        LOAD.execute(cur, "reject_blank_vet_fields")
        quarantined = quarantine.record(cur, context.run_id, "vetmed_animals", VET_COLUMNS)
        vets = count(cur, TARGET, "vetmed_veterinarians")
        links = count(cur, TARGET, "vetmed_animal_veterinarians")
    context.log.info(
        f"veterinarians: {vets} from {spellings} distinct legacy spellings; {links} animal links"
    )
    yield dg.MaterializeResult(
        asset_key=VETERINARIANS,
        metadata={"dagster/row_count": vets, "distinct_legacy_spellings": spellings, "deleted": removed},
    )
    yield dg.MaterializeResult(
        asset_key=ANIMAL_VETERINARIANS,
        metadata={
            "dagster/row_count": links,
            "linked": linked,
            "unlinked": unlinked,
            "quarantined_blank_vet_fields": sum(quarantined.values()),
        },
    )


def _element_rows(elements: list[tuple[str, Element]]) -> list[tuple[Any, ...]]:
    return [(raw, e.name, e.key, e.severity, e.allergen_type, e.rule) for raw, e in elements]


def _fill_element_map(cur: psycopg.Cursor[Any], distinct: str, table: str, parse: Any) -> None:
    parsed = [(raw, parse(raw)) for (raw,) in LOAD.rows(cur, distinct)]
    copy_rows(
        cur,
        sql.Identifier(table),
        ["raw", "name", "key", "severity", "allergen_type", "rule"],
        _element_rows(parsed),
    )


@dg.asset(key=ALLERGIES, group_name=GROUP, deps=[ANIMALS])
def vetmed_animal_allergies(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """One row per allergen per animal: severity and type parsed from the text, source text and position
    kept; blank, NULL and duplicate elements quarantined with their position."""
    with target.transaction() as cur:
        _prepare(cur)
        quarantine.start(cur)
        LOAD.execute(cur, "create_element_maps")
        _fill_element_map(cur, "distinct_allergy_texts", "allergy_map", parse_allergy)
        LOAD.execute(cur, "create_allergy_elements")
        deleted = LOAD.execute(cur, "delete_stale_allergies")
        written = LOAD.execute(cur, "upsert_allergies")
        LOAD.execute(cur, "reject_allergy_elements")
        quarantined = quarantine.record(cur, context.run_id, "vetmed_animals", ["allergies"])
        rows = count(cur, TARGET, "vetmed_animal_allergies")
    context.log.info(f"allergies: {rows} rows, quarantined elements by rule: {quarantined}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "deleted": deleted,
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        }
    )


@dg.asset(key=MEDICAL_RECORDS, group_name=GROUP, deps=[ANIMALS])
def vetmed_animal_medical_records(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Each legacy condition becomes a medical record of type 'condition' (same element rules)."""
    with target.transaction() as cur:
        _prepare(cur)
        quarantine.start(cur)
        LOAD.execute(cur, "create_element_maps")
        _fill_element_map(cur, "distinct_condition_texts", "condition_map", parse_condition)
        LOAD.execute(cur, "create_condition_elements")
        deleted = LOAD.execute(cur, "delete_stale_conditions")
        written = LOAD.execute(cur, "upsert_conditions")
        LOAD.execute(cur, "reject_condition_elements")
        quarantined = quarantine.record(cur, context.run_id, "vetmed_animals", ["conditions"])
        rows = count(cur, TARGET, "vetmed_animal_medical_records")
    context.log.info(f"medical records: {rows} rows, quarantined elements by rule: {quarantined}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "deleted": deleted,
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        }
    )


# --- checks ---------------------------------------------------------------------------------------------


def _one(cur: psycopg.Cursor[Any], name: str) -> dict[str, Any]:
    CHECKS.execute(cur, name)
    row = cur.fetchone()
    assert row is not None and cur.description is not None
    return {column.name: value for column, value in zip(cur.description, row, strict=True)}


@dg.asset_check(
    asset=ANIMALS,
    blocking=True,
    description="Every legacy animal -> household relationship is present: same household, which exists.",
)
def animal_households_present(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        found = _one(cur, "animal_households")
    return dg.AssetCheckResult(
        passed=found["missing"] + found["changed"] + found["without_household"] == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=found,
    )


def _elements_check(column: str, target_table: str) -> Any:
    asset = ALLERGIES if column == "allergies" else MEDICAL_RECORDS

    @dg.asset_check(
        asset=asset,
        name=f"{column}_elements_accounted",
        description=f"Per animal, every element of the legacy {column} array is a {target_table} row or an "
        "open quarantine row (counts equal), and the animal keeps the array's length (NULL vs empty).",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            CHECKS.execute(cur, f"{column}_accounted")
            row = cur.fetchone()
        assert row is not None
        animals, elements, rows, quarantined, mismatched, wrong_length = (int(v) for v in row)
        return dg.AssetCheckResult(
            passed=mismatched == 0 and wrong_length == 0,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "animals_with_elements": animals,
                "legacy_elements": elements,
                "rows": rows,
                "quarantined": quarantined,
                "animals_not_accounted": mismatched,
                "animals_with_wrong_length": wrong_length,
            },
        )

    return _check


@dg.asset_check(
    asset=ALLERGIES,
    description="Allergens are unique per animal (case-insensitively), and each row's source text is the "
    "legacy array element at its position.",
)
def allergens_unique_per_animal(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        found = _one(cur, "allergens_unique")
    return dg.AssetCheckResult(
        passed=found["duplicates"] == 0 and found["not_the_legacy_element"] == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={k: int(v) for k, v in found.items()},
    )


@dg.asset_check(
    asset=ANIMAL_VETERINARIANS,
    description="Every animal with vet data is linked to exactly the veterinarian its de-duplication key "
    "gives (recomputed from the extracted vet fields); animals without vet data have no link.",
)
def animals_linked_to_their_veterinarian(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        fill_vet_maps(cur)
        LOAD.execute(cur, "create_animal_vets")
        found = _one(cur, "vet_links")
    bad = found["missing"] + found["wrong"] + found["unexpected"]
    return dg.AssetCheckResult(
        passed=bad == 0, severity=dg.AssetCheckSeverity.ERROR, metadata={k: int(v) for k, v in found.items()}
    )


@dg.asset_check(
    asset=ALLERGIES,
    description="An index serves the seed's query `... FROM vetmed_animal_allergies WHERE animal_id = ? AND "
    "is_active` (EXPLAIN with sequential scans disabled uses an index of the table).",
)
def allergy_query_uses_an_index(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(str(line) for (line,) in CHECKS.rows(cur, "explain_active_allergies"))
    uses_index = "Index" in plan and "vetmed_animal_allergies" in plan
    return dg.AssetCheckResult(
        passed=uses_index,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"plan": dg.MetadataValue.md(f"```\n{plan}\n```")},
    )


assets = [vetmed_animals, vetmed_veterinarians, vetmed_animal_allergies, vetmed_animal_medical_records]
asset_checks = [
    reconciliation_check(ANIMALS, "vetmed_animals", "vetmed_animals"),
    animal_households_present,
    _elements_check("allergies", "vetmed_animal_allergies"),
    _elements_check("conditions", "vetmed_animal_medical_records"),
    allergens_unique_per_animal,
    animals_linked_to_their_veterinarian,
    allergy_query_uses_an_index,
]
