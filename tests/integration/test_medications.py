"""Medications domain on seeded data: every document key is a row or quarantined, the checks hold."""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import TEST_SCALE, Migration, check_results
from tests.integration.test_checks_fail import _corrupt, _run_checks
from vetmed_pipeline.seed.generator import generate

pytestmark = pytest.mark.integration

TRAPS = generate(TEST_SCALE, 7).traps


def _rows(migration: Migration, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with migration.target() as conn:
        return conn.execute(query, params).fetchall()


def _quarantine(migration: Migration, trap: str, column: str) -> list[tuple[Any, ...]]:
    return _rows(
        migration,
        "SELECT path, raw_value, rule FROM vetmed_quarantine.rejected_values WHERE legacy_table = "
        "'vetmed_medication_catalog' AND legacy_id = %s AND legacy_column = %s AND resolved_at IS NULL ORDER BY path",
        TRAPS[trap][0],
        column,
    )


def test_numbers_and_numeric_strings_become_multipliers(migration: Migration) -> None:
    query = "SELECT species, dose_multiplier FROM vetmed.vetmed_species_adjustments WHERE medication_id = %s ORDER BY 1"
    assert _rows(migration, query, TRAPS["dog_multiplier_number"][0]) == [
        ("cat", Decimal("0.8")),
        ("dog", Decimal("1.2")),
    ]
    assert _rows(migration, query, TRAPS["numeric_strings"][0]) == [
        ("cat", Decimal("0.75")),
        ("dog", Decimal("1.2")),
    ]


def test_bad_values_are_quarantined_with_path_and_exact_raw_value(migration: Migration) -> None:
    assert _quarantine(migration, "bad_multipliers", "species_adjustments") == [
        ("/cat/multiplier", 0, "not_positive"),
        ("/dog/multiplier", "abc", "not_a_number"),
        ("/ferret/multiplier", -1, "not_positive"),
    ]
    assert _quarantine(migration, "species_case_duplicate", "species_adjustments") == [
        ("/Dog", {"multiplier": 1.2}, "duplicate_key")
    ]
    assert _quarantine(migration, "unknown_field", "species_adjustments") == [
        ("/bird/notes", "crush it", "unknown_field")
    ]
    assert _quarantine(migration, "document_not_object", "species_adjustments") == [
        ("", [1, 2], "document_not_object")
    ]
    assert _quarantine(migration, "route_synonyms_and_unknown_route", "route_adjustments") == [
        ("/IV/additionalWarnings/1", 42, "not_a_string"),
        ("/XX", {"multiplier": 1}, "unknown_route"),
    ]
    assert _quarantine(migration, "contraindication_elements", "contraindications") == [
        ("2", " Pregnancy ", "duplicate_element"),
        ("3", "", "blank_element"),
        ("4", None, "null_element"),
    ]


def test_route_synonyms_breeds_and_age_groups(migration: Migration) -> None:
    assert _rows(
        migration,
        "SELECT route::text, source_key, additional_warnings FROM vetmed.vetmed_route_adjustments "
        "WHERE medication_id = %s ORDER BY 1",
        TRAPS["route_synonyms_and_unknown_route"][0],
    ) == [("IV", "IV", ["Monitor for reactions"]), ("ORAL", "PO", None), ("SC", "SQ", None)]
    assert _rows(
        migration,
        "SELECT breed, contraindicated_routes::text[], max_reduction FROM vetmed.vetmed_breed_considerations "
        "WHERE medication_id = %s AND breed = 'collie'",
        TRAPS["bad_breed_values"][0],
    ) == [("collie", ["IV"], Decimal("0.5"))]
    assert _rows(
        migration,
        "SELECT age_group, dose_multiplier, min_age_months, min_age_years FROM vetmed.vetmed_dosage_guidelines "
        "WHERE medication_id = %s AND age_group <> 'all' ORDER BY 1",
        TRAPS["unknown_age_group"][0],
    ) == [("geriatric", Decimal("0.9"), None, Decimal(7)), ("pediatric", Decimal("0.8"), Decimal(2), None)]


def test_sql_null_json_null_and_empty_documents_stay_apart(migration: Migration) -> None:
    row = _rows(
        migration,
        "SELECT species_adjustments_json, route_adjustments_json, age_adjustments_json, breed_considerations_json "
        "FROM vetmed.vetmed_medications WHERE id = %s",
        TRAPS["null_and_empty_documents"][0],
    )
    assert row == [("null", "object", None, "null")]
    assert _rows(
        migration,
        "SELECT contraindication_elements, species_adjustments_json FROM vetmed.vetmed_medications WHERE id = %s",
        TRAPS["empty_array_and_object"][0],
    ) == [(0, "object")]


def test_every_medication_migrates_whatever_its_documents(migration: Migration) -> None:
    assert _rows(
        migration,
        "SELECT (SELECT count(*) FROM vetmed.vetmed_medications), "
        "(SELECT count(*) FROM vetmed_staging.vetmed_medication_catalog), "
        "(SELECT count(*) FROM vetmed.vetmed_dosage_guidelines WHERE age_group = 'all')",
    ) == [(38, 38, 38)]


def test_medication_checks_pass_and_the_dog_query_finds_the_same_medications(migration: Migration) -> None:
    results = check_results(migration.run())
    names = [
        "vetmed_medications:rows_reconcile_with_source",
        "vetmed_medications:document_keys_accounted",
        "vetmed_dosage_guidelines:medication_children_have_parents",
        "vetmed_species_adjustments:species_unique_per_medication",
        "vetmed_species_adjustments:dog_multiplier_query_matches_legacy",
    ]
    assert all(results[name].passed for name in names), {n: results[n].metadata for n in names}
    dog = results["vetmed_species_adjustments:dog_multiplier_query_matches_legacy"].metadata
    assert dog["legacy_medications"].value == dog["relational_medications"].value >= 2


@pytest.fixture
def corrupted(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("meds", scale=40, seed=21)


def test_a_lost_species_row_fails_accounting_and_the_dog_query(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "DELETE FROM vetmed.vetmed_species_adjustments WHERE species = 'dog' AND dose_multiplier = 1.2 "
        "AND medication_id = (SELECT medication_id FROM vetmed.vetmed_species_adjustments WHERE species = 'dog' "
        "AND dose_multiplier = 1.2 ORDER BY 1 LIMIT 1)",
    )
    results = _run_checks(corrupted)
    accounted = results["vetmed_medications:document_keys_accounted"]
    assert not accounted.passed and accounted.metadata["keys_lost"].value == 1
    assert not results["vetmed_species_adjustments:dog_multiplier_query_matches_legacy"].passed


def test_a_lost_field_and_a_duplicate_species_fail_their_checks(corrupted: Migration) -> None:
    _corrupt(
        corrupted,
        "UPDATE vetmed.vetmed_route_adjustments SET dose_multiplier = NULL WHERE (medication_id, route) = "
        "(SELECT medication_id, route FROM vetmed.vetmed_route_adjustments WHERE dose_multiplier IS NOT NULL "
        "ORDER BY 1, 2 LIMIT 1); "
        "INSERT INTO vetmed.vetmed_species_adjustments SELECT medication_id, upper(species), dose_multiplier, "
        "max_daily_dose_mg FROM vetmed.vetmed_species_adjustments ORDER BY 1, 2 LIMIT 1",
    )
    results = _run_checks(corrupted)
    assert results["vetmed_medications:document_keys_accounted"].metadata["fields_lost"].value == 1
    assert not results["vetmed_species_adjustments:species_unique_per_medication"].passed


def test_quarantined_raw_values_are_valid_json_of_the_legacy_value(migration: Migration) -> None:
    for path, raw, _ in _quarantine(migration, "bad_breed_values", "breed_considerations"):
        assert json.dumps(raw, default=str)
        assert path.startswith("/")
