"""The electronic half of the one-stop shop: public online submission with its
documents, digitisation and reuse at the counter, supplements and withdrawal through
the follow-up link, result files returned electronically, fees, messages to the
applicant, and the online / digitisation figures."""

import atexit
import shutil
import tempfile
from datetime import date
from decimal import Decimal

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.core.figures import Scope, evaluate, evaluate_by_commune
from cchc.core.workflow import IllegalMove
from cchc.dossiers import figures as F
from cchc.dossiers.messaging import SMS_OFF, tell_applicant
from cchc.dossiers.models import CitizenMessage, DossierDocument, Status
from cchc.dossiers.online import (
    checklist,
    document_add,
    document_reuse,
    dossier_submit_public,
    online_procedures,
    result_attach,
    result_download_public,
    result_for_applicant,
    reusable_documents,
    supplement_submit_public,
    withdraw_public,
)
from cchc.dossiers.services import Applicant, Payment
from cchc.dossiers.stats import dossier_counts
from cchc.testing import BaseTestCase

from .helpers import PDF, PNG, act, at, make_online_procedure, make_procedure, pdf, receive

MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-dossiers-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

CITIZEN = Applicant(
    name="Trần Thị Bình",
    id_number="034195007777",
    phone="0987654321",
    address="Thôn Tây, xã Đức Xương",
    email="binh@example.vn",
)


class SmsForTests:
    """A provider for the tests: keeps what it was asked to send."""

    name = "nhà cung cấp thử"
    sent: list = []

    def send(self, phone, text):
        SmsForTests.sent.append((phone, text))


@override_settings(MEDIA_ROOT=MEDIA_ROOT, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class DigitalTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.proc = make_online_procedure(cls.commune, department=cls.dept_justice)
        cls.lines = {r.label: r for r in cls.proc.required_documents.all()}

    def files(self, *labels):
        return {self.lines[label].pk: pdf(f"{i}.pdf", PDF + label.encode()) for i, label in enumerate(labels)}

    def submit(self, when=None, applicant=CITIZEN, **kw):
        kw.setdefault("files", self.files("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"))
        return dossier_submit_public(
            procedure=self.proc, applicant=applicant, now=when or at(2025, 6, 6, 20), **kw
        )

    def accept(self, d, when=None):
        with self.captureOnCommitCallbacks(execute=True):
            act(d, "accept", self.motcua, when or at(2025, 6, 9, 8))
        d.refresh_from_db()
        return d


class PublicSubmissionTests(DigitalTestCase):
    def test_a_submission_with_its_documents_waits_for_the_counter_with_code_1(self):
        d = self.submit()
        self.assertEqual(
            (d.status, d.status_code, d.channel, d.online_level), (Status.REGISTERED, 1, "online", "full")
        )
        self.assertIsNone(d.received_at)
        docs = list(d.files.order_by("id"))
        self.assertEqual([x.label for x in docs], ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])
        self.assertEqual({x.source for x in docs}, {"online"})
        self.assertEqual([x.digitised_at for x in docs], [None, None])  # the officer confirms them
        # Stored under a random name (32 hex digits), never the name the applicant gave.
        self.assertRegex(docs[0].file.name, r"^dossiers/(?:.+/)?[0-9a-f]{32}\.pdf$")
        event = d.events.get()
        self.assertEqual(
            (event.action, event.actor, event.actor_label), ("submit", None, "Người nộp hồ sơ (trực tuyến)")
        )
        self.assertIn("kèm 2 tệp", event.note)
        self.assertEqual(d.document_list, ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])

    def test_every_problem_is_reported_and_nothing_is_written(self):
        bad = SimpleUploadedFile(
            "giay-chung-sinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        )
        with self.assertRaises(ValidationError) as ctx:
            dossier_submit_public(
                procedure=self.proc,
                applicant=Applicant(name="", id_number="12", phone="abc", address=""),
                files={self.lines["Giấy chứng sinh"].pk: bad},
                now=at(2025, 6, 6, 20),
            )
        errors = ctx.exception.message_dict
        self.assertIn("applicant_name", errors)
        self.assertIn("applicant_phone", errors)
        self.assertEqual(
            errors[f"doc_{self.lines['Tờ khai đăng ký khai sinh'].pk}"],
            ["Cần tải lên “Tờ khai đăng ký khai sinh”."],
        )
        self.assertIn("không phải tệp PDF hợp lệ", errors[f"doc_{self.lines['Giấy chứng sinh'].pk}"][0])
        self.assertEqual((DossierDocument.objects.count(), self.proc.dossiers.count()), (0, 0))

    def test_upload_abuse_is_refused(self):
        line = self.lines["Tờ khai đăng ký khai sinh"].pk
        cases = {
            "exe": (SimpleUploadedFile("virus.exe", b"MZ\x90"), "không đúng loại cho phép"),
            "empty": (SimpleUploadedFile("to-khai.pdf", b""), "rỗng"),
            "renamed": (SimpleUploadedFile("to-khai.pdf", PNG), "không phải tệp PDF hợp lệ"),
        }
        for name, (upload, message) in cases.items():
            with self.subTest(name), self.assertRaises(ValidationError) as ctx:
                self.submit(files={line: upload, self.lines["Giấy chứng sinh"].pk: pdf()})
            self.assertIn(message, " ".join(ctx.exception.message_dict[f"doc_{line}"]))
        with override_settings(UPLOAD_MAX_BYTES=len(PDF) - 1), self.assertRaises(ValidationError) as ctx:
            self.submit()
        self.assertIn("quá lớn", " ".join(ctx.exception.messages))
        # A file against a line of another procedure (forged form) is refused.
        other = make_online_procedure(self.commune, "1.000656")
        foreign = other.required_documents.first().pk
        with self.assertRaises(ValidationError) as ctx:
            self.submit(files={**self.files("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"), foreign: pdf()})
        self.assertIn("không thuộc danh mục", " ".join(ctx.exception.messages))
        self.assertEqual(DossierDocument.objects.count(), 0)

    def test_a_case_adds_its_required_lines(self):
        items = checklist(self.proc)
        self.assertEqual(items.cases, ["Trường hợp ủy quyền"])
        self.assertEqual(
            [r.label for r in items.lines],
            ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú"],
        )
        self.assertEqual(checklist(self.proc, 2).case, None)  # out of range: no case
        # Case 1 (by proxy) requires the power of attorney.
        with self.assertRaises(ValidationError) as ctx:
            self.submit(case=1)
        self.assertIn(f"doc_{self.lines['Văn bản ủy quyền'].pk}", ctx.exception.message_dict)
        d = self.submit(
            case=1, files=self.files("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền")
        )
        self.assertEqual(d.files.count(), 3)
        self.assertIn("Trường hợp: Trường hợp ủy quyền", d.events.get().note)
        self.assertEqual(
            [r.label for r in checklist(self.proc, 1).notes], ["Người nộp xuất trình CCCD khi nhận kết quả"]
        )

    def test_only_procedures_offered_online_are_listed_and_accepted(self):
        offline = make_procedure(self.commune, "2.000815", online=False, online_level="none")
        unpublished = make_online_procedure(self.commune, "1.000894", is_published=False)
        untimed = make_online_procedure(self.commune, "1.004873", amount=None, unit="")
        other = make_online_procedure(self.other_commune, "1.001193")
        self.assertEqual(list(online_procedures(self.commune)), [self.proc])
        for proc in (offline, unpublished, untimed):
            with self.subTest(proc.code), self.assertRaises(ValidationError):
                dossier_submit_public(procedure=proc, applicant=CITIZEN, files={}, now=at(2025, 6, 6))
        self.assertNotIn(other, online_procedures(self.commune))

    def test_a_partly_online_procedure_returns_its_result_on_paper(self):
        self.proc.online_level = "partial"
        self.proc.save()
        with self.assertRaises(ValidationError) as ctx:
            self.submit(result_delivery="online")
        self.assertIn("một phần", " ".join(ctx.exception.message_dict["result_delivery"]))


class CounterDigitisationTests(DigitalTestCase):
    def test_accepting_digitises_the_citizens_uploads_and_tells_the_applicant_once(self):
        d = self.accept(
            self.submit(
                case=1, files=self.files("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền")
            )
        )
        docs = d.files.all()
        self.assertEqual(
            {(x.digitised_by_id, x.digitised_at) for x in docs}, {(self.motcua.pk, at(2025, 6, 9, 8))}
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["binh@example.vn"])
        self.assertEqual(mail.outbox[0].subject, f"Hồ sơ {d.code} đã được tiếp nhận")
        self.assertIn(f"Ngày hẹn trả kết quả: {d.due_date:%d/%m/%Y}", mail.outbox[0].body)
        messages = {(m.channel, m.outcome) for m in CitizenMessage.objects.filter(dossier=d)}
        self.assertEqual(messages, {("email", "sent"), ("sms", "off")})
        self.assertEqual(CitizenMessage.objects.get(dossier=d, channel="sms").error, SMS_OFF)
        # Told once: the same event again sends nothing.
        event = d.events.get(action="accept")
        self.assertEqual(tell_applicant(event.pk), [])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(CitizenMessage.objects.filter(dossier=d).count(), 2)

    @override_settings(SMS_SENDER="cchc.dossiers.tests.test_digital.SmsForTests")
    def test_a_configured_sms_sender_is_used_and_a_failing_mail_is_logged(self):
        SmsForTests.sent.clear()
        d = self.submit()
        with override_settings(EMAIL_BACKEND="cchc.dossiers.tests.test_digital.BrokenMail"):
            d = self.accept(d)
        self.assertEqual(SmsForTests.sent[0][0], "0987654321")
        self.assertIn(d.code, SmsForTests.sent[0][1])
        email = CitizenMessage.objects.get(dossier=d, channel="email")
        self.assertEqual(email.outcome, "failed")
        self.assertIn("máy chủ thư không trả lời", email.error)
        self.assertEqual(CitizenMessage.objects.get(dossier=d, channel="sms").outcome, "sent")

    def test_no_email_without_an_address_and_none_for_steps_that_do_not_concern_the_applicant(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 9, 8))  # APPLICANT has no e-mail
        with self.captureOnCommitCallbacks(execute=True):
            act(d, "transfer", self.motcua, at(2025, 6, 9, 9))
            act(
                d,
                "request_supplement",
                self.tuphap,
                at(2025, 6, 9, 10),
                note="Thiếu",
                items=["Giấy chứng sinh"],
            )
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(
            list(CitizenMessage.objects.filter(dossier=d).values_list("topic", "channel", "outcome")),
            [("supplement", "sms", "off")],
        )

    def test_the_counter_scans_against_the_checklist_and_only_the_counter(self):
        d = receive(self.motcua, self.proc, at(2025, 6, 9, 8))
        doc = document_add(
            user=self.motcua,
            dossier=d,
            upload=pdf(),
            line=self.lines["Giấy chứng sinh"],
            now=at(2025, 6, 9, 8, 5),
        )
        self.assertEqual(
            (doc.label, doc.source, doc.digitised_by, doc.uploaded_by),
            ("Giấy chứng sinh", "counter", self.motcua, self.motcua),
        )
        for user in (self.tuphap, self.other):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                document_add(user=user, dossier=d, upload=pdf(), label="Giấy khác")
        with self.assertRaises(ValidationError):
            document_add(user=self.motcua, dossier=d, upload=pdf())  # neither a line nor a label
        foreign = make_online_procedure(self.commune, "1.000656").required_documents.first()
        with self.assertRaises(ValidationError):
            document_add(user=self.motcua, dossier=d, upload=pdf(), line=foreign)
        self.assertEqual(d.files.count(), 1)

    def test_digitised_documents_of_the_same_person_are_offered_for_reuse_and_the_reuse_is_recorded(self):
        first = self.accept(self.submit())
        # Same ID number in another commune: never offered there.
        other_proc = make_online_procedure(self.other_commune, "1.001193")
        elsewhere = receive(self.other, other_proc, at(2025, 6, 10, 8), applicant=CITIZEN)
        self.assertEqual(reusable_documents(elsewhere), [])
        # Another person of the same commune: nothing.
        stranger = receive(self.motcua, self.proc, at(2025, 6, 10, 8))
        self.assertEqual(reusable_documents(stranger), [])
        second = receive(self.motcua, self.proc, at(2025, 6, 10, 9), applicant=CITIZEN)
        offered = reusable_documents(second)
        self.assertEqual([x.label for x in offered], ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"])
        self.assertEqual({x.dossier_id for x in offered}, {first.pk})
        reused = document_reuse(
            user=self.motcua, dossier=second, source=offered[0], now=at(2025, 6, 10, 9, 5)
        )
        self.assertEqual(
            (reused.source, reused.reused_from, reused.file.name), ("reuse", offered[0], offered[0].file.name)
        )
        self.assertEqual(reused.digitised_by, self.motcua)
        self.assertEqual([x.label for x in reusable_documents(second)], ["Tờ khai đăng ký khai sinh"])
        with self.assertRaises(ValidationError):  # already reused
            document_reuse(user=self.motcua, dossier=second, source=offered[0])
        with self.assertRaises(ValidationError):  # not this person's
            document_reuse(user=self.motcua, dossier=stranger, source=offered[1])
        with self.assertRaises(PermissionDenied):
            document_reuse(user=self.tuphap, dossier=second, source=offered[1])
        # A citizen's upload not yet accepted is not digitised, so never offered.
        waiting = self.submit(when=at(2025, 6, 10, 10))
        self.assertNotIn(waiting.pk, {x.dossier_id for x in reusable_documents(second)})


class FollowUpTests(DigitalTestCase):
    def supplement_requested(self):
        d = self.accept(self.submit())
        act(d, "transfer", self.motcua, at(2025, 6, 9, 9))
        with self.captureOnCommitCallbacks(execute=True):
            act(
                d,
                "request_supplement",
                self.tuphap,
                at(2025, 6, 9, 10),
                note="Giấy chứng sinh mờ",
                items=["Giấy chứng sinh bản rõ"],
            )
        d.refresh_from_db()
        return d

    def test_the_applicant_answers_a_supplement_online_and_the_dossier_resumes(self):
        d = self.supplement_requested()
        self.assertEqual(mail.outbox[-1].subject, f"Hồ sơ {d.code} cần bổ sung giấy tờ")
        self.assertIn("- Giấy chứng sinh bản rõ", mail.outbox[-1].body)
        with self.assertRaises(ValidationError):
            supplement_submit_public(dossier=d, files=[], now=at(2025, 6, 11, 8))
        with self.assertRaises(ValidationError):
            supplement_submit_public(
                dossier=d, files=[SimpleUploadedFile("a.pdf", b"MZ")], now=at(2025, 6, 11, 8)
            )
        event = supplement_submit_public(
            dossier=d, files=[pdf("giay-chung-sinh-ro.pdf")], now=at(2025, 6, 11, 8)
        )
        d.refresh_from_db()
        self.assertEqual(
            (event.action, event.actor, event.from_status, d.status),
            ("receive_supplement", None, "supplement", "processing"),
        )
        self.assertIn("bổ sung trực tuyến 1 tệp (Giấy chứng sinh bản rõ)", event.note)
        request = d.supplement_requests.get()
        self.assertEqual(request.answered_at, at(2025, 6, 11, 8))
        self.assertEqual(
            list(request.documents.values_list("original_name", "source")),
            [("giay-chung-sinh-ro.pdf", "supplement")],
        )
        # Accepted Mon 9/6 with 3 working days → Thu 12/6; paused on 9/6 with 3 days left,
        # resumed Wed 11/6 → Mon 16/6 (the same rule as a supplement at the counter).
        self.assertEqual(d.due_date, date(2025, 6, 16))
        with self.assertRaises(ValidationError):  # no open request any more
            supplement_submit_public(dossier=d, files=[pdf()], now=at(2025, 6, 11, 9))

    def test_the_applicant_withdraws_with_a_reason_but_takes_no_staff_step(self):
        d = self.accept(self.submit())
        with self.assertRaises(PermissionDenied):
            act(d, "finish", None, at(2025, 6, 9, 10))
        with self.assertRaises(ValidationError):
            withdraw_public(dossier=d, reason="  ")
        event = withdraw_public(dossier=d, reason="Đã nộp nhầm thủ tục")
        d.refresh_from_db()
        self.assertEqual(
            (d.status, d.status_code, event.actor_label), ("withdrawn", 7, "Người nộp hồ sơ (trực tuyến)")
        )
        with self.assertRaises(IllegalMove):
            withdraw_public(dossier=d, reason="Lần nữa")


class ResultAndFeeTests(DigitalTestCase):
    def processed(self, delivery="online"):
        d = self.accept(
            self.submit(case=None, result_delivery=delivery)
            if False
            else self.submit(result_delivery=delivery)
        )
        act(d, "transfer", self.motcua, at(2025, 6, 9, 9))
        return d

    def test_the_department_attaches_the_pdf_result_and_the_first_download_returns_it(self):
        d = self.processed()
        with self.assertRaises(PermissionDenied):
            result_attach(user=self.motcua, dossier=d, upload=pdf("kq.pdf"))
        with self.assertRaises(ValidationError):
            result_attach(user=self.tuphap, dossier=d, upload=SimpleUploadedFile("kq.png", PNG))
        result = result_attach(
            user=self.tuphap, dossier=d, upload=pdf("giay-khai-sinh.pdf"), now=at(2025, 6, 9, 15)
        )
        self.assertEqual((result.kind, result.digitised_by), ("result", self.tuphap))
        self.assertIsNone(result_for_applicant(d))  # not out before the dossier is finished
        with self.captureOnCommitCallbacks(execute=True):
            act(d, "finish", self.tuphap, at(2025, 6, 9, 16))
        self.assertEqual(mail.outbox[-1].subject, f"Hồ sơ {d.code} đã có kết quả")
        d.refresh_from_db()
        self.assertEqual(result_for_applicant(d), result)
        self.assertEqual(result_download_public(dossier=d, now=at(2025, 6, 10, 8)), result)
        d.refresh_from_db()
        self.assertEqual(
            (d.status, d.return_mode, d.returned_at), ("returned", "electronic", at(2025, 6, 10, 8))
        )
        self.assertEqual(d.events.order_by("-id").first().actor_label, "Người nộp hồ sơ (trực tuyến)")
        # Later downloads change nothing.
        self.assertEqual(result_download_public(dossier=d, now=at(2025, 6, 11, 8)), result)
        self.assertEqual(d.events.filter(action="return_result").count(), 1)

    def test_a_paper_result_is_never_downloadable_and_electronic_return_needs_the_file(self):
        d = self.processed(delivery="counter")
        act(d, "finish", self.tuphap, at(2025, 6, 9, 16))
        d.refresh_from_db()
        with self.assertRaises(ValidationError):
            act(d, "return_result", self.motcua, at(2025, 6, 10, 8), return_mode="electronic")
        result_attach(user=self.tuphap, dossier=d, upload=pdf("kq.pdf"))
        self.assertIsNone(result_for_applicant(d))
        self.assertIsNone(result_download_public(dossier=d))
        act(d, "return_result", self.motcua, at(2025, 6, 10, 8), return_mode="paper")
        d.refresh_from_db()
        self.assertEqual((d.status, d.return_mode), ("returned", "paper"))
        self.assertIsNone(result_for_applicant(d))

    def test_fees_are_requested_and_paid_with_method_and_receipt(self):
        d = self.processed()
        with self.assertRaises(ValidationError):
            act(d, "request_payment", self.tuphap, at(2025, 6, 9, 10))  # no fee in the catalogue, none given
        act(d, "request_payment", self.tuphap, at(2025, 6, 9, 10), payment=Payment(amount=Decimal(8000)))
        d.refresh_from_db()
        self.assertEqual((d.status, d.fee_due), ("awaiting_payment", Decimal(8000)))
        with self.assertRaises(ValidationError) as ctx:
            act(d, "receive_payment", self.motcua, at(2025, 6, 9, 11), payment=Payment(method="bitcoin"))
        self.assertEqual(set(ctx.exception.message_dict), {"fee_method", "fee_receipt"})
        event = act(
            d,
            "receive_payment",
            self.motcua,
            at(2025, 6, 9, 11),
            payment=Payment(method="online", receipt="GD-778899"),
        )
        d.refresh_from_db()
        self.assertEqual(
            (d.status, d.fee_method, d.fee_receipt, d.fee_paid_at),
            ("processing", "online", "GD-778899", at(2025, 6, 9, 11)),
        )
        self.assertIn("GD-778899", event.note)


class DigitalFiguresTests(DigitalTestCase):
    def test_each_figure_counts_its_records_in_the_window_and_not_another_communes(self):
        full = self.accept(self.submit())  # received 9/6, digitised on acceptance
        partial_proc = make_online_procedure(
            self.commune, "1.000656", level="partial", department=self.dept_justice
        )
        lines = {r.label: r.pk for r in partial_proc.required_documents.all()}
        partial = dossier_submit_public(
            procedure=partial_proc,
            applicant=CITIZEN,
            files={lines["Tờ khai đăng ký khai sinh"]: pdf(), lines["Giấy chứng sinh"]: pdf()},
            result_delivery="counter",
            now=at(2025, 6, 9, 9),
        )
        self.accept(partial, at(2025, 6, 9, 10))
        counter = receive(self.motcua, self.proc, at(2025, 6, 10, 8), applicant=CITIZEN)
        document_reuse(user=self.motcua, dossier=counter, source=reusable_documents(counter)[0])
        plain = receive(self.motcua, self.proc, at(2025, 6, 10, 9))  # nothing digitised
        # Electronic return of `full`, paper return of `plain`; an online payment.
        for d in (full, plain):
            act(d, "transfer", self.motcua, at(2025, 6, 10, 10))
        act(full, "request_payment", self.tuphap, at(2025, 6, 10, 11), payment=Payment(amount=Decimal(8000)))
        act(
            full,
            "receive_payment",
            self.motcua,
            at(2025, 6, 10, 12),
            payment=Payment(method="online", receipt="GD-1"),
        )
        result_attach(user=self.tuphap, dossier=full, upload=pdf())
        act(full, "finish", self.tuphap, at(2025, 6, 10, 14))
        act(plain, "finish", self.tuphap, at(2025, 6, 10, 14))
        result_download_public(dossier=full, now=at(2025, 6, 11, 8))
        act(plain, "return_result", self.motcua, at(2025, 6, 11, 9), return_mode="paper")
        # Another commune's digitised online dossier in the same window.
        other_proc = make_online_procedure(self.other_commune, "1.001193")
        o = receive(self.other, other_proc, at(2025, 6, 10, 8), channel="online")
        document_add(user=self.other, dossier=o, upload=pdf(), label="Tờ khai")

        scope = Scope.of(commune_ids=[self.commune.pk], date_from=date(2025, 6, 1), date_to=date(2025, 6, 14))
        values = {f.key: v for f, v in evaluate(F.DIGITAL, scope).items()}
        self.assertEqual(
            values,
            {
                "dossiers.received_for_digital": 4,
                "dossiers.received_online_full": 1,
                "dossiers.received_online_partial": 1,
                "dossiers.online_full_rate": Decimal("25.00"),
                "dossiers.online_partial_rate": Decimal("25.00"),
                "dossiers.digitised": 3,
                "dossiers.digitised_rate": Decimal("75.00"),
                "dossiers.reused": 1,
                "dossiers.reused_rate": Decimal("25.00"),
                "dossiers.returned": 2,
                "dossiers.results_electronic": 1,
                "dossiers.results_electronic_rate": Decimal("50.00"),
                "dossiers.fees_paid": 1,
                "dossiers.fees_paid_online": 1,
                "dossiers.fees_paid_online_rate": Decimal("100.00"),
            },
        )
        self.assertEqual(list(F.DIGITISED.records(scope).order_by("pk")), [full, partial, counter])
        # The window's edge: returns on 11/6 are outside a window ending 10/6.
        edge = scope.for_window(date(2025, 6, 1), date(2025, 6, 10))
        self.assertEqual(
            evaluate([F.RETURNED, F.RESULTS_ELECTRONIC_RATE], edge),
            {F.RETURNED: 0, F.RESULTS_ELECTRONIC_RATE: None},
        )
        # The province table (one grouped query per part) gives each commune its own values.
        both = Scope.of(
            commune_ids=[self.commune.pk, self.other_commune.pk],
            date_from=date(2025, 6, 1),
            date_to=date(2025, 6, 14),
        )
        grouped = evaluate_by_commune(F.DIGITAL, both)
        self.assertEqual({f.key: v for f, v in grouped[self.commune.pk].items()}, values)
        self.assertEqual(grouped[self.other_commune.pk][F.DIGITISED], 1)
        self.assertEqual(grouped[self.other_commune.pk][F.REUSED], 0)
        self.assertEqual(grouped[self.other_commune.pk][F.RESULTS_ELECTRONIC_RATE], None)
        # The online levels, returned and paid come from the day summaries (per commune, per
        # field) or, with a department filter, from the rows; the rows give the same counts.
        results = ("online_full", "online_partial", "returned", "returned_electronic", "paid", "paid_online")
        window = {
            "commune_ids": [self.commune.pk],
            "date_from": date(2025, 6, 1),
            "date_to": date(2025, 6, 14),
        }
        for kw, expected in (
            ({}, [1, 1, 2, 1, 1, 1]),
            ({"field": self.proc.field}, [1, 1, 2, 1, 1, 1]),
            ({"department": self.dept_justice}, [1, 0, 2, 1, 1, 1]),  # `partial` is still at the counter
            ({"department": self.dept_land}, [0, 0, 0, 0, 0, 0]),
        ):
            kept = dossier_counts(**window, **kw)
            rows = dossier_counts(**window, use_summary=False, **kw)
            self.assertEqual([getattr(kept, n) for n in results], expected, kw)
            self.assertEqual([getattr(rows, n) for n in results], expected, kw)
        other = Scope.of(
            commune_ids=[self.other_commune.pk], date_from=date(2025, 6, 1), date_to=date(2025, 6, 14)
        )
        self.assertEqual(
            evaluate([F.DIGITISED, F.RECEIVED_ONLINE_FULL], other),
            {F.DIGITISED: 1, F.RECEIVED_ONLINE_FULL: 1},
        )


class UndonePaymentTests(DigitalTestCase):
    def test_a_new_fee_request_takes_the_earlier_payment_off_its_day(self):
        from cchc.dossiers.models import DossierDayStat, DossierFieldDayStat, DossierProcedureDayStat
        from cchc.dossiers.stats import rebuild_day_stats

        d = receive(self.motcua, self.proc, at(2025, 6, 9, 8))
        act(d, "transfer", self.motcua, at(2025, 6, 9, 9))
        act(d, "request_payment", self.tuphap, at(2025, 6, 9, 10), payment=Payment(amount=Decimal(8000)))
        act(
            d,
            "receive_payment",
            self.motcua,
            at(2025, 6, 9, 11),
            payment=Payment(method="online", receipt="GD-1"),
        )
        june = Scope.of(commune_ids=[self.commune.pk], date_from=date(2025, 6, 1), date_to=date(2025, 6, 30))
        figures = [F.PAID, F.PAID_ONLINE]
        self.assertEqual(evaluate(figures, june), {F.PAID: 1, F.PAID_ONLINE: 1})
        # A second fee three days later: the first payment no longer counts, on 9/6 or anywhere.
        act(d, "request_payment", self.tuphap, at(2025, 6, 12, 10), payment=Payment(amount=Decimal(2000)))
        self.assertEqual(evaluate(figures, june), {F.PAID: 0, F.PAID_ONLINE: 0})
        models = (DossierDayStat, DossierProcedureDayStat, DossierFieldDayStat)
        for model in models:
            row = model.objects.get(commune=self.commune, day=date(2025, 6, 9))
            self.assertEqual((row.paid, row.paid_online, row.received), (0, 0, 1), model)
        act(
            d,
            "receive_payment",
            self.motcua,
            at(2025, 6, 12, 11),
            payment=Payment(method="cash", receipt="BL-2"),
        )
        self.assertEqual(evaluate(figures, june), {F.PAID: 1, F.PAID_ONLINE: 0})
        self.assertEqual(
            evaluate(figures, june.for_window(date(2025, 6, 1), date(2025, 6, 11))),
            {F.PAID: 0, F.PAID_ONLINE: 0},
        )

        def summaries():
            return [
                list(model.objects.order_by("day", "pk").values("day", *model.COUNTERS)) for model in models
            ]

        kept = summaries()
        rebuild_day_stats([self.commune.pk])
        self.assertEqual(summaries(), kept)


class BrokenMail:
    """An e-mail backend whose server never answers."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("máy chủ thư không trả lời")
