"""Erasure: ``forget_user`` (and ``vetmed-pipeline forget --user ID``) erases one person from the target:
their staging copy, their rows in schema vetmed and everything that references them (core/erasure.py),
their quarantined values, open and resolved, and their id in stored reports. Erase them in the legacy
application first: while the source still holds them, the next run brings them back."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from psycopg import sql

from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.erasure import erase, erase_from_reports
from vetmed_pipeline.core.preflight import SOURCE_SCHEMA
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.runs import target_tags

LEGACY_TABLE = "vetmed_users"


class ForgetConfig(dg.Config):
    #: the legacy id of the user to erase
    user_id: str


@dg.op(name="forget", out=dg.Out(dg.Nothing), description="Erase one user, and what references them.")
def forget(
    context: dg.OpExecutionContext, config: ForgetConfig, source: PostgresResource, target: PostgresResource
) -> Iterator[dg.Output[None]]:
    try:
        user_id = str(uuid.UUID(config.user_id.strip()))
    except ValueError:
        raise dg.Failure(description="user_id must be a user's id (a UUID)", allow_retries=False) from None
    with target.transaction() as cur:
        erased = erase(cur, LEGACY_TABLE, user_id, "vetmed_users")
    reports = erase_from_reports(Path(context.instance.storage_directory()) / "reports", user_id)
    with source.transaction() as cur:
        cur.execute(
            sql.SQL("SELECT EXISTS (SELECT FROM {} WHERE id = %s)").format(
                ident(SOURCE_SCHEMA, LEGACY_TABLE)
            ),
            (user_id,),
        )
        row = cur.fetchone()
    still_in_source = bool(row and row[0])
    for place, n in sorted(erased.items()):
        context.log.info(f"erased from {place}: {n} row(s)")
    context.log.info(f"reports with the id replaced by [erased]: {reports}")
    if still_in_source:
        context.log.warning(
            f"the source still holds user {user_id}: the next run brings them back. Erase them in the legacy "
            "application, then run migrate (or this job again)."
        )
    yield dg.Output(
        None,
        metadata={
            "user_id": user_id,
            "rows_erased": sum(erased.values()),
            **{f"erased {place}": n for place, n in erased.items()},
            "reports_changed": reports,
            "still_in_source": still_in_source,
        },
    )


@dg.job(
    name="forget_user",
    tags=target_tags(),
    description="Erase one user (config: user_id) from staging, the target, the quarantine and stored reports.",
)
def forget_user() -> None:
    forget()
