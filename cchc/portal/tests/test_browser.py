"""The public pages in a real browser: look-up with a wrong then a right factor,
then rating once and being refused the second time."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cchc.dossiers.models import Status
from cchc.satisfaction.models import Rating
from cchc.satisfaction.tests.helpers import make_dossier, make_procedure
from cchc.testing import make_unit

UNLABELLED_INPUTS = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => el.name !== 'website' && !(el.id && document.querySelector(`label[for="${el.id}"]`)))
  .map(el => el.name)"""


@pytest.fixture
def finished_dossier(db):
    cache.clear()
    province = make_unit("province", "tinh-b")
    commune = make_unit("commune", "xa-b", province, code="000.31.41.H26")
    procedure = make_procedure(commune)
    received = timezone.localdate() - timedelta(days=4)
    return make_dossier(commune, procedure, received=received, status=Status.RETURNED)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lookup_with_wrong_then_right_factor_on_a_phone(page, live_server, finished_dossier):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/cong-khai/tra-cuu/?ma={finished_dossier.code}")
    assert page.input_value("#id_ma") == finished_dossier.code
    assert page.evaluate(UNLABELLED_INPUTS) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.fill("#id_phone_last4", "1111")
    page.keyboard.press("Enter")  # submit from the keyboard
    page.wait_for_load_state()
    assert "Không tìm thấy hồ sơ khớp" in page.inner_text("#lookup-error")
    assert page.locator("#lookup-result").count() == 0

    page.fill("#id_phone_last4", "5678")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    result = page.inner_text("#lookup-result")
    assert "Thủ tục đăng ký khai sinh" in result
    assert "N***** V** An" in result
    assert "Đã trả kết quả" in result
    body = page.inner_text("main")
    for secret in ("0912345678", "001088012345", "Lê Lợi", "Nguyễn Văn An"):
        assert secret not in body
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rating_once_and_refused_the_second_time(page, live_server, finished_dossier):
    page.goto(f"{live_server.url}/cong-khai/tra-cuu/?ma={finished_dossier.code}")
    page.fill("#id_phone_last4", "5678")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click("#rate-link")
    page.wait_for_load_state()
    rate_url = page.url
    assert re.search(r"/danh-gia/r/[^/]+/$", rate_url)
    assert page.evaluate(UNLABELLED_INPUTS) == []

    # A second tab opened on the same form before the first one is sent.
    second = page.context.new_page()
    second.goto(rate_url)

    # Submitting with an answer missing: a clear message, nothing stored.
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "Vui lòng sửa các ô được đánh dấu" in page.inner_text("main")
    assert Rating.objects.count() == 0

    for key in ("access", "procedure", "officials", "result", "feedback"):
        page.check(f"#id_score_{key}_4")  # value 5
    page.check("#id_satisfied_0")
    page.fill("#id_comment", "Cán bộ hướng dẫn tận tình")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "Cảm ơn quý khách đã đánh giá" in page.inner_text("main")
    rating = Rating.objects.get(dossier=finished_dossier)
    assert (rating.channel, rating.satisfied, rating.score_result) == ("lookup", True, 5)

    # Coming back to the link: no form any more.
    page.goto(rate_url)
    assert "đã được đánh giá" in page.inner_text("main")
    assert page.locator("form.rating-form").count() == 0

    # The stale tab sends its answers: refused with the reason, nothing changed.
    for key in ("access", "procedure", "officials", "result", "feedback"):
        second.check(f"#id_score_{key}_0")
    second.check("#id_satisfied_1")
    second.click("button[type=submit]")
    second.wait_for_load_state()
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in second.inner_text("main")
    assert Rating.objects.filter(dossier=finished_dossier).count() == 1
    assert Rating.objects.get(dossier=finished_dossier).satisfied is True
    assert page.console_errors == []
