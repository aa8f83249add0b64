"""Writes to a test's own legacy database, done the way the legacy application has to do them."""

from __future__ import annotations

from typing import Any

import psycopg


def delete_user(conn: psycopg.Connection[Any], user_id: str) -> None:
    """Delete a user and the rows whose NO ACTION references would block it (co-sign requests of their
    administrations, administrations, audit log, notification queue), in the caller's transaction."""
    for statement in (
        "DELETE FROM vetmed_cosign_requests WHERE administration_id IN (SELECT id FROM vetmed_administrations "
        "WHERE caregiver_id = %(u)s OR co_sign_user_id = %(u)s)",
        "DELETE FROM vetmed_administrations WHERE caregiver_id = %(u)s OR co_sign_user_id = %(u)s",
        "DELETE FROM vetmed_audit_log WHERE user_id = %(u)s",
        "DELETE FROM vetmed_notification_queue WHERE user_id = %(u)s",
        "DELETE FROM vetmed_users WHERE id = %(u)s",
    ):
        conn.execute(statement, {"u": user_id})
