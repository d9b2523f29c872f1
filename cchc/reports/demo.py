"""Demo reports of xã Đức Xương for 2024: the first-quarter, six-month and
third-quarter reports written, approved and sent (the six-month one two days
late), and the annual report in progress — some sections accepted, one returned
for corrections, one submitted late, others still to write — so that the office
can finish it, the chairman approve it and the province see it, from the UI.
Re-runnable: a report that exists is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time

from cchc.core import figures
from cchc.core.demo import DemoLog
from cchc.core.periods import Period
from cchc.core.workcal import TZ
from cchc.org.models import Unit, User

from . import services
from .models import Report, Section, SectionKind


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), TZ)


def _quote(key: str, before: str, after: str = "") -> str:
    """'{before}{{key}}{after}' when the catalogue has the figure, else nothing
    (the demo runs whichever figures the installed apps declare)."""
    try:
        figures.get(key)
    except figures.UnknownFigure:
        return ""
    return f"{before}{{{{{key}}}}}{after}"


def _text(section: Section, period: Period) -> str:
    when = period.label.lower()
    if section.kind == SectionKind.GENERAL:
        return (
            f"Trong {when}, UBND xã tiếp tục quán triệt, triển khai Kế hoạch CCHC năm 2024; công tác CCHC được "
            "gắn với nhiệm vụ phát triển kinh tế - xã hội của địa phương.\n"
            "- Ban hành kế hoạch, văn bản chỉ đạo, đôn đốc các bộ phận thực hiện nhiệm vụ CCHC;\n"
            "- Kiện toàn Bộ phận Một cửa, niêm yết công khai thủ tục hành chính tại trụ sở và trên cổng thông tin."
        )
    if section.kind == SectionKind.LIMITATIONS:
        return (
            "Một số hồ sơ còn giải quyết quá hạn do phải xác minh, lấy ý kiến cơ quan liên quan.\n"
            "Tỷ lệ hồ sơ nộp trực tuyến còn thấp; một bộ phận người dân chưa quen sử dụng dịch vụ công trực tuyến.\n"
            "Nguyên nhân: cán bộ, công chức kiêm nhiệm nhiều việc; trang thiết bị phục vụ số hóa còn thiếu."
        )
    if section.kind == SectionKind.NEXT_TASKS:
        return (
            "- Tiếp tục thực hiện các nhiệm vụ còn lại của Kế hoạch CCHC năm 2024;\n"
            "- Đẩy mạnh hướng dẫn người dân nộp hồ sơ trực tuyến, thanh toán trực tuyến;\n"
            "- Nâng cao chất lượng tiếp nhận, giải quyết và trả kết quả tại Bộ phận Một cửa."
        )
    if section.kind == SectionKind.PROPOSALS:
        return "Đề nghị UBND tỉnh, Sở Nội vụ tiếp tục tổ chức tập huấn nghiệp vụ CCHC, chuyển đổi số cho công chức cấp xã."
    area = section.area.kind if section.area else ""
    return {
        "direction": "UBND xã ban hành Kế hoạch CCHC năm 2024, kế hoạch tuyên truyền CCHC; tổ chức kiểm tra CCHC "
        "đối với các bộ phận chuyên môn."
        + _quote("reports.sent_on_time", " Số báo cáo CCHC định kỳ gửi đúng hạn: ", "."),
        "institutions": "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND xã ban hành; không phát hiện "
        "văn bản trái pháp luật. Tổ chức phổ biến, giáo dục pháp luật cho nhân dân.",
        "procedures": "Niêm yết công khai đầy đủ thủ tục hành chính thuộc thẩm quyền giải quyết của xã."
        + _quote("dossiers.received", " Trong kỳ, Bộ phận Một cửa tiếp nhận ", ";")
        + _quote("dossiers.on_time_rate", " tỷ lệ giải quyết đúng hạn đạt ", "."),
        "organisation": "Rà soát chức năng, nhiệm vụ của các bộ phận chuyên môn; bố trí công chức đúng vị trí việc làm.",
        "civil_service": "Thực hiện đánh giá, xếp loại cán bộ, công chức gắn với kết quả thực hiện nhiệm vụ; chấn "
        "chỉnh kỷ luật, kỷ cương hành chính.",
        "public_finance": "Quản lý, sử dụng ngân sách xã đúng quy định; công khai dự toán, quyết toán ngân sách.",
        "digital": "Duy trì sử dụng hệ thống quản lý văn bản và điều hành; 100% văn bản đi được ký số."
        + _quote("dossiers.online_rate", " Tỷ lệ hồ sơ trực tuyến đạt ", "."),
        "local": "Thực hiện Đề án chính quyền thân thiện: bố trí ghế ngồi, nước uống, hướng dẫn tận tình cho người dân.",
    }.get(area, "Thực hiện đầy đủ các nhiệm vụ theo kế hoạch.")


def _write_all(report: Report, people: dict, office: User, *, day: date, accept: bool = True) -> None:
    for section in report.sections.select_related("area", "department"):
        writer = people.get(section.department_id, office)
        services.section_save(user=writer, section=section, body=_text(section, report.period))
        services.section_act(user=writer, section=section, action="submit", at=_at(day))
        if accept:
            services.section_act(user=office, section=section, action="accept", at=_at(day, 15))


def _sent(
    log: DemoLog, commune: Unit, users: dict, people: dict, period: Period, *, days: tuple, number: str
) -> None:
    """days: (created, sections written, submitted, approved, sent)."""
    if Report.objects.filter(commune=commune, period_code=period.code).exists():
        log.had(f"báo cáo CCHC {period.label}")
        return
    office, chairman = users["vanphong"], users["chutich"]
    created, written, submitted, approved, sent = days
    report = services.report_create(user=office, commune=commune, period=period, at=_at(created))
    _write_all(report, people, office, day=written)
    services.report_act(user=office, report=report, action="submit", at=_at(submitted))
    services.report_act(user=chairman, report=report, action="approve", at=_at(approved, 14))
    services.report_act(
        user=office, report=report, action="send", number=number, issued_on=sent, at=_at(sent, 16)
    )
    log.made(f"báo cáo CCHC {period.label} (số {number}/BC-UBND, gửi {sent:%d/%m/%Y})")


def _annual_in_progress(log: DemoLog, commune: Unit, users: dict, people: dict) -> None:
    period = Period.year_of(2024)
    if Report.objects.filter(commune=commune, period_code=period.code).exists():
        log.had(f"báo cáo CCHC {period.label}")
        return
    office = users["vanphong"]
    report = services.report_create(user=office, commune=commune, period=period, at=_at(date(2024, 12, 2)))
    sections = list(report.sections.select_related("area", "department"))
    due = sections[0].due_date
    plan = {  # what happened to each section so far
        SectionKind.GENERAL: "accepted",
        "institutions": "submitted",
        "procedures": "accepted",
        "organisation": "returned",
        "public_finance": "late",
        "direction": "accepted",
    }
    made = 0
    for section in sections:
        key = (
            section.kind if section.kind != SectionKind.AREA else (section.area.kind if section.area else "")
        )
        state = plan.get(key)
        if state is None:
            continue  # still to write: civil service, digital, local programme, the closing parts
        writer = people.get(section.department_id, office)
        services.section_save(user=writer, section=section, body=_text(section, period))
        day = date(2024, 12, 12) if state == "late" else date(2024, 12, 9)
        services.section_act(user=writer, section=section, action="submit", at=_at(day))
        if state == "accepted":
            services.section_act(user=office, section=section, action="accept", at=_at(day, 15))
        elif state == "returned":
            services.section_act(
                user=office,
                section=section,
                action="return",
                note="Bổ sung kết quả rà soát vị trí việc làm và số liệu biên chế cuối năm.",
                at=_at(date(2024, 12, 10)),
            )
        made += 1
    log.made(
        f"báo cáo CCHC {period.label} đang soạn ({made}/{len(sections)} phần đã nộp; hạn nộp {due:%d/%m/%Y})"
    )


def load(log: DemoLog) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        log.had("(chưa có xã Đức Xương: bỏ qua báo cáo CCHC)")
        return
    users = {u.username: u for u in User.objects.filter(unit=commune)}
    if not {"vanphong", "chutich"} <= set(users):
        log.had("(thiếu tài khoản mẫu: bỏ qua báo cáo CCHC)")
        return
    # One writer per department: the department's head, else a member.
    people: dict[int, User] = {}
    for user in users.values():
        if user.department_id and user.role != "chairman":
            people.setdefault(user.department_id, user)
    _sent(
        log,
        commune,
        users,
        people,
        Period.quarter(2024, 1),
        days=(date(2024, 3, 1), date(2024, 3, 8), date(2024, 3, 12), date(2024, 3, 13), date(2024, 3, 14)),
        number="25",
    )
    _sent(
        log,
        commune,
        users,
        people,
        Period.half(2024),
        days=(date(2024, 6, 3), date(2024, 6, 12), date(2024, 6, 14), date(2024, 6, 17), date(2024, 6, 17)),
        number="68",
    )
    _sent(
        log,
        commune,
        users,
        people,
        Period.quarter(2024, 3),
        days=(date(2024, 9, 3), date(2024, 9, 9), date(2024, 9, 11), date(2024, 9, 12), date(2024, 9, 13)),
        number="102",
    )
    _annual_in_progress(log, commune, users, people)
