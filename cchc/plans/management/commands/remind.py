from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.core.audit import acting_as
from cchc.org.models import Unit
from cchc.plans.services import tasks_remind


class Command(BaseCommand):
    help = (
        "Nhắc các bộ phận chủ trì về nhiệm vụ kế hoạch CCHC sắp đến hạn (trong N ngày làm việc) và quá hạn "
        "(thông báo trong phần mềm và thư điện tử). Chạy lại trong ngày không gửi trùng. Dùng cho bộ hẹn giờ hằng ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Số ngày làm việc tới (mặc định 3).")
        parser.add_argument("--commune", help="Định danh xã (ví dụ ducxuong); mặc định mọi xã.")
        parser.add_argument("--date", help="Ngày chạy YYYY-MM-DD (mặc định hôm nay).")

    def handle(self, *args, days: int, commune: str | None, date: str | None, **options):
        from django.utils import timezone

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
        with acting_as(None, "command:remind"):
            result = tasks_remind(today=today, days=days, commune=unit)
        self.stdout.write(
            f"{today:%d/%m/%Y}: {result.overdue} nhiệm vụ quá hạn, {result.due_soon} sắp đến hạn "
            f"(trong {days} ngày làm việc); đã gửi {result.sent} thông báo, {result.already_sent} đã gửi trước đó"
            + (f", {result.no_recipient} nhiệm vụ không có người nhận" if result.no_recipient else "")
            + "."
        )


def _parse(value: str) -> date:
    return date.fromisoformat(value)
