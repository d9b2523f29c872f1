"""Writing the communication register. The form, the import, the demo loader and
the tests call these functions; each validates everything before writing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.core.text import clean_text
from cchc.org.models import Unit, User

from ..common import services as common
from ..common.models import RegisterRecord
from .models import Channel, CommunicationItem, Topic

FIELDS = (
    "channel",
    "topic",
    "title",
    "on",
    "summary",
    "body",
    "duration_minutes",
    "times",
    "audience",
    "quantity",
    "place",
    "link",
    "department",
    "is_public",
)


def _block(value: str) -> str:
    lines = [clean_text(line) for line in (value or "").splitlines()]
    return "\n".join(line for line in lines if line)


def clean_values(values: dict, *, commune: Unit, today: date | None = None) -> dict:
    """The values as stored, or `ValidationError` naming every problem."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    today = today or timezone.localdate()
    out = dict(values)
    for name in ("title", "place", "link"):
        if name in out:
            out[name] = clean_text(out[name] or "")
    for name in ("summary", "body"):
        if name in out:
            out[name] = _block(out[name])
    errors: dict[str, str] = {}
    if not out.get("title"):
        errors["title"] = "Cần nhập tiêu đề (tên tin, bài, hoạt động)."
    if out.get("channel") not in Channel.values:
        errors["channel"] = "Chọn hình thức tuyên truyền."
    if out.get("topic", Topic.GENERAL) not in Topic.values:
        errors["topic"] = "Chủ đề không hợp lệ."
    on = out.get("on")
    if on is None:
        errors["on"] = "Cần ngày thực hiện."
    elif on > today:
        errors["on"] = "Sổ ghi việc đã làm: ngày thực hiện không được sau hôm nay."
    elif on.year < 2000:
        errors["on"] = "Ngày thực hiện không hợp lệ."
    times = out.get("times") or 1
    out["times"] = times
    if times < 1:
        errors["times"] = "Số lần phát, đăng ít nhất là 1."
    if out.get("channel") == Channel.RADIO and not out.get("duration_minutes"):
        errors["duration_minutes"] = "Tin phát thanh cần thời lượng (phút)."
    for name in ("duration_minutes", "audience", "quantity"):
        if out.get(name) is not None and out[name] < 0:
            errors[name] = "Không được âm."
    department = out.get("department")
    if department is not None and department.commune_id != commune.pk:
        errors["department"] = "Bộ phận phải thuộc xã của sổ."
    if out.get("is_public") and not (out.get("summary") or out.get("body")):
        errors["is_public"] = "Tin đăng công khai cần có tóm tắt hoặc nội dung."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def communication_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    item: CommunicationItem | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> CommunicationItem:
    """Add an item to `commune`'s register, or change `item` (refused with
    `StaleEdit` when someone saved it after `expected_version`)."""
    from ..communication.spec import SPEC

    if item is None:
        common.check_manage(user, SPEC, commune.pk)
        item = CommunicationItem(commune=commune)
    else:
        common.check_manage(user, SPEC, item.commune_id)
        item = common.lock(item, expected_version)
    values = clean_values({**as_values(item), **values}, commune=item.commune, today=today)
    for name, value in values.items():
        setattr(item, name, value)
    common.stamp(item, user)
    item.full_clean(exclude=["commune"])
    item.save()
    return item


@transaction.atomic
def communication_delete(
    *, user: User | None, item: CommunicationItem, expected_version: int | None = None
) -> None:
    from ..communication.spec import SPEC

    common.check_manage(user, SPEC, item.commune_id)
    item = common.lock(item, expected_version)
    item.delete()


def as_values(item: RegisterRecord) -> dict:
    return {name: getattr(item, name) for name in FIELDS}
