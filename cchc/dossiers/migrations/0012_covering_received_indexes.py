"""The received-dossier indexes (per commune, per procedure) gain the outcome columns,
so that the service index's progress count stays an index-only scan (docs/scaling.md).
The new indexes are built before the old ones are dropped: counts keep an index while
the migration runs."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0011_procedure_day_stats"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=[
                    "commune", "received_at", "closed_at", "due_date", "is_late_flagged", "finish_outcome",
                    "finished_at",
                ],
                name="dossier_received_cover_idx",
            ),  # fmt: skip
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=[
                    "procedure", "received_at", "closed_at", "due_date", "is_late_flagged", "finish_outcome",
                    "finished_at",
                ],
                name="dossier_proc_recv_cover_idx",
            ),  # fmt: skip
        ),
        migrations.RemoveIndex(model_name="dossier", name="dossier_received_span_idx"),
        migrations.RemoveIndex(model_name="dossier", name="dossier_proc_received_idx"),
    ]
