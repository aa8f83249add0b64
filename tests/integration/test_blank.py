"""SQL's vetmed.is_blank and Python's notion of white space (str.isspace) agree on every character."""

import sys
from collections.abc import Callable

import pytest

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.target import ensure_target_schema
from vetmed_pipeline.core.text import MAX_INDEXED_BYTES, clean_text, too_long
from vetmed_pipeline.defs.animals.rules import normalize_person_name

pytestmark = pytest.mark.integration

WHITE_SPACE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
NOT_WHITE_SPACE = ["a", "\u200b", "\ufeff", "\u180e", "_", "0", "\u00ad", "x\u00a0"]


def test_is_blank_matches_python(new_database: Callable[[str], str]) -> None:
    with connect(new_database("blank"), "blank") as conn, conn.cursor() as cur:
        ensure_target_schema(cur)
        for text in [*WHITE_SPACE, "".join(WHITE_SPACE), "", *NOT_WHITE_SPACE]:
            cur.execute("SELECT vetmed.is_blank(%s)", (text,))
            row = cur.fetchone()
            assert row is not None
            assert row[0] is (not text.strip()), [hex(ord(ch)) for ch in text]
            assert (clean_text(text) == "") is row[0]
        cur.execute("SELECT vetmed.is_blank(NULL)")
        assert cur.fetchone() == (True,)
    assert normalize_person_name("\u00a0\u3000") is None


def test_too_long_matches_python(new_database: Callable[[str], str]) -> None:
    """vetmed.too_long and core.text.too_long draw the same line (UTF-8 bytes)."""
    with connect(new_database("too_long"), "too_long") as conn, conn.cursor() as cur:
        ensure_target_schema(cur)
        for text in ["x" * 1000, "x" * 1001, "é" * 500, "é" * 501, "😀" * 250, "😀" * 251, "", None]:
            cur.execute("SELECT vetmed.too_long(%s)", (text,))
            assert cur.fetchone() == (too_long(text),), len(text or "")
    assert too_long("x" * (MAX_INDEXED_BYTES + 1)) and not too_long("x" * MAX_INDEXED_BYTES)


def test_json_pointer_paths_follow_rfc_6901(new_database: Callable[[str], str]) -> None:
    """'' is the whole document, '/' the key "", '~0' and '~1' are '~' and '/'."""
    with connect(new_database("pointer"), "pointer") as conn, conn.cursor() as cur:
        ensure_target_schema(cur)
        for pointer, path in [("", []), ("/", [""]), ("/a~1b/~0/0", ["a/b", "~", "0"]), ("//x", ["", "x"])]:
            cur.execute("SELECT vetmed.json_pointer_path(%s)", (pointer,))
            assert cur.fetchone() == (path,), pointer
