"""One run at a time per target, and no run left STARTED when its process is gone.

Dagster's run queue serializes the runs it launches (a tag limit per target in dagster_home/dagster.yaml:
runs from the UI, schedules and sensors wait there, QUEUED). Runs that bypass the queue (the CLI,
``dagster job execute``) meet the guard in the target itself: the target resource holds a PostgreSQL
advisory lock for the whole run, on a connection of its own. A run of some months of the time series
holds it shared, with an exclusive lock per month, so runs of different months go on together; any other
run holds it exclusively. A waiting run says so in its log every few seconds and names the run it waits
for. A run whose process dies releases the lock with its connection.

Runs record the process running them (run tags ``vetmed/host`` and ``vetmed/pid``);
:func:`fail_abandoned_runs` marks a run of this machine still STARTED whose process is gone as failed.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import dagster as dg
import psycopg

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.environment import target_identity
from vetmed_pipeline.core.partitions import MONTHLY

TARGET_TAG = "vetmed/target"
HOST_TAG = "vetmed/host"
PID_TAG = "vetmed/pid"
#: Run tag of the migrate job: the run owns every month and the rows outside them (DEFAULT).
SCOPE_TAG = "vetmed/scope"
SCOPE_ALL = "all"
#: The first key of every advisory lock of this pipeline; the second is 0 for the target, or a month.
LOCK_CLASS = 740_021
WAIT_LOG_SECONDS = 10
_POLL_SECONDS = 0.5
_UNFINISHED = (
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


def target_tags() -> dict[str, str]:
    """The tag that puts a job's runs in the target's line of Dagster's run queue (dagster.yaml)."""
    return {TARGET_TAG: target_identity()}


def process_tags() -> dict[str, str]:
    """The tags that name the process running a run."""
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def _month_index(key: str) -> int:
    month = date.fromisoformat(key[:10])
    return month.year * 12 + month.month - 1


def run_months(tags: Mapping[str, str]) -> list[int] | None:
    """The months (as year * 12 + month - 1) a run is limited to, from its partition tags; None for a run
    of the whole migration, which also owns the rows outside the window (DEFAULT): a run tagged
    vetmed/scope=all (the schedule's), a run without a partition, and a run of the range of every month
    (the migrate job, and the UI's backfill of all partitions in one run)."""
    if tags.get(SCOPE_TAG) == SCOPE_ALL:
        return None
    if "dagster/partition" in tags:
        month = _month_index(tags["dagster/partition"])
        return [month]
    start, end = (
        tags.get("dagster/asset_partition_range_start"),
        tags.get("dagster/asset_partition_range_end"),
    )
    if not (start and end):
        return None
    first, last = MONTHLY.get_first_partition_key(), MONTHLY.get_last_partition_key()
    if first and last and start <= first and end >= last:
        return None
    return list(range(_month_index(start), _month_index(end) + 1))


@dataclass
class TargetHold:
    """A run's hold on its target: the connection whose session owns the advisory locks."""

    conn: psycopg.Connection[Any]

    def release(self) -> None:
        self.conn.close()  # the session's advisory locks go with it


def _holder(conn: psycopg.Connection[Any], key: int) -> str:
    """Who holds one of our locks: the application name of its session (it carries the run id)."""
    row = conn.execute(
        "SELECT string_agg(DISTINCT a.application_name, ', ') FROM pg_catalog.pg_locks l "
        "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.classid = %s AND l.objid = %s AND l.granted "
        "AND l.pid <> pg_backend_pid() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (LOCK_CLASS, key),
    ).fetchone()
    return (row[0] if row else None) or "another session"


def _take(conn: psycopg.Connection[Any], key: int, shared: bool, what: str, log: Any) -> None:
    """Take one advisory lock, waiting as long as it takes and saying so."""
    function = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
    waited_since = time.monotonic()
    said = 0.0
    while True:
        row = conn.execute(f"SELECT {function}(%s, %s)", (LOCK_CLASS, key)).fetchone()
        if row and row[0]:
            if said:
                log.info(f"{what}: free after {time.monotonic() - waited_since:.0f}s; this run goes on")
            return
        if time.monotonic() - said >= WAIT_LOG_SECONDS:
            log.info(
                f"{what} is held by {_holder(conn, key)}: this run waits until it ends "
                f"(one run at a time per target; {time.monotonic() - waited_since:.0f}s so far)"
            )
            said = time.monotonic()
        time.sleep(_POLL_SECONDS)


def hold_target(url: str, setting: str, run: dg.DagsterRun, instance: Any, log: Any) -> TargetHold:
    """Hold the target for a run (exclusively, or shared plus its months); records the run's process."""
    conn = connect(url, setting, autocommit=True)
    conn.execute("SELECT set_config('application_name', %s, false)", (f"vetmed_pipeline run {run.run_id}",))
    months = run_months(run.tags)
    try:
        _take(conn, 0, months is not None, "the target", log)
        for month in sorted(months or []):
            _take(conn, month, False, f"month {month // 12:04d}-{month % 12 + 1:02d} of the target", log)
    except BaseException:
        conn.close()
        raise
    if instance is not None and instance.get_run_by_id(run.run_id) is not None:
        instance.add_run_tags(run.run_id, process_tags())
    return TargetHold(conn)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark as failed every run of this machine still STARTING, STARTED or CANCELING whose process is gone
    (killed, or its machine restarted); returns their ids."""
    host = socket.gethostname()
    failed = []
    for record in instance.get_run_records(dg.RunsFilter(statuses=list(_UNFINISHED), tags={HOST_TAG: host})):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and not _alive(int(pid)):
            instance.report_run_failed(
                run, message=f"the process running this run (pid {pid} on {host}) is gone: killed or crashed"
            )
            failed.append(run.run_id)
    return failed
