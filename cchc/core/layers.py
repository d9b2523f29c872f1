"""The order of the apps: each app may import the apps of earlier layers, never one
of its own layer or of a later one (`cchc/core/tests/test_layers.py` parses every module
and fails on such an import; docs/architecture.md shows `diagram()`).

To add an app, put its name in `LAYERS` after every app it imports and before every
app that imports it (a layer of its own, or beside apps it neither imports nor is
imported by). An earlier app that must show something of a later one does not import it:
the later app registers itself with a hook of the earlier one, from its
`AppConfig.ready()` (`cchc.core.nav.register_home_panel`, `cchc.dossiers.hooks`), or
the earlier one reads figures through the catalogue (`cchc.core.figures`).

The project-level modules (`cchc/settings.py`, `urls.py`, `api.py`, `wsgi.py`,
`cli.py`, `testing.py`) sit above every app and are imported by none of them (tests
excepted: every app's `tests/` may use `cchc.testing` and other apps' builders).
"""

from __future__ import annotations

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("org",),
    ("procedures",),
    ("dossiers",),
    ("satisfaction", "petitions"),
    ("plans",),
    ("serviceindex",),
    ("registers",),
    ("reports",),
    ("parindex",),
    ("dashboards",),
    ("portal",),
)


def layer_of(app: str) -> int | None:
    """The index of the app's layer (0 = `core`), None for an app not in `LAYERS`."""
    for index, apps in enumerate(LAYERS):
        if app in apps:
            return index
    return None


def diagram() -> str:
    """The layers as text, `core` first, each arrow pointing to the layer that builds
    on the one before (pasted into docs/architecture.md)."""
    return "\n    ↓\n".join(" · ".join(apps) for apps in LAYERS)
