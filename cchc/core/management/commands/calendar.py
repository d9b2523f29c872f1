import argparse
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.core import services
from cchc.core.audit import acting_as
from cchc.core.models import CalendarOverride
from cchc.core.workcal import TimeUnit, get_calendar


def _parse_start(value: str) -> datetime | date:
    try:
        if "T" in value or " " in value:
            return datetime.fromisoformat(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"Ngày/giờ không hợp lệ: {value!r} (dùng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."
        ) from exc


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (dùng YYYY-MM-DD).") from exc


def _amount(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"thời hạn phải là số nguyên: {value!r}") from None


class Command(BaseCommand):
    help = "Lịch làm việc: tính hạn giải quyết; thêm/xem/xóa ngày điều chỉnh."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="Tính hạn: cchc calendar due START AMOUNT [--unit …] [--explain]")
        due.add_argument("start", help="Thời điểm tiếp nhận: YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM.")
        due.add_argument("amount", type=_amount, help="Thời hạn (số nguyên ≥ 0; bỏ qua khi --unit same_day).")
        due.add_argument(
            "--unit",
            default="working_days",
            choices=[u.value for u in TimeUnit],
            help="Đơn vị thời hạn (mặc định working_days: ngày làm việc).",
        )
        due.add_argument(
            "--explain",
            action="store_true",
            help="Giải thích: ngày nghỉ bỏ qua, thứ Bảy làm bù, ngày tiếp nhận là ngày nghỉ, giờ chốt buổi chiều.",
        )
        override = sub.add_parser("override", help="Điều chỉnh lịch")
        osub = override.add_subparsers(dest="override_action", required=True)
        add = osub.add_parser("add")
        add.add_argument("date")
        kind = add.add_mutually_exclusive_group(required=True)
        kind.add_argument("--off", action="store_true", help="Biến ngày thành ngày nghỉ.")
        kind.add_argument("--workday", action="store_true", help="Biến ngày thành ngày làm việc.")
        add.add_argument("--reason", required=True)
        add.add_argument("--reference", default="")
        osub.add_parser("list")
        remove = osub.add_parser("remove")
        remove.add_argument("date")

    def handle(self, *args, action: str, **opts):
        if action == "due":
            try:
                result = get_calendar().due(_parse_start(opts["start"]), opts["amount"], opts["unit"])
            except ValueError as exc:  # negative or too long (see workcal.MAX_AMOUNT)
                raise CommandError(str(exc)) from exc
            first = (
                result.due_at.isoformat(timespec="minutes") if result.due_at else result.due_date.isoformat()
            )
            if result.due_at:
                first = f"{result.due_date.isoformat()} {result.due_at:%H:%M}"
            self.stdout.write(first)
            if opts["explain"]:
                for line in result.explain():
                    self.stdout.write(f"  {line}")
            return
        with acting_as(None, "command:calendar"):
            self._override(opts)

    def _override(self, opts) -> None:
        sub = opts["override_action"]
        if sub == "list":
            rows = CalendarOverride.objects.all()
            if not rows:
                self.stdout.write("Chưa có điều chỉnh nào.")
            for o in rows:
                ref = f" [{o.reference}]" if o.reference else ""
                self.stdout.write(f"{o.date.isoformat()}  {o.kind:<8} {o.reason}{ref}")
        elif sub == "add":
            day = _parse_date(opts["date"])
            try:
                services.calendar_override_add(
                    user=None,
                    date=day,
                    kind="off" if opts["off"] else "workday",
                    reason=opts["reason"],
                    reference=opts["reference"],
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(self.style.SUCCESS(f"Đã thêm điều chỉnh ngày {day.isoformat()}."))
        else:
            day = _parse_date(opts["date"])
            if not services.calendar_override_remove(day=day):
                raise CommandError(f"Ngày {day.isoformat()} không có điều chỉnh nào.")
            self.stdout.write(self.style.SUCCESS(f"Đã xóa điều chỉnh ngày {day.isoformat()}."))
