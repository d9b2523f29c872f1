"""Plan targets stored the keys of the old `plans.metrics` table; they now store the
key of a figure of the catalogue (docs/figures.md). Also rewrites the targets read
by pending plan imports (their preview JSON), so a preview saved after the upgrade
binds to the catalogue too. Reversible."""

from django.db import migrations

OLD_TO_NEW = {
    "procedures_published": "procedures.published_rate",
    "procedures_online": "procedures.online_rate",
    "dossier_on_time": "dossiers.on_time_rate",
    "dossier_online": "dossiers.online_rate",
    "satisfaction": "satisfaction.rate",
    "petitions_on_time": "petitions.on_time_rate",
    "tasks_done": "plans.tasks_done_rate",
}
NEW_TO_OLD = {new: old for old, new in OLD_TO_NEW.items()}
BINDING_KEYS = ("metric", "target_metric")


def _rewrite(value, mapping):
    """`value` (parsed JSON) with every target binding renamed by `mapping`."""
    if isinstance(value, list):
        return [_rewrite(v, mapping) for v in value]
    if isinstance(value, dict):
        return {
            k: (mapping.get(v, v) if k in BINDING_KEYS and isinstance(v, str) else _rewrite(v, mapping))
            for k, v in value.items()
        }
    return value


def _apply(apps, mapping):
    Task = apps.get_model("plans", "Task")
    for old, new in mapping.items():
        Task.objects.filter(target_metric=old).update(target_metric=new)
    PlanImport = apps.get_model("plans", "PlanImport")
    for row in PlanImport.objects.filter(status="pending").only("pk", "parsed"):
        parsed = _rewrite(row.parsed, mapping)
        if parsed != row.parsed:
            PlanImport.objects.filter(pk=row.pk).update(parsed=parsed)


def forwards(apps, schema_editor):
    _apply(apps, OLD_TO_NEW)


def backwards(apps, schema_editor):
    _apply(apps, NEW_TO_OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_task_target_figure_key"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
