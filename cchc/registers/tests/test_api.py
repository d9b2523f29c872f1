"""The registers' JSON API: the registers a user may read, and a register's rows as
its spreadsheet has them — never another commune's."""

from datetime import date

from cchc.registers.communication import services as communication
from cchc.registers.communication.models import Channel
from cchc.registers.training import services as training

from .helpers import RegisterTestCase


class ApiTests(RegisterTestCase):
    def test_a_register_lists_the_users_communes_rows_with_the_sheet_columns(self):
        communication.communication_save(
            user=None,
            commune=self.commune,
            channel=Channel.RADIO,
            title="Hướng dẫn khai sinh",
            on=date(2024, 3, 6),
            duration_minutes=10,
            times=3,
        )
        communication.communication_save(
            user=None,
            commune=self.other_commune,
            channel=Channel.NEWS,
            title="Tin Gia Lộc",
            on=date(2024, 3, 7),
        )
        headers = self.api_headers(self.vanphong)
        registers = self.client.get("/api/v1/registers", headers=headers).json()
        assert {r["key"]: r["rows"] for r in registers}["communication"] == 1
        body = self.client.get("/api/v1/registers/communication", headers=headers).json()
        assert body["count"] == 1 and body["columns"][0] == {"key": "on", "label": "Ngày thực hiện"}
        row = body["rows"][0]
        assert (row["commune"], row["title"], row["on"], row["duration_minutes"], row["times"]) == (
            "ducxuong",
            "Hướng dẫn khai sinh",
            "2024-03-06",
            10,
            3,
        )
        assert (
            self.client.get("/api/v1/registers/communication?q=gia+loc", headers=headers).json()["count"] == 0
        )
        assert (
            self.client.get("/api/v1/registers/communication?commune=gialoc", headers=headers).status_code
            == 404
        )
        province = self.api_headers(self.captren)
        both = self.client.get("/api/v1/registers/communication", headers=province).json()
        assert {r["commune"] for r in both["rows"]} == {"ducxuong", "gialoc"}
        assert self.client.get("/api/v1/registers/khong-co", headers=headers).status_code == 404

    def test_a_course_comes_as_one_row_per_participant(self):
        course = training.course_save(
            user=None,
            commune=self.commune,
            title="Bồi dưỡng CCHC",
            subjects=["cchc"],
            starts_on=date(2024, 4, 16),
        )
        training.attendance_save(user=None, course=course, official=self.tuphap)
        training.attendance_save(user=None, course=course, person_name="Nguyễn Văn Hùng")
        body = self.client.get("/api/v1/registers/training", headers=self.api_headers(self.chutich)).json()
        assert body["count"] == 1
        assert sorted(r["person_name"] for r in body["rows"]) == ["Nguyễn Văn Hùng", "Tuphap"]
        assert {r["id"] for r in body["rows"]} == {course.pk}
