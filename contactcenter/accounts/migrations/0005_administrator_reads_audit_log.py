from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, {Role.ADMINISTRATOR: ["accounts.view_auditevent"]})


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_auditevent")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
