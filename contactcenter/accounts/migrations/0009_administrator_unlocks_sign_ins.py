from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions


def grant(apps, schema_editor):
    # A locked-out sign-in (django-axes) is lifted by deleting its access attempt in the admin.
    grant_permissions(
        apps, schema_editor, {Role.ADMINISTRATOR: ["axes.view_accessattempt", "axes.delete_accessattempt"]}
    )


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_audit_actions_owned_by_apps"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
