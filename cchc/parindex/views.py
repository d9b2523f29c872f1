"""PAR-index pages. Thin: look the record up through a permission-checked helper,
parse the form, call one service, render or redirect; the services check again."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cchc.core import audit
from cchc.core import figures as catalogue
from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.permissions import check_commune, require_perm
from cchc.core.uploads import FILE_TYPES, attachment
from cchc.core.workflow import Conflict
from cchc.org.models import Unit

from . import criteria_io, documents, links, services
from .forms import (
    AppraiseForm,
    CriterionForm,
    EvidenceLinkForm,
    EvidenceUploadForm,
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ImportForm,
    LetterForm,
    MoveForm,
    NoteForm,
    ReplaceForm,
    SelfScoreForm,
    SetSettingsForm,
)
from .models import (
    APPRAISING_STATUSES,
    Assessment,
    CriteriaSet,
    Criterion,
    EvidenceItem,
    EvidenceKind,
    ExplanationRequest,
    SetStatus,
    Status,
)
from .results import area_chart_svg, compute, last_year, ranking
from .rules import Rule, parse_bands, pts
from .suggest import Suggestion, suggestions_for

VIEW_PERM = "parindex.view_assessment"


# --- permission-checked look-ups -------------------------------------------------------
def visible_sets(user):
    """Sets the user may read: issued by a unit above one of their communes, or by
    their own unit (or one below it) for the province's staff."""
    qs = CriteriaSet.objects.select_related("owner")
    if user.sees_all_units:
        return qs
    ids: set[int] = set()
    for commune in user.visible_communes():
        ids.update(int(pk) for pk in commune.path.strip("/").split("/") if pk)
    if user.unit_id:
        ids.add(user.unit_id)
    return qs.filter(owner_id__in=ids)


def get_set(user, pk: int) -> CriteriaSet:
    require_perm(user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    criteria_set = visible_sets(user).filter(pk=pk).first()
    if criteria_set is None:
        raise Http404("Không tìm thấy bộ tiêu chí.")
    if criteria_set.status == SetStatus.DRAFT and not services.can_manage_set(user, criteria_set.owner):
        raise Http404("Không tìm thấy bộ tiêu chí.")
    return criteria_set


def get_assessment(user, pk: int) -> Assessment:
    """The assessment if the user may see its commune (404 otherwise: another
    commune's assessment is not revealed)."""
    assessment = get_object_or_404(Assessment.objects.select_related("commune", "criteria_set__owner"), pk=pk)
    check_commune(user, assessment.commune_id)
    require_perm(user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    return assessment


def get_criterion(assessment: Assessment, code: str) -> Criterion:
    return get_object_or_404(Criterion, criteria_set_id=assessment.criteria_set_id, code=code)


def _run(request: HttpRequest, action: Callable, success: str) -> bool:
    """Call a service; show its refusal as messages. True when it succeeded."""
    try:
        action()
    except ValidationError as exc:
        for message in service_error_messages(exc):
            messages.error(request, message)
        return False
    except Conflict as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _managed_units(user):
    """Units whose sets the user may issue: their own unit if it is above communes;
    every non-commune unit for a global administrator."""
    if not user.has_perm("parindex.manage_criteria_set"):
        return Unit.objects.none()
    if user.sees_all_units:
        return Unit.objects.exclude(kind=Unit.Kind.COMMUNE)
    if user.unit is None or user.unit.is_commune:
        return Unit.objects.none()
    return Unit.objects.filter(pk=user.unit_id)


# --- the index ------------------------------------------------------------------------------
@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    user = request.user
    commune = user.home_commune
    assessments = (
        Assessment.objects.filter(commune_id__in=user.commune_ids())
        .select_related("commune", "criteria_set__owner")
        .order_by("-year", "commune__name")
    )
    year = request.GET.get("nam", "")
    if year.isdigit():
        assessments = assessments.filter(year=int(year))
    startable = []
    if commune is not None and user.has_perm("parindex.self_assess") and user.can_write_commune(commune.pk):
        mine = set(Assessment.objects.filter(commune=commune).values_list("criteria_set__owner_id", "year"))
        startable = [
            s for s in CriteriaSet.objects.for_commune(commune).open() if (s.owner_id, s.year) not in mine
        ]
    sets = (
        visible_sets(user).exclude(status=SetStatus.SUPERSEDED).order_by("-year", "owner__name", "-version")
    )
    if not _managed_units(user).exists():
        sets = sets.exclude(status=SetStatus.DRAFT)
    return render(
        request,
        "parindex/index.html",
        {
            "assessments": assessments[:300],
            "startable": startable,
            "sets": sets[:50],
            "can_manage": _managed_units(user).exists(),
            "year": year,
        },
    )


@login_required
@require_POST
def assessment_create(request: HttpRequest) -> HttpResponse:
    commune = request.user.home_commune
    if commune is None:
        raise PermissionDenied("Chỉ cán bộ cấp xã lập bản tự đánh giá của xã mình.")
    raw = request.POST.get("criteria_set", "")
    criteria_set = get_set(request.user, int(raw) if raw.isdigit() else 0)
    try:
        assessment = services.assessment_create(user=request.user, commune=commune, criteria_set=criteria_set)
    except (ValidationError, Conflict) as exc:
        for message in service_error_messages(exc):
            messages.error(request, message)
        return redirect("parindex:index")
    messages.success(request, f"Đã lập bản tự đánh giá Chỉ số CCHC năm {assessment.year}.")
    return redirect("parindex:assessment", assessment.pk)


# --- criteria sets ------------------------------------------------------------------------------
@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW_PERM, "Bạn không có quyền xem Chỉ số CCHC.")
    owners = _managed_units(request.user)
    sets = visible_sets(request.user).order_by("-year", "owner__name", "-version")
    if not owners.exists():
        sets = sets.exclude(status=SetStatus.DRAFT)
    form = None
    if owners.exists():
        form = ImportForm(owners=owners, initial={"year": timezone.localdate().year, "owner": owners.first()})
    return render(request, "parindex/set_list.html", {"sets": sets, "form": form})


@login_required
@require_POST
def set_import(request: HttpRequest) -> HttpResponse:
    owners = _managed_units(request.user)
    if not owners.exists():
        raise PermissionDenied("Chỉ cán bộ của đơn vị ban hành được nhập bộ tiêu chí.")
    form = ImportForm(request.POST, request.FILES, owners=owners)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            spec = criteria_io.read_file(upload.name, upload.read())
            result = services.criteria_set_import(
                user=request.user,
                owner=form.cleaned_data["owner"],
                year=form.cleaned_data["year"],
                level=form.cleaned_data["level"],
                spec=spec,
                title=form.cleaned_data["title"],
                source_name=upload.name,
            )
        except ValidationError as exc:
            problems = service_error_messages(exc)
        except Conflict as exc:
            problems = [exc.message]
        else:
            messages.success(
                request,
                f"Đã nhập {result.created} tiêu chí vào “{result.criteria_set.title}” (phiên bản {result.criteria_set.version}).",
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("parindex:set", result.criteria_set.pk)
    sets = visible_sets(request.user).order_by("-year", "owner__name", "-version")
    return render(
        request, "parindex/set_list.html", {"sets": sets, "form": form, "problems": problems}, status=400
    )


def _tree_rows(criteria_set: CriteriaSet) -> list[dict]:
    criteria = list(criteria_set.criteria.all())
    parents = {c.parent_id for c in criteria}
    rows = []
    for c in criteria:
        figure_labels = []
        for key in (c.figure, c.numerator_figure, c.denominator_figure):
            if key:
                try:
                    figure_labels.append(catalogue.get(key).label)
                except catalogue.UnknownFigure:
                    figure_labels.append(f"{key} (không có trong danh mục)")
        rows.append({"c": c, "leaf": c.pk not in parents, "figures": " / ".join(figure_labels)})
    return rows


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    can_manage = services.can_manage_set(request.user, criteria_set.owner)
    settings_form = SetSettingsForm(
        initial={
            "title": criteria_set.title,
            "decision": criteria_set.decision,
            "bands": "\n".join(f"{b['label']}: {b['from']}" for b in criteria_set.bands),
            "window_from": criteria_set.window_from,
            "window_to": criteria_set.window_to,
            "submit_due": criteria_set.submit_due,
            "appraisal_due": criteria_set.appraisal_due,
            "publish_due": criteria_set.publish_due,
            "explanation_days": criteria_set.explanation_days,
        }
    )
    versions = criteria_set.family().order_by("-version")
    return render(
        request,
        "parindex/set_detail.html",
        {
            "set": criteria_set,
            "rows": _tree_rows(criteria_set),
            "can_manage": can_manage,
            "settings_form": settings_form,
            "replace_form": ReplaceForm(),
            "versions": versions,
            "bands_text": criteria_io.bands_text(criteria_set.bands),
            "used": criteria_set.assessments.count(),
        },
    )


def _set_action(
    request: HttpRequest, pk: int, action: Callable[[CriteriaSet], object], success: str
) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    outcome = {}

    def run():
        outcome["value"] = action(criteria_set)

    _run(request, run, success)
    target = outcome.get("value")
    if isinstance(target, CriteriaSet):
        return redirect("parindex:set", target.pk)
    if target == "deleted":
        return redirect("parindex:sets")
    return redirect("parindex:set", criteria_set.pk)


@login_required
@require_POST
def set_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_action(
        request,
        pk,
        lambda s: services.criteria_set_open(user=request.user, criteria_set=s),
        "Đã áp dụng bộ tiêu chí: các xã có thể tự đánh giá.",
    )


@login_required
@require_POST
def set_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_action(
        request,
        pk,
        lambda s: services.criteria_set_new_version(user=request.user, criteria_set=s),
        "Đã tạo phiên bản mới (dự thảo) để đính chính.",
    )


@login_required
@require_POST
def set_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def delete(s):
        services.criteria_set_delete(user=request.user, criteria_set=s)
        return "deleted"

    return _set_action(request, pk, delete, "Đã xóa bản dự thảo.")


@login_required
@require_POST
def set_settings(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    form = SetSettingsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("parindex:set", pk)
    data = dict(form.cleaned_data)
    if criteria_set.locked_at is not None:
        # Only deadlines move once a commune has submitted.
        data = {
            k: v
            for k, v in data.items()
            if k in ("submit_due", "appraisal_due", "publish_due", "explanation_days")
        }
    _run(
        request,
        lambda: services.criteria_set_update(user=request.user, criteria_set=criteria_set, **data),
        "Đã lưu.",
    )
    return redirect("parindex:set", pk)


@login_required
@require_POST
def set_replace(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Chọn tệp .xlsx hoặc .json (tối đa 5 MB).")
        return redirect("parindex:set", pk)
    upload = form.cleaned_data["file"]
    outcome = {}

    def run():
        spec = criteria_io.read_file(upload.name, upload.read())
        outcome["r"] = services.criteria_set_replace(user=request.user, criteria_set=criteria_set, spec=spec)

    if _run(request, run, "Đã nhập lại bộ tiêu chí."):
        r = outcome["r"]
        messages.info(
            request, f"{r.created} tiêu chí mới, {r.updated} tiêu chí thay đổi, {r.removed} tiêu chí bỏ đi."
        )
        for warning in r.warnings:
            messages.warning(request, warning)
    return redirect("parindex:set", pk)


@login_required
def set_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    return set_download(criteria_set, fmt)


def set_download(criteria_set: CriteriaSet, fmt: str) -> HttpResponse:
    """The set as .xlsx (the appendix layout) or .json (our format), pages and API alike."""
    name = f"bo-tieu-chi-chi-so-cchc-{criteria_set.year}-v{criteria_set.version}"
    if criteria_set.is_example:
        name = "vi-du-" + name
    if fmt == "xlsx":
        return attachment(criteria_io.write_xlsx(criteria_set), f"{name}.xlsx")
    if fmt == "json":
        body = json.dumps(criteria_io.write_json(criteria_set), ensure_ascii=False, indent=1).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    raise Http404("Định dạng không hỗ trợ.")


def _criterion_initial(c: Criterion) -> dict:
    rule = c.rule_obj
    return {
        "title": c.title,
        "max_points": pts(c.max_points).replace(".", ""),
        "guidance": c.guidance,
        "evidence_required": c.evidence_required,
        "notes": c.notes,
        "rule_kind": c.rule_kind,
        "step": pts(rule.step) if rule.step else "",
        "threshold": pts(rule.threshold) if rule.threshold is not None else "",
        "bands": "; ".join(f"{pts(b.lower)}:{pts(b.points)}" for b in rule.ordered_bands),
        "per_occurrence": pts(rule.per_occurrence) if rule.per_occurrence is not None else "",
        "floor": pts(rule.floor) if rule.floor else "",
        "when_none": rule.when_none,
        "figure": c.figure,
        "numerator_figure": c.numerator_figure,
        "denominator_figure": c.denominator_figure,
        "na_allowed": c.na_allowed,
    }


@login_required
def criterion_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    if not services.can_manage_set(request.user, criteria_set.owner):
        raise PermissionDenied("Chỉ cán bộ của đơn vị ban hành được sửa bộ tiêu chí.")
    criterion = get_object_or_404(Criterion, criteria_set=criteria_set, code=code)
    is_leaf = not criterion.children.exists()
    figures = catalogue.all_figures()
    form = CriterionForm(
        request.POST or None,
        initial=_criterion_initial(criterion),
        rate_choices=[(f.key, f.label) for f in figures if f.is_rate],
        count_choices=[(f.key, f.label) for f in figures if not f.is_rate],
        all_choices=[(f.key, f"{f.label} ({f.unit})") for f in figures],
        is_leaf=is_leaf,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in ("title", "max_points", "guidance", "evidence_required", "notes")}
        try:
            if is_leaf:
                params = {
                    "step": d["step"],
                    "threshold": d["threshold"],
                    "bands": [[str(b.lower), str(b.points)] for b in parse_bands(d["bands"])]
                    if d["bands"]
                    else [],
                    "per_occurrence": d["per_occurrence"],
                    "floor": d["floor"],
                    "when_none": d["when_none"],
                }
                changes["rule_kind"] = d["rule_kind"] or criterion.rule_kind
                changes["rule"] = Rule.from_json(changes["rule_kind"], params)
                for name in ("figure", "numerator_figure", "denominator_figure", "na_allowed"):
                    changes[name] = d[name]
            services.criterion_update(user=request.user, criterion=criterion, **changes)
        except ValidationError as exc:
            for message in service_error_messages(exc):
                form.add_error(None, message)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã lưu tiêu chí {criterion.code}.")
            return redirect("parindex:set", criteria_set.pk)
    return render(
        request,
        "parindex/criterion_form.html",
        {"set": criteria_set, "criterion": criterion, "form": form, "is_leaf": is_leaf},
    )


# --- the assessment ----------------------------------------------------------------------------------
def _rows(assessment: Assessment, suggestions: dict[int, Suggestion]):
    result = compute(assessment)
    scores = {
        s.criterion_id: s for s in assessment.scores.prefetch_related("evidence", "explanation_requests")
    }
    rows = []
    for node in result.nodes:
        score = scores.get(node.criterion.pk)
        rows.append(
            {
                "node": node,
                "c": node.criterion,
                "score": score,
                "suggestion": suggestions.get(node.criterion.pk),
                "evidence_count": len(score.evidence.all()) if score else 0,
                "open_requests": [r for r in score.explanation_requests.all() if r.is_open] if score else [],
                "pending_requests": [r for r in score.explanation_requests.all() if r.sent_at is None]
                if score
                else [],
            }
        )
    return result, rows


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    caps = services.capabilities(request.user, assessment)
    suggestions = suggestions_for(assessment)
    result, rows = _rows(assessment, suggestions)
    newer = None
    if assessment.status == Status.DRAFT and assessment.criteria_set.status == SetStatus.SUPERSEDED:
        newer = assessment.criteria_set.family().filter(status=SetStatus.OPEN).first()
    return render(
        request,
        "parindex/assessment.html",
        {
            "a": assessment,
            "set": assessment.criteria_set,
            "result": result,
            "rows": rows,
            "caps": caps,
            "moves": services.available_moves(request.user, assessment),
            "events": assessment.events.filter(field="status").select_related("criterion"),
            "letter_form": LetterForm(
                initial={
                    "letter_number": assessment.letter_number,
                    "letter_symbol": assessment.letter_symbol,
                    "letter_date": assessment.letter_date,
                    "recipients": assessment.recipients,
                }
            ),
            "appraising": assessment.status in APPRAISING_STATUSES,
            "newer": newer,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def assessment_move(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dữ liệu không hợp lệ (ngày dạng dd/mm/yyyy).")
        return redirect("parindex:assessment", pk)
    d = form.cleaned_data
    label = services.WORKFLOW.moves[d["action"]].label if d["action"] in services.WORKFLOW else d["action"]
    _run(
        request,
        lambda: services.assessment_act(
            user=request.user,
            assessment=assessment,
            action=d["action"],
            note=d["note"],
            due_date=d["due_date"],
        ),
        f"Đã thực hiện: {label}.",
    )
    return redirect("parindex:assessment", pk)


@login_required
@require_POST
def assessment_letter(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    form = LetterForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.assessment_letter(user=request.user, assessment=assessment, **form.cleaned_data),
            "Đã lưu công văn.",
        )
    else:
        messages.error(request, "Kiểm tra số, ngày công văn (dd/mm/yyyy).")
    return redirect("parindex:assessment", pk)


@login_required
@require_POST
def assessment_switch(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    _run(
        request,
        lambda: services.assessment_switch_version(user=request.user, assessment=assessment),
        "Đã chuyển sang phiên bản bộ tiêu chí mới.",
    )
    return redirect("parindex:assessment", pk)


@login_required
@require_POST
def appraise_rest(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    outcome = {}
    if _run(
        request,
        lambda: outcome.update(n=services.appraise_agree_rest(user=request.user, assessment=assessment)),
        "Đã ghi điểm thẩm định.",
    ):
        messages.info(request, f"Đồng ý điểm tự chấm của {outcome['n']} tiêu chí chưa thẩm định.")
    return redirect("parindex:assessment", pk)


def _history(assessment: Assessment, criterion: Criterion):
    return assessment.events.filter(criterion=criterion).select_related("actor")


@login_required
def criterion_page(
    request: HttpRequest, pk: int, code: str, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    score = (
        assessment.scores.filter(criterion=criterion)
        .prefetch_related("evidence", "explanation_requests")
        .first()
    )
    if score is None:
        raise Http404("Tiêu chí có tiêu chí con: điểm là tổng các tiêu chí con.")
    caps = services.capabilities(request.user, assessment)
    suggestion = suggestions_for(assessment, [criterion]).get(criterion.pk)
    shown = Suggestion.from_json(score.suggestion)
    forms = forms or {}
    can_score = "edit" in caps and assessment.status == Status.DRAFT and criterion.rule_kind != "survey"
    can_evidence = "edit" in caps and (
        assessment.status == Status.DRAFT
        or (
            assessment.status == Status.EXPLANATION_REQUESTED
            and any(r.is_open for r in score.explanation_requests.all())
        )
    )
    can_appraise = "appraise" in caps and assessment.status in APPRAISING_STATUSES
    rule = criterion.rule_obj
    context = {
        "a": assessment,
        "c": criterion,
        "score": score,
        "rule": rule,
        "suggestion": suggestion,
        "shown_suggestion": shown,
        "caps": caps,
        "can_score": can_score,
        "can_evidence": can_evidence,
        "can_appraise": can_appraise,
        "score_form": forms.get("score")
        or SelfScoreForm(
            initial={
                "points": pts(score.self_points) if score.self_points is not None else "",
                "numerator": _num(score.self_numerator),
                "denominator": _num(score.self_denominator),
                "not_applicable": score.self_not_applicable,
                "reason": score.self_reason,
                "note": score.self_note,
                "version": score.version,
            }
        ),
        "note_form": NoteForm(initial={"note": score.self_note}),
        "appraise_form": forms.get("appraise")
        or AppraiseForm(
            initial={
                "points": pts(score.appraised_points) if score.appraised_points is not None else "",
                "numerator": _num(score.appraised_numerator),
                "denominator": _num(score.appraised_denominator),
                "not_applicable": score.appraised_not_applicable,
                "comment": score.appraisal_comment,
                "version": score.version,
            }
        ),
        "upload_form": forms.get("upload") or EvidenceUploadForm(),
        "link_form": forms.get("link")
        or (EvidenceLinkForm(links=links.candidates(assessment)) if can_evidence else None),
        "request_form": forms.get("request") or ExplanationRequestForm(),
        "answer_form": ExplanationAnswerForm(),
        "evidence": score.evidence.all(),
        "requests": score.explanation_requests.all(),
        "history": _history(assessment, criterion),
        "uploads": services.EVIDENCE_UPLOADS,
        "today": timezone.localdate(),
        "neighbours": _neighbours(assessment, criterion),
    }
    return render(request, "parindex/criterion.html", context, status=status)


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return (
        pts(value)
        if value == value.to_integral_value() or value == value.quantize(Decimal("0.01"))
        else str(value.normalize())
    )


def _neighbours(assessment: Assessment, criterion: Criterion) -> tuple[str | None, str | None]:
    codes = list(assessment.scores.order_by("criterion__position").values_list("criterion__code", flat=True))
    i = codes.index(criterion.code)
    return (codes[i - 1] if i else None, codes[i + 1] if i + 1 < len(codes) else None)


def _form_fail(request, pk, code, key, form, exc) -> HttpResponse:
    add_service_errors(form, exc)
    return criterion_page(request, pk, code, forms={key: form}, status=400)


@login_required
@require_POST
def score_self(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = SelfScoreForm(request.POST)
    if not form.is_valid():
        return criterion_page(request, pk, code, forms={"score": form}, status=400)
    d = form.cleaned_data
    try:
        services.score_self(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            accept_suggestion="accept" in request.POST and request.POST.get("accept") == "1",
            points=d["points"],
            numerator=d["numerator"],
            denominator=d["denominator"],
            not_applicable=d["not_applicable"],
            reason=d["reason"],
            note=d["note"],
            expected_version=d["version"],
        )
    except (ValidationError, Conflict) as exc:
        return _form_fail(request, pk, code, "score", form, exc)
    messages.success(request, f"Đã lưu điểm tiêu chí {criterion.code}.")
    return _after_score(request, assessment, criterion)


def _after_score(request, assessment: Assessment, criterion: Criterion) -> HttpResponse:
    if request.POST.get("next") == "1":
        _, following = _neighbours(assessment, criterion)
        if following:
            return redirect("parindex:criterion", assessment.pk, following)
    return redirect("parindex:criterion", assessment.pk, criterion.code)


@login_required
@require_POST
def score_note(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = NoteForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.score_note(
                user=request.user, assessment=assessment, criterion=criterion, note=form.cleaned_data["note"]
            ),
            "Đã lưu thuyết minh.",
        )
    return redirect("parindex:criterion", pk, code)


@login_required
@require_POST
def score_appraise(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        return criterion_page(request, pk, code, forms={"appraise": form}, status=400)
    d = form.cleaned_data
    try:
        services.score_appraise(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            agree=request.POST.get("agree") == "1",
            points=d["points"],
            numerator=d["numerator"],
            denominator=d["denominator"],
            not_applicable=d["not_applicable"],
            comment=d["comment"],
            expected_version=d["version"],
        )
    except (ValidationError, Conflict) as exc:
        return _form_fail(request, pk, code, "appraise", form, exc)
    messages.success(request, f"Đã ghi điểm thẩm định tiêu chí {criterion.code}.")
    return _after_score(request, assessment, criterion)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = EvidenceUploadForm(request.POST)
    if not form.is_valid():
        return criterion_page(request, pk, code, forms={"upload": form}, status=400)
    try:
        items = services.evidence_add_files(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            files=request.FILES.getlist("files"),
            location=form.cleaned_data["location"],
        )
    except (ValidationError, Conflict) as exc:
        return _form_fail(request, pk, code, "upload", form, exc)
    messages.success(request, f"Đã thêm {len(items)} tệp minh chứng.")
    return redirect("parindex:criterion", pk, code)


@login_required
@require_POST
def evidence_link(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = EvidenceLinkForm(request.POST, links=links.candidates(assessment))
    if not form.is_valid():
        return criterion_page(request, pk, code, forms={"link": form}, status=400)
    try:
        item = services.evidence_add_link(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            key=form.cleaned_data["link"],
            location=form.cleaned_data["location"],
        )
    except (ValidationError, Conflict) as exc:
        return _form_fail(request, pk, code, "link", form, exc)
    messages.success(request, f"Đã thêm minh chứng: {item.label}.")
    return redirect("parindex:criterion", pk, code)


def _evidence(user, pk: int, item_pk: int) -> EvidenceItem:
    assessment = get_assessment(user, pk)
    return get_object_or_404(
        EvidenceItem.objects.select_related("score__criterion"), pk=item_pk, score__assessment=assessment
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _evidence(request.user, pk, item_pk)
    code = item.score.criterion.code
    _run(
        request,
        lambda: services.evidence_remove(user=request.user, item=item, reason=request.POST.get("reason", "")),
        "Đã bỏ minh chứng.",
    )
    return redirect("parindex:criterion", pk, code)


@login_required
def evidence_download(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _evidence(request.user, pk, item_pk)
    if item.kind != EvidenceKind.FILE or not item.file:
        raise Http404("Minh chứng này là liên kết, không phải tệp.")
    audit.record(item, "view", {"file": item.original_name})
    content_type = (
        FILE_TYPES[item.extension].content_type
        if item.extension in FILE_TYPES
        else "application/octet-stream"
    )
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=content_type
    )


@login_required
@require_POST
def explanation_add(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    form = ExplanationRequestForm(request.POST)
    if not form.is_valid():
        return criterion_page(request, pk, code, forms={"request": form}, status=400)
    try:
        services.explanation_request_add(
            user=request.user,
            assessment=assessment,
            criterion=criterion,
            request=form.cleaned_data["request"],
        )
    except (ValidationError, Conflict) as exc:
        return _form_fail(request, pk, code, "request", form, exc)
    messages.success(
        request,
        "Đã ghi yêu cầu giải trình; gửi cho xã bằng nút “Gửi yêu cầu giải trình” trên trang bản đánh giá.",
    )
    return redirect("parindex:criterion", pk, code)


def _request(user, pk: int, request_pk: int) -> ExplanationRequest:
    assessment = get_assessment(user, pk)
    return get_object_or_404(
        ExplanationRequest.objects.select_related("score__criterion"),
        pk=request_pk,
        score__assessment=assessment,
    )


@login_required
@require_POST
def explanation_withdraw(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    item = _request(request.user, pk, request_pk)
    code = item.score.criterion.code
    _run(
        request,
        lambda: services.explanation_request_withdraw(user=request.user, item=item),
        "Đã rút yêu cầu giải trình.",
    )
    return redirect("parindex:criterion", pk, code)


@login_required
@require_POST
def explanation_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    item = _request(request.user, pk, request_pk)
    code = item.score.criterion.code
    form = ExplanationAnswerForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.explanation_answer(
                user=request.user, item=item, response=form.cleaned_data["response"]
            ),
            "Đã lưu nội dung giải trình.",
        )
    else:
        messages.error(request, "Nhập nội dung giải trình.")
    return redirect("parindex:criterion", pk, code)


# How a counted record links to its own page (models without get_absolute_url).
RECORD_PAGES = {
    "dossiers.dossier": lambda obj: reverse("dossiers:detail", args=[obj.code]),
}


@login_required
def records(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The records a bound criterion's figure counted over the window (drill-down):
    the denominator's by default, the numerator's with ?phan=tu-so."""
    assessment = get_assessment(request.user, pk)
    criterion = get_criterion(assessment, code)
    if not criterion.is_bound:
        raise Http404("Tiêu chí không gắn số liệu.")
    from .suggest import _figures_for

    _, shown, num, den = _figures_for(criterion)
    choices = [
        (name, f)
        for name, f in (("mau-so", den), ("tu-so", num), ("so-lieu", shown))
        if f is not None and f.records is not None
    ]
    if not choices:
        raise Http404("Số liệu này không có danh sách bản ghi.")
    wanted = request.GET.get("phan", choices[0][0])
    part, figure = next(((n, f) for n, f in choices if n == wanted), choices[0])
    period = assessment.criteria_set.window
    scope = catalogue.Scope.of(
        commune_ids=[assessment.commune_id], date_from=period.date_from, date_to=period.date_to
    )
    page = Paginator(figure.records(scope).order_by("pk"), 50).get_page(request.GET.get("page"))
    rows = []
    for obj in page:
        link = RECORD_PAGES.get(obj._meta.label_lower)
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else (link(obj) if link else "")
        rows.append({"text": str(obj), "url": url})
    return render(
        request,
        "parindex/records.html",
        {
            "a": assessment,
            "c": criterion,
            "figure": figure,
            "period": period,
            "page": page,
            "rows": rows,
            "parts": [(n, f.label) for n, f in choices],
            "part": part,
        },
    )


# --- results, documents, ranking -----------------------------------------------------------------------
@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    result = compute(assessment)
    previous = last_year(assessment)
    return render(
        request,
        "parindex/results.html",
        {
            "a": assessment,
            "result": result,
            "previous": previous,
            "prev_areas": {n.code: n for n in previous.areas} if previous else {},
            "chart": mark_safe(area_chart_svg(result, previous)),  # built from escaped text only
            "sent": assessment.is_sent,
        },
    )


@login_required
def summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    return attachment(
        documents.summary_xlsx(assessment), f"chi-so-cchc-{assessment.year}-{assessment.commune.slug}.xlsx"
    )


@login_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment(request.user, pk)
    return attachment(
        documents.letter_docx(assessment), f"cong-van-de-nghi-tham-dinh-chi-so-cchc-{assessment.year}.docx"
    )


@login_required
def ranking_page(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_set(request.user, pk)
    published_only = request.GET.get("cong_bo") == "1"
    table = ranking(criteria_set, commune_ids=request.user.commune_ids(), published_only=published_only)
    if request.GET.get("xuat") == "xlsx":
        audit.record(
            None,
            "export",
            {"ranking": criteria_set.pk},
            model_label=("parindex", "ranking"),
            object_repr=str(criteria_set),
        )
        return attachment(documents.ranking_xlsx(table), f"xep-hang-chi-so-cchc-{criteria_set.year}.xlsx")
    return render(
        request,
        "parindex/ranking.html",
        {
            "set": criteria_set,
            "table": table,
            "published_only": published_only,
            "export_url": reverse("parindex:ranking", args=[pk])
            + "?xuat=xlsx"
            + ("&cong_bo=1" if published_only else ""),
        },
    )
