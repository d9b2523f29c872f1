"""Demo catalogue: the real national list of commune-level procedures
(`data/tthc_cap_xa.csv`, 253 rows, as published mid-2026) loaded into xã Đức Xương
and xã Gia Lộc through the same import as `cchc import-procedures`, with handling
departments from the default field table, and document lists for the procedures a
commune counter handles most (civil status and certification)."""

from __future__ import annotations

from pathlib import Path

from cchc.core.demo import DemoLog
from cchc.org.models import Unit

from .models import Procedure
from .services import procedure_update, procedures_import

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "tthc_cap_xa.csv"
COMMUNES = ["ducxuong", "gialoc"]

# Thành phần hồ sơ per Luật Hộ tịch 2014, NĐ 123/2015/NĐ-CP and NĐ 23/2015/NĐ-CP.
DOCUMENTS = {
    "1.001193": [  # Đăng ký khai sinh
        "Tờ khai đăng ký khai sinh (theo mẫu)",
        "Giấy chứng sinh; nếu không có thì văn bản của người làm chứng xác nhận về việc sinh hoặc giấy cam đoan về việc sinh",
        "Biên bản xác nhận việc trẻ bị bỏ rơi (nếu là trẻ bị bỏ rơi)",
        "Văn bản chứng minh việc mang thai hộ (nếu sinh con bằng kỹ thuật mang thai hộ)",
        "Xuất trình: giấy tờ tùy thân của người đi đăng ký (thẻ căn cước, hộ chiếu)",
        "Xuất trình: Giấy chứng nhận kết hôn của cha, mẹ (nếu cha, mẹ đã đăng ký kết hôn)",
    ],
    "1.000894": [  # Đăng ký kết hôn
        "Tờ khai đăng ký kết hôn (theo mẫu; hai bên có thể khai chung một tờ khai)",
        "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký kết hôn tại xã không phải nơi thường trú)",
        "Trích lục ghi chú ly hôn (nếu đã ly hôn, hủy việc kết hôn ở nước ngoài)",
        "Xuất trình: giấy tờ tùy thân của hai bên nam, nữ (thẻ căn cước, hộ chiếu)",
        "Hai bên nam, nữ có mặt khi đăng ký kết hôn",
    ],
    "2.000815": [  # Chứng thực bản sao từ bản chính
        "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao",
        "Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị bản sao)",
    ],
    "2.000884": [  # Chứng thực chữ ký
        "Giấy tờ tùy thân còn giá trị của người yêu cầu chứng thực (bản chính hoặc bản sao có chứng thực)",
        "Giấy tờ, văn bản mà người yêu cầu chứng thực sẽ ký",
    ],
    "1.000656": [  # Đăng ký khai tử
        "Tờ khai đăng ký khai tử (theo mẫu)",
        "Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp",
        "Xuất trình: giấy tờ tùy thân của người đi đăng ký",
    ],
    "1.004873": [  # Cấp Giấy xác nhận tình trạng hôn nhân
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)",
        "Bản án, quyết định ly hôn có hiệu lực hoặc giấy chứng tử của vợ/chồng (nếu đã có vợ/chồng nhưng đã ly hôn hoặc người kia đã chết)",
        "Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (nếu xin cấp lại)",
        "Xuất trình: giấy tờ tùy thân của người yêu cầu",
    ],
}


# The national file gives these civil-status procedures a bare "1"/"3" with no unit
# (so they are flagged and cannot receive dossiers). In the demo the CCHC office
# has reviewed them against the Law on Civil Status and NĐ 23/2015 (certification).
REVIEWED_TIMES = {
    "1.001193": (1, "working_days"),  # Đăng ký khai sinh
    "1.000894": (1, "working_days"),  # Đăng ký kết hôn
    "1.000656": (1, "working_days"),  # Đăng ký khai tử
    "1.004873": (3, "working_days"),  # Cấp Giấy xác nhận tình trạng hôn nhân
    # Certification: same day, next working day after the afternoon cut-off (NĐ 23/2015 art. 7).
    "2.000815": (None, "same_day"),  # Chứng thực bản sao từ bản chính
    "2.000884": (None, "same_day"),  # Chứng thực chữ ký
    "2.000908": (None, "same_day"),  # Cấp bản sao từ sổ gốc
}


def load(log: DemoLog) -> None:
    content = CATALOGUE_FILE.read_bytes()
    for slug in COMMUNES:
        commune = Unit.objects.filter(slug=slug).first()
        if commune is None:
            continue
        existing = Procedure.objects.filter(commune=commune).count()
        if existing:
            log.had(f"danh mục {existing} thủ tục ({commune})")
        else:
            report = procedures_import(commune=commune, content=content, file_name=CATALOGUE_FILE.name)
            log.made(
                f"danh mục {report.created} thủ tục ({commune}); {report.flagged} cần rà soát",
                count=report.created,
            )
        for code, documents in DOCUMENTS.items():
            procedure = Procedure.objects.filter(commune=commune, code=code).first()
            if procedure is None:
                continue
            if procedure.documents:
                log.had(f"thành phần hồ sơ {code} ({commune})")
                continue
            procedure_update(user=None, procedure=procedure, changes={"documents": "\n".join(documents)})
            log.made(f"thành phần hồ sơ {code} ({commune})")
        for code, (amount, unit) in REVIEWED_TIMES.items():
            procedure = Procedure.objects.filter(commune=commune, code=code).first()
            if procedure is None:
                continue
            if procedure.time_unit:
                log.had(f"thời hạn đã rà soát {code} ({commune})")
                continue
            procedure_update(
                user=None, procedure=procedure, changes={"time_amount": amount, "time_unit": unit}
            )
            log.made(f"thời hạn đã rà soát {code}: {procedure.time_display} ({commune})")
