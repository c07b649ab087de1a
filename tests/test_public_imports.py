"""The layout holds: pages and ui use convviz's public names only, and every package imports only downward.

* A public convviz module is ``convviz`` itself or one its ``__all__`` names (a subpackage such as
  ``convviz.sliding``, or a shared module such as ``convviz.numbers``); what a page or a ``ui`` module
  imports from one is in that module's ``__all__``. A module inside a subpackage
  (``convviz.sliding.windows``) is the subpackage's business: the subpackage re-exports it.
* Every subpackage's ``__all__`` is exactly its modules' ``__all__`` together, so nothing public is
  left out of it, and no exported name hides one of its modules.
* The subpackages of convviz import each other without a cycle (a new one, ``convviz.learn``, is held
  to it the day it lands); the shared modules import no subpackage.
* ui: ``ui.common`` and ``ui.server`` import no page's subpackage, a page's subpackage no other page's.
* Nothing imports a leading-underscore name of another module of ours (convviz, ui, views, app.py).
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import convviz

ROOT = Path(__file__).resolve().parent.parent
APP_SIDE = sorted([ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "ui").rglob("*.py")])
OURS = ("convviz", "ui", "views")
SUBPACKAGES = sorted(m.name for m in pkgutil.iter_modules(convviz.__path__) if m.ispkg)
SHARED = sorted(m.name for m in pkgutil.iter_modules(convviz.__path__) if not m.ispkg)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _public_modules() -> dict[str, ModuleType]:
    modules = {"convviz": convviz}
    for name in convviz.__all__:
        value = getattr(convviz, name)
        if isinstance(value, ModuleType):
            modules[f"convviz.{name}"] = value
    return modules


PUBLIC = _public_modules()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module an ``ImportFrom`` reads (relative imports resolved against ``path``)."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def test_there_is_a_layout_to_check():
    assert {"filters", "sliding", "nets", "features", "pictures"} <= set(SUBPACKAGES)
    assert {"convviz.numbers", "convviz.errors", "convviz.nets", "convviz.sliding"} <= set(PUBLIC)


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_every_subpackage_is_public_and_declares_its_api(name):
    assert name in convviz.__all__, f"convviz.{name} is not in convviz.__all__"
    package = importlib.import_module(f"convviz.{name}")
    modules = [m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    expected = []
    for module in modules:
        mod = importlib.import_module(f"convviz.{name}.{module}")
        assert hasattr(mod, "__all__"), f"convviz.{name}.{module} declares no __all__"
        assert all(hasattr(mod, n) for n in mod.__all__), f"convviz.{name}.{module}.__all__ names what is not there"
        expected += list(mod.__all__)
    assert sorted(package.__all__) == sorted(expected), f"convviz.{name}.__all__ is not its modules' __all__"
    assert len(set(expected)) == len(expected), "two modules of one subpackage export the same name"
    shadowed = set(package.__all__) & set(modules)
    assert not shadowed, f"convviz.{name} exports names that hide its modules: {shadowed}"
    assert all(getattr(package, n) is getattr(importlib.import_module(f"convviz.{name}.{m}"), n)
               for m in modules for n in importlib.import_module(f"convviz.{name}.{m}").__all__)


def test_convviz_all_names_what_it_has():
    assert all(hasattr(convviz, n) for n in convviz.__all__)
    assert len(set(convviz.__all__)) == len(convviz.__all__)
    shared = [m for m in SHARED if not m.startswith("_")]
    assert all(m in convviz.__all__ for m in shared), shared


def _convviz_uses(tree: ast.AST, path: Path) -> list[str]:
    """What a page or ui module takes from convviz that is not public (see the module docstring)."""
    problems = []
    bound = set()  # local names bound to the convviz package itself
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "convviz":
                    continue
                if alias.name not in PUBLIC:
                    problems.append(f"import {alias.name}")
                if alias.name == "convviz" or alias.asname is None:
                    bound.add(alias.asname or "convviz")
        elif isinstance(node, ast.ImportFrom) and _absolute(node, path).split(".")[0] == "convviz":
            module = _absolute(node, path)
            if module not in PUBLIC:
                problems.append(f"from {module} import ...: not a public module")
                continue
            for alias in node.names:
                if alias.name not in PUBLIC[module].__all__:
                    problems.append(f"from {module} import {alias.name}: not in its __all__")
    inner_parts = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):  # whole convviz.a.b attribute chains on the imported package
        if isinstance(node, ast.Attribute) and id(node) not in inner_parts:
            chain = []
            inner = node
            while isinstance(inner, ast.Attribute):
                chain.insert(0, inner.attr)
                inner = inner.value
            if not (isinstance(inner, ast.Name) and inner.id in bound):
                continue
            owner: object = convviz
            for attr in chain:
                if not isinstance(owner, ModuleType):
                    break
                if attr not in getattr(owner, "__all__", ()):
                    problems.append(f"{inner.id}.{'.'.join(chain)}: {attr} is not public")
                    break
                owner = getattr(owner, attr)
    return sorted(set(problems))


@pytest.mark.parametrize("path", APP_SIDE, ids=_rel)
def test_pages_and_ui_use_public_convviz_names_only(path):
    assert _convviz_uses(ast.parse(path.read_text()), path) == []


def test_the_public_name_check_finds_what_is_private():
    src = ("import convviz\nimport convviz.sliding.windows\nfrom convviz.sliding.windows import span\n"
           "from convviz.nets import Conv2d, _stack\nfrom convviz.numbers import format_count\n"
           "x = convviz.sliding.frames.OPS\ny = convviz.nets.Conv2d\nz = convviz.output_size\n")
    assert len(_convviz_uses(ast.parse(src), ROOT / "views" / "x.py")) == 4


CODE = sorted([ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "ui").rglob("*.py"),
               *(ROOT / "convviz").rglob("*.py")])


@pytest.mark.parametrize("path", CODE, ids=_rel)
def test_no_private_name_crosses_a_module(path):
    tree = ast.parse(path.read_text())
    ours = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names if alias.name.split(".")[0] in OURS}
    ours |= {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and _absolute(node, path).split(".")[0] in OURS for alias in node.names}
    crossing = [f"from {_absolute(node, path)} import {alias.name}" for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and _absolute(node, path).split(".")[0] in OURS
                for alias in node.names if alias.name.startswith("_") and alias.name != "__version__"]
    crossing += [ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                 and node.attr.startswith("_") and not node.attr.startswith("__")
                 and isinstance(node.value, ast.Name) and node.value.id in ours]
    assert crossing == []


def _subpackage_imports() -> dict[str, set[str]]:
    """``{subpackage: the other subpackages its modules import}`` (``"shared"`` for the top-level modules)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "convviz").rglob("*.py")):
        parts = path.relative_to(ROOT / "convviz").parts
        if len(parts) == 1 and parts[0] == "__init__.py":
            continue
        owner = parts[0] if len(parts) > 1 and parts[0] in SUBPACKAGES else "shared"
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [_absolute(node, path)] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                bits = name.split(".")
                if bits[0] == "convviz" and len(bits) > 1 and bits[1] in SUBPACKAGES and bits[1] != owner:
                    graph.setdefault(owner, set()).add(bits[1])
        graph.setdefault(owner, set())
    return graph


def test_subpackages_import_each_other_without_a_cycle():
    graph = _subpackage_imports()
    assert graph["shared"] == set(), f"a shared module imports a subpackage: {graph['shared']}"
    done: list[str] = []
    todo = {k: set(v) for k, v in graph.items()}
    while todo:  # peel off those that import nothing left: a cycle leaves some behind
        ready = sorted(k for k, v in todo.items() if not v - set(done))
        assert ready, f"import cycle among {sorted(todo)}: {todo}"
        done += ready
        for k in ready:
            del todo[k]


UI_PAGES = sorted(p.name for p in (ROOT / "ui").iterdir() if (p / "__init__.py").exists()
                  and p.name not in ("common", "server"))


@pytest.mark.parametrize("path", sorted((ROOT / "ui").rglob("*.py")), ids=_rel)
def test_ui_layers(path):
    parts = path.relative_to(ROOT / "ui").parts
    owner = parts[0] if len(parts) > 1 else None
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [_absolute(node, path)] + [f"{_absolute(node, path)}.{a.name}" for a in node.names] \
            if isinstance(node, ast.ImportFrom) else []
        imported |= {n.split(".")[1] for n in names if n.startswith("ui.") and n.count(".") >= 1}
        assert not any(n.split(".")[0] == "views" for n in names), "ui imports a page"
    pages_used = imported & set(UI_PAGES)
    if owner in ("common", "server", None):
        assert not pages_used, f"ui/{owner} imports a page's subpackage: {pages_used}"
    else:
        assert pages_used <= {owner}, f"ui/{owner} imports another page's subpackage: {pages_used - {owner}}"
