"""A whole online dossier in real browsers: a citizen submits a birth registration
from a phone with the documents, the counter accepts, the department asks for a
supplement which the citizen uploads through the follow-up link, the department
attaches the result and the citizen downloads it."""

import shutil
import tempfile

import pytest
from django.core.cache import cache
from django.test import override_settings

from cchc.core.models import AuditLog
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.helpers import PDF, make_online_procedure
from cchc.org.models import Role
from cchc.testing import browser_login, make_department, make_unit, make_user

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => el.name !== 'website' && !(el.id && document.querySelector(`label[for="${el.id}"]`)))
  .map(el => el.name)"""


@pytest.fixture
def media():
    path = tempfile.mkdtemp(prefix="cchc-browser-online-")
    with override_settings(MEDIA_ROOT=path):
        yield path
    shutil.rmtree(path, ignore_errors=True)


def staff_page(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    browser_login(page, live_server, username)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_whole_online_dossier_from_a_phone(page, browser, live_server, media):
    cache.clear()
    province = make_unit("province", "haiphong", code="000.00.00.H26")
    commune = make_unit("commune", "ducxuong", province, code="000.21.31.H26")
    one_stop = make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    make_user("motcua", Role.ONE_STOP_OFFICER, commune, one_stop)
    make_user("tuphap", Role.DEPARTMENT_OFFICER, commune, justice)
    proc = make_online_procedure(commune, department=justice, name="Đăng ký khai sinh")

    # 1. The citizen, on a phone, from the commune page.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/cong-khai/ducxuong/")
    page.click("#online-link")
    page.click("text=Đăng ký khai sinh")
    assert page.evaluate(UNLABELLED_INPUTS) == []
    page.fill("#id_applicant_name", "Trần Thị Bình")
    page.fill("#id_applicant_id_number", "034195007777")
    page.fill("#id_applicant_phone", "0987 654 321")
    page.fill("#id_applicant_address", "Thôn Tây, xã Đức Xương")
    lines = {r.label: r.pk for r in proc.required_documents.all()}
    page.set_input_files(
        f"#id_doc_{lines['Tờ khai đăng ký khai sinh']}",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF + b"tk"}],
    )
    # A required line left empty: the form says which, nothing is saved.
    page.check("#id_confirm")
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_load_state()
    assert "Cần tải lên “Giấy chứng sinh”" in page.inner_text("main")
    assert Dossier.objects.count() == 0
    page.set_input_files(
        f"#id_doc_{lines['Tờ khai đăng ký khai sinh']}",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF + b"tk"}],
    )
    page.set_input_files(
        f"#id_doc_{lines['Giấy chứng sinh']}",
        files=[{"name": "chung-sinh.jpg", "mimeType": "image/jpeg", "buffer": JPEG}],
    )
    page.check("#id_confirm")
    page.check("input[name=result_delivery][value=online]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("button:has-text('Nộp hồ sơ')")
    page.wait_for_load_state()
    code = page.inner_text("#dossier-code")
    dossier = Dossier.objects.get()
    assert (dossier.code, dossier.status_code, dossier.files.count()) == (code, 1, 2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # 2. The counter accepts it (the legal clock starts) and hands it over.
    counter = staff_page(browser, live_server, "motcua")
    counter.goto(f"{live_server.url}/ho-so/?hang=online")
    counter.click(f"text={code}")
    assert "Giấy chứng sinh" in counter.inner_text("#documents")
    counter.click("button[name=action][value=accept]")
    counter.wait_for_load_state()
    counter.click("button[name=action][value=transfer]")
    counter.wait_for_load_state()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.files.filter(digitised_by__username="motcua").count()) == (
        "processing",
        2,
    )

    # 3. The department asks for a supplement.
    handler = staff_page(browser, live_server, "tuphap")
    handler.goto(f"{live_server.url}/ho-so/{code}/")
    handler.fill("#id_note", "Ảnh giấy chứng sinh bị mờ")
    handler.fill("#id_items", "Giấy chứng sinh (ảnh rõ nét)")
    handler.click("button[name=action][value=request_supplement]")
    handler.wait_for_load_state()

    # 4. The citizen answers through the follow-up link.
    page.click("text=Xem hồ sơ vừa nộp")
    page.wait_for_load_state()
    assert "Giấy chứng sinh (ảnh rõ nét)" in page.inner_text("main")
    page.set_input_files(
        "#supplement-files",
        files=[{"name": "chung-sinh-ro.pdf", "mimeType": "application/pdf", "buffer": PDF + b"ro"}],
    )
    page.click("button:has-text('Gửi giấy tờ bổ sung')")
    page.wait_for_load_state()
    assert "Đã nhận giấy tờ bổ sung" in page.inner_text("main")
    dossier.refresh_from_db()
    assert dossier.status == "processing"

    # 5. The department attaches the result and finishes.
    handler.reload()
    handler.set_input_files(
        "form[action$='/ket-qua/'] input[name=file]",
        files=[{"name": "giay-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF + b"kq"}],
    )
    handler.click("button:has-text('Đính kèm kết quả')")
    handler.wait_for_load_state()
    assert "Đã đính kèm tệp kết quả" in handler.inner_text("main")
    handler.click("button[name=action][value=finish]")
    handler.wait_for_load_state()

    # 6. The citizen downloads the result: the dossier is returned electronically.
    page.reload()
    with page.expect_download() as info:
        page.click("#download-result")
    download = info.value
    assert download.suggested_filename == "giay-khai-sinh.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF + b"kq"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.return_mode) == ("returned", "electronic")
    assert (
        AuditLog.objects.filter(object_id=str(dossier.pk), action="view", source="public:online").count() == 1
    )
    body = page.inner_text("main")
    for secret in ("034195007777", "0987654321", "Thôn Tây", "Trần Thị Bình"):
        assert secret not in body
    assert page.console_errors == []
