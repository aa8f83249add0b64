"""Throughput of the migration: seed a legacy database at a scale, run `migrate` in process, time each step.

    .venv/bin/python benchmarks/migration.py --scale 100000
    VETMED_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/migration.py

Then builds the migration report of that run (sizes and the seed's example queries before and after, at
this scale). Prints the figures and appends them, with the machine and server they were measured on, to
benchmarks/results.jsonl. Uses fresh databases (bench_<random>_*) that it drops afterwards; the embedded
server (under dagster_home/bench-pgdata) unless VETMED_BENCH_DATABASE_URL names another.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from common import admin_url, bench_databases, postgres_version, record, step_seconds

from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.defs.report.assets import REPORT_FOR_TAG
from vetmed_pipeline.seed.loader import seed_legacy


def run(admin: str, scale: int, seed: int) -> dict[str, Any]:
    with bench_databases(admin) as (source, target, version):
        seeded = seed_legacy(source, scale, seed)
        resources = {
            "source": PostgresResource(url=source, read_only=True),
            "target": PostgresResource(url=target),
        }
        defs = build_defs(resources)
        instance = dg.DagsterInstance.ephemeral()
        started = time.perf_counter()
        result = defs.resolve_job_def("migrate").execute_in_process(instance=instance)
        migrate_seconds = time.perf_counter() - started
        legacy_rows = sum(seeded.rows.values())
        # The migration report at this scale: the seed's size and query-time claims, measured.
        report = defs.resolve_job_def("migration_report").execute_in_process(
            instance=instance, tags={REPORT_FOR_TAG: result.run_id}
        )
        report_figures = {
            key: value.value
            for event in report.get_asset_materialization_events()
            for key, value in event.event_specific_data.materialization.metadata.items()  # type: ignore[union-attr]
            if key.startswith("query:") or key.endswith("row size change")
        }
        return {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "postgres": postgres_version(version),
            "scale_users": scale,
            "legacy_rows": legacy_rows,
            "seed_seconds": round(seeded.seconds, 2),
            "seed_rows_per_second": round(legacy_rows / seeded.seconds),
            "migrate_seconds": round(migrate_seconds, 2),
            "migrate_success": result.success,
            "report": report_figures,
            "steps_seconds": step_seconds(result, digits=3),
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=100_000, help="legacy users (default 100000)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with admin_url() as url:
        figures = run(url, args.scale, args.seed)
    record(figures)


if __name__ == "__main__":
    main()
