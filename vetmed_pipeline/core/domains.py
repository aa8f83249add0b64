"""The domains are the folders of vetmed_pipeline/defs/: found there, never listed by hand.

A domain folder may hold ``definitions.py`` (its ``defs = dg.Definitions(...)``, merged by
vetmed_pipeline/definitions.py) and ``placements.py`` (its part of the normalization registry). Only those
modules are imported here, so reading the registry does not build every domain's assets.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from vetmed_pipeline.core.paths import DEFS_DIR

PACKAGE = "vetmed_pipeline.defs"


def domain_names() -> list[str]:
    """The domain folders, in name order."""
    return sorted(path.parent.name for path in DEFS_DIR.glob("*/__init__.py"))


def domain_modules(module: str) -> list[ModuleType]:
    """``vetmed_pipeline.defs.<domain>.<module>`` of every domain that has one, in domain name order."""
    return [
        importlib.import_module(f"{PACKAGE}.{name}.{module}")
        for name in domain_names()
        if (DEFS_DIR / name / f"{module}.py").exists()
    ]
