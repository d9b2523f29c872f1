"""The benchmark's own database: refused unless it is marked as one, removed at the end.

Every script in `bench/` that opens a database goes through `BenchDatabase`:

- PostgreSQL (DATABASE_URL set): the database's name must contain "bench"
  (e.g. postgres://postgres@127.0.0.1:5432/cchc_bench), otherwise the script stops
  before connecting — a benchmark drops and fills its database, and a mistyped
  DATABASE_URL must never reach a commune's data. `--force` overrides the check.
- SQLite (no DATABASE_URL): a new folder `cchc-bench-…` in the temporary directory,
  or `--data-dir DIR` whose name contains "bench" (same rule, same `--force`).

When the script ends — normally, on an error, on Ctrl-C or on SIGTERM — the database
is dropped (PostgreSQL) or its folder removed (SQLite; a 5,000,000-dossier file
weighs about 5 GB). `--keep` keeps it and prints how to reuse it; `--reuse` measures
a database a previous `--keep` run built (recognised by its `bench_build` table,
which records what was built) instead of building a new one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse

MARK = "bench"
BUILD_TABLE = "bench_build"


class Refused(SystemExit):
    """The database is not a benchmark database: stop before touching it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("benchmark database")
    group.add_argument(
        "--force",
        action="store_true",
        help=f'use the database even if its name does not contain "{MARK}" (it is dropped!)',
    )
    group.add_argument("--keep", action="store_true", help="keep the database at the end (to --reuse it)")
    group.add_argument(
        "--reuse", action="store_true", help="measure the database a previous --keep run built"
    )
    group.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f'SQLite: the folder of the database (its name must contain "{MARK}"); default a new temporary one',
    )


def database_name(url: str) -> str:
    return unquote(urlparse(url).path.lstrip("/"))


def check_name(name: str, *, force: bool, what: str) -> None:
    """Refuse a database (or folder) whose name does not mark it as a benchmark's."""
    if force or MARK in name.lower():
        return
    raise Refused(
        f"bench: refusing {what} {name!r}: its name does not contain {MARK!r}, so it may hold real data "
        f"(the benchmark drops and fills its database). Use e.g. "
        f"postgres://postgres@127.0.0.1:5432/cchc_{MARK}, or pass --force."
    )


class BenchDatabase:
    """The benchmark's database for the length of a `with` block.

    Entering sets DATABASE_URL / CCHC_DATA_DIR for Django (call before
    `django.setup()`), creating the database unless `reuse`; leaving drops it unless
    `keep`. SIGTERM is turned into SystemExit so that a killed run cleans up too."""

    def __init__(self, *, force: bool = False, keep: bool = False, reuse: bool = False, data_dir=None):
        self.url = os.environ.get("DATABASE_URL", "")
        self.keep = keep or reuse
        self.reuse = reuse
        self._made_dir = False
        if self.url:
            self.name = database_name(self.url)
            check_name(self.name, force=force, what="PostgreSQL database")
            # Settings want a data folder (logs, static files): a temporary one.
            self.data_dir = Path(tempfile.mkdtemp(prefix="cchc-bench-data-"))
            self._made_dir = True
            self.label = f"PostgreSQL ({self.name})"
        else:
            if data_dir is None:
                if reuse:
                    raise Refused(
                        "bench: --reuse on SQLite needs --data-dir (the folder a --keep run printed)."
                    )
                self.data_dir = Path(tempfile.mkdtemp(prefix=f"cchc-{MARK}-"))
                self._made_dir = True
            else:
                self.data_dir = Path(data_dir).resolve()
                check_name(self.data_dir.name, force=force, what="SQLite folder")
            self.name = str(self.data_dir / "cchc.sqlite3")
            self.label = f"SQLite ({self.name})"
        self._previous_term = None

    # --- lifecycle ---------------------------------------------------------------
    def __enter__(self) -> BenchDatabase:
        self._previous_term = signal.signal(signal.SIGTERM, _terminate)
        os.environ["CCHC_DATA_DIR"] = str(self.data_dir)
        if self.url:
            if not self.reuse:
                self._admin(
                    f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"'
                )
        else:
            if not self.reuse:
                if self.data_dir.exists() and not self._made_dir:
                    shutil.rmtree(self.data_dir)
                self.data_dir.mkdir(parents=True, exist_ok=True)
            elif not Path(self.name).exists():
                raise Refused(f"bench: --reuse: no database at {self.name}.")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.cleanup()
        finally:
            signal.signal(signal.SIGTERM, self._previous_term or signal.SIG_DFL)

    def cleanup(self) -> None:
        global _cleaning
        _cleaning = True
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if self.keep:
            if self.url:
                print(f"bench: kept {self.label}; measure it again with --reuse, drop it with DROP DATABASE.")
                if self._made_dir:
                    shutil.rmtree(self.data_dir, ignore_errors=True)
            else:
                print(f"bench: kept {self.label}; measure it again with --reuse --data-dir {self.data_dir}")
            return
        if self.url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            print(f"bench: dropped {self.label}")
            shutil.rmtree(self.data_dir, ignore_errors=True)
        else:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            print(f"bench: removed {self.data_dir}")

    def _admin(self, *statements: str) -> None:
        import psycopg

        admin = urlparse(self.url)._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    # --- what was built ---------------------------------------------------------------
    def record_build(self, params: dict) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {BUILD_TABLE} (params TEXT NOT NULL)")
            cursor.execute(f"INSERT INTO {BUILD_TABLE} (params) VALUES (%s)", [json.dumps(params)])

    def built(self) -> dict:
        """What a previous run built in this database; refuses one it did not build."""
        from django.db import connection

        if BUILD_TABLE not in connection.introspection.table_names():
            raise Refused(
                f"bench: --reuse: {self.label} was not built by a benchmark (no {BUILD_TABLE} table)."
            )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT params FROM {BUILD_TABLE}")
            return json.loads(cursor.fetchone()[0])


_cleaning = False  # set once the clean-up runs: a repeated signal must not interrupt it


def _terminate(signum, frame):
    """SIGTERM: leave through the clean-up (SystemExit unwinds the `with`). Python drops
    an exception raised while a finalizer or `__del__` happens to run ("Exception ignored
    in"), and the run would go on: the signal is sent again two seconds later, ignored if
    the clean-up has begun."""
    if _cleaning:
        return
    again = threading.Timer(2.0, os.kill, (os.getpid(), signum))
    again.daemon = True
    again.start()
    raise SystemExit(128 + signum)


class Timing(NamedTuple):
    """Milliseconds of repeated runs of one measured call, and its last result."""

    median: float
    slowest: float
    first: float
    result: Any


def timed(fn, repeat: int = 5) -> Timing:
    """Run `fn` `repeat` times; its median, slowest and first run in milliseconds."""
    runs, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - t) * 1000)
    return Timing(statistics.median(runs), max(runs), runs[0], result)
