import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cchc.core import serving


class Command(BaseCommand):
    help = (
        "Chạy phần mềm thật: cập nhật CSDL, chuẩn bị tệp tĩnh rồi phục vụ bằng máy chủ waitress "
        "(chạy được trên Linux và Windows, không cần máy chủ web riêng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này; 0.0.0.0: mọi máy trong mạng).",
        )
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument(
            "--threads", type=int, default=8, help="Số yêu cầu xử lý cùng lúc (mặc định 8; 1–64)."
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help=(
                "Số tiến trình phục vụ (mặc định 1; Linux/macOS: đến 32, nên bằng số lõi; "
                "cần CCHC_CACHE=database). Mỗi tiến trình có --threads luồng."
            ),
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Không tự cập nhật cấu trúc CSDL khi khởi động."
        )

    def handle(self, *args, host: str, port: int, threads: int, processes: int, no_migrate: bool, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port}: cổng phải từ 1 đến 65535.")
        if not 1 <= threads <= 64:
            raise CommandError(f"--threads {threads}: cần từ 1 đến 64.")
        problem = serving.processes_problem(processes)
        if problem:
            raise CommandError(problem)
        if not no_migrate:
            self.stdout.write("Cập nhật cơ sở dữ liệu (migrate)…")
            call_command("migrate", interactive=False, verbosity=0)
            if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
                call_command("createcachetable", verbosity=0)
        self.stdout.write("Chuẩn bị tệp tĩnh (collectstatic)…")
        call_command("collectstatic", interactive=False, verbosity=0)
        self._first_administrator()
        url = serving.apply_public_url(host, port)
        source = "CCHC_PUBLIC_BASE_URL" if settings.PUBLIC_BASE_URL_SET else "theo địa chỉ đang phục vụ"
        self.stdout.write(f"Địa chỉ công khai (mã QR, thư): {url} ({source})")
        if not settings.PUBLIC_BASE_URL_SET and serving.is_loopback_url(url):
            self.stdout.write(
                self.style.WARNING(
                    "  Mã QR in ra chỉ mở được trên chính máy này: đặt CCHC_PUBLIC_BASE_URL là địa chỉ "
                    "người dân truy cập (hoặc chạy với --host 0.0.0.0 trong mạng nội bộ)."
                )
            )
        database = settings.DATABASES["default"]
        engine = "PostgreSQL" if database["ENGINE"].endswith("postgresql") else "SQLite"
        self.stdout.write(f"Cơ sở dữ liệu: {engine} {database['NAME']}; nhật ký lỗi: {settings.LOG_DIR}")
        self.stdout.write(self.style.SUCCESS(f"Mở {serving.public_url_for(host, port)}/"))
        serving.serve(host=host, port=port, threads=threads, processes=processes, write=self.stdout.write)

    def _first_administrator(self) -> None:
        """A fresh installation has no account: ask for the first administrator when
        someone is at the keyboard, otherwise say how to create one."""
        User = get_user_model()
        if User.objects.exists():
            return
        if sys.stdin.isatty():
            self.stdout.write("Chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên:")
            call_command("createsuperuser", interactive=True)
        else:
            self.stdout.write(
                self.style.WARNING("Chưa có tài khoản nào: chạy `cchc createsuperuser` để tạo quản trị viên.")
            )
