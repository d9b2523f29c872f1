"""Metrics a plan's targets can be measured by.

Each metric is a function `(commune, date_from, date_to) -> Decimal | None` (a
percentage); None means "no data" (shown as "chưa có dữ liệu"). Metrics fed by
other apps import those apps' service functions lazily: the plans app must work
(and its targets still be written) before or without the one-stop and citizen
modules, and the dependency stays one-way (plans reads them, they never read plans).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MetricFunc = Callable[[Any, date, date], Decimal | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    func: MetricFunc
    unit: str = "%"
    source: str = ""


def _pct(part: int | float | Decimal, whole: int | float | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _as_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _service(module: str, name: str) -> Callable | None:
    """The function `name` of `module`, or None while that module does not provide it."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    func = getattr(mod, name, None)
    return func if callable(func) else None


# --- metrics computed from data that exists now --------------------------------
def procedures_published_share(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of the commune's catalogued procedures whose publication is complete
    and reviewed (docs/rules.md §15; figure `procedures.published_rate`): a
    procedure published with parts still "đang cập nhật" does not count."""
    from cchc.procedures.models import Procedure

    qs = Procedure.objects.for_commune(commune)
    return _pct(qs.published_complete().count(), qs.count())


def procedures_online_share(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of the commune's procedures offered as an online public service."""
    from cchc.procedures.models import Procedure

    qs = Procedure.objects.for_commune(commune)
    return _pct(qs.filter(online=True).count(), qs.count())


def tasks_done_rate(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of the commune's plan tasks due within the window that are done."""
    from .models import Task, TaskStatus

    qs = Task.objects.filter(
        area__plan__commune=commune, end_date__gte=date_from, end_date__lte=date_to
    ).exclude(area__plan__status="draft")
    return _pct(qs.filter(status=TaskStatus.DONE).count(), qs.count())


# --- metrics fed by other apps (None until they exist) -------------------------
def _dossier_stats(commune, date_from: date, date_to: date) -> dict | None:
    func = _service("cchc.dossiers.services", "dossier_stats")
    if func is None:
        return None
    return func(commune_ids=[commune.pk], date_from=date_from, date_to=date_to)


def dossier_on_time_rate(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of dossiers finished early or on time (QĐ 766 progress)."""
    stats = _dossier_stats(commune, date_from, date_to)
    return _as_decimal(stats.get("on_time_rate")) if stats else None


def dossier_online_share(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of dossiers received (accepted) through the online channel in the window:
    the one-stop statistics' `online_rate` (online ÷ received, %); None when nothing
    was received. Online submissions still waiting for acceptance are not received."""
    stats = _dossier_stats(commune, date_from, date_to)
    if not stats or "online_rate" not in stats:
        return None
    return _as_decimal(stats["online_rate"])


def satisfaction_rate(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of satisfied ratings (SIPAS / QĐ 766)."""
    func = _service("cchc.satisfaction.services", "satisfaction_stats")
    if func is None:
        return None
    stats = func(commune_ids=[commune.pk], date_from=date_from, date_to=date_to)
    if not stats:
        return None
    for key in ("satisfaction_rate", "satisfied_rate", "rate"):
        if stats.get(key) is not None:
            return _as_decimal(stats[key])
    return None


def petitions_on_time_rate(commune, date_from: date, date_to: date) -> Decimal | None:
    """Share of petitions on administrative regulations answered on time."""
    func = _service("cchc.petitions.services", "petition_stats")
    if func is None:
        return None
    stats = func(commune_ids=[commune.pk], date_from=date_from, date_to=date_to)
    if not stats:
        return None
    for key in ("on_time_rate", "answered_on_time_rate"):
        if stats.get(key) is not None:
            return _as_decimal(stats[key])
    return None


METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        Metric(
            "procedures_published",
            "Tỷ lệ TTHC được công khai",
            procedures_published_share,
            source="Danh mục thủ tục hành chính của xã",
        ),
        Metric(
            "procedures_online",
            "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
            procedures_online_share,
            source="Danh mục thủ tục hành chính của xã",
        ),
        Metric(
            "dossier_on_time",
            "Tỷ lệ hồ sơ giải quyết đúng hạn, trước hạn",
            dossier_on_time_rate,
            source="Bộ phận Một cửa",
        ),
        Metric(
            "dossier_online",
            "Tỷ lệ hồ sơ nộp trực tuyến",
            dossier_online_share,
            source="Bộ phận Một cửa",
        ),
        Metric(
            "satisfaction",
            "Tỷ lệ người dân, tổ chức hài lòng",
            satisfaction_rate,
            source="Đánh giá sự hài lòng",
        ),
        Metric(
            "petitions_on_time",
            "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
            petitions_on_time_rate,
            source="Phản ánh, kiến nghị",
        ),
        Metric(
            "tasks_done",
            "Tỷ lệ nhiệm vụ kế hoạch CCHC hoàn thành",
            tasks_done_rate,
            source="Kế hoạch CCHC",
        ),
    ]
}

METRIC_CHOICES = [(m.key, m.label) for m in METRICS.values()]


def measure(key: str, commune, date_from: date, date_to: date) -> Decimal | None:
    """The live value of metric `key` for the commune and window (None: no data)."""
    metric = METRICS.get(key)
    if metric is None:
        return None
    return metric.func(commune, date_from, date_to)
