"""`vetmed-pipeline ui` (what `make ui` runs) as a person meets it: a taken port is one line; Ctrl-C stops
the webserver, the daemon, the code server and the embedded server within 10 s, every time; and the
migration launched the way the README's UI tour says (in headless Chromium) succeeds and shows its checks.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vetmed_pipeline.core.paths import DAGSTER_HOME, REPO_ROOT
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent
URLS = ("VETMED_SOURCE_URL", "VETMED_TARGET_URL", "DAGSTER_PG_URL")
STARTUP_SECONDS = 180
STOP_SECONDS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
            return b"dagster_webserver_version" in response.read()
    except OSError:
        return False


@pytest.fixture(scope="module")
def env(
    new_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[dict[str, str]]:
    """Source and target on the test server; Dagster's storage on an embedded server of the test's own
    (inside the project, as the embedded server needs), so Ctrl-C has one to stop."""
    source = new_database("ui_src")
    seed_legacy(source, scale=40, seed=11)
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
    pgdata = DAGSTER_HOME / f"test-ui-pgdata-{worker_id}"
    settings = {k: v for k, v in os.environ.items() if k not in URLS}
    settings.update(
        VETMED_SOURCE_URL=source,
        VETMED_TARGET_URL=new_database("ui_tgt"),
        DAGSTER_HOME=str(home),
        VETMED_EMBEDDED_PGDATA=str(pgdata),
    )
    yield settings
    shutil.rmtree(pgdata, ignore_errors=True)


class UI:
    """A running `vetmed-pipeline ui` and what it printed so far."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(BIN / "vetmed-pipeline"), "ui", "--port", str(port)],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None and not self.ready():
            time.sleep(0.5)
        if not (self.ready() and _answers(port)):
            self.process.kill()
            self._reader.join(timeout=30)
            pytest.fail(f"the UI did not answer on port {port}:\n{self.output()[-3000:]}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def ready(self) -> bool:
        return any("Dagster UI ready on" in line for line in self.lines)

    def output(self) -> str:
        return "".join(self.lines)

    def interrupt(self, timeout: float) -> float:
        """Ctrl-C; returns the seconds until the command ended (killed after ``timeout``)."""
        sent = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        took = time.monotonic() - sent
        self._reader.join(timeout=10)
        return took


def _processes_of(marker: str) -> list[str]:
    found = subprocess.run(
        ["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in found.splitlines() if marker in line and "ps -ww" not in line]


def test_a_taken_port_is_one_line(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(BIN / "vetmed-pipeline"), "ui", "--port", str(port)],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"vetmed-pipeline: port {port} on 127.0.0.1 is taken (another UI?): choose another with "
        f"`make ui PORT={port + 1}` or `vetmed-pipeline ui --port {port + 1}`"
    )
    assert result.stdout == ""


def test_ctrl_c_stops_everything_within_ten_seconds_three_times(env: dict[str, str]) -> None:
    pgdata = env["VETMED_EMBEDDED_PGDATA"]
    for attempt in range(3):
        port = _free_port()
        ui = UI(env, port)
        assert _processes_of(pgdata), "the embedded server should serve DAGSTER_PG_URL"
        took = ui.interrupt(timeout=STOP_SECONDS)
        assert took < STOP_SECONDS, f"attempt {attempt + 1}: {took:.1f}s"
        assert "Traceback" not in ui.output()
        assert not _answers(port)
        assert not _processes_of(f"-p {port}"), "the webserver outlived Ctrl-C"
        assert not _processes_of(pgdata), "the embedded server outlived Ctrl-C"


def _browser() -> object:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.implicitly_wait(15)
    return driver


def test_the_readme_ui_tour_runs_the_whole_migration(env: dict[str, str]) -> None:
    """Jobs > migrate > Materialize all… > Show all partitions > All > Launch backfill: one run of every
    month succeeds, and the users table's checks show their results."""
    from selenium.webdriver.common.by import By

    driver = _browser()
    port = _free_port()
    ui = UI(env, port)
    base = f"http://127.0.0.1:{port}"

    def click(text: str, tag: str = "*") -> None:
        element = driver.find_element(By.XPATH, f"//{tag}[normalize-space(.)='{text}']")  # type: ignore[attr-defined]
        driver.execute_script("arguments[0].click()", element)  # type: ignore[attr-defined]

    try:
        driver.get(f"{base}/locations/vetmed_pipeline/jobs/migrate")  # type: ignore[attr-defined]
        click("Materialize all…", "button")
        time.sleep(2)
        for skip in driver.find_elements(By.XPATH, "//button[normalize-space(.)='Skip']"):  # type: ignore[attr-defined]
            driver.execute_script("arguments[0].click()", skip)  # type: ignore[attr-defined]
        click("Show all partitions")
        click("All", "button")
        time.sleep(1)
        click("Launch backfill", "button")

        # The run appears under the job; wait for it to succeed.
        deadline = time.monotonic() + 600
        status = ""
        while time.monotonic() < deadline and status not in ("Success", "Failure", "Canceled"):
            time.sleep(5)
            driver.get(f"{base}/locations/vetmed_pipeline/jobs/migrate/runs")  # type: ignore[attr-defined]
            time.sleep(3)
            body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
            status = next((word for word in ("Success", "Failure", "Canceled") if word in body), "")
        assert status == "Success", f"the migrate run ended {status or 'not in time'}"

        driver.get(f"{base}/assets/vetmed/vetmed_users?view=checks")  # type: ignore[attr-defined]
        time.sleep(3)
        body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert "rows_reconcile_with_source\nSucceeded" in body
        assert "user_roles_match_memberships\nSucceeded" in body
    finally:
        driver.quit()  # type: ignore[attr-defined]
        ui.interrupt(timeout=30)
