from django.db import migrations

# The groups a district starts with; the list is editable afterwards.
DEFAULT_GROUPS = [
    ("dibao", "低保"),
    ("tekun", "特困"),
    ("kunjing_children", "困境儿童"),
    ("disabled", "残疾人"),
    ("elderly_alone", "独居老人"),
    ("taiwan", "台胞"),
    ("left_behind", "留守人员"),
    ("veterans", "退役军人"),
]


def add_groups(apps, schema_editor):
    TargetGroup = apps.get_model("cases", "TargetGroup")
    for order, (code, name) in enumerate(DEFAULT_GROUPS):
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def remove_groups(apps, schema_editor):
    TargetGroup = apps.get_model("cases", "TargetGroup")
    TargetGroup.objects.filter(code__in=[code for code, _name in DEFAULT_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(add_groups, remove_groups)]
