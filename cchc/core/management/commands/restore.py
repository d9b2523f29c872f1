from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import BackupError, backup_restore, describe_counts, human_size, number


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (`cchc backup`) vào thư mục dữ liệu trống (CCHC_DATA_DIR; với PostgreSQL "
        "là CSDL trống trong DATABASE_URL). Không bao giờ ghi đè dữ liệu đang dùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Tệp cchc-backup-….zip")

    def handle(self, *args, archive: Path, **options):
        try:
            result = backup_restore(archive_path=Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(f"Đã khôi phục {archive.name} (sao lưu lúc {manifest.created_at}):")
        )
        engine = "SQLite" if manifest.engine == "sqlite" else "PostgreSQL"
        self.stdout.write(
            f"  CSDL {engine}: {number(sum(result.tables.values()))} dòng trong {len(result.tables)} bảng, "
            "khớp với bản sao lưu"
        )
        for line in describe_counts(result.tables)[:12]:
            self.stdout.write(f"    {line}")
        self.stdout.write(
            f"  Tệp tải lên: {result.files} tệp ({human_size(result.bytes)}), kiểm tra SHA-256 đủ"
        )
        self.stdout.write(f"  Khóa bí mật: {result.secret_key}")
        self.stdout.write(
            "Chạy `cchc serve` để phục vụ (tự cập nhật cấu trúc CSDL nếu phần mềm mới hơn bản sao lưu)."
        )
