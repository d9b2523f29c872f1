"""Moving one commune between installations: `cchc export --commune SLUG` on the
commune's own machine (usually SQLite), `cchc import FILE` on the province's server
(usually PostgreSQL). Codes (dossier, petition), files and every row of the commune
travel unchanged; only the database ids are new.

What belongs to a commune is found from the models themselves, so that apps added
later move too without a change here:
- the commune's `Unit` row;
- every row with a foreign key to the commune's `Unit` (`commune`, `unit`, `owner`…),
  or a NOT NULL foreign key to a row that belongs to it (a dossier's events, a
  plan's tasks, their evidence…), and the audit rows tagged with its id;
- rows outside it that those rows point to are matched on the target by their
  natural identity: content types, permissions, groups, the province (by slug).
  Accounts that acted on the commune's rows without belonging to it (the
  installation's administrator) come along as inactive accounts, so that history
  still names who did what, without giving anyone access on the province's server.

The import runs in one transaction (all or nothing), refuses when the commune
already holds data on the target, and checks the counts and the files afterwards.
Printed rating QR codes carry the old installation's id and key: they do not follow
the move (look-ups by dossier code do).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Unit

FORMAT = 1
PREFIX = "cchc-xa-"
CHUNK = 1000


class TransferError(Exception):
    """An export or import that cannot go on; the message is for the operator."""


# --- which rows belong to a commune ------------------------------------------------------
def _models() -> list[type[models.Model]]:
    """Concrete tables of the application that can hold a commune's rows."""
    skip = {"contenttypes", "sessions", "admin"}
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in skip:
            continue
        if model in (Unit, ContentType, Permission, Group) or model is Group.permissions.through:
            continue
        found.append(model)
    return found


def _owning_fields(model: type[models.Model]) -> list[models.Field]:
    """Foreign keys that make a row part of whatever they point to."""
    owning = []
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is model:
            continue
        if f.related_model is Unit or not f.null:
            owning.append(f)
    return owning


def _commune_id_column(model: type[models.Model]) -> models.Field | None:
    """A plain integer `commune_id` (the audit log tags rows without a foreign key)."""
    for f in model._meta.concrete_fields:
        if f.attname == "commune_id" and not f.is_relation:
            return f
    return None


class Scope:
    """The querysets of a commune's rows, one per model (None: nothing of it)."""

    def __init__(self, commune: Unit):
        self.commune = commune
        self._cache: dict[type[models.Model], models.QuerySet | None] = {
            Unit: Unit.objects.filter(pk=commune.pk)
        }
        self._busy: set[type[models.Model]] = set()

    def rows(self, model: type[models.Model]) -> models.QuerySet | None:
        if model in self._cache:
            return self._cache[model]
        if model in self._busy:  # a cycle of NOT NULL keys cannot own itself
            return None
        self._busy.add(model)
        condition = Q()
        for f in _owning_fields(model):
            owner = self.rows(f.related_model)
            if owner is not None:
                condition |= Q(**{f"{f.attname}__in": owner.values("pk")})
        column = _commune_id_column(model)
        if column is not None:
            condition |= Q(**{column.attname: self.commune.pk})
        self._busy.discard(model)
        result = model._base_manager.filter(condition).order_by("pk") if condition else None
        self._cache[model] = result
        return result

    def models(self) -> list[type[models.Model]]:
        return [m for m in _models() if self.rows(m) is not None]


# --- values ---------------------------------------------------------------------------------
def _dump(f: models.Field, obj: models.Model):
    value = f.value_from_object(obj)
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(value, str | bool | int | float):
        return value
    return f.value_to_string(obj)


def _load(f: models.Field, value):
    if value is None or isinstance(f, models.JSONField):
        return value
    return f.to_python(value)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _identity(model: type[models.Model], pk) -> list:
    """How a row outside the commune is found on the other installation."""
    if model is ContentType:
        ct = ContentType.objects.get_for_id(pk)
        return [ct.app_label, ct.model]
    if model is Permission:
        p = Permission.objects.select_related("content_type").get(pk=pk)
        return [p.content_type.app_label, p.content_type.model, p.codename]
    if model is Group:
        return [Group.objects.get(pk=pk).name]
    if model is Unit:
        return [Unit.objects.get(pk=pk).slug]
    raise TransferError(f"{model._meta.verbose_name} #{pk} không thuộc xã và không chuyển được.")


def _find(model: type[models.Model], identity: list):
    if model is ContentType:
        return ContentType.objects.get_by_natural_key(*identity).pk
    if model is Permission:
        return Permission.objects.get(
            content_type__app_label=identity[0], content_type__model=identity[1], codename=identity[2]
        ).pk
    if model is Group:
        return Group.objects.get(name=identity[0]).pk
    if model is Unit:
        return Unit.objects.get(slug=identity[0]).pk
    raise model.DoesNotExist


SPECIAL = (ContentType, Permission, Group, Unit)


def _unique_fields(model: type[models.Model]) -> list[str] | None:
    """The fields that identify a row of `model` on any installation (a unique field
    or an unconditional unique constraint), or None."""
    meta = model._meta
    for f in meta.concrete_fields:
        if f.unique and not f.primary_key:
            return [f.attname]
    for constraint in meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            return [meta.get_field(name).attname for name in constraint.fields]
    for group in meta.unique_together:
        return [meta.get_field(name).attname for name in group]
    return None


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _generic_keys(model: type[models.Model]) -> list[tuple[str, str]]:
    """(content type attname, object id attname) of each GenericForeignKey."""
    keys = []
    for f in model._meta.private_fields:
        if isinstance(f, GenericForeignKey):
            keys.append((model._meta.get_field(f.ct_field).attname, f.fk_field))
    return keys


# --- export ---------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int]
    files: int
    size: int


def commune_export(*, commune: Unit, output: Path, now: datetime | None = None) -> ExportResult:
    """Write `cchc-xa-<slug>-YYYYMMDD-HHMMSS.zip` with every row and file of the commune."""
    if not commune.is_commune:
        raise TransferError(f"{commune} không phải cấp xã.")
    User = get_user_model()
    scope = Scope(commune)
    now = timezone.localtime(now or timezone.now())
    output.mkdir(parents=True, exist_ok=True)
    final = output / f"{PREFIX}{commune.slug}-{now:%Y%m%d-%H%M%S}.zip"
    exported: dict[type[models.Model], set] = {}
    outside: dict[type[models.Model], set] = defaultdict(set)
    counts: dict[str, int] = {}
    files: dict[str, dict] = {}
    media_root = Path(settings.MEDIA_ROOT)
    partial = final.with_name(final.name + ".part")
    # One snapshot: on PostgreSQL a repeatable-read transaction; SQLite's read
    # transaction sees one state too.
    with (
        transaction.atomic(),
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
    ):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in [Unit, *scope.models()]:
            label = model._meta.label
            pks = set()
            fields = [f for f in model._meta.concrete_fields]
            with archive.open(f"rows/{label}.jsonl", "w") as out:
                for obj in scope.rows(model).iterator(chunk_size=2000):
                    row = {f.attname: _dump(f, obj) for f in fields}
                    pks.add(obj.pk)
                    out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
                    for f in _file_fields(model):
                        name = getattr(obj, f.attname).name
                        if name and name not in files:
                            path = media_root / name
                            if not path.is_file():
                                raise TransferError(
                                    f"Thiếu tệp {name} ({model._meta.verbose_name} #{obj.pk})."
                                )
                            files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
            exported[model] = pks
            counts[label] = len(pks)
        # Rows outside the commune that exported rows point to.
        for model, pks in exported.items():
            relations = [
                f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None
            ]
            if not relations or not pks:
                continue
            for values in model._base_manager.filter(pk__in=scope.rows(model).values("pk")).values_list(
                *[f.attname for f in relations]
            ):
                for f, value in zip(relations, values, strict=True):
                    if value is not None and value not in exported.get(f.related_model, ()):
                        outside[f.related_model].add(value)
            for ct_attname, _ in _generic_keys(model):
                for value in scope.rows(model).values_list(ct_attname, flat=True).distinct():
                    outside[ContentType].add(value)
        # Rows outside the commune that its rows point to (and what those point to):
        # copied as reference rows, matched on the target by their unique fields.
        refrows: dict[type[models.Model], dict] = {}
        queue = [m for m in list(outside) if m not in SPECIAL and m is not User]
        while queue:
            model = queue.pop(0)
            wanted = outside.pop(model, set()) - set(refrows.get(model, {}))
            if not wanted:
                continue
            if _unique_fields(model) is None:
                raise TransferError(f"{model._meta.verbose_name} không thuộc xã và không chuyển được.")
            rows = refrows.setdefault(model, {})
            for obj in model._base_manager.filter(pk__in=wanted).order_by("pk"):
                rows[obj.pk] = {f.attname: _dump(f, obj) for f in model._meta.concrete_fields}
                for f in model._meta.concrete_fields:
                    value = getattr(obj, f.attname) if f.is_relation else None
                    if value is None or f.related_model is None:
                        continue
                    if value in exported.get(f.related_model, ()) or value in refrows.get(
                        f.related_model, {}
                    ):
                        continue
                    outside[f.related_model].add(value)
                    if f.related_model not in SPECIAL and f.related_model is not User:
                        queue.append(f.related_model)
        for model, rows in refrows.items():
            with archive.open(f"refs/{model._meta.label}.jsonl", "w") as out:
                for row in rows.values():
                    out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
        for name in files:
            archive.write(media_root / name, f"media/{name}")
        guests = sorted(outside.pop(User, set()))
        references = {
            m._meta.label: {str(pk): _identity(m, pk) for pk in sorted(pks)} for m, pks in outside.items()
        }
        # Accounts of the old installation that acted on the commune's rows.
        with archive.open("rows/guests.jsonl", "w") as out:
            for user in User.objects.filter(pk__in=guests).order_by("pk"):
                row = {f.attname: _dump(f, user) for f in User._meta.concrete_fields}
                out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "commune": {"slug": commune.slug, "agency_code": commune.agency_code, "name": commune.name},
            "parent": commune.parent.slug if commune.parent_id else None,
            "order": [Unit._meta.label, *[m._meta.label for m in scope.models()]],
            "counts": counts,
            "guests": len(guests),
            "references": references,
            "reference_rows": {m._meta.label: len(rows) for m, rows in refrows.items()},
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    partial.chmod(0o600)
    partial.replace(final)
    return ExportResult(path=final, counts=counts, files=len(files), size=final.stat().st_size)


# --- import ---------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    commune: Unit
    counts: dict[str, int]
    files: int
    renamed: dict[str, str] = field(default_factory=dict)
    guests: list[str] = field(default_factory=list)


def _rows(archive: zipfile.ZipFile, name: str) -> Iterator[dict]:
    try:
        handle = archive.open(name)
    except KeyError:
        return
    with handle:
        for line in handle:
            yield json.loads(line)


def _insert_order(labels: list[str]) -> list[type[models.Model]]:
    """Models in an order where every NOT NULL key points to a model already inserted;
    nullable keys to later models are filled in afterwards."""
    pending = {apps.get_model(label) for label in labels}
    order = []
    while pending:
        ready = [
            m
            for m in pending
            if not any(
                f.related_model in pending and f.related_model is not m and not f.null
                for f in m._meta.concrete_fields
                if f.is_relation
            )
        ]
        if not ready:
            raise TransferError("Vòng khóa ngoại bắt buộc giữa các bảng: không xác định được thứ tự nhập.")
        ready.sort(key=lambda m: labels.index(m._meta.label))
        order.extend(ready)
        pending -= set(ready)
    return order


def commune_import(
    *,
    archive_path: Path,
    parent_slug: str | None = None,
    user_prefix: str = "",
    progress: Callable[[str], None] = lambda line: None,
) -> ImportResult:
    """Load an export into this installation, in one transaction; see the module."""
    User = get_user_model()
    try:
        archive = zipfile.ZipFile(archive_path)
    except (FileNotFoundError, zipfile.BadZipFile) as exc:
        raise TransferError(f"{archive_path}: không đọc được tệp .zip ({exc}).") from exc
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except KeyError as exc:
            raise TransferError("Tệp không phải bản xuất dữ liệu xã của cchc (thiếu manifest.json).") from exc
        if manifest.get("format") != FORMAT:
            raise TransferError(f"Bản xuất định dạng {manifest.get('format')!r}, phiên bản này đọc {FORMAT}.")
        info = manifest["commune"]
        for label in manifest["order"]:
            try:
                apps.get_model(label)
            except LookupError as exc:
                raise TransferError(
                    f"Bảng {label} của bản xuất không có ở đây: cập nhật phần mềm trước."
                ) from exc

        # The province, and the commune if the province created it already (empty).
        parent_slug = parent_slug or manifest["parent"]
        parent = Unit.objects.filter(slug=parent_slug).first() if parent_slug else None
        if parent_slug and parent is None:
            raise TransferError(
                f"Chưa có đơn vị cấp trên '{parent_slug}' ở đây: tạo trước (Quản trị › Đơn vị) hoặc chọn --parent SLUG."
            )
        existing = Unit.objects.filter(Q(slug=info["slug"]) | Q(agency_code=info["agency_code"])).first()
        if existing is not None:
            scope = Scope(existing)
            held = [m._meta.verbose_name_plural for m in scope.models() if scope.rows(m).exists()]
            if held:
                raise TransferError(
                    f"{existing} đã có dữ liệu ở đây ({', '.join(str(h) for h in held[:5])}…): không nhập đè."
                )

        # Rows outside the commune, found by identity.
        ids: dict[str, dict] = defaultdict(dict)  # label → {old pk (str): new pk}
        missing = []
        for label, rows in manifest["references"].items():
            model = apps.get_model(label)
            for old, identity in rows.items():
                try:
                    ids[label][old] = _find(model, identity)
                except model.DoesNotExist:
                    if model is Unit and parent is not None and identity == [manifest["parent"]]:
                        ids[label][old] = parent.pk
                    else:
                        missing.append(f"{model._meta.verbose_name} {'/'.join(identity)}")
        if missing:
            raise TransferError("Không có ở đây: " + "; ".join(missing) + ".")

        # Account names must be free.
        user_label = User._meta.label
        names = [r["username"] for r in _rows(archive, f"rows/{user_label}.jsonl")]
        names += [r["username"] for r in _rows(archive, "rows/guests.jsonl")]
        taken = sorted(
            User.objects.filter(username__in=[user_prefix + n for n in names]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise TransferError(
                f"Tên đăng nhập đã có ở đây: {', '.join(taken)}. Chọn tiền tố cho tài khoản của xã, ví dụ "
                f"--user-prefix {info['slug']}."
            )

        media_root = Path(settings.MEDIA_ROOT)
        for name, meta in manifest["files"].items():
            target = (media_root / name).resolve()
            if media_root.resolve() not in target.parents:
                raise TransferError(f"Tệp lạ trong bản xuất: {name}.")
            if target.exists() and _sha256(target) != meta["sha256"]:
                raise TransferError(f"Đã có tệp khác cùng tên {name} ở đây.")

        written: list[Path] = []
        renamed: dict[str, str] = {}
        guests: list[str] = []
        try:
            with transaction.atomic():
                deferred: list[tuple[type[models.Model], object, str, str, object]] = []
                # Accounts of the old installation that only appear in history.
                for row in _rows(archive, "rows/guests.jsonl"):
                    old = row.pop("id")
                    user = User(
                        **{
                            f.attname: _load(f, row.get(f.attname))
                            for f in User._meta.concrete_fields
                            if not f.primary_key
                        }
                    )
                    user.username = user_prefix + user.username
                    user.is_active = user.is_staff = user.is_superuser = False
                    user.unit_id = user.department_id = None
                    user.set_unusable_password()
                    user.save_base(raw=True)
                    ids[user_label][str(old)] = user.pk
                    guests.append(user.username)
                for model in _insert_order(list(manifest.get("reference_rows", {}))):
                    _match_or_insert(model, _rows(archive, f"refs/{model._meta.label}.jsonl"), ids, deferred)
                for model in _insert_order(manifest["order"]):
                    label = model._meta.label
                    if manifest["counts"].get(label):
                        progress(
                            f"  {model._meta.verbose_name_plural}: {manifest['counts'][label]:,}…".replace(
                                ",", "."
                            )
                        )
                    if model is Unit:
                        row = next(_rows(archive, f"rows/{label}.jsonl"))
                        if existing is None:
                            unit = Unit(
                                **{
                                    f.attname: _load(f, row[f.attname])
                                    for f in Unit._meta.concrete_fields
                                    if not f.primary_key
                                }
                            )
                            unit.parent_id = parent.pk if parent else None
                            unit.save_base(raw=True)  # no audit row: the move is recorded once, below
                            unit.path = (parent.path if parent else "/") + f"{unit.pk}/"
                            Unit.objects.filter(pk=unit.pk).update(path=unit.path)
                            existing = unit
                        ids[label][str(row["id"])] = existing.pk
                        continue
                    _insert_model(
                        model, _rows(archive, f"rows/{label}.jsonl"), ids, deferred, user_prefix, renamed
                    )
                for model, new_pk, attname, related_label, old_value in deferred:
                    new_value = ids[related_label].get(str(old_value))
                    model._base_manager.filter(pk=new_pk).update(**{attname: new_value})
                _remap_generic_and_audit(ids)
                for name in manifest["files"]:
                    target = media_root / name
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        written.append(target)
                        with archive.open(f"media/{name}") as source, target.open("wb") as out:
                            shutil.copyfileobj(source, out, 1024 * 1024)
                        if _sha256(target) != manifest["files"][name]["sha256"]:
                            raise TransferError(f"Tệp {name} trong bản xuất bị hỏng.")
                counts = _counts(Scope(existing))
                wrong = {
                    k: (v, counts.get(k, 0)) for k, v in manifest["counts"].items() if counts.get(k, 0) != v
                }
                if wrong:
                    raise TransferError(
                        "Số dòng sau khi nhập khác bản xuất: "
                        + ", ".join(f"{k} {a} → {b}" for k, (a, b) in wrong.items())
                    )
                from cchc.core import audit

                audit.record(
                    existing,
                    "create",
                    {"import": archive_path.name, "counts": counts, "files": len(manifest["files"])},
                    commune_id=existing.pk,
                )
        except IntegrityError as exc:
            for path in written:
                path.unlink(missing_ok=True)
            raise TransferError(f"Dữ liệu trùng với dữ liệu đã có ở đây: {exc}") from exc
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return ImportResult(
        commune=existing, counts=counts, files=len(manifest["files"]), renamed=renamed, guests=guests
    )


def _counts(scope: Scope) -> dict[str, int]:
    return {m._meta.label: scope.rows(m).count() for m in [Unit, *scope.models()]}


def _insert_model(model, rows, ids, deferred, user_prefix, renamed) -> None:
    """Insert the rows of one model in batches with new ids, keys mapped."""
    User = get_user_model()
    label = model._meta.label
    pk_field = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    batch_objs, batch_old = [], []

    def flush() -> None:
        if not batch_objs:
            return
        # Raw inserts keep every stored value as exported (auto_now timestamps
        # included) and fire no signal: this is history moving, not new changes.
        returned = model._base_manager._insert(
            batch_objs, fields=fields, returning_fields=[pk_field], raw=True, using="default"
        )
        if returned and len(returned) == len(batch_objs):
            for old, (new,) in zip(batch_old, returned, strict=True):
                ids[label][str(old)] = new
        else:  # a backend that cannot return ids: one by one
            raise TransferError("CSDL đích không trả về mã dòng mới khi chèn nhiều dòng.")
        for obj, old in zip(batch_objs, batch_old, strict=True):
            obj.pk = ids[label][str(old)]
        for model_, obj, attname, related_label, old_value in pending_late:
            deferred.append((model_, obj.pk, attname, related_label, old_value))
        batch_objs.clear()
        batch_old.clear()
        pending_late.clear()

    pending_late: list = []
    for row in rows:
        old = row[pk_field.attname]
        values = {}
        late = []
        for f in fields:
            value = row.get(f.attname)
            if f.is_relation and value is not None:
                related_label = f.related_model._meta.label
                new = ids[related_label].get(str(value))
                if new is None:
                    if not f.null:
                        raise TransferError(f"{label} #{old}: {f.name} trỏ tới dòng không có trong bản xuất.")
                    late.append((f.attname, related_label, value))
                value = new
            elif f.attname == "commune_id" and value is not None:  # a plain column (audit log)
                value = ids[Unit._meta.label].get(str(value), value)
            else:
                value = _load(f, value)
            values[f.attname] = value
        obj = model(**values)
        if model is User and user_prefix:
            renamed[obj.username] = user_prefix + obj.username
            obj.username = user_prefix + obj.username
        batch_objs.append(obj)
        batch_old.append(old)
        for attname, related_label, value in late:
            pending_late.append((model, obj, attname, related_label, value))
        if len(batch_objs) >= CHUNK:
            flush()
    flush()


def _match_or_insert(model, rows, ids, deferred) -> None:
    """Reference rows (outside the commune): the row already here with the same unique
    fields, or a copy of it."""
    label = model._meta.label
    unique = _unique_fields(model)
    for row in rows:
        old = row[model._meta.pk.attname]
        values, late = {}, []
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = row.get(f.attname)
            if f.is_relation and value is not None:
                new = ids[f.related_model._meta.label].get(str(value))
                if new is None:
                    if not f.null or f.attname in unique:
                        raise TransferError(f"{label} #{old}: {f.name} trỏ tới dòng không có trong bản xuất.")
                    late.append((f.attname, f.related_model._meta.label, value))
                value = new
            else:
                value = _load(f, value)
            values[f.attname] = value
        found = model._base_manager.filter(**{a: values[a] for a in unique}).first()
        if found is None:
            found = model(**values)
            found.save_base(raw=True)
            for attname, related_label, value in late:
                deferred.append((model, found.pk, attname, related_label, value))
        ids[label][str(old)] = found.pk


def _remap_generic_and_audit(ids: dict[str, dict]) -> None:
    """Generic keys (content type + object id) and the audit log's object ids point to
    the new ids of the rows that moved."""
    for model in _models():
        keys = _generic_keys(model)
        label = model._meta.label
        if not keys or label not in ids:
            continue
        new_pks = list(ids[label].values())
        for ct_attname, id_attname in keys:
            for pk, ct_id, object_id in model._base_manager.filter(pk__in=new_pks).values_list(
                "pk", ct_attname, id_attname
            ):
                target_label = ContentType.objects.get_for_id(ct_id).model_class()._meta.label
                new = ids.get(target_label, {}).get(str(object_id))
                if new is not None:
                    model._base_manager.filter(pk=pk).update(**{id_attname: new})
    from cchc.core.models import AuditLog

    audit_label = AuditLog._meta.label
    if audit_label in ids:
        new_pks = list(ids[audit_label].values())
        for pk, app_label, model_name, object_id in AuditLog.objects.filter(pk__in=new_pks).values_list(
            "pk", "app_label", "model", "object_id"
        ):
            try:
                target_label = apps.get_model(app_label, model_name)._meta.label
            except LookupError:
                continue
            new = ids.get(target_label, {}).get(str(object_id))
            if new is not None:
                AuditLog.objects.filter(pk=pk).update(object_id=str(new))
