"""Browser test of the plan import: an officer uploads the seed plan's text, corrects
two things in the preview, saves, and gets a draft whose Word export has the
structure of the original document; and a PDF of it (printed by Chromium) reads the same."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest

from cchc.org.demo import DEPARTMENTS
from cchc.org.models import Role
from cchc.plans.importing import services as imports
from cchc.plans.models import Plan, PlanStatus, Task
from cchc.testing import browser_login, make_department, make_unit, make_user

SEED = Path(__file__).with_name("seed_plan.txt")


def _commune():
    province = make_unit("province", "tinh-i", code="000.00.00.I01")
    commune = make_unit("commune", "xa-i", province, code="000.01.01.I01")
    depts = {
        code: make_department(commune, code, name, order=i, **flags)
        for i, (code, name, flags) in enumerate(DEPARTMENTS, start=1)
    }
    make_user("vp_i", Role.CCHC_OFFICE, commune, depts["vp-dang-uy-noi-vu"])
    return commune, depts


def _structure(parsed: dict) -> list:
    return [(a["kind"], len(a["tasks"]), [t["content"][:60] for t in a["tasks"]]) for a in parsed["areas"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_imports_the_seed_corrects_two_things_and_saves_a_draft(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    commune, depts = _commune()
    browser_login(page, live_server, "vp_i")
    page.goto(f"{live_server.url}/ke-hoach/")
    page.click("text=nhập từ văn bản kế hoạch đã có")
    page.set_input_files("input[name=file]", str(SEED))
    page.fill("input[name=year]", "2024")
    page.click("button:has-text('Đọc và xem trước')")
    page.wait_for_load_state("networkidle")

    assert "Đọc được 8 lĩnh vực, 34 nhiệm vụ" in page.inner_text("main")
    repairs = page.inner_text("#repairs")
    assert "Côngtácchỉ → Công tác chỉ" in repairs and "ant oàn → an toàn" in repairs
    assert "(Để báo cáo)" in page.inner_text("#unplaced")
    assert page.locator("#source li").count() > 300
    # Two corrections: the radio leads the publicity task (1.c), and the local
    # programme gets a longer name.
    page.select_option("select[name='a0-t2-lead']", label="Đài truyền thanh xã")
    page.fill("input[name='a7-title']", "Xây dựng chính quyền thân thiện, vì nhân dân phục vụ")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")

    assert "Đã lưu dự thảo kế hoạch năm 2024" in page.inner_text(".messages")
    plan = Plan.objects.get(commune=commune, year=2024)
    assert plan.status == PlanStatus.DRAFT
    assert Task.objects.filter(area__plan=plan).count() == 34
    publicity = plan.areas.get(kind="direction").tasks.get(position=2)
    assert publicity.lead_department == depts["dai-truyen-thanh"]
    assert plan.areas.get(kind="local").title == "Xây dựng chính quyền thân thiện, vì nhân dân phục vụ"
    assert "seed_plan.txt" in page.inner_text("main")  # the source file, downloadable from the plan

    with page.expect_download() as download:
        page.click("text=Tải văn bản (.docx)")
    exported = Path(download.value.path()).read_bytes()
    again = imports.read_document(name="export.docx", data=exported, commune=commune)
    original = imports.read_document(name="seed.txt", data=SEED.read_bytes(), commune=commune, year=2024)
    assert [k for k, n, _ in _structure(again)] == [k for k, n, _ in _structure(original)]
    assert (
        [n for _, n, _ in _structure(again)]
        == [n for _, n, _ in _structure(original)]
        == [6, 3, 6, 4, 5, 4, 5, 1]
    )
    assert [c for _, _, c in _structure(again)] == [c for _, _, c in _structure(original)]
    assert again["areas"][0]["tasks"][2]["lead"]["department_id"] == depts["dai-truyen-thanh"].pk
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db
def test_a_pdf_of_the_plan_reads_like_its_text(page):
    commune, _ = _commune()
    text = SEED.read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    page.set_content(
        f"<html><head><meta charset='utf-8'></head><body style='font-family:serif;font-size:13pt'>{body}</body></html>"
    )
    pdf = page.pdf(format="A4")
    parsed = imports.read_document(name="seed.pdf", data=pdf, commune=commune, year=2024)
    original = imports.read_document(name="seed.txt", data=SEED.read_bytes(), commune=commune, year=2024)
    assert _structure(parsed) == _structure(original)
    assert io.BytesIO(pdf).read(5) == b"%PDF-"
