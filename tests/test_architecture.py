"""The folder tree is the architecture (README "Architecture"): these tests keep it so.

- no import circle anywhere in the project's own modules (lazy imports inside functions count too: a
  function-level import used to dodge a circle is still a circle);
- no top-level module of `inspections/` named for a capability (those live in their folders);
- the extraction evaluation is a tool, outside the web app's import graph.

Read from the source with `ast`, so nothing is imported and the test needs no Django.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sendtracker", "areas", "inspections", "evaluation")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # generated; they import only Django and their own app's helpers
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Project modules that `name` imports, anywhere in its body (functions included)."""
    is_package = path.name == "__init__.py"
    base = name.split(".") if is_package else name.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "include" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            candidates = [node.args[0].value]  # urls: include("inspections.facts.urls") loads that module
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                stem = base[: len(base) - (node.level - 1)]
                module = ".".join(stem + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from pkg import mod` imports the module pkg.mod when there is one, else names from pkg.
            candidates = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module for alias in node.names]
        else:
            continue
        for candidate in candidates:
            # `import a.b.c` runs a.b.c; the nearest known module is the edge.
            parts = candidate.split(".")
            while parts and ".".join(parts) not in known:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
    return targets


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(name, path, known) for name, path in known.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    graph = import_graph()
    assert "inspections.ingest.tasks" in graph and "inspections.ingest.services" in graph["inspections.ingest.tasks"]
    assert circles(graph) == []


def test_no_capability_modules_at_the_top_of_inspections():
    top = sorted(p.stem for p in (ROOT / "inspections").glob("*.py"))
    assert top == ["__init__", "admin", "apps", "models", "vocabulary"], (
        "a capability's module belongs in its folder (README 'Architecture'), not at the top of inspections/"
    )
    suffixed = [p.name for p in (ROOT / "inspections").rglob("*.py") if "_" in p.stem and p.stem.split("_")[0] in {
        "selectors", "admin", "urls", "views", "services", "forms", "tasks"}]
    assert suffixed == []


@pytest.mark.parametrize("entry", ["sendtracker.urls", "inspections.admin", "inspections.apps"])
def test_evaluation_is_not_part_of_the_web_app(entry):
    graph = import_graph()
    seen, todo = set(), [entry]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(graph.get(module, ()))
    assert len(seen) > 3
    assert not [m for m in seen if m.startswith("evaluation")]
