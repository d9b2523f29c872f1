"""Procedures a person already reviewed (flag cleared) before publication was
reviewed part by part: their processing time and fees count as reviewed. The
other parts (documents, steps, …) are new and wait for a person (docs/rules.md §15),
so no procedure becomes "complete" by this migration."""

from django.db import migrations


def forwards(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Procedure.objects.filter(reviewed_at__isnull=False, needs_review=False).update(reviewed_parts=["time", "fee"])


def backwards(apps, schema_editor):
    Procedure = apps.get_model("procedures", "Procedure")
    Procedure.objects.update(reviewed_parts=[], publication_complete=False)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_required_documents_details_and_reviewed_parts")]
    operations = [migrations.RunPython(forwards, backwards)]
