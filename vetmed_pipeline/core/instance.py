"""The Dagster instance's storage (dagster_home/dagster.yaml): dagster-postgres at ``DAGSTER_PG_URL``.

Dagster's own ``postgres`` storage, when that variable is unset or its URL malformed, ends every dagster
command with a traceback of some 70 lines. This storage is the same PostgreSQL storage; it reads the URL
itself and, when it cannot use it, ends the command with one line saying what to set and exit status 2.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from dagster._serdes import ConfigurableClassData
from dagster_postgres import DagsterPostgresStorage

from vetmed_pipeline.core.db import parse_url
from vetmed_pipeline.core.environment import DAGSTER_URL as SETTING
from vetmed_pipeline.core.errors import PipelineError

EXIT_PROBLEM = 2


def storage_url() -> str:
    """The storage's URL, or a PipelineError saying what to set."""
    url = os.environ.get(SETTING, "")
    if not url:
        raise PipelineError(
            f"{SETTING} is not set: run dagster through `vetmed-pipeline dagster ...` (it starts the "
            f"embedded server for unset URLs) or export {SETTING}, VETMED_SOURCE_URL and VETMED_TARGET_URL"
        )
    parse_url(url, SETTING)
    return url


class PipelineStorage(DagsterPostgresStorage):
    """dagster-postgres storage whose missing or malformed URL is one line, not a traceback."""

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value: Any) -> PipelineStorage:
        try:
            url = storage_url()
        except PipelineError as error:
            print(f"vetmed-pipeline: {error}", file=sys.stderr, flush=True)
            raise SystemExit(EXIT_PROBLEM) from None
        return cls(postgres_url=url, inst_data=inst_data)
