"""The floors of the house (docs/architecture.md), read from the code's own imports.

1. core: what every app uses. It imports no feature app, nor the floor above.
2. Feature apps: may use core and another app's models, services, selectors, forms and
   mixins, never another app's views, URLs or admin; never the top floor.
3. portal (and the project package kinship_portal): composition at the top.

And no two modules import each other, directly or round a longer loop, counting imports
inside functions too: a lazy import hides a circle, it does not remove it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = "core"
FEATURE_APPS = {
    "accounts",
    "carers",
    "events",
    "localoffer",
    "professionals",
    "resources",
    "schools",
}
TOP = {"portal", "kinship_portal"}
PACKAGES = {CORE, *FEATURE_APPS, *TOP}
# The faces of an app that belong to it alone: its pages and its admin.
PRIVATE_PARTS = {"views", "urls", "admin"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The portal's own modules this module imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from schools import services` imports the module schools.services.
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            if candidate.split(".")[0] not in PACKAGES:
                continue
            # The longest prefix that is one of our modules.
            parts = candidate.split(".")
            while parts and ".".join(parts) not in MODULES:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
                break
    return targets


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _floor_breaches() -> list[str]:
    breaches = []
    for source, targets in GRAPH.items():
        source_app = source.split(".")[0]
        for target in targets:
            target_app, *rest = target.split(".")
            if target_app == source_app:
                continue
            if source_app == CORE:
                breaches.append(f"{source} imports {target}: core stands on no other app")
            elif source_app in FEATURE_APPS and target_app in TOP:
                breaches.append(f"{source} imports {target}: a feature app reaches up a floor")
            elif source_app in FEATURE_APPS and rest and rest[0] in PRIVATE_PARTS:
                breaches.append(f"{source} imports {target}: another app's {rest[0]}")
    return sorted(breaches)


def _circles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return circles


def test_the_walk_sees_every_app():
    apps = {name.split(".")[0] for name in MODULES}
    assert apps == PACKAGES
    assert "core.notify" in GRAPH["events.services"]  # a lazy import inside a function counts


def test_imports_only_point_down_the_floors():
    breaches = _floor_breaches()
    assert breaches == [], "\n".join(breaches)


def test_no_two_modules_import_each_other():
    circles = _circles()
    assert circles == [], "\n".join(" <-> ".join(circle) for circle in circles)


@pytest.mark.parametrize(
    ("source", "target", "breach"),
    [
        ("core.views", "events.models", "core stands on no other app"),
        ("events.views", "carers.views", "another app's views"),
        ("schools.services", "portal.views", "reaches up a floor"),
    ],
)
def test_the_floor_check_catches_a_wrong_import(monkeypatch, source, target, breach):
    monkeypatch.setitem(GRAPH, source, {*GRAPH[source], target})
    assert any(breach in line for line in _floor_breaches())


def test_the_circle_check_catches_a_lazy_import_back(monkeypatch):
    monkeypatch.setitem(GRAPH, "core.tasks", {*GRAPH["core.tasks"], "core.notify"})
    assert ["core.notify", "core.tasks"] in _circles()
