"""Every third-party module the app imports is installed by `make install` (pyproject's
`dependencies` and what they pull in), not only by the dev extras that CI and `make test`
install: otherwise `make run` on a fresh clone stops at the first import (it did, for the SMS
adapter's `requests`)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_modules() -> dict[str, str]:
    """Top-level modules imported anywhere under app/ (and config.py, wsgi.py): one file each."""
    found: dict[str, str] = {}
    files = [*sorted((ROOT / "app").rglob("*.py")), ROOT / "config.py", ROOT / "wsgi.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    own = {"app", "config", "wsgi"}
    return {m: f for m, f in found.items() if m not in sys.stdlib_module_names and m not in own}


def _runtime_distributions() -> set[str]:
    """The declared dependencies and, transitively, what they require (their extras too)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(spec) for spec in project["dependencies"]]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop()
        key = (_canonical(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
        for spec in distribution.requires or []:
            needed = Requirement(spec)
            if needed.marker is None or any(needed.marker.evaluate(e) for e in environments):
                todo.append(needed)
    return {name for name, _ in seen}


def test_every_module_the_app_imports_is_a_runtime_dependency() -> None:
    runtime = _runtime_distributions()
    providers = metadata.packages_distributions()
    missing = {
        module: where
        for module, where in _imported_modules().items()
        if not any(_canonical(d) in runtime for d in providers.get(module, []))
    }
    assert not missing, f"imported by the app but not in pyproject's dependencies: {missing}"


def test_the_check_sees_a_dev_only_module() -> None:
    """The check itself: pytest is installed (a dev extra) but no runtime dependency."""
    providers = metadata.packages_distributions()
    assert "pytest" not in {_canonical(d) for d in providers["pytest"]} & _runtime_distributions()
