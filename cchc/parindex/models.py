"""The PAR index (Chỉ số cải cách hành chính) of communes: criteria sets issued by
a province (or another unit above the commune) for a year, and each commune's
assessment against one (docs/par-index.md).

A `CriteriaSet` is data, not code: a tree of `Criterion` rows of any depth (code
"1", "1.2", "1.2.3"), each with its maximum points and scoring rule
(`cchc.parindex.rules`). A set is versioned: once any commune has submitted an
assessment against it (`locked_at`), it never changes again — a correction is a new
version, and each `Assessment` keeps the version it was made against.

An `Assessment` (one per commune and set) moves through an explicit state machine
(`services.WORKFLOW`); each leaf criterion has one `Score` row holding the
commune's side (self-score, inputs, the suggestion it was shown, its note) and the
appraiser's side, which never overwrites the commune's. Every change of a score, a
comment or the state is an `AssessmentEvent` row (who, when, from, to, why).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.concurrency import VersionedModel
from cchc.core.models import AuditedModel
from cchc.core.periods import Period
from cchc.core.uploads import random_storage_name

from .rules import DEFAULT_STEP, Rule, RuleKind

POINTS = dict(max_digits=7, decimal_places=2)
MEASURE = dict(max_digits=14, decimal_places=4)


class Level(models.TextChoices):
    COMMUNE = "commune", "Cấp xã"


class SumRule(models.TextChoices):
    """How the children's maxima relate to their parent's maximum."""

    EQUAL = "equal", "Tổng điểm tiêu chí con bằng điểm tiêu chí cha"
    AT_MOST = "at_most", "Tổng điểm tiêu chí con không vượt quá điểm tiêu chí cha"


class SetStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo (chưa áp dụng)"
    OPEN = "open", "Đang áp dụng"
    SUPERSEDED = "superseded", "Đã thay bằng phiên bản khác"


class CriteriaSetQuerySet(models.QuerySet):
    def for_commune(self, commune):
        """Sets that apply to `commune`: issued by one of its ancestor units."""
        ancestor_ids = [int(pk) for pk in commune.path.strip("/").split("/") if pk][:-1]
        return self.filter(owner_id__in=ancestor_ids, level=Level.COMMUNE)

    def open(self):
        return self.filter(status=SetStatus.OPEN)


class CriteriaSet(AuditedModel):
    """One version of a criteria set (owner, year, level). Only the owner unit's
    managers change it, and only until a commune has submitted against it."""

    owner = models.ForeignKey(
        "org.Unit", verbose_name="đơn vị ban hành", on_delete=models.PROTECT, related_name="par_criteria_sets"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    level = models.CharField("cấp áp dụng", max_length=12, choices=Level.choices, default=Level.COMMUNE)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    title = models.CharField("tên bộ tiêu chí", max_length=300)
    decision = models.CharField(
        "căn cứ (quyết định ban hành)",
        max_length=300,
        blank=True,
        help_text="Ví dụ: QĐ 1234/QĐ-UBND ngày 08/9/2025.",
    )
    is_example = models.BooleanField(
        "bộ tiêu chí ví dụ", default=False, help_text="Minh họa cho bản demo, không phải văn bản pháp lý."
    )
    example_note = models.TextField("ghi chú về tính ví dụ", blank=True)
    scale = models.DecimalField("thang điểm", default=Decimal(100), **POINTS)
    sum_rule = models.CharField(
        "quy tắc cộng điểm tiêu chí con", max_length=10, choices=SumRule.choices, default=SumRule.EQUAL
    )
    points_step = models.DecimalField(
        "bước điểm khi chấm tay", max_digits=4, decimal_places=2, default=DEFAULT_STEP
    )
    # Result groups, e.g. [{"label": "Nhóm A", "from": "90"}, {"label": "Nhóm B", "from": "80"}, …],
    # by the result in % of the applicable maximum (a group's bound included).
    bands = models.JSONField("xếp nhóm kết quả", default=list, blank=True)
    window_from = models.DateField("số liệu từ ngày", null=True, blank=True)
    window_to = models.DateField("số liệu đến ngày", null=True, blank=True)
    submit_due = models.DateField("hạn xã gửi kết quả tự đánh giá", null=True, blank=True)
    appraisal_due = models.DateField("hạn hoàn thành thẩm định", null=True, blank=True)
    explanation_days = models.PositiveSmallIntegerField("số ngày làm việc để giải trình", default=5)
    publish_due = models.DateField("hạn công bố kết quả", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=SetStatus.choices, default=SetStatus.DRAFT)
    previous = models.ForeignKey(
        "self",
        verbose_name="sửa đổi phiên bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField("áp dụng từ", null=True, blank=True)
    locked_at = models.DateTimeField(
        "khóa lúc", null=True, blank=True, help_text="Lần đầu một xã gửi kết quả: từ đó không sửa được nữa."
    )
    source_name = models.CharField("tệp nguồn", max_length=200, blank=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ tiêu chí Chỉ số CCHC"
        verbose_name_plural = "bộ tiêu chí Chỉ số CCHC"
        ordering = ["-year", "owner", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year", "level", "version"], name="par_set_version_once")
        ]
        permissions = [("manage_criteria_set", "Ban hành, sửa bộ tiêu chí Chỉ số CCHC")]

    def __str__(self) -> str:
        label = f"{self.title} (phiên bản {self.version})"
        return f"[VÍ DỤ] {label}" if self.is_example else label

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_editable(self) -> bool:
        return self.locked_at is None and self.status != SetStatus.SUPERSEDED

    @property
    def window(self) -> Period:
        """The window the data-driven criteria are measured over: the set's own dates,
        else the reporting year (15/12 of the year before → 14/12)."""
        default = Period.year_of(self.year)
        if self.window_from or self.window_to:
            return Period.between(self.window_from or default.date_from, self.window_to or default.date_to)
        return default

    def band_for(self, percent: Decimal | None) -> str:
        """The result group of a result in % of the applicable maximum ('' if none)."""
        if percent is None:
            return ""
        for band in sorted(self.bands or [], key=lambda b: Decimal(str(b["from"])), reverse=True):
            if percent >= Decimal(str(band["from"])):
                return band["label"]
        return ""

    def roots(self) -> list[Criterion]:
        return [c for c in self.criteria.all() if c.parent_id is None]

    def family(self):
        """Every version of this set (same owner, year and level)."""
        return CriteriaSet.objects.filter(owner_id=self.owner_id, year=self.year, level=self.level)


class Criterion(AuditedModel):
    """A node of the criteria tree. Leaves are scored; a parent's points are the
    sum of its children's. `position` is the node's place in document order."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self",
        verbose_name="tiêu chí cha",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("mã (STT)", max_length=20)
    position = models.PositiveIntegerField("thứ tự", default=0)
    depth = models.PositiveSmallIntegerField("cấp", default=0)
    title = models.CharField("tiêu chí", max_length=600)
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    rule_kind = models.CharField(
        "cách chấm", max_length=20, choices=RuleKind.choices, default=RuleKind.ENTERED
    )
    rule = models.JSONField("tham số cách chấm", default=dict, blank=True)
    # Bound figures of the catalogue (keys validated by cchc.core.figures.get): one
    # figure (a rate, or a count of occurrences), or a numerator and a denominator.
    figure = models.CharField("số liệu", max_length=80, blank=True)
    numerator_figure = models.CharField("số liệu tử số", max_length=80, blank=True)
    denominator_figure = models.CharField("số liệu mẫu số", max_length=80, blank=True)
    # What the set said the data is when it is not (yet) a figure of the catalogue.
    data_source = models.CharField("nguồn số liệu (theo bộ tiêu chí)", max_length=200, blank=True)
    guidance = models.TextField("hướng dẫn chấm", blank=True)
    evidence_required = models.TextField("tài liệu kiểm chứng", blank=True)
    notes = models.TextField("ghi chú", blank=True)
    na_allowed = models.BooleanField("được xác định không áp dụng", default=False)
    sum_rule = models.CharField(
        "quy tắc cộng tiêu chí con", max_length=10, choices=SumRule.choices, blank=True
    )

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="par_criterion_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def audit_commune_id(self) -> int | None:
        return None

    @property
    def rule_obj(self) -> Rule:
        return Rule.from_json(self.rule_kind, self.rule)

    @property
    def rule_text(self) -> str:
        return self.rule_obj.describe(self.max_points)

    @property
    def is_bound(self) -> bool:
        return bool(self.figure or (self.numerator_figure and self.denominator_figure))

    @property
    def effective_sum_rule(self) -> str:
        return self.sum_rule or self.criteria_set.sum_rule


class Status(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SELF_ASSESSED = "self_assessed", "Đã tự đánh giá – chờ Chủ tịch duyệt"
    APPROVED = "approved", "Chủ tịch đã duyệt – chờ gửi"
    SUBMITTED = "submitted", "Đã gửi – chờ thẩm định"
    UNDER_APPRAISAL = "under_appraisal", "Đang thẩm định"
    EXPLANATION_REQUESTED = "explanation_requested", "Cấp trên yêu cầu giải trình"
    EXPLAINED = "explained", "Đã giải trình – chờ thẩm định"
    APPRAISED = "appraised", "Đã thẩm định"
    PUBLISHED = "published", "Đã công bố"


# Statuses in which the commune's self-assessment has been sent to the province.
SENT_STATUSES = (
    Status.SUBMITTED,
    Status.UNDER_APPRAISAL,
    Status.EXPLANATION_REQUESTED,
    Status.EXPLAINED,
    Status.APPRAISED,
    Status.PUBLISHED,
)
# Statuses in which the appraiser may change appraisal scores and comments.
APPRAISING_STATUSES = (Status.UNDER_APPRAISAL, Status.EXPLAINED)
FINAL_STATUSES = (Status.APPRAISED, Status.PUBLISHED)


class AssessmentQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def sent(self):
        return self.filter(status__in=SENT_STATUSES)


class Assessment(AuditedModel):
    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="par_assessments"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name="bộ tiêu chí (phiên bản)",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField("năm đánh giá", db_index=True)
    status = models.CharField("trạng thái", max_length=24, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The letter asking for appraisal (NĐ 30/2020), signed by the chairman.
    letter_number = models.CharField("số công văn", max_length=20, blank=True)
    letter_symbol = models.CharField("ký hiệu", max_length=40, default="UBND-VP")
    letter_date = models.DateField("ngày công văn", null=True, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng.")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức danh ký", max_length=60, default="CHỦ TỊCH")
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thẩm định",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation_due = models.DateField("hạn giải trình", null=True, blank=True)
    appraised_at = models.DateTimeField("thẩm định xong lúc", null=True, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "kết quả đánh giá Chỉ số CCHC"
        verbose_name_plural = "kết quả đánh giá Chỉ số CCHC"
        ordering = ["-year", "commune"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "criteria_set"], name="par_assessment_once_per_set")
        ]
        permissions = [
            ("self_assess", "Tự đánh giá, chấm điểm Chỉ số CCHC của xã (thường trực CCHC)"),
            ("approve_assessment", "Duyệt, ký kết quả tự đánh giá Chỉ số CCHC (lãnh đạo UBND xã)"),
            ("appraise_assessment", "Thẩm định, công bố Chỉ số CCHC (cấp trên)"),
        ]

    def __str__(self) -> str:
        return f"Chỉ số CCHC năm {self.year} – {self.commune}"

    @property
    def is_sent(self) -> bool:
        return self.status in SENT_STATUSES

    @property
    def letter_number_display(self) -> str:
        return f"{self.letter_number or '     '}/{self.letter_symbol}"

    def recipient_list(self) -> list[str]:
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip(" -")]


class Score(VersionedModel):
    """One leaf criterion of one assessment: the commune's side and the appraiser's."""

    class Origin(models.TextChoices):
        SUGGESTED = "suggested", "Theo điểm gợi ý từ số liệu"
        ENTERED = "entered", "Xã tự nhập"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    # The commune's side.
    self_points = models.DecimalField("điểm tự chấm", null=True, blank=True, **POINTS)
    self_numerator = models.DecimalField("tử số / số lần (xã)", null=True, blank=True, **MEASURE)
    self_denominator = models.DecimalField("mẫu số (xã)", null=True, blank=True, **MEASURE)
    self_not_applicable = models.BooleanField("xã xác định không áp dụng", default=False)
    self_origin = models.CharField("nguồn điểm tự chấm", max_length=10, choices=Origin.choices, blank=True)
    self_reason = models.TextField("lý do (khác điểm gợi ý / không áp dụng)", blank=True)
    self_note = models.TextField("thuyết minh, giải trình của xã", blank=True)
    # What the commune was shown when it scored (the appraiser sees it unchanged).
    suggestion = models.JSONField("điểm gợi ý lúc chấm", null=True, blank=True)
    self_scored_at = models.DateTimeField("xã chấm lúc", null=True, blank=True)
    self_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The appraiser's side.
    appraised_points = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    appraised_numerator = models.DecimalField("tử số / số lần (thẩm định)", null=True, blank=True, **MEASURE)
    appraised_denominator = models.DecimalField("mẫu số (thẩm định)", null=True, blank=True, **MEASURE)
    appraised_not_applicable = models.BooleanField("thẩm định: không áp dụng", default=False)
    appraisal_comment = models.TextField("nhận xét thẩm định", blank=True)
    appraised_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["assessment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="par_score_once")]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.criterion.code}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.assessment.commune_id

    @property
    def self_scored(self) -> bool:
        return self.self_points is not None or self.self_not_applicable

    @property
    def appraised(self) -> bool:
        return self.appraised_points is not None or self.appraised_not_applicable


class ExplanationRequest(AuditedModel):
    """The appraiser asks the commune to explain one criterion, by a deadline; the
    commune answers. A request is prepared during appraisal and sent with the others
    of its round by the "request explanation" move."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="explanation_requests")
    round = models.PositiveSmallIntegerField("lượt", default=1)
    request = models.TextField("nội dung yêu cầu giải trình")
    requested_at = models.DateTimeField("yêu cầu lúc", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    due_date = models.DateField("hạn giải trình", null=True, blank=True)
    response = models.TextField("nội dung giải trình", blank=True)
    responded_at = models.DateTimeField("giải trình lúc", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "yêu cầu giải trình"
        verbose_name_plural = "yêu cầu giải trình"
        ordering = ["score", "round", "id"]

    def __str__(self) -> str:
        return f"{self.score}: lượt {self.round}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.score.assessment.commune_id

    @property
    def is_open(self) -> bool:
        return self.sent_at is not None and self.responded_at is None

    def is_late(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


class AssessmentEvent(models.Model):
    """One change: of the state (criterion empty, field "status"), of a score or a
    comment (the criterion, the field, from, to), or of the evidence; with who, when
    and why. Never edited."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("lúc", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("người thực hiện (lúc ghi)", max_length=200, blank=True)
    action = models.CharField("thao tác", max_length=30)
    field = models.CharField("nội dung thay đổi", max_length=40, blank=True)
    from_value = models.TextField("từ", blank=True)
    to_value = models.TextField("thành", blank=True)
    note = models.TextField("lý do, ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử đánh giá Chỉ số CCHC"
        verbose_name_plural = "lịch sử đánh giá Chỉ số CCHC"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["assessment", "criterion"], name="par_event_criterion_idx")]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.action} {self.field} {self.from_value} → {self.to_value}"

    @property
    def action_label(self) -> str:
        from .services import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    @property
    def field_label(self) -> str:
        from .services import FIELD_LABELS

        return FIELD_LABELS.get(self.field, self.field)


class EvidenceKind(models.TextChoices):
    FILE = "file", "Tệp tải lên"
    LINK = "link", "Liên kết đến dữ liệu trong phần mềm"


def _evidence_path(instance: EvidenceItem, filename: str) -> str:
    # A random name: the original name is kept only in the database and given back
    # by the permission-checked download view.
    now = timezone.localtime()
    return f"parindex/{now:%Y/%m}/{random_storage_name(instance.extension)}"


class EvidenceItem(AuditedModel):
    """Evidence for one criterion: a file uploaded for it, or a link to something
    the product already holds (the plan, a task's evidence file, a sent report,
    the published procedures, the statistics of the window), picked not re-uploaded."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("loại", max_length=4, choices=EvidenceKind.choices)
    file = models.FileField("tệp", upload_to=_evidence_path, max_length=200, blank=True)
    original_name = models.CharField("tên tệp", max_length=200, blank=True)
    extension = models.CharField("loại tệp", max_length=5, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    link_kind = models.CharField("loại liên kết", max_length=30, blank=True)
    link_id = models.CharField("mã đối tượng liên kết", max_length=80, blank=True)
    label = models.CharField("mô tả", max_length=300)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    location = models.CharField(
        "trang, mục dẫn chứng", max_length=200, blank=True, help_text="Ví dụ: trang 3, mục II.2."
    )
    added_at = models.DateTimeField("thêm lúc", default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "minh chứng Chỉ số CCHC"
        verbose_name_plural = "minh chứng Chỉ số CCHC"
        ordering = ["score", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def audit_commune_id(self) -> int | None:
        return self.score.assessment.commune_id
