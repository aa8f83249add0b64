"""Throughput of the time series: load N administrations (default 5,000,000) spread over 31 months into the
monthly-partitioned vetmed_administrations.

    .venv/bin/python benchmarks/timeseries.py [--administrations 5000000] [--scale 2000]

Seeds a legacy source at ``--scale`` users (households, animals, regimens, inventory: what administrations
reference), adds N administrations in SQL (generate_series, recorded_at spread evenly over 2024-01 ..
2026-07), runs the whole migrate job in process and prints the seconds per step. For scale, it also times
two bare set-based loads of the same staged rows on the same server: into a partitioned table with only
its primary key (31 months + DEFAULT), and into a plain table: the issue's reference figures (~6 s and
~5.5 s) are of that kind. Figures are appended to benchmarks/results.jsonl.
"""

import argparse
import os
import platform
import time
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from common import admin_url, bench_databases, postgres_version, record, step_seconds
from psycopg import sql

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.defs.migrate.jobs import all_months_tags
from vetmed_pipeline.seed.loader import seed_legacy

MONTHS = 31

ADD_ADMINISTRATIONS = """
WITH r AS (
    SELECT row_number() OVER (ORDER BY g.id) - 1 AS n, g.id, g.animal_id, a.household_id
    FROM vetmed_regimens g JOIN vetmed_animals a ON a.id = g.animal_id
),
u AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM vetmed_users),
sizes AS (SELECT (SELECT count(*) FROM r) AS regimens, (SELECT count(*) FROM u) AS users)
INSERT INTO vetmed_administrations
    (id, regimen_id, animal_id, household_id, caregiver_id, scheduled_for, recorded_at, status, dose, notes,
     adverse_event, idempotency_key, created_at, updated_at)
SELECT gen_random_uuid(), r.id, r.animal_id, r.household_id, u.id, at - interval '10 minutes', at,
       (ARRAY['ON_TIME', 'LATE', 'VERY_LATE', 'MISSED', 'PRN'])[1 + i %% 5]::vetmed_admin_status,
       '1 tablet', CASE WHEN i %% 7 = 0 THEN 'ate it' END, i %% 50 = 0, 'bench-' || i, at, at
FROM generate_series(1, %(count)s) AS i
CROSS JOIN sizes
CROSS JOIN LATERAL (SELECT timestamptz '2024-01-01 00:00+00'
                    + (i * (%(months)s * 30.4 * 86400 / %(count)s)) * interval '1 second' AS at) t
JOIN r ON r.n = i %% sizes.regimens
JOIN u ON u.n = (i * 7) %% sizes.users
"""


def _bare_loads(target: str) -> dict[str, float]:
    """Set-based INSERT ... SELECT of the staged administrations into bare tables (reference figures)."""
    figures = {}
    with connect(target, "bench target", autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        conn.execute("CREATE SCHEMA bench")
        conn.execute(
            "CREATE TABLE bench.partitioned (LIKE vetmed_staging.vetmed_administrations, PRIMARY KEY (id, recorded_at)) "
            "PARTITION BY RANGE (recorded_at)"
        )
        conn.execute("CREATE TABLE bench.partitioned_default PARTITION OF bench.partitioned DEFAULT")
        for month in range(MONTHS):
            year, index = 2024 + month // 12, month % 12 + 1
            upper_year, upper_index = 2024 + (month + 1) // 12, (month + 1) % 12 + 1
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF bench.partitioned FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier("bench", f"partitioned_{month:02d}"),
                    sql.Literal(f"{year}-{index:02d}-01 00:00+00"),
                    sql.Literal(f"{upper_year}-{upper_index:02d}-01 00:00+00"),
                )
            )
        conn.execute(
            "CREATE TABLE bench.plain (LIKE vetmed_staging.vetmed_administrations, PRIMARY KEY (id))"
        )
        for name in ("partitioned", "plain"):
            started = time.perf_counter()
            conn.execute(
                sql.SQL("INSERT INTO {} SELECT * FROM vetmed_staging.vetmed_administrations").format(
                    sql.Identifier("bench", name)
                )
            )
            figures[f"bare_{name}_insert_seconds"] = round(time.perf_counter() - started, 1)
        conn.execute("DROP SCHEMA bench CASCADE")
    return figures


def run(admin: str, count: int, scale: int) -> dict[str, Any]:
    with bench_databases(admin) as (source, target, version):
        started = time.perf_counter()
        seed_legacy(source, scale=scale, seed=42)
        with connect(source, "bench source", autocommit=True) as conn:
            conn.execute("TRUNCATE vetmed_cosign_requests, vetmed_administrations")
            conn.execute(ADD_ADMINISTRATIONS, {"count": count, "months": MONTHS})
            conn.execute("ANALYZE vetmed_administrations")
        build_seconds = time.perf_counter() - started
        defs = build_defs(
            {"source": PostgresResource(url=source, read_only=True), "target": PostgresResource(url=target)}
        )
        started = time.perf_counter()
        result = defs.resolve_job_def("migrate").execute_in_process(
            instance=dg.DagsterInstance.ephemeral(), tags=all_months_tags(), raise_on_error=False
        )
        total = time.perf_counter() - started
        steps = step_seconds(result)
        failed = [
            f"{e.asset_key.to_user_string()}:{e.check_name}"
            for e in result.get_asset_check_evaluations()
            if not e.passed
        ]
        with connect(target, "bench target") as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT tableoid) FROM vetmed.vetmed_administrations"
            ).fetchone()
        loaded, partitions_used = row if row else (0, 0)
        return {
            "benchmark": "timeseries",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "postgres": postgres_version(version),
            "administrations": count,
            "administrations_loaded": loaded,
            "partitions_used": partitions_used,
            "scale_users": scale,
            "source_build_seconds": round(build_seconds, 1),
            "migrate_seconds": round(total, 1),
            "run_succeeded": result.success,
            "extract_seconds": steps.get("extract_legacy_snapshot"),
            "administrations_load_seconds": steps.get("vetmed__vetmed_administrations"),
            "failed_checks": failed,
            **_bare_loads(target),
            "steps_seconds": steps,
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--administrations", type=int, default=5_000_000)
    parser.add_argument("--scale", type=int, default=2000)
    args = parser.parse_args()
    with admin_url() as url:
        figures = run(url, args.administrations, args.scale)
    record(figures)


if __name__ == "__main__":
    main()
