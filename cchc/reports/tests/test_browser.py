"""A whole report cycle in a real browser: two departments write their sections
(one late, one with a file), the standing office consolidates and submits, the
chairman approves, the office numbers and sends and downloads the .docx, and the
province opens the sent report read-only from its completeness table."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from cchc.core.periods import PeriodKind, containing
from cchc.org.models import Role
from cchc.reports import services
from cchc.reports.models import Report, ReportStatus, SectionStatus
from cchc.testing import browser_login, make_department, make_unit, make_user


def _act(page, action: str, fill: dict[str, str] | None = None) -> None:
    form = page.locator(f"#form-{action}")
    for field, value in (fill or {}).items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("button").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_report_goes_from_sections_to_the_province(live_server, page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REPORT_PERIODS = ["Q1", "Q2", "Q3", "Q4"]  # the quarter containing today is owed
    province = make_unit("province", "haiphong")
    commune = make_unit("commune", "ducxuong", province)
    office_dept = make_department(
        commune, "vp-dang-uy-noi-vu", "Văn phòng Đảng ủy – Nội vụ", is_cchc_office=True
    )
    one_stop = make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    office = make_user("vanphong", Role.CCHC_OFFICE, commune, office_dept)
    make_user("motcua", Role.ONE_STOP_OFFICER, commune, one_stop)
    make_user("tuphap", Role.DEPARTMENT_OFFICER, commune, justice)
    make_user("chutich", Role.CHAIRMAN, commune)
    make_user("captren", Role.SUPERIOR_VIEWER, province)

    today = timezone.localdate()
    period = containing(today, PeriodKind.QUARTER)
    report = services.report_create(user=office, commune=commune, period=period)
    sections = {s.title: s for s in report.sections.all()}
    institutions, procedures = sections["Cải cách thể chế"], sections["Cải cách thủ tục hành chính"]
    # Tư pháp's part was due yesterday (it will be late); the one-stop office's is due with the report.
    services.section_assign(
        user=office, section=institutions, department=justice, due_date=today - timedelta(days=1)
    )
    services.section_assign(user=office, section=procedures, department=one_stop, due_date=report.deadline)
    for section in report.sections.exclude(pk__in=[institutions.pk, procedures.pk]):
        services.section_save(user=office, section=section, body="Đã thực hiện theo kế hoạch.")
        services.section_act(user=office, section=section, action="submit")
        services.section_act(user=office, section=section, action="accept")

    # 1. Tư pháp: from the home panel to its (late) section; quotes a figure with the picker.
    browser_login(page, live_server, "tuphap")
    panel = page.locator("#panel-reports")
    assert "quá hạn" in panel.inner_text()
    panel.get_by_role("link", name="Cải cách thể chế").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Nội dung").fill("Rà soát 15 văn bản quy phạm pháp luật. Báo cáo đã gửi: ")
    page.locator("#figure-picker").select_option("reports.sent")
    page.locator("#figure-insert").click()
    assert page.get_by_label("Nội dung").input_value().endswith("{{reports.sent}}")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    assert "Báo cáo đã gửi: 0 báo cáo" in page.locator("#section-preview").inner_text()
    _act(page, "submit")
    assert page.locator("#section-status").inner_text() == "Đã nộp"
    page.context.clear_cookies()

    # 2. The one-stop office writes its part with an attached file, on time.
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phan/{procedures.pk}/")
    page.get_by_label("Nội dung").fill("Công khai 100% thủ tục hành chính.\n- Tiếp nhận đúng quy trình")
    page.set_input_files(
        "#id_files",
        files=[{"name": "so-lieu.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
    )
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    assert "so-lieu.pdf" in page.locator("#attachments").inner_text()
    _act(page, "submit")
    page.context.clear_cookies()

    # 3. The office sees who was late, edits Tư pháp's text, accepts both, submits.
    browser_login(page, live_server, "vanphong")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    assert "Nộp muộn" in page.locator(f"#section-row-{institutions.pk}").inner_text()
    assert "Nộp đúng hạn" in page.locator(f"#section-row-{procedures.pk}").inner_text()
    page.locator(f"#section-row-{institutions.pk}").get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Nội dung").fill("Rà soát 15 văn bản QPPL; không có văn bản trái pháp luật.")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    _act(page, "accept")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/phan/{procedures.pk}/")
    _act(page, "accept")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    _act(page, "submit")
    assert page.locator("#report-status").inner_text() == "Trình duyệt"
    page.context.clear_cookies()

    # 4. The chairman approves.
    browser_login(page, live_server, "chutich")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    _act(page, "approve")
    assert page.locator("#report-status").inner_text() == "Đã duyệt"
    page.context.clear_cookies()

    # 5. The office numbers and sends it, then downloads the document.
    browser_login(page, live_server, "vanphong")
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    _act(page, "send", fill={"number": "15"})
    assert page.locator("#report-status").inner_text() == "Đã gửi"
    assert "Số: 15/BC-UBND" in page.locator("#report-number").inner_text()
    with page.expect_download() as info:
        page.locator("#download-docx").click()
    doc = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Rà soát 15 văn bản QPPL; không có văn bản trái pháp luật." in text
    assert "- Tiếp nhận đúng quy trình" in text
    page.context.clear_cookies()
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert set(report.sections.values_list("status", flat=True)) == {SectionStatus.ACCEPTED}

    # 6. The province: the completeness table links to the sent report, read-only.
    browser_login(page, live_server, "captren")
    page.goto(f"{live_server.url}/bao-cao/tinh-hinh-gui/?year={period.year}")
    cell = page.locator('tr[data-commune="ducxuong"] td[data-state="on_time"]')
    assert re.search(r"Đã gửi \d\d/\d\d/\d{4}", cell.inner_text())
    cell.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    assert "Số: 15/BC-UBND" in page.locator("#report-number").inner_text()
    assert page.locator("#report-actions").count() == 0
    assert page.locator("#section-form").count() == 0
    assert Report.objects.count() == 1
    assert page.console_errors == []
