from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.audit import acting_as
from cchc.org.models import Unit
from cchc.reports.services import reports_remind


class Command(BaseCommand):
    help = (
        "Nhắc các bộ phận về phần báo cáo CCHC sắp đến hạn nộp (trong N ngày làm việc) và quá hạn, và nhắc "
        "thường trực CCHC, lãnh đạo về báo cáo sắp đến hạn gửi, quá hạn (thông báo trong phần mềm và thư "
        "điện tử). Chạy lại trong ngày không gửi trùng. Dùng cho bộ hẹn giờ hằng ngày, cùng `cchc remind`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Số ngày làm việc tới (mặc định 3).")
        parser.add_argument("--commune", help="Định danh xã (ví dụ ducxuong); mặc định mọi xã.")
        parser.add_argument("--date", help="Ngày chạy YYYY-MM-DD (mặc định hôm nay).")

    def handle(self, *args, days: int, commune: str | None, date: str | None, **options):
        unit = None
        if commune:
            unit = Unit.objects.communes().filter(slug=commune).first()
            if unit is None:
                raise CommandError(f"Không có xã với định danh '{commune}'.")
        if days < 0:
            raise CommandError("--days phải ≥ 0.")
        try:
            today = _parse(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date '{date}': cần dạng YYYY-MM-DD.") from exc
        with acting_as(None, "command:reports_remind"):
            r = reports_remind(today=today, days=days, commune=unit)
        self.stdout.write(
            f"{today:%d/%m/%Y}: phần báo cáo {r.sections_overdue} quá hạn, {r.sections_due_soon} sắp đến hạn; "
            f"báo cáo {r.reports_overdue} quá hạn gửi, {r.reports_due_soon} sắp đến hạn "
            f"(trong {days} ngày làm việc); đã gửi {r.sent} thông báo, {r.already_sent} đã gửi trước đó."
        )


def _parse(value: str) -> date:
    return date.fromisoformat(value)
