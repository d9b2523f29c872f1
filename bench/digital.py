"""Benchmark of the online and digitisation figures (docs/online.md §8) at province scale.

    python bench/digital.py [--dossiers 100000] [--communes 150] [--keep|--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench python bench/digital.py …

Builds the province data set (`bench/dataset.py`) in the benchmark's own database
(`bench/benchdb.py`: refused unless it is marked as one; removed at the end unless
--keep), then gives about a third of the received dossiers two digitised documents
(one of every ten of those a reused one), records an electronic return for half of the
returned ones, an online level for the online ones and a payment for one in five
(bulk inserts / updates, like any bulk load), and prints the time of every figure of
`F.DIGITAL` for one commune (reporting month, year), for the whole province (year) and
for the province table (each commune's values, grouped queries).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import benchdb  # noqa: E402
import dataset  # noqa: E402
from benchdb import BenchDatabase  # noqa: E402


def _timed(fn, repeat: int) -> tuple[float, float, object]:
    runs, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - t) * 1000)
    return statistics.median(runs), max(runs), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    dataset.add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    benchdb.add_arguments(parser)
    args = parser.parse_args()
    with BenchDatabase(force=args.force, keep=args.keep, reuse=args.reuse, data_dir=args.data_dir) as db:
        province = dataset.prepare(db, args)
        documents(province)
        measure(province, args)


def documents(province) -> None:
    """Digitised documents, reuses, electronic returns, online levels, payments."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from cchc.dossiers.models import Dossier, DossierDocument

    ids = [c.pk for c in province.communes]
    if DossierDocument.objects.filter(dossier__commune_id__in=ids).exists():
        print("documents: already there (--reuse)")
        return
    t = time.perf_counter()
    received = Dossier.objects.filter(commune_id__in=ids, received_at__isnull=False)
    rows, now = [], timezone.now()
    with transaction.atomic():
        for n, (pk, at) in enumerate(received.values_list("pk", "received_at").order_by("pk").iterator()):
            if n % 3:
                continue
            for k in range(2):
                rows.append(
                    DossierDocument(
                        dossier_id=pk,
                        label=f"Giấy tờ {k + 1}",
                        source="reuse" if (k == 1 and n % 30 == 0) else "counter",
                        file=f"bench/{pk}-{k}.pdf",
                        original_name=f"{pk}-{k}.pdf",
                        extension="pdf",
                        size=1000,
                        uploaded_at=at or now,
                        digitised_at=at or now,
                    )
                )
            if len(rows) >= 20_000:
                DossierDocument.objects.bulk_create(rows)
                rows = []
        DossierDocument.objects.bulk_create(rows)
        base = Dossier.objects.filter(commune_id__in=ids)
        base.filter(channel="online").update(online_level="full")
        returned = list(base.filter(returned_at__isnull=False).values_list("pk", flat=True))
        base.filter(pk__in=returned[::2]).update(return_mode="electronic")
        base.filter(pk__in=returned[1::2]).update(return_mode="paper")
        finished = list(base.filter(finished_at__isnull=False).values_list("pk", flat=True)[::5])
        for method, pks in (("online", finished[::2]), ("cash", finished[1::2])):
            base.filter(pk__in=pks).update(fee_due=8000, fee_paid_at=F("finished_at"), fee_method=method)
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh planner statistics after the bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = DossierDocument.objects.filter(dossier__commune_id__in=ids).count()
    print(f"documents: {count} rows, {len(finished)} payments in {time.perf_counter() - t:.1f} s")


def measure(province, args) -> None:
    from django.utils import timezone

    from cchc.core.figures import Scope, evaluate, evaluate_by_commune
    from cchc.core.periods import Period, PeriodKind, containing
    from cchc.dossiers import figures as F

    today = timezone.localdate()
    month = containing(today, PeriodKind.MONTH).previous()
    year = Period.year_of(containing(today, PeriodKind.YEAR).year - 1)
    commune = province.communes[0]
    ids = [c.pk for c in province.communes]
    print(
        f"{len(ids)} communes; month {month.code} ({month.window_text}), year {year.code} ({year.window_text})"
    )
    cases = [
        ("one commune, month", [commune.pk], month),
        ("one commune, year", [commune.pk], year),
        ("province, year", ids, year),
    ]
    for label, commune_ids, period in cases:
        scope = Scope.of(commune_ids=commune_ids, date_from=period.date_from, date_to=period.date_to)
        med, worst, values = _timed(lambda s=scope: evaluate(F.DIGITAL, s), args.repeat)
        shown = ", ".join(
            f"{f.key.split('.', 1)[1]}={values[f]}"
            for f in (F.DIGITISED_RATE, F.REUSED_RATE, F.ONLINE_FULL_RATE)
        )
        print(f"{label:20}: median {med:8.1f} ms, slowest {worst:8.1f} ms ({shown})")
    scope = Scope.of(commune_ids=ids, date_from=year.date_from, date_to=year.date_to)
    med, worst, table = _timed(lambda: evaluate_by_commune(F.DIGITAL, scope), args.repeat)
    print(
        f"{'province table, year':20}: median {med:8.1f} ms, slowest {worst:8.1f} ms ({len(table)} communes)"
    )


if __name__ == "__main__":
    main()
