"""`make bench`: the migration against its floors, on one server in one run (issue 13).

    make bench SCALE=100000 BENCH_URL=postgresql://postgres@127.0.0.1:5432/postgres
    PYTHONPATH=. .venv/bin/python benchmarks/bench.py --scale 2000 --url postgresql://...

On the server of --url (else VETMED_BENCH_DATABASE_URL's, else the embedded one) it seeds a legacy database
(`seed-legacy --scale N --seed 42`) and runs `vetmed-pipeline run migrate` in a subprocess three times:

1. full: into an empty target;
2. no-op: again, nothing changed;
3. 1%: after benchmarks/changes.sql changed about 1% of the rows of every legacy table (updates, deletes,
   inserts, membership role changes, time-series rows moved to another month).

Each run is timed (wall clock of the command, which also builds the migration report, and the `migrate`
run itself as Dagster recorded it), with the peak RSS of the process (wait4's ru_maxrss) and every step's
seconds from the run's step stats. Every asset check must pass in every run; a failed or missing one is
printed loudly and the result is marked. Then the floors: F_in is `pg_restore -j 1` of a `pg_dump -Fd` of
the legacy database (as seeded) into a new database, F_out the same for `pg_dump -Fd -n vetmed` of the
target after the full run. Prints the seconds and ratios against the issue's targets and appends them, with
the machine, the server's version, the load average and the git commit, to benchmarks/results.jsonl.
Every database it creates (bench_<random>_*) is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
from common import RESULTS, admin_url, fresh_databases, postgres_version

from vetmed_pipeline.core.db import connect, libpq_url, parse_named_statements
from vetmed_pipeline.core.paths import DAGSTER_HOME, REPO_ROOT
from vetmed_pipeline.seed.loader import count_rows

CHANGES_SQL = Path(__file__).resolve().parent / "changes.sql"
#: (name, seconds measured, floor, the issue's limit of the ratio)
TARGETS = {"full": ("F_out", 2.5), "noop": ("F_in", 1.5), "one_percent": ("F_in", 2.0)}
RSS_LIMIT_MB = 1024
SCALING_LIMIT = 11.0


def load() -> str:
    """The load average now (1, 5, 15 minutes), as `uptime` shows it."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


@dataclass
class MigrateRun:
    name: str
    command_seconds: float
    migrate_seconds: float | None
    report_seconds: float | None
    peak_rss_mb: float
    tree_rss_mb: float
    #: the step running when the sampled RSS peaked (steps run one after another, in process)
    peak_rss_step: str | None
    exit_code: int
    run_id: str | None
    load_before: str
    load_after: str
    checks_total: int = 0
    failed_checks: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Every check ran and passed, and the command succeeded."""
        return self.exit_code == 0 and not self.failed_checks and not self.not_run and self.checks_total > 0

    @property
    def errors_ok(self) -> bool:
        """No ERROR check failed, every check ran, and the command succeeded (WARN failures aside)."""
        return (
            self.exit_code == 0
            and not self.not_run
            and self.checks_total > 0
            and not any(check.endswith("(ERROR)") for check in self.failed_checks)
        )


class Bench:
    def __init__(self, urls: dict[str, str], home: Path, log_dir: Path) -> None:
        self.urls = urls
        self.home = home
        self.log_dir = log_dir
        # The bench reads the runs' records from the same Dagster storage the subprocess writes.
        os.environ["DAGSTER_PG_URL"] = urls["dagster"]
        import dagster as dg

        self.instance = dg.DagsterInstance.from_config(str(home))

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            VETMED_SOURCE_URL=self.urls["legacy"],
            VETMED_TARGET_URL=self.urls["target"],
            DAGSTER_PG_URL=self.urls["dagster"],
            DAGSTER_HOME=str(self.home),
            PYTHONPATH=os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]),
        )
        return env

    def migrate(self, name: str) -> MigrateRun:
        """`vetmed-pipeline run migrate` in a subprocess, timed, its peak memory and checks collected."""
        import dagster as dg

        from vetmed_pipeline.defs.report.summary import check_outcomes, run_check_results

        before = load()
        log_path = self.log_dir / f"migrate-{name}.log"
        command = [sys.executable, "-m", "vetmed_pipeline.cli", "run", "migrate"]
        started = time.perf_counter()
        with log_path.open("w", encoding="utf-8") as log:
            child = subprocess.Popen(  # noqa: S603
                command, cwd=REPO_ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
            )
            tree_peak = _sample_tree_rss(child.pid)
            _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        tree_peak.stop()
        runs = {
            job: self.instance.get_runs(filters=dg.RunsFilter(job_name=job), limit=1)
            for job in ("migrate", "migration_report")
        }
        migrate_run = runs["migrate"][0] if runs["migrate"] else None
        result = MigrateRun(
            name=name,
            command_seconds=round(seconds, 2),
            migrate_seconds=self._run_seconds(migrate_run),
            report_seconds=self._run_seconds(
                runs["migration_report"][0] if runs["migration_report"] else None
            ),
            # Linux reports ru_maxrss in kilobytes.
            peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
            tree_rss_mb=round(tree_peak.peak / 2**20, 1),
            peak_rss_step=None,
            exit_code=child.returncode,
            run_id=migrate_run.run_id if migrate_run else None,
            load_before=before,
            load_after=load(),
        )
        if migrate_run is not None:
            evaluations, result.not_run = run_check_results(self.instance, migrate_run.run_id)
            outcomes = check_outcomes(evaluations)
            result.checks_total = len(outcomes) + len(result.not_run)
            result.failed_checks = sorted(
                f"{o.asset} :: {o.name} ({o.severity})" for o in outcomes if not o.passed
            )
            spans = {
                stat.step_key: (stat.start_time, stat.end_time)
                for stat in self.instance.get_run_step_stats(migrate_run.run_id)
                if stat.start_time is not None and stat.end_time is not None
            }
            result.steps = {key: round(end - start, 3) for key, (start, end) in spans.items()}
            result.peak_rss_step = next(
                (key for key, (start, end) in spans.items() if start <= tree_peak.peak_at <= end),
                "outside the migrate run's steps (start-up, summary or the report)",
            )
        if not result.ok:
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
            print("\n".join(tail), file=sys.stderr)
            print(
                f"\n!!! {name}: exit {result.exit_code}, {len(result.failed_checks)} failed and "
                f"{len(result.not_run)} unrun of {result.checks_total} checks (log: {log_path})\n"
                + "".join(f"!!!   FAILED  {check}\n" for check in result.failed_checks)
                + "".join(f"!!!   NOT RUN {check}\n" for check in result.not_run),
                file=sys.stderr,
                flush=True,
            )
        print(
            f"{name}: {result.command_seconds:.1f} s (migrate run {result.migrate_seconds} s), "
            f"peak RSS {result.peak_rss_mb} MB (sampled {result.tree_rss_mb} MB in {result.peak_rss_step}), checks {'all passed' if result.ok else 'NOT ALL PASSED'} "
            f"(load {before} -> {result.load_after})",
            flush=True,
        )
        return result

    def _run_seconds(self, run: Any) -> float | None:
        if run is None:
            return None
        stats = self.instance.get_run_stats(run.run_id)
        if stats.start_time is None or stats.end_time is None:
            return None
        return round(stats.end_time - stats.start_time, 2)


class _TreePeak:
    """The highest summed RSS of a process and its descendants, sampled every 0.2 s in a thread."""

    def __init__(self, pid: int) -> None:
        self.peak = 0
        #: when the peak was sampled (epoch seconds, as Dagster's step stats)
        self.peak_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(pid,), daemon=True)
        self._thread.start()

    def _sample(self, pid: int) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.wait(0.2):
            try:
                processes = [root, *root.children(recursive=True)]
                total = 0
                for process in processes:
                    try:
                        total += process.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.ZombieProcess):
                        continue
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                return
            if total > self.peak:
                self.peak, self.peak_at = total, time.time()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _sample_tree_rss(pid: int) -> _TreePeak:
    return _TreePeak(pid)


def apply_changes(legacy_url: str) -> dict[str, int]:
    """Run benchmarks/changes.sql on the legacy database in one transaction: {statement: rows}."""
    statements = parse_named_statements(CHANGES_SQL.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    with connect(legacy_url, "the bench's legacy database") as conn, conn.cursor() as cur:
        for name, text in statements.items():
            cur.execute(text)
            counts[name] = cur.rowcount
        conn.commit()
        conn.execute("ANALYZE")  # as the application's autovacuum would, before the next run
        conn.commit()
    return counts


def floor_seconds(source_url: str, restore_url: str, dump_dir: Path, schema: str | None) -> dict[str, Any]:
    """pg_dump -Fd (of one schema, or all) of a database, then the timed pg_restore -j 1 of it into a new
    database: the floor a migration of those rows is compared with."""
    dump = ["pg_dump", "-Fd", "-f", str(dump_dir), *(["-n", schema] if schema else []), libpq_url(source_url)]
    started = time.perf_counter()
    subprocess.run(dump, check=True)  # noqa: S603
    dumped = time.perf_counter() - started
    before = load()
    restore = ["pg_restore", "-j", "1", "-d", libpq_url(restore_url), str(dump_dir)]
    started = time.perf_counter()
    restored = subprocess.run(restore, capture_output=True, text=True)  # noqa: S603
    seconds = time.perf_counter() - started
    errors = [line for line in restored.stderr.splitlines() if "error" in line.lower()]
    if restored.returncode != 0:
        print(
            f"!!! pg_restore into {restore_url.rsplit('/', 1)[-1]}:\n{restored.stderr[-2000:]}",
            file=sys.stderr,
        )
    size = sum(path.stat().st_size for path in dump_dir.iterdir())
    return {
        "seconds": round(seconds, 2),
        "dump_seconds": round(dumped, 2),
        "dump_mb": round(size / 2**20, 1),
        "restore_exit_code": restored.returncode,
        "restore_errors": len(errors),
        "load_before": before,
        "load_after": load(),
    }


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks/results.jsonl")
    return git("rev-parse", "--short=12", "HEAD") + ("+dirty" if dirty else "")


def server_info(admin: str) -> tuple[str, str]:
    with connect(admin, "bench") as conn:
        row = conn.execute("SELECT version()").fetchone()
        return postgres_version(conn.info.server_version), str(row[0]) if row else ""


def scaling(scale: int, full_seconds: float) -> dict[str, Any] | None:
    """time(1m)/time(100k) from this run and the latest recorded run at the other scale, when there is one."""
    other = {100_000: 1_000_000, 1_000_000: 100_000}.get(scale)
    if other is None or not RESULTS.exists():
        return None
    previous = [
        line
        for line in map(json.loads, RESULTS.read_text(encoding="utf-8").splitlines())
        if line.get("benchmark") == "bench" and line.get("scale_users") == other
    ]
    if not previous:
        return None
    then = previous[-1]["runs"]["full"]["command_seconds"]
    small, large = (full_seconds, then) if scale < other else (then, full_seconds)
    return {
        "ratio": round(large / small, 2),
        "limit": SCALING_LIMIT,
        "other_measured_at": previous[-1]["measured_at"],
    }


def print_table(figures: dict[str, Any]) -> None:
    runs, floors = figures["runs"], figures["floors"]
    print(
        f"\n== bench, scale {figures['scale_users']:,} users ({figures['legacy_rows']:,} legacy rows), "
        f"PostgreSQL {figures['postgres']}, {figures['machine']['cores']} cores, load {figures['load_start']}"
    )
    print(
        f"{'measure':<14}{'seconds':>10}{'migrate run':>13}{'floor':>8}{'ratio':>8}{'target':>8}  "
        f"{'peak RSS':>9}  checks   load after"
    )
    for name, run in runs.items():
        floor_name, limit = TARGETS[name]
        ratio = figures["ratios"][name]
        verdict = "ok" if ratio <= limit else "MISSED"
        print(
            f"{name:<14}{run['command_seconds']:>10.1f}{run['migrate_seconds'] or 0:>13.1f}{floor_name:>8}"
            f"{ratio:>8.2f}{'<= ' + str(limit):>8} {verdict:<6}{run['peak_rss_mb']:>7.0f} MB  "
            f"{'pass' if run['all_checks_passed'] else 'FAIL':<8} {run['load_after']}"
        )
    for name, floor in floors.items():
        print(
            f"{name:<14}{floor['seconds']:>10.1f}   (pg_restore -j 1; dump {floor['dump_seconds']} s, "
            f"{floor['dump_mb']} MB; load after {floor['load_after']})"
        )
    print(
        f"peak RSS {figures['peak_rss_mb']:.0f} MB (limit {RSS_LIMIT_MB} MB): "
        f"{'ok' if figures['peak_rss_mb'] < RSS_LIMIT_MB else 'MISSED'}"
    )
    if figures.get("scaling"):
        s = figures["scaling"]
        print(
            f"time(1m)/time(100k) = {s['ratio']} (limit {s['limit']}): {'ok' if s['ratio'] <= s['limit'] else 'MISSED'}"
        )
    for name, run in runs.items():
        slowest = sorted(run["steps_seconds"].items(), key=lambda item: -item[1])[:8]
        print(f"{name} slowest steps: " + ", ".join(f"{key} {value:.1f}" for key, value in slowest))
    if not figures["all_checks_passed"]:
        failed = sorted({check for run in runs.values() for check in run["failed_checks"]})
        print(
            "\n!!! NOT EVERY CHECK PASSED IN EVERY RUN: these figures are marked all_checks_passed=false !!!"
        )
        print("".join(f"!!!   FAILED  {check}\n" for check in failed), end="")
        print(
            f"!!! ERROR checks, runs and restores: {'all fine' if figures['no_error_check_failed'] else 'FAILED'}; "
            f"WARN failures new after the full run: {figures['warnings_new_after_full'] or 'none'}"
        )


def run(admin: str, scale: int, seed: int, keep_logs: Path) -> dict[str, Any]:
    version, version_text = server_info(admin)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load_start = load()
    roles = ("legacy", "target", "dagster", "floor_in", "floor_out")
    with fresh_databases(admin, *roles) as urls, tempfile.TemporaryDirectory(prefix="vetmed-bench-") as tmp:
        home = Path(tmp) / "dagster_home"
        home.mkdir()
        shutil.copy(DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
        # In a process of its own: a child's ru_maxrss starts from its parent's resident size at fork on
        # Linux, so a parent that generated a million rows would inflate every run's peak RSS.
        seed_started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "vetmed_pipeline.cli",
                "seed-legacy",
                "--scale",
                str(scale),
                "--seed",
                str(seed),
                "--url",
                urls["legacy"],
            ],
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seeded = SimpleNamespace(rows=count_rows(urls["legacy"]), seconds=time.perf_counter() - seed_started)
        legacy_rows = sum(seeded.rows.values())
        print(f"seeded {legacy_rows:,} legacy rows in {seeded.seconds:.1f} s (load {load()})", flush=True)
        dumps = Path(tmp) / "dumps"
        dumps.mkdir()
        bench = Bench(urls, home, keep_logs)
        runs = {"full": bench.migrate("full"), "noop": bench.migrate("noop")}
        # F_out's input: the target as the full run (and the no-op re-run) left it.
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            ["pg_dump", "-Fd", "-f", str(dumps / "out"), "-n", "vetmed", libpq_url(urls["target"])],  # noqa: S607
            check=True,
        )
        out_dump_seconds = round(time.perf_counter() - started, 2)
        with connect(urls["target"], "target") as conn:
            row = conn.execute(
                "SELECT sum(c.reltuples)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'vetmed' AND c.relkind = 'r'"
            ).fetchone()
            target_rows = int(row[0]) if row and row[0] is not None else 0
        changed_at = time.perf_counter()
        changes = apply_changes(urls["legacy"])
        changes_seconds = time.perf_counter() - changed_at
        after_rows = count_rows(urls["legacy"])
        print(f"1% change set: {sum(changes.values()):,} rows in {changes_seconds:.1f} s", flush=True)
        runs["one_percent"] = bench.migrate("one_percent")
        # Floors last, one after the other, nothing else of ours running. F_in: the legacy database as it
        # is now (after the 1% change: within 0.1% of the seeded size).
        floors = {
            "F_in": floor_seconds(urls["legacy"], urls["floor_in"], dumps / "in", None),
        }
        restore_out = ["pg_restore", "-j", "1", "-d", libpq_url(urls["floor_out"]), str(dumps / "out")]
        before = load()
        started = time.perf_counter()
        restored = subprocess.run(restore_out, capture_output=True, text=True)  # noqa: S603
        floors["F_out"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "dump_seconds": out_dump_seconds,
            "dump_mb": round(sum(p.stat().st_size for p in (dumps / "out").iterdir()) / 2**20, 1),
            "restore_exit_code": restored.returncode,
            "restore_errors": sum("error" in line.lower() for line in restored.stderr.splitlines()),
            "load_before": before,
            "load_after": load(),
        }
        if restored.returncode != 0:
            print(f"!!! pg_restore of the target:\n{restored.stderr[-2000:]}", file=sys.stderr)
    memory = psutil.virtual_memory().total
    figures: dict[str, Any] = {
        "benchmark": "bench",
        "measured_at": started_at,
        "git_commit": git_commit(),
        "machine": {
            "platform": platform.platform(),
            "cores": os.cpu_count(),
            "ram_gb": round(memory / 2**30, 1),
        },
        "postgres": version,
        "postgres_version": version_text,
        "load_start": load_start,
        "load_end": load(),
        "scale_users": scale,
        "seed": seed,
        "legacy_rows": legacy_rows,
        "legacy_rows_after_changes": sum(after_rows.values()),
        "target_rows": target_rows,
        "seed_seconds": round(seeded.seconds, 2),
        "changes_seconds": round(changes_seconds, 2),
        "changes": changes,
        "floors": floors,
        "runs": {
            name: {
                "command_seconds": r.command_seconds,
                "migrate_seconds": r.migrate_seconds,
                "report_seconds": r.report_seconds,
                "peak_rss_mb": r.peak_rss_mb,
                "tree_rss_mb": r.tree_rss_mb,
                "peak_rss_step": r.peak_rss_step,
                "exit_code": r.exit_code,
                "run_id": r.run_id,
                "checks": r.checks_total,
                "all_checks_passed": r.ok,
                "no_error_check_failed": r.errors_ok,
                "failed_checks": r.failed_checks,
                "not_run_checks": r.not_run,
                "load_before": r.load_before,
                "load_after": r.load_after,
                "steps_seconds": r.steps,
            }
            for name, r in runs.items()
        },
    }
    figures["ratios"] = {
        name: round(runs[name].command_seconds / floors[floor]["seconds"], 2)
        for name, (floor, _) in TARGETS.items()
    }
    figures["ratios_migrate_run"] = {
        name: round((runs[name].migrate_seconds or 0) / floors[floor]["seconds"], 2)
        for name, (floor, _) in TARGETS.items()
    }
    figures["targets"] = {
        **{
            f"{name} <= {limit}x {floor}": figures["ratios"][name] <= limit
            for name, (floor, limit) in TARGETS.items()
        },
        f"peak RSS < {RSS_LIMIT_MB} MB": max(r.peak_rss_mb for r in runs.values()) < RSS_LIMIT_MB,
    }
    figures["peak_rss_mb"] = max(r.peak_rss_mb for r in runs.values())
    restores_ok = all(f["restore_exit_code"] == 0 for f in floors.values())
    figures["all_checks_passed"] = all(r.ok for r in runs.values()) and restores_ok
    figures["no_error_check_failed"] = all(r.errors_ok for r in runs.values()) and restores_ok
    # WARN checks failing after a change although they passed after the full run: the change broke them.
    figures["warnings_new_after_full"] = sorted(
        {check for r in runs.values() for check in r.failed_checks} - set(runs["full"].failed_checks)
    )
    figures["scaling"] = scaling(scale, runs["full"].command_seconds)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=100_000, help="legacy users (default 100000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="a URL of the server to measure on (its maintenance database is used)")
    parser.add_argument(
        "--logs", type=Path, default=DAGSTER_HOME / "bench-logs", help="where the runs' output is kept"
    )
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    with admin_url(args.url) as url:
        figures = run(url, args.scale, args.seed, args.logs)
    print_table(figures)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")
    print(f"\nappended to {RESULTS.relative_to(REPO_ROOT)}")
    # WARN failures are marked and printed; an ERROR check, a failed run or restore fails the command.
    return 0 if figures["no_error_check_failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
