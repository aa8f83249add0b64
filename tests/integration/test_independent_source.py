"""A legacy database this project's seeder did not make (tests/support/independent_legacy.py: homonym
veterinarians, a history starting before the default start month, outliers typed in by hand): every step
succeeds, no ERROR check fails, every id is kept, homonyms stay apart and DEFAULT holds under 1%."""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import pytest

from tests.conftest import Migration, check_results
from tests.support.independent_legacy import build_independent_legacy

# slow: a source at scale (600 users, 36 months of history) built row by row, then migrated.
pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def migrated(new_database: Callable[[str], str]) -> tuple[Migration, dg.ExecuteInProcessResult]:
    migration = Migration(new_database("indep_src"), new_database("indep_tgt"))
    build_independent_legacy(migration.source_url, users=600, seed=3, history_start="2023-01", months=36)
    return migration, migration.run()


@pytest.fixture
def independent(migrated: tuple[Migration, dg.ExecuteInProcessResult]) -> Migration:
    return migrated[0]


def test_everything_migrates_and_every_proof_passes(
    migrated: tuple[Migration, dg.ExecuteInProcessResult],
) -> None:
    result = migrated[1]
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    failing = {
        name: {k: v.value for k, v in e.metadata.items()}
        for name, e in check_results(result).items()
        if not e.passed and e.severity.value == "ERROR"
    }
    assert failing == {}


def test_homonym_veterinarians_stay_apart(independent: Migration) -> None:
    with independent.target() as conn:
        # no veterinarian holds animals whose legacy phones (digits) or emails disagree
        conflicts = conn.execute(
            """
            SELECT count(*) FROM (
                SELECT l.veterinarian_id
                FROM vetmed.vetmed_animal_veterinarians l
                JOIN vetmed_staging.vetmed_animals a ON a.id = l.animal_id
                GROUP BY 1
                HAVING count(DISTINCT nullif(regexp_replace(right(regexp_replace(a.vet_phone, '[^0-9]', '', 'g'), 10),
                                                            '^$', ''), '')) > 1
                    OR count(DISTINCT lower(btrim(nullif(btrim(a.vet_email), '')))) > 1
            ) c
            """
        ).fetchone()
        assert conflicts == (0,)
        vets, names = conn.execute(
            "SELECT count(*), count(DISTINCT dedup_key) FILTER (WHERE dedup_key NOT LIKE '%#%') "
            "FROM vetmed.vetmed_veterinarians WHERE dedup_key LIKE 'name:%'"
        ).fetchone()
        assert vets > names  # several veterinarians share a name


def test_the_months_follow_the_history_and_default_holds_under_one_percent(independent: Migration) -> None:
    with independent.target() as conn:
        first = conn.execute(
            "SELECT min(c.relname) FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid "
            "WHERE i.inhparent = 'vetmed.vetmed_administrations'::regclass AND c.relname ~ '_y[0-9]{4}m[0-9]{2}$'"
        ).fetchone()
        assert first == ("vetmed_administrations_y2023m01",)
        for table in ("vetmed_administrations", "vetmed_notifications", "vetmed_audit_log"):
            in_default, total = conn.execute(
                f"SELECT (SELECT count(*) FROM vetmed.{table}_default), (SELECT count(*) FROM vetmed.{table})"  # noqa: S608
            ).fetchone()
            assert 0 < in_default < total / 100, table  # the 1999 and 2031 rows, and nothing else
