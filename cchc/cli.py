"""The `cchc` console script: Django's management commands under one operator-facing name.

Command names may be typed with hyphens (`cchc import-procedures`, `cchc api-token`);
Python modules cannot contain hyphens, so they are mapped to underscores here.

A bad setting stops the program with one line naming the variable (exit status 2),
not a traceback: the operator fixes an environment variable, not the code.

Output is UTF-8 wherever it goes. On Windows, output sent to a file or a pipe (a
service manager's log, `cchc backup > log.txt`) is encoded in the ANSI code page
(cp1252…), which has no Vietnamese letters: the first message would stop the
program with UnicodeEncodeError.
"""

import os
import sys


def load_settings() -> None:
    """Import the settings now, turning a configuration error into one line."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - importing the settings validates every variable
    except ImproperlyConfigured as exc:
        print(f"cchc: lỗi cấu hình: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def utf8_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: list[str] | None = None) -> None:
    utf8_output()
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    if len(argv) == 1:
        argv.append("help")
    load_settings()
    from django.core.management import execute_from_command_line

    argv[0] = "cchc"
    execute_from_command_line(argv)
