"""Small builders for the plans tests, on top of `BaseTestCase`'s commune and users."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.plans import services
from cchc.plans.models import AreaKind, Plan, PlanStatus
from cchc.testing import BaseTestCase

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def pdf_file(name: str = "bien-ban.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class PlanTestCase(BaseTestCase):
    """A 2024 plan of xã Đức Xương with two areas; in effect unless `draft=True`.

    Uploaded files go to a temporary MEDIA_ROOT removed after the class; passwords use a fast hasher."""

    @classmethod
    def setUpClass(cls):
        cls._media = tempfile.mkdtemp(prefix="cchc-plans-")
        # A fast hasher: the base class creates eight users per test class.
        cls._media_override = override_settings(
            MEDIA_ROOT=cls._media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        )
        cls._media_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media_override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)

    def make_plan(self, *, year: int = 2024, in_effect: bool = True, commune=None) -> Plan:
        plan = services.plan_create(
            user=self.vanphong if commune is None else None,
            commune=commune or self.commune,
            year=year,
            basis=f"Thực hiện Kế hoạch số 152/KH-UBND ngày 29 tháng 12 năm {year - 1} của UBND huyện về CCHC năm {year}.",
            purpose="Tiếp tục nâng cao Chỉ số cải cách hành chính của xã.",
            reporting=f"Báo cáo quý I/{year}: số liệu tính từ ngày 15/12/{year - 1} đến ngày 14/3/{year}.",
            recipients="UBND huyện\nLãnh đạo UBND xã\nLưu: VT, VP",
        )
        home = commune is None or commune == self.commune
        justice, one_stop = (
            (self.dept_justice, self.dept_one_stop) if home else (self.other_dept, self.other_dept)
        )
        procedures = services.area_add(user=None, plan=plan, kind=AreaKind.PROCEDURES)
        institutions = services.area_add(user=None, plan=plan, kind=AreaKind.INSTITUTIONS)
        services.task_create(
            user=None,
            area=institutions,
            title="Rà soát văn bản QPPL",
            content=f"Rà soát, hệ thống hóa văn bản QPPL năm {year}.",
            lead_department=justice,
            coordinating=[self.dept_land] if home else [],
            time_frame="deadline",
            end_date=date(year, 6, 30),
            output="Báo cáo rà soát",
        )
        services.task_create(
            user=None,
            area=procedures,
            title="Công khai 100% TTHC",
            lead_department=one_stop,
            output="TTHC được công khai",
            target_metric="procedures.published_rate",
            target_comparison="eq",
            target_value=100,
        )
        if in_effect:
            plan = self.put_in_effect(plan)
        return plan

    def put_in_effect(self, plan: Plan) -> Plan:
        services.plan_transition(user=self.vanphong, plan=plan, to=PlanStatus.SUBMITTED)
        services.plan_transition(user=self.chutich, plan=plan, to=PlanStatus.APPROVED)
        return services.plan_transition(
            user=self.vanphong,
            plan=plan,
            to=PlanStatus.IN_EFFECT,
            number="152",
            issued_on=date(plan.year, 1, 5),
        )
