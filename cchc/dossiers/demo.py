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
    _digital(log)


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


# The electronic half (docs/online.md), in xã Đức Xương: birth registration declared
# fully online (NĐ 42/2022 list of fully online services), a citizen's online
# submission with its documents carried to an electronic result downloaded through
# the follow-up link, one waiting for the citizen's online supplement, and a later
# counter dossier of the same person reusing the digitised documents.
ONLINE_FULL = ("1.001193",)  # Đăng ký khai sinh
# No e-mail address: the demo sends no mail (the SMS rows show "SMS is off").
DEMO_CITIZEN = ("Đỗ Thị Hoa", "001195067890", "0978123456", "Thôn Nam, xã Đức Xương")


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF whose text says what it stands for (demo scans)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 60 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _upload(name: str, title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, _demo_pdf(title), content_type="application/pdf")


def _digital(log: DemoLog) -> None:
    from cchc.procedures.models import OnlineLevel
    from cchc.procedures.services import procedure_update

    from .models import DossierDocument
    from .online import (
        document_reuse,
        dossier_submit_public,
        result_attach,
        result_download_public,
        reusable_documents,
    )
    from .services import Applicant, dossier_act, dossier_receive

    commune = Unit.objects.filter(slug="ducxuong").first()
    counter = User.objects.filter(username="motcua").first()
    if commune is None or counter is None:
        return
    if DossierDocument.objects.filter(dossier__commune=commune).exists():
        log.had(f"hồ sơ có giấy tờ số hóa ({commune})")
        return
    procedure = Procedure.objects.filter(commune=commune, code=ONLINE_FULL[0], online=True).first()
    if procedure is None or not procedure.has_usable_time or procedure.department is None:
        return
    lines = [r for r in procedure.required_documents.all() if r.is_document and r.heading_kind != "case"]
    handler = (
        procedure.department.head
        or User.objects.filter(department=procedure.department, is_active=True).first()
    )
    if not lines or handler is None:
        log.had(f"thủ tục {procedure.code} chưa có danh mục giấy tờ: chưa tạo hồ sơ số hóa mẫu ({commune})")
        return
    for code in ONLINE_FULL:
        item = Procedure.objects.filter(commune=commune, code=code, online=True).first()
        if item is not None and item.online_level != OnlineLevel.FULL:
            procedure_update(user=None, procedure=item, changes={"online_level": OnlineLevel.FULL})
            log.made(f"thủ tục {code} cung cấp dịch vụ công trực tuyến toàn trình ({commune})")
    procedure.refresh_from_db()
    name, id_number, phone, address = DEMO_CITIZEN
    citizen = Applicant(name=name, id_number=id_number, phone=phone, address=address)
    # Every required line, and the first lines of the list (IDs, forms) besides.
    chosen = [r for r in lines if r.requirement == "required" or r in lines[:2]]
    files = {r.pk: _upload(f"giay-to-{r.seq}.pdf", f"Ban chup giay to {r.seq}") for r in chosen}
    with audit.acting_as(None, "command:demo"):
        done = dossier_submit_public(
            procedure=procedure, applicant=citizen, files=files, result_delivery="online"
        )
        dossier_act(dossier=done, action="accept", user=counter)
        dossier_act(dossier=done, action="transfer", user=counter)
        result_attach(
            user=handler, dossier=done, upload=_upload("giay-khai-sinh.pdf", "Giay khai sinh (ban dien tu)")
        )
        dossier_act(dossier=done, action="finish", user=handler)
        result_download_public(dossier=done)
        waiting = dossier_submit_public(
            procedure=procedure,
            applicant=Applicant(
                name="Vũ Văn Nam", id_number="001094078901", phone="0966234567", address=address
            ),
            files={r.pk: _upload(f"to-khai-{r.seq}.pdf", f"To khai {r.seq}") for r in chosen},
            result_delivery="online",
        )
        dossier_act(dossier=waiting, action="accept", user=counter)
        dossier_act(dossier=waiting, action="transfer", user=counter)
        dossier_act(
            dossier=waiting,
            action="request_supplement",
            user=handler,
            note="Ảnh chụp giấy chứng sinh bị mờ, không đọc được số.",
            items=["Giấy chứng sinh (ảnh chụp rõ nét)"],
        )
        again = dossier_receive(user=counter, procedure=procedure, channel="in_person", applicant=citizen)
        for source in reusable_documents(again)[:2]:
            document_reuse(user=counter, dossier=again, source=source)
    log.made(
        f"3 hồ sơ có giấy tờ điện tử ({commune}): {done.code} trả kết quả điện tử, "
        f"{waiting.code} chờ bổ sung trực tuyến, {again.code} tái sử dụng giấy tờ đã số hóa",
        count=3,
    )
