"""The rating invitation slip (phiếu mời đánh giá) handed over with the result.

It belongs to the satisfaction app (it carries the app's signed rating link) and
joins the dossier page through `cchc.dossiers.hooks`; it is printed with the dossier
forms' A5 layout (`cchc.dossiers.documents`)."""

from __future__ import annotations

from django.http import Http404

from cchc.core.workcal import TZ
from cchc.dossiers.documents import FormDoc, slip_doc
from cchc.dossiers.models import Dossier

from .services import rating_qr_svg, rating_url

RATING_SLIP_TITLE = "PHIẾU MỜI ĐÁNH GIÁ SỰ HÀI LÒNG"


def build_rating_slip(dossier: Dossier) -> FormDoc:
    """A5 slip handed over with the result: the dossier code, the procedure and the
    signed rating link, as a QR code and as text. No personal data is printed on it.
    404 before processing ended (the same condition as for accepting a rating)."""
    if not dossier.is_finished:
        raise Http404("Hồ sơ chưa giải quyết xong, chưa có phiếu mời đánh giá.")
    procedure = dossier.procedure
    doc = slip_doc(
        dossier,
        number="DG",
        title=RATING_SLIP_TITLE,
        when=dossier.returned_at or dossier.finished_at,
        legal_basis="Khảo sát sự hài lòng theo QĐ 1001/QĐ-BNV (SIPAS); mỗi hồ sơ được đánh giá một lần.",
    )
    doc.lines = [
        ("Thủ tục", f"{procedure.code} – {procedure.name}"),
        ("Kết quả giải quyết", dossier.get_status_display()),
        ("Ngày có kết quả", f"{dossier.finished_at.astimezone(TZ):%d/%m/%Y}"),
    ]
    doc.closing = [
        "Cảm ơn Ông/Bà đã sử dụng dịch vụ công của Ủy ban nhân dân xã. Để giúp chúng tôi phục vụ tốt hơn, "
        "mời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ này (5 câu hỏi ngắn, khoảng 1 phút):",
        "quét mã QR dưới đây bằng điện thoại, hoặc nhập đường dẫn ngắn ghi bên dưới mã. "
        "Không cần đăng nhập; ý kiến của Ông/Bà được giữ kín.",
    ]
    doc.qr_url = rating_url(dossier)
    svg = rating_qr_svg(dossier)
    doc.qr_svg = svg[svg.index("<svg") :]
    return doc
