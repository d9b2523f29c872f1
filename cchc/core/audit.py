"""The audit trail: who changed which record, when, through which channel, and how.

Every `AuditedModel` save or delete is logged here, whatever path it took (HTML
view, API, admin, management command), because the write goes through the ORM.
The actor and channel are carried in a context variable set by the request
middleware, the API authentication and `command_actor()` for commands. This is
the one place signals are used: the trail is infrastructure, not business logic.
Bulk writes (`bulk_create`, `update()`) bypass signals; services that use them call
`record()` themselves.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save


@dataclass(frozen=True)
class Actor:
    user: Any | None
    source: str

    @property
    def label(self) -> str:
        if self.user is None:
            return f"hệ thống ({self.source})"
        full = getattr(self.user, "full_name", "") or ""
        return f"{self.user.get_username()}" + (f" ({full})" if full else "")


_SYSTEM = Actor(None, "system")
_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("cchc_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or _SYSTEM


def set_actor(user: Any | None, source: str) -> contextvars.Token:
    return _current.set(Actor(user, source))


def reset_actor(token: contextvars.Token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def acting_as(user: Any | None, source: str) -> Iterator[None]:
    token = set_actor(user, source)
    try:
        yield
    finally:
        reset_actor(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _field_values(instance: models.Model) -> dict[str, Any]:
    exclude = set(getattr(instance, "audit_exclude", ()))
    values = {}
    for f in instance._meta.concrete_fields:
        if f.attname in exclude or f.name in exclude:
            continue
        values[f.attname] = (
            f.value_from_object(instance) if not f.is_relation else getattr(instance, f.attname)
        )
    return values


def _commune_id(instance: models.Model) -> int | None:
    value = getattr(instance, "audit_commune_id", None)
    if value is None:
        value = getattr(instance, "commune_id", None)
    return value


def record(
    instance: models.Model | None,
    action: str,
    changes: dict | None = None,
    *,
    model_label: tuple[str, str] | None = None,
    object_id: str = "",
    object_repr: str = "",
    commune_id: int | None = None,
):
    """Write one audit row for `instance` (or for a described object when None)."""
    from .models import AuditLog

    actor = current_actor()
    if instance is not None:
        app_label, model = instance._meta.app_label, instance._meta.model_name
        object_id = str(instance.pk)
        object_repr = str(instance)[:300]
        commune_id = _commune_id(instance) if commune_id is None else commune_id
    else:
        app_label, model = model_label or ("", "")
    user = actor.user if actor.user is not None and getattr(actor.user, "pk", None) else None
    return AuditLog.objects.create(
        actor=user,
        actor_label=actor.label[:200],
        source=actor.source[:40],
        action=action,
        app_label=app_label,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        commune_id=commune_id,
    )


def _on_save(sender, instance, created, raw=False, **kwargs) -> None:
    from .models import AuditedModel

    if raw or not isinstance(instance, AuditedModel):
        return
    now = _field_values(instance)
    if created:
        changes = {k: [None, _jsonable(v)] for k, v in now.items() if v not in (None, "", [], {})}
        record(instance, "create", changes)
    else:
        before = getattr(instance, "_audit_snapshot", None) or {}
        changes = {
            k: [_jsonable(before.get(k)), _jsonable(v)]
            for k, v in now.items()
            if k in before and _jsonable(before.get(k)) != _jsonable(v)
        }
        if changes or not before:
            record(instance, "update", changes)
    instance._audit_snapshot = now


def _on_delete(sender, instance, **kwargs) -> None:
    from .models import AuditedModel

    if isinstance(instance, AuditedModel):
        record(instance, "delete", {k: [_jsonable(v), None] for k, v in _field_values(instance).items()})


def connect_signals() -> None:
    post_save.connect(_on_save, dispatch_uid="cchc_audit_save")
    post_delete.connect(_on_delete, dispatch_uid="cchc_audit_delete")


# --- Personal data in the trail ---------------------------------------------------
#
# The trail holds the values that changed, personal data included (a citizen's ID
# number, phone, address). The audit page and the admin show them masked by the rule
# of the dossier page (`core.text.mask_name` / `mask_digits`; address and e-mail
# hidden); a leader or an administrator may reveal one row, and that view is itself
# written to the trail. Fields are personal when the model lists them in
# `audit_personal` ({field: "name" | "digits" | "hidden"}) or, for any model, when
# their name ends in id_number/phone (digits) or email/address (hidden).

_PERSONAL_SUFFIX = {"id_number": "digits", "phone": "digits", "email": "hidden", "address": "hidden"}


def personal_kind(app_label: str, model: str, field: str) -> str | None:
    from django.apps import apps

    try:
        declared = getattr(apps.get_model(app_label, model), "audit_personal", {})
    except (LookupError, ValueError):
        declared = {}
    if field in declared:
        return declared[field]
    for suffix, kind in _PERSONAL_SUFFIX.items():
        if field == suffix or field.endswith("_" + suffix):
            return kind
    return None


def mask_value(kind: str, value: Any) -> Any:
    from .text import mask_digits, mask_name

    if value in (None, ""):
        return value
    if kind == "name":
        return mask_name(str(value))
    if kind == "digits":
        return mask_digits(str(value), 3)
    return "***"


def masked_changes(row) -> dict[str, Any]:
    """`row.changes` with personal values masked (see above)."""
    out = {}
    for key, value in (row.changes or {}).items():
        kind = personal_kind(row.app_label, row.model, key)
        if kind is None:
            out[key] = value
        elif isinstance(value, list):
            out[key] = [mask_value(kind, v) for v in value]
        else:
            out[key] = mask_value(kind, value)
    return out


def has_personal_data(row) -> bool:
    return masked_changes(row) != (row.changes or {})


def may_reveal(user) -> bool:
    """Who may reveal a trail row's personal data: administrators and the commune's
    leaders — those who see it on the dossier page whatever the department."""
    return bool(user.is_authenticated and (user.sees_all_units or user.is_leader))
