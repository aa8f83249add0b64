"""Named statements of sql/animals/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Load(SqlFile, path="animals/load.sql"):
    delete_missing_animals: Statement
    upsert_animals: Statement
    distinct_vet_tuples: Statement
    create_vet_maps: Statement
    create_animal_vets: Statement
    upsert_veterinarians: Statement
    delete_stale_animal_vets: Statement
    insert_animal_vets: Statement
    delete_unreferenced_veterinarians: Statement
    reject_vet_fields: Statement
    distinct_allergy_texts: Statement
    distinct_condition_texts: Statement
    create_element_maps: Statement
    create_allergy_elements: Statement
    create_condition_elements: Statement
    delete_stale_allergies: Statement
    upsert_allergies: Statement
    reject_allergy_elements: Statement
    delete_stale_conditions: Statement
    upsert_conditions: Statement
    reject_condition_elements: Statement


class Checks(SqlFile, path="animals/checks.sql"):
    animal_households: Statement
    allergies_accounted: Statement
    conditions_accounted: Statement
    allergens_unique: Statement
    vet_links: Statement
    explain_active_allergies: Statement
