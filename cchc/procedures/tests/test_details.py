"""Required documents and procedure details from the national files shipped with the
project (docs/rules.md §15): parsed with the published wording kept, imported per
commune, re-runnable, bad rows named; reviewed part by part before publication."""

import io
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from cchc.core.models import AuditLog
from cchc.procedures import details
from cchc.procedures.models import (
    PARTS,
    HeadingKind,
    Procedure,
    ProcedureDetail,
    RequiredDocument,
    Requirement,
)
from cchc.procedures.services import (
    procedure_details_import,
    procedure_parts_review,
    procedure_update,
    required_document_update,
)
from cchc.testing import BaseTestCase

DATA = Path(__file__).resolve().parent.parent / "data"
DOCUMENTS = (DATA / "tthc_thanh_phan.csv").read_bytes()
DETAILS = (DATA / "tthc_chi_tiet.csv").read_bytes()
DOC_HEADER = "code,document,copies,required,form_name,source,case,seq\n"
DETAIL_HEADER = (
    "code,ten_thu_tuc,doi_tuong_thuc_hien,trinh_tu_thuc_hien,yeu_cau_dieu_kien,can_cu_phap_ly_text,"
    "ket_qua,ket_qua_ma,detail_url,source\n"
)


class ParsingTests(BaseTestCase):
    def test_quantities_headings_and_requirements(self):
        self.assertEqual(details.parse_copies("1 bản chính"), (1, 0))
        self.assertEqual(details.parse_copies("0 bản chính,1 bản sao"), (0, 1))
        self.assertEqual(details.parse_copies("2 bản chính, 2 bản sao"), (2, 2))
        self.assertIsNone(details.parse_copies("một bản"))
        self.assertEqual(details.heading_kind("* Giấy tờ phải nộp:"), HeadingKind.SUBMIT)
        self.assertEqual(details.heading_kind("Giấy tờ phải xuất trình:"), HeadingKind.SHOW)
        self.assertEqual(details.heading_kind("Người yêu cầu chứng thực phải xuất trình"), HeadingKind.SHOW)
        self.assertEqual(details.heading_kind("* Lưu ý :"), HeadingKind.NOTE)
        self.assertEqual(details.heading_kind(""), HeadingKind.GENERAL)
        self.assertEqual(details.heading_kind("Trường hợp ủy quyền thực hiện thủ tục:"), HeadingKind.CASE)
        self.assertEqual(details.requirement("- Giấy chứng sinh", "unknown", "submit"), Requirement.UNKNOWN)
        self.assertEqual(details.requirement("Ghi chú", "no", "general"), Requirement.NOTE)
        self.assertEqual(
            details.requirement("Giấy tờ khác (nếu có)", "unknown", "general"), Requirement.OPTIONAL
        )
        self.assertEqual(
            details.requirement("- Trường hợp trẻ em bị bỏ rơi thì có biên bản", "unknown", "submit"),
            Requirement.CONDITIONAL,
        )

    def test_short_labels_keep_the_published_words(self):
        self.assertEqual(
            details.short_label(
                "- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng"
            ),
            "Giấy chứng sinh",
        )
        self.assertEqual(
            details.short_label(
                "- Tờ khai đăng ký khai tử theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);"
            ),
            "Tờ khai đăng ký khai tử theo mẫu",
        )
        self.assertEqual(
            details.short_label(
                "- Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp. Trường hợp người yêu cầu …"
            ),
            "Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp",
        )
        long = details.short_label("+ " + "Giấy tờ chứng minh " * 20)
        self.assertLessEqual(len(long), details.LABEL_MAX + 1)
        self.assertTrue(long.endswith("…"))

    def test_the_legal_basis_is_split_where_the_crawl_glued_it(self):
        text = (
            "Nghị định số 125/2025/NĐ-CP của Chính phủ: Quy định về phân định thẩm quyền125/2025/NĐ-CP"
            "Kinh doanh bảo hiểm24/2000/QH10về bảo hiểm nông nghiệp58/2018/NĐ-CP"
            "Luật thú yNghị định số 35/2016/NĐ-CP106/2024/NĐ-CP"
            "Thông tư 01/2020/TT-BTP01/2020/TT-BTPQuyết định 20/2020/QĐ-TTgQuy chế"
        )
        self.assertEqual(
            details.split_legal_basis(text),
            [
                "Nghị định số 125/2025/NĐ-CP của Chính phủ: Quy định về phân định thẩm quyền",
                "Kinh doanh bảo hiểm (24/2000/QH10)",
                "về bảo hiểm nông nghiệp (58/2018/NĐ-CP)",
                "Luật thú y",
                "Nghị định số 35/2016/NĐ-CP",
                "106/2024/NĐ-CP",
                "Thông tư 01/2020/TT-BTP",
                "Quyết định 20/2020/QĐ-TTg",
                "Quy chế",
            ],
        )

    def test_the_shipped_files_read_whole(self):
        documents, bad = details.read_documents(DOCUMENTS)
        self.assertEqual((len(documents), sum(len(v) for v in documents.values()), bad), (253, 2154, []))
        birth = documents["1.001193"]
        self.assertEqual(len(birth), 33)
        self.assertEqual(
            (birth[4].label, birth[4].originals, birth[4].heading),
            ("Giấy chứng sinh", 1, "* Giấy tờ phải nộp:"),
        )
        self.assertEqual(birth[31].label, "Tờ khai đăng ký khai sinh theo mẫu")
        pages, bad = details.read_details(DETAILS)
        self.assertEqual((len(pages), bad), (253, []))
        self.assertIn("Quyết định phê duyệt danh sách", pages["1.005412"].results.splitlines()[0])


class ImportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for code, name in (
            ("1.001193", "Đăng ký khai sinh"),
            ("2.000815", "Chứng thực bản sao"),
            ("9.999999", "Riêng xã"),
        ):
            Procedure.objects.create(
                commune=cls.commune, code=code, name=name, time_amount=3, time_unit="working_days"
            )
        Procedure.objects.create(commune=cls.other_commune, code="1.001193", name="Đăng ký khai sinh")

    def run_import(self, documents=DOCUMENTS, pages=DETAILS, **kw):
        return procedure_details_import(
            commune=self.commune, documents_content=documents, details_content=pages, **kw
        )

    def test_it_imports_the_lists_and_details_of_the_communes_procedures(self):
        report = self.run_import(user=self.vanphong)
        self.assertEqual(report.counts()["created"], 2)
        self.assertEqual(len(report.not_in_catalogue), 251)
        birth = Procedure.objects.get(commune=self.commune, code="1.001193")
        rows = list(birth.required_documents.all())
        self.assertEqual(len(rows), 33)
        # The published wording, bullet and all.
        self.assertTrue(
            rows[4].text.startswith("- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp")
        )
        self.assertEqual((rows[4].copies_display, rows[4].heading_kind), ("1 bản chính", HeadingKind.SUBMIT))
        self.assertEqual(rows[11].requirement, Requirement.NOTE)
        self.assertIn(
            "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp "
            "thi hành Luật Hộ tịch",
            birth.detail.legal_basis_lines,
        )
        self.assertTrue(birth.detail.steps.startswith("Bước 1") or len(birth.detail.steps) > 100)
        # Another commune's catalogue and the commune's own procedure without national data are untouched.
        self.assertFalse(RequiredDocument.objects.filter(procedure__commune=self.other_commune).exists())
        self.assertFalse(ProcedureDetail.objects.filter(procedure__code="9.999999").exists())
        self.assertTrue(
            AuditLog.objects.filter(object_id=str(birth.pk), changes__has_key="nhập chi tiết").exists()
        )

    def test_a_rerun_changes_nothing_and_a_changed_line_is_replaced_and_reviewed_again(self):
        self.run_import()
        birth = Procedure.objects.get(commune=self.commune, code="1.001193")
        procedure_parts_review(user=self.vanphong, procedure=birth, parts=PARTS)
        document = birth.required_documents.get(seq=5)
        required_document_update(
            user=self.vanphong,
            document=document,
            changes={"label": "Giấy chứng sinh (bản chính)", "requirement": "required"},
        )
        again = self.run_import()
        self.assertEqual(again.counts()["unchanged"], 2)
        birth.refresh_from_db()
        self.assertTrue(birth.publication_complete)
        changed_docs = DOCUMENTS.replace(
            "Trường hợp trẻ em bị bỏ rơi thì phải có biên bản".encode(),
            "Trường hợp trẻ bị bỏ rơi thì phải có biên bản".encode(),
        )
        changed_pages = DETAILS.replace("Cơ quan đăng ký hộ tịch".encode(), "Cơ quan hộ tịch".encode(), 1)
        report = self.run_import(changed_docs, changed_pages)
        item = next(i for i in report.items if i.code == "1.001193")
        self.assertEqual(item.action, "updated")
        self.assertIn("documents", item.changed)
        birth.refresh_from_db()
        self.assertNotIn("documents", birth.reviewed_parts)
        self.assertIn("fee", birth.reviewed_parts)
        self.assertFalse(birth.publication_complete)
        # The unchanged line keeps what the person set on it; the changed one is read anew.
        kept = birth.required_documents.get(seq=5)
        self.assertEqual((kept.label, kept.requirement), ("Giấy chứng sinh (bản chính)", "required"))
        self.assertTrue(birth.required_documents.get(seq=1).text.startswith("- Trường hợp trẻ bị bỏ rơi"))

    def test_bad_rows_are_named_and_the_good_ones_imported(self):
        documents = (
            DOC_HEADER
            + "1.001193,- Tờ khai đăng ký khai sinh,1 bản chính,unknown,,x,,1\n"
            + "1.001193,- Giấy chứng sinh,một bản,unknown,,x,,2\n"
            + "1.001193,,1 bản chính,unknown,,x,,3\n"
            + "khai sinh,- Ảnh,1 bản chính,unknown,,x,,1\n"
        ).encode()
        pages = (
            DETAIL_HEADER + '2.000815,Chứng thực,Công dân,"Bước 1",Không có thông tin,,Bản sao | Sổ,KQ.1,,x\n'
        ).encode()
        report = self.run_import(documents, pages)
        self.assertEqual(
            [str(b) for b in report.bad_rows],
            [
                "tthc_thanh_phan.csv, dòng 3 (mã 1.001193): số lượng không đọc được (“một bản”)",
                "tthc_thanh_phan.csv, dòng 4 (mã 1.001193): dòng không có nội dung giấy tờ",
                "tthc_thanh_phan.csv, dòng 5 (mã khai sinh): mã thủ tục không hợp lệ",
            ],
        )
        birth = Procedure.objects.get(commune=self.commune, code="1.001193")
        self.assertEqual([d.label for d in birth.required_documents.all()], ["Tờ khai đăng ký khai sinh"])
        copy = Procedure.objects.get(commune=self.commune, code="2.000815")
        self.assertEqual(copy.detail.result_lines, ["Bản sao", "Sổ"])
        self.assertIn("3 dòng không dùng được", report.summary())

    def test_a_file_that_is_not_the_expected_csv_changes_nothing(self):
        with self.assertRaises(ValidationError) as ctx:
            self.run_import(b"ma,ten\n1,2\n", None)
        self.assertIn("thiếu cột", " ".join(ctx.exception.messages))
        with self.assertRaises(ValidationError):
            self.run_import("code,document\n".encode("utf-16"), None)
        self.assertFalse(RequiredDocument.objects.exists())

    def test_a_dry_run_keeps_nothing(self):
        report = self.run_import(dry_run=True)
        self.assertEqual(report.counts()["created"], 2)
        self.assertFalse(RequiredDocument.objects.exists())
        self.assertFalse(ProcedureDetail.objects.exists())

    def test_only_staff_of_the_commune_with_the_right_import(self):
        with self.assertRaises(PermissionDenied):
            self.run_import(user=self.tuphap)
        with self.assertRaises(Http404):
            procedure_details_import(
                commune=self.commune, documents_content=DOCUMENTS, details_content=None, user=self.other
            )
        self.assertFalse(RequiredDocument.objects.exists())

    def test_the_command_reports_what_changed_and_is_rerunnable(self):
        out = io.StringIO()
        call_command("import_procedure_details", commune="ducxuong", stdout=out)
        self.assertIn("2 thủ tục có dữ liệu mới", out.getvalue())
        self.assertIn("251 mã không có trong danh mục của xã", out.getvalue())
        out = io.StringIO()
        call_command("import_procedure_details", commune="ducxuong", stdout=out)
        self.assertIn("0 thủ tục có dữ liệu mới, 0 cập nhật, 2 không đổi", out.getvalue())


class PublicationReviewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.birth = Procedure.objects.create(
            commune=cls.commune, code="1.001193", name="Đăng ký khai sinh", time_amount=None, time_unit=""
        )
        procedure_details_import(commune=cls.commune, documents_content=DOCUMENTS, details_content=DETAILS)

    def test_a_part_with_nothing_usable_cannot_be_marked_reviewed(self):
        with self.assertRaises(ValidationError) as ctx:
            procedure_parts_review(user=self.vanphong, procedure=self.birth, parts=PARTS)
        self.assertIn("Thời hạn giải quyết", " ".join(ctx.exception.messages))
        self.birth.refresh_from_db()
        self.assertEqual(self.birth.reviewed_parts, [])
        # Entering the time by hand reviews it; then every part can be reviewed.
        birth = procedure_update(
            user=self.vanphong, procedure=self.birth, changes={"time_amount": 1, "time_unit": "working_days"}
        )
        self.assertEqual(birth.reviewed_parts, ["time"])
        birth = procedure_parts_review(user=self.vanphong, procedure=birth, parts=PARTS)
        self.assertTrue(birth.publication_complete)
        self.assertTrue(Procedure.objects.published_complete().filter(pk=birth.pk).exists())
        with self.assertRaises(PermissionDenied):
            procedure_parts_review(user=self.tuphap, procedure=birth, parts=[])

    def test_the_procedure_page_shows_the_lists_by_case_the_details_and_the_review_form(self):
        self.login(self.vanphong)
        url = f"/thu-tuc/{self.birth.pk}/"
        r = self.client.get(url)
        self.assertContains(r, "* Giấy tờ phải nộp:")
        self.assertContains(r, "in trên giấy tiếp nhận: <em>Giấy chứng sinh</em>", html=False)
        self.assertContains(r, "Căn cứ pháp lý")
        self.assertContains(r, "Trình tự thực hiện")
        self.assertContains(r, 'id="parts-form"')
        document = self.birth.required_documents.get(seq=5)
        r = self.client.post(
            f"{url}thanh-phan/{document.pk}/",
            {"label": "Giấy chứng sinh (bản chính)", "requirement": "required"},
            follow=True,
        )
        self.assertContains(r, "Đã lưu giấy tờ số 5")
        document.refresh_from_db()
        self.assertEqual(
            (document.label, document.manual_fields),
            ("Giấy chứng sinh (bản chính)", ["label", "requirement"]),
        )
        r = self.client.post(f"{url}cong-khai/", {"parts": ["documents", "steps"]}, follow=True)
        self.assertContains(r, "Đã lưu phần đã rà soát")
        self.birth.refresh_from_db()
        self.assertEqual(self.birth.reviewed_parts, ["documents", "steps"])
        r = self.client.post(f"{url}cong-khai/", {"parts": ["time"]}, follow=True)
        self.assertContains(r, "Chưa lưu")
        self.login(self.other)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"{url}cong-khai/", {"parts": []}).status_code, 404)

    def test_the_import_button_imports_the_shipped_data_for_the_users_commune(self):
        other = Procedure.objects.create(commune=self.other_commune, code="2.000815", name="Chứng thực")
        self.login(self.other)
        self.assertContains(self.client.get("/thu-tuc/nhap/"), 'id="details-import"')
        r = self.client.post("/thu-tuc/nhap/chi-tiet/")
        self.assertContains(r, "1 thủ tục có dữ liệu mới")
        self.assertEqual(other.required_documents.count(), 1)
        self.assertFalse(
            RequiredDocument.objects.filter(procedure__commune=self.commune)
            .exclude(procedure=self.birth)
            .exists()
        )
