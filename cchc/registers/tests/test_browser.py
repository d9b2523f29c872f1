"""One browser test: an officer imports a spreadsheet into a register — a bad row is
named, the corrected file is previewed and confirmed — then finds a row by typing
without diacritics, and attaches a file to it."""

import pytest
from playwright.sync_api import expect

from cchc.org.models import Role
from cchc.testing import browser_login, make_department, make_unit, make_user

from .helpers import PDF_BYTES, workbook

HEADER = ["STT", "Ngày", "Hình thức", "Tiêu đề", "Thời lượng (phút)", "Số lần"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_imports_a_register_and_finds_a_row(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = make_unit("province", "tinh-r", code="000.00.00.R01")
    commune = make_unit("commune", "xa-r", province, code="000.01.01.R01")
    office = make_department(commune, "noi-vu", "Văn phòng Đảng ủy – Nội vụ", is_cchc_office=True)
    make_user("vp_r", Role.CCHC_OFFICE, commune, office)
    bad = tmp_path / "tuyen-truyen-loi.xlsx"
    bad.write_bytes(
        workbook(
            ["SỔ THEO DÕI TUYÊN TRUYỀN CCHC"],
            HEADER,
            [1, "06/03/2024", "Phát thanh", "Hướng dẫn đăng ký khai sinh trực tuyến", 10, 3],
            [2, "12/03/2024", "Phát thanh", "Tin thiếu thời lượng", "", 1],
        )
    )
    good = tmp_path / "tuyen-truyen.xlsx"
    good.write_bytes(
        workbook(
            ["SỔ THEO DÕI TUYÊN TRUYỀN CCHC"],
            HEADER,
            [1, "06/03/2024", "Phát thanh", "Hướng dẫn đăng ký khai sinh trực tuyến", 10, 3],
            [2, "12/03/2024", "Tin bài", "Xã triển khai dịch vụ công trực tuyến", "", 1],
        )
    )
    scan = tmp_path / "kich-ban.pdf"
    scan.write_bytes(PDF_BYTES)

    browser_login(page, live_server, "vp_r")
    page.goto(f"{live_server.url}/so-theo-doi/tuyen-truyen/")
    page.click("text=Nhập từ Excel")
    page.set_input_files("input[name=file]", str(bad))
    page.click("text=Kiểm tra tệp")
    assert page.locator("text=Dòng 4: tin phát thanh cần thời lượng (phút).").is_visible()
    page.set_input_files("input[name=file]", str(good))
    page.click("text=Kiểm tra tệp")
    assert page.locator("text=Sẽ thêm mới 2, cập nhật 0, giữ nguyên 0").is_visible()
    page.click("text=Xác nhận nhập")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=thêm mới 2").is_visible()
    page.fill("input[name=q]", "dang ky khai sinh")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#register-rows tbody tr")).to_have_count(1)
    page.click("text=Hướng dẫn đăng ký khai sinh trực tuyến")
    page.set_input_files("input[name=files]", str(scan))
    page.click("button:has-text('Đính kèm')")
    page.wait_for_load_state("networkidle")
    assert page.locator("a:has-text('kich-ban.pdf')").is_visible()
    # The refused file answered 400 (the form with its errors); nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
