"""The status of a notification, from the legacy timestamps and flags, as of the snapshot time.

The load computes it in SQL (``vetmed.notification_status`` in sql/timeseries/ddl.sql); this is the
same rule, for documentation and for the tests that hold the two together. First match wins.
"""

from __future__ import annotations

from datetime import datetime

IN_APP = "vetmed_notifications"
QUEUE = "vetmed_notification_queue"
STATUSES = ("draft", "scheduled", "sent", "delivered", "read", "dismissed", "failed")


def notification_status(
    legacy_table: str,
    *,
    created_at: datetime,
    as_of: datetime,
    sent_at: datetime | None = None,
    failed_at: datetime | None = None,
    read: bool | None = None,
    read_at: datetime | None = None,
    dismissed: bool | None = None,
    dismissed_at: datetime | None = None,
) -> str:
    if created_at > as_of:
        return "draft"  # created after the snapshot: not in effect yet
    if dismissed is True or dismissed_at is not None:
        return "dismissed"
    if read is True or read_at is not None:
        return "read"
    if failed_at is not None and (sent_at is None or failed_at >= sent_at):
        return "failed"  # failed, and not sent by a later attempt
    if legacy_table == IN_APP:
        return "delivered"  # an in-app row is in the user's inbox from created_at on
    if sent_at is not None and sent_at <= as_of:
        return "sent"
    return "scheduled"  # waiting, snoozed, due or retrying
