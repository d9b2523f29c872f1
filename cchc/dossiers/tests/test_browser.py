import re
from pathlib import Path

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
    proc = make_procedure(commune, department=justice, name="Đăng ký khai sinh")
    make_procedure(commune, "2.000815", name="Chứng thực bản sao từ bản chính", amount=None, unit="same_day")
    make_procedure(commune, "1.000656", name="Đăng ký khai tử")
    from cchc.procedures.services import procedure_details_import

    data = Path(__file__).resolve().parents[2] / "procedures" / "data"
    procedure_details_import(
        commune=commune, documents_content=(data / "tthc_thanh_phan.csv").read_bytes(), details_content=None
    )
    browser_login(page, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    # The picker: typed without accents, by name; Enter picks the first match.
    assert page.locator("#procedure-search").is_visible()
    assert "visually-hidden" in page.locator("select[name=procedure]").get_attribute("class")
    assert not page.locator("#show-checklist").is_visible()
    page.fill("#procedure-search", "dang ky khai sinh")
    assert page.locator("#procedure-results li").count() == 1
    assert page.locator("#procedure-results li").first.inner_text().startswith("Đăng ký khai sinh (1.001193)")
    page.fill("#procedure-search", "2.000815")
    assert page.locator("#procedure-results li").first.inner_text().startswith("Chứng thực bản sao")
    page.fill("#procedure-search", "khai sinh")
    page.press("#procedure-search", "Enter")
    assert page.locator("select[name=procedure]").input_value() == str(proc.pk)
    # The checklist of the procedure's published documents appears; the officer ticks.
    page.wait_for_selector("#checklist input[name=checked_documents]")
    page.check("#checklist label:has-text('Giấy chứng sinh')")
    page.check("#checklist label:has-text('Tờ khai đăng ký khai sinh theo mẫu')")
    page.check("input[name=result_delivery][value=post]")
    page.fill("input[name=applicant_name]", "Nguyễn Thị Hoa")
    page.fill("input[name=applicant_id_number]", "034195001111")
    page.fill("input[name=applicant_phone]", "0912000111")
    page.fill("input[name=applicant_address]", "Thôn Đông, xã Đức Xương")
    page.fill("textarea[name=documents]", "Giấy tờ khác do người nộp tự nguyện cung cấp")
    page.click("button:has-text('Tiếp nhận và cấp mã hồ sơ')")
    page.wait_for_load_state("networkidle")
    dossier = Dossier.objects.get()
    assert dossier.document_list == [
        "Giấy chứng sinh (1 bản chính)",
        "Tờ khai đăng ký khai sinh theo mẫu (1 bản chính)",
        "Giấy tờ khác do người nộp tự nguyện cung cấp",
    ]
    assert dossier.result_delivery == "post"
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
