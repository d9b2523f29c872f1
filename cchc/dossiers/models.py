"""Dossiers (hồ sơ) received by the one-stop shop, their history and supplement requests.

Invariants kept by the services in `services.py` (the only writers):
- `code` is `settings.CCHC_DOSSIER_CODE_PATTERN` filled with the commune's agency
  code, the day of receipt and a daily serial that is unique and gap-free per
  commune and day (`DailySerial`).
- an online submission enters as `registered` (national code 1) with its code,
  `submitted_at` and no `received_at` / `due_date`: it is not received until the
  one-stop officer accepts it (then `received_at` is the acceptance time and the
  due date is computed from it) or refuses to accept it (`refused`, code 3, closed
  with no `finished_at`: it never entered processing);
- `due_date` is the effective due date: computed by the working-day calendar at
  receipt, pushed back by supplement pauses and recomputed when the calendar
  changes (`services.dossiers_recompute_due_dates`); `original_due_date` is the
  date printed on the receipt (form 01) and never changes; an apology's new date is
  kept in `apology_date` and never moves `due_date`.
- `finished_at` is the first of processed → returned → refused/stopped, and
  `finish_outcome` (early / on time / late) is fixed at that moment; `closed_at`
  is when the dossier stopped being open (finished or withdrawn). Statistics are
  aggregate queries over these columns.
- every move writes one `DossierEvent`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel
from cchc.core.text import search_key
from cchc.core.uploads import random_storage_name
from cchc.core.workcal import TimeUnit

from .rules import RULESET_CHOICES, ruleset_by_key


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POSTAL = "postal", "Bưu chính công ích"


class ResultDelivery(models.TextChoices):
    """Where the applicant collects the result, chosen at intake (docs/rules.md §4)."""

    COUNTER = "counter", "Tại Bộ phận tiếp nhận và trả kết quả"
    POST = "post", "Qua dịch vụ bưu chính công ích"
    ONLINE = "online", "Trực tuyến (Cổng Dịch vụ công quốc gia)"


class ReturnMode(models.TextChoices):
    """How the result was actually handed over (recorded with the "return result" step)."""

    ELECTRONIC = "electronic", "Trả kết quả điện tử (tải về qua đường dẫn theo dõi)"
    PAPER = "paper", "Trả kết quả bản giấy"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Tiền mặt tại Bộ phận Một cửa"
    TRANSFER = "transfer", "Chuyển khoản"
    ONLINE = "online", "Thanh toán trực tuyến"


# National public service portal channel codes (docs/rules.md §4).
CHANNEL_CODES = {Channel.IN_PERSON: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}


class Status(models.TextChoices):
    REGISTERED = "registered", "Mới đăng ký (trực tuyến, chờ tiếp nhận)"
    RECEIVED = "received", "Đã tiếp nhận"
    REFUSED = "refused", "Từ chối, không tiếp nhận"
    PROCESSING = "processing", "Đang giải quyết"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung"
    AWAITING_PAYMENT = "awaiting_payment", "Chờ nộp phí, lệ phí"
    WITHDRAWN = "withdrawn", "Rút hồ sơ theo yêu cầu"
    STOPPED = "stopped", "Dừng giải quyết"
    PROCESSED = "processed", "Đã giải quyết xong"
    RETURNED = "returned", "Đã trả kết quả"


# National portal status codes (docs/rules.md §4). Code 3 ("không tiếp nhận") is the
# refused status, whether the refusal came before acceptance or during processing.
STATUS_CODES = {
    Status.REGISTERED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.PROCESSED: 9,
    Status.RETURNED: 10,
}
OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.AWAITING_PAYMENT)
# Processing ended with a result for the applicant (with `finished_at` set: an online
# submission refused before acceptance was never processed). What can be rated.
FINISHED_STATUSES = (Status.PROCESSED, Status.RETURNED, Status.REFUSED, Status.STOPPED)


class Outcome(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


# Outcome of a dossier still being handled (not stored: it changes with the date).
# While it waits for the applicant's supplement the clock is stopped (docs/rules.md
# §7): it is neither within time nor overdue, it waits.
OPEN_LABELS = {
    "open": "Đang giải quyết, trong hạn",
    "open_late": "Đang giải quyết, quá hạn",
    "open_waiting": "Chờ công dân bổ sung",
}


class Action(models.TextChoices):
    SUBMIT = "submit", "Nộp trực tuyến"
    ACCEPT = "accept", "Tiếp nhận hồ sơ trực tuyến"
    RECEIVE = "receive", "Tiếp nhận"
    TRANSFER = "transfer", "Chuyển xử lý"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung"
    RECEIVE_SUPPLEMENT = "receive_supplement", "Nhận hồ sơ bổ sung"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu nộp phí, lệ phí"
    RECEIVE_PAYMENT = "receive_payment", "Đã nộp phí, lệ phí"
    FINISH = "finish", "Giải quyết xong"
    RETURN_RESULT = "return_result", "Trả kết quả"
    REFUSE = "refuse", "Từ chối"
    APOLOGIZE = "apologize", "Xin lỗi, hẹn lại ngày trả"
    WITHDRAW = "withdraw", "Rút hồ sơ"
    STOP = "stop", "Dừng giải quyết"
    ADJUST_DUE = "adjust_due", "Điều chỉnh hạn do thay đổi lịch làm việc"


def outcome_for(finish_day: date, due_day: date, *, flagged_late: bool = False) -> str:
    """docs/rules.md §7: early if the finish day is before the due day, on time if equal,
    late if after. A dossier flagged late (second supplement request) stays late."""
    if flagged_late or finish_day > due_day:
        return Outcome.LATE
    if finish_day < due_day:
        return Outcome.EARLY
    return Outcome.ON_TIME


# A dossier closed more than this long after receipt is flagged `long_running`, so
# that "open at the end of a window" only needs the receipts of this long before it
# plus the few flagged ones (see stats.py).
LONG_RUNNING = timedelta(days=90)


class DailySerial(models.Model):
    """The last serial issued for a commune on a day. Incremented inside the
    receiving transaction (UPDATE … RETURNING), so a rolled-back receipt gives its
    number back and codes stay gap-free."""

    commune = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "số thứ tự hồ sơ trong ngày"
        verbose_name_plural = "số thứ tự hồ sơ trong ngày"
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="dossier_serial_per_day")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day:%d/%m/%Y}: {self.last}"


class RegisterSerial(models.Model):
    """The last row number written in a commune's register book (sổ theo dõi hồ sơ,
    form 07) of a year: one book per commune and year. Taken inside the receiving
    transaction like `DailySerial`, so rows are numbered in order of entry, without
    gaps, and only for dossiers actually received (an online submission gets its
    row when it is accepted)."""

    commune = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "số thứ tự sổ theo dõi hồ sơ"
        verbose_name_plural = "số thứ tự sổ theo dõi hồ sơ"
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="register_serial_per_year")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.year}: {self.last}"


class DayCounters(models.Model):
    """The counters of one day (see `DossierDayStat`)."""

    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)  # received (accepted) through the online channel
    # Of the online receipts, those of a fully / partly online procedure (the dossier's
    # `online_level`); results returned that day (electronically among them), fees paid
    # that day (online among them): by the dossiers' `returned_at` / `return_mode` and
    # `fee_paid_at` / `fee_method` — a payment undone by a new fee request is taken off
    # its day.
    online_full = models.PositiveIntegerField(default=0)
    online_partial = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    returned_electronic = models.PositiveIntegerField(default=0)
    paid = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)

    # The window's flows (`stats.DossierCounts`), the digital ones (online level, results
    # and fees: the digital figures), and all of them (what the services keep and
    # `rebuild_day_stats` recounts).
    FLOWS = ("received", "finished", "early", "on_time", "late", "refused", "withdrawn", "online")
    DIGITAL = ("online_full", "online_partial", "returned", "returned_electronic", "paid", "paid_online")
    COUNTERS = FLOWS + DIGITAL

    class Meta:
        abstract = True


class DossierDayStat(DayCounters):
    """Per commune and day: dossiers received, finished (by outcome; refused among
    them) and withdrawn that day. Kept by the services in the same transaction as
    the move (an upsert), rebuilt by `stats.rebuild_day_stats` after bulk loads, so
    that a province-wide year sums ~55,000 small rows instead of counting a few
    hundred thousand dossiers."""

    commune = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "số liệu hồ sơ theo ngày"
        verbose_name_plural = "số liệu hồ sơ theo ngày"
        constraints = [models.UniqueConstraint(fields=["commune", "day"], name="dossier_daystat_per_day")]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day:%d/%m/%Y}"


class DossierProcedureDayStat(DayCounters):
    """The same counters per procedure and day, kept and rebuilt with the commune's:
    figures filtered by procedure or by field (a province's year for one field, the
    rows of table II.06a) sum these rows instead of counting dossiers."""

    commune = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("procedures.Procedure", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "số liệu hồ sơ theo thủ tục và ngày"
        verbose_name_plural = "số liệu hồ sơ theo thủ tục và ngày"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "day"], name="dossier_procdaystat_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.day:%d/%m/%Y}"


class DossierFieldDayStat(DayCounters):
    """The same counters per commune, field (lĩnh vực) and day, kept with the others:
    a province's figures for one field sum one row per commune and day instead of one
    per procedure (a field has a few procedures in each of the province's communes).

    A procedure's dossiers count under the field the procedure has now: when a field
    changes (`Procedure.field_changed_at`), the commune's rows are recomputed from the
    per-procedure summary (`stats.field_summary_ready`)."""

    commune = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=200)

    class Meta:
        verbose_name = "số liệu hồ sơ theo lĩnh vực và ngày"
        verbose_name_plural = "số liệu hồ sơ theo lĩnh vực và ngày"
        constraints = [
            models.UniqueConstraint(fields=["commune", "field", "day"], name="dossier_fielddaystat_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.field} {self.day:%d/%m/%Y}"


class DossierQuerySet(models.QuerySet):
    def for_communes(self, commune_ids):
        return self.filter(commune_id__in=list(commune_ids))

    def open(self):
        return self.filter(closed_at__isnull=True)

    def finished(self):
        """`Dossier.is_finished` as a filter."""
        return self.filter(finished_at__isnull=False, status__in=FINISHED_STATUSES)

    def waiting(self):
        """Open dossiers waiting for the applicant's supplement (clock stopped)."""
        return self.open().filter(status=Status.SUPPLEMENT)

    def overdue(self, today: date | None = None):
        """Open dossiers past their due date (or flagged late by a second supplement
        request), except those waiting for a supplement: their clock is stopped."""
        today = today or timezone.localdate()
        return (
            self.open()
            .exclude(status=Status.SUPPLEMENT)
            .filter(models.Q(due_date__lt=today) | models.Q(is_late_flagged=True))
        )

    def due_within(self, today: date, last_day: date):
        """Open dossiers falling due between today and `last_day` (inclusive), except
        those waiting for a supplement."""
        return (
            self.open()
            .exclude(status=Status.SUPPLEMENT)
            .filter(due_date__gte=today, due_date__lte=last_day, is_late_flagged=False)
        )


class Dossier(AuditedModel):
    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã hồ sơ", max_length=60, unique=True)
    serial = models.PositiveIntegerField("số thứ tự trong ngày")
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="dossiers"
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name="bộ phận đang giải quyết",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    channel = models.CharField("kênh tiếp nhận", max_length=10, choices=Channel.choices)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.RECEIVED)

    # Masked in the audit trail's views (core/audit.py), as on the dossier page.
    audit_personal = {"applicant_name": "name", "representative": "name"}
    applicant_name = models.CharField("người nộp / tổ chức", max_length=200)
    applicant_id_number = models.CharField("số định danh / CCCD / mã số", max_length=20)
    applicant_phone = models.CharField("điện thoại", max_length=20)
    applicant_address = models.CharField("địa chỉ", max_length=300)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    representative = models.CharField("người được ủy quyền / đại diện", max_length=200, blank=True)
    request = models.TextField("nội dung yêu cầu", blank=True)
    documents = models.TextField("giấy tờ đã nộp", blank=True, help_text="Mỗi giấy tờ một dòng.")
    copies = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    result_delivery = models.CharField(
        "hình thức nhận kết quả",
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
    )
    result_place = models.CharField("nơi trả kết quả", max_length=200, blank=True)
    online_level = models.CharField(
        "mức độ dịch vụ công trực tuyến",
        max_length=10,
        blank=True,
        help_text="Với hồ sơ trực tuyến: toàn trình / một phần theo danh mục thủ tục lúc nộp (NĐ 42/2022).",
    )
    return_mode = models.CharField(
        "hình thức trả kết quả", max_length=10, choices=ReturnMode.choices, blank=True
    )
    fee_due = models.DecimalField(
        "phí, lệ phí phải nộp (đồng)", max_digits=12, decimal_places=0, null=True, blank=True
    )
    fee_paid_at = models.DateTimeField("nộp phí, lệ phí lúc", null=True, blank=True)
    fee_method = models.CharField(
        "hình thức nộp phí, lệ phí", max_length=10, choices=PaymentMethod.choices, blank=True
    )
    fee_receipt = models.CharField("số biên lai, chứng từ", max_length=60, blank=True)

    submitted_at = models.DateTimeField(
        "nộp trực tuyến lúc", null=True, blank=True, help_text="Chỉ với hồ sơ nộp trực tuyến chờ tiếp nhận."
    )
    received_at = models.DateTimeField(
        "tiếp nhận lúc", null=True, blank=True, help_text="Trống khi hồ sơ trực tuyến chưa được tiếp nhận."
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tiếp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_historical = models.BooleanField(
        "nhập bổ sung từ hệ thống cũ", default=False, help_text="Thời điểm tiếp nhận được nhập lùi."
    )
    rules_version = models.CharField("quy định áp dụng", max_length=20, choices=RULESET_CHOICES)
    register_book = models.PositiveSmallIntegerField(
        "quyển sổ theo dõi (năm)",
        null=True,
        blank=True,
        help_text="Một quyển mỗi năm; trống khi chưa tiếp nhận.",
    )
    register_number = models.PositiveIntegerField(
        "số thứ tự trong sổ theo dõi", null=True, blank=True, help_text="In trên giấy tiếp nhận (mẫu 01)."
    )
    time_amount = models.PositiveIntegerField("thời hạn giải quyết", null=True, blank=True)
    time_unit = models.CharField(
        "đơn vị thời hạn", max_length=20, choices=[(u.value, u.label) for u in TimeUnit]
    )
    due_date = models.DateField("hạn giải quyết", null=True, blank=True)
    due_at = models.DateTimeField("hạn giải quyết (giờ)", null=True, blank=True)
    original_due_date = models.DateField("hạn giải quyết ban đầu (in trên phiếu hẹn)", null=True, blank=True)
    apology_date = models.DateField("ngày hẹn lại (xin lỗi)", null=True, blank=True)

    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    paused_at = models.DateTimeField("tạm dừng tính thời hạn từ", null=True, blank=True)
    paused_remaining_days = models.IntegerField(
        "số ngày làm việc còn lại khi tạm dừng", null=True, blank=True
    )
    is_late_flagged = models.BooleanField(
        "tính là quá hạn", default=False, help_text="Yêu cầu bổ sung lần thứ hai (QĐ 766)."
    )

    transferred_at = models.DateTimeField("chuyển xử lý lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc giải quyết lúc", null=True, blank=True)
    finish_outcome = models.CharField("kết quả đúng hạn", max_length=10, choices=Outcome.choices, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    withdrawn_at = models.DateTimeField("rút hồ sơ lúc", null=True, blank=True)
    closed_at = models.DateTimeField("hết xử lý lúc", null=True, blank=True)
    long_running = models.BooleanField(
        "mở quá thời gian tra cứu nhanh",
        default=False,
        help_text="Đóng sau hơn LONG_RUNNING kể từ khi tiếp nhận (dùng cho thống kê hồ sơ tồn theo kỳ).",
    )

    search_key = models.CharField(max_length=300, editable=False, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "register_book", "register_number"],
                condition=models.Q(register_number__isnull=False),
                name="dossier_register_row_unique",
            )
        ]
        permissions = [
            ("receive_dossier", "Tiếp nhận và trả kết quả hồ sơ (Một cửa)"),
            ("process_dossier", "Giải quyết hồ sơ được chuyển đến bộ phận"),
            ("view_dossier_stats", "Xem thống kê hồ sơ"),
            ("export_register", "Xuất sổ theo dõi hồ sơ"),
            ("import_historical", "Nhập hồ sơ với thời điểm trong quá khứ (chuyển từ hệ thống cũ)"),
            ("recompute_due_dates", "Cập nhật hạn giải quyết hồ sơ theo lịch làm việc mới"),
        ]
        # Statistics are counts over (commune, time) ranges: each index starts with
        # the commune so both one commune and "all communes of a province" (IN list)
        # are index range scans; trailing columns make the counts index-only.
        indexes = [
            # The outcome columns last: the service index's progress count (dossiers received
            # before a window and finished in time in it) stays index-only too.
            models.Index(
                fields=[
                    "commune",
                    "received_at",
                    "closed_at",
                    "due_date",
                    "is_late_flagged",
                    "finish_outcome",
                    "finished_at",
                ],
                name="dossier_received_cover_idx",
            ),  # fmt: skip
            models.Index(
                fields=["commune", "finished_at", "finish_outcome", "status"], name="dossier_finished_idx"
            ),
            models.Index(fields=["commune", "withdrawn_at"], name="dossier_withdrawn_idx"),
            # Open dossiers are few: a partial index finds them without touching the rest.
            models.Index(
                fields=["commune", "received_at", "due_date", "is_late_flagged"],
                condition=models.Q(closed_at__isnull=True),
                name="dossier_open_idx",
            ),
            models.Index(
                fields=["commune", "closed_at", "received_at", "due_date", "is_late_flagged"],
                condition=models.Q(long_running=True),
                name="dossier_long_running_idx",
            ),
            # The same counts filtered by procedure (or field) and by department.
            models.Index(
                fields=[
                    "procedure",
                    "received_at",
                    "closed_at",
                    "due_date",
                    "is_late_flagged",
                    "finish_outcome",
                    "finished_at",
                ],
                name="dossier_proc_recv_cover_idx",
            ),  # fmt: skip
            models.Index(
                fields=["procedure", "finished_at", "finish_outcome", "status"],
                name="dossier_proc_finished_idx",
            ),
            models.Index(fields=["procedure", "withdrawn_at"], name="dossier_proc_withdrawn_idx"),
            models.Index(
                fields=["department", "received_at", "closed_at", "due_date", "is_late_flagged"],
                name="dossier_dept_received_idx",
            ),
            models.Index(
                fields=["department", "finished_at", "finish_outcome", "status"],
                name="dossier_dept_finished_idx",
            ),
            models.Index(fields=["department", "withdrawn_at"], name="dossier_dept_withdrawn_idx"),
            # Online share: the few online receipts, counted index-only per filter.
            models.Index(
                fields=["commune", "received_at", "online_level", "procedure"],
                condition=models.Q(channel="online"),
                name="dossier_online_level_idx",
            ),
            # The digital figures (results returned, fees paid, by mode) counted index-only,
            # filtered by procedure (or field) too.
            models.Index(
                fields=["commune", "returned_at", "return_mode", "procedure"],
                condition=models.Q(returned_at__isnull=False),
                name="dossier_returned_idx",
            ),
            models.Index(
                fields=["commune", "fee_paid_at", "fee_method", "procedure"],
                condition=models.Q(fee_paid_at__isnull=False),
                name="dossier_paid_idx",
            ),
            models.Index(
                fields=["procedure", "received_at"],
                condition=models.Q(channel="online"),
                name="dossier_proc_online_idx",
            ),
            models.Index(
                fields=["department", "received_at"],
                condition=models.Q(channel="online"),
                name="dossier_dept_online_idx",
            ),
            models.Index(fields=["commune", "status", "due_date"], name="dossier_queue_idx"),
            models.Index(fields=["department", "status", "due_date"], name="dossier_dept_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        # Derived column for accent-insensitive search by code or applicant name.
        self.search_key = search_key(f"{self.code} {self.applicant_name}")[:300]
        super().save(*args, **kwargs)

    # --- for the portal and the pages ------------------------------------------
    @property
    def status_code(self) -> int:
        """The national public service portal's code (1–10)."""
        return STATUS_CODES[Status(self.status)]

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def channel_code(self) -> int:
        return CHANNEL_CODES[Channel(self.channel)]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_finished(self) -> bool:
        """Processing ended (processed, returned, refused or stopped after receipt)."""
        return self.finished_at is not None and self.status in FINISHED_STATUSES

    @property
    def was_received(self) -> bool:
        """False for an online submission not (yet) accepted: no receipt, no due date."""
        return self.received_at is not None

    def outcome(self, today: date | None = None) -> str:
        """'early' / 'on_time' / 'late' once finished; 'open' / 'open_late' while being
        handled, 'open_waiting' while waiting for the applicant's supplement (the
        clock is stopped); '' for a withdrawn dossier (it has no outcome)."""
        if self.finish_outcome:
            return self.finish_outcome
        if self.status == Status.WITHDRAWN or self.due_date is None:
            return ""
        if self.status == Status.SUPPLEMENT:
            return "open_waiting"
        today = today or timezone.localdate()
        return "open_late" if self.is_late_flagged or today > self.due_date else "open"

    def outcome_label(self, today: date | None = None) -> str:
        value = self.outcome(today)
        if value in Outcome.values:
            return Outcome(value).label
        return OPEN_LABELS.get(value, "")

    @property
    def ruleset(self):
        return ruleset_by_key(self.rules_version)

    @property
    def result_display(self) -> str:
        """ "tại Trung tâm …", "qua dịch vụ bưu chính công ích, gửi đến: …", "trực tuyến, …"."""
        place = self.result_place or self.commune.one_stop_label
        return f"tại {place}" if self.result_delivery == ResultDelivery.COUNTER else place

    @property
    def register_display(self) -> str:
        """ "Quyển số 01/2025, số thứ tự 123" — where the receipt (form 01) says the
        dossier was entered in the register (form 07)."""
        if self.register_number is None:
            return ""
        return f"Quyển số 01/{self.register_book}, số thứ tự {self.register_number}"

    @property
    def time_display(self) -> str:
        if self.time_unit == TimeUnit.SAME_DAY:
            return "Trong ngày"
        return f"{self.time_amount} {TimeUnit(self.time_unit).label}"

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]

    def open_supplement_request(self) -> SupplementRequest | None:
        """The supplement request the applicant still has to answer, if any."""
        if self.status != Status.SUPPLEMENT:
            return None
        return self.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()

    def next_step_text(self) -> str:
        """What the applicant should do next (Vietnamese), for the public look-up."""
        if self.status == Status.REGISTERED:
            return (
                f"Hồ sơ nộp trực tuyến đang chờ {self.commune.one_stop_label} kiểm tra; khi hồ sơ được tiếp nhận, "
                "ngày hẹn trả kết quả sẽ được thông báo."
            )
        if self.status == Status.REFUSED and not self.was_received:
            return "Hồ sơ nộp trực tuyến không được tiếp nhận; lý do ghi trong phiếu từ chối (mẫu 03)."
        if self.status == Status.SUPPLEMENT:
            req = self.open_supplement_request()
            if req:
                return f"Cần bổ sung: {'; '.join(req.items)}. Lý do: {req.reason}"
        if self.status == Status.AWAITING_PAYMENT:
            return "Cần nộp phí, lệ phí để tiếp tục giải quyết hồ sơ."
        if self.status == Status.PROCESSED:
            return f"Hồ sơ đã giải quyết xong; mời nhận kết quả {self.result_display}."
        if self.status in (Status.RECEIVED, Status.PROCESSING):
            when = self.apology_date or self.due_date
            return f"Hồ sơ đang được giải quyết; hẹn trả kết quả ngày {when:%d/%m/%Y}."
        return ""


class DossierEvent(models.Model):
    """One move of a dossier (form 06, phiếu kiểm soát quá trình). Written by
    `services.dossier_act` / `dossier_receive` only; never updated."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("thời điểm")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("người thực hiện (lúc ghi)", max_length=200, blank=True)
    action = models.CharField("thao tác", max_length=30, choices=Action.choices)
    from_status = models.CharField("từ trạng thái", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=20, choices=Status.choices)
    department_from = models.ForeignKey(
        "org.Department",
        verbose_name="từ bộ phận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_to = models.ForeignKey(
        "org.Department",
        verbose_name="đến bộ phận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("ghi chú", blank=True)
    step_due_date = models.DateField("hạn của bước", null=True, blank=True)
    outcome = models.CharField("kết quả bước", max_length=10, choices=Outcome.choices, blank=True)
    new_date = models.DateField("ngày hẹn mới", null=True, blank=True)
    is_historical = models.BooleanField("nhập lùi thời điểm", default=False)
    recorded_at = models.DateTimeField("ghi lúc", default=timezone.now)

    class Meta:
        verbose_name = "bước xử lý hồ sơ"
        verbose_name_plural = "bước xử lý hồ sơ"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.get_action_display()} {self.at:%H:%M %d/%m/%Y}"

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome else ""


class SupplementRequest(models.Model):
    """A request to supplement a dossier (form 02): what is missing and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    event = models.OneToOneField(DossierEvent, on_delete=models.CASCADE, related_name="supplement_request")
    number = models.PositiveSmallIntegerField("lần yêu cầu")
    items = models.JSONField("giấy tờ cần bổ sung", default=list)
    reason = models.TextField("lý do")
    requested_at = models.DateTimeField("yêu cầu lúc")
    answered_at = models.DateTimeField("nhận bổ sung lúc", null=True, blank=True)

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="supplement_number_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} lần {self.number}"


class DocumentKind(models.TextChoices):
    INPUT = "input", "Thành phần hồ sơ"
    RESULT = "result", "Kết quả giải quyết"


class DocumentSource(models.TextChoices):
    ONLINE = "online", "Công dân tải lên khi nộp trực tuyến"
    COUNTER = "counter", "Quét, tải lên tại Bộ phận Một cửa"
    SUPPLEMENT = "supplement", "Công dân bổ sung trực tuyến"
    REUSE = "reuse", "Tái sử dụng giấy tờ đã số hóa"
    RESULT = "result", "Bộ phận giải quyết đính kèm kết quả"


def _document_path(instance: DossierDocument, filename: str) -> str:
    # A random name: the original name (which may carry personal data) is kept only
    # in the database, stored names cannot be guessed, files are served only
    # through permission-checked views.
    now = timezone.localtime()
    return f"dossiers/{now:%Y/%m}/{random_storage_name(instance.extension)}"


class DossierDocumentQuerySet(models.QuerySet):
    def inputs(self):
        return self.filter(kind=DocumentKind.INPUT)

    def results(self):
        return self.filter(kind=DocumentKind.RESULT)

    def digitised(self):
        return self.filter(digitised_at__isnull=False)


class DossierDocument(AuditedModel):
    """One electronic document of a dossier: a component against a line of the
    procedure's checklist (uploaded by the citizen online, scanned at the counter,
    sent as a supplement, or reused from an earlier dossier of the same person), or
    the result file attached by the handling department.

    "Đã số hóa" (`digitised_at`, `digitised_by`): an officer checked the electronic
    copy against the paper one (a counter scan is digitised when uploaded; a
    citizen's upload when the officer accepts the dossier or marks it). Only
    digitised documents are offered for reuse (NĐ 107/2021 art. 25; NĐ 45/2020)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("loại", max_length=10, choices=DocumentKind.choices, default=DocumentKind.INPUT)
    required_document = models.ForeignKey(
        "procedures.RequiredDocument",
        verbose_name="dòng thành phần hồ sơ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField("giấy tờ", max_length=300)
    source = models.CharField("nguồn", max_length=12, choices=DocumentSource.choices)
    file = models.FileField("tệp", upload_to=_document_path, max_length=200)
    original_name = models.CharField("tên tệp gốc", max_length=200)
    extension = models.CharField("loại tệp", max_length=5)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Trống: công dân tải lên qua trang công khai.",
    )
    digitised_at = models.DateTimeField("số hóa lúc", null=True, blank=True)
    digitised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người số hóa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reused_from = models.ForeignKey(
        "self",
        verbose_name="tái sử dụng từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reuses",
    )
    supplement_request = models.ForeignKey(
        SupplementRequest,
        verbose_name="bổ sung theo yêu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )

    objects = DossierDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "giấy tờ điện tử của hồ sơ"
        verbose_name_plural = "giấy tờ điện tử của hồ sơ"
        ordering = ["dossier", "kind", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="dossier_document_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.label}"

    @property
    def audit_commune_id(self) -> int | None:
        return self.dossier.commune_id

    @property
    def is_digitised(self) -> bool:
        return self.digitised_at is not None


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"


class MessageOutcome(models.TextChoices):
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"
    OFF = "off", "Không gửi (kênh chưa bật)"


class CitizenMessage(models.Model):
    """One message to the applicant about a step of their dossier, with its outcome.
    `dedupe_key` (event + channel) is unique: a step is never told twice."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    event = models.ForeignKey(
        DossierEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField("nội dung", max_length=20)
    channel = models.CharField("kênh", max_length=5, choices=MessageChannel.choices)
    recipient = models.CharField("người nhận", max_length=254, blank=True)
    subject = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung thư")
    outcome = models.CharField("kết quả gửi", max_length=10, choices=MessageOutcome.choices)
    error = models.TextField("lỗi", blank=True)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "thông báo cho công dân"
        verbose_name_plural = "thông báo cho công dân"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.topic} {self.channel}: {self.outcome}"
