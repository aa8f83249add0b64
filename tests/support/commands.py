"""Running the project's commands as a user does: a subprocess of the venv's executables, in the checkout,
with an environment whose connection URLs are exactly the ones a test gives."""

import os
import subprocess
import sys
from pathlib import Path

from vetmed_pipeline.core.paths import REPO_ROOT

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
