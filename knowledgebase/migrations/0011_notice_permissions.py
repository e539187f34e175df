from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

NOTICE_PERMISSIONS = {
    Role.SUPERVISOR: [
        "knowledgebase.add_sitenotice",
        "knowledgebase.change_sitenotice",
        "knowledgebase.view_sitenotice",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, NOTICE_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0010_public_site")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
