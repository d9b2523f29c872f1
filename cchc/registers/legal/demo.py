"""Demo legal-documents register of xã Đức Xương (plan II.2): a few legal normative
documents of the People's Council and Committee and the main administrative
decisions since 2021; yearly self-check and review rounds that found one document
no longer suitable (amended in 2024), one unlawful after the 2025 Law (replaced in
2025) and one to annul (still pending). The handling of each finding moves the
document's status through the same services as the pages. `DOCUMENTS` and
`ROUNDS` are plain data, so tests can count them by hand."""

from __future__ import annotations

from datetime import date

from cchc.core.demo import DemoLog
from cchc.org.models import Department, Unit, User

from . import services
from .models import DocKind, Finding, Handling, Issuer, LegalDocument, ReviewRound, RoundKind, Verdict

R, D = DocKind.RESOLUTION, DocKind.DECISION
COUNCIL, COMMITTEE, CHAIRMAN = Issuer.COUNCIL, Issuer.COMMITTEE, Issuer.CHAIRMAN

# number, kind, issuer, normative, issued, effective, subject, signer
DOCUMENTS = [
    (
        "45/QĐ-UBND",
        D,
        COMMITTEE,
        False,
        date(2021, 7, 12),
        None,
        "Ban hành Quy chế làm việc của Ủy ban nhân dân xã Đức Xương nhiệm kỳ 2021-2026",
        "Đỗ Trọng Tuệ",
    ),
    (
        "01/2022/NQ-HĐND",
        R,
        COUNCIL,
        True,
        date(2022, 7, 20),
        date(2022, 8, 1),
        "Quy định mức hỗ trợ kinh phí hoạt động của các thôn và tổ dân phố trên địa bàn xã",
        "Chủ tịch HĐND xã",
    ),
    (
        "02/2022/NQ-HĐND",
        R,
        COUNCIL,
        True,
        date(2022, 3, 10),
        date(2022, 3, 21),
        "Quy định chế độ hỗ trợ lực lượng tham gia phòng, chống dịch COVID-19 tại thôn năm 2022",
        "Chủ tịch HĐND xã",
    ),
    (
        "02/2023/QĐ-UBND",
        D,
        COMMITTEE,
        True,
        date(2023, 3, 15),
        date(2023, 4, 1),
        "Ban hành Quy định quản lý trật tự xây dựng, vệ sinh môi trường trên địa bàn xã",
        "Đỗ Trọng Tuệ",
    ),
    (
        "12/QĐ-UBND",
        D,
        CHAIRMAN,
        False,
        date(2024, 1, 8),
        None,
        "Kiện toàn Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính xã",
        "Đỗ Trọng Tuệ",
    ),
    (
        "15/QĐ-UBND",
        D,
        COMMITTEE,
        False,
        date(2024, 1, 10),
        None,
        "Ban hành Quy chế chi tiêu nội bộ năm 2024 của Ủy ban nhân dân xã",
        "Đỗ Trọng Tuệ",
    ),
    (
        "03/2024/NQ-HĐND",
        R,
        COUNCIL,
        True,
        date(2024, 7, 5),
        date(2024, 7, 15),
        "Sửa đổi, bổ sung một số điều của Nghị quyết số 01/2022/NQ-HĐND về mức hỗ trợ kinh phí hoạt động của thôn",
        "Chủ tịch HĐND xã",
    ),
    (
        "88/QĐ-UBND",
        D,
        CHAIRMAN,
        False,
        date(2024, 9, 2),
        None,
        "Thành lập Tổ công nghệ số cộng đồng các thôn trên địa bàn xã",
        "Đỗ Trọng Tuệ",
    ),
    (
        "04/2025/QĐ-UBND",
        D,
        COMMITTEE,
        True,
        date(2025, 7, 18),
        date(2025, 8, 1),
        "Ban hành Quy định quản lý trật tự xây dựng, vệ sinh môi trường trên địa bàn xã (thay thế Quyết định số "
        "02/2023/QĐ-UBND)",
        "Đỗ Trọng Tuệ",
    ),
    (
        "21/QĐ-UBND",
        D,
        COMMITTEE,
        False,
        date(2026, 1, 9),
        None,
        "Ban hành Quy chế chi tiêu nội bộ năm 2026 của Ủy ban nhân dân xã",
        "Đỗ Trọng Tuệ",
    ),
]
# A status reached without a review: the 2022 COVID support ended with its term.
EXPIRIES = [("02/2022/NQ-HĐND", date(2022, 12, 31), "Hết thời hạn áp dụng ghi trong nghị quyết (năm 2022).")]

# title, kind, basis, started, ended, findings: (number, verdict, proposed, text, handled_on, handled_by)
ROUNDS = [
    (
        "Tự kiểm tra văn bản quy phạm pháp luật của xã năm 2024",
        RoundKind.SELF_CHECK,
        "Kế hoạch số 20/KH-UBND ngày 02/4/2024 của UBND xã",
        date(2024, 5, 6),
        date(2024, 6, 14),
        [
            (
                "01/2022/NQ-HĐND",
                Verdict.UNSUITABLE,
                Handling.AMEND,
                "Mức hỗ trợ không còn phù hợp với mức lương cơ sở mới từ 01/7/2024.",
                date(2024, 7, 15),
                "03/2024/NQ-HĐND",
            ),
            ("02/2023/QĐ-UBND", Verdict.SUITABLE, Handling.NONE, "", None, None),
        ],
    ),
    (
        "Rà soát văn bản quy phạm pháp luật của xã theo Luật Ban hành văn bản quy phạm pháp luật năm 2025",
        RoundKind.TOPICAL,
        "Công văn của Sở Tư pháp về rà soát văn bản theo Luật số 64/2025/QH15",
        date(2025, 5, 12),
        date(2025, 6, 20),
        [
            (
                "02/2023/QĐ-UBND",
                Verdict.UNLAWFUL,
                Handling.REPLACE,
                "Căn cứ ban hành đã hết hiệu lực; một số quy định xử phạt vượt thẩm quyền của UBND xã.",
                date(2025, 8, 1),
                "04/2025/QĐ-UBND",
            ),
            ("03/2024/NQ-HĐND", Verdict.SUITABLE, Handling.NONE, "", None, None),
            ("01/2022/NQ-HĐND", Verdict.SUITABLE, Handling.NONE, "", None, None),
        ],
    ),
    (
        "Tự kiểm tra văn bản quy phạm pháp luật của xã năm 2026",
        RoundKind.SELF_CHECK,
        "Kế hoạch số 14/KH-UBND ngày 16/3/2026 của UBND xã",
        date(2026, 4, 6),
        date(2026, 5, 15),
        [
            (
                "01/2022/NQ-HĐND",
                Verdict.UNSUITABLE,
                Handling.ANNUL,
                "Sau sắp xếp thôn năm 2025, nội dung hỗ trợ theo thôn cũ không còn áp dụng được.",
                None,
                None,
            ),
            ("04/2025/QĐ-UBND", Verdict.SUITABLE, Handling.NONE, "", None, None),
        ],
    ),
]


def load(log: DemoLog, today: date) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        return
    officer = User.objects.filter(unit=commune, username="tuphap").first()
    justice = Department.objects.filter(commune=commune, code="tu-phap-ho-tich").first()
    made = had = 0
    docs: dict[str, LegalDocument] = {}
    for number, kind, issuer, normative, issued, effective, subject, signer in DOCUMENTS:
        if issued > today:
            continue
        existing = LegalDocument.objects.filter(commune=commune, number=number).first()
        if existing:
            docs[number] = existing
            had += 1
            continue
        docs[number] = services.document_save(
            user=officer,
            commune=commune,
            today=today,
            number=number,
            kind=kind,
            issuer=issuer,
            is_normative=normative,
            issued_on=issued,
            effective_from=effective,
            subject=subject,
            signer=signer,
            department=justice if normative else None,
        )
        made += 1
    for number, on, note in EXPIRIES:
        doc = docs.get(number)
        if doc is not None and doc.status == "in_force" and on <= today:
            services.document_act(user=officer, document=doc, action="expire", on=on, note=note, today=today)
    for title, kind, basis, started, ended, findings in ROUNDS:
        if started > today:
            continue
        round = ReviewRound.objects.filter(commune=commune, title=title).first()
        if round is not None:
            had += 1
            continue
        round = services.round_save(
            user=officer,
            commune=commune,
            kind=kind,
            title=title,
            basis=basis,
            started_on=started,
            ended_on=ended if ended <= today else None,
            department=justice,
            conclusion=f"Đã rà soát {len(findings)} văn bản; phát hiện "
            f"{sum(v != Verdict.SUITABLE for _, v, *_ in findings)} văn bản cần xử lý.",
        )
        made += 1
        for number, verdict, proposed, text, handled_on, handled_by in findings:
            document = docs.get(number) or LegalDocument.objects.get(commune=commune, number=number)
            finding = Finding.objects.filter(round=round, document=document).first() or services.finding_save(
                user=officer,
                round=round,
                today=today,
                document=document,
                reviewed_on=ended if ended <= today else started,
                verdict=verdict,
                proposed=proposed,
                description=text,
            )
            if handled_on and handled_on <= today and finding.handled_on is None:
                changer = LegalDocument.objects.get(commune=commune, number=handled_by)
                services.finding_handle(
                    user=officer, finding=finding, on=handled_on, handled_by=changer, today=today
                )
    if made:
        log.made(f"{made} văn bản, đợt rà soát văn bản ({commune})", count=made)
    if had:
        log.had(f"{had} văn bản, đợt rà soát văn bản ({commune})", count=had)
