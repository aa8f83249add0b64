"""A small grouped bar chart as a PNG, with nothing but the standard library (zlib): the migration report's
picture of table sizes before and after. Bars only, no text: the report's table next to it has the figures
and the legend says which colour is which."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

Colour = tuple[int, int, int]
COLOURS: list[Colour] = [(150, 150, 150), (31, 119, 180), (255, 127, 14)]
BACKGROUND: Colour = (255, 255, 255)
AXIS: Colour = (60, 60, 60)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png(pixels: list[list[Colour]]) -> bytes:
    """Encode rows of RGB pixels as a PNG (8-bit RGB, no filter)."""
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def grouped_bars(
    groups: Sequence[Sequence[float]], *, height: int = 200, bar: int = 18, gap: int = 14
) -> bytes:
    """One group of bars per item (e.g. a legacy table: before, core after, all split tables after), each
    bar scaled to the largest value; returns PNG bytes."""
    series = max((len(group) for group in groups), default=1)
    width = gap + len(groups) * (series * bar + gap)
    top = max((value for group in groups for value in group), default=1.0) or 1.0
    pixels = [[BACKGROUND] * width for _ in range(height)]
    base = height - 10
    for x in range(width):
        pixels[base][x] = AXIS
    for index, group in enumerate(groups):
        left = gap + index * (series * bar + gap)
        for position, value in enumerate(group):
            bar_height = round((base - 10) * max(value, 0) / top)
            colour = COLOURS[position % len(COLOURS)]
            for y in range(base - bar_height, base):
                for x in range(left + position * bar, left + (position + 1) * bar - 2):
                    pixels[y][x] = colour
    return png(pixels)
