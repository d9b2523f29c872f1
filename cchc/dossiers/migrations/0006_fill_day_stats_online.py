"""Data migration: fill the per-day summary's new `online` counter (receipts through
the online channel) for dossiers received before 0005; the services keep it from then on."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate

from cchc.core.workcal import TZ


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierDayStat = apps.get_model("dossiers", "DossierDayStat")
    online = (
        Dossier.objects.filter(channel="online", received_at__isnull=False)
        .annotate(d=TruncDate("received_at", tzinfo=TZ))
        .values("commune_id", "d")
        .annotate(n=Count("*"))
    )
    for r in online.iterator():
        day = r["d"].date() if hasattr(r["d"], "date") else r["d"]
        # Every received day already has its summary row (0003 and the services).
        DossierDayStat.objects.filter(commune_id=r["commune_id"], day=day).update(online=r["n"])


def backwards(apps, schema_editor):
    apps.get_model("dossiers", "DossierDayStat").objects.update(online=0)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_online_registration_and_online_share")]

    operations = [migrations.RunPython(forwards, backwards)]
