from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cchc.core.audit import acting_as
from cchc.org.models import Unit
from cchc.procedures.services import procedures_import


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính (CSV UTF-8 hoặc XLSX) cho một xã: "
        "cchc import-procedures TỆP --commune ĐỊNH_DANH_HOẶC_MÃ_ĐƠN_VỊ [--dry-run]. "
        "Nhập lại thì cập nhật theo mã TTHC, không tạo trùng; tệp lỗi thì không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .csv hoặc .xlsx")
        parser.add_argument(
            "--commune", required=True, help="Định danh URL của xã (vd. ducxuong) hoặc mã định danh điện tử."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không lưu gì.")
        parser.add_argument("--list-flagged", action="store_true", help="In các thủ tục cần rà soát.")

    def handle(self, *args, file: str, commune: str, dry_run: bool, list_flagged: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        unit = Unit.objects.filter(Q(slug=commune) | Q(agency_code=commune)).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị nào có định danh hoặc mã '{commune}'.")
        if not unit.is_commune:
            raise CommandError(
                f"{unit} không phải là xã (phường, đặc khu): danh mục thủ tục nhập cho từng xã."
            )
        try:
            with acting_as(None, "command:import_procedures"):
                report = procedures_import(
                    commune=unit, content=path.read_bytes(), file_name=path.name, dry_run=dry_run
                )
        except ValidationError as exc:
            raise CommandError("Không nhập được: " + " ".join(exc.messages)) from exc
        if list_flagged:
            for item in report.items:
                if item.flagged:
                    self.stdout.write(
                        f"  ! {item.code} (dòng {item.line}): {item.notes.replace(chr(10), ' | ')}"
                    )
        self.stdout.write(self.style.SUCCESS(report.summary()))
