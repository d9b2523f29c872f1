"""Demo plans of xã Đức Xương: the seed plan as clean structured data for 2024
(spacing and typos fixed, one year throughout, the local programme numbered 8,
tasks lettered a, b, c, d, đ, e…), carried out and closed with progress and
evidence; its roll-over to 2025 (carried out); and the 2026 roll-over, in effect
and in progress. Re-runnable: a plan that exists is left as it is."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.core.demo import DemoLog
from cchc.core.figures import Figure
from cchc.core.text import search_key
from cchc.core.workcal import TZ
from cchc.dossiers import figures as dossier_figures
from cchc.org.models import Department, Unit, User
from cchc.petitions import figures as petition_figures
from cchc.procedures import figures as procedure_figures
from cchc.satisfaction import figures as satisfaction_figures

from . import figures as plan_figures
from . import services
from .models import AreaKind, Plan, PlanStatus, Recurrence, Task, TaskStatus, TimeFrame

OFFICE, ONE_STOP, JUSTICE, FINANCE, CULTURE, LAND, RADIO = (
    "vp-dang-uy-noi-vu",
    "vp-hdnd-ubnd",
    "tu-phap-ho-tich",
    "tai-chinh-ke-toan",
    "van-hoa-xa-hoi",
    "dia-chinh-xay-dung",
    "dai-truyen-thanh",
)
ALL_DEPTS = [OFFICE, ONE_STOP, JUSTICE, FINANCE, CULTURE, LAND, RADIO]

BASIS = (
    "Thực hiện Kế hoạch số 152/KH-UBND ngày 29 tháng 12 năm 2023 của UBND huyện Gia Lộc về cải cách hành "
    "chính nhà nước năm 2024; thực hiện Kế hoạch cải cách hành chính nhà nước xã Đức Xương giai đoạn "
    "2021-2025, UBND xã xây dựng Kế hoạch thực hiện cải cách hành chính nhà nước (CCHC) năm 2024 như sau:"
)
PURPOSE = """Tiếp tục thực hiện hiệu quả các văn bản chỉ đạo của Trung ương, của tỉnh và của huyện về công tác cải cách hành chính.
Triển khai công tác CCHC trong tình hình bình thường mới, thích ứng an toàn, linh hoạt; tập trung thúc đẩy phục hồi và phát triển kinh tế.
Tiếp tục nâng cao Chỉ số cải cách hành chính của xã.
Cải thiện và nâng cao chất lượng phục vụ của cán bộ, công chức đối với người dân, tổ chức và doanh nghiệp."""
REQUIREMENTS = """Xây dựng và triển khai thực hiện nhiệm vụ công tác CCHC năm 2024 phải cụ thể, chi tiết, rõ các mục tiêu, nhiệm vụ; các hoạt động được thể hiện dưới hình thức kết quả, sản phẩm cụ thể và bám sát sự chỉ đạo của Chính phủ, Bộ Nội vụ, các bộ, ngành Trung ương, các văn bản chỉ đạo của tỉnh, của huyện và Nghị quyết của Đảng ủy.
Triển khai đúng, đủ, toàn diện, hiệu quả các nội dung của Kế hoạch, phù hợp với điều kiện thực tế của địa phương.
Tiếp tục lấy cải cách hành chính là một trong những tiêu chí quan trọng trong đánh giá, xếp loại cán bộ, công chức và bình xét thi đua, khen thưởng; lấy kết quả thực hiện nhiệm vụ CCHC để đánh giá, bình xét thi đua, khen thưởng hằng năm đối với tập thể, cá nhân.
Cán bộ, công chức đổi mới công tác chỉ đạo, điều hành, tổ chức thực hiện nhiệm vụ CCHC, đặc biệt nâng cao vai trò, trách nhiệm của người đứng đầu trong chỉ đạo, tổ chức thực hiện các nhiệm vụ cải cách hành chính tại địa phương.
Xác định cụ thể các nhiệm vụ trọng tâm trong cải cách hành chính và trách nhiệm của các bộ phận chuyên môn có liên quan trong triển khai công tác CCHC năm 2024 trên địa bàn xã; kịp thời đôn đốc, hướng dẫn, tháo gỡ những vướng mắc, khó khăn trong quá trình tổ chức thực hiện."""
REPORTING = """1. Văn phòng tham mưu xây dựng báo cáo thực hiện CCHC hằng quý, 6 tháng, năm, gửi về huyện trước ngày 16 của tháng cuối kỳ báo cáo theo quy định. Các bộ phận chuyên môn Văn phòng HĐND – UBND, Tư pháp – Hộ tịch, Tài chính – Kế toán ngân sách, Văn hóa xã hội – Văn hóa thông tin, Địa chính – Xây dựng định kỳ tổng hợp kết quả thực hiện nội dung CCHC thuộc lĩnh vực phụ trách, gửi Văn phòng tổng hợp báo cáo về huyện (qua Phòng Nội vụ huyện) trước ngày 16 của tháng cuối kỳ báo cáo.
2. Thời điểm chốt số liệu của từng loại báo cáo như sau:
- Báo cáo quý I/2024: số liệu tính từ ngày 15/12/2023 đến ngày 14/3/2024.
- Báo cáo 6 tháng đầu năm 2024: số liệu tính từ ngày 15/12/2023 đến ngày 14/6/2024.
- Báo cáo quý III/2024: số liệu tính từ ngày 15/6/2024 đến ngày 14/9/2024.
- Báo cáo tổng hợp năm 2024: số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024."""
BUDGET = (
    "Kinh phí thực hiện các nhiệm vụ cải cách hành chính do ngân sách xã bảo đảm, được bố trí trong dự toán "
    "chi ngân sách nhà nước hằng năm của xã. Việc lập dự toán, quản lý, sử dụng, thanh quyết toán kinh phí "
    "thực hiện công tác cải cách hành chính theo quy định của Bộ Tài chính, Ủy ban nhân dân tỉnh và hướng dẫn "
    "của Phòng Tài chính – Kế hoạch huyện."
)
RESPONSIBILITIES = """1. Văn phòng Đảng ủy – Nội vụ: là cơ quan thường trực về công tác cải cách hành chính, có trách nhiệm tham mưu giúp UBND xã tổ chức triển khai, hướng dẫn, đôn đốc, kiểm tra việc thực hiện nhiệm vụ CCHC theo Kế hoạch này; thực hiện đánh giá, chấm điểm Chỉ số CCHC thuộc các nhiệm vụ cải cách tổ chức bộ máy và cải cách chế độ công vụ; phối hợp với Tài chính – Kế toán ngân sách tham mưu UBND xã dự toán kinh phí CCHC của xã năm 2024.
2. Văn phòng HĐND – UBND xã: chủ trì, phối hợp với các bộ phận có liên quan giúp UBND xã triển khai các nhiệm vụ cải cách thủ tục hành chính, kiểm soát và đơn giản hóa thủ tục hành chính, tiếp nhận và xử lý phản ánh, kiến nghị của cá nhân, tổ chức về thủ tục hành chính; thực hiện cơ chế một cửa, một cửa liên thông trên địa bàn xã; điều hành chặt chẽ hoạt động của Bộ phận tiếp nhận và trả kết quả, bảo đảm nhanh chóng, công khai, minh bạch, tạo thuận lợi cho người dân và doanh nghiệp; phối hợp với các bộ phận chuyên môn tiếp tục áp dụng, duy trì Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015 và thường xuyên kiểm tra, giám sát việc duy trì hệ thống của các bộ phận.
3. Tư pháp – Hộ tịch: chủ trì, phối hợp với các bộ phận liên quan tham mưu giúp UBND xã triển khai các nhiệm vụ cải cách thể chế; nâng cao hiệu quả công tác xây dựng, ban hành văn bản quy phạm pháp luật trên địa bàn xã.
4. Tài chính – Kế toán ngân sách xã: chủ trì, phối hợp với các bộ phận có liên quan tham mưu giúp UBND xã triển khai nhiệm vụ cải cách tài chính công; phối hợp với Văn phòng HĐND – UBND, Văn phòng Đảng ủy – Nội vụ tham mưu UBND xã cân đối, bố trí kinh phí thực hiện nhiệm vụ cải cách hành chính theo đúng quy định.
5. Văn hóa xã hội – Văn hóa thông tin: chủ trì, phối hợp với các bộ phận liên quan tham mưu giúp UBND xã triển khai các nhiệm vụ xây dựng và phát triển chính quyền điện tử, chính quyền số; đẩy mạnh ứng dụng công nghệ thông tin trên địa bàn xã.
6. Đài truyền thanh xã: tăng thời lượng phát sóng, đưa tin để cán bộ, công chức và nhân dân nhận thức đúng về công tác CCHC, trên cơ sở đó tham gia thực hiện và giám sát công tác CCHC cũng như việc giải quyết thủ tục hành chính của các bộ phận chuyên môn; phối hợp với các bộ phận có liên quan tuyên truyền về CCHC bảo đảm thiết thực, hiệu quả."""
CLOSING = (
    "Trên đây là Kế hoạch thực hiện cải cách hành chính nhà nước năm 2024 trên địa bàn xã. Yêu cầu cán bộ, "
    "công chức xã, các bộ phận có liên quan nghiêm túc triển khai thực hiện. Đề nghị Ủy ban MTTQ và các ban, "
    "ngành, đoàn thể phối hợp tuyên truyền để Kế hoạch CCHC đạt hiệu quả cao./."
)
RECIPIENTS = """UBND huyện (để báo cáo)
Phòng Nội vụ huyện
BTV Đảng ủy, TT HĐND xã
Lãnh đạo UBND xã
Công chức chuyên môn UBND xã
Đài truyền thanh xã
Lưu: VT, VP"""

Y = 2024
YEAR_RANGE = dict(time_frame=TimeFrame.RANGE, start_date=date(Y, 1, 1), end_date=date(Y, 12, 31))


def _deadline(month: int, day: int) -> dict:
    return dict(time_frame=TimeFrame.DEADLINE, end_date=date(Y, month, day))


def _between(m1: int, d1: int, m2: int, d2: int) -> dict:
    return dict(time_frame=TimeFrame.RANGE, start_date=date(Y, m1, d1), end_date=date(Y, m2, d2))


QUARTERLY_15 = dict(
    time_frame=TimeFrame.RECURRING,
    start_date=date(Y, 1, 1),
    end_date=date(Y, 12, 31),
    recurrence=Recurrence.QUARTERLY,
    recurrence_day=15,
)


def _target(figure: Figure, comparison: str, value: int) -> dict:
    return dict(
        target_metric=figure.key, target_comparison=comparison, target_value=Decimal(value), target_unit="%"
    )


# (area kind, title or None for the standard title, [tasks]); a task is
# (title, content, lead, [coordinating], time frame dict, output, extra dict)
AREAS = [
    (
        AreaKind.DIRECTION,
        None,
        [
            (
                "Chỉ đạo, đôn đốc thực hiện công tác CCHC đúng tiến độ, hiệu quả",
                "Chỉ đạo, đôn đốc việc thực hiện công tác CCHC đúng tiến độ, đạt hiệu quả.",
                OFFICE,
                [ONE_STOP],
                YEAR_RANGE,
                "Văn bản chỉ đạo, đôn đốc của UBND xã",
                _target(plan_figures.TASKS_DONE_RATE, "gte", 90),
            ),
            (
                "Triển khai Kế hoạch CCHC năm 2024; bố trí kinh phí, nguồn lực",
                "Triển khai Kế hoạch CCHC năm 2024 của xã, bố trí đủ kinh phí, nguồn lực cho công tác CCHC của xã.",
                OFFICE,
                [FINANCE],
                _deadline(1, 31),
                "Kế hoạch CCHC năm 2024; dự toán kinh phí CCHC",
                {},
            ),
            (
                "Đổi mới, đa dạng hóa hình thức tuyên truyền CCHC",
                "Đổi mới và đa dạng hóa các hình thức tuyên truyền, tập trung tuyên truyền về Chính phủ số, xã hội "
                "số, chính quyền điện tử, chính quyền thân thiện, dịch vụ hành chính công.",
                RADIO,
                [OFFICE, CULTURE],
                QUARTERLY_15,
                "Tin, bài tuyên truyền trên Đài truyền thanh và trang thông tin điện tử xã",
                {},
            ),
            (
                "Xác định rõ trách nhiệm người đứng đầu trong công tác CCHC",
                "Xác định rõ trách nhiệm của người đứng đầu trong công tác CCHC, thể hiện trong Quy chế làm việc "
                "của UBND xã.",
                OFFICE,
                [],
                _deadline(3, 29),
                "Quy chế làm việc của UBND xã (sửa đổi, bổ sung)",
                {},
            ),
            (
                "Kiểm tra giải quyết TTHC; đo lường sự hài lòng; chấm điểm Chỉ số CCHC",
                "Tăng cường kiểm tra việc thực hiện nhiệm vụ giải quyết thủ tục hành chính tại các bộ phận chuyên "
                "môn. Thực hiện đo lường sự hài lòng của người dân, tổ chức về sự phục vụ hành chính tại UBND xã. "
                "Tiếp tục tổ chức chấm điểm, xác định Chỉ số CCHC của xã.",
                OFFICE,
                [ONE_STOP],
                _between(3, 1, 12, 13),
                "Kế hoạch, báo cáo kiểm tra; kết quả tự chấm điểm Chỉ số CCHC",
                {},
            ),
            (
                "Thực hiện nghiêm chế độ báo cáo định kỳ",
                "Thực hiện nghiêm túc quy định về chế độ báo cáo định kỳ. Phấn đấu hoàn thành các nhiệm vụ Huyện ủy, "
                "UBND huyện, Đảng ủy giao.",
                OFFICE,
                [ONE_STOP, JUSTICE, FINANCE, CULTURE, LAND],
                QUARTERLY_15,
                "Báo cáo CCHC quý, 6 tháng, năm",
                {},
            ),
        ],
    ),
    (
        AreaKind.INSTITUTIONS,
        None,
        [
            (
                "Xây dựng, ban hành văn bản quy phạm pháp luật của xã",
                "Xây dựng và ban hành văn bản quy phạm pháp luật (QPPL) của xã phù hợp với các quy định của Trung ương "
                "mới ban hành và điều kiện thực tế của xã, thúc đẩy phát triển kinh tế – xã hội theo thể chế kinh tế "
                "thị trường định hướng xã hội chủ nghĩa.\n"
                "- Ban hành đầy đủ, đúng thời gian các văn bản QPPL theo quy định.\n"
                "- Rà soát, kiến nghị sửa đổi, bổ sung các văn bản quy phạm pháp luật của tỉnh, huyện, xã trong lĩnh "
                "vực xây dựng, kiểm tra, rà soát, hệ thống hóa văn bản theo Luật sửa đổi, bổ sung một số điều của "
                "Luật Ban hành văn bản quy phạm pháp luật.",
                JUSTICE,
                [ONE_STOP],
                YEAR_RANGE,
                "Văn bản QPPL được ban hành đúng thời hạn; báo cáo rà soát",
                {},
            ),
            (
                "Nâng cao chất lượng xây dựng; kiểm tra, rà soát, hệ thống hóa văn bản QPPL",
                "Nâng cao chất lượng công tác xây dựng văn bản quy phạm pháp luật. Tăng cường kiểm tra, rà soát, hệ "
                "thống hóa văn bản quy phạm pháp luật, kịp thời phát hiện và xử lý các quy định chồng chéo, mâu thuẫn, "
                "trái pháp luật, hết hiệu lực hoặc không còn phù hợp.",
                JUSTICE,
                [ONE_STOP],
                _deadline(11, 29),
                "Báo cáo kết quả kiểm tra, rà soát, hệ thống hóa văn bản",
                {},
            ),
            (
                "Tổ chức thi hành pháp luật; phổ biến, giáo dục pháp luật",
                "Tổ chức triển khai có hiệu quả công tác tổ chức thi hành pháp luật và theo dõi, đánh giá tình hình "
                "thi hành pháp luật trên địa bàn xã. Thực hiện hiệu quả công tác phổ biến, giáo dục pháp luật thông qua "
                "tăng cường ứng dụng công nghệ thông tin và số hóa. Tăng cường vai trò của người dân, doanh nghiệp, các "
                "tổ chức chính trị – xã hội và cộng đồng trong phản biện và giám sát thi hành pháp luật.\n"
                "Định kỳ kiểm tra, theo dõi, đánh giá việc thực hiện trách nhiệm quản lý nhà nước trong công tác tổ "
                "chức thi hành pháp luật. Xây dựng xã đạt chuẩn tiếp cận pháp luật theo hướng dẫn của cấp trên.",
                JUSTICE,
                [RADIO, CULTURE],
                YEAR_RANGE,
                "Báo cáo theo dõi thi hành pháp luật; hồ sơ công nhận xã đạt chuẩn tiếp cận pháp luật",
                {},
            ),
        ],
    ),
    (
        AreaKind.PROCEDURES,
        None,
        [
            (
                "Kế hoạch kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên thông năm 2024",
                "Xây dựng và triển khai thực hiện Kế hoạch kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên "
                "thông trên địa bàn xã năm 2024.",
                ONE_STOP,
                [OFFICE],
                _deadline(1, 31),
                "Kế hoạch kiểm soát TTHC năm 2024",
                {},
            ),
            (
                "Rà soát, đơn giản hóa và công khai 100% TTHC",
                "Rà soát, kiến nghị đơn giản hóa thủ tục hành chính (TTHC); công khai kịp thời, đầy đủ, đúng quy định "
                "100% các TTHC và các quy trình nội bộ giải quyết TTHC.",
                ONE_STOP,
                [JUSTICE],
                YEAR_RANGE,
                "TTHC, quy trình nội bộ được công khai tại Bộ phận Một cửa và trang thông tin điện tử xã",
                _target(procedure_figures.PUBLISHED_RATE, "eq", 100),
            ),
            (
                "Trả kết quả đúng hạn, trước hạn từ 98% đến 100% hồ sơ TTHC",
                "Phấn đấu từ 98% đến 100% số hồ sơ TTHC được trả kết quả giải quyết đúng hạn, trước hạn.",
                ONE_STOP,
                [JUSTICE, LAND],
                YEAR_RANGE,
                "Số liệu hồ sơ trên hệ thống thông tin giải quyết TTHC",
                _target(dossier_figures.ON_TIME_RATE, "gte", 98),
            ),
            (
                "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
                "Tổ chức tiếp nhận, xử lý, giải quyết các phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành "
                "chính, TTHC kịp thời, bảo đảm đúng quy định pháp luật.",
                ONE_STOP,
                [JUSTICE],
                YEAR_RANGE,
                "Sổ theo dõi; văn bản trả lời phản ánh, kiến nghị được công khai",
                _target(petition_figures.ON_TIME_RATE, "eq", 100),
            ),
            (
                "Ứng dụng công nghệ thông tin trong tiếp nhận, giải quyết TTHC",
                "Nâng cao hiệu quả ứng dụng công nghệ thông tin trong tiếp nhận và giải quyết TTHC.",
                ONE_STOP,
                [CULTURE],
                YEAR_RANGE,
                "Hồ sơ được tiếp nhận, xử lý trên hệ thống một cửa điện tử",
                {},
            ),
            (
                "Đánh giá chất lượng giải quyết TTHC; từ 90% người dân hài lòng trở lên",
                "Thực hiện việc đánh giá chất lượng giải quyết TTHC tại các bộ phận chuyên môn thuộc UBND xã. Phấn đấu "
                "từ 90% trở lên người dân, doanh nghiệp hài lòng trong giải quyết TTHC.",
                ONE_STOP,
                [OFFICE],
                YEAR_RANGE,
                "Kết quả đánh giá sự hài lòng của người dân, tổ chức",
                _target(satisfaction_figures.RATE, "gte", 90),
            ),
        ],
    ),
    (
        AreaKind.ORGANISATION,
        None,
        [
            (
                "Sắp xếp, tinh gọn tổ chức bộ máy theo Nghị quyết số 18-NQ/TW, 19-NQ/TW",
                "Tiếp tục thực hiện có hiệu quả các Nghị quyết của Trung ương về đổi mới, sắp xếp tổ chức bộ máy của "
                "hệ thống chính trị theo Nghị quyết số 18-NQ/TW, Nghị quyết số 19-NQ/TW ngày 25/10/2017 của Ban Chấp "
                "hành Trung ương. Rà soát, sắp xếp, tinh gọn tổ chức bộ máy bên trong của UBND xã đúng theo quy định "
                "tại Nghị định số 108/2020/NĐ-CP ngày 14/9/2020 của Chính phủ, các thông tư hướng dẫn của các bộ, ngành "
                "Trung ương và chỉ đạo của tỉnh, huyện.",
                OFFICE,
                [],
                YEAR_RANGE,
                "Báo cáo rà soát, sắp xếp tổ chức bộ máy",
                {},
            ),
            (
                "Sắp xếp bộ máy gắn với cơ cấu đội ngũ; giao biên chế, tinh giản biên chế",
                "Rà soát, sắp xếp tổ chức bộ máy gắn với cơ cấu đội ngũ cán bộ, công chức để giảm biên chế phù hợp với "
                "biên chế tỉnh giao và tình hình thực tế tại xã; thực hiện giao biên chế hằng năm phù hợp vị trí việc "
                "làm theo Nghị định số 62/2020/NĐ-CP ngày 01 tháng 6 năm 2020 của Chính phủ về vị trí việc làm và biên "
                "chế công chức; tiếp tục thực hiện tinh giản biên chế theo Nghị định số 143/2020/NĐ-CP ngày 10/12/2020 "
                "của Chính phủ.",
                OFFICE,
                [FINANCE],
                YEAR_RANGE,
                "Báo cáo biên chế; danh sách tinh giản biên chế (nếu có)",
                {},
            ),
            (
                "Phân cấp quản lý nhà nước theo ngành, lĩnh vực",
                "Triển khai thực hiện Nghị quyết của Chính phủ và các quy định của tỉnh, huyện về đẩy mạnh phân cấp "
                "quản lý nhà nước theo ngành, lĩnh vực trên địa bàn xã; thực hiện tốt việc phân cấp quản lý trên các "
                "lĩnh vực theo quy định.",
                OFFICE,
                [ONE_STOP],
                YEAR_RANGE,
                "Văn bản triển khai phân cấp quản lý",
                {},
            ),
            (
                "Tự kiểm tra tổ chức và hoạt động của các bộ phận chuyên môn",
                "Xây dựng và thực hiện Kế hoạch tự kiểm tra tình hình tổ chức và hoạt động của các bộ phận chuyên môn "
                "thuộc UBND xã.",
                OFFICE,
                [],
                _between(4, 1, 9, 30),
                "Kế hoạch và báo cáo kết quả tự kiểm tra",
                {},
            ),
        ],
    ),
    (
        AreaKind.CIVIL_SERVICE,
        None,
        [
            (
                "Hoàn thiện Đề án vị trí việc làm",
                "Hoàn thiện Đề án vị trí việc làm theo Nghị định số 62/2020/NĐ-CP và Nghị định số 106/2020/NĐ-CP của "
                "Chính phủ, hướng dẫn của tỉnh và của huyện; bố trí cán bộ, công chức theo đúng vị trí việc làm; thường "
                "xuyên cập nhật, bổ sung đề án vị trí việc làm đã được phê duyệt; bảo đảm cơ cấu hợp lý giữa công chức "
                "giữ chức vụ lãnh đạo và công chức không giữ chức vụ lãnh đạo.",
                OFFICE,
                [],
                _deadline(6, 28),
                "Đề án vị trí việc làm được phê duyệt, cập nhật",
                {},
            ),
            (
                "Đề nghị cấp trên tuyển dụng công chức cấp xã",
                "Đề nghị cấp trên tổ chức tuyển dụng công chức cấp xã để bảo đảm giải quyết công việc đáp ứng yêu cầu, "
                "nhiệm vụ được giao.",
                OFFICE,
                [],
                _deadline(9, 30),
                "Văn bản đề nghị tuyển dụng công chức",
                {},
            ),
            (
                "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức",
                "Xây dựng và thực hiện kế hoạch đào tạo, bồi dưỡng cán bộ, công chức theo kế hoạch của huyện.",
                OFFICE,
                [FINANCE],
                _deadline(3, 29),
                "Kế hoạch đào tạo, bồi dưỡng năm 2024; danh sách cử đi học",
                {},
            ),
            (
                "Đánh giá, xếp loại chất lượng cán bộ, công chức",
                "Nâng cao hiệu quả đánh giá, xếp loại chất lượng cán bộ, công chức theo hướng dân chủ, công khai, minh "
                "bạch và đề cao trách nhiệm người đứng đầu; tăng cường ứng dụng công nghệ thông tin trong quản lý, đánh "
                "giá cán bộ, công chức nhằm đánh giá đúng người, đúng việc và khen thưởng, kỷ luật kịp thời.",
                OFFICE,
                [],
                _deadline(12, 13),
                "Kết quả đánh giá, xếp loại cán bộ, công chức năm 2024",
                {},
            ),
            (
                "Thực hiện quy tắc ứng xử gắn với văn hóa công vụ",
                "Tiếp tục thực hiện tốt bộ quy tắc ứng xử của cán bộ, công chức trong các cơ quan gắn với Đề án văn hóa "
                "công vụ theo Quyết định số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ.",
                OFFICE,
                [ONE_STOP],
                YEAR_RANGE,
                "Báo cáo thực hiện văn hóa công vụ",
                {},
            ),
        ],
    ),
    (
        AreaKind.PUBLIC_FINANCE,
        None,
        [
            (
                "Điều hành ngân sách; hoàn thành dự toán; đẩy nhanh đầu tư công",
                "Chủ động tổ chức điều hành ngân sách gắn với định hướng phát triển kinh tế – xã hội, phấn đấu hoàn "
                "thành, hoàn thành vượt mức dự toán ngân sách được giao. Nâng cao hiệu quả phân bổ và sử dụng các nguồn "
                "lực tài chính; phân bổ ngân sách nhà nước tập trung, sử dụng hiệu quả; đẩy nhanh tiến độ đầu tư công "
                "theo đúng quy định.",
                FINANCE,
                [LAND],
                YEAR_RANGE,
                "Báo cáo thực hiện dự toán ngân sách, giải ngân vốn đầu tư công",
                {},
            ),
            (
                "Thực hiện chế độ tự chủ về biên chế, kinh phí quản lý hành chính",
                "Nghiêm túc thực hiện các quy định về chế độ tự chủ, tự chịu trách nhiệm về sử dụng biên chế, kinh phí "
                "quản lý hành chính đối với cơ quan hành chính nhà nước theo Nghị định số 130/2005/NĐ-CP ngày "
                "17/10/2005 và Nghị định số 117/2013/NĐ-CP ngày 07/10/2013 của Chính phủ sửa đổi, bổ sung một số điều "
                "của Nghị định số 130/2005/NĐ-CP.",
                FINANCE,
                [OFFICE],
                _deadline(2, 29),
                "Quy chế chi tiêu nội bộ năm 2024",
                {},
            ),
            (
                "Công khai ngân sách; thực hành tiết kiệm, chống lãng phí",
                "Thực hiện đúng quy định của Luật Ngân sách nhà nước năm 2015 về công khai ngân sách nhà nước; công tác "
                "thực hành tiết kiệm, chống lãng phí, thanh tra, kiểm tra tài chính; xử lý nghiêm các hành vi gây lãng "
                "phí trong sử dụng ngân sách, quản lý và sử dụng tài sản công. Đánh giá hiệu quả Chương trình thực hành "
                "tiết kiệm, chống lãng phí thông qua chấm điểm chỉ số tiết kiệm chi thường xuyên.",
                FINANCE,
                [],
                QUARTERLY_15,
                "Báo cáo công khai ngân sách hằng quý",
                {},
            ),
            (
                "Quản lý, sử dụng tài sản công",
                "Thực hiện nghiêm quy định của Luật Quản lý, sử dụng tài sản công và các văn bản quy định chi tiết, "
                "hướng dẫn thi hành; tăng cường công tác quản lý tài sản công trên địa bàn xã.",
                FINANCE,
                [LAND],
                _deadline(12, 13),
                "Báo cáo kiểm kê tài sản công",
                {},
            ),
        ],
    ),
    (
        AreaKind.DIGITAL,
        None,
        [
            (
                "Triển khai văn bản chỉ đạo về ứng dụng CNTT, chính quyền số, an toàn thông tin mạng",
                "Triển khai thực hiện các văn bản chỉ đạo, quản lý về ứng dụng công nghệ thông tin, chính quyền số và "
                "bảo đảm an toàn thông tin mạng, đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế theo chỉ đạo "
                "của huyện.",
                CULTURE,
                [],
                _deadline(3, 29),
                "Kế hoạch ứng dụng CNTT, chuyển đổi số năm 2024",
                {},
            ),
            (
                "Phát triển hạ tầng, hệ thống thông tin, cơ sở dữ liệu",
                "Tập trung phát triển hạ tầng kinh tế – kỹ thuật, các hệ thống thông tin, cơ sở dữ liệu dùng chung và "
                "chuyên ngành trên địa bàn xã.",
                CULTURE,
                [LAND],
                YEAR_RANGE,
                "Hạ tầng CNTT, cơ sở dữ liệu được nâng cấp, cập nhật",
                {},
            ),
            (
                "Duy trì phần mềm quản lý văn bản, chữ ký số, một cửa điện tử, dịch vụ công trực tuyến",
                "Duy trì thực hiện tốt phần mềm quản lý văn bản và điều hành, chữ ký số, hệ thống một cửa điện tử, dịch "
                "vụ công trực tuyến nhằm bảo đảm tính pháp lý và trao đổi văn bản, tài liệu trên môi trường mạng.\n"
                "Bảo đảm duy trì ổn định, tăng cường hoạt động của trang thông tin điện tử của xã, cung cấp đầy đủ "
                "thông tin theo quy định tại Nghị định số 43/2011/NĐ-CP ngày 13/6/2011 của Chính phủ, Thông tư số "
                "32/2017/TT-BTTTT ngày 15/11/2017 của Bộ Thông tin và Truyền thông.\n"
                "Tăng cường triển khai, cung cấp dịch vụ công trực tuyến toàn trình và một phần theo chỉ đạo của huyện, "
                "đáp ứng nhu cầu của người dân và doanh nghiệp, góp phần cải thiện Chỉ số cải cách hành chính của xã.",
                CULTURE,
                [ONE_STOP],
                YEAR_RANGE,
                "Văn bản điện tử có chữ ký số; trang thông tin điện tử cập nhật",
                {},
            ),
            (
                "Bảo đảm an toàn, an ninh thông tin; nguồn nhân lực CNTT",
                "Bảo đảm an toàn, an ninh thông tin theo quy định và bảo đảm nguồn nhân lực thực hiện các nhiệm vụ về "
                "ứng dụng công nghệ thông tin.\n"
                "Tăng cường tuyên truyền, phổ biến, nâng cao nhận thức về tầm quan trọng của việc ứng dụng công nghệ "
                "thông tin phục vụ hoạt động quản lý, chỉ đạo, điều hành, chuyên môn nghiệp vụ.",
                CULTURE,
                [RADIO],
                YEAR_RANGE,
                "Báo cáo bảo đảm an toàn thông tin",
                {},
            ),
            (
                "Duy trì Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015",
                "Duy trì và tổ chức thực hiện Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015; đồng "
                "thời gắn kết chặt chẽ với công tác CCHC, kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên "
                "thông trong giải quyết công việc của cá nhân, tổ chức.",
                ONE_STOP,
                [OFFICE, JUSTICE, FINANCE, CULTURE, LAND],
                YEAR_RANGE,
                "Hồ sơ ISO được duy trì, cập nhật; báo cáo đánh giá nội bộ",
                {},
            ),
        ],
    ),
    (
        AreaKind.LOCAL,
        "Xây dựng chính quyền thân thiện",
        [
            (
                "Thực hiện Đề án xây dựng chính quyền thân thiện giai đoạn 2021-2025",
                "Tiếp tục triển khai thực hiện hiệu quả kế hoạch thực hiện Đề án xây dựng chính quyền thân thiện trên "
                "địa bàn xã Đức Xương giai đoạn 2021-2025.",
                OFFICE,
                [ONE_STOP, RADIO],
                YEAR_RANGE,
                "Báo cáo kết quả thực hiện Đề án năm 2024",
                {},
            ),
        ],
    ),
]

# Tasks not finished in 2024 (area kind, letter position) → percent reached.
UNFINISHED_2024 = {(AreaKind.CIVIL_SERVICE, 1): 70, (AreaKind.INSTITUTIONS, 2): 85}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), TZ)


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small one-page PDF (base-14 font, so the text is written without diacritics)."""
    text_lines = [search_key(title).upper(), "", *[search_key(line) for line in lines]]
    ops = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in text_lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")[:90]
        ops.append(f"({safe}) '")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _docx(title: str, lines: list[str]) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _evidence(task: Task, day: date, kind: str) -> SimpleUploadedFile:
    slug = search_key(task.title).replace(" ", "-")[:40]
    lines = [
        f"UBND xã Đức Xương – {task.lead_department}",
        f"Minh chứng nhiệm vụ: {task.title}",
        f"Ngày {day:%d/%m/%Y}",
        f"Sản phẩm: {task.output}",
    ]
    if kind == "docx":
        return SimpleUploadedFile(
            f"{slug}-{day:%Y%m%d}.docx",
            _docx(f"Báo cáo kết quả: {task.title}", lines),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    return SimpleUploadedFile(
        f"{slug}-{day:%Y%m%d}.pdf", _pdf(task.title, lines), content_type="application/pdf"
    )


def _build_2024(
    log: DemoLog, commune: Unit, departments: dict[str, Department], users: dict[str, User]
) -> Plan:
    office = users["vanphong"]
    plan = services.plan_create(
        user=None,
        commune=commune,
        year=Y,
        title="Cải cách hành chính nhà nước xã Đức Xương năm 2024",
        basis=BASIS,
        purpose=PURPOSE,
        requirements=REQUIREMENTS,
        reporting=REPORTING,
        budget=BUDGET,
        responsibilities=RESPONSIBILITIES,
        closing=CLOSING,
        recipients=RECIPIENTS,
    )
    plan.events.update(at=_at(date(2024, 1, 2)), actor=office)
    for kind, title, tasks in AREAS:
        area = services.area_add(user=None, plan=plan, kind=kind, title=title or "")
        for task_title, content, lead, coordinating, frame, output, extra in tasks:
            services.task_create(
                user=None,
                area=area,
                title=task_title,
                content=content,
                lead_department=departments[lead],
                coordinating=[departments[c] for c in coordinating],
                output=output,
                **frame,
                **extra,
            )
    # The commune's own plan number: 152/KH-UBND quoted in the basis is the district's plan.
    _approve_and_issue(plan, users, number="04", issued_on=date(2024, 1, 5))
    log.made(f"kế hoạch CCHC năm 2024 của {commune} ({plan.areas.count()} lĩnh vực, {_count(plan)} nhiệm vụ)")
    return plan


def _approve_and_issue(plan: Plan, users: dict[str, User], *, number: str, issued_on: date) -> None:
    office, chairman = users["vanphong"], users["chutich"]
    year = plan.year
    day0 = date(year - 1, 12, 30) if plan.source_plan_id else date(year, 1, 2)
    services.plan_transition(user=office, plan=plan, to=PlanStatus.SUBMITTED, at=_at(day0, 10))
    services.plan_transition(
        user=chairman, plan=plan, to=PlanStatus.APPROVED, note="Đồng ý ban hành.", at=_at(issued_on, 8)
    )
    services.plan_transition(
        user=office,
        plan=plan,
        to=PlanStatus.IN_EFFECT,
        number=number,
        issued_on=issued_on,
        at=_at(issued_on, 15),
    )


def _count(plan: Plan) -> int:
    return Task.objects.filter(area__plan=plan).count()


def _reporter(task: Task, users_by_dept: dict[int, User], office: User) -> User:
    return users_by_dept.get(task.lead_department_id, office)


def _report_progress(
    plan: Plan,
    users_by_dept: dict[int, User],
    office: User,
    *,
    upto: date,
    unfinished: dict[tuple[str, int], int],
    with_files: bool,
) -> int:
    """Progress updates as the departments would have posted them up to `upto`."""
    made = 0
    for task in Task.objects.filter(area__plan=plan).select_related("area", "lead_department"):
        reporter = _reporter(task, users_by_dept, office)
        dues = [d for d in task.occurrences() if d <= upto]
        if task.time_frame == TimeFrame.RECURRING:
            for i, due in enumerate(dues):
                last = i == len(task.occurrences()) - 1
                percent = 100 if last else min(95, round(100 * (i + 1) / len(task.occurrences())))
                services.task_report(
                    user=reporter,
                    task=task,
                    text=f"Đã thực hiện kỳ {i + 1}: {task.output.lower()} đúng hạn ngày {due:%d/%m/%Y}.",
                    percent=percent,
                    on=due,
                    today=due,
                    files=[_evidence(task, due, "pdf")] if with_files and i in (0, len(dues) - 1) else [],
                )
                made += 1
            continue
        start = task.start_date or date(plan.year, 1, 2)
        mid = start + (task.end_date - start) / 2
        if mid <= upto:
            services.task_report(
                user=reporter,
                task=task,
                text=f"Đang triển khai: {task.output.lower()}; đã hoàn thành phần lớn khối lượng dự kiến.",
                percent=50,
                on=mid,
                today=mid,
            )
            made += 1
        key = (task.area.kind, task.position)
        if task.end_date <= upto:
            finish = task.end_date
            if key in unfinished:
                services.task_report(
                    user=reporter,
                    task=task,
                    text="Chưa hoàn thành: đang chờ ý kiến của cấp trên; tiếp tục thực hiện trong kỳ sau.",
                    percent=unfinished[key],
                    on=finish,
                    today=finish,
                )
            else:
                kind = "docx" if task.position % 2 else "pdf"
                services.task_report(
                    user=reporter,
                    task=task,
                    text=f"Hoàn thành. Sản phẩm: {task.output}.",
                    percent=100,
                    status=TaskStatus.DONE,
                    on=finish,
                    today=finish,
                    files=[_evidence(task, finish, kind)] if with_files else [],
                )
            made += 1
    return made


def _rollover_2026_edits(plan: Plan, departments: dict[str, Department]) -> None:
    """What the standing office fixed in the 2026 draft after the roll-over and the
    consistency check: the superior is the city since the 2025 merger, the local
    programme has a new period, one deadline moved."""
    services.plan_update(
        user=None,
        plan=plan,
        basis=(
            "Thực hiện Kế hoạch số 318/KH-UBND ngày 26 tháng 12 năm 2025 của UBND thành phố Hải Phòng về cải cách "
            "hành chính nhà nước năm 2026; thực hiện Kế hoạch cải cách hành chính nhà nước xã Đức Xương giai đoạn "
            "2026-2030, UBND xã xây dựng Kế hoạch thực hiện cải cách hành chính nhà nước (CCHC) năm 2026 như sau:"
        ),
        recipients=RECIPIENTS.replace("UBND huyện (để báo cáo)", "UBND thành phố (để báo cáo)").replace(
            "Phòng Nội vụ huyện", "Sở Nội vụ thành phố"
        ),
    )
    local = plan.areas.get(kind=AreaKind.LOCAL)
    task = local.tasks.get()
    services.task_update(
        user=None,
        task=task,
        title="Thực hiện Đề án xây dựng chính quyền thân thiện giai đoạn 2026-2030",
        content=(
            "Triển khai thực hiện hiệu quả kế hoạch thực hiện Đề án xây dựng chính quyền thân thiện trên địa bàn xã "
            "Đức Xương giai đoạn 2026-2030."
        ),
    )
    evaluation = plan.areas.get(kind=AreaKind.CIVIL_SERVICE).tasks.get(position=3)
    today = timezone.localdate()
    if today.year == plan.year:
        from cchc.core.workcal import get_calendar

        # Due a few working days from now, so that the demo shows "sắp đến hạn".
        services.task_update(user=None, task=evaluation, end_date=get_calendar().add_working_days(today, 3))


def load(log: DemoLog) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        log.had("(chưa có xã Đức Xương: bỏ qua kế hoạch CCHC)")
        return
    departments = {d.code: d for d in Department.objects.filter(commune=commune)}
    users = {u.username: u for u in User.objects.filter(unit=commune)}
    if set(ALL_DEPTS) - set(departments) or not {"vanphong", "chutich"} <= set(users):
        log.had("(thiếu bộ phận hoặc tài khoản mẫu: bỏ qua kế hoạch CCHC)")
        return
    office = users["vanphong"]
    users_by_dept = {}
    for user in users.values():
        if user.department_id and user.role != "chairman":
            users_by_dept.setdefault(user.department_id, user)

    plan2024 = Plan.objects.filter(commune=commune, year=2024).first()
    if plan2024:
        log.had("kế hoạch CCHC năm 2024")
    else:
        plan2024 = _build_2024(log, commune, departments, users)
        made = _report_progress(
            plan2024,
            users_by_dept,
            office,
            upto=date(2024, 12, 31),
            unfinished=UNFINISHED_2024,
            with_files=True,
        )
        services.plan_transition(
            user=users["chutich"],
            plan=plan2024,
            to=PlanStatus.CLOSED,
            note="Tổng kết thực hiện Kế hoạch CCHC năm 2024.",
            at=_at(date(2025, 1, 10)),
        )
        log.made(f"{made} cập nhật tiến độ, minh chứng kế hoạch 2024", count=made)

    plan2025 = Plan.objects.filter(commune=commune, year=2025).first()
    if plan2025:
        log.had("kế hoạch CCHC năm 2025")
    else:
        plan2025 = services.plan_rollover(user=office, plan=plan2024)
        plan2025.events.update(at=_at(date(2024, 12, 20)))
        _approve_and_issue(plan2025, users, number="07", issued_on=date(2025, 1, 8))
        made = _report_progress(
            plan2025, users_by_dept, office, upto=date(2025, 12, 31), unfinished={}, with_files=False
        )
        services.plan_transition(
            user=users["chutich"], plan=plan2025, to=PlanStatus.CLOSED, at=_at(date(2026, 1, 9))
        )
        log.made(f"kế hoạch CCHC năm 2025 (chuyển tiếp, {made} cập nhật tiến độ)")

    plan2026 = Plan.objects.filter(commune=commune, year=2026).first()
    if plan2026:
        log.had("kế hoạch CCHC năm 2026")
        return
    plan2026 = services.plan_rollover(user=office, plan=plan2025)
    plan2026.events.update(at=_at(date(2025, 12, 29)))
    _rollover_2026_edits(plan2026, departments)
    _approve_and_issue(plan2026, users, number="05", issued_on=date(2026, 1, 6))
    today = timezone.localdate()
    upto = min(today, date(2026, 12, 31))
    made = _report_progress(
        plan2026,
        users_by_dept,
        office,
        upto=upto,
        # Two tasks fell behind: they show as overdue in the departments' lists.
        unfinished={(AreaKind.CIVIL_SERVICE, 1): 40, (AreaKind.DIGITAL, 0): 60},
        with_files=True,
    )
    log.made(f"kế hoạch CCHC năm 2026 (chuyển tiếp, đang thực hiện, {made} cập nhật tiến độ)")
