"""Figures of petitions on administrative regulations (phản ánh, kiến nghị), declared
once for the whole product (catalogue: `cchc.core.figures`; list: docs/figures.md)."""

from __future__ import annotations

from cchc.core.figures import PERCENT, Figure, Scope, register

from .services import PetitionCounts, petition_counts

PETITIONS = "phản ánh, kiến nghị"
SOURCE = "NĐ 20/2008/NĐ-CP (sửa đổi bởi NĐ 48/2013, NĐ 92/2017); docs/rules.md §10"


def _args(scope: Scope) -> dict:
    return dict(commune_ids=scope.commune_ids, date_from=scope.date_from, date_to=scope.date_to, at=scope.now)


def counts(scope: Scope) -> PetitionCounts:
    return petition_counts(**_args(scope))


counts.by_commune = lambda scope: petition_counts(**_args(scope), grouped=True)


RECEIVED = Figure(
    key="petitions.received",
    label="Phản ánh, kiến nghị tiếp nhận",
    unit=PETITIONS,
    definition=(
        "Số phản ánh, kiến nghị về quy định hành chính tiếp nhận trong kỳ (thời điểm tiếp nhận trong cửa sổ "
        "số liệu), mọi kết quả xử lý."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.received,
)
ANSWERED = Figure(
    key="petitions.answered",
    label="Phản ánh, kiến nghị đã có trả lời",
    unit=PETITIONS,
    definition=(
        "Trong số tiếp nhận trong kỳ, số phản ánh đã có văn bản trả lời (đã trả lời, đã duyệt hoặc đã công khai)."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.answered,
)
ANSWERED_ON_TIME = Figure(
    key="petitions.answered_on_time",
    label="Phản ánh, kiến nghị trả lời đúng hạn",
    unit=PETITIONS,
    definition=(
        "Trong số đã có trả lời, số phản ánh có trả lời được chốt (ngày duyệt; chưa duyệt: ngày dự thảo trả "
        "lời gần nhất) không muộn hơn hạn trả lời."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.answered_on_time,
)
OVERDUE = Figure(
    key="petitions.overdue",
    label="Phản ánh, kiến nghị đang quá hạn",
    unit=PETITIONS,
    definition=(
        "Trong số tiếp nhận trong kỳ, số phản ánh còn đang xử lý và đã qua hạn của bước hiện tại, tính tại "
        "thời điểm xem số liệu."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.overdue,
)
ON_TIME_RATE = Figure(
    key="petitions.on_time_rate",
    label="Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn",
    unit=PERCENT,
    definition=(
        "Số trả lời đúng hạn ÷ số đã có trả lời × 100 (chỉ tiêu “xử lý phản ánh, kiến nghị đúng hạn” của "
        "QĐ 766). Chưa có trả lời nào: chưa có dữ liệu."
    ),
    source=SOURCE + "; QĐ 766/QĐ-TTg",
    provider=counts,
    pick=lambda c: c.on_time_rate,
    numerator=ANSWERED_ON_TIME,
    denominator=ANSWERED,
)
RATED = Figure(
    key="petitions.rated",
    label="Đánh giá của người phản ánh",
    unit="lượt",
    definition="Số đánh giá của người gửi đối với các phản ánh tiếp nhận trong kỳ (mỗi phản ánh một lần).",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.rated,
)
SATISFIED = Figure(
    key="petitions.satisfied",
    label="Người phản ánh hài lòng",
    unit="lượt",
    definition="Trong số đánh giá của người gửi, số đánh giá hài lòng với việc xử lý.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.satisfied,
)
SATISFACTION_RATE = Figure(
    key="petitions.satisfaction_rate",
    label="Tỷ lệ hài lòng về xử lý phản ánh, kiến nghị",
    unit=PERCENT,
    definition=(
        "Số người phản ánh đánh giá hài lòng ÷ số đánh giá của các phản ánh tiếp nhận trong kỳ × 100 "
        "(QĐ 766: hài lòng về việc tiếp nhận, xử lý phản ánh). Chưa có đánh giá: chưa có dữ liệu."
    ),
    source=SOURCE + "; QĐ 766/QĐ-TTg",
    provider=counts,
    pick=lambda c: c.satisfaction_rate,
    numerator=SATISFIED,
    denominator=RATED,
)

NOT_ACCEPTED = Figure(
    key="petitions.not_accepted",
    label="Phản ánh, kiến nghị không tiếp nhận xử lý",
    unit=PETITIONS,
    definition="Trong số tiếp nhận trong kỳ, số phản ánh được phân loại là không thuộc diện xử lý (không tiếp nhận).",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.not_accepted,
)
TRANSFERRED = Figure(
    key="petitions.transferred",
    label="Phản ánh, kiến nghị chuyển cơ quan khác",
    unit=PETITIONS,
    definition=(
        "Trong số tiếp nhận trong kỳ, số phản ánh đã chuyển đi: về hành vi của cán bộ, công chức, hoặc ngoài "
        "thẩm quyền của xã."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.transferred,
)
PUBLISHED = Figure(
    key="petitions.published",
    label="Phản ánh, kiến nghị đã công khai trả lời",
    unit=PETITIONS,
    definition="Trong số tiếp nhận trong kỳ, số phản ánh đã công khai kết quả trả lời.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.published,
)
STATISTICS = (RECEIVED, ANSWERED, ANSWERED_ON_TIME, OVERDUE, ON_TIME_RATE, SATISFACTION_RATE)
ALL = (*STATISTICS, NOT_ACCEPTED, TRANSFERRED, PUBLISHED, RATED, SATISFIED)

register(*ALL)
