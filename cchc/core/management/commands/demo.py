import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cchc.core import serving
from cchc.core.audit import acting_as
from cchc.core.demo import DEMO_PASSWORD, DemoLog, demo_logins


class Command(BaseCommand):
    help = (
        "Tạo/cập nhật CSDL, nạp dữ liệu mẫu (chạy lại không tạo trùng) và chạy máy chủ demo trên 127.0.0.1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Chỉ nạp dữ liệu, không chạy máy chủ.")

    def handle(self, *args, port: int, no_serve: bool, **options):
        if not no_serve:
            # Links written while loading (notifications) and QR codes printed later
            # name the port actually served.
            serving.apply_public_url("127.0.0.1", port)
        self.stdout.write("Cập nhật cơ sở dữ liệu (migrate)…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        log = DemoLog(write=self.stdout.write)
        with acting_as(None, "command:demo"):
            for config in apps.get_app_configs():
                if not config.name.startswith("cchc."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{config.name}.demo":
                        continue
                    raise
                if hasattr(module, "load"):
                    self.stdout.write(f"[{config.verbose_name}]")
                    module.load(log)
        if log.created == 0:
            self.stdout.write(
                self.style.SUCCESS(f"Dữ liệu mẫu đã có đủ: không thay đổi gì ({log.existed} mục đã có).")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Đã tạo {log.created} mục mới; {log.existed} mục đã có từ trước.")
            )
        self.stdout.write(f"\nTài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, label in demo_logins():
            self.stdout.write(f"  {username:<12} {label}")
        if no_serve:
            return
        self.stdout.write(f"\nMở http://127.0.0.1:{port}/")
        # The same production server as `cchc serve`: the development server drops
        # connections beyond a handful queued.
        serving.serve(host="127.0.0.1", port=port, threads=8, write=self.stdout.write)
