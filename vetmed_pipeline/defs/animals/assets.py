"""Animals domain assets (rules: rules.py; statements: sql/animals/load.sql)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import quarantine
from vetmed_pipeline.core.db import Statement, copy_rows
from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step, rows_of
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.defs.animals.queries import Load
from vetmed_pipeline.defs.animals.rules import (
    Element,
    parse_allergy,
    parse_condition,
    resolve_vets,
    vet_field_rules,
)

GROUP = "animals"

ANIMALS = target_key("vetmed_animals")
VETERINARIANS = target_key("vetmed_veterinarians")
ANIMAL_VETERINARIANS = target_key("vetmed_animal_veterinarians")
ALLERGIES = target_key("vetmed_animal_allergies")
MEDICAL_RECORDS = target_key("vetmed_animal_medical_records")
HOUSEHOLDS = target_key("vetmed_households")
VET_COLUMNS = ["vet_name", "vet_phone", "vet_email", "clinic_name"]


@dg.asset(key=ANIMALS, group_name=GROUP, deps=[staging_key("vetmed_animals"), HOUSEHOLDS])
def vetmed_animals(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Basic animal information (soft-deleted animals keep deleted_at), with the legacy array lengths."""
    with load_step(context, target, ["vetmed_animals"]) as step:
        deleted = Load.delete_missing_animals.execute(step.cur)
        written = Load.upsert_animals.execute(step.cur)
        result = step.result("vetmed_animals", written=written, deleted=deleted)
    context.log.info(f"animals: {rows_of(result)} rows ({written} written, {deleted} deleted)")
    return result


def fill_vet_maps(cur: psycopg.Cursor[Any]) -> int:
    """Resolve the distinct legacy vet tuples in Python into temp tables vet_map (each tuple's key and the
    rule of each field that is not placed) and vet_rows (one per veterinarian)."""
    Load.create_vet_maps.execute(cur)
    tuples = [
        ((name, phone, email, clinic), int(n))
        for name, phone, email, clinic, n in Load.distinct_vet_tuples.rows(cur)
    ]
    keys, vets = resolve_vets(tuples)
    copy_rows(
        cur,
        sql.Identifier("vet_map"),
        [*VET_COLUMNS, "dedup_key", "name_rule", "phone_rule", "email_rule", "clinic_rule"],
        [(*t, keys.get(t), *vet_field_rules(t)) for t, _ in tuples],
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
    with load_step(context, target, ["vetmed_animals"]) as step:
        quarantine.start(step.cur)
        spellings = fill_vet_maps(step.cur)
        Load.create_animal_vets.execute(step.cur)
        Load.upsert_veterinarians.execute(step.cur)
        unlinked = Load.delete_stale_animal_vets.execute(step.cur)
        linked = Load.insert_animal_vets.execute(step.cur)
        removed = Load.delete_unreferenced_veterinarians.execute(step.cur)
        Load.reject_vet_fields.execute(step.cur)
        quarantined = quarantine.record(step.cur, step.run_id, "vetmed_animals", VET_COLUMNS)
        vets = step.result(
            "vetmed_veterinarians",
            VETERINARIANS,
            distinct_legacy_spellings=spellings,
            deleted=removed,
        )
        links = step.result(
            "vetmed_animal_veterinarians",
            ANIMAL_VETERINARIANS,
            linked=linked,
            unlinked=unlinked,
            quarantined_blank_vet_fields=sum(quarantined.values()),
        )
    context.log.info(
        f"veterinarians: {rows_of(vets)} from {spellings} distinct legacy spellings; {rows_of(links)} animal links"
    )
    yield vets
    yield links


@dataclass(frozen=True)
class ArrayColumn:
    """A legacy text[] column of vetmed_animals, the table its elements become rows of, and the statements
    that place them."""

    column: str
    table: str
    parse: Callable[[str], Element]
    map_table: str
    distinct_texts: Statement
    create_elements: Statement
    delete_stale: Statement
    upsert: Statement
    reject: Statement


ALLERGY_ELEMENTS = ArrayColumn(
    "allergies",
    "vetmed_animal_allergies",
    parse_allergy,
    "allergy_map",
    Load.distinct_allergy_texts,
    Load.create_allergy_elements,
    Load.delete_stale_allergies,
    Load.upsert_allergies,
    Load.reject_allergy_elements,
)
CONDITION_ELEMENTS = ArrayColumn(
    "conditions",
    "vetmed_animal_medical_records",
    parse_condition,
    "condition_map",
    Load.distinct_condition_texts,
    Load.create_condition_elements,
    Load.delete_stale_conditions,
    Load.upsert_conditions,
    Load.reject_condition_elements,
)


def load_array(
    context: dg.AssetExecutionContext, target: PostgresResource, array: ArrayColumn
) -> dg.MaterializeResult:
    """Parse each distinct element text once in Python, then place every element in SQL: a row, or a
    quarantined element with its position."""
    with load_step(context, target, ["vetmed_animals"]) as step:
        quarantine.start(step.cur)
        Load.create_element_maps.execute(step.cur)
        parsed = [(raw, array.parse(raw)) for (raw,) in array.distinct_texts.rows(step.cur)]
        copy_rows(
            step.cur,
            sql.Identifier(array.map_table),
            ["raw", "name", "key", "severity", "allergen_type", "rule"],
            [(raw, e.name, e.key, e.severity, e.allergen_type, e.rule) for raw, e in parsed],
        )
        array.create_elements.execute(step.cur)
        deleted = array.delete_stale.execute(step.cur)
        written = array.upsert.execute(step.cur)
        array.reject.execute(step.cur)
        quarantined = quarantine.record(step.cur, step.run_id, "vetmed_animals", [array.column])
        result = step.result(
            array.table,
            written=written,
            deleted=deleted,
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        )
    context.log.info(
        f"{array.table}: {rows_of(result)} rows, quarantined {array.column} elements by rule: {quarantined}"
    )
    return result


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


assets = [vetmed_animals, vetmed_veterinarians, vetmed_animal_allergies, vetmed_animal_medical_records]
