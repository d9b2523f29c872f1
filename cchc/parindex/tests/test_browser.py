"""The whole cycle in a browser: the commune scores with evidence (accepting a score
suggested from its data), the chairman approves and sends, the province appraises one
criterion down with a comment and asks for an explanation, the commune explains, the
province closes the appraisal and publishes."""

import re

import pytest

from cchc.core import figures as catalogue
from cchc.org.models import Role
from cchc.parindex import services
from cchc.parindex.models import Assessment, Status
from cchc.testing import browser_login, make_department, make_unit, make_user

from .helpers import PDF_BYTES, TEST_FIGURES, VALUES, example_spec


def _click(page, text: str) -> None:
    page.click(f"button:has-text('{text}')")
    page.wait_for_load_state("networkidle")


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    browser_login(page, live_server, username)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_cycle_from_self_assessment_to_publication(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    for figure in TEST_FIGURES:
        catalogue.register(figure)
    try:
        province = make_unit("province", "tinh-p", code="000.00.00.P01")
        commune = make_unit("commune", "xa-p", province, code="000.01.01.P01")
        office = make_department(commune, "noi-vu", "Văn phòng Đảng ủy – Nội vụ", is_cchc_office=True)
        make_user("vp_p", Role.CCHC_OFFICE, commune, office)
        make_user("ct_p", Role.CHAIRMAN, commune)
        make_user("tt_p", Role.SUPERIOR_VIEWER, province)
        criteria_set = services.criteria_set_import(
            user=None, owner=province, year=2025, spec=example_spec()
        ).criteria_set
        services.criterion_update(
            user=None, criterion=criteria_set.criteria.get(code="3.2"), figure="test_par.on_time_rate"
        )
        services.criteria_set_open(user=None, criteria_set=criteria_set)
        VALUES.clear()
        VALUES[commune.pk] = {"on_time": 949, "received": 1000}
        a = services.assessment_create(user=None, commune=commune, criteria_set=criteria_set)
        # Every criterion but 1.1 and 3.2 scored beforehand, to keep the walk short.
        for score in a.scores.select_related("criterion"):
            c = score.criterion
            if c.code in ("1.1", "3.2") or c.rule_kind == "survey":
                continue
            if c.rule_kind == "deduction":
                services.score_self(user=None, assessment=a, criterion=c, numerator=0, note="Sổ theo dõi.")
            elif c.rule_obj.is_computed:
                services.score_self(
                    user=None, assessment=a, criterion=c, numerator=1, denominator=1, note="Sổ theo dõi."
                )
            else:
                services.score_self(
                    user=None, assessment=a, criterion=c, points=c.max_points, note="Sổ theo dõi."
                )
        evidence = tmp_path / "ke-hoach-cchc-2025.pdf"
        evidence.write_bytes(PDF_BYTES)
        base = f"{live_server.url}/chi-so-cchc/danh-gia/{a.pk}"

        # The standing office: a suggested score accepted, a score with evidence.
        _login(page, live_server, "vp_p")
        page.goto(f"{base}/tieu-chi/3.2/")
        assert "949/1.000 = 94,90%" in page.inner_text("#self-side")
        _click(page, "Dùng điểm gợi ý (9,49)")
        assert "9,49" in page.inner_text("#self-score")
        page.goto(f"{base}/tieu-chi/1.1/")
        page.fill("#score-form input[name=points]", "3")
        page.fill("#score-form textarea[name=note]", "Kế hoạch số 05/KH-UBND ngày 28/12/2024.")
        page.click("#score-form button:has-text('Lưu điểm')")
        page.wait_for_load_state("networkidle")
        page.set_input_files("#upload-form input[name=files]", str(evidence))
        page.fill("#upload-form input[name=location]", "trang 1–3")
        _click(page, "Tải lên")
        assert "ke-hoach-cchc-2025.pdf" in page.inner_text("#evidence")
        page.goto(f"{base}/")
        _click(page, "Hoàn thành tự đánh giá, trình Chủ tịch")
        assert "Đã tự đánh giá – chờ Chủ tịch duyệt" in page.inner_text("#status")

        # The chairman approves and sends.
        _login(page, live_server, "ct_p")
        page.goto(f"{base}/")
        _click(page, "Duyệt kết quả tự đánh giá")
        _click(page, "Gửi cấp trên thẩm định")
        assert "Đã gửi – chờ thẩm định" in page.inner_text("#status")

        # The province: one criterion down with a comment, an explanation asked for.
        _login(page, live_server, "tt_p")
        page.goto(f"{base}/")
        _click(page, "Bắt đầu thẩm định")
        page.goto(f"{base}/tieu-chi/1.1/")
        assert "ke-hoach-cchc-2025.pdf" in page.inner_text("#evidence")
        page.fill("#appraise-form input[name=points]", "2")
        page.fill("#appraise-form textarea[name=comment]", "Kế hoạch ban hành sau ngày 31/12.")
        page.click("#appraise-form button:has-text('Lưu điểm thẩm định')")
        page.wait_for_load_state("networkidle")
        assert re.search(r"Điểm thẩm định:\s*2", page.inner_text("#appraised-score"))
        assert "3" in page.inner_text("#self-score")
        page.fill("#explanation-form textarea[name=request]", "Giải trình ngày ban hành kế hoạch.")
        _click(page, "Ghi yêu cầu giải trình")
        page.goto(f"{base}/")
        page.fill("#moves input[name=due_date]", "2030-01-15")
        _click(page, "Gửi yêu cầu giải trình")
        assert "Hạn giải trình 15/01/2030" in page.inner_text("#status")

        # The commune explains.
        _login(page, live_server, "vp_p")
        page.goto(f"{base}/tieu-chi/1.1/")
        page.fill(
            ".answer-form textarea[name=response]", "Kế hoạch ký ngày 05/01/2025 do chờ kế hoạch của tỉnh."
        )
        _click(page, "Lưu giải trình")
        page.goto(f"{base}/")
        _click(page, "Gửi giải trình")
        assert "Đã giải trình" in page.inner_text("#status")

        # The province closes the appraisal and publishes.
        _login(page, live_server, "tt_p")
        page.goto(f"{base}/tieu-chi/1.1/")
        assert "Kế hoạch ký ngày 05/01/2025" in page.inner_text("#explanations")
        page.goto(f"{base}/")
        _click(page, "Đồng ý điểm tự chấm cho mọi tiêu chí chưa thẩm định")
        page.goto(f"{base}/tieu-chi/7.2/")
        page.fill("#appraise-form input[name=points]", "5")
        page.click("#appraise-form button:has-text('Lưu điểm thẩm định')")
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/")
        _click(page, "Hoàn thành thẩm định")
        _click(page, "Công bố kết quả")
        assert "Đã công bố" in page.inner_text("#status")
        page.goto(f"{base}/ket-qua/")
        total = page.inner_text("#total-row")
        # Self: 94 of 94 (1.1 at 3, 3.2 at 9,49 → 93,49); appraisal: 1.1 at 2 and the survey 5 → 97,49 of 100.
        assert "93,49" in total and "97,49" in total
        assert page.console_errors == []
        a = Assessment.objects.get(pk=a.pk)
        assert a.status == Status.PUBLISHED
        score = a.scores.get(criterion__code="1.1")
        assert (str(score.self_points), str(score.appraised_points)) == ("3.00", "2.00")
        assert score.evidence.count() == 1
    finally:
        for figure in TEST_FIGURES:
            catalogue._REGISTRY.pop(figure.key, None)
