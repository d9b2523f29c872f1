"""Benchmark of the one-stop shop at province scale, through the services.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench \
        python bench/dossiers.py [--dossiers 1000000] [--communes 150] [--receipts 300] [--keep|--reuse]

Builds the province data set (`bench/dataset.py`: N synthetic dossiers over the
communes of one province from 1/1/2024 to today) in the benchmark's own database
(`bench/benchdb.py`: an SQLite file in a new temporary folder, or the PostgreSQL
database of DATABASE_URL, whose name must contain "bench"; removed at the end unless
--keep), then prints:
- dossiers received per second through the service layer (`dossier_receive`)
  and through the HTTP API (`POST /api/v1/dossiers`, Django test client);
- the time of the statistics query (`dossier_stats`) for one commune-year and
  for the whole province, for the last full year and for the current year.

`bench/province.py` measures the same data set through `cchc serve` over HTTP.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    dataset.add_arguments(parser)
    parser.add_argument("--receipts", type=int, default=300, help="receipts timed per path")
    benchdb.add_arguments(parser)
    args = parser.parse_args()
    with BenchDatabase(force=args.force, keep=args.keep, reuse=args.reuse, data_dir=args.data_dir) as db:
        province = dataset.prepare(db, args)
        measure(province, args)


def measure(province, args) -> None:
    from django.test import Client
    from django.utils import timezone

    from cchc.core.audit import acting_as
    from cchc.core.services import api_token_create
    from cchc.dossiers.services import Applicant, dossier_receive
    from cchc.dossiers.stats import dossier_stats
    from cchc.procedures.models import Procedure

    communes, officers = province.communes, province.officers
    today = timezone.localdate()
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
        med, _, first, _ = timed(
            lambda s=start, e=end: dossier_stats(commune_ids=[all_ids[1]], date_from=s, date_to=e)
        )
        print(
            f"stats one commune, {name}: median {med:.1f} ms (first {first:.1f} ms); received {one['received']:,}"
        )
        whole = dossier_stats(commune_ids=all_ids, date_from=start, date_to=end)
        med, _, first, _ = timed(
            lambda s=start, e=end: dossier_stats(commune_ids=all_ids, date_from=s, date_to=e)
        )
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
        med, _, first, _ = timed(
            lambda kw=kwargs: dossier_stats(commune_ids=all_ids, date_from=start, date_to=end, **kw)
        )
        print(f"stats province, {windows[0][0]}, {what}: median {med:.1f} ms (first {first:.1f} ms)")


if __name__ == "__main__":
    main()
