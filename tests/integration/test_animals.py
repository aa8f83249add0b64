"""Animals domain on seeded data: arrays become rows or quarantined elements, vets are de-duplicated."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import TEST_SCALE, Migration, check_results
from tests.integration.test_checks_fail import _corrupt, _run_checks
from vetmed_pipeline.seed.generator import generate

pytestmark = pytest.mark.integration

DATA = generate(TEST_SCALE, 7)
TRAPS = DATA.traps


def _rows(migration: Migration, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with migration.target() as conn:
        return conn.execute(query, params).fetchall()


def _quarantined(migration: Migration, animal: str, column: str) -> list[tuple[Any, ...]]:
    return _rows(
        migration,
        "SELECT path::int, raw_value, rule FROM vetmed_quarantine.rejected_values WHERE legacy_table = 'vetmed_animals' "
        "AND legacy_id = %s AND legacy_column = %s AND resolved_at IS NULL ORDER BY path::int",
        animal,
        column,
    )


def test_allergy_elements_become_rows_or_quarantined_elements(migration: Migration) -> None:
    animal = TRAPS["array_duplicates_blanks_nulls"][0]
    # ["Chicken (severe)", "chicken", "", None, "   ", "penicillin - mild", "Pollen: moderate", "CHICKEN "]
    assert _rows(
        migration,
        "SELECT position, allergen, allergen_type::text, severity::text, source_text, is_active "
        "FROM vetmed.vetmed_animal_allergies WHERE animal_id = %s ORDER BY position",
        animal,
    ) == [
        (1, "Chicken", "food", "severe", "Chicken (severe)", True),
        (6, "penicillin", "medication", "mild", "penicillin - mild", True),
        (7, "Pollen", "environmental", "moderate", "Pollen: moderate", True),
    ]
    assert _quarantined(migration, animal, "allergies") == [
        (2, "chicken", "duplicate_element"),
        (3, "", "blank_element"),
        (4, None, "null_element"),  # JSON null: the element was SQL NULL
        (5, "   ", "blank_element"),
        (8, "CHICKEN ", "duplicate_element"),
    ]


def test_conditions_become_medical_records(migration: Migration) -> None:
    animal = TRAPS["array_duplicates_blanks_nulls"][0]
    assert _rows(
        migration,
        "SELECT position, record_type, title, severity::text FROM vetmed.vetmed_animal_medical_records "
        "WHERE animal_id = %s ORDER BY position",
        animal,
    ) == [(1, "condition", "Arthritis", None), (5, "condition", "Chronic kidney disease", "severe")]
    assert [rule for _, _, rule in _quarantined(migration, animal, "conditions")] == [
        "duplicate_element",
        "blank_element",
        "null_element",
    ]


def test_empty_and_null_arrays_stay_apart(migration: Migration) -> None:
    query = "SELECT allergy_elements, condition_elements FROM vetmed.vetmed_animals WHERE id = %s"
    assert _rows(migration, query, TRAPS["empty_arrays"][0]) == [(0, 0)]
    assert _rows(migration, query, TRAPS["null_arrays"][0]) == [(None, None)]


def _vet_of(migration: Migration) -> dict[str, Any]:
    return dict(
        _rows(migration, "SELECT animal_id::text, veterinarian_id FROM vetmed.vetmed_animal_veterinarians")
    )


def test_every_spelling_of_a_vet_is_one_veterinarian(migration: Migration) -> None:
    vet_of = _vet_of(migration)
    named = {str(a["id"]) for a in DATA.tables["vetmed_animals"] if a["vet_name"] and a["vet_name"].strip()}
    ids_per_roster: dict[int, set[Any]] = defaultdict(set)
    for animal, roster_index in DATA.truth["animal_vet"].items():
        if animal in named:
            ids_per_roster[roster_index].add(vet_of[animal])
    assert all(len(ids) == 1 for ids in ids_per_roster.values())
    distinct = [next(iter(ids)) for ids in ids_per_roster.values()]
    assert len(distinct) == len(set(distinct))  # different vets never merge


def test_partial_vet_records_join_their_vet_and_blank_ones_get_nothing(migration: Migration) -> None:
    vet_of = _vet_of(migration)
    full, name_only, email_only = (
        TRAPS[t][0] for t in ("vet_full_record", "vet_name_only", "vet_email_only")
    )
    assert vet_of[full] == vet_of[name_only] == vet_of[email_only]
    assert TRAPS["vet_blank_fields"][0] not in vet_of and TRAPS["no_vet_data"][0] not in vet_of
    blank = TRAPS["vet_blank_fields"][0]
    assert _rows(
        migration,
        "SELECT legacy_column, raw_value, rule FROM vetmed_quarantine.rejected_values "
        "WHERE legacy_id = %s AND legacy_table = 'vetmed_animals' "
        "AND legacy_column NOT IN ('allergies', 'conditions') ORDER BY legacy_column",
        blank,
    ) == [
        ("clinic_name", " ", "blank_text"),
        ("vet_name", "", "blank_text"),
        ("vet_phone", "  ", "blank_text"),
    ]
    vet = _rows(
        migration,
        "SELECT name, phone_digits, email FROM vetmed.vetmed_veterinarians WHERE id = %s",
        vet_of[full],
    )
    name, digits, email, _ = _roster_vet_0()
    assert (
        vet[0][1] == digits
        and vet[0][2] == email
        and vet[0][0] is not None
        and name.lower() in vet[0][0].lower()
    )


def _roster_vet_0() -> tuple[str, str, str, str]:
    full = next(a for a in DATA.tables["vetmed_animals"] if str(a["id"]) == TRAPS["vet_full_record"][0])
    digits = "".join(ch for ch in full["vet_phone"] if ch.isdigit())
    return full["vet_name"].removeprefix("Dr. "), digits, full["vet_email"], full["clinic_name"]


def test_veterinarian_ids_are_the_same_on_a_rerun_and_on_a_new_target(
    migration: Migration, new_database: Callable[[str], str]
) -> None:
    before = _rows(migration, "SELECT id, dedup_key FROM vetmed.vetmed_veterinarians ORDER BY id")
    links = _vet_of(migration)
    assert migration.run().success
    assert _rows(migration, "SELECT id, dedup_key FROM vetmed.vetmed_veterinarians ORDER BY id") == before
    assert _vet_of(migration) == links
    elsewhere = Migration(migration.source_url, new_database("vets_again"))
    assert elsewhere.run().success
    assert _rows(elsewhere, "SELECT id, dedup_key FROM vetmed.vetmed_veterinarians ORDER BY id") == before


def test_default_animal_foreign_key_is_validated(migration: Migration) -> None:
    assert _rows(
        migration,
        "SELECT convalidated, confdeltype FROM pg_constraint WHERE conname = 'vetmed_user_preferences_default_animal_fk'",
    ) == [(True, "n")]


def test_animal_checks_pass(migration: Migration) -> None:
    results = check_results(migration.run())
    animal_checks = {
        name: e for name, e in results.items() if "animal" in name and e.asset_key.path[0] == "vetmed"
    }
    assert len(animal_checks) == 7
    assert results["vetmed_animals:round_trip_equals_snapshot"].passed  # and the compat view agrees
    assert all(e.passed for e in animal_checks.values()), {
        n: e.metadata for n, e in animal_checks.items() if not e.passed
    }


@pytest.fixture
def corrupted(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("animals", scale=40, seed=21)


def test_a_lost_allergy_row_fails_the_accounting(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "DELETE FROM vetmed.vetmed_animal_allergies WHERE id = (SELECT id FROM vetmed.vetmed_animal_allergies ORDER BY id LIMIT 1)",
    )
    check = _run_checks(corrupted)["vetmed_animal_allergies:allergies_elements_accounted"]
    assert not check.passed and check.metadata["animals_not_accounted"].value == 1


def test_a_link_to_the_wrong_vet_fails_the_link_check(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "UPDATE vetmed.vetmed_animal_veterinarians SET veterinarian_id = (SELECT id FROM vetmed.vetmed_veterinarians "
        "WHERE id <> (SELECT veterinarian_id FROM vetmed.vetmed_animal_veterinarians ORDER BY animal_id LIMIT 1) LIMIT 1) "
        "WHERE animal_id = (SELECT animal_id FROM vetmed.vetmed_animal_veterinarians ORDER BY animal_id LIMIT 1)",
    )
    check = _run_checks(corrupted)["vetmed_animal_veterinarians:animals_linked_to_their_veterinarian"]
    assert not check.passed and check.metadata["wrong"].value == 1


def test_a_changed_source_text_and_a_duplicate_allergen_fail_uniqueness(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "UPDATE vetmed.vetmed_animal_allergies SET allergen = upper(allergen), source_text = source_text || '!' "
        "WHERE id = (SELECT id FROM vetmed.vetmed_animal_allergies ORDER BY id LIMIT 1)",
    )
    check = _run_checks(corrupted)["vetmed_animal_allergies:allergens_unique_per_animal"]
    assert not check.passed and check.metadata["not_the_legacy_element"].value == 1


def test_without_an_index_on_animal_id_the_index_check_fails(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "ALTER TABLE vetmed.vetmed_animal_allergies DROP CONSTRAINT animal_allergies_animal_allergen_key, "
        "DROP CONSTRAINT animal_allergies_animal_position_key; DROP INDEX vetmed.animal_allergies_active_idx",
    )
    results = _run_checks(corrupted)
    assert not results["vetmed_animal_allergies:allergy_query_uses_an_index"].passed
