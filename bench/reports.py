"""Benchmark of a periodic report's documents (target: a report's .docx ≤ 2 s).

    python bench/reports.py [--repeat 5] [--paragraphs 40]

Builds a fresh SQLite database in a temporary directory (removed at the end) with the
whole demo (`cchc demo --no-serve`: the commune's catalogue, a year and more of
synthetic dossiers, plans, petitions, ratings and the 2024 reports), fills every
section of the annual 2024 report with `--paragraphs` paragraphs and bullets quoting
figures, and prints the time of:
- the .docx and the .xlsx of the annual report while it is being drafted (every
  figure computed live from the data for the window);
- sending it (figures computed once more and frozen);
- the .docx and the .xlsx of the sent report (frozen figures).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--paragraphs", type=int, default=40)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="cchc-bench-reports-")
    os.environ["CCHC_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # never touch a database that is not our own
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    try:
        import django

        django.setup()
        from io import StringIO

        from django.core.management import call_command

        from cchc.core.audit import acting_as
        from cchc.dossiers.models import Dossier
        from cchc.reports import services
        from cchc.reports.documents import report_docx, report_xlsx
        from cchc.reports.models import Report, SectionStatus

        t = time.perf_counter()
        call_command("demo", no_serve=True, stdout=StringIO())
        print(f"demo data: {time.perf_counter() - t:.0f} s, {Dossier.objects.count():,} dossiers")
        report = Report.objects.get(commune__slug="ducxuong", period_code="2024")
        office = report.created_by
        quote = " Đã gửi {{reports.sent}}, đúng hạn {{reports.sent_on_time}}."
        body = "\n".join(
            (
                f"- Ý {i}: nội dung chi tiết của nhiệm vụ cải cách hành chính trong kỳ."
                if i % 3
                else f"Đoạn {i}: kết quả thực hiện nhiệm vụ, đánh giá chung và số liệu kèm theo." + quote
            )
            for i in range(args.paragraphs)
        )
        with acting_as(office, "bench"):
            for section in report.sections.all():
                if section.status == SectionStatus.ACCEPTED:
                    continue
                if section.status != SectionStatus.SUBMITTED:
                    services.section_save(user=office, section=section, body=body)
                    services.section_act(user=office, section=section, action="submit")
                services.section_act(user=office, section=section, action="accept")
            chairman = report.commune.users.get(username="chutich")
            services.report_act(user=office, report=report, action="submit")
            services.report_act(user=chairman, report=report, action="approve")
            report.refresh_from_db()
            print(f"report: {report}, {report.sections.count()} sections × {args.paragraphs} paragraphs")
            med, worst, _, content = timed(lambda: report_docx(report), args.repeat)
            print(
                f"docx, live figures:   median {med:7.0f} ms, slowest {worst:7.0f} ms ({len(content) // 1024} KB)"
            )
            med, worst, _, content = timed(lambda: report_xlsx(report), args.repeat)
            print(
                f"xlsx, live figures:   median {med:7.0f} ms, slowest {worst:7.0f} ms ({len(content) // 1024} KB)"
            )
            t = time.perf_counter()
            services.report_act(user=office, report=report, action="send", number="999")
            print(
                f"send (freeze):        {(time.perf_counter() - t) * 1000:7.0f} ms, "
                f"{report.frozen_figures.count()} values stored"
            )
            report.refresh_from_db()
            med, worst, _, content = timed(lambda: report_docx(report), args.repeat)
            print(
                f"docx, frozen figures: median {med:7.0f} ms, slowest {worst:7.0f} ms ({len(content) // 1024} KB)"
            )
            med, worst, _, content = timed(lambda: report_xlsx(report), args.repeat)
            print(
                f"xlsx, frozen figures: median {med:7.0f} ms, slowest {worst:7.0f} ms ({len(content) // 1024} KB)"
            )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
