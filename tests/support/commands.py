"""Running the project's commands as a user does: a subprocess of the venv's executables, in the checkout,
with an environment whose connection URLs are exactly the ones a test gives."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from vetmed_pipeline.core.paths import DAGSTER_HOME, REPO_ROOT
from vetmed_pipeline.seed.loader import seed_legacy

BIN = Path(sys.executable).parent
URLS = ("VETMED_SOURCE_URL", "VETMED_TARGET_URL", "DAGSTER_PG_URL")


def run(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``args[0]`` is an executable of the venv (vetmed-pipeline, dagster, dg)."""
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO_ROOT,
    )


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without its connection URLs, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in URLS}
    env.update(settings)
    return env


def seeded_environment(
    new_database: Callable[[str], str], home: Path, purpose: str, seed: int
) -> dict[str, str]:
    """What the commands need to run a migration: a seeded 40-user legacy source, a new target, Dagster's
    storage in a database of its own and ``home`` as DAGSTER_HOME (with the project's dagster.yaml)."""
    source = new_database(f"{purpose}_src")
    seed_legacy(source, scale=40, seed=seed)
    shutil.copy(DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
    return environment(
        VETMED_SOURCE_URL=source,
        VETMED_TARGET_URL=new_database(f"{purpose}_tgt"),
        DAGSTER_PG_URL=new_database(f"{purpose}_dagster"),
        DAGSTER_HOME=str(home),
    )
