"""Dependencies between apps point one way (`cchc.core.layers.LAYERS`): every module of
every app is parsed (imports inside functions included) and an import of an app of the
same or a later layer, or of a project-level module, fails with the way out."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

from cchc.core.layers import LAYERS, diagram, layer_of

PACKAGE = Path(__file__).resolve().parents[2]  # cchc/
DOCS = PACKAGE.parent / "docs" / "architecture.md"
HOW_TO_FIX = (
    "Dependencies point one way ({order}). Move the shared code to the earlier app, or "
    "let the later app register itself with a hook of the earlier one from its "
    "AppConfig.ready() (like cchc.core.nav.register_home_panel or cchc.dossiers.hooks), "
    "or read figures through cchc.core.figures. See cchc/core/layers.py."
)


def app_dirs(package: Path = PACKAGE) -> list[str]:
    return sorted(p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def top_level_modules(package: Path = PACKAGE) -> set[str]:
    return {p.stem for p in package.glob("*.py") if p.stem != "__init__"}


def is_test_module(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import of the file, relative ones resolved."""
    package = ".".join(path.relative_to(root).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names = [f"{module}.{alias.name}" for alias in node.names] if not node.module else [module]
            found += [(node.lineno, name) for name in names]
    return sorted(found)


def violations(package: Path = PACKAGE) -> list[str]:
    order = " → ".join(" / ".join(apps) for apps in LAYERS)
    top = top_level_modules(package)
    problems = []
    for app in app_dirs(package):
        own = layer_of(app)
        if own is None:
            problems.append(
                f"cchc/{app} is not in cchc.core.layers.LAYERS: add it after every app it imports "
                f"and before every app that imports it ({order})."
            )
            continue
        for path in sorted((package / app).rglob("*.py")):
            if is_test_module(path):
                continue
            for line, module in imported_modules(path, package.parent):
                parts = module.split(".")
                if parts[0] != "cchc" or len(parts) < 2 or parts[1] == app:
                    continue
                where = f"{path.relative_to(package.parent)}:{line} imports {module}"
                target = parts[1]
                if target in top:
                    problems.append(
                        f"{where}: project-level modules sit above every app. "
                        + HOW_TO_FIX.format(order=order)
                    )
                elif layer_of(target) is None:
                    continue  # reported once above as an app missing from LAYERS
                elif layer_of(target) >= own:
                    relation = "is beside" if layer_of(target) == own else "comes after"
                    problems.append(f"{where}: {target} {relation} {app}. " + HOW_TO_FIX.format(order=order))
    return problems


class LayerTests(SimpleTestCase):
    def test_no_app_imports_one_of_its_own_or_a_later_layer(self):
        problems = violations()
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_every_app_is_placed_once_and_every_placed_app_exists(self):
        placed = [app for apps in LAYERS for app in apps]
        self.assertEqual(len(placed), len(set(placed)), "An app appears twice in cchc.core.layers.LAYERS.")
        missing = sorted(set(placed) - set(app_dirs()))
        self.assertEqual(missing, [], "Remove from cchc.core.layers.LAYERS the apps that no longer exist.")

    def test_the_picture_in_the_docs_is_the_declared_order(self):
        self.assertIn(
            diagram(),
            DOCS.read_text(encoding="utf-8"),
            "docs/architecture.md must show the layers as `cchc.core.layers.diagram()` prints them.",
        )

    def test_the_check_notices_upward_imports_and_unplaced_apps(self):
        """The check itself can fail: on a copy of the layout where `dossiers` imports
        `portal` (inside a function), `plans` (relatively) and `urls`, and a new app is
        not placed yet."""
        with tempfile.TemporaryDirectory() as tmp:
            package = Path(tmp) / "cchc"
            for app in ("core", "dossiers", "plans", "portal", "newapp"):
                (package / app).mkdir(parents=True)
                (package / app / "__init__.py").write_text("")
            (package / "urls.py").write_text("")
            (package / "dossiers" / "views.py").write_text(
                "from cchc.core import text\n"
                "from . import models\n"
                "def f():\n"
                "    from cchc.portal import services\n"
                "from ..plans import models\n"
                "import cchc.urls\n"
            )
            (package / "dossiers" / "tests").mkdir()
            (package / "dossiers" / "tests" / "__init__.py").write_text("from cchc.portal import views\n")
            (package / "core" / "x.py").write_text("from cchc.dossiers.models import Dossier\n")
            problems = violations(package)
        self.assertEqual(
            [p.split(": ")[0] for p in problems],
            [
                "cchc/core/x.py:1 imports cchc.dossiers.models",
                "cchc/dossiers/views.py:4 imports cchc.portal",
                "cchc/dossiers/views.py:5 imports cchc.plans",
                "cchc/dossiers/views.py:6 imports cchc.urls",
                "cchc/newapp is not in cchc.core.layers.LAYERS",
            ],
        )
        self.assertIn("dossiers comes after core", problems[0])
        self.assertIn("portal comes after dossiers", problems[1])
        self.assertIn("AppConfig.ready()", problems[1])
        self.assertIn("project-level modules sit above every app", problems[3])
        self.assertIn("add it after every app it imports", problems[4])
