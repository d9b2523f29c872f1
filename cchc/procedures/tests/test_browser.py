import pytest

from cchc.org.models import Role
from cchc.procedures.services import procedures_import
from cchc.testing import browser_login, make_department, make_unit, make_user

from .helpers import csv_bytes


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_search_without_diacritics_then_fix_a_flagged_procedure(page, live_server):
    province = make_unit("province", "tinh", code="000.00.00.T01")
    commune = make_unit("commune", "ducxuong", province, code="000.21.31.T01")
    make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    make_user("motcua", Role.ONE_STOP_OFFICER, commune)
    procedures_import(commune=commune, content=csv_bytes())

    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/thu-tuc/")
    page.fill("input[name=q]", "dang ky khai sinh")
    # htmx replaces the results as the officer types (no submit needed).
    page.wait_for_selector("#results >> text=1 thủ tục.")
    assert page.locator("#results tbody tr").count() == 1
    assert "Thủ tục đăng ký khai sinh" in page.inner_text("#results")

    page.goto(f"{live_server.url}/thu-tuc/can-ra-soat/")
    row = page.locator("tr", has_text="Chứng thực bản sao")
    row.get_by_role("link", name="Sửa").click()
    page.fill("input[name=time_amount]", "1")
    page.select_option("select[name=time_unit]", "working_days")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu thủ tục 2.000815" in page.inner_text("main")
    assert "Chứng thực bản sao" not in page.inner_text("table")
    assert page.console_errors == []
