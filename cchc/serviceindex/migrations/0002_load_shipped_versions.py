"""Data: the item lists shipped in cchc/serviceindex/data/ (reversible: removes them)."""

from django.db import migrations


def load(apps, schema_editor):
    from cchc.serviceindex.loader import load_shipped

    load_shipped(
        Version=apps.get_model("serviceindex", "IndexVersion"),
        Group=apps.get_model("serviceindex", "IndexGroup"),
        Item=apps.get_model("serviceindex", "IndexItem"),
    )


def unload(apps, schema_editor):
    apps.get_model("serviceindex", "IndexVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("serviceindex", "0001_service_index_versions")]

    operations = [migrations.RunPython(load, unload)]
