from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

RESOLVE = ["knowledgebase.view_flag", "knowledgebase.change_flag"]
FLAG_PERMISSIONS = {
    Role.OPERATOR: ["knowledgebase.add_flag"],
    Role.LEADER: ["knowledgebase.add_flag"],
    Role.SUPERVISOR: ["knowledgebase.add_flag", *RESOLVE],
    Role.DEPARTMENT_EDITOR: RESOLVE,
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, FLAG_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0008_flags")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
