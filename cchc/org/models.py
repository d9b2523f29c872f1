"""Units (province → optional district → commune), departments and users.

Every domain record belongs to one commune (`Unit` of kind COMMUNE). Scoping rules
live on `User`: a commune-level user sees that commune; a province- or
district-level user sees every commune below their unit.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from cchc.core.models import AuditedModel
from cchc.core.text import search_key


class Role(models.TextChoices):
    CHAIRMAN = "chairman", "Chủ tịch UBND"
    VICE_CHAIRMAN = "vice_chairman", "Phó Chủ tịch UBND"
    CCHC_OFFICE = "cchc_office", "Thường trực CCHC"
    DEPARTMENT_OFFICER = "department_officer", "Công chức chuyên môn"
    ONE_STOP_OFFICER = "one_stop_officer", "Công chức Một cửa"
    SUPERIOR_VIEWER = "superior_viewer", "Cấp trên (theo dõi, thẩm định)"
    ADMIN = "admin", "Quản trị hệ thống"


LEADER_ROLES = (Role.CHAIRMAN, Role.VICE_CHAIRMAN)


class UnitQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(kind=Unit.Kind.COMMUNE)


class Unit(AuditedModel):
    class Kind(models.TextChoices):
        PROVINCE = "province", "Tỉnh / thành phố"
        DISTRICT = "district", "Huyện / quận"
        COMMUNE = "commune", "Xã / phường / đặc khu"

    kind = models.CharField("cấp", max_length=10, choices=Kind.choices)
    name = models.CharField("tên", max_length=200)  # "Ủy ban nhân dân xã Đức Xương"
    short_name = models.CharField("tên ngắn", max_length=100)  # "xã Đức Xương"
    place_name = models.CharField("địa danh", max_length=100, blank=True)  # "Đức Xương", for document dates
    slug = models.SlugField("định danh URL", max_length=60, unique=True)
    agency_code = models.CharField("mã định danh điện tử", max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        max_length=255, editable=False, db_index=True
    )  # "/1/5/42/": ancestors, for subtree queries
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    # Since 1/7/2025 the commune's one-stop unit is usually a "Trung tâm Phục vụ hành
    # chính công xã …"; older deployments keep "Bộ phận Một cửa" (docs/rules.md §5).
    one_stop_name = models.CharField(
        "tên bộ phận tiếp nhận và trả kết quả",
        max_length=200,
        blank=True,
        help_text="In trên phiếu và trang công khai; để trống: “Bộ phận Một cửa”.",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def audit_commune_id(self) -> int | None:
        return self.pk if self.kind == self.Kind.COMMUNE else None

    @property
    def is_commune(self) -> bool:
        return self.kind == self.Kind.COMMUNE

    @property
    def one_stop_label(self) -> str:
        """The name of the commune's one-stop unit as forms and pages print it."""
        return self.one_stop_name.strip() or "Bộ phận Một cửa"

    def clean(self) -> None:
        allowed_parents = {
            self.Kind.PROVINCE: set(),
            self.Kind.DISTRICT: {self.Kind.PROVINCE},
            self.Kind.COMMUNE: {self.Kind.PROVINCE, self.Kind.DISTRICT},
        }[self.kind]
        if self.parent is None and self.kind != self.Kind.PROVINCE:
            raise ValidationError({"parent": "Huyện và xã phải có đơn vị cấp trên."})
        if self.parent is not None and self.parent.kind not in allowed_parents:
            raise ValidationError(
                {
                    "parent": f"{self.get_kind_display()} không thể trực thuộc {self.parent.get_kind_display()}."
                }
            )

    def save(self, *args, **kwargs) -> None:
        # `path` is a derived column (ancestor ids) that makes "all communes of this
        # province" one indexed prefix query; it needs the primary key, so it is
        # written after the first insert.
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)
            if old:
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    def province(self) -> Unit:
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit

    def superior(self) -> Unit | None:
        return self.parent

    def descendant_communes(self) -> UnitQuerySet:
        if self.kind == self.Kind.COMMUNE:
            return Unit.objects.filter(pk=self.pk)
        return Unit.objects.communes().filter(path__startswith=self.path)


class Department(AuditedModel):
    """A specialised department (bộ phận chuyên môn) of a commune People's Committee."""

    commune = models.ForeignKey(Unit, verbose_name="xã", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("tên bộ phận", max_length=200)
    code = models.SlugField("mã", max_length=40)
    head = models.ForeignKey(
        "User",
        verbose_name="người phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_one_stop = models.BooleanField("là Bộ phận Một cửa", default=False)
    is_cchc_office = models.BooleanField("là cơ quan thường trực CCHC", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    search_key = models.CharField(max_length=200, editable=False, blank=True)

    class Meta:
        verbose_name = "bộ phận chuyên môn"
        verbose_name_plural = "bộ phận chuyên môn"
        ordering = ["commune", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="department_code_per_commune")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # A derived column, not business logic: keeps search indexable.
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)


class User(AbstractUser, AuditedModel):
    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="bộ phận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    role = models.CharField("vai trò", max_length=30, choices=Role.choices, default=Role.DEPARTMENT_OFFICER)
    phone = models.CharField("điện thoại", max_length=40, blank=True)

    audit_exclude = ("password", "last_login")

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def audit_commune_id(self) -> int | None:
        return self.unit_id if self.unit and self.unit.is_commune else None

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.unit_id and self.department.commune_id != self.unit_id:
            raise ValidationError({"department": "Bộ phận phải thuộc đơn vị của người dùng."})
        if self.role in (Role.SUPERIOR_VIEWER,) and self.unit and self.unit.is_commune:
            raise ValidationError({"unit": "Tài khoản cấp trên phải thuộc tỉnh hoặc huyện."})
        if self.role not in (Role.SUPERIOR_VIEWER, Role.ADMIN) and self.unit and not self.unit.is_commune:
            raise ValidationError({"unit": "Cán bộ, công chức cấp xã phải thuộc một xã."})

    # --- scoping -----------------------------------------------------------
    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES

    @property
    def sees_all_units(self) -> bool:
        return self.is_superuser or (self.role == Role.ADMIN and self.unit_id is None)

    def commune_ids(self) -> list[int]:
        """The communes whose records this user may read."""
        if not self.is_authenticated or not self.is_active:
            return []
        cache = getattr(self, "_commune_ids", None)
        if cache is None:
            if self.sees_all_units:
                qs = Unit.objects.communes()
            elif self.unit is None:
                qs = Unit.objects.none()
            elif self.unit.is_commune:  # a commune's own id: known without a query
                qs = None
            else:
                qs = self.unit.descendant_communes()
            ids = [self.unit_id] if qs is None else list(qs.values_list("pk", flat=True))
            cache = self._commune_ids = ids
        return cache

    def visible_communes(self) -> UnitQuerySet:
        return Unit.objects.filter(pk__in=self.commune_ids()).order_by("path")

    def can_see_commune(self, commune_id: int) -> bool:
        return commune_id in self.commune_ids()

    def can_write_commune(self, commune_id: int) -> bool:
        """Write access: the user's own commune, or any for a global administrator.

        Superior viewers read and appraise; they do not edit a commune's records.
        """
        if self.sees_all_units:
            return True
        return self.unit_id == commune_id and self.role != Role.SUPERIOR_VIEWER and self.is_active

    @property
    def home_commune(self) -> Unit | None:
        if self.unit and self.unit.is_commune:
            return self.unit
        return None
