from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cchc.core.audit import acting_as
from cchc.org.models import Unit
from cchc.procedures.services import procedure_details_import

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Nhập thành phần hồ sơ và chi tiết thủ tục (trình tự, điều kiện, đối tượng, căn cứ pháp lý, kết quả) "
        "cho các thủ tục đã có trong danh mục của một xã: "
        "cchc import-procedure-details --commune ĐỊNH_DANH [--documents TỆP] [--details TỆP] [--dry-run]. "
        "Mặc định dùng dữ liệu quốc gia kèm phần mềm; nhập lại chỉ thay phần đã đổi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--commune", required=True, help="Định danh URL của xã (vd. ducxuong) hoặc mã định danh điện tử."
        )
        parser.add_argument(
            "--documents",
            default=str(DATA / "tthc_thanh_phan.csv"),
            help="CSV thành phần hồ sơ (mặc định: dữ liệu kèm phần mềm); 'none' để bỏ qua.",
        )
        parser.add_argument(
            "--details",
            default=str(DATA / "tthc_chi_tiet.csv"),
            help="CSV chi tiết thủ tục (mặc định: dữ liệu kèm phần mềm); 'none' để bỏ qua.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không lưu gì.")

    def _read(self, value: str) -> bytes | None:
        if value.lower() == "none":
            return None
        path = Path(value)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {value}.")
        return path.read_bytes()

    def handle(self, *args, commune: str, documents: str, details: str, dry_run: bool, **options):
        unit = Unit.objects.filter(Q(slug=commune) | Q(agency_code=commune)).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị nào có định danh hoặc mã '{commune}'.")
        try:
            with acting_as(None, "command:import_procedure_details"):
                report = procedure_details_import(
                    commune=unit,
                    documents_content=self._read(documents),
                    details_content=self._read(details),
                    dry_run=dry_run,
                )
        except ValidationError as exc:
            raise CommandError("Không nhập được: " + " ".join(exc.messages)) from exc
        for item in report.items:
            if item.action != "unchanged":
                what = ", ".join(item.changed) or "mới"
                self.stdout.write(f"  {'+' if item.action == 'created' else '~'} {item.code}: {what}")
        for bad in report.bad_rows:
            self.stdout.write(f"  ! {bad}")
        if report.not_in_catalogue:
            shown = ", ".join(report.not_in_catalogue[:20])
            more = f" … (+{len(report.not_in_catalogue) - 20})" if len(report.not_in_catalogue) > 20 else ""
            self.stdout.write(f"  Không có trong danh mục của xã: {shown}{more}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
