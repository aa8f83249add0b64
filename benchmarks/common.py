"""What the benchmarks share: the server they measure on, and where figures are recorded."""

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vetmed_pipeline.db import with_database
from vetmed_pipeline.paths import DAGSTER_HOME

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


@contextmanager
def admin_url() -> Iterator[str]:
    """A maintenance-database URL: VETMED_BENCH_DATABASE_URL's server, else an embedded one (stopped after)."""
    external = os.environ.get("VETMED_BENCH_DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    from vetmed_pipeline.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(DAGSTER_HOME / "bench-pgdata")
    try:
        yield server.admin_url
    finally:
        server.stop()


def record(figures: dict[str, Any]) -> None:
    """Print the figures and append them to benchmarks/results.jsonl."""
    print(json.dumps(figures, indent=2))
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")
