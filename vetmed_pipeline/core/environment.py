"""The three connection URLs and DAGSTER_HOME, set before Dagster reads its instance configuration.

``VETMED_SOURCE_URL`` (legacy, only ever read), ``VETMED_TARGET_URL`` and ``DAGSTER_PG_URL`` come from the
environment; whatever is unset is served by one embedded PostgreSQL under dagster_home/.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from vetmed_pipeline.core.db import parse_url
from vetmed_pipeline.core.embedded import EmbeddedPostgres
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.paths import DAGSTER_HOME

SOURCE_URL = "VETMED_SOURCE_URL"
TARGET_URL = "VETMED_TARGET_URL"
DAGSTER_URL = "DAGSTER_PG_URL"

#: Where the embedded server keeps its data (default dagster_home/pgdata); keep it inside the project: the
#: server makes every parent folder of it readable by others.
EMBEDDED_DIR = "VETMED_EMBEDDED_PGDATA"

#: Database names on the embedded server, one per setting.
EMBEDDED_DATABASES = {SOURCE_URL: "vetmed_legacy", TARGET_URL: "vetmed_target", DAGSTER_URL: "vetmed_dagster"}


def target_identity() -> str:
    """A short name of the target database (a hash of its server and database, never its password), for
    the run tag vetmed/target that lets Dagster's queue take one run per target at a time."""
    url = os.environ.get(TARGET_URL)
    if not url:
        return "unset"
    try:
        parsed = parse_url(url, TARGET_URL)
    except PipelineError:
        return "unparseable"
    place = f"{parsed.host}:{parsed.port}/{parsed.database}?{parsed.query.get('host', '')}"
    return hashlib.md5(place.encode(), usedforsecurity=False).hexdigest()[:12]


@dataclass(frozen=True)
class PipelineEnvironment:
    source_url: str
    target_url: str
    dagster_url: str
    embedded: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> str:
        if not self.embedded:
            return "using your servers for source, target and Dagster storage"
        served = ", ".join(sorted(self.embedded))
        return f"embedded PostgreSQL (dagster_home/pgdata) serves {served}"


@contextmanager
def pipeline_environment() -> Iterator[PipelineEnvironment]:
    """Set DAGSTER_HOME and the URLs (starting the embedded server for unset ones); stop it on exit."""
    os.environ.setdefault("DAGSTER_HOME", str(DAGSTER_HOME))
    home = Path(os.environ["DAGSTER_HOME"])
    if not home.is_dir():
        raise PipelineError(
            f"DAGSTER_HOME={home} does not exist: unset it (the project's dagster_home/ is used), or create "
            "it with a copy of dagster_home/dagster.yaml"
        )
    for setting in (SOURCE_URL, TARGET_URL, DAGSTER_URL):
        if os.environ.get(setting):
            parse_url(os.environ[setting], setting)
    missing = [setting for setting in EMBEDDED_DATABASES if not os.environ.get(setting)]
    data_dir = os.environ.get(EMBEDDED_DIR)
    server = (EmbeddedPostgres(Path(data_dir)) if data_dir else EmbeddedPostgres()) if missing else None
    try:
        for setting in missing:
            assert server is not None
            os.environ[setting] = server.url(EMBEDDED_DATABASES[setting])
        yield PipelineEnvironment(
            source_url=os.environ[SOURCE_URL],
            target_url=os.environ[TARGET_URL],
            dagster_url=os.environ[DAGSTER_URL],
            embedded=frozenset(missing),
        )
    finally:
        if server is not None:
            server.stop()
