from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

TAKE_CALLS = [
    "inquiries.add_inquiry",
    "inquiries.view_inquiry",
    "inquiries.change_inquiry",
    "inquiries.add_callercontact",
    "inquiries.view_callercontact",
    "inquiries.change_callercontact",
    "inquiries.view_surveyperiod",
]
SEE_ALL = [*TAKE_CALLS, "inquiries.view_all_inquiries", "inquiries.export_inquiries"]
INQUIRY_PERMISSIONS = {
    Role.OPERATOR: TAKE_CALLS,
    Role.LEADER: SEE_ALL,
    Role.SUPERVISOR: [
        *SEE_ALL,
        "inquiries.add_surveyperiod",
        "inquiries.change_surveyperiod",
        "inquiries.delete_surveyperiod",
    ],
    # Departments and administrators read no inquiry and no caller's contact here.
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, INQUIRY_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
