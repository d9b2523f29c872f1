"""The benchmarks' safety (bench/benchdb.py): a benchmark refuses a database that is not
marked as its own, and removes the one it built when it ends — normally, on an error
or when it is killed."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ["dossiers.py", "province.py"]


def _benchdb():
    spec = importlib.util.spec_from_file_location("benchdb", ROOT / "bench" / "benchdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["TMPDIR"] = str(tmp_path)
    env.update(extra)
    return env


def _run(script: str, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        env=_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _this_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db
@pytest.mark.parametrize("script", SCRIPTS)
def test_refuses_a_database_not_named_bench(script, tmp_path):
    if connection.vendor == "postgresql":
        url = _this_database_url()  # the test database itself: it must survive
        assert "bench" not in connection.settings_dict["NAME"]
    else:
        url = "postgres://postgres@127.0.0.1:1/cchc_xa_duc_xuong"
    tables = set(connection.introspection.table_names())
    assert "dossiers_dossier" in tables
    done = _run(script, tmp_path, "--dossiers", "100", "--communes", "2", DATABASE_URL=url)
    assert done.returncode == 1
    assert "refusing PostgreSQL database" in done.stderr
    assert "does not contain 'bench'" in done.stderr and "--force" in done.stderr
    assert "dropped" not in done.stdout and "building" not in done.stdout
    # Nothing was dropped: a new connection still sees every table.
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(url) as fresh:
            rows = fresh.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        assert {r[0] for r in rows} == tables


def test_refuses_an_sqlite_folder_not_named_bench(tmp_path):
    folder = tmp_path / "xa-duc-xuong"
    folder.mkdir()
    (folder / "cchc.sqlite3").write_bytes(b"a commune's data")
    done = _run("dossiers.py", tmp_path, "--data-dir", str(folder))
    assert done.returncode == 1
    assert "refusing SQLite folder 'xa-duc-xuong'" in done.stderr
    assert (folder / "cchc.sqlite3").read_bytes() == b"a commune's data"


def test_name_rule_and_force():
    benchdb = _benchdb()
    benchdb.check_name("cchc_bench", force=False, what="x")
    benchdb.check_name("CCHC_BENCH_5M", force=False, what="x")
    with pytest.raises(benchdb.Refused):
        benchdb.check_name("cchc_ben_ch", force=False, what="x")
    benchdb.check_name("cchc_ben_ch", force=True, what="x")
    assert benchdb.database_name("postgres://u@h:5432/cchc%5Fbench?sslmode=off") == "cchc_bench"


def test_temporary_sqlite_folder_removed_on_error(tmp_path, monkeypatch):
    benchdb = _benchdb()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "unused"))  # restored after the test
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(ZeroDivisionError):
        with benchdb.BenchDatabase() as db:
            folder = db.data_dir
            assert folder.parent == tmp_path and "bench" in folder.name
            Path(db.name).write_bytes(b"x" * 1000)
            1 / 0  # noqa: B018
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_kept_folder_stays_and_is_reused_only_when_built(tmp_path, monkeypatch):
    benchdb = _benchdb()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with benchdb.BenchDatabase(keep=True) as db:
        Path(db.name).write_bytes(b"")
    assert db.data_dir.exists()
    with pytest.raises(benchdb.Refused, match="needs --data-dir"):
        benchdb.BenchDatabase(reuse=True)
    with pytest.raises(benchdb.Refused, match="no database"):
        with benchdb.BenchDatabase(reuse=True, data_dir=tmp_path / "bench-empty"):
            pass


def test_killed_run_removes_its_database(tmp_path):
    """SIGTERM while the data set is being built: the temporary folder goes too."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "dossiers.py"), "--dossiers", "200000", "--communes", "4"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "building 200,000 dossiers" in line, line + proc.stderr.read()
        folders = [p for p in tmp_path.iterdir() if p.name.startswith("cchc-bench-")]
        assert len(folders) == 1
        time.sleep(1.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert f"bench: removed {folders[0]}" in out
    assert not folders[0].exists()
