"""The demo seeder: fills new or empty databases only, deterministically, with COPY."""

from collections.abc import Callable

import pytest

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.preflight import check_source
from vetmed_pipeline.seed.generator import generate
from vetmed_pipeline.seed.loader import count_rows, seed_legacy

pytestmark = pytest.mark.integration


def test_seeds_an_empty_database_with_every_generated_row(new_database: Callable[[str], str]) -> None:
    url = new_database("seed")
    result = seed_legacy(url, scale=60, seed=3)
    generated = generate(60, 3)
    assert result.rows == {t: len(rows) for t, rows in generated.tables.items() if t in result.rows}
    assert count_rows(url) == result.rows
    assert check_source(url)[0] >= 150000  # the seeded database passes the legacy preflight


def test_refuses_a_database_it_did_not_create(new_database: Callable[[str], str]) -> None:
    url = new_database("foreign")
    with connect(url, "foreign") as conn:
        conn.execute("CREATE TABLE precious (id int)")
        conn.execute("INSERT INTO precious VALUES (1)")
        conn.commit()
    with pytest.raises(PipelineError, match="refusing to seed"):
        seed_legacy(url, scale=30, seed=1)
    with connect(url, "foreign") as conn:
        assert conn.execute("SELECT count(*) FROM precious").fetchone() == (1,)


def test_reuses_or_rebuilds_its_own_database(new_database: Callable[[str], str]) -> None:
    url = new_database("own")
    first = seed_legacy(url, scale=30, seed=1)
    again = seed_legacy(url, scale=30, seed=1, reuse=True)
    assert again.reused and again.rows == first.rows
    rebuilt = seed_legacy(url, scale=40, seed=2, reuse=True)
    assert not rebuilt.reused
    assert rebuilt.rows["vetmed_users"] == 40
    assert count_rows(url)["vetmed_users"] == 40
