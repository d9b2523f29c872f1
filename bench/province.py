"""Benchmark at province scale through `cchc serve` (waitress) on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \\
        python bench/province.py --dossiers 5000000 [--keep | --reuse] [--threads 8] [--processes 1]

On the province data set (`bench/dataset.py`, built in the benchmark's own database,
`bench/benchdb.py`; with --keep/--reuse built once and measured many times) it prints:

1. Figures, in this process, through the catalogue (`cchc.core.figures.evaluate`, the
   statistics page's list of dossier figures) beside one plain SQL statement over the
   dossier rows computing the same values (which must agree), as a ratio: a province
   period, a commune, the province's year filtered by field, and the province
   comparison (every commune separately).
2. Receipts over HTTP: `--receipt-clients` (8) concurrent clients posting
   `POST /api/v1/dossiers` to `cchc serve`, each with its officer's API token — all
   at one commune's counter (the daily serial is the contended row) unless
   --spread; then checks: no error, every code unique, each day's serials gap-free.
3. Staff pages over HTTP at `--page-clients` (16) concurrent clients, logged in
   (sessions; of four clients two one-stop officers, a chairman, a province viewer):
   the work queue, the register, the statistics of a commune and of the province
   (this year, last year, last year by field), the commune dashboard, the province
   comparison, the home pages; median and p95 per page and over all.

The server is stopped and the database dropped at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ["CCHC_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import benchdb  # noqa: E402
import dataset  # noqa: E402
from benchdb import BenchDatabase, timed  # noqa: E402


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _backend_cpu_ns() -> int:
    """CPU time used so far by this connection's PostgreSQL server process (Linux:
    /proc/PID/schedstat, nanoseconds); 0 elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except OSError:
        return 0


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime, all threads


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def serving_cpu_seconds(server_pid: int) -> float:
    """CPU seconds used so far by `cchc serve` (all its threads) and by the
    PostgreSQL server processes of the benchmark database (Linux /proc; 0 elsewhere)."""
    from django.db import connection

    pids = [server_pid, *_children(server_pid)]  # `--processes N`: the workers
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            pids += [r[0] for r in cursor.fetchall()]
    return sum(_ticks(pid) for pid in pids) / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.0


def _cpu_ms(fn, repeat: int) -> float:
    """Median CPU milliseconds of `fn`: this process plus its PostgreSQL server
    process (not parallel workers). Unlike the wall clock, it does not grow while the
    shared machine runs other work: it is what `fn` costs on an idle machine."""
    runs = []
    for _ in range(repeat):
        c, b = time.process_time_ns(), _backend_cpu_ns()
        fn()
        runs.append((time.process_time_ns() - c + _backend_cpu_ns() - b) / 1e6)
    return statistics.median(runs)


# --- 1. figures ----------------------------------------------------------------------
def _raw_sql(commune_ids, date_from, date_to, procedure_ids=None) -> dict:
    """The statistics page's dossier figures in one statement over the rows (no summary
    table, no index-shaped query): what the catalogue must agree with."""
    from django.db import connection
    from django.utils import timezone

    from cchc.core.workcal import TZ
    from cchc.dossiers.models import Channel, Dossier, Outcome, Status, SupplementRequest
    from cchc.dossiers.stats import bounds

    start, end = bounds(date_from, date_to)
    now = timezone.now()
    as_of_end, as_of_start = min(end, now), min(start, now)
    end_day = as_of_end.astimezone(TZ).date()
    dt = connection.ops.adapt_datetimefield_value
    day = connection.ops.adapt_datefield_value
    q = connection.ops.quote_name
    supplements = q(SupplementRequest._meta.db_table)

    def waiting(at):
        return (
            f"EXISTS (SELECT 1 FROM {supplements} s WHERE s.dossier_id = d.id AND s.requested_at < %s "
            "AND (s.answered_at IS NULL OR s.answered_at >= %s))",
            [dt(at), dt(at)],
        )

    open_end = "d.received_at < %s AND (d.closed_at IS NULL OR d.closed_at >= %s)"
    w_sql, w_params = waiting(as_of_end)
    in_window = "{col} >= %s AND {col} < %s"
    columns = [
        (in_window.format(col="d.received_at"), [dt(start), dt(end)]),
        (in_window.format(col="d.received_at") + " AND d.channel = %s", [dt(start), dt(end), Channel.ONLINE]),
        (in_window.format(col="d.finished_at"), [dt(start), dt(end)]),
        (
            in_window.format(col="d.finished_at") + " AND d.finish_outcome = %s",
            [dt(start), dt(end), Outcome.EARLY],
        ),
        (
            in_window.format(col="d.finished_at") + " AND d.finish_outcome = %s",
            [dt(start), dt(end), Outcome.ON_TIME],
        ),
        (
            in_window.format(col="d.finished_at") + " AND d.finish_outcome = %s",
            [dt(start), dt(end), Outcome.LATE],
        ),
        (in_window.format(col="d.finished_at") + " AND d.status = %s", [dt(start), dt(end), Status.REFUSED]),
        (in_window.format(col="d.withdrawn_at"), [dt(start), dt(end)]),
        (open_end, [dt(as_of_end), dt(as_of_end)]),
        (
            f"{open_end} AND (d.due_date < %s OR d.is_late_flagged) AND NOT {w_sql}",
            [dt(as_of_end), dt(as_of_end), day(end_day), *w_params],
        ),
        (f"{open_end} AND {w_sql}", [dt(as_of_end), dt(as_of_end), *w_params]),
        (open_end, [dt(as_of_start), dt(as_of_start)]),
    ]
    names = ["received", "online", "finished", "early", "on_time", "late", "refused", "withdrawn",
             "open", "open_late", "open_waiting", "carried_over"]  # fmt: skip
    select = ", ".join(f"COUNT(*) FILTER (WHERE {sql})" for sql, _ in columns)
    params = [p for _, ps in columns for p in ps]
    where = f"d.commune_id IN ({', '.join(['%s'] * len(commune_ids))})"
    params += list(commune_ids)
    if procedure_ids is not None:
        where += f" AND d.procedure_id IN ({', '.join(['%s'] * len(procedure_ids))})"
        params += list(procedure_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {q(Dossier._meta.db_table)} d WHERE {where}", params)
        return dict(zip(names, cursor.fetchone(), strict=True))


def _expected(raw: dict) -> dict:
    """The catalogue's keys from the raw counts."""
    from cchc.core.figures import percent

    return {
        "dossiers.received": raw["received"],
        "dossiers.received_online": raw["online"],
        "dossiers.received_offline": raw["received"] - raw["online"],
        "dossiers.carried_over": raw["carried_over"],
        "dossiers.finished": raw["finished"],
        "dossiers.finished_early": raw["early"],
        "dossiers.finished_on_time": raw["on_time"],
        "dossiers.finished_late": raw["late"],
        "dossiers.refused": raw["refused"],
        "dossiers.withdrawn": raw["withdrawn"],
        "dossiers.open": raw["open"],
        "dossiers.open_within": raw["open"] - raw["open_late"],
        "dossiers.open_late": raw["open_late"],
        "dossiers.open_waiting": raw["open_waiting"],
        "dossiers.on_time_rate": percent(raw["early"] + raw["on_time"], raw["finished"]),
        "dossiers.online_rate": percent(raw["online"], raw["received"]),
    }


def figures(province, repeat: int) -> list[dict]:
    from django.utils import timezone

    from cchc.core.figures import Scope, evaluate, evaluate_by_commune
    from cchc.core.periods import PeriodKind, containing
    from cchc.dossiers import figures as F
    from cchc.procedures.models import Procedure

    today = timezone.localdate()
    ids = [c.pk for c in province.communes]
    year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    quarter = containing(today, PeriodKind.QUARTER)  # NĐ 09/2019 reporting quarter
    quarter_window = (quarter.date_from, min(quarter.date_to, today))
    field_procs = list(
        Procedure.objects.filter(commune_id__in=ids, field="Hộ tịch").values_list("pk", flat=True)
    )
    cases = [
        ("province, year " + str(year[0].year), ids, year, {}, None, 200),
        (
            f"province, {quarter_window[0]:%d/%m}–{quarter_window[1]:%d/%m/%Y}",
            ids,
            quarter_window,
            {},
            None,
            200,
        ),
        ("commune, year " + str(year[0].year), ids[1:2], year, {}, None, 50),
        (f"commune, 1/{today:%m}–{today:%d/%m/%Y}", ids[1:2], (today.replace(day=1), today), {}, None, 50),
        (
            f"province, year {year[0].year}, field Hộ tịch",
            ids,
            year,
            {"field": "Hộ tịch"},
            field_procs,
            150,
        ),
    ]
    rows = []
    print(f"\n-- figures through the catalogue ({len(F.STATISTICS)} figures of the statistics page), "
          f"median of {repeat}")  # fmt: skip
    for name, commune_ids, (a, b), filters, procs, target in cases:
        scope = Scope.of(commune_ids=commune_ids, date_from=a, date_to=b, **filters)
        cat_med, _, cat_first, values = timed(lambda s=scope: evaluate(F.STATISTICS, s), repeat)
        raw_med, _, raw_first, raw = timed(
            lambda c=commune_ids, x=a, y=b, p=procs: _raw_sql(c, x, y, p), repeat
        )
        cat_cpu = _cpu_ms(lambda s=scope: evaluate(F.STATISTICS, s), repeat)
        raw_cpu = _cpu_ms(lambda c=commune_ids, x=a, y=b, p=procs: _raw_sql(c, x, y, p), repeat)
        expected = _expected(raw)
        got = {f.key: v for f, v in values.items()}
        wrong = {k: (got[k], expected[k]) for k in expected if got.get(k) != expected[k]}
        verdict = "OK" if cat_med <= target else "MISSED"
        print(
            f"{name}: catalogue {cat_med:.1f} ms (first {cat_first:.1f}), raw SQL {raw_med:.1f} ms "
            f"(first {raw_first:.1f}); ratio {cat_med / raw_med:.2f}; target ≤ {target} ms {verdict}; "
            f"CPU catalogue {cat_cpu:.1f} ms, raw SQL {raw_cpu:.1f} ms (ratio {cat_cpu / max(raw_cpu, 0.01):.2f}); "
            f"received {got['dossiers.received']:,}, open {got['dossiers.open']:,}"
            + (f"; DIFFERENT from raw SQL: {wrong}" if wrong else "; equal to raw SQL")
        )
        rows.append(
            {"case": name, "catalogue": cat_med, "raw": raw_med, "target": target, "equal": not wrong}
        )
    scope = Scope.of(commune_ids=ids, date_from=year[0], date_to=year[1])
    med, _, first, by = timed(lambda: evaluate_by_commune(F.STATISTICS, scope), repeat)
    cpu = _cpu_ms(lambda: evaluate_by_commune(F.STATISTICS, scope), repeat)
    # The same in plain SQL: one statement per commune (10 timed, scaled to all).
    raw_med = timed(lambda: [_raw_sql([cid], *year) for cid in ids[:10]], 1).median * len(ids) / 10
    print(
        f"province comparison ({len(ids)} communes separately), year {year[0].year}: catalogue {med:.1f} ms "
        f"(first {first:.1f}), CPU {cpu:.1f} ms; raw SQL per commune ≈ {raw_med:.0f} ms "
        f"(10 communes × {len(ids) // 10}); ratio {med / raw_med:.2f}"
    )
    return rows


# --- the server ------------------------------------------------------------------------
class Server:
    """`cchc serve` in a child process on a free loopback port."""

    def __init__(self, data_dir: Path, threads: int, processes: int = 1) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = data_dir / "serve.log"
        cchc = Path(sys.executable).with_name("cchc")
        command = (
            [str(cchc)] if cchc.exists() else [sys.executable, "-c", "from cchc.cli import main; main()"]
        )
        env = dict(os.environ, CCHC_SECURE_COOKIES="false", CCHC_ALLOWED_HOSTS="127.0.0.1")
        options = ["--port", str(self.port), "--threads", str(threads), "--processes", str(processes)]
        if processes > 1:
            env["CCHC_CACHE"] = "database"  # what `--processes` asks for; migrating creates its table
        else:
            options.append("--no-migrate")
        self.proc = subprocess.Popen(
            [*command, "serve", *options],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"cchc serve stopped:\n{self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit("cchc serve did not answer within 120 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _run_clients(
    port: int, clients: int, work, *, duration: float | None = None, per_client: int | None = None
):
    """Run `work(conn, client_index, n)` from `clients` threads (each with its own
    keep-alive connection) starting together; returns [(label, ms, ok, detail)]."""
    results: list[tuple] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        barrier.wait()
        stop = time.perf_counter() + duration if duration else None
        n = 0
        while (per_client is None or n < per_client) and (stop is None or time.perf_counter() < stop):
            t = time.perf_counter()
            try:
                label, ok, detail = work(conn, index, n)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                label, ok, detail = "error", False, repr(exc)
            mine.append((label, (time.perf_counter() - t) * 1000, ok, detail))
            n += 1
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - t0


# --- 2. receipts over HTTP ------------------------------------------------------------
def receipts(server: Server, province, clients: int, total: int, spread: bool) -> dict:
    from django.db.models import Count, Max, Min

    from cchc.core.services import api_token_create
    from cchc.dossiers.models import DailySerial, Dossier
    from cchc.org.models import Role
    from cchc.org.services import user_create

    commune = province.communes[0]
    tokens, communes = [], []
    for i in range(clients):
        if spread:
            officer, where = province.officers[i], province.communes[i]
        else:
            officer = user_create(
                username=f"bench-counter-{time.time_ns()}-{i}", password=None, full_name=f"Quầy {i + 1}",
                role=Role.ONE_STOP_OFFICER, unit=commune, department=province.officers[0].department,
            )  # fmt: skip
            where = commune
        tokens.append(api_token_create(user=officer)[1])
        communes.append(where)
    first_id = (Dossier.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    body = json.dumps(
        {
            "procedure": "1.001193",
            "channel": "in_person",
            "applicant": {
                "name": "Nguyễn Văn Thử",
                "id_number": "034095001234",
                "phone": "0912345678",
                "address": "Thôn Đông",
            },
        }  # fmt: skip
    ).encode()

    def work(conn, index, n):
        conn.request(
            "POST", "/api/v1/dossiers", body=body,
            headers={"Authorization": f"Bearer {tokens[index]}", "Content-Type": "application/json"},
        )  # fmt: skip
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            return "receipt", False, f"{response.status} {data[:200]!r}"
        return "receipt", True, json.loads(data)["code"]

    per_client = total // clients
    cpu0 = serving_cpu_seconds(server.proc.pid)
    results, elapsed = _run_clients(server.port, clients, work, per_client=per_client)
    cpu = serving_cpu_seconds(server.proc.pid) - cpu0
    ok = [r for r in results if r[2]]
    errors = [r for r in results if not r[2]]
    codes = [r[3] for r in ok]
    latencies = [r[1] for r in results]
    # Checks in the database: what was answered is what was written, codes unique,
    # each commune-day's serials 1..n with no gap (the history's rows included).
    new = Dossier.objects.filter(id__gte=first_id)
    stored = list(new.values_list("code", flat=True))
    gaps = []
    days = {(c.pk, d) for c in communes for d in new.filter(commune_id=c.pk).dates("received_at", "day")}
    for commune_id, day in sorted(days):
        prefix = next(c for c in communes if c.pk == commune_id).agency_code + f"-{day:%y%m%d}-"
        same_day = Dossier.objects.filter(commune_id=commune_id, code__startswith=prefix)
        agg = same_day.aggregate(n=Count("id"), lo=Min("serial"), hi=Max("serial"))
        last = (
            DailySerial.objects.filter(commune_id=commune_id, day=day).values_list("last", flat=True).first()
        )
        if not (agg["lo"] == 1 and agg["hi"] == agg["n"] == last):
            gaps.append((commune_id, str(day), agg, last))
    report = {
        "clients": clients,
        "sent": len(results),
        "per_second": len(ok) / elapsed,
        "median": statistics.median(latencies),
        "p95": _ms(latencies, 0.95),
        "errors": len(errors),
        "unique": len(set(codes)) == len(codes) == len(stored) and set(codes) == set(stored),
        "gap_free": not gaps,
    }
    where = f"{len({c.pk for c in communes})} commune(s)"
    print(
        f"\n-- receipts over HTTP (POST /api/v1/dossiers), {clients} clients at {where}: "
        f"{report['per_second']:,.0f} receipts/s ({len(ok):,} in {elapsed:.1f} s); median {report['median']:.1f} ms, "
        f"p95 {report['p95']:.1f} ms; errors {len(errors)}; codes unique {report['unique']}; "
        f"gap-free {report['gap_free']}"
    )
    if ok and cpu:
        per = cpu * 1000 / len(ok)
        print(
            f"   CPU of cchc serve + PostgreSQL: {per:.1f} ms per receipt → on {os.cpu_count()} idle cores about "
            f"{os.cpu_count() * 1000 / per:,.0f} receipts/s"
        )
    for e in errors[:5]:
        print(f"   error: {e[3]}")
    for g in gaps[:5]:
        print(f"   GAP: {g}")
    return report


# --- 3. staff pages over HTTP ---------------------------------------------------------------
def _session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def pages(server: Server, province, clients: int, seconds: float) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from cchc.org.models import Role, User
    from cchc.org.services import user_create

    viewer = User.objects.filter(username="bench-captren").first() or user_create(
        username="bench-captren", password=None, full_name="Cấp trên", role=Role.SUPERIOR_VIEWER,
        unit=province.province,
    )  # fmt: skip
    today = timezone.localdate()
    last_year = today.year - 1
    officers = province.officers[: max(clients, 1)]
    commune_sessions = [_session(o) for o in officers]
    chairmen = []
    for commune in province.communes[: max(clients, 1)]:
        username = f"bench-chutich-{commune.pk}"
        chairman = User.objects.filter(username=username).first() or user_create(
            username=username, password=None, full_name="Chủ tịch", role=Role.CHAIRMAN, unit=commune,
        )  # fmt: skip
        chairmen.append(_session(chairman))
    province_session = _session(viewer)
    officer_pages = [
        ("queue (commune)", "/ho-so/"),
        ("register (commune, this year)", "/ho-so/so-theo-doi/"),
        ("statistics (commune, this year)", f"/ho-so/thong-ke/?period={today.year}"),
        ("home (one-stop officer)", "/"),
    ]
    chairman_pages = [
        ("dashboard (commune)", "/dieu-hanh/"),
        ("home (chairman, with dashboard)", "/"),
        ("statistics (commune, this year)", f"/ho-so/thong-ke/?period={today.year}"),
    ]
    province_pages = [
        ("statistics (province, this year)", f"/ho-so/thong-ke/?period={today.year}"),
        ("statistics (province, last year)", f"/ho-so/thong-ke/?period={last_year}"),
        (
            "statistics (province, last year, field)",
            f"/ho-so/thong-ke/?period={last_year}&field=H%E1%BB%99+t%E1%BB%8Bch",
        ),
        ("province comparison (this year)", f"/dieu-hanh/so-sanh/?period={today.year}"),
        ("province comparison (last year)", f"/dieu-hanh/so-sanh/?period={last_year}"),
        ("register (province, this year)", "/ho-so/so-theo-doi/"),
        ("home (province, with comparison)", "/"),
    ]
    cookie = settings.SESSION_COOKIE_NAME
    plan = []
    for i in range(clients):
        # Of four clients: two one-stop officers, a chairman, a province viewer.
        if i % 4 == 3:
            plan.append((province_session, province_pages))
        elif i % 4 == 2:
            plan.append((chairmen[i % len(chairmen)], chairman_pages))
        else:
            plan.append((commune_sessions[i % len(commune_sessions)], officer_pages))
    rng = random.Random(7)

    def work(conn, index, n):
        session, choices = plan[index]
        label, path = choices[(n + rng.randrange(len(choices))) % len(choices)]
        conn.request("GET", path, headers={"Cookie": f"{cookie}={session}"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            return label, False, f"{path}: {response.status} {response.getheader('Location')}"
        if b'name="password"' in data:
            return label, False, f"{path}: login page"
        return label, True, ""

    # Warm-up: each page once (first-run caches), not counted.
    _run_clients(server.port, len(plan), work, per_client=len(province_pages))
    # Each page alone (one client, 3 times): its own cost, without queueing behind others.
    print("\n-- staff pages over HTTP, one client at a time (median of 3)")
    alone = {}
    for session, choices in (plan[0], plan[2 % len(plan)], plan[3 % len(plan)]):
        for label, path in choices:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": f"{cookie}={session}"})
                response = conn.getresponse()
                response.read()
                runs.append((time.perf_counter() - t) * 1000)
            conn.close()
            alone[label] = statistics.median(runs)
            print(f"   {label}: {alone[label]:.0f} ms ({response.status})")
    cpu0 = serving_cpu_seconds(server.proc.pid)
    results, elapsed = _run_clients(server.port, clients, work, duration=seconds)
    cpu = serving_cpu_seconds(server.proc.pid) - cpu0
    by_page: dict[str, list[float]] = {}
    for label, ms, _ok, _ in results:
        by_page.setdefault(label, []).append(ms)
    errors = [r for r in results if not r[2]]
    all_ms = [r[1] for r in results]
    print(
        f"\n-- staff pages over HTTP, {clients} concurrent clients for {elapsed:.0f} s: {len(results):,} pages "
        f"({len(results) / elapsed:,.1f}/s); all pages median {statistics.median(all_ms):.0f} ms, "
        f"p95 {_ms(all_ms, 0.95):.0f} ms (target ≤ 300 ms); errors {len(errors)}"
    )
    if cpu and results:
        print(f"   CPU of cchc serve + PostgreSQL: {cpu * 1000 / len(results):.0f} ms per page on average")
    for label in sorted(by_page):
        values = by_page[label]
        print(
            f"   {label}: n={len(values)}, median {statistics.median(values):.0f} ms, p95 {_ms(values, 0.95):.0f} ms"
        )
    for e in errors[:5]:
        print(f"   error: {e[0]}: {e[3]}")
    return {"p95": _ms(all_ms, 0.95), "errors": len(errors), "by_page": by_page}


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # progress visible when written to a file
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    dataset.add_arguments(parser)
    group = parser.add_argument_group("measurements")
    group.add_argument("--threads", type=int, default=8, help="cchc serve --threads")
    group.add_argument("--processes", type=int, default=1, help="cchc serve --processes")
    group.add_argument("--receipt-clients", type=int, default=8)
    group.add_argument("--receipts", type=int, default=2000, help="receipts over HTTP in all")
    group.add_argument("--spread", action="store_true", help="each receipt client at its own commune")
    group.add_argument("--page-clients", type=int, default=16)
    group.add_argument("--page-seconds", type=float, default=60)
    group.add_argument("--repeat", type=int, default=5, help="runs of each figure (median)")
    group.add_argument("--skip", action="append", default=[], choices=["figures", "receipts", "pages"])
    benchdb.add_arguments(parser)
    args = parser.parse_args()
    with BenchDatabase(force=args.force, keep=args.keep, reuse=args.reuse, data_dir=args.data_dir) as db:
        province = dataset.prepare(db, args)
        from django.db import connection

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        version = connection.pg_version if connection.vendor == "postgresql" else ""
        print(f"machine: {os.cpu_count()} cores, load average {load:.1f}; {connection.vendor} {version}")
        if "figures" not in args.skip:
            figures(province, args.repeat)
        if {"receipts", "pages"} - set(args.skip):
            shutil.rmtree(db.data_dir / "static", ignore_errors=True)
            with Server(db.data_dir, args.threads, args.processes) as server:
                if "receipts" not in args.skip:
                    receipts(server, province, args.receipt_clients, args.receipts, args.spread)
                if "pages" not in args.skip:
                    pages(server, province, args.page_clients, args.page_seconds)


if __name__ == "__main__":
    main()
