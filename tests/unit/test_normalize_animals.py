import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetmed_pipeline.defs.animals.rules import (
    normalize_clinic,
    normalize_email,
    normalize_person_name,
    parse_allergy,
    parse_condition,
    phone_digits,
    resolve_vets,
    split_severity,
)


@pytest.mark.parametrize(
    ("raw", "name", "severity"),
    [
        ("Chicken (severe)", "Chicken", "severe"),
        ("Chicken(Severe)", "Chicken", "severe"),
        ("penicillin - mild", "penicillin", "mild"),
        ("beef -mild", "beef", "mild"),
        ("pollen: moderate", "pollen", "moderate"),
        ("latex [critical]", "latex", "critical"),
        ("Bee sting - life-threatening", "Bee sting", "critical"),
        ("Peanuts (anaphylactic)", "Peanuts", "critical"),
        ("x - y - mild", "x - y", "mild"),
        ("Ear infection (left)", "Ear infection (left)", None),
        ("Arthritis moderate", "Arthritis moderate", None),
        ("mild", "mild", None),
        ("(severe)", "(severe)", None),
    ],
)
def test_severity_is_split_only_when_it_is_a_severity(raw: str, name: str, severity: str | None) -> None:
    assert split_severity(raw) == (name, severity)


@pytest.mark.parametrize(
    ("raw", "allergen_type"),
    [
        ("Chicken", "food"),
        ("Salmon (moderate)", "food"),
        ("penicillin - mild", "medication"),
        ("Amoxicillin-clavulanate", "medication"),
        ("Cephalexin", "medication"),
        ("Dust mites", "environmental"),
        ("flea saliva", "environmental"),
        ("Latex [critical]", "contact"),
        ("Wool", "contact"),
        ("Bananas", "other"),
        ("🐝 sting", "other"),
    ],
)
def test_allergen_type_from_the_lexicon(raw: str, allergen_type: str) -> None:
    assert parse_allergy(raw).allergen_type == allergen_type


def test_elements_are_trimmed_and_keyed_case_insensitively() -> None:
    assert parse_allergy("  CHICKEN  ").key == parse_allergy("chicken (severe)").key == "chicken"
    assert parse_allergy("  Dust   mites ").name == "Dust mites"
    # composed and decomposed accents are one allergen
    assert parse_condition("Ca\u0301ncer").key == parse_condition("Cáncer").key


@pytest.mark.parametrize("raw", ["", " ", "\t\n", "\u00a0\u2003"])
def test_blank_elements_are_rejected(raw: str) -> None:
    assert parse_allergy(raw).rule == "blank_element"
    assert parse_condition(raw).rule == "blank_element"


@given(st.text(max_size=200))
def test_parsing_never_raises_and_gives_a_row_or_a_rule(raw: str) -> None:
    for element in (parse_allergy(raw), parse_condition(raw)):
        assert (element.rule is None) == (element.key is not None)
        if element.key is not None:
            assert element.name and element.name == element.name.strip()


def test_hostile_input_is_parsed_in_linear_time() -> None:
    long = "(" * 20_000 + "a - " * 20_000 + "mild"
    assert split_severity(long)[1] == "mild"
    assert parse_allergy(long).rule == "too_long"  # longer than the target's key index holds
    assert parse_allergy("x" * 1_000_000).rule == "too_long"
    assert parse_condition("y" * 1_000).name == "y" * 1_000


def test_an_element_whose_key_outgrows_the_index_is_too_long() -> None:
    # U+FDFA is 3 bytes and its compatibility form 18 characters (33 bytes): 300 of them fit, their key does not
    assert parse_allergy("\ufdfa" * 300).rule == "too_long"
    assert parse_allergy("\ufdfa" * 10).rule is None


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("(555) 123-4567", "5551234567"),
        ("555.123.4567", "5551234567"),
        ("+1 555 123 4567", "5551234567"),
        ("1-555-123-4567", "5551234567"),
        ("+44 20 7946 0958", "442079460958"),
        ("call me", None),
        ("", None),
        (None, None),
        ("٥٥٥١٢٣", None),
    ],
)
def test_phone_digits(raw: str | None, digits: str | None) -> None:
    assert phone_digits(raw) == digits


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Dr. Ana Ruiz", "ana ruiz"),
        ("dr. ana ruiz ", "ana ruiz"),
        ("Dr  Ana   Ruiz", "ana ruiz"),
        ("ANA RUIZ", "ana ruiz"),
        ("Doctor Ana Ruiz, DVM", "ana ruiz"),
        ("Dr. Zoë Müller", "zoë müller"),
        ("Drake Bell", "drake bell"),
        ("  ", None),
        (None, None),
    ],
)
def test_person_names(raw: str | None, name: str | None) -> None:
    assert normalize_person_name(raw) == name


def test_email_and_clinic() -> None:
    assert normalize_email(" Ana.Ruiz@Clinic.Example.COM ") == "ana.ruiz@clinic.example.com"
    assert normalize_email("   ") is None
    assert normalize_clinic(" happy  PAWS clinic. ") == normalize_clinic("Happy Paws Clinic")


ANA = ("Dr. Ana Ruiz", "(555) 123-4567", "ana@clinic.example.com", "Happy Paws")


def test_spellings_of_one_vet_share_one_key_and_the_most_common_spelling_wins() -> None:
    keys, vets = resolve_vets(
        [
            (ANA, 3),
            (("dr. ana ruiz ", "555.123.4567", None, "happy paws"), 1),
            ((None, None, "ANA@clinic.example.com", None), 1),
        ]
    )
    assert set(keys.values()) == {"name:ana ruiz"}
    (vet,) = vets
    assert (vet.name, vet.phone, vet.phone_digits, vet.email, vet.clinic_name) == (
        "Dr. Ana Ruiz",
        "(555) 123-4567",
        "5551234567",
        "ana@clinic.example.com",
        "Happy Paws",
    )


def test_partial_records_without_a_known_match_get_their_own_key() -> None:
    keys, _ = resolve_vets(
        [
            ((None, "555 999 0000", None, None), 1),
            ((None, None, None, "Clinic A"), 2),
            ((" ", "", None, None), 1),
        ]
    )
    assert keys == {
        (None, "555 999 0000", None, None): "phone:5559990000",
        (None, None, None, "Clinic A"): "clinic:clinic a",
    }


def test_homonyms_with_conflicting_contacts_are_different_vets() -> None:
    keys, vets = resolve_vets(
        [
            (("Dr. X", "555-111-2222", "x@north.example.org", None), 2),
            (("Dr X", "555-999-8888", "drx@south.example.org", None), 1),
        ]
    )
    assert keys[("Dr. X", "555-111-2222", "x@north.example.org", None)] == "name:x"
    other = keys[("Dr X", "555-999-8888", "drx@south.example.org", None)]
    assert other.startswith("name:x#") and len({v.key for v in vets}) == 2
    assert {v.phone_digits for v in vets} == {"5551112222", "5559998888"}


def test_a_partial_record_joins_the_homonym_it_agrees_with() -> None:
    north = ("Maria Lopez", "555 010 1201", "maria@north.example.org", "Northgate")
    south = ("maria lopez", "555 010 1299", "maria@south.example.org", "Southgate")
    partial = ("Dr. Maria Lopez", None, None, "SOUTHGATE")
    nameless = (None, None, "MARIA@south.example.org", None)
    keys, _ = resolve_vets([(north, 3), (south, 1), (partial, 1), (nameless, 1)])
    assert keys[partial] == keys[south] == keys[nameless] != keys[north]


def test_too_long_fields_are_left_out_of_the_identity() -> None:
    huge = "Dr. " + "Z" * 2_000
    keys, vets = resolve_vets([((huge, "555 000 1111", None, None), 1)])
    assert keys == {(huge, "555 000 1111", None, None): "phone:5550001111"}
    assert vets[0].name is None


def test_an_email_shared_by_two_named_vets_attaches_to_neither() -> None:
    shared = "front.desk@clinic.example.com"
    keys, _ = resolve_vets(
        [
            (("Ana Ruiz", None, shared, None), 1),
            (("Ben Okafor", None, shared, None), 1),
            ((None, None, shared, None), 1),
        ]
    )
    assert keys[(None, None, shared, None)] == f"email:{shared}"


def test_resolution_does_not_depend_on_order() -> None:
    tuples = [
        (ANA, 2),
        (("Ana Ruiz", None, None, None), 1),
        ((None, "5551234567", None, None), 1),
        (("Ben Okafor", "555 000 1111", None, "Northside"), 1),
        (("ben okafor", None, None, "NORTHSIDE"), 1),
    ]
    expected = resolve_vets(tuples)
    for seed in range(5):
        shuffled = tuples[:]
        random.Random(seed).shuffle(shuffled)
        assert resolve_vets(shuffled) == expected
