"""One end-to-end run in a real browser: a citizen submits a petition on a phone-
sized screen, staff classify, assign, answer, approve and publish it, and the
answer appears on the public page."""

from __future__ import annotations

import re

import pytest

from cchc.org.models import Role
from cchc.petitions.models import Petition
from cchc.testing import browser_login, make_department, make_unit, make_user


def _act(page, action: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    form = page.locator(f"#form-{action}")
    if not form.is_visible():
        page.locator(f"details:has(#form-{action}) > summary").click()
    for field, value in (select or {}).items():
        form.locator(f"[name={field}]").select_option(label=value)
    for field, value in (fill or {}).items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _log_out(page) -> None:
    page.context.clear_cookies()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_petition_goes_from_public_form_to_published_answer(live_server, page):
    province = make_unit("province", "haiphong")
    commune = make_unit("commune", "ducxuong", province)
    make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    make_user("motcua", Role.ONE_STOP_OFFICER, commune)
    make_user("tuphap", Role.DEPARTMENT_OFFICER, commune, justice)
    make_user("chutich", Role.CHAIRMAN, commune)

    # 1. A citizen, on a phone-sized screen, without logging in.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/phan-anh/gui/ducxuong/")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Bình")
    page.get_by_label("Địa chỉ").fill("Thôn Phú Thọ, xã Đức Xương")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Tiêu đề").fill("Chờ chứng thực quá lâu")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Sáng thứ Hai tôi phải chờ hơn hai tiếng để chứng thực."
    )
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page.wait_for_load_state("networkidle")
    code = page.locator("#petition-code").inner_text()
    assert re.fullmatch(r"PA-\d{6}-[A-Z2-9]{6}", code)
    assert page.locator("#petition-factor").inner_text() == "5678"
    petition = Petition.objects.get(code=code)

    # 2. The one-stop officer classifies it and assigns Tư pháp.
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/phan-anh/quan-ly/")
    page.get_by_role("link", name=code).click()
    page.wait_for_load_state("networkidle")
    _act(page, "accept")
    _act(page, "assign", select={"department": "Tư pháp – Hộ tịch"})
    assert "Đang xử lý" in page.locator("#petition-status").inner_text()
    _log_out(page)

    # 3. Tư pháp drafts the answer.
    browser_login(page, live_server, "tuphap")
    page.goto(f"{live_server.url}/phan-anh/quan-ly/{code}/")
    _act(page, "answer", fill={"answer": "Xã bố trí thêm người chứng thực vào sáng thứ Hai."})
    _log_out(page)

    # 4. The chairman approves.
    browser_login(page, live_server, "chutich")
    page.goto(f"{live_server.url}/phan-anh/quan-ly/{code}/")
    _act(page, "approve")
    _log_out(page)

    # 5. The one-stop officer publishes with a public title and summary.
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/phan-anh/quan-ly/{code}/")
    _act(
        page,
        "publish",
        fill={
            "public_title": "Thời gian chờ chứng thực đầu tuần",
            "public_summary": "Phản ánh thời gian chờ chứng thực bản sao vào sáng thứ Hai.",
        },
    )
    assert "Đã công khai" in page.locator("#petition-status").inner_text()
    _log_out(page)

    # 6. Anyone sees the answer on the public page, found without diacritics.
    page.goto(f"{live_server.url}/phan-anh/tra-loi/ducxuong/?q=cho+chung+thuc")
    page.get_by_role("link", name="Thời gian chờ chứng thực đầu tuần").click()
    page.wait_for_load_state("networkidle")
    assert "Xã bố trí thêm người chứng thực vào sáng thứ Hai." in page.locator("#public-answer").inner_text()
    html = page.content()
    for private in ("Nguyễn Văn Bình", "0912", "Phú Thọ", code):
        assert private not in html
    petition.refresh_from_db()
    assert petition.status == "published"
    assert page.console_errors == []
