"""Demo reform budget of xã Đức Xương (plan IV: the commune budget funds the reform
tasks): each year an estimate for the tasks that cost money — communication, the
one-stop office and ISO upkeep, training, inspection and scoring, digital
government — allotted in January, and the amounts spent through the year with
their vouchers. `ENTRIES` is plain data, so tests can add it up by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.core.demo import DemoLog
from cchc.org.models import Unit, User
from cchc.plans.models import AreaKind, Plan, Task

from . import services
from .models import Expense, ExpenseKind

E, S = ExpenseKind.ESTIMATE, ExpenseKind.SPENT

# (area kind, task position) → [(kind, month, day, amount, voucher, note)], the same each year.
ENTRIES = {
    (AreaKind.DIRECTION, 2): [
        (E, 1, 10, 15_000_000, "QĐ giao dự toán", "Tuyên truyền CCHC trên đài truyền thanh, pano, tờ rơi"),
        (S, 3, 28, 4_800_000, "PC 031", "In, treo 12 băng rôn tuyên truyền dịch vụ công trực tuyến"),
        (S, 5, 12, 2_500_000, "PC 058", "In 1.500 tờ rơi hướng dẫn TTHC"),
        (S, 11, 20, 3_600_000, "PC 142", "Bồi dưỡng biên tập, phát thanh tin CCHC cả năm"),
    ],
    (AreaKind.DIRECTION, 4): [
        (E, 1, 10, 5_000_000, "QĐ giao dự toán", "Kiểm tra CCHC, tự chấm điểm Chỉ số CCHC"),
        (S, 8, 25, 2_200_000, "PC 101", "Chi đoàn kiểm tra CCHC"),
    ],
    (AreaKind.PROCEDURES, 0): [
        (E, 1, 10, 20_000_000, "QĐ giao dự toán", "Vận hành Bộ phận Một cửa, kiểm soát TTHC"),
        (S, 2, 26, 12_000_000, "PC 022", "Mua máy quét, ki-ốt đánh giá sự hài lòng"),
        (S, 9, 16, 5_500_000, "PC 119", "Niêm yết lại bộ TTHC, văn phòng phẩm Bộ phận Một cửa"),
    ],
    (AreaKind.CIVIL_SERVICE, 2): [
        (E, 1, 10, 10_000_000, "QĐ giao dự toán", "Cử cán bộ, công chức đi đào tạo, bồi dưỡng"),
        (S, 4, 18, 3_200_000, "PC 046", "Công tác phí lớp bồi dưỡng CCHC của Sở Nội vụ"),
        (S, 7, 12, 1_800_000, "PC 084", "Hỗ trợ học viên lớp kỹ năng số"),
    ],
    (AreaKind.DIGITAL, 4): [
        (E, 1, 10, 30_000_000, "QĐ giao dự toán", "Duy trì hệ thống quản lý chất lượng ISO 9001:2015"),
        (E, 6, 30, -5_000_000, "QĐ điều chỉnh dự toán", "Điều chỉnh giảm do đơn vị tư vấn giảm giá"),
        (S, 10, 8, 18_000_000, "UNC 27", "Hợp đồng tư vấn đánh giá nội bộ ISO"),
    ],
}


def demo_entries(year: int, today: date) -> list[tuple]:
    """(area kind, task position, kind, date, amount, voucher, note) of `year`, up to `today`."""
    out = []
    for (area, position), rows in ENTRIES.items():
        for kind, month, day, amount, voucher, note in rows:
            on = date(year, month, day)
            if on <= today:
                out.append((area, position, kind, on, Decimal(amount), f"{voucher}/{year}", note))
    return out


def load(log: DemoLog, today: date) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        return
    accountant = User.objects.filter(unit=commune, username="taichinh").first()
    had = 0
    for plan in Plan.objects.filter(commune=commune, status__in=services.OPEN_PLAN_STATUSES):
        if Expense.objects.filter(task__area__plan=plan).exists():
            had += 1
            continue
        tasks = {
            (t.area.kind, t.position): t for t in Task.objects.filter(area__plan=plan).select_related("area")
        }
        count = 0
        for area, position, kind, on, amount, voucher, note in demo_entries(plan.year, today):
            task = tasks.get((area, position))
            if task is None:
                continue
            services.expense_save(
                user=accountant,
                commune=commune,
                task=task,
                kind=kind,
                amount=amount,
                on=on,
                voucher=voucher,
                note=note,
                today=today,
            )
            count += 1
        if count:
            log.made(f"{count} khoản kinh phí CCHC kế hoạch năm {plan.year} ({commune})", count=count)
    if had:
        log.had(f"kinh phí CCHC của {had} kế hoạch ({commune})", count=had)
