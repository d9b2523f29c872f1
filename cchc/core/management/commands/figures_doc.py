"""`cchc figures-doc [--check]`: write docs/figures.md from the figures catalogue."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.core.figures import render_markdown

DOC = Path(__file__).resolve().parents[4] / "docs" / "figures.md"


class Command(BaseCommand):
    help = "Ghi docs/figures.md từ danh mục số liệu (--check: chỉ kiểm tra, không ghi)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Báo lỗi nếu tệp khác danh mục.")
        parser.add_argument("--output", default=str(DOC), help="Tệp ghi ra (mặc định docs/figures.md).")

    def handle(self, *args, check: bool = False, output: str = str(DOC), **opts):
        text = render_markdown()
        path = Path(output)
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} khác danh mục số liệu: chạy `cchc figures-doc` để cập nhật.")
            self.stdout.write(f"{path}: khớp danh mục ({text.count('### `')} số liệu).")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Đã ghi {path} ({text.count('### `')} số liệu).")
