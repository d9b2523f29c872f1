"""The training register: courses and participants (with or without an account),
each official's history, import of participant lists, scoping, and the share of
officials trained (boundaries, subjects, the demo counted by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.figures import Scope, evaluate
from cchc.registers.common.models import SheetImport
from cchc.registers.training import figures as F
from cchc.registers.training import services
from cchc.registers.training.models import Attendance, Course, Subject

from .helpers import RegisterTestCase, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/dao-tao/"


class TrainingTestCase(RegisterTestCase):
    def course(self, commune=None, title="Bồi dưỡng kiến thức về cải cách hành chính", **values) -> Course:
        fields = dict(
            subjects=[Subject.CCHC],
            starts_on=date(2024, 4, 16),
            ends_on=date(2024, 4, 17),
            hours=Decimal(16),
            organiser="Sở Nội vụ",
            planned_participants=3,
        )
        fields.update(values)
        return services.course_save(user=None, commune=commune or self.commune, title=title, **fields)

    def attend(self, course, person=None, name="", **values) -> Attendance:
        who = {"official": person} if person else {"person_name": name}
        return services.attendance_save(user=None, course=course, **who, **values)


class ServiceTests(TrainingTestCase):
    def test_a_course_needs_a_subject_and_sane_dates(self):
        with self.assertRaises(ValidationError) as exc:
            services.course_save(
                user=self.vanphong,
                commune=self.commune,
                title="Lớp",
                subjects=[],
                starts_on=date(2024, 5, 2),
                ends_on=date(2024, 5, 1),
            )
        assert exc.exception.message_dict == {
            "subjects": ["Chọn ít nhất một chủ đề (ví dụ: cải cách hành chính, kỹ năng số)."],
            "ends_on": ["Ngày kết thúc trước ngày bắt đầu."],
        }
        one_day = self.course(starts_on=date(2024, 5, 2), ends_on=None, subjects=["digital", "cchc"])
        assert one_day.ends_on == date(2024, 5, 2) and one_day.subjects == ",cchc,digital,"
        with self.assertRaises(PermissionDenied):
            services.course_save(
                user=self.tuphap,
                commune=self.commune,
                title="x",
                subjects=["cchc"],
                starts_on=date(2024, 1, 1),
            )

    def test_participants_are_officials_of_the_commune_or_named_people_each_once(self):
        course = self.course()
        line = self.attend(course, self.tuphap)
        assert (line.person_name, line.department) == ("Tuphap", self.dept_justice)
        named = self.attend(course, name="Nguyễn Văn Hùng", position="Trưởng thôn")
        assert named.official is None and named.person_key == "nguyen van hung"
        with self.assertRaises(ValidationError):
            self.attend(course, self.tuphap)
        with self.assertRaises(ValidationError):
            self.attend(course, name="nguyen van  HÙNG")
        with self.assertRaises(ValidationError) as exc:
            self.attend(course, self.other)
        assert exc.exception.message_dict["official"] == ["Người học phải là cán bộ, công chức của xã."]
        with self.assertRaises(ValidationError):
            self.attend(course, self.motcua, completed=False, certificate_no="CC-01")


class PageTests(TrainingTestCase):
    def test_the_list_and_histories_show_only_visible_communes(self):
        ours = self.course()
        self.attend(ours, self.tuphap)
        self.attend(ours, name="Trần Thị Thu")
        theirs = self.course(commune=self.other_commune, title="Lớp của xã Gia Lộc")
        self.attend(theirs, name="Người xã khác")
        self.login(self.vanphong)
        page = self.client.get(URL).content.decode()
        assert "Bồi dưỡng kiến thức về cải cách hành chính" in page and "Lớp của xã Gia Lộc" not in page
        assert "cải cách hành chính" in self.client.get(URL, {"person": "tran thi"}).content.decode()
        assert "Bồi dưỡng kiến thức" not in self.client.get(URL, {"person": "le van"}).content.decode()
        assert self.client.get(f"{URL}{theirs.pk}/").status_code == 404
        history = self.client.get(f"{URL}can-bo/{self.tuphap.pk}/").content.decode()
        assert (
            "Bồi dưỡng kiến thức về cải cách hành chính" in history
            and "Tổng cộng 1 khóa, 16,0 giờ" in history
        )
        assert self.client.get(f"{URL}can-bo/{self.other.pk}/").status_code == 404
        named = self.client.get(f"{URL}nguoi-hoc/", {"ten": "tran thi thu"}).content.decode()
        assert "Quá trình đào tạo, bồi dưỡng: Trần Thị Thu" in named
        overview = self.client.get(f"{URL}can-bo/", {"year": 2024}).content.decode()
        assert "1/5 cán bộ, công chức đã hoàn thành" in overview

    def test_only_the_home_affairs_officer_writes(self):
        course = self.course()
        self.login(self.tuphap)
        assert self.client.get(f"{URL}{course.pk}/sua/").status_code == 403
        assert self.client.post(f"{URL}{course.pk}/nguoi-hoc/", {"person_name": "A"}).status_code == 403
        self.login(self.vanphong)
        response = self.client.post(
            f"{URL}{course.pk}/nguoi-hoc/", {"official": self.motcua.pk, "completed": "on", "hours": "12"}
        )
        self.assertRedirects(response, f"{URL}{course.pk}/")
        assert course.attendances.get().effective_hours == Decimal(12)

    def test_the_export_has_one_row_per_participant(self):
        course = self.course()
        self.attend(course, self.tuphap)
        self.attend(course, name="Nguyễn Văn Hùng")
        self.course(title="Lớp chưa có người", starts_on=date(2024, 6, 1), ends_on=date(2024, 6, 1))
        self.course(commune=self.other_commune, title="Lớp của xã Gia Lộc")
        self.login(self.vanphong)
        rows = [r for r in sheet_rows(self.client.get(URL, {"format": "xlsx"}).content) if r and r[0]]
        titles = [(r[0], r[11]) for r in rows[3:]]
        assert ("Bồi dưỡng kiến thức về cải cách hành chính", "Tuphap") in titles
        assert ("Bồi dưỡng kiến thức về cải cách hành chính", "Nguyễn Văn Hùng") in titles
        assert ("Lớp chưa có người", None) in titles
        assert all("Gia Lộc" not in str(t) for t in titles)


HEADER = [
    "STT",
    "Tên khóa học",
    "Chủ đề",
    "Từ ngày",
    "Đến ngày",
    "Số giờ",
    "Họ và tên",
    "Chức vụ",
    "Hoàn thành",
]


class ImportTests(TrainingTestCase):
    def post(self, content):
        self.login(self.vanphong)
        return self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})

    def test_rows_of_one_course_must_agree_and_people_are_matched_to_accounts(self):
        content = workbook(
            HEADER,
            [1, "Bồi dưỡng CCHC 2024", "CCHC", "16/04/2024", "17/04/2024", 16, "Tuphap", "", "x"],
            [2, "Bồi dưỡng CCHC 2024", "CCHC", "16/04/2024", "18/04/2024", 16, "Motcua", "", "x"],
            [3, "Kỹ năng số", "Tin học", "10/07/2024", "", 8, "Vanphong", "", "x"],
            [4, "Kỹ năng số", "chuyển đổi số", "10/07/2024", "", 8, "Vanphong", "", "x"],
        )
        page = self.post(content).content.decode()
        assert "Dòng 3: cùng khóa học với dòng 2 nhưng khác đến ngày." in page
        assert "Dòng 4: chủ đề “Tin học” không thuộc các giá trị" in page
        assert Course.objects.count() == 0

    def test_a_participant_list_imports_course_by_course(self):
        content = workbook(
            ["DANH SÁCH CÁN BỘ, CÔNG CHỨC THAM GIA BỒI DƯỠNG NĂM 2024"],
            HEADER,
            [
                1,
                "Bồi dưỡng CCHC 2024",
                "CCHC",
                "16/04/2024",
                "17/04/2024",
                16,
                "Tuphap",
                "Công chức Tư pháp",
                "Có",
            ],
            [2, "Bồi dưỡng CCHC 2024", "CCHC", "16/04/2024", "17/04/2024", 16, "motcua", "", "Có"],
            [
                3,
                "Kỹ năng số",
                "chuyển đổi số; CCHC",
                "10/07/2024",
                "",
                8,
                "Nguyễn Văn Hùng",
                "Trưởng thôn",
                "Không",
            ],
        )
        self.post(content)
        upload = SheetImport.objects.get()
        assert [r[3] for r in upload.summary["rows"]] == [
            "2 người (2 có tài khoản, 0 ghi theo tên)",
            "1 người (0 có tài khoản, 1 ghi theo tên)",
        ]
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        cchc = Course.objects.get(title="Bồi dưỡng CCHC 2024")
        assert {a.official for a in cchc.attendances.all()} == {self.tuphap, self.motcua}
        digital = Course.objects.get(title="Kỹ năng số")
        assert digital.subject_list == ["cchc", "digital"] and digital.ends_on == date(2024, 7, 10)
        assert digital.attendances.get().completed is False
        # The exported register imports back unchanged.
        self.post(self.client.get(URL, {"format": "xlsx"}).content)
        assert SheetImport.objects.filter(status="preview").get().summary["counts"]["unchanged"] == 2


class FigureTests(TrainingTestCase):
    def scope(self, **filters):
        return Scope.of(
            commune_ids=[self.commune.pk], date_from=date(2023, 12, 15), date_to=date(2024, 12, 14), **filters
        )

    def test_the_share_of_officials_trained_by_subject(self):
        # Five officials in the commune: chutich, vanphong, motcua, tuphap, diachinh.
        cchc = self.course(ends_on=date(2024, 12, 14))  # last day of the window
        self.attend(cchc, self.tuphap)
        self.attend(cchc, self.motcua, hours=Decimal(10))
        self.attend(cchc, self.vanphong, completed=False)
        self.attend(cchc, name="Nguyễn Văn Hùng")
        digital = self.course(
            title="Kỹ năng số",
            subjects=[Subject.DIGITAL],
            starts_on=date(2023, 12, 15),
            ends_on=date(2023, 12, 15),
            hours=Decimal(8),
            planned_participants=None,
            in_plan=False,
        )
        self.attend(digital, self.tuphap)
        self.attend(digital, self.diachinh)
        late = self.course(title="Kết thúc sau kỳ", starts_on=date(2024, 12, 10), ends_on=date(2024, 12, 15))
        self.attend(late, self.chutich)
        theirs = self.course(commune=self.other_commune)
        self.attend(theirs, name="Người xã khác")
        values = evaluate(F.FIGURES, self.scope())
        assert values[F.OFFICIALS] == 5
        assert values[F.TRAINED] == 3  # tuphap, motcua, diachinh
        assert values[F.TRAINED_SHARE] == Decimal("60.00")
        assert (values[F.TRAINED_CCHC], values[F.CCHC_SHARE]) == (2, Decimal("40.00"))
        assert (values[F.TRAINED_DIGITAL], values[F.DIGITAL_SHARE]) == (2, Decimal("40.00"))
        assert values[F.COURSES] == 2 and values[F.ATTENDANCES] == 5
        assert values[F.HOURS] == Decimal(16 + 10 + 16 + 8 + 8)
        assert (values[F.PLANNED], values[F.PLANNED_ATTENDED], values[F.PLAN_RATE]) == (
            3,
            3,
            Decimal("100.00"),
        )
        only_digital = evaluate([F.TRAINED, F.COURSES], self.scope(subject="digital"))
        assert only_digital == {F.TRAINED: 2, F.COURSES: 1}
        empty = Scope.of(commune_ids=[self.commune.pk], date_from=date(2020, 1, 1), date_to=date(2020, 1, 2))
        assert evaluate([F.PLAN_RATE, F.TRAINED_SHARE], empty) == {
            F.PLAN_RATE: None,
            F.TRAINED_SHARE: Decimal("0.00"),
        }

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.org import demo as org_demo
        from cchc.registers.training import demo

        org_demo.load(DemoLog(write=lambda s: None))
        today = date(2026, 11, 30)
        demo.load(DemoLog(write=lambda s: None), today)
        again = DemoLog(write=lambda s: None)
        demo.load(again, today)
        assert again.created == 0
        courses = [
            c for c in demo.demo_courses(today) if date(2023, 12, 15) <= c["ends_on"] <= date(2024, 12, 14)
        ]
        values = evaluate(F.FIGURES, self.scope())
        # Officials: the test base's five plus the demo's phochutich, taichinh, vanhoa, truyenthanh.
        assert values[F.OFFICIALS] == 9
        accounts = {u for c in courses for u, absent in c["people"] if not absent and u in demo.EVERYONE}
        assert (
            values[F.TRAINED] == len(accounts) == 8
        )  # everyone but truyenthanh, absent from the 2024 course
        assert values[F.TRAINED_SHARE] == Decimal("88.89")
        assert values[F.TRAINED_CCHC] == 4 and values[F.CCHC_SHARE] == Decimal("44.44")
        assert values[F.ATTENDANCES] == sum(1 for c in courses for _, absent in c["people"] if not absent)
        assert values[F.COURSES] == len(courses) == 4
