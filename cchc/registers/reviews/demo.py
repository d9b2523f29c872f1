"""Demo procedure reviews of xã Đức Xương: each year the one-stop office reviews the
civil-status, certification and residence procedures a commune counter handles
most (plan II.3b), proposes a few simplifications to the province — mostly using
the national population database instead of paper copies — and records the
answers. `demo_reviews(today)` is plain data so tests can count it by hand."""

from __future__ import annotations

from datetime import date

from cchc.core.demo import DemoLog
from cchc.org.models import Department, Unit, User
from cchc.procedures.models import Procedure

from . import services
from .models import ProcedureReview, Proposal, ReviewStatus

KEEP = Proposal.KEEP
PROVINCE = "UBND tỉnh (qua Văn phòng UBND tỉnh)"

# (code, proposal, findings / proposal text, cost before, cost after, outcome)
YEARS = {
    2024: {
        "round": "Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2024 (số 18/KH-UBND)",
        "on": date(2024, 6, 20),
        "sent": date(2024, 7, 5),
        "sent_ref": "45/UBND-VP",
        "rows": [
            ("1.001193", KEEP, "", None, None, None),
            ("1.000894", KEEP, "", None, None, None),
            ("1.000656", KEEP, "", None, None, None),
            (
                "1.004873",
                Proposal.SIMPLIFY,
                "Bỏ yêu cầu nộp bản sao giấy tờ về tình trạng hôn nhân trước đây khi thông tin đã có trong Cơ sở "
                "dữ liệu quốc gia về dân cư; khai thác dữ liệu thay cho giấy tờ.",
                1_250_000,
                830_000,
                (ReviewStatus.ACCEPTED, date(2024, 9, 12), "Văn bản 1520/UBND-KSTT của UBND tỉnh"),
            ),
            (
                "1.004884",
                Proposal.SIMPLIFY,
                "Rút thời hạn giải quyết đăng ký lại khai sinh từ 5 xuống 3 ngày làm việc khi không phải xác minh.",
                980_000,
                760_000,
                (ReviewStatus.PARTLY, date(2024, 9, 12), "Văn bản 1520/UBND-KSTT của UBND tỉnh"),
            ),
            (
                "1.003583",
                Proposal.MERGE,
                "Gộp thủ tục đăng ký khai sinh lưu động vào thủ tục đăng ký khai sinh, chỉ khác nơi tiếp nhận.",
                None,
                None,
                (ReviewStatus.REJECTED, date(2024, 10, 2), "Văn bản 1688/UBND-KSTT của UBND tỉnh"),
            ),
            ("2.000884", KEEP, "", None, None, None),
            ("2.000635", KEEP, "", None, None, None),
            ("1.004222", KEEP, "", None, None, None),
        ],
    },
    2025: {
        "round": "Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2025 (số 12/KH-UBND)",
        "on": date(2025, 5, 28),
        "sent": date(2025, 6, 10),
        "sent_ref": "38/UBND-VP",
        "rows": [
            ("1.004859", KEEP, "", None, None, None),
            (
                "2.000635",
                Proposal.SIMPLIFY,
                "Cho phép cấp bản sao trích lục hộ tịch điện tử, trả kết quả qua Cổng Dịch vụ công, không phải đến "
                "nhận bản giấy.",
                640_000,
                210_000,
                (ReviewStatus.ACCEPTED, date(2025, 8, 20), "Quyết định 2051/QĐ-UBND của UBND tỉnh"),
            ),
            ("1.010041", KEEP, "", None, None, None),
            (
                "1.005461",
                Proposal.ABOLISH,
                "Bãi bỏ yêu cầu xác nhận của trưởng thôn đối với người làm chứng khi đăng ký lại khai tử.",
                None,
                None,
                None,
            ),
            ("1.001193", KEEP, "", None, None, None),
        ],
    },
    2026: {
        "round": "Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2026 (số 09/KH-UBND)",
        "on": date(2026, 6, 18),
        "sent": date(2026, 7, 2),
        "sent_ref": "41/UBND-VP",
        "rows": [
            ("1.000894", KEEP, "", None, None, None),
            (
                "1.004746",
                Proposal.SIMPLIFY,
                "Không yêu cầu nộp bản sao giấy tờ tùy thân khi đăng ký lại kết hôn; đối chiếu qua ứng dụng VNeID.",
                720_000,
                540_000,
                None,
            ),
            ("2.000884", KEEP, "", None, None, None),
        ],
    },
}


def demo_reviews(today: date) -> list[dict]:
    """Every demo review (with its outcome as of `today`)."""
    out = []
    for data in YEARS.values():
        if data["on"] > today:
            continue
        for code, proposal, text, before, after, outcome in data["rows"]:
            row = dict(
                code=code,
                reviewed_on=data["on"],
                round=data["round"],
                proposal=proposal,
                findings=text if proposal != KEEP else "Thủ tục đã phù hợp; không phát hiện vướng mắc.",
                proposal_text=text if proposal != KEEP else "",
                cost_before=before,
                cost_after=after,
                status=ReviewStatus.REVIEWED,
            )
            if proposal != KEEP and data["sent"] <= today:
                row.update(
                    status=ReviewStatus.SENT,
                    sent_on=data["sent"],
                    sent_to=PROVINCE,
                    sent_ref=data["sent_ref"],
                )
                if outcome and outcome[1] <= today:
                    row.update(status=outcome[0], outcome_on=outcome[1], outcome_ref=outcome[2])
            out.append(row)
    return out


def load(log: DemoLog, today: date) -> None:
    commune = Unit.objects.filter(slug="ducxuong").first()
    if commune is None:
        return
    procedures = {p.code: p for p in Procedure.objects.filter(commune=commune)}
    department = Department.objects.filter(commune=commune, code="vp-hdnd-ubnd").first()
    officer = User.objects.filter(unit=commune, username="motcua").first()
    made = had = 0
    for row in demo_reviews(today):
        procedure = procedures.get(row["code"])
        if procedure is None:
            continue
        if ProcedureReview.objects.filter(procedure=procedure, reviewed_on=row["reviewed_on"]).exists():
            had += 1
            continue
        review = services.review_save(
            user=officer,
            commune=commune,
            today=today,
            procedure=procedure,
            reviewed_on=row["reviewed_on"],
            round=row["round"],
            department=department,
            findings=row["findings"],
            proposal=row["proposal"],
            proposal_text=row["proposal_text"],
            cost_before=row["cost_before"],
            cost_after=row["cost_after"],
        )
        if row["status"] != ReviewStatus.REVIEWED:
            review = services.review_act(
                user=officer,
                review=review,
                action="send",
                on=row["sent_on"],
                sent_to=row["sent_to"],
                ref=row["sent_ref"],
                today=today,
            )
        action = {
            ReviewStatus.ACCEPTED: "accept",
            ReviewStatus.PARTLY: "accept_partly",
            ReviewStatus.REJECTED: "reject",
        }.get(row["status"])
        if action:
            services.review_act(
                user=officer,
                review=review,
                action=action,
                on=row["outcome_on"],
                ref=row["outcome_ref"],
                today=today,
            )
        made += 1
    if made:
        log.made(f"{made} thủ tục được rà soát ({commune})", count=made)
    if had:
        log.had(f"{had} thủ tục được rà soát ({commune})", count=had)
