from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc.core.backup import human_size, number
from cchc.org.models import Unit
from cchc.org.transfer import TransferError, commune_export


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ dữ liệu một xã (mọi bảng, tệp tải lên) ra một tệp .zip để chuyển sang máy chủ khác "
        "(ví dụ từ SQLite của xã lên PostgreSQL của tỉnh) bằng `cchc import`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commune", required=True, help="Định danh (slug) của xã, ví dụ ducxuong.")
        parser.add_argument(
            "--output", type=Path, default=None, help="Thư mục lưu (mặc định CCHC_DATA_DIR/exports)."
        )

    def handle(self, *args, commune: str, output: Path | None, **options):
        unit = Unit.objects.filter(slug=commune).first()
        if unit is None:
            raise CommandError(f"Không có xã '{commune}'.")
        output = Path(output) if output else Path(settings.DATA_DIR) / "exports"
        try:
            result = commune_export(commune=unit, output=output)
        except TransferError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {unit}: {result.path} ({human_size(result.size)})"))
        total = sum(result.counts.values())
        self.stdout.write(
            f"  {number(total)} dòng trong {len(result.counts)} bảng; {result.files} tệp tải lên"
        )
        self.stdout.write(f"Trên máy chủ mới: cchc import {result.path.name}")
