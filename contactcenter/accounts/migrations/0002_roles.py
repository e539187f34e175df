from django.db import migrations

from contactcenter.accounts.roles import ACCOUNTS_PERMISSIONS, grant_permissions


def create_roles(apps, schema_editor):
    grant_permissions(apps, schema_editor, ACCOUNTS_PERMISSIONS)


create_roles.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
