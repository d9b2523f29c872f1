"""The README is the operator's first page: its command table names every command
of the project with every option, and its demo table every log-in the demo creates."""

import argparse
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from cchc.core.demo import DemoLog, demo_logins

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
DJANGO_OPTIONS = {
    "--help",
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options(sub)
        else:
            found |= {o for o in action.option_strings if o.startswith("--") and o not in DJANGO_OPTIONS}
    return found


def _project_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("cchc")}


def test_the_walk_finds_the_projects_commands():
    assert {"demo", "calendar", "serve", "import_plan", "reports_remind"} <= set(_project_commands())


@pytest.mark.parametrize("name", sorted(_project_commands()))
def test_every_command_and_option_is_in_the_readme_table(name):
    typed = name.replace("_", "-")
    rows = [line for line in README.splitlines() if line.startswith("|") and f"`cchc {typed}" in line]
    assert rows, f"README: no row for `cchc {typed}`"
    parser = load_command_class(_project_commands()[name], name).create_parser("cchc", name)
    missing = sorted(o for o in _options(parser) if not any(o in row for row in rows))
    assert missing == [], f"README: `cchc {typed}` lacks {missing}"


@pytest.mark.django_db
def test_every_demo_log_in_is_in_the_readme_table():
    from cchc.org import demo

    demo.load(DemoLog(write=lambda line: None))
    section = README.split("### Tài khoản demo", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([a-z]+)` \|", section, flags=re.M)
    created = [username for username, _ in demo_logins()]
    assert len(created) == 11
    assert listed == created  # same accounts, in the order `cchc demo` prints them
    assert "`gialoc`" in section and "`ducxuong`" in section  # both demo communes named
