"""Figures are read through the catalogue by plain imports (`dossier_figures.ON_TIME_RATE`);
a look-up by string (`figures.get("…")`) is for stored bindings only — a key that a
record holds (a plan target, a report's quoted figure, a criterion) or that an API
caller sends. This test fails when code elsewhere reads a figure by its key, or
spells a figure's key outside the module that declares it."""

from __future__ import annotations

import ast
from pathlib import Path

from cchc.core import figures

ROOT = Path(__file__).resolve().parents[2]  # the cchc package

# Modules allowed to resolve a stored key, and why.
STORED_BINDINGS = {
    "core/figures.py": "the registry itself (get, validate_key, unknown_stored_keys)",
    "core/templatetags/cchc_ui.py": "formats values only",
    "plans/models.py": "Task.target_metric is a stored binding (FigureKeyField)",
    "plans/importing/services.py": "an imported target's key is validated before it is stored",
}
# Prefixes of modules that read keys sent by API callers or stored by other apps'
# records (they must validate them with `figures.get`, which refuses unknown keys).
STORED_BINDING_PREFIXES = ("dashboards/api.py", "reports/", "parindex/")


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        yield rel, path


def _figure_aliases(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to the cchc.core.figures module, and to its `get` function."""
    modules, getters = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cchc.core":
            for alias in node.names:
                if alias.name == "figures":
                    modules.add(alias.asname or "figures")
        elif isinstance(node, ast.ImportFrom) and node.module in ("cchc.core.figures", "figures"):
            for alias in node.names:
                if alias.name in ("get", "_REGISTRY"):
                    getters.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
            for alias in node.names:  # `from . import figures` inside cchc.core
                if alias.name == "figures":
                    modules.add(alias.asname or "figures")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "cchc.core.figures" and alias.asname:
                    modules.add(alias.asname)
    return modules, getters


def string_reads(rel: str, source: str) -> list[str]:
    """Where `source` reads a figure by key, or spells a registered key."""
    problems = []
    tree = ast.parse(source)
    keys = {f.key for f in figures.all_figures()}
    declaring = rel.endswith("/figures.py") and not rel.startswith("core/")
    modules, getters = _figure_aliases(tree)
    # Only the core module may use `figures.get`: a domain app's own figures.py
    # imported as `figures` is not the catalogue.
    if "/" in rel and not rel.startswith("core/"):
        modules = {m for m in modules if m != "figures"} | (
            {"figures"} if "from cchc.core import figures" in source else set()
        )
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys:
            if not declaring:
                problems.append(f"{rel}:{node.lineno} spells the key {node.value!r}")
        if isinstance(node, ast.Call):
            func = node.func
            by_module = (
                isinstance(func, ast.Attribute)
                and func.attr in ("get", "_REGISTRY")
                and isinstance(func.value, ast.Name)
                and func.value.id in modules
            )
            by_name = isinstance(func, ast.Name) and func.id in getters
            if by_module or by_name:
                problems.append(f"{rel}:{node.lineno} looks a figure up by key")
        if isinstance(node, ast.Attribute) and node.attr == "_REGISTRY" and rel != "core/figures.py":
            problems.append(f"{rel}:{node.lineno} reads the registry")
    return problems


def test_figures_are_read_by_import_not_by_string():
    problems = []
    for rel, path in _python_files():
        if rel in STORED_BINDINGS or rel.startswith(STORED_BINDING_PREFIXES):
            continue
        problems += string_reads(rel, path.read_text(encoding="utf-8"))
    assert problems == [], "Read figures by importing them:\n" + "\n".join(problems)


def test_the_check_notices_a_look_up_by_string():
    bad = (
        "from cchc.core import figures\n"
        "def on_time(scope):\n"
        "    return figures.get('dossiers.on_time_rate')\n"
    )
    found = string_reads("plans/views.py", bad)
    assert any("looks a figure up by key" in p for p in found)
    assert any("spells the key 'dossiers.on_time_rate'" in p for p in found)
    assert string_reads("plans/views.py", "from cchc.core.figures import get as g\nx = g('a')\n")
    good = "from cchc.dossiers import figures as F\nvalue = F.ON_TIME_RATE\n"
    assert string_reads("plans/views.py", good) == []
