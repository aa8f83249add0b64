"""The migration report: built from a migrate run's own results (failures included), with sizes and query
times before and after, and no personal data."""

import struct
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import Migration
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.defs.report.assets import REPORT_FOR_TAG, REPORT_KEY
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration


def _report(defs: dg.Definitions, instance: dg.DagsterInstance, run_id: str) -> dict[str, object]:
    result = defs.resolve_job_def("migration_report").execute_in_process(
        instance=instance, tags={REPORT_FOR_TAG: run_id}
    )
    assert result.success
    [materialization] = [
        e.event_specific_data.materialization  # type: ignore[union-attr]
        for e in result.get_asset_materialization_events()
        if e.asset_key == REPORT_KEY
    ]
    return {key: value.value for key, value in materialization.metadata.items()}


def test_the_report_covers_a_run_with_failed_checks(new_database: Callable[[str], str]) -> None:
    migration = Migration(new_database("report_src"), new_database("report_tgt"))
    seed_legacy(migration.source_url, scale=60, seed=61)
    defs = build_defs(
        {
            "source": PostgresResource(url=migration.source_url, read_only=True),
            "target": PostgresResource(url=migration.target_url),
        }
    )
    with dg.DagsterInstance.ephemeral() as instance:
        first = defs.resolve_job_def("migrate").execute_in_process(instance=instance)
        assert first.success
        report = _report(defs, instance, first.run_id)
        text = str(report["report"])
        assert f"run `{first.run_id}`" in text
        assert "| vetmed_users | 60 | 60 |" in text
        assert "| vetmed_medication_catalog |" in text and "| pass |" in text
        assert "reminder_minutes_not_integer" in text
        assert "## Size before and after" in text and "## Example queries" in text
        assert text.count("](data:image/png;base64,") == 3
        # The three pictures lie beside the report's Markdown, which links them; the CLI prints `chart`.
        paths = [Path(str(report[key])) for key in ("chart", "chart_months", "chart_quarantine")]
        assert [p.name for p in paths] == [
            f"{first.run_id}-{n}.png" for n in ("sizes", "months", "quarantine")
        ]
        for path in paths:
            data = path.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", data[16:20])[0] >= 640
        markdown = (paths[0].parent / f"{first.run_id}.md").read_text(encoding="utf-8")
        assert all(f"]({path.name})" in markdown for path in paths) and "base64" not in markdown
        assert report["error_failures"] == 0 and report["not_run"] == 0
        assert "@" not in text  # no email address (nor any other row value)

        # Runs launched from the UI or a schedule get their report from the run-status sensors.
        from vetmed_pipeline.defs.report.sensors import report_after_migrate

        run = instance.get_run_by_id(first.run_id)
        assert run is not None
        context = dg.build_run_status_sensor_context(
            sensor_name="report_after_migrate",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=first.get_run_success_event(),
        )
        request = report_after_migrate(context)
        assert isinstance(request, dg.RunRequest)
        assert request.tags[REPORT_FOR_TAG] == first.run_id

        # Checks that fail are in the report of the run that evaluated them.
        with migration.target() as conn:
            conn.execute("SET session_replication_role = replica")  # behind the pipeline's back
            conn.execute("DELETE FROM vetmed.vetmed_households WHERE id IN "
                         "(SELECT id FROM vetmed.vetmed_households ORDER BY id LIMIT 1)")  # fmt: skip
        checks_only = defs.resolve_implicit_global_asset_job_def().get_subset(
            asset_check_selection=set(
                defs.resolve_job_def("migrate").asset_layer.asset_graph.asset_check_keys
            ),
            asset_selection=set(),
        )
        second = checks_only.execute_in_process(instance=instance, raise_on_error=False)
        failing = _report(defs, instance, second.run_id)
        assert failing["error_failures"] >= 1
        assert "vetmed/vetmed_households :: rows_reconcile_with_source | FAIL (ERROR)" in str(
            failing["report"]
        )
