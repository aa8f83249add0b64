"""Veterinarian identity on arbitrary sets of legacy vet tuples (property-based): records whose contact data
conflict never share a veterinarian, every record's fields are rebuilt from its veterinarian exactly as the
registry's normalizations say, and the result does not depend on the order of the records."""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetmed_pipeline.defs.animals.placements import VET_CLINIC, VET_EMAIL, VET_NAME, VET_PHONE
from vetmed_pipeline.defs.animals.rules import (
    VET_NORMALIZERS,
    VetTuple,
    normalize_clinic,
    normalize_email,
    phone_digits,
    resolve_vets,
    vet_field_rule,
)

# Small alphabets, so that names, phones, emails and clinics collide often (homonyms, shared clinics).
NAMES = st.sampled_from(["Dr. X", "Dr X", "x", "Maria Lopez", "dr. maria  lopez", "Ana Ruiz", " ", ""])
PHONES = st.sampled_from(["555-111-2222", "(555) 111-2222", "+1 555 999 8888", "5559998888", "555 000", " "])
EMAILS = st.sampled_from(["x@a.example.org", "X@A.example.org", "x@b.example.org", "ana@c.example.org", ""])
CLINICS = st.sampled_from(["Northgate", "northgate.", "Southgate", "Happy Paws", "  "])
TUPLES = st.lists(
    st.tuples(
        st.tuples(
            st.none() | NAMES | st.text(max_size=8),
            st.none() | PHONES,
            st.none() | EMAILS,
            st.none() | CLINICS,
        ),
        st.integers(min_value=1, max_value=5),
    ),
    max_size=40,
    unique_by=lambda pair: pair[0],
)
NORMALIZATIONS = (VET_NAME, VET_PHONE, VET_EMAIL, VET_CLINIC)


def _value(raw: str | None, normalize: Callable[[str | None], str | None]) -> str | None:
    """The value, where the compat view rebuilds it from the veterinarian (a field with a rule is rebuilt
    from the quarantine, exactly)."""
    return None if vet_field_rule(raw, normalize) is not None else raw


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(TUPLES)
def test_conflicting_records_never_share_a_vet_and_every_record_is_rebuilt(
    tuples: list[tuple[VetTuple, int]],
) -> None:
    keys, vets = resolve_vets(tuples)
    by_key = {vet.key: vet for vet in vets}
    assert set(keys.values()) == set(by_key)
    members: dict[str, list[VetTuple]] = {}
    for t, key in keys.items():
        members.setdefault(key, []).append(t)
    for group in members.values():
        for a in group:
            for b in group:
                for raw_a, raw_b, same in (
                    (a[1], b[1], phone_digits),
                    (a[2], b[2], normalize_email),
                    (a[3], b[3], normalize_clinic),
                ):
                    left, right = same(_value(raw_a, same)), same(_value(raw_b, same))
                    assert left is None or right is None or left == right, (a, b)
    for t, key in keys.items():
        vet = by_key[key]
        rebuilt = (vet.name, vet.phone, vet.email, vet.clinic_name)
        for raw, canonical, normalization, normalize in zip(
            t, rebuilt, NORMALIZATIONS, VET_NORMALIZERS, strict=True
        ):
            if _value(raw, normalize) is None:
                continue  # NULL, or quarantined and rebuilt from there, exactly
            assert normalization.apply is not None
            assert normalization.apply(raw) == normalization.apply(canonical), (t, rebuilt)
    untouched = [t for t, _ in tuples if t not in keys]  # no link: every field NULL or quarantined
    assert all(_value(raw, n) is None for t in untouched for raw, n in zip(t, VET_NORMALIZERS, strict=True))


@settings(max_examples=100)
@given(TUPLES, st.integers(min_value=0, max_value=1_000))
def test_the_result_does_not_depend_on_the_order(tuples: list[tuple[VetTuple, int]], seed: int) -> None:
    shuffled = tuples[:]
    random.Random(seed).shuffle(shuffled)
    assert resolve_vets(shuffled) == resolve_vets(tuples)
