"""Demo petitions for xã Đức Xương in every state (some published with answers,
some due soon or overdue). Dates are counted in working days back from today, so
the lists look alive whenever the demo is loaded. Re-runnable: a petition whose
subject already exists in the commune is left alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cchc.core.demo import DemoLog
from cchc.core.workcal import TZ, get_calendar
from cchc.org.models import Department, Unit, User
from cchc.procedures.models import Procedure

from .models import Channel, Petition
from .services import petition_act, petition_rate, petition_submit

ANSWER_CHUNG_THUC = (
    "UBND xã Đức Xương trả lời như sau: theo Nghị định 23/2015/NĐ-CP, thời hạn chứng thực bản sao từ "
    "bản chính là trong ngày cơ quan tiếp nhận yêu cầu hoặc ngày làm việc tiếp theo nếu tiếp nhận sau 15 "
    "giờ. Từ tháng này, Bộ phận Một cửa bố trí thêm một công chức chứng thực vào buổi sáng thứ Hai và thứ "
    "Sáu, là những ngày đông người, để người dân nhận bản sao ngay trong buổi."
)
ANSWER_KHAI_SINH = (
    "Bộ phận Một cửa đã niêm yết lại đầy đủ thủ tục đăng ký khai sinh (thành phần hồ sơ, thời hạn, lệ phí) "
    "tại bảng công khai và trên trang thông tin điện tử của xã. Cảm ơn ý kiến phản ánh của người dân."
)
ANSWER_KET_HON = (
    "Thủ tục đăng ký kết hôn đã được cung cấp dưới hình thức dịch vụ công trực tuyến một phần trên Cổng "
    "Dịch vụ công quốc gia. Người dân nộp hồ sơ trực tuyến, sau đó hai bên nam, nữ có mặt tại UBND xã để "
    "ký Giấy chứng nhận kết hôn theo quy định của Luật Hộ tịch."
)
ANSWER_DAT_DAI = (
    "Thành phần hồ sơ đăng ký biến động đất đai gồm: đơn đăng ký biến động theo mẫu; bản gốc Giấy chứng "
    "nhận đã cấp; văn bản, hợp đồng chuyển quyền có công chứng hoặc chứng thực. Hồ sơ nộp tại Bộ phận Một "
    "cửa của xã; xã đã bổ sung bảng hướng dẫn chi tiết tại quầy tiếp nhận."
)


def _working_days_ago(n: int, today: date) -> date:
    cal = get_calendar()
    day = today if cal.is_working_day(today) else cal.previous_working_day(today)
    for _ in range(n):
        day = cal.previous_working_day(day)
    return day


SCENARIOS: list[dict] = [
    {
        "subject": "Đề nghị rút ngắn thời gian chờ chứng thực bản sao",
        "name": "Nguyễn Văn Bình",
        "address": "Thôn Phú Thọ, xã Đức Xương",
        "phone": "0912 345 671",
        "content": "Sáng thứ Hai tôi chờ hơn hai tiếng để chứng thực bản sao giấy tờ. Đề nghị xã bố trí thêm "
        "người chứng thực vào những ngày đông người.",
        "received": 40,
        "procedure": "chứng thực",
        "steps": [
            ("accept", 39, "motcua", {}),
            ("assign", 39, "motcua", {"department": "tu-phap-ho-tich"}),
            ("answer", 33, "tuphap", {"answer": ANSWER_CHUNG_THUC}),
            ("approve", 32, "chutich", {}),
            (
                "publish",
                31,
                "motcua",
                {
                    "public_title": "Thời gian chờ chứng thực bản sao vào đầu tuần",
                    "public_summary": "Người dân phản ánh phải chờ lâu khi chứng thực bản sao vào sáng thứ "
                    "Hai và đề nghị bố trí thêm người chứng thực.",
                },
            ),
        ],
        "rating": (True, "Xã đã bố trí thêm người, lần sau tôi chỉ chờ 15 phút."),
    },
    {
        "subject": "Bảng niêm yết thủ tục khai sinh thiếu thông tin lệ phí",
        "name": "Trần Thị Thu",
        "address": "Thôn Đông Cận, xã Đức Xương",
        "phone": "0983 222 614",
        "content": "Bảng niêm yết thủ tục đăng ký khai sinh tại xã không ghi lệ phí và thời hạn giải quyết.",
        "received": 30,
        "procedure": "khai sinh",
        "steps": [
            ("accept", 29, "vanphong", {}),
            ("assign", 29, "vanphong", {"department": "vp-hdnd-ubnd"}),
            ("answer", 25, "motcua", {"answer": ANSWER_KHAI_SINH}),
            ("approve", 24, "phochutich", {}),
            (
                "publish",
                23,
                "vanphong",
                {
                    "public_title": "Niêm yết thủ tục đăng ký khai sinh",
                    "public_summary": "Phản ánh bảng niêm yết thủ tục đăng ký khai sinh chưa ghi lệ phí và "
                    "thời hạn giải quyết.",
                },
            ),
        ],
        "rating": (False, "Đã niêm yết lại nhưng chữ quá nhỏ, người già khó đọc."),
    },
    {
        "subject": "Kiến nghị cho nộp hồ sơ đăng ký kết hôn qua mạng",
        "name": "Phạm Minh Tuấn",
        "address": "Thôn Bình Dân, xã Đức Xương",
        "phone": "0904 555 218",
        "email": "tuan.pm@example.com",
        "content": "Tôi làm việc ở Hà Nội, đề nghị xã cho nộp hồ sơ đăng ký kết hôn trực tuyến để đỡ đi lại.",
        "received": 24,
        "procedure": "kết hôn",
        "steps": [
            ("accept", 23, "motcua", {}),
            ("assign", 23, "motcua", {"department": "tu-phap-ho-tich"}),
            ("answer", 18, "tuphap", {"answer": ANSWER_KET_HON}),
            ("approve", 17, "chutich", {}),
            (
                "publish",
                16,
                "motcua",
                {
                    "public_title": "Nộp hồ sơ đăng ký kết hôn trực tuyến",
                    "public_summary": "Kiến nghị cho phép nộp hồ sơ đăng ký kết hôn qua mạng cho người làm "
                    "việc xa nhà.",
                },
            ),
        ],
    },
    {
        "subject": "Không rõ thành phần hồ sơ đăng ký biến động đất đai",
        "name": "Lê Văn Hùng",
        "address": "Thôn Tiền Trung, xã Đức Xương",
        "phone": "0367 888 305",
        "content": "Tôi phải đi lại ba lần vì mỗi lần được hướng dẫn bổ sung một giấy tờ khác nhau khi đăng "
        "ký biến động đất đai. Đề nghị công khai rõ thành phần hồ sơ.",
        "received": 22,
        "steps": [
            ("accept", 21, "motcua", {}),
            ("assign", 21, "motcua", {"department": "dia-chinh-xay-dung"}),
            ("answer", 15, "diachinh", {"answer": "Hồ sơ gồm đơn và giấy chứng nhận."}),
            ("return", 14, "chutich", {"note": "Trả lời cần liệt kê đầy đủ giấy tờ và nơi nộp."}),
            ("answer", 12, "diachinh", {"answer": ANSWER_DAT_DAI}),
            ("approve", 11, "chutich", {}),
            (
                "publish",
                10,
                "motcua",
                {
                    "public_title": "Thành phần hồ sơ đăng ký biến động đất đai",
                    "public_summary": "Phản ánh việc hướng dẫn bổ sung hồ sơ đăng ký biến động đất đai "
                    "nhiều lần, không thống nhất.",
                },
            ),
        ],
    },
    {
        "subject": "Đề nghị hướng dẫn thủ tục đăng ký thường trú cho con",
        "name": "Vũ Thị Hoa",
        "address": "Thôn Phú Thọ, xã Đức Xương",
        "phone": "0977 101 442",
        "content": "Đề nghị xã hướng dẫn rõ thủ tục liên thông đăng ký khai sinh, đăng ký thường trú cho trẻ "
        "dưới 6 tuổi.",
        "received": 14,
        "steps": [
            ("accept", 13, "motcua", {}),
            ("assign", 13, "motcua", {"department": "tu-phap-ho-tich"}),
            (
                "answer",
                4,
                "tuphap",
                {
                    "answer": "Thủ tục liên thông đăng ký khai sinh – đăng ký thường trú – cấp thẻ bảo hiểm "
                    "y tế cho trẻ dưới 6 tuổi được thực hiện trực tuyến trên Cổng Dịch vụ công quốc gia; "
                    "Bộ phận Một cửa hỗ trợ người dân nộp tại quầy."
                },
            ),
            ("approve", 1, "chutich", {}),
        ],
    },
    {
        "subject": "Phí trông giữ xe tại trụ sở UBND xã",
        "name": "Đặng Văn Sơn",
        "address": "Thôn Đông Cận, xã Đức Xương",
        "phone": "0868 432 119",
        "content": "Người dân đến làm thủ tục bị thu phí trông giữ xe máy. Đề nghị xã làm rõ khoản thu này.",
        "received": 9,
        "steps": [
            ("accept", 8, "vanphong", {}),
            ("assign", 8, "vanphong", {"department": "tai-chinh-ke-toan"}),
            (
                "answer",
                2,
                "taichinh",
                {
                    "answer": "UBND xã không thu phí trông giữ xe của người đến làm thủ tục. Xã đã yêu cầu "
                    "dừng ngay khoản thu và bố trí chỗ để xe miễn phí trong khuôn viên trụ sở."
                },
            ),
        ],
    },
    {
        "subject": "Chậm trả lời về cấp phép sửa chữa nhà ở",
        "name": "Hoàng Thị Lan",
        "address": "Thôn Bình Dân, xã Đức Xương",
        "phone": "0945 660 731",
        "content": "Tôi hỏi về việc sửa chữa nhà ở có phải xin phép hay không nhưng chưa được trả lời.",
        "received": 22,
        "steps": [
            ("accept", 20, "motcua", {}),
            ("assign", 20, "motcua", {"department": "dia-chinh-xay-dung"}),
        ],
    },
    {
        "subject": "Đề nghị mở thêm quầy tiếp nhận vào sáng thứ Bảy",
        "name": "Bùi Văn Quang",
        "address": "Thôn Tiền Trung, xã Đức Xương",
        "phone": "0399 214 857",
        "content": "Người đi làm công ty không có thời gian đến xã trong giờ hành chính. Đề nghị mở quầy "
        "tiếp nhận vào sáng thứ Bảy.",
        "received": 15,
        "steps": [
            ("accept", 14, "vanphong", {}),
            ("assign", 14, "vanphong", {"department": "vp-hdnd-ubnd"}),
        ],
    },
    {
        "subject": "Hướng dẫn xin xác nhận tình trạng hôn nhân",
        "name": "Ngô Thị Mai",
        "address": "Thôn Phú Thọ, xã Đức Xương",
        "phone": "0912 777 590",
        "content": "Đề nghị niêm yết rõ trường hợp nào phải nộp lại Giấy xác nhận tình trạng hôn nhân cũ.",
        "received": 3,
        "steps": [("accept", 2, "motcua", {})],
    },
    {
        "subject": "Loa truyền thanh thông báo lịch tiếp dân không rõ",
        "name": "Đỗ Văn Thành",
        "address": "Thôn Đông Cận, xã Đức Xương",
        "phone": "0978 300 162",
        "content": "Loa truyền thanh thôn Đông Cận bị rè, người dân không nghe rõ thông báo lịch tiếp công dân.",
        "received": 1,
        "channel": Channel.PHONE,
        "steps": [],
    },
    {
        "subject": "Phản ánh về giấy tờ khi làm thủ tục hưởng trợ cấp",
        "name": "Trịnh Văn Lực",
        "address": "Thôn Bình Dân, xã Đức Xương",
        "phone": "0356 909 284",
        "content": "Cán bộ yêu cầu tôi nộp thêm giấy tờ ngoài quy định khi làm hồ sơ trợ cấp.",
        "received": 5,
        "channel": Channel.LETTER,
        "steps": [
            (
                "request_info",
                4,
                "vanphong",
                {"note": "Đề nghị cho biết tên thủ tục và loại giấy tờ bị yêu cầu nộp thêm."},
            )
        ],
    },
    {
        "subject": "Tranh chấp ranh giới đất với hộ liền kề",
        "name": "Lý Văn Nam",
        "address": "Thôn Tiền Trung, xã Đức Xương",
        "phone": "0987 456 023",
        "content": "Hộ bên cạnh xây tường lấn sang đất nhà tôi khoảng 20 cm, đề nghị xã giải quyết.",
        "received": 12,
        "steps": [
            (
                "refuse",
                11,
                "motcua",
                {
                    "reason": "Nội dung là tranh chấp đất đai giữa hai hộ, không phải phản ánh về quy định "
                    "hành chính; đề nghị ông gửi đơn yêu cầu hòa giải tranh chấp đất đai tại UBND xã theo "
                    "Luật Đất đai."
                },
            )
        ],
    },
    {
        "subject": "Thái độ của công chức khi tiếp nhận hồ sơ",
        "name": "Mai Thị Hạnh",
        "address": "Thôn Phú Thọ, xã Đức Xương",
        "phone": "0916 234 889",
        "content": "Ngày hôm trước tôi nộp hồ sơ, công chức tiếp nhận có lời lẽ không đúng mực.",
        "received": 8,
        "steps": [
            (
                "transfer_conduct",
                7,
                "vanphong",
                {"note": "Chủ tịch UBND xã – xem xét trách nhiệm công vụ theo quy định."},
            )
        ],
    },
    {
        "subject": "Kiến nghị giảm lệ phí cấp giấy phép xây dựng",
        "name": "Cao Văn Phúc",
        "address": "Thôn Đông Cận, xã Đức Xương",
        "phone": "0902 111 476",
        "content": "Đề nghị giảm mức lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ ở nông thôn.",
        "received": 10,
        "steps": [
            (
                "transfer_outside",
                8,
                "motcua",
                {"note": "HĐND thành phố Hải Phòng (thẩm quyền quy định mức lệ phí), qua Sở Tài chính."},
            )
        ],
    },
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def _procedure(commune: Unit, hint: str | None) -> Procedure | None:
    if not hint:
        return None
    return Procedure.objects.filter(commune=commune, name__icontains=hint).order_by("code").first()


def load(log: DemoLog) -> None:
    commune = Unit.objects.get(slug="ducxuong")
    users = {u.username: u for u in User.objects.filter(unit=commune)}
    departments = {d.code: d for d in Department.objects.filter(commune=commune)}
    now = timezone.now()
    today = timezone.localdate(now)
    for scenario in SCENARIOS:
        if Petition.objects.filter(commune=commune, subject=scenario["subject"]).exists():
            log.had(f"phản ánh “{scenario['subject']}”")
            continue
        channel = scenario.get("channel", Channel.WEB)
        received_at = _at(_working_days_ago(scenario["received"], today), 8, 15)
        petition = petition_submit(
            commune=commune,
            name=scenario["name"],
            address=scenario["address"],
            phone=scenario["phone"],
            email=scenario.get("email", ""),
            subject=scenario["subject"],
            content=scenario["content"],
            procedure=_procedure(commune, scenario.get("procedure")),
            channel=channel,
            received_by=users["motcua"] if channel != Channel.WEB else None,
            at=received_at,
        )
        last = received_at
        for index, (action, days_ago, username, kwargs) in enumerate(scenario["steps"]):
            at = max(_at(_working_days_ago(days_ago, today), 9 + index % 7, 30), last + timedelta(minutes=20))
            at = min(at, now - timedelta(minutes=5 * (len(scenario["steps"]) - index)))
            kwargs = dict(kwargs)
            if "department" in kwargs:
                kwargs["department"] = departments[kwargs["department"]]
            petition = petition_act(petition=petition, user=users[username], action=action, at=at, **kwargs)
            last = at
        if scenario.get("rating"):
            satisfied, comment = scenario["rating"]
            petition_rate(
                petition=petition, satisfied=satisfied, comment=comment, at=last + timedelta(days=1)
            )
        log.made(f"phản ánh {petition.code} “{petition.subject}” ({petition.get_status_display()})")
