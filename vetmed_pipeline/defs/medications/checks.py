"""Medications domain checks: the target compared with the extracted catalog (sql/medications/checks.sql)."""

import dagster as dg

from vetmed_pipeline.core.checks import ERROR, asset_check, counts_check, reconciliation_check
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.defs.medications.assets import GUIDELINES, LEGACY_TABLE, MEDICATIONS, SPECIES
from vetmed_pipeline.defs.medications.queries import Checks


@asset_check(
    SPECIES,
    description="The seed's example 'medications where the dog multiplier is 1.2' returns, from the relational "
    "tables, exactly the medications the legacy JSONB query returns on the extracted catalog.",
)
def dog_multiplier_query_matches_legacy(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        legacy = {row[0] for row in Checks.dog_multiplier_legacy.rows(cur)}
        relational = {row[0] for row in Checks.dog_multiplier_relational.rows(cur)}
    differing = sorted(str(i) for i in legacy ^ relational)
    return dg.AssetCheckResult(
        passed=not differing,
        severity=ERROR,
        metadata={
            "legacy_medications": len(legacy),
            "relational_medications": len(relational),
            "differing": len(differing),
            "differing_ids": ", ".join(differing[:20]),
        },
    )


asset_checks = [
    reconciliation_check(MEDICATIONS, LEGACY_TABLE, "vetmed_medications"),
    counts_check(
        MEDICATIONS,
        "document_keys_accounted",
        Checks.documents_accounted,
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
        Checks.no_orphans,
        "No child row belongs to a medication the snapshot lacks, and every medication has its base ('all') "
        "dosage guideline.",
    ),
    counts_check(
        SPECIES,
        "species_unique_per_medication",
        Checks.species_unique,
        "No medication has the same species twice (ignoring case and spaces).",
        must_be_zero=["duplicate_species"],
    ),
    dog_multiplier_query_matches_legacy,
]
