"""Turn ../shared/spec/legacy-schema.md into sql/legacy/spec.json, the machine-readable legacy schema.

The markdown is the specification; the JSON is the copy that the code (preflight, staging DDL, catalog
test) reads. `tests/unit/test_legacy_spec.py` re-parses the markdown when it is present, so the two
cannot drift apart silently.

    python tools/legacy_spec_from_markdown.py ../shared/spec/legacy-schema.md > sql/legacy/spec.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

_TABLE_HEADING = re.compile(r"^## (vetmed_\w+)\s*$")
_COLUMN_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|\s*(YES|NO)\s*\|\s*(.*?)\s*\|\s*$")
_ENUM_ROW = re.compile(r"^\|\s*(\w+)\s*\|\s*([A-Za-z_, ]+?)\s*\|\s*[\w., ]+\s*\|\s*$")
_FK = re.compile(r"^- FK `(\w+)` → (\w+)\((\w+)\) ON DELETE ([A-Z ]+?)\s+\(`(\w+)`\)")
_UNIQUE = re.compile(r"^- UNIQUE `(\w+)` \(([\w, ]+)\)")
_INDEX = re.compile(r"`(\w+)` btree \(([^)]*)\)")


def parse(markdown: str) -> dict[str, Any]:
    """Parse the legacy schema page into {"enums": {...}, "tables": {...}}."""
    enums: dict[str, list[str]] = {}
    tables: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    in_enums = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            in_enums = line.strip() == "## Enums (10)"
            match = _TABLE_HEADING.match(line)
            current = None
            if match:
                current = {"columns": [], "foreign_keys": [], "uniques": [], "indexes": []}
                tables[match.group(1)] = current
            continue
        if in_enums:
            enum_match = _ENUM_ROW.match(line)
            if enum_match and enum_match.group(1) not in ("enum",):
                enums[enum_match.group(1)] = [v.strip() for v in enum_match.group(2).split(",")]
            continue
        if current is None:
            continue
        column_match = _COLUMN_ROW.match(line)
        if column_match:
            _, name, data_type, nullable, default = column_match.groups()
            current["columns"].append(
                {
                    "name": name,
                    "type": data_type,
                    "nullable": nullable == "YES",
                    "default": default.strip("`") or None,
                }
            )
            continue
        fk_match = _FK.match(line)
        if fk_match:
            column, ref_table, ref_column, on_delete, name = fk_match.groups()
            current["foreign_keys"].append(
                {
                    "name": name,
                    "column": column,
                    "references": ref_table,
                    "ref_column": ref_column,
                    "on_delete": on_delete,
                }
            )
            continue
        unique_match = _UNIQUE.match(line)
        if unique_match:
            current["uniques"].append(
                {
                    "name": unique_match.group(1),
                    "columns": [c.strip() for c in unique_match.group(2).split(",")],
                }
            )
            continue
        if line.startswith("- Indexes:"):
            for index_name, definition in _INDEX.findall(line):
                current["indexes"].append({"name": index_name, "definition": definition})
    return {"enums": enums, "tables": tables}


def main() -> None:
    spec = parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
    json.dump(spec, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
