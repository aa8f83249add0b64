"""`vetmed-pipeline`: sets up the environment Dagster needs, then hands over to Dagster.

Dagster reads dagster_home/dagster.yaml (and with it DAGSTER_PG_URL) before any project code runs, so this
command first starts the embedded PostgreSQL for every URL the user did not set, exports the URLs and
DAGSTER_HOME, runs preflight checks, and only then runs the job, the UI or any dagster command.
Problems the user can fix end as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from vetmed_pipeline.core.db import connect, parse_url, redact, with_database
from vetmed_pipeline.core.embedded import ensure_database
from vetmed_pipeline.core.environment import (
    DAGSTER_URL,
    SOURCE_URL,
    TARGET_URL,
    PipelineEnvironment,
    pipeline_environment,
)
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.paths import REPO_ROOT

log = logging.getLogger("vetmed_pipeline")

EXIT_PROBLEM = 2  # the user must fix something (URL, server, schema)
EXIT_CHECKS_FAILED = 1  # the migration ran and an ERROR check failed, or a step failed


def _ensure_target_databases(env: PipelineEnvironment) -> None:
    """Create the target and Dagster databases on the user's own servers when they do not exist yet."""
    for setting, url in ((TARGET_URL, env.target_url), (DAGSTER_URL, env.dagster_url)):
        if setting in env.embedded:
            continue
        database = str(parse_url(url, setting).database)
        try:
            ensure_database(with_database(url, "postgres"), database)
        except PipelineError:
            # No maintenance database or no CREATEDB: fine if the database is already there.
            connect(url, setting).close()


def _preflight(env: PipelineEnvironment) -> None:
    from vetmed_pipeline.core.preflight import check_source, check_target

    _ensure_target_databases(env)
    _, warning = check_source(env.source_url)
    if warning and SOURCE_URL not in env.embedded:
        print(f"vetmed-pipeline: {warning}", file=sys.stderr, flush=True)
    check_target(env.target_url)
    connect(env.dagster_url, DAGSTER_URL).close()


# Progress (INFO) in the terminal; the full DEBUG event stream stays in the run's logs in the UI.
_QUIET_RUN = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def _execute(
    job_name: str, run_config: dict[str, Any] | None = None, tags: dict[str, str] | None = None
) -> Any:
    """Execute a job through Dagster (the instance of DAGSTER_HOME); returns its result and the instance's
    record of it: (result, check evaluations, checks not run)."""
    import dagster as dg

    from vetmed_pipeline.core.runs import fail_abandoned_runs, process_tags
    from vetmed_pipeline.definitions import defs
    from vetmed_pipeline.defs.report.summary import run_check_results

    names = sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__"))
    if job_name not in names:
        raise PipelineError(f"no job named {job_name!r}; jobs: {', '.join(names)}")
    job = dg.build_reconstructable_job(
        "vetmed_pipeline.definitions", "job_by_name", reconstructable_args=(job_name,)
    )
    with dg.DagsterInstance.get() as instance:
        for run_id in fail_abandoned_runs(instance):
            print(f"run {run_id} was left STARTED by a process that is gone: marked failed", flush=True)
        result = dg.execute_job(
            job,
            instance=instance,
            raise_on_error=False,
            run_config={**_QUIET_RUN, **(run_config or {})},
            tags={**process_tags(), **(tags or {})},
        )
        evaluations, not_run = run_check_results(instance, result.run_id)
    return result, evaluations, not_run


def _outputs(result: Any) -> list[tuple[str, dict[str, Any]]]:
    """What a run's steps reported: (asset or op, metadata) of every materialization and op output."""
    found = []
    for event in result.all_events:
        data = event.event_specific_data
        if event.event_type_value == "ASSET_MATERIALIZATION":
            found.append(
                (data.materialization.asset_key.to_user_string(), dict(data.materialization.metadata))
            )
        elif event.event_type_value == "STEP_OUTPUT" and data.metadata:
            found.append((event.step_key or "", dict(data.metadata)))
    return found


def run_job(job_name: str, run_config: dict[str, Any] | None = None) -> int:
    """Run a job and print what it did: the migration summary and report for migrate, the report for
    migration_report, every step's figures for the others."""
    if job_name == "migrate":
        return _run_migrate()
    result, _, _ = _execute(job_name, run_config)
    print(f"Run {result.run_id}: {'succeeded' if result.success else 'FAILED'}", flush=True)
    for name, metadata in _outputs(result):
        if job_name == "migration_report" and "report" in metadata:
            _print_report(metadata)
            continue
        print(f"  {name}", flush=True)
        for key, value in metadata.items():
            shown = getattr(value, "value", value)
            if isinstance(shown, int | float | str | bool) and "\n" not in str(shown):
                print(f"    {key}: {shown}", flush=True)
    return 0 if result.success else EXIT_CHECKS_FAILED


def _run_migrate() -> int:
    from vetmed_pipeline.defs.report.summary import Summary, check_outcomes, target_counts

    result, evaluations, not_run = _execute("migrate")
    tables, quarantine, state = target_counts(os.environ[TARGET_URL])
    summary = Summary(
        run_id=result.run_id,
        run_succeeded=result.success,
        tables=tables,
        quarantine=quarantine,
        checks=check_outcomes(evaluations),
        not_run=not_run,
        state=state,
    )
    print(summary.render(), flush=True)
    _report(result.run_id)
    return 0 if summary.ok else EXIT_CHECKS_FAILED


def _print_report(metadata: dict[str, Any]) -> None:
    text = str(metadata["report"].value).split("\n\n![")[0]
    print("\n" + text, flush=True)
    print(f"\n(report and chart: {metadata['chart'].value})", flush=True)


def _report(run_id: str) -> None:
    """Build the migration report of a migrate run (its own job: it must run also when checks failed)."""
    from vetmed_pipeline.defs.report.assets import REPORT_FOR_TAG, REPORT_KEY

    result, _, _ = _execute("migration_report", tags={REPORT_FOR_TAG: run_id})
    reports = [m for name, m in _outputs(result) if name == REPORT_KEY.to_user_string()]
    if not result.success or not reports:
        print(
            "\nThe migration report could not be built; see the migration_report run in the UI.", flush=True
        )
        return
    _print_report(reports[0])


def _run_child(command: Sequence[str]) -> int:
    """Run a child in its own process group; Ctrl-C / SIGTERM stop it (and wait for it) before we stop."""
    child = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)  # noqa: S603

    def forward(signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                return child.wait()
            except subprocess.TimeoutExpired:  # pragma: no cover
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # pragma: no cover - the child ignored SIGTERM
            os.killpg(child.pid, signal.SIGKILL)


def _dagster_executable() -> str:
    candidate = Path(sys.executable).parent / "dagster"
    return str(candidate) if candidate.exists() else "dagster"


def cmd_seed(args: argparse.Namespace) -> int:
    from vetmed_pipeline.seed.loader import seed_legacy

    with pipeline_environment() as env:
        url = args.url or env.source_url
        result = seed_legacy(url, args.scale, args.seed)
        total = sum(result.rows.values())
        print(
            f"seeded {redact(url)}: {total:,} rows in 14 tables (scale={args.scale}, seed={args.seed}) "
            f"in {result.seconds:.1f}s"
        )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _preflight(env)
        return run_job(args.job)


def cmd_forget(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _preflight(env)
        return run_job("forget_user", {"ops": {"forget": {"config": {"user_id": args.user}}}})


def cmd_demo(args: argparse.Namespace) -> int:
    from vetmed_pipeline.seed.loader import seed_legacy

    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        seeded = seed_legacy(env.source_url, args.scale, args.seed, reuse=True)
        verb = "re-used" if seeded.reused else f"built in {seeded.seconds:.1f}s"
        print(
            f"legacy database {seeded.database}: {sum(seeded.rows.values()):,} rows in 14 tables, "
            f"scale={seeded.scale} seed={seeded.seed} ({verb})",
            flush=True,
        )
        _preflight(env)
        return run_job("migrate")


def cmd_ui(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _ensure_target_databases(env)
        print(
            f"Dagster UI on http://{args.host}:{args.port} (Ctrl-C stops it and the embedded server)",
            flush=True,
        )
        command = [
            _dagster_executable(),
            "dev",
            "-w",
            str(REPO_ROOT / "workspace.yaml"),
            "-h",
            args.host,
            "-p",
            str(args.port),
        ]
        return _run_child(command)


def cmd_dagster(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        _ensure_target_databases(env)
        return _run_child([_dagster_executable(), *args.dagster_args])


def cmd_docs(args: argparse.Namespace) -> int:
    from vetmed_pipeline.core.catalogue import write
    from vetmed_pipeline.definitions import defs

    for path in write(defs):
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vetmed-pipeline",
        description="Migrate VetMed Tracker's legacy PostgreSQL schema with Dagster. URLs come from "
        f"{SOURCE_URL}, {TARGET_URL} and {DAGSTER_URL}; an embedded PostgreSQL serves the unset ones.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    seed = sub.add_parser("seed-legacy", help="build a demo legacy database (new or empty databases only)")
    seed.add_argument("--scale", type=int, default=2000, help="number of users (default 2000)")
    seed.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    seed.add_argument("--url", help=f"legacy database URL (default: {SOURCE_URL} or the embedded server)")
    seed.set_defaults(func=cmd_seed)

    run = sub.add_parser("run", help="run a job through Dagster and print what happened")
    run.add_argument("job", help="job name, e.g. migrate")
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="seed a demo legacy database, migrate it, print the summary")
    demo.add_argument("--scale", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=42)
    demo.set_defaults(func=cmd_demo)

    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on the same data")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    forget = sub.add_parser(
        "forget", help="erase one user from staging, the target, the quarantine and stored reports"
    )
    forget.add_argument("--user", required=True, help="the user's legacy id (a UUID)")
    forget.set_defaults(func=cmd_forget)

    docs = sub.add_parser("docs", help="regenerate docs/checks.md and docs/registry.md from the code")
    docs.set_defaults(func=cmd_docs)

    dagster = sub.add_parser("dagster", help="run any dagster command with the environment set")
    dagster.add_argument("dagster_args", nargs=argparse.REMAINDER)
    dagster.set_defaults(func=cmd_dagster)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("vetmed_pipeline").setLevel(logging.INFO)
    args = build_parser().parse_args(argv)
    # SIGTERM ends like Ctrl-C, so the embedded server is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        return int(args.func(args))
    except PipelineError as error:
        print(f"vetmed-pipeline: {error}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("vetmed-pipeline: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
