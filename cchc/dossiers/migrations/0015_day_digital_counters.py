"""The digital counters per day in the day summaries (per commune, procedure and field):
online receipts by online level, results returned (electronically among them) and fees
paid (online among them), so the digital figures read them like the other flows. Filled
commune by commune from the dossiers' `received_at` / `channel` / `online_level`,
`returned_at` / `return_mode` and `fee_paid_at` / `fee_method` (local days, as
`stats.rebuild_day_stats` counts them): each commune's rows are read, given the new
counts, and written back (a day with only returns or payments gets a row)."""

from zoneinfo import ZoneInfo

from django.db import migrations, models
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DIGITAL = ("online_full", "online_partial", "returned", "returned_electronic", "paid", "paid_online")
# (the dossiers' moment, which of them, {counter: which of those — None: all}) per pass.
PASSES = (
    ("received_at", Q(channel="online"), {"online_full": Q(online_level="full"), "online_partial": Q(online_level="partial")}),
    ("returned_at", Q(), {"returned": None, "returned_electronic": Q(return_mode="electronic")}),
    ("fee_paid_at", Q(), {"paid": None, "paid_online": Q(fee_method="online")}),
)


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Procedure = apps.get_model("procedures", "Procedure")
    tables = {
        "commune": apps.get_model("dossiers", "DossierDayStat"),
        "procedure": apps.get_model("dossiers", "DossierProcedureDayStat"),
        "field": apps.get_model("dossiers", "DossierFieldDayStat"),
    }
    keys = {"commune": ("day",), "procedure": ("procedure_id", "day"), "field": ("field", "day")}
    communes = Dossier.objects.filter(
        Q(channel="online", received_at__isnull=False) | Q(returned_at__isnull=False) | Q(fee_paid_at__isnull=False)
    )
    for commune_id in communes.order_by().values_list("commune_id", flat=True).distinct():
        fields = dict(Procedure.objects.filter(commune_id=commune_id).values_list("id", "field"))
        counted = {name: {} for name in tables}

        def add(procedure_id, day, **counts):
            targets = [("commune", (day,)), ("procedure", (procedure_id, day))]
            if fields.get(procedure_id):
                targets.append(("field", (fields[procedure_id], day)))
            for name, key in targets:
                row = counted[name].setdefault(key, dict.fromkeys(DIGITAL, 0))
                for counter, n in counts.items():
                    row[counter] += n

        base = Dossier.objects.filter(commune_id=commune_id)
        for column, where, counters in PASSES:
            for r in (
                base.filter(where, **{f"{column}__isnull": False})
                .annotate(d=TruncDate(column, tzinfo=TZ))
                .values("procedure_id", "d")
                .annotate(**{name: Count("commune", filter=q) for name, q in counters.items()})
            ):
                add(r["procedure_id"], r["d"], **{name: r[name] for name in counters})
        for name, model in tables.items():
            rows = {tuple(row[k] for k in keys[name]): row for row in model.objects.filter(commune_id=commune_id).values()}
            for key, counts in counted[name].items():
                row = rows.setdefault(key, {"commune_id": commune_id, **dict(zip(keys[name], key))})
                row.update(counts)
            for row in rows.values():
                row.pop("id", None)
            model.objects.filter(commune_id=commune_id).delete()
            model.objects.bulk_create((model(**row) for row in rows.values()), batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0014_field_day_stats'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossierdaystat',
            name='online_full',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierdaystat',
            name='online_partial',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierdaystat',
            name='paid',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierdaystat',
            name='paid_online',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierdaystat',
            name='returned',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierdaystat',
            name='returned_electronic',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='online_full',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='online_partial',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='paid',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='paid_online',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='returned',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierfielddaystat',
            name='returned_electronic',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='online_full',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='online_partial',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='paid',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='paid_online',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='returned',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='dossierproceduredaystat',
            name='returned_electronic',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
