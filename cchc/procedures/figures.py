"""Figures of the procedure catalogue (thủ tục hành chính), declared once for the whole
product (catalogue: `cchc.core.figures`; list: docs/figures.md).

The catalogue keeps no history: these figures describe it as it stands when they are
read, whatever the window (a report frozen when sent keeps the value of that day).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from cchc.core.figures import PERCENT, Figure, Scope, percent, register

from .models import PUBLISHED_COMPLETE, OnlineLevel, Procedure

PROCEDURES = "thủ tục"
SOURCE = "NĐ 63/2010/NĐ-CP (sửa đổi bởi NĐ 48/2013, NĐ 92/2017); docs/rules.md §3, §15"


@dataclass(frozen=True)
class CatalogueCounts:
    total: int = 0
    published: int = 0
    online: int = 0
    online_full: int = 0

    @property
    def published_rate(self):
        return percent(self.published, self.total)

    @property
    def online_rate(self):
        return percent(self.online, self.total)


def _grouped(scope: Scope) -> dict[int, CatalogueCounts]:
    rows = (
        Procedure.objects.filter(commune_id__in=scope.commune_ids)
        .values("commune_id")
        .annotate(
            # Named n_*: an annotation called "online" would hide the field in the filters.
            n_total=Count("pk"),
            n_online=Count("pk", filter=Q(online=True)),
            n_online_full=Count("pk", filter=Q(online=True, online_level=OnlineLevel.FULL.value)),
            n_published=Count("pk", filter=PUBLISHED_COMPLETE),
        )
        .order_by()
    )
    found = {
        row["commune_id"]: CatalogueCounts(
            total=row["n_total"],
            published=row["n_published"],
            online=row["n_online"],
            online_full=row["n_online_full"],
        )
        for row in rows
    }
    return {cid: found.get(cid, CatalogueCounts()) for cid in scope.commune_ids}


def counts(scope: Scope) -> CatalogueCounts:
    total = CatalogueCounts()
    for c in _grouped(scope).values():
        total = CatalogueCounts(
            total.total + c.total,
            total.published + c.published,
            total.online + c.online,
            total.online_full + c.online_full,
        )
    return total


counts.by_commune = _grouped


TOTAL = Figure(
    key="procedures.total",
    label="Thủ tục hành chính trong danh mục",
    unit=PROCEDURES,
    definition="Số thủ tục hành chính trong danh mục của xã (mọi trạng thái), tại thời điểm xem số liệu.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.total,
)
PUBLISHED = Figure(
    key="procedures.published",
    label="Thủ tục công khai đầy đủ, đã rà soát",
    unit=PROCEDURES,
    definition=(
        "Số thủ tục đang công khai, không còn cờ “cần rà soát”, có thời hạn giải quyết dùng được (số và "
        "đơn vị, hoặc “trong ngày”) và mọi phần công khai (thời hạn, phí, thành phần hồ sơ, trình tự, điều "
        "kiện, đối tượng, căn cứ pháp lý, kết quả) đã được người rà soát. Thủ tục còn phần “đang cập nhật” "
        "không tính: người dân chưa làm theo được."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.published,
)
PUBLISHED_RATE = Figure(
    key="procedures.published_rate",
    label="Tỷ lệ thủ tục được công khai đầy đủ",
    unit=PERCENT,
    definition=(
        "Thủ tục công khai đầy đủ, đã rà soát ÷ thủ tục trong danh mục × 100 (chỉ tiêu 100% TTHC được công "
        "khai của kế hoạch CCHC). Danh mục trống: chưa có dữ liệu."
    ),
    source=SOURCE + "; Kế hoạch CCHC",
    provider=counts,
    pick=lambda c: c.published_rate,
    numerator=PUBLISHED,
    denominator=TOTAL,
)
ONLINE = Figure(
    key="procedures.online",
    label="Thủ tục cung cấp dịch vụ công trực tuyến",
    unit=PROCEDURES,
    definition="Số thủ tục nhận hồ sơ trực tuyến (toàn trình hoặc một phần) trong danh mục của xã.",
    source="NĐ 42/2022/NĐ-CP; docs/rules.md §2",
    provider=counts,
    pick=lambda c: c.online,
)
ONLINE_FULL = Figure(
    key="procedures.online_full",
    label="Thủ tục dịch vụ công trực tuyến toàn trình",
    unit=PROCEDURES,
    definition="Số thủ tục cung cấp dịch vụ công trực tuyến toàn trình (NĐ 42/2022/NĐ-CP) trong danh mục.",
    source="NĐ 42/2022/NĐ-CP; docs/rules.md §2",
    provider=counts,
    pick=lambda c: c.online_full,
)
ONLINE_RATE = Figure(
    key="procedures.online_rate",
    label="Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến",
    unit=PERCENT,
    definition=(
        "Thủ tục cung cấp dịch vụ công trực tuyến (toàn trình hoặc một phần) ÷ thủ tục trong danh mục × 100. "
        "Danh mục trống: chưa có dữ liệu."
    ),
    source="NĐ 42/2022/NĐ-CP; docs/rules.md §2",
    provider=counts,
    pick=lambda c: c.online_rate,
    numerator=ONLINE,
    denominator=TOTAL,
)

STATISTICS = (TOTAL, PUBLISHED, PUBLISHED_RATE, ONLINE, ONLINE_FULL, ONLINE_RATE)

register(*STATISTICS)
