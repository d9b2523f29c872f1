from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from cchc.core.models import AuditLog
from cchc.core.workcal import TimeUnit
from cchc.procedures.models import DepartmentRule, OnlineLevel, Procedure, ProcedureImport
from cchc.procedures.services import (
    CatalogueFileError,
    department_rule_save,
    department_rules_apply,
    procedure_import_apply,
    procedure_import_preview,
    procedure_review_clear,
    procedure_update,
    procedures_import,
)

from .helpers import REAL_FILE, ROWS, CatalogueTestCase, csv_bytes, xlsx_bytes

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 11, 2, 9, 0, tzinfo=TZ)


class RealFileImportTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report = procedures_import(
            commune=cls.commune, content=REAL_FILE.read_bytes(), file_name="tthc.csv", at=AT
        )

    def test_it_loads_all_253_procedures(self):
        self.assertEqual(
            self.report.counts(),
            {"total": 253, "created": 253, "updated": 0, "unchanged": 0, "flagged": self.report.flagged},
        )
        self.assertEqual(Procedure.objects.filter(commune=self.commune).count(), 253)
        self.assertEqual(Procedure.objects.filter(commune=self.other_commune).count(), 0)

    def test_flags_are_a_real_share_with_notes(self):
        flagged = Procedure.objects.filter(commune=self.commune, needs_review=True)
        self.assertEqual(flagged.count(), self.report.flagged)
        self.assertGreater(flagged.count(), 65)  # at least the 65 rows without a usable time unit…
        self.assertLess(flagged.count(), 253)  # …but not everything
        self.assertFalse(flagged.filter(review_notes="").exists())
        self.assertFalse(
            Procedure.objects.filter(commune=self.commune, needs_review=False)
            .exclude(review_notes="")
            .exists()
        )

    def test_amount_without_unit_is_flagged_with_raw_text_kept(self):
        khai_sinh = Procedure.objects.get(commune=self.commune, code="1.001193")
        self.assertTrue(khai_sinh.needs_review)
        self.assertIsNone(khai_sinh.time_amount)
        self.assertEqual(khai_sinh.time_text, "1")
        self.assertIn("Thời hạn:", khai_sinh.review_notes)
        self.assertEqual(khai_sinh.source_row["time_amount"], "1")
        self.assertEqual(khai_sinh.source_row["code"], "1.001193")

    def test_structured_time_is_parsed(self):
        procedure = Procedure.objects.get(commune=self.commune, code="1.005412")
        self.assertEqual((procedure.time_amount, procedure.time_unit), (45, TimeUnit.DAYS))
        self.assertEqual(procedure.fee_amount, Decimal(0))
        self.assertEqual(procedure.time_text, "45 days")

    def test_hours_are_working_hours(self):
        procedure = Procedure.objects.get(commune=self.commune, code="2.001159")
        self.assertEqual((procedure.time_amount, procedure.time_unit), (1, TimeUnit.WORKING_HOURS))

    def test_time_run_into_the_fee_column_is_used(self):
        procedure = Procedure.objects.get(commune=self.commune, code="1.004656")
        self.assertEqual((procedure.time_amount, procedure.time_unit), (5, TimeUnit.WORKING_DAYS))
        self.assertIn("05 ngày làm việc", procedure.time_text)

    def test_fee_amounts_read_when_clearly_stated(self):
        copy = Procedure.objects.get(commune=self.commune, code="2.000815")
        self.assertEqual(copy.fee_amount, Decimal(2000))
        self.assertTrue(copy.fee_text.startswith("Không có thông tin2,000 Việt Nam Đồng"))
        unknown = Procedure.objects.get(commune=self.commune, code="2.001159")
        self.assertIsNone(unknown.fee_amount)
        self.assertIn("Phí:", unknown.review_notes)

    def test_channels_and_online_level(self):
        insurance = Procedure.objects.get(commune=self.commune, code="1.005412")  # buu_chinh truc_tiep
        self.assertEqual(insurance.channel_codes, ["in_person", "postal"])
        self.assertEqual(insurance.online_level, OnlineLevel.NONE)
        online = Procedure.objects.get(commune=self.commune, code="2.002165")
        self.assertEqual(online.channel_codes, ["in_person", "online", "postal"])
        self.assertEqual(online.online_level, OnlineLevel.PARTIAL)  # the file never says "toàn trình"
        self.assertFalse(Procedure.objects.filter(online_level=OnlineLevel.FULL).exists())

    def test_departments_follow_the_field_table(self):
        get = lambda code: Procedure.objects.get(commune=self.commune, code=code)  # noqa: E731
        self.assertEqual(get("1.001193").department, self.dept_justice)  # Hộ tịch
        self.assertEqual(get("2.000815").department, self.dept_justice)  # Chứng thực
        self.assertEqual(get("1.012995").department, self.dept_land)  # Tài chính đất đai → Đất đai wins
        police = get("2.001159")  # Đăng ký, quản lý cư trú: no rule
        self.assertEqual(police.department, self.dept_one_stop)
        self.assertIn(
            "Bộ phận: Lĩnh vực 'Đăng ký, quản lý cư trú' chưa có trong bảng phân công", police.review_notes
        )

    def test_reimport_of_the_same_file_changes_nothing(self):
        audit_rows = AuditLog.objects.exclude(model="procedureimport").count()
        report = procedures_import(commune=self.commune, content=REAL_FILE.read_bytes())
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 253))
        self.assertEqual(report.flagged, self.report.flagged)
        self.assertEqual(Procedure.objects.count(), 253)
        # Only the import record itself is new in the audit trail.
        self.assertEqual(AuditLog.objects.exclude(model="procedureimport").count(), audit_rows)

    def test_other_commune_gets_its_own_copy(self):
        report = procedures_import(commune=self.other_commune, content=REAL_FILE.read_bytes())
        self.assertEqual(report.created, 253)
        self.assertEqual(Procedure.objects.count(), 506)
        # gialoc has only a Tư pháp department: the rest is unassigned and flagged.
        self.assertIsNone(Procedure.objects.get(commune=self.other_commune, code="1.012995").department)

    def test_it_is_audited(self):
        procedure = Procedure.objects.get(commune=self.commune, code="1.001193")
        self.assertTrue(
            AuditLog.objects.filter(model="procedure", object_id=str(procedure.pk), action="create").exists()
        )


class ReimportTests(CatalogueTestCase):
    def setUp(self):
        procedures_import(commune=self.commune, content=csv_bytes(), at=AT)

    def test_changed_rows_are_updated_and_counted(self):
        rows = [list(r) for r in ROWS]
        rows[0][6] = "5"  # khai sinh: 3 → 5 working days
        rows.append(
            ["9.999999", "Thủ tục mới", "Hộ tịch", "Cấp xã", "", "truc_tiep", "2", "days", "Miễn phí"]
        )
        report = procedures_import(commune=self.commune, content=csv_bytes(rows))
        self.assertEqual((report.created, report.updated, report.unchanged), (1, 1, 4))
        self.assertEqual(Procedure.objects.get(code="1.001193").time_amount, 5)
        self.assertEqual(Procedure.objects.filter(commune=self.commune).count(), 6)
        updated = next(i for i in report.items if i.code == "1.001193")
        self.assertIn("time_amount", updated.changed)

    def test_manual_edits_survive_a_reimport(self):
        khai_sinh = Procedure.objects.get(code="1.001193")
        procedure_update(
            user=self.motcua,
            procedure=khai_sinh,
            changes={
                "time_amount": None,
                "time_unit": TimeUnit.SAME_DAY,
                "department": self.dept_one_stop,
                "documents": "Tờ khai\nGiấy chứng sinh",
            },
        )
        rows = [list(r) for r in ROWS]
        rows[0][1] = "Thủ tục đăng ký khai sinh (sửa đổi)"
        rows[0][6] = "7"
        report = procedures_import(commune=self.commune, content=csv_bytes(rows))
        khai_sinh.refresh_from_db()
        self.assertEqual(report.updated, 1)
        self.assertEqual(
            khai_sinh.name, "Thủ tục đăng ký khai sinh (sửa đổi)"
        )  # not edited by hand: follows the file
        self.assertEqual((khai_sinh.time_amount, khai_sinh.time_unit), (None, TimeUnit.SAME_DAY))  # kept
        self.assertEqual(khai_sinh.department, self.dept_one_stop)  # kept
        self.assertEqual(khai_sinh.document_list, ["Tờ khai", "Giấy chứng sinh"])
        self.assertEqual(khai_sinh.time_text, "7 working_days")  # raw text always refreshed
        self.assertEqual(khai_sinh.source_row["time_amount"], "7")

    def test_fixing_a_flagged_topic_by_hand_removes_its_note_and_clears_the_flag(self):
        copy = Procedure.objects.get(code="2.000815")  # no time in the file
        self.assertTrue(copy.needs_review)
        procedure_update(
            user=self.motcua,
            procedure=copy,
            changes={"time_amount": 1, "time_unit": TimeUnit.WORKING_DAYS},
            at=AT,
        )
        copy.refresh_from_db()
        self.assertFalse(copy.needs_review)
        self.assertEqual(copy.reviewed_by, self.motcua)
        report = procedures_import(commune=self.commune, content=csv_bytes())
        copy.refresh_from_db()
        self.assertFalse(copy.needs_review)  # the time problem was fixed by hand
        self.assertEqual(report.unchanged, 5)

    def test_a_cleared_flag_stays_cleared_until_the_row_changes(self):
        police = Procedure.objects.get(code="2.001159")
        procedure_review_clear(user=self.vanphong, procedure=police)
        self.assertEqual(procedures_import(commune=self.commune, content=csv_bytes()).unchanged, 5)
        police.refresh_from_db()
        self.assertFalse(police.needs_review)
        rows = [list(r) for r in ROWS]
        rows[4][1] = "Thông báo lưu trú (mới)"
        procedures_import(commune=self.commune, content=csv_bytes(rows))
        police.refresh_from_db()
        self.assertTrue(police.needs_review)

    def test_reapplying_the_field_table_keeps_an_accepted_procedure_accepted(self):
        police = Procedure.objects.get(code="2.001159")
        procedure_review_clear(user=self.vanphong, procedure=police)
        self.assertEqual(department_rules_apply(user=self.vanphong, commune=self.commune), 0)
        police.refresh_from_db()
        self.assertFalse(police.needs_review)

    def test_xlsx_updates_the_same_procedures(self):
        report = procedures_import(commune=self.commune, content=xlsx_bytes(ROWS))
        self.assertEqual(report.file_format, "xlsx")
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 5))

    def test_dry_run_changes_nothing_but_counts_exactly(self):
        rows = [*ROWS, ["9.1", "Mới", "Hộ tịch", "", "", "truc_tiep", "1", "days", "Miễn phí"]]
        before = list(Procedure.objects.values_list("code", "updated_at"))
        imports = ProcedureImport.objects.count()
        report = procedures_import(commune=self.commune, content=csv_bytes(rows), dry_run=True)
        self.assertEqual((report.created, report.unchanged), (1, 5))
        self.assertEqual(list(Procedure.objects.values_list("code", "updated_at")), before)
        self.assertEqual(ProcedureImport.objects.count(), imports)

    def test_department_table_change_reassigns_unless_chosen_by_hand(self):
        police = Procedure.objects.get(code="2.001159")
        self.assertEqual(police.department, self.dept_one_stop)
        department_rule_save(
            user=self.vanphong, commune=self.commune, keyword="cư trú", department=self.dept_office, order=1
        )
        self.assertEqual(department_rules_apply(user=self.vanphong, commune=self.commune), 1)
        police.refresh_from_db()
        self.assertEqual(police.department, self.dept_office)
        self.assertNotIn("Bộ phận:", police.review_notes)
        self.assertTrue(police.needs_review)  # the fee is still unknown
        with self.assertRaises(ValidationError):
            department_rule_save(
                user=self.vanphong, commune=self.commune, keyword="Cu tru", department=self.dept_office
            )


class BrokenFileTests(CatalogueTestCase):
    def setUp(self):
        procedures_import(commune=self.commune, content=csv_bytes(), at=AT)
        self.snapshot = list(Procedure.objects.order_by("pk").values())
        self.audit_count = AuditLog.objects.count()

    def assertNothingChanged(self):
        self.assertEqual(list(Procedure.objects.order_by("pk").values()), self.snapshot)
        self.assertEqual(AuditLog.objects.count(), self.audit_count)

    def test_bad_files_give_a_vietnamese_error_and_change_nothing(self):
        bad = {
            "missing column": csv_bytes(
                header=["code", "name", "field", "channels"],
                rows=[["1.001193", "Đổi tên", "Hộ tịch", "truc_tiep"]],
            ),
            "wrong encoding": csv_bytes([[*ROWS[0][:1], "Tên mới", *ROWS[0][2:]]], encoding="cp1258"),
            "not a table": b"%PDF-1.7\x00\x00binary",
            "empty": b"",
            "header only": csv_bytes([]),
            "duplicate code": csv_bytes([ROWS[0], ROWS[0]]),
        }
        for label, content in bad.items():
            with self.subTest(label), self.assertRaises(CatalogueFileError) as ctx:
                procedures_import(commune=self.commune, content=content)
            self.assertTrue(ctx.exception.messages[0][:1].isupper())
            self.assertNothingChanged()

    def test_a_row_failing_validation_late_rolls_back_the_rows_before_it(self):
        rows = [list(r) for r in ROWS]
        rows[0][1] = "Tên đã đổi"  # would be updated…
        rows[3][1] = "x" * 0  # …but this row has no name: the whole file is refused
        with self.assertRaises(CatalogueFileError) as ctx:
            procedures_import(commune=self.commune, content=csv_bytes(rows))
        self.assertIn("Dòng 5: thiếu tên thủ tục", ctx.exception.messages[0])
        self.assertNothingChanged()

    def test_user_without_permission_cannot_import(self):
        with self.assertRaises(PermissionDenied):
            procedures_import(commune=self.commune, content=csv_bytes(), user=self.tuphap)
        with self.assertRaises(PermissionDenied):
            procedures_import(commune=self.commune, content=csv_bytes(), user=self.captren)
        self.assertNothingChanged()


class PreviewTests(CatalogueTestCase):
    def test_preview_then_apply(self):
        upload = procedure_import_preview(
            user=self.motcua, commune=self.commune, file_name="dm.csv", content=csv_bytes()
        )
        self.assertEqual(upload.status, ProcedureImport.Status.PREVIEW)
        self.assertEqual(upload.counts["created"], 5)
        self.assertEqual(Procedure.objects.count(), 0)
        report = procedure_import_apply(user=self.motcua, upload=upload)
        self.assertEqual(report.created, 5)
        upload.refresh_from_db()
        self.assertEqual(upload.status, ProcedureImport.Status.APPLIED)
        with self.assertRaises(ValidationError):
            procedure_import_apply(user=self.motcua, upload=upload)
        self.assertEqual(Procedure.objects.count(), 5)

    def test_bad_file_preview_keeps_nothing(self):
        with self.assertRaises(CatalogueFileError):
            procedure_import_preview(user=self.motcua, commune=self.commune, file_name="x.csv", content=b"")
        self.assertEqual(ProcedureImport.objects.count(), 0)


class CommandTests(CatalogueTestCase):
    def test_it_imports_by_slug_or_agency_code_and_reports_counts(self):
        out = StringIO()
        call_command("import_procedures", str(REAL_FILE), "--commune", "ducxuong", "--dry-run", stdout=out)
        self.assertIn("Chạy thử (không lưu gì): 253 thủ tục", out.getvalue())
        self.assertEqual(Procedure.objects.count(), 0)
        out = StringIO()
        call_command("import_procedures", str(REAL_FILE), "--commune", self.commune.agency_code, stdout=out)
        self.assertIn("253 tạo mới, 0 cập nhật, 0 không đổi", out.getvalue())
        self.assertEqual(ProcedureImport.objects.get().counts["created"], 253)
        log = AuditLog.objects.filter(model="procedure").first()
        self.assertEqual(log.source, "command:import_procedures")

    def test_errors_are_command_errors(self):
        with self.assertRaisesMessage(CommandError, "Không tìm thấy tệp"):
            call_command("import_procedures", "/nonexistent.csv", "--commune", "ducxuong")
        with self.assertRaisesMessage(CommandError, "không phải là xã"):
            call_command("import_procedures", str(REAL_FILE), "--commune", "haiphong")
        with self.assertRaisesMessage(CommandError, "Không có đơn vị"):
            call_command("import_procedures", str(REAL_FILE), "--commune", "khongco")
        self.assertFalse(DepartmentRule.objects.exists())
