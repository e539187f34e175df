from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

ADMINISTRATOR_VIEWS = {
    Role.ADMINISTRATOR: [
        "knowledgebase.view_article",
        "knowledgebase.view_category",
        "knowledgebase.view_synonym",
        "knowledgebase.view_indexlog",
        "knowledgebase.view_searchlog",
    ]
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, ADMINISTRATOR_VIEWS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0002_role_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
