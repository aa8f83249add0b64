"""The normalization registry places every legacy column exactly once, and its normalizations behave."""

import pytest

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.registry import normalizations, registry
from vetmed_pipeline.defs.animals.placements import VET_PHONE
from vetmed_pipeline.defs.medications.placements import MEDICATION_DOCUMENT
from vetmed_pipeline.defs.users.placements import TEXT_TO_INTEGER


def test_every_legacy_column_is_placed_once_and_nothing_else() -> None:
    legacy = {
        (table, column.name) for table in legacy_spec.table_names() for column in legacy_spec.columns(table)
    }
    assert set(registry()) == legacy
    assert len(legacy) == 246


def test_every_placement_names_a_target_and_a_known_normalization() -> None:
    known = normalizations()
    for placement in registry().values():
        assert placement.target.startswith("vetmed.")
        assert known[placement.normalization.name] is placement.normalization
    assert len(known) == 7


@pytest.mark.parametrize(
    ("legacy", "rebuilt", "equal"),
    [
        (" 015 ", "15", True),
        ("15", "16", False),
        ("15 min", "15 min", True),
        (None, None, True),
        ("", "", True),
    ],
)
def test_text_to_integer_compares_the_number(legacy: str | None, rebuilt: str | None, equal: bool) -> None:
    assert TEXT_TO_INTEGER.apply is not None
    assert (TEXT_TO_INTEGER.apply(legacy) == TEXT_TO_INTEGER.apply(rebuilt)) is equal


def test_vet_phone_compares_digits() -> None:
    assert VET_PHONE.apply is not None
    assert VET_PHONE.apply("(555) 123-4567") == VET_PHONE.apply("+1 555.123.4567")
    assert VET_PHONE.apply("555 123 4567") != VET_PHONE.apply("555 123 4568")


def test_medication_documents_compare_as_the_parser_reads_them() -> None:
    read = MEDICATION_DOCUMENT.apply
    assert read is not None
    assert read('{"dog": {"multiplier": "0.8"}}') == read('{"dog": {"multiplier": 0.80}}')
    assert read('{"collie": {"contraindicatedRoutes": ["iv", "PO"]}}') == read(
        '{"collie": {"contraindicatedRoutes": ["IV", "ORAL"]}}'
    )
    assert read('{"dog": {"multiplier": "abc"}}') != read('{"dog": {"multiplier": null}}')
    assert read('{"Dog": {}}') != read('{"dog": {}}')  # keys exactly
    assert read("null") != read(None)  # JSON null is not SQL NULL
