"""Which figure of the catalogue measures each item of the service index, by item
code, with plain imports of the figures (never a look-up by string). An item with
no `measure` is one the product cannot measure from the commune's own data; its
`reason` says why, and the page shows "không có dữ liệu" (never 0).

A `Measure` is a percentage figure: the item's ratio is its numerator ÷ its
denominator (exact, before the figure's own rounding) when the figure declares them,
else its value ÷ 100. `empty_when_zero` names a count that, when 0, makes the item
"empty" even if the rate has a value (the procedure-satisfaction item scores 0 when
nothing was rated). What an empty item scores is the item's data (`if_empty`).

Item codes are those of the shipped versions (`data/*.json`); a code with no entry
here is shown as not measurable, with the generic reason. docs/service-index.md
explains each choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.core.figures import Figure
from cchc.dossiers import figures as dossiers
from cchc.petitions import figures as petitions
from cchc.procedures import figures as procedures
from cchc.satisfaction import figures as satisfaction


@dataclass(frozen=True)
class Measure:
    rate: Figure
    empty_when_zero: Figure | None = None

    def figures(self) -> list[Figure]:
        found = [self.rate, self.rate.numerator, self.rate.denominator, self.empty_when_zero]
        return [f for f in found if f is not None]


@dataclass(frozen=True)
class Binding:
    measure: Measure | None = None
    # For expression items: each named ratio of the expression.
    variables: dict[str, Measure] = field(default_factory=dict)
    # Figures shown with the item (for an unresolved rule: the figures instead of points).
    shown: tuple[Figure, ...] = ()
    reason: str = ""

    @property
    def measurable(self) -> bool:
        return self.measure is not None or bool(self.variables)

    def figures(self) -> list[Figure]:
        out: list[Figure] = []
        for m in [self.measure, *self.variables.values()]:
            if m is not None:
                out.extend(m.figures())
        out.extend(self.shown)
        return out


NOT_KNOWN = "Phần mềm chưa gắn chỉ tiêu này với số liệu nào của xã."
NATIONAL_PORTAL = (
    "Số liệu nằm trên Cổng Dịch vụ công quốc gia / hệ thống giải quyết TTHC của tỉnh; phần mềm không kết nối "
    "các hệ thống đó nên không đo được."
)
PROVINCE_LEVEL = "Chỉ tiêu chấm ở cấp tỉnh (dữ liệu dân cư do tỉnh kết nối), không đo trên dữ liệu của xã."
NO_PAYMENT_DATA = (
    "Công thức cần ba tỷ lệ: A = hồ sơ thanh toán trực tuyến thành công ÷ hồ sơ có nghĩa vụ tài chính, B và C "
    "tính trên các thủ tục có phí (thủ tục đã có thanh toán trực tuyến, thủ tục có hồ sơ nộp phí). Phần mềm "
    "có số liệu gần với A (hiển thị bên cạnh) nhưng chưa có B và C nên không tính điểm."
)

BINDINGS: dict[str, Binding] = {
    # --- Công khai, minh bạch ---------------------------------------------------------------
    "PUBLISH_ON_TIME": Binding(
        reason=(
            "TTHC do Chủ tịch UBND tỉnh công bố; xã không có ngày ban hành văn bản quy định và ngày công bố để "
            "biết công bố có đúng hạn không."
        )
    ),
    "PUBLIC_UPDATE_ON_TIME": Binding(
        reason=(
            "Danh mục TTHC của xã không lưu ngày quyết định công bố và ngày cập nhật, công khai tương ứng nên "
            "không biết cập nhật có đúng hạn không."
        )
    ),
    # Procedures published with every constituent part reviewed, out of the catalogue.
    "PUBLIC_CONTENT_FULL": Binding(measure=Measure(procedures.PUBLISHED_RATE)),
    "DOSSIER_SYNC": Binding(reason=NATIONAL_PORTAL),
    # --- Tiến độ giải quyết -----------------------------------------------------------------
    "ON_TIME": Binding(measure=Measure(dossiers.PROGRESS_RATE), shown=(dossiers.ON_TIME_RATE,)),
    # --- Dịch vụ công trực tuyến (no published formula: figures, no points) ----------------
    "FULL_ONLINE_DOSSIER": Binding(
        shown=(
            dossiers.ONLINE_FULL_RATE,
            dossiers.ONLINE_PARTIAL_RATE,
            dossiers.ONLINE_RATE,
            procedures.ONLINE_RATE,
            procedures.ONLINE_FULL,
        ),
        reason="Chưa có công thức tính điểm được công bố: chỉ hiển thị số liệu của xã, không tính điểm.",
    ),
    # --- Số hoá hồ sơ -------------------------------------------------------------------------
    # Electronic results out of the results returned in the window.
    "ORIGINAL_RESULT_AVAILABLE": Binding(measure=Measure(dossiers.RESULTS_ELECTRONIC_RATE)),
    # Received dossiers with at least one document digitised (scanned, reused or accepted online).
    "SO_HOA_GIAY_TO_GIAI_QUYET": Binding(measure=Measure(dossiers.DIGITISED_RATE)),
    "ELECTRONIC_CERTIFIED_COPY": Binding(
        reason="Phần mềm không quản lý việc chứng thực bản sao điện tử từ bản chính."
    ),
    # Received dossiers with a document reused from earlier digitised results instead of a new scan.
    "REUSED_DIGITIZED_DATA": Binding(measure=Measure(dossiers.REUSED_RATE)),
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": Binding(reason=NATIONAL_PORTAL),
    "CITIZEN_DATA_CONNECTED_DOSSIER": Binding(reason=PROVINCE_LEVEL),
    "CITIZEN_DATA_CONNECTED_FORMALITY": Binding(reason=PROVINCE_LEVEL),
    # --- Mức độ hài lòng ---------------------------------------------------------------------
    "PETITION_PROCESSING_ON_TIME": Binding(measure=Measure(petitions.ON_TIME_RATE)),
    "PETITION_HANDLING_SATISFACTION": Binding(measure=Measure(petitions.SATISFACTION_RATE)),
    # 100% − (late + complained) ÷ finished; 0 points when nothing was rated in the window.
    "DOSSIER_RECEIVING_SATISFACTION": Binding(
        measure=Measure(satisfaction.PROCEDURE_766, empty_when_zero=satisfaction.RATED),
        shown=(satisfaction.RATED, satisfaction.COMPLAINTS, dossiers.FINISHED_LATE, dossiers.FINISHED),
    ),
    "PETITION_CLASSIFICATION_TTHC": Binding(
        reason="Phản ánh của xã chỉ phân loại theo hướng xử lý, không tách riêng phản ánh về quy định, TTHC."
    ),
    "PETITION_CLASSIFICATION_STAFF": Binding(
        reason="Phản ánh về hành vi cán bộ được chuyển đi cùng phản ánh ngoài thẩm quyền; không tách riêng được."
    ),
    # --- Thanh toán trực tuyến ----------------------------------------------------------------
    "ONLINE_PAYMENT": Binding(
        shown=(dossiers.PAID_ONLINE_RATE, dossiers.PAID_ONLINE, dossiers.PAID), reason=NO_PAYMENT_DATA
    ),
}


def binding_for(code: str) -> Binding:
    return BINDINGS.get(code) or Binding(reason=NOT_KNOWN)
