"""The layout holds: one folder per domain found without a list, every named statement declared and used,
the DDL manifest complete, no import cycle, every dependency an asset, every check with its severity."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import dagster as dg
import pytest

from vetmed_pipeline.core.checks import declared_severity
from vetmed_pipeline.core.db import SQL_FILES, parse_named_statements
from vetmed_pipeline.core.domains import domain_names
from vetmed_pipeline.core.paths import REPO_ROOT, SQL_DIR
from vetmed_pipeline.core.target import ddl_files
from vetmed_pipeline.definitions import defs

PACKAGE = REPO_ROOT / "vetmed_pipeline"


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def test_the_domains_are_the_defs_folders() -> None:
    assert domain_names() == [
        "animals", "carried", "compat", "extract", "medications", "migrate", "report", "timeseries", "users"
    ]  # fmt: skip


def test_every_named_statement_is_declared_and_every_declaration_is_used() -> None:
    declared: dict[str, set[str]] = {}
    for sql_file in SQL_FILES:
        declared.setdefault(sql_file.path, set()).update(
            name for name in vars(sql_file) if not name.startswith("_") and name != "path"
        )
    named = {
        path.relative_to(SQL_DIR).as_posix(): set(parse_named_statements(path.read_text(encoding="utf-8")))
        for path in SQL_DIR.rglob("*.sql")
    }
    named = {path: names for path, names in named.items() if names}
    assert set(declared) == set(named), "a .sql file of named statements without its SqlFile, or the reverse"
    for path, names in named.items():
        assert declared[path] == names, path
    # used: read as an attribute somewhere in the package besides the declaration
    attributes = {
        node.attr for _, tree in _modules() for node in ast.walk(tree) if isinstance(node, ast.Attribute)
    }
    unused = {name for names in declared.values() for name in names} - attributes
    assert unused == set()


def test_a_misspelt_statement_stops_the_import() -> None:
    from vetmed_pipeline.core.db import SqlFile, Statement

    with pytest.raises(LookupError, match=r"sql/users/load\.sql has no statement named upsert_housholds"):

        class _Typo(SqlFile, path="users/load.sql"):
            upsert_housholds: Statement


def test_the_ddl_manifest_lists_every_ddl_file_once_in_a_fixed_order() -> None:
    listed = [path.relative_to(SQL_DIR).as_posix() for path in ddl_files()]
    assert len(listed) == len(set(listed))
    on_disk = {
        path.relative_to(SQL_DIR).as_posix()
        for pattern in ("*/ddl.sql", "*/compat.sql")
        for path in SQL_DIR.glob(pattern)
    }
    assert set(listed) == on_disk
    assert listed[0] == "core/ddl.sql"


def _imports(module: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The package modules a module imports, anywhere in it (functions included)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known and name != module)
    return found


def test_the_package_has_no_import_cycle() -> None:
    trees = dict(_modules())
    graph = {module: _imports(module, tree, set(trees)) for module, tree in trees.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
    assert not any(
        module.startswith("vetmed_pipeline.defs") and "vetmed_pipeline.definitions" in imported
        for module, imported in graph.items()
    )
    assert not any(
        module.startswith("vetmed_pipeline.core")
        and any(i.startswith("vetmed_pipeline.defs") for i in imported)
        for module, imported in graph.items()
    )


def test_every_dependency_is_an_asset_of_the_code_location() -> None:
    graph = defs.resolve_asset_graph()
    materializable = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    sources = {key for key in graph.get_all_asset_keys() if key.path[0] == "legacy"}
    for key in materializable:
        assert graph.get(key).parent_keys <= materializable | sources, key.to_user_string()


def test_migrate_selects_every_asset_but_the_report() -> None:
    job = defs.resolve_job_def("migrate")
    selected = job.asset_layer.asset_graph.get_all_asset_keys()
    graph = defs.resolve_asset_graph()
    expected = {
        key
        for key in graph.get_all_asset_keys()
        if graph.get(key).is_materializable and graph.get(key).group_name != "report"
    }
    assert {key for key in selected if graph.get(key).is_materializable} == expected
    assert dg.AssetKey(["vetmed", "migration_report"]) not in selected


def test_every_check_declares_its_severity() -> None:
    graph = defs.resolve_asset_graph()
    severities = [declared_severity(graph.get_check_spec(key)) for key in graph.asset_check_keys]
    assert set(severities) == {"ERROR", "WARN"}
    assert len(severities) == 82


def test_the_generated_documents_match_the_code() -> None:
    from vetmed_pipeline.core.catalogue import documents

    for path, text in documents(defs).items():
        assert path.exists() and path.read_text(encoding="utf-8") == text, (
            f"{path.name} drifted from the code: run `vetmed-pipeline docs`"
        )
