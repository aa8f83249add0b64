"""Runs started from the command line, recorded the way the UI records its own.

``dagster.execute_job`` records a run without its code location, so the UI lists it only in the global
Runs page: not under Jobs > <job> > Runs, not on the Overview timeline. Here the run is created with the
origin of the workspace's code location (workspace.yaml: module ``vetmed_pipeline.definitions``, location
``vetmed_pipeline``), then executed in this process, so it shows wherever the UI's own runs show.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.execution.api import execute_run
from dagster._core.remote_origin import (
    ManagedGrpcPythonEnvCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from vetmed_pipeline.core.paths import REPO_ROOT

#: workspace.yaml's code location: its module and its name in the UI.
MODULE = "vetmed_pipeline.definitions"
LOCATION = "vetmed_pipeline"
#: the repository Dagster makes of a module-level Definitions
REPOSITORY = "__repository__"


def job_origin(job_name: str) -> RemoteJobOrigin:
    """Where the UI finds a job of this code location (what it records on the runs it launches)."""
    loadable = LoadableTargetOrigin(
        executable_path=sys.executable, module_name=MODULE, working_directory=str(REPO_ROOT)
    )
    location = ManagedGrpcPythonEnvCodeLocationOrigin(loadable, LOCATION)
    return RemoteRepositoryOrigin(location, REPOSITORY).get_job_origin(job_name)


def launch(
    instance: dg.DagsterInstance,
    job_name: str,
    *,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    asset_selection: set[dg.AssetKey] | None = None,
) -> Any:
    """Create a run of ``job_name`` (limited to ``asset_selection`` when given) under this code location
    and execute it here; returns Dagster's result (``success``, ``run_id``, ``all_events``)."""
    repository = ReconstructableRepository.for_module(MODULE, "defs", working_directory=str(REPO_ROOT))
    job = repository.get_reconstructable_job(job_name)
    if asset_selection:
        job = job.get_subset(asset_selection=asset_selection)
    definition = job.get_definition()
    run = instance.create_run_for_job(
        definition,
        run_config=run_config,
        tags={**definition.run_tags, **(tags or {})},
        asset_selection=frozenset(asset_selection) if asset_selection else None,
        remote_job_origin=job_origin(job_name),
        job_code_origin=job.get_python_origin(),
    )
    return execute_run(job, run, instance, raise_on_error=False)
