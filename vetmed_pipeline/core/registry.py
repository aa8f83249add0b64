"""The normalization registry: for every legacy column, where its value goes and the one documented
normalization (if any) applied on the way. Nothing else may change a value.

Each domain declares its part in ``defs/<domain>/placements.py`` (``PLACEMENTS``, with the normalizations
only it uses); this module joins them. The round-trip checks read the registry: they compare each extracted
legacy value with the value the ``vetmed_compat`` view rebuilds, after applying the column's normalization
to both sides; the compat views' upstream assets are the target tables the registry names. A legacy column
without an entry, or an entry without a legacy column, fails the unit tests.

Every placement may also send a value to ``vetmed_quarantine.rejected_values`` (with its rule); the
compat views rebuild those values from there, exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from vetmed_pipeline.core.domains import domain_modules


@dataclass(frozen=True)
class Normalization:
    name: str
    description: str
    #: Applied to the legacy value and to the rebuilt value (both as text, None for NULL) before they are
    #: compared; None means they must be equal exactly.
    apply: Callable[[str | None], Any] | None = None


EXACT = Normalization("exact", "kept exactly as written (text, numbers, timestamps, booleans, JSON, arrays)")


@dataclass(frozen=True)
class Placement:
    legacy_table: str
    legacy_column: str
    #: the vetmed table that holds the value, or the rows a document or array became
    target_table: str
    #: its column; None when the value became rows (described by ``note``)
    target_column: str | None = None
    normalization: Normalization = EXACT
    #: another vetmed table the value is reached through (a link table)
    via: str | None = None
    note: str = ""

    @property
    def target(self) -> str:
        """Where the value lives, for people: ``vetmed.<table>.<column>`` or a short description."""
        place = f"vetmed.{self.target_table}" + (f".{self.target_column}" if self.target_column else "")
        details = [part for part in (self.note, f"via {self.via}" if self.via else "") if part]
        return place + (f" ({', '.join(details)})" if details else "")

    @property
    def tables(self) -> tuple[str, ...]:
        """The vetmed tables the value's rebuild reads."""
        return (self.target_table,) if self.via is None else (self.target_table, self.via)


def same(table: str, target_table: str, columns: str, **renamed: str) -> list[Placement]:
    """Columns carried 1:1 (same name unless renamed) into one target table."""
    return [Placement(table, column, target_table, renamed.get(column, column)) for column in columns.split()]


@cache
def registry() -> dict[tuple[str, str], Placement]:
    """Every domain's placements by (legacy table, legacy column); a column placed twice is an error."""
    found: dict[tuple[str, str], Placement] = {}
    for module in domain_modules("placements"):
        for placement in module.PLACEMENTS:
            key = (placement.legacy_table, placement.legacy_column)
            if key in found:
                raise ValueError(f"{key} is placed twice in the registry")
            found[key] = placement
    return found


def normalizations() -> dict[str, Normalization]:
    """Every normalization the registry uses, by name."""
    return {placement.normalization.name: placement.normalization for placement in registry().values()}


def target_tables(legacy_table: str) -> list[str]:
    """The vetmed tables a legacy table's values went to, in name order."""
    return sorted(
        {
            table
            for placement in registry().values()
            if placement.legacy_table == legacy_table
            for table in placement.tables
        }
    )
