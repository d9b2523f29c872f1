import re

import pytest

from cchc.dossiers.models import Dossier
from cchc.org.models import Role
from cchc.testing import browser_login, make_department, make_unit, make_user

from .helpers import make_procedure


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_receiving_a_dossier_at_the_counter_and_printing_form_01(page, live_server):
    province = make_unit("province", "haiphong", code="000.00.00.H26")
    commune = make_unit("commune", "ducxuong", province, code="000.21.31.H26")
    one_stop = make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    make_user("motcua", Role.ONE_STOP_OFFICER, commune, one_stop)
    proc = make_procedure(commune, department=justice)
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.select_option("select[name=procedure]", str(proc.pk))
    page.fill("input[name=applicant_name]", "Nguyễn Thị Hoa")
    page.fill("input[name=applicant_id_number]", "034195001111")
    page.fill("input[name=applicant_phone]", "0912000111")
    page.fill("input[name=applicant_address]", "Thôn Đông, xã Đức Xương")
    page.fill("textarea[name=documents]", "Tờ khai đăng ký khai sinh\nGiấy chứng sinh")
    page.click("button:has-text('Tiếp nhận và cấp mã hồ sơ')")
    page.wait_for_load_state("networkidle")
    dossier = Dossier.objects.get()
    assert page.locator("#dossier-code").inner_text() == dossier.code
    with page.expect_popup() as popup_info:
        page.click("a:has-text('In mẫu 01')")
    form = popup_info.value
    form.wait_for_load_state("networkidle")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in form.content()
    assert form.locator("#qr svg").count() == 1
    assert "Nguyễn Thị Hoa" in form.content()
    pdf = form.pdf(format="A5")
    assert pdf[:4] == b"%PDF"
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_form_01_prints_on_one_a5_sheet_with_signatures_and_qr(page, live_server):
    """Chromium's print of the receipt for a typical dossier (six documents listed,
    a representative, a long address) is one A5 page."""
    from .helpers import at, receive
    from .test_forms import LONG_APPLICANT, SIX_DOCUMENTS

    province = make_unit("province", "haiphong", code="000.00.00.H26")
    commune = make_unit("commune", "ducxuong", province, code="000.21.31.H26")
    commune.one_stop_name = "Trung tâm Phục vụ hành chính công xã Đức Xương"
    commune.save()
    one_stop = make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    officer = make_user("motcua", Role.ONE_STOP_OFFICER, commune, one_stop)
    proc = make_procedure(
        commune, department=justice, name="Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con"
    )
    d = receive(
        officer,
        proc,
        at(2025, 10, 6, 9),
        applicant=LONG_APPLICANT,
        representative="Trần Văn Bình (ông ngoại, được ủy quyền)",
        documents=SIX_DOCUMENTS,
    )
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/{d.code}/mau-01/")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page.locator("#signatures td").count() == 3
    assert page.locator("#signatures #qr svg").count() == 1
    assert page.console_errors == []
