import pytest

from cchc.org.models import Role
from cchc.testing import browser_login, make_unit, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_logs_in_and_shows_the_home_page_without_console_errors(live_server, page):
    province = make_unit("province", "haiphong")
    commune = make_unit("commune", "ducxuong", province)
    make_user("chutich", Role.CHAIRMAN, commune)
    browser_login(page, live_server, "chutich")
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert "Lịch làm việc" in page.content()
    page.get_by_role("button", name="Hệ thống").click()  # a drop-down of the menu
    page.get_by_role("link", name="Lịch làm việc").click()
    page.wait_for_load_state("networkidle")
    assert "Lịch làm việc năm" in page.locator("h1").inner_text()
    assert page.console_errors == []
