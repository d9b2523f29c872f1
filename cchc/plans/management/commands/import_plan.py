import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cchc.core.audit import acting_as
from cchc.org.models import Unit
from cchc.plans.importing import services
from cchc.plans.importing.services import Conflict


class Command(BaseCommand):
    help = (
        "Nhập kế hoạch CCHC từ văn bản (.docx, .pdf có lớp chữ, .txt) thành dự thảo: "
        "cchc import-plan TỆP --commune ĐỊNH_DANH [--year NĂM] [--dry-run] [--format json] [--replace]. "
        "Sửa khoảng trắng tiếng Việt, nhận lĩnh vực, nhiệm vụ, bộ phận, thời gian, chỉ tiêu; in mọi chỗ đã sửa."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .docx, .pdf hoặc .txt")
        parser.add_argument(
            "--commune", required=True, help="Định danh URL của xã (vd. ducxuong) hoặc mã định danh."
        )
        parser.add_argument("--year", type=int, help="Năm kế hoạch (mặc định: năm đọc được trong văn bản).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đọc và in kết quả, không lưu gì.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Kiểu in kết quả.")
        parser.add_argument(
            "--replace", action="store_true", help="Thay thế dự thảo đã có của năm đó (không tạo bản trùng)."
        )

    def handle(
        self, *args, file: str, commune: str, year, dry_run: bool, format: str, replace: bool, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        unit = Unit.objects.filter(Q(slug=commune) | Q(agency_code=commune)).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị nào có định danh hoặc mã '{commune}'.")
        if not unit.is_commune:
            raise CommandError(f"{unit} không phải là xã (phường, đặc khu).")
        data = path.read_bytes()
        try:
            if dry_run:
                parsed = services.read_document(name=path.name, data=data, commune=unit, year=year)
            else:
                with acting_as(None, "command:import_plan"):
                    record = services.plan_import_read(
                        user=None, commune=unit, upload=SimpleUploadedFile(path.name, data), year=year
                    )
                    parsed = record.parsed
                    plan = services.plan_import_save(
                        user=None, record=record, data=services.initial_data(parsed), replace=replace
                    )
        except ValidationError as exc:
            raise CommandError("Không nhập được: " + " ".join(exc.messages)) from exc
        except Conflict as exc:
            raise CommandError(exc.message) from exc
        if format == "json":
            out = {k: v for k, v in parsed.items() if k != "source_lines"}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            self._print(parsed)
        if not dry_run:
            self.stderr.write(self.style.SUCCESS(f"Đã lưu dự thảo: {plan} (mã {plan.pk})."))

    def _print(self, parsed: dict) -> None:
        w = self.stdout.write
        header = parsed["header"]
        w(f"Kế hoạch năm {parsed['year']}: {header.get('title', '')}")
        if header.get("number"):
            w(f"Số: {header['number']}/{header['symbol']}  ngày {header.get('issued_on') or '—'}")
        for warning in parsed["warnings"]:
            w(f"! {warning}")
        for number, area in enumerate(parsed["areas"], start=1):
            w(f"{number}. {area['title']} [{area['kind']}]")
            for task in area["tasks"]:
                lead = task["lead"] or {}
                lead_text = lead.get("department_name") or (f"? {lead.get('text')}" if lead else "—")
                coord = ", ".join(c["department_name"] or f"? {c['text']}" for c in task["coordinating"])
                time = task["time"] or {}
                w(f"   {task['marker'] or '-'}) {task['title']}")
                w(f"      chủ trì: {lead_text}" + (f"; phối hợp: {coord}" if coord else ""))
                w(
                    f"      thời gian: {time.get('text') or '(không ghi)'} → {time.get('time_frame')} "
                    f"{time.get('start_date') or ''}…{time.get('end_date') or ''} {time.get('recurrence') or ''}"
                )
                for target in task["targets"]:
                    w(f"      chỉ tiêu: {target['text']} → {target['metric'] or '(chưa gắn chỉ số)'}")
        w(f"Sửa chữ: {len(parsed['repairs'])}")
        for r in parsed["repairs"]:
            w(f"   dòng {r['line']}: {r['before']} → {r['after']}")
        for d in parsed["doubts"]:
            w(f"   ? dòng {d['line']}: {d['text']} — {d['reason']}")
        if parsed["unplaced"]:
            w("Dòng chưa xếp vào đâu:")
            for u in parsed["unplaced"]:
                w(f"   dòng {','.join(map(str, u['lines']))}: {u['text']}")
