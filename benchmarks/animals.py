"""Throughput of the animals domain: split N animals (default 1,000,000) with ~2.5 allergy and ~1.5 condition
elements each, and de-duplicate their vets.

    .venv/bin/python benchmarks/animals.py [--animals 1000000]

Builds a legacy source with households and animals only (the seed generator's animals, with array sizes
drawn to match the issue's reference load), runs the extract, households and every animals asset and
check in process, prints the seconds per step and appends them to benchmarks/results.jsonl.
"""

import argparse
import os
import platform
import random
import time
from datetime import UTC, datetime
from typing import Any

import dagster as dg
from common import admin_url, bench_databases, postgres_version, record, step_seconds
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import connect, copy_rows, run_script
from vetmed_pipeline.core.paths import LEGACY_SCHEMA_SQL
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.defs.animals import assets as animals
from vetmed_pipeline.defs.extract import assets as extract
from vetmed_pipeline.defs.users.assets import HOUSEHOLDS
from vetmed_pipeline.seed import generator


def build_source(url: str, animal_count: int, seed: int) -> dict[str, int]:
    gen = generator._Gen(animal_count, seed)
    households = generator._households(gen)
    rows = generator._animals(gen, households)
    rng = random.Random(seed)
    for row in rows:  # the reference load: 2.5 allergy and 1.5 condition elements per animal on average
        row["allergies"] = [rng.choice(generator.ALLERGENS) for _ in range(rng.randrange(0, 6))]
        row["conditions"] = [rng.choice(generator.CONDITIONS) for _ in range(rng.randrange(0, 4))]
    gen.data.tables["vetmed_animals"] = rows
    with connect(url, "bench source") as conn:
        run_script(conn, LEGACY_SCHEMA_SQL)
        with conn.cursor() as cur:
            for table in ("vetmed_households", "vetmed_animals"):
                names = [c.name for c in legacy_spec.columns(table)]
                copy_rows(cur, sql.Identifier("public", table), names, gen.data.rows(table))
        conn.commit()
    return {
        "animals": len(rows),
        "allergy_elements": sum(len(r["allergies"]) for r in rows),
        "condition_elements": sum(len(r["conditions"]) for r in rows),
        "animals_with_vet_data": sum(1 for r in rows if any(r[c] for c in animals.VET_COLUMNS)),
    }


def run(admin: str, animal_count: int, seed: int) -> dict[str, Any]:
    with bench_databases(admin) as (source, target, version):
        started = time.perf_counter()
        sizes = build_source(source, animal_count, seed)
        build_seconds = time.perf_counter() - started
        defs = build_defs(
            {"source": PostgresResource(url=source, read_only=True), "target": PostgresResource(url=target)}
        )
        selection = {
            *extract.extract_legacy_snapshot.keys,
            HOUSEHOLDS,
            animals.ANIMALS,
            animals.VETERINARIANS,
            animals.ANIMAL_VETERINARIANS,
            animals.ALLERGIES,
            animals.MEDICAL_RECORDS,
        }
        job = defs.resolve_implicit_global_asset_job_def().get_subset(asset_selection=selection)
        started = time.perf_counter()
        result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral())
        total = time.perf_counter() - started
        steps = step_seconds(result)
        failed = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
        animal_steps = [
            "vetmed__vetmed_animals",
            "vetmed_veterinarians",
            "vetmed__vetmed_animal_allergies",
            "vetmed__vetmed_animal_medical_records",
        ]
        return {
            "benchmark": "animals",
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "postgres": postgres_version(version),
            **sizes,
            "source_build_seconds": round(build_seconds, 1),
            "run_seconds": round(total, 1),
            "animals_domain_seconds": round(sum(steps[k] for k in animal_steps), 1),
            "failed_checks": failed,
            "steps_seconds": steps,
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--animals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with admin_url() as url:
        figures = run(url, args.animals, args.seed)
    record(figures)


if __name__ == "__main__":
    main()
