"""The target DDL (sql/ddl.manifest) is applied once per version: later loads leave the catalog alone (its
GRANTs rewrote catalog rows that autovacuum also updates, and a load creating partitions then deadlocked
with it), and a changed DDL is applied again."""

from collections.abc import Callable

import pytest

from vetmed_pipeline.core import target
from vetmed_pipeline.core.db import connect

pytestmark = pytest.mark.integration

USERS_OWNERS_ROW = "SELECT xmin::text FROM pg_class WHERE oid = 'vetmed.vetmed_users_owners'::regclass"


def test_the_ddl_runs_once_per_version(
    new_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = new_database("ddl")
    with connect(url, "ddl") as conn, conn.cursor() as cur:
        target.ensure_target_schema(cur)
        conn.commit()
        cur.execute("SELECT obj_description('vetmed'::regnamespace, 'pg_namespace')")
        assert cur.fetchone() == (target.ddl_version(),)
        cur.execute(USERS_OWNERS_ROW)
        before = cur.fetchone()
        target.ensure_target_schema(cur)  # same version: no DDL, no GRANT, the row is untouched
        conn.commit()
        cur.execute(USERS_OWNERS_ROW)
        assert cur.fetchone() == before
        monkeypatch.setattr(target, "ddl_version", lambda: "vetmed_pipeline ddl changed")
        target.ensure_target_schema(cur)  # another version: applied again (the GRANTs rewrite the row)
        conn.commit()
        cur.execute(USERS_OWNERS_ROW)
        assert cur.fetchone() != before
        cur.execute("SELECT obj_description('vetmed'::regnamespace, 'pg_namespace')")
        assert cur.fetchone() == ("vetmed_pipeline ddl changed",)
