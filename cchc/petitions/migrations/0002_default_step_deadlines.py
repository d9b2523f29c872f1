"""Default time limits per petition step (docs/rules.md §10, not fixed nationally:
the values the national portal is reported to use), as editable rows."""

from django.db import migrations

DEFAULTS = [
    ("refuse", 2, "Từ chối tiếp nhận: trong 2 ngày làm việc kể từ ngày nhận (mặc định, chưa xác nhận)."),
    ("request_info", 5, "Đề nghị bổ sung thông tin: trong 5 ngày làm việc (mặc định, chưa xác nhận)."),
    ("classify", 5, "Phân loại, chuyển xử lý: trong 5 ngày làm việc (NĐ 20/2008, sửa đổi NĐ 92/2017)."),
    ("handle", 15, "Xử lý, trả lời: trong 15 ngày làm việc kể từ khi phân loại (mặc định, chưa xác nhận)."),
    ("publish", 2, "Công khai trả lời: trong 2 ngày làm việc sau khi duyệt (mặc định, chưa xác nhận)."),
]


def add_defaults(apps, schema_editor):
    PetitionDeadline = apps.get_model("petitions", "PetitionDeadline")
    for step, days, basis in DEFAULTS:
        PetitionDeadline.objects.get_or_create(step=step, defaults={"working_days": days, "basis": basis})


def remove_defaults(apps, schema_editor):
    PetitionDeadline = apps.get_model("petitions", "PetitionDeadline")
    PetitionDeadline.objects.filter(step__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_petition_workflow"),
    ]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
