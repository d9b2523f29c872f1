from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc.core.audit import acting_as
from cchc.core.backup import BackupError, backup_create, describe_counts, human_size, number


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ: một tệp .zip ghi ngày giờ, gồm bản sao nhất quán của CSDL (chạy được khi máy chủ "
        "đang phục vụ), các tệp đã tải lên và khóa bí mật. Giữ tệp như giữ chính CSDL (có dữ liệu cá nhân)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="Thư mục lưu (mặc định CCHC_DATA_DIR/backups)."
        )
        parser.add_argument("--keep", type=int, default=None, help="Chỉ giữ N bản mới nhất trong thư mục đó.")

    def handle(self, *args, output: Path | None, keep: int | None, **options):
        output = Path(output) if output else Path(settings.DATA_DIR) / "backups"
        try:
            with acting_as(None, "command:backup"):
                result = backup_create(output=output, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu: {result.path} ({human_size(result.size)})"))
        engine = "SQLite" if manifest.engine == "sqlite" else "PostgreSQL (pg_dump)"
        self.stdout.write(
            f"  CSDL {engine}: {number(sum(manifest.tables.values()))} dòng trong {len(manifest.tables)} bảng"
        )
        for line in describe_counts(manifest.tables)[:8]:
            self.stdout.write(f"    {line}")
        total = sum(f["size"] for f in manifest.files.values())
        self.stdout.write(f"  Tệp tải lên: {len(manifest.files)} tệp ({human_size(total)})")
        self.stdout.write("  Khóa bí mật: có (liên kết mã QR đã in, phiên đăng nhập)")
        for old in result.removed:
            self.stdout.write(f"  Đã xóa bản cũ: {old.name}")
