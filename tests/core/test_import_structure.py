"""The import structure stays as DESIGN.md draws it: no import circle between apps, no app
imports the reports, and inside an app a circle only through a lazy import that is listed
here with its reason. Imports are read with ast, so function-level imports and those under
``TYPE_CHECKING`` count too; composition roots (migrations, management commands, demo
loaders) may import any app, and the project's settings and urls are not in an app."""

import ast
from collections import defaultdict
from pathlib import Path

import motcua

ROOT = Path(motcua.__file__).parent
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())

# Circles inside an app that are the accepted pattern: a module enqueues a task (or serves a
# page) through a function-level import of a module that, in turn, builds on it.
LAZY_CIRCLES = {
    ("motcua.core.services.outbox", "motcua.core.tasks"):
        "the outbox enqueues the delivery task; the task delivers through the outbox",
    ("motcua.certification.services.certify", "motcua.certification.tasks"):
        "certify enqueues the signing task; the task runs services.signing, built on certify",
    ("motcua.site.models.pages", "motcua.site.selectors"):
        "a page reads its live content through the selectors, which query the page models",
    ("motcua.site.models.pages", "motcua.site.views"):
        "the feedback page serves its form through the view, which uses the page models",
    ("motcua.core.summaries", "motcua.core.figures"):
        "the summaries are made by counting the figures, which read the summaries first",
}  # fmt: skip


def _composition_root(module: str) -> bool:
    parts = module.split(".")
    return "migrations" in parts or "management" in parts or "demo" in parts


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module or name, line, lazy) for every import of the module."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text("utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                kept = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(kept + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(target, node.lineno, id(node) not in top) for target in targets]
    return found


def _graph() -> dict[str, dict[str, tuple[int, bool]]]:
    """module → {imported module of ours: (line, lazy)}."""
    modules = _modules()
    graph: dict[str, dict[str, tuple[int, bool]]] = defaultdict(dict)
    for name, path in modules.items():
        for target, line, lazy in _imports(name, path):
            if target in modules and target != name:
                known = graph[name].get(target)
                graph[name][target] = (line, lazy and (known is None or known[1]))
    return graph


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in APPS else None


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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


def _app_edges() -> dict[str, dict[str, list[str]]]:
    """app → {other app: ["module:line", …]} over the modules that are not composition roots."""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, targets in _graph().items():
        source = _app(module)
        if source is None or _composition_root(module):
            continue
        for target, (line, _lazy) in targets.items():
            other = _app(target)
            if other is not None and other != source:
                edges[source][other].append(f"{module}:{line}")
    return edges


def test_the_cycle_finder_finds_a_circle_and_accepts_a_chain():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle_between_apps():
    edges = _app_edges()
    circles = _cycles({app: set(targets) for app, targets in edges.items()})
    detail = [
        f"{a} → {b}: {', '.join(sorted(set(edges[a][b]))[:3])}"
        for circle in circles
        for a in circle
        for b in circle
        if b in edges[a]
    ]
    assert not circles, "import circles between apps:\n" + "\n".join(detail)


def test_no_app_imports_the_reports():
    importers = {app: where["reports"] for app, where in _app_edges().items() if "reports" in where}
    assert not importers, f"apps importing motcua.reports: {importers}"


def test_the_reports_read_the_registry_and_the_dossiers_only():
    """Figures come from motcua.core.figures; the drill-down lists, the per-dossier evaluation
    (TT 01/2018) and the charts read the dossiers. Nothing else of another app."""
    assert set(_app_edges()["reports"]) <= {"core", "dossiers"}


def test_an_apps_registered_figures_are_imported_only_by_its_own_start_up():
    """reports reads the figures from the registry in core, never from an app's figures.py."""
    graph = _graph()
    for module, targets in graph.items():
        for target in targets:
            if target.endswith(".figures") and target != "motcua.core.figures":
                assert _app(module) == _app(target) or _composition_root(module), (
                    f"{module} imports {target}"
                )


def test_inside_an_app_a_circle_only_through_a_listed_lazy_import():
    graph = _graph()
    eager = {m: {t for t, (_line, lazy) in ts.items() if not lazy} for m, ts in graph.items()}
    assert not _cycles(eager), f"circles of module-level imports: {_cycles(eager)}"
    allowed = {m: {t for t in ts if (m, t) not in LAZY_CIRCLES} for m, ts in graph.items()}
    remaining = _cycles(allowed)
    assert not remaining, (
        "circles inside an app: break them, or list the lazy import in LAZY_CIRCLES with its "
        f"reason: {remaining}"
    )
    for source, target in LAZY_CIRCLES:
        assert graph[source][target][1], f"{source} → {target} is no longer lazy"
