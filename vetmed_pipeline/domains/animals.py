"""Animals domain: animals without their embedded medical data, de-duplicated veterinarians, and the
allergy and condition arrays as rows (rules: vetmed_pipeline/normalize/animals.py)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline import quarantine
from vetmed_pipeline.checks import counts_check, reconciliation_check
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


@dataclass(frozen=True)
class ArrayColumn:
    """A legacy text[] column of vetmed_animals and the table its elements become rows of. Its statements
    in load.sql are named after it: distinct_<singular>_texts, create_<singular>_elements, ..."""

    column: str
    singular: str
    table: str
    parse: Callable[[str], Element]


ALLERGY_ELEMENTS = ArrayColumn("allergies", "allergy", "vetmed_animal_allergies", parse_allergy)
CONDITION_ELEMENTS = ArrayColumn("conditions", "condition", "vetmed_animal_medical_records", parse_condition)


def load_array(
    context: dg.AssetExecutionContext, target: PostgresResource, array: ArrayColumn
) -> dg.MaterializeResult:
    """Parse each distinct element text once in Python, then place every element in SQL: a row, or a
    quarantined element with its position."""
    with target.transaction() as cur:
        _prepare(cur)
        quarantine.start(cur)
        LOAD.execute(cur, "create_element_maps")
        parsed = [(raw, array.parse(raw)) for (raw,) in LOAD.rows(cur, f"distinct_{array.singular}_texts")]
        copy_rows(
            cur,
            sql.Identifier(f"{array.singular}_map"),
            ["raw", "name", "key", "severity", "allergen_type", "rule"],
            [(raw, e.name, e.key, e.severity, e.allergen_type, e.rule) for raw, e in parsed],
        )
        LOAD.execute(cur, f"create_{array.singular}_elements")
        deleted = LOAD.execute(cur, f"delete_stale_{array.column}")
        written = LOAD.execute(cur, f"upsert_{array.column}")
        LOAD.execute(cur, f"reject_{array.singular}_elements")
        quarantined = quarantine.record(cur, context.run_id, "vetmed_animals", [array.column])
        rows = count(cur, TARGET, array.table)
    context.log.info(
        f"{array.table}: {rows} rows, quarantined {array.column} elements by rule: {quarantined}"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "deleted": deleted,
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        }
    )


@dg.asset(key=ALLERGIES, group_name=GROUP, deps=[ANIMALS])
def vetmed_animal_allergies(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """One row per allergen per animal: severity and type parsed from the text, source text and position
    kept; blank, NULL and duplicate elements quarantined with their position."""
    return load_array(context, target, ALLERGY_ELEMENTS)


@dg.asset(key=MEDICAL_RECORDS, group_name=GROUP, deps=[ANIMALS])
def vetmed_animal_medical_records(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Each legacy condition becomes a medical record of type 'condition' (same element rules)."""
    return load_array(context, target, CONDITION_ELEMENTS)


# --- checks ---------------------------------------------------------------------------------------------


@dg.asset_check(
    asset=ANIMAL_VETERINARIANS,
    description="Every animal with vet data is linked to exactly the veterinarian its de-duplication key "
    "gives (recomputed from the extracted vet fields); animals without vet data have no link.",
)
def animals_linked_to_their_veterinarian(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        fill_vet_maps(cur)
        LOAD.execute(cur, "create_animal_vets")
        found = CHECKS.counts(cur, "vet_links")
    bad = found["missing"] + found["wrong"] + found["unexpected"]
    return dg.AssetCheckResult(passed=bad == 0, severity=dg.AssetCheckSeverity.ERROR, metadata=found)


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
    counts_check(
        ANIMALS,
        "animal_households_present",
        CHECKS,
        "animal_households",
        "Every legacy animal -> household relationship is present: same household, which exists.",
        must_be_zero=["missing", "changed", "without_household"],
        blocking=True,
    ),
    *(
        counts_check(
            asset,
            f"{array.column}_elements_accounted",
            CHECKS,
            f"{array.column}_accounted",
            f"Per animal, every element of the legacy {array.column} array is a {array.table} row or an open "
            "quarantine row (counts equal), and the animal keeps the array's length (NULL vs empty).",
            must_be_zero=["animals_not_accounted", "animals_with_wrong_length"],
        )
        for asset, array in ((ALLERGIES, ALLERGY_ELEMENTS), (MEDICAL_RECORDS, CONDITION_ELEMENTS))
    ),
    counts_check(
        ALLERGIES,
        "allergens_unique_per_animal",
        CHECKS,
        "allergens_unique",
        "Allergens are unique per animal (case-insensitively), and each row's source text is the legacy array "
        "element at its position.",
        must_be_zero=["duplicates", "not_the_legacy_element"],
    ),
    animals_linked_to_their_veterinarian,
    allergy_query_uses_an_index,
]
