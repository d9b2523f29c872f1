"""Data migration: flag long-running closed dossiers and build the per-day summary
for dossiers that existed before 0002 (the services keep both from then on)."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from cchc.core.workcal import TZ

LONG_RUNNING = timedelta(days=90)  # as in models.LONG_RUNNING when this migration was written


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierDayStat = apps.get_model("dossiers", "DossierDayStat")
    Dossier.objects.filter(closed_at__gt=F("received_at") + LONG_RUNNING).update(long_running=True)
    rows = {}

    def row(commune_id, day):
        if hasattr(day, "date"):
            day = day.date()
        return rows.setdefault((commune_id, day), DossierDayStat(commune_id=commune_id, day=day))

    for r in Dossier.objects.annotate(d=TruncDate("received_at", tzinfo=TZ)).values("commune_id", "d").annotate(n=Count("*")):
        row(r["commune_id"], r["d"]).received += r["n"]
    finished = (
        Dossier.objects.filter(finished_at__isnull=False)
        .annotate(d=TruncDate("finished_at", tzinfo=TZ))
        .values("commune_id", "d", "finish_outcome")
        .annotate(n=Count("*"), refused=Count("commune", filter=Q(status="refused")))
    )
    for r in finished:
        target = row(r["commune_id"], r["d"])
        target.finished += r["n"]
        setattr(target, r["finish_outcome"], getattr(target, r["finish_outcome"]) + r["n"])
        target.refused += r["refused"]
    withdrawn = (
        Dossier.objects.filter(withdrawn_at__isnull=False)
        .annotate(d=TruncDate("withdrawn_at", tzinfo=TZ))
        .values("commune_id", "d")
        .annotate(n=Count("*"))
    )
    for r in withdrawn:
        row(r["commune_id"], r["d"]).withdrawn += r["n"]
    DossierDayStat.objects.bulk_create(rows.values(), batch_size=5000)


def backwards(apps, schema_editor):
    apps.get_model("dossiers", "DossierDayStat").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_day_stats_and_open_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
