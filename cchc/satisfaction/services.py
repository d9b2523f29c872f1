"""Operations of the satisfaction app: taking a rating (`rating_submit`), handling
the follow-up of a "not satisfied" rating (`followup_close`), the signed rating
links and QR codes, and the statistics (`satisfaction_stats`) that pages, the API,
dashboards and the plan's targets call.

Which dossiers may be rated: those whose processing has finished — processed,
result returned, refused or stopped (`Dossier.finished_at` is set; the same
"finished" as the on-time statistics). Refused and stopped dossiers are included
because the applicant did receive the commune's answer, and leaving unhappy
outcomes out would flatter the figures. Withdrawn dossiers have no outcome and
cannot be rated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from cchc.core.figures import percent, rounded
from cchc.core.permissions import check_commune
from cchc.core.services import notify
from cchc.core.text import clean_text
from cchc.core.workcal import TZ
from cchc.core.workflow import Conflict
from cchc.dossiers.models import Action, Dossier, Outcome
from cchc.dossiers.stats import dossier_counts, dossier_counts_by_commune
from cchc.org.models import Department, Role, User
from cchc.procedures.models import Procedure

from .models import FACTORS, FollowUp, Rating, RatingChannel, day_range, factor_field

COMMENT_MAX = 2000
# Events whose actor "handled" the dossier for the applicant, most relevant first:
# the officer who handed the result over, else the one who finished, refused or
# stopped it.
_HANDLER_ACTIONS = (Action.RETURN_RESULT, Action.FINISH, Action.REFUSE, Action.STOP)

_TOKEN_SALT = "cchc.satisfaction.rating-link"
_CHANNEL_LETTERS = {RatingChannel.LOOKUP: "l", RatingChannel.QR: "q", RatingChannel.KIOSK: "k"}
_LETTER_CHANNELS = {v: k for k, v in _CHANNEL_LETTERS.items()}


class AlreadyRated(Conflict):
    """The dossier already has a rating (each dossier is rated once)."""

    MESSAGE = "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần; xin cảm ơn quý khách."

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


# --- who may rate what -----------------------------------------------------------
def _has_rating(dossier_id: int) -> bool:
    return Rating.objects.filter(dossier_id=dossier_id).exists()


def can_be_rated(dossier: Dossier) -> bool:
    """Finished and not yet rated."""
    return dossier.is_finished and not _has_rating(dossier.pk)


def handling_officer(dossier: Dossier) -> tuple[User | None, Department | None]:
    """The officer who handled the dossier for the applicant (see `_HANDLER_ACTIONS`)
    and the department credited with it: the department that was handling the
    dossier, else that officer's department."""
    events = {
        e.action: e
        for e in dossier.events.filter(action__in=_HANDLER_ACTIONS, actor__isnull=False)
        .select_related("actor__department")
        .order_by("at", "id")
    }
    officer = next((events[a].actor for a in _HANDLER_ACTIONS if a in events), None)
    department = dossier.department
    if department is None and officer is not None:
        department = officer.department
    return officer, department


# --- rating -----------------------------------------------------------------------
def _validate_scores(scores: dict) -> dict[str, int]:
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for key, label in FACTORS.items():
        value = scores.get(key)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or not 1 <= number <= 5:
            errors[key] = f"Chọn mức đánh giá từ 1 đến 5 cho “{label}”."
        else:
            clean[key] = number
    unknown = set(scores) - set(FACTORS)
    if unknown:
        errors["__all__"] = f"Tiêu chí không có trong phiếu: {', '.join(sorted(unknown))}."
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def rating_submit(
    *,
    dossier: Dossier,
    channel: str,
    scores: dict[str, int],
    satisfied: bool,
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    """Store the applicant's rating of a finished dossier, once.

    Raises `ValidationError` (bad input, dossier not finished; nothing stored) or
    `AlreadyRated`. Concurrency: the dossier row is locked first, and the unique
    constraint on `Rating.dossier` catches whatever slips past the lock, so two
    submissions racing each other store one rating. A "not satisfied" rating with
    a comment opens a `FollowUp` and notifies the head of the one-stop department.
    """
    if channel not in RatingChannel.values:
        raise ValidationError({"channel": "Kênh đánh giá không hợp lệ."})
    clean_scores = _validate_scores(scores)
    if not isinstance(satisfied, bool):
        raise ValidationError({"satisfied": "Chọn “Hài lòng” hoặc “Không hài lòng”."})
    comment = clean_text(comment or "")
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"Góp ý tối đa {COMMENT_MAX} ký tự."})
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("commune", "procedure", "department")
        .get(pk=dossier.pk)
    )
    if not dossier.is_finished:
        raise ValidationError(
            "Hồ sơ chưa giải quyết xong nên chưa thể đánh giá. Quý khách vui lòng đánh giá sau khi có kết quả."
        )
    if _has_rating(dossier.pk):
        raise AlreadyRated()
    officer, department = handling_officer(dossier)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                commune_id=dossier.commune_id,
                procedure_id=dossier.procedure_id,
                department=department,
                officer=officer,
                channel=channel,
                satisfied=satisfied,
                comment=comment,
                rated_at=at or timezone.now(),
                **{factor_field(k): v for k, v in clean_scores.items()},
            )
    except IntegrityError as exc:
        raise AlreadyRated() from exc
    if not satisfied and comment:
        _open_follow_up(rating, dossier)
    return rating


def one_stop_lead(commune_id: int) -> User | None:
    dept = Department.objects.filter(commune_id=commune_id, is_one_stop=True).order_by("order", "pk").first()
    return dept.head if dept and dept.head_id and dept.head.is_active else None


def _open_follow_up(rating: Rating, dossier: Dossier) -> FollowUp:
    lead = one_stop_lead(dossier.commune_id)
    follow_up = FollowUp.objects.create(
        rating=rating, commune_id=dossier.commune_id, assignee=lead, created_at=rating.rated_at
    )
    # The lead of the one-stop department; without one, every one-stop officer of
    # the commune, so that the item is never left unseen.
    recipients = (
        [lead]
        if lead
        else list(User.objects.filter(unit_id=dossier.commune_id, role=Role.ONE_STOP_OFFICER, is_active=True))
    )
    for user in recipients:
        notify(
            user=user,
            title=f"Người dân không hài lòng với hồ sơ {dossier.code}",
            body=f"{dossier.procedure.name}\nGóp ý: {rating.comment}",
            url=reverse("satisfaction:followup_detail", args=[follow_up.pk]),
            dedupe_key=f"satisfaction-followup:{follow_up.pk}",
        )
    return follow_up


@transaction.atomic
def followup_close(
    *, follow_up: FollowUp, user: User, resolution: str, at: datetime | None = None
) -> FollowUp:
    """Close a follow-up with the note of what was done (contacting the citizen,
    correcting the error, reminding the officer…)."""
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    check_commune(user, follow_up.commune_id, write=True)
    if not user.has_perm("satisfaction.close_followup"):
        raise PermissionDenied("Chỉ Bộ phận Một cửa và lãnh đạo được xử lý phản hồi không hài lòng.")
    resolution = clean_text(resolution or "")
    if not resolution:
        raise ValidationError({"resolution": "Cần ghi kết quả xử lý (đã liên hệ, đã khắc phục…)."})
    if len(resolution) > COMMENT_MAX:
        raise ValidationError({"resolution": f"Kết quả xử lý tối đa {COMMENT_MAX} ký tự."})
    if follow_up.status == FollowUp.Status.CLOSED:
        raise ValidationError("Phản hồi này đã được xử lý xong.")
    follow_up.status = FollowUp.Status.CLOSED
    follow_up.resolution = resolution
    follow_up.closed_at = at or timezone.now()
    follow_up.closed_by = user
    follow_up.save()
    return follow_up


# --- signed links and QR ------------------------------------------------------------
def rating_token(dossier: Dossier, channel: str = RatingChannel.QR) -> str:
    """A short signed token naming the dossier and the channel, e.g. 'q2s:…'.
    It carries no personal data; knowing it lets one rate that dossier once."""
    signer = signing.Signer(salt=_TOKEN_SALT)
    return signer.sign(f"{_CHANNEL_LETTERS[RatingChannel(channel)]}{_base36(dossier.pk)}")


def dossier_from_token(token: str) -> tuple[Dossier, str] | None:
    """The dossier and channel a token was made for; None if forged or unknown."""
    try:
        value = signing.Signer(salt=_TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    channel = _LETTER_CHANNELS.get(value[:1])
    try:
        pk = int(value[1:], 36)
    except ValueError:
        return None
    dossier = Dossier.objects.select_related("commune", "procedure").filter(pk=pk).first()
    if channel is None or dossier is None:
        return None
    return dossier, channel


def rating_path(dossier: Dossier, channel: str = RatingChannel.QR) -> str:
    if channel == RatingChannel.KIOSK:
        return reverse("satisfaction:kiosk_rate", args=[rating_token(dossier, channel)])
    return reverse("satisfaction:rate", args=[rating_token(dossier, channel)])


def rating_url(dossier: Dossier) -> str:
    """The absolute link printed (with its QR code) on the result: `/danh-gia/r/<token>/`."""
    return settings.PUBLIC_BASE_URL + rating_path(dossier, RatingChannel.QR)


def rating_qr_svg(dossier: Dossier, *, size_mm: int = 30) -> str:
    """An inline SVG QR code of `rating_url(dossier)`, for printing with the result."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        rating_url(dossier),
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    # A fixed print size whatever the code's version; the viewBox keeps it sharp.
    return re.sub(r'width="[^"]*" height="[^"]*"', f'width="{size_mm}mm" height="{size_mm}mm"', svg, count=1)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


# --- statistics -------------------------------------------------------------------------
def _pct(part: int, whole: int) -> float | None:
    """The catalogue's rounding rule (`cchc.core.figures.percent`), as a JSON number."""
    value = percent(part, whole)
    return float(value) if value is not None else None


def filtered_ratings(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
) -> QuerySet[Rating]:
    """Ratings given in the window (local days, both included), optionally of one
    department, procedure (instance, id or national code) or officer."""
    qs = Rating.objects.for_communes(commune_ids).rated_between(date_from, date_to)
    if department is not None:
        qs = qs.filter(department=department)
    if procedure is not None:
        qs = qs.filter(**_procedure_filter(procedure))
    if officer is not None:
        qs = qs.filter(officer=officer)
    return qs


def _procedure_filter(procedure, prefix: str = "") -> dict:
    if isinstance(procedure, str):
        return {f"{prefix}procedure__code": procedure}
    return {f"{prefix}procedure": procedure}


def _tallies(*, means: bool = True) -> dict:
    """Aggregates over ratings: how many, how many satisfied overall and, with
    `means`, the mean 1–5 score of each factor (named by factor key)."""
    tallies = {"rated": Count("pk"), "satisfied": Count("pk", filter=Q(satisfied=True))}
    if means:
        tallies.update({k: Avg(factor_field(k)) for k in FACTORS})
    return tallies


def _figures(row: dict, *, means: bool = True) -> dict:
    """rated, satisfied, satisfaction_rate (and factor_means) from a `_tallies` row."""
    figures = {
        "rated": row["rated"],
        "satisfied": row["satisfied"],
        "satisfaction_rate": _pct(row["satisfied"], row["rated"]),
    }
    if means:
        figures["factor_means"] = {
            k: (round(float(row[k]), 2) if row[k] is not None else None) for k in FACTORS
        }
    return figures


def _aggregate(qs: QuerySet[Rating]) -> dict:
    return _figures(qs.aggregate(**_tallies()))


def satisfaction_stats(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
) -> dict:
    """Satisfaction figures for a window [date_from, date_to] (local days, both included).

    Ratings part — the ratings *given* in the window (a rating is an event of the
    period, like a survey):
    - rated: how many; satisfied: how many answered "satisfied" overall;
    - satisfaction_rate = satisfied ÷ rated × 100 (2 decimals; None if none rated);
    - factor_means: the mean 1–5 score of each SIPAS factor (None if none rated).

    QĐ 766 part — "satisfaction with procedure handling" (docs/rules.md §9):
    - finished: dossiers whose processing *finished* in the window (processed,
      refused or stopped; the same set as the on-time statistics), the denominator;
    - late: those of them whose outcome is late (`Dossier.finish_outcome`; a second
      supplement request counts as late; an apology's new date does not help);
    - with_complaint: those of them with a "not satisfied" rating, whenever it was
      given (this product has no link from petitions to dossiers; a petition is
      about a regulation, not a dossier, so petitions do not count here);
    - index766_procedure_satisfaction = max(0, 100 − late ÷ finished × 100 −
      with_complaint ÷ finished × 100), 2 decimals; None when nothing finished.
      The two shares are added as the decision states them: a dossier both late
      and complained about weighs in both.

    Filters: `department` (the department that handled the dossier), `procedure`
    (instance, id or national code) apply to both parts; `officer` applies to the
    ratings only (the 766 figure is a unit-level figure), so with an officer the
    766 keys are None.
    """
    if date_to < date_from:
        raise ValidationError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    ratings = filtered_ratings(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        officer=officer,
    )
    result = _aggregate(ratings)
    result.update(
        {"finished": None, "late": None, "with_complaint": None, "index766_procedure_satisfaction": None}
    )
    if officer is not None:
        return result
    start, end = day_range(date_from, date_to)
    dossiers = Dossier.objects.filter(
        commune_id__in=list(commune_ids), finished_at__gte=start, finished_at__lt=end
    )
    if department is not None:
        dossiers = dossiers.filter(department=department)
    if procedure is not None:
        dossiers = dossiers.filter(**_procedure_filter(procedure))
    row = dossiers.aggregate(
        finished=Count("pk"),
        late=Count("pk", filter=Q(finish_outcome=Outcome.LATE)),
        with_complaint=Count("pk", filter=Q(rating__satisfied=False)),
    )
    result.update(row)
    if row["finished"]:
        value = 100 - (row["late"] * 100 / row["finished"]) - (row["with_complaint"] * 100 / row["finished"])
        result["index766_procedure_satisfaction"] = round(max(0.0, value), 2)
    return result


@dataclass(frozen=True)
class SatisfactionCounts:
    """The counts behind the satisfaction figures of one scope (see
    `satisfaction_stats` for the rules): ratings given in the window, and the QĐ 766
    part over the dossiers finished in it (None with an officer filter: the 766
    figure is a unit-level figure)."""

    rated: int = 0
    satisfied: int = 0
    finished: int | None = 0
    late: int | None = 0
    with_complaint: int | None = 0

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.rated)

    @property
    def procedure_satisfaction_766(self) -> Decimal | None:
        """100 − late ÷ finished × 100 − with complaint ÷ finished × 100, at least 0."""
        if not self.finished:
            return None
        value = Decimal(100) - Decimal(self.late * 100 + self.with_complaint * 100) / Decimal(self.finished)
        return rounded(max(Decimal(0), value))


def satisfaction_counts(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
    grouped: bool = False,
) -> SatisfactionCounts | dict[int, SatisfactionCounts]:
    """`SatisfactionCounts` of the window; with `grouped`, one per commune (two
    GROUP BY queries for a whole province)."""
    if date_to < date_from:
        raise ValidationError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    ids = list(commune_ids)
    ratings = filtered_ratings(
        commune_ids=ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        officer=officer,
    )
    tallies = _tallies(means=False)
    rows: dict = {}
    if grouped:
        for row in ratings.values("commune_id").annotate(**tallies).order_by():
            rows[row["commune_id"]] = {"rated": row["rated"], "satisfied": row["satisfied"]}
    else:
        rows[None] = ratings.aggregate(**tallies)
    if officer is None:
        start, end = day_range(date_from, date_to)
        # Finished and late: the dossier statistics' own counts (the day summaries).
        window = dict(
            commune_ids=ids, date_from=date_from, date_to=date_to, department=department, procedure=procedure
        )
        # The finished dossiers with an unsatisfied rating, counted from the ratings (one
        # per dossier; few are unsatisfied) rather than by joining every finished dossier
        # to its rating: at province scale that join read 1.7 million rows (5 s,
        # bench/province_results.md).
        complaints = Rating.objects.filter(
            satisfied=False,
            commune_id__in=ids,
            dossier__commune_id__in=ids,
            dossier__finished_at__gte=start,
            dossier__finished_at__lt=end,
        )
        if department is not None:
            complaints = complaints.filter(dossier__department=department)
        if procedure is not None:
            complaints = complaints.filter(**_procedure_filter(procedure, prefix="dossier__"))
        if grouped:
            for cid, counts in dossier_counts_by_commune(**window).items():
                if counts.finished:
                    rows.setdefault(cid, {}).update(finished=counts.finished, late=counts.late)
            by_commune = complaints.values("dossier__commune_id").annotate(n=Count("pk")).order_by()
            counted = {row["dossier__commune_id"]: row["n"] for row in by_commune}
            for cid in ids:
                if "finished" in rows.get(cid, {}):
                    rows[cid]["with_complaint"] = counted.get(cid, 0)
        else:
            counts = dossier_counts(**window)
            rows[None].update(finished=counts.finished, late=counts.late, with_complaint=complaints.count())
    empty = {"finished": None, "late": None, "with_complaint": None} if officer is not None else {}

    def bundle(row: dict) -> SatisfactionCounts:
        return SatisfactionCounts(**{**empty, **{k: v for k, v in row.items() if v is not None}})

    if grouped:
        return {cid: bundle(rows.get(cid, {})) for cid in ids}
    return bundle(rows[None])


def satisfaction_means(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
) -> dict[str, Decimal | None]:
    """factor key → mean 1–5 score over the ratings of the window (None: none)."""
    row = filtered_ratings(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        officer=officer,
    ).aggregate(**{k: Avg(factor_field(k)) for k in FACTORS})
    return {k: rounded(row[k]) for k in FACTORS}


BREAKDOWNS = {
    "department": ("department_id", "department__name", "Bộ phận"),
    "officer": ("officer_id", "officer__full_name", "Công chức"),
    "procedure": ("procedure_id", "procedure__name", "Thủ tục"),
}


def satisfaction_breakdown(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    by: str,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Rated, satisfied, rate and factor means per department, officer or
    procedure (ratings given in the window), most rated first."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    key, label, _ = BREAKDOWNS[by]
    qs = filtered_ratings(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        officer=officer,
    )
    rows = qs.values(key, label).annotate(**_tallies()).order_by("-rated", label)
    if limit:
        rows = rows[:limit]
    return [{"id": row[key], "name": row[label] or "(không xác định)", **_figures(row)} for row in rows]


def satisfaction_by_month(
    *,
    commune_ids: Iterable[int],
    date_from: date,
    date_to: date,
    department: Department | None = None,
    procedure: Procedure | None = None,
    officer: User | None = None,
) -> list[dict]:
    """Per calendar month of the window: rated, satisfied and the satisfaction rate."""
    months: dict[date, dict] = {}
    cursor = date(date_from.year, date_from.month, 1)
    while cursor <= date_to:
        months[cursor] = {"month": cursor, "rated": 0, "satisfied": 0, "satisfaction_rate": None}
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    qs = filtered_ratings(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        officer=officer,
    )
    rows = qs.annotate(m=TruncMonth("rated_at", tzinfo=TZ)).values("m").annotate(**_tallies(means=False))
    for row in rows:
        m = row["m"]
        if isinstance(m, datetime):
            m = m.astimezone(TZ).date()
        entry = months.get(date(m.year, m.month, 1))
        if entry is not None:
            entry.update(_figures(row, means=False))
    return list(months.values())
