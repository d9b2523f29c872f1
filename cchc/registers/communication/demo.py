"""Demo communication register of xã Đức Xương, as its plan asks (II.1c, V.6): the
radio station's weekly CCHC pieces, news on the commune page, the yearly conference
launching the plan, banners and leaflets on online public services, Zalo posts —
from 2024 up to today; and a few rows for xã Gia Lộc (so that scoping shows).

`demo_items(commune_slug, today)` is plain data, so tests can count it by hand."""

from __future__ import annotations

from datetime import date

from cchc.core.demo import DemoLog
from cchc.org.models import Department, Unit, User

from . import services
from .models import Channel, CommunicationItem, Topic

RADIO = [
    ("Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia", Topic.PROCEDURES),
    ("Kích hoạt tài khoản định danh điện tử VNeID mức độ 2", Topic.DIGITAL),
    ("Thanh toán phí, lệ phí trực tuyến khi làm thủ tục hành chính", Topic.PROCEDURES),
    ("Quy định tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", Topic.PROCEDURES),
    ("Quy tắc ứng xử của cán bộ, công chức tại Bộ phận Một cửa", Topic.CIVIL_SERVICE),
    ("Kết quả thực hiện cải cách hành chính của xã", Topic.GENERAL),
    ("Đánh giá sự hài lòng khi giải quyết thủ tục hành chính", Topic.PROCEDURES),
    ("Xây dựng chính quyền số, xã hội số trên địa bàn xã", Topic.DIGITAL),
]
NEWS = [
    ("UBND xã triển khai Kế hoạch cải cách hành chính năm {y}", Topic.GENERAL),
    ("Bộ phận Một cửa xã tiếp nhận hồ sơ trực tuyến toàn trình", Topic.PROCEDURES),
    ("Người dân có thể tra cứu tình trạng hồ sơ bằng mã QR trên giấy hẹn", Topic.PROCEDURES),
    ("Kết quả giải quyết thủ tục hành chính {q} năm {y}", Topic.GENERAL),
    ("Hướng dẫn đăng ký khai sinh trực tuyến liên thông", Topic.PROCEDURES),
    ("Xã Đức Xương đẩy mạnh chuyển đổi số trong giải quyết thủ tục hành chính", Topic.DIGITAL),
]
QUARTER_NAMES = {1: "quý I", 2: "quý II", 3: "quý III", 4: "quý IV"}


def _month_days(start: date, today: date):
    cursor = date(start.year, start.month, 1)
    while cursor <= today:
        yield cursor
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)


def demo_items(commune_slug: str, today: date) -> list[dict]:
    """The demo rows of a commune from 1/1/2024 to `today` (deterministic)."""
    out: list[dict] = []
    if commune_slug == "gialoc":
        for year in (2024, 2025, 2026):
            on = date(year, 3, 20)
            if on <= today:
                out.append(
                    dict(
                        channel=Channel.RADIO,
                        topic=Topic.GENERAL,
                        title=f"Tuyên truyền cải cách hành chính xã Gia Lộc năm {year}",
                        on=on,
                        duration_minutes=10,
                        times=2,
                        dept="dai-truyen-thanh",
                    )
                )
        return out
    for index, first in enumerate(_month_days(date(2024, 1, 1), today)):
        y, m = first.year, first.month
        # Two radio pieces a month (Tuesday-ish and a fortnight later), broadcast 3 times each.
        for k, day in enumerate((6, 20)):
            on = date(y, m, day)
            if on > today:
                continue
            title, topic = RADIO[(index * 2 + k) % len(RADIO)]
            out.append(
                dict(
                    channel=Channel.RADIO,
                    topic=topic,
                    title=f"{title} (tháng {m}/{y})",
                    on=on,
                    duration_minutes=10 + 5 * k,
                    times=3,
                    dept="dai-truyen-thanh",
                    summary="Phát trên hệ thống loa truyền thanh các thôn vào 6h30 và 17h00.",
                )
            )
        # One news item on the commune page every month, public.
        on = date(y, m, 12)
        if on <= today:
            title, topic = NEWS[index % len(NEWS)]
            quarter = (m - 1) // 3 + 1
            title = title.format(y=y, q=QUARTER_NAMES[quarter])
            out.append(
                dict(
                    channel=Channel.NEWS,
                    topic=topic,
                    title=title,
                    on=on,
                    dept="van-hoa-xa-hoi",
                    summary=f"{title}. Tin do Văn hóa – Thông tin xã biên soạn.",
                    body=(
                        f"{title}.\nỦy ban nhân dân xã Đức Xương đề nghị người dân, tổ chức tiếp tục phối hợp, "
                        "sử dụng dịch vụ công trực tuyến và phản ánh, kiến nghị về quy định hành chính qua "
                        "trang công khai của xã hoặc trực tiếp tại Bộ phận Một cửa."
                    ),
                    is_public=True,
                )
            )
        # A Zalo post in the months of the online-services campaign.
        if m in (3, 4, 9, 10) and date(y, m, 25) <= today:
            out.append(
                dict(
                    channel=Channel.SOCIAL,
                    topic=Topic.DIGITAL,
                    title=f"Đăng hướng dẫn dịch vụ công trực tuyến lên nhóm Zalo các thôn (tháng {m}/{y})",
                    on=date(y, m, 25),
                    times=7,
                    dept="van-hoa-xa-hoi",
                )
            )
    for y in (2024, 2025, 2026):
        rows = [
            dict(
                channel=Channel.CONFERENCE,
                topic=Topic.GENERAL,
                title=f"Hội nghị triển khai Kế hoạch cải cách hành chính năm {y}",
                on=date(y, 1, 15),
                audience=62 + y % 10,
                place="Hội trường UBND xã",
                dept="vp-dang-uy-noi-vu",
            ),
            dict(
                channel=Channel.VISUAL,
                topic=Topic.PROCEDURES,
                title="Treo băng rôn “Nộp hồ sơ trực tuyến – tiết kiệm thời gian, chi phí”",
                on=date(y, 3, 26),
                quantity=12,
                place="Trụ sở UBND xã và 6 nhà văn hóa thôn",
                dept="van-hoa-xa-hoi",
            ),
            dict(
                channel=Channel.PRINT,
                topic=Topic.PROCEDURES,
                title=f"Phát tờ rơi hướng dẫn thủ tục hành chính thường gặp năm {y}",
                on=date(y, 5, 10),
                quantity=1500,
                place="Bộ phận Một cửa và các thôn",
                dept="vp-hdnd-ubnd",
            ),
            dict(
                channel=Channel.CONFERENCE,
                topic=Topic.DIGITAL,
                title=f"Tập huấn tổ công nghệ số cộng đồng hướng dẫn người dân dùng VNeID năm {y}",
                on=date(y, 8, 22),
                audience=38,
                place="Nhà văn hóa thôn Đồng Tâm",
                dept="van-hoa-xa-hoi",
            ),
        ]
        out.extend(r for r in rows if r["on"] <= today)
    return sorted(out, key=lambda r: (r["on"], r["title"]))


def load(log: DemoLog, today: date) -> None:
    for slug in ("ducxuong", "gialoc"):
        commune = Unit.objects.filter(slug=slug).first()
        if commune is None:
            continue
        departments = {d.code: d for d in Department.objects.filter(commune=commune)}
        author = (
            User.objects.filter(unit=commune, department__code="dai-truyen-thanh").first()
            or User.objects.filter(unit=commune, role="cchc_office").first()
        )
        made = had = 0
        for row in demo_items(slug, today):
            values = dict(row)
            values["department"] = departments.get(values.pop("dept"))
            exists = CommunicationItem.objects.filter(
                commune=commune, channel=values["channel"], on=values["on"], title=values["title"]
            ).exists()
            if exists:
                had += 1
                continue
            services.communication_save(user=author, commune=commune, today=today, **values)
            made += 1
        if made:
            log.made(f"{made} dòng sổ tuyên truyền CCHC ({commune})", count=made)
        if had:
            log.had(f"{had} dòng sổ tuyên truyền CCHC ({commune})", count=had)
