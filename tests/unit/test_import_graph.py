"""Imports go one way: read from the source, no feature imports the studio, and features import no one in a loop."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
# The wiring at the top registers every page and table; it may import anything, the studio included.
WIRING = {"app.app", "app.models", "app.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every app module this file imports, at any depth (inside functions too: a late import is still one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "app" or name.startswith("app.")}


def package_of(module: str) -> str:
    """The top-level folder or file under app/ a module belongs to: app.tracking.state -> tracking."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def graph() -> dict[str, set[str]]:
    """Which packages each package imports (app.migrations left out: it only registers tables)."""
    edges: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        module = module_name(path)
        if module.startswith("app.migrations") or module in WIRING:
            continue
        source = package_of(module)
        targets = {package_of(name) for name in imports_of(path)} - {source, ""}
        edges.setdefault(source, set()).update(targets & {package_of(module_name(p)) for p in APP.rglob("*.py")})
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import loop among packages, each as the path that closes it."""
    found = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target == path[0]:
                found.append([*path, target])
            elif target not in path and target > path[0]:  # each loop once, from its smallest member
                visit(target, [*path, target])

    for start in sorted(edges):
        visit(start, [start])
    return found


def test_no_module_outside_the_studio_imports_it():
    offenders = sorted(
        f"{module_name(path)} imports {name}"
        for path in APP.rglob("*.py")
        if module_name(path) not in WIRING and package_of(module_name(path)) != "studio"
        for name in imports_of(path)
        if package_of(name) == "studio"
    )
    assert offenders == []


def test_packages_import_each_other_in_no_loop():
    assert cycles(graph()) == []


# The floor: configuration, the database, files and small helpers that import no feature at all.
FLOOR = {"settings", "db", "files", "http", "placeholders", "events", "limits"}


def test_the_floor_imports_only_the_floor():
    edges = graph()
    assert {module: edges.get(module, set()) - FLOOR for module in FLOOR} == {module: set() for module in FLOOR}


def test_the_content_layer_imports_only_the_floor():
    assert graph().get("content", set()) <= FLOOR


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"orders": {"tracking"}, "tracking": {"club"}, "club": {"orders"}}, [["club", "orders", "tracking", "club"]]),
        ({"orders": {"tracking"}, "tracking": set()}, []),
    ],
)
def test_the_loop_finder_finds_loops(edges, expected):
    assert cycles(edges) == expected
