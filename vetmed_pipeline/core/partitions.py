"""Monthly RANGE partitions of the time-series tables, and the Dagster partitions that line up with them.

One PostgreSQL partition per UTC calendar month, contiguous over the months that hold the snapshot's rows
(:func:`month_window`: from the first to the last month with rows, isolated outliers excepted, and the
current month) through ``VETMED_PARTITION_MONTHS_AHEAD`` (default 3) months ahead, plus the DEFAULT
partition (created with the table) for rows outside that window. ``VETMED_PARTITION_START`` (YYYY-MM)
overrides the first month. Months are only ever added.

The Dagster MonthlyPartitionsDefinition has the same months, in UTC: it is read, when the code location
loads, from the month partitions the target already has (else the override, else 2024-01), through the
current month plus the months ahead; so Dagster partition 2025-03-01 is PostgreSQL partition
``<table>_y2025m03``. Months a run adds appear in Dagster when the code location next loads (the CLI:
every command; the UI: on reload).

Creating a month while DEFAULT holds rows of it is refused by PostgreSQL; ``ensure_months`` moves those
rows (and the rows referencing them, which the delete would cascade into) out, creates the month and
puts them all back, inside the caller's transaction.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core.db import ident, libpq_url
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.target import TARGET

START_ENV = "VETMED_PARTITION_START"
AHEAD_ENV = "VETMED_PARTITION_MONTHS_AHEAD"
DEFAULT_START = "2024-01"
DEFAULT_AHEAD = 3
# Serializes partition creation (loads and the maintenance job may run together).
_PARTITION_LOCK = 7_400_215_002


@dataclass(frozen=True)
class Dependent:
    """A table whose rows reference a time-series row by (id, partition key)."""

    table: str
    id_column: str
    key_column: str


@dataclass(frozen=True)
class TimeSeries:
    table: str
    column: str
    #: the primary key (it includes the partition column)
    key: tuple[str, ...]
    #: Legacy global uniques, kept unique in every partition (and proven global by a check).
    unique_per_partition: tuple[str, ...] = ()
    dependents: tuple[Dependent, ...] = ()

    @property
    def default_partition(self) -> str:
        return f"{self.table}_default"

    def partition(self, month: date) -> str:
        return f"{self.table}_y{month.year:04d}m{month.month:02d}"


def parse_month(value: str, setting: str = START_ENV) -> date:
    """A month written YYYY-MM, or a clear error naming the setting."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PipelineError(f"{setting} must be a month as YYYY-MM (got {value!r})")
    return date(int(match.group(1)), int(match.group(2)), 1)


def _parse_ahead(value: str) -> int:
    if not value.strip().isdigit() or not 0 <= int(value) <= 120:
        raise PipelineError(f"{AHEAD_ENV} must be a whole number of months from 0 to 120 (got {value!r})")
    return int(value)


#: VETMED_PARTITION_START: the first month, whatever the data (None: the data decides).
START_OVERRIDE = parse_month(os.environ[START_ENV]) if os.environ.get(START_ENV, "").strip() else None
MONTHS_AHEAD = _parse_ahead(os.environ.get(AHEAD_ENV, str(DEFAULT_AHEAD)))
#: Months with rows further apart than this start a new stretch of history.
GAP_MONTHS = 12
#: A stretch of history with fewer rows than this share of all rows, or with no more than OUTLIER_ROWS
#: rows (a handful typed in by hand: 1999, 2031), is an isolated outlier: its rows stay in DEFAULT.
OUTLIER_SHARE = 0.01
OUTLIER_ROWS = 10


@dataclass(frozen=True)
class MonthWindow:
    """The months that get partitions: first and last (the months ahead included)."""

    first: date
    last: date


def _index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_window(
    counts: Mapping[tuple[int, int], int],
    snapshot: date,
    months_ahead: int,
    start_override: date | None = None,
) -> MonthWindow:
    """The partitioned months for a snapshot whose rows fall in ``counts`` ({(year, month): rows}, years as
    PostgreSQL counts them, so before year 1 and after 9999 too):

    1. the months with rows, split into stretches wherever more than GAP_MONTHS months lie between two;
    2. a stretch is an isolated outlier when it holds no more than OUTLIER_ROWS rows or less than
       OUTLIER_SHARE of them all (the largest stretch never is);
    3. the window runs from the first month of the other stretches (or the override) through the last,
       includes the snapshot's month, and extends ``months_ahead`` months beyond;
    4. a window is kept within years 1 to 9999 (a month outside stays in DEFAULT).
    """
    rows = {year * 12 + month - 1: n for (year, month), n in counts.items() if n > 0}
    stretches: list[list[int]] = []
    for index in sorted(rows):
        if stretches and index - stretches[-1][-1] <= GAP_MONTHS:
            stretches[-1].append(index)
        else:
            stretches.append([index])
    total = sum(rows.values())
    sizes = [sum(rows[i] for i in stretch) for stretch in stretches]
    kept = [
        stretch
        for stretch, size in zip(stretches, sizes, strict=True)
        if size == max(sizes) or (size > OUTLIER_ROWS and size >= OUTLIER_SHARE * total)
    ]
    now = _index(snapshot)
    first = min([now, *(stretch[0] for stretch in kept)])
    last = max([now, *(stretch[-1] for stretch in kept)]) + months_ahead
    if start_override is not None:
        first = _index(start_override)
    lowest, highest = _index(date(1, 1, 1)), _index(date(9999, 12, 1))
    first, last = max(min(first, now), lowest), min(max(last, now), highest)
    return MonthWindow(_month(first), _month(last))


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(moment: datetime) -> date:
    utc = moment.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def months_ahead_end(now: datetime | None = None) -> date:
    """The current UTC month plus the months ahead: the last month new rows are expected in."""
    return add_months(month_of(now or datetime.now(UTC)), MONTHS_AHEAD)


def months(first: date, last: date) -> Iterator[date]:
    month = first
    while month <= last:
        yield month
        month = add_months(month, 1)


def utc_start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def _target_months() -> tuple[date, date] | None:
    """The first and last month partitions the target already has (any table of schema vetmed), when
    VETMED_TARGET_URL is set and answers within a few seconds; None otherwise."""
    url = os.environ.get("VETMED_TARGET_URL")
    if not url:
        return None
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=3, application_name="vetmed_pipeline") as conn:
            row = conn.execute(
                "SELECT min(substring(c.relname FROM '_y([0-9]{4}m[0-9]{2})$')), "
                "max(substring(c.relname FROM '_y([0-9]{4}m[0-9]{2})$')) "
                "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relispartition AND c.relname ~ '_y[0-9]{4}m[0-9]{2}$'",
                (TARGET,),
            ).fetchone()
    except (psycopg.Error, PipelineError, OSError):
        return None
    if row is None or row[0] is None:
        return None
    return tuple(date(int(v[:4]), int(v[5:]), 1) for v in row)  # type: ignore[return-value]


def dagster_months(now: date | None = None) -> tuple[date, date]:
    """First and last month of the Dagster partitions: the target's months (or the override, else
    DEFAULT_START) through the current month plus the months ahead, or further where the target has more."""
    current = now or month_of(datetime.now(UTC))
    existing = _target_months()
    first = START_OVERRIDE or (existing[0] if existing else parse_month(DEFAULT_START))
    last = max(add_months(current, MONTHS_AHEAD), existing[1] if existing else first)
    return first, last


# backfill_policy is "beta" in Dagster 1.13; it is what makes one run cover a range of months.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
#: One run for any range of months (and for migrate's all of them), set-based in PostgreSQL.
SINGLE_RUN = dg.BackfillPolicy.single_run()

_FIRST, _LAST = dagster_months()
START_MONTH = _FIRST
#: Dagster's side: the same months. end_offset=1 would end at the current month; each month beyond adds one.
MONTHLY = dg.MonthlyPartitionsDefinition(
    start_date=_FIRST.isoformat(),
    timezone="UTC",
    end_offset=1 + _index(_LAST) - _index(month_of(datetime.now(UTC))),
)


def month_partitions(
    cur: psycopg.Cursor[Any], series: TimeSeries
) -> dict[date, tuple[str, datetime, datetime]]:
    """The month partitions of a table: month -> (name, lower bound, upper bound), read from the catalog."""
    cur.execute(
        """
        SELECT c.relname, b.bounds[1]::timestamptz, b.bounds[2]::timestamptz
        FROM pg_catalog.pg_inherits i
        JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
        CROSS JOIN LATERAL (SELECT regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                                                'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') AS bounds) b
        WHERE i.inhparent = to_regclass(%s) AND b.bounds IS NOT NULL
        """,
        (f"{TARGET}.{series.table}",),
    )
    return {month_of(lower): (name, lower, upper) for name, lower, upper in cur.fetchall()}


@dataclass(frozen=True)
class DefaultRows:
    """What a table's DEFAULT partition holds: its rows, the table's, and up to 20 of their ids."""

    rows: int
    table_rows: int
    ids: str

    @property
    def share(self) -> str:
        return f"{100 * self.rows / self.table_rows:.2f}%" if self.table_rows else "0%"


def default_rows(cur: psycopg.Cursor[Any], table: str, default: str) -> DefaultRows:
    """Rows outside every month partition of ``vetmed.<table>`` (in ``vetmed.<default>``)."""
    cur.execute(
        sql.SQL(
            "SELECT (SELECT count(*) FROM {default}), (SELECT count(*) FROM {table}), "
            "(SELECT string_agg(id::text, ', ' ORDER BY id) FROM (SELECT id FROM {default} ORDER BY id LIMIT 20) i)"
        ).format(default=ident(TARGET, default), table=ident(TARGET, table))
    )
    row = cur.fetchone()
    assert row is not None
    return DefaultRows(int(row[0]), int(row[1]), row[2] or "")


@dataclass
class CreatedMonth:
    table: str
    partition: str
    month: date
    moved_rows: int
    moved_dependents: int


def _add_partition_uniques(cur: psycopg.Cursor[Any], series: TimeSeries, partition: str) -> None:
    """The legacy global uniques, as DEFERRABLE unique constraints of one partition."""
    for column in series.unique_per_partition:
        cur.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({}) DEFERRABLE").format(
                ident(TARGET, partition), sql.Identifier(f"{partition}_{column}_key"), sql.Identifier(column)
            )
        )


def _create_month(cur: psycopg.Cursor[Any], series: TimeSeries, month: date) -> CreatedMonth:
    lower, upper = utc_start(month), utc_start(add_months(month, 1))
    parent, default = ident(TARGET, series.table), ident(TARGET, series.default_partition)
    partition = series.partition(month)
    in_month = sql.SQL("{column} >= %(lower)s AND {column} < %(upper)s").format(
        column=sql.Identifier(series.column)
    )
    bounds = {"lower": lower, "upper": upper}
    # Writers into DEFAULT wait until this transaction ends; readers go on.
    cur.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(default))
    cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE {}").format(default, in_month), bounds)
    row = cur.fetchone()
    waiting = int(row[0]) if row else 0
    moved_dependents = 0
    if waiting:
        cur.execute(
            sql.SQL("CREATE TEMP TABLE moving_rows AS SELECT * FROM {} WHERE {}").format(default, in_month),
            bounds,
        )
        for index, dependent in enumerate(series.dependents):
            cur.execute(
                sql.SQL(
                    "CREATE TEMP TABLE {stash} AS SELECT d.* FROM {table} d "
                    "JOIN moving_rows m ON m.id = d.{id_column} AND m.{column} = d.{key_column}"
                ).format(
                    stash=sql.Identifier(f"moving_dependents_{index}"),
                    table=ident(TARGET, dependent.table),
                    id_column=sql.Identifier(dependent.id_column),
                    key_column=sql.Identifier(dependent.key_column),
                    column=sql.Identifier(series.column),
                )
            )
        # The delete cascades into the dependents stashed above; they come back after their rows.
        cur.execute(sql.SQL("DELETE FROM {} WHERE {}").format(default, in_month), bounds)
        if cur.rowcount != waiting:
            raise PipelineError(f"{series.default_partition}: {waiting} rows to move, {cur.rowcount} deleted")
    cur.execute(
        sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
            ident(TARGET, partition), parent, sql.Literal(lower.isoformat()), sql.Literal(upper.isoformat())
        )
    )
    _add_partition_uniques(cur, series, partition)
    if waiting:
        cur.execute(sql.SQL("INSERT INTO {} SELECT * FROM moving_rows").format(parent))
        if cur.rowcount != waiting:
            raise PipelineError(
                f"{series.table}: {waiting} rows moved out of DEFAULT, {cur.rowcount} put back"
            )
        for index, dependent in enumerate(series.dependents):
            stash = sql.Identifier(f"moving_dependents_{index}")
            cur.execute(
                sql.SQL("INSERT INTO {} SELECT * FROM {}").format(ident(TARGET, dependent.table), stash)
            )
            moved_dependents += cur.rowcount
            cur.execute(sql.SQL("DROP TABLE {}").format(stash))
        cur.execute("DROP TABLE moving_rows")
    return CreatedMonth(series.table, partition, month, waiting, moved_dependents)


def ensure_months(
    cur: psycopg.Cursor[Any], series: TimeSeries, first: date, last: date
) -> list[CreatedMonth]:
    """Create every missing month from ``first`` through ``last``, inside the caller's transaction; rows of
    those months waiting in DEFAULT are moved into them."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_PARTITION_LOCK,))
    have = month_partitions(cur, series)
    return [_create_month(cur, series, month) for month in months(first, last) if month not in have]


# --- writing a window of rows ------------------------------------------------------------------------------

#: A month with at least this many source rows, whose partition is empty, is written in bulk (below).
BULK_MIN_ROWS = 10_000


@dataclass
class Written:
    upserted: int = 0
    bulk_rows: int = 0
    bulk_months: list[date] = field(default_factory=list)


def _columns(cur: psycopg.Cursor[Any], series: TimeSeries) -> list[str]:
    cur.execute(
        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        (f"{TARGET}.{series.table}",),
    )
    return [row[0] for row in cur.fetchall()]


def _bulk_candidates(
    cur: psycopg.Cursor[Any], series: TimeSeries, rows: sql.Composable, params: dict[str, Any]
) -> list[date]:
    """Months of the window with BULK_MIN_ROWS source rows or more whose partition is empty."""
    # As (year, month) numbers: a month of year 0 or 10000 (PostgreSQL has them) is no Python date, and
    # infinity is no month at all; neither is ever a partition.
    cur.execute(
        sql.SQL(
            "SELECT extract(year FROM m)::integer, extract(month FROM m)::integer, count(*) "
            "FROM (SELECT date_trunc('month', r.{col} AT TIME ZONE 'UTC') AS m FROM ({rows}) r "
            "      WHERE isfinite(r.{col})) x GROUP BY 1, 2 HAVING count(*) >= %(bulk_min_rows)s"
        ).format(col=sql.Identifier(series.column), rows=rows),
        {**params, "bulk_min_rows": BULK_MIN_ROWS},
    )
    busy = [date(year, month, 1) for year, month, _ in cur.fetchall() if 1 <= year <= 9999]
    have = month_partitions(cur, series)
    empty = []
    for month in sorted(busy):
        if month not in have:
            continue  # outside the partitioned months: DEFAULT, written row by row
        cur.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(ident(TARGET, have[month][0])))
        row = cur.fetchone()
        if row is not None and not row[0]:
            empty.append(month)
    return empty


def _bulk_month(
    cur: psycopg.Cursor[Any], series: TimeSeries, rows: sql.Composable, month: date, columns: list[str]
) -> int:
    """Fill an empty month the way a bulk load should: into a new plain table, then build its indexes and
    check its foreign keys set-based while swapping it in for the empty partition (ATTACH PARTITION),
    instead of maintaining ten indexes and firing six foreign-key triggers per row."""
    lower, upper = utc_start(month), utc_start(add_months(month, 1))
    partition = series.partition(month)
    loading = f"{partition}_loading"
    table = ident(TARGET, loading)
    cur.execute(
        sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)").format(
            table, ident(TARGET, series.table)
        )
    )
    cur.execute(
        sql.SQL("INSERT INTO {} ({}) SELECT * FROM ({}) r").format(
            table, sql.SQL(", ").join(map(sql.Identifier, columns)), rows
        ),
        {"lower": lower, "upper": upper},
    )
    written = cur.rowcount
    # With this constraint in place ATTACH need not scan the rows to prove they belong to the month.
    bounds = sql.Identifier(f"{partition}_bounds")
    cur.execute(
        sql.SQL(
            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({col} IS NOT NULL AND {col} >= {lo} AND {col} < {hi})"
        ).format(
            table, bounds, col=sql.Identifier(series.column), lo=sql.Literal(lower), hi=sql.Literal(upper)
        )
    )
    cur.execute(
        sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(
            ident(TARGET, series.table), ident(TARGET, partition)
        )
    )
    cur.execute(sql.SQL("DROP TABLE {}").format(ident(TARGET, partition)))
    cur.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(table, sql.Identifier(partition)))
    _add_partition_uniques(cur, series, partition)
    cur.execute(
        sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES FROM ({}) TO ({})").format(
            ident(TARGET, series.table), ident(TARGET, partition), sql.Literal(lower), sql.Literal(upper)
        )
    )
    cur.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(ident(TARGET, partition), bounds))
    cur.execute(sql.SQL("ANALYZE {}").format(ident(TARGET, partition)))
    return written


def write_window(
    cur: psycopg.Cursor[Any],
    series: TimeSeries,
    rows: sql.Composable,
    lower: datetime | None,
    upper: datetime | None,
) -> Written:
    """Write the window's source rows (``rows``: a SELECT in the table's column order, with %(lower)s and
    %(upper)s bounds): empty busy months in bulk, everything else upserted (changed rows only)."""
    params: dict[str, Any] = {"lower": lower, "upper": upper}
    columns = _columns(cur, series)
    result = Written()
    for month in _bulk_candidates(cur, series, rows, params):
        result.bulk_rows += _bulk_month(cur, series, rows, month, columns)
        result.bulk_months.append(month)
    key = set(series.key)
    others = [c for c in columns if c not in key]

    def listed(alias: str, names: list[str]) -> sql.Composable:
        return sql.SQL(", ").join(sql.Identifier(alias, name) for name in names)

    # Rows the target already holds unchanged are filtered out before the INSERT: ON CONFLICT DO UPDATE
    # locks every conflicting row, even when its WHERE then leaves the row as it is.
    cur.execute(
        sql.SQL(
            "INSERT INTO {parent} AS t ({columns}) SELECT r.* FROM ({rows}) AS r ({columns}) "
            "WHERE date_trunc('month', r.{col} AT TIME ZONE 'UTC')::date <> ALL(%(bulk)s::date[]) "
            "AND NOT EXISTS (SELECT FROM {parent} o WHERE {key_match} "
            "AND ({old}) IS NOT DISTINCT FROM ({new})) "
            "ON CONFLICT ({key}) DO UPDATE SET {updates} WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*)"
        ).format(
            parent=ident(TARGET, series.table),
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            rows=rows,
            col=sql.Identifier(series.column),
            key_match=sql.SQL(" AND ").join(
                sql.SQL("{} = {}").format(sql.Identifier("o", k), sql.Identifier("r", k)) for k in series.key
            ),
            old=listed("o", others),
            new=listed("r", others),
            key=sql.SQL(", ").join(map(sql.Identifier, series.key)),
            updates=sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in others
            ),
        ),
        {**params, "bulk": result.bulk_months},
    )
    result.upserted = cur.rowcount
    return result
