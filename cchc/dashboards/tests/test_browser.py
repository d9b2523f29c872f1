"""The chairman's dashboard and the province's comparison in a real browser: the
charts are drawn without script errors under the CSP, a period is chosen by dates,
the comparison sorts, exports and drills down read-only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from cchc.dossiers.tests.helpers import act, at, make_procedure, receive
from cchc.org.models import Role
from cchc.testing import browser_login, make_department, make_unit, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_and_the_comparison(live_server, page):
    province = make_unit("province", "haiphong")
    commune = make_unit("commune", "ducxuong", province)
    other = make_unit("commune", "gialoc", province)
    one_stop = make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    other_justice = make_department(other, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    motcua = make_user("motcua", Role.ONE_STOP_OFFICER, commune, one_stop)
    tuphap = make_user("tuphap", Role.DEPARTMENT_OFFICER, commune, justice)
    other_counter = make_user("gl_motcua", Role.ONE_STOP_OFFICER, other)
    other_officer = make_user("gl_tuphap", Role.DEPARTMENT_OFFICER, other, other_justice)
    make_user("chutich", Role.CHAIRMAN, commune)
    make_user("captren", Role.SUPERIOR_VIEWER, province)
    proc = make_procedure(commune, department=justice)
    other_proc = make_procedure(other, department=other_justice)
    done = receive(motcua, proc, at(2025, 5, 5))
    act(done, "transfer", motcua, at(2025, 5, 5, 10))
    act(done, "finish", tuphap, at(2025, 5, 6))
    overdue = receive(motcua, proc, at(2025, 5, 5))
    act(overdue, "transfer", motcua, at(2025, 5, 5, 10))
    late = receive(other_counter, other_proc, at(2025, 5, 5))
    act(late, "transfer", other_counter, at(2025, 5, 5, 10))
    act(late, "finish", other_officer, at(2025, 5, 13))

    # The chairman: the dashboard on the home page, its charts, then May 2025 by dates.
    browser_login(page, live_server, "chutich")
    panel = page.locator("#panel-dashboard")
    assert panel.is_visible()
    assert page.locator("svg.trend-chart").count() == 4
    assert "1 hồ sơ đang quá hạn" in panel.locator("#dash-overdue").inner_text()
    assert overdue.code in panel.locator("#dash-overdue").inner_text()
    page.click("text=Xem theo kỳ khác")
    page.fill("input[name=date_from]", "15/04/2025")
    page.fill("input[name=date_to]", "14/05/2025")
    page.locator("select[name=period]").select_option("")
    page.click("button:has-text('Xem')")
    page.wait_for_load_state("networkidle")
    assert "Từ 15/04/2025 đến 14/05/2025" in page.content()
    on_time = page.locator("[data-trend='dossiers.on_time_rate']")
    on_time.locator("summary").click()
    assert on_time.locator("table").is_visible()
    assert page.console_errors == []

    # The province: its home shows the comparison; sort, export, drill down.
    page.context.clear_cookies()
    browser_login(page, live_server, "captren")
    assert page.locator("#panel-comparison tr[data-commune]").count() == 2
    page.goto(f"{live_server.url}/dieu-hanh/so-sanh/?period=2025-05")
    page.click("#comparison th >> text=Tỷ lệ giải quyết đúng hạn")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#comparison tbody tr")
    assert rows.nth(0).get_attribute("data-commune") == "ducxuong"  # 100 % before 0 %
    assert "(giảm dần)" in page.locator("#comparison thead").inner_text()
    page.click("#comparison th >> text=Tỷ lệ giải quyết đúng hạn")
    page.wait_for_load_state("networkidle")
    assert page.locator("#comparison tbody tr").nth(0).get_attribute("data-commune") == "gialoc"
    with page.expect_download() as info:
        page.click("text=Xuất Excel")
    ws = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    names = [r[0].value for r in ws.iter_rows()]
    assert names.index(other.name) < names.index(commune.name)
    page.click(f"#comparison >> text={commune.name}")
    page.wait_for_load_state("networkidle")
    assert "chỉ xem" in page.locator("h1").inner_text()
    assert overdue.code in page.locator("#dash-overdue").inner_text()
    assert page.locator(f"#dash-overdue a:has-text('{overdue.code}')").count() == 0
    assert page.console_errors == []
