"""The legal-documents register: documents and their status with the document
that changed it, review rounds and the handling of findings, the annual
systematisation lists, import with links, scoping, and figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.figures import Scope, evaluate
from cchc.core.workflow import IllegalMove
from cchc.registers.common.models import SheetImport
from cchc.registers.legal import figures as F
from cchc.registers.legal import services
from cchc.registers.legal.models import (
    DocKind,
    DocStatus,
    Handling,
    Issuer,
    LegalDocument,
    RoundKind,
    Verdict,
)
from cchc.registers.legal.spec import systematisation

from .helpers import RegisterTestCase, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/van-ban/"


class LegalTestCase(RegisterTestCase):
    def doc(
        self, number="01/2022/NQ-HĐND", issued=date(2022, 7, 20), commune=None, **values
    ) -> LegalDocument:
        fields = dict(
            kind=DocKind.RESOLUTION,
            issuer=Issuer.COUNCIL,
            is_normative=True,
            effective_from=issued,
            subject=f"Văn bản {number}",
        )
        fields.update(values)
        return services.document_save(
            user=None, commune=commune or self.commune, number=number, issued_on=issued, **fields
        )

    def round(self, started=date(2024, 5, 6), **values):
        fields = dict(kind=RoundKind.SELF_CHECK, title="Tự kiểm tra năm 2024", ended_on=date(2024, 6, 14))
        fields.update(values)
        return services.round_save(user=None, commune=self.commune, started_on=started, **fields)


class DocumentTests(LegalTestCase):
    def test_a_document_is_checked_and_its_number_is_unique_in_the_commune(self):
        with self.assertRaises(ValidationError) as exc:
            services.document_save(
                user=self.tuphap,
                commune=self.commune,
                number="",
                kind=DocKind.DECISION,
                issuer=Issuer.CHAIRMAN,
                is_normative=True,
                issued_on=date(2024, 3, 1),
                effective_from=date(2024, 2, 1),
                subject="x",
            )
        assert exc.exception.message_dict == {
            "number": ["Cần số, ký hiệu văn bản (ví dụ 05/2024/QĐ-UBND)."],
            "effective_from": ["Ngày có hiệu lực không được trước ngày ban hành."],
            "issuer": ["Chủ tịch UBND xã không ban hành văn bản quy phạm pháp luật."],
        }
        mine = self.doc()
        with self.assertRaises(ValidationError):
            self.doc(number="01/2022/NQ-HDND ")  # the same number typed differently
        self.doc(number="01/2022/NQ-HĐND", commune=self.other_commune)  # another commune's is its own
        with self.assertRaises(PermissionDenied):
            services.document_save(user=self.motcua, document=mine, subject="y")

    def test_status_moves_name_the_document_that_made_them_and_are_dated(self):
        old = self.doc()
        amending = self.doc("03/2024/NQ-HĐND", date(2024, 7, 5))
        with self.assertRaises(ValidationError) as exc:
            services.document_act(
                user=self.tuphap, document=old, action="amend", on=date(2024, 7, 1), changed_by=amending
            )
        assert "sau ngày này" in exc.exception.message_dict["on"][0]
        old = services.document_act(
            user=self.tuphap, document=old, action="amend", on=date(2024, 7, 15), changed_by=amending
        )
        assert (old.status, old.changed_by, old.ended_on) == (DocStatus.AMENDED, amending, None)
        old = services.document_act(
            user=self.tuphap, document=old, action="annul", on=date(2026, 1, 1), change_ref="05/2025/NQ-HĐND"
        )
        assert (old.status, old.ended_on, old.change_ref, old.changed_by) == (
            DocStatus.ANNULLED,
            date(2026, 1, 1),
            "05/2025/NQ-HĐND",
            None,
        )
        with self.assertRaises(IllegalMove):
            services.document_act(user=self.tuphap, document=old, action="expire", on=date(2026, 2, 1))
        with self.assertRaises(ValidationError):
            services.document_act(user=self.tuphap, document=old, action="restore")  # needs a reason
        old = services.document_act(user=self.tuphap, document=old, action="restore", note="Ghi nhầm")
        assert (old.status, old.ended_on) == (DocStatus.IN_FORCE, None)
        assert [(e.action, e.to_status, e.on) for e in old.events.all()] == [
            ("create", "in_force", date(2022, 7, 20)),
            ("amend", "amended", date(2024, 7, 15)),
            ("annul", "annulled", date(2026, 1, 1)),
            ("restore", "in_force", None),
        ]

    def test_handling_a_finding_moves_the_document(self):
        old = self.doc()
        new = self.doc("02/2025/NQ-HĐND", date(2025, 7, 1))
        review = self.round()
        with self.assertRaises(ValidationError):
            services.finding_save(
                user=self.tuphap,
                round=review,
                document=old,
                reviewed_on=date(2024, 6, 1),
                verdict=Verdict.UNLAWFUL,
            )
        finding = services.finding_save(
            user=self.tuphap,
            round=review,
            document=old,
            reviewed_on=date(2024, 6, 1),
            verdict=Verdict.UNLAWFUL,
            proposed=Handling.REPLACE,
        )
        with self.assertRaises(ValidationError):  # replacing needs the replacing document
            services.finding_handle(user=self.tuphap, finding=finding, on=date(2025, 7, 10))
        services.finding_handle(user=self.tuphap, finding=finding, on=date(2025, 7, 10), handled_by=new)
        old.refresh_from_db()
        assert (old.status, old.ended_on, old.changed_by) == (DocStatus.REPLACED, date(2025, 7, 10), new)
        assert old.events.last().note == "Xử lý theo kết quả Tự kiểm tra năm 2024"


class PageTests(LegalTestCase):
    def test_lists_and_pages_are_scoped_and_searchable(self):
        self.doc(subject="Quy định quản lý trật tự xây dựng trên địa bàn xã")
        theirs = self.doc(commune=self.other_commune, subject="Văn bản của xã Gia Lộc")
        self.login(self.chutich)
        page = self.client.get(URL).content.decode()
        assert "trật tự xây dựng" in page and "Gia Lộc" not in page
        assert "trật tự xây dựng" in self.client.get(URL, {"q": "trat tu xay dung"}).content.decode()
        assert self.client.get(f"{URL}{theirs.pk}/").status_code == 404
        rows = sheet_rows(self.client.get(URL, {"format": "xlsx"}).content)
        assert any(r and r[0] == "01/2022/NQ-HĐND" for r in rows)
        assert not any(r and r[5] == "Văn bản của xã Gia Lộc" for r in rows if len(r) > 5)

    def test_status_is_recorded_from_the_document_page(self):
        old = self.doc()
        self.doc("02/2025/NQ-HĐND", date(2025, 7, 1))
        self.login(self.tuphap)
        response = self.client.post(
            f"{URL}{old.pk}/tinh-trang/",
            {
                "action": "replace",
                "version": old.version,
                "on": "2025-07-10",
                "change_ref": "02/2025/NQ-HĐND",
            },
        )
        self.assertRedirects(response, f"{URL}{old.pk}/")
        old.refresh_from_db()
        assert old.status == DocStatus.REPLACED
        page = self.client.get(f"{URL}{old.pk}/").content.decode()
        assert "Hết hiệu lực: bị thay thế" in page and "10/07/2025" in page


class SystematisationTests(LegalTestCase):
    def test_the_annual_lists_as_at_31_december(self):
        in_force = self.doc("01/2022/NQ-HĐND", date(2022, 7, 20))
        amended = self.doc(
            "02/2023/QĐ-UBND", date(2023, 3, 15), kind=DocKind.DECISION, issuer=Issuer.COMMITTEE
        )
        changer = self.doc("03/2024/NQ-HĐND", date(2024, 7, 5))
        services.document_act(
            user=None, document=amended, action="amend", on=date(2024, 7, 15), changed_by=changer
        )
        ended = self.doc("04/2022/NQ-HĐND", date(2022, 3, 10))
        services.document_act(user=None, document=ended, action="expire", on=date(2024, 12, 31))
        last_year = self.doc("05/2022/NQ-HĐND", date(2022, 3, 10))
        services.document_act(user=None, document=last_year, action="expire", on=date(2023, 12, 31))
        self.doc(
            "125/QĐ-UBND", date(2024, 1, 5), is_normative=False, kind=DocKind.DECISION, issuer=Issuer.CHAIRMAN
        )
        self.doc("06/2025/NQ-HĐND", date(2025, 1, 5))
        lists = systematisation(self.commune, 2024)
        assert [d.number for d in lists.in_force] == ["01/2022/NQ-HĐND", "02/2023/QĐ-UBND", "03/2024/NQ-HĐND"]
        assert [d.number for d in lists.ended] == ["04/2022/NQ-HĐND"]  # ended on the last day
        assert [(d.number, e.changed_by) for d, e in lists.amended] == [("02/2023/QĐ-UBND", changer)]
        self.login(self.captren)
        body = self.client.get(
            f"{URL}he-thong-hoa/", {"year": 2024, "xa": self.commune.pk, "format": "xlsx"}
        ).content
        rows = sheet_rows(body)
        texts = [str(c) for r in rows for c in r if c]
        assert "I. DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT CÒN HIỆU LỰC ĐẾN NGÀY 31/12/2024" in texts
        assert "Được sửa đổi, bổ sung bởi Nghị quyết 03/2024/NQ-HĐND" in texts
        assert "Hết thời hạn có hiệu lực" in " ".join(texts)
        assert in_force.number + " ngày 20/07/2022" in texts


HEADER = [
    "STT",
    "Số, ký hiệu",
    "Loại văn bản",
    "Ngày ban hành",
    "Trích yếu",
    "Tình trạng",
    "Ngày hết hiệu lực",
]
HEADER += ["Văn bản sửa đổi, thay thế, bãi bỏ"]


class ImportTests(LegalTestCase):
    def test_a_list_with_statuses_imports_and_links_documents_in_any_order(self):
        content = workbook(
            ["DANH MỤC VĂN BẢN DO HĐND, UBND XÃ BAN HÀNH"],
            HEADER,
            [
                1,
                "02/2023/QĐ-UBND",
                "Quyết định",
                "15/03/2023",
                "Quy định trật tự xây dựng",
                "Bị thay thế",
                "01/08/2025",
                "04/2025/QĐ-UBND",
            ],
            [2, "125/QĐ-UBND", "QĐ", "05/01/2024", "Kiện toàn Bộ phận Một cửa", "", "", ""],
            [
                3,
                "04/2025/QĐ-UBND",
                "Quyết định",
                "18/07/2025",
                "Quy định trật tự xây dựng (thay thế)",
                "Còn hiệu lực",
                "",
                "",
            ],
        )
        self.login(self.tuphap)
        self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})
        upload = SheetImport.objects.get()
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        old = LegalDocument.objects.get(number="02/2023/QĐ-UBND")
        new = LegalDocument.objects.get(number="04/2025/QĐ-UBND")
        admin = LegalDocument.objects.get(number="125/QĐ-UBND")
        assert (old.status, old.changed_by, old.ended_on, old.is_normative) == (
            DocStatus.REPLACED,
            new,
            date(2025, 8, 1),
            True,
        )
        assert (admin.is_normative, admin.issuer) == (False, Issuer.COMMITTEE)
        self.client.post(
            f"{URL}nhap-excel/", {"file": xlsx_upload(self.client.get(URL, {"format": "xlsx"}).content)}
        )
        assert SheetImport.objects.filter(status="preview").get().summary["counts"]["unchanged"] == 3

    def test_inconsistent_statuses_are_named_by_row(self):
        content = workbook(
            HEADER,
            [1, "02/2023/QĐ-UBND", "Quyết định", "15/03/2023", "A", "Bị thay thế", "", ""],
            [2, "03/2023/QĐ-UBND", "Quyết định", "15/03/2023", "B", "Còn hiệu lực", "01/01/2024", ""],
            [3, "03/2023/QD-UBND", "Nghị quyết", "15/03/2023", "C", "", "", ""],
        )
        self.login(self.tuphap)
        page = self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)}).content.decode()
        assert "Dòng 2: văn bản đã hết hiệu lực cần ngày hết hiệu lực." in page
        assert "Dòng 2: cần số văn bản sửa đổi, thay thế, bãi bỏ." in page
        assert "Dòng 3: có ngày hết hiệu lực nhưng tình trạng không phải hết hiệu lực." in page
        assert "Dòng 4: số 03/2023/QD-UBND trùng với dòng 3." in page
        assert LegalDocument.objects.count() == 0


class FigureTests(LegalTestCase):
    def scope(self, date_from=date(2023, 12, 15), date_to=date(2024, 12, 14), **filters):
        return Scope.of(commune_ids=[self.commune.pk], date_from=date_from, date_to=date_to, **filters)

    def test_issued_reviewed_found_handled_and_in_force(self):
        a = self.doc("01/2023/NQ-HĐND", date(2023, 12, 14))  # the day before the window
        b = self.doc("02/2023/NQ-HĐND", date(2023, 12, 15))  # first day
        c = self.doc("03/2024/QĐ-UBND", date(2024, 12, 14), kind=DocKind.DECISION, issuer=Issuer.COMMITTEE)
        self.doc(
            "125/QĐ-UBND", date(2024, 3, 1), is_normative=False, kind=DocKind.DECISION, issuer=Issuer.CHAIRMAN
        )
        d = self.doc("04/2024/NQ-HĐND", date(2024, 12, 15), effective_from=date(2024, 12, 20))  # after
        self.doc("01/2024/NQ-HĐND", date(2024, 2, 1), commune=self.other_commune)
        review = self.round()
        for doc, verdict, proposed in (
            (a, Verdict.UNLAWFUL, Handling.ANNUL),
            (b, Verdict.UNSUITABLE, Handling.AMEND),
            (c, Verdict.SUITABLE, Handling.NONE),
        ):
            services.finding_save(
                user=None,
                round=review,
                document=doc,
                reviewed_on=date(2024, 6, 1),
                verdict=verdict,
                proposed=proposed,
            )
        fa = a.findings.get()
        services.finding_handle(user=None, finding=fa, on=date(2024, 12, 14), handling_ref="05/2024/NQ-HĐND")
        fb = b.findings.get()
        services.finding_handle(
            user=None,
            finding=fb,
            on=date(2024, 12, 15),
            handling_ref="06/2024/NQ-HĐND",
            today=date(2025, 1, 1),
        )
        values = evaluate(F.FIGURES, self.scope())
        assert values[F.ISSUED] == 2 and values[F.DECISIONS] == 1
        assert (values[F.REVIEWED], values[F.FOUND], values[F.FOUND_UNLAWFUL]) == (3, 2, 1)
        # b was handled on 15/12, after the cut-off.
        assert (values[F.HANDLED], values[F.HANDLED_RATE]) == (1, Decimal("50.00"))
        # In force on 14/12/2024: b, c; a was annulled that very day; d not yet effective.
        assert values[F.IN_FORCE] == 2
        assert {x.number for x in F.IN_FORCE.records(self.scope())} == {b.number, c.number}
        assert values[F.ROUNDS] == 1
        # The day before: a (not annulled yet) and b; c takes effect on 14/12.
        assert {x.number for x in F.IN_FORCE.records(self.scope(date_to=date(2024, 12, 13)))} == {
            a.number,
            b.number,
        }
        assert evaluate([F.ISSUED], self.scope(kind="decision"))[F.ISSUED] == 1
        assert d.number not in {x.number for x in F.IN_FORCE.records(self.scope(date_to=date(2024, 12, 19)))}

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.registers.legal import demo

        today = date(2026, 11, 30)
        demo.load(DemoLog(write=lambda s: None), today)
        again = DemoLog(write=lambda s: None)
        demo.load(again, today)
        assert again.created == 0
        year_2025 = self.scope(date(2024, 12, 15), date(2025, 12, 14))
        values = evaluate(F.FIGURES, year_2025)
        normative = [d for d in demo.DOCUMENTS if d[3]]
        assert (
            values[F.ISSUED] == sum(date(2024, 12, 15) <= d[4] <= date(2025, 12, 14) for d in normative) == 1
        )
        round_2025 = demo.ROUNDS[1][5]
        assert values[F.REVIEWED] == len(round_2025) == 3
        assert values[F.FOUND] == sum(f[1] != "suitable" for f in round_2025) == 1
        assert values[F.HANDLED] == 1 and values[F.HANDLED_RATE] == Decimal("100.00")
        # In force at 14/12/2025: 01/2022 (amended), 03/2024, 04/2025; 02/2022 expired, 02/2023 replaced.
        assert values[F.IN_FORCE] == 3
        values_2026 = evaluate(F.FIGURES, self.scope(date(2025, 12, 15), date(2026, 12, 14)))
        assert (values_2026[F.FOUND], values_2026[F.HANDLED], values_2026[F.HANDLED_RATE]) == (
            1,
            0,
            Decimal("0.00"),
        )
