"""The digital figures (online level of online receipts, results returned by mode, fees
paid by method) counted index-only from partial indexes; the online receipts' index gains
the online level. New indexes first, the old one dropped last."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0012_covering_received_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("channel", "online")),
                fields=["commune", "received_at", "online_level", "procedure"],
                name="dossier_online_level_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("returned_at__isnull", False)),
                fields=["commune", "returned_at", "return_mode", "procedure"],
                name="dossier_returned_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("fee_paid_at__isnull", False)),
                fields=["commune", "fee_paid_at", "fee_method", "procedure"],
                name="dossier_paid_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossier_online_idx",
        ),
    ]
