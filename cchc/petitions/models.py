"""Feedback and petitions on administrative regulations (phản ánh, kiến nghị;
NĐ 20/2008/NĐ-CP amended by NĐ 48/2013 and NĐ 92/2017).

A petition moves through an explicit state machine (`WORKFLOW` in services);
every move is a `PetitionEvent` row (who, when, from, to, note). The petitioner's
personal data (name, address, phone, e-mail) never leaves staff pages: the public
page shows only what staff write when publishing (`public_title`,
`public_summary`, `public_answer`), and those are checked for the petitioner's
data before publication.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel
from cchc.core.text import search_key
from cchc.core.uploads import random_storage_name

# Letters and digits that cannot be mistaken for one another when read aloud or
# copied by hand (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_RANDOM_LENGTH = 6


class Channel(models.TextChoices):
    WEB = "web", "Cổng trực tuyến"
    LETTER = "letter", "Văn bản, thư gửi đến"
    PHONE = "phone", "Điện thoại"


class Status(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận – chờ phân loại"
    INFO_REQUESTED = "info_requested", "Chờ người gửi bổ sung thông tin"
    NOT_ACCEPTED = "not_accepted", "Không tiếp nhận"
    TRANSFERRED_CONDUCT = "transferred_conduct", "Chuyển xử lý (hành vi cán bộ, công chức)"
    TRANSFERRED_OUTSIDE = "transferred_outside", "Chuyển cơ quan có thẩm quyền"
    ACCEPTED = "accepted", "Thuộc thẩm quyền – chờ phân công"
    ASSIGNED = "assigned", "Đang xử lý"
    ANSWERED = "answered", "Đã dự thảo trả lời – chờ duyệt"
    APPROVED = "approved", "Đã duyệt trả lời – chờ công khai"
    PUBLISHED = "published", "Đã công khai trả lời"


FINAL_STATUSES = (
    Status.NOT_ACCEPTED,
    Status.TRANSFERRED_CONDUCT,
    Status.TRANSFERRED_OUTSIDE,
    Status.PUBLISHED,
)
# Statuses with a running step deadline (INFO_REQUESTED waits for the petitioner,
# and that time is not counted).
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.ANSWERED,
    Status.APPROVED,
)
ANSWERED_STATUSES = (Status.ANSWERED, Status.APPROVED, Status.PUBLISHED)

# What the petitioner reads when following the case (plain Vietnamese).
PUBLIC_STATUS_TEXT = {
    Status.RECEIVED: "Phản ánh, kiến nghị đã được tiếp nhận và đang được phân loại.",
    Status.INFO_REQUESTED: "Cơ quan cần bạn bổ sung thông tin để xử lý phản ánh, kiến nghị.",
    Status.NOT_ACCEPTED: "Phản ánh, kiến nghị không được tiếp nhận.",
    Status.TRANSFERRED_CONDUCT: "Phản ánh liên quan đến hành vi của cán bộ, công chức đã được chuyển đến "
    "cơ quan có thẩm quyền xử lý.",
    Status.TRANSFERRED_OUTSIDE: "Phản ánh, kiến nghị không thuộc thẩm quyền của xã và đã được chuyển đến "
    "cơ quan có thẩm quyền.",
    Status.ACCEPTED: "Phản ánh, kiến nghị thuộc thẩm quyền của xã và đang được giao xử lý.",
    Status.ASSIGNED: "Bộ phận chuyên môn đang xem xét, xử lý phản ánh, kiến nghị.",
    Status.ANSWERED: "Đã có dự thảo trả lời, đang chờ lãnh đạo xem xét.",
    Status.APPROVED: "Lãnh đạo đã duyệt trả lời; trả lời sẽ được công khai trong thời gian ngắn.",
    Status.PUBLISHED: "Đã có trả lời chính thức.",
}


class Action(models.TextChoices):
    """What an event row records: the receipt, then the moves of the state machine
    (`services.WORKFLOW`, built from these labels)."""

    RECEIVE = "receive", "Tiếp nhận"
    REQUEST_INFO = "request_info", "Đề nghị bổ sung thông tin"
    RECEIVE_INFO = "receive_info", "Đã nhận thông tin bổ sung"
    REFUSE = "refuse", "Không tiếp nhận"
    TRANSFER_CONDUCT = "transfer_conduct", "Chuyển xử lý (hành vi cán bộ, công chức)"
    TRANSFER_OUTSIDE = "transfer_outside", "Chuyển cơ quan có thẩm quyền"
    ACCEPT = "accept", "Phân loại: thuộc thẩm quyền"
    ASSIGN = "assign", "Giao bộ phận xử lý"
    ANSWER = "answer", "Dự thảo trả lời"
    RETURN = "return", "Trả lại để sửa trả lời"
    APPROVE = "approve", "Duyệt trả lời"
    PUBLISH = "publish", "Công khai trả lời"


class Step(models.TextChoices):
    """Steps that have a time limit (docs/rules.md §10: not fixed nationally, so configurable)."""

    REFUSE = "refuse", "Từ chối tiếp nhận"
    REQUEST_INFO = "request_info", "Đề nghị bổ sung thông tin"
    CLASSIFY = "classify", "Phân loại, chuyển xử lý"
    HANDLE = "handle", "Xử lý, trả lời"
    PUBLISH = "publish", "Công khai trả lời"


# Defaults reported for the national portal (docs/rules.md §10), in working days.
DEFAULT_STEP_DAYS = {
    Step.REFUSE: 2,
    Step.REQUEST_INFO: 5,
    Step.CLASSIFY: 5,
    Step.HANDLE: 15,
    Step.PUBLISH: 2,
}


class PetitionDeadline(AuditedModel):
    """The time limit of one step, in working days, editable by an administrator.

    A missing row means the default in `DEFAULT_STEP_DAYS`."""

    step = models.CharField("bước", max_length=20, choices=Step.choices, unique=True)
    working_days = models.PositiveSmallIntegerField("số ngày làm việc")
    basis = models.CharField("căn cứ / ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "thời hạn xử lý phản ánh"
        verbose_name_plural = "thời hạn xử lý phản ánh"
        ordering = ["step"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days} ngày làm việc"


def new_petition_code(on: date) -> str:
    """`PA-YYMMDD-XXXXXX` with a random, not sequential, suffix (31^6 ≈ 887 million per day)."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_LENGTH))
    return f"PA-{on:%y%m%d}-{suffix}"


class PetitionQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date):
        return self.open().filter(due_date__lt=today)

    def due_soon(self, today: date, until: date):
        return self.open().filter(due_date__gte=today, due_date__lte=until)

    def visible_to(self, user):
        """Rows the user may read: their communes; a department officer only the
        petitions assigned to their department."""
        from cchc.org.models import Role

        qs = self.filter(commune_id__in=user.commune_ids())
        if user.role == Role.DEPARTMENT_OFFICER and not user.sees_all_units:
            qs = qs.filter(department_id=user.department_id) if user.department_id else qs.none()
        return qs


class Petition(AuditedModel):
    commune = models.ForeignKey(
        "org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="petitions"
    )
    code = models.CharField("mã phản ánh", max_length=20, unique=True)
    channel = models.CharField("kênh tiếp nhận", max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    # Personal data (NĐ 13/2023): staff only, never on public pages; masked in the
    # audit trail's views (core/audit.py).
    audit_personal = {"name": "name"}
    name = models.CharField("họ và tên", max_length=150)
    address = models.CharField("địa chỉ", max_length=300)
    phone = models.CharField("số điện thoại", max_length=20)
    email = models.EmailField("thư điện tử", blank=True)
    subject = models.CharField("tiêu đề", max_length=200)
    content = models.TextField("nội dung")
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="thủ tục hành chính liên quan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    received_at = models.DateTimeField("thời điểm tiếp nhận", default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The deadline of the step the petition is in (None when waiting for the
    # petitioner or finished); `handle_due` is the answer deadline used for the
    # "handled on time" figures.
    due_date = models.DateField("hạn của bước hiện tại", null=True, blank=True, db_index=True)
    handle_due = models.DateField("hạn trả lời", null=True, blank=True)
    info_request = models.TextField("thông tin cần bổ sung", blank=True)
    refusal_reason = models.TextField("lý do không tiếp nhận", blank=True)
    transferred_to = models.CharField("chuyển đến", max_length=300, blank=True)
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    answer = models.TextField("nội dung trả lời", blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    public_title = models.CharField("tiêu đề công khai", max_length=200, blank=True)
    public_summary = models.TextField("tóm tắt nội dung công khai", blank=True)
    public_answer = models.TextField("trả lời công khai", blank=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    # Public search key: built only from the published text, never personal data.
    search_key = models.TextField(editable=False, blank=True)
    # Staff search key: code, subject and petitioner's name.
    staff_search_key = models.TextField(editable=False, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        permissions = [
            ("classify_petition", "Ghi nhận, phân loại, phân công phản ánh kiến nghị"),
            ("answer_petition", "Dự thảo trả lời phản ánh kiến nghị (bộ phận được giao)"),
            ("approve_petition", "Duyệt trả lời phản ánh kiến nghị"),
            ("publish_petition", "Công khai trả lời phản ánh kiến nghị"),
        ]
        indexes = [
            models.Index(fields=["commune", "status"], name="petition_commune_status_idx"),
            models.Index(fields=["commune", "received_at"], name="petition_commune_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.subject}"

    def save(self, *args, **kwargs) -> None:
        # Derived columns for accent-insensitive search.
        self.search_key = (
            search_key(f"{self.public_title} {self.public_summary} {self.public_answer}")
            if self.status == Status.PUBLISHED
            else ""
        )
        self.staff_search_key = search_key(f"{self.code} {self.subject} {self.name}")
        super().save(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def public_status_text(self) -> str:
        return PUBLIC_STATUS_TEXT[Status(self.status)]

    @property
    def follow_factor(self) -> str:
        """The second factor for the public follow-up: last 4 digits of the phone."""
        return self.phone[-4:]

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < today

    def finished_on(self) -> date | None:
        """The day the answer was settled, for "on time": approval if approved,
        else the (latest) draft answer."""
        moment = self.approved_at or (self.answered_at if self.status in ANSWERED_STATUSES else None)
        return timezone.localdate(moment) if moment else None

    def answered_on_time(self) -> bool | None:
        finished = self.finished_on()
        if finished is None or self.handle_due is None:
            return None
        return finished <= self.handle_due


class PetitionEvent(AuditedModel):
    """One move of the state machine (also comments and re-assignments)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("thời điểm", default=timezone.now)
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
    from_status = models.CharField("từ trạng thái", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=20, choices=Status.choices)
    note = models.TextField("ghi chú", blank=True)
    step_due = models.DateField("hạn của bước", null=True, blank=True)
    on_time = models.BooleanField("đúng hạn", null=True, blank=True)

    class Meta:
        verbose_name = "lịch sử xử lý phản ánh"
        verbose_name_plural = "lịch sử xử lý phản ánh"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.petition.code}: {self.from_status or '—'} → {self.to_status}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.petition.commune_id

    @property
    def action_label(self) -> str:
        return Action(self.action).label if self.action in Action.values else self.action


def _attachment_path(instance: PetitionAttachment, filename: str) -> str:
    # A random name: the original file name (which may carry personal data) is kept
    # only in the database, and stored names cannot be guessed.
    now = timezone.localtime()
    return f"petitions/{now:%Y/%m}/{random_storage_name(instance.extension)}"


class PetitionAttachment(AuditedModel):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("tên tệp gốc", max_length=200)
    extension = models.CharField("loại tệp", max_length=5)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)

    class Meta:
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_commune_id(self) -> int | None:
        return self.petition.commune_id


class PetitionRating(AuditedModel):
    """The petitioner's one rating of the handling (feeds QĐ 766 "satisfaction
    with feedback handling"); one per petition, enforced by the database."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="rating")
    satisfied = models.BooleanField("hài lòng")
    comment = models.TextField("ý kiến", blank=True)
    rated_at = models.DateTimeField("đánh giá lúc", default=timezone.now)

    class Meta:
        verbose_name = "đánh giá xử lý phản ánh"
        verbose_name_plural = "đánh giá xử lý phản ánh"

    def __str__(self) -> str:
        return f"{self.petition.code}: {'hài lòng' if self.satisfied else 'không hài lòng'}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.petition.commune_id
