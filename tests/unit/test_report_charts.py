"""The report's charts, without a database: each decodes as a PNG at least 640 px wide, says what it shows
(title, axis labels with units, legend, table names), and draws a readable picture from empty inputs too."""

from __future__ import annotations

import io
import struct
from datetime import date

import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from vetmed_pipeline.defs.report.charts import (
    DEFAULT_LABEL,
    MonthRows,
    Quarantined,
    TableSizes,
    byte_unit,
    months_figure,
    png,
    quarantine_figure,
    size_text,
    sizes_figure,
)

SIZES = [
    TableSizes("vetmed_users", "vetmed_users", 3 * 1024**2, 1024**2, 4 * 1024**2),
    TableSizes("vetmed_medication_catalog", "vetmed_medications", 90_000, 30_000, 200_000),
]
MONTHS = [
    MonthRows("vetmed_administrations", [(date(2024, m, 1), 10 * m) for m in range(1, 13)], 7),
    MonthRows("vetmed_audit_log", [(date(2025, 1, 1), 3)], 0),
]
QUARANTINE = [
    Quarantined("vetmed_users", "reminder_minutes", "reminder_minutes_not_integer", 12),
    Quarantined("vetmed_animals", "weight", "weight_not_numeric", 3),
]


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR is always the first chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _texts(figure: Figure) -> str:
    """Every piece of text the figure draws: titles, axis and tick labels, annotations, legend entries."""
    return "\n".join(t.get_text() for t in figure.findobj(Text))


def _legends(figure: Figure) -> list[str]:
    legends = [*figure.legends, *(a.get_legend() for a in figure.axes)]
    return [t.get_text() for legend in legends if legend is not None for t in legend.get_texts()]


FIGURES = {
    "sizes": (sizes_figure, SIZES),
    "months": (months_figure, MONTHS),
    "quarantine": (quarantine_figure, QUARANTINE),
}


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("empty", [False, True], ids=["data", "empty"])
def test_every_chart_decodes_as_a_png_at_least_640_px_wide(name: str, empty: bool) -> None:
    draw, data = FIGURES[name]
    figure = draw([] if empty else data)  # type: ignore[operator]
    rendered = png(figure)
    width, height = _png_size(rendered)
    assert width >= 640 and height >= 200
    pixels = imread(io.BytesIO(rendered), format="png")
    assert pixels.shape[:2] == (height, width)
    assert pixels.std() > 0  # something is drawn, not a blank canvas


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("empty", [False, True], ids=["data", "empty"])
def test_every_chart_has_a_title_and_labelled_axes(name: str, empty: bool) -> None:
    draw, data = FIGURES[name]
    figure = draw([] if empty else data)  # type: ignore[operator]
    [first, *_] = figure.axes
    assert first.get_title() or (figure.get_suptitle())
    assert all(axes.get_xlabel() and axes.get_ylabel() for axes in figure.axes)


def test_sizes_name_every_table_with_units_and_a_legend() -> None:
    figure = sizes_figure(SIZES)
    [axes] = figure.axes
    assert [t.get_text() for t in axes.get_yticklabels()] == ["vetmed_users", "vetmed_medication_catalog"]
    assert "(MB)" in axes.get_xlabel()
    text = _texts(figure)
    assert "vetmed_medications: 29.3 kB" in text and "all split tables: 4.0 MB" in text
    assert _legends(figure) == ["before: legacy table", "after: core table", "after: all split tables"]


def test_months_mark_default_apart_from_the_month_partitions() -> None:
    figure = months_figure(MONTHS)
    administrations, audit_log = figure.axes
    assert administrations.get_title() == "vetmed_administrations: 787 rows, 7 in DEFAULT"
    assert audit_log.get_title() == "vetmed_audit_log: 3 rows, 0 in DEFAULT"
    ticks = [t.get_text() for t in administrations.get_xticklabels()]
    assert ticks[0] == "2024-01" and ticks[-2] == "2024-12" and ticks[-1].startswith("DEFAULT")
    assert "7 rows" in _texts(figure) and "0 rows" in _texts(figure)
    assert DEFAULT_LABEL in _legends(figure)
    # the DEFAULT bar holds the DEFAULT rows, after the twelve months
    heights = [p.get_height() for p in administrations.patches if isinstance(p, Rectangle)]
    assert heights == [10 * m for m in range(1, 13)] + [7]


def test_months_thin_their_labels_but_always_label_default() -> None:
    many = MonthRows(
        "vetmed_notifications", [(date(2000 + i // 12, i % 12 + 1, 1), 1) for i in range(120)], 2
    )
    [axes] = months_figure([many]).axes
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    assert len(ticks) <= 37 and ticks[0] == "2000-01" and ticks[-1].startswith("DEFAULT")


def test_quarantine_names_each_rule_with_its_column_and_colours_by_table() -> None:
    figure = quarantine_figure(QUARANTINE)
    [axes] = figure.axes
    labels = [t.get_text() for t in axes.get_yticklabels()]
    assert labels == [
        "reminder_minutes_not_integer\n(vetmed_users.reminder_minutes)",
        "weight_not_numeric\n(vetmed_animals.weight)",
    ]
    assert [p.get_width() for p in axes.patches if isinstance(p, Rectangle)] == [12, 3]
    assert _legends(figure) == ["vetmed_animals", "vetmed_users"]


def test_empty_inputs_say_so() -> None:
    assert "No quarantined values" in _texts(quarantine_figure([]))
    assert "No month-partitioned tables" in _texts(months_figure([]))
    assert "No table sizes measured" in _texts(sizes_figure([]))


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 B"), (812, "812 B"), (65_536, "64.0 kB"), (1_258_291, "1.2 MB")]
)
def test_sizes_are_written_as_in_the_report(size: int, text: str) -> None:
    assert size_text(size) == text
    assert byte_unit(size)[0] == text.split()[-1]
