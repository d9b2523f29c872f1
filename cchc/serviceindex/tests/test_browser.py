"""In a browser: the chairman opens the service index from the home panel, reads the
progress item and drills down to the dossiers it counted; the province opens its
table and a commune's page from it. No console errors (the CSP allows no inline
script; the trend chart is drawn on the server)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.dossiers.tests.helpers import act, make_procedure, receive
from cchc.org.models import Role
from cchc.serviceindex.loader import load_shipped
from cchc.serviceindex.models import IndexGroup, IndexItem, IndexVersion
from cchc.testing import browser_login, make_department, make_unit, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_index_from_the_home_page_to_the_counted_dossiers(page, live_server):
    load_shipped(Version=IndexVersion, Group=IndexGroup, Item=IndexItem)  # flushed by transactional tests
    province = make_unit("province", "tinh-s", code="000.00.00.S01")
    commune = make_unit("commune", "xa-s", province, code="000.01.01.S01")
    other = make_unit("commune", "xa-t", province, code="000.02.01.S01")
    justice = make_department(commune, "tu-phap", "Tư pháp – Hộ tịch")
    one_stop = make_department(commune, "mot-cua", "Văn phòng HĐND – UBND", is_one_stop=True)
    clerk = make_user("mc_s", Role.ONE_STOP_OFFICER, commune, one_stop)
    officer = make_user("tp_s", Role.DEPARTMENT_OFFICER, commune, justice)
    make_user("ct_s", Role.CHAIRMAN, commune)
    make_user("tt_s", Role.SUPERIOR_VIEWER, province)
    proc = make_procedure(commune, department=justice, amount=10)
    now = timezone.now() - timedelta(minutes=5)
    within = receive(clerk, proc, now)  # due in 10 working days: within time
    finished = receive(clerk, proc, now)
    act(finished, "transfer", clerk, now)
    act(finished, "finish", officer, now + timedelta(minutes=1))  # early
    other_clerk = make_user("mc_t", Role.ONE_STOP_OFFICER, other)
    elsewhere = receive(other_clerk, make_procedure(other), now)

    browser_login(page, live_server, "ct_s")
    page.click("text=Xem từng chỉ tiêu")
    page.wait_for_load_state("networkidle")
    row = page.locator('tr[data-item="ON_TIME"]')
    assert row.locator("[data-points]").inner_text() == "20,00"
    assert "100,00%" in row.inner_text()
    assert page.locator('tr[data-item="DOSSIER_SYNC"] [data-points]').inner_text() == "không có dữ liệu"
    assert page.locator("#trend tbody tr").count() == 12
    row.locator("a", has_text="2 hồ sơ").first.click()
    page.wait_for_load_state("networkidle")
    listed = page.locator("#dossiers tbody").inner_text()
    assert within.code in listed and finished.code in listed and elsewhere.code not in listed
    assert page.console_errors == []

    page.context.clear_cookies()
    browser_login(page, live_server, "tt_s")
    page.goto(f"{live_server.url}/chi-so-phuc-vu/")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{live_server.url}/chi-so-phuc-vu/cac-xa/")
    assert page.locator("#communes tbody tr").count() == 2
    page.click("#communes a:has-text('xa-s')")
    page.wait_for_load_state("networkidle")
    assert page.locator('tr[data-item="ON_TIME"] [data-points]').inner_text() == "20,00"
    assert page.console_errors == []
