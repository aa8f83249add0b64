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
import socket
import subprocess
import sys
import threading
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
    job_name: str,
    run_config: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
    asset_selection: set[Any] | None = None,
) -> Any:
    """Execute a job through Dagster (the instance of DAGSTER_HOME), recorded under its job in the UI;
    returns its result and the instance's record of it: (result, check evaluations, checks not run)."""
    import dagster as dg

    from vetmed_pipeline.core.launch import launch
    from vetmed_pipeline.core.runs import fail_abandoned_runs, process_tags
    from vetmed_pipeline.definitions import defs
    from vetmed_pipeline.defs.report.summary import run_check_results

    names = sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__"))
    if job_name not in names:
        raise PipelineError(f"no job named {job_name!r}; jobs: {', '.join(names)}")
    with dg.DagsterInstance.get() as instance:
        for run_id in fail_abandoned_runs(instance):
            print(f"run {run_id} was left STARTED by a process that is gone: marked failed", flush=True)
        result = launch(
            instance,
            job_name,
            run_config={**_QUIET_RUN, **(run_config or {})},
            tags={**process_tags(), **(tags or {})},
            asset_selection=asset_selection,
        )
        evaluations, not_run = run_check_results(instance, result.run_id)
    return result, evaluations, not_run


def _outputs(result: Any) -> list[tuple[str, dict[str, Any]]]:
    """What a run's steps reported: (asset, metadata) of every materialization (one per asset: a run of
    several months records one per month, with the same step figures), and (op, metadata) of the outputs
    of steps that materialize nothing."""
    found: dict[str, dict[str, Any]] = {}
    materializing: set[str] = set()
    outputs: list[tuple[str, dict[str, Any]]] = []
    for event in result.all_events:
        data = event.event_specific_data
        if event.event_type_value == "ASSET_MATERIALIZATION":
            materializing.add(event.step_key or "")
            name = data.materialization.asset_key.to_user_string()
            found.setdefault(name, dict(data.materialization.metadata))
        elif event.event_type_value == "STEP_OUTPUT" and data.metadata:
            outputs.append((event.step_key or "", dict(data.metadata)))
    return [*found.items(), *((step, m) for step, m in outputs if step not in materializing)]


def run_job(job_name: str, run_config: dict[str, Any] | None = None) -> int:
    """Run a job and print what it did: the migration summary and report for migrate, the report for
    migration_report, every step's figures for the others."""
    if job_name == "migrate":
        return _run_migrate()
    result, _, _ = _execute(job_name, run_config)
    print(f"Run {result.run_id}: {'succeeded' if result.success else 'FAILED'}", flush=True)
    _print_outputs(result)
    return 0 if result.success else EXIT_CHECKS_FAILED


def _print_outputs(result: Any) -> None:
    """Every step's figures (the report in full)."""
    for name, metadata in _outputs(result):
        if "report" in metadata:
            _print_report(metadata)
            continue
        print(f"  {name}", flush=True)
        for key, value in metadata.items():
            shown = getattr(value, "value", value)
            if isinstance(shown, int | float | str | bool) and "\n" not in str(shown):
                print(f"    {key}: {shown}", flush=True)


def _run_migrate() -> int:
    from vetmed_pipeline.defs.migrate.jobs import all_months_tags
    from vetmed_pipeline.defs.report.summary import Summary, check_outcomes, target_counts

    result, evaluations, not_run = _execute("migrate", tags=all_months_tags())
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


STOP_GRACE_SECONDS = 5  # after SIGTERM, then SIGKILL: Ctrl-C ends everything within 10 s


def _stop_group(child: subprocess.Popen[bytes]) -> None:
    """Stop a child and every process of its group: SIGTERM, then SIGKILL if it is still there."""
    for sig, wait in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
        try:
            child.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own local server
            return bool(response.status == 200)
    except OSError:
        return False


def _run_child(command: Sequence[str], ready: tuple[str, str] | None = None) -> int:
    """Run a child in its own process group until it ends or Ctrl-C / SIGTERM arrive (then stop it and
    its group, and return 130). ``ready``: (URL to poll, line to print once it answers)."""
    stopping = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    # Handlers first: a Ctrl-C that arrives while the child starts must still stop it.
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    child = None
    try:
        child = subprocess.Popen(command, cwd=REPO_ROOT, start_new_session=True)  # noqa: S603
        announced = ready is None
        while child.poll() is None and not stopping.is_set():
            if not announced and ready is not None and _answers(ready[0]):
                print(ready[1], flush=True)
                announced = True
            stopping.wait(0.5)
        if stopping.is_set():
            print("vetmed-pipeline: stopping (Ctrl-C)", file=sys.stderr, flush=True)
            _stop_group(child)
            return 130
        return child.returncode
    finally:
        if child is not None and child.poll() is None:
            _stop_group(child)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _dagster_executable() -> str:
    candidate = Path(sys.executable).parent / "dagster"
    return str(candidate) if candidate.exists() else "dagster"


def cmd_seed(args: argparse.Namespace) -> int:
    from vetmed_pipeline.seed.loader import require_scale, seed_legacy

    require_scale(args.scale)
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


def _selected_keys(selection: str) -> set[Any]:
    """The migrate job's assets a selection names (Dagster's syntax: group:users, key:vetmed/..., ...)."""
    import dagster as dg

    from vetmed_pipeline.definitions import defs

    job = defs.resolve_job_def("migrate")
    graph = job.asset_layer.asset_graph
    try:
        keys = set(dg.AssetSelection.from_string(selection).resolve(graph))
    except Exception as error:  # Dagster's parser raises several kinds; the first line says what is wrong
        raise PipelineError(
            f"--select {selection!r} is not a selection: {str(error).splitlines()[0]} "
            "(examples: group:users, key:vetmed/vetmed_users, group:timeseries)"
        ) from None
    if not keys:
        groups = sorted({graph.get(key).group_name for key in graph.materializable_asset_keys})
        raise PipelineError(f"--select {selection!r} matches no asset; groups: {', '.join(groups)}")
    return keys


def _require_snapshot(keys: set[Any], target_url: str) -> None:
    """Loads read the snapshot (vetmed_staging): without it, say what to run first, in one line."""
    from vetmed_pipeline.core.legacy_spec import table_names
    from vetmed_pipeline.core.target import missing_staging

    if any(key.path[0] == "staging" for key in keys):
        return
    with connect(target_url, TARGET_URL) as conn, conn.cursor() as cur:
        missing = missing_staging(cur, table_names())
    if missing:
        raise PipelineError(
            "the target holds no snapshot of the legacy database yet: run `vetmed-pipeline run migrate` "
            "first, or add the extract to the selection (--select 'group:extract or group:users')"
        )


def cmd_materialize(args: argparse.Namespace) -> int:
    from vetmed_pipeline.core.partitions import MONTHLY
    from vetmed_pipeline.defs.report.summary import check_outcomes

    tags: dict[str, str] = {}
    known = MONTHLY.get_partition_keys()
    if args.partition:
        if args.partition not in known:
            raise PipelineError(
                f"--partition {args.partition!r} is not a month of the window ({known[0]} ... {known[-1]})"
            )
        tags["dagster/partition"] = args.partition
    elif args.partition_range:
        start, _, end = args.partition_range.partition("...")
        if start not in known or end not in known or start > end:
            raise PipelineError(
                f"--partition-range {args.partition_range!r} must be <first>...<last>, two months of the "
                f"window ({known[0]} ... {known[-1]}), the first not after the last"
            )
        tags["dagster/asset_partition_range_start"] = start
        tags["dagster/asset_partition_range_end"] = end
    keys = _selected_keys(args.select)
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _preflight(env)
        _require_snapshot(keys, env.target_url)
        result, evaluations, _ = _execute("migrate", tags=tags, asset_selection=keys)
        print(f"Run {result.run_id}: {'succeeded' if result.success else 'FAILED'}", flush=True)
        _print_outputs(result)
        outcomes = check_outcomes(evaluations)
        print(f"{sum(o.passed for o in outcomes)}/{len(outcomes)} checks passed", flush=True)
        for outcome in outcomes:
            if not outcome.passed:
                print(f"  FAIL ({outcome.severity}) {outcome.asset} :: {outcome.name}", flush=True)
        blocked = any(outcome.blocks_success for outcome in outcomes)
        return 0 if result.success and not blocked else EXIT_CHECKS_FAILED


def cmd_forget(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _preflight(env)
        return run_job("forget_user", {"ops": {"forget": {"config": {"user_id": args.user}}}})


def cmd_demo(args: argparse.Namespace) -> int:
    from vetmed_pipeline.seed.loader import require_scale, seed_legacy

    require_scale(args.scale)
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
    if not _port_free(args.host, args.port):
        raise PipelineError(
            f"port {args.port} on {args.host} is taken (another UI?): choose another with "
            f"`make ui PORT={args.port + 1}` or `vetmed-pipeline ui --port {args.port + 1}`"
        )
    with pipeline_environment() as env:
        print(env.describe(), flush=True)
        _ensure_target_databases(env)
        address = f"http://{args.host}:{args.port}"
        print(f"starting the Dagster UI on {address} ...", flush=True)
        command = [
            sys.executable,
            # `dagster dev` says on every start that `dg dev` supersedes it; both run the same server.
            "-W",
            "ignore::FutureWarning",
            _dagster_executable(),
            "dev",
            "-w",
            str(REPO_ROOT / "workspace.yaml"),
            "-h",
            args.host,
            "-p",
            str(args.port),
            # Warnings and errors in the terminal; every run's events are in the UI.
            "--log-level",
            "warning",
            "--code-server-log-level",
            "warning",
        ]
        ready = f"Dagster UI ready on {address} (Ctrl-C stops it and the embedded server)"
        return _run_child(command, ready=(f"{address}/server_info", ready))


def cmd_dagster(args: argparse.Namespace) -> int:
    with pipeline_environment() as env:
        _ensure_target_databases(env)
        return _run_child(
            [sys.executable, "-W", "ignore::FutureWarning", _dagster_executable(), *args.dagster_args]
        )


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
    ui.add_argument("--port", type=int, default=3000, help="default 3000 (make ui PORT=3001)")
    ui.set_defaults(func=cmd_ui)

    forget = sub.add_parser(
        "forget", help="erase one user from staging, the target, the quarantine and stored reports"
    )
    forget.add_argument("--user", required=True, help="the user's legacy id (a UUID)")
    forget.set_defaults(func=cmd_forget)

    materialize = sub.add_parser(
        "materialize", help="materialize some assets of the migration (a domain, a table, some months)"
    )
    materialize.add_argument(
        "--select", required=True, help="Dagster asset selection, e.g. group:users or key:vetmed/vetmed_users"
    )
    months = materialize.add_mutually_exclusive_group()
    months.add_argument("--partition", help="one month of the time series, e.g. 2025-03-01")
    months.add_argument("--partition-range", help="months <first>...<last>, e.g. 2025-01-01...2025-06-01")
    materialize.set_defaults(func=cmd_materialize)

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
