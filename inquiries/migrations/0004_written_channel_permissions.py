from django.db import migrations

from contactcenter.accounts.roles import Role, grant_permissions

# Handle what arrives in writing, reply to it, and pass what the centre cannot answer on.
HANDLE = [
    "inquiries.view_inboundemail",
    "inquiries.view_inboxmessage",
    "inquiries.add_attachment",
    "inquiries.view_attachment",
    "inquiries.add_reply",
    "inquiries.view_reply",
    "inquiries.add_escalation",
    "inquiries.view_escalation",
]
# Leaders and supervisors also hand out the queue and cancel escalations.
MANAGE = [*HANDLE, "inquiries.assign_inquiries", "inquiries.change_escalation"]
WRITTEN_CHANNEL_PERMISSIONS = {
    Role.OPERATOR: HANDLE,
    Role.LEADER: MANAGE,
    Role.SUPERVISOR: MANAGE,
    # A department sees its own escalations (summary and reason, never the caller's contact
    # unless the centre shares it for that escalation) and answers them.
    Role.DEPARTMENT_EDITOR: ["inquiries.view_escalation", "inquiries.answer_escalation"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor, WRITTEN_CHANNEL_PERMISSIONS)


grant.reference_data = True  # re-created after a test flush (tests/browser/conftest.py)


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0003_written_channels_and_escalations"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
