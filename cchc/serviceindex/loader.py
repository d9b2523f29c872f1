"""Loading the item lists shipped in `cchc/serviceindex/data/*.json` into the models.

A file holds one version: `code`, `name`, `year`, `effective_from` (yyyy-mm-dd),
`legal_basis`, `sources`, `caveat`, `max_total` and its `groups`, each with `code`,
`name`, `max` and `metrics` (items: `code`, `name`, `max`, `rule` with `type` and,
as the rule needs, `threshold`, `if_denominator_zero` ("max" or 0), `expr` and
`vars`, `numerator`, `denominator`, `notes`, `confidence`; `scope` = the level an
item is scored at when not the commune's). Loading is idempotent: the same file
updates its version in place; groups and items no longer in the file are removed.

The functions take the model classes so that the data migration can run them with
its historical models.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

DATA_DIR = Path(__file__).resolve().parent / "data"
RULE_KINDS = {"ratio_linear", "ratio_capped", "expression", "track_only", "unresolved"}


class BadIndexFile(ValueError):
    """A data file that does not describe a valid version (message in Vietnamese)."""


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BadIndexFile(f"Không đọc được tệp bộ chỉ số {path.name}: {exc}") from None
    check(data, path.name)
    return data


def _dec(value: Any, what: str) -> Decimal:
    try:
        return Decimal(str(value))
    except Exception:
        raise BadIndexFile(f"{what}: “{value}” không phải là số.") from None


def check(data: dict[str, Any], name: str) -> None:
    """Refuse a file whose totals do not add up or whose rules are unknown."""
    for key in ("code", "name", "year", "effective_from", "max_total", "groups"):
        if key not in data:
            raise BadIndexFile(f"Tệp {name} thiếu trường “{key}”.")
    try:
        date.fromisoformat(data["effective_from"])
    except ValueError:
        raise BadIndexFile(f"Tệp {name}: ngày áp dụng “{data['effective_from']}” không hợp lệ.") from None
    total = Decimal(0)
    for group in data["groups"]:
        gmax = _dec(group["max"], f"Nhóm {group['code']}")
        items = sum((_dec(m["max"], f"Chỉ tiêu {m['code']}") for m in group["metrics"]), Decimal(0))
        if items != gmax:
            raise BadIndexFile(
                f"Tệp {name}: nhóm {group['code']} tối đa {gmax} điểm nhưng các chỉ tiêu cộng lại {items} điểm."
            )
        for metric in group["metrics"]:
            kind = metric.get("rule", {}).get("type")
            if kind not in RULE_KINDS:
                raise BadIndexFile(
                    f"Tệp {name}: chỉ tiêu {metric['code']} có cách tính “{kind}” không được hỗ trợ."
                )
        total += gmax
    if total != _dec(data["max_total"], "Tổng điểm"):
        raise BadIndexFile(
            f"Tệp {name}: tổng điểm tối đa {data['max_total']} nhưng các nhóm cộng lại {total}."
        )


def _if_empty(rule: dict[str, Any]) -> str:
    value = rule.get("if_denominator_zero")
    if value == "max":
        return "max"
    if value == 0 or value == "0":
        return "zero"
    return ""


def load(data: dict[str, Any], *, file_name: str, Version, Group, Item) -> Any:
    """Create or update the version of `data` (already `check`ed) with its groups and items."""
    with transaction.atomic():
        version, _ = Version.objects.update_or_create(
            code=str(data["code"]),
            defaults=dict(
                name=data["name"],
                year=int(data["year"]),
                effective_from=date.fromisoformat(data["effective_from"]),
                legal_basis=data.get("legal_basis", ""),
                sources="\n".join(data.get("sources", [])),
                caveat=data.get("caveat", ""),
                max_total=Decimal(str(data["max_total"])),
                data_file=file_name,
                loaded_at=timezone.now(),
            ),
        )
        kept_groups = []
        for gpos, g in enumerate(data["groups"], start=1):
            group, _ = Group.objects.update_or_create(
                version=version,
                code=g["code"],
                defaults=dict(name=g["name"], max_points=Decimal(str(g["max"])), position=gpos),
            )
            kept_groups.append(group.pk)
            kept_items = []
            for ipos, m in enumerate(g["metrics"], start=1):
                rule = m.get("rule", {})
                threshold = rule.get("threshold")
                item, _ = Item.objects.update_or_create(
                    group=group,
                    code=m["code"],
                    defaults=dict(
                        name=m["name"],
                        max_points=Decimal(str(m["max"])),
                        rule=rule["type"],
                        threshold=Decimal(str(threshold)) if threshold is not None else None,
                        if_empty=_if_empty(rule),
                        expression=rule.get("expr", ""),
                        variables=rule.get("vars", {}),
                        numerator=rule.get("numerator", ""),
                        denominator=rule.get("denominator", ""),
                        notes=rule.get("notes", ""),
                        level=m.get("scope", ""),
                        confidence=rule.get("confidence", ""),
                        position=ipos,
                    ),
                )
                kept_items.append(item.pk)
            Item.objects.filter(group=group).exclude(pk__in=kept_items).delete()
        Group.objects.filter(version=version).exclude(pk__in=kept_groups).delete()
    return version


def load_shipped(*, Version, Group, Item) -> list[Any]:
    """Load every file of `data/` (the data migration and `cchc serviceindex_load`)."""
    return [
        load(read(path), file_name=path.name, Version=Version, Group=Group, Item=Item)
        for path in shipped_files()
    ]
