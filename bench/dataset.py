"""The province data set the benchmarks measure: N synthetic dossiers spread over the
communes of one province from 1/1/2024 to today.

A few communes ("templates") are generated row by row by the demo's generator
(`cchc.dossiers.synthetic`, without event rows); the others copy one of those
histories with INSERT … SELECT, codes and procedures mapped to the target commune —
five million rows in minutes instead of hours of Python. The per-day summary is
rebuilt afterwards, as after any bulk insert.

`prepare(db, args)` builds it in a fresh benchmark database, or with `--reuse` finds
the one a previous `--keep` run built (`bench/benchdb.py`).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from datetime import date

PROVINCE_SLUG = "bench"
CATALOGUE = [
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 3, "working_days"),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", 5, "working_days"),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 3, "working_days"),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, "working_days"),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, "same_day"),
    ("2.000884", "Chứng thực chữ ký", "Chứng thực", 0, "same_day"),
    ("1.003003", "Đăng ký biến động đất đai", "Đất đai", 10, "working_days"),
    ("1.001612", "Xác nhận hộ nghèo", "Bảo trợ xã hội", 15, "days"),
    ("2.001457", "Đăng ký hoạt động tổ hợp tác", "Hợp tác xã", 4, "working_hours"),
]


@dataclass
class Province:
    province: object
    communes: list
    officers: list  # the one-stop officer of each commune
    params: dict


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data set")
    group.add_argument("--dossiers", type=int, default=100_000)
    group.add_argument("--communes", type=int, default=150)
    group.add_argument("--seed", type=int, default=1)
    group.add_argument(
        "--templates",
        type=int,
        default=5,
        help="communes generated row by row; the others copy one of them in SQL",
    )


def prepare(db, args) -> Province:
    import django

    django.setup()
    if args.reuse:
        params = db.built()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)  # the code may be newer than the data set
        print(f"== {db.label}: reusing {params['dossiers']:,} dossiers, {params['communes']} communes "
              f"(built {params['built_on']})")  # fmt: skip
        return _load(params)
    print(f"== {db.label}: building {args.dossiers:,} dossiers, {args.communes} communes")
    province = _build(args)
    params = {
        "dossiers": args.dossiers,
        "communes": args.communes,
        "templates": args.templates,
        "seed": args.seed,
        "built_on": f"{date.today():%d/%m/%Y}",
    }
    db.record_build(params)
    province.params = params
    return province


def _load(params: dict) -> Province:
    from cchc.org.models import Unit, User

    province = Unit.objects.get(slug=PROVINCE_SLUG)
    communes = list(Unit.objects.filter(parent=province).order_by("pk"))
    by_name = {u.username: u for u in User.objects.filter(username__startswith="motcua")}
    officers = [by_name[f"motcua{i + 1}"] for i in range(len(communes))]
    return Province(province, communes, officers, params)


def _build(args) -> Province:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cchc.core.audit import acting_as
    from cchc.core.workcal import get_calendar
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.stats import rebuild_day_stats
    from cchc.dossiers.synthetic import MemoCalendar, Site, generate, procedure_weights, save, working_days
    from cchc.org.models import Role
    from cchc.org.services import unit_create, user_create
    from cchc.procedures.models import Procedure
    from cchc.testing import make_department

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    cal = MemoCalendar(get_calendar())
    today = timezone.localdate()
    days = working_days(cal, date(2024, 1, 1), today)
    # +0.3 %: today's hours not yet elapsed are not generated.
    per_day = args.dossiers / args.communes / len(days) * 1.003
    with acting_as(None, "command:bench"):
        province = unit_create(
            kind="province", name="Ủy ban nhân dân tỉnh Thử nghiệm", short_name="tỉnh Thử nghiệm",
            slug=PROVINCE_SLUG, agency_code="000.99.99.B99",
        )  # fmt: skip
        communes, officers = [], []
        built = 0
        for i in range(args.communes):
            commune = unit_create(
                kind="commune", name=f"Ủy ban nhân dân xã Số {i + 1}", short_name=f"xã Số {i + 1}",
                slug=f"xa-{i + 1}", agency_code=f"000.{i // 100:02d}.{i % 100:02d}.B00", parent=province,
                place_name=f"Số {i + 1}",
            )  # fmt: skip
            one_stop = make_department(commune, "mot-cua", "Bộ phận Một cửa", is_one_stop=True)
            justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
            land = make_department(commune, "dia-chinh-xay-dung", "Địa chính – Xây dựng")
            officer = user_create(
                username=f"motcua{i + 1}", password=None, full_name=f"Một cửa {i + 1}",
                role=Role.ONE_STOP_OFFICER, unit=commune, department=one_stop,
            )  # fmt: skip
            procedures = [
                Procedure.objects.create(
                    commune=commune,
                    code=code,
                    name=name,
                    field=field,
                    time_amount=amount if unit != "same_day" else None,
                    time_unit=unit,
                    department=land if field == "Đất đai" else justice,
                    online=True,
                    postal=True,
                )  # fmt: skip
                for code, name, field, amount, unit in CATALOGUE
            ]
            if i < args.templates:
                site = Site(
                    commune=commune, procedures=procedures, weights=procedure_weights(procedures), one_stop=one_stop,
                    counter_user=officer, dept_user={justice.pk: officer, land.pk: officer}, fallback_department=justice,
                )  # fmt: skip
                batch = generate(
                    site=site,
                    days=days,
                    per_day=per_day,
                    now=timezone.now(),
                    cal=cal,
                    rng=rng,
                    with_events=False,
                )
                built += save(batch, chunk=5000)
            else:
                built += _copy_history(communes[i % args.templates], commune, officer)
            communes.append(commune)
            officers.append(officer)
            if (i + 1) % 10 == 0:
                rate = built / (time.perf_counter() - t0)
                print(f"   {i + 1} communes, {built:,} dossiers ({rate:,.0f}/s)", flush=True)
    t1 = time.perf_counter()
    summary_rows = rebuild_day_stats([c.pk for c in communes])
    print(f"per-day summary rebuilt: {summary_rows:,} rows in {time.perf_counter() - t1:,.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"built {Dossier.objects.count():,} dossiers in {time.perf_counter() - t0:,.0f} s", flush=True)
    return Province(province, communes, officers, {})


def _copy_history(source, target, officer) -> int:
    """Copy a generated commune's dossiers to another commune in one INSERT … SELECT
    (codes, procedures, departments and the receiving officer mapped to the target):
    a million rows in minutes instead of an hour of Python."""
    from django.db import connection

    from cchc.dossiers.models import DailySerial, Dossier, RegisterSerial

    q = connection.ops.quote_name
    special = {
        "commune_id": "%(target)s",
        "code": "REPLACE(d.code, %(old)s, %(new)s)",
        "search_key": "REPLACE(d.search_key, %(old_lower)s, %(new_lower)s)",
        "procedure_id": "p2.id",
        "department_id": "dep2.id",
        "received_by_id": "%(officer)s",
    }
    columns = [f.column for f in Dossier._meta.concrete_fields if not f.primary_key]
    select = ", ".join(special.get(c, f"d.{q(c)}") for c in columns)
    sql = (
        f"INSERT INTO {q(Dossier._meta.db_table)} ({', '.join(q(c) for c in columns)}) "
        f"SELECT {select} FROM {q(Dossier._meta.db_table)} d "
        "JOIN procedures_procedure p1 ON p1.id = d.procedure_id "
        "JOIN procedures_procedure p2 ON p2.commune_id = %(target)s AND p2.code = p1.code "
        "LEFT JOIN org_department dep1 ON dep1.id = d.department_id "
        "LEFT JOIN org_department dep2 ON dep2.commune_id = %(target)s AND dep2.code = dep1.code "
        "WHERE d.commune_id = %(source)s"
    )
    params = {
        "target": target.pk,
        "source": source.pk,
        "old": source.agency_code,
        "new": target.agency_code,
        "old_lower": source.agency_code.lower(),
        "new_lower": target.agency_code.lower(),
        "officer": officer.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count = cursor.rowcount
        serials = q(DailySerial._meta.db_table)
        cursor.execute(
            f"INSERT INTO {serials} (commune_id, day, last) SELECT %s, day, last FROM {serials} WHERE commune_id = %s",
            [target.pk, source.pk],
        )
        # The copied rows keep their register numbers: the target's books end where the source's do.
        books = q(RegisterSerial._meta.db_table)
        cursor.execute(
            f"INSERT INTO {books} (commune_id, year, last) SELECT %s, year, last FROM {books} WHERE commune_id = %s",
            [target.pk, source.pk],
        )
    return count
