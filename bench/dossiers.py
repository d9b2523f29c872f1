"""Benchmark of the one-stop shop at province scale.

    python bench/dossiers.py [--dossiers 1000000] [--communes 150] [--receipts 300]

Builds a fresh database — an SQLite file in a temporary directory, or, when
DATABASE_URL is set, that PostgreSQL database (dropped and re-created: give it a
name of its own, e.g. postgres://postgres@127.0.0.1:5432/cchc_bench) — with N
synthetic dossiers spread over the communes of one province from 1/1/2024 to
today (the same generator as the demo, without event rows, for a few communes; the
others copy one of those histories with INSERT … SELECT), then
prints:
- dossiers received per second through the service layer (`dossier_receive`)
  and through the HTTP API (`POST /api/v1/dossiers`, Django test client);
- the time of the statistics query (`dossier_stats`) for one commune-year and
  for the whole province, for the last full year and for the current year.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_environment() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    os.environ["CCHC_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    url = os.environ.get("DATABASE_URL", "")
    if url:
        import psycopg

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"PostgreSQL ({name})"
    data_dir = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ["CCHC_DATA_DIR"] = data_dir
    return f"SQLite ({data_dir}/cchc.sqlite3)"


def _timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median and first-run milliseconds of `fn`."""
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), runs[0]


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=150)
    parser.add_argument("--receipts", type=int, default=300, help="receipts timed per path")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--templates",
        type=int,
        default=5,
        help="communes generated row by row; the others copy one of them in SQL",
    )
    args = parser.parse_args()

    label = _prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from cchc.core.audit import acting_as
    from cchc.core.services import api_token_create
    from cchc.core.workcal import get_calendar
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.services import Applicant, dossier_receive
    from cchc.dossiers.stats import dossier_stats, rebuild_day_stats
    from cchc.dossiers.synthetic import MemoCalendar, Site, generate, procedure_weights, save, working_days
    from cchc.org.models import Role
    from cchc.org.services import unit_create, user_create
    from cchc.procedures.models import Procedure
    from cchc.testing import make_department

    print(f"== {label}: {args.dossiers:,} dossiers, {args.communes} communes")
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(args.seed)
    cal = MemoCalendar(get_calendar())
    today = timezone.localdate()
    days = working_days(cal, date(2024, 1, 1), today)
    # +0.3 %: today's hours not yet elapsed are not generated.
    per_day = args.dossiers / args.communes / len(days) * 1.003
    catalogue = [
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
    with acting_as(None, "command:bench"):
        province = unit_create(
            kind="province", name="Ủy ban nhân dân tỉnh Thử nghiệm", short_name="tỉnh Thử nghiệm",
            slug="bench", agency_code="000.99.99.B99",
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
                for code, name, field, amount, unit in catalogue
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
    print(f"built {Dossier.objects.count():,} dossiers in {time.perf_counter() - t0:,.0f} s")

    # --- receiving -------------------------------------------------------------
    officer = officers[0]
    proc = Procedure.objects.get(commune=communes[0], code="1.001193")
    applicant = Applicant(
        name="Nguyễn Văn Thử", id_number="034095001234", phone="0912345678", address="Thôn Đông"
    )
    latencies = []
    with acting_as(officer, "bench"):
        t = time.perf_counter()
        for _ in range(args.receipts):
            s = time.perf_counter()
            dossier_receive(user=officer, procedure=proc, channel="in_person", applicant=applicant)
            latencies.append((time.perf_counter() - s) * 1000)
        elapsed = time.perf_counter() - t
    print(
        f"receive via services: {args.receipts / elapsed:,.0f} dossiers/s; "
        f"median {statistics.median(latencies):.1f} ms, p95 {sorted(latencies)[int(len(latencies) * 0.95)]:.1f} ms"
    )
    token = api_token_create(user=officer)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = (
        '{"procedure": "1.001193", "channel": "online", "applicant": {"name": "Trần Thị Thử", '
        '"id_number": "034195000111", "phone": "0987654321", "address": "Thôn Tây"}}'
    )
    latencies = []
    t = time.perf_counter()
    for _ in range(args.receipts):
        s = time.perf_counter()
        response = client.post("/api/v1/dossiers", body, content_type="application/json")
        latencies.append((time.perf_counter() - s) * 1000)
        if response.status_code != 201:
            raise SystemExit(f"API answered {response.status_code}: {response.content[:300]!r}")
    elapsed = time.perf_counter() - t
    print(
        f"receive via HTTP API: {args.receipts / elapsed:,.0f} dossiers/s; "
        f"median {statistics.median(latencies):.1f} ms, p95 {sorted(latencies)[int(len(latencies) * 0.95)]:.1f} ms"
    )

    # --- statistics --------------------------------------------------------------
    all_ids = [c.pk for c in communes]
    windows = [
        (f"year {today.year - 1}", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (f"1/1–{today:%d/%m/%Y}", date(today.year, 1, 1), today),
    ]
    for name, start, end in windows:
        one = dossier_stats(commune_ids=[all_ids[1]], date_from=start, date_to=end)
        med, first = _timed(
            lambda s=start, e=end: dossier_stats(commune_ids=[all_ids[1]], date_from=s, date_to=e)
        )
        print(
            f"stats one commune, {name}: median {med:.1f} ms (first {first:.1f} ms); received {one['received']:,}"
        )
        whole = dossier_stats(commune_ids=all_ids, date_from=start, date_to=end)
        med, first = _timed(lambda s=start, e=end: dossier_stats(commune_ids=all_ids, date_from=s, date_to=e))
        print(
            f"stats province ({len(all_ids)} communes), {name}: median {med:.1f} ms (first {first:.1f} ms); "
            f"received {whole['received']:,}, on-time rate {whole['on_time_rate']}%"
        )
    # Filtered statistics count the dossier rows themselves (no summary).
    start, end = windows[0][1], windows[0][2]
    for what, kwargs in (
        ("field Hộ tịch", {"field": "Hộ tịch"}),
        ("procedure 1.003003", {"procedure": "1.003003"}),
    ):
        med, first = _timed(
            lambda kw=kwargs: dossier_stats(commune_ids=all_ids, date_from=start, date_to=end, **kw)
        )
        print(f"stats province, {windows[0][0]}, {what}: median {med:.1f} ms (first {first:.1f} ms)")


if __name__ == "__main__":
    main()
