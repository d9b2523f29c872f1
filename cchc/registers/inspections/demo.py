"""Demo inspection register of xã Đức Xương (plan II.1đ: inspect how departments
handle procedures): a plan each year, its inspections of the one-stop office and
departments (one postponed), an unplanned check of office hours, recommendations
with deadlines — most done on time, one late, one still open. `PLANS` is plain
data, so tests can count it by hand."""

from __future__ import annotations

from datetime import date

from cchc.core.demo import DemoLog
from cchc.org.models import Department, Unit, User

from . import services
from .models import Inspection, InspectionPlan, Kind

# year → (number, issued, [(dept code, kind, scope, planned, conducted | None | "cancel", findings,
#         [(recommendation, responsible dept, due, handled | None, result)])])
PLANS = {
    2024: (
        "19/KH-UBND",
        date(2024, 1, 20),
        [
            (
                "vp-hdnd-ubnd",
                Kind.PROCEDURES,
                "Tiếp nhận, giải quyết, trả kết quả TTHC; niêm yết công khai TTHC",
                date(2024, 5, 15),
                date(2024, 5, 16),
                "Tiếp nhận đúng quy trình; một số TTHC lĩnh vực hộ tịch niêm yết chưa cập nhật theo quyết định công bố mới; "
                "sổ theo dõi hồ sơ ghi chưa đầy đủ cột ngày trả kết quả.",
                [
                    (
                        "Niêm yết lại bộ TTHC lĩnh vực hộ tịch theo quyết định công bố mới",
                        "vp-hdnd-ubnd",
                        date(2024, 6, 15),
                        date(2024, 6, 10),
                        "Đã niêm yết lại 24 TTHC tại Bộ phận Một cửa.",
                    ),
                    (
                        "Cập nhật đầy đủ sổ theo dõi hồ sơ và phiếu kiểm soát quá trình giải quyết",
                        "vp-hdnd-ubnd",
                        date(2024, 6, 30),
                        date(2024, 7, 8),
                        "Đã rà soát, bổ sung sổ theo dõi từ tháng 01/2024.",
                    ),
                ],
            ),
            (
                "tu-phap-ho-tich",
                Kind.CCHC,
                "Thực hiện nhiệm vụ CCHC lĩnh vực tư pháp, hộ tịch; số hóa hồ sơ",
                date(2024, 8, 20),
                date(2024, 8, 22),
                "Hoàn thành các nhiệm vụ được giao; tỷ lệ số hóa kết quả giải quyết TTHC hộ tịch còn thấp.",
                [
                    (
                        "Số hóa hồ sơ, kết quả giải quyết TTHC lĩnh vực hộ tịch năm 2024",
                        "tu-phap-ho-tich",
                        date(2024, 10, 31),
                        date(2024, 10, 25),
                        "Đã số hóa 100% kết quả đăng ký khai sinh, kết hôn năm 2024.",
                    ),
                ],
            ),
            (
                "dia-chinh-xay-dung",
                Kind.PROCEDURES,
                "Giải quyết TTHC lĩnh vực đất đai, xây dựng",
                date(2024, 11, 12),
                "cancel",
                "Hoãn do tập trung giải phóng mặt bằng dự án đường huyện.",
                [],
            ),
        ],
    ),
    2025: (
        "11/KH-UBND",
        date(2025, 1, 15),
        [
            (
                "vp-hdnd-ubnd",
                Kind.PROCEDURES,
                "Giải quyết TTHC trực tuyến, thanh toán trực tuyến",
                date(2025, 4, 10),
                date(2025, 4, 10),
                "Tỷ lệ hồ sơ trực tuyến tăng; còn hồ sơ trực tuyến tiếp nhận chậm quá 1 ngày làm việc.",
                [
                    (
                        "Tiếp nhận hồ sơ trực tuyến trong ngày làm việc kể từ khi người dân nộp",
                        "vp-hdnd-ubnd",
                        date(2025, 5, 30),
                        date(2025, 5, 20),
                        "Đã phân công công chức kiểm tra hồ sơ trực tuyến 2 lần/ngày.",
                    ),
                ],
            ),
            (
                "dia-chinh-xay-dung",
                Kind.PROCEDURES,
                "Giải quyết TTHC lĩnh vực đất đai, xây dựng",
                date(2025, 9, 16),
                date(2025, 9, 18),
                "Một số hồ sơ đất đai giải quyết quá hạn chưa có văn bản xin lỗi người dân.",
                [
                    (
                        "Thực hiện văn bản xin lỗi, hẹn lại ngày trả kết quả đối với hồ sơ quá hạn",
                        "dia-chinh-xay-dung",
                        date(2025, 10, 31),
                        None,
                        "",
                    ),
                ],
            ),
        ],
    ),
    2026: (
        "08/KH-UBND",
        date(2026, 1, 12),
        [
            (
                "van-hoa-xa-hoi",
                Kind.CCHC,
                "Cập nhật trang thông tin điện tử, tuyên truyền CCHC",
                date(2026, 5, 12),
                date(2026, 5, 13),
                "Trang thông tin điện tử cập nhật thường xuyên; chuyên mục CCHC chưa có mục hỏi – đáp.",
                [
                    (
                        "Mở chuyên mục hỏi – đáp về TTHC trên trang thông tin điện tử của xã",
                        "van-hoa-xa-hoi",
                        date(2026, 7, 31),
                        date(2026, 7, 20),
                        "Đã mở chuyên mục, đăng 12 câu hỏi thường gặp.",
                    ),
                    (
                        "Đăng tải kết quả giải quyết TTHC hằng tháng",
                        "van-hoa-xa-hoi",
                        date(2026, 12, 31),
                        None,
                        "",
                    ),
                ],
            ),
            (
                "tu-phap-ho-tich",
                Kind.PROCEDURES,
                "Giải quyết TTHC lĩnh vực hộ tịch, chứng thực",
                date(2026, 12, 8),
                None,
                "",
                [],
            ),
        ],
    ),
}
UNPLANNED = [
    (
        "vp-hdnd-ubnd",
        Kind.DISCIPLINE,
        "Kiểm tra đột xuất việc chấp hành giờ giấc làm việc tại Bộ phận Một cửa",
        date(2024, 3, 5),
        "Công chức có mặt đúng giờ; đeo thẻ công chức đầy đủ.",
    ),
]


def load(log: DemoLog, today: date) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        return
    office = User.objects.filter(unit=commune, username="vanphong").first()
    departments = {d.code: d for d in Department.objects.filter(commune=commune)}
    made = had = 0
    for year, (number, issued, items) in PLANS.items():
        if issued > today:
            continue
        if InspectionPlan.objects.filter(commune=commune, year=year).exists():
            had += 1
            continue
        plan = services.plan_save(user=office, commune=commune, year=year, number=number, issued_on=issued)
        made += 1
        for code, kind, scope, planned, conducted, findings, recommendations in items:
            inspection = services.inspection_plan_add(
                user=office,
                plan=plan,
                kind=kind,
                department=departments.get(code),
                subject="",
                scope=scope,
                planned_on=planned,
                team_lead="Phạm Thị Lan",
            )
            if conducted == "cancel":
                if planned <= today:
                    services.inspection_act(
                        user=office, inspection=inspection, action="cancel", note=findings
                    )
                continue
            if conducted is None or conducted > today:
                continue
            inspection = services.inspection_act(
                user=office,
                inspection=inspection,
                action="conduct",
                conducted_on=conducted,
                findings=findings,
                conclusion_ref=f"Thông báo kết luận kiểm tra ngày {conducted:%d/%m/%Y}",
                today=today,
            )
            _recommend(office, inspection, departments, recommendations, today)
    for code, kind, subject, conducted, findings in UNPLANNED:
        if conducted > today:
            continue
        if Inspection.objects.filter(commune=commune, plan__isnull=True, conducted_on=conducted).exists():
            had += 1
            continue
        services.inspection_record(
            user=office,
            commune=commune,
            kind=kind,
            department=departments.get(code),
            subject="",
            scope=subject,
            conducted_on=conducted,
            findings=findings,
            team_lead="Đỗ Trọng Tuệ",
            today=today,
        )
        made += 1
    if made:
        log.made(f"{made} kế hoạch, cuộc kiểm tra CCHC ({commune})", count=made)
    if had:
        log.had(f"{had} kế hoạch, cuộc kiểm tra CCHC ({commune})", count=had)


def _recommend(office, inspection, departments, recommendations, today: date) -> None:
    for text, code, due, handled, result in recommendations:
        recommendation = services.recommendation_save(
            user=office, inspection=inspection, text=text, department=departments.get(code), due_on=due
        )
        if handled and handled <= today:
            services.recommendation_act(
                user=office,
                recommendation=recommendation,
                action="complete",
                on=handled,
                note=result,
                today=today,
            )
