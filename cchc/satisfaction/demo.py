"""Demo ratings: about 45% of the demo's finished dossiers are rated (mostly at the
counter kiosk), about 94% of them "satisfied" (less often when the dossier was
late); a small share of "not satisfied" ratings carry a comment and so a
follow-up, closed with a resolution unless recent.

Every choice is drawn from a random generator seeded with the dossier's code, so a
second run makes the same choices and creates nothing. Rows are bulk-inserted (a
few thousand per commune); one audit row per commune records the bulk write.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core import audit
from cchc.core.demo import DemoLog
from cchc.core.services import notify
from cchc.dossiers.models import Dossier, DossierEvent, Outcome
from cchc.org.models import Unit, User

from .models import FACTORS, FollowUp, Rating, RatingChannel, factor_field
from .services import _HANDLER_ACTIONS, one_stop_lead

SEED = "cchc-demo-satisfaction"
RATED_SHARE = 0.45
CHANNELS = [(RatingChannel.KIOSK, 0.5), (RatingChannel.QR, 0.35), (RatingChannel.LOOKUP, 0.15)]
PRAISE = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Trả kết quả đúng hẹn, cảm ơn Bộ phận Một cửa.",
    "Thủ tục nhanh gọn.",
    "Nơi chờ sạch sẽ, có ghế ngồi.",
]
COMPLAINTS = [
    "Phải chờ lâu mới đến lượt, đề nghị bố trí thêm người tiếp nhận.",
    "Hẹn trả kết quả nhưng đến nơi chưa có, phải đi lại lần nữa.",
    "Được yêu cầu bổ sung giấy tờ hai lần, lần đầu không hướng dẫn đủ.",
    "Thông tin về lệ phí niêm yết chưa rõ ràng.",
]
RESOLUTIONS = [
    "Đã liên hệ người dân xin lỗi, giải thích; nhắc nhở công chức rút kinh nghiệm.",
    "Đã bổ sung hướng dẫn thành phần hồ sơ niêm yết tại Bộ phận Một cửa.",
    "Đã điều chỉnh lịch trực để giảm thời gian chờ vào buổi sáng.",
]
OPEN_DAYS = 20  # follow-ups younger than this stay open in the demo


def _scores(rng: random.Random, satisfied: bool) -> dict[str, int]:
    if satisfied:
        return {k: rng.choices([5, 4, 3], weights=[60, 35, 5])[0] for k in FACTORS}
    scores = {k: rng.choices([4, 3, 2, 1], weights=[20, 35, 30, 15])[0] for k in FACTORS}
    scores[rng.choice(list(FACTORS))] = rng.choice([1, 2])
    return scores


def _officers(commune: Unit) -> dict[int, int]:
    """dossier id → the officer credited (see `services.handling_officer`)."""
    rank = {a: i for i, a in enumerate(_HANDLER_ACTIONS)}
    best: dict[int, tuple[int, int]] = {}
    rows = DossierEvent.objects.filter(
        dossier__commune=commune, action__in=_HANDLER_ACTIONS, actor__isnull=False
    ).values_list("dossier_id", "action", "actor_id")
    for dossier_id, action, actor_id in rows.iterator(chunk_size=5000):
        current = best.get(dossier_id)
        if current is None or rank[action] < current[0]:
            best[dossier_id] = (rank[action], actor_id)
    return {k: v[1] for k, v in best.items()}


def _load_commune(log: DemoLog, commune: Unit) -> None:
    now = timezone.now()
    dossiers = (
        Dossier.objects.finished()
        .filter(commune=commune)
        .filter(rating__isnull=True)
        .values_list(
            "pk", "code", "procedure_id", "department_id", "finished_at", "returned_at", "finish_outcome"
        )
    )
    already = Rating.objects.filter(commune=commune).count()
    officers = _officers(commune)
    departments = dict(User.objects.filter(unit=commune).values_list("pk", "department_id"))
    ratings: list[Rating] = []
    comments_for_follow_up: list[tuple[int, bool]] = []
    for pk, code, procedure_id, department_id, finished_at, returned_at, outcome in dossiers.iterator(
        chunk_size=5000
    ):
        rng = random.Random(f"{SEED}:{code}")
        if rng.random() >= RATED_SHARE:
            continue
        late = outcome == Outcome.LATE
        satisfied = rng.random() < (0.75 if late else 0.955)
        channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
        rated_at = min(now, (returned_at or finished_at) + timedelta(minutes=rng.randint(2, 60 * 24 * 3)))
        comment = ""
        if satisfied and rng.random() < 0.08:
            comment = rng.choice(PRAISE)
        elif not satisfied and rng.random() < 0.3:
            comment = rng.choice(COMPLAINTS)
        officer_id = officers.get(pk)
        ratings.append(
            Rating(
                dossier_id=pk,
                commune_id=commune.pk,
                procedure_id=procedure_id,
                department_id=department_id or departments.get(officer_id),
                officer_id=officer_id,
                channel=channel,
                satisfied=satisfied,
                comment=comment,
                rated_at=rated_at,
                **{factor_field(k): v for k, v in _scores(rng, satisfied).items()},
            )
        )
        comments_for_follow_up.append((pk, not satisfied and bool(comment)))
    if not ratings:
        log.had(f"{already} phiếu đánh giá sự hài lòng ({commune})", count=max(already, 1))
        return
    with transaction.atomic():
        Rating.objects.bulk_create(ratings, batch_size=2000)
        needs = {pk for pk, flag in comments_for_follow_up if flag}
        lead = one_stop_lead(commune.pk)
        follow_ups = []
        for rating in Rating.objects.filter(commune=commune, dossier_id__in=needs):
            rng = random.Random(f"{SEED}:follow-up:{rating.dossier_id}")
            closed = now - rating.rated_at > timedelta(days=OPEN_DAYS)
            follow_ups.append(
                FollowUp(
                    rating=rating,
                    commune_id=commune.pk,
                    assignee=lead,
                    created_at=rating.rated_at,
                    status=FollowUp.Status.CLOSED if closed else FollowUp.Status.OPEN,
                    resolution=rng.choice(RESOLUTIONS) if closed else "",
                    closed_at=rating.rated_at + timedelta(days=rng.randint(1, 7)) if closed else None,
                    closed_by=lead if closed else None,
                )
            )
        FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
        audit.record(
            None,
            "create",
            {"ratings": len(ratings), "follow_ups": len(follow_ups)},
            model_label=("satisfaction", "rating"),
            object_repr=f"dữ liệu mẫu: {len(ratings)} phiếu đánh giá",
            commune_id=commune.pk,
        )
    if lead is not None:
        for follow_up in FollowUp.objects.filter(commune=commune, status=FollowUp.Status.OPEN).select_related(
            "rating__dossier"
        ):
            notify(
                user=lead,
                title=f"Người dân không hài lòng với hồ sơ {follow_up.rating.dossier.code}",
                body=f"Góp ý: {follow_up.rating.comment}",
                url=reverse("satisfaction:followup_detail", args=[follow_up.pk]),
                dedupe_key=f"satisfaction-followup:{follow_up.pk}",
            )
    satisfied = sum(r.satisfied for r in ratings)
    log.made(
        f"{len(ratings)} phiếu đánh giá sự hài lòng ({commune}; {satisfied * 100 / len(ratings):.1f}% hài lòng), "
        f"{len(follow_ups)} phản hồi không hài lòng",
        count=len(ratings) + len(follow_ups),
    )


def load(log: DemoLog) -> None:
    for slug in ("ducxuong", "gialoc"):
        commune = Unit.objects.filter(slug=slug).first()
        if commune is None:
            continue
        with audit.acting_as(None, "command:demo"):
            _load_commune(log, commune)
