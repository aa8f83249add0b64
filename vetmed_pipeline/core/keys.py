"""Asset keys, spelled in one place: ``legacy/<table>`` (the source, never written), ``staging/<table>``
(the run's snapshot), ``vetmed/<table>`` (the target) and ``vetmed_compat/<table>`` (the rebuilt legacy
table)."""

import dagster as dg

from vetmed_pipeline.core.target import COMPAT, TARGET


def legacy_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["legacy", table])


def staging_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["staging", table])


def target_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([TARGET, table])


def compat_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([COMPAT, table])
