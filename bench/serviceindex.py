"""Benchmark of the QĐ 766 service index at province scale.

    python bench/serviceindex.py [--dossiers 100000] [--communes 150] [--keep|--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench python bench/serviceindex.py …

Builds the province data set (`bench/dataset.py`) in the benchmark's own database
(`bench/benchdb.py`: refused unless it is marked as one; removed at the end unless
--keep), loads the shipped item lists, then prints the time of:
- one commune's index for a reporting month and for the last full reporting year
  (every bound figure, the progress figure counted on the dossier rows);
- its 12-month trend (twelve monthly indexes: the index page);
- the province's table (every commune, grouped queries) for a month and a year.
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
    """Median and slowest milliseconds of `fn`, and its last result."""
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
        measure(province, args)


def measure(province, args) -> None:
    from django.utils import timezone

    from cchc.core.periods import Period, PeriodKind, containing
    from cchc.serviceindex.loader import load_shipped
    from cchc.serviceindex.models import IndexGroup, IndexItem, IndexVersion
    from cchc.serviceindex.results import index_by_commune, index_for, index_trend, trend_months

    load_shipped(Version=IndexVersion, Group=IndexGroup, Item=IndexItem)
    today = timezone.localdate()
    month = containing(today, PeriodKind.MONTH).previous()
    year = Period.year_of(containing(today, PeriodKind.YEAR).year - 1)
    commune = province.communes[0]
    ids = [c.pk for c in province.communes]
    print(
        f"{len(ids)} communes; month {month.code} ({month.window_text}), year {year.code} ({year.window_text})"
    )
    for label, period in (("month", month), ("year", year)):
        med, worst, result = _timed(
            lambda p=period: index_for(commune_ids=[commune.pk], date_from=p.date_from, date_to=p.date_to),
            args.repeat,
        )
        print(
            f"one commune, {label:5}:  median {med:8.1f} ms, slowest {worst:8.1f} ms "
            f"({result.points} / {result.measured_max} points)"
        )
    months = trend_months(month, today)
    med, worst, _ = _timed(lambda: index_trend(commune_ids=[commune.pk], months=months), args.repeat)
    print(f"12-month trend:        median {med:8.1f} ms, slowest {worst:8.1f} ms")
    for label, period in (("month", month), ("year", year)):
        med, worst, results = _timed(
            lambda p=period: index_by_commune(commune_ids=ids, date_from=p.date_from, date_to=p.date_to),
            args.repeat,
        )
        print(
            f"province, {label:5}:     median {med:8.1f} ms, slowest {worst:8.1f} ms ({len(results)} communes)"
        )


if __name__ == "__main__":
    main()
