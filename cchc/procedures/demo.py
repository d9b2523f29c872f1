"""Demo catalogue: the real national list of commune-level procedures
(`data/tthc_cap_xa.csv`, 253 rows, as published mid-2026) loaded into xã Đức Xương
and xã Gia Lộc through the same import as `cchc import-procedures`, with handling
departments from the default field table; their published required documents and
details (`data/tthc_thanh_phan.csv`, `data/tthc_chi_tiet.csv`) through the same
import as `cchc import-procedure-details`; the everyday civil-status and
certification procedures reviewed for publication by the CCHC office."""

from __future__ import annotations

from pathlib import Path

from cchc.core.demo import DemoLog
from cchc.org.models import Unit

from .models import PARTS, Procedure, Requirement
from .services import (
    procedure_details_import,
    procedure_parts_review,
    procedure_review_clear,
    procedure_update,
    procedures_import,
    required_document_update,
)

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "tthc_cap_xa.csv"
COMMUNES = ["ducxuong", "gialoc"]

DOCUMENTS_FILE = CATALOGUE_FILE.parent / "tthc_thanh_phan.csv"
DETAILS_FILE = CATALOGUE_FILE.parent / "tthc_chi_tiet.csv"
# Lines the CCHC office marked as required when it reviewed the everyday procedures
# (the published required/optional flag was lost in collection): code → positions.
REVIEWED_REQUIRED = {
    "1.001193": [5, 32],  # Giấy chứng sinh; Tờ khai đăng ký khai sinh
    "1.000656": [1, 26],  # Giấy báo tử; Tờ khai đăng ký khai tử
    "1.000894": [23],  # Tờ khai đăng ký kết hôn
    "1.004873": [32],  # Tờ khai cấp Giấy xác nhận tình trạng hôn nhân
    "2.000815": [1],  # Bản chính giấy tờ làm cơ sở chứng thực và bản sao
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
        report = procedure_details_import(
            commune=commune,
            documents_content=DOCUMENTS_FILE.read_bytes(),
            details_content=DETAILS_FILE.read_bytes(),
        )
        counts = report.counts()
        if counts["created"] or counts["updated"]:
            log.made(
                f"thành phần hồ sơ, chi tiết của {counts['created'] + counts['updated']} thủ tục ({commune})",
                count=counts["created"] + counts["updated"],
            )
        else:
            log.had(f"thành phần hồ sơ, chi tiết của {counts['unchanged']} thủ tục ({commune})")
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
        _review_publication(log, commune)


def _review_publication(log: DemoLog, commune: Unit) -> None:
    """The everyday procedures, reviewed part by part, are what the public page shows in full."""
    for code in REVIEWED_TIMES:
        procedure = Procedure.objects.filter(commune=commune, code=code).first()
        if procedure is None:
            continue
        for document in procedure.required_documents.filter(seq__in=REVIEWED_REQUIRED.get(code, [])):
            required_document_update(
                user=None, document=document, changes={"requirement": Requirement.REQUIRED}
            )
        if procedure.publication_complete:
            log.had(f"công khai đầy đủ {code} ({commune})")
            continue
        if procedure.needs_review:
            procedure = procedure_review_clear(user=None, procedure=procedure)
        procedure_parts_review(user=None, procedure=procedure, parts=PARTS)
        log.made(f"công khai đầy đủ, đã rà soát {code} ({commune})")
