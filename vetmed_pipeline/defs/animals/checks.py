"""Animals domain checks: the target compared with the extracted snapshot (sql/animals/checks.sql)."""

import dagster as dg

from vetmed_pipeline.core.checks import ERROR, asset_check, counts_check, reconciliation_check
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.defs.animals.assets import (
    ALLERGIES,
    ALLERGY_ELEMENTS,
    ANIMAL_VETERINARIANS,
    ANIMALS,
    CONDITION_ELEMENTS,
    MEDICAL_RECORDS,
    fill_vet_maps,
)
from vetmed_pipeline.defs.animals.queries import Checks, Load


@asset_check(
    ANIMAL_VETERINARIANS,
    description="Every animal with vet data is linked to exactly the veterinarian its de-duplication key "
    "gives (recomputed from the extracted vet fields); animals without vet data have no link.",
)
def animals_linked_to_their_veterinarian(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        fill_vet_maps(cur)
        Load.create_animal_vets.execute(cur)
        found = Checks.vet_links.counts(cur)
    bad = found["missing"] + found["wrong"] + found["unexpected"]
    return dg.AssetCheckResult(passed=bad == 0, severity=ERROR, metadata=found)


@asset_check(
    ALLERGIES,
    description="An index serves the seed's query `... FROM vetmed_animal_allergies WHERE animal_id = ? AND "
    "is_active` (EXPLAIN with sequential scans disabled uses an index of the table).",
)
def allergy_query_uses_an_index(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(str(line) for (line,) in Checks.explain_active_allergies.rows(cur))
    uses_index = "Index" in plan and "vetmed_animal_allergies" in plan
    return dg.AssetCheckResult(
        passed=uses_index, severity=ERROR, metadata={"plan": dg.MetadataValue.md(f"```\n{plan}\n```")}
    )


asset_checks = [
    reconciliation_check(ANIMALS, "vetmed_animals", "vetmed_animals"),
    counts_check(
        ANIMALS,
        "animal_households_present",
        Checks.animal_households,
        "Every legacy animal -> household relationship is present: same household, which exists.",
        must_be_zero=["missing", "changed", "without_household"],
        blocking=True,
    ),
    *(
        counts_check(
            asset,
            f"{array.column}_elements_accounted",
            statement,
            f"Per animal, every element of the legacy {array.column} array is a {array.table} row or an open "
            "quarantine row (counts equal), and the animal keeps the array's length (NULL vs empty).",
            must_be_zero=["animals_not_accounted", "animals_with_wrong_length"],
        )
        for asset, array, statement in (
            (ALLERGIES, ALLERGY_ELEMENTS, Checks.allergies_accounted),
            (MEDICAL_RECORDS, CONDITION_ELEMENTS, Checks.conditions_accounted),
        )
    ),
    counts_check(
        ALLERGIES,
        "allergens_unique_per_animal",
        Checks.allergens_unique,
        "Allergens are unique per animal (case-insensitively), and each row's source text is the legacy array "
        "element at its position.",
        must_be_zero=["duplicates", "not_the_legacy_element"],
    ),
    animals_linked_to_their_veterinarian,
    allergy_query_uses_an_index,
]
