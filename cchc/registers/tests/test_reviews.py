"""The procedure-review register: catalogue links, the proposal's flow with events,
import with outcomes, scoping, and figures (window boundaries, outcomes known at the
window's end, the demo counted by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cchc.core.figures import Scope, evaluate
from cchc.core.workflow import IllegalMove
from cchc.procedures.models import Procedure
from cchc.registers.common.models import SheetImport
from cchc.registers.reviews import figures as F
from cchc.registers.reviews import services
from cchc.registers.reviews.models import ProcedureReview, Proposal, ReviewStatus

from .helpers import RegisterTestCase, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/ra-soat-tthc/"


def procedure(commune, code: str, name: str) -> Procedure:
    return Procedure.objects.create(
        commune=commune, code=code, name=name, field="Hộ tịch", time_amount=3, time_unit="working_days"
    )


class ReviewTestCase(RegisterTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.birth = procedure(cls.commune, "1.001193", "Thủ tục đăng ký khai sinh")
        cls.marriage = procedure(cls.commune, "1.000894", "Thủ tục đăng ký kết hôn")
        cls.status = procedure(cls.commune, "1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân")
        cls.theirs = procedure(cls.other_commune, "1.001193", "Thủ tục đăng ký khai sinh")

    def review(self, proc=None, on=date(2024, 6, 20), proposal=Proposal.SIMPLIFY, commune=None, **values):
        return services.review_save(
            user=None,
            commune=commune or self.commune,
            procedure=proc or self.status,
            reviewed_on=on,
            proposal=proposal,
            proposal_text="Khai thác Cơ sở dữ liệu quốc gia về dân cư thay cho bản sao giấy tờ."
            if proposal != Proposal.KEEP
            else "",
            **values,
        )


class FlowTests(ReviewTestCase):
    def test_a_review_needs_a_procedure_of_the_communes_catalogue_and_a_stated_proposal(self):
        with self.assertRaises(ValidationError) as exc:
            services.review_save(
                user=self.vanphong,
                commune=self.commune,
                procedure=self.theirs,
                reviewed_on=date(2024, 6, 20),
                proposal=Proposal.ABOLISH,
            )
        assert exc.exception.message_dict == {
            "procedure": ["Thủ tục phải thuộc danh mục TTHC của xã."],
            "proposal_text": ["Nêu nội dung kiến nghị (bỏ, sửa bộ phận nào của thủ tục)."],
        }
        self.review()
        with self.assertRaises(ValidationError, msg="same procedure, same day"):
            self.review()

    def test_the_proposal_is_sent_answered_and_corrected_with_an_event_each(self):
        review = self.review(cost_before=Decimal(1_250_000), cost_after=Decimal(830_000))
        assert (review.saving, review.saving_rate) == (Decimal(420_000), Decimal("33.60"))
        with self.assertRaises(ValidationError) as exc:
            services.review_act(user=self.motcua, review=review, action="send", on=date(2024, 6, 1))
        assert exc.exception.message_dict == {
            "sent_to": ["Ghi cơ quan nhận kiến nghị."],
            "on": ["Ngày gửi không được trước ngày rà soát."],
        }
        review = services.review_act(
            user=self.motcua,
            review=review,
            action="send",
            on=date(2024, 7, 5),
            sent_to="UBND tỉnh",
            ref="45/UBND-VP",
        )
        with self.assertRaises(IllegalMove):
            services.review_act(
                user=self.motcua, review=review, action="send", on=date(2024, 7, 6), sent_to="x"
            )
        review = services.review_act(
            user=self.motcua,
            review=review,
            action="accept_partly",
            on=date(2024, 9, 12),
            ref="1520/UBND-KSTT",
        )
        review = services.review_act(user=self.motcua, review=review, action="reopen", note="Ghi nhầm")
        review = services.review_act(user=self.motcua, review=review, action="accept", on=date(2024, 9, 12))
        assert [(e.action, e.from_status, e.to_status) for e in review.events.all()] == [
            ("create", "", "reviewed"),
            ("send", "reviewed", "sent"),
            ("accept_partly", "sent", "partly"),
            ("reopen", "partly", "sent"),
            ("accept", "sent", "accepted"),
        ]
        assert review.events.last().actor == self.motcua

    def test_keep_has_nothing_to_send_and_readers_cannot_write(self):
        review = self.review(proposal=Proposal.KEEP)
        with self.assertRaises(ValidationError):
            services.review_act(
                user=None, review=review, action="send", on=date(2024, 7, 1), sent_to="UBND tỉnh"
            )
        with self.assertRaises(PermissionDenied):
            services.review_act(
                user=self.chutich, review=review, action="send", on=date(2024, 7, 1), sent_to="x"
            )
        with self.assertRaises(Http404):  # another commune's row: not even shown to exist
            services.review_save(user=self.other, review=review, round="x")

    def test_pages_show_only_the_communes_reviews_and_the_flow_works_from_the_page(self):
        ours = self.review()
        theirs = self.review(proc=self.theirs, commune=self.other_commune)
        self.login(self.motcua)
        page = self.client.get(URL).content.decode()
        assert "1.004873" in page and page.count("1.001193") == 0
        assert self.client.get(f"{URL}{theirs.pk}/").status_code == 404
        response = self.client.post(
            f"{URL}{ours.pk}/ket-qua/",
            {"action": "send", "version": ours.version, "on": "2024-07-05", "sent_to": "UBND tỉnh"},
        )
        self.assertRedirects(response, f"{URL}{ours.pk}/")
        ours.refresh_from_db()
        assert ours.status == ReviewStatus.SENT
        # A form opened before that move is refused, not applied over it.
        stale = self.client.post(
            f"{URL}{ours.pk}/ket-qua/", {"action": "reject", "version": 1, "on": "2024-09-01"}, follow=True
        )
        assert "Trong lúc bạn sửa" in stale.content.decode()
        ours.refresh_from_db()
        assert ours.status == ReviewStatus.SENT


HEADER = [
    "Mã TTHC",
    "Tên thủ tục",
    "Ngày rà soát",
    "Phương án",
    "Nội dung kiến nghị",
    "Chi phí trước",
    "Chi phí sau",
]
HEADER += ["Gửi cơ quan", "Ngày gửi", "Kết quả", "Ngày có kết quả"]


class ImportTests(ReviewTestCase):
    def test_rows_are_checked_against_the_catalogue_and_the_outcome_is_consistent(self):
        content = workbook(
            HEADER,
            ["1.001193", "Đăng ký khai sinh", "20/06/2024", "Giữ nguyên", "", "", "", "", "", "", ""],
            ["9.999999", "Không có", "20/06/2024", "Bãi bỏ", "x", "", "", "", "", "", ""],
            ["1.004873", "", "20/06/2024", "Đơn giản hóa", "Bỏ bản sao", "", "", "", "", "Chấp nhận", ""],
            ["1.000894", "", "20/06/2024", "Giữ nguyên", "", "", "", "UBND tỉnh", "05/07/2024", "Đã gửi", ""],
        )
        self.login(self.motcua)
        page = self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)}).content.decode()
        assert "Dòng 3: mã TTHC 9.999999 không có trong danh mục thủ tục của xã" in page
        assert "Dòng 4: kiến nghị đã gửi cần cơ quan nhận và ngày gửi." in page
        assert "Dòng 4: đã có kết quả thì cần ngày có kết quả." in page
        assert "Dòng 5: phương án “giữ nguyên” không có kiến nghị: kết quả phải để trống." in page
        assert ProcedureReview.objects.count() == 0

    def test_a_list_with_outcomes_imports_and_exports_back(self):
        content = workbook(
            ["DANH MỤC TTHC ĐÃ RÀ SOÁT NĂM 2024"],
            HEADER,
            [1.001193, "Đăng ký khai sinh", "20/06/2024", "giu nguyen", "", "", "", "", "", "", ""],
            [
                "1.004873",
                "",
                "20/06/2024",
                "Đơn giản hóa",
                "Bỏ bản sao",
                "1.250.000",
                "830.000",
                "UBND tỉnh",
                "05/07/2024",
                "Chấp nhận",
                "12/09/2024",
            ],
        )
        self.login(self.motcua)
        self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})
        upload = SheetImport.objects.get()
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        keep, accepted = ProcedureReview.objects.order_by("procedure__code")
        assert (keep.procedure, keep.status) == (self.birth, ReviewStatus.REVIEWED)
        assert (accepted.status, accepted.outcome_on, accepted.saving) == (
            ReviewStatus.ACCEPTED,
            date(2024, 9, 12),
            Decimal(420_000),
        )
        assert [(e.action, e.to_status) for e in accepted.events.all()] == [
            ("create", "reviewed"),
            ("import", "accepted"),
        ]
        exported = self.client.get(URL, {"format": "xlsx"}).content
        assert any(r and r[0] == "1.004873" and r[13] == "Chấp nhận" for r in sheet_rows(exported))
        self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(exported)})
        again = SheetImport.objects.filter(status="preview").get()
        assert again.summary["counts"] == {"create": 0, "update": 0, "unchanged": 2}


class FigureTests(ReviewTestCase):
    def scope(self, date_from=date(2023, 12, 15), date_to=date(2024, 12, 14), **filters):
        return Scope.of(commune_ids=[self.commune.pk], date_from=date_from, date_to=date_to, **filters)

    def test_reviews_proposals_and_outcomes_known_at_the_windows_end(self):
        self.review(proc=self.birth, on=date(2023, 12, 14), proposal=Proposal.KEEP)  # before the window
        self.review(proc=self.birth, on=date(2023, 12, 15), proposal=Proposal.KEEP)  # first day
        self.review(proc=self.birth, on=date(2024, 3, 1), proposal=Proposal.KEEP)  # same procedure again
        accepted = self.review(on=date(2024, 12, 14), cost_before=Decimal(1000), cost_after=Decimal(600))
        rejected = self.review(proc=self.marriage, on=date(2024, 6, 1), proposal=Proposal.MERGE)
        self.review(proc=self.theirs, commune=self.other_commune)
        for review, action, answered in (
            (accepted, "accept", date(2024, 12, 14)),
            (rejected, "reject", date(2024, 12, 15)),
        ):
            services.review_act(
                user=None, review=review, action="send", on=date(2024, 12, 14), sent_to="UBND tỉnh"
            )
            services.review_act(user=None, review=review, action=action, on=answered, today=date(2025, 1, 1))
        values = evaluate(F.FIGURES, self.scope())
        assert values[F.REVIEWED] == 3  # birth (once), status, marriage; not the other commune's
        assert values[F.PROPOSALS] == 2 and values[F.SENT] == 2
        # The rejection came on 15/12, after the cut-off: at the window's end only one answer was known.
        assert (values[F.DECIDED_COUNT], values[F.ACCEPTED_COUNT], values[F.ACCEPTED_RATE]) == (
            1,
            1,
            Decimal("100.00"),
        )
        assert values[F.SAVING] == Decimal(400)
        later = evaluate(F.FIGURES, self.scope(date_to=date(2024, 12, 15)))
        assert (later[F.DECIDED_COUNT], later[F.ACCEPTED_RATE]) == (2, Decimal("50.00"))
        nothing = evaluate(F.FIGURES, self.scope(date(2020, 1, 1), date(2020, 12, 31)))
        assert nothing[F.ACCEPTED_RATE] is None and nothing[F.SAVING] == 0 and nothing[F.REVIEWED] == 0

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.registers.reviews import demo

        Procedure.objects.filter(commune=self.commune).delete()
        for row in demo.demo_reviews(date(2026, 11, 30)):
            Procedure.objects.get_or_create(
                commune=self.commune,
                code=row["code"],
                defaults=dict(name=f"Thủ tục {row['code']}", time_amount=3, time_unit="working_days"),
            )
        # The demo needs its commune slug.
        from cchc.org.models import Unit

        assert Unit.objects.get(slug="ducxuong") == self.commune
        demo.load(DemoLog(write=lambda s: None), date(2026, 11, 30))
        again = DemoLog(write=lambda s: None)
        demo.load(again, date(2026, 11, 30))
        assert again.created == 0
        rows = [r for r in demo.demo_reviews(date(2026, 11, 30)) if r["reviewed_on"].year == 2024]
        values = evaluate(F.FIGURES, self.scope())
        proposals = [r for r in rows if r["proposal"] != "keep"]
        assert values[F.REVIEWED] == len({r["code"] for r in rows}) == 9
        assert values[F.PROPOSALS] == len(proposals) == 3
        # Answers of 2024 came in September and October, before the cut-off.
        assert values[F.ACCEPTED_COUNT] == sum(r["status"] in ("accepted", "partly") for r in proposals) == 2
        assert values[F.ACCEPTED_RATE] == Decimal("66.67")
        assert values[F.SAVING] == Decimal((1_250_000 - 830_000) + (980_000 - 760_000))
