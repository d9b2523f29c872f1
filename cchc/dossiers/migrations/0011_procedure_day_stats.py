"""The per-procedure day summary (figures filtered by procedure or field), filled
from the existing dossiers by the same rules as `stats.rebuild_day_stats`."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Stat = apps.get_model("dossiers", "DossierProcedureDayStat")
    rows = {}

    def row(r):
        key = (r["procedure_id"], r["d"])
        if key not in rows:
            rows[key] = Stat(commune_id=r["commune_id"], procedure_id=r["procedure_id"], day=r["d"])
        return rows[key]

    base = Dossier.objects.filter(procedure__isnull=False)
    for r in (
        base.filter(received_at__isnull=False)
        .annotate(d=TruncDate("received_at", tzinfo=TZ))
        .values("commune_id", "procedure_id", "d")
        .annotate(n=Count("*"), online=Count("commune", filter=Q(channel="online")))
    ):
        target = row(r)
        target.received += r["n"]
        target.online += r["online"]
    for r in (
        base.filter(finished_at__isnull=False)
        .annotate(d=TruncDate("finished_at", tzinfo=TZ))
        .values("commune_id", "procedure_id", "d", "finish_outcome")
        .annotate(n=Count("*"), refused=Count("commune", filter=Q(status="refused")))
    ):
        target = row(r)
        target.finished += r["n"]
        setattr(target, r["finish_outcome"], getattr(target, r["finish_outcome"]) + r["n"])
        target.refused += r["refused"]
    for r in (
        base.filter(withdrawn_at__isnull=False)
        .annotate(d=TruncDate("withdrawn_at", tzinfo=TZ))
        .values("commune_id", "procedure_id", "d")
        .annotate(n=Count("*"))
    ):
        row(r).withdrawn += r["n"]
    Stat.objects.bulk_create(rows.values(), batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0010_online_documents_results_fees_messages'),
        ('org', '0002_unit_one_stop_name'),
        ('procedures', '0004_reviewed_parts_from_earlier_reviews'),
    ]

    operations = [
        migrations.CreateModel(
            name='DossierProcedureDayStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('received', models.PositiveIntegerField(default=0)),
                ('finished', models.PositiveIntegerField(default=0)),
                ('early', models.PositiveIntegerField(default=0)),
                ('on_time', models.PositiveIntegerField(default=0)),
                ('late', models.PositiveIntegerField(default=0)),
                ('refused', models.PositiveIntegerField(default=0)),
                ('withdrawn', models.PositiveIntegerField(default=0)),
                ('online', models.PositiveIntegerField(default=0)),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='org.unit')),
                ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='procedures.procedure')),
            ],
            options={
                'verbose_name': 'số liệu hồ sơ theo thủ tục và ngày',
                'verbose_name_plural': 'số liệu hồ sơ theo thủ tục và ngày',
                'constraints': [models.UniqueConstraint(fields=('procedure', 'day'), name='dossier_procdaystat_per_day')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
