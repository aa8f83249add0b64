"""The migration report: what one `migrate` run did, read from the Dagster instance (its check results,
failures included) and from the databases, as Markdown with tables and three charts (charts.py) in the UI.

Dagster skips every asset downstream of a failed blocking check, so a report inside the migrate run would
vanish exactly when it matters. It is its own job instead, ``migration_report``, run right after every
``migrate`` run: by ``vetmed-pipeline run migrate`` (and so ``make demo``), and by the sensors (sensors.py) when
runs are launched from the UI or a schedule (with the Dagster daemon, which ``dagster dev`` starts). The
run it reports on is named by the run tag ``vetmed/report_for``; without it, the latest migrate run.

Counts, sizes, times and ids only: never a value from a row.
"""

import base64
import statistics
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import Statement, ident
from vetmed_pipeline.core.keys import target_key
from vetmed_pipeline.core.partitions import default_rows
from vetmed_pipeline.core.preflight import SOURCE_SCHEMA
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.state import readiness
from vetmed_pipeline.core.target import STAGING, TARGET, count, drop_staging, drop_staging_after_runs
from vetmed_pipeline.defs.report.queries import Report
from vetmed_pipeline.defs.report.summary import run_check_results

GROUP = "report"
REPORT_KEY = target_key("migration_report")
REPORT_FOR_TAG = "vetmed/report_for"
MIGRATE_JOB = "migrate"
QUERY_RUNS = 15

#: The seed's storage claims: legacy table -> (core table, all tables it was split into, claimed reduction).
SIZE_CLAIMS = {
    "vetmed_users": (
        "vetmed_users",
        ["vetmed_users", "vetmed_user_profiles", "vetmed_user_preferences", "vetmed_emergency_contacts"],
        "~60% smaller rows",
    ),
    "vetmed_animals": (
        "vetmed_animals",
        [
            "vetmed_animals",
            "vetmed_veterinarians",
            "vetmed_animal_veterinarians",
            "vetmed_animal_allergies",
            "vetmed_animal_medical_records",
        ],
        "~40% smaller",
    ),
    "vetmed_medication_catalog": (
        "vetmed_medications",
        [
            "vetmed_medications",
            "vetmed_dosage_guidelines",
            "vetmed_species_adjustments",
            "vetmed_route_adjustments",
            "vetmed_breed_considerations",
            "vetmed_medication_contraindications",
        ],
        "~70% smaller",
    ),
}

#: The seed's example queries (schema-refactoring-guide.md, "Query Performance Examples"): label, the legacy
#: table whose ids are sampled for %(id)s (None: the query has none), before (on the source), after (target).
QUERIES: list[tuple[str, str | None, Statement, Statement]] = [
    ("a user's preferences", "vetmed_users", Report.preferences_before, Report.preferences_after),
    (
        "medications whose dog multiplier is 1.2",
        None,
        Report.dog_multiplier_before,
        Report.dog_multiplier_after,
    ),
    (
        "an animal's active allergies",
        "vetmed_animals",
        Report.active_allergies_before,
        Report.active_allergies_after,
    ),
]


def _one(cur: psycopg.Cursor[Any], query: sql.Composed | sql.SQL, params: Any = None) -> Any:
    cur.execute(query, params)
    row = cur.fetchone()
    return None if row is None else row[0]


def _table_bytes(cur: psycopg.Cursor[Any], schema: str, table: str) -> int:
    """Heap and TOAST bytes of a table, all its partitions included (indexes not counted)."""
    return int(Report.table_bytes.scalar(cur, {"table": f"{schema}.{table}"}) or 0)


def _average_row_bytes(cur: psycopg.Cursor[Any], schema: str, table: str) -> float:
    value = _one(cur, sql.SQL("SELECT avg(pg_column_size(t.*)) FROM {} t").format(ident(schema, table)))
    return float(value or 0)


def _execution_ms(cur: psycopg.Cursor[Any], query: Statement, row_id: Any = None) -> float:
    plan = query.scalar(cur, {"id": row_id})
    return float(plan[0]["Execution Time"])


def _change(before: float, after: float) -> str:
    if not before:
        return "n/a"
    return f"{100 * (after - before) / before:+.0f}%"


def _rows_per_month(cur: psycopg.Cursor[Any]) -> dict[str, tuple[list[tuple[date, int]], int]]:
    """Per month-partitioned table: rows in each month partition, and rows in its DEFAULT partition."""
    tables: dict[str, tuple[list[tuple[date, int]], int]] = {}
    for parent, partition, month in Report.month_partitions.rows(cur):
        in_months, in_default = tables.get(parent, ([], 0))
        rows = count(cur, TARGET, partition)
        if month is None:
            in_default += rows
        else:
            in_months.append((month, rows))
        tables[parent] = (in_months, in_default)
    return tables


def _run_to_report(context: dg.AssetExecutionContext) -> dg.DagsterRun:
    wanted = context.run.tags.get(REPORT_FOR_TAG)
    if wanted:
        run = context.instance.get_run_by_id(wanted)
        if run is None:
            raise dg.Failure(description=f"no run {wanted} in this Dagster instance", allow_retries=False)
        return run
    runs = context.instance.get_runs(filters=dg.RunsFilter(job_name=MIGRATE_JOB), limit=1)
    if not runs:
        raise dg.Failure(
            description="no migrate run to report on: run the migrate job first", allow_retries=False
        )
    return runs[0]


def _check_results(context: dg.AssetExecutionContext, run: dg.DagsterRun) -> tuple[list[Any], list[str], int]:
    evaluations, not_run = run_check_results(context.instance, run.run_id)
    failures = context.instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    return evaluations, not_run, len(failures)


#: The report's pictures: file suffix (``<run_id>-<suffix>.png``) and the alternative text in the Markdown.
CHARTS = {
    "sizes": "Table sizes before and after",
    "months": "Rows per month partition of the time-series tables, DEFAULT marked",
    "quarantine": "Open quarantined values by rule",
}


def build_report(
    context: dg.AssetExecutionContext, source: PostgresResource, target: PostgresResource
) -> tuple[str, dict[str, bytes], dict[str, Any]]:
    """The report as Markdown, its charts as PNG bytes (keyed as CHARTS) and the summary figures."""
    # matplotlib takes about a second to import: the report's run pays for it, not every load of the code
    # location (each run worker, each CLI command).
    from vetmed_pipeline.defs.report.charts import (
        MonthRows,
        Quarantined,
        TableSizes,
        months_figure,
        png,
        quarantine_figure,
        size_text,
        sizes_figure,
    )

    run = _run_to_report(context)
    evaluations, not_run, step_failures = _check_results(context, run)
    tables = legacy_spec.table_names()
    with target.transaction() as cur:
        rows_in = {t: count(cur, STAGING, t) for t in tables}
        rows_out = {}
        for t in tables:
            exists = _one(cur, sql.SQL("SELECT to_regclass({})").format(sql.Literal(f"vetmed_compat.{t}")))
            rows_out[t] = count(cur, "vetmed_compat", t) if exists else None
        quarantine = Report.open_quarantine_by_rule.rows(cur)
        state = readiness(cur)
        outside = [
            (parent, default_rows(cur, parent, default))
            for parent, default in Report.rows_in_default.rows(cur)
        ]
        per_month = _rows_per_month(cur)
        after_sizes = {
            legacy: (
                _table_bytes(cur, TARGET, core),
                sum(_table_bytes(cur, TARGET, t) for t in split),
                _average_row_bytes(cur, TARGET, core),
            )
            for legacy, (core, split, _) in SIZE_CLAIMS.items()
        }
        samples = {
            table: [
                row[0]
                for row in cur.execute(
                    sql.SQL("SELECT id FROM {} ORDER BY md5(id::text) LIMIT {}").format(
                        ident(STAGING, table), sql.Literal(QUERY_RUNS)
                    )
                ).fetchall()
            ]
            for _, table, _, _ in QUERIES
            if table
        }
        after_times = [_time(cur, after, samples[table] if table else None) for _, table, _, after in QUERIES]
    with source.transaction() as src:
        before_sizes = {
            legacy: (_table_bytes(src, SOURCE_SCHEMA, legacy), _average_row_bytes(src, SOURCE_SCHEMA, legacy))
            for legacy in SIZE_CLAIMS
        }
        before_times = [
            _time(src, before, samples[table] if table else None) for _, table, before, _ in QUERIES
        ]

    passed = sum(1 for e in evaluations if e.passed)
    errors = [e for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    warnings = [e for e in evaluations if not e.passed and e.severity != dg.AssetCheckSeverity.ERROR]
    quarantined_per_table: dict[str, int] = {}
    for table, _, _, n in quarantine:
        quarantined_per_table[table] = quarantined_per_table.get(table, 0) + int(n)
    round_trip = {
        e.asset_key.path[-1]: ("pass" if e.passed else "FAIL")
        for e in evaluations
        if e.check_name == "round_trip_equals_snapshot"
    }

    lines = [
        f"# Migration report: run `{run.run_id}` ({run.status.value})",
        "",
        f"{sum(rows_in.values()):,} legacy rows in the snapshot. Checks: {passed} passed, {len(errors)} ERROR "
        f"failures, {len(warnings)} warnings, {len(not_run)} not run; {step_failures} failed steps.",
        "",
        "## Ready to cut over?",
        "",
        "**"
        + (state.describe() if state else "the target has no migration state yet")
        + "**"
        + (" (vetmed.migration_readiness)" if state else ""),
        *(
            f"- {asset} reflects {snapshot} (written by run {run_id})"
            for asset, snapshot, run_id in (state.off_snapshot[:20] if state else [])
        ),
        "",
        "## Rows per legacy table",
        "",
        "| legacy table | rows in | rows out (compat view) | quarantined values (open) | round trip |",
        "|---|---:|---:|---:|---|",
    ]
    for t in tables:
        out = "not built" if rows_out[t] is None else f"{rows_out[t]:,}"
        lines.append(
            f"| {t} | {rows_in[t]:,} | {out} | {quarantined_per_table.get(t, 0):,} | {round_trip.get(t, 'not run')} |"
        )
    lines += ["", "## Quarantined values by rule", "", "| legacy column | rule | values |", "|---|---|---:|"]
    lines += [f"| {t}.{c} | {r} | {int(n):,} |" for t, c, r, n in quarantine] or ["| none | | |"]
    lines += [
        "",
        "## Rows outside the month partitions (DEFAULT)",
        "",
        "| table | rows | share | ids (up to 20) |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {t} | {d.rows:,} | {d.share} | {d.ids or 'none'} |" for t, d in outside] or [
        "| none | | | |"
    ]
    lines += ["", "## Checks that did not pass", "", "| check | result |", "|---|---|"]
    lines += [f"| {e.asset_key.to_user_string()} :: {e.check_name} | FAIL (ERROR) |" for e in errors]
    lines += [f"| {e.asset_key.to_user_string()} :: {e.check_name} | FAIL (WARN) |" for e in warnings]
    lines += [f"| {name} | NOT RUN |" for name in not_run]
    if not (errors or warnings or not_run):
        lines.append("| none | |")
    lines += [
        "",
        "## Size before and after (table data: heap and TOAST, no indexes)",
        "",
        "| legacy table | legacy size | avg legacy row | core table | avg core row | row size change | "
        "all split tables | total change | seed's claim |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    figures: dict[str, Any] = {}
    chart_sizes = []
    for legacy, (core, _, claim) in SIZE_CLAIMS.items():
        before_bytes, before_row = before_sizes[legacy]
        core_bytes, split_bytes, core_row = after_sizes[legacy]
        lines.append(
            f"| {legacy} | {size_text(before_bytes)} | {before_row:,.0f} B | {core} {size_text(core_bytes)} | "
            f"{core_row:,.0f} B | {_change(before_row, core_row)} | {size_text(split_bytes)} | "
            f"{_change(before_bytes, split_bytes)} | {claim} |"
        )
        figures[f"{legacy} row size change"] = _change(before_row, core_row)
        chart_sizes.append(TableSizes(legacy, core, before_bytes, core_bytes, split_bytes))
    lines += [
        "",
        f"## Example queries (server execution time, median of up to {QUERY_RUNS} runs, EXPLAIN ANALYZE)",
        "",
        "| query | before (legacy) | after (target) | change | seed's claim |",
        "|---|---:|---:|---:|---|",
    ]
    for (label, _, _, _), before_ms, after_ms in zip(QUERIES, before_times, after_times, strict=True):
        lines.append(
            f"| {label} | {before_ms:.3f} ms | {after_ms:.3f} ms | {_change(before_ms, after_ms)} | 50-70% faster |"
        )
        figures[f"query: {label}"] = _change(before_ms, after_ms)
    lines += [
        "",
        f"Scale: {rows_in.get('vetmed_users', 0):,} users, {rows_in.get('vetmed_animals', 0):,} animals, "
        f"{rows_in.get('vetmed_medication_catalog', 0):,} catalog rows. At demo scale every query is a "
        "fraction of a millisecond and these times are mostly noise; `benchmarks/` measures at scale.",
        "",
        "## Charts",
        "",
        "Table sizes before and after, rows per month partition of each time-series table (DEFAULT marked) "
        "and open quarantined values by rule; each is also a PNG file beside this report.",
    ]
    charts = {
        "sizes": png(sizes_figure(chart_sizes)),
        "months": png(months_figure([MonthRows(t, m, d) for t, (m, d) in per_month.items()])),
        "quarantine": png(quarantine_figure([Quarantined(t, c, r, int(n)) for t, c, r, n in quarantine])),
    }
    summary = {
        "run_id": run.run_id,
        "run_status": run.status.value,
        "checks_passed": passed,
        "error_failures": len(errors),
        "warnings": len(warnings),
        "not_run": len(not_run),
        "ready": bool(state and state.ready),
        **figures,
    }
    return "\n".join(lines), charts, summary


def _time(cur: psycopg.Cursor[Any], query: Statement, ids: list[Any] | None) -> float:
    """Median server execution time of a query: over QUERY_RUNS runs, or over the sampled ids."""
    if ids is None:
        return statistics.median(_execution_ms(cur, query) for _ in range(QUERY_RUNS))
    if not ids:
        return 0.0
    return statistics.median(_execution_ms(cur, query, value) for value in ids)


@dg.asset(
    key=REPORT_KEY,
    group_name=GROUP,
    # Drawn last in the lineage; the report is built by its own job after every migrate run.
    deps=[target_key("migration_state")],
    description="What the latest migrate run did (or the run named by the vetmed/report_for tag): rows in and "
    "out per legacy table, quarantine by rule, check results including failures, sizes and example query "
    "times before and after.",
)
def migration_report(
    context: dg.AssetExecutionContext, source: PostgresResource, target: PostgresResource
) -> dg.MaterializeResult:
    markdown, charts, summary = build_report(context, source, target)
    folder = Path(context.instance.storage_directory()) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{summary['run_id']}-{name}.png" for name in CHARTS}
    for name, path in paths.items():
        path.write_bytes(charts[name])
    # The images come last, each after a blank line: the CLI prints the text before the first of them.
    linked = "".join(f"\n\n![{CHARTS[name]}]({path.name})" for name, path in paths.items())
    (folder / f"{summary['run_id']}.md").write_text(markdown + linked + "\n", encoding="utf-8")
    embedded = "".join(
        f"\n\n![{CHARTS[name]}](data:image/png;base64,{base64.b64encode(charts[name]).decode()})"
        for name in CHARTS
    )
    context.log.info(f"migration report for run {summary['run_id']} written to {folder}")
    if drop_staging_after_runs() and summary.get("ready"):
        with target.transaction() as cur:
            dropped = drop_staging(cur, legacy_spec.table_names())
        context.log.info(f"{dropped} staging tables dropped (VETMED_DROP_STAGING): the target is ready")
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.md(markdown + embedded + "\n"),
            # `chart` (the sizes) is what the CLI prints; the other pictures lie beside it.
            "chart": dg.MetadataValue.path(str(paths["sizes"])),
            "chart_months": dg.MetadataValue.path(str(paths["months"])),
            "chart_quarantine": dg.MetadataValue.path(str(paths["quarantine"])),
            **summary,
        }
    )
