"""Existing dossiers: number the register rows (one book per commune and year, in
order of receipt) and move the dossiers received since TT 03/2025/TT-VPCP took
effect (15/9/2025) to the rule set that prints its forms (docs/rules.md §4, §5)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TT03_FROM = datetime(2025, 9, 15, tzinfo=TZ)


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    RegisterSerial = apps.get_model("dossiers", "RegisterSerial")
    Dossier.objects.filter(rules_version="nd118-2025", received_at__gte=TT03_FROM).update(
        rules_version="nd118-tt03-2025"
    )
    Dossier.objects.filter(
        rules_version="nd118-2025", received_at__isnull=True, submitted_at__gte=TT03_FROM
    ).update(rules_version="nd118-tt03-2025")
    last: dict[tuple[int, int], int] = {}
    batch = []
    rows = (
        Dossier.objects.filter(received_at__isnull=False, register_number__isnull=True)
        .order_by("commune_id", "received_at", "id")
        .only("id", "commune_id", "received_at")
    )
    for dossier in rows.iterator(chunk_size=5000):
        year = dossier.received_at.astimezone(TZ).year
        key = (dossier.commune_id, year)
        last[key] = last.get(key, 0) + 1
        dossier.register_book, dossier.register_number = year, last[key]
        batch.append(dossier)
        if len(batch) >= 5000:
            Dossier.objects.bulk_update(batch, ["register_book", "register_number"])
            batch = []
    if batch:
        Dossier.objects.bulk_update(batch, ["register_book", "register_number"])
    RegisterSerial.objects.bulk_create(
        [RegisterSerial(commune_id=c, year=y, last=n) for (c, y), n in last.items()], batch_size=2000
    )


def backwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    RegisterSerial = apps.get_model("dossiers", "RegisterSerial")
    Dossier.objects.filter(rules_version="nd118-tt03-2025").update(rules_version="nd118-2025")
    Dossier.objects.update(register_book=None, register_number=None)
    RegisterSerial.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_register_book_rows_and_tt03_rule_set")]
    operations = [migrations.RunPython(forwards, backwards)]
