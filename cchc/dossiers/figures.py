"""Figures of the one-stop shop, declared once for the whole product (the catalogue:
`cchc.core.figures`; the list with definitions: docs/figures.md).

They take the shape of the national statistics table of procedures (TT 01/2020/TT-VPCP,
table II.06a): received in the window (online / in person and by post) and carried
over from before it, finished (early / on time / late), still being handled at the
window's end (within time / overdue), plus the commune's own counts (refused,
withdrawn, waiting for a supplement) and two named rates. Every figure can be
filtered by field, department and procedure (the table is per field); the flows can
also be counted per officer ("figures by officer").

All of them read one typed bundle, `stats.DossierCounts`, computed lazily per scope:
asking for "received" never counts open dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from cchc.core.figures import PERCENT, Figure, Scope, percent, register
from cchc.procedures.models import OnlineLevel

from .models import (
    Channel,
    DocumentKind,
    DocumentSource,
    DossierDocument,
    Outcome,
    PaymentMethod,
    ReturnMode,
    Status,
)
from .stats import (
    DossierCounts,
    bounds,
    dossier_counts,
    dossier_counts_by_commune,
    dossier_counts_by_field,
    filtered_dossiers,
    judged_at,
    progress_in_time_q,
    progress_rows,
)

DOSSIERS = "hồ sơ"
FILTERS = frozenset({"department", "procedure", "field"})
OFFICER_FILTERS = FILTERS | {"officer"}

SOURCE_TABLE = "TT 01/2020/TT-VPCP, biểu II.06a; docs/rules.md §7, §11"
SOURCE_FLOW = "NĐ 118/2025/NĐ-CP; TT 01/2020/TT-VPCP, biểu II.06a; docs/rules.md §4, §7"


def _filters(scope: Scope) -> dict:
    return {
        "department": scope.get("department"),
        "procedure": scope.get("procedure"),
        "field": scope.get("field"),
    }


def counts(scope: Scope) -> DossierCounts:
    """The bundle of one scope (all its communes together)."""
    return dossier_counts(
        commune_ids=scope.commune_ids,
        date_from=scope.date_from,
        date_to=scope.date_to,
        officer=scope.get("officer"),
        now=scope.now,
        **_filters(scope),
    )


def _counts_by_commune(scope: Scope) -> dict[int, DossierCounts]:
    return dossier_counts_by_commune(
        commune_ids=scope.commune_ids,
        date_from=scope.date_from,
        date_to=scope.date_to,
        now=scope.now,
        **_filters(scope),
    )


counts.by_commune = _counts_by_commune  # one GROUP BY per part for a whole province


def evaluate_by_field(figures, scope: Scope) -> dict[str, dict]:
    """The values of dossier `figures` for each field of the scope's catalogue (the
    rows of table II.06a), each part of the counts one query grouped by field — the
    same values as `evaluate` with a `field` filter, field by field."""
    for figure in figures:
        figure.check_scope(scope)
        if figure.provider is not counts:
            raise ValueError(f"{figure.key}: không phải số liệu hồ sơ đếm theo lĩnh vực.")
    bundles = dossier_counts_by_field(
        commune_ids=scope.commune_ids,
        date_from=scope.date_from,
        date_to=scope.date_to,
        now=scope.now,
        **_filters(scope),
    )
    return {name: {figure: figure.pick(bundle) for figure in figures} for name, bundle in bundles.items()}


# --- drill-down: the rows a figure counted ------------------------------------------------
def _rows(scope: Scope):
    return filtered_dossiers(commune_ids=scope.commune_ids, **_filters(scope))


def _received_rows(scope: Scope):
    start, end = bounds(scope.date_from, scope.date_to)
    return _rows(scope).filter(received_at__gte=start, received_at__lt=end)


def _finished_rows(scope: Scope):
    start, end = bounds(scope.date_from, scope.date_to)
    return _rows(scope).filter(finished_at__gte=start, finished_at__lt=end)


def _withdrawn_rows(scope: Scope):
    start, end = bounds(scope.date_from, scope.date_to)
    return _rows(scope).filter(withdrawn_at__gte=start, withdrawn_at__lt=end)


def _outcome_rows(outcome: str):
    return lambda scope: _finished_rows(scope).filter(finish_outcome=outcome)


# --- received -------------------------------------------------------------------------------
RECEIVED = Figure(
    key="dossiers.received",
    label="Hồ sơ tiếp nhận mới trong kỳ",
    unit=DOSSIERS,
    definition=(
        "Số hồ sơ được tiếp nhận trong kỳ (thời điểm tiếp nhận trong cửa sổ số liệu). Hồ sơ nộp "
        "trực tuyến được tính khi Bộ phận Một cửa tiếp nhận; hồ sơ đang chờ tiếp nhận (mã 1) hoặc "
        "bị từ chối tiếp nhận chưa từng được tiếp nhận nên không tính."
    ),
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.received,
    filters=OFFICER_FILTERS,
    records=_received_rows,
)
RECEIVED_ONLINE = Figure(
    key="dossiers.received_online",
    label="Hồ sơ tiếp nhận trực tuyến",
    unit=DOSSIERS,
    definition="Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ nộp qua kênh trực tuyến.",
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.online,
    filters=OFFICER_FILTERS,
    records=lambda scope: _received_rows(scope).filter(channel=Channel.ONLINE),
)
RECEIVED_OFFLINE = Figure(
    key="dossiers.received_offline",
    label="Hồ sơ tiếp nhận trực tiếp và qua bưu chính",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ nộp trực tiếp tại Bộ phận Một cửa hoặc qua "
        "dịch vụ bưu chính công ích (biểu II.06a gộp hai kênh này)."
    ),
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.offline,
    filters=OFFICER_FILTERS,
    records=lambda scope: _received_rows(scope).exclude(channel=Channel.ONLINE),
)
CARRIED_OVER = Figure(
    key="dossiers.carried_over",
    label="Hồ sơ từ kỳ trước chuyển sang",
    unit=DOSSIERS,
    definition=(
        "Số hồ sơ đã tiếp nhận trước ngày đầu kỳ và chưa giải quyết xong, chưa rút vào lúc bắt đầu "
        "kỳ (0 giờ ngày đầu kỳ) — tức số hồ sơ đang giải quyết cuối kỳ trước."
    ),
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.carried_over,
    filters=FILTERS,
)
TO_HANDLE = Figure(
    key="dossiers.to_handle",
    label="Tổng số hồ sơ nhận giải quyết",
    unit=DOSSIERS,
    definition=(
        "Hồ sơ từ kỳ trước chuyển sang + hồ sơ tiếp nhận mới trong kỳ. Bằng số đã giải quyết + số rút "
        "trong kỳ + số đang giải quyết cuối kỳ."
    ),
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.to_handle,
    filters=FILTERS,
)

# --- finished ---------------------------------------------------------------------------------
FINISHED = Figure(
    key="dossiers.finished",
    label="Hồ sơ đã giải quyết",
    unit=DOSSIERS,
    definition=(
        "Số hồ sơ kết thúc giải quyết trong kỳ: thời điểm đầu tiên trong các bước giải quyết xong → "
        "trả kết quả → từ chối / dừng giải quyết. Hồ sơ bị từ chối hoặc dừng cũng tính là đã giải quyết."
    ),
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.finished,
    filters=OFFICER_FILTERS,
    records=_finished_rows,
)
FINISHED_EARLY = Figure(
    key="dossiers.finished_early",
    label="Giải quyết trước hạn",
    unit=DOSSIERS,
    definition="Trong số đã giải quyết, số hồ sơ kết thúc trước ngày hẹn trả (hạn giải quyết hiệu lực).",
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.early,
    filters=OFFICER_FILTERS,
    records=_outcome_rows(Outcome.EARLY),
)
FINISHED_ON_TIME = Figure(
    key="dossiers.finished_on_time",
    label="Giải quyết đúng hạn",
    unit=DOSSIERS,
    definition=(
        "Trong số đã giải quyết, số hồ sơ kết thúc đúng ngày hạn giải quyết (hạn đã cộng thời gian chờ "
        "bổ sung; thư xin lỗi hẹn lại không làm dời hạn)."
    ),
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.on_time,
    filters=OFFICER_FILTERS,
    records=_outcome_rows(Outcome.ON_TIME),
)
FINISHED_IN_TIME = Figure(
    key="dossiers.finished_in_time",
    label="Giải quyết đúng thời hạn (trước hạn và đúng hạn)",
    unit=DOSSIERS,
    definition="Số hồ sơ giải quyết trước hạn + đúng hạn (cột “trả đúng thời hạn” của biểu II.06a).",
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.in_time,
    filters=OFFICER_FILTERS,
    records=lambda scope: _finished_rows(scope).exclude(finish_outcome=Outcome.LATE),
)
FINISHED_LATE = Figure(
    key="dossiers.finished_late",
    label="Giải quyết quá hạn",
    unit=DOSSIERS,
    definition=(
        "Trong số đã giải quyết, số hồ sơ kết thúc sau hạn giải quyết, hoặc đã bị yêu cầu bổ sung lần "
        "thứ hai (QĐ 766/QĐ-TTg tính là quá hạn)."
    ),
    source=SOURCE_FLOW + "; QĐ 766/QĐ-TTg",
    provider=counts,
    pick=lambda c: c.late,
    filters=OFFICER_FILTERS,
    records=_outcome_rows(Outcome.LATE),
)
REFUSED = Figure(
    key="dossiers.refused",
    label="Hồ sơ từ chối giải quyết",
    unit=DOSSIERS,
    definition=(
        "Trong số đã giải quyết, số hồ sơ đã tiếp nhận rồi bị từ chối (mẫu 03). Hồ sơ trực tuyến bị từ "
        "chối ngay khi kiểm tra (chưa tiếp nhận) không tính."
    ),
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.refused,
    filters=OFFICER_FILTERS,
    records=lambda scope: _finished_rows(scope).filter(status=Status.REFUSED),
)
WITHDRAWN = Figure(
    key="dossiers.withdrawn",
    label="Hồ sơ rút theo yêu cầu",
    unit=DOSSIERS,
    definition="Số hồ sơ người nộp xin rút trong kỳ (mã 7). Hồ sơ rút không có kết quả đúng hạn / quá hạn.",
    source=SOURCE_FLOW,
    provider=counts,
    pick=lambda c: c.withdrawn,
    filters=OFFICER_FILTERS,
    records=_withdrawn_rows,
)

# --- being handled at the window's end -----------------------------------------------------------
OPEN = Figure(
    key="dossiers.open",
    label="Hồ sơ đang giải quyết cuối kỳ",
    unit=DOSSIERS,
    definition=(
        "Số hồ sơ đã tiếp nhận và chưa giải quyết xong, chưa rút vào cuối kỳ (24 giờ ngày cuối kỳ; nếu kỳ "
        "chưa kết thúc: thời điểm hiện tại), kể cả hồ sơ đang chờ công dân bổ sung."
    ),
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.open,
    filters=FILTERS,
)
OPEN_WITHIN = Figure(
    key="dossiers.open_within",
    label="Đang giải quyết, chưa đến hạn",
    unit=DOSSIERS,
    definition=(
        "Hồ sơ đang giải quyết cuối kỳ mà chưa quá hạn: hạn giải quyết chưa qua, hoặc đang chờ công dân "
        "bổ sung (thời gian chờ không tính vào thời hạn). Bằng đang giải quyết − quá hạn."
    ),
    source=SOURCE_TABLE,
    provider=counts,
    pick=lambda c: c.open_within,
    filters=FILTERS,
)
OPEN_LATE = Figure(
    key="dossiers.open_late",
    label="Đang giải quyết, quá hạn",
    unit=DOSSIERS,
    definition=(
        "Hồ sơ đang giải quyết cuối kỳ đã qua hạn giải quyết (hoặc đã bị yêu cầu bổ sung lần hai), trừ "
        "hồ sơ đang chờ công dân bổ sung: khi chờ bổ sung, thời hạn tạm dừng nên hồ sơ không quá hạn."
    ),
    source=SOURCE_TABLE + "; QĐ 766/QĐ-TTg",
    provider=counts,
    pick=lambda c: c.open_late,
    filters=FILTERS,
)
OPEN_WAITING = Figure(
    key="dossiers.open_waiting",
    label="Đang chờ công dân bổ sung",
    unit=DOSSIERS,
    definition=(
        "Hồ sơ đang giải quyết cuối kỳ có yêu cầu bổ sung (mẫu 02) đã gửi trước thời điểm đó và chưa nhận "
        "được bổ sung. Không tính là quá hạn, cũng không tính là sắp đến hạn; hạn được tính lại khi nhận bổ sung."
    ),
    source="NĐ 118/2025/NĐ-CP; docs/rules.md §7",
    provider=counts,
    pick=lambda c: c.open_waiting,
    filters=FILTERS,
)

# --- rates (each names its definition: several are in use, docs/rules.md §7) ----------------------
ON_TIME_RATE = Figure(
    key="dossiers.on_time_rate",
    label="Tỷ lệ giải quyết đúng hạn (trên số đã giải quyết)",
    unit=PERCENT,
    definition=(
        "(Trước hạn + đúng hạn) ÷ số hồ sơ đã giải quyết trong kỳ × 100. Chỉ tính hồ sơ đã giải quyết; "
        "hồ sơ còn đang giải quyết không có trong mẫu số. Không có hồ sơ đã giải quyết: chưa có dữ liệu. "
        "Khác với chỉ số “tiến độ” của QĐ 766 (tính trên số hồ sơ tiếp nhận, kể cả hồ sơ còn trong hạn)."
    ),
    source="Kế hoạch CCHC (chỉ tiêu 98–100% đúng hạn); docs/rules.md §3, §7",
    provider=counts,
    pick=lambda c: c.on_time_rate,
    filters=OFFICER_FILTERS,
    numerator=FINISHED_IN_TIME,
    denominator=FINISHED,
)
ONLINE_RATE = Figure(
    key="dossiers.online_rate",
    label="Tỷ lệ hồ sơ tiếp nhận trực tuyến",
    unit=PERCENT,
    definition=(
        "Hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận mới trong kỳ × 100. Hồ sơ trực tuyến đang chờ "
        "tiếp nhận chưa tính. Không có hồ sơ tiếp nhận: chưa có dữ liệu."
    ),
    source="NĐ 42/2022/NĐ-CP; QĐ 766/QĐ-TTg; docs/rules.md §2, §14",
    provider=counts,
    pick=lambda c: c.online_rate,
    filters=OFFICER_FILTERS,
    numerator=RECEIVED_ONLINE,
    denominator=RECEIVED,
)


# --- QĐ 766 "progress" (tiến độ giải quyết): on received dossiers, open ones judged at the end ---------
# Picked from the counts' bundle: the same day summaries and scans of open dossiers
# (`dossiers.stats._Source.progress`).


def _progress_received_rows(scope: Scope):
    return progress_rows(
        commune_ids=scope.commune_ids, date_from=scope.date_from, date_to=scope.date_to, **_filters(scope)
    )


def _progress_in_time_rows(scope: Scope):
    return _progress_received_rows(scope).filter(progress_in_time_q(judged_at(scope.date_to, scope.now)))


SOURCE_766 = "QĐ 766/QĐ-TTg (chỉ số “Tiến độ giải quyết”); docs/service-index.md"

PROGRESS_RECEIVED = Figure(
    key="dossiers.progress_received",
    label="Hồ sơ tiếp nhận trong kỳ (mẫu số chỉ số tiến độ QĐ 766)",
    unit=DOSSIERS,
    definition=(
        "Số hồ sơ được tiếp nhận trong kỳ — cùng cách đếm với “Hồ sơ tiếp nhận mới trong kỳ”, đếm thẳng trên "
        "hồ sơ để đối chiếu từng hồ sơ với tử số."
    ),
    source=SOURCE_766,
    provider=counts,
    pick=lambda c: c.progress.received,
    filters=FILTERS,
    records=_progress_received_rows,
)
PROGRESS_IN_TIME = Figure(
    key="dossiers.progress_in_time",
    label="Hồ sơ xử lý trước hạn, đúng hạn (kể cả đang xử lý trong hạn cuối kỳ)",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận trong kỳ, số hồ sơ vào cuối kỳ (24 giờ ngày cuối kỳ; kỳ chưa kết thúc: thời "
        "điểm hiện tại) đã giải quyết xong trước hạn hoặc đúng hạn, hoặc còn đang giải quyết mà chưa quá hạn "
        "(hạn đã cộng thời gian chờ bổ sung; hồ sơ đang chờ bổ sung tính là trong hạn). Hồ sơ bị yêu cầu bổ "
        "sung lần thứ hai là quá hạn; hồ sơ đã rút không tính."
    ),
    source=SOURCE_766,
    provider=counts,
    pick=lambda c: c.progress.in_time,
    filters=FILTERS,
    records=_progress_in_time_rows,
)
PROGRESS_RATE = Figure(
    key="dossiers.progress_rate",
    label="Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn trên số tiếp nhận (tiến độ QĐ 766)",
    unit=PERCENT,
    definition=(
        "Hồ sơ xử lý trước hạn, đúng hạn (kể cả đang xử lý trong hạn cuối kỳ) ÷ hồ sơ tiếp nhận trong kỳ × 100 "
        "— chỉ số “Tiến độ giải quyết” của Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg; 20 điểm "
        "× tỷ lệ này). Khác “Tỷ lệ giải quyết đúng hạn (trên số đã giải quyết)”: mẫu số là hồ sơ tiếp nhận "
        "trong kỳ, không phải hồ sơ đã giải quyết; hồ sơ còn trong hạn được tính là đạt. Không có hồ sơ tiếp "
        "nhận: chưa có dữ liệu."
    ),
    source=SOURCE_766,
    provider=counts,
    pick=lambda c: c.progress.rate,
    filters=FILTERS,
    numerator=PROGRESS_IN_TIME,
    denominator=PROGRESS_RECEIVED,
)

# The shape of table II.06a, in its column order (the report's figure table per field).
TABLE_II_06A = (
    TO_HANDLE,
    RECEIVED_ONLINE,
    RECEIVED_OFFLINE,
    CARRIED_OVER,
    FINISHED,
    FINISHED_EARLY,
    FINISHED_ON_TIME,
    FINISHED_LATE,
    OPEN,
    OPEN_WITHIN,
    OPEN_LATE,
)
# What the statistics page and the API show, in order.
STATISTICS = (
    RECEIVED,
    RECEIVED_ONLINE,
    RECEIVED_OFFLINE,
    CARRIED_OVER,
    FINISHED,
    FINISHED_EARLY,
    FINISHED_ON_TIME,
    FINISHED_LATE,
    REFUSED,
    WITHDRAWN,
    OPEN,
    OPEN_WITHIN,
    OPEN_LATE,
    OPEN_WAITING,
    ON_TIME_RATE,
    PROGRESS_RATE,
    ONLINE_RATE,
)
# Counted per officer (received at the counter; finishing step recorded).
BY_OFFICER = (RECEIVED, FINISHED, FINISHED_IN_TIME, FINISHED_LATE, ON_TIME_RATE)

register(*STATISTICS, FINISHED_IN_TIME, TO_HANDLE, PROGRESS_IN_TIME, PROGRESS_RECEIVED)


# --- online services and digitisation (docs/online.md §8) -----------------------------
SOURCE_ONLINE = "NĐ 42/2022/NĐ-CP; NĐ 45/2020/NĐ-CP; QĐ 766/QĐ-TTg; docs/online.md §8"
SOURCE_DIGITISED = "NĐ 107/2021/NĐ-CP (sửa NĐ 61/2018), Điều 25; QĐ 766/QĐ-TTg; docs/online.md §8"


def _received_online_level(scope: Scope, level: str):
    return _received_rows(scope).filter(channel=Channel.ONLINE, online_level=level)


def _digitised_rows(scope: Scope):
    docs = DossierDocument.objects.filter(
        dossier=OuterRef("pk"), kind=DocumentKind.INPUT, digitised_at__isnull=False
    )
    return _received_rows(scope).filter(Exists(docs))


def _reused_rows(scope: Scope):
    docs = DossierDocument.objects.filter(dossier=OuterRef("pk"), source=DocumentSource.REUSE)
    return _received_rows(scope).filter(Exists(docs))


def _returned_rows(scope: Scope):
    start, end = bounds(scope.date_from, scope.date_to)
    # The commune list too when filtered: the partial index starts with the commune.
    return _rows(scope).filter(commune_id__in=scope.commune_ids, returned_at__gte=start, returned_at__lt=end)


def _paid_rows(scope: Scope):
    start, end = bounds(scope.date_from, scope.date_to)
    return _rows(scope).filter(commune_id__in=scope.commune_ids, fee_paid_at__gte=start, fee_paid_at__lt=end)


@dataclass
class DigitalCounts:
    received: int
    online_full: int
    online_partial: int
    digitised: int
    reused: int
    returned: int
    electronic: int
    paid: int
    paid_online: int

    online_full_rate = property(lambda self: percent(self.online_full, self.received))
    online_partial_rate = property(lambda self: percent(self.online_partial, self.received))
    digitised_rate = property(lambda self: percent(self.digitised, self.received))
    reused_rate = property(lambda self: percent(self.reused, self.received))
    electronic_rate = property(lambda self: percent(self.electronic, self.returned))
    paid_online_rate = property(lambda self: percent(self.paid_online, self.paid))


def _document_parts(scope: Scope) -> dict[str, QuerySet]:
    """Dossiers received in the window with a digitised input document, and with a
    document reused from a data base: counted from the documents (distinct dossiers),
    so that the cost follows the documents, not every dossier received."""
    start, end = bounds(scope.date_from, scope.date_to)
    rows = DossierDocument.objects.filter(
        dossier__in=_rows(scope), dossier__received_at__gte=start, dossier__received_at__lt=end
    )
    return {
        "digitised": rows.filter(kind=DocumentKind.INPUT, digitised_at__isnull=False),
        "reused": rows.filter(source=DocumentSource.REUSE),
    }


def _from_counts(bundle: DossierCounts) -> dict[str, int]:
    """The counts of the bundle the dossier statistics give (from the day summaries
    when the scope has one; otherwise index-only counts on the partial indexes of
    online receipts, returned results and paid fees): received, online receipts by
    online level, results returned and fees paid."""
    return {
        "received": bundle.received,
        "online_full": bundle.online_full,
        "online_partial": bundle.online_partial,
        "returned": bundle.returned,
        "electronic": bundle.returned_electronic,
        "paid": bundle.paid,
        "paid_online": bundle.paid_online,
    }


def digital_counts(scope: Scope) -> DigitalCounts:
    """The bundle of the online and digitisation figures: a few counts over the
    dossiers of the scope (received, returned or paid in the window)."""
    values: dict[str, int] = _from_counts(counts(scope))
    for name, documents in _document_parts(scope).items():
        values[name] = documents.aggregate(n=Count("dossier_id", distinct=True))["n"]
    return DigitalCounts(**values)


def _digital_by_commune(scope: Scope) -> dict[int, DigitalCounts]:
    """The same bundle for each commune of the scope, one grouped query per part."""
    by_commune = _counts_by_commune(scope)
    values: dict[int, dict[str, int]] = {cid: _from_counts(by_commune[cid]) for cid in scope.commune_ids}
    for name, documents in _document_parts(scope).items():
        found = dict(
            documents.order_by()
            .values("dossier__commune_id")
            .annotate(n=Count("dossier_id", distinct=True))
            .values_list("dossier__commune_id", "n")
        )
        for cid in scope.commune_ids:
            values[cid][name] = found.get(cid, 0)
    return {cid: DigitalCounts(**v) for cid, v in values.items()}


digital_counts.by_commune = _digital_by_commune  # the province tables in one query per part


RECEIVED_ONLINE_FULL = Figure(
    key="dossiers.received_online_full",
    label="Hồ sơ trực tuyến toàn trình",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ nộp trực tuyến của thủ tục cung cấp dịch vụ công "
        "trực tuyến toàn trình (mức độ ghi nhận theo danh mục thủ tục lúc nộp)."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.online_full,
    filters=FILTERS,
    records=lambda scope: _received_online_level(scope, OnlineLevel.FULL),
)
RECEIVED_ONLINE_PARTIAL = Figure(
    key="dossiers.received_online_partial",
    label="Hồ sơ trực tuyến một phần",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ nộp trực tuyến của thủ tục cung cấp dịch vụ công "
        "trực tuyến một phần (mức độ ghi nhận theo danh mục thủ tục lúc nộp)."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.online_partial,
    filters=FILTERS,
    records=lambda scope: _received_online_level(scope, OnlineLevel.PARTIAL),
)
RECEIVED_IN_WINDOW = Figure(
    key="dossiers.received_for_digital",
    label="Hồ sơ tiếp nhận (mẫu số của các tỷ lệ số hóa, trực tuyến)",
    unit=DOSSIERS,
    definition="Số hồ sơ tiếp nhận mới trong kỳ (như “Hồ sơ tiếp nhận mới”), mẫu số của các tỷ lệ bên dưới.",
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.received,
    filters=FILTERS,
    records=_received_rows,
)
ONLINE_FULL_RATE = Figure(
    key="dossiers.online_full_rate",
    label="Tỷ lệ hồ sơ trực tuyến toàn trình",
    unit=PERCENT,
    definition=(
        "Hồ sơ trực tuyến toàn trình ÷ hồ sơ tiếp nhận mới trong kỳ × 100 (QĐ 766: tỷ lệ hồ sơ trực tuyến). "
        "Không có hồ sơ tiếp nhận: chưa có dữ liệu."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.online_full_rate,
    filters=FILTERS,
    numerator=RECEIVED_ONLINE_FULL,
    denominator=RECEIVED_IN_WINDOW,
)
ONLINE_PARTIAL_RATE = Figure(
    key="dossiers.online_partial_rate",
    label="Tỷ lệ hồ sơ trực tuyến một phần",
    unit=PERCENT,
    definition="Hồ sơ trực tuyến một phần ÷ hồ sơ tiếp nhận mới trong kỳ × 100. Không có hồ sơ tiếp nhận: chưa có dữ liệu.",
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.online_partial_rate,
    filters=FILTERS,
    numerator=RECEIVED_ONLINE_PARTIAL,
    denominator=RECEIVED_IN_WINDOW,
)
DIGITISED = Figure(
    key="dossiers.digitised",
    label="Hồ sơ có thành phần được số hóa",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ có ít nhất một giấy tờ thành phần “đã số hóa”: quét "
        "tại Bộ phận Một cửa, tái sử dụng, hoặc tệp công dân nộp trực tuyến đã được công chức tiếp nhận."
    ),
    source=SOURCE_DIGITISED,
    provider=digital_counts,
    pick=lambda c: c.digitised,
    filters=FILTERS,
    records=_digitised_rows,
)
DIGITISED_RATE = Figure(
    key="dossiers.digitised_rate",
    label="Tỷ lệ hồ sơ được số hóa",
    unit=PERCENT,
    definition=(
        "Hồ sơ có thành phần được số hóa ÷ hồ sơ tiếp nhận mới trong kỳ × 100 (QĐ 766: số hóa hồ sơ, "
        "kết quả giải quyết TTHC). Không có hồ sơ tiếp nhận: chưa có dữ liệu."
    ),
    source=SOURCE_DIGITISED,
    provider=digital_counts,
    pick=lambda c: c.digitised_rate,
    filters=FILTERS,
    numerator=DIGITISED,
    denominator=RECEIVED_IN_WINDOW,
)
REUSED = Figure(
    key="dossiers.reused",
    label="Hồ sơ tái sử dụng giấy tờ đã số hóa",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ tiếp nhận mới trong kỳ, số hồ sơ có ít nhất một giấy tờ lấy lại từ kết quả số hóa của "
        "hồ sơ trước của cùng người nộp (cùng số định danh, cùng xã) thay cho bản quét mới."
    ),
    source=SOURCE_DIGITISED,
    provider=digital_counts,
    pick=lambda c: c.reused,
    filters=FILTERS,
    records=_reused_rows,
)
REUSED_RATE = Figure(
    key="dossiers.reused_rate",
    label="Tỷ lệ hồ sơ tái sử dụng dữ liệu số hóa",
    unit=PERCENT,
    definition=(
        "Hồ sơ tái sử dụng giấy tờ đã số hóa ÷ hồ sơ tiếp nhận mới trong kỳ × 100 (QĐ 766: khai thác, sử dụng "
        "lại thông tin, dữ liệu số hóa). Không có hồ sơ tiếp nhận: chưa có dữ liệu."
    ),
    source=SOURCE_DIGITISED,
    provider=digital_counts,
    pick=lambda c: c.reused_rate,
    filters=FILTERS,
    numerator=REUSED,
    denominator=RECEIVED_IN_WINDOW,
)
RETURNED = Figure(
    key="dossiers.returned",
    label="Hồ sơ đã trả kết quả",
    unit=DOSSIERS,
    definition="Số hồ sơ có bước “Trả kết quả” trong kỳ (bản giấy hoặc điện tử).",
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.returned,
    filters=FILTERS,
    records=_returned_rows,
)
RESULTS_ELECTRONIC = Figure(
    key="dossiers.results_electronic",
    label="Hồ sơ trả kết quả điện tử",
    unit=DOSSIERS,
    definition=(
        "Trong số hồ sơ trả kết quả trong kỳ, số hồ sơ trả kết quả điện tử: tệp kết quả đính kèm và người nộp "
        "nhận qua đường dẫn theo dõi hồ sơ (lần tải đầu tiên là bước trả kết quả) hoặc Bộ phận Một cửa ghi "
        "nhận trả điện tử."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.electronic,
    filters=FILTERS,
    records=lambda scope: _returned_rows(scope).filter(return_mode=ReturnMode.ELECTRONIC),
)
RESULTS_ELECTRONIC_RATE = Figure(
    key="dossiers.results_electronic_rate",
    label="Tỷ lệ trả kết quả điện tử",
    unit=PERCENT,
    definition=(
        "Hồ sơ trả kết quả điện tử ÷ hồ sơ trả kết quả trong kỳ × 100 (QĐ 766: cấp kết quả giải quyết TTHC "
        "điện tử). Không có hồ sơ trả kết quả: chưa có dữ liệu."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.electronic_rate,
    filters=FILTERS,
    numerator=RESULTS_ELECTRONIC,
    denominator=RETURNED,
)
PAID = Figure(
    key="dossiers.fees_paid",
    label="Hồ sơ đã nộp phí, lệ phí",
    unit=DOSSIERS,
    definition="Số hồ sơ có bước “Đã nộp phí, lệ phí” trong kỳ, mọi hình thức (tiền mặt, chuyển khoản, trực tuyến).",
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.paid,
    filters=FILTERS,
    records=_paid_rows,
)
PAID_ONLINE = Figure(
    key="dossiers.fees_paid_online",
    label="Hồ sơ thanh toán trực tuyến",
    unit=DOSSIERS,
    definition="Trong số hồ sơ nộp phí, lệ phí trong kỳ, số hồ sơ thanh toán trực tuyến.",
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.paid_online,
    filters=FILTERS,
    records=lambda scope: _paid_rows(scope).filter(fee_method=PaymentMethod.ONLINE),
)
PAID_ONLINE_RATE = Figure(
    key="dossiers.fees_paid_online_rate",
    label="Tỷ lệ thanh toán trực tuyến",
    unit=PERCENT,
    definition=(
        "Hồ sơ thanh toán trực tuyến ÷ hồ sơ nộp phí, lệ phí trong kỳ × 100 (QĐ 766: thanh toán trực tuyến). "
        "Không có hồ sơ nộp phí: chưa có dữ liệu."
    ),
    source=SOURCE_ONLINE,
    provider=digital_counts,
    pick=lambda c: c.paid_online_rate,
    filters=FILTERS,
    numerator=PAID_ONLINE,
    denominator=PAID,
)

# The online and digitisation figures, in order (the statistics page, the QĐ 766 index).
DIGITAL = (
    RECEIVED_IN_WINDOW,
    RECEIVED_ONLINE_FULL,
    RECEIVED_ONLINE_PARTIAL,
    ONLINE_FULL_RATE,
    ONLINE_PARTIAL_RATE,
    DIGITISED,
    DIGITISED_RATE,
    REUSED,
    REUSED_RATE,
    RETURNED,
    RESULTS_ELECTRONIC,
    RESULTS_ELECTRONIC_RATE,
    PAID,
    PAID_ONLINE,
    PAID_ONLINE_RATE,
)
register(*DIGITAL)
