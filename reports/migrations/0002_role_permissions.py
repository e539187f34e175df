from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

# Dashboards and KPI CSV for leaders and supervisors; supervisors also set the year's targets.
REPORT_PERMISSIONS = {
    Role.LEADER: ["reports.view_reports", "reports.view_target"],
    Role.SUPERVISOR: [
        "reports.view_reports",
        "reports.view_target",
        "reports.add_target",
        "reports.change_target",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, REPORT_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_targets_and_open_data"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
