from django.core.management.base import BaseCommand

from cchc.core.audit import acting_as
from cchc.petitions.services import petition_send_reminders


class Command(BaseCommand):
    help = "Nhắc cán bộ về phản ánh, kiến nghị sắp đến hạn hoặc quá hạn (chạy hằng ngày; chạy lại không gửi trùng)."

    def handle(self, *args, **options):
        with acting_as(None, "command:petitions_remind"):
            sent = petition_send_reminders()
        self.stdout.write(self.style.SUCCESS(f"Đã gửi {sent} thông báo nhắc hạn."))
