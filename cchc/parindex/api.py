"""JSON API of the PAR index (mounted at /api/v1/par-index/). The same services as
the pages; errors answer {"detail": …} (403, 404, 409, 422)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from cchc.core.permissions import require_perm

from . import criteria_io, services
from .models import Assessment, Criterion, ExplanationRequest, SetStatus
from .models import Status as AssessmentStatus
from .results import compute, last_year, ranking
from .suggest import Suggestion, suggestions_for
from .views import VIEW_PERM, _managed_units, get_assessment, get_set, set_download, visible_sets

router = Router(tags=["Chỉ số CCHC"])


class ParSetOut(Schema):
    id: int
    owner: str
    owner_name: str
    year: int
    level: str
    version: int
    title: str
    decision: str
    is_example: bool
    example_note: str
    status: str
    status_label: str
    scale: Decimal
    locked_at: datetime | None
    criteria_count: int


class ParFiguresOut(Schema):
    figure: str
    numerator: str
    denominator: str


class ParCriterionOut(Schema):
    code: str
    parent: str | None
    depth: int
    title: str
    max_points: Decimal
    is_leaf: bool
    rule_kind: str
    rule: dict
    rule_text: str
    figures: ParFiguresOut
    data_source: str
    guidance: str
    evidence_required: str
    notes: str
    na_allowed: bool


class ParBandOut(Schema):
    label: str
    lower_percent: Decimal


class ParSetDetailOut(ParSetOut):
    bands: list[ParBandOut]
    window_from: date
    window_to: date
    submit_due: date | None
    appraisal_due: date | None
    publish_due: date | None
    explanation_days: int
    criteria: list[ParCriterionOut]


class ParImportOut(Schema):
    criteria_set: ParSetDetailOut
    warnings: list[str]


class ParAssessmentOut(Schema):
    id: int
    commune: str
    commune_name: str
    year: int
    criteria_set_id: int
    criteria_set_version: int
    is_example: bool
    status: str
    status_label: str
    submitted_at: datetime | None
    published_at: datetime | None
    explanation_due: date | None


class ParSuggestionOut(Schema):
    points: Decimal | None
    not_applicable: bool
    explanation: str
    figure: str
    figure_keys: list[str]
    value: str
    numerator: Decimal | None
    denominator: Decimal | None
    window_from: date
    window_to: date
    rule: str
    records_url: str
    error: str


class ParExplanationOut(Schema):
    id: int
    round: int
    request: str
    sent_at: datetime | None
    due_date: date | None
    response: str
    responded_at: datetime | None


class ParEvidenceOut(Schema):
    id: int
    kind: str
    label: str
    location: str
    url: str


class ParScoreOut(Schema):
    code: str
    title: str
    max_points: Decimal
    rule_kind: str
    rule_text: str
    self_points: Decimal | None
    self_not_applicable: bool
    self_numerator: Decimal | None
    self_denominator: Decimal | None
    self_origin: str
    self_reason: str
    self_note: str
    suggestion_now: ParSuggestionOut | None
    suggestion_at_scoring: ParSuggestionOut | None
    appraised_points: Decimal | None
    appraised_not_applicable: bool
    appraisal_comment: str
    evidence: list[ParEvidenceOut]
    explanations: list[ParExplanationOut]


class ParAssessmentDetailOut(ParAssessmentOut):
    moves: list[str]
    scores: list[ParScoreOut]


class ParTotalOut(Schema):
    points: Decimal
    maximum: Decimal
    applicable: Decimal
    scale: Decimal
    scaled: Decimal | None
    percent: Decimal | None
    rescale: str
    not_applicable: list[str]
    complete: bool


class ParAreaResultOut(Schema):
    code: str
    title: str
    max_points: Decimal
    self_points: Decimal
    self_applicable: Decimal
    appraised_points: Decimal
    appraised_applicable: Decimal
    last_year_points: Decimal | None


class ParResultOut(Schema):
    assessment: ParAssessmentOut
    final: bool
    band: str
    self_assessed: ParTotalOut
    appraised: ParTotalOut
    areas: list[ParAreaResultOut]


class ParRankRowOut(Schema):
    rank: int | None
    band: str
    commune: str
    commune_name: str
    status: str
    provisional: bool
    areas: dict[str, Decimal | None]
    total: ParTotalOut | None


class ParRankingOut(Schema):
    criteria_set: ParSetOut
    rows: list[ParRankRowOut]
    not_sent: list[str]


class ParSelfScoreIn(Schema):
    accept_suggestion: bool = False
    points: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    not_applicable: bool = False
    reason: str = ""
    note: str | None = None


class ParAppraisalIn(Schema):
    agree: bool = False
    points: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    not_applicable: bool = False
    comment: str | None = None


class ParCreateIn(Schema):
    criteria_set_id: int


class ParMoveIn(Schema):
    note: str = ""
    due_date: date | None = None


class ParExplanationRequestIn(Schema):
    request: str


class ParExplanationAnswerIn(Schema):
    response: str


# --- serialisers ----------------------------------------------------------------------------
def _set_out(s) -> dict:
    return {
        "id": s.pk,
        "owner": s.owner.slug,
        "owner_name": s.owner.name,
        "year": s.year,
        "level": s.level,
        "version": s.version,
        "title": s.title,
        "decision": s.decision,
        "is_example": s.is_example,
        "example_note": s.example_note,
        "status": s.status,
        "status_label": s.get_status_display(),
        "scale": s.scale,
        "locked_at": s.locked_at,
        "criteria_count": s.criteria.count(),
    }


def _set_detail(s) -> dict:
    criteria = list(s.criteria.all())
    parents = {c.parent_id for c in criteria}
    codes = {c.pk: c.code for c in criteria}
    return {
        **_set_out(s),
        "bands": [{"label": b["label"], "lower_percent": Decimal(str(b["from"]))} for b in s.bands],
        "window_from": s.window.date_from,
        "window_to": s.window.date_to,
        "submit_due": s.submit_due,
        "appraisal_due": s.appraisal_due,
        "publish_due": s.publish_due,
        "explanation_days": s.explanation_days,
        "criteria": [
            {
                "code": c.code,
                "parent": codes.get(c.parent_id),
                "depth": c.depth,
                "title": c.title,
                "max_points": c.max_points,
                "is_leaf": c.pk not in parents,
                "rule_kind": c.rule_kind,
                "rule": c.rule_obj.to_json(),
                "rule_text": c.rule_text,
                "figures": {
                    "figure": c.figure,
                    "numerator": c.numerator_figure,
                    "denominator": c.denominator_figure,
                },
                "data_source": c.data_source,
                "guidance": c.guidance,
                "evidence_required": c.evidence_required,
                "notes": c.notes,
                "na_allowed": c.na_allowed,
            }
            for c in criteria
        ],
    }


def _assessment_out(a: Assessment) -> dict:
    return {
        "id": a.pk,
        "commune": a.commune.slug,
        "commune_name": a.commune.name,
        "year": a.year,
        "criteria_set_id": a.criteria_set_id,
        "criteria_set_version": a.criteria_set.version,
        "is_example": a.criteria_set.is_example,
        "status": a.status,
        "status_label": a.get_status_display(),
        "submitted_at": a.submitted_at,
        "published_at": a.published_at,
        "explanation_due": a.explanation_due,
    }


def _suggestion_out(s: Suggestion | None) -> dict | None:
    if s is None:
        return None
    return {
        "points": s.points,
        "not_applicable": s.not_applicable,
        "explanation": s.explanation,
        "figure": s.figure_label,
        "figure_keys": list(s.figure_keys),
        "value": s.value_text,
        "numerator": s.numerator,
        "denominator": s.denominator,
        "window_from": s.date_from,
        "window_to": s.date_to,
        "rule": s.rule_text,
        "records_url": s.records_url,
        "error": s.error,
    }


def _assessment_detail(user, a: Assessment) -> dict:
    scores = list(
        a.scores.select_related("criterion")
        .prefetch_related("evidence", "explanation_requests")
        .order_by("criterion__position")
    )
    suggestions = suggestions_for(a, [s.criterion for s in scores])
    return {
        **_assessment_out(a),
        "moves": [m.action for m in services.available_moves(user, a)],
        "scores": [
            {
                "code": s.criterion.code,
                "title": s.criterion.title,
                "max_points": s.criterion.max_points,
                "rule_kind": s.criterion.rule_kind,
                "rule_text": s.criterion.rule_text,
                "self_points": s.self_points,
                "self_not_applicable": s.self_not_applicable,
                "self_numerator": s.self_numerator,
                "self_denominator": s.self_denominator,
                "self_origin": s.self_origin,
                "self_reason": s.self_reason,
                "self_note": s.self_note,
                "suggestion_now": _suggestion_out(suggestions.get(s.criterion_id)),
                "suggestion_at_scoring": _suggestion_out(Suggestion.from_json(s.suggestion)),
                "appraised_points": s.appraised_points,
                "appraised_not_applicable": s.appraised_not_applicable,
                "appraisal_comment": s.appraisal_comment,
                "evidence": [
                    {
                        "id": e.pk,
                        "kind": e.kind,
                        "label": e.label,
                        "location": e.location,
                        "url": _evidence_url(a, e),
                    }
                    for e in s.evidence.all()
                ],
                "explanations": [
                    {
                        "id": r.pk,
                        "round": r.round,
                        "request": r.request,
                        "sent_at": r.sent_at,
                        "due_date": r.due_date,
                        "response": r.response,
                        "responded_at": r.responded_at,
                    }
                    for r in s.explanation_requests.all()
                    if r.sent_at is not None or "appraise" in services.capabilities(user, a)
                ],
            }
            for s in scores
        ],
    }


def _evidence_url(a: Assessment, e) -> str:
    from django.urls import reverse

    return reverse("parindex:evidence_download", args=[a.pk, e.pk]) if e.kind == "file" else e.url


def _total_out(t) -> dict:
    return {
        "points": t.points,
        "maximum": t.maximum,
        "applicable": t.applicable,
        "scale": t.scale,
        "scaled": t.scaled,
        "percent": t.percent,
        "rescale": t.rescale_text,
        "not_applicable": t.not_applicable,
        "complete": t.complete,
    }


# --- criteria sets ------------------------------------------------------------------------------
@router.get("/par-index/sets", response=list[ParSetOut], summary="Danh sách bộ tiêu chí Chỉ số CCHC")
def set_list(request: HttpRequest, year: int | None = None):
    user = request.auth
    require_perm(user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    qs = visible_sets(user).order_by("-year", "owner__name", "-version")
    if not _managed_units(user).exists():
        qs = qs.exclude(status=SetStatus.DRAFT)
    if year is not None:
        qs = qs.filter(year=year)
    return [_set_out(s) for s in qs]


@router.post(
    "/par-index/sets",
    response={201: ParImportOut},
    summary="Nhập bộ tiêu chí (multipart: file .xlsx/.json, owner, year, title) — tạo phiên bản mới",
)
def set_import(
    request: HttpRequest,
    file: File[UploadedFile],
    year: Form[int],
    owner: Form[str | None] = None,
    title: Form[str] = "",
):
    user = request.auth
    units = _managed_units(user)
    if owner:
        unit = units.filter(slug=owner).first()
    else:
        unit = units.first() if units.count() == 1 else None
    if unit is None:
        raise PermissionDenied(
            "Chỉ cán bộ của đơn vị ban hành được nhập bộ tiêu chí (ghi rõ owner nếu quản lý nhiều đơn vị)."
        )
    spec = criteria_io.read_file(file.name, file.read())
    result = services.criteria_set_import(
        user=user, owner=unit, year=year, spec=spec, title=title, source_name=file.name
    )
    return Status(201, {"criteria_set": _set_detail(result.criteria_set), "warnings": result.warnings})


@router.get(
    "/par-index/sets/{set_id}",
    response=ParSetDetailOut,
    summary="Bộ tiêu chí: cây tiêu chí, cách chấm, số liệu gắn",
)
def set_detail(request: HttpRequest, set_id: int):
    return _set_detail(get_set(request.auth, set_id))


@router.get(
    "/par-index/sets/{set_id}/export.{fmt}", summary="Xuất bộ tiêu chí (.xlsx theo mẫu phụ lục, hoặc .json)"
)
def set_export(request: HttpRequest, set_id: int, fmt: str):
    if fmt not in ("xlsx", "json"):
        raise HttpError(404, "Chỉ xuất được .xlsx hoặc .json.")
    return set_download(get_set(request.auth, set_id), fmt)


@router.post(
    "/par-index/sets/{set_id}/open",
    response=ParSetOut,
    summary="Áp dụng bộ tiêu chí (các xã bắt đầu tự đánh giá)",
)
def set_open(request: HttpRequest, set_id: int):
    return _set_out(services.criteria_set_open(user=request.auth, criteria_set=get_set(request.auth, set_id)))


@router.post(
    "/par-index/sets/{set_id}/new-version",
    response={201: ParSetDetailOut},
    summary="Tạo phiên bản mới để đính chính",
)
def set_new_version(request: HttpRequest, set_id: int):
    copy = services.criteria_set_new_version(user=request.auth, criteria_set=get_set(request.auth, set_id))
    return Status(201, _set_detail(copy))


@router.get(
    "/par-index/sets/{set_id}/ranking",
    response=ParRankingOut,
    summary="Bảng xếp hạng các xã (kèm danh sách chưa gửi)",
)
def set_ranking(request: HttpRequest, set_id: int, published_only: bool = False):
    criteria_set = get_set(request.auth, set_id)
    table = ranking(criteria_set, commune_ids=request.auth.commune_ids(), published_only=published_only)
    return {
        "criteria_set": _set_out(table.criteria_set),
        "rows": [
            {
                "rank": r.rank,
                "band": r.band,
                "commune": r.commune.slug,
                "commune_name": r.commune.name,
                "status": r.assessment.status if r.assessment else "",
                "provisional": r.provisional,
                "areas": {a.code: r.area_points(a.code) for a in table.areas},
                "total": _total_out(r.total) if r.total else None,
            }
            for r in table.rows
        ],
        "not_sent": [r.commune.slug for r in table.not_sent],
    }


# --- assessments -------------------------------------------------------------------------------------
@router.get(
    "/par-index/assessments",
    response=list[ParAssessmentOut],
    summary="Các bản đánh giá Chỉ số CCHC (trong phạm vi được xem)",
)
def assessment_list(
    request: HttpRequest, year: int | None = None, commune: str | None = None, status: str | None = None
):
    user = request.auth
    require_perm(user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    qs = Assessment.objects.filter(commune_id__in=user.commune_ids()).select_related(
        "commune", "criteria_set"
    )
    if year is not None:
        qs = qs.filter(year=year)
    if commune:
        qs = qs.filter(commune__slug=commune)
    if status:
        if status not in AssessmentStatus.values:
            raise HttpError(422, f"Trạng thái “{status}” không hợp lệ.")
        qs = qs.filter(status=status)
    return [_assessment_out(a) for a in qs.order_by("-year", "commune__name")]


@router.post(
    "/par-index/assessments", response={201: ParAssessmentDetailOut}, summary="Lập bản tự đánh giá của xã"
)
def assessment_create(request: HttpRequest, payload: ParCreateIn):
    user = request.auth
    commune = user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ cấp xã lập bản tự đánh giá của xã mình.")
    criteria_set = get_set(user, payload.criteria_set_id)
    a = services.assessment_create(user=user, commune=commune, criteria_set=criteria_set)
    return Status(201, _assessment_detail(user, a))


@router.get(
    "/par-index/assessments/{assessment_id}",
    response=ParAssessmentDetailOut,
    summary="Bản đánh giá: điểm từng tiêu chí, điểm gợi ý, thẩm định",
)
def assessment_detail(request: HttpRequest, assessment_id: int):
    return _assessment_detail(request.auth, get_assessment(request.auth, assessment_id))


def _criterion(a: Assessment, code: str) -> Criterion:
    return get_object_or_404(Criterion, criteria_set_id=a.criteria_set_id, code=code)


@router.put(
    "/par-index/assessments/{assessment_id}/criteria/{code}/self-score",
    response=ParScoreOut,
    summary="Xã chấm một tiêu chí",
)
def score_self(request: HttpRequest, assessment_id: int, code: str, payload: ParSelfScoreIn):
    a = get_assessment(request.auth, assessment_id)
    services.score_self(user=request.auth, assessment=a, criterion=_criterion(a, code), **payload.dict())
    return _score_out(request.auth, a, code)


@router.put(
    "/par-index/assessments/{assessment_id}/criteria/{code}/appraisal",
    response=ParScoreOut,
    summary="Cấp trên thẩm định một tiêu chí",
)
def score_appraise(request: HttpRequest, assessment_id: int, code: str, payload: ParAppraisalIn):
    a = get_assessment(request.auth, assessment_id)
    services.score_appraise(user=request.auth, assessment=a, criterion=_criterion(a, code), **payload.dict())
    return _score_out(request.auth, a, code)


def _score_out(user, a: Assessment, code: str) -> dict:
    a = Assessment.objects.select_related("commune", "criteria_set").get(pk=a.pk)
    return next(s for s in _assessment_detail(user, a)["scores"] if s["code"] == code)


@router.post(
    "/par-index/assessments/{assessment_id}/criteria/{code}/explanation-requests",
    response={201: ParExplanationOut},
    summary="Ghi yêu cầu giải trình một tiêu chí (gửi bằng thao tác request_explanation)",
)
def explanation_add(request: HttpRequest, assessment_id: int, code: str, payload: ParExplanationRequestIn):
    a = get_assessment(request.auth, assessment_id)
    item = services.explanation_request_add(
        user=request.auth, assessment=a, criterion=_criterion(a, code), request=payload.request
    )
    return Status(201, _explanation_out(item))


@router.post(
    "/par-index/assessments/{assessment_id}/explanation-requests/{request_id}/answer",
    response=ParExplanationOut,
    summary="Xã giải trình một yêu cầu",
)
def explanation_answer(
    request: HttpRequest, assessment_id: int, request_id: int, payload: ParExplanationAnswerIn
):
    a = get_assessment(request.auth, assessment_id)
    item = get_object_or_404(ExplanationRequest, pk=request_id, score__assessment=a)
    return _explanation_out(
        services.explanation_answer(user=request.auth, item=item, response=payload.response)
    )


def _explanation_out(r: ExplanationRequest) -> dict:
    return {
        "id": r.pk,
        "round": r.round,
        "request": r.request,
        "sent_at": r.sent_at,
        "due_date": r.due_date,
        "response": r.response,
        "responded_at": r.responded_at,
    }


@router.post(
    "/par-index/assessments/{assessment_id}/actions/{action}",
    response=ParAssessmentOut,
    summary="Chuyển trạng thái: self_assess, return, approve, submit, start_appraisal, request_explanation, explain, appraise, reopen, publish",
)
def assessment_act(request: HttpRequest, assessment_id: int, action: str, payload: ParMoveIn):
    a = get_assessment(request.auth, assessment_id)
    a = services.assessment_act(
        user=request.auth, assessment=a, action=action, note=payload.note, due_date=payload.due_date
    )
    return _assessment_out(a)


@router.get(
    "/par-index/assessments/{assessment_id}/results",
    response=ParResultOut,
    summary="Kết quả: từng lĩnh vực, tổng, quy đổi, so với năm trước",
)
def assessment_results(request: HttpRequest, assessment_id: int):
    a = get_assessment(request.auth, assessment_id)
    result = compute(a)
    previous = last_year(a)
    prev = {n.code: n for n in previous.areas} if previous else {}

    def prev_points(code: str) -> Decimal | None:
        node = prev.get(code)
        if node is None:
            return None
        return (node.appraised if previous.is_final else node.self).points

    return {
        "assessment": _assessment_out(a),
        "final": result.is_final,
        "band": result.band(),
        "self_assessed": _total_out(result.self_total),
        "appraised": _total_out(result.appraised_total),
        "areas": [
            {
                "code": n.code,
                "title": n.criterion.title,
                "max_points": n.max_points,
                "self_points": n.self.points,
                "self_applicable": n.self.applicable,
                "appraised_points": n.appraised.points,
                "appraised_applicable": n.appraised.applicable,
                "last_year_points": prev_points(n.code),
            }
            for n in result.areas
        ],
    }
