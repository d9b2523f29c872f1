"""The commune's catalogue of administrative procedures (thủ tục hành chính)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cchc.core.concurrency import VersionedModel
from cchc.core.models import AuditedModel
from cchc.core.text import search_key
from cchc.core.workcal import MAX_AMOUNT, TimeUnit


class OnlineLevel(models.TextChoices):
    """NĐ 42/2022/NĐ-CP: replaces the old "mức độ 3 / 4"."""

    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không trực tuyến"


# The parts of a procedure's publication a person reviews before the public page
# shows them (docs/rules.md §15); the others read "đang cập nhật".
PARTS: dict[str, str] = {
    "time": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "documents": "Thành phần hồ sơ",
    "steps": "Trình tự thực hiện",
    "conditions": "Yêu cầu, điều kiện",
    "applicants": "Đối tượng thực hiện",
    "legal_basis": "Căn cứ pháp lý",
    "results": "Kết quả thực hiện",
}
# Procedure fields behind a part: editing them by hand reviews the part, a file
# changing them un-reviews it.
PART_FIELDS: dict[str, tuple[str, ...]] = {
    "time": ("time_amount", "time_unit"),
    "fee": ("fee_amount", "fee_text"),
    "documents": ("documents",),
}

# See `ProcedureQuerySet.published_complete` (a derived column kept by `save()`).
PUBLISHED_COMPLETE = models.Q(publication_complete=True)


class ProcedureQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def published(self):
        return self.filter(is_published=True)

    def needing_review(self):
        return self.filter(needs_review=True)

    def published_complete(self):
        """Published, reviewed (no open review flag, every part of the publication
        reviewed by a person) and complete enough to be followed: a usable
        processing time. What "100% TTHC được công khai" counts (docs/rules.md §15;
        docs/figures.md, `procedures.published`)."""
        return self.filter(PUBLISHED_COMPLETE)


class Procedure(VersionedModel):
    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="procedures"
    )
    code = models.CharField("mã TTHC", max_length=40)
    name = models.TextField("tên thủ tục")
    field = models.CharField("lĩnh vực", max_length=200, blank=True)
    level = models.CharField("cấp thực hiện", max_length=100, blank=True)
    decision = models.CharField("quyết định công bố", max_length=200, blank=True)
    in_person = models.BooleanField("nộp trực tiếp", default=True)
    online = models.BooleanField("nộp trực tuyến", default=False)
    postal = models.BooleanField("nộp qua bưu chính", default=False)
    online_level = models.CharField(
        "mức dịch vụ công trực tuyến", max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    time_amount = models.PositiveIntegerField("thời hạn giải quyết", null=True, blank=True)
    time_unit = models.CharField(
        "đơn vị thời hạn", max_length=20, choices=[(u.value, u.label) for u in TimeUnit], blank=True
    )
    time_text = models.CharField("thời hạn (nguyên văn)", max_length=500, blank=True)
    fee_amount = models.DecimalField(
        "phí, lệ phí (đồng)", max_digits=14, decimal_places=0, null=True, blank=True
    )
    fee_text = models.TextField("phí, lệ phí (nguyên văn)", blank=True)
    documents = models.TextField("thành phần hồ sơ", blank=True, help_text="Mỗi giấy tờ một dòng.")
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận giải quyết",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedures",
    )
    is_published = models.BooleanField("đã công khai", default=True)
    needs_review = models.BooleanField("cần rà soát", default=False)
    review_notes = models.TextField("nội dung cần rà soát", blank=True)
    source_row = models.JSONField("dòng dữ liệu gốc", default=dict, blank=True)
    # Fields a person changed by hand; a re-import leaves them alone (see
    # `services.procedures_import`). Kept as a list of field names.
    manual_fields = models.JSONField("trường đã sửa tay", default=list, blank=True)
    reviewed_at = models.DateTimeField("rà soát lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người rà soát",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("nhập từ tệp lúc", null=True, blank=True)
    reviewed_parts = models.JSONField(
        "phần đã rà soát để công khai", default=list, blank=True, help_text="Khóa trong PARTS."
    )
    publication_complete = models.BooleanField("công khai đầy đủ, đã rà soát", default=False, editable=False)
    search_key = models.TextField(editable=False, blank=True)
    # When the field (lĩnh vực) last changed, until the dossier statistics by field
    # have caught up (`cchc.dossiers.stats.field_summary_ready` clears it): the
    # per-field day summary counts a procedure's dossiers under its field.
    field_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="procedure_code_per_commune")]
        indexes = [
            models.Index(fields=["commune", "field"], name="procedure_field_idx"),
            models.Index(fields=["commune", "needs_review"], name="procedure_review_idx"),
            models.Index(
                fields=["commune", "field_changed_at"],
                name="procedure_field_changed_idx",
                condition=models.Q(field_changed_at__isnull=False),
            ),
        ]
        permissions = [
            ("import_procedure", "Nhập danh mục thủ tục từ tệp CSV/XLSX"),
            ("review_procedure", "Rà soát thủ tục (sửa và bỏ cờ cần rà soát)"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.time_unit and self.time_unit != TimeUnit.SAME_DAY and self.time_amount is None:
            errors["time_amount"] = "Cần nhập thời hạn khi đã chọn đơn vị."
        if self.time_amount is not None and not self.time_unit:
            errors["time_unit"] = "Cần chọn đơn vị thời hạn."
        if self.time_unit and self.time_unit != TimeUnit.SAME_DAY and self.time_amount == 0:
            errors["time_amount"] = (
                "Thời hạn phải lớn hơn 0 (thủ tục giải quyết trong ngày: chọn đơn vị 'trong ngày')."
            )
        limit = MAX_AMOUNT.get(self.time_unit or "")
        if self.time_amount is not None and limit is not None and self.time_amount > limit:
            errors["time_amount"] = (
                f"Thời hạn quá dài: tối đa {limit} {TimeUnit(self.time_unit).label} (lịch tính hạn trong 10 năm)."
            )
        if self.fee_amount is not None and self.fee_amount < 0:
            errors["fee_amount"] = "Phí, lệ phí không được âm."
        if not (self.in_person or self.online or self.postal):
            errors["in_person"] = "Cần ít nhất một cách nộp hồ sơ (trực tiếp, trực tuyến hoặc bưu chính)."
        if self.online_level != OnlineLevel.NONE and not self.online:
            errors["online_level"] = (
                "Thủ tục không nhận hồ sơ trực tuyến thì mức dịch vụ công phải là 'Không trực tuyến'."
            )
        if self.online and self.online_level == OnlineLevel.NONE:
            errors["online_level"] = "Thủ tục nhận hồ sơ trực tuyến: chọn 'Toàn trình' hoặc 'Một phần'."
        if self.department_id and self.department.commune_id != self.commune_id:
            errors["department"] = "Bộ phận phải thuộc cùng xã."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # Derived columns: accent-insensitive search (code, name and field), and the
        # completeness the "100% TTHC được công khai" figure counts in SQL.
        # and the instant the field changed (the dossier statistics by field catch up).
        self.search_key = search_key(f"{self.code} {self.name} {self.field}")
        self.publication_complete = self.is_publication_complete
        derived = {"search_key", "publication_complete"}
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or "field" in update_fields):
            if self._loaded_field() != self.field:
                self.field_changed_at = timezone.now()
                derived.add("field_changed_at")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)

    def _loaded_field(self) -> str | None:
        """The field as stored (None for a row not in the database yet)."""
        loaded = getattr(self, "_audit_snapshot", {})
        if "field" in loaded:
            return loaded["field"]
        return Procedure.objects.filter(pk=self.pk).values_list("field", flat=True).first()

    @property
    def is_publication_complete(self) -> bool:
        """Published, no open review flag, a usable processing time, and every part
        of the publication reviewed by a person (docs/rules.md §15)."""
        return (
            self.is_published
            and not self.needs_review
            and self.has_usable_time
            and set(PARTS) <= set(self.reviewed_parts or [])
        )

    def part_reviewed(self, part: str) -> bool:
        return part in (self.reviewed_parts or [])

    @property
    def parts_status(self) -> list[tuple[str, str, bool]]:
        """(key, label, reviewed) of every part of the publication."""
        return [(key, label, self.part_reviewed(key)) for key, label in PARTS.items()]

    @property
    def reviewed_map(self) -> dict[str, bool]:
        """{part: reviewed} for templates ("p.reviewed_map.time")."""
        return {key: self.part_reviewed(key) for key in PARTS}

    @property
    def detail_or_none(self):
        try:
            return self.detail
        except ProcedureDetail.DoesNotExist:
            return None

    def document_groups(self) -> list[DocumentGroup]:
        """The published required documents in order, grouped by heading ("Giấy tờ
        phải nộp", "Trường hợp ủy quyền …", "Lưu ý"): for the staff page, the public
        page and the counter's checklist (where the officer picks the case)."""
        groups: list[DocumentGroup] = []
        for row in self.required_documents.all():
            if not groups or groups[-1].heading != row.heading:
                groups.append(DocumentGroup(heading=row.heading, kind=row.heading_kind))
            groups[-1].rows.append(row)
        return groups

    @property
    def has_usable_time(self) -> bool:
        return bool(self.time_unit) and (self.time_amount is not None or self.time_unit == TimeUnit.SAME_DAY)

    @property
    def time_display(self) -> str:
        if not self.has_usable_time:
            return self.time_text or "Chưa xác định"
        if self.time_unit == TimeUnit.SAME_DAY:
            return "Trong ngày"
        return f"{self.time_amount} {TimeUnit(self.time_unit).label}"

    @property
    def channels_display(self) -> list[str]:
        return [
            label
            for on, label in (
                (self.in_person, "Trực tiếp"),
                (self.online, "Trực tuyến"),
                (self.postal, "Bưu chính"),
            )
            if on
        ]

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]

    @property
    def channel_codes(self) -> list[str]:
        """Channels as the API names them (in_person / online / postal)."""
        return [
            code
            for on, code in ((self.in_person, "in_person"), (self.online, "online"), (self.postal, "postal"))
            if on
        ]

    @property
    def fee_display(self) -> str:
        if self.fee_amount is None:
            return "Chưa xác định"
        if self.fee_amount == 0:
            return "Miễn phí"
        return f"{int(self.fee_amount):,} đồng".replace(",", ".")


class DepartmentRule(AuditedModel):
    """One line of a commune's table "field → handling department".

    A procedure's field (lĩnh vực) matches a rule when the field's search key
    contains the rule's keyword key (so "Đất đai" also matches "Tài chính đất đai");
    rules are tried in `order`, the first match wins.
    """

    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.CASCADE, related_name="procedure_department_rules"
    )
    keyword = models.CharField("lĩnh vực (hoặc một phần tên lĩnh vực)", max_length=200)
    keyword_key = models.CharField(max_length=200, editable=False)
    department = models.ForeignKey(
        "org.Department", verbose_name="bộ phận giải quyết", on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField("thứ tự ưu tiên", default=100)

    class Meta:
        verbose_name = "phân công theo lĩnh vực"
        verbose_name_plural = "phân công theo lĩnh vực"
        ordering = ["commune", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "keyword_key"], name="department_rule_keyword_per_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.department}"

    def clean(self) -> None:
        if not search_key(self.keyword):
            raise ValidationError({"keyword": "Cần nhập lĩnh vực."})
        if self.department_id and self.commune_id and self.department.commune_id != self.commune_id:
            raise ValidationError({"department": "Bộ phận phải thuộc cùng xã."})

    def save(self, *args, **kwargs) -> None:
        self.keyword_key = search_key(self.keyword)
        super().save(*args, **kwargs)

    def matches(self, field_key: str) -> bool:
        return bool(self.keyword_key) and self.keyword_key in field_key


class ProcedureImport(AuditedModel):
    """One catalogue file uploaded or imported: kept so that a preview can be
    confirmed later without uploading again, and as the history of imports."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Xem trước"
        APPLIED = "applied", "Đã nhập"
        DISCARDED = "discarded", "Đã hủy"

    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.CASCADE, related_name="procedure_imports"
    )
    file_name = models.CharField("tên tệp", max_length=255)
    content = models.BinaryField("nội dung tệp")
    sha256 = models.CharField(max_length=64)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    counts = models.JSONField("kết quả", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    applied_at = models.DateTimeField("nhập lúc", null=True, blank=True)

    audit_exclude = ("content",)

    class Meta:
        verbose_name = "lần nhập danh mục thủ tục"
        verbose_name_plural = "các lần nhập danh mục thủ tục"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"


class HeadingKind(models.TextChoices):
    """What the heading a document line sits under says about it."""

    GENERAL = "general", "Thành phần hồ sơ"
    SUBMIT = "submit", "Giấy tờ phải nộp"
    SHOW = "show", "Giấy tờ phải xuất trình"
    CASE = "case", "Theo trường hợp"
    NOTE = "note", "Lưu ý"


class Requirement(models.TextChoices):
    REQUIRED = "required", "Bắt buộc"
    CONDITIONAL = "conditional", "Theo trường hợp"
    OPTIONAL = "optional", "Nếu có"
    NOTE = "note", "Ghi chú, không phải giấy tờ nộp"
    UNKNOWN = "unknown", "Chưa xác định"


@dataclass
class DocumentGroup:
    """Consecutive lines of a required-documents list under one heading."""

    heading: str
    kind: str
    rows: list = dc_field(default_factory=list)

    @property
    def is_case(self) -> bool:
        return self.kind == HeadingKind.CASE

    @property
    def is_note(self) -> bool:
        return self.kind == HeadingKind.NOTE

    @property
    def documents(self) -> list:
        """The lines to hand in or show (notes and conditions left out)."""
        return [r for r in self.rows if r.is_document]

    @property
    def notes(self) -> list:
        return [r for r in self.rows if not r.is_document]


class RequiredDocument(models.Model):
    """One line of a procedure's published list of required documents (thành phần
    hồ sơ), in the published order, with its wording kept as published. Written by
    `services.procedure_details_import` (replaced when the published line changes)
    and `services.required_document_update` (a person's short label or requirement,
    kept by later imports while the published line is unchanged)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="required_documents")
    seq = models.PositiveSmallIntegerField("thứ tự")
    text = models.TextField("nội dung (nguyên văn)")
    label = models.CharField("tên ngắn (in trên giấy tiếp nhận)", max_length=200)
    originals = models.PositiveSmallIntegerField("số bản chính", default=0)
    copies = models.PositiveSmallIntegerField("số bản sao", default=0)
    copies_text = models.CharField("số lượng (nguyên văn)", max_length=100, blank=True)
    heading = models.CharField("mục / trường hợp (nguyên văn)", max_length=500, blank=True)
    heading_kind = models.CharField(
        "loại mục", max_length=10, choices=HeadingKind.choices, default=HeadingKind.GENERAL
    )
    requirement = models.CharField(
        "yêu cầu", max_length=12, choices=Requirement.choices, default=Requirement.UNKNOWN
    )
    form_name = models.CharField("mẫu đơn, tờ khai kèm theo", max_length=300, blank=True)
    manual_fields = models.JSONField("trường đã sửa tay", default=list, blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["procedure", "seq"]
        constraints = [models.UniqueConstraint(fields=["procedure", "seq"], name="required_document_seq")]

    def __str__(self) -> str:
        return self.label

    @property
    def copies_display(self) -> str:
        """ "1 bản chính", "1 bản chính, 1 bản sao", "1 bản sao"; "" for a note."""
        parts = []
        if self.originals:
            parts.append(f"{self.originals} bản chính")
        if self.copies:
            parts.append(f"{self.copies} bản sao")
        return ", ".join(parts)

    @property
    def is_document(self) -> bool:
        """A document to hand in or show (not a note or a condition)."""
        return self.requirement != Requirement.NOTE and self.heading_kind != HeadingKind.NOTE

    @property
    def receipt_line(self) -> str:
        """How the document is written on the receipt (form 01) when ticked."""
        copies = self.copies_display
        return f"{self.label} ({copies})" if copies else self.label


class ProcedureDetail(models.Model):
    """The rest of a procedure's published page: who may apply, the steps, the
    conditions, the legal basis and the results, as published (the legal basis
    split into one line per text). Written by `services.procedure_details_import`."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="detail")
    applicants = models.TextField("đối tượng thực hiện", blank=True)
    steps = models.TextField("trình tự thực hiện", blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    legal_basis = models.TextField("căn cứ pháp lý (mỗi văn bản một dòng)", blank=True)
    results = models.TextField("kết quả thực hiện (mỗi kết quả một dòng)", blank=True)
    result_codes = models.CharField("mã kết quả", max_length=300, blank=True)
    detail_url = models.CharField("trang thủ tục trên Cổng Dịch vụ công quốc gia", max_length=300, blank=True)
    source_row = models.JSONField("dòng dữ liệu gốc", default=dict, blank=True)
    imported_at = models.DateTimeField("nhập từ tệp lúc", null=True, blank=True)

    class Meta:
        verbose_name = "chi tiết thủ tục"
        verbose_name_plural = "chi tiết thủ tục"

    def __str__(self) -> str:
        return str(self.procedure)

    @property
    def legal_basis_lines(self) -> list[str]:
        return [line for line in self.legal_basis.splitlines() if line.strip()]

    @property
    def result_lines(self) -> list[str]:
        return [line for line in self.results.splitlines() if line.strip()]
