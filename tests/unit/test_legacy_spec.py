import importlib.util
from pathlib import Path

import pytest

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.paths import REPO_ROOT

SPEC_MARKDOWN = REPO_ROOT.parent / "shared" / "spec" / "legacy-schema.md"


def test_spec_has_every_table_column_and_enum() -> None:
    assert len(legacy_spec.table_names()) == 14
    assert sum(len(legacy_spec.columns(t)) for t in legacy_spec.table_names()) == 246
    assert len(legacy_spec.enums()) == 10
    assert legacy_spec.enums()["vetmed_role"] == ["OWNER", "CAREGIVER", "VETREADONLY"]


@pytest.mark.skipif(not SPEC_MARKDOWN.exists(), reason="shared/spec is not beside this checkout")
def test_spec_json_is_the_markdown_spec() -> None:
    loader = importlib.util.spec_from_file_location(
        "spec_tool", REPO_ROOT / "tools" / "legacy_spec_from_markdown.py"
    )
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    assert module.parse(SPEC_MARKDOWN.read_text(encoding="utf-8")) == legacy_spec.spec()


def _catalog() -> dict[str, dict[str, str]]:
    return {t: {c.name: c.type for c in legacy_spec.columns(t)} for t in legacy_spec.table_names()}


def test_identical_catalog_has_no_differences() -> None:
    assert legacy_spec.compare_catalog(_catalog()) == []


def test_long_type_names_match_the_short_spelling() -> None:
    catalog = _catalog()
    catalog["vetmed_users"]["created_at"] = "timestamp with time zone"
    catalog["vetmed_regimens"]["times_local"] = "time without time zone[]"
    assert legacy_spec.compare_catalog(catalog) == []


def test_drift_is_listed_readably() -> None:
    catalog = _catalog()
    del catalog["vetmed_users"]["bio"]
    catalog["vetmed_users"]["reminder_lead_time_minutes"] = "integer"
    catalog["vetmed_animals"]["tail_length"] = "numeric"
    del catalog["vetmed_audit_log"]
    assert legacy_spec.compare_catalog(catalog) == [
        "vetmed_users.reminder_lead_time_minutes is integer, expected text",
        "vetmed_users.bio is missing (expected text)",
        "vetmed_animals.tail_length is not in the legacy schema (numeric)",
        "table vetmed_audit_log is missing",
    ]


def test_staging_keeps_enum_labels_as_text() -> None:
    types = {c.name: legacy_spec.staging_type(c) for c in legacy_spec.columns("vetmed_medication_catalog")}
    assert types["route"] == "text"
    assert types["species_adjustments"] == "jsonb"
    assert types["dosage_min_mg_kg"] == "numeric(10,4)"


def test_spec_file_is_inside_the_repository() -> None:
    assert Path(legacy_spec.LEGACY_SPEC_JSON).is_relative_to(REPO_ROOT)
