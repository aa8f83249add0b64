from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetmed_pipeline.core.text import json_depth_exceeds
from vetmed_pipeline.defs.medications.rules import (
    SQL_NULL,
    TOO_DEEP,
    ParsedMedication,
    decode_document,
    parse_medication,
    pointer,
    to_number,
    to_route,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, (Decimal(1), None)),
        (0.8, (Decimal("0.8"), None)),
        (Decimal("1.20"), (Decimal("1.20"), None)),
        ("0.8", (Decimal("0.8"), None)),
        (" 1.2 ", (Decimal("1.2"), None)),
        ("1e-1", (Decimal("0.1"), None)),
        ("abc", (None, "not_a_number")),
        ("", (None, "not_a_number")),
        (True, (None, "not_a_number")),
        (None, (None, "not_a_number")),
        ([1], (None, "not_a_number")),
        ("NaN", (None, "not_a_number")),
        ("Infinity", (None, "not_a_number")),
        ("1,5", (None, "not_a_number")),
    ],
)
def test_numbers_and_numeric_strings(value: Any, expected: tuple[Decimal | None, str | None]) -> None:
    assert to_number(value) == expected


@pytest.mark.parametrize(
    ("key", "route"),
    [
        ("ORAL", "ORAL"),
        ("oral", "ORAL"),
        (" iv ", "IV"),
        ("PO", "ORAL"),
        ("po", "ORAL"),
        ("SQ", "SC"),
        ("SubQ", "SC"),
        ("per  os", "ORAL"),
        ("XX", None),
        ("", None),
        ("ORALLY", None),
    ],
)
def test_routes_only_through_the_enum_and_the_synonym_table(key: str, route: str | None) -> None:
    assert to_route(key) == route


def _rules(parsed: ParsedMedication) -> list[tuple[str, str, str]]:
    return sorted((r.column, r.path, r.rule) for r in parsed.rejections)


def test_species_rules() -> None:
    parsed = parse_medication(
        {
            "dog": {"multiplier": "1.2"},
            "Dog": {"multiplier": 1.5},
            "cat": {"multiplier": 0, "foo": 1},
            "ferret": {"multiplier": -1},
            "bird": 5,
            " ": {"multiplier": 1},
            "rabbit": {"maxDailyDose": "abc"},
        }
    )
    assert [(r["species"], r["dose_multiplier"]) for r in parsed.species] == [
        ("dog", Decimal("1.2")),
        ("cat", None),
        ("ferret", None),
        ("rabbit", None),
    ]
    assert _rules(parsed) == [
        ("species_adjustments", "/ ", "blank_key"),
        ("species_adjustments", "/Dog", "duplicate_key"),
        ("species_adjustments", "/bird", "value_not_object"),
        ("species_adjustments", "/cat/foo", "unknown_field"),
        ("species_adjustments", "/cat/multiplier", "not_positive"),
        ("species_adjustments", "/ferret/multiplier", "not_positive"),
        ("species_adjustments", "/rabbit/maxDailyDose", "not_a_number"),
    ]


def test_routes_breeds_ages_and_contraindications() -> None:
    parsed = parse_medication(
        route_adjustments={
            "PO": {"multiplier": 1},
            "ORAL": {"multiplier": 1},
            "XX": {},
            "iv": {"multiplier": 0.5, "additionalWarnings": ["Monitor", 3]},
        },
        age_adjustments={
            "pediatric": {"multiplier": 0.8, "minAgeMonths": 2},
            "neonatal": {},
            "geriatric": {"minAgeYears": -1},
        },
        breed_considerations={
            "collie": {"contraindicatedRoutes": ["IV", "BOGUS"], "maxReduction": 0.5},
            "beagle": {"maxReduction": 1.5},
            "pug": {"contraindicatedRoutes": "IV"},
        },
        contraindications=["pregnancy", " Pregnancy ", "", None, "renal failure"],
    )
    assert [(r["route"], r["source_key"], r["additional_warnings"]) for r in parsed.routes] == [
        ("ORAL", "ORAL", None),
        ("IV", "iv", ["Monitor"]),
    ]
    assert [(r["breed"], r["contraindicated_routes"], r["max_reduction"]) for r in parsed.breeds] == [
        ("collie", ["IV"], Decimal("0.5")),
        ("beagle", None, None),
        ("pug", None, None),
    ]
    assert [(r["age_group"], r["min_age_months"], r["min_age_years"]) for r in parsed.ages] == [
        ("pediatric", Decimal(2), None),
        ("geriatric", None, None),
    ]
    assert [(c["position"], c["contraindication"]) for c in parsed.contraindications] == [
        (1, "pregnancy"),
        (5, "renal failure"),
    ]
    assert _rules(parsed) == [
        ("age_adjustments", "/geriatric/minAgeYears", "out_of_range"),
        ("age_adjustments", "/neonatal", "unknown_age_group"),
        ("breed_considerations", "/beagle/maxReduction", "out_of_range"),
        ("breed_considerations", "/collie/contraindicatedRoutes/1", "unknown_route"),
        ("breed_considerations", "/pug/contraindicatedRoutes", "not_a_list"),
        ("contraindications", "2", "duplicate_element"),
        ("contraindications", "3", "blank_element"),
        ("contraindications", "4", "null_element"),
        ("route_adjustments", "/PO", "duplicate_route"),
        ("route_adjustments", "/XX", "unknown_route"),
        ("route_adjustments", "/iv/additionalWarnings/1", "not_a_string"),
    ]


@pytest.mark.parametrize("document", [SQL_NULL, None, {}])
def test_sql_null_json_null_and_empty_object_give_nothing(document: Any) -> None:
    parsed = parse_medication(document, document, document, document, None)
    assert parsed == ParsedMedication()


@pytest.mark.parametrize("document", [[1, 2], "ORAL", 3, True])
def test_a_document_that_is_not_an_object_is_rejected_whole(document: Any) -> None:
    parsed = parse_medication(route_adjustments=document)
    assert _rules(parsed) == [("route_adjustments", "", "document_not_object")]
    assert parsed.rejections[0].raw == document


def test_pointer_escapes_slash_and_tilde() -> None:
    assert pointer("a/b", "c~d", 0) == "/a~1b/c~0d/0"


# --- properties -----------------------------------------------------------------------------------------

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["1.2", "0", "-1", "PO", "IV", "ORAL", "dog"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=6)
            | st.sampled_from(
                [
                    "multiplier",
                    "maxDailyDose",
                    "additionalWarnings",
                    "maxReduction",
                    "contraindicatedRoutes",
                    "minAgeMonths",
                    "minAgeYears",
                    "pediatric",
                    "geriatric",
                    "PO",
                    "ORAL",
                    "dog",
                    "Dog",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)
DOCUMENT = JSON | st.just(SQL_NULL)
ELEMENTS = st.none() | st.lists(st.none() | st.text(max_size=10), max_size=6)

PLACED_KEY = {
    "species_adjustments": ("species", "species"),
    "route_adjustments": ("routes", "source_key"),
    "age_adjustments": ("ages", "age_group"),
    "breed_considerations": ("breeds", "breed"),
}
FIELD_COLUMN = {
    "species_adjustments": {"multiplier": "dose_multiplier", "maxDailyDose": "max_daily_dose_mg"},
    "route_adjustments": {"multiplier": "dose_multiplier", "additionalWarnings": "additional_warnings"},
    "age_adjustments": {
        "multiplier": "dose_multiplier",
        "minAgeMonths": "min_age_months",
        "minAgeYears": "min_age_years",
    },
    "breed_considerations": {
        "multiplier": "dose_multiplier",
        "maxReduction": "max_reduction",
        "contraindicatedRoutes": "contraindicated_routes",
    },
}


@settings(max_examples=300)
@given(DOCUMENT, DOCUMENT, DOCUMENT, DOCUMENT, ELEMENTS)
def test_never_raises_and_every_key_is_a_row_or_a_rejection(
    species: Any, routes: Any, ages: Any, breeds: Any, elements: list[str | None] | None
) -> None:
    parsed = parse_medication(species, routes, ages, breeds, elements)
    rejected = {(r.column, r.path) for r in parsed.rejections}
    for column, document in zip(PLACED_KEY, (species, routes, ages, breeds), strict=True):
        attribute, key_column = PLACED_KEY[column]
        rows = {row[key_column]: row for row in getattr(parsed, attribute)}
        if document is SQL_NULL or document is None:
            assert not rows and not any(c == column for c, _ in rejected)
            continue
        if not isinstance(document, dict):
            assert (column, "") in rejected and not rows
            continue
        for key, value in document.items():
            placed, dropped = key in rows, (column, pointer(key)) in rejected
            assert placed != dropped, (column, key)
            if placed:
                for field, raw in value.items():
                    column_name = FIELD_COLUMN[column].get(field)
                    typed = column_name is not None and rows[key][column_name] is not None
                    below = any(
                        c == column and (p == pointer(key, field) or p.startswith(pointer(key, field) + "/"))
                        for c, p in rejected
                    )
                    assert typed or below, (column, key, field, raw)
    positions = {row["position"] for row in parsed.contraindications}
    quarantined = {int(r.path) for r in parsed.rejections if r.column == "contraindications"}
    assert positions | quarantined == set(range(1, len(elements or []) + 1))
    assert not positions & quarantined


def test_the_empty_key_is_the_pointer_slash_and_the_root_is_empty() -> None:
    out = parse_medication({"": {"multiplier": 1}, "dog": {"": 2}})
    assert [(r.path, r.rule) for r in out.rejections] == [("/", "blank_key"), ("/dog/", "unknown_field")]
    assert pointer() == "" and pointer("") == "/" and pointer("a/b", "~") == "/a~1b/~0"


def test_a_document_deeper_than_python_reads_is_rejected_whole() -> None:
    deep = '{"dog": ' + "[" * 5_000 + "]" * 5_000 + "}"
    document = decode_document(deep)
    assert document is TOO_DEEP
    out = parse_medication(species_adjustments=document)
    assert [(r.column, r.path, r.rule) for r in out.rejections] == [
        ("species_adjustments", "", "document_too_deep")
    ]
    assert decode_document('{"a": "[[[[[[[[[["}') == {"a": "[[[[[[[[[["}  # brackets inside strings
    assert not json_depth_exceeds('"' + "[" * 500 + '"', 10) and json_depth_exceeds("[" * 11, 10)


def test_keys_longer_than_the_index_holds_are_too_long() -> None:
    long_key = "collie " * 200
    out = parse_medication(breed_considerations={long_key: {"multiplier": 1}, "pug": {"multiplier": 1}})
    assert [(r.path, r.rule) for r in out.rejections] == [(pointer(long_key), "too_long")]
    assert [row["breed"] for row in out.breeds] == ["pug"]


def test_numbers_beyond_a_postgresql_numeric_are_out_of_range() -> None:
    assert to_number("1e200000") == (None, "out_of_range")
    assert to_number(Decimal("1e-20000")) == (None, "out_of_range")
    assert to_number(Decimal(0)) == (Decimal(0), None)
    huge = decode_document('{"dog": {"multiplier": ' + "9" * 5_000 + "}}")  # beyond int()'s 4,300 digits
    assert to_number(huge["dog"]["multiplier"])[1] is None
