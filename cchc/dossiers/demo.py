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
    _pending_online(log)


# Online submissions waiting at the counter this morning (national code 1), so the
# "chờ tiếp nhận" queue and the accept / refuse actions have something to show.
PENDING_ONLINE = [
    ("1.001193", "Phạm Thị Thu", "001190023456", "0987001234", "Thôn Đông, xã Đức Xương"),
    ("1.004873", "Nguyễn Văn Khánh", "001092034567", "0912002345", "Thôn Bắc, xã Đức Xương"),
    ("1.000656", "Lê Văn Hùng", "001075045678", "0903003456", "Thôn Tây, xã Đức Xương"),
]


def _pending_online(log: DemoLog) -> None:
    from .models import Status
    from .services import Applicant, dossier_submit_online

    commune = Unit.objects.filter(slug="ducxuong").first()
    officer = User.objects.filter(username="motcua").first()
    if commune is None or officer is None:
        return
    pending = Dossier.objects.filter(commune=commune, status=Status.REGISTERED).count()
    if pending:
        log.had(f"{pending} hồ sơ trực tuyến chờ tiếp nhận ({commune})", count=pending)
        return
    made = 0
    for code, name, id_number, phone, address in PENDING_ONLINE:
        procedure = Procedure.objects.filter(commune=commune, code=code).first()
        if procedure is None or not procedure.has_usable_time:
            continue
        dossier_submit_online(
            user=officer,
            procedure=procedure,
            applicant=Applicant(name=name, id_number=id_number, phone=phone, address=address),
            request=procedure.name,
        )
        made += 1
    if made:
        log.made(f"{made} hồ sơ trực tuyến chờ tiếp nhận ({commune})", count=made)
