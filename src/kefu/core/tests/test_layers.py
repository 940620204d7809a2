"""Dependencies run one way: core ← audit ← accounts ← customers ← tickets ← feature apps ← reports/web.

A lower app extends nothing above it by importing it: it offers a registry (listeners, panels, customer
details) that the higher app fills from its AppConfig.ready(). The only modules of the top-level `api` and
`web` packages a lower app may use are the shared plumbing below, which imports nothing above accounts."""

import ast
from pathlib import Path

import kefu

LAYERS = ["core", "audit", "accounts", "customers", "tickets"]
PLUMBING = {"kefu.api.schemas", "kefu.api.errors", "kefu.api.auth", "kefu.api.patch", "kefu.web.htmx"}
ROOT = Path(kefu.__file__).parent


def _imports(app: str):
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("kefu."):
                    yield path.relative_to(ROOT), name


def test_each_lower_app_imports_only_what_is_below_it():
    wrong = []
    for level, app in enumerate(LAYERS):
        allowed = set(LAYERS[:level + 1])
        for where, name in _imports(app):
            other = name.split(".")[1]
            if other not in allowed and not any(name == p or name.startswith(p + ".") for p in PLUMBING):
                wrong.append(f"{where} imports {name}")
    assert wrong == []


def test_the_plumbing_stays_below_customers():
    # The plumbing lower apps may use must itself import nothing above accounts.
    below = {"core", "audit", "accounts", "api", "web"}
    wrong = []
    for module in PLUMBING:
        path = ROOT.joinpath(*module.split(".")[1:]).with_suffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kefu."):
                other = node.module.split(".")[1]
                if other not in below or (other in {"api", "web"} and node.module not in PLUMBING):
                    wrong.append(f"{module} imports {node.module}")
    assert wrong == []
