"""`cchc dossiers-recompute-due [--commune SLUG] [--since YYYY-MM-DD] [--dry-run]`:
recompute the due dates of open dossiers after the working-day calendar changed."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.core.audit import acting_as
from cchc.dossiers.services import dossiers_recompute_due_dates
from cchc.org.models import Unit


class Command(BaseCommand):
    help = "Tính lại hạn giải quyết của hồ sơ đang giải quyết theo lịch làm việc hiện tại."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="Slug hoặc mã định danh của xã (mặc định: mọi xã).")
        parser.add_argument("--since", help="Ngày sớm nhất được thay đổi trong lịch (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không ghi gì.")

    def handle(self, *args, commune: str | None, since: str | None, dry_run: bool, **opts):
        commune_ids = None
        if commune:
            unit = (
                Unit.objects.communes().filter(slug=commune).first()
                or Unit.objects.communes().filter(agency_code=commune).first()
            )
            if unit is None:
                raise CommandError(f"Không tìm thấy xã {commune!r}.")
            commune_ids = [unit.pk]
        since_day = None
        if since:
            try:
                since_day = date.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(f"Ngày không hợp lệ: {since!r} (dùng YYYY-MM-DD).") from exc
        with acting_as(None, "command:dossiers-recompute-due"):
            summary = dossiers_recompute_due_dates(commune_ids=commune_ids, since=since_day, dry_run=dry_run)
        for change in summary.changes:
            if change.kept:
                self.stdout.write(
                    f"{change.dossier.code}: giữ {change.old:%d/%m/%Y} (đã quá hạn; lịch mới cho "
                    f"{change.new:%d/%m/%Y})"
                )
            else:
                self.stdout.write(f"{change.dossier.code}: {change.old:%d/%m/%Y} → {change.new:%d/%m/%Y}")
        for dossier, why in summary.skipped:
            self.stdout.write(f"{dossier.code}: bỏ qua ({why})")
        verb = "sẽ điều chỉnh" if dry_run else "đã điều chỉnh"
        self.stdout.write(
            f"Đã xét {summary.checked} hồ sơ đang giải quyết; {verb} {len(summary.applied)}, "
            f"giữ nguyên {len(summary.kept)} (đã quá hạn), bỏ qua {len(summary.skipped)}."
            + (" (chạy thử, chưa ghi)" if dry_run else "")
        )
