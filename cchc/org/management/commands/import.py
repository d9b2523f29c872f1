from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.audit import acting_as
from cchc.core.backup import number
from cchc.org.transfer import TransferError, commune_import


class Command(BaseCommand):
    help = (
        "Nhập dữ liệu một xã đã xuất bằng `cchc export` (mã hồ sơ, tệp, lịch sử giữ nguyên). Chạy trong một "
        "giao dịch: lỗi thì không ghi gì; không nhập đè xã đã có dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Tệp cchc-xa-….zip")
        parser.add_argument(
            "--parent", default=None, help="Định danh đơn vị cấp trên ở đây (mặc định: như bản xuất)."
        )
        parser.add_argument(
            "--user-prefix",
            default="",
            help="Tiền tố thêm vào tên đăng nhập của xã nếu trùng tên đã có ở đây.",
        )

    def handle(self, *args, archive: Path, parent: str | None, user_prefix: str, **options):
        try:
            with acting_as(None, "command:import"):
                result = commune_import(
                    archive_path=Path(archive),
                    parent_slug=parent,
                    user_prefix=user_prefix,
                    progress=self.stdout.write,
                )
        except TransferError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Đã nhập {result.commune} (mã đơn vị {result.commune.agency_code}):")
        )
        from django.apps import apps

        for label, count in sorted(result.counts.items(), key=lambda item: -item[1]):
            model = apps.get_model(label)
            if count and not model._meta.auto_created:  # many-to-many links: counted, not listed
                self.stdout.write(f"  {number(count)} {model._meta.verbose_name_plural}")
        self.stdout.write(f"  {result.files} tệp tải lên")
        if result.renamed:
            self.stdout.write(
                "Tên đăng nhập mới: " + ", ".join(f"{a} → {b}" for a, b in result.renamed.items())
            )
        if result.guests:
            self.stdout.write(
                "Tài khoản chỉ còn trong lịch sử (không đăng nhập được): " + ", ".join(result.guests)
            )
