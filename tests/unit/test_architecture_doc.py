"""docs/ARCHITECTURE.md matches the tree: the module paths it names exist, the import rules it states
hold (imports read with ast), and every docstring reference to docs/decisions.md names a section
that exists."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import REPO_ROOT

DOCS = REPO_ROOT / "docs"
ARCHITECTURE = (DOCS / "ARCHITECTURE.md").read_text()
TOP = r"(?:app|workers|cli|testbed|tests|frontend|migrations|scripts|docs)"
PATH = re.compile(rf"(?<![\w./-])({TOP}/[\w./-]*[\w/])")
DOTTED = re.compile(r"`((?:app|workers|cli|testbed)(?:\.\w+)+)`")
CODE_DIRS = ("app", "workers", "cli", "testbed", "tests", "scripts", "migrations")
PROJECT = {"app", "workers", "cli", "testbed"}
DECISION_REF = re.compile(r"docs/decisions\.md(, \"([^\"]+)\")?")


def _python_files(*dirs: str) -> Iterator[Path]:
    for name in dirs:
        yield from sorted((REPO_ROOT / name).rglob("*.py"))


def _imports(source: str) -> Iterator[str]:
    """Every module a file imports (for `from m import n`, both m and m.n: n may be a module)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _under(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def engine_refuses(name: str) -> bool:
    top = name.split(".")[0]
    # `from workers import engine` is judged by its `workers.engine` form.
    outside = top == "workers" and name != "workers" and not _under(name, "workers.engine")
    return top in {"app", "flask", "celery", "sqlalchemy", "cli", "testbed"} or outside


def workers_refuse(name: str) -> bool:
    top = name.split(".")[0]
    return (
        top in {"flask", "cli", "testbed"}
        or top.startswith("flask_")
        or _under(name, "app.api", "app.extensions", "app.create_app")
    )


def app_refuses(name: str) -> bool:
    return name.split(".")[0] in {"workers", "cli", "testbed"}


def cli_refuses(name: str) -> bool:
    if name.split(".")[0] not in PROJECT or name in {"app", "workers"}:
        return False  # `from app import config` is checked through its `app.config` form
    return not _under(
        name,
        "workers.engine",
        "app.config",
        "app.models",
        "app.profiles",
        "cli",
        "workers.jobs.sync_state_store",
    )


RULES: list[tuple[str, str | None, Callable[[str], bool]]] = [
    ("workers/engine", None, engine_refuses),
    ("workers", "workers/engine", workers_refuse),
    ("app", None, app_refuses),
    ("cli", None, cli_refuses),
]


def violations(folder: str, skip: str | None, refuses: Callable[[str], bool]) -> list[str]:
    found = []
    for path in _python_files(folder):
        if skip is not None and path.is_relative_to(REPO_ROOT / skip):
            continue
        found += [
            f"{path.relative_to(REPO_ROOT)}: {name}" for name in _imports(path.read_text()) if refuses(name)
        ]
    return found


def test_every_module_path_the_architecture_names_exists() -> None:
    paths = set(PATH.findall(ARCHITECTURE))
    assert len(paths) > 40  # the traced request alone names about thirty modules
    assert sorted(p for p in paths if not (REPO_ROOT / p).exists()) == []
    dotted = set(DOTTED.findall(ARCHITECTURE))
    missing = [
        name
        for name in dotted
        if not (REPO_ROOT / f"{name.replace('.', '/')}.py").exists()
        and not (REPO_ROOT / name.replace(".", "/")).is_dir()
    ]
    assert missing == []


@pytest.mark.parametrize(("folder", "skip", "refuses"), RULES, ids=[rule[0] for rule in RULES])
def test_the_import_rules_hold(folder: str, skip: str | None, refuses: Callable[[str], bool]) -> None:
    assert violations(folder, skip, refuses) == []


def test_the_rules_catch_a_forbidden_import() -> None:
    bad = "\n".join(
        (
            "from sqlalchemy import select",
            "import flask",
            "from app.extensions import db",
            "from workers import tasks",
        )
    )
    refused = {name for name in _imports(bad) if engine_refuses(name)}
    assert refused == {
        "sqlalchemy",
        "sqlalchemy.select",
        "flask",
        "app.extensions",
        "app.extensions.db",
        "workers.tasks",
    }
    assert (
        workers_refuse("flask") and workers_refuse("app.extensions.db") and not workers_refuse("app.dispatch")
    )
    assert app_refuses("workers.tasks") and cli_refuses("app.services.runs") and not cli_refuses("app.config")


def test_product_code_loads_the_test_bed_only_in_the_demo_command() -> None:
    loaders = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in _python_files("app", "workers", "cli")
        if re.search(r"import_module\(\s*[\"']testbed", path.read_text())
    ]
    assert loaders == ["cli/demo.py"]


def test_every_decision_reference_names_a_section_that_exists() -> None:
    sections = set(re.findall(r"^## (.+)$", (DOCS / "decisions.md").read_text(), flags=re.M))
    refs = [
        (path.relative_to(REPO_ROOT).as_posix(), match.group(2))
        for path in _python_files(*CODE_DIRS)
        if path != Path(__file__)  # this checker names the file without a section
        for match in DECISION_REF.finditer(path.read_text())
    ]
    assert refs, "the code cites docs/decisions.md"
    assert [(path, section) for path, section in refs if section not in sections] == []


def test_every_doc_the_code_cites_exists() -> None:
    cited = {
        name
        for path in _python_files(*CODE_DIRS)
        for name in re.findall(r"docs/[\w-]+\.md", path.read_text())
    }
    assert sorted(name for name in cited if not (REPO_ROOT / name).exists()) == []
