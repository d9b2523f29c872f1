"""The `cchc` console script: Django's management commands under one operator-facing name.

Command names may be typed with hyphens (`cchc import-procedures`, `cchc api-token`);
Python modules cannot contain hyphens, so they are mapped to underscores here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if len(argv) == 1:
        argv.append("help")
    from django.core.management import execute_from_command_line

    argv[0] = "cchc"
    execute_from_command_line(argv)
