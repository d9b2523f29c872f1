"""`cchc par-index-remind`: deadline reminders of the PAR index (run daily; running
it twice the same day sends nothing twice)."""

from __future__ import annotations

from datetime import date as _date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.core.audit import acting_as

from ...services import par_index_remind


class Command(BaseCommand):
    help = "Nhắc hạn gửi kết quả tự đánh giá, hạn giải trình, hạn thẩm định Chỉ số CCHC."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=5, help="Nhắc trước hạn bao nhiêu ngày làm việc (mặc định 5)."
        )
        parser.add_argument("--date", help="Ngày chạy YYYY-MM-DD (mặc định hôm nay).")

    def handle(self, *args, days: int, date: str | None, **options):
        try:
            day = _date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ngày “{date}” không đúng dạng YYYY-MM-DD.") from exc
        if days < 0:
            raise CommandError("Số ngày làm việc phải ≥ 0.")
        with acting_as(None, "command:par_index_remind"):
            result = par_index_remind(today=day, days=days)
        for line in result.lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Đã gửi {result.sent} thông báo; {result.already_sent} đã gửi trước đó.")
