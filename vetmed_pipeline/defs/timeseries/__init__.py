"""Time series: administrations, notifications (both legacy notification tables in one) and the audit log
in monthly partitions, the departures step, and the partition maintenance job and schedule."""
