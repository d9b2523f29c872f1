"""One browser test: a department officer posts a progress update with a file."""

from datetime import date

import pytest
from django.utils import timezone

from cchc.org.models import Role
from cchc.plans import services
from cchc.plans.models import AreaKind, PlanStatus, Task
from cchc.testing import browser_login, make_department, make_unit, make_user

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_department_officer_posts_progress_with_evidence(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year
    province = make_unit("province", "tinh-b", code="000.00.00.B01")
    commune = make_unit("commune", "xa-b", province, code="000.01.01.B01")
    office_dept = make_department(commune, "noi-vu", "Văn phòng Đảng ủy – Nội vụ", is_cchc_office=True)
    justice = make_department(commune, "tu-phap", "Tư pháp – Hộ tịch")
    office = make_user("vp_b", Role.CCHC_OFFICE, commune, office_dept)
    chairman = make_user("ct_b", Role.CHAIRMAN, commune)
    make_user("tp_b", Role.DEPARTMENT_OFFICER, commune, justice)
    plan = services.plan_create(user=office, commune=commune, year=year)
    area = services.area_add(user=office, plan=plan, kind=AreaKind.INSTITUTIONS)
    task = services.task_create(
        user=office,
        area=area,
        title="Rà soát văn bản QPPL",
        lead_department=justice,
        output="Báo cáo rà soát",
    )
    services.plan_transition(user=office, plan=plan, to=PlanStatus.SUBMITTED)
    services.plan_transition(user=chairman, plan=plan, to=PlanStatus.APPROVED)
    services.plan_transition(
        user=office, plan=plan, to=PlanStatus.IN_EFFECT, number="12", issued_on=date(year, 1, 5)
    )
    evidence = tmp_path / "bien-ban-ra-soat.pdf"
    evidence.write_bytes(PDF)

    browser_login(page, live_server, "tp_b")
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu-cua-bo-phan/")
    page.click("text=Rà soát văn bản QPPL")
    page.fill("textarea[name=text]", "Đã rà soát 15 văn bản, đề nghị bãi bỏ 2 văn bản.")
    page.fill("input[name=percent]", "60")
    page.select_option("select[name=status]", "in_progress")
    page.set_input_files("input[name=files]", str(evidence))
    page.click("button:has-text('Gửi cập nhật')")
    page.wait_for_load_state("networkidle")

    assert "Đã ghi nhận cập nhật tiến độ" in page.inner_text(".messages")
    updates = page.inner_text("#updates")
    assert "Đã rà soát 15 văn bản" in updates and "bien-ban-ra-soat.pdf" in updates
    task = Task.objects.get(pk=task.pk)
    assert (task.status, task.percent) == ("in_progress", 60)
    with page.expect_download() as download:
        page.click("text=bien-ban-ra-soat.pdf")
    assert download.value.suggested_filename == "bien-ban-ra-soat.pdf"
    assert page.console_errors == []
