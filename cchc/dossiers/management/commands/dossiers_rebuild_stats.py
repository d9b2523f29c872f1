"""`cchc dossiers-rebuild-stats [--commune SLUG] [--check]`: recount the day summaries of
the dossiers (per commune, per procedure, per field) from the dossiers themselves.

The services keep the summaries in the same transaction as each move, so they never
need this in normal work. It is for an operator who changed dossiers outside the
software (a repair in SQL, a bulk load) or wants to verify them: `--check` recounts,
reports every day that differs and changes nothing (exit status 1 when something
differs). Each commune is recounted in its own transaction; moves made meanwhile
wait for it and then add to the recounted rows, so it can run while people work.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.dossiers.models import DossierDayStat, DossierFieldDayStat, DossierProcedureDayStat
from cchc.dossiers.stats import rebuild_day_stats
from cchc.org.models import Unit

SUMMARIES = (
    (DossierDayStat, "theo xã", ("day",)),
    (DossierProcedureDayStat, "theo thủ tục", ("procedure_id", "day")),
    (DossierFieldDayStat, "theo lĩnh vực", ("field", "day")),
)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class _Rollback(Exception):
    """Leaves the recount of `--check` unwritten."""


def _snapshot(commune_id: int) -> dict:
    """{(table label, key): counters} of the commune's rows, zero rows left out (a
    recount writes no row for a day with nothing, a move undone may leave one)."""
    rows = {}
    for model, label, key in SUMMARIES:
        for row in model.objects.filter(commune_id=commune_id).values(*key, *model.COUNTERS):
            counters = tuple(row[c] for c in model.COUNTERS)
            if any(counters):
                rows[(label, tuple(row[k] for k in key))] = counters
    return rows


class Command(BaseCommand):
    help = "Đếm lại bảng tổng hợp hồ sơ theo ngày (theo xã, thủ tục, lĩnh vực) từ chính các hồ sơ."

    def add_arguments(self, parser):
        parser.add_argument("--commune", help="Slug hoặc mã định danh của xã (mặc định: mọi xã).")
        parser.add_argument(
            "--check", action="store_true", help="Chỉ kiểm tra: liệt kê ngày sai lệch, không ghi gì."
        )

    def handle(self, *args, commune: str | None, check: bool, **opts):
        communes = Unit.objects.communes().order_by("pk")
        if commune:
            communes = communes.filter(slug=commune) | communes.filter(agency_code=commune)
            if not communes.exists():
                raise CommandError(f"Không tìm thấy xã {commune!r}.")
        differing = 0
        for unit in communes:
            before = after = None
            try:
                with transaction.atomic():
                    before = _snapshot(unit.pk)
                    rebuild_day_stats([unit.pk])
                    after = _snapshot(unit.pk)
                    if check:
                        raise _Rollback
            except _Rollback:
                pass
            wrong = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            differing += len(wrong)
            for label, key in wrong[:20]:
                where = "".join(f" {k}" for k in key[:-1])
                self.stdout.write(
                    f"{unit.short_name}: {label}{where} {key[-1]:%d/%m/%Y}: "
                    f"đã lưu {before.get((label, key), 'không có')}, đếm lại {after.get((label, key), 'không có')}"
                )
            if len(wrong) > 20:
                self.stdout.write(f"{unit.short_name}: … và {len(wrong) - 20} ngày sai lệch khác.")
            verb = "kiểm tra" if check else "đã đếm lại"
            self.stdout.write(
                f"{unit.short_name}: {verb} {_n(len(after))} dòng, {_n(len(wrong))} dòng sai lệch."
            )
        if check and differing:
            self.stderr.write(f"Có {differing} dòng sai lệch: chạy lại lệnh không có --check để sửa.")
            raise SystemExit(1)
