"""Where every column of the legacy vetmed_medication_catalog goes (the medications domain's part of the
normalization registry, core/registry.py): core facts, guidelines, documents as rows."""

from __future__ import annotations

from typing import Any

from vetmed_pipeline.core.registry import Normalization, Placement, same
from vetmed_pipeline.defs.medications.rules import SQL_NULL, TOO_DEEP, decode_document, to_number, to_route


def _document(value: str | None) -> Any:
    """A catalog document as the parser reads it: numbers (and numeric strings) as decimals, route names in
    contraindicatedRoutes as route labels; everything else as it is. A document too deep to parse is
    compared exactly (it is kept whole in the quarantine)."""
    document = decode_document(value)
    if document is SQL_NULL:
        return "SQL NULL"  # not JSON null: the two stay apart
    if document is TOO_DEEP:
        return ("exact", value)
    return ("json", _read(document, in_routes=False))


def _read(value: Any, *, in_routes: bool) -> Any:
    if isinstance(value, dict):
        return {key: _read(item, in_routes=key == "contraindicatedRoutes") for key, item in value.items()}
    if isinstance(value, list):
        return [_read(item, in_routes=in_routes) for item in value]
    if isinstance(value, str) and in_routes:
        return to_route(value) or value
    if isinstance(value, bool) or value is None:
        return value
    number, rule = to_number(value)
    return number if rule is None else value


MEDICATION_DOCUMENT = Normalization(
    "medication_document",
    'a catalog JSON document compared as the parser reads it: numeric strings are numbers ("0.8" = 0.8), '
    "route names in contraindicatedRoutes are route labels ('iv', 'PO' = IV, ORAL); keys, structure and every "
    "other value exactly",
    _document,
)

_M = "vetmed_medication_catalog"

PLACEMENTS: list[Placement] = [
    *same(
        _M,
        "vetmed_medications",
        "id generic_name brand_name strength route form controlled_substance "
        "common_dosing warnings created_at updated_at concentration_mg_ml units_per_tablet unit_type",
    ),
    *same(
        _M,
        "vetmed_dosage_guidelines",
        "dosage_min_mg_kg dosage_max_mg_kg dosage_typical_mg_kg "
        "max_daily_dose_mg typical_frequency_hours max_frequency_per_day",
    ),
    Placement(
        _M,
        "species_adjustments",
        "vetmed_species_adjustments",
        None,
        MEDICATION_DOCUMENT,
        note="one row per key",
    ),
    Placement(
        _M, "route_adjustments", "vetmed_route_adjustments", None, MEDICATION_DOCUMENT, note="one row per key"
    ),
    Placement(
        _M,
        "age_adjustments",
        "vetmed_dosage_guidelines",
        None,
        MEDICATION_DOCUMENT,
        note="one row per age group",
    ),
    Placement(
        _M,
        "breed_considerations",
        "vetmed_breed_considerations",
        None,
        MEDICATION_DOCUMENT,
        note="one row per key",
    ),
    Placement(_M, "contraindications", "vetmed_medication_contraindications", note="by position"),
]
