"""`cchc backup` / `cchc restore`: a restored copy, served on another data directory,
keeps every printed rating QR link and every evidence download working — the
database, the files and the secret key travel together — and a restore never
overwrites a live installation."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cchc.core.backup import BackupError, Manifest, backup_create, backup_restore
from cchc.core.tests.demo_data import load_small_demo
from cchc.core.tests.test_serving import ROOT, _env, _free_port, _get, wait_for_server
from cchc.core.workcal import TZ


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    """A new machine: a new data directory; on PostgreSQL, the test database (emptied)."""
    env = _env(tmp_path)
    env["CCHC_DATA_DIR"] = str(tmp_path / "restored")
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def _cchc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def _empty_the_test_database() -> None:
    """PostgreSQL: the restore goes into the test database itself, emptied (no other
    database is touched); SQLite restores into a file of the new data directory."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_keeps_every_printed_qr_link_and_evidence_download_working(tmp_path):
    from cchc.dossiers.models import Dossier, Status
    from cchc.org.models import User
    from cchc.plans.models import Evidence
    from cchc.satisfaction.services import rating_url

    load_small_demo()
    returned = list(Dossier.objects.filter(status=Status.RETURNED).order_by("pk"))
    qr_links = {d.code: rating_url(d) for d in returned}
    assert len(qr_links) >= 50
    evidence = {}
    for item in Evidence.objects.select_related("update__task__area__plan"):
        url = reverse("plans:evidence_download", args=[item.update.task.area.plan_id, item.pk])
        evidence[url] = hashlib.sha256(Path(item.file.path).read_bytes()).hexdigest()
    assert len(evidence) >= 20
    staff = Client()
    staff.force_login(User.objects.get(username="vanphong"))
    session = staff.cookies[django_settings.SESSION_COOKIE_NAME].value
    # They work here, before the backup.
    some_url = next(iter(evidence))
    assert hashlib.sha256(b"".join(staff.get(some_url).streaming_content)).hexdigest() == evidence[some_url]
    counts = {"dossiers": Dossier.objects.count(), "evidence": Evidence.objects.count()}

    out = StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("cchc-backup-*.zip"))
    assert f"Đã sao lưu: {archive}" in out.getvalue()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data and the key
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        assert z.read("secret_key").decode() == django_settings.SECRET_KEY
        manifest = json.loads(z.read("manifest.json"))
    assert {"manifest.json", "secret_key"} <= names
    assert ("database/cchc.pgdump" if connection.vendor == "postgresql" else "database/cchc.sqlite3") in names
    assert len([n for n in names if n.startswith("media/")]) == len(manifest["files"]) >= len(evidence)
    assert manifest["tables"]["dossiers_dossier"] == counts["dossiers"]

    _empty_the_test_database()
    env = _subprocess_env(tmp_path)
    result = _cchc(env, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert f"Đã khôi phục {archive.name}" in report
    assert f"{counts['dossiers']:,} hồ sơ".replace(",", ".") in report
    assert f"Tệp tải lên: {len(manifest['files'])} tệp" in report
    assert f"Khóa bí mật: {tmp_path / 'restored' / 'secret_key'}" in report
    assert (tmp_path / "restored" / "secret_key").read_text() == django_settings.SECRET_KEY

    # Served from the restored copy: every QR code printed before still opens its
    # rating form, every evidence file downloads, and the staff session still holds.
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cchc.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--no-migrate",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, base)
        for code, link in qr_links.items():
            status, _, body = _get(base + link.removeprefix(django_settings.PUBLIC_BASE_URL))
            assert status == 200 and code in body.decode(), link
        cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}"
        for url, digest in evidence.items():
            status, headers, body = _get(base + url, Cookie=cookie)
            assert status == 200 and "attachment" in headers["Content-Disposition"], url
            assert hashlib.sha256(body).hexdigest() == digest, url
    finally:
        server.terminate()
        server.communicate(timeout=30)

    # The restored installation is live now: a second restore refuses and changes nothing.
    again = _cchc(env, "restore", str(archive))
    assert again.returncode == 1
    assert "Không khôi phục đè lên dữ liệu đang dùng" in again.stderr
    assert "Traceback" not in again.stderr


@pytest.mark.django_db(transaction=True)
def test_keep_leaves_the_newest_archives_and_nothing_else(tmp_path):
    other = tmp_path / "ghi-chu.txt"
    other.write_text("không phải bản sao lưu")
    for hour in (7, 8, 9):
        result = backup_create(output=tmp_path, keep=2, now=datetime(2026, 11, 30, hour, 0, tzinfo=TZ))
    assert result.removed == [tmp_path / "cchc-backup-20261130-070000.zip"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cchc-backup-20261130-080000.zip",
        "cchc-backup-20261130-090000.zip",
        "ghi-chu.txt",
    ]
    with pytest.raises(BackupError, match="--keep"):
        backup_create(output=tmp_path, keep=0)


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_live_installation_is_refused_before_anything_is_written(tmp_path):
    from cchc.testing import make_unit

    make_unit("province", "haiphong")
    archive = backup_create(output=tmp_path).path
    key_file = Path(django_settings.DATA_DIR) / "secret_key"
    key_before = key_file.read_text() if key_file.exists() else None
    with pytest.raises(BackupError, match="Không khôi phục đè lên dữ liệu đang dùng: cơ sở dữ liệu"):
        backup_restore(archive_path=archive)
    assert (key_file.read_text() if key_file.exists() else None) == key_before


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_another_engine_a_foreign_file_and_a_different_configured_key(
    tmp_path, monkeypatch, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"  # files of other tests are not this installation's
    archive = backup_create(output=tmp_path).path
    with zipfile.ZipFile(archive) as z:
        manifest = Manifest.read(z)
        members = {n: z.read(n) for n in z.namelist()}
    other = "postgresql" if manifest.engine == "sqlite" else "sqlite"
    foreign = tmp_path / "other-engine.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        for name, data in members.items():
            if name == "manifest.json":
                data = json.dumps({**manifest.__dict__, "engine": other}).encode()
            z.writestr(name, data)
    with pytest.raises(BackupError, match="cchc export"):
        backup_restore(archive_path=foreign)
    not_zip = tmp_path / "note.zip"
    not_zip.write_text("x")
    with pytest.raises(BackupError, match="không phải tệp .zip"):
        backup_restore(archive_path=not_zip)
    _empty_the_test_database()
    if connection.vendor == "sqlite":
        from django.core.management import call_command as run

        run("flush", interactive=False, verbosity=0)
    monkeypatch.setenv("CCHC_SECRET_KEY", "k" * 40)
    with pytest.raises(BackupError, match="CCHC_SECRET_KEY đang đặt khác khóa"):
        backup_restore(archive_path=archive)
    if connection.vendor == "postgresql":
        assert connection.introspection.table_names() == []  # nothing restored
        call_command("migrate", verbosity=0)  # the test database again, for the next tests
