"""Time series: monthly partitions lined up with Dagster partitions, one-month rewrites, maintenance out of
DEFAULT, notification statuses, and checks that fail when the target is wrong."""

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import dagster as dg
import psycopg
import pytest

from tests.conftest import TEST_SCALE, Migration
from tests.integration.test_checks_fail import _corrupt, _run_checks
from tests.support.legacy_writes import delete_user
from vetmed_pipeline.core.keys import staging_key
from vetmed_pipeline.core.partitions import months, months_ahead_end
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.defs.extract.assets import LEGACY_TABLES
from vetmed_pipeline.defs.timeseries.rules import IN_APP, QUEUE, STATUSES, notification_status
from vetmed_pipeline.defs.timeseries.series import ADMINISTRATIONS
from vetmed_pipeline.seed.generator import SERIES_START, generate
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration


def _defs(migration: Migration) -> dg.Definitions:
    return build_defs(
        {
            "source": PostgresResource(url=migration.source_url, read_only=True),
            "target": PostgresResource(url=migration.target_url),
        }
    )


def _materialize(
    migration: Migration, selection: dg.AssetSelection, partition_key: str | None = None
) -> dg.ExecuteInProcessResult:
    job = (
        _defs(migration)
        .resolve_implicit_global_asset_job_def()
        .get_subset(
            asset_selection=selection.resolve(_defs(migration).resolve_asset_graph()),
            asset_check_selection=set(),
        )
    )
    return job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key=partition_key, raise_on_error=False
    )


def _extract(migration: Migration) -> None:
    """A fresh snapshot in staging, nothing else (no departures step, no loads)."""
    result = _materialize(migration, dg.AssetSelection.assets(*(staging_key(t) for t in LEGACY_TABLES)))
    assert result.success


@pytest.fixture
def series(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("series", scale=60, seed=41)


def _one(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0] if len(row) == 1 else row


# --- on the module's migrated demo data ------------------------------------------------------------------


def test_every_month_of_the_history_through_the_months_ahead_exists(migration: Migration) -> None:
    """The seed's history starts in 2023-07, before the default start month; its 1999 and 2031 rows are
    isolated outliers."""
    first = SERIES_START.date()
    expected = {
        f"vetmed_administrations_y{m.year:04d}m{m.month:02d}" for m in months(first, months_ahead_end())
    }
    with migration.target() as conn:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'vetmed.vetmed_administrations'::regclass"
            )
        }
    assert names == expected | {"vetmed_administrations_default"}


@pytest.mark.parametrize(
    ("trap", "partition"),
    [
        ("at_utc_month_start", "y2025m03"),
        ("one_second_before_month", "y2025m02"),
        ("month_differs_in_new_york", "y2025m03"),  # Feb 28 in New York, March in UTC
        ("in_1999", "default"),
        ("in_2031", "default"),
    ],
)
def test_boundary_timestamps_land_in_their_utc_month(migration: Migration, trap: str, partition: str) -> None:
    traps = generate(TEST_SCALE, 7).traps
    checks = [
        ("vetmed_administrations", "administrations", "id::text = ANY(%s)"),
        ("vetmed_audit_log", "audit_log", "id::text = ANY(%s)"),
        (
            "vetmed_notifications",
            "notifications",
            "legacy_table = 'vetmed_notifications' AND id::text = ANY(%s)",
        ),
        (
            "vetmed_notifications",
            "notification_queue",
            "legacy_table = 'vetmed_notification_queue' AND id::text = ANY(%s)",
        ),
    ]
    with migration.target() as conn:
        for table, series_name, where in checks:
            ids = traps[f"{series_name}_{trap}"]
            found = conn.execute(
                f"SELECT tableoid::regclass::text FROM vetmed.{table} WHERE {where}",  # noqa: S608
                (ids,),
            ).fetchall()
            assert sorted(row[0] for row in found) == [f"vetmed.{table}_{partition}"] * len(ids), series_name


def test_notification_statuses_follow_the_documented_rule(migration: Migration) -> None:
    with migration.target() as conn:
        as_of = _one(conn, "SELECT snapshot_at FROM vetmed_staging.snapshot")
        stored = {
            (table, str(id_)): status
            for table, id_, status in conn.execute(
                "SELECT legacy_table, id, status::text FROM vetmed.vetmed_notifications"
            )
        }
        expected = {}
        for row in conn.execute(
            "SELECT id, created_at, read, read_at, dismissed, dismissed_at FROM vetmed_staging.vetmed_notifications"
        ):
            id_, created, read, read_at, dismissed, dismissed_at = row
            expected[(IN_APP, str(id_))] = notification_status(
                IN_APP, created_at=created, as_of=as_of, read=read, read_at=read_at,
                dismissed=dismissed, dismissed_at=dismissed_at,
            )  # fmt: skip
        for row in conn.execute(
            "SELECT id, created_at, sent_at, failed_at, read_at, dismissed_at "
            "FROM vetmed_staging.vetmed_notification_queue"
        ):
            id_, created, sent, failed, read_at, dismissed_at = row
            expected[(QUEUE, str(id_))] = notification_status(
                QUEUE, created_at=created, as_of=as_of, sent_at=sent, failed_at=failed,
                read_at=read_at, dismissed_at=dismissed_at,
            )  # fmt: skip
    assert stored == expected
    assert set(expected.values()) == set(STATUSES)  # the seed plants every state


def test_sql_status_rule_equals_the_python_rule(migration: Migration) -> None:
    as_of = datetime(2026, 1, 1, tzinfo=UTC)
    created_times = [as_of - timedelta(days=1), as_of + timedelta(seconds=1)]
    moments = [None, as_of - timedelta(hours=2), as_of - timedelta(hours=1), as_of + timedelta(hours=1)]
    flags = [None, False, True]
    with migration.target() as conn:
        cases = 0
        for table, created, sent, failed, read, read_at, dismissed, dismissed_at in itertools.product(
            (IN_APP, QUEUE), created_times, moments, moments, flags, moments[:2], flags, moments[:2]
        ):
            in_sql = _one(
                conn,
                "SELECT vetmed.notification_status(%s, %s, %s, %s, %s, %s, %s, %s, %s)::text",
                (table, created, sent, failed, read, read_at, dismissed, dismissed_at, as_of),
            )
            in_python = notification_status(
                table, created_at=created, as_of=as_of, sent_at=sent, failed_at=failed, read=read,
                read_at=read_at, dismissed=dismissed, dismissed_at=dismissed_at,
            )  # fmt: skip
            assert in_sql == in_python, (table, created, sent, failed, read, read_at, dismissed, dismissed_at)
            cases += 1
    assert cases == 2 * 2 * 4 * 4 * 3 * 2 * 3 * 2


def test_rows_outside_the_window_are_kept_and_reported_as_a_warning(migration: Migration) -> None:
    results = _run_checks(migration)
    for table, rows, years in (
        ("vetmed_administrations", 5, "1999, 2031, infinity"),  # the seed's hostile infinity too
        ("vetmed_audit_log", 5, "-infinity, 1999, 2031"),
        ("vetmed_notifications", 10, "1999, 2031"),
    ):
        evaluation = results[f"{table}:default_partition_empty"]
        assert not evaluation.passed
        assert evaluation.severity == dg.AssetCheckSeverity.WARN
        assert evaluation.metadata["rows_in_default"].value == rows
        assert evaluation.metadata["years"].value == years
        assert len(evaluation.metadata["ids"].value.split(", ")) == rows
    failing = {
        name for name, e in results.items() if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    }
    assert failing == set()


# --- on a target of their own ------------------------------------------------------------------------------


def test_one_month_rewrites_that_month_only_without_touching_cosign_requests(series: Migration) -> None:
    with series.target() as conn:
        march = conn.execute(
            "SELECT a.id FROM vetmed.vetmed_administrations_y2025m03 a ORDER BY a.id LIMIT 2"
        ).fetchall()
        april = _one(conn, "SELECT id FROM vetmed.vetmed_administrations_y2025m04 ORDER BY id LIMIT 1")
        cosign_before = conn.execute("SELECT * FROM vetmed.vetmed_cosign_requests ORDER BY id").fetchall()
    changed, gone = march[0][0], march[1][0]
    with series.source() as conn:
        conn.execute(
            "UPDATE vetmed_administrations SET notes = 'rewritten' WHERE id = ANY(%s)", ([changed, april],)
        )
        conn.execute("DELETE FROM vetmed_cosign_requests WHERE administration_id = %s", (gone,))
        conn.execute("DELETE FROM vetmed_administrations WHERE id = %s", (gone,))
    _extract(series)
    result = _materialize(series, dg.AssetSelection.assets(ADMINISTRATIONS.asset_key), "2025-03-01")
    assert result.success
    [materialization] = result.asset_materializations_for_node("vetmed__vetmed_administrations")
    assert materialization.metadata["window"].value == "2025-03-01"
    assert materialization.metadata["deleted"].value == 1
    with series.target() as conn:
        notes = dict(conn.execute("SELECT id, notes FROM vetmed.vetmed_administrations WHERE id = ANY(%s)", ([changed, april],)).fetchall())  # fmt: skip
        assert notes[changed] == "rewritten"
        assert notes[april] != "rewritten"  # April was not materialized
        assert _one(conn, "SELECT count(*) FROM vetmed.vetmed_administrations WHERE id = %s", (gone,)) == 0
        cosign_after = conn.execute("SELECT * FROM vetmed.vetmed_cosign_requests ORDER BY id").fetchall()
    # The cosign requests (their rows, not only their count) are untouched by the rewrite; the one of the
    # administration that left the source is the only one gone, as it is gone from the source.
    assert [row for row in cosign_before if row[1] != gone] == cosign_after


def test_a_row_moved_to_another_month_takes_its_cosign_request_along(series: Migration) -> None:
    with series.target() as conn:
        admin_id, request_id = _one(
            conn,
            "SELECT a.id, c.id FROM vetmed.vetmed_administrations a JOIN vetmed.vetmed_cosign_requests c "
            "ON c.administration_id = a.id AND c.administration_recorded_at = a.recorded_at "
            "WHERE a.recorded_at >= '2024-01-01' AND a.recorded_at < '2026-07-01' ORDER BY a.id LIMIT 1",
        )
    new_time = datetime(2025, 5, 17, 6, 0, tzinfo=UTC)
    with series.source() as conn:
        conn.execute("UPDATE vetmed_administrations SET recorded_at = %s WHERE id = %s", (new_time, admin_id))
    _extract(series)
    result = _materialize(series, dg.AssetSelection.assets(ADMINISTRATIONS.asset_key), "2025-05-01")
    assert result.success
    with series.target() as conn:
        assert conn.execute(
            "SELECT tableoid::regclass::text, recorded_at FROM vetmed.vetmed_administrations WHERE id = %s",
            (admin_id,),
        ).fetchall() == [("vetmed.vetmed_administrations_y2025m05", new_time)]
        assert (
            _one(
                conn,
                "SELECT administration_recorded_at FROM vetmed.vetmed_cosign_requests WHERE id = %s",
                (request_id,),
            )
            == new_time
        )


def test_maintenance_moves_default_rows_into_new_months_in_one_transaction(series: Migration) -> None:
    def state(conn: psycopg.Connection[Any]) -> tuple[Any, ...]:
        return tuple(  # rows as text: Python has no infinite timestamps
            conn.execute(f"SELECT t::text FROM vetmed.{table} t ORDER BY {order}").fetchall()  # noqa: S608
            for table, order in (
                ("vetmed_administrations", "id"),
                ("vetmed_cosign_requests", "id"),
                ("vetmed_audit_log", "id"),
                ("vetmed_notifications", "legacy_table, id"),
            )
        )

    with series.target() as conn:
        before = state(conn)
        in_2031 = _one(
            conn,
            "SELECT count(*) FROM vetmed.vetmed_administrations_default WHERE recorded_at BETWEEN '2031-01-01' AND '2032-01-01'",
        )
        cosigned_2031 = _one(
            conn,
            "SELECT count(*) FROM vetmed.vetmed_cosign_requests WHERE administration_recorded_at BETWEEN '2031-01-01' AND '2032-01-01'",
        )
    assert in_2031 == 2 and cosigned_2031 == 2  # the seed plants them, each with a cosign request

    job = _defs(series).resolve_job_def("partition_maintenance")
    config = {"ops": {"create_coming_months": {"config": {"through": "2031-02"}}}}
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), run_config=config)
    assert result.success
    with series.target() as conn:
        after = state(conn)
        assert _one(conn, "SELECT count(*) FROM vetmed.vetmed_administrations_y2031m02") == 2
        assert _one(conn, "SELECT count(*) FROM vetmed.vetmed_audit_log_y2031m02") == 2
        assert _one(conn, "SELECT count(*) FROM vetmed.vetmed_administrations_default") == 3  # 1999, infinity
        assert (
            _one(
                conn,
                "SELECT count(*) FROM vetmed.vetmed_notifications_default WHERE created_at >= '2031-01-01'",
            )
            == 2
        )  # May 2031
    assert after == before  # nothing lost, nothing duplicated, cosign requests identical

    again = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), run_config=config)
    [output] = [e for e in again.all_node_events if e.is_successful_output]
    assert output.step_output_data.metadata["partitions_created"].value == 0
    # The migration still reconciles after maintenance, and a re-run loads into the new months.
    assert series.run().success


def test_corrupted_time_series_fail_their_checks(series: Migration) -> None:
    _corrupt(series, "DELETE FROM vetmed.vetmed_administrations WHERE id = (SELECT id FROM vetmed.vetmed_administrations_y2025m02 ORDER BY id LIMIT 1)")  # fmt: skip
    _corrupt(
        series,
        "INSERT INTO vetmed.vetmed_audit_log SELECT gen_random_uuid(), user_id, user_role, household_id, action, "
        "resource_type, resource_id, old_values, new_values, details, ip_address, user_agent, session_id, "
        "'2025-07-15' FROM vetmed.vetmed_audit_log_y2025m03 LIMIT 1",
    )
    _corrupt(
        series,
        "INSERT INTO vetmed.vetmed_administrations SELECT gen_random_uuid(), regimen_id, animal_id, household_id, "
        "caregiver_id, caregiver_role, scheduled_for, '2025-09-09', status, source_item_id, site, dose, notes, "
        "media_urls, co_sign_user_id, co_sign_user_role, co_signed_at, co_sign_notes, adverse_event, "
        "adverse_event_description, idempotency_key, created_at, updated_at "
        "FROM vetmed.vetmed_administrations_y2025m03 LIMIT 1",
    )
    _corrupt(series, "UPDATE vetmed.vetmed_notifications SET status = 'sent' WHERE id = (SELECT id FROM vetmed.vetmed_notifications WHERE status = 'delivered' ORDER BY id LIMIT 1)")  # fmt: skip
    _corrupt(series, "DROP TABLE vetmed.vetmed_notifications_y2027m01")
    _corrupt(series, "UPDATE vetmed.vetmed_cosign_requests SET cosigner_id = requester_id, cosigner_role = requester_role WHERE id = (SELECT id FROM vetmed.vetmed_cosign_requests WHERE cosigner_id <> requester_id ORDER BY id LIMIT 1)")  # fmt: skip
    results = _run_checks(series)
    failing = {
        name for name, e in results.items() if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    }
    assert failing == {
        "vetmed_administrations:rows_reconcile_by_month",  # one lost in Feb, one extra in Sep
        "vetmed_administrations:administration_relationships_present",  # the lost one
        "vetmed_administrations:idempotency_keys_unique_across_partitions",  # a key in March and September
        "vetmed_audit_log:rows_reconcile_by_month",  # an extra row in July
        "vetmed_notifications:status_counts_match_snapshot",
        "vetmed_notifications:month_partitions_contiguous",  # January 2027 missing
        "vetmed_cosign_requests:cosign_relationships_present",
        # and the compat views' round trips see the same damage
        "vetmed_administrations:round_trip_equals_snapshot",
        "vetmed_administrations:ids_checksum_matches_snapshot",
        "vetmed_audit_log:round_trip_equals_snapshot",
        "vetmed_audit_log:ids_checksum_matches_snapshot",
        "vetmed_cosign_requests:round_trip_equals_snapshot",
    }
    months_table = results["vetmed_administrations:rows_reconcile_by_month"].metadata
    assert months_table["months_differing"].value == 2
    assert "| 2025-02 |" in months_table["differing_months"].value
    assert (
        results["vetmed_administrations:idempotency_keys_unique_across_partitions"]
        .metadata["duplicate_idempotency_keys"]
        .value
        == 1
    )
    assert (
        results["vetmed_notifications:month_partitions_contiguous"].metadata["missing_months"].value
        == "2027-01"
    )


def test_queue_rows_block_their_user_deletion_while_in_app_rows_cascade(series: Migration) -> None:
    with series.target() as conn:
        user_id = _one(
            conn,
            "SELECT user_id FROM vetmed.vetmed_notifications WHERE legacy_table = 'vetmed_notification_queue' "
            "AND user_id IN (SELECT user_id FROM vetmed.vetmed_notifications WHERE legacy_table = 'vetmed_notifications') "
            "ORDER BY user_id LIMIT 1",
        )
        blockers = [
            "DELETE FROM vetmed.vetmed_administrations WHERE caregiver_id = %(u)s OR co_sign_user_id = %(u)s",
            "DELETE FROM vetmed.vetmed_audit_log WHERE user_id = %(u)s",
        ]
        with (
            pytest.raises(psycopg.errors.ForeignKeyViolation, match="vetmed_notification_queue"),
            conn.transaction(),
        ):
            for statement in blockers:
                conn.execute(statement, {"u": user_id})
            conn.execute("DELETE FROM vetmed.vetmed_users WHERE id = %s", (user_id,))
        with conn.transaction():
            for statement in blockers:
                conn.execute(statement, {"u": user_id})
            conn.execute(
                "DELETE FROM vetmed.vetmed_notifications WHERE legacy_table = 'vetmed_notification_queue' "
                "AND user_id = %s",
                (user_id,),
            )
            conn.execute("DELETE FROM vetmed.vetmed_users WHERE id = %s", (user_id,))
        assert (
            _one(conn, "SELECT count(*) FROM vetmed.vetmed_notifications WHERE user_id = %s", (user_id,)) == 0
        )


def test_departed_rows_leave_before_their_parents(series: Migration) -> None:
    """A user deleted in the source the legacy way (its blocking rows first) leaves the target in one run."""
    with series.source() as conn:
        user_id = _one(
            conn,
            "SELECT user_id FROM vetmed_notification_queue WHERE user_id IN (SELECT caregiver_id FROM "
            "vetmed_administrations) ORDER BY user_id LIMIT 1",
        )
        delete_user(conn, user_id)
    result = series.run()
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    with series.target() as conn:
        assert _one(conn, "SELECT count(*) FROM vetmed.vetmed_users WHERE id = %s", (user_id,)) == 0
        assert (
            _one(conn, "SELECT count(*) FROM vetmed.vetmed_notifications WHERE user_id = %s", (user_id,)) == 0
        )
    evaluations = result.get_asset_check_evaluations()
    assert [
        e.check_name for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ] == []


def test_the_administrations_asset_without_a_partition_is_a_whole_run(series: Migration) -> None:
    """No partition (a plain `dg launch --job migrate`): every month and DEFAULT, like the migrate job."""
    result = _materialize(series, dg.AssetSelection.assets(ADMINISTRATIONS.asset_key))
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    [materialization] = result.asset_materializations_for_node(
        ADMINISTRATIONS.asset_key.to_python_identifier()
    )
    assert materialization.metadata["window"].value == "all months and DEFAULT"
    with series.target() as conn:
        assert materialization.metadata["dagster/row_count"].value == _one(
            conn, "SELECT count(*) FROM vetmed.vetmed_administrations"
        )


@pytest.mark.slow  # two whole migrations of its own on the bulk path
def test_empty_months_load_in_bulk_with_the_same_result(
    new_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk path (a new table swapped in with ATTACH PARTITION) gives the same rows, keys and checks as
    the row-by-row upsert, and a re-run over filled months goes back to the upsert."""
    from vetmed_pipeline.core import partitions

    monkeypatch.setattr(partitions, "BULK_MIN_ROWS", 1)
    migration = Migration(new_database("bulk_src"), new_database("bulk_tgt"))
    seed_legacy(migration.source_url, scale=60, seed=41)
    result = migration.run()
    assert result.success
    bulk = {
        e.asset_key.path[-1]: e.metadata["months_loaded_in_bulk"].value
        for e in (m.materialization for m in result.get_asset_materialization_events())
        if "months_loaded_in_bulk" in e.metadata
    }
    assert bulk["vetmed_administrations"] > 20 and bulk["vetmed_audit_log"] > 20
    failing = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    assert sorted(failing) == ["default_partition_empty"] * 3 + ["emails_unique_ignoring_case_and_spaces"]
    with migration.target() as conn:
        constraints = _one(
            conn,
            "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'vetmed_administrations_y%%_idempotency_key_key'",
        )
        assert constraints == len(list(months(SERIES_START.date(), months_ahead_end())))
        foreign_keys = _one(
            conn,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'vetmed.vetmed_administrations_y2025m03'::regclass",
        )
        assert foreign_keys == 6  # regimen, animal, household, caregiver, co-signer, inventory item
        referenced = _one(
            conn,
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'vetmed.vetmed_cosign_requests'::regclass "
            "AND confrelid = 'vetmed.vetmed_administrations_y2025m03'::regclass",
        )
        assert referenced == 1  # cosign requests' composite key reaches the swapped-in partition
    again = migration.run()
    assert again.success
    assert all(
        e.materialization.metadata["months_loaded_in_bulk"].value == 0
        for e in again.get_asset_materialization_events()
        if "months_loaded_in_bulk" in e.materialization.metadata
    )
