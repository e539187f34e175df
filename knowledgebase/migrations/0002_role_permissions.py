from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

STAFF_READ = ["knowledgebase.view_article", "knowledgebase.view_category"]
KNOWLEDGEBASE_PERMISSIONS = {
    Role.OPERATOR: STAFF_READ,
    Role.LEADER: [*STAFF_READ, "knowledgebase.view_searchlog"],
    Role.SUPERVISOR: [
        *STAFF_READ,
        "knowledgebase.add_article",
        "knowledgebase.change_article",
        "knowledgebase.publish_article",
        "knowledgebase.add_category",
        "knowledgebase.change_category",
        "knowledgebase.add_synonym",
        "knowledgebase.change_synonym",
        "knowledgebase.delete_synonym",
        "knowledgebase.view_synonym",
        "knowledgebase.view_searchlog",
    ],
    Role.DEPARTMENT_EDITOR: [*STAFF_READ, "knowledgebase.add_article", "knowledgebase.change_article"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, KNOWLEDGEBASE_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledgebase", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
