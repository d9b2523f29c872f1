"""Demo dossiers: xã Đức Xương (~3,000 a year) and xã Gia Lộc (~1,500 a year) from
1/1/2024 to today, over the real catalogue loaded by the procedures demo, with a
fixed random seed. Re-runnable: a commune that already has dossiers is left alone."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from cchc.core import audit
from cchc.core.demo import DemoLog
from cchc.core.workcal import get_calendar
from cchc.org.models import Department, Role, Unit, User
from cchc.procedures.models import Procedure

from .models import Dossier
from .stats import rebuild_day_stats
from .synthetic import MemoCalendar, Site, generate, procedure_weights, save, working_days

START = date(2024, 1, 1)
VOLUMES = {"ducxuong": 12.0, "gialoc": 6.0}  # dossiers per working day
SEED = 20240101


def _site(commune: Unit) -> Site | None:
    procedures = [
        p
        for p in Procedure.objects.filter(commune=commune, is_published=True).select_related("department")
        if p.has_usable_time
    ]
    if not procedures:
        return None
    one_stop = Department.objects.filter(commune=commune, is_one_stop=True).first()
    users = User.objects.filter(unit=commune, is_active=True)
    counter = users.filter(role=Role.ONE_STOP_OFFICER).first() or users.filter(role=Role.CHAIRMAN).first()
    dept_user = {}
    for dept in Department.objects.filter(commune=commune):
        member = dept.head or users.filter(department=dept).first()
        if member:
            dept_user[dept.pk] = member
    fallback = Department.objects.filter(commune=commune, code="tu-phap-ho-tich").first() or one_stop
    return Site(
        commune=commune,
        procedures=procedures,
        weights=procedure_weights(procedures),
        one_stop=one_stop,
        counter_user=counter,
        dept_user=dept_user,
        fallback_department=fallback,
    )


def load(log: DemoLog, *, start: date = START, volumes: dict[str, float] | None = None) -> None:
    now = timezone.now()
    cal = MemoCalendar(get_calendar())
    days = working_days(cal, start, timezone.localdate())
    for slug, per_day in (volumes or VOLUMES).items():
        commune = Unit.objects.filter(slug=slug).first()
        if commune is None:
            continue
        existing = Dossier.objects.filter(commune=commune).count()
        if existing:
            log.had(f"{existing} hồ sơ của {commune}", count=existing)
            continue
        site = _site(commune)
        if site is None:
            log.had(f"không có thủ tục có thời hạn hợp lệ ở {commune}: chưa tạo hồ sơ mẫu")
            continue
        rng = random.Random(f"{SEED}-{slug}")
        with transaction.atomic():
            batch = generate(site=site, days=days, per_day=per_day, now=now, cal=cal, rng=rng)
            count = save(batch)
            rebuild_day_stats([commune.pk])
            # Bulk inserts bypass the per-row audit trail: one summary row instead.
            audit.record(
                None,
                "create",
                {"count": count, "from": start.isoformat(), "to": timezone.localdate().isoformat()},
                model_label=("dossiers", "dossier"),
                object_repr=f"Hồ sơ mẫu của {commune}",
                commune_id=commune.pk,
            )
        log.made(
            f"{count} hồ sơ mẫu của {commune} ({start:%d/%m/%Y} – {timezone.localdate():%d/%m/%Y})",
            count=count,
        )
