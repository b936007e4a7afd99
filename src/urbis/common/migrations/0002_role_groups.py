"""Create one auth group per role of the design (urbis.common.roles.ALL_ROLES).

The names are frozen here, as a migration must be; tests check that they match
`roles.ALL_ROLES`, and `ensure_demo_admin` get_or_creates the same groups.
"""

from django.db import migrations

ROLE_NAMES = (
    "secretariat admin",
    "secretariat staff",
    "EXCOM member",
    "member focal point",
    "evaluator",
)


def create_role_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        group_model.objects.get_or_create(name=name)


def delete_role_groups(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    group_model.objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("common", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
