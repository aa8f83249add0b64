"""The migration report's pictures, drawn with matplotlib: table sizes before and after, rows per month of
each time-series table (its DEFAULT partition marked), and open quarantine by rule.

Each chart is a pure function from plain figures to a :class:`~matplotlib.figure.Figure` (what the tests
read) and :func:`png` renders one. No pyplot: its global state is not safe in the Dagster daemon's threads,
and a Figure drawn on its own Agg canvas needs no display. Table names, column names, rule names, months,
counts and bytes only: never a value from a row.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

#: 9 inches at 100 dpi: 900 px wide, more than the 640 px a picture in the report must have.
WIDTH_INCHES = 9.0
DPI = 100
BEFORE, CORE, SPLIT = "#8c8c8c", "#1f77b4", "#ff7f0e"
MONTH, DEFAULT = "#1f77b4", "#d62728"
DEFAULT_LABEL = "DEFAULT (outside the window)"
#: At most this many month labels on an axis; beyond it every n-th month is labelled.
MONTH_LABELS = 36
QUARANTINE_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


@dataclass(frozen=True)
class TableSizes:
    """One legacy table's data (heap and TOAST, no indexes) before, and its core and all split tables after."""

    legacy: str
    core: str
    before: int
    core_after: int
    all_after: int


@dataclass(frozen=True)
class MonthRows:
    """One time-series table: rows per month partition, and rows in its DEFAULT partition."""

    table: str
    months: Sequence[tuple[date, int]]
    default: int


@dataclass(frozen=True)
class Quarantined:
    """Open quarantined values of one rule on one legacy column."""

    table: str
    column: str
    rule: str
    values: int


def byte_unit(largest: float) -> tuple[str, int]:
    """The unit for sizes up to ``largest`` bytes (kB = 1,024 bytes, as in the report's tables)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if largest >= factor:
            return unit, factor
    return "B", 1


def size_text(size: float) -> str:
    """A size in bytes as the report writes it: ``812 B``, ``64.0 kB``, ``1.2 MB``."""
    unit, factor = byte_unit(size)
    return f"{size:,.0f} B" if unit == "B" else f"{size / factor:,.1f} {unit}"


def _figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, fontsize=12)
    axes.set_xticks([])
    axes.set_yticks([])


def sizes_figure(tables: Sequence[TableSizes]) -> Figure:
    """Horizontal grouped bars per legacy table: the legacy table, its core table, all its split tables."""
    figure = _figure(1.6 + 1.0 * max(len(tables), 1))
    axes = figure.add_subplot()
    largest = max((max(t.before, t.core_after, t.all_after) for t in tables), default=0)
    unit, factor = byte_unit(largest)
    axes.set_title("Table sizes before and after the migration")
    axes.set_xlabel(
        f"table data: heap + TOAST, no indexes ({unit}{', 1 kB = 1,024 B' if unit == 'kB' else ''})"
    )
    axes.set_ylabel("legacy table")
    bars = [
        ("before: legacy table", BEFORE, lambda t: t.before, lambda t: t.legacy),
        ("after: core table", CORE, lambda t: t.core_after, lambda t: t.core),
        ("after: all split tables", SPLIT, lambda t: t.all_after, lambda t: "all split tables"),
    ]
    height = 0.26
    for offset, (label, colour, value, name) in enumerate(bars):
        positions = [index + (offset - 1) * height for index in range(len(tables))]
        widths = [value(t) / factor for t in tables]
        axes.barh(positions, widths, height=height, color=colour, label=label)
        for position, width, table in zip(positions, widths, tables, strict=True):
            axes.annotate(
                f"{name(table)}: {size_text(value(table))}",
                (width, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
    axes.set_yticks(range(len(tables)), [t.legacy for t in tables])
    axes.invert_yaxis()  # first table on top, as in the report's table
    if tables:
        axes.set_xlim(0, largest / factor * 1.45)  # room for the labels beside the longest bar
    else:
        _empty(axes, "No table sizes measured")
    axes.legend(
        handles=[Patch(color=colour, label=label) for label, colour, _, _ in bars],
        loc="lower right",
        fontsize=8,
    )
    return figure


def _month_axes(axes: Axes, series: MonthRows) -> None:
    count = len(series.months)
    positions = list(range(count))
    axes.bar(positions, [rows for _, rows in series.months], color=MONTH, width=0.8)
    # DEFAULT stands apart, one slot to the right of the last month, hatched and labelled with its count.
    outside = count + 1
    axes.bar([outside], [series.default], color=DEFAULT, width=0.8, hatch="//", edgecolor="black")
    axes.annotate(
        f"{series.default:,} rows",
        (outside, series.default),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )
    step = max(1, math.ceil(count / MONTH_LABELS))
    ticks = positions[::step]
    axes.set_xticks(
        [*ticks, outside],
        [series.months[i][0].strftime("%Y-%m") for i in ticks] + ["DEFAULT\n(outside\nthe window)"],
        rotation=90,
        fontsize=7,
    )
    default_label = axes.get_xticklabels()[-1]
    default_label.set_color(DEFAULT)
    default_label.set_rotation(0)
    axes.axvline(count, color="black", linestyle=":", linewidth=1)
    total = sum(rows for _, rows in series.months) + series.default
    axes.set_title(f"{series.table}: {total:,} rows, {series.default:,} in DEFAULT", fontsize=10)
    axes.set_xlabel("month partition (UTC)")
    axes.set_ylabel("rows")
    top = max([series.default, *(rows for _, rows in series.months)])
    axes.set_ylim(0, max(top, 1) * 1.15)


def months_figure(series: Sequence[MonthRows]) -> Figure:
    """One bar chart per time-series table: rows in each month partition, then DEFAULT, marked."""
    figure = _figure(1.0 + 2.8 * max(len(series), 1))
    figure.suptitle("Rows per month partition of the time-series tables")
    if not series:
        axes = figure.add_subplot()
        _empty(axes, "No month-partitioned tables in the target yet")
        axes.set_xlabel("month partition (UTC)")
        axes.set_ylabel("rows")
    for index, table in enumerate(series):
        _month_axes(figure.add_subplot(len(series), 1, index + 1), table)
    figure.legend(
        handles=[
            Patch(color=MONTH, label="rows in the month's partition"),
            Patch(facecolor=DEFAULT, hatch="//", edgecolor="black", label=DEFAULT_LABEL),
        ],
        loc="outside lower center",
        ncols=2,
        fontsize=8,
    )
    return figure


def quarantine_figure(rows: Sequence[Quarantined]) -> Figure:
    """Horizontal bars: open quarantined values per rule and legacy column, one colour per legacy table."""
    figure = _figure(max(3.0, 1.6 + 0.4 * len(rows)))
    axes = figure.add_subplot()
    axes.set_title("Open quarantined values by rule")
    axes.set_xlabel("quarantined values (count)")
    axes.set_ylabel("rule (legacy table.column)")
    tables = sorted({row.table for row in rows})
    colours = {table: QUARANTINE_COLOURS[i % len(QUARANTINE_COLOURS)] for i, table in enumerate(tables)}
    axes.barh(range(len(rows)), [row.values for row in rows], color=[colours[row.table] for row in rows])
    for index, row in enumerate(rows):
        axes.annotate(
            f"{row.values:,}", (row.values, index), xytext=(4, 0), textcoords="offset points", va="center"
        )
    axes.set_yticks(range(len(rows)), [f"{row.rule}\n({row.table}.{row.column})" for row in rows], fontsize=8)
    axes.invert_yaxis()
    if rows:
        axes.set_xlim(0, max(row.values for row in rows) * 1.15)
        handles = [Patch(color=colours[table], label=table) for table in tables]
        axes.legend(handles=handles, title="legacy table", loc="best", fontsize=8)
    else:
        _empty(axes, "No quarantined values: nothing is waiting in the quarantine")
    return figure


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes, at its own size (WIDTH_INCHES x DPI wide)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
