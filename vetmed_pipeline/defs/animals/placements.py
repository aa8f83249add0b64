"""Where every column of legacy vetmed_animals goes (the animals domain's part of the normalization
registry, core/registry.py): vet columns to de-duplicated veterinarians, arrays to rows."""

from __future__ import annotations

from vetmed_pipeline.core.registry import Normalization, Placement, same
from vetmed_pipeline.defs.animals.rules import (
    normalize_clinic,
    normalize_email,
    normalize_person_name,
    phone_digits,
)

VET_NAME = Normalization(
    "vet_canonical_name",
    "the de-duplicated veterinarian's canonical spelling: equal when title, punctuation, case and spacing "
    "aside they are the same name",
    normalize_person_name,
)
VET_PHONE = Normalization(
    "vet_canonical_phone",
    "the de-duplicated veterinarian's canonical phone: equal when their digits are (a leading US country "
    "code 1 aside)",
    phone_digits,
)
VET_EMAIL = Normalization(
    "vet_canonical_email",
    "the de-duplicated veterinarian's canonical email: equal ignoring case and surrounding spaces",
    normalize_email,
)
VET_CLINIC = Normalization(
    "vet_canonical_clinic",
    "the de-duplicated veterinarian's canonical clinic spelling: equal ignoring case, punctuation and spacing",
    normalize_clinic,
)

_A = "vetmed_animals"
_VETS = "vetmed_veterinarians"
_LINKS = "vetmed_animal_veterinarians"

PLACEMENTS: list[Placement] = [
    *same(
        _A,
        _A,
        "id household_id name species breed sex neutered dob weight_kg microchip_id color photo_url "
        "timezone notes created_at updated_at deleted_at",
    ),
    Placement(_A, "vet_name", _VETS, "name", VET_NAME, via=_LINKS),
    Placement(_A, "vet_phone", _VETS, "phone", VET_PHONE, via=_LINKS),
    Placement(_A, "vet_email", _VETS, "email", VET_EMAIL, via=_LINKS),
    Placement(_A, "clinic_name", _VETS, "clinic_name", VET_CLINIC, via=_LINKS),
    Placement(_A, "allergies", "vetmed_animal_allergies", note="source_text by position, + allergy_elements"),
    Placement(
        _A,
        "conditions",
        "vetmed_animal_medical_records",
        note="source_text by position, + condition_elements",
    ),
]
