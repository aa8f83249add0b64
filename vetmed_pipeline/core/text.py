"""How free text is cleaned and compared, for every domain's rules (pure functions)."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def clean_text(raw: str) -> str:
    """Trim and collapse inner white space (NFC, so composed and decomposed accents agree)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", raw)).strip()


def text_key(text: str) -> str:
    """Case-insensitive identity of a cleaned text."""
    return unicodedata.normalize("NFKC", text).casefold()


#: Longest text (UTF-8 bytes) that goes into a column the target indexes with a btree and the legacy schema
#: did not index (a btree entry holds at most about 2,700 bytes, keys and the row's other key columns
#: included). Longer values are quarantined with rule ``too_long`` and rebuilt from there. The SQL twin is
#: ``vetmed.too_long`` (sql/core/ddl.sql); tests/integration/test_blank.py holds the two together.
MAX_INDEXED_BYTES = 1000
RULE_TOO_LONG = "too_long"


def too_long(text: str | None) -> bool:
    """Longer than MAX_INDEXED_BYTES once encoded (None is not)."""
    return text is not None and len(text.encode("utf-8", "surrogatepass")) > MAX_INDEXED_BYTES


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether a JSON text nests arrays and objects deeper than ``limit``, found without parsing it (a
    parser would recurse once per level: PostgreSQL accepts documents far deeper than Python can read)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False
