"""Backup and restore of a whole installation: one dated .zip archive holding

- `database/cchc.sqlite3` — a consistent copy taken with SQLite's online backup API
  (the server may keep writing meanwhile), or `database/cchc.pgdump` — PostgreSQL's
  own `pg_dump` in its custom format (one snapshot, restored with `pg_restore`);
- `media/…` — every uploaded file (plan evidence, petition attachments, registers);
- `secret_key` — the key that signs the rating links printed as QR codes and the
  sessions: a database restored without it leaves every printed QR code dead;
- `manifest.json` — what the archive holds: engine, migrations, the row count of
  every table and the size and SHA-256 of every file, so that a restore can say what
  it restored and prove it complete.

The archive holds personal data and the secret key: it is written readable by its
owner only, and must be kept like the database itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
PREFIX = "cchc-backup-"
SQLITE_MEMBER = "database/cchc.sqlite3"
PGDUMP_MEMBER = "database/cchc.pgdump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Manifest:
    created_at: str
    engine: str
    version: str
    migrations: list[list[str]]
    tables: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)
    secret_key_source: str = "file"
    format: int = FORMAT

    @classmethod
    def read(cls, archive: zipfile.ZipFile) -> Manifest:
        try:
            data = json.loads(archive.read("manifest.json"))
        except KeyError as exc:
            raise BackupError("Tệp không phải bản sao lưu cchc (thiếu manifest.json).") from exc
        if data.get("format") != FORMAT:
            raise BackupError(
                f"Bản sao lưu định dạng {data.get('format')!r}, phiên bản này đọc định dạng {FORMAT}."
            )
        return cls(**data)


# --- helpers -----------------------------------------------------------------------------
def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cchc")
    except PackageNotFoundError:
        return "dev"


def app_tables() -> list[str]:
    """Every table of an installed model (auto-created many-to-many tables included)."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def table_counts(using: str = "default") -> dict[str, int]:
    conn = connections[using]
    existing = set(conn.introspection.table_names())
    counts = {}
    with conn.cursor() as cursor:
        for table in app_tables():
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"Không tìm thấy lệnh {name} (công cụ của PostgreSQL): cài gói postgresql-client "
            "(Windows: thư mục bin của PostgreSQL trong PATH), cùng phiên bản với máy chủ hoặc mới hơn."
        )
    return path


def number(n: int) -> str:
    """12345 → '12.345' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def human_size(n: float) -> str:
    for unit in ("byte", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "byte" else f"{n:,.1f} {unit}".replace(".", ",")
        n /= 1024
    return str(n)


# --- backup -------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    removed: list[Path]


def _sqlite_counts(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    with sqlite3.connect(path) as copy:
        existing = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {
            t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in app_tables()
            if t in existing
        }
        migrations = [
            list(r) for r in copy.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        ]
    copy.close()
    return counts, migrations


def _dump_database(target_dir: Path) -> tuple[Path, str, dict[str, int], list[list[str]]]:
    """A consistent copy of the database in `target_dir`, with the row counts and the
    migrations of that same copy: (file, archive member, counts, migrations)."""
    if engine() == "sqlite":
        target = target_dir / "cchc.sqlite3"
        connection.ensure_connection()
        # The online backup API copies a consistent snapshot page by page while other
        # connections (the running server) keep reading and writing.
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        counts, migrations = _sqlite_counts(target)
        return target, SQLITE_MEMBER, counts, migrations
    target = target_dir / "cchc.pgdump"
    env, args = _pg_env_and_args()
    # One snapshot for the counts and the dump: a repeatable-read transaction exports
    # it, pg_dump reads exactly that state, however many receipts arrive meanwhile.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts()
        migrations = sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())
        result = subprocess.run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                *args,
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump không chạy được: {result.stderr.strip()}")
    return target, PGDUMP_MEMBER, counts, migrations


def backup_create(*, output: Path, keep: int | None = None, now: datetime | None = None) -> BackupResult:
    """Write one archive `cchc-backup-YYYYMMDD-HHMMSS.zip` into `output`; with `keep`,
    then delete the oldest archives of that folder beyond the newest `keep`."""
    if keep is not None and keep < 1:
        raise BackupError("--keep phải từ 1 trở lên.")
    output.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime(now or timezone.now())
    final = output / f"{PREFIX}{now:%Y%m%d-%H%M%S}.zip"
    if final.exists():
        raise BackupError(f"{final} đã có.")
    with tempfile.TemporaryDirectory(prefix="cchc-backup-") as work:
        # The database first, then the files: a file of a row in the copy was saved
        # before its row was committed, so it is in the folder by now.
        dump, member, counts, migrations = _dump_database(Path(work))
        media_root = Path(settings.MEDIA_ROOT)
        files = {}
        partial = final.with_name(final.name + ".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(
                dump,
                member,
                compress_type=zipfile.ZIP_DEFLATED if member == SQLITE_MEMBER else zipfile.ZIP_STORED,
            )
            for path in media_files():
                relative = path.relative_to(media_root).as_posix()
                files[relative] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                archive.write(path, f"media/{relative}")
            archive.writestr("secret_key", settings.SECRET_KEY)
            manifest = Manifest(
                created_at=now.isoformat(),
                engine=engine(),
                version=_version(),
                migrations=migrations,
                tables=counts,
                files=files,
                secret_key_source="environment" if os.environ.get("CCHC_SECRET_KEY") else "file",
            )
            archive.writestr("manifest.json", json.dumps(manifest.__dict__, ensure_ascii=False, indent=1))
        os.chmod(partial, 0o600)
        os.replace(partial, final)
    removed = []
    if keep is not None:
        archives = sorted(output.glob(f"{PREFIX}*.zip"))
        for old in archives[:-keep]:
            old.unlink()
            removed.append(old)
    return BackupResult(path=final, size=final.stat().st_size, manifest=manifest, removed=removed)


# --- restore ------------------------------------------------------------------------------
# Rows that `migrate` itself writes into a new database: a database holding only
# these is empty (someone ran `cchc serve` or `cchc migrate` before restoring).
BOOTSTRAP_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
}


def live_data() -> list[str]:
    """What already lives in the configured data directory and database (empty when
    a restore may write there)."""
    found = []
    counts = {t: n for t, n in table_counts().items() if n and t not in BOOTSTRAP_TABLES}
    if counts:
        total = number(sum(counts.values()))
        found.append(f"cơ sở dữ liệu {connection.settings_dict['NAME']} có {total} dòng dữ liệu")
    files = media_files()
    if files:
        found.append(f"{len(files)} tệp trong {settings.MEDIA_ROOT}")
    return found


@dataclass
class RestoreResult:
    manifest: Manifest
    tables: dict[str, int]
    files: int
    bytes: int
    secret_key: str  # where the key went, for the report


def _restore_sqlite(archive: zipfile.ZipFile) -> None:
    target = Path(connection.settings_dict["NAME"])
    connections.close_all()
    partial = target.with_name(target.name + ".restore")
    with archive.open(SQLITE_MEMBER) as source, partial.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(partial, target)
    with sqlite3.connect(target) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("Bản sao CSDL SQLite trong tệp bị hỏng (integrity_check).")
    check.close()


def _drop_tables_postgresql() -> None:
    """Drop the tables of a database that holds no data (only what `migrate` wrote),
    so that pg_restore can create them as they were."""
    tables = connection.introspection.table_names()
    if tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TABLE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
            )


def _restore_postgresql(archive: zipfile.ZipFile) -> None:
    _drop_tables_postgresql()
    env, args = _pg_env_and_args()
    name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as work:
        dump = Path(work) / "cchc.pgdump"
        with archive.open(PGDUMP_MEMBER) as source, dump.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        connections.close_all()
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                "--dbname",
                name,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore không chạy được: {result.stderr.strip()}")


def _restore_secret_key(key: str) -> str:
    configured = os.environ.get("CCHC_SECRET_KEY", "").strip()
    if configured:
        if configured == key:
            return "CCHC_SECRET_KEY (đã đặt đúng khóa của bản sao lưu)"
        raise BackupError(
            "CCHC_SECRET_KEY đang đặt khác khóa của bản sao lưu: các mã QR đã in và phiên đăng nhập sẽ "
            "không dùng được. Bỏ đặt CCHC_SECRET_KEY (khóa sẽ ghi vào thư mục dữ liệu) hoặc đặt đúng "
            "khóa trong tệp secret_key của bản sao lưu, rồi chạy lại."
        )
    key_file = Path(settings.DATA_DIR) / "secret_key"
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    settings.SECRET_KEY = key
    return str(key_file)


def _ensure_pg_database() -> None:
    """Create the configured PostgreSQL database when it does not exist yet."""
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError:
        import psycopg
        from psycopg import sql

        db = connection.settings_dict
        params = {
            k: v
            for k, v in {
                "host": db["HOST"],
                "port": db["PORT"],
                "user": db["USER"],
                "password": db["PASSWORD"],
            }.items()
            if v
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        connection.close()


def backup_restore(*, archive_path: Path) -> RestoreResult:
    """Restore an archive into the configured (empty) database and media folder.
    Refuses when either holds data: a restore never overwrites a live installation."""
    if not archive_path.is_file():
        raise BackupError(f"Không có tệp {archive_path}.")
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile as exc:
        raise BackupError(f"{archive_path} không phải tệp .zip hợp lệ.") from exc
    with archive:
        manifest = Manifest.read(archive)
        if manifest.engine != engine():
            target = "PostgreSQL (DATABASE_URL)" if engine() == "postgresql" else "SQLite"
            raise BackupError(
                f"Bản sao lưu là của CSDL {manifest.engine}, nơi khôi phục là {target}. Khôi phục vào cùng "
                "loại CSDL; để chuyển một xã từ SQLite lên PostgreSQL dùng `cchc export` / `cchc import`."
            )
        if engine() == "postgresql":
            _ensure_pg_database()
        found = live_data()
        if found:
            raise BackupError(
                "Không khôi phục đè lên dữ liệu đang dùng: "
                + "; ".join(found)
                + ". Khôi phục vào một thư mục "
                "dữ liệu trống (CCHC_DATA_DIR) và, với PostgreSQL, một cơ sở dữ liệu trống."
            )
        # Check the archive's files before writing anything.
        media_root = Path(settings.MEDIA_ROOT)
        for relative in manifest.files:
            target = (media_root / relative).resolve()
            if media_root.resolve() not in target.parents:
                raise BackupError(f"Tệp lạ trong bản sao lưu: {relative}.")
        key = archive.read("secret_key").decode("utf-8").strip()
        key_report = _restore_secret_key(key)
        written: list[Path] = []
        try:
            if manifest.engine == "sqlite":
                _restore_sqlite(archive)
            else:
                _restore_postgresql(archive)
            restored_bytes = 0
            for relative, meta in manifest.files.items():
                target = media_root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                written.append(target)
                with archive.open(f"media/{relative}") as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                if _sha256(target) != meta["sha256"]:
                    raise BackupError(f"Tệp {relative} trong bản sao lưu bị hỏng (SHA-256 không khớp).")
                restored_bytes += meta["size"]
        except BaseException:
            # Leave the data directory as empty as it was, so that the restore can be
            # run again (pg_restore ran in one transaction: nothing to undo there).
            for path in written:
                path.unlink(missing_ok=True)
            if manifest.engine == "sqlite":
                connections.close_all()
                Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
            raise
    counts = table_counts()
    missing = {t: (n, counts.get(t)) for t, n in manifest.tables.items() if counts.get(t) != n}
    if missing:
        detail = ", ".join(f"{t}: {n} → {m}" for t, (n, m) in sorted(missing.items()))
        raise BackupError(f"Số dòng sau khôi phục khác bản sao lưu: {detail}.")
    return RestoreResult(
        manifest=manifest,
        tables=counts,
        files=len(manifest.files),
        bytes=restored_bytes,
        secret_key=key_report,
    )


def describe_counts(counts: dict[str, int]) -> list[str]:
    """The counts people recognise, in Vietnamese ('12.345 hồ sơ')."""
    labels = []
    for model in apps.get_models():
        table = model._meta.db_table
        if counts.get(table) and model.__module__.startswith("cchc."):
            labels.append((counts[table], str(model._meta.verbose_name_plural)))
    labels.sort(key=lambda item: -item[0])
    return [f"{number(n)} {label}" for n, label in labels]
